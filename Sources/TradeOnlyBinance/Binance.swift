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
/// request), the endpoint policy (``BinancePolicy``) and this IP's rate-limit usage and bans. Make one
/// per environment and share it.
public struct Binance: Sendable {
    /// The exchange's name, as it appears in errors, key reports and logs: `"binance"`.
    public static let exchangeName = "binance"

    /// The deployment requests go to.
    public let environment: Environment
    /// The settings of every client.
    public let configuration: Configuration
    /// The endpoint policy every request is checked against (the built-in one plus
    /// ``Configuration/additionalAllowedEndpoints``).
    public let endpointPolicy: EndpointPolicy
    /// The exchange's clock, shared by every client of this value.
    public let clock: ServerClock

    let transport: any HTTPTransport
    let timeSource: any TimeSource
    let middlewares: [any HTTPMiddleware]
    let logger: TradeOnlyLogger
    let state: BinanceSharedState

    /// Creates a Binance connection.
    ///
    /// - Parameters:
    ///   - environment: Live, testnet, demo, or a local stand-in. Required: nothing defaults to live.
    ///   - transport: How requests are sent, for example `URLSessionTransport()`.
    ///   - timeSource: Where the local time comes from. Defaults to the system clock.
    ///   - middlewares: User middlewares; they see every request before it is signed.
    ///   - logger: Where events go (redacted). Off by default.
    ///   - configuration: Receive window, reconciliation, extra allowed endpoints.
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
        self.endpointPolicy = BinancePolicy.policy(allowing: configuration.additionalAllowedEndpoints)
        self.clock = ServerClock(timeSource: timeSource)
        self.transport = transport
        self.timeSource = timeSource
        self.middlewares = middlewares
        self.logger = logger.forExchange(Binance.exchangeName)
        self.state = BinanceSharedState()
    }

    /// Asks Binance what a key can do (`GET /sapi/v1/account/apiRestrictions`), for
    /// `SafeKey.verify(_:using:policy:)`.
    public var keyInspector: BinanceKeyInspector { BinanceKeyInspector(binance: self) }

    /// A client that trades with a verified key.
    ///
    /// A key verified for another exchange is refused: every signed call of the client throws
    /// ``ExchangeError/Kind/invalidRequest`` and nothing is signed.
    ///
    /// - Parameter key: A key from `SafeKey.verify(_:using:policy:)` with ``keyInspector``.
    /// - Returns: The client.
    public func client(_ key: SafeKey) -> BinanceClient {
        BinanceClient(binance: self, key: key)
    }

    /// What Binance last reported about rate-limit usage, per host, across every client of this value.
    public var rateLimitUsage: RateLimitUsage { state.rateLimitUsage }

    // MARK: The request pipeline

    /// The pipeline for one signer (or none, for public market data).
    func pipeline(signer: BinanceSigner?) -> RequestPipeline {
        let binance = self
        return RequestPipeline(
            exchange: Binance.exchangeName,
            policy: endpointPolicy,
            transport: transport,
            middlewares: middlewares,
            signer: signer,
            clock: clock,
            logger: logger,
            encode: { try binance.encode($0) },
            classify: { request, response in
                BinanceErrorMapping.classify(request, response, now: binance.timeSource.now())
            },
            serverTimeRequest: ExchangeRequest(method: .get, path: "/api/v3/time"),
            decodeServerTime: { response in
                let wire = try ResponseClassification.decode(
                    WireServerTime.self, from: response, exchange: Binance.exchangeName, what: "server time")
                return Date(timeIntervalSince1970: Double(wire.serverTime) / 1000)
            },
            observe: { request, response in binance.observe(request, response) }
        )
    }

    /// A signer for `credentials`, with this value's policy and receive window.
    func signer(for credentials: Credentials) -> BinanceSigner {
        BinanceSigner(credentials: credentials, policy: endpointPolicy, recvWindow: configuration.recvWindow)
    }

    /// Builds the unsigned HTTP request: the host by path, every parameter in the query string
    /// (RFC 3986 percent-encoded), for every method. Refuses requests that cannot be sent here.
    package func encode(_ request: ExchangeRequest) throws -> HTTPRequest {
        if request.security == .signed { try configuration.validate() }
        guard let host = Host(path: request.path) else {
            throw ExchangeError(
                .invalidRequest, message: "no Binance host serves \(request.path): paths start with /api/, /sapi/ or /fapi/",
                exchange: Binance.exchangeName)
        }
        if !environment.servesSAPI && request.path.lowercased().hasPrefix("/sapi/") {
            throw ExchangeError(
                .invalidRequest,
                message: "Binance's spot testnet has no /sapi endpoints (\(request.path))", exchange: Binance.exchangeName)
        }
        let now = timeSource.now()
        if let until = state.ban(on: host, at: now) {
            throw ExchangeError(
                .banned,
                message: "Binance banned this IP on the \(host) host until \(until); TradeOnly sends nothing there until then",
                exchange: Binance.exchangeName, retry: .retryAfter(seconds: until.timeIntervalSince(now)),
                bannedUntil: until)
        }
        let base = try environment.baseURL(for: host)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(base.utf8.count + request.path.utf8.count + 24 * request.parameters.count + 1)
        bytes.append(contentsOf: base.utf8)
        bytes.append(contentsOf: request.path.utf8)
        if !request.parameters.isEmpty {
            bytes.append(UInt8(ascii: "?"))
            BinanceQueryEncoding.append(request.parameters, to: &bytes)
        }
        guard let url = URL(string: String(decoding: bytes, as: UTF8.self)) else {
            throw ExchangeError(
                .invalidRequest, message: "could not build a URL for \(request.method.rawValue) \(request.path)",
                exchange: Binance.exchangeName)
        }
        return HTTPRequest(method: request.method, url: url)
    }

    /// Records rate-limit headers and bans.
    func observe(_ request: ExchangeRequest, _ response: HTTPResponse) {
        guard let host = Host(path: request.path) else { return }
        let now = timeSource.now()
        state.observe(response, from: host, at: now)
        if response.status == 418 || response.status == 429,
            let until = BinanceErrorMapping.banEnd(of: response, now: now)
        {
            state.ban(host, until: until)
            logger.error("Binance banned this IP on the \(host) host until \(until)")
        }
    }
}

extension Binance: CustomStringConvertible, CustomReflectable {
    /// `Binance(live, recvWindow 5000 ms)`.
    public var description: String { "Binance(\(environment), recvWindow \(configuration.recvWindow) ms)" }

    /// A mirror showing only ``description``.
    public var customMirror: Mirror { Mirror(self, children: ["binance": description], displayStyle: .struct) }
}

/// `{"serverTime": 1499827319559}`.
struct WireServerTime: Decodable {
    let serverTime: Int64
}
