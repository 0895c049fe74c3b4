import Foundation
import Testing
import TradeOnly

/// A middleware that points every request somewhere else, as a buggy or hostile one might.
struct RedirectingMiddleware: HTTPMiddleware {
    let host: String
    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var moved = request
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        components?.host = host
        if let url = components?.url { moved.url = url }
        return try await next(moved)
    }
}

/// A middleware that rewrites every request's URL components, as a buggy or hostile one might.
struct URLRewritingMiddleware: HTTPMiddleware {
    let rewrite: @Sendable (inout URLComponents) -> Void
    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var moved = request
        if var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) {
            rewrite(&components)
            if let url = components.url { moved.url = url }
        }
        return try await next(moved)
    }
}

@Suite("Where signed requests go", .timeLimit(.minutes(1)))
struct SigningDestinationTests {
    @Test("a middleware that changes the host of a signed request gets it refused before signing; nothing is sent")
    func middlewareCannotMoveSignedRequests() async throws {
        let exchange = FakeExchange(middlewares: [RedirectingMiddleware(host: "collector.example.net")]) { _, _ in
            FakeExchange.ok()
        }
        exchange.clock.invalidate()
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .policyViolation, "\(String(describing: error))")
        #expect(error?.message.contains("collector.example.net") == true)
        let leaked = exchange.transport.requests.filter { $0.url.host == "collector.example.net" && $0.url.path != "/api/v3/time" }
        #expect(leaked.isEmpty, "no signed request may reach another host")
    }

    @Test(
        "a middleware that changes the scheme or the port of a signed request gets it refused; nothing is sent",
        arguments: [
            ("http", nil), ("https", 8443), ("wss", nil),
        ] as [(String, Int?)])
    func middlewareCannotChangeSchemeOrPort(scheme: String, port: Int?) async throws {
        let exchange = FakeExchange(middlewares: [
            URLRewritingMiddleware { components in
                if components.path != "/api/v3/time" {
                    components.scheme = scheme
                    components.port = port
                }
            }
        ]) { _, _ in FakeExchange.ok() }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .policyViolation, "\(String(describing: error))")
        #expect(exchange.transport.requests.allSatisfy { $0.url.path == "/api/v3/time" }, "the order must not be sent")
    }

    @Test("a middleware may add a parameter the endpoint accepts to a signed request; it is signed as sent")
    func acceptedParameterRewriteIsSent() async throws {
        let exchange = FakeExchange(middlewares: [
            URLRewritingMiddleware { components in
                components.percentEncodedQuery = (components.percentEncodedQuery.map { $0 + "&" } ?? "") + "i=1"
            }
        ]) { _, _ in FakeExchange.ok() }
        _ = try await exchange.pipeline.send(FakeExchange.order)
        let sent = try #require(exchange.transport.requests.last)
        #expect(sent.url.query?.contains("i=1") == true)
        #expect(sent.url.query?.contains("signature=") == true, "the rewritten request is signed as sent")
    }

    @Test(
        "a middleware's unknown parameter, respelled host or changed path is refused before anything is sent",
        arguments: ["query", "host", "path", "duplicate"])
    func otherRewritesAreRefused(change: String) async throws {
        let exchange = FakeExchange(middlewares: [
            URLRewritingMiddleware { components in
                guard components.path != "/api/v3/time" else { return }
                switch change {
                case "query": components.percentEncodedQuery = (components.percentEncodedQuery ?? "") + "&extra=1"
                case "host": components.host = components.host?.uppercased()
                case "path": components.percentEncodedPath = "/api/v3/order/test"
                default: components.percentEncodedQuery = (components.percentEncodedQuery ?? "") + "&symbol=ETHUSDT"
                }
            }
        ]) { _, _ in FakeExchange.ok() }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .policyViolation, "\(change): \(String(describing: error))")
        #expect(exchange.transport.requests.allSatisfy { $0.url.path == "/api/v3/time" }, "the order must not be sent")
    }

    @Test("a middleware may still change a public request's host (nothing secret is in it)")
    func publicRequestsMayMove() async throws {
        let exchange = FakeExchange(middlewares: [RedirectingMiddleware(host: "mirror.example.net")]) { _, _ in
            FakeExchange.ok()
        }
        _ = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(exchange.transport.requests.last?.url.host == "mirror.example.net")
    }

    @Test("after the one clock retry also fails, the clock is invalidated so the next signed call resyncs")
    func persistentClockErrorInvalidatesTheClock() async throws {
        let exchange = FakeExchange { request, _ in
            if request.url.path == "/api/v3/order" {
                return HTTPResponse(status: 400, body: Data(#"{"code":-1021,"msg":"Timestamp outside recvWindow"}"#.utf8))
            }
            return FakeExchange.ok()
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .timestampOutOfWindow)
        #expect(exchange.clock.needsSync, "a clock the exchange still rejects must be measured again")
    }
}
