import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

// Layer 2, "verification, bound to where it happened", against the simulator: middlewares cannot
// change a key check, keys stay bound to the origin they were verified against, custom inspectors
// are named, and clients verify their key again.

/// Records, in front of the simulator's transport, every request as `METHOD /path` and whether it was
/// signed (Binance's `signature=` in the query, Bybit's `X-BAPI-SIGN` header).
final class WireLog: HTTPTransport {
    let inner: any HTTPTransport
    private let entries = LockedValue<[(line: String, signed: Bool)]>([])

    init(_ inner: any HTTPTransport) { self.inner = inner }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let signed = (components?.percentEncodedQuery?.contains("signature=") ?? false) || request.headers["X-BAPI-SIGN"] != nil
        entries.withLock { $0.append(("\(request.method.rawValue) \(components?.percentEncodedPath ?? "")", signed)) }
        return try await inner.send(request)
    }

    /// Every request sent.
    var all: [String] { entries.current.map(\.line) }
    /// The signed requests sent.
    var signed: [String] { entries.current.filter(\.signed).map(\.line) }
    /// How many requests went to `METHOD path`.
    func count(_ line: String) -> Int { all.filter { $0 == line }.count }
    /// Forgets what was sent.
    func clear() { entries.withLock { $0 = [] } }
}

/// A middleware that rewrites the key-permission answer into a clean trade-only one, or serves the
/// first answer it saw to every later key (a cache keyed on the path alone). Counts what it sees.
final class KeyReportForger: HTTPMiddleware {
    enum Mode: Sendable { case rewrite, cache }
    let mode: Mode
    let path: String
    let clean: Data
    private let cached = LockedValue<HTTPResponse?>(nil)
    private let seen = LockedValue<[String]>([])

    init(_ mode: Mode, path: String, clean: String) {
        self.mode = mode
        self.path = path
        self.clean = Data(clean.utf8)
    }

    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let requestPath = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        seen.withLock { $0.append(requestPath) }
        guard requestPath == path else { return try await next(request) }
        switch mode {
        case .rewrite:
            var response = try await next(request)
            response.body = clean
            return response
        case .cache:
            if let hit = cached.current { return hit }
            let response = try await next(request)
            cached.withLock { $0 = response }
            return response
        }
    }

    /// The paths of every request the middleware saw.
    var paths: [String] { seen.current }

    static let binanceClean =
        #"{"ipRestrict":true,"createTime":1700000000000,"enableReading":true,"enableSpotAndMarginTrading":true,"enableFutures":true,"enableWithdrawals":false,"enableInternalTransfer":false,"permitsUniversalTransfer":false,"enableMargin":false,"enableVanillaOptions":false,"enablePortfolioMarginTrading":false,"enableFixApiTrade":false,"enableFixReadOnly":false}"#
    static let bybitClean =
        #"{"retCode":0,"retMsg":"OK","result":{"id":"1","note":"","apiKey":"k","readOnly":0,"secret":"","permissions":{"ContractTrade":["Order","Position"],"Spot":["SpotTrade"],"Wallet":[],"Derivatives":["DerivativesTrade"]},"ips":["127.0.0.1"],"type":1,"deadlineDay":-2,"expiredAt":"1970-01-01T00:00:00Z","uta":1,"isMaster":true},"retExtInfo":{},"time":1700000000000}"#
}

/// A custom inspector, as outside code writes one: it says every key is a clean trade-only key.
struct ClaimsCleanInspector: KeyInspector {
    let exchange: String
    func inspect(_ credentials: Credentials) async throws -> KeyReport {
        KeyReport(exchange: exchange, permissions: [.read, .spotTrade, .futuresTrade], isIPRestricted: true, environment: "local")
    }
}

func credentials(_ key: SimulatedKey) throws -> Credentials {
    try Credentials(apiKey: key.apiKey, secret: Secret(key.secret))
}

/// One simulator on a fixed clock, and exchange values pointed at it through one logged transport.
struct KeySimulation {
    let time = FixedTimeSource(fixedStart)
    let exchange: SimulatedExchange
    let log: WireLog

    init(_ dialect: Dialect) {
        exchange = SimulatedExchange.standard(for: dialect, configuration: .init(timeSource: time))
        log = WireLog(exchange.transport(for: dialect))
    }

    func binance(
        _ environment: Binance.Environment, middlewares: [any HTTPMiddleware] = [],
        configuration: Binance.Configuration = .init()
    ) -> Binance {
        Binance(
            environment: environment, transport: log, timeSource: time, middlewares: middlewares,
            configuration: configuration, sleeper: AdvancingSleeper(time), jitter: .seeded(3))
    }

    func bybit(
        _ environment: Bybit.Environment, middlewares: [any HTTPMiddleware] = [],
        configuration: Bybit.Configuration = .init()
    ) -> Bybit {
        Bybit(
            environment: environment, transport: log, timeSource: time, sleeper: AdvancingSleeper(time),
            middlewares: middlewares, configuration: configuration)
    }

    /// The standard trade key, with extra permissions and without some, as its owner would change it.
    func changeTradeKey(adding added: Set<Permission> = [], removing removed: Set<Permission> = []) async {
        let permissions = SimulatedExchange.standardTradeKey.permissions.union(added).subtracting(removed)
        #expect(await exchange.setPermissions(permissions, ofKey: SimulatedExchange.standardTradeKey.apiKey))
    }
}

func url(_ text: String) throws -> URL { try #require(URL(string: text)) }

let spotOrder = OrderRequest.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001") ?? 0, price: 60_000)

// MARK: - Middlewares and custom inspectors

@Suite("Key checks no middleware can touch (simulator)")
struct KeyCheckIsolationTests {
    @Test(
        "Binance: a middleware that rewrites or caches the apiRestrictions answer cannot make the withdraw key pass",
        arguments: [KeyReportForger.Mode.rewrite, .cache])
    func binanceForgedAnswer(mode: KeyReportForger.Mode) async throws {
        let simulation = KeySimulation(.binance)
        let forger = KeyReportForger(mode, path: "/sapi/v1/account/apiRestrictions", clean: KeyReportForger.binanceClean)
        let binance = simulation.binance(.local(try url("http://127.0.0.1:1234")), middlewares: [forger])
        // The cache would serve this answer to the next key, if it saw it.
        let trade = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: binance.keyInspector)
        let error = await bybitError {
            _ = try await SafeKey.verify(credentials(SimulatedExchange.standardWithdrawKey), using: binance.keyInspector)
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(forger.paths.isEmpty, "the key check never passes through a user middleware")
        // The middleware is in place for the client's own requests.
        _ = try await binance.client(trade).balances()
        #expect(forger.paths.contains("/api/v3/account"))
    }

    @Test(
        "Bybit: a middleware that rewrites or caches the query-api answer cannot make the withdraw key pass",
        arguments: [KeyReportForger.Mode.rewrite, .cache])
    func bybitForgedAnswer(mode: KeyReportForger.Mode) async throws {
        let simulation = KeySimulation(.bybit)
        let forger = KeyReportForger(mode, path: "/v5/user/query-api", clean: KeyReportForger.bybitClean)
        let bybit = simulation.bybit(.local(try url("http://127.0.0.1:1234")), middlewares: [forger])
        let trade = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: bybit.keyInspector)
        let error = await bybitError {
            _ = try await SafeKey.verify(credentials(SimulatedExchange.standardWithdrawKey), using: bybit.keyInspector)
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(forger.paths.isEmpty, "the key check never passes through a user middleware")
        _ = try await bybit.client(trade).balances()
        #expect(forger.paths.contains("/v5/account/wallet-balance"))
    }

    @Test("Binance: a custom inspector's key is refused without the opt-in; with it, the client verifies it first")
    func binanceCustomInspector() async throws {
        let simulation = KeySimulation(.binance)
        let binance = simulation.binance(.local(try url("http://127.0.0.1:1234")))
        let claims = ClaimsCleanInspector(exchange: "binance")
        let withdraw = try credentials(SimulatedExchange.standardWithdrawKey)
        let refused = await bybitError { _ = try await SafeKey.verify(withdraw, using: claims) }
        #expect(refused?.kind == .unsafeKey)
        #expect(refused?.message.contains("custom KeyInspector (ClaimsCleanInspector)") == true)
        #expect(simulation.log.all.isEmpty)

        let policy = KeyPolicy.tradeOnly.acceptingCustomInspector(reason: "testing what a client does with it")
        let key = try await SafeKey.verify(withdraw, using: claims, policy: policy)
        #expect(key.description.contains("accepted from custom inspector ClaimsCleanInspector because: testing"))
        let client = binance.client(key)
        let error = await bybitError { _ = try await client.balances() }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(simulation.log.signed == ["GET /sapi/v1/account/apiRestrictions"], "checked by Binance; the account was never asked")
        // A trade key from the same inspector works once Binance has verified it.
        let trade = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: claims, policy: policy)
        simulation.log.clear()
        _ = try await binance.client(trade).balances()
        #expect(simulation.log.signed == ["GET /sapi/v1/account/apiRestrictions", "GET /api/v3/account"])
    }

    @Test("Bybit: a custom inspector's key is refused without the opt-in; with it, the client verifies it first")
    func bybitCustomInspector() async throws {
        let simulation = KeySimulation(.bybit)
        let bybit = simulation.bybit(.local(try url("http://127.0.0.1:1234")))
        let claims = ClaimsCleanInspector(exchange: "bybit")
        let withdraw = try credentials(SimulatedExchange.standardWithdrawKey)
        let refused = await bybitError { _ = try await SafeKey.verify(withdraw, using: claims) }
        #expect(refused?.kind == .unsafeKey)
        let policy = KeyPolicy.tradeOnly.acceptingCustomInspector(reason: "testing what a client does with it")
        let key = try await SafeKey.verify(withdraw, using: claims, policy: policy)
        let error = await bybitError { _ = try await bybit.client(key).balances() }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(simulation.log.signed == ["GET /v5/user/query-api"])
    }
}

// MARK: - Origins

@Suite("Keys bound to the origin they were verified against (simulator)")
struct KeyOriginTests {
    @Test(
        "Binance: a key verified on local(http://127.0.0.1:1234) signs nothing on another origin or environment",
        arguments: ["https://api.binance.com", "http://127.0.0.1:1235", "https://127.0.0.1:1234", "http://localhost:1234"])
    func binanceOtherOrigin(other: String) async throws {
        let simulation = KeySimulation(.binance)
        let verifiedOn = simulation.binance(.local(try url("http://127.0.0.1:1234")))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: verifiedOn.keyInspector)
        let client = simulation.binance(.local(try url(other))).client(key)
        simulation.log.clear()
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await client.balances() },
            { _ = try await client.place(spotOrder) },
            { _ = try await client.openOrders(for: "BTC/USDT") },
            { _ = try await client.perform(ExchangeRequest(method: .get, path: "/api/v3/account", security: .signed)) },
        ]
        for call in calls {
            let error = await bybitError { try await call() }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains("verified against http://127.0.0.1:1234, not against") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("binance.keyInspector") == true)
        }
        #expect(simulation.log.all.isEmpty, "nothing is sent")
        #expect(client.permissions.isEmpty)
        // Public market data still works.
        #expect(try await client.ticker("BTC/USDT").lastPrice == 65_000)
        #expect(simulation.log.signed.isEmpty)
    }

    @Test("Binance: the key works on the value that verified it; another value for the same URL verifies it first; live refuses it")
    func binanceSameOrigin() async throws {
        let simulation = KeySimulation(.binance)
        let local = try url("http://127.0.0.1:1234")
        let verifiedOn = simulation.binance(.local(local))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: verifiedOn.keyInspector)
        simulation.log.clear()
        _ = try await verifiedOn.client(key).balances()
        #expect(simulation.log.signed == ["GET /api/v3/account"])

        simulation.log.clear()
        _ = try await simulation.binance(.local(local)).client(key).balances()
        #expect(
            simulation.log.signed == ["GET /sapi/v1/account/apiRestrictions", "GET /api/v3/account"],
            "another Binance value (another transport) verifies the key through its own first")

        let live = simulation.binance(.live).client(key)
        simulation.log.clear()
        let error = await bybitError { _ = try await live.balances() }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.message.contains("verified on Binance local, not on Binance live") == true)
        #expect(simulation.log.all.isEmpty)
    }

    static let bybitCases: [(verified: String, client: String)] = [
        ("local http://127.0.0.1:1234", "local https://api.bybit.com"),
        ("local http://127.0.0.1:1234", "local http://127.0.0.1:1235"),
        ("live", "live api.bybit.eu"),
        ("live api.bybit.eu", "live api.bybit.nl"),
        ("live", "local https://api.bybit.com"),
    ]

    static func bybitEnvironment(_ text: String) throws -> Bybit.Environment {
        switch text {
        case "live": return .live
        case "live api.bybit.eu": return .live(host: .europe)
        case "live api.bybit.nl": return .live(host: .netherlands)
        default: return .local(try url(String(text.dropFirst("local ".count))))
        }
    }

    @Test(
        "Bybit: a key signs nothing on another origin (local ports, regional hosts) or environment",
        arguments: bybitCases.map { "\($0.verified) → \($0.client)" })
    func bybitOtherOrigin(pair: String) async throws {
        let parts = pair.components(separatedBy: " → ")
        let simulation = KeySimulation(.bybit)
        let verifiedOn = simulation.bybit(try Self.bybitEnvironment(parts[0]))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: verifiedOn.keyInspector)
        let client = simulation.bybit(try Self.bybitEnvironment(parts[1])).client(key)
        simulation.log.clear()
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await client.balances() },
            { _ = try await client.place(spotOrder) },
            { _ = try await client.perform(ExchangeRequest(method: .get, path: "/v5/account/wallet-balance", security: .signed)) },
        ]
        for call in calls {
            let error = await bybitError { try await call() }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains("bybit.keyInspector") == true)
        }
        #expect(simulation.log.all.isEmpty, "nothing is sent")
        // Public market data still works, as on Binance.
        #expect(try await client.ticker("BTC/USDT").lastPrice == 65_000)
        #expect(simulation.log.signed.isEmpty)
        // The Bybit that verified the key trades with it.
        simulation.log.clear()
        _ = try await verifiedOn.client(key).balances()
        #expect(simulation.log.signed == ["GET /v5/account/wallet-balance"])
    }
}

// MARK: - Re-verification

@Suite("Clients verify their key again (simulator)")
struct KeyReverificationTests {
    @Test("Binance: after the interval, a key that gained withdrawals is refused before the next order; nothing is sent")
    func binanceSchedule() async throws {
        let simulation = KeySimulation(.binance)
        let binance = simulation.binance(.local(try url("http://127.0.0.1:1234")))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: binance.keyInspector)
        let client = binance.client(key)
        _ = try await client.place(spotOrder)
        // An hour later: no check yet.
        simulation.time.advance(by: 3600)
        simulation.log.clear()
        _ = try await client.balances()
        #expect(simulation.log.signed == ["GET /api/v3/account"])

        await simulation.changeTradeKey(adding: [.withdraw])
        simulation.time.advance(by: 86_400 - 3600)
        simulation.log.clear()
        let error = await bybitError { _ = try await client.place(spotOrder) }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(error?.message.contains("gained 'Withdraw (moves funds)'") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("disable 'Enable Withdrawals' for this key in API Management") == true)
        #expect(simulation.log.signed == ["GET /sapi/v1/account/apiRestrictions"], "the check, and no order")
        #expect(await simulation.exchange.allOrders().count == 1)

        // Every signed call is refused from now on, without asking again; public data still works.
        simulation.log.clear()
        for call: @Sendable () async throws -> Void in [
            { _ = try await client.balances() }, { _ = try await client.place(spotOrder) },
            { _ = try await client.openOrders(for: "BTC/USDT") },
        ] {
            #expect(await bybitError { try await call() }?.kind == .unsafeKey)
        }
        #expect(simulation.log.all.isEmpty)
        _ = try await client.ticker("BTC/USDT")
        #expect(simulation.log.signed.isEmpty)
    }

    @Test("Bybit: after the interval, a key that gained withdrawals is refused before the next order; nothing is sent")
    func bybitSchedule() async throws {
        let simulation = KeySimulation(.bybit)
        let bybit = simulation.bybit(.local(try url("http://127.0.0.1:1234")), configuration: .init(keyReverificationInterval: 3600))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: bybit.keyInspector)
        let client = bybit.client(key)
        _ = try await client.place(spotOrder)
        await simulation.changeTradeKey(adding: [.withdraw])
        simulation.time.advance(by: 3599)
        simulation.log.clear()
        _ = try await client.balances()
        #expect(simulation.log.signed == ["GET /v5/account/wallet-balance"], "not due yet")
        simulation.time.advance(by: 1)
        simulation.log.clear()
        let error = await bybitError { _ = try await client.place(spotOrder) }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(error?.message.contains("Assets › Withdrawal") == true, "\(error?.message ?? "")")
        #expect(simulation.log.signed == ["GET /v5/user/query-api"])
        #expect(await simulation.exchange.allOrders().count == 1)
        simulation.log.clear()
        #expect(await bybitError { _ = try await client.positions() }?.kind == .unsafeKey)
        #expect(simulation.log.all.isEmpty)
    }

    @Test("Binance: a key verified long before its client's first order is checked first")
    func binanceStart() async throws {
        let simulation = KeySimulation(.binance)
        let binance = simulation.binance(.local(try url("http://127.0.0.1:1234")))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: binance.keyInspector)
        await simulation.changeTradeKey(adding: [.withdraw, .internalTransfer])
        simulation.time.advance(by: 61)
        let client = binance.client(key)
        simulation.log.clear()
        let error = await bybitError { _ = try await client.place(spotOrder) }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.message.contains("not within the 60 s before this client's first signed request") == true)
        #expect(simulation.log.signed == ["GET /sapi/v1/account/apiRestrictions"])
        #expect(await simulation.exchange.allOrders().isEmpty)
    }

    @Test("Binance: an answer -2015 makes the client check its key; a key that can now withdraw is refused")
    func binancePermissionError() async throws {
        let simulation = KeySimulation(.binance)
        let binance = simulation.binance(.local(try url("http://127.0.0.1:1234")))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: binance.keyInspector)
        let client = binance.client(key)
        _ = try await client.balances()
        simulation.time.advance(by: 120)

        // The owner turns spot trading off: the check passes, the order fails with Binance's answer.
        await simulation.changeTradeKey(removing: [.spotTrade])
        simulation.log.clear()
        let rejected = await bybitError { _ = try await client.place(spotOrder) }
        #expect(rejected?.kind == .authentication)
        #expect(rejected?.code == "-2015")
        #expect(simulation.log.signed == ["POST /api/v3/order", "GET /sapi/v1/account/apiRestrictions"])
        // Within a minute of that check, another -2015 does not check again.
        simulation.log.clear()
        _ = await bybitError { _ = try await client.place(spotOrder) }
        #expect(simulation.log.signed == ["POST /api/v3/order"])

        // Later the owner enables withdrawals too: the next -2015 reveals it.
        simulation.time.advance(by: 120)
        await simulation.changeTradeKey(adding: [.withdraw], removing: [.spotTrade])
        simulation.log.clear()
        let error = await bybitError { _ = try await client.place(spotOrder) }
        #expect(error?.kind == .unsafeKey)
        #expect(
            error?.message.contains("binance answered a signed request with authentication, code -2015") == true,
            "\(error?.message ?? "")")
        // What changed since the last check (spot trading was already off then).
        #expect(error?.message.contains("gained 'Withdraw (moves funds)'") == true)
        #expect(error?.message.contains("lost") == false)
        #expect(simulation.log.signed == ["POST /api/v3/order", "GET /sapi/v1/account/apiRestrictions"])
        simulation.log.clear()
        #expect(await bybitError { _ = try await client.balances() }?.kind == .unsafeKey)
        #expect(simulation.log.all.isEmpty)
    }

    @Test("Bybit: an answer 10005 makes the client check its key; a key that can now withdraw is refused")
    func bybitPermissionError() async throws {
        let simulation = KeySimulation(.bybit)
        let bybit = simulation.bybit(.local(try url("http://127.0.0.1:1234")))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: bybit.keyInspector)
        let client = bybit.client(key)
        _ = try await client.balances()
        simulation.time.advance(by: 120)
        await simulation.changeTradeKey(adding: [.withdraw], removing: [.spotTrade])
        simulation.log.clear()
        let error = await bybitError { _ = try await client.place(spotOrder) }
        #expect(error?.kind == .unsafeKey)
        #expect(
            error?.message.contains("bybit answered a signed request with permissionDenied, code 10005") == true,
            "\(error?.message ?? "")")
        #expect(simulation.log.signed == ["POST /v5/order/create", "GET /v5/user/query-api"])
        simulation.log.clear()
        #expect(await bybitError { _ = try await client.balances() }?.kind == .unsafeKey)
        #expect(simulation.log.all.isEmpty)
    }

    @Test("concurrent Binance orders wait for one re-verification")
    func binanceConcurrent() async throws {
        let simulation = KeySimulation(.binance)
        let binance = simulation.binance(.local(try url("http://127.0.0.1:1234")))
        let key = try await SafeKey.verify(credentials(SimulatedExchange.standardTradeKey), using: binance.keyInspector)
        let client = binance.client(key)
        _ = try await client.instrument("BTC/USDT")
        simulation.time.advance(by: 86_400)
        _ = try await client.instrument("BTC/USDT")
        simulation.log.clear()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    _ = try await client.place(
                        .limit(
                            .buy, "BTC/USDT", quantity: Decimal(exactly: "0.001") ?? 0, price: Decimal(60_000 + index)))
                }
            }
            try await group.waitForAll()
        }
        #expect(simulation.log.count("GET /sapi/v1/account/apiRestrictions") == 1)
        #expect(simulation.log.count("POST /api/v3/order") == 8)
    }

    @Test("fault runs verify the key once, not on every order", arguments: [Dialect.binance, .bybit])
    func faultRunChecksOnce(dialect: Dialect) async throws {
        let log = LockedValue<WireLog?>(nil)
        let report = await FaultRun(dialect, configuration: .init(orders: 300, seed: 42)) { connection in
            let wire = WireLog(connection.transport)
            log.withLock { $0 = wire }
            let logged = connection.replacingTransport(wire)
            return dialect == .binance
                ? try await FaultRunFactories.binance(logged) : try await FaultRunFactories.bybit(logged)
        }.run()
        #expect(report.passed, "\(report)")
        let wire = try #require(log.current)
        let check = dialect == .binance ? "GET /sapi/v1/account/apiRestrictions" : "GET /v5/user/query-api"
        #expect(wire.count(check) == 1, "the verification only")
        #expect(wire.all.count > 300)
    }
}
