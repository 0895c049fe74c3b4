import TradeOnly

/// Binance spot and USDⓈ-M futures, for trade-only keys.
///
/// ```swift
/// let binance = Binance(environment: .testnet, transport: URLSessionTransport())
/// let key = try await SafeKey.verify(credentials, using: binance.keyInspector, policy: .tradeOnly)
/// let client = binance.client(key)
/// let order = try await client.place(.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001")!, price: 30_000))
/// ```
///
/// A `Binance` value holds what every client it makes shares: the environment, the transport and
/// middlewares, the exchange clock (synchronised with `GET /api/v3/time` before the first signed
/// request), the endpoint policy (``endpointPolicy``) and one ``RateLimitGovernor`` for this IP's
/// request-weight budgets and bans. Make one per environment and share it.
public struct Binance: Sendable {
    /// The exchange's name, as it appears in errors, key reports and logs: `"binance"`.
    public static let exchangeName = "binance"

    /// The deployment requests go to.
    public let environment: Environment
    /// The settings of every client.
    public let configuration: Configuration
    /// The endpoint policy every request is checked against: ``builtInPolicy`` plus
    /// ``Configuration/additionalAllowedEndpoints``.
    public let endpointPolicy: EndpointPolicy
    /// The exchange's clock, shared by every client of this value.
    public let clock: ServerClock
    /// The rate-limit governor shared by the key inspector and every client of this value: Binance's
    /// request-weight budget per host (spot `REQUEST_WEIGHT` 6000 per minute, USDⓈ-M futures 2400 per
    /// minute), fed with the `X-MBX-USED-WEIGHT-1M` header of every answer; it waits after a 429 and
    /// refuses every request to a host that answered 418 (an IP ban) until the ban ends, without
    /// sending anything.
    public let governor: RateLimitGovernor

    let transport: any HTTPTransport
    let timeSource: any TimeSource
    /// The user's middlewares (a `var` so that ``BinanceKeyInspector`` can drop them: it asks on a
    /// pipeline no middleware can touch).
    var middlewares: [any HTTPMiddleware]
    let logger: TradeOnlyLogger
    let state: BinanceSharedState
    /// How retries, rate-limit waits and reconciliation wait (a test seam: tests move a clock instead).
    let sleeper: any Sleeper
    /// Where retry jitter comes from.
    let jitter: JitterSource
    /// The governor's name for each host this environment serves (`api.binance.com`, `127.0.0.1:8080`).
    let hostKeys: [Host: String]

    /// Creates a Binance connection.
    ///
    /// - Parameters:
    ///   - environment: Live, testnet, demo, or a local stand-in. Required: nothing defaults to live.
    ///   - transport: How requests are sent, for example `URLSessionTransport()`.
    ///   - timeSource: Where the local time comes from. Defaults to the system clock.
    ///   - middlewares: User middlewares; they see every request before it is signed.
    ///   - logger: Where events go (redacted). Off by default.
    ///   - configuration: Receive window, retries, reconciliation, extra allowed endpoints.
    public init(
        environment: Environment,
        transport: some HTTPTransport,
        timeSource: some TimeSource = .system,
        middlewares: [any HTTPMiddleware] = [],
        logger: TradeOnlyLogger = .disabled,
        configuration: Configuration = .init()
    ) {
        self.init(
            environment: environment, transport: transport, timeSource: timeSource, middlewares: middlewares,
            logger: logger, configuration: configuration, sleeper: TaskSleeper(), jitter: .system)
    }

    /// Creates a Binance connection that waits with `sleeper` (retries, rate-limit waits, reconciliation)
    /// and draws retry jitter from `jitter`: for tests and simulations, which pass an
    /// ``AdvancingSleeper`` on the same ``FixedTimeSource`` so that no wait takes real time.
    package init(
        environment: Environment,
        transport: any HTTPTransport,
        timeSource: any TimeSource,
        middlewares: [any HTTPMiddleware] = [],
        logger: TradeOnlyLogger = .disabled,
        configuration: Configuration = .init(),
        sleeper: any Sleeper,
        jitter: JitterSource = .system
    ) {
        self.environment = environment
        self.configuration = configuration
        self.endpointPolicy = Self.policy(allowing: configuration.additionalAllowedEndpoints)
        self.clock = ServerClock(timeSource: timeSource)
        self.transport = transport
        self.timeSource = timeSource
        self.middlewares = middlewares
        self.logger = logger.forExchange(Binance.exchangeName)
        self.state = BinanceSharedState()
        self.sleeper = sleeper
        self.jitter = jitter
        let hostKeys = Self.hostKeys(for: environment)
        self.hostKeys = hostKeys
        self.governor = RateLimitGovernor(
            limits: Self.weightLimits(for: hostKeys), timeSource: timeSource, sleeper: sleeper,
            logger: self.logger)
    }

    /// Binance's request-weight budgets per IP: `REQUEST_WEIGHT` 6000 per minute on the spot host,
    /// 2400 per minute on the USDⓈ-M futures host (`exchangeInfo.rateLimits`).
    public static let weightLimits: [Host: RateLimitGovernor.Limit] = [
        .spot: RateLimitGovernor.Limit(weight: 6000, per: 60),
        .futures: RateLimitGovernor.Limit(weight: 2400, per: 60),
    ]

    /// The governor's name for each host of an environment.
    private static func hostKeys(for environment: Environment) -> [Host: String] {
        var keys: [Host: String] = [:]
        for host in Host.allCases {
            guard let base = try? environment.baseURL(for: host), let url = URL(string: base) else { continue }
            keys[host] = RequestPipeline.hostKey(of: url)
        }
        return keys
    }

    /// The budgets by governor host name. Where one address serves both hosts (a local stand-in), the
    /// smaller budget applies to everything sent there.
    private static func weightLimits(for hostKeys: [Host: String]) -> [String: RateLimitGovernor.Limit] {
        var limits: [String: RateLimitGovernor.Limit] = [:]
        for (host, key) in hostKeys {
            guard let limit = weightLimits[host] else { continue }
            if let existing = limits[key], existing.weight <= limit.weight { continue }
            limits[key] = limit
        }
        return limits
    }

    /// Asks Binance what a key can do (`GET /sapi/v1/account/apiRestrictions` on the spot host), for
    /// `SafeKey.verify(_:using:policy:)`: on a pipeline without this value's middlewares, through its
    /// transport.
    public var keyInspector: BinanceKeyInspector { BinanceKeyInspector(binance: self) }

    /// A client that trades with a verified key.
    ///
    /// The client signs only with a key this module's ``keyInspector`` verified for this value's
    /// environment and origin (the spot base URL, where `/sapi/v1/account/apiRestrictions` is asked:
    /// `https://api.binance.com` on ``Environment/live``, the exact scheme, host and port of a
    /// ``Environment/local(_:)`` URL). A key verified with another exchange, in another environment or
    /// against another origin (a key checked against ``Environment/local(_:)`` at
    /// `http://127.0.0.1:1234` is refused at `http://127.0.0.1:1235`) is refused: every signed call of
    /// the client throws ``ExchangeError/Kind/invalidRequest`` and nothing is signed; public market
    /// data still works.
    ///
    /// A key accepted from a custom inspector (``KeyPolicy/acceptingCustomInspector(reason:)``) whose
    /// report says `binance` is verified by ``keyInspector`` before the client's first signed request,
    /// with the key's policy.
    ///
    /// The client verifies its key again (see ``Configuration/keyReverificationInterval``): before its
    /// first signed request if the key was verified more than 60 seconds earlier on this value's time
    /// source, once a day by default, and after Binance answers a signed request with an
    /// authentication, permission or IP error (-2015, -2014, -1002, -1011, …). A key that now fails its
    /// policy stops every signed call of the client with ``ExchangeError/Kind/unsafeKey``.
    ///
    /// - Parameters:
    ///   - key: A key from `SafeKey.verify(_:using:policy:)` with this value's ``keyInspector``.
    ///   - journal: Where the client records its placements (``BinanceClient/journal``). Pass one to
    ///     share it between clients or to restore settled state.
    /// - Returns: The client.
    public func client(_ key: SafeKey, journal: OrderJournal) -> BinanceClient {
        BinanceClient(binance: self, key: key, journal: journal)
    }

    /// A client that trades with `key`, recording its placements in a new, empty journal.
    ///
    /// A separate overload (rather than a defaulted parameter) so that `binance.client` can be passed
    /// as a function, as `bybit.client` can.
    ///
    /// - Parameter key: A key from `SafeKey.verify(_:using:policy:)` with this value's ``keyInspector``.
    /// - Returns: The client.
    public func client(_ key: SafeKey) -> BinanceClient {
        BinanceClient(binance: self, key: key, journal: OrderJournal(timeSource: timeSource))
    }

    /// How much of Binance's request-weight budget is in use on the spot host (`api.binance.com`), as
    /// the shared ``governor`` counts it (fed with `X-MBX-USED-WEIGHT-1M`), and whether a ban is in
    /// force: the same core ``RateLimitUsage`` every module reports. See ``rateLimitUsage(for:)`` for
    /// the futures host and ``rateLimitHeaders`` for every header Binance sent.
    public var rateLimitUsage: TradeOnly.RateLimitUsage { rateLimitUsage(for: .spot) }

    /// How much of the request-weight budget of `host` is in use, as the shared ``governor`` counts it.
    ///
    /// - Parameter host: Spot or USDⓈ-M futures.
    /// - Returns: The usage; an empty one for a host this environment does not serve.
    public func rateLimitUsage(for host: Host) -> TradeOnly.RateLimitUsage {
        governor.usage(forHost: hostKeys[host] ?? host.rawValue)
    }

    /// What Binance last reported in its rate-limit headers (`X-MBX-USED-WEIGHT-*`,
    /// `X-MBX-ORDER-COUNT-*`), per host, across every client of this value, with the end of any IP
    /// ban the ``governor`` enforces.
    public var rateLimitHeaders: RateLimitHeaders {
        var usage = state.rateLimitHeaders
        for host in Host.allCases {
            usage[host].bannedUntil = hostKeys[host].flatMap { governor.usage(forHost: $0).bannedUntil }
        }
        return usage
    }

    // MARK: The request pipeline

    /// What the core pipeline needs of this module, for this value.
    var dialect: BinanceDialect {
        BinanceDialect(
            environment: environment, configuration: configuration, endpointPolicy: endpointPolicy,
            timeSource: timeSource, state: state, governor: governor, hostKeys: hostKeys)
    }

    /// The pipeline for one signer (or none, for public market data).
    func pipeline(signer: BinanceSigner?) -> RequestPipeline {
        RequestPipeline(
            dialect: dialect, transport: transport, middlewares: middlewares, signer: signer, clock: clock,
            logger: logger, retryPolicy: configuration.retryPolicy, governor: governor, sleeper: sleeper,
            jitter: jitter)
    }

    /// A signer for `credentials` and this value's receive window, pinned to this environment's hosts
    /// (``BinanceDialect/signer(for:permissions:)``).
    ///
    /// - Parameter permissions: The verified key's permissions, which the signer's gate requires of
    ///   each endpoint; `nil` for the key inspector, which signs with the inspector policy (the key
    ///   check and the server time only) before the key is verified.
    package func signer(for credentials: Credentials, permissions: Set<TradePermission>?) -> BinanceSigner {
        dialect.signer(for: credentials, permissions: permissions)
    }

    /// Builds the unsigned HTTP request (``BinanceRequestEncoding``).
    package func encode(_ request: ExchangeRequest) throws -> HTTPRequest {
        try BinanceRequestEncoding.encode(request, environment: environment, configuration: configuration)
    }
}

extension Binance: CustomStringConvertible, CustomReflectable {
    /// `Binance(live, receive window 5000 ms)`.
    public var description: String { "Binance(\(environment), receive window \(configuration.receiveWindow) ms)" }

    /// A mirror showing only ``description``.
    public var customMirror: Mirror { Mirror(self, children: ["binance": description], displayStyle: .struct) }
}

extension Binance: Exchange {
    /// A value for a stand-in that serves every Binance host through `transport` (see
    /// ``Exchange/standIn(transport:rateLimit:timeSource:sleeper:logger:)``): ``Environment/local(_:)`` at
    /// `http://stand-in.invalid`, a name that never resolves (the transport answers every request
    /// itself), with `rateLimit` in place of Binance's request-weight budgets.
    public static func standIn(
        transport: any HTTPTransport, rateLimit: RateLimitGovernor.Limit?, timeSource: any TimeSource,
        sleeper: any Sleeper, logger: TradeOnlyLogger
    ) -> Binance {
        let binance = Binance(
            environment: .local(standInURL), transport: transport, timeSource: timeSource, logger: logger,
            sleeper: sleeper)
        for key in Set(binance.hostKeys.values) {
            binance.governor.setLimit(rateLimit, forHost: key)
        }
        return binance
    }

    /// The base URL of ``standIn(transport:rateLimit:timeSource:sleeper:logger:)``.
    static let standInURL = URL(string: "http://stand-in.invalid") ?? URL(fileURLWithPath: "/")
}
