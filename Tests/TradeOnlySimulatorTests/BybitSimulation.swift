import Foundation
import Testing
import TradeOnly
import TradeOnlyBybit
import TradeOnlySimulator

/// A ``SimulatedExchange`` speaking Bybit v5 in process, and a `Bybit` pointed at it, both on one test
/// clock that only waits move (an `AdvancingSleeper`): retries, rate-limit waits, bans and
/// reconciliation take no real time.
struct BybitSimulation {
    /// Where the in-process transport pretends the simulator is (any host reaches it).
    static let baseURL = URL(string: "http://127.0.0.1:18080") ?? URL(fileURLWithPath: "/")

    let exchange: SimulatedExchange
    let time: FixedTimeSource
    let sleeper: AdvancingSleeper
    let bybit: Bybit
    /// Every request the client sent through its middlewares, unsigned (retries and clock syncs included).
    let log: BybitRequestLog

    /// - Parameters:
    ///   - pageSize: A cap on the simulator's page sizes, to exercise pagination.
    ///   - configuration: The client's settings.
    ///   - logger: The client's logger.
    ///   - transport: Wraps the simulator's transport (to record what goes on the wire).
    init(
        pageSize: Int? = nil,
        configuration: Bybit.Configuration = Bybit.Configuration(),
        logger: TradeOnlyLogger = .disabled,
        clientIP: String = "127.0.0.1",
        transport wrap: (SimulatedTransport) -> any HTTPTransport = { $0 }
    ) {
        let time = FixedTimeSource(fixedStart)
        let sleeper = AdvancingSleeper(time)
        var simulator = SimulatedExchange.Configuration(timeSource: time)
        simulator.maximumPageSize = pageSize
        let exchange = SimulatedExchange.standard(for: .bybit, configuration: simulator)
        let log = BybitRequestLog()
        self.exchange = exchange
        self.time = time
        self.sleeper = sleeper
        self.log = log
        self.bybit = Bybit(
            environment: .local(Self.baseURL), transport: wrap(exchange.transport(for: .bybit, clientIP: clientIP)),
            timeSource: time, sleeper: sleeper, middlewares: [log], logger: logger, configuration: configuration)
    }

    static func credentials(_ key: SimulatedKey = SimulatedExchange.standardTradeKey) throws -> Credentials {
        try Credentials(apiKey: key.apiKey, secret: Secret(key.secret))
    }

    /// Verifies a simulator key with the key inspector.
    func verify(_ key: SimulatedKey = SimulatedExchange.standardTradeKey, policy: KeyPolicy = .tradeOnly) async throws -> SafeKey {
        try await SafeKey.verify(Self.credentials(key), using: bybit.keyInspector, policy: policy)
    }

    /// A client for the standard trade key.
    func client() async throws -> BybitClient {
        bybit.client(try await verify())
    }

    /// Sets the fault plan.
    func inject(_ plan: FaultPlan) async {
        await exchange.setFaultPlan(plan)
    }

    /// The exchange's balances by asset (totals).
    func totals() async -> [String: Decimal] {
        await exchange.balances().mapValues(\.total)
    }
}

/// Records the method and path of every request the client hands its middlewares.
final class BybitRequestLog: HTTPMiddleware {
    private let entries = LockedValue<[String]>([])

    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? ""
        let query = components?.percentEncodedQuery.map { "?" + $0 } ?? ""
        entries.withLock { $0.append("\(request.method.rawValue) \(path)\(query)") }
        return try await next(request)
    }

    /// Every request as `METHOD /path?query`.
    var all: [String] { entries.current }

    /// The requests to `METHOD path` (any query).
    func count(_ method: HTTPMethod, _ path: String) -> Int {
        all.filter { $0 == "\(method.rawValue) \(path)" || $0.hasPrefix("\(method.rawValue) \(path)?") }.count
    }

    /// Clock synchronisations so far.
    var timeRequests: Int { count(.get, "/v5/market/time") }
}

/// A transport that records the headers of every request it sends (the signed ones included).
struct BybitRecordingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let sent = LockedValue<[HTTPRequest]>([])

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        sent.withLock { $0.append(request) }
        return try await inner.send(request)
    }
}

/// Runs `body` and returns the `ExchangeError` it throws, or records an issue.
func bybitError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> ExchangeError? {
    do {
        try await body()
        Issue.record("expected an ExchangeError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as ExchangeError {
        return error
    } catch {
        Issue.record("expected an ExchangeError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
