import Foundation
import LoopCore

/// Names one indexed file by id or by absolute path (params of `get` and `waveform`).
public struct FileReference: Codable, Sendable, Equatable {
    public var id: Int64?
    public var path: String?
    /// A SHA-256 (hex): the first file on disk with that content, for a client that would not send
    /// a file the library already has.
    public var hash: String?

    public init(id: Int64? = nil, path: String? = nil, hash: String? = nil) {
        self.id = id
        self.path = path
        self.hash = hash
    }
}

/// The reply to `status`.
public struct StatusReport: Codable, Sendable, Equatable {
    public struct Root: Codable, Sendable, Equatable {
        public var path: String
        /// "online", or "missing" when the folder is gone (its rows are kept).
        public var state: String
        public init(path: String, state: String) { self.path = path; self.state = state }
    }

    public var version: String
    public var pid: Int32
    public var uptimeSeconds: Double
    public var roots: [Root]
    /// Files in the index.
    public var files: Int
    /// Files whose analysis failed (their `error` is set).
    public var errors: Int
    /// Rows kept while their files are not on disk (a missing root or device).
    public var offlineFiles: Int
    /// Times the kernel's inotify queue overflowed (each followed by a rescan).
    public var overflows: Int
    public var audioSeconds: Double
    public var bytes: Int64
    /// Changes waiting for a worker.
    public var pending: Int
    /// Changes being analysed or written now.
    public var inFlight: Int
    /// True while a scan of the roots is walking the disk.
    public var scanning: Bool
    /// `sync` requests waiting for the index to catch up.
    public var syncsWaiting: Int
    /// Files analysed since the daemon started.
    public var analyzedSinceStart: Int
    public var watches: Int
    /// Folders polled instead of watched because the inotify watch limit was reached.
    public var unwatchedFolders: Int
    /// Folders that could not be read (e.g. permissions), as sentences.
    public var unreadableFolders: [String]
    /// Directories that could not be watched, as sentences.
    public var watchFailures: [String]
    public var workers: Int
    public var database: String
    public var socket: String
    /// Why the index cannot be written now (disk full, I/O error), with how many changes wait; nil when commits work.
    public var storageError: String?
    /// What the last views publish could not write, as sentences (a read-only folder, a sandbox).
    public var viewsFailures: [String]?

    public init(
        version: String, pid: Int32, uptimeSeconds: Double, roots: [Root], files: Int, errors: Int, offlineFiles: Int, overflows: Int,
        audioSeconds: Double, bytes: Int64, pending: Int, inFlight: Int, scanning: Bool, syncsWaiting: Int,
        analyzedSinceStart: Int, watches: Int, unwatchedFolders: Int, unreadableFolders: [String], watchFailures: [String], workers: Int, database: String, socket: String,
        storageError: String? = nil, viewsFailures: [String]? = nil
    ) {
        self.storageError = storageError
        self.viewsFailures = viewsFailures
        self.version = version; self.pid = pid; self.uptimeSeconds = uptimeSeconds; self.roots = roots
        self.files = files; self.errors = errors; self.offlineFiles = offlineFiles; self.overflows = overflows
        self.audioSeconds = audioSeconds; self.bytes = bytes
        self.pending = pending; self.inFlight = inFlight; self.scanning = scanning; self.syncsWaiting = syncsWaiting
        self.analyzedSinceStart = analyzedSinceStart; self.watches = watches; self.unwatchedFolders = unwatchedFolders; self.unreadableFolders = unreadableFolders
        self.watchFailures = watchFailures
        self.workers = workers; self.database = database; self.socket = socket
    }
}

/// The reply to `waveform`: min/max pairs as int16 sample values.
public struct WaveformReply: Codable, Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var sampleRate: Int
    public var samplesPerPoint: Int
    public var min: [Int16]
    public var max: [Int16]

    public init(id: Int64, path: String, waveform: Waveform) {
        self.id = id
        self.path = path
        sampleRate = waveform.sampleRate
        samplesPerPoint = waveform.samplesPerPoint
        min = waveform.minimums
        max = waveform.maximums
    }
}

/// Params of `peaks`: a file, and the resolution wanted.
public struct PeaksParams: Codable, Sendable, Equatable {
    public var id: Int64?
    public var path: String?
    /// Frames per pixel: a multiple of 256 that is 256 times a power of two. Default 256.
    public var samplesPerPixel: Int?

    public init(file: FileReference, samplesPerPixel: Int? = nil) {
        id = file.id
        path = file.path
        self.samplesPerPixel = samplesPerPixel
    }

    public var file: FileReference { FileReference(id: id, path: path) }
}

/// The reply to `peaks`: per-channel min/max at `samplesPerPixel`, as in an
/// audiowaveform .dat file, the values base64-encoded little-endian int16
/// (per pixel, each channel's min then max).
public struct PeaksReply: Codable, Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var sampleRate: Int
    public var samplesPerPixel: Int
    public var channels: Int
    public var length: Int
    public var data: String

    public init(id: Int64, path: String, peaks: WaveformPeaks) {
        self.id = id
        self.path = path
        sampleRate = peaks.sampleRate
        samplesPerPixel = peaks.samplesPerPixel
        channels = peaks.channels
        length = peaks.pixelCount
        data = Data(peaks.packed).base64EncodedString()
    }

    /// The peaks back, or nil when `data` is not base64 of whole values.
    public var peaks: WaveformPeaks? {
        guard let bytes = Data(base64Encoded: data), bytes.count == length * channels * 4 else { return nil }
        return WaveformPeaks(samplesPerPixel: samplesPerPixel, sampleRate: sampleRate, channels: channels, packed: [UInt8](bytes))
    }
}

/// Params of `rescan`: one folder or file inside a root, or every root when absent.
public struct RescanParams: Codable, Sendable, Equatable {
    public var path: String?
    public init(path: String? = nil) { self.path = path }
}

/// The reply to `rescan`, once the walk is done (analysis may continue; call `sync` to wait).
public struct RescanReply: Codable, Sendable, Equatable {
    public var filesSeen: Int
    /// Files new or changed since they were indexed, now queued for analysis.
    public var queued: Int
    /// Rows queued for removal because their file is gone.
    public var removed: Int
    public var missingRoots: [String]

    public init(filesSeen: Int, queued: Int, removed: Int, missingRoots: [String]) {
        self.filesSeen = filesSeen
        self.queued = queued
        self.removed = removed
        self.missingRoots = missingRoots
    }
}

/// The reply to `sync`.
public struct SyncReply: Codable, Sendable, Equatable {
    /// True when a cookie file confirmed that the watcher had seen every earlier change;
    /// false when no root was writable and only the queue was drained.
    public var cookie: Bool
    public var waitedMs: Double

    public init(cookie: Bool, waitedMs: Double) {
        self.cookie = cookie
        self.waitedMs = waitedMs
    }
}
