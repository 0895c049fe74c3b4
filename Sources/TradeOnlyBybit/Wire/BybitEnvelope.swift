import Foundation
import TradeOnly

/// Bybit's answer: `{"retCode":0,"retMsg":"OK","result":{…},"retExtInfo":{},"time":1672211918471}`.
/// Decoded only after the error mapping accepted it (`retCode` 0).
struct BybitEnvelope<Result: Decodable>: Decodable {
    let result: Result
    /// The server's time when it answered, in milliseconds.
    let time: Int64?
}

/// A paginated list: `{"category":"linear","list":[…],"nextPageCursor":"…"}`.
struct BybitPage<Item: Decodable>: Decodable {
    let list: [Item]
    let nextPageCursor: String?

    private enum CodingKeys: String, CodingKey { case list, nextPageCursor }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        list = try container.decodeIfPresent([Item].self, forKey: .list) ?? []
        nextPageCursor = try container.decodeIfPresent(String.self, forKey: .nextPageCursor)
    }
}

/// An empty `result` (`{}`), or one whose contents are not needed.
struct BybitIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// Reading Bybit's wire values.
enum BybitWire {
    /// Decodes a successful answer's `result`, turning failures into typed errors.
    static func decode<Result: Decodable>(
        _ type: Result.Type, from response: HTTPResponse, what: String
    ) throws -> BybitEnvelope<Result> {
        try ResponseClassification.decode(
            BybitEnvelope<Result>.self, from: response, exchange: Bybit.exchangeName, what: what)
    }

    /// A time in milliseconds since 1970, written as a string (`"1684738540559"`); `nil` for `""`,
    /// `"0"` or anything that is not an integer.
    static func date(milliseconds text: String?) -> Date? {
        guard let text, let value = Int64(text), value > 0 else { return nil }
        return date(milliseconds: value)
    }

    /// A time in milliseconds since 1970.
    static func date(milliseconds value: Int64) -> Date {
        Date(timeIntervalSince1970: Double(value) / 1000)
    }

    /// `Buy`/`Sell`.
    static func side(_ text: String) -> OrderSide? {
        switch text {
        case "Buy": return .buy
        case "Sell": return .sell
        default: return nil
        }
    }

    /// The wire spelling of a side.
    static func wire(_ side: OrderSide) -> String {
        side == .buy ? "Buy" : "Sell"
    }

    /// A price or quantity for the wire: `value` in plain notation with exactly the decimal places of
    /// `step` (`0.010` for a step of `0.001`). The value must already be on the step's grid (orders are
    /// validated first), which makes rounding a no-op; a value off the grid is left to the instrument's
    /// own formatter, which rounds.
    static func number(_ value: Decimal, step: Decimal, otherwise fallback: () -> String) -> String {
        let places = step.scale
        let plain = value.plainString
        let fraction = plain.utf8.firstIndex(of: UInt8(ascii: ".")).map { plain.utf8.distance(from: $0, to: plain.utf8.endIndex) - 1 } ?? 0
        guard fraction <= places, plain != "NaN", !plain.hasPrefix("-") else { return fallback() }
        if fraction == places { return plain }
        return plain + (fraction == 0 ? "." : "") + String(repeating: "0", count: places - fraction)
    }

    static func decodingError(_ message: String) -> ExchangeError {
        ExchangeError(.decoding, message: message, exchange: Bybit.exchangeName)
    }
}
