import GRDB
import LoopCore

/// Record values reach SQLite through GRDB's own conversions.
extension StoredValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case let .integer(value): return value.databaseValue
        case let .real(value): return value.databaseValue
        case let .text(value): return value.databaseValue
        }
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredValue? {
        StoredValue(dbValue)
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case let .int64(value): self = .integer(value)
        case let .double(value): self = .real(value)
        case let .string(value): self = .text(value)
        case let .blob(data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}

// Domain values are stored as their raw text.
extension SampleType: DatabaseValueConvertible {}
extension EvidenceSource: DatabaseValueConvertible {}
extension AudioFormat: DatabaseValueConvertible {}
