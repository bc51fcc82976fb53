import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print the library's changes as loopd indexes them, until interrupted.",
        discussion: """
            Each change has a sequence number; --after N resumes after the last one seen (loopd keeps \
            the latest \(SubscribeReply.retainedChanges)). With --json, one JSON object per line.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Resume after this sequence number.", valueName: "n"))
    var after: Int64?

    @Option(help: ArgumentHelp("Stop after printing this many changes.", valueName: "n"))
    var count: Int?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
    }

    func run() throws {
        try global.withClient { client throws(RPCClientError) in
            let reply = try client.call(LoopMethod.subscribe, params: SubscribeRequest(after: after))
            if !reply.resumed, let after {
                FileHandle.standardError.write(Data("loopctl: changes after \(after) are no longer kept; following from \(reply.sequence).\n".utf8))
            }
            if !global.json { output("Watching from change \(reply.sequence); interrupt to stop.") }
            var printed = 0
            while count.map({ printed < $0 }) ?? true {
                switch LibraryNotification.message(from: try client.nextNotification()) {
                case let .changed(changes):
                    for change in changes where count.map({ printed < $0 }) ?? true {
                        show(change)
                        printed += 1
                    }
                case let .resync(sequence):
                    FileHandle.standardError.write(Data("loopctl: fell behind; changes were missed; following from \(sequence).\n".utf8))
                case .idle, nil:
                    continue
                }
            }
        }
    }

    private func show(_ change: LibraryChange) {
        if global.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(change) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
            return
        }
        let kind = change.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        output("#\(change.sequence)  \(Formatting.date(change.at))  \(kind) \(change.id)  \(change.path ?? "")")
    }
}
