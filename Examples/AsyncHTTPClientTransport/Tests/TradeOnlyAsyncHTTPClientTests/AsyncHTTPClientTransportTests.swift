import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
import TradeOnly
import TradeOnlyAsyncHTTPClient
import TradeOnlyBinance
import TradeOnlySimulator

/// The transports compared: this package's, and TradeOnly's built-in one, which sets the contract.
enum TransportKind: String, CaseIterable, CustomStringConvertible {
    case asyncHTTPClient
    case urlSession

    var description: String { rawValue }
}

/// A transport of a kind, and how to release it.
struct TransportUnderTest {
    let transport: any HTTPTransport
    let shutdown: @Sendable () async throws -> Void

    init(_ kind: TransportKind, timeout: Duration = .seconds(10), maximumResponseSize: Int = 16 * 1024 * 1024) {
        switch kind {
        case .asyncHTTPClient:
            let transport = AsyncHTTPClientTransport(
                configuration: .init(timeout: timeout, maximumResponseSize: maximumResponseSize))
            self.transport = transport
            shutdown = { try await transport.shutdown() }
        case .urlSession:
            transport = URLSessionTransport(
                configuration: .init(timeout: timeout, maximumResponseSize: maximumResponseSize))
            shutdown = {}
        }
    }
}

/// A counter shared with a server's event loop.
final class Counter: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held.
    private let lock = NSLock()
    private var value = 0

    func increment() {
        lock.lock()
        defer { lock.unlock() }
        value += 1
    }

    var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Answers every request with `302 Found` to `/moved` (on the same server), counting requests.
final class RedirectingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let requests: Counter

    init(requests: Counter) {
        self.requests = requests
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        requests.increment()
        let headers = NIOHTTP1.HTTPHeaders([("Location", "/moved"), ("Content-Length", "0")])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .found, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@Suite("AsyncHTTPClient transport", .timeLimit(.minutes(2)))
struct AsyncHTTPClientTransportTests {
    /// A simulator served over loopback HTTP, as a Binance stand-in.
    static func server(faults: FaultPlan = FaultPlan()) throws -> SimulatorServer {
        var configuration = SimulatedExchange.Configuration()
        configuration.faults = faults
        let server = SimulatorServer(exchange: SimulatedExchange.standard(configuration: configuration), dialect: .binance)
        try server.start()
        return server
    }

    static func request(_ server: SimulatorServer, _ path: String) throws -> TradeOnly.HTTPRequest {
        TradeOnly.HTTPRequest(method: .get, url: try #require(URL(string: server.baseURL.absoluteString + path)))
    }

    /// The transport error a send throws, or `nil` (recorded as an issue) if it returned.
    static func failure(of kind: TransportKind, _ body: () async throws -> Void) async -> HTTPTransportError? {
        do {
            try await body()
            Issue.record("\(kind): the send returned a response")
            return nil
        } catch let error as HTTPTransportError {
            return error
        } catch {
            Issue.record("\(kind): not an HTTPTransportError: \(error)")
            return nil
        }
    }

    @Test("a Binance client verifies its key, trades and cancels through it: the signed bytes arrive intact")
    func clientTradesThroughTheTransport() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let binance = Binance(environment: .local(server.baseURL), transport: transport)
        let tradeKey = SimulatedExchange.standardTradeKey
        let credentials = try Credentials(apiKey: tradeKey.apiKey, secret: Secret(tradeKey.secret))
        let key = try await SafeKey.verify(credentials, using: binance.keyInspector, policy: .tradeOnly)
        let client = binance.client(key)
        let btc = try await client.instrument("BTC/USDT")
        let order = btc.rounded(.limit(.buy, btc.symbol, quantity: try #require(Decimal(exactly: "0.001")), price: 50_000))
        let placed = try await client.place(order)
        let cancelled = try await client.cancel(placed)
        #expect(cancelled.status == .cancelled)
        // The simulator verified every signature, so the query strings and bodies went out as signed.
        let orders = await server.exchange.allOrders()
        #expect(orders.count == 1)
        #expect(orders.first?.clientOrderID == placed.clientOrderID)
        #expect(server.connectionsAccepted >= 1)
        #expect(await server.exchange.requestCount >= 5)
        try await transport.shutdown()
    }

    @Test("a redirect is returned, not followed", arguments: TransportKind.allCases)
    func redirectsAreNotFollowed(kind: TransportKind) async throws {
        let requests = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RedirectingHandler(requests: requests))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        let subject = TransportUnderTest(kind)
        let request = TradeOnly.HTTPRequest(
            method: .get, url: try #require(URL(string: "http://127.0.0.1:\(port)/api/v3/account")),
            headers: ["X-MBX-APIKEY": "key-that-must-not-follow-a-redirect"])
        let response = try await subject.transport.send(request)
        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/moved")
        #expect(requests.current == 1, "only the first request reached the server")
        try await subject.shutdown()
        try await channel.close()
    }

    @Test("no connection: cannotConnect, nothing sent", arguments: TransportKind.allCases)
    func cannotConnect(kind: TransportKind) async throws {
        let server = try Self.server()
        let request = try Self.request(server, "/api/v3/time")
        server.stop() // the port is closed now
        let subject = TransportUnderTest(kind)
        let error = await Self.failure(of: kind) { _ = try await subject.transport.send(request) }
        #expect(error?.kind == .cannotConnect)
        #expect(error?.requestMayHaveBeenSent == false)
        try await subject.shutdown()
    }

    @Test("no answer in time: timedOut, may have been sent", arguments: TransportKind.allCases)
    func timedOut(kind: TransportKind) async throws {
        // The simulator waits 5 s before it answers; the transport gives up after 0.3 s.
        let server = try Self.server(faults: FaultPlan().withLatency(milliseconds: 5000...5000))
        defer { server.stop() }
        let subject = TransportUnderTest(kind, timeout: .milliseconds(300))
        let request = try Self.request(server, "/api/v3/time")
        let error = await Self.failure(of: kind) { _ = try await subject.transport.send(request) }
        #expect(error?.kind == .timedOut)
        #expect(error?.requestMayHaveBeenSent == true)
        try await subject.shutdown()
    }

    @Test("the connection closes without an answer: connectionLost, may have been sent", arguments: TransportKind.allCases)
    func connectionLost(kind: TransportKind) async throws {
        let server = try Self.server(faults: FaultPlan().injecting(.lostResponse, next: 1))
        defer { server.stop() }
        let subject = TransportUnderTest(kind)
        let request = try Self.request(server, "/api/v3/time")
        let error = await Self.failure(of: kind) { _ = try await subject.transport.send(request) }
        #expect(error?.kind == .connectionLost)
        #expect(error?.requestMayHaveBeenSent == true)
        #expect(await server.exchange.requestCount == 1, "the request reached the exchange")
        try await subject.shutdown()
    }

    @Test("a response larger than allowed: responseTooLarge", arguments: TransportKind.allCases)
    func responseTooLarge(kind: TransportKind) async throws {
        let server = try Self.server()
        defer { server.stop() }
        let subject = TransportUnderTest(kind, maximumResponseSize: 64)
        let request = try Self.request(server, "/api/v3/exchangeInfo")
        let error = await Self.failure(of: kind) { _ = try await subject.transport.send(request) }
        #expect(error?.kind == .responseTooLarge)
        #expect(error?.requestMayHaveBeenSent == true)
        try await subject.shutdown()
    }

    @Test(
        "refused before any I/O: plain http off loopback, a header with CR LF, another scheme",
        arguments: TransportKind.allCases)
    func refusedBeforeSending(kind: TransportKind) async throws {
        let subject = TransportUnderTest(kind)
        let cases: [(TradeOnly.HTTPRequest, HTTPTransportError.Kind)] = [
            (TradeOnly.HTTPRequest(method: .get, url: try #require(URL(string: "http://api.binance.com/api/v3/time"))), .insecureURL),
            (
                TradeOnly.HTTPRequest(
                    method: .get, url: try #require(URL(string: "https://api.binance.com/api/v3/time")),
                    headers: ["X-Test": "a\r\nX-Injected: 1"]), .invalidRequest
            ),
            (TradeOnly.HTTPRequest(method: .get, url: try #require(URL(string: "ftp://api.binance.com/file"))), .invalidRequest),
        ]
        for (request, expected) in cases {
            let error = await Self.failure(of: kind) { _ = try await subject.transport.send(request) }
            #expect(error?.kind == expected, "\(request.url)")
            #expect(error?.requestMayHaveBeenSent == false, "\(request.url)")
        }
        try await subject.shutdown()
    }

    @Test("a cancelled task sends nothing")
    func cancelledBeforeSending() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let request = try Self.request(server, "/api/v3/time")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(request)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(await server.exchange.requestCount == 0)
        try await transport.shutdown()
    }
}
