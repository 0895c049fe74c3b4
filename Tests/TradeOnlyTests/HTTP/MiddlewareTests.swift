import Testing

@testable import TradeOnly

/// Records "name>" on the way out and "<name" on the way back.
private struct TracingMiddleware: HTTPMiddleware {
    let name: String
    let trace: Recorder<String>

    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        trace.append("\(name)>")
        defer { trace.append("<\(name)") }
        return try await next(request)
    }
}

/// A fake transport that records what reaches it.
private struct RecordingTransport: HTTPTransport {
    let trace: Recorder<String>
    let requests = Recorder<HTTPRequest>()

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        trace.append("transport")
        requests.append(request)
        return HTTPResponse(status: 200, headers: ["X-Seen": request.headers["X-Added"] ?? "none"])
    }
}

/// Adds a header to the request and changes the response.
private struct RewritingMiddleware: HTTPMiddleware {
    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var request = request
        request.headers["X-Added"] = "by-middleware"
        var response = try await next(request)
        response.headers["X-Observed-Status"] = String(response.status)
        response.status = 299
        return response
    }
}

/// Answers without calling the transport.
private struct ShortCircuitMiddleware: HTTPMiddleware {
    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        HTTPResponse(status: 429)
    }
}

@Suite("Middlewares")
struct MiddlewareTests {
    let request = HTTPRequest(method: .get, url: URL(fileURLWithPath: "/unused"))

    @Test("middlewares see the request in array order and the response in reverse order")
    func ordering() async throws {
        let trace = Recorder<String>()
        let transport = RecordingTransport(trace: trace).with(middlewares: [
            TracingMiddleware(name: "A", trace: trace),
            TracingMiddleware(name: "B", trace: trace),
            TracingMiddleware(name: "C", trace: trace),
        ])
        _ = try await transport.send(request)
        #expect(trace.values == ["A>", "B>", "C>", "transport", "<C", "<B", "<A"])
    }

    @Test("a middleware can change the request and observe and change the response")
    func rewriting() async throws {
        let trace = Recorder<String>()
        let inner = RecordingTransport(trace: trace)
        let transport = MiddlewareTransport(
            transport: inner, middlewares: [TracingMiddleware(name: "outer", trace: trace), RewritingMiddleware()])
        let response = try await transport.send(request)
        #expect(inner.requests.values.first?.headers["x-added"] == "by-middleware")
        #expect(response.headers["X-Seen"] == "by-middleware")
        #expect(response.headers["X-Observed-Status"] == "200")
        #expect(response.status == 299)
    }

    @Test("a middleware can answer without calling the transport")
    func shortCircuit() async throws {
        let trace = Recorder<String>()
        let transport = RecordingTransport(trace: trace).with(middlewares: [
            TracingMiddleware(name: "A", trace: trace), ShortCircuitMiddleware(), TracingMiddleware(name: "B", trace: trace),
        ])
        let response = try await transport.send(request)
        #expect(response.status == 429)
        #expect(trace.values == ["A>", "<A"])
    }

    @Test("no middlewares send straight to the transport")
    func empty() async throws {
        let trace = Recorder<String>()
        let response = try await RecordingTransport(trace: trace).with(middlewares: []).send(request)
        #expect(response.status == 200)
        #expect(trace.values == ["transport"])
    }

    @Test("errors from the transport pass back through every middleware")
    func errorsPropagate() async throws {
        struct Failing: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                throw HTTPTransportError(kind: .connectionLost, requestMayHaveBeenSent: true)
            }
        }
        let trace = Recorder<String>()
        let transport = Failing().with(middlewares: [TracingMiddleware(name: "A", trace: trace)])
        let error = await #expect(throws: HTTPTransportError.self) { try await transport.send(request) }
        #expect(error?.kind == .connectionLost)
        #expect(trace.values == ["A>", "<A"])
    }
}
