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
                guard
                    PercentEncoding.isUnreserved(byte)
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
    /// The body is read by the core ``JSONReader`` in its ``JSONReader/Options/strict`` mode, which refuses
    /// duplicate names, escaped names, exponents, negative zero, control characters (raw or escaped), a
    /// lone surrogate, invalid UTF-8, a byte order mark and anything after the object. On top of that, a
    /// name must be plain (`A-Z a-z 0-9 _ . -`, at most 64 bytes), a value may not be `null`, a nested
    /// object or array, or a number longer than 40 characters.
    package static func visitJSONObject(
        _ bytes: [UInt8], _ visit: (String, ArraySlice<UInt8>, ValueKind) throws -> Void
    ) throws {
        var member: ArraySlice<UInt8>?
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var reader = try JSONReader(buffer, options: .strict)
                guard (try? reader.peekKind()) == .object else { throw Refusal(reason: "the body is not one JSON object") }
                var object = try reader.beginObject()
                while true {
                    member = nil
                    guard let key = try reader.nextKey(&object) else { break }
                    let name = bytes[(key.offset + 1)..<(key.offset + 1 + key.raw.count)]
                    guard name.allSatisfy(isNameByte) else {
                        throw Refusal(
                            reason: "a JSON member name is escaped or has a character no parameter name has; names are "
                                + "signed only as plain text")
                    }
                    try checkName(name)
                    member = name
                    switch try reader.peekKind() {
                    case .string:
                        let value = try reader.readStringBytes()
                        try visit(string(name), bytes[value.range], .jsonString)
                    case .number:
                        let start = reader.offset
                        let number = try reader.readNumberBytes()
                        guard number.count <= 40 else {
                            throw Refusal(reason: "the number given for '\(text(name))' is longer than 40 characters")
                        }
                        try visit(string(name), bytes[start..<reader.offset], .jsonLiteral)
                    case .bool:
                        let start = reader.offset
                        _ = try reader.readBool()
                        try visit(string(name), bytes[start..<reader.offset], .jsonLiteral)
                    case .null:
                        throw Refusal(reason: "'\(text(name))' is null; leave a parameter out rather than send null")
                    case .object, .array:
                        throw Refusal(
                            reason: "'\(text(name))' holds a nested object or array, which TradeOnly does not sign")
                    }
                }
                try reader.finish()
            }
        } catch let error as JSONError {
            throw Refusal(reason: refusalReason(error, member: member))
        }
    }

    /// A strict reader's refusal in the signing gate's words.
    private static func refusalReason(_ error: JSONError, member: ArraySlice<UInt8>?) -> String {
        let value = member.map { "the value of '\(text($0))'" } ?? "the JSON body"
        let number = member.map { "the number given for '\(text($0))'" } ?? "a number in the JSON body"
        switch error.reason {
        case .escapedKey:
            return "a JSON member name is escaped or has a character no parameter name has; names are signed only as plain text"
        case .duplicateKey:
            return "the JSON body has the same member name twice (byte \(error.offset))"
        case .exponent: return "\(number) has an exponent; write it plainly"
        case .negativeZero: return "\(number) is a negative zero"
        case .invalidNumber: return "\(number) has a leading zero or no digits (byte \(error.offset))"
        case .controlCharacter: return "\(value) has or encodes a control character"
        case .loneSurrogate: return "\(value) has a lone surrogate escape"
        case .invalidUTF8: return "\(value) is not valid UTF-8"
        case .invalidEscape: return "\(value) has a malformed or unknown escape"
        case .trailingBytes: return "the JSON body has bytes after its object"
        case .unexpectedEnd: return "the JSON body ends inside the object"
        case .byteOrderMark: return "the JSON body starts with a byte order mark"
        default: return "the JSON body is not well-formed: \(error)"
        }
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
            return validUTF8(value.withUnsafeBufferPointer { JSONReader.unescape($0) })
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
}
