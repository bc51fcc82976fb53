import Foundation

/// Why a score could not be rendered.
public struct PackRenderError: Error, CustomStringConvertible {
    public var description: String
}

/// Renders a `MIDISequence` with Debian's `fluidsynth` and a General MIDI
/// soundfont: recorded instruments and drum kits, not the oscillators the
/// analysers were first tuned on.
public struct FluidSynthRenderer: Sendable {
    public var soundfont: String
    public var executable: String

    /// The soundfonts Debian installs, smallest first; the first present is the default.
    public static let debianSoundfonts = [
        "/usr/share/sounds/sf2/TimGM6mb.sf2",
        "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3",
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    ]

    /// Where Debian installs it.
    public static let debianExecutable = "/usr/bin/fluidsynth"

    public init(soundfont: String, executable: String = debianExecutable) {
        self.soundfont = soundfont
        self.executable = executable
    }

    /// The first Debian soundfont present with fluidsynth, or nil when either is missing.
    public static func installed() -> FluidSynthRenderer? {
        guard FileManager.default.isExecutableFile(atPath: debianExecutable),
              let soundfont = debianSoundfonts.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        return FluidSynthRenderer(soundfont: soundfont)
    }

    /// Interleaved stereo samples at `sampleRate`, rendered faster than real time.
    public func render(_ sequence: MIDISequence, sampleRate: Int, reverb: Bool, in folder: String) throws -> [Float] {
        let stem = folder + "/render-\(UUID().uuidString)"
        let midiPath = stem + ".mid", rawPath = stem + ".raw"
        defer {
            try? FileManager.default.removeItem(atPath: midiPath)
            try? FileManager.default.removeItem(atPath: rawPath)
        }
        guard FileManager.default.createFile(atPath: midiPath, contents: Data(sequence.midiFile())) else {
            throw PackRenderError(description: "cannot write \(midiPath)")
        }
        let arguments = [
            "-n", "-i", "-q", "-g", "0.5", "-r", String(sampleRate), "-R", reverb ? "1" : "0", "-C", "0",
            "-T", "raw", "-O", "float", "-E", "little", "-F", rawPath, soundfont, midiPath,
        ]
        let (status, output) = try ChildProcess.run(executable, arguments)
        guard status == 0, let data = FileManager.default.contents(atPath: rawPath) else {
            throw PackRenderError(description: "fluidsynth failed (\(status)): \(output.prefix(300))")
        }
        var samples = [Float](repeating: 0, count: data.count / 4)
        _ = samples.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return samples
    }
}
