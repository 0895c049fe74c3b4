import Testing
import TradeOnly

/// A fake exchange built from the real `RequestPipeline`, with a trivial encoder, classifier and signer,
/// a `MockTransport`, a `FixedTimeSource` and an `AdvancingSleeper`: every wait moves the fixed clock,
/// so tests of minutes-long back-offs and bans run at once.
///
/// Hosts: paths under `/fapi/` go to `fapi.example.com`, everything else to `api.example.com`.
/// `GET /api/v3/time` is always answered with the exchange's time (`time.now() + serverOffset`). A body containing `"code":-1021` is a clock error, `"code":-1003` a
/// body-level rate limit (retry after 2 s); HTTP statuses are classified by `ResponseClassification`.
final class FakeExchange: Sendable {
    static let name = "fake"
    static let apiKey = "fakeKEYvmPU7cR3Qx9LmZa0TtWq8nE2sHyJd4KbGf6Uo1Ip5Ae"
    static let secret = "fakeSECRETnhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    let time: FixedTimeSource
    let sleeper: AdvancingSleeper
    let transport: MockTransport
    let clock: ServerClock
    let governor: RateLimitGovernor
    let sink = InMemoryLogSink()
    let serverOffset: TimeInterval
    let pipeline: RequestPipeline

    /// - Parameters:
    ///   - retryPolicy: The pipeline's retry policy (no jitter by default, so waits are exact).
    ///   - limits: The governor's weight budgets.
    ///   - maximumWait: The governor's longest accepted wait.
    ///   - resyncInterval: The clock's resync interval.
    ///   - serverOffset: How far the exchange's clock is ahead of the local one.
    ///   - middlewares: User middlewares.
    ///   - readUsage: The governor's header reader.
    ///   - handler: Answers every request but the server-time one.
    init(
        retryPolicy: RetryPolicy = RetryPolicy(jitter: 0),
        limits: [String: RateLimitGovernor.Limit] = [:],
        maximumWait: TimeInterval = 600,
        resyncInterval: TimeInterval = 300,
        serverOffset: TimeInterval = 0.75,
        middlewares: [any HTTPMiddleware] = [],
        readUsage: RateLimitGovernor.UsageReader? = nil,
        handler: @escaping @Sendable (HTTPRequest, FixedTimeSource) async throws -> HTTPResponse
    ) {
        let time = FixedTimeSource(Self.start)
        let sleeper = AdvancingSleeper(time)
        self.time = time
        self.sleeper = sleeper
        self.serverOffset = serverOffset
        transport = MockTransport { request in
            if request.url.path == "/api/v3/time" {
                let milliseconds = Int64((time.now().timeIntervalSince1970 + serverOffset) * 1000)
                return HTTPResponse(status: 200, body: Data(#"{"serverTime":\#(milliseconds)}"#.utf8))
            }
            return try await handler(request, time)
        }
        clock = ServerClock(timeSource: time, resyncInterval: resyncInterval)
        governor = RateLimitGovernor(
            limits: limits, maximumWait: maximumWait, timeSource: time, sleeper: sleeper, readUsage: readUsage)
        let parameters: Set<String> = ["symbol", "side", "newClientOrderId", "origClientOrderId", "w", "i"]
        let policy = EndpointPolicy(
            allowing: [.prefix("/api/").accepting(parameters), .prefix("/fapi/").accepting(parameters)],
            refusingParameters: [.refusing("timestamp"), .refusing("signature")], exchange: Self.name)
        pipeline = RequestPipeline(
            dialect: FakeDialect(policy: policy, time: time),
            transport: transport,
            middlewares: middlewares,
            signer: FakeSigner(
                gate: SigningGate(
                    policy: policy, origins: ["https://api.example.com", "https://fapi.example.com"],
                    permissions: Set(TradePermission.allCases), layout: .formEncoded)),
            clock: clock,
            logger: TradeOnlyLogger(sink: sink, minimumLevel: .trace, timeSource: time),
            retryPolicy: retryPolicy,
            governor: governor,
            sleeper: sleeper,
            jitter: .seeded(42))
    }

    /// The requests sent to `path` (any host), in order.
    func requests(to path: String, method: HTTPMethod? = nil) -> [HTTPRequest] {
        transport.requests.filter { $0.url.path == path && (method == nil || $0.method == method) }
    }

    /// The requests sent, other than server-time requests.
    var businessRequests: [HTTPRequest] {
        transport.requests.filter { $0.url.path != "/api/v3/time" }
    }

    /// The `timestamp` each signed request carried, in order.
    func timestamps(to path: String) -> [Int64] {
        requests(to: path).compactMap { request in
            URLComponents(url: request.url, resolvingAgainstBaseURL: false)?
                .queryItems?.first { $0.name == "timestamp" }?.value.flatMap { Int64($0) }
        }
    }

    /// Every signature sent, for leak scans.
    var signatures: [String] {
        transport.requests.compactMap { request in
            URLComponents(url: request.url, resolvingAgainstBaseURL: false)?
                .queryItems?.first { $0.name == "signature" }?.value
        }
    }

    static let order = ExchangeRequest(
        method: .post, path: "/api/v3/order", parameters: ["symbol": "BTCUSDT", "side": "BUY"], security: .signed)
    static let ticker = ExchangeRequest(method: .get, path: "/api/v3/ticker", parameters: ["symbol": "BTCUSDT"])
    static let futuresTicker = ExchangeRequest(method: .get, path: "/fapi/v1/ticker", parameters: ["symbol": "BTCUSDT"])

    static func ok(_ body: String = "{}", headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: Data(body.utf8))
    }

    static func status(_ status: Int, retryAfter: Int? = nil) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        if let retryAfter { headers["Retry-After"] = "\(retryAfter)" }
        return HTTPResponse(status: status, headers: headers, body: Data(#"{"code":0,"msg":"status \#(status)"}"#.utf8))
    }
}

/// Signs like Binance, without real cryptography: `timestamp` and a `signature` derived from the
/// secret and the query, plus the key header.
struct FakeSigner: RequestSigner {
    let gate: SigningGate
    var echoedIdentifiers: [String] { [FakeExchange.apiKey] }

    func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
        try gate.check(request)
        var signed = request
        let milliseconds = Int64((time.timeIntervalSince1970 * 1000).rounded(.down))
        let query = (request.url.query.map { $0 + "&" } ?? "") + "timestamp=\(milliseconds)"
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (FakeExchange.secret + query).utf8 { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let signature = String(format: "%016llx", digest) + String(format: "%016llx", digest &* 31)
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        components?.percentEncodedQuery = query + "&signature=" + signature
        guard let url = components?.url else { throw ExchangeError(.invalidRequest, message: "unsignable URL") }
        signed.url = url
        signed.headers["X-MBX-APIKEY"] = FakeExchange.apiKey
        return signed
    }
}

/// A switch a test opens once; `wait()` polls it with `Task.sleep`, so a cancelled task stops waiting
/// (as a real transport stops on cancellation).
final class ReleaseSwitch: Sendable {
    private let isOpen = LockedValue(false)

    func open() { isOpen.withLock { $0 = true } }

    var opened: Bool { isOpen.current }

    func wait() async throws {
        while !isOpen.current {
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }
}

/// A thread-safe counter for handlers.
final class Counter: Sendable {
    private let value = LockedValue(0)

    /// Adds one and returns the new count.
    @discardableResult
    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }

    var count: Int { value.current }
}

/// Waits until `condition` holds, looking again every millisecond.
///
/// There is no deadline of its own: how long the condition takes measures the machine's load (the
/// task that makes it true may wait for a thread of the cooperative pool), not the code under test.
/// The suites that use it have a time limit, which ends a test that would wait for ever.
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    while !condition() {
        try await Task.sleep(nanoseconds: 1_000_000)
    }
}

/// A test order.
func testOrder(_ clientOrderID: ClientOrderID, exchangeOrderID: String = "42", status: OrderStatus = .new) -> Order {
    Order(
        exchangeOrderID: exchangeOrderID, clientOrderID: clientOrderID.rawValue, symbol: "BTC/USDT", side: .buy,
        type: .limit, status: status, price: 30_000, quantity: Decimal(string: "0.001") ?? 0)
}

/// Runs `body` and returns the `ExchangeError` it throws (recording an issue if it throws something
/// else or nothing).
func exchangeError(_ body: () async throws -> Void) async -> ExchangeError? {
    do {
        try await body()
        Issue.record("expected an ExchangeError, but nothing was thrown")
        return nil
    } catch let error as ExchangeError {
        return error
    } catch {
        Issue.record("expected an ExchangeError, got \(type(of: error)): \(error)")
        return nil
    }
}

/// The fake exchange's dialect: a trivial encoder and classifier and `GET /api/v3/time`.
struct FakeDialect: ExchangeDialect {
    let policy: EndpointPolicy
    let time: FixedTimeSource

    var exchange: String { FakeExchange.name }
    var origins: [String] { ["https://api.example.com", "https://fapi.example.com"] }
    var endpointPolicy: EndpointPolicy { policy }
    var inspectorPolicy: EndpointPolicy { policy }
    var errorTable: ExchangeErrorTable {
        ExchangeErrorTable(exchange: FakeExchange.name, displayName: "Fake", codes: [:], fallback: [])
    }

    func encode(_ request: ExchangeRequest) throws -> HTTPRequest {
        let host = request.path.hasPrefix("/fapi/") ? "fapi.example.com" : "api.example.com"
        let query = request.parameters.percentEncodedQuery
        let url = URL(string: "https://\(host)\(request.path)" + (query.isEmpty ? "" : "?" + query))
        guard let url else { throw ExchangeError(.invalidRequest, message: "bad path") }
        return HTTPRequest(method: request.method, url: url)
    }

    func signer(for credentials: Credentials, permissions: Set<TradePermission>?) -> FakeSigner {
        FakeSigner(gate: SigningGate(policy: policy, origins: origins, permissions: permissions, layout: .formEncoded))
    }

    func classify(_ request: ExchangeRequest, _ response: HTTPResponse) -> ExchangeError? {
        let body = String(decoding: response.body, as: UTF8.self)
        if body.contains(#""code":-1021"#) {
            return ExchangeError(
                .timestampOutOfWindow, message: "timestamp outside the window", exchange: FakeExchange.name,
                code: "-1021", httpStatus: response.status, retry: .retryAfterClockSync)
        }
        if body.contains(#""code":-1003"#) {
            return ExchangeError(
                .rateLimited, message: "too many requests", exchange: FakeExchange.name, code: "-1003",
                httpStatus: response.status, retry: .retryAfter(seconds: 2))
        }
        return ResponseClassification.httpFailure(response, for: request, exchange: FakeExchange.name, now: time.now())
    }

    var serverTimeRequest: ExchangeRequest { ExchangeRequest(method: .get, path: "/api/v3/time") }

    func decodeServerTime(_ response: HTTPResponse) throws -> Date {
        struct Answer: Decodable { var serverTime: Int64 }
        let answer = try ResponseClassification.decode(
            Answer.self, from: response, exchange: FakeExchange.name, what: "server time")
        return Date(timeIntervalSince1970: Double(answer.serverTime) / 1000)
    }

    /// Nothing: the fake's governor reads the headers itself (`readUsage`).
    func observe(_ request: ExchangeRequest, _ response: HTTPResponse) {}

    var clientOrderIDRule: ClientOrderID.Rule { .binance }

    var keyReportRequest: ExchangeRequest { ExchangeRequest(method: .get, path: "/api/v3/key", security: .signed) }

    func keyReport(from response: HTTPResponse) throws -> KeyReport {
        throw ExchangeError(.invalidRequest, message: "the fake exchange has no key report", exchange: FakeExchange.name)
    }
}
