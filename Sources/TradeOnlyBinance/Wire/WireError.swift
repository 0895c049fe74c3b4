import TradeOnly

/// Binance's error body: `{"code": -1121, "msg": "Invalid symbol."}`. Futures also sends
/// `{"code": 200, "msg": "…"}` on success (cancel-all): only negative codes are errors.
struct WireErrorBody: Decodable {
    let code: Int
    let msg: String?

    private enum CodingKeys: String, CodingKey { case code, msg }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decode(Int.self, forKey: .code) {
            code = number
        } else if let text = try? container.decode(String.self, forKey: .code), let number = Int(text) {
            code = number
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .code, in: container, debugDescription: "no integer error code")
        }
        msg = (try? container.decodeIfPresent(String.self, forKey: .msg)) ?? nil
    }

    /// Reads an error body, if `body` is one (small, an object, with an integer `code`).
    static func parse(_ body: Data) -> WireErrorBody? {
        guard !body.isEmpty, body.count <= 16_384, mayHoldCode(body) else { return nil }
        return try? JSONDecoder().decode(WireErrorBody.self, from: body)
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
