import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

/// Binance's documented example key and the fixed time of its signing example.
enum Fixtures {
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    /// `timestamp=1499827319559` of the B-S1 example.
    static let timestamp: Int64 = 1_499_827_319_559
    static var date: Date { Date(timeIntervalSince1970: Double(timestamp) / 1000) }

    static func credentials() throws -> Credentials {
        try Credentials(apiKey: apiKey, secret: Secret(secret))
    }

    /// The signer a live client uses for the test key with every trade permission.
    static func signer(
        recvWindow: Int? = 5000, configuration: Binance.Configuration = .init(), environment: Binance.Environment = .live
    ) throws -> BinanceSigner {
        var configuration = configuration
        configuration.recvWindow = recvWindow ?? 5000
        let binance = Binance(environment: environment, transport: MockTransport(always: HTTPResponse(status: 404)), configuration: configuration)
        let signer = binance.signer(for: try credentials(), permissions: Set(TradePermission.allCases))
        return recvWindow == nil ? BinanceSigner(credentials: try credentials(), gate: signer.gate, recvWindow: nil) : signer
    }

    /// Parses a decimal literal exactly (never through `Double`).
    static func decimal(_ text: String) throws -> Decimal {
        try #require(Decimal(exactly: text), "not a decimal: \(text)")
    }
}

/// A stand-in Binance behind a `MockTransport`: answers `METHOD /path` from canned responses and
/// records every request byte for byte. `GET /api/v3/time` answers the example's time by default.
final class FakeBinance: Sendable {
    typealias Responder = @Sendable (HTTPRequest, Int) throws -> HTTPResponse

    let time: FixedTimeSource
    let transport: MockTransport
    private let routes: LockedValue<[String: Responder]>

    init(time: FixedTimeSource = FixedTimeSource(Fixtures.date)) {
        self.time = time
        let routes = LockedValue<[String: Responder]>([:])
        let counts = LockedValue<[String: Int]>([:])
        self.routes = routes
        self.transport = MockTransport { request in
            let key = FakeBinance.key(request.method, FakeBinance.path(of: request))
            let count = counts.withLock { counts -> Int in
                counts[key, default: 0] += 1
                return counts[key, default: 0]
            }
            guard let responder = routes.withLock({ $0[key] }) else {
                return HTTPResponse(status: 599, body: Data("no route for \(key) in the test".utf8))
            }
            return try responder(request, count)
        }
        on(.get, "/api/v3/time") { _, _ in HTTPResponse.json(#"{"serverTime":1499827319559}"#) }
    }

    static func key(_ method: HTTPMethod, _ path: String) -> String { "\(method.rawValue) \(path)" }

    static func path(of request: HTTPRequest) -> String {
        URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? request.url.path
    }

    /// Answers `method path` with `responder` (given the request and how many times this route was hit).
    func on(_ method: HTTPMethod, _ path: String, _ responder: @escaping Responder) {
        routes.withLock { $0[FakeBinance.key(method, path)] = responder }
    }

    /// Answers `method path` with a payload file.
    func on(_ method: HTTPMethod, _ path: String, payload name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws {
        let response = try payloads.response(name, status: status, headers: headers)
        on(method, path) { _, _ in response }
    }

    /// A `Binance` on this transport and clock. It waits (retries, rate limits, reconciliation) by
    /// moving the clock forwards instead of sleeping: no test waits for real.
    func binance(
        environment: Binance.Environment = .live, configuration: Binance.Configuration = .init(),
        logger: TradeOnlyLogger = .disabled, middlewares: [any HTTPMiddleware] = []
    ) -> Binance {
        Binance(
            environment: environment, transport: transport, timeSource: time, middlewares: middlewares, logger: logger,
            configuration: configuration, sleeper: sleeper, jitter: .seeded(1))
    }

    /// The sleeper of every `Binance` this fake makes: it moves ``time`` instead of waiting.
    var sleeper: AdvancingSleeper { AdvancingSleeper(time) }

    /// A client whose key was verified through the inspector with a canned `apiRestrictions` answer;
    /// the requests of the verification are forgotten.
    func client(
        restrictions: String = "apiRestrictions-trade-only.json", environment: Binance.Environment = .live,
        configuration: Binance.Configuration = .init(), logger: TradeOnlyLogger = .disabled
    ) async throws -> BinanceClient {
        try on(.get, "/sapi/v1/account/apiRestrictions", payload: restrictions)
        let binance = binance(environment: environment, configuration: configuration, logger: logger)
        let key = try await SafeKey.verify(Fixtures.credentials(), using: binance.keyInspector)
        transport.removeAllRequests()
        return binance.client(key)
    }

    /// Every request received.
    var requests: [HTTPRequest] { transport.requests }

    /// Every request but the clock's `GET /api/v3/time`.
    var apiRequests: [HTTPRequest] {
        transport.requests.filter { FakeBinance.path(of: $0) != "/api/v3/time" }
    }

    /// The requests for one route.
    func requests(_ method: HTTPMethod, _ path: String) -> [HTTPRequest] {
        transport.requests.filter { $0.method == method && FakeBinance.path(of: $0) == path }
    }
}

/// Returns a fixed report, for keys verified with another exchange.
struct CannedInspector: KeyInspector {
    let report: KeyReport
    func inspect(_ credentials: Credentials) async throws -> KeyReport { report }
}

extension HTTPRequest {
    /// The URL exactly as sent.
    var wire: String { url.absoluteString }
    /// The query exactly as sent.
    var query: String { URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery ?? "" }
    /// The body as text.
    var bodyText: String { body.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}
