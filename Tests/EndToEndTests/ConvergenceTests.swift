#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC
import LoopSynth
import LoopTestSupport
import Synchronization
import Testing

/// Thousands of random file-system operations with the daemon running and
/// clients querying; after `sync` the index must equal the disk exactly.
///
/// CI runs a short version. For the long one:
/// `OPENLOOP_CONVERGENCE_OPS=5000 swift test --filter Convergence`
/// (`OPENLOOP_CONVERGENCE_SEED` picks another sequence).
@Suite(.serialized) struct ConvergenceTests {
    @Test func randomOperationsConvergeToTheDisk() throws {
        let environment = ProcessInfo.processInfo.environment
        let operations = environment["OPENLOOP_CONVERGENCE_OPS"].flatMap(Int.init) ?? 400
        let seed = environment["OPENLOOP_CONVERGENCE_SEED"].flatMap(UInt64.init) ?? 7
        let daemon = DaemonProcess()
        let outside = daemon.folder.makeDirectory("outside")
        try daemon.start(arguments: daemon.defaultArguments + (environment["OPENLOOP_CONVERGENCE_DEBUG"] == nil ? [] : ["--verbose", "--verbose"]))
        defer { daemon.stop() }

        // Clients query throughout; every answer must be a result, not an error.
        let stop = Atomic<Bool>(false)
        let failures = Collector<String>()
        let queries = Collector<Int>()
        let socket = daemon.socket
        let querying = DispatchGroup()
        // The operations start once both clients are querying, however busy the machine is.
        let clientsRunning = DispatchSemaphore(value: 0)
        for worker in 0..<2 {
            DispatchQueue.global().async(group: querying) {
                var count = 0
                do {
                    let client = try RPCClient(socketPath: socket)
                    repeat {
                        if worker == 0 {
                            let _: [SampleRecord] = try client.call(LoopMethod.search, params: SearchQuery(text: "s", limit: 20))
                        } else {
                            let _: StatusReport = try client.call(LoopMethod.status)
                        }
                        count += 1
                        if count == 1 { clientsRunning.signal() }
                    } while !stop.load(ordering: .relaxed)
                    queries.append(count)
                } catch {
                    failures.append("\(error)")
                    if count == 0 { clientsRunning.signal() }
                }
            }
        }
        clientsRunning.wait()
        clientsRunning.wait()

        var random = SeededRandom(seed: seed)
        var world = RandomFileSystem(library: daemon.library, outside: outside)
        for step in 0..<operations {
            try world.step(&random, number: step)
        }
        try daemon.sync()
        stop.store(true, ordering: .relaxed)
        querying.wait()
        #expect(failures.all.isEmpty, "queries failed: \(failures.all.prefix(3))")
        #expect(queries.all.count == 2, "both clients queried until the end")

        let disk = DiskComparison.walk(daemon.library)
        let records = try daemon.search()
        let differences = DiskComparison.expectEqual(disk: disk, index: records)
        if differences > 0 {
            // Show the operations that touched the files that differ.
            let indexed = Set(records.map(\.path))
            let names = Set(disk.keys.filter { !indexed.contains($0) } + indexed.filter { disk[$0] == nil }).map { ($0 as NSString).lastPathComponent }
            let relevant = world.log.filter { line in names.contains { line.contains($0.replacingOccurrences(of: ".wav", with: "")) } }
            Issue.record(Comment(rawValue: "operations on the differing files:\n" + relevant.suffix(30).joined(separator: "\n")))
            if let dump = environment["OPENLOOP_CONVERGENCE_DEBUG"] {
                daemon.stop()
                daemon.log.wait { $0.last == "<eof>" }
                try daemon.log.all.joined(separator: "\n").write(toFile: dump, atomically: true, encoding: .utf8)
            }
        }
        #expect(differences == 0, "\(operations) operations with seed \(seed) left \(differences) differences over \(disk.count) files")
        #expect(disk.count > 10, "the run leaves a real library to compare")
    }
}

/// Performs random operations on a library folder and a folder outside it.
struct RandomFileSystem {
    let library: String
    let outside: String
    private var counter = 0
    /// One line per operation, with paths relative to the test folder.
    private(set) var log: [String] = []

    private mutating func note(_ step: Int, _ text: String) {
        let base = (library as NSString).deletingLastPathComponent + "/"
        log.append("\(step): " + text.replacingOccurrences(of: base, with: ""))
    }

    init(library: String, outside: String) {
        self.library = library
        self.outside = outside
    }

    private func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".wav") }.map { folder + "/" + $0 }
    }

    private func directories(under folder: String) -> [String] {
        [folder] + (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .map { folder + "/" + $0 }.filter { FileStat.of($0)?.kind == .directory }
    }

    private mutating func freshName(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    private func writeAudio(_ path: String, _ random: inout SeededRandom) throws {
        try SignalWriter.write(
            path: path, kind: .wav16, signal: .noise(amplitude: 0.2, seed: random.next()),
            duration: 0.01 + Double(random.below(60)) / 1000
        )
    }

    mutating func step(_ random: inout SeededRandom, number: Int) throws {
        let fm = FileManager.default
        let libraryFiles = files(under: library)
        let libraryDirectories = directories(under: library)
        switch random.below(12) {
        case 0, 1, 2:
            // Create a file.
            let folder = random.pick(libraryDirectories) ?? library
            let file = folder + "/" + freshName("s") + ".wav"
            try writeAudio(file, &random)
            note(number, "create \(file)")
        case 3:
            // Overwrite in place.
            if let file = random.pick(libraryFiles) {
                try writeAudio(file, &random)
                note(number, "overwrite \(file)")
            }
        case 4:
            // Append bytes.
            if let file = random.pick(libraryFiles), let handle = FileHandle(forWritingAtPath: file) {
                handle.seekToEndOfFile()
                handle.write(Data((0..<(1 + random.below(500))).map { _ in UInt8(random.below(256)) }))
                try handle.close()
                note(number, "append \(file)")
            }
        case 5:
            // Rename within its folder.
            if let file = random.pick(libraryFiles) {
                let target = (file as NSString).deletingLastPathComponent + "/" + freshName("r") + ".wav"
                try fm.moveItem(atPath: file, toPath: target)
                note(number, "rename \(file) -> \(target)")
            }
        case 6:
            // Move to another folder.
            if let file = random.pick(libraryFiles), let folder = random.pick(libraryDirectories) {
                let target = folder + "/" + freshName("m") + ".wav"
                try fm.moveItem(atPath: file, toPath: target)
                note(number, "move \(file) -> \(target)")
            }
        case 7:
            // Move a whole folder somewhere else in the tree (never into itself).
            let candidates = libraryDirectories.filter { $0 != library }
            if let folder = random.pick(candidates) {
                let targets = libraryDirectories.filter { $0 != folder && !$0.hasPrefix(folder + "/") }
                if let parent = random.pick(targets) {
                    let target = parent + "/" + freshName("d")
                    try fm.moveItem(atPath: folder, toPath: target)
                    note(number, "move folder \(folder) -> \(target)")
                }
            }
        case 8:
            // Delete a file, or now and then a folder.
            if random.below(5) == 0, let folder = random.pick(libraryDirectories.filter { $0 != library }) {
                try fm.removeItem(atPath: folder)
                note(number, "delete folder \(folder)")
            } else if let file = random.pick(libraryFiles) {
                try fm.removeItem(atPath: file)
                note(number, "delete \(file)")
            }
        case 9:
            // Create a nested tree with files in one go.
            let top = (random.pick(libraryDirectories) ?? library) + "/" + freshName("t")
            for depth in 0..<(1 + random.below(3)) {
                let folder = top + String(repeating: "/n", count: depth)
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for _ in 0..<(1 + random.below(3)) {
                    let file = folder + "/" + freshName("s") + ".wav"
                    try writeAudio(file, &random)
                    note(number, "create in new tree \(file)")
                }
            }
        case 10:
            // Move a file or folder out of the library.
            if random.below(2) == 0, let file = random.pick(libraryFiles) {
                let target = outside + "/" + freshName("o") + ".wav"
                try fm.moveItem(atPath: file, toPath: target)
                note(number, "move out \(file) -> \(target)")
            } else if let folder = random.pick(libraryDirectories.filter { $0 != library }) {
                let target = outside + "/" + freshName("od")
                try fm.moveItem(atPath: folder, toPath: target)
                note(number, "move folder out \(folder) -> \(target)")
            }
        default:
            // Move something from outside in (a file, a folder, or a fresh one).
            let outsideItems = (try? fm.contentsOfDirectory(atPath: outside)) ?? []
            let folder = random.pick(libraryDirectories) ?? library
            if let item = random.pick(outsideItems) {
                let target = folder + "/" + freshName("i") + (item.hasSuffix(".wav") ? ".wav" : "")
                try fm.moveItem(atPath: outside + "/" + item, toPath: target)
                note(number, "move in \(outside)/\(item) -> \(target)")
            } else {
                let file = outside + "/" + freshName("f") + ".wav"
                try writeAudio(file, &random)
                let target = folder + "/" + freshName("i") + ".wav"
                try fm.moveItem(atPath: file, toPath: target)
                note(number, "move in new \(file) -> \(target)")
            }
        }
    }
}
