/// RFC 3986 percent-encoding and -decoding on UTF-8 bytes, shared by query building, path
/// normalisation and redaction.
enum PercentEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether `byte` is in RFC 3986's unreserved set: `A-Z a-z 0-9 - _ . ~`.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes every byte of the UTF-8 form of `string` outside the unreserved set, with
    /// upper-case hex digits. A space becomes `%20`, never `+`.
    static func encode(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The value of an ASCII hex digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Decodes one layer of percent-escapes. Returns `nil` if a `%` is not followed by two hex digits.
    /// `+` is left as it is (it means a space only in form bodies, not in paths).
    static func decodeOnce(_ bytes: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                      let high = hexValue(bytes[index + 1]),
                      let low = hexValue(bytes[index + 2])
                else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    /// Decodes percent-escapes layer after layer, leaving malformed escapes as they are. Used only to
    /// describe refused input safely, never to decide anything.
    static func bestEffortDecode(_ bytes: [UInt8], maximumLayers: Int = 8) -> [UInt8] {
        var current = bytes
        for _ in 0..<maximumLayers {
            var output: [UInt8] = []
            output.reserveCapacity(current.count)
            var index = 0
            var changed = false
            while index < current.count {
                let byte = current[index]
                if byte == UInt8(ascii: "%"), index + 2 < current.count,
                   let high = hexValue(current[index + 1]), let low = hexValue(current[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    changed = true
                } else {
                    output.append(byte)
                    index += 1
                }
            }
            current = output
            if !changed { break }
        }
        return current
    }
}
