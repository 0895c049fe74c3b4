import TradeOnly

/// Writes request parameters as an RFC 3986 query straight into a byte buffer: the same bytes as
/// `RequestParameters.percentEncodedQuery` (UTF-8, every byte outside `A-Z a-z 0-9 - _ . ~` as `%XX`
/// with upper-case hex, a space as `%20`), without the intermediate strings.
enum BinanceQueryEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

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

    /// Appends `name=value&name=value…` to `bytes`.
    static func append(_ parameters: RequestParameters, to bytes: inout [UInt8]) {
        var first = true
        for item in parameters {
            if !first { bytes.append(UInt8(ascii: "&")) }
            first = false
            append(item.name, to: &bytes)
            bytes.append(UInt8(ascii: "="))
            append(item.value, to: &bytes)
        }
    }

    /// Appends one percent-encoded name or value.
    static func append(_ text: String, to bytes: inout [UInt8]) {
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
}
