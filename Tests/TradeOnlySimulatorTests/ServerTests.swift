import Foundation
import Testing
import TradeOnly
import TradeOnlyLoopback
import TradeOnlySimulator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("SimulatorServer over a real socket")
struct ServerTests {
    // Generous timeouts and receive windows: the server's handlers run on the shared concurrency
    // pool, which other test suites running in parallel may keep busy for seconds.
    func transport() -> URLSessionTransport {
        URLSessionTransport(configuration: .init(timeout: .seconds(30)))
    }

    @Test("signed requests over HTTP with URLSessionTransport; keep-alive; 20 concurrent requests")
    func overHTTP() async throws {
        let exchange = SimulatedExchange.standard()
        // An idle connection is kept for ten minutes, so that the count of accepted connections below
        // proves keep-alive however long a busy machine takes between the requests.
        let server = SimulatorServer(exchange: exchange, dialect: .binance, idleTimeout: .seconds(600))
        try server.start()
        defer { server.stop() }
        let key = SimulatedExchange.standardTradeKey
        let transport = transport()
        let client = BinanceSigner(
            transport: transport, apiKey: key.apiKey, secret: key.secret, baseURL: server.baseURL.absoluteString,
            timestamp: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) })
        let account = try await client.signed(.get, "/api/v3/account", recvWindow: 60_000)
        #expect(account.status == 200)
        #expect(account.headers["X-MBX-USED-WEIGHT-1M"] == "20")
        let order = try await client.signed(
            .post, "/api/v3/order",
            [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("newClientOrderId", "socket-1")],
            recvWindow: 60_000)
        #expect(order["status"] as? String == "FILLED")
        let bad = try await client.signed(.get, "/api/v3/account", recvWindow: 60_000, secretOverride: "nope")
        #expect(bad.code == -1022)
        #expect(server.connectionsAccepted <= 2)

        let replies = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? try await client.get("/api/v3/ticker/price", [("symbol", "BTCUSDT")]).status
                        : try await client.signed(.get, "/api/v3/openOrders", [("symbol", "BTCUSDT")], recvWindow: 60_000).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.count == 20)
        #expect(replies.allSatisfy { $0 == 200 })
        #expect(await exchange.orders(withClientOrderID: "socket-1").count == 1)
    }

    @Test("Bybit over HTTP: a signed POST with a JSON body")
    func bybitOverHTTP() async throws {
        let exchange = SimulatedExchange.standard(for: .bybit)
        let server = SimulatorServer(exchange: exchange, dialect: .bybit)
        try server.start()
        defer { server.stop() }
        let key = SimulatedExchange.standardTradeKey
        let client = BybitSigner(
            transport: transport(), apiKey: key.apiKey, secret: key.secret, baseURL: server.baseURL.absoluteString,
            timestamp: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) })
        let reply = try await client.post(
            "/v5/order/create",
            json: #"{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"0.001","orderLinkId":"net-1"}"#,
            recvWindow: "60000")
        #expect(reply.code == 0, "\(reply.text)")
        #expect(await exchange.orders(withClientOrderID: "net-1").count == 1)
    }

    @Test("a lost response over a socket: the server closes the connection without answering, the order exists")
    func lostResponseOverSocket() async throws {
        let exchange = SimulatedExchange.standard(
            configuration: .init(
                faults: FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST"))))
        let server = SimulatorServer(exchange: exchange, dialect: .binance)
        try server.start()
        defer { server.stop() }
        let key = SimulatedExchange.standardTradeKey
        let timestamp = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let query = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&newClientOrderId=lost-socket&recvWindow=60000&timestamp=\(timestamp)"
        let request =
            "POST /api/v3/order?\(query)&signature=\(hmacHex(query, secret: key.secret)) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MBX-APIKEY: \(key.apiKey)\r\nContent-Length: 0\r\n\r\n"
        let port = server.port
        let received = try await offThread { try rawExchange(port: port, request: request) }
        #expect(received.isEmpty)
        #expect(await exchange.orders(withClientOrderID: "lost-socket").count == 1)

        // Through URLSessionTransport the same fault is a transport error that may have been sent.
        await exchange.setFaultPlan(FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST")))
        let client = BinanceSigner(
            transport: transport(), apiKey: key.apiKey, secret: key.secret, baseURL: server.baseURL.absoluteString,
            timestamp: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) })
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await client.signed(
                .post, "/api/v3/order",
                [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("newClientOrderId", "lost-url")],
                recvWindow: 60_000)
        }
        #expect(error?.requestMayHaveBeenSent == true)
        #expect(await exchange.orders(withClientOrderID: "lost-url").count == 1)
    }

    @Test("LoopbackResponse.closeWithoutAnswering closes the connection with no bytes sent")
    func loopbackClose() async throws {
        let server = LoopbackServer { request in
            request.target == "/drop" ? .closeWithoutAnswering : LoopbackResponse(status: 200, text: "ok")
        }
        try server.start()
        defer { server.stop() }
        let port = server.port
        let dropped = try await offThread { try rawExchange(port: port, request: "GET /drop HTTP/1.1\r\nHost: x\r\n\r\n") }
        #expect(dropped.isEmpty)
        let answered = try await offThread { try rawExchange(port: port, request: "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") }
        #expect(String(decoding: answered, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
    }
}

/// Sends raw bytes on a new connection to 127.0.0.1:port and reads until the server closes it
/// (at most 30 seconds).
func rawExchange(port: UInt16, request: String) throws -> [UInt8] {
    #if canImport(Darwin)
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #else
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #endif
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    defer { close(descriptor) }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw POSIXError(.EPIPE) }
        sent += count
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            received += buffer[0..<count]
        } else if count == 0 {
            return received
        } else {
            throw POSIXError(.ETIMEDOUT)
        }
    }
}
