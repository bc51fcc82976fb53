/// Distinct strings of a column, numbered: code 0 stands for NULL.
struct CodeTable {
    private(set) var values: [String?] = [nil]
    private var codes: [String: UInt32] = [:]

    mutating func code(_ value: String?) -> UInt32 {
        guard let value else { return 0 }
        if let code = codes[value] { return code }
        let code = UInt32(values.count)
        values.append(value)
        codes[value] = code
        return code
    }

    func value(_ code: UInt32) -> String? { values[Int(code)] }
}
