import TradeOnly

/// A Binance client for one verified key: spot and USDⓈ-M futures market data, balances and
/// positions, and orders. Conforms to ``ExchangeClient``; there is no method that moves funds.
///
/// Symbols are unified: spot `BTC/USDT` is Binance's `BTCUSDT` on `api.binance.com`; the linear
/// perpetual `BTC/USDT:USDT` is `BTCUSDT` (contract type `PERPETUAL`) on `fapi.binance.com`.
///
/// Every request goes through one pipeline: ``Binance/endpointPolicy`` (plus the configuration's extra allow
/// rules) is checked, user middlewares see the unsigned request, ``BinanceSigner`` checks the policy
/// again and signs the exact bytes, the transport sends them, and Binance's error codes are mapped to
/// ``ExchangeError``s. Make clients with ``Binance/client(_:)``; they are cheap, immutable and safe
/// to share across tasks (a reference type, so that handing one to the placement and reconciliation
/// steps copies one reference).
public final class BinanceClient: ExchangeClient {
    /// `"binance"`.
    public var exchangeName: String { Binance.exchangeName }
    /// The deployment this client talks to.
    public var environment: Binance.Environment { binance.environment }
    /// What the key may do, as verified (none for a refused key).
    public var permissions: Set<TradePermission> { access.permissions }
    /// The masked API key (`vmPU…Eh8A`).
    public var maskedAPIKey: String { access.maskedAPIKey }
    /// What Binance accepts as a client order id (`newClientOrderId`): 36 of `A-Z a-z 0-9 _ -`, spot's
    /// `^[a-zA-Z0-9-_]{1,36}$` (and within USDⓈ-M's alphabet). Checked before anything is sent.
    public static let clientOrderIDRule = ClientOrderID.Rule.binance
    /// Every placement this client made, by client order id, with its state: placed, rejected, not
    /// placed, or still unknown (``OrderJournal/unknownOrders``). Entries are recorded before the order
    /// is sent, so an order whose answer was lost is never forgotten; settle unknown ones with
    /// ``reconcile(_:on:)``.
    public let journal: OrderJournal

    let binance: Binance
    let pipeline: RequestPipeline
    /// What the key may do here: the refusal of a key verified elsewhere, the permissions, and the key's
    /// guard (which verifies it again on schedule, at start and after permission errors; the pipeline
    /// asks it before every signed request).
    let access: ClientKeyAccess
    let cache: InstrumentCache

    init(binance: Binance, key: SafeKey, journal: OrderJournal) {
        self.binance = binance
        self.journal = journal
        cache = InstrumentCache(lifetime: binance.configuration.instrumentCacheLifetime)
        let access = ClientKeyAccess(
            key: key, exchange: Binance.exchangeName, inspector: binance.keyInspector,
            interval: binance.configuration.keyReverificationInterval, logger: binance.logger)
        self.access = access
        var pipeline = binance.pipeline(
            signer: access.signingKey.map { binance.signer(for: $0.credentials, permissions: $0.permissions) })
        pipeline.keyGuard = access.keyGuard
        self.pipeline = pipeline
    }

    /// The rate-limit governor this client's requests go through, shared with every client of the same
    /// ``Binance`` value (``Binance/governor``): `governor.usage(forHost: "api.binance.com")`.
    public var governor: RateLimitGovernor { binance.governor }

    /// How much of Binance's request-weight budget is in use on the spot host, as the shared governor
    /// counts it (``Binance/rateLimitUsage``), shared with every client of the same ``Binance`` value.
    public var rateLimitUsage: TradeOnly.RateLimitUsage { binance.rateLimitUsage }

    /// What Binance last reported in its rate-limit headers (`X-MBX-USED-WEIGHT-*`,
    /// `X-MBX-ORDER-COUNT-*`), per host (``Binance/rateLimitHeaders``).
    public var rateLimitHeaders: Binance.RateLimitHeaders { binance.rateLimitHeaders }

    /// Sends a request for an endpoint the client does not wrap, through the same policy, signer and
    /// error mapping as every other call.
    ///
    /// Put the endpoint's parameters in `request.parameters`, unencoded; for a signed request do not add
    /// `timestamp`, `recvWindow` or `signature` (the signer adds them, and refuses requests that have
    /// them). Everything is sent in the query string.
    ///
    /// - Parameter request: The request.
    /// - Returns: The response, after error mapping.
    /// - Throws: ``ExchangeError``: ``ExchangeError/Kind/policyViolation`` for an endpoint the policy
    ///   does not allow (nothing is sent), or the mapped Binance error.
    public func perform(_ request: ExchangeRequest) async throws -> HTTPResponse {
        try await send(request)
    }

    // MARK: Plumbing

    /// Sends a request through the pipeline, whose key guard refuses a signed request with a refused
    /// key (after the endpoint policy's check), before anything is signed.
    func send(_ request: ExchangeRequest) async throws -> HTTPResponse {
        try await pipeline.send(request)
    }

    /// Decodes a response body into a wire model, with typed errors.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, what: String) throws -> T {
        try ResponseClassification.decode(type, from: response, exchange: Binance.exchangeName, what: what)
    }

    /// The market kind of a symbol this client can serve.
    func kind(of symbol: Symbol) throws -> MarketKind {
        // A symbol already known from the exchange's instruments needs no parsing.
        if let kind = cache.kind(of: symbol) { return kind }
        guard let kind = symbol.kind, kind != .inversePerpetual else {
            throw symbol.refusal(
                by: "TradeOnly's Binance client",
                supported: "spot markets (BTC/USDT) and USDⓈ-M perpetuals settled in their quote asset (BTC/USDT:USDT), "
                    + "not COIN-M (inverse) perpetuals",
                exchange: Binance.exchangeName)
        }
        return kind
    }

    /// The path of an endpoint for a market kind.
    static func path(_ kind: MarketKind, spot: String, futures: String) -> String {
        kind == .spot ? spot : futures
    }
}

extension BinanceClient: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `BinanceClient(live, apiKey: vmPU…Eh8A, permissions: [read, spotTrade])`: never the key or secret.
    public var description: String {
        let names = TradePermission.allCases.filter(permissions.contains).map(\.description)
        return "BinanceClient(\(environment), apiKey: \(maskedAPIKey), permissions: [\(names.joined(separator: ", "))])"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror showing only ``description``, so `dump` cannot reach the signer.
    public var customMirror: Mirror { Mirror(self, children: ["client": description], displayStyle: .struct) }
}
