import Foundation

/// Splits text into search tokens the way the full-text table's `unicode61 remove_diacritics 2`
/// tokenizer does: runs of letters, numbers, private-use characters and combining marks, lower-cased,
/// with diacritics removed. The in-memory columns use it for names and for the words of a query, so
/// both sides fold the same way.
enum TextTokens {
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            // The common case: names in ASCII, folded byte by byte.
            var current: [UInt8] = []
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
                default:
                    if !current.isEmpty {
                        tokens.append(String(decoding: current, as: UTF8.self))
                        current.removeAll(keepingCapacity: true)
                    }
                }
            }
            if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
            return tokens
        }
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isTokenCharacter(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(fold(String(current)))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(fold(String(current))) }
        return tokens.filter { !$0.isEmpty }
    }

    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse, .nonspacingMark:
            return true
        default:
            return false
        }
    }

    /// Lower case without combining marks ("Café" -> "cafe").
    private static func fold(_ token: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in token.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
