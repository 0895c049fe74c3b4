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
/// Every client made by one `Bybit` (and its key inspector) shares its server clock and one
/// ``RateLimitGovernor``: Bybit's IP limit (600 requests per 5 s), the per-endpoint counters Bybit
/// reports, and an IP ban (HTTP 403 "access too frequent"), during which nothing is sent. Make one
/// `Bybit` per environment and reuse it.
public struct Bybit: Sendable, CustomStringConvertible, CustomReflectable {
    /// `"bybit"`: the exchange's name in errors, reports and keys.
    public static let exchangeName = "bybit"

    /// Bybit's IP limit: 600 requests per 5-second window, across every endpoint (weight 1 each).
    public static let ipLimit = RateLimitGovernor.Limit(weight: 600, per: 5)

    /// How long Bybit bans an IP that broke the IP limit when it does not say (HTTP 403 "access too
    /// frequent"): "wait at least 10 minutes".
    public static let ipBanDuration: TimeInterval = 600

    /// Which Bybit this talks to.
    public let environment: Environment
    /// The settings.
    public let configuration: Configuration
    /// The endpoint policy every request is checked against: ``builtInPolicy`` plus
    /// ``Configuration/additionalAllowedEndpoints``.
    public let endpointPolicy: EndpointPolicy

    /// Renamed ``endpointPolicy``.
    @available(*, deprecated, renamed: "endpointPolicy")
    public var policy: EndpointPolicy { endpointPolicy }
    /// The exchange's clock, shared by every client of this instance.
    public let clock: ServerClock

    let transport: any HTTPTransport
    /// The user's middlewares (a `var` so that ``BybitKeyInspector`` can drop them: it asks on a
    /// pipeline no middleware can touch).
    var middlewares: [any HTTPMiddleware]
    let logger: TradeOnlyLogger
    let sleeper: any Sleeper
    /// The rate-limit governor shared by the key inspector and every client of this instance: Bybit's
    /// IP limit (600 requests per 5 s), the per-endpoint counters Bybit reports, and IP bans.
    public let governor: RateLimitGovernor

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
        self.init(
            environment: environment, transport: transport, timeSource: timeSource, sleeper: TaskSleeper(),
            middlewares: middlewares, logger: logger, configuration: configuration)
    }

    /// Creates an entry point that waits with `sleeper` (retries, rate-limit waits, reconciliation):
    /// for tests, an ``AdvancingSleeper`` on the same ``FixedTimeSource`` as `timeSource`.
    package init(
        environment: Environment,
        transport: some HTTPTransport,
        timeSource: some TimeSource,
        sleeper: some Sleeper,
        middlewares: [any HTTPMiddleware] = [],
        logger: TradeOnlyLogger = .disabled,
        configuration: Configuration = .init()
    ) {
        self.environment = environment
        self.configuration = configuration
        self.endpointPolicy = Self.policy(allowing: configuration.additionalAllowedEndpoints)
        let clock = ServerClock(timeSource: timeSource)
        self.clock = clock
        self.transport = transport
        self.middlewares = middlewares
        self.logger = logger
        self.sleeper = sleeper
        self.governor = RateLimitGovernor(
            limits: [environment.hostKey: Self.ipLimit],
            defaultBanDuration: Self.ipBanDuration,
            timeSource: timeSource,
            sleeper: sleeper,
            logger: logger.forExchange(Self.exchangeName))
    }

    /// Asks Bybit what a key can do (`GET /v5/user/query-api`), for ``SafeKey/verify(_:using:policy:)``:
    /// on a pipeline without this instance's middlewares, through its transport.
    public var keyInspector: BybitKeyInspector { BybitKeyInspector(bybit: self) }

    /// A client that trades with a verified key.
    ///
    /// The client signs only with a key this module's ``keyInspector`` verified for this instance's
    /// environment and origin (the scheme, host and port of ``Environment/baseURL``). A key verified
    /// with another exchange, in another environment (a testnet, demo or local key on live), or
    /// against another origin (another regional live host such as `api.bybit.eu`, or another
    /// ``Environment/local(_:)`` address or port) gives a client whose every signed call throws
    /// ``ExchangeError/Kind/invalidRequest``, signing and sending nothing; public market data still
    /// works.
    ///
    /// A key accepted from a custom inspector (``KeyPolicy/acceptingCustomInspector(reason:)``) whose
    /// report says `bybit` is verified by ``keyInspector`` before the client's first signed request,
    /// with the key's policy.
    ///
    /// The client verifies its key again (see ``Configuration/keyReverificationInterval``): before its
    /// first signed request if the key was verified more than 60 seconds earlier on this instance's
    /// time source, once a day by default, and after Bybit answers a signed request with an
    /// authentication, permission or IP error (10003, 10005, 10010, 10007, …). A key that now fails its
    /// policy stops every signed call of the client with ``ExchangeError/Kind/unsafeKey``.
    ///
    /// - Parameter key: A key verified with this environment's ``keyInspector``.
    /// - Returns: The client.
    public func client(_ key: SafeKey) -> BybitClient {
        BybitClient(bybit: self, key: key)
    }

    /// How much of Bybit's IP limit is in use on this environment's host, as the shared governor
    /// counts it, and whether a ban is in force.
    public var rateLimitUsage: RateLimitUsage {
        governor.usage(forHost: environment.hostKey)
    }

    /// `Bybit(testnet (https://api-testnet.bybit.com))`.
    public var description: String { "Bybit(\(environment))" }

    /// A mirror with the environment and the configuration only, so that `dump` never walks into the
    /// transport or the middlewares (which may hold anything).
    public var customMirror: Mirror {
        Mirror(self, children: ["environment": environment, "configuration": configuration], displayStyle: .struct)
    }

    /// What the core pipeline needs of this module, for this instance.
    ///
    /// - Parameters:
    ///   - apiKey: The API key in use and its masked form, masked wherever Bybit echoes it.
    ///   - rateLimits: Where a client keeps the last per-endpoint counters, if it does.
    func dialect(apiKey: (key: String, masked: String)? = nil, rateLimits: BybitRateLimitTracker? = nil) -> BybitDialect {
        BybitDialect(
            environment: environment, endpointPolicy: endpointPolicy, receiveWindow: configuration.receiveWindow,
            clock: clock, governor: governor, apiKey: apiKey, rateLimits: rateLimits)
    }

    /// A signer for `credentials`, pinned to this environment's base URL (``BybitDialect/signer(for:permissions:)``).
    ///
    /// - Parameter permissions: The verified key's permissions, which the signer's gate requires of
    ///   each endpoint; `nil` for the key inspector, which signs with the inspector policy (the key
    ///   report and the server time only) before the key is verified.
    package func signer(for credentials: Credentials, permissions: Set<TradePermission>?) -> BybitSigner {
        dialect().signer(for: credentials, permissions: permissions)
    }

    /// The request pipeline for a signer (or none, for public data only).
    func pipeline(
        signer: BybitSigner?, apiKey: (key: String, masked: String)?, rateLimits: BybitRateLimitTracker?
    ) -> RequestPipeline {
        RequestPipeline(
            dialect: dialect(apiKey: apiKey, rateLimits: rateLimits), transport: transport, middlewares: middlewares,
            signer: signer, clock: clock, logger: logger, retryPolicy: configuration.retryPolicy, governor: governor,
            sleeper: sleeper)
    }
}

extension Bybit: Exchange {
    /// A value for a stand-in that serves Bybit through `transport` (see
    /// ``Exchange/standIn(transport:rateLimit:timeSource:sleeper:logger:)``): ``Environment/local(_:)`` at
    /// `http://stand-in.invalid`, a name that never resolves (the transport answers every request
    /// itself), with `rateLimit` in place of Bybit's IP limit.
    public static func standIn(
        transport: any HTTPTransport, rateLimit: RateLimitGovernor.Limit?, timeSource: any TimeSource,
        sleeper: any Sleeper, logger: TradeOnlyLogger
    ) -> Bybit {
        let bybit = Bybit(
            environment: .local(standInURL), transport: transport, timeSource: timeSource, sleeper: sleeper,
            logger: logger)
        bybit.governor.setLimit(rateLimit, forHost: bybit.environment.hostKey)
        return bybit
    }

    /// The base URL of ``standIn(transport:rateLimit:timeSource:sleeper:logger:)``.
    static let standInURL = URL(string: "http://stand-in.invalid") ?? URL(fileURLWithPath: "/")
}
