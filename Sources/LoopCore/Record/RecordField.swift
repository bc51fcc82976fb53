/// One fact of a `SampleRecord`: its key on the wire, the column the index reads it from,
/// and where its value comes from when a file is stored. `SampleRecord.fields` lists them
/// all; the record's coding, its fast JSON writer, the index's row reader and the
/// index's writer are each driven by that one list.
public struct RecordField: Sendable {
    /// Where the index gets a field's value when it stores a file.
    public enum Source: Sendable, Equatable {
        /// Measured or read from the file by the analysis (`AudioAnalysis`).
        case analysis
        /// Decided from the evidence (`SampleVerdict`); derived again when the file's path changes.
        case verdict
        /// Kept by the index itself (identity, timestamps, users' data).
        case index
    }

    /// The key on the wire, and the column's name unless `column` says otherwise.
    public let name: String
    /// The SQL expression the index reads the field from; nil for a field the index fills from other tables.
    public let column: String?
    public let source: Source
    /// Whether a decoded record must carry the field.
    let required: Bool
    let encode: @Sendable (SampleRecord, inout KeyedEncodingContainer<RecordCodingKey>) throws -> Void
    let decode: @Sendable (inout SampleRecord, KeyedDecodingContainer<RecordCodingKey>) throws -> Void
    let write: @Sendable (SampleRecord, inout String) -> Void
    /// Sets the field from the value of its column.
    public let read: (@Sendable (inout SampleRecord, StoredValue) -> Void)?
    /// The value to store from a file's analysis (nil when the file could not be decoded).
    public let storedFromAnalysis: (@Sendable (AudioAnalysis?) -> StoredValue)?
    /// The value to store from the file's verdict.
    public let storedFromVerdict: (@Sendable (SampleVerdict) -> StoredValue)?

    /// `,"name":` (the writer's separator and key), escaped once.
    let jsonKey: String

    /// `get` and `set` reach the field: closures, not a key path, because going through a key path
    /// costs a call into the runtime per field (reading a struct through one copies it first): the
    /// JSON writer took 1.7 times as long, and searches through the socket slowed with it.
    private init<Value: RecordValue>(
        name: String, column: String?, source: Source, required: Bool,
        get: @escaping @Sendable (SampleRecord) -> Value, set: @escaping @Sendable (inout SampleRecord, Value) -> Void,
        read: (@Sendable (inout SampleRecord, StoredValue) -> Void)?,
        storedFromAnalysis: (@Sendable (AudioAnalysis?) -> StoredValue)? = nil,
        storedFromVerdict: (@Sendable (SampleVerdict) -> StoredValue)? = nil
    ) {
        self.name = name
        self.column = column
        self.source = source
        self.required = required
        self.read = read
        self.storedFromAnalysis = storedFromAnalysis
        self.storedFromVerdict = storedFromVerdict
        jsonKey = "," + JSONLiteral.string(name) + ":"
        let key = RecordCodingKey(name)
        encode = { record, container in try container.encode(get(record), forKey: key) }
        decode = { record, container in
            if let value = try container.decodeIfPresent(Value.self, forKey: key) {
                set(&record, value)
            } else if required {
                throw DecodingError.keyNotFound(key, .init(codingPath: container.codingPath, debugDescription: "A record needs its \(name)."))
            }
        }
        write = { record, output in get(record).writeJSON(to: &output) }
    }

    private static func reader<Value: StorableValue>(_ set: @escaping @Sendable (inout SampleRecord, Value) -> Void) -> @Sendable (inout SampleRecord, StoredValue) -> Void {
        { record, stored in
            if let value = Value(storedValue: stored) { set(&record, value) }
        }
    }

    /// A fact the analysis measured or read from the file, stored in the column `name`.
    public static func analysis<Value: StorableValue>(
        _ name: String, _ get: @escaping @Sendable (SampleRecord) -> Value, _ set: @escaping @Sendable (inout SampleRecord, Value) -> Void,
        from analysis: KeyPath<AudioAnalysis, Value> & Sendable
    ) -> RecordField {
        RecordField(
            name: name, column: name, source: .analysis, required: false, get: get, set: set, read: reader(set),
            storedFromAnalysis: { $0?[keyPath: analysis].storedValue ?? .null }
        )
    }

    /// A fact the analysis always has for a decoded file, unknown for a file that could not be decoded.
    public static func analysis<Value: StorableValue>(
        _ name: String, _ get: @escaping @Sendable (SampleRecord) -> Value?, _ set: @escaping @Sendable (inout SampleRecord, Value?) -> Void,
        from analysis: KeyPath<AudioAnalysis, Value> & Sendable
    ) -> RecordField {
        RecordField(
            name: name, column: name, source: .analysis, required: false, get: get, set: set, read: reader(set),
            storedFromAnalysis: { $0?[keyPath: analysis].storedValue ?? .null }
        )
    }

    /// A value decided from the evidence, stored in the column `name`.
    public static func verdict<Value: StorableValue>(
        _ name: String, _ get: @escaping @Sendable (SampleRecord) -> Value, _ set: @escaping @Sendable (inout SampleRecord, Value) -> Void,
        from verdict: KeyPath<SampleVerdict, Value> & Sendable
    ) -> RecordField {
        RecordField(
            name: name, column: name, source: .verdict, required: false, get: get, set: set, read: reader(set),
            storedFromVerdict: { $0[keyPath: verdict].storedValue }
        )
    }

    /// A value the index keeps, read from `column` (an SQL expression over the `file` table).
    public static func index<Value: StorableValue>(
        _ name: String, _ get: @escaping @Sendable (SampleRecord) -> Value, _ set: @escaping @Sendable (inout SampleRecord, Value) -> Void,
        column: String? = nil, required: Bool = false
    ) -> RecordField {
        RecordField(name: name, column: column ?? name, source: .index, required: required, get: get, set: set, read: reader(set))
    }

    /// A value the index fills from elsewhere than one column (other tables, several columns).
    public static func filledByIndex<Value: RecordValue>(
        _ name: String, _ get: @escaping @Sendable (SampleRecord) -> Value, _ set: @escaping @Sendable (inout SampleRecord, Value) -> Void
    ) -> RecordField {
        RecordField(name: name, column: nil, source: .index, required: false, get: get, set: set, read: nil)
    }
}

/// A record's keys on the wire, named by its fields.
public struct RecordCodingKey: CodingKey, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
