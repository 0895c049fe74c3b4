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
        guard !body.isEmpty, body.count <= 16_384 else { return nil }
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{")
        else { return nil }
        // Cheap pre-check, so that ordinary success bodies are not decoded twice.
        guard body.firstRange(of: Data("\"code\"".utf8)) != nil else { return nil }
        return try? JSONDecoder().decode(WireErrorBody.self, from: body)
    }
}
