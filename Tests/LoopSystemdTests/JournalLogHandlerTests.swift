import Foundation
import Logging
import LoopSystemd
import LoopTestSupport
import Testing

/// The journald native protocol, received on a socket the test binds in journald's place.
@Suite struct JournalLogHandlerTests {
    let folder = TemporaryDirectory("journal")

    /// Parses a native-protocol datagram into fields (both the `NAME=value` and the length-prefixed forms).
    static func fields(_ datagram: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < datagram.count {
            guard let lineEnd = datagram[index...].firstIndex(of: 0x0A) else { break }
            let line = datagram[index..<lineEnd]
            if let equals = line.firstIndex(of: 0x3D) {
                fields[String(decoding: line[..<equals], as: UTF8.self)] = String(decoding: line[(equals + 1)...], as: UTF8.self)
                index = lineEnd + 1
            } else {
                let name = String(decoding: line, as: UTF8.self)
                let lengthStart = lineEnd + 1
                guard lengthStart + 8 <= datagram.count else { break }
                let length = datagram[lengthStart..<(lengthStart + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
                let valueStart = lengthStart + 8
                fields[name] = String(decoding: datagram[valueStart..<(valueStart + length)], as: UTF8.self)
                index = valueStart + length + 1
            }
        }
        return fields
    }

    @Test func entriesCarryPriorityMessageAndMetadataFields() throws {
        let receiver = try DatagramReceiver(path: folder.path + "/journal.sock")
        let socket = try #require(JournalSocket(path: receiver.path))
        let logger = Logger(label: "loopd") { label in
            JournalLogHandler(label: label, identifier: "loopd", destination: .journal(socket))
        }
        logger.error("Could not decode\na file", metadata: ["path": "/lib/Kick 01.wav", "root": "/lib", "analyzer": "key", "error-code": "-32004"])
        let entry = Self.fields(try #require(receiver.receive(timeout: 5)))
        #expect(entry["MESSAGE"] == "Could not decode\na file", "a multi-line message uses the length-prefixed form")
        #expect(entry["PRIORITY"] == "3")
        #expect(entry["SYSLOG_IDENTIFIER"] == "loopd")
        #expect(entry["PATH"] == "/lib/Kick 01.wav" && entry["ROOT"] == "/lib" && entry["ANALYZER"] == "key" && entry["ERROR_CODE"] == "-32004")
        #expect(entry["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true && entry["CODE_LINE"] != nil)

        logger.notice("Plain")
        let notice = Self.fields(try #require(receiver.receive(timeout: 5)))
        #expect(notice["PRIORITY"] == "5" && notice["MESSAGE"] == "Plain")
    }

    @Test func fieldNamesAreWhatJournaldAccepts() {
        #expect(JournalSocket.fieldName("path") == "PATH")
        #expect(JournalSocket.fieldName("error-code") == "ERROR_CODE")
        #expect(JournalSocket.fieldName("_trusted") == "TRUSTED")
        #expect(JournalSocket.fieldName("2nd try") == "ND_TRY")
        #expect(JournalSocket.fieldName("été") == "T_")
    }

    @Test func stderrIsTheJournalOnlyWhenJournalStreamNamesIt() {
        #expect({ if case .standardError = JournalLogHandler.detectDestination(environment: [:]) { return true } else { return false } }())
        #expect({ if case .standardError = JournalLogHandler.detectDestination(environment: ["JOURNAL_STREAM": "1:2"]) { return true } else { return false } }())
        #expect(JournalLogHandler.priority(of: .warning) == 4 && JournalLogHandler.priority(of: .debug) == 7)
    }
}
