import Foundation
import TradeOnly

/// Bybit v5: the entry point for keys and clients.
///
/// ```swift
/// let bybit = Bybit(environment: .testnet, transport: URLSessionTransport())
/// let credentials = try Credentials.environment(prefix: "BYBIT")
/// let key = try await SafeKey.verify(credentials, using: bybit.keyInspector, policy: .tradeOnly)
/// let client = bybit.client(key)
/// let order = try await client.place(.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001")!, price: 30_000))
/// ```
///
/// Supported markets: spot (`BTC/USDT` ↔ `BTCUSDT`, category `spot`) and USDT-settled linear
/// perpetuals (`BTC/USDT:USDT` ↔ `BTCUSDT`, category `linear`) on a unified trading account.
///
/// Every client made by one `Bybit` shares its server clock and its view of an IP ban, so make one
/// `Bybit` per environment and reuse it.
public struct Bybit: Sendable {
    /// `"bybit"`: the exchange's name in errors, reports and keys.
    public static let exchangeName = "bybit"

    /// Which Bybit this talks to.
    public let environment: Environment
    /// The settings.
    public let configuration: Configuration
    /// The endpoint policy clients enforce: ``builtInPolicy`` plus
    /// ``Configuration/additionalAllowedEndpoints``.
    public let policy: EndpointPolicy
    /// The exchange's clock, shared by every client of this instance.
    public let clock: ServerClock

    let transport: any HTTPTransport
    let middlewares: [any HTTPMiddleware]
    let logger: TradeOnlyLogger
    let shared: SharedState

    /// State every client of one `Bybit` shares.
    final class SharedState: Sendable {
        /// Until when Bybit bans this IP (HTTP 403 "access too frequent"); nothing is sent before then.
        let bannedUntil = LockedValue<Date?>(nil)
        /// Request paths already found plainly spelled (no escapes, dot segments or doubled slashes).
        let plainPaths = BybitRememberedStrings()
        /// Client order ids for orders placed without one.
        let clientOrderIDs = BybitClientOrderIDs()
    }

    /// Creates an entry point.
    ///
    /// - Parameters:
    ///   - environment: Live, testnet, demo, a regional live host, or a local stand-in.
    ///   - transport: How requests reach Bybit, for example `URLSessionTransport()`.
    ///   - timeSource: The local clock. Defaults to the system clock.
    ///   - middlewares: Middlewares that see every request before it is signed, in order.
    ///   - logger: Where events go; off by default. Events are redacted.
    ///   - configuration: The settings.
    public init(
        environment: Environment,
        transport: some HTTPTransport,
        timeSource: some TimeSource = .system,
        middlewares: [any HTTPMiddleware] = [],
        logger: TradeOnlyLogger = .disabled,
        configuration: Configuration = .init()
    ) {
        self.environment = environment
        self.configuration = configuration
        self.policy = Self.builtInPolicy.allowing(configuration.additionalAllowedEndpoints)
        self.clock = ServerClock(timeSource: timeSource)
        self.transport = transport
        self.middlewares = middlewares
        self.logger = logger
        self.shared = SharedState()
    }

    /// Asks Bybit what a key can do (`GET /v5/user/query-api`), for ``SafeKey/verify(_:using:policy:)``.
    public var keyInspector: BybitKeyInspector { BybitKeyInspector(bybit: self) }

    /// A client that trades with a verified key.
    ///
    /// A key verified with another exchange gives a client that refuses every call with
    /// ``ExchangeError/Kind/invalidRequest`` and never signs anything.
    ///
    /// - Parameter key: A key verified with ``keyInspector``.
    /// - Returns: The client.
    public func client(_ key: SafeKey) -> BybitClient {
        BybitClient(bybit: self, key: key)
    }

    /// The error for a key verified with another exchange.
    static func foreignKeyError(_ key: SafeKey) -> ExchangeError {
        ExchangeError(
            .invalidRequest,
            message: "this key was verified with \(key.exchange), not Bybit: verify it with bybit.keyInspector",
            exchange: exchangeName)
    }

    /// The request pipeline for a signer (or none, for public data only).
    func pipeline(
        signer: BybitSigner?, policy: EndpointPolicy, apiKey: (key: String, masked: String)?,
        rateLimits: BybitRateLimitTracker?
    ) -> RequestPipeline {
        let environment = self.environment
        let clock = self.clock
        let shared = self.shared
        let mapping = BybitErrorMapping(environment: environment, apiKey: apiKey, now: { clock.now() })
        return RequestPipeline(
            exchange: Self.exchangeName,
            policy: policy,
            transport: transport,
            middlewares: middlewares,
            signer: signer,
            clock: clock,
            logger: logger,
            encode: { request in
                if let until = shared.bannedUntil.current, clock.timeSource.now() < until {
                    throw ExchangeError(
                        .banned,
                        message: "Bybit banned this IP address for breaking its IP rate limit; TradeOnly sends nothing "
                            + "until \(Date.ISO8601FormatStyle().format(until))",
                        exchange: Self.exchangeName,
                        retry: .retryAfter(seconds: max(0, until.timeIntervalSince(clock.timeSource.now()))),
                        bannedUntil: until)
                }
                return try BybitRequestEncoding.encode(request, environment: environment, plainPaths: shared.plainPaths)
            },
            classify: { request, response in
                let error = mapping.classify(request, response)
                if let error, error.kind == .banned, error.bannedUntil != nil {
                    let until = clock.timeSource.now().addingTimeInterval(BybitErrorMapping.ipBanSeconds)
                    shared.bannedUntil.withLock { current in
                        if current.map({ $0 < until }) ?? true { current = until }
                    }
                }
                return error
            },
            serverTimeRequest: ExchangeRequest(method: .get, path: "/v5/market/time"),
            decodeServerTime: { try WireServerTime.decode($0) },
            observe: { request, response in rateLimits?.record(request, response, at: clock.timeSource.now()) }
        )
    }
}
