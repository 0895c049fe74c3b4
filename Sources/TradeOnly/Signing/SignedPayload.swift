/// Strict readers of the exact query and body bytes a signer is about to sign.
///
/// They accept only what an exchange reads one way: every spelling another parser could read
/// differently is refused, never interpreted. A query is `name=value` pairs joined with `&`; a JSON
/// body is one flat object. Names are plain (`A-Z a-z 0-9 _ . -`, at most 64 bytes, never escaped);
/// values are visited with their raw bytes, and decoded only when a rule needs them.
package enum SignedPayload {
    /// Why a payload was refused, in plain words.
    package struct Refusal: Error, Sendable {
        package let reason: String
    }

    /// What a visited value is.
    package enum ValueKind: Sendable {
        /// A query value, percent-encoded.
        case percentEncoded
        /// A JSON string, with its escapes still in it.
        case jsonString
        /// A JSON number or `true`/`false`, as written.
        case jsonLiteral
    }

    /// Which raw bytes a query value may hold besides RFC 3986's unreserved set and `%XX`.
    package enum QueryAlphabet: Sendable {
        /// Unreserved characters and `%XX` only: what ``RequestParameters/percentEncodedQuery`` writes.
        case percentEncoded
        /// Also `,` and `:`, raw (Bybit signs the query exactly as sent and takes these unencoded).
        case percentEncodedWithCommaAndColon
    }

    /// The longest parameter name accepted, in bytes.
    package static let maximumNameLength = 64

    /// Calls `visit` for every `name=value` pair of a query or form body, in order.
    ///
    /// Refused: an empty pair (`&&`, a leading or trailing `&`), a pair without `=`, a name that is
    /// not plain (escaped, empty, too long, other characters), a raw byte in a value outside
    /// `alphabet` (a raw `+`, `=`, `;`, space or `&` inside a value), a malformed escape, and an
    /// escape for a control character.
    package static func visitQuery(
        _ bytes: ArraySlice<UInt8>, alphabet: QueryAlphabet,
        _ visit: (String, ArraySlice<UInt8>, ValueKind) throws -> Void
    ) throws {
        guard !bytes.isEmpty else { return }
        var index = bytes.startIndex
        while true {
            let nameStart = index
            while index < bytes.endIndex, isNameByte(bytes[index]) { index += 1 }
            let name = bytes[nameStart..<index]
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "=") else {
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: "%") {
                    throw Refusal(reason: "a parameter name is percent-encoded; names are signed only as plain text")
                }
                if name.isEmpty {
                    throw Refusal(reason: "the query has an empty parameter or a character no parameter name may have")
                }
                throw Refusal(reason: "the parameter '\(text(name))' has no '=' or an unusual character in its name")
            }
            try checkName(name)
            index += 1
            let valueStart = index
            while index < bytes.endIndex, bytes[index] != UInt8(ascii: "&") {
                let byte = bytes[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < bytes.endIndex,
                        let high = PercentEncoding.hexValue(bytes[index + 1]),
                        let low = PercentEncoding.hexValue(bytes[index + 2])
                    else {
                        throw Refusal(reason: "the value of '\(text(name))' has a malformed percent-escape")
                    }
                    let decoded = high << 4 | low
                    guard decoded >= 0x20, decoded != 0x7F else {
                        throw Refusal(reason: "the value of '\(text(name))' encodes a control character")
                    }
                    index += 3
                    continue
                }
                guard PercentEncoding.isUnreserved(byte)
                    || (alphabet == .percentEncodedWithCommaAndColon
                        && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")))
                else {
                    throw Refusal(
                        reason: "the value of '\(text(name))' has a raw character that must be percent-encoded "
                            + "(a raw '+', '=', ';', space or non-ASCII byte can be read in more than one way)")
                }
                index += 1
            }
            try visit(string(name), bytes[valueStart..<index], .percentEncoded)
            guard index < bytes.endIndex else { return }
            index += 1
            guard index < bytes.endIndex else {
                throw Refusal(reason: "the query ends with '&'")
            }
        }
    }

    /// Calls `visit` for every member of a flat JSON object, in order.
    ///
    /// Refused: anything but one object (with optional whitespace around tokens); a key with an
    /// escape or a character no parameter name has; a nested object or array; `null`; a number
    /// with an exponent, a leading zero, a leading `+` or a negative zero; a string with a raw
    /// control character, a malformed escape, a lone surrogate or invalid UTF-8; and anything after
    /// the object.
    package static func visitJSONObject(
        _ bytes: [UInt8], _ visit: (String, ArraySlice<UInt8>, ValueKind) throws -> Void
    ) throws {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            throw Refusal(reason: "the body is not one JSON object")
        }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw Refusal(reason: "the JSON body has a member without a quoted name")
                }
                index += 1
                let nameStart = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw Refusal(
                        reason: "a JSON member name is escaped or has a character no parameter name has; names are "
                            + "signed only as plain text")
                }
                let name = bytes[nameStart..<index]
                try checkName(name)
                index += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw Refusal(reason: "the JSON member '\(text(name))' has no ':'")
                }
                index += 1
                skipWhitespace()
                let value = try jsonValue(bytes, at: &index, name: name)
                try visit(string(name), value.bytes, value.kind)
                skipWhitespace()
                guard index < bytes.count else { throw Refusal(reason: "the JSON body ends inside the object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else {
                    throw Refusal(reason: "the JSON body has an unexpected character after '\(text(name))'")
                }
                index += 1
                break
            }
        }
        skipWhitespace()
        guard index == bytes.count else { throw Refusal(reason: "the JSON body has bytes after its object") }
    }

    /// The decoded text of a visited value: percent-escapes or JSON escapes resolved; a JSON literal
    /// as written. `nil` if the decoded bytes are not UTF-8.
    package static func decoded(_ value: ArraySlice<UInt8>, kind: ValueKind) -> String? {
        switch kind {
        case .jsonLiteral:
            return string(value)
        case .percentEncoded:
            guard value.contains(UInt8(ascii: "%")) else { return string(value) }
            guard let bytes = PercentEncoding.decodeOnce(Array(value)) else { return nil }
            return validUTF8(bytes)
        case .jsonString:
            guard value.contains(UInt8(ascii: "\\")) else { return string(value) }
            return validUTF8(unescapeJSON(value))
        }
    }

    // MARK: - Internals

    /// `bytes` as a string if they are valid UTF-8 (decoding replaces invalid sequences, so a string
    /// that does not give the same bytes back was not valid).
    static func validUTF8(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// The bytes as a string, through the contiguous fast path (they are checked bytes: plain names, or
    /// values whose escapes are resolved elsewhere).
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// `A-Z a-z 0-9 _ . -`.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func checkName(_ name: ArraySlice<UInt8>) throws {
        guard !name.isEmpty else { throw Refusal(reason: "a parameter has an empty name") }
        guard name.count <= maximumNameLength else {
            throw Refusal(reason: "a parameter name is longer than \(maximumNameLength) bytes")
        }
    }

    /// A name or value for a refusal message: at most 40 printable bytes.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        let shown = bytes.prefix(40).map { $0 >= 0x21 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }
        return String(decoding: shown, as: UTF8.self) + (bytes.count > 40 ? "…" : "")
    }

    private static func jsonValue(
        _ bytes: [UInt8], at index: inout Int, name: ArraySlice<UInt8>
    ) throws -> (bytes: ArraySlice<UInt8>, kind: ValueKind) {
        guard index < bytes.count else { throw Refusal(reason: "the JSON member '\(text(name))' has no value") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    let value = bytes[start..<index]
                    index += 1
                    return (value, .jsonString)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { break }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                        index += 1
                    case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        // A control character, escaped: refused as the query reader refuses %00–%1F.
                        throw Refusal(reason: "the value of '\(text(name))' encodes a control character")
                    case UInt8(ascii: "u"):
                        guard let unit = hex4(bytes, at: index + 1) else {
                            throw Refusal(reason: "the value of '\(text(name))' has a malformed \\u escape")
                        }
                        if unit < 0x20 || unit == 0x7F {
                            throw Refusal(reason: "the value of '\(text(name))' encodes a control character")
                        }
                        index += 5
                        if unit >= 0xDC00 && unit <= 0xDFFF {
                            throw Refusal(reason: "the value of '\(text(name))' has a lone surrogate escape")
                        }
                        if unit >= 0xD800 && unit <= 0xDBFF {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                                bytes[index + 1] == UInt8(ascii: "u"),
                                let low = hex4(bytes, at: index + 2), low >= 0xDC00 && low <= 0xDFFF
                            else {
                                throw Refusal(reason: "the value of '\(text(name))' has a lone surrogate escape")
                            }
                            index += 6
                        }
                    default:
                        throw Refusal(reason: "the value of '\(text(name))' has an unknown escape")
                    }
                case 0x00..<0x20, 0x7F:
                    throw Refusal(reason: "the value of '\(text(name))' has a raw control character")
                case 0x80...0xFF:
                    guard let next = utf8SequenceEnd(bytes, at: index) else {
                        throw Refusal(reason: "the value of '\(text(name))' is not valid UTF-8")
                    }
                    index = next
                default:
                    index += 1
                }
            }
            throw Refusal(reason: "the value of '\(text(name))' is an unterminated string")
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for literal in ["true", "false"] where bytes[index...].starts(with: literal.utf8) {
                let start = index
                index += literal.utf8.count
                return (bytes[start..<index], .jsonLiteral)
            }
            throw Refusal(reason: "the value of '\(text(name))' is not JSON")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            let integerDigits = index - integerStart
            guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
                throw Refusal(reason: "the number given for '\(text(name))' has a leading zero or no digits")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    index += 1
                }
                guard index > fractionStart else {
                    throw Refusal(reason: "the number given for '\(text(name))' has no digits after '.'")
                }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                throw Refusal(reason: "the number given for '\(text(name))' has an exponent; write it plainly")
            }
            let number = bytes[start..<index]
            guard number.count <= 40 else {
                throw Refusal(reason: "the number given for '\(text(name))' is longer than 40 characters")
            }
            if number.first == UInt8(ascii: "-"), number.dropFirst().allSatisfy({
                $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".")
            }) {
                throw Refusal(reason: "the number given for '\(text(name))' is a negative zero")
            }
            return (number, .jsonLiteral)
        case UInt8(ascii: "n"):
            throw Refusal(reason: "'\(text(name))' is null; leave a parameter out rather than send null")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw Refusal(reason: "'\(text(name))' holds a nested object or array, which TradeOnly does not sign")
        default:
            throw Refusal(reason: "the value of '\(text(name))' is not JSON")
        }
    }

    private static func hex4(_ bytes: [UInt8], at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = PercentEncoding.hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The index after the UTF-8 sequence starting at `index`, or `nil` if it is not a valid one
    /// (overlong forms, surrogates and values above U+10FFFF refused).
    private static func utf8SequenceEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return nil }
        return index + length
    }

    /// The bytes of a JSON string's content (already checked by `jsonValue`) with escapes resolved.
    private static func unescapeJSON(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        let bytes = Array(value)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(bytes, at: index) else { return output }
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF, let low = hex4(bytes, at: index + 2) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                if let unicode = Unicode.Scalar(scalar) {
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                }
            default: output.append(escaped)
            }
        }
        return output
    }
}
