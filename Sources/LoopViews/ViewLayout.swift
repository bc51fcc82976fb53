import LoopCore
import LoopIndex

/// One entry of the views tree: a link to a real file.
public struct ViewEntry: Sendable, Equatable {
    /// Absolute path of the sample.
    public var target: String
    /// The sample's inode when indexed: a hard link to an older inode is stale.
    public var inode: UInt64
}

/// Which folders the views tree holds and what is in each, as paths relative
/// to the views folder:
///
///     Loops/120-129 BPM/A minor/Loop_124_Am.wav
///     One-shots/Kick/Kick_Hard_01.wav
///     Instruments/Bass/...
///     Searches/<saved search>/...
///     Favourites/<user>/...
///     Collections/<shared collection>/...
///
/// Names inside a folder are the files' own (made safe for Windows); when two
/// files share one, the lower id keeps it and the others get " (2)", " (3)"...
/// in id order, so the same index always gives the same tree.
public enum ViewLayout {
    public static func entries(_ source: ViewSource) -> [String: ViewEntry] {
        var folders: [String: [ViewSource.File]] = [:]
        let byID = Dictionary(source.files.map { ($0.id, $0) }) { first, _ in first }
        for file in source.files {
            switch file.type {
            case "loop":
                folders["Loops/" + bpmBand(file.bpm) + "/" + keyFolder(file.key), default: []].append(file)
            case "one-shot":
                // The most specific instrument: names list folder words first, the file name's last.
                folders["One-shots/" + (file.instruments.last.map(instrumentFolder) ?? "Other"), default: []].append(file)
            default:
                break
            }
            for instrument in file.instruments {
                folders["Instruments/" + instrumentFolder(instrument), default: []].append(file)
            }
        }
        func add(_ folder: String, _ ids: [Int64]) {
            folders[folder, default: []] += ids.compactMap { byID[$0] }
        }
        for (name, ids) in source.searches { add("Searches/" + ViewNames.safe(name), ids) }
        for (user, ids) in source.favourites { add("Favourites/" + ViewNames.safe(user), ids) }
        for (name, ids) in source.sharedCollections { add("Collections/" + ViewNames.safe(name), ids) }

        var entries: [String: ViewEntry] = [:]
        for (folder, files) in folders {
            var used: [String: Int] = [:]
            var seen = Set<Int64>()
            for file in files.sorted(by: { $0.id < $1.id }) where seen.insert(file.id).inserted {
                let name = ViewNames.safe(String(file.path.split(separator: "/").last ?? "_"))
                let count = used[name.lowercased(), default: 0] + 1
                used[name.lowercased()] = count
                let unique = count == 1 ? name : ViewNames.numbered(name, count)
                entries[folder + "/" + unique] = ViewEntry(target: file.path, inode: file.inode)
            }
        }
        return entries
    }

    /// "120-129 BPM", or "Unknown BPM".
    static func bpmBand(_ bpm: Double?) -> String {
        guard let bpm, bpm.isFinite, bpm > 0 else { return "Unknown BPM" }
        let low = Int(bpm / 10) * 10
        return "\(low)-\(low + 9) BPM"
    }

    /// "A minor", "F# major", or "No key".
    static func keyFolder(_ key: String?) -> String {
        guard let key, let parsed = MusicalKey(parsing: key) else { return "No key" }
        let name = parsed.name
        return parsed.isMinor ? String(name.dropLast()) + " minor" : name + " major"
    }

    static func instrumentFolder(_ instrument: String) -> String {
        ViewNames.safe(instrument.prefix(1).uppercased() + instrument.dropFirst())
    }
}
