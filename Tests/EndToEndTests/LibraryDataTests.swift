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
import Testing

/// Tags, favourites, collections, export, add, get, takes, verify and backup through the real daemon.
@Suite struct LibraryDataTests {
    static let otherUser: (uid: UInt32, gid: UInt32) = (4242, 4242)

    private func writeSamples(in daemon: DaemonProcess) throws {
        for (index, name) in ["Drums/Kick 1.wav", "Drums/Kick 2.wav", "Keys/Stab.wav", "Keys/Pad.flac"].enumerated() {
            let kind: AudioFileKind = name.hasSuffix(".flac") ? .flac16 : .wav16
            let audio = (name.contains("Kick") ? LoopPattern.OneShot.kick : LoopPattern.OneShot.stab).render(sampleRate: 44100, seed: UInt64(index + 1))
            try SignalWriter.write(path: daemon.folder.file("library/" + name), kind: kind, interleaved: audio, sampleRate: 44100)
        }
    }

    private func names(_ records: [SampleRecord]) -> [String] {
        records.map { ($0.path as NSString).lastPathComponent }.sorted()
    }

    @Test func tagsSurviveRenamesAndFavouritesBelongToEachUser() throws {
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        let asRoot = getuid() == 0
        if asRoot {
            // A file the other user dropped in: its owner is who added it.
            chown(daemon.folder.path + "/library/Keys/Pad.flac", Self.otherUser.uid, Self.otherUser.gid)
        } else {
            print("LibraryDataTests: not root, so the second Unix user's part is skipped (setpriv needs root).")
        }
        daemon.configText = "[rpc]\nsocket_mode = \"0666\"\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let library = daemon.library

        // Folder and file tags; tag: finds both, and facets count them as the rows do.
        #expect(try daemon.loopctl(["tag", "--folder", library + "/Drums", "--add", "dark"]).status == 0)
        #expect(try daemon.loopctl(["tag", library + "/Keys/Stab.wav", "--add", "Bright", "--add", "dark"]).status == 0)
        #expect(names(try daemon.search(["tag:dark"])) == ["Kick 1.wav", "Kick 2.wav", "Stab.wav"])
        let faceted: FindResult = try daemon.loopctlJSON(["search", "tag:dark", "--facets"])
        #expect(faceted.facets?.tag["dark"] == 3 && faceted.facets?.tag["bright"] == 1, "\(String(describing: faceted.facets?.tag))")
        #expect(names(try daemon.search(["NOT tag:dark"])) == ["Pad.flac"])
        let bad = try daemon.loopctl(["tag", library + "/Keys/Stab.wav", "--add", "a,b"])
        #expect(bad.status == 2 && bad.stderr.contains("not a usable tag"), "\(bad.stderr)")

        // Renaming the file and the folder keeps both kinds of tag.
        try FileManager.default.moveItem(atPath: library + "/Keys/Stab.wav", toPath: library + "/Keys/Stab Renamed.wav")
        try FileManager.default.moveItem(atPath: library + "/Drums", toPath: library + "/Percussion")
        try daemon.sync()
        #expect(names(try daemon.search(["tag:bright"])) == ["Stab Renamed.wav"])
        #expect(names(try daemon.search(["tag:dark"])) == ["Kick 1.wav", "Kick 2.wav", "Stab Renamed.wav"])
        let kick: SampleRecord = try daemon.loopctlJSON(["info", library + "/Percussion/Kick 1.wav"])
        #expect(kick.tags == ["dark"] && kick.addedBy == UnixUsers.name(of: getuid()))

        // Favourites are the caller's own.
        #expect(try daemon.loopctl(["fav", library + "/Percussion/Kick 1.wav"]).status == 0)
        #expect(names(try daemon.search(["fav:yes"])) == ["Kick 1.wav"])
        #expect(names(try daemon.search(["fav:no"])) == ["Kick 2.wav", "Pad.flac", "Stab Renamed.wav"])
        guard asRoot else { return }
        let other = Self.otherUser
        let otherFav = try daemon.loopctl(["fav", "--where", "stab"], as: other)
        #expect(otherFav.status == 0, "\(otherFav.stderr)")
        let theirs = try daemon.loopctl(["search", "fav:yes", "--json", "--all"], as: other)
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let theirRecords = try JSONDecoder().decode(FindResult.self, from: Data(theirs.stdout.utf8)).records
        #expect(names(theirRecords) == ["Stab Renamed.wav"], "each user sees only their own favourites")
        #expect(names(try daemon.search(["fav:yes"])) == ["Kick 1.wav"])
        let seenByOther = try daemon.loopctl(["info", library + "/Percussion/Kick 1.wav", "--json"], as: other)
        #expect(seenByOther.status == 0, "\(seenByOther.stderr)")
        #expect(try JSONDecoder().decode(SampleRecord.self, from: Data(seenByOther.stdout.utf8)).favourite == false)

        // addedBy is the file's owner, and searchable.
        #expect(names(try daemon.search(["addedby:\(other.uid)"])) == ["Pad.flac"])

        // Write access: the other user is no writer; refusals are clear and change nothing.
        let refused = try daemon.loopctl(["tag", "--folder", library + "/Keys", "--add", "mine"], as: other)
        #expect(refused.status == 4 && refused.stderr.contains("Not allowed"), "\(refused.stderr)")
        #expect(try daemon.search(["tag:mine"]).isEmpty)
        #expect(try daemon.loopctl(["collection", "create", "Open", "--shared"], as: other).status == 4)
        #expect(try daemon.loopctl(["collection", "create", "Mine"], as: other).status == 0)
        #expect(try daemon.loopctl(["collection", "add", "Mine", "--where", "kick"], as: other).status == 0)
        // Root cannot see, so cannot change, another user's private collection.
        let hidden = try daemon.loopctl(["collection", "add", "Mine", "--where", "pad"])
        #expect(hidden.status == 1 && hidden.stderr.contains("No such collection"), "\(hidden.stderr)")
        // A shared collection made by a writer can be read by all but changed only by writers.
        #expect(try daemon.loopctl(["collection", "create", "Studio", "--shared"]).status == 0)
        #expect(try daemon.loopctl(["collection", "add", "Studio", "--where", "pad"]).status == 0)
        #expect(try daemon.loopctl(["collection", "add", "Studio", "--where", "kick"], as: other).status == 4)
        let shown = try daemon.loopctl(["search", "in:Studio", "--json"], as: other)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(names(try JSONDecoder().decode(FindResult.self, from: Data(shown.stdout.utf8)).records) == ["Pad.flac"])
        // Sharing one that exists needs write access; made private again, it is its owner's alone.
        let notWriter = try daemon.loopctl(["collection", "share", "Mine"], as: other)
        #expect(notWriter.status == 4 && notWriter.stderr.contains("Not allowed"), "\(notWriter.stderr)")
        #expect(try daemon.loopctl(["collection", "create", "Later"]).status == 0)
        #expect(try daemon.loopctl(["collection", "add", "Later", "--where", "kick"]).status == 0)
        #expect(try daemon.loopctl(["collection", "show", "Later"], as: other).status == 1, "private so far")
        let sharing: CollectionSummary = try daemon.loopctlJSON(["collection", "share", "Later"])
        #expect(sharing.shared && sharing.items == 2)
        #expect(try daemon.loopctl(["collection", "add", "Later", "--where", "pad"], as: other).status == 4, "shared: changed by writers only")
        #expect(try daemon.loopctl(["collection", "show", "Later"], as: other).status == 0, "seen by everyone once shared")
        #expect(try daemon.loopctl(["collection", "share", "Later", "--private"], as: other).status == 4)
        #expect(try daemon.loopctl(["collection", "share", "Later", "--private"]).status == 0)
        #expect(try daemon.loopctl(["collection", "show", "Later"], as: other).status == 1, "private again")
    }

    @Test func collectionsExportVerifiedAndBitRotIsCaught() throws {
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        try daemon.start()
        try daemon.sync()
        let library = daemon.library
        #expect(try daemon.loopctl(["collection", "create", "Session"]).status == 0)
        #expect(try daemon.loopctl(["collection", "add", "Session", "--where", "kick"]).status == 0)
        #expect(try daemon.loopctl(["collection", "add", "Session", library + "/Keys/Pad.flac"]).status == 0)
        let contents: CollectionContents = try daemon.loopctlJSON(["collection", "show", "Session"])
        #expect(contents.records.map { ($0.path as NSString).lastPathComponent } == ["Kick 1.wav", "Kick 2.wav", "Pad.flac"], "in the order added")

        // Reordering: before a file (named by path or id), to the start, to the end; nothing else moves.
        func order() throws -> [String] {
            let shown: CollectionContents = try daemon.loopctlJSON(["collection", "show", "Session"])
            return shown.records.map { ($0.path as NSString).lastPathComponent }
        }
        let moved = try daemon.loopctl(["collection", "move", "Session", library + "/Keys/Pad.flac", "--before", library + "/Drums/Kick 2.wav", "--json"])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(try JSONDecoder().decode(ChangeReply.self, from: Data(moved.stdout.utf8)) == ChangeReply(files: 1, changed: 2))
        #expect(try order() == ["Kick 1.wav", "Pad.flac", "Kick 2.wav"])
        #expect(try daemon.loopctl(["collection", "move", "Session", String(contents.records[1].id), "--to-start"]).status == 0)
        #expect(try order() == ["Kick 2.wav", "Kick 1.wav", "Pad.flac"])
        #expect(try daemon.loopctl(["collection", "move", "Session", "--where", "kick"]).status == 0, "to the end, in the query's order")
        #expect(try order() == ["Pad.flac", "Kick 1.wav", "Kick 2.wav"])
        let outside = try daemon.loopctl(["collection", "move", "Session", library + "/Keys/Pad.flac", "--before", library + "/Keys/Stab.wav"])
        #expect(outside.status == 2 && outside.stderr.contains("is not in the collection 'Session'"), "\(outside.stderr)")
        let ontoItself = try daemon.loopctl(["collection", "move", "Session", "--where", "kick", "--before", library + "/Drums/Kick 1.wav"])
        #expect(ontoItself.status == 2 && ontoItself.stderr.contains("among the files being moved"), "\(ontoItself.stderr)")
        #expect(try daemon.loopctl(["collection", "move", "Session", "1", "--before", "2", "--to-start"]).status == 2)
        #expect(try order() == ["Pad.flac", "Kick 1.wav", "Kick 2.wav"], "refused moves change nothing")

        // Export to a folder: exact bytes; never over existing files without --force.
        let out = daemon.folder.path + "/out"
        #expect(try daemon.loopctl(["export", "Session", out]).status == 0)
        for record in contents.records {
            let copy = out + "/" + (record.path as NSString).lastPathComponent
            #expect(FileManager.default.contentsEqual(atPath: record.path, andPath: copy))
        }
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/Pad.flac"))
        let again = try daemon.loopctl(["export", "Session", out])
        #expect(again.status == 6 && again.stderr.contains("already exists; pass --force"), "\(again.stderr)")
        #expect(try String(contentsOfFile: out + "/Pad.flac", encoding: .utf8) == "mine", "nothing overwritten")
        #expect(try daemon.loopctl(["export", "Session", out, "--force"]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: library + "/Keys/Pad.flac", andPath: out + "/Pad.flac"))

        // Export to a ZIP that another reader opens, CRCs checked.
        let zip = daemon.folder.path + "/session.zip"
        #expect(try daemon.loopctl(["export", "Session", "--zip", zip]).status == 0)
        let listing = try DaemonProcess.run("/usr/bin/env", ["python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(' | '.join(z.namelist()))", zip], environment: daemon.environment)
        #expect(listing.status == 0 && listing.stdout == "Pad.flac | Kick 1.wav | Kick 2.wav\n", "in the collection's order: \(listing.stdout) \(listing.stderr)")

        // A file damaged while loopd was down, its size and time kept: nothing saw a write.
        #expect(daemon.stop() == 0)
        let kick = library + "/Drums/Kick 1.wav"
        var before = stat()
        stat(kick, &before)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: kick))
        try handle.seek(toOffset: 2000)
        let byte = try handle.read(upToCount: 1)?.first ?? 0
        try handle.seek(toOffset: 2000)
        try handle.write(contentsOf: Data([byte ^ 0xFF]))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, kick, &times, 0) == 0)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()

        let got = try daemon.loopctl(["get", kick, daemon.folder.path + "/got.wav"])
        #expect(got.status == 5 && got.stderr.contains(kick) && got.stderr.contains("does not match"), "\(got.stderr)")
        #expect(!FileManager.default.fileExists(atPath: daemon.folder.path + "/got.wav"), "no damaged copy left behind")
        #expect(try daemon.loopctl(["get", library + "/Drums/Kick 2.wav", daemon.folder.path + "/got.wav"]).status == 0)

        let verify = try daemon.loopctl(["verify", "--json"])
        #expect(verify.status == 5)
        let report = try JSONDecoder().decode(VerifyReport.self, from: Data(verify.stdout.utf8))
        #expect(report.damaged == [kick] && report.checked == 4, "\(verify.stdout)")
        #expect(try daemon.loopctl(["verify", "path:keys/"]).status == 0, "a query narrows what is verified")
        #expect(try daemon.loopctl(["export", "Session", daemon.folder.path + "/out2"]).status == 5)
    }

    @Test func addPlacesTakesByTemplateAndGetFetchesTheNewest() throws {
        let daemon = DaemonProcess()
        daemon.configText = """
            [library.templates]
            "\(daemon.library)" = "Takes/{artist}/{song}/{track}/{version}.{ext}"
            """
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let sources = daemon.folder.path + "/incoming"
        let first = sources + "/bass take.wav", second = sources + "/bass take 2.wav", kick = sources + "/Kick.wav"
        try SignalWriter.write(path: daemon.folder.file("incoming/bass take.wav"), kind: .wav16, interleaved: LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 1), sampleRate: 44100)
        try SignalWriter.write(path: second, kind: .wav16, interleaved: LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 2), sampleRate: 44100)
        try SignalWriter.write(path: kick, kind: .wav16, interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 3), sampleRate: 44100)

        // A plain add: indexed once, at the folder asked for; never over an existing file; never outside the roots.
        let added = try daemon.loopctl(["add", kick, "--to", "Drums/Kicks", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try daemon.search(["kick"]).map(\.path) == [daemon.library + "/Drums/Kicks/Kick.wav"])
        #expect(try daemon.loopctl(["add", kick, "--to", "Drums/Kicks"]).status == 6)
        let escape = try daemon.loopctl(["add", kick, "--to", "../outside"])
        #expect(escape.status == 2 && escape.stderr.contains("Outside the library"), "\(escape.stderr)")
        #expect(try daemon.loopctl(["add", kick, "--to", daemon.folder.path]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: daemon.folder.path + "/Kick.wav") && !FileManager.default.fileExists(atPath: daemon.folder.path + "/outside"))

        // Takes by the template: versions numbered in turn, original names kept, fields searchable.
        for source in [first, second] {
            let result = try daemon.loopctl(["add", source, "--artist", "DJ Evan", "--song", "Third Room", "--track", "Bass"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let takes: [SampleRecord] = try daemon.loopctlJSON(["takes", "--song", "Third Room", "--track", "Bass"])
        #expect(takes.map { $0.take?.version } == ["v1", "v2"])
        #expect(takes.map(\.originalName) == ["bass take.wav", "bass take 2.wav"])
        #expect(takes.first?.path == daemon.library + "/Takes/DJ Evan/Third Room/Bass/v1.wav")
        #expect(try daemon.search(["artist:\"DJ Evan\" song:\"Third Room\""]).count == 2)
        let table = try daemon.loopctl(["takes", "--song", "Third Room"])
        #expect(table.status == 0 && table.stdout.contains("bass take 2.wav"))

        // get with the take's fields fetches the newest version, verified.
        let fetched = daemon.folder.path + "/fetched/"
        #expect(try daemon.loopctl(["get", "--song", "Third Room", "--track", "Bass", fetched]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: second, andPath: fetched + "v2.wav"))
        #expect(try daemon.loopctl(["get", "--song", "Third Room", "--version", "v1", daemon.folder.path + "/v1.wav"]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: first, andPath: daemon.folder.path + "/v1.wav"))

        // A consistent copy of the database while the daemon runs.
        let backup = daemon.folder.path + "/backup.sqlite"
        #expect(try daemon.loopctl(["backup", backup]).status == 0)
        let copy = try IndexStore(path: backup)
        #expect(try copy.allRecords().count == 3)
        try copy.close()
    }

    @Test func pagesStayStableWhileFilesArrive() throws {
        let daemon = DaemonProcess()
        for index in 0..<12 {
            try SignalWriter.write(path: daemon.folder.file("library/Hit \(String(format: "%02d", index)).wav"), kind: .wav16,
                                   interleaved: LoopPattern.OneShot.hat.render(sampleRate: 22050, seed: UInt64(index)), sampleRate: 22050)
        }
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        var seen: [String] = []
        var cursor: String?
        var added = 0
        repeat {
            let page: FindResult = try daemon.loopctlJSON(["search", "hit", "--sort", "name", "--limit", "5"] + (cursor.map { ["--cursor", $0] } ?? []))
            seen += page.records.map { ($0.path as NSString).lastPathComponent }
            cursor = page.next
            // Between pages, files arrive before and after the cursor.
            try SignalWriter.write(path: daemon.folder.file("library/Hit \(added) a.wav"), kind: .wav16,
                                   interleaved: LoopPattern.OneShot.hat.render(sampleRate: 22050, seed: 99), sampleRate: 22050)
            added += 1
            try daemon.sync()
        } while cursor != nil
        #expect(Set(seen).count == seen.count, "no row twice: \(seen)")
        let originals = (0..<12).map { "Hit \(String(format: "%02d", $0)).wav" }
        #expect(originals.allSatisfy(seen.contains), "every row that stayed was returned: \(seen)")
    }
}

/// `loopctl verify --json`.
private struct VerifyReport: Decodable {
    var checked: Int
    var damaged: [String]
}
