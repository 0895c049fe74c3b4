import Foundation
import TradeOnly

/// `GET /v5/market/time`: `{"timeSecond":"1688639403","timeNano":"1688639403423213947"}`.
struct WireServerTime: Decodable {
    let timeSecond: String?
    let timeNano: String?

    /// The time, from `timeNano` (or `timeSecond` if that is missing).
    var date: Date? {
        if let nano = timeNano.flatMap({ Int64($0) }), nano > 0 {
            let milliseconds = nano / 1_000_000
            let rest = nano % 1_000_000
            return Date(timeIntervalSince1970: Double(milliseconds) / 1000 + Double(rest) / 1e9)
        }
        if let seconds = timeSecond.flatMap({ Int64($0) }), seconds > 0 {
            return Date(timeIntervalSince1970: Double(seconds))
        }
        return nil
    }

    static func decode(_ response: HTTPResponse) throws -> Date {
        let envelope = try BybitWire.decode(WireServerTime.self, from: response, what: "server time")
        guard let date = envelope.result.date else {
            throw BybitWire.decodingError("Bybit's server time has neither a timeNano nor a timeSecond")
        }
        return date
    }
}
