import Foundation

/// The head of a Bybit response, `{"retCode": …, "retMsg": "…", …}`, read without decoding the rest.
///
/// Every Bybit answer is classified by its `retCode` before it is decoded; a full `JSONDecoder` pass
/// just for that would read large answers (2,000 instruments) twice. This scanner walks the top-level
/// object only, skips nested values byte by byte, and stops as soon as it has both fields (Bybit
/// writes them first).
struct BybitEnvelopeHead: Sendable, Hashable {
    /// The `retCode`, if the object has an integer one.
    var retCode: Int?
    /// The `retMsg`, if the object has a string one.
    var retMessage: String?
}

enum BybitEnvelopeScanner {
    /// Reads `retCode` and `retMsg` from a JSON object, or returns `nil` if the bytes are not a JSON
    /// object (an HTML page, plain text, a truncated body).
    static func scan(_ data: Data) -> BybitEnvelopeHead? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.head()
        }
    }

    /// Reads an order acknowledgement, `{"result":{"orderId":"…","orderLinkId":"…"},"time":…}`, in one
    /// pass without a `JSONDecoder`; `nil` if the bytes are not of that shape (the caller then decodes
    /// them the ordinary way, for a typed error).
    static func orderAcknowledgement(_ data: Data) -> (orderId: String, orderLinkId: String?, time: Int64?)? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.acknowledgement()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func head() -> BybitEnvelopeHead? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var head = BybitEnvelopeHead()
            skipSpace()
            if take(UInt8(ascii: "}")) { return head }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                if key == "retCode", let code = integer() {
                    head.retCode = code
                } else if key == "retMsg", peek == UInt8(ascii: "\"") {
                    guard let message = string() else { return nil }
                    head.retMessage = message
                } else {
                    guard skipValue() else { return nil }
                }
                if head.retCode != nil && head.retMessage != nil { return head }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                if take(UInt8(ascii: "}")) { return head }
                return nil
            }
        }

        mutating func acknowledgement() -> (orderId: String, orderLinkId: String?, time: Int64?)? {
            var orderId: String?
            var orderLinkId: String?
            var time: Int64?
            let complete = object { scanner, key in
                if key == "result", scanner.peek == UInt8(ascii: "{") {
                    return scanner.object { inner, field in
                        if field == "orderId" || field == "orderLinkId", inner.peek == UInt8(ascii: "\"") {
                            guard let value = inner.string() else { return false }
                            if field == "orderId" { orderId = value } else { orderLinkId = value }
                            return true
                        }
                        return inner.skipValue()
                    }
                }
                if key == "time", let value = scanner.integer() {
                    time = Int64(value)
                    return true
                }
                return scanner.skipValue()
            }
            guard complete, let orderId, !orderId.isEmpty else { return nil }
            return (orderId, orderLinkId, time)
        }

        /// Walks one object, handing each key to `member`, which must consume the value; `false` if
        /// the object is malformed or `member` says so.
        mutating func object(_ member: (inout Scanner, String) -> Bool) -> Bool {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipSpace()
                guard let key = string() else { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard member(&self, key) else { return false }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        /// An optional `-` and up to 18 digits; `nil` (and the index unchanged) for anything else.
        mutating func integer() -> Int? {
            let start = index
            var negative = false
            if take(UInt8(ascii: "-")) { negative = true }
            var value = 0
            var digits = 0
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                guard digits < 18 else { index = start; return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            if let byte = peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                index = start
                return nil
            }
            guard digits > 0 else { index = start; return nil }
            return negative ? -value : value
        }

        /// A JSON string, escapes decoded (`\uXXXX` outside the BMP becomes U+FFFD).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var output: [UInt8] = []
            while let byte = peek {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: output, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { return nil }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
                        else { return nil }
                        index += 4
                        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                        output.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: output.append(escaped)
                    }
                default:
                    output.append(byte)
                }
            }
            return nil
        }

        /// Skips one JSON value of any kind; `false` if the bytes end first.
        mutating func skipValue() -> Bool {
            guard let first = peek else { return false }
            if first == UInt8(ascii: "\"") { return skipString() }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                var depth = 0
                while let byte = peek {
                    switch byte {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return false
            }
            // A number or a literal: up to the next delimiter.
            let start = index
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"),
                byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09
            {
                index += 1
            }
            return index > start
        }

        mutating func skipString() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            while let byte = peek {
                index += 1
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    return true
                }
            }
            return false
        }
    }
}
