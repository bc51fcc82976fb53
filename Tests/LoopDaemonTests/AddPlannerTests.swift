import Foundation
import LoopAPI
import LoopCore
@testable import LoopDaemon
import LoopIndex
import LoopRPC
import LoopTestSupport
import LoopWatch
import Testing

/// Where `loopctl add` may put files, decided against a real library folder and index.
@Suite struct AddPlannerTests {
    let folder = TemporaryDirectory("add")
    var library: String { folder.path + "/lib" }

    func planner(templates: [String: PathTemplate] = [:]) throws -> AddPlanner {
        _ = folder.makeDirectory("lib/Drums")
        return AddPlanner(
            roots: LibraryRoots([library]), templates: templates, filter: PathFilter(extensions: ["wav", "flac"]),
            store: try IndexStore(path: folder.path + "/index.sqlite")
        )
    }

    func refusal(_ planner: AddPlanner, _ request: AddRequest) async -> RPCError? {
        do {
            _ = try await planner.plan(request)
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test func filesGoIntoTheFolderUnderTheirNames() async throws {
        let plan = try await planner().plan(AddRequest(files: [.init(name: "Kick.wav"), .init(name: "Snare.flac")], folder: library + "/Drums/New"))
        #expect(plan.entries == [
            AddPlan.Entry(originalName: "Kick.wav", path: library + "/Drums/New/Kick.wav"),
            AddPlan.Entry(originalName: "Snare.flac", path: library + "/Drums/New/Snare.flac"),
        ])
    }

    @Test func whatCannotBeAddedIsRefusedWithItsReason() async throws {
        let planner = try planner()
        try Data([1]).write(to: URL(fileURLWithPath: library + "/Drums/Taken.wav"))
        let cases: [(AddRequest, RPCErrorCode, String)] = [
            (AddRequest(files: [.init(name: "Taken.wav")], folder: library + "/Drums"), .alreadyExists, "never replaces"),
            (AddRequest(files: [.init(name: "a.wav")], folder: folder.path + "/elsewhere"), .outsideLibrary, "not inside any library root"),
            (AddRequest(files: [.init(name: "a.wav")], folder: library + "/../escape"), .outsideLibrary, "climbs out"),
            (AddRequest(files: [.init(name: "../a.wav")], folder: library), .invalidParams, "is not a file name"),
            (AddRequest(files: [.init(name: "notes.txt")], folder: library), .invalidParams, "would not be indexed"),
            (AddRequest(files: [.init(name: "a.wav")], folder: library + "/.hidden"), .invalidParams, "would never be indexed"),
            (AddRequest(files: [.init(name: "a.wav"), .init(name: "a.wav")], folder: library), .invalidParams, "two files are named"),
            (AddRequest(files: [], folder: library), .invalidParams, "at least one file"),
            (AddRequest(files: [.init(name: "a.wav")]), .invalidParams, "give 'folder' or 'take'"),
        ]
        for (request, code, words) in cases {
            let error = await refusal(planner, request)
            #expect(error?.code == code.rawValue && error?.message.contains(words) == true, "\(request.files.map(\.name)) in \(request.folder ?? "-"): \(error?.message ?? "accepted")")
        }
    }

    @Test func aFolderReachedThroughALinkOutsideTheLibraryIsRefused() async throws {
        let planner = try planner()
        _ = folder.makeDirectory("outside")
        #expect(symlink(folder.path + "/outside", library + "/Link") == 0)
        let error = await refusal(planner, AddRequest(files: [.init(name: "a.wav")], folder: library + "/Link/sub"))
        #expect(error?.code == RPCErrorCode.outsideLibrary.rawValue)
    }

    @Test func aTakeIsPlacedByTheTemplateWithTheNextVersion() async throws {
        let template = try PathTemplate("{artist}/{song}/{track}_{version}.{ext}")
        let planner = try planner(templates: [library: template])
        let take = TakeFields(artist: "Band", song: "Song", track: "Bass")
        let first = try await planner.plan(AddRequest(files: [.init(name: "take.wav")], take: take))
        #expect(first.entries.map(\.path) == [library + "/Band/Song/Bass_v1.wav"])
        // Once v1 is indexed, the next take of the same track is v2.
        try planner.store.setTemplates([library: template])
        let stat = FileStat(device: 1, inode: 1, size: 1, mtimeNs: 1, kind: .regular)
        try planner.store.apply([.store(AnalysedFile(path: library + "/Band/Song/Bass_v1.wav", root: library, stat: stat, analysisVersion: "v"))])
        let second = try await planner.plan(AddRequest(files: [.init(name: "take.wav")], take: take))
        #expect(second.entries.map(\.path) == [library + "/Band/Song/Bass_v2.wav"])
        let several = await refusal(planner, AddRequest(files: [.init(name: "a.wav"), .init(name: "b.wav")], take: take))
        #expect(several?.message.contains("one file at a time") == true)
    }
}
