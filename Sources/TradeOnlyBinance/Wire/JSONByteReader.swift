import TradeOnly

/// A strict, conservative JSON tokenizer over bytes, for the hot answers (order objects, exchange
/// info) where `JSONDecoder` costs far more than the work itself.
///
/// Every method returns `nil` (or `false`) for input it does not handle exactly as `JSONDecoder` would:
/// malformed JSON, a `\u` escape of anything but printable ASCII, a control character, invalid UTF-8,
/// nesting deeper than 64. Callers then decode with `JSONDecoder`, which produces the usual typed error.
struct JSONByteReader {
    /// A value's token.
    enum Token: Equatable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case nested
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether everything left is white space.
    mutating func atEnd() -> Bool {
        skipSpace()
        return index == bytes.count
    }

    mutating func skipSpace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    /// Consumes `byte` (after white space) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The next byte after white space, not consumed.
    mutating func peek() -> UInt8? {
        skipSpace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Reads `"key":` and returns the key's raw bytes (keys with escapes are refused).
    mutating func key() -> UnsafeBufferPointer<UInt8>? {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        var hasNonASCII = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] >= 0x20, bytes[index] != UInt8(ascii: "\\") else { return nil }
            if bytes[index] >= 0x80 { hasNonASCII = true }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if hasNonASCII, String(validating: key, as: UTF8.self) == nil { return nil }
        index += 1
        guard consume(UInt8(ascii: ":")) else { return nil }
        return key
    }

    /// Reads any value as a token (nested arrays and objects are skipped).
    mutating func value() -> Token? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string().map(Token.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "["), UInt8(ascii: "{"): return skipNested() ? .nested : nil
        default: return number().map(Token.number)
        }
    }

    /// Reads a string.
    mutating func string() -> String? {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        // The usual case: printable ASCII up to the closing quote, no escapes.
        let start = index
        while index < bytes.count, bytes[index] >= 0x20, bytes[index] < 0x7F, bytes[index] != UInt8(ascii: "\""),
            bytes[index] != UInt8(ascii: "\\")
        {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
        }
        var text: [UInt8] = Array(bytes[start..<index])
        var hasNonASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return hasNonASCII ? String(validating: text, as: UTF8.self) : String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count else { return nil }
                    var scalar: UInt32 = 0
                    for offset in 0..<4 {
                        guard let digit = Self.hexValue(bytes[index + offset]) else { return nil }
                        scalar = scalar << 4 | UInt32(digit)
                    }
                    index += 4
                    guard scalar >= 0x20 && scalar < 0x7F else { return nil }
                    text.append(UInt8(scalar))
                default:
                    return nil
                }
            case 0x00..<0x20:
                return nil
            default:
                if byte >= 0x80 { hasNonASCII = true }
                text.append(byte)
            }
        }
        return nil
    }

    /// Skips a string without building it, checking it as ``string()`` does.
    mutating func skipString() -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
        index += 1
        let start = index
        var hasNonASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard hasNonASCII else { return true }
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self) != nil
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return false }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): continue
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count else { return false }
                    var scalar: UInt32 = 0
                    for offset in 0..<4 {
                        guard let digit = Self.hexValue(bytes[index + offset]) else { return false }
                        scalar = scalar << 4 | UInt32(digit)
                    }
                    index += 4
                    guard scalar >= 0x20 && scalar < 0x7F else { return false }
                default:
                    return false
                }
            case 0x00..<0x20:
                return false
            default:
                if byte >= 0x80 { hasNonASCII = true }
            }
        }
        return false
    }

    /// Skips any value without building it.
    mutating func skipValue() -> Bool {
        skipSpace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "["), UInt8(ascii: "{"): return skipNested()
        default: return numberRange() != nil
        }
    }

    /// Reads a number's exact text: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    mutating func number() -> String? {
        guard let range = numberRange() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The bytes of a number, checked against the JSON grammar.
    private mutating func numberRange() -> Range<Int>? {
        skipSpace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard index - start <= 64 else { return nil }
        return start..<index
    }

    /// Skips an array or an object, checking its grammar completely, at most 64 levels deep.
    mutating func skipNested() -> Bool {
        skipNested(depth: 1)
    }

    private mutating func skipNested(depth: Int) -> Bool {
        guard depth <= 64 else { return false }
        skipSpace()
        guard index < bytes.count else { return false }
        let isObject = bytes[index] == UInt8(ascii: "{")
        guard isObject || bytes[index] == UInt8(ascii: "[") else { return false }
        index += 1
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if consume(close) { return true }
        while true {
            if isObject {
                guard skipString(), consume(UInt8(ascii: ":")) else { return false }
            }
            skipSpace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "{") {
                guard skipNested(depth: depth + 1) else { return false }
            } else {
                guard skipValue() else { return false }
            }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(close)
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
        index += count
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Whether raw key bytes spell `name`.
    static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard key.count == count else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: count)
        for offset in 0..<count where key[offset] != expected[offset] { return false }
        return true
    }
}

extension JSONByteReader.Token {
    /// A decimal the way `OptionalWireDecimal` reads one: `nil` for `null` or `""`, `.some` for a number
    /// or numeric string; `.none` of the outer optional when `JSONDecoder` would refuse it.
    var optionalDecimal: Decimal?? {
        switch self {
        case .null: return .some(nil)
        case .string(let text):
            if text.isEmpty { return .some(nil) }
            return Decimal(exactly: text).map { .some($0) }
        case .number(let text): return Decimal(exactly: text).map { .some($0) }
        default: return nil
        }
    }

    /// A boolean the way `decodeIfPresent(Bool.self)` reads one.
    var optionalBool: Bool?? {
        switch self {
        case .null: return .some(nil)
        case .bool(let flag): return .some(flag)
        default: return nil
        }
    }

    /// A string the way `decodeIfPresent(String.self)` reads one.
    var optionalString: String?? {
        switch self {
        case .null: return .some(nil)
        case .string(let text): return .some(text)
        default: return nil
        }
    }
}
