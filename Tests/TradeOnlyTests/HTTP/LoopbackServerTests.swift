import Foundation
import Testing
import TradeOnlyLoopback

/// Answers with the request's connection number, method, target and body.
private let describe: LoopbackServer.Handler = { request in
    LoopbackResponse(
        status: 200,
        headers: ["X-Connection": String(request.connectionID), "X-Method": request.method, "X-Target": request.target],
        body: request.body)
}

@Suite("LoopbackServer")
struct LoopbackServerTests {
    @Test("two requests on one raw connection are both answered on that connection (keep-alive)")
    func keepAliveRaw() async throws {
        let server = try startedServer(handler: describe)
        defer { server.stop() }
        let port = server.port
        let (first, second) = try await offThread {
            let client = try RawClient(port: port)
            try client.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try client.readResponse()
            try client.send("POST /two?a=%2F HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            return (first, try client.readResponse())
        }
        #expect(first.status == 200)
        #expect(first.value(for: "X-Target") == "/one")
        #expect(second.value(for: "X-Target") == "/two?a=%2F")
        #expect(second.text == "hello")
        #expect(first.value(for: "X-Connection") == second.value(for: "X-Connection"))
        #expect(first.value(for: "Connection") == nil)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("pipelined requests sent in one write are answered in order")
    func pipelining() async throws {
        let server = try startedServer(handler: describe)
        defer { server.stop() }
        let port = server.port
        let targets = try await offThread {
            let client = try RawClient(port: port)
            try client.send(
                "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyzDELETE /c HTTP/1.1\r\nHost: x\r\n\r\n")
            return try (0..<3).map { _ in try client.readResponse().value(for: "X-Target") ?? "" }
        }
        #expect(targets == ["/a", "/b", "/c"])
    }

    @Test("the request reaches the handler exactly: raw target, header order and spelling, body bytes")
    func requestIsExact() async throws {
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder)
        defer { server.stop() }
        let port = server.port
        let body: [UInt8] = [0, 1, 2, 0xFF, 13, 10, 13, 10] + Array("tail".utf8)
        _ = try await offThread {
            let client = try RawClient(port: port)
            try client.send(
                Array(
                    "POST /p%E8%BF%99/a%2Fb?q=%E8%BF%99&s=a+b HTTP/1.1\r\nhost: h\r\nX-MBX-APIKEY:  key with  spaces \t\r\nx-lower: 1\r\nContent-Length: \(body.count)\r\n\r\n"
                        .utf8)
                    + body)
            return try client.readResponse()
        }
        let request = try #require(recorder.values.first)
        #expect(request.method == "POST")
        #expect(request.target == "/p%E8%BF%99/a%2Fb?q=%E8%BF%99&s=a+b")
        #expect(request.path == "/p%E8%BF%99/a%2Fb")
        #expect(request.query == "q=%E8%BF%99&s=a+b")
        #expect(request.version == "HTTP/1.1")
        #expect(request.headerFields.map(\.name) == ["host", "X-MBX-APIKEY", "x-lower", "Content-Length"])
        #expect(request.headerValue(for: "x-mbx-apikey") == "key with  spaces")
        #expect(request.body == Data(body))
    }

    @Test("Connection: close is honoured: the response says so and the server closes")
    func connectionClose() async throws {
        let server = try startedServer()
        defer { server.stop() }
        let port = server.port
        let (response, closed) = try await offThread {
            let client = try RawClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return (try client.readResponse(), client.readsEndOfFile())
        }
        #expect(response.status == 200)
        #expect(response.value(for: "Connection") == "close")
        #expect(closed)
    }

    @Test("HTTP/1.0 closes by default and keeps alive when asked")
    func http10() async throws {
        let server = try startedServer()
        defer { server.stop() }
        let port = server.port
        let (plain, closed, keptAlive, second) = try await offThread {
            let first = try RawClient(port: port)
            try first.send("GET / HTTP/1.0\r\n\r\n")
            let plain = try first.readResponse()
            let closed = first.readsEndOfFile()
            let other = try RawClient(port: port)
            try other.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let keptAlive = try other.readResponse()
            try other.send("GET / HTTP/1.0\r\n\r\n")
            return (plain, closed, keptAlive, try other.readResponse())
        }
        #expect(plain.status == 200)
        #expect(closed)
        #expect(keptAlive.value(for: "Connection") == "keep-alive")
        #expect(second.status == 200)
    }

    @Test("a chunked request body is decoded")
    func chunkedBody() async throws {
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder)
        defer { server.stop() }
        let port = server.port
        let response = try await offThread {
            let client = try RawClient(port: port)
            try client.send(
                "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(recorder.values.first?.body == Data("hello, world".utf8))
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() async throws {
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder)
        defer { server.stop() }
        let port = server.port
        let (interim, final) = try await offThread {
            let client = try RawClient(port: port)
            try client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse(expectingBody: false)
            try client.send("data")
            return (interim, try client.readResponse())
        }
        #expect(interim.status == 100)
        #expect(final.status == 200)
        #expect(recorder.values.first?.body == Data("data".utf8))
    }

    @Test("a HEAD response carries Content-Length but no body")
    func headResponse() async throws {
        let server = try startedServer { _ in LoopbackResponse(status: 200, text: "0123456789") }
        defer { server.stop() }
        let port = server.port
        let (head, next) = try await offThread {
            let client = try RawClient(port: port)
            try client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(expectingBody: false)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            return (head, try client.readResponse())
        }
        #expect(head.value(for: "Content-Length") == "10")
        #expect(next.text == "0123456789")
    }

    @Test(
        "malformed requests get 400 (or the precise 4xx/5xx) and the server keeps serving",
        arguments: [
            ("GARBAGE\r\n\r\n", 400),
            ("GET /\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400), // no Host
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            ("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET / HTTP/1.1\nHost: x\n\n\r\n\r\n", 400),
            ("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{1}b\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: magic\r\n\r\n", 417),
            ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
            ("\u{0}\u{1}\u{2}\u{FF}\r\n\r\n", 400),
        ])
    func malformed(request: String, status: Int) async throws {
        let server = try startedServer()
        defer { server.stop() }
        let port = server.port
        let (response, closed, next) = try await offThread {
            let client = try RawClient(port: port)
            try client.send(request)
            let response = try client.readResponse()
            let closed = client.readsEndOfFile()
            let other = try RawClient(port: port)
            try other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            return (response, closed, try other.readResponse())
        }
        #expect(response.status == status)
        #expect(response.value(for: "Connection") == "close")
        #expect(closed)
        #expect(next.status == 200)
    }

    @Test("a body over the limit gets 413 without being read, and the server keeps serving")
    func bodyTooLarge() async throws {
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(configuration: .init(maximumBodySize: 1024), recorder: recorder)
        defer { server.stop() }
        let port = server.port
        let (announced, chunked, atLimit) = try await offThread {
            let first = try RawClient(port: port)
            try first.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n")
            let announced = try first.readResponse()
            let second = try RawClient(port: port)
            try second.send(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "a", count: 1024)
                    + "\r\n1\r\nb\r\n0\r\n\r\n")
            let chunked = try second.readResponse()
            let third = try RawClient(port: port)
            try third.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + String(repeating: "c", count: 1024))
            return (announced, chunked, try third.readResponse())
        }
        #expect(announced.status == 413)
        #expect(chunked.status == 413)
        #expect(atLimit.status == 200)
        #expect(recorder.values.count == 1)
    }

    @Test("the default limits: a 16 MiB + 1 body gets 413, a 64 KiB + 1 head gets 431")
    func defaultLimits() async throws {
        let server = try startedServer()
        defer { server.stop() }
        let port = server.port
        let (body, head) = try await offThread {
            let first = try RawClient(port: port)
            try first.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(16 * 1024 * 1024 + 1)\r\n\r\n")
            let body = try first.readResponse()
            let second = try RawClient(port: port)
            try second.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "h", count: 64 * 1024) + "\r\n\r\n")
            return (body, try second.readResponse())
        }
        #expect(body.status == 413)
        #expect(head.status == 431)
    }

    @Test("a huge Content-Length is refused without overflow")
    func hugeContentLength() async throws {
        let server = try startedServer()
        defer { server.stop() }
        let port = server.port
        let response = try await offThread {
            let client = try RawClient(port: port)
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999999\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 413)
    }

    @Test("a client silent past the read timeout is dropped; mid-request it gets 408")
    func readTimeout() async throws {
        // The idle client sends nothing, so any timeout shows it. The slow client's partial request
        // must be in before the server's clock runs out, or the server (rightly) closes a silent
        // connection without a 408: that server's timeout is generous, so the test does not race the
        // machine's load between connect() and send().
        let idleServer = try startedServer(configuration: .init(readTimeout: .milliseconds(200)))
        defer { idleServer.stop() }
        let slowServer = try startedServer(configuration: .init(readTimeout: .seconds(2)))
        defer { slowServer.stop() }
        let (idlePort, slowPort) = (idleServer.port, slowServer.port)
        async let idleClosed = offThread { try RawClient(port: idlePort).readsEndOfFile() }
        async let partial = offThread {
            let slow = try RawClient(port: slowPort)
            try slow.send("GET / HTTP/1.1\r\nHost: x\r\n")
            return try slow.readResponse()
        }
        #expect(try await idleClosed)
        #expect(try await partial.status == 408)
    }

    @Test("20 connections are served concurrently")
    func concurrentConnections() async throws {
        let arrivals = Recorder<Int>()
        // Every handler waits until all 20 requests are in: a server that served one connection at a
        // time would never get there (and the clients' reads would give up).
        let allIn = Rendezvous(count: 20)
        let server = try startedServer { request in
            arrivals.append(request.connectionID)
            await allIn.arrive()
            return LoopbackResponse(status: 200, text: request.target)
        }
        defer { server.stop() }
        let port = server.port
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await offThread {
                        let client = try RawClient(port: port)
                        try client.send("GET /\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                        let response = try client.readResponse()
                        return response.text == "/\(index)" ? response.status : -1
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 20))
        #expect(Set(arrivals.values).count == 20)
    }

    @Test("the server answers while CPU-bound tasks hold every thread of Swift's cooperative pool")
    func answersWhilePoolIsHeld() async throws {
        let server = try startedServer(handler: describe)
        defer { server.stop() }
        let port = server.port
        // The pool has one thread per core. Tasks that never suspend hold all of them until the
        // requests are answered: a server whose handlers needed the pool would answer only once the
        // clients' reads had given up.
        let hold = PoolHold(tasks: ProcessInfo.processInfo.activeProcessorCount)
        let statuses = try await offThread {
            hold.start()
            defer { hold.release() }
            return try (0..<3).map { index in
                let client = try RawClient(port: port)
                try client.send("GET /\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                return try client.readResponse().status
            }
        }
        #expect(statuses == [200, 200, 200])
    }

    @Test("connections beyond maximumConnections are closed at once; the open one keeps working")
    func connectionLimit() async throws {
        let server = try startedServer(configuration: .init(maximumConnections: 1))
        defer { server.stop() }
        let port = server.port
        let (first, extraClosed, again) = try await offThread {
            let held = try RawClient(port: port)
            try held.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try held.readResponse()
            let extra = try RawClient(port: port)
            let extraClosed = extra.readsEndOfFile()
            try held.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            return (first, extraClosed, try held.readResponse())
        }
        #expect(first.status == 200)
        #expect(extraClosed)
        #expect(again.status == 200)
    }

    @Test("an invalid response from the handler becomes a 500 instead of reaching the wire")
    func invalidHandlerResponse() async throws {
        let server = try startedServer { request in
            request.target == "/status"
                ? LoopbackResponse(status: 99)
                : LoopbackResponse(status: 200, headers: ["X-Evil": "a\r\nSet-Cookie: injected=1"])
        }
        defer { server.stop() }
        let port = server.port
        let (header, status) = try await offThread {
            let client = try RawClient(port: port)
            try client.send("GET /header HTTP/1.1\r\nHost: x\r\n\r\nGET /status HTTP/1.1\r\nHost: x\r\n\r\n")
            return (try client.readResponse(), try client.readResponse())
        }
        #expect(header.status == 500)
        #expect(header.value(for: "Set-Cookie") == nil)
        #expect(status.status == 500)
    }

    @Test("the handler's Content-Length and Connection headers are replaced by the server's own")
    func framingHeaders() async throws {
        let server = try startedServer { _ in
            LoopbackResponse(
                status: 200, headers: ["Content-Length": "999", "Transfer-Encoding": "chunked", "Connection": "close", "X-Kept": "1"], text: "abc")
        }
        defer { server.stop() }
        let port = server.port
        let (response, closed) = try await offThread {
            let client = try RawClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            return (try client.readResponse(), client.readsEndOfFile())
        }
        #expect(response.fields.filter { $0.0.lowercased() == "content-length" }.map(\.1) == ["3"])
        #expect(response.value(for: "Transfer-Encoding") == nil)
        #expect(response.value(for: "X-Kept") == "1")
        #expect(response.text == "abc")
        #expect(closed)
    }

    @Test("stop() is idempotent, frees the port, closes open connections and cancels running handlers")
    func stop() async throws {
        let (handlerStarted, started) = AsyncStream.makeStream(of: Void.self)
        let (handlerEnded, ended) = AsyncStream.makeStream(of: Bool.self)
        let release = HandlerGate()
        let server = try startedServer { request in
            if request.target == "/slow" {
                started.yield()
                // Ignores cancellation: this handler ends only when the test opens the gate, after
                // stop() returned. A stop() that waited for running handlers would never return.
                await release.wait()
                ended.yield(Task.isCancelled)
            }
            return LoopbackResponse(status: 200)
        }
        let port = server.port
        #expect(port != 0)
        #expect(server.baseURL.absoluteString == "http://127.0.0.1:\(port)")

        // Blocking socket calls run off the Swift concurrency pool.
        let (idle, slow) = try await offThread {
            let idle = try RawClient(port: port)
            try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try idle.readResponse()
            let slow = try RawClient(port: port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            return (idle, slow)
        }
        for await _ in handlerStarted { break }

        // stop() runs on a thread of its own; if it were still blocked after a very generous while,
        // the watchdog opens the gate (so the run does not hang) and the test fails.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            release.open()
            return true
        }
        _ = try await offThread {
            server.stop()
            server.stop()
        }
        watchdog.cancel()
        let watchdogFired = (try? await watchdog.value) ?? false
        #expect(!watchdogFired, "stop() must not wait for the slow handler")
        release.open()

        let (idleClosed, slowClosed) = try await offThread { (idle.readsEndOfFile(), slow.readsEndOfFile()) }
        #expect(idleClosed)
        #expect(slowClosed)
        var cancelled: Bool?
        for await value in handlerEnded {
            cancelled = value
            break
        }
        #expect(cancelled == true, "the running handler's task was cancelled by stop()")

        // The port is free again: a new server can bind it, and the old one cannot restart.
        let again = LoopbackServer(port: port) { _ in LoopbackResponse(status: 204) }
        try again.start()
        #expect(again.port == port)
        again.stop()
        #expect(throws: LoopbackServerError.self) { try server.start() }
    }

    @Test("stop() before start() is allowed, and releasing a running server stops it")
    func lifecycle() throws {
        let never = LoopbackServer { _ in LoopbackResponse(status: 200) }
        never.stop()
        never.stop()

        var port: UInt16 = 0
        do {
            let server = try startedServer()
            port = server.port
        }
        let again = LoopbackServer(port: port) { _ in LoopbackResponse(status: 200) }
        try again.start()
        again.stop()
    }

    @Test("start() refuses a second start, a host outside 127.0.0.0/8 and a port in use")
    func startFailures() throws {
        let server = try startedServer()
        defer { server.stop() }
        #expect(throws: LoopbackServerError.self) { try server.start() }
        #expect(throws: LoopbackServerError.self) { try LoopbackServer(host: "0.0.0.0") { _ in LoopbackResponse(status: 200) }.start() }
        #expect(throws: LoopbackServerError.self) { try LoopbackServer(host: "localhost") { _ in LoopbackResponse(status: 200) }.start() }
        #expect(throws: LoopbackServerError.self) { try LoopbackServer(port: server.port) { _ in LoopbackResponse(status: 200) }.start() }
    }
}

/// CPU-bound tasks that do not suspend until released: they hold threads of Swift's cooperative pool.
private final class PoolHold: @unchecked Sendable {
    // @unchecked: `running` and `released` are guarded by `condition`.
    private let condition = NSCondition()
    private let tasks: Int
    private var running = 0
    private var released = false

    init(tasks: Int) {
        self.tasks = tasks
    }

    /// Starts the tasks and waits (on the calling thread, which must not be one of the pool) until
    /// they all run. Should the pool have fewer threads than expected, it goes on after a while with
    /// those that do run, rather than wait for ever.
    func start() {
        for _ in 0..<tasks {
            Task.detached { self.spin() }
        }
        condition.lock()
        let patience = Date().addingTimeInterval(30)
        while running < tasks, condition.wait(until: patience) {}
        condition.unlock()
    }

    /// Lets the tasks end.
    func release() {
        condition.withLock { released = true }
    }

    private func spin() {
        condition.withLock {
            running += 1
            condition.broadcast()
        }
        var spins = 0
        while !condition.withLock({ released }) {
            spins &+= 1
        }
        _ = spins
    }
}
