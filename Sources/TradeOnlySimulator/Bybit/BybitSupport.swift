import Foundation
import TradeOnly

/// A Bybit error: `retCode` and `retMsg`, normally with HTTP 200.
struct BybitError: Error, Sendable {
    var code: Int
    var message: String
    var status = 200

    init(_ code: Int, _ message: String, status: Int = 200) {
        self.code = code
        self.message = message
        self.status = status
    }

    static func parameter(_ message: String) -> BybitError {
        BybitError(10001, message)
    }

    static func missing(_ name: String) -> BybitError {
        BybitError(10001, "Missing some parameters that must be filled in, please check the parameter. (\(name))")
    }

    static let permissionDenied = BybitError(10005, "Permission denied, please check your API key permissions.")
    static let orderNotFound = BybitError(110001, "Order does not exist.")
}

/// The parts of a Bybit request every handler needs: query parameters for GET, the JSON body for POST.
struct BybitCall {
    var request: SimulatorRequest
    var query: FormParameters
    var body: [(String, JSONValue)]
    var context: RequestContext
    var key: SimulatedKey?

    var now: Date { context.serverDate }
    var account: String { key?.account ?? "" }

    /// A parameter as text: a query value, or a JSON string, number or boolean from the body.
    func string(_ name: String) -> String? {
        if let value = query[name], !value.isEmpty { return value }
        guard let value = body.first(where: { $0.0 == name })?.1 else { return nil }
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    func required(_ name: String) throws -> String {
        guard let value = string(name) else { throw BybitError.missing(name) }
        return value
    }

    /// A decimal that must be a JSON string in a POST body (`"qty": "0.01"`), as Bybit documents.
    func decimal(_ name: String) throws -> Decimal? {
        if case .number? = body.first(where: { $0.0 == name })?.1 {
            throw BybitError.parameter("params error: \(name) must be a string")
        }
        guard let text = string(name) else { return nil }
        guard let value = Decimal(exactly: text), !text.contains("e"), !text.contains("E") else {
            throw BybitError.parameter("params error: \(name) invalid")
        }
        return value
    }

    /// A boolean in the body (`true`/`false`, or 0/1 as some clients send).
    func flag(_ name: String) throws -> Bool? {
        guard let value = body.first(where: { $0.0 == name })?.1 ?? query[name].map(JSONValue.string) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .number(let number) where number.text == "0": return false
        case .number(let number) where number.text == "1": return true
        case .string("0"), .string("false"): return false
        case .string("1"), .string("true"): return true
        default: throw BybitError.parameter("params error: \(name) invalid")
        }
    }

    /// The `category` (`spot` or `linear`).
    func category() throws -> MarketKind {
        switch try required("category") {
        case "spot": return .spot
        case "linear": return .linearPerpetual
        case "inverse", "option": throw BybitError(10001, "The simulator supports the spot and linear categories only.")
        default: throw BybitError.parameter("params error: Category is invalid")
        }
    }

    func instrument(in venue: Venue, kind: MarketKind) throws -> Instrument {
        let name = try required("symbol")
        guard let instrument = venue.instrument(exchangeSymbol: name, kind: kind) else {
            throw BybitError.parameter("params error: symbol invalid")
        }
        return instrument
    }

    /// The page size: `limit` (default and maximum per endpoint), capped by the configuration.
    func limit(default defaultValue: Int, maximum: Int, venue: Venue) throws -> Int {
        var value = defaultValue
        if let text = string("limit") {
            guard let parsed = Int(text), parsed >= 1 else { throw BybitError.parameter("params error: limit invalid") }
            value = min(parsed, maximum)
        }
        if let cap = venue.configuration.maximumPageSize {
            value = min(value, max(cap, 1))
        }
        return value
    }

    /// The offset a `cursor` encodes (0 without one).
    func cursorOffset() throws -> Int {
        guard var text = string("cursor") else { return 0 }
        if !text.contains("page_args="), let decoded = text.removingPercentEncoding {
            text = decoded
        }
        guard let range = text.range(of: "page_args=") else { throw BybitError.parameter("params error: cursor invalid") }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        guard let offset = Int(digits) else { throw BybitError.parameter("params error: cursor invalid") }
        return offset
    }
}

/// Cursor pagination, Bybit style: `nextPageCursor` is already percent-encoded
/// (`page_args%3D20%26symbol%3DBTCUSDT%26`) and must be sent back verbatim.
enum BybitPage {
    static func page<Item>(_ items: [Item], call: BybitCall, limit: Int, tag: String = "") throws -> (items: [Item], next: String) {
        let offset = try call.cursorOffset()
        guard offset < items.count else { return ([], "") }
        let end = min(offset + limit, items.count)
        let next = end < items.count ? "page_args%3D\(end)%26\(tag)" : ""
        return (Array(items[offset..<end]), next)
    }
}

/// Bybit formatting helpers.
enum BybitFormat {
    static func number(_ value: Decimal) -> JSONValue { .string(value.plainString) }

    static func side(_ side: OrderSide) -> String { side == .buy ? "Buy" : "Sell" }

    static func status(_ order: SimulatedOrder) -> String {
        switch order.status {
        case .new: return "New"
        case .partiallyFilled: return "PartiallyFilled"
        case .filled: return "Filled"
        case .rejected: return "Rejected"
        case .cancelled, .expired:
            return order.kind == .spot && order.filledQuantity > 0 ? "PartiallyFilledCanceled" : "Cancelled"
        case .pendingCancel: return "New"
        case .unknown(let raw): return raw
        }
    }

    static func timeInForce(_ order: SimulatedOrder) -> String {
        if order.isPostOnly { return "PostOnly" }
        switch order.timeInForce {
        case .goodTillCancel: return "GTC"
        case .immediateOrCancel: return "IOC"
        case .fillOrKill: return "FOK"
        }
    }

    static func instrumentStatus(_ status: Instrument.Status) -> String {
        switch status {
        case .trading: return "Trading"
        case .preTrading: return "PreLaunch"
        case .halted: return "Settling"
        case .delisted: return "Closed"
        case .other(let raw): return raw
        }
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
