/// Notes at one tempo, written as a Standard MIDI File (format 0) for a
/// synthesiser to render: the generated packs' score, so tempo, key, bars and
/// root are known exactly.
public struct MIDISequence: Sendable {
    public struct Note: Sendable {
        /// 0...15; 9 is General MIDI's percussion channel.
        public var channel: Int
        public var key: Int
        public var velocity: Int
        /// In beats from the start; may be slightly negative after humanising, and is then clamped.
        public var start: Double
        public var length: Double

        public init(channel: Int, key: Int, velocity: Int, start: Double, length: Double) {
            self.channel = channel
            self.key = key
            self.velocity = velocity
            self.start = start
            self.length = length
        }
    }

    public var bpm: Double
    /// General MIDI program per melodic channel.
    public var programs: [Int: Int] = [:]
    public var notes: [Note] = []
    /// The sequence lasts at least this many beats, so a synthesiser renders release and reverb tails.
    public var endBeat: Double = 0

    static let ticksPerBeat = 960

    public init(bpm: Double) {
        self.bpm = bpm
    }

    /// The file's bytes.
    public func midiFile() -> [UInt8] {
        struct Event {
            var tick: Int
            /// Note-offs sort before note-ons at the same tick, so repeated notes sound.
            var order: Int
            var bytes: [UInt8]
        }
        func ticks(_ beats: Double) -> Int { max(0, Int((beats * Double(Self.ticksPerBeat)).rounded())) }
        var events: [Event] = []
        let microsecondsPerBeat = Int((60_000_000 / bpm).rounded())
        events.append(Event(tick: 0, order: 0, bytes: [0xFF, 0x51, 0x03, UInt8(microsecondsPerBeat >> 16 & 0xFF), UInt8(microsecondsPerBeat >> 8 & 0xFF), UInt8(microsecondsPerBeat & 0xFF)]))
        for (channel, program) in programs.sorted(by: { $0.key < $1.key }) {
            events.append(Event(tick: 0, order: 1, bytes: [0xC0 | UInt8(channel & 0x0F), UInt8(program & 0x7F)]))
        }
        var last = 0
        for note in notes {
            let on = ticks(note.start), off = max(on + 1, ticks(note.start + note.length))
            let channel = UInt8(note.channel & 0x0F), key = UInt8(max(0, min(127, note.key))), velocity = UInt8(max(1, min(127, note.velocity)))
            events.append(Event(tick: on, order: 3, bytes: [0x90 | channel, key, velocity]))
            events.append(Event(tick: off, order: 2, bytes: [0x80 | channel, key, 0]))
            last = max(last, off)
        }
        // A controller change no one hears holds the song open until the tail has rung out.
        let end = max(last, ticks(endBeat))
        events.append(Event(tick: end, order: 4, bytes: [0xBF, 0x50, 0x00]))
        events.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        var track: [UInt8] = []
        var tick = 0
        for event in events {
            track += Self.variableLength(event.tick - tick)
            track += event.bytes
            tick = event.tick
        }
        track += [0x00, 0xFF, 0x2F, 0x00]
        var file: [UInt8] = Array("MThd".utf8) + Self.bigEndian(6, bytes: 4) + [0, 0, 0, 1] + Self.bigEndian(Self.ticksPerBeat, bytes: 2)
        file += Array("MTrk".utf8) + Self.bigEndian(track.count, bytes: 4) + track
        return file
    }

    static func variableLength(_ value: Int) -> [UInt8] {
        var value = max(0, value)
        var bytes = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            bytes.insert(UInt8(value & 0x7F) | 0x80, at: 0)
            value >>= 7
        }
        return bytes
    }

    static func bigEndian(_ value: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(value >> ($0 * 8) & 0xFF) }
    }
}
