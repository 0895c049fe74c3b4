import Foundation
import TradeOnly

/// A Bybit v5 client for one verified key: market data, account data and trading on spot and
/// USDT-settled linear perpetuals, on a unified trading account.
///
/// Make it with ``Bybit/client(_:)``. It is immutable and safe to share across tasks (a reference
/// type, so that handing it to the placement and reconciliation steps copies one reference); clients
/// of one ``Bybit`` share its rate-limit governor.
///
/// - Every request goes through the same pipeline: the ``Bybit/policy`` check, the ``Bybit``'s shared
///   rate-limit governor, the user's middlewares (unsigned), ``BybitSigner`` (which checks the policy
///   again), the transport, and the error mapping. Nothing outside the allow-list is ever signed.
/// - Reads are retried after transient failures (``Bybit/Configuration/retryPolicy``); writes only
///   when Bybit certainly did not execute them.
/// - Orders are checked against the instrument before sending, always carry an `orderLinkId`, are
///   recorded in the ``journal`` before they are sent, and are never sent twice: an unknown outcome is
///   settled by asking for the order by its `orderLinkId`.
public final class BybitClient: ExchangeClient, CustomStringConvertible, CustomReflectable {
    /// `"bybit"`.
    public var exchangeName: String { Bybit.exchangeName }
    /// Which Bybit this client talks to.
    public let environment: Bybit.Environment
    /// What the key may do (none for a refused key).
    public var permissions: Set<TradePermission> { access.permissions }
    /// What Bybit accepts as a client order id (`orderLinkId`): 36 of `A-Z a-z 0-9 _ -`. Checked
    /// before anything is sent.
    public static let clientOrderIDRule = ClientOrderID.Rule.bybit
    /// Every placement this client made, by client order id, with its state: placed, rejected, not
    /// placed, or still unknown (``OrderJournal/unknownOrders``). Entries are recorded before the order
    /// is sent, so an order whose answer was lost is never forgotten; settle those with
    /// ``reconcile(_:on:)``.
    public let journal: OrderJournal

    /// The key's API key, masked (`vmPU…Eh8A`); `nil` for a refused key.
    var maskedAPIKey: String? { access.refusal == nil ? access.maskedAPIKey : nil }
    let pipeline: RequestPipeline
    let clock: ServerClock
    let sleeper: any Sleeper
    let logger: TradeOnlyLogger
    let reconciliation: ReconciliationPolicy
    /// The receive window every signed request carries, in seconds: Bybit refuses an older request
    /// before matching it.
    let receiveWindow: TimeInterval
    let cache: InstrumentCache
    let markets = BybitMarketMemo()
    let rateLimitTracker: BybitRateLimitTracker
    /// What the key may do here: the refusal of a key verified with another exchange, in another
    /// environment or against another origin (every signed call throws it; public market data still
    /// works), the permissions, and the key's guard (which verifies it again on schedule, at start and
    /// after permission errors; the pipeline asks it before every signed request).
    let access: ClientKeyAccess

    init(bybit: Bybit, key: SafeKey) {
        environment = bybit.environment
        clock = bybit.clock
        sleeper = bybit.sleeper
        logger = bybit.logger.forExchange(Bybit.exchangeName)
        reconciliation = bybit.configuration.reconciliation
        receiveWindow = Double(bybit.configuration.recvWindow) / 1000
        cache = InstrumentCache(lifetime: bybit.configuration.instrumentCacheLifetime)
        rateLimitTracker = BybitRateLimitTracker()
        journal = OrderJournal(timeSource: bybit.clock.timeSource)
        let access = ClientKeyAccess(
            key: key, exchange: Bybit.exchangeName, inspector: bybit.keyInspector,
            interval: bybit.configuration.keyReverificationInterval, logger: logger)
        self.access = access
        var pipeline = bybit.pipeline(
            signer: access.signingKey.map { bybit.signer(for: $0.credentials, permissions: $0.permissions) },
            policy: bybit.policy, apiKey: access.signingKey.map { ($0.apiKey, $0.maskedAPIKey) },
            rateLimits: rateLimitTracker)
        pipeline.keyGuard = access.keyGuard
        self.pipeline = pipeline
    }

    /// `BybitClient(testnet, key vmPU…Eh8A, permissions: futuresTrade, read, spotTrade)`: the
    /// environment, the masked key and its permissions; never the transport, middlewares or signer.
    public var description: String {
        let key = maskedAPIKey.map { "key \($0)" } ?? "refused key"
        let granted = permissions.map(\.description).sorted().joined(separator: ", ")
        return "BybitClient(\(environment.name), \(key), permissions: \(granted.isEmpty ? "none" : granted))"
    }

    /// A mirror with the environment, the masked key, the permissions and the journal only, so that
    /// `dump` never walks into the transport or the middlewares (which may hold anything).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "environment": environment, "apiKey": maskedAPIKey as Any, "permissions": permissions,
                "journal": journal.entries,
            ],
            displayStyle: .struct)
    }

    /// The local clock (durations of waits and reconciliation).
    var timeSource: any TimeSource { clock.timeSource }

    /// The last rate-limit counters Bybit sent, one per endpoint, sorted by endpoint.
    public var rateLimits: [Bybit.RateLimitStatus] { rateLimitTracker.all }

    /// The last rate-limit counters Bybit sent for one endpoint, if any.
    ///
    /// - Parameters:
    ///   - method: The endpoint's method.
    ///   - path: The endpoint's path, for example `/v5/order/create`.
    public func rateLimit(for method: HTTPMethod, path: String) -> Bybit.RateLimitStatus? {
        rateLimitTracker.status(for: "\(method.rawValue) \(path)")
    }

    /// Measures the offset to Bybit's clock now (it is also done before the first signed request and
    /// every five minutes, and after a clock error).
    ///
    /// - Throws: ``ExchangeError``.
    public func synchronizeClock() async throws {
        try await pipeline.synchronizeClock()
    }

    /// Sends a request for an endpoint TradeOnly does not wrap, through the same pipeline and policy.
    ///
    /// GET parameters go in the query (sorted by name, unencoded; only characters that need no
    /// encoding are accepted); POST parameters become a JSON body, strings except Bybit's boolean and
    /// integer fields (`reduceOnly`, `positionIdx`, …). The request is what you give: a spot market
    /// buy sent this way counts its `qty` in the quote asset unless you add `marketUnit=baseCoin`.
    ///
    /// - Parameter request: The request, unsigned.
    /// - Returns: The response, after error mapping (a non-zero `retCode` throws).
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/policyViolation`` for an endpoint outside the
    ///   policy (withdrawals, transfers, … are denied whatever was added), with nothing sent.
    public func perform(_ request: ExchangeRequest) async throws -> HTTPResponse {
        try await pipeline.send(request)
    }

    // MARK: Helpers shared by the extensions

    /// The market of a symbol, remembered (a symbol is parsed once per client).
    func market(_ symbol: Symbol) throws -> BybitMarket {
        if let known = markets.market(symbol) { return known }
        let market = try BybitMarket(symbol)
        markets.remember(market)
        return market
    }

    /// Sends a request and decodes its `result`.
    func get<Result: Decodable>(
        _ path: String, _ parameters: RequestParameters, security: ExchangeRequest.Security, as type: Result.Type,
        what: String
    ) async throws -> BybitEnvelope<Result> {
        let response = try await pipeline.send(
            ExchangeRequest(method: .get, path: path, parameters: parameters, security: security))
        return try BybitWire.decode(type, from: response, what: what)
    }

    /// Reads every page of a cursor-paginated list: the `cursor` Bybit returns is passed back verbatim
    /// (it is already percent-encoded), until it comes back empty.
    ///
    /// - Parameters:
    ///   - enough: Stops early once this many items have been read.
    func pages<Item: Decodable>(
        _ path: String, _ parameters: RequestParameters, security: ExchangeRequest.Security, of type: Item.Type,
        what: String, enough: Int = .max, maximumPages: Int = 50
    ) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        var seen = Set<String>()
        for _ in 0..<maximumPages {
            var query = parameters
            if let cursor { query.append("cursor", cursor) }
            let page = try await get(path, query, security: security, as: BybitPage<Item>.self, what: what).result
            items += page.list
            guard let next = page.nextPageCursor, !next.isEmpty, items.count < enough, !page.list.isEmpty else {
                return items
            }
            guard seen.insert(next).inserted else {
                throw ExchangeError(
                    .decoding, message: "Bybit returned the same page cursor twice for \(what)", exchange: Bybit.exchangeName)
            }
            cursor = next
        }
        throw ExchangeError(
            .exchangeUnavailable, message: "Bybit's \(what) ran past \(maximumPages) pages; stopped reading",
            exchange: Bybit.exchangeName, retry: .retry)
    }
}
