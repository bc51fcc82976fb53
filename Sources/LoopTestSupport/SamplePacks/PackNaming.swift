import LoopCore
import LoopSynth

/// How packs name their files and folders, from the helpful to the misleading.
public enum PackNaming: String, CaseIterable, Sendable {
    /// "OL Deep House/Loops/Bass/OL_124_Am_Bass_Loop_03"
    case underscored
    /// "OL Deep House/Bass Loops/124 BPM - A Minor - Bass 03"
    case spelledOut
    /// "OL Deep House/loops/bass_loop_03_124bpm_Am"
    case trailing
    /// "OL Deep House/Bass/bass 03": no tempo or key.
    case plain
    /// "OL Deep House/s2339eb81cd": a hash for a name, with digits that are no tempo.
    case hashed
    /// A loop in "One Shots", a one-shot in "Loops", with nothing else in the name.
    case misleadingFolder

    /// Weights of each convention in a generated set.
    static let weights: [(PackNaming, Int)] = [(.underscored, 25), (.spelledOut, 15), (.trailing, 15), (.plain, 20), (.hashed, 10), (.misleadingFolder, 15)]

    static let packTags = ["OL", "KT", "ZX", "PRX", "SLK", "WRP", "NVR", "QTZ"]

    func relativePath(for sample: PackSample, index: Int, rng: inout SplitMix) -> String {
        let tag = Self.packTags[index % Self.packTags.count]
        let pack = "\(tag) \(Self.title(of: sample.style))"
        let (folderPart, part) = Self.parts(of: sample)
        let number = String(format2: index % 100)
        let bpm = String(Int(sample.bpm))
        let key = sample.content.isTonal && sample.isLoop ? sample.key.name : nil
        let longKey = key.map { _ in MusicalKey.noteName(pitchClass: sample.key.pitchClass) + (sample.key.isMinor ? " Minor" : " Major") }
        let stem: String
        switch (self, sample.isLoop) {
        case (.underscored, true):
            stem = "\(pack)/Loops/\(folderPart)/" + ([tag, bpm] + (key.map { [$0] } ?? []) + [folderPart, "Loop", number]).joined(separator: "_")
        case (.underscored, false):
            stem = "\(pack)/One Shots/\(folderPart)/\(tag)_\(folderPart)_\(number)"
        case (.spelledOut, true):
            stem = "\(pack)/\(folderPart) Loops/" + ([bpm + " BPM"] + (longKey.map { [$0] } ?? []) + ["\(folderPart) \(number)"]).joined(separator: " - ")
        case (.spelledOut, false):
            stem = "\(pack)/\(folderPart) One Shots/\(folderPart) \(number)"
        case (.trailing, true):
            stem = "\(pack)/loops/\(part)_loop_\(number)_\(bpm)bpm" + (key.map { "_" + $0 } ?? "")
        case (.trailing, false):
            stem = "\(pack)/one_shots/\(part)_one_shot_\(number)"
        case (.plain, _):
            stem = "\(pack)/\(folderPart)/\(part) \(number)"
        case (.hashed, _):
            let letters = Array("abcdef0123456789")
            stem = "\(pack)/s" + String((0..<10).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] })
        case (.misleadingFolder, true):
            stem = "\(pack)/One Shots/\(folderPart)/\(part)_\(number)"
        case (.misleadingFolder, false):
            stem = "\(pack)/Loops/\(folderPart)/\(part)_\(number)"
        }
        return stem + "." + sample.kind.fileExtension
    }

    static func title(of style: PackStyle) -> String {
        switch style {
        case .house: "Deep House"
        case .techno: "Warehouse Techno"
        case .boomBap: "Dusty Boom Bap"
        case .lofi: "Lofi Tapes"
        case .trap: "Trap Essentials"
        case .drill: "Drill Sessions"
        case .drumAndBass: "Liquid DnB"
        case .breakbeat: "Break Science"
        case .dembow: "Reggaeton Nights"
        case .garage: "UK Garage"
        case .trance: "Uplifting Trance"
        case .futureBass: "Future Bass"
        case .pop: "Pop Toplines"
        case .ambient: "Ambient Textures"
        }
    }

    /// The folder word and the file word for what the sample plays.
    static func parts(of sample: PackSample) -> (folder: String, file: String) {
        switch sample.content {
        case .drums: ("Drums", "drum")
        case .bass: ("Bass", "bass")
        case .chords: ("Chords", "keys")
        case .arpeggio: ("Arps", "arp")
        case .melody: ("Melodies", "lead")
        case .keysAndBass: ("Music", "music")
        case .fullMix: ("Full", "full")
        case .drumHit: ("Drum Hits", "hit")
        case .bassHit: ("808s", "808")
        case .chordStab: ("Stabs", "stab")
        }
    }
}

extension String {
    /// A number with at least two digits, as packs number their files.
    init(format2 number: Int) {
        self = number < 10 ? "0\(number)" : "\(number)"
    }
}
