import Foundation
import TradeOnly

/// A Binance error answer: HTTP status, code and message (`{"code":-1121,"msg":"Invalid symbol."}`).
struct BinanceError: Error, Sendable {
    var status: Int
    var code: Int
    var message: String
    var headers: [(name: String, value: String)] = []

    init(status: Int = 400, code: Int, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    var body: JSONValue {
        .object([("code", .int(code)), ("msg", .string(message))])
    }

    static func mandatory(_ name: String) -> BinanceError {
        BinanceError(code: -1102, "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }

    static func illegalNumber(_ name: String) -> BinanceError {
        BinanceError(code: -1100, "Illegal characters found in parameter '\(name)'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.")
    }

    static func notRequired(_ name: String) -> BinanceError {
        BinanceError(code: -1106, "Parameter '\(name)' sent when not required.")
    }

    static let invalidSymbol = BinanceError(code: -1121, "Invalid symbol.")
    static let rejectedKey = BinanceError(status: 401, code: -2015, "Invalid API-key, IP, or permissions for action.")
    static let badKeyFormat = BinanceError(status: 401, code: -2014, "API-key format invalid.")
    static let badSignature = BinanceError(code: -1022, "Signature for this request is not valid.")
    static let insufficientBalance = BinanceError(code: -2010, "Account has insufficient balance for requested action.")
    static let unknownOrderCancel = BinanceError(code: -2011, "Unknown order sent.")
    static let noSuchOrder = BinanceError(code: -2013, "Order does not exist.")
    static func filter(_ name: String) -> BinanceError {
        BinanceError(code: -1013, "Filter failure: \(name)")
    }
}

/// The parts of a Binance request every handler needs.
struct BinanceCall {
    enum Product {
        case spot
        case futures
        case wallet
    }

    var request: SimulatorRequest
    /// Query and form-body parameters; the query wins when a name is in both.
    var parameters: FormParameters
    var context: RequestContext
    var product: Product
    /// The authenticated key, for signed endpoints.
    var key: SimulatedKey?

    var now: Date { context.serverDate }

    func string(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    func required(_ name: String) throws -> String {
        guard let value = string(name) else { throw BinanceError.mandatory(name) }
        return value
    }

    /// A decimal parameter in Binance's number grammar (`^([0-9]{1,20})(\.[0-9]{1,20})?$`).
    func decimal(_ name: String) throws -> Decimal? {
        guard let text = string(name) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digitsOnly = parts.allSatisfy { !$0.isEmpty && $0.count <= 20 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        guard parts.count <= 2, digitsOnly, let value = Decimal(exactly: text) else {
            throw BinanceError.illegalNumber(name)
        }
        return value
    }

    func integer(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text) else {
            throw BinanceError(code: -1100, "Illegal characters found in parameter '\(name)'; legal range is '^[0-9]{1,20}$'.")
        }
        return value
    }

    /// The instrument named by the `symbol` parameter, of this product's kind.
    func instrument(in venue: Venue) throws -> Instrument {
        let name = try required("symbol")
        guard let instrument = venue.instrument(exchangeSymbol: name, kind: product == .futures ? .linearPerpetual : .spot) else {
            throw BinanceError.invalidSymbol
        }
        return instrument
    }

    /// The instrument named by `symbol`, if the parameter is present.
    func optionalInstrument(in venue: Venue) throws -> Instrument? {
        guard string("symbol") != nil else { return nil }
        return try instrument(in: venue)
    }

    var account: String { key?.account ?? "" }
}

/// Binance number formatting: spot writes 8 decimals, futures the plain value.
enum BinanceFormat {
    static func spot(_ value: Decimal) -> JSONValue {
        .string(value.formatted(fractionDigits: 8))
    }

    static func plain(_ value: Decimal) -> JSONValue {
        .string(value.plainString)
    }

    /// The status name (`NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `EXPIRED`, `REJECTED`).
    static func status(_ status: OrderStatus) -> String {
        switch status {
        case .new: return "NEW"
        case .partiallyFilled: return "PARTIALLY_FILLED"
        case .filled: return "FILLED"
        case .cancelled: return "CANCELED"
        case .expired: return "EXPIRED"
        case .rejected: return "REJECTED"
        case .pendingCancel: return "PENDING_CANCEL"
        case .unknown(let raw): return raw
        }
    }

    static func timeInForce(_ order: SimulatedOrder) -> String {
        if order.kind != .spot, order.isPostOnly { return "GTX" }
        switch order.timeInForce {
        case .goodTillCancel: return "GTC"
        case .immediateOrCancel: return "IOC"
        case .fillOrKill: return "FOK"
        }
    }

    static func instrumentStatus(_ status: Instrument.Status, futures: Bool) -> String {
        switch status {
        case .trading: return "TRADING"
        case .preTrading: return futures ? "PENDING_TRADING" : "PRE_TRADING"
        case .halted: return futures ? "SETTLING" : "HALT"
        case .delisted: return futures ? "CLOSE" : "BREAK"
        case .other(let raw): return raw
        }
    }
}
