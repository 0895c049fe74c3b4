import Testing
import TradeOnlyLoopback

@testable import TradeOnly

/// The tests that do I/O run both ways plain-http loopback can go (see ``URLSessionTransportTests``).
@Suite("URLSessionTransport failures")
struct URLSessionTransportFailureTests {
    typealias Route = URLSessionTransport.LoopbackRoute
    let transport = URLSessionTransport(configuration: .init(timeout: generousTimeout))

    @Test(
        "plain http to a host that is not loopback is refused before any I/O",
        arguments: [
            "http://example.com/api/v3/order?signature=abc", "http://127.0.0.1.nip.io/x", "http://10.0.0.1/x", "http://127.1/x",
            "HTTP://api.binance.com/x",
        ])
    func insecureURL(address: String) async throws {
        let request = HTTPRequest(method: .post, url: try #require(URL(string: address)), headers: ["X-MBX-APIKEY": "key"])
        let error = try #require(await transportError(transport, request))
        #expect(error.kind == .insecureURL)
        #expect(!error.requestMayHaveBeenSent)
        #expect(error.urlErrorCode == nil)
        #expect(!error.description.contains("signature"))
    }

    @Test("plain http to loopback is refused when the configuration says so, and nothing reaches the server")
    func insecureLoopbackWhenDisallowed() async throws {
        let server = try startedServer()
        defer { server.stop() }
        let transport = URLSessionTransport(configuration: .init(allowsInsecureLoopback: false))
        let error = try #require(await transportError(transport, HTTPRequest(method: .get, url: try url(server, "/"))))
        #expect(error.kind == .insecureURL)
        #expect(!error.requestMayHaveBeenSent)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("schemes other than http and https are refused", arguments: ["ftp://127.0.0.1/x", "file:///etc/passwd", "ws://127.0.0.1/x"])
    func unsupportedScheme(address: String) async throws {
        let target = try #require(URL(string: address))
        let error = try #require(await transportError(transport, HTTPRequest(method: .get, url: target)))
        #expect(error.kind == .invalidRequest)
        #expect(!error.requestMayHaveBeenSent)
    }

    @Test(
        "a header value with CR, LF or NUL never reaches the wire: the transport throws and the server sees no connection",
        arguments: ["v\r\nX-Injected: 1", "v\nX-Injected: 1", "v\rX-Injected: 1", "v\0X-Injected: 1"])
    func headerInjection(value: String) async throws {
        let server = try startedServer()
        defer { server.stop() }
        var request = HTTPRequest(method: .get, url: try url(server, "/api/v3/account?signature=abc"))
        request.headers["X-MBX-APIKEY"] = "key"
        request.headers["X-Note"] = value
        let error = try #require(await transportError(transport, request))
        #expect(error.kind == .invalidRequest)
        #expect(!error.requestMayHaveBeenSent)
        #expect(!error.description.contains("Injected"))
        #expect(!error.description.contains("signature"))
        #expect(server.connectionsAccepted == 0)
    }

    @Test("a header name that is not a token is refused before any I/O")
    func invalidHeaderName() async throws {
        let server = try startedServer()
        defer { server.stop() }
        let request = HTTPRequest(method: .get, url: try url(server, "/"), headers: HTTPHeaders([("X-A: 1\r\nX-B", "2")]))
        let error = try #require(await transportError(transport, request))
        #expect(error.kind == .invalidRequest)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("a refused connection is cannotConnect, and certainly not sent", arguments: Route.allCases)
    func connectionRefused(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let held = try HeldPort(listening: false)
        let address = try #require(URL(string: "http://127.0.0.1:\(held.port)/api/v3/order"))
        let error = try #require(await transportError(transport, HTTPRequest(method: .post, url: address, body: Data("a=1".utf8))))
        #expect(error.kind == .cannotConnect)
        #expect(!error.requestMayHaveBeenSent)
        #expect(error.endpoint == "http://127.0.0.1:\(held.port)/api/v3/order")
    }

    @Test("a server that never answers is timedOut within the timeout, and may have been sent", arguments: Route.allCases)
    func serverNeverAnswers(route: Route) async throws {
        let held = try HeldPort(listening: true)
        let transport = URLSessionTransport.testing(route, .init(timeout: .milliseconds(500)))
        let address = try #require(URL(string: "http://127.0.0.1:\(held.port)/api/v3/order?signature=abc"))
        let start = ContinuousClock.now
        let error = try #require(await transportError(transport, HTTPRequest(method: .post, url: address, body: Data("a=1".utf8))))
        let elapsed = ContinuousClock.now - start
        #expect(error.kind == .timedOut)
        #expect(error.requestMayHaveBeenSent)
        #expect(elapsed >= .milliseconds(400))
        // The transport's own deadline ended it, not URLSession's whole-second backstop (which would
        // carry URLError's code). Checked on the error rather than on wall time, which a loaded
        // machine stretches.
        #expect(error.urlErrorCode == nil)
        #expect(error.reason?.contains("no complete response within") == true, "\(error)")
        #expect(!error.description.contains("signature"))
    }

    @Test("a handler slower than the timeout gives timedOut, even though the server accepted the request", arguments: Route.allCases)
    func slowHandler(route: Route) async throws {
        let recorder = Recorder<LoopbackRequest>()
        // The handler answers only once the client gave up, so it is slower than any timeout. The
        // timeout is only long enough for the request to reach the server (on loopback, with the
        // server on threads of its own) on a loaded machine.
        let release = HandlerGate()
        let server = try startedServer(recorder: recorder) { _ in
            await release.wait()
            return LoopbackResponse(status: 200)
        }
        defer { server.stop() }
        defer { release.open() }
        let transport = URLSessionTransport.testing(route, .init(timeout: .seconds(2)))
        let error = try #require(await transportError(transport, HTTPRequest(method: .post, url: try url(server, "/order"))))
        #expect(error.kind == .timedOut)
        #expect(error.requestMayHaveBeenSent)
        #expect(error.reason?.contains("no complete response within") == true, "\(error)")
        #expect(recorder.values.count == 1)
    }

    @Test("a response over the cap announced by Content-Length is responseTooLarge", arguments: Route.allCases)
    func responseTooLargeByContentLength(route: Route) async throws {
        let server = try startedServer { _ in LoopbackResponse(status: 200, body: Data(repeating: 1, count: 4096)) }
        defer { server.stop() }
        let transport = URLSessionTransport.testing(route, .init(timeout: generousTimeout, maximumResponseSize: 1024))
        let error = try #require(await transportError(transport, HTTPRequest(method: .get, url: try url(server, "/big"))))
        #expect(error.kind == .responseTooLarge)
        #expect(error.requestMayHaveBeenSent)
    }

    @Test("a response over the cap without Content-Length is stopped while it streams", arguments: Route.allCases)
    func responseTooLargeWhileStreaming(route: Route) async throws {
        let reply = Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8) + [UInt8](repeating: 65, count: 256 * 1024)
        let server = try ScriptedServer(reply: reply)
        let transport = URLSessionTransport.testing(route, .init(timeout: generousTimeout, maximumResponseSize: 1000))
        let address = try #require(URL(string: "http://127.0.0.1:\(server.port)/stream"))
        let error = try #require(await transportError(transport, HTTPRequest(method: .get, url: address)))
        #expect(error.kind == .responseTooLarge)
    }

    @Test("a connection closed without any response may have been sent", arguments: Route.allCases)
    func closedWithoutResponse(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let server = try ScriptedServer(reply: [])
        let address = try #require(URL(string: "http://127.0.0.1:\(server.port)/api/v3/order"))
        let error = try #require(await transportError(transport, HTTPRequest(method: .post, url: address, body: Data("a=1".utf8))))
        #expect(error.requestMayHaveBeenSent)
        #expect([HTTPTransportError.Kind.connectionLost, .invalidResponse].contains(error.kind))
    }

    @Test("cancelling the task mid-request throws cancelled, without waiting for the answer", arguments: Route.allCases)
    func cancellationMidRequest(route: Route) async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        // The handler answers only after the cancelled send returned: a cancellation that waited for
        // the answer would never return (the watchdog below then ends the wait, and the test fails).
        let release = HandlerGate()
        let server = try startedServer { _ in
            arrived.yield()
            await release.wait()
            return LoopbackResponse(status: 200)
        }
        defer { server.stop() }
        defer { release.open() }
        let transport = URLSessionTransport.testing(route)
        let request = HTTPRequest(method: .post, url: try url(server, "/api/v3/order"))
        let task = Task { try await transport.send(request) }
        for await _ in arrivals { break }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            release.open()
            return true
        }
        task.cancel()
        let result = await task.result
        watchdog.cancel()
        let watchdogFired = (try? await watchdog.value) ?? false
        #expect(!watchdogFired, "cancellation must not wait for the handler")
        guard case .failure(let error as HTTPTransportError) = result else {
            Issue.record("expected an HTTPTransportError, got \(result)")
            return
        }
        #expect(error.kind == .cancelled)
        #expect(error.requestMayHaveBeenSent)
    }

    @Test("a task cancelled before sending throws cancelled, not sent, and opens no connection", arguments: Route.allCases)
    func cancellationBeforeSending(route: Route) async throws {
        let server = try startedServer()
        defer { server.stop() }
        let transport = URLSessionTransport.testing(route)
        let request = HTTPRequest(method: .post, url: try url(server, "/api/v3/order"))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(request)
        }
        let result = await task.result
        guard case .failure(let error as HTTPTransportError) = result else {
            Issue.record("expected an HTTPTransportError, got \(result)")
            return
        }
        #expect(error.kind == .cancelled)
        #expect(!error.requestMayHaveBeenSent)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("a request still running when the last copy of the transport is released completes", arguments: Route.allCases)
    func requestOutlivesTransport(route: Route) async throws {
        let server = try startedServer { _ in
            try? await Task.sleep(for: .milliseconds(100))
            return LoopbackResponse(status: 200, text: "late")
        }
        defer { server.stop() }
        let request = HTTPRequest(method: .get, url: try url(server, "/"))
        let response = try await URLSessionTransport.testing(route, .init(timeout: generousTimeout)).send(request)
        #expect(response.body == Data("late".utf8))
    }
}

@Suite("URLSessionTransport internals")
struct URLSessionTransportInternalsTests {
    @Test(
        "loopback hosts are recognised strictly",
        arguments: [
            ("127.0.0.1", true), ("127.255.0.9", true), ("localhost", true), ("LOCALHOST", true), ("::1", true),
            ("[::1]", true), ("0:0:0:0:0:0:0:1", true), ("::0:1", true),
            ("127.1", false), ("127.0.0.1.nip.io", false), ("128.0.0.1", false), ("127.0.0.256", false),
            ("localhost.example.com", false), ("::2", false), ("::", false), ("example.com", false), ("0x7f.0.0.1", false),
            ("", false), ("1::1", false),
        ])
    func loopbackHosts(host: String, isLoopback: Bool) {
        #expect(LoopbackHost.isLoopback(host) == isLoopback)
    }

    @Test(
        "URLError codes map to kinds and an honest requestMayHaveBeenSent",
        arguments: [
            (URLError.Code.timedOut, HTTPTransportError.Kind.timedOut, true),
            (.cannotConnectToHost, .cannotConnect, false),
            (.cannotFindHost, .cannotConnect, false),
            (.dnsLookupFailed, .cannotConnect, false),
            (.notConnectedToInternet, .cannotConnect, false),
            (.networkConnectionLost, .connectionLost, true),
            (.secureConnectionFailed, .secureConnectionFailed, false),
            (.serverCertificateUntrusted, .secureConnectionFailed, false),
            (.badServerResponse, .invalidResponse, true),
            (.cancelled, .cancelled, true),
            (.badURL, .invalidRequest, false),
            (.dataLengthExceedsMaximum, .responseTooLarge, true),
            (.unknown, .other, true),
        ])
    func urlErrorMapping(code: URLError.Code, kind: HTTPTransportError.Kind, mayHaveBeenSent: Bool) throws {
        let request = HTTPRequest(method: .post, url: try #require(URL(string: "https://api.binance.com/api/v3/order?signature=abc")))
        let error = URLErrorMapping.transportError(for: URLError(code), request: request, timeout: .seconds(10))
        #expect(error.kind == kind)
        #expect(error.requestMayHaveBeenSent == mayHaveBeenSent)
        #expect(error.urlErrorCode == code.rawValue)
        #expect(error.endpoint == "https://api.binance.com/api/v3/order")
        #expect(!error.description.contains("signature"))
    }
}
