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
        // Indexes into source.files, per folder; files come in id order, so folders filled
        // from them need no sorting.
        var folders: [String: [Int]] = [:]
        var unordered = Set<String>()
        var position: [Int64: Int] = [:]
        position.reserveCapacity(source.files.count)
        var bandKeyFolders: [String: String] = [:]
        var instrumentFolders: [String: String] = [:]
        func instrument(_ name: String) -> String {
            if let folder = instrumentFolders[name] { return folder }
            let folder = instrumentFolder(name)
            instrumentFolders[name] = folder
            return folder
        }
        for (index, file) in source.files.enumerated() {
            position[file.id] = index
            switch file.type {
            case .loop:
                let band = bpmBand(file.bpm) + "/" + (file.key ?? "")
                let folder = bandKeyFolders[band] ?? ("Loops/" + bpmBand(file.bpm) + "/" + keyFolder(file.key))
                bandKeyFolders[band] = folder
                folders[folder, default: []].append(index)
            case .oneShot:
                // The most specific instrument: names list folder words first, the file name's last.
                folders["One-shots/" + (file.instruments.last.map(instrument) ?? "Other"), default: []].append(index)
            default:
                break
            }
            for name in file.instruments {
                folders["Instruments/" + instrument(name), default: []].append(index)
            }
        }
        func add(_ folder: String, _ ids: [Int64]) {
            folders[folder, default: []] += ids.compactMap { position[$0] }
            unordered.insert(folder)
        }
        for (name, ids) in source.searches { add("Searches/" + ViewNames.safe(name), ids) }
        for (user, ids) in source.favourites { add("Favourites/" + ViewNames.safe(user), ids) }
        for (name, ids) in source.sharedCollections { add("Collections/" + ViewNames.safe(name), ids) }

        // Each file's entry name, worked out once.
        var names = [String?](repeating: nil, count: source.files.count)
        var entries: [String: ViewEntry] = [:]
        entries.reserveCapacity(source.files.count * 2)
        for (folder, members) in folders {
            var members = members
            if unordered.contains(folder) { members = Array(Set(members)).sorted() }
            var used: [String: Int] = [:]
            for index in members {
                let name: String
                if let known = names[index] {
                    name = known
                } else {
                    name = ViewNames.safe(String(source.files[index].path.split(separator: "/").last ?? "_"))
                    names[index] = name
                }
                let key = name.lowercased()
                let count = used[key, default: 0] + 1
                used[key] = count
                let file = source.files[index]
                entries[folder + "/" + (count == 1 ? name : ViewNames.numbered(name, count))] = ViewEntry(target: file.path, inode: file.inode)
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
