import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

/// 2023-11-14T22:13:20Z, the fixed time every run starts at.
let conformanceStart = Date(timeIntervalSince1970: 1_700_000_000)

/// Exact decimals from text.
func dec(_ text: String) -> Decimal {
    Decimal(exactly: text) ?? .nan
}

/// A transport that records every request and answers some routes with fixed payloads (the canned
/// answers), passing the rest on to another transport (the simulator), or refusing them when there
/// is none.
final class CannedTransport: HTTPTransport {
    /// A method and a path.
    struct Route: Sendable, Hashable {
        let method: HTTPMethod
        let path: String

        init(_ method: HTTPMethod, _ path: String) {
            self.method = method
            self.path = path
        }
    }

    private let fallback: (any HTTPTransport)?
    private let canned: LockedValue<[Route: HTTPResponse]>
    /// Answers used once each, before `canned`, in order.
    private let once = LockedValue<[Route: [HTTPResponse]]>([:])
    /// Answers for the next requests, whatever their route.
    private let next = LockedValue<[HTTPResponse]>([])
    private let log = LockedValue<[HTTPRequest]>([])

    init(answering canned: [Route: HTTPResponse] = [:], otherwise fallback: (any HTTPTransport)?) {
        self.canned = LockedValue(canned)
        self.fallback = fallback
    }

    /// Answers a route with a fixed payload from now on.
    func answer(_ route: Route, with response: HTTPResponse) {
        canned.withLock { $0[route] = response }
    }

    /// Answers a route with a fixed payload the next `times` times only.
    func answer(_ route: Route, with response: HTTPResponse, times: Int) {
        once.withLock { $0[route, default: []] += Array(repeating: response, count: times) }
    }

    /// Answers the next `times` requests, whatever their route, with `response`.
    func answerNext(with response: HTTPResponse, times: Int) {
        next.withLock { $0 += Array(repeating: response, count: times) }
    }

    /// Every request sent so far.
    var requests: [HTTPRequest] { log.current }

    /// How many requests have been sent so far.
    var count: Int { log.withLock { $0.count } }

    /// The requests sent after the first `count`.
    func requests(after count: Int) -> [HTTPRequest] {
        Array(log.current.dropFirst(count))
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        log.withLock { $0.append(request) }
        let route = Route(request.method, request.url.path)
        if let any = next.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return any }
        let next = once.withLock { queue -> HTTPResponse? in
            guard var answers = queue[route], !answers.isEmpty else { return nil }
            let first = answers.removeFirst()
            queue[route] = answers
            return first
        }
        if let next { return next }
        if let answer = canned.withLock({ $0[route] }) { return answer }
        guard let fallback else {
            throw HTTPTransportError(
                kind: .cannotConnect, requestMayHaveBeenSent: false, request: request,
                reason: "the canned transport has no answer for \(route)")
        }
        return try await fallback.send(request)
    }
}

/// One run of the suite for one subject: the standard simulated exchange of its dialect on a fixed
/// clock, a recording transport in front of it, and the module's exchange value on it.
struct Venue {
    static let baseURL = URL(string: "http://127.0.0.1:18081") ?? URL(fileURLWithPath: "/")
    /// Another origin of the same kind, for keys verified elsewhere.
    static let otherURL = URL(string: "http://127.0.0.1:18082") ?? URL(fileURLWithPath: "/")

    /// A key with read and spot trade only: no futures (perpetual) trading.
    static let spotOnlyKey = SimulatedKey(
        apiKey: "simSPOTonlyKey000000000000000000000000000000000000000000000000003",
        secret: "simSpotOnlySecret00000000000000000000000000000000000000000000003",
        permissions: [.read, .spotTrade], ipWhitelist: ["127.0.0.1"], note: "spot-only key")

    let subject: ConformanceSubject
    let time: FixedTimeSource
    let exchange: SimulatedExchange
    let transport: CannedTransport
    let connection: ConformanceSubject.Connection
    let retryPolicy: RetryPolicy

    init(
        _ subject: ConformanceSubject, retryPolicy: RetryPolicy = .standard,
        configure: (inout SimulatedExchange.Configuration) -> Void = { _ in }
    ) async {
        self.subject = subject
        let time = FixedTimeSource(conformanceStart)
        self.time = time
        var configuration = SimulatedExchange.Configuration(timeSource: time)
        configure(&configuration)
        exchange = SimulatedExchange.standard(for: subject.dialect, configuration: configuration)
        await exchange.addKey(Self.spotOnlyKey)
        transport = CannedTransport(otherwise: exchange.transport(for: subject.dialect))
        connection = subject.connect(Self.baseURL, transport, time, retryPolicy)
        self.retryPolicy = retryPolicy
    }

    static func credentials(_ key: SimulatedKey = SimulatedExchange.standardTradeKey) throws -> Credentials {
        try Credentials(apiKey: key.apiKey, secret: Secret(key.secret))
    }

    /// A client for the standard trade key, verified here.
    func client(_ key: SimulatedKey = SimulatedExchange.standardTradeKey) async throws -> any ExchangeClient {
        connection.client(try await connection.verify(Self.credentials(key)))
    }

    /// A client whose key was verified against another origin: the module must refuse to sign with it.
    func clientWithRefusedKey() async throws -> any ExchangeClient {
        let elsewhere = subject.connect(Self.otherURL, transport, time, retryPolicy)
        let key = try await elsewhere.verify(Self.credentials())
        return connection.client(key)
    }
}

/// Expects `body` to throw an ``ExchangeError`` of `kind` and returns it.
@discardableResult
func expectError<T>(
    _ kind: ExchangeError.Kind, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> ExchangeError? {
    do {
        _ = try await body()
        Issue.record("\(what): expected \(kind), got a result", sourceLocation: sourceLocation)
        return nil
    } catch let error as ExchangeError {
        #expect(error.kind == kind, "\(what): \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("\(what): expected an ExchangeError of kind \(kind), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
