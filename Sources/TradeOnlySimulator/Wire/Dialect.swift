import Foundation

/// The time a request is handled at.
struct RequestContext: Sendable {
    /// The server's clock (the time source plus the fault plan's skew).
    var serverDate: Date
    /// API keys the fault plan treats as expired.
    var expiredKeys: Set<String>

    /// The server time in milliseconds since 1970.
    var serverMilliseconds: Int64 { serverDate.milliseconds }
}

/// One exchange's wire protocol, server side: how requests are authenticated, which endpoints exist,
/// and how answers and errors look.
///
/// Every exchange plugs in here. A new exchange (OKX, Gate) is one more conforming type in this module
/// (its signature rule, its routes, its JSON shapes, its error codes) plus one static member on
/// ``Dialect``; the engine (accounts, matching, positions), the fault plan, the in-process transport
/// and the server are shared.
protocol WireProtocol: Sendable {
    /// The exchange's name in lower case (`binance`).
    var name: String { get }

    /// Authenticates, routes and answers a request, changing the venue as the endpoint does.
    func respond(to request: SimulatorRequest, venue: inout Venue, context: RequestContext) -> SimulatorResponse

    /// The answer for an injected fault that is an HTTP response of this exchange (5xx, 429, a ban).
    func faultResponse(_ fault: Fault, context: RequestContext) -> SimulatorResponse

    /// The answer to a request from a banned IP while the ban lasts.
    func banResponse(until end: Date, context: RequestContext) -> SimulatorResponse
}

/// An exchange's wire protocol, as the simulator speaks it: ``binance`` and ``bybit``.
///
/// ```swift
/// let transport = exchange.transport(for: .binance)
/// let server = SimulatorServer(exchange: exchange, dialect: .bybit)
/// ```
public struct Dialect: Sendable, Hashable, CustomStringConvertible {
    let implementation: any WireProtocol

    init(_ implementation: any WireProtocol) {
        self.implementation = implementation
    }

    /// Binance: spot (`/api/v3/…`), USDⓈ-M futures (`/fapi/…`) and the key-permission and wallet
    /// endpoints (`/sapi/…`), all on one simulator.
    public static let binance = Dialect(BinanceDialect())

    /// Bybit v5: spot and linear perpetuals (`/v5/…`).
    public static let bybit = Dialect(BybitDialect())

    /// The dialects the simulator speaks.
    public static let all: [Dialect] = [.binance, .bybit]

    /// The dialect with a name (`binance`, `bybit`), or `nil`.
    public init?(name: String) {
        guard let dialect = Dialect.all.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = dialect
    }

    /// The exchange's name in lower case.
    public var name: String { implementation.name }

    /// The name.
    public var description: String { name }

    /// Dialects are equal when their names are.
    public static func == (lhs: Dialect, rhs: Dialect) -> Bool { lhs.name == rhs.name }

    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
