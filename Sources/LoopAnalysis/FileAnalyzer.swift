import LoopCore
import LoopFiles

/// The outcome of analysing one file: the content hash whenever the bytes
/// could be read, the audio facts when decoding worked, and the error otherwise.
public struct FileAnalysisOutcome: Sendable, Equatable, Codable {
    public var hash: String?
    public var audio: AudioAnalysis?
    /// The sentence to store when analysis failed or was only partial.
    public var error: String?
    /// The file holds less audio than its header declares: it may still be being written.
    public var incomplete: Bool
    /// Nothing was learned because no analysis could run (no worker could be
    /// started, say for want of descriptors): a reason to try again, not a fact about the file.
    public var notAnalysed: Bool

    public init(hash: String?, audio: AudioAnalysis?, error: String?, incomplete: Bool = false, notAnalysed: Bool = false) {
        self.hash = hash
        self.audio = audio
        self.error = error
        self.incomplete = incomplete
        self.notAnalysed = notAnalysed
    }
}

/// Runs one decode pass over a file and feeds every block to each analyzer.
public struct FileAnalyzer: Sendable {
    /// The analyzers run on every file, in order.
    public static var analyzerTypes: [any BlockAnalyzer.Type] { [
            LevelsAnalyzer.self, LoudnessAnalyzer.self, TruePeakAnalyzer.self, RhythmAnalyzer.self,
            // After the rhythm analyzer: a one-shot gets a root note rather than a key.
            KeyAnalyzer.self, SimilarityAnalyzer.self, WaveformOverviewAnalyzer.self, WaveformPeaksAnalyzer.self,
        ] }

    /// A string naming every analyzer and its version; a stored result with a
    /// different string is out of date.
    public static let versionTag: String = {
        let parts = analyzerTypes.map { "\($0.name):\($0.version)" } + ["hash:1"]
        return parts.joined(separator: ",")
    }()

    static let blockFrames = 4096

    /// The analyzers this instance runs: all of them, or a subset to measure one analyzer's cost.
    private let analyzerNames: Set<String>

    public init(only names: Set<String>? = nil) {
        analyzerNames = names ?? Set(Self.analyzerTypes.map { $0.name })
    }

    public func analyze(path: String) -> FileAnalysisOutcome {
        var outcome = FileAnalysisOutcome(hash: nil, audio: nil, error: nil)
        do {
            do {
                outcome.hash = try ContentHasher.sha256(path: path)
            } catch {
                throw AnalysisError.unreadable(reason: error.reason)
            }
            outcome.audio = try decode(path: path)
        } catch let error as PartialDecode {
            outcome.audio = error.analysis
            outcome.error = error.reason.description
            if case .truncated = error.reason { outcome.incomplete = true }
        } catch let error as AnalysisError {
            outcome.error = error.description
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// Decodes the file and nothing else: the floor a full analysis is measured against.
    /// Returns the frames decoded.
    public func decodeOnly(path: String) throws -> Int64 {
        let file = try SoundFile(path: path)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockFrames * file.channels)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let frames = file.read(into: buffer, frames: Self.blockFrames)
            if frames <= 0 { return total }
            total += Int64(frames)
        }
    }

    /// A decode that ended early still yields what it gathered, with the reason.
    private struct PartialDecode: Error {
        var analysis: AudioAnalysis
        var reason: AnalysisError
    }

    private func decode(path: String) throws -> AudioAnalysis {
        let file = try SoundFile(path: path)
        let format = StreamFormat(info: file.info)
        let analyzers = Self.analyzerTypes.filter { analyzerNames.contains($0.name) }.map { $0.init(format: format) }
        let channels = file.channels
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockFrames * channels)
        defer { buffer.deallocate() }

        var result = AudioAnalysis(format: format)
        result.embedded = file.embeddedMetadata(path: path)
        var sampleGuard = SampleGuard()
        while true {
            let frames = file.read(into: buffer, frames: Self.blockFrames)
            if frames <= 0 { break }
            sampleGuard.repair(UnsafeMutableBufferPointer(start: buffer, count: frames * channels))
            let block = UnsafeBufferPointer(start: buffer, count: frames * channels)
            for analyzer in analyzers { analyzer.consume(block, frames: frames) }
            result.frames += Int64(frames)
        }
        for analyzer in analyzers {
            analyzer.finish(into: &result)
            result.analyzerVersions[type(of: analyzer).name] = type(of: analyzer).version
        }
        if let reason = file.lastError {
            throw PartialDecode(analysis: result, reason: .decodeFailed(reason: reason))
        }
        if format.lengthIsExact, result.frames < format.declaredFrames {
            throw PartialDecode(analysis: result, reason: .truncated(declaredFrames: format.declaredFrames, decodedFrames: result.frames))
        }
        if sampleGuard.nonFinite > 0 || sampleGuard.clamped > 0 {
            throw PartialDecode(analysis: result, reason: .repairedSamples(nonFinite: sampleGuard.nonFinite, clamped: sampleGuard.clamped))
        }
        return result
    }
}
