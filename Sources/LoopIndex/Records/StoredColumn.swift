import LoopCore

/// Everything a stored row is made from.
struct StoredFacts {
    let file: AnalysedFile
    let relativePath: String
    let timestamp: Double
    let evidence: SampleVerdict.AudioEvidence
    let verdict: SampleVerdict
    let take: TakeFields?
}

/// One column `IndexWrites` fills when it stores a file: its name and its value. `all` lists
/// them once, and the INSERT, its placeholders and its UPDATE come from that list.
struct StoredColumn: Sendable {
    let name: String
    let value: @Sendable (StoredFacts) -> StoredValue
    /// Whether a row stored again keeps its first value (when it was first indexed).
    var keptOnUpdate = false

    /// The columns the index keeps itself, those of the record's analysed and decided fields,
    /// and the evidence the verdict is derived from.
    static let all: [StoredColumn] = {
        var columns: [StoredColumn] = [
            StoredColumn(name: "path") { $0.file.path.storedValue },
            StoredColumn(name: "root") { $0.file.root.storedValue },
            StoredColumn(name: "relativePath") { $0.relativePath.storedValue },
            StoredColumn(name: "device") { .integer(Int64(bitPattern: $0.file.stat.device)) },
            StoredColumn(name: "inode") { .integer(Int64(bitPattern: $0.file.stat.inode)) },
            StoredColumn(name: "size") { $0.file.stat.size.storedValue },
            StoredColumn(name: "mtimeNs") { $0.file.stat.mtimeNs.storedValue },
            StoredColumn(name: "ownerUid") { .integer(Int64($0.file.stat.owner)) },
            StoredColumn(name: "hash") { $0.file.hash.storedValue },
            StoredColumn(name: "error") { $0.file.error.storedValue },
            StoredColumn(name: "analysisVersion") { $0.file.analysisVersion.storedValue },
            StoredColumn(name: "addedAt", value: { $0.timestamp.storedValue }, keptOnUpdate: true),
            StoredColumn(name: "analyzedAt") { $0.timestamp.storedValue },
            StoredColumn(name: "frames") { $0.file.audio?.frames.storedValue ?? .null },
        ]
        for (index, name) in RecordColumns.takeColumns.enumerated() {
            columns.append(StoredColumn(name: name) { RecordColumns.takeValues($0.take)[index].storedValue })
        }
        for field in SampleRecord.fields {
            if let stored = field.storedFromAnalysis {
                columns.append(StoredColumn(name: field.name) { stored($0.file.audio) })
            } else if let stored = field.storedFromVerdict {
                columns.append(StoredColumn(name: field.name) { stored($0.verdict) })
            }
        }
        for column in EvidenceColumn.all where !columns.contains(where: { $0.name == column.name }) {
            columns.append(StoredColumn(name: column.name) { column.stored($0.evidence) })
        }
        return columns
    }()

    /// Inserts the row, or rewrites every column of the row at the same path but its id and
    /// `addedAt` (and what users attached to it), returning its id.
    static let upsert: String = {
        let names = all.map(\.name)
        let updates = all.filter { !$0.keptOnUpdate && $0.name != "path" }.map { "\($0.name) = excluded.\($0.name)" }
        return """
            INSERT INTO file (\(names.joined(separator: ", ")))
            VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT(path) DO UPDATE SET \((updates + ["missingSince = NULL"]).joined(separator: ", "))
            RETURNING id
            """
    }()
}
