/// RFC 3986 percent-encoding and -decoding on UTF-8 bytes, and hex digits: the one implementation
/// shared by query building (every module's request encoding), path normalisation and redaction.
package enum PercentEncoding {
    /// Upper-case hex digits, as percent-escapes write them.
    package static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether each byte value is in RFC 3986's unreserved set.
    private static let unreserved: [Bool] = (0...255).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Whether `byte` is in RFC 3986's unreserved set: `A-Z a-z 0-9 - _ . ~`.
    package static func isUnreserved(_ byte: UInt8) -> Bool {
        unreserved[Int(byte)]
    }

    /// Whether `byte` is an ASCII hex digit (either case).
    package static func isHexDigit(_ byte: UInt8) -> Bool {
        hexValue(byte) != nil
    }

    /// Percent-encodes every byte of the UTF-8 form of `string` outside the unreserved set, with
    /// upper-case hex digits. A space becomes `%20`, never `+`.
    package static func encode(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        append(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the percent-encoded UTF-8 form of `text` to `bytes` (the same bytes as ``encode(_:)``),
    /// without intermediate strings.
    package static func append(_ text: String, to bytes: inout [UInt8]) {
        // Names and values are usually all unreserved: copy them whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for byte in utf8 where !unreserved[Int(byte)] { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true { return }
        for byte in text.utf8 {
            if unreserved[Int(byte)] {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// Appends `name=value&name=value…`, every name and value percent-encoded, to `bytes`: the same
    /// bytes as ``RequestParameters/percentEncodedQuery``.
    package static func appendQuery(_ parameters: RequestParameters, to bytes: inout [UInt8]) {
        var first = true
        for item in parameters {
            if !first { bytes.append(UInt8(ascii: "&")) }
            first = false
            append(item.name, to: &bytes)
            bytes.append(UInt8(ascii: "="))
            append(item.value, to: &bytes)
        }
    }

    /// The value of an ASCII hex digit, or `nil`.
    package static func hexValue(_ byte: UInt8) -> UInt8? {
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
                    let high = hexValue(current[index + 1]), let low = hexValue(current[index + 2])
                {
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
