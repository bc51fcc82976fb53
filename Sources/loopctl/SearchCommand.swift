import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find samples with the query language.",
        discussion: """
            Words match names, folders and tags stored in the files, each as a prefix ("kic" finds Kick_01); \
            "quoted words" match a phrase. Fields: bpm:120..128 key:Am key:8A type:loop|one-shot dur:<2 \
            lufs:>-14 format:flac rate:48000 channels:2 bits:24 tag:dark (user, folder and automatic tags) \
            instrument:kick path:drums/ name:take fav:yes in:"Session 12" addedby:alice, and for takes \
            artist:"DJ Evan" song:"Third Room" track:Bass version:v2. \
            Ranges: 120..128, 120.., ..128, <2, >=1 or a number. -term or NOT term excludes (quote the query, or put \
            it after --, so the shell does not read -term as an option); OR between terms; parentheses group. \
            bd, hh, sn... also find kick, hat, snare.

            Examples:
              loopctl search 'kick -808 dur:<1'
              loopctl search 'bpm:120..128 key:Am type:loop (bass OR synth)' --compatible
              loopctl search 'path:drums/ format:wav' --sort bpm --limit 20
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The query; several arguments are joined with spaces.")
    var words: [String] = []

    @Option(help: ArgumentHelp("Tempo range, e.g. 120..128 (same as bpm:RANGE).", valueName: "range"))
    var bpm: NumericRange?

    @Option(help: ArgumentHelp("Musical key, e.g. Am, F# or 8A (same as key:KEY).", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("loop or one-shot (same as type:TYPE).", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Duration in seconds, e.g. <2 or 1..4 (same as dur:RANGE).", valueName: "range"))
    var duration: NumericRange?

    @Option(help: ArgumentHelp("Container format: wav, aiff, flac, ogg, mp3 (same as format:NAME).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("Order: \(SearchSort.allCases.map(\.rawValue).joined(separator: ", ")). Default: relevance with words, else name.", valueName: "order"))
    var sort: SearchSort?

    @Flag(help: "Reverse the order.")
    var descending = false

    @Option(help: "Seed for --sort random: the same seed gives the same order.")
    var seed = 0

    @Flag(name: .customLong("half-double"), help: "bpm: ranges also match half and double time.")
    var halfDoubleTime = false

    @Flag(help: "key: also matches harmonically compatible keys (Camelot neighbours).")
    var compatible = false

    @Flag(help: "Also count the matches per key, BPM band, type, format, tag and folder.")
    var facets = false

    @Option(help: "Continue after the page that printed this cursor.")
    var cursor: String?

    @Option(help: "Most results to show per page.")
    var limit: Int = 50

    @Flag(help: "Show every result, page after page.")
    var all = false

    @Flag(help: "Search every server of the shared catalogue through --server (a loopweb with --catalog): each result names its host.")
    var everywhere = false

    func validate() throws {
        if !(1...FindRequest.maxLimit).contains(limit) { throw ValidationError("--limit must be between 1 and \(FindRequest.maxLimit).") }
    }

    /// The query with the convenience options added as fields.
    var queryText: String {
        var parts = words
        if let bpm { parts.append("bpm:\(bpm)") }
        if let key { parts.append("key:\(key)") }
        if let type { parts.append("type:\(type)") }
        if let duration { parts.append("dur:\(duration)") }
        if let format { parts.append("format:\(format)") }
        return parts.joined(separator: " ")
    }

    func run() throws {
        var request = FindRequest(
            query: queryText, sort: sort, descending: descending, seed: seed, cursor: cursor, limit: limit,
            halfDoubleTime: halfDoubleTime, compatibleKeys: compatible, facets: facets
        )
        if everywhere { return try searchEverywhere(request) }
        var page: FindResult = try global.call(LoopMethod.find, request)
        if all, let next = page.next {
            // The rest of the pages, without facets: the first page's count the whole match already.
            request.cursor = next
            request.facets = false
            page.records += try global.findAll(request)
            page.next = nil
        }
        if global.json { return try global.printJSON(page) }
        if page.records.isEmpty {
            output("No matches.")
        } else {
            output(RecordTable.render(page.records))
        }
        if let facets = page.facets { output(FacetsTable.render(facets)) }
        if let next = page.next { output("More matches: add --cursor \(next) for the next page, or use --all.") }
        if page.records.isEmpty { throw ExitCode(1) }
    }
}

extension SearchCommand {
    func searchEverywhere(_ request: FindRequest) throws {
        let search = EverywhereSearch(server: try global.requiredRemote("--everywhere searches the shared catalogue"))
        let page = try GlobalOptions.reporting { () throws(RPCClientError) in all ? try search.all(request) : try search.page(request) }
        if global.json { return try global.printJSON(page) }
        output(page.sounds.isEmpty ? "No matches." : EverywhereSearch.render(page.sounds))
        if let facets = page.facets { output(FacetsTable.render(facets)) }
        if let next = page.next { output("More matches: add --cursor \(next) for the next page, or use --all.") }
        if page.sounds.isEmpty { throw ExitCode(1) }
    }
}

extension NumericRange: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}

extension SearchSort: ExpressibleByArgument {}

/// Facet counts as short lines, largest first.
enum FacetsTable {
    static func render(_ facets: SearchFacets) -> String {
        let groups: [(String, [String: Int])] = [
            ("Key", facets.key), ("BPM", facets.bpm), ("Type", facets.type), ("Format", facets.format), ("Tag", facets.tag), ("Folder", facets.folder),
        ]
        return groups.filter { !$0.1.isEmpty }.map { label, counts in
            let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(12)
            return label + ": " + top.map { "\($0.key.isEmpty ? "(root)" : $0.key) \($0.value)" }.joined(separator: ", ")
        }.joined(separator: "\n")
    }
}
