import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

/// A `Bybit` wired to a `MockTransport` that answers by path, with a fixed clock that only waits move
/// (an `AdvancingSleeper`): retries, rate-limit waits and reconciliation take no real time.
///
/// `/v5/market/time` always answers with the fixed clock's time, so the server clock's offset is 0
/// and every timestamp on the wire is the fixed time. Other paths answer from queues of replies: each
/// request takes the next reply, and the last one repeats.
final class BybitHarness: Sendable {
    enum Reply: Sendable {
        case payload(String, status: Int = 200, headers: HTTPHeaders = [:])
        case response(HTTPResponse)
        case failure(HTTPTransportError)
        case handler(@Sendable (HTTPRequest) throws -> HTTPResponse)
    }

    static let apiKey = "XXXXXXXXXX"
    static let secret = "bybit-test-secret"
    /// 2022-12-28T07:18:48.338Z: the timestamp of the documented create-order request.
    static let start = Date(timeIntervalSince1970: 1_672_211_928.338)
    static let fastReconciliation = ReconciliationPolicy(deadline: 0.3, initialDelay: 0.01, maximumDelay: 0.05)

    let time: FixedTimeSource
    let sleeper: AdvancingSleeper
    let transport: MockTransport
    let bybit: Bybit
    private let routes: LockedValue<[String: [Reply]]>

    init(
        environment: Bybit.Environment = .testnet,
        configuration: Bybit.Configuration = Bybit.Configuration(reconciliation: BybitHarness.fastReconciliation),
        logger: TradeOnlyLogger = .disabled,
        middlewares: [any HTTPMiddleware] = [],
        start: Date = BybitHarness.start
    ) {
        let time = FixedTimeSource(start)
        let routes = LockedValue<[String: [Reply]]>([:])
        let transport = MockTransport { request in
            let path = BybitSigner.split(request.url).path
            if path == "/v5/market/time" {
                let nano = Int64((time.now().timeIntervalSince1970 * 1000).rounded()) * 1_000_000
                let body =
                    #"{"retCode":0,"retMsg":"OK","result":{"timeSecond":"\#(nano / 1_000_000_000)","timeNano":"\#(nano)"},"retExtInfo":{},"time":\#(nano / 1_000_000)}"#
                return HTTPResponse(status: 200, body: Data(body.utf8))
            }
            let key = "\(request.method.rawValue) \(path)"
            let reply: Reply? = routes.withLock { table in
                guard var queue = table[key], !queue.isEmpty else { return nil }
                let next = queue.count > 1 ? queue.removeFirst() : queue[0]
                table[key] = queue
                return next
            }
            switch reply {
            case .payload(let name, let status, let headers)?:
                return try payloads.response(name, status: status, headers: headers)
            case .response(let response)?:
                return response
            case .failure(let error)?:
                throw error
            case .handler(let handler)?:
                return try handler(request)
            case nil:
                return HTTPResponse(status: 404, body: Data("no route for \(key)".utf8))
            }
        }
        let sleeper = AdvancingSleeper(time)
        self.time = time
        self.sleeper = sleeper
        self.routes = routes
        self.transport = transport
        self.bybit = Bybit(
            environment: environment, transport: transport, timeSource: time, sleeper: sleeper, middlewares: middlewares,
            logger: logger, configuration: configuration)
    }

    /// Queues replies for `METHOD path`, replacing any left.
    func on(_ method: HTTPMethod, _ path: String, _ replies: Reply...) {
        routes.withLock { $0["\(method.rawValue) \(path)"] = replies }
    }

    /// Answers the instrument lists of both categories from the recorded payloads (spot in one page,
    /// linear in two pages joined by a cursor), as often as they are asked for; returns the harness.
    @discardableResult
    func answeringInstruments() -> BybitHarness {
        on(
            .get, "/v5/market/instruments-info",
            .handler { request in
                if request.url.absoluteString.contains("category=spot") {
                    return try payloads.response("instruments-spot.json")
                }
                return try payloads.response(
                    request.url.absoluteString.contains("cursor=")
                        ? "instruments-linear-page2.json" : "instruments-linear-page1.json")
            })
        return self
    }

    static var credentials: Credentials {
        get throws { try Credentials(apiKey: apiKey, secret: Secret(secret)) }
    }

    /// Verifies the test key against a recorded key report.
    func verifiedKey(_ report: String = "query-api-trade-only.json", policy: KeyPolicy = .tradeOnly) async throws -> SafeKey {
        on(.get, "/v5/user/query-api", .payload(report))
        return try await SafeKey.verify(Self.credentials, using: bybit.keyInspector, policy: policy)
    }

    /// A client with a verified trade-only key; the verification's requests are forgotten.
    func client(_ report: String = "query-api-trade-only.json") async throws -> BybitClient {
        let key = try await verifiedKey(report)
        transport.removeAllRequests()
        return bybit.client(key)
    }

    /// Every request sent except clock synchronisation.
    var sent: [HTTPRequest] {
        transport.requests.filter { BybitSigner.split($0.url).path != "/v5/market/time" }
    }

    /// The requests sent to `METHOD path`.
    func sent(_ method: HTTPMethod, _ path: String) -> [HTTPRequest] {
        sent.filter { $0.method == method && BybitSigner.split($0.url).path == path }
    }

    /// Clock synchronisation requests sent.
    var timeRequests: Int {
        transport.requests.count - sent.count
    }

    /// The fixed clock's time in milliseconds, as it goes on the wire.
    var timestamp: String { String(BybitSigner.milliseconds(time.now())) }

    /// The signature of `timestamp + apiKey + recvWindow + payload` with the test secret, computed
    /// from the string (the request tests check the composition; the vector tests check the HMAC).
    static func signature(timestamp: String, payload: String, recvWindow: Int = 5000) throws -> String {
        let signer = try Self.signer(recvWindow: recvWindow)
        return signer.signature(of: timestamp + apiKey + String(recvWindow) + payload)
    }

    /// The signer a client of `environment` uses for the test key with every trade permission.
    static func signer(environment: Bybit.Environment = .live, recvWindow: Int = 5000) throws -> BybitSigner {
        var configuration = Bybit.Configuration()
        configuration.receiveWindow = recvWindow
        let bybit = Bybit(environment: environment, transport: MockTransport(always: HTTPResponse(status: 404)), configuration: configuration)
        return bybit.signer(for: try credentials, permissions: Set(TradePermission.allCases))
    }

    /// The body of a request as text.
    static func body(_ request: HTTPRequest) -> String {
        String(decoding: request.body ?? Data(), as: UTF8.self)
    }

    /// Expects a request's headers to be exactly Bybit's signed headers (plus Content-Type for a POST).
    static func expectSignedHeaders(
        _ request: HTTPRequest, timestamp: String, payload: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var expected: [(String, String)] = []
        if request.method == .post { expected.append(("Content-Type", "application/json")) }
        expected += [
            ("X-BAPI-API-KEY", apiKey),
            ("X-BAPI-TIMESTAMP", timestamp),
            ("X-BAPI-RECV-WINDOW", "5000"),
            ("X-BAPI-SIGN", try signature(timestamp: timestamp, payload: payload)),
            ("X-BAPI-SIGN-TYPE", "2"),
        ]
        let actual = request.headers.map { ($0.name, $0.value) }
        #expect(actual.map(\.0) == expected.map(\.0), sourceLocation: sourceLocation)
        #expect(actual.map(\.1) == expected.map(\.1), sourceLocation: sourceLocation)
    }
}

extension ExchangeError {
    /// Runs `body` and returns the `ExchangeError` it throws, or records an issue.
    static func caught(
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
}

extension Decimal {
    /// A decimal from its exact text; crashes the test on a typo.
    static func exact(_ text: String) -> Decimal {
        guard let value = Decimal(exactly: text) else {
            Issue.record("not a decimal: \(text)")
            return .nan
        }
        return value
    }
}
