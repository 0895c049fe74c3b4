import TradeOnly

/// Binance's error body: `{"code": -1121, "msg": "Invalid symbol."}`. Futures also sends
/// `{"code": 200, "msg": "…"}` on success (cancel-all): only negative codes are errors.
struct WireErrorBody {
    let code: Int
    let msg: String?

    /// Reads an error body, if `body` is one (small, an object, with an integer `code`, or a string of
    /// one); a `msg` that is not a string is left out.
    static func parse(_ body: Data) -> WireErrorBody? {
        guard !body.isEmpty, body.count <= 16_384, mayHoldCode(body) else { return nil }
        let parsed = try? JSONReader.read(body, options: .responses) { (reader: inout JSONReader) throws(JSONError) -> WireErrorBody? in
            var object = try reader.beginObject()
            var code: Int?
            var msg: String?
            while let key = try reader.nextKey(&object) {
                if key.matches("code") {
                    switch try reader.readToken() {
                    case .number(let bytes): code = JSONReader.int64(bytes).flatMap { Int(exactly: $0) }
                    case .string(let text): code = Int(text.string)
                    default: code = nil
                    }
                } else if key.matches("msg") {
                    msg = try reader.readToken().optionalString ?? nil
                } else {
                    try reader.skipValue()
                }
            }
            try reader.finish()
            return code.map { WireErrorBody(code: $0, msg: msg) }
        }
        return parsed ?? nil
    }

    /// Whether `body` is a JSON object (after white space) containing the bytes `"code"`: a cheap test,
    /// so that ordinary success bodies are not decoded twice.
    static func mayHoldCode(_ body: Data) -> Bool {
        body.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
            let count = raw.count
            var index = 0
            while index < count, base[index] == 0x20 || base[index] == 0x0A || base[index] == 0x0D || base[index] == 0x09 {
                index += 1
            }
            guard index < count, base[index] == UInt8(ascii: "{") else { return false }
            // Look for "code" (6 bytes: quote, c, o, d, e, quote).
            while index + 6 <= count {
                if base[index + 1] == UInt8(ascii: "c"), base[index] == UInt8(ascii: "\""),
                    base[index + 2] == UInt8(ascii: "o"), base[index + 3] == UInt8(ascii: "d"),
                    base[index + 4] == UInt8(ascii: "e"), base[index + 5] == UInt8(ascii: "\"")
                {
                    return true
                }
                index += 1
            }
            return false
        }
    }
}
