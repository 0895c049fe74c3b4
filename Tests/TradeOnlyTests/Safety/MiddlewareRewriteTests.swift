import Foundation
import Testing
import TradeOnlyTestSupport

@testable import TradeOnly

/// A middleware that does whatever `body` says with the request and `next`.
struct ClosureMiddleware: HTTPMiddleware {
    let body: @Sendable (HTTPRequest, @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse

    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        try await body(request, next)
    }
}

/// What a hostile middleware can do to a signed request, and what reaches the transport: the
/// pipeline decides write-or-read from each request it is asked to send, and never lets a middleware
/// change a signed request's method or path, or add a `Host`-like header.
@Suite("Middleware rewrites of signed requests")
struct MiddlewareRewriteTests {
    static let account = ExchangeRequest(method: .get, path: "/api/v3/account", security: .signed)

    @Test("one signed read turned into three writes places nothing")
    func readBecomesWrites() async throws {
        let fanOut = ClosureMiddleware { request, next in
            guard request.url.path == "/api/v3/account" else { return try await next(request) }
            var write = request
            write.method = .post
            write.url = URL(string: "https://api.example.com/api/v3/order?symbol=BTCUSDT&side=BUY") ?? request.url
            var last: HTTPResponse?
            for _ in 0..<3 { last = try? await next(write) }
            if let last { return last }
            return try await next(request)
        }
        let exchange = FakeExchange(middlewares: [fanOut]) { _, _ in FakeExchange.ok() }
        _ = try? await exchange.pipeline.send(Self.account)
        #expect(exchange.requests(to: "/api/v3/order").isEmpty, "no order may reach the transport")
        #expect(exchange.transport.requests.allSatisfy { $0.method == .get })
    }

    @Test(
        "a signed request's method or path changed by a middleware is refused before anything is sent",
        arguments: ["method", "path", "path-case", "path-escape"])
    func methodOrPath(change: String) async throws {
        let rewrite = ClosureMiddleware { request, next in
            guard request.url.path.hasPrefix("/api/v3/order") else { return try await next(request) }
            var changed = request
            switch change {
            case "method": changed.method = .delete
            case "path": changed.url = URL(string: "https://api.example.com/api/v3/open?symbol=BTCUSDT") ?? request.url
            case "path-case": changed.url = URL(string: "https://api.example.com/API/v3/order?symbol=BTCUSDT&side=BUY") ?? request.url
            default: changed.url = URL(string: "https://api.example.com/api/v3/%6Frder?symbol=BTCUSDT&side=BUY") ?? request.url
            }
            return try await next(changed)
        }
        let exchange = FakeExchange(middlewares: [rewrite]) { _, _ in FakeExchange.ok() }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .policyViolation, "\(change): \(String(describing: error))")
        #expect(exchange.businessRequests.isEmpty)
    }

    @Test(
        "a Host-like header added by a middleware never reaches the wire with a signature",
        arguments: ["Host", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "Forwarded", "x-forwarded-host"])
    func hostHeaders(name: String) async throws {
        let header = ClosureMiddleware { request, next in
            var changed = request
            changed.headers.add(name: name, value: "evil.example")
            return try await next(changed)
        }
        let exchange = FakeExchange(middlewares: [header]) { _, _ in FakeExchange.ok() }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .policyViolation, "\(name)")
        #expect(exchange.businessRequests.isEmpty)
        #expect(!exchange.transport.requests.contains { $0.headers.contains(name) && $0.url.query?.contains("signature") == true })
    }

    @Test("after a read may have been sent, the same attempt sends no write, signed or not")
    func writeAfterRead() async throws {
        let sneaky = ClosureMiddleware { request, next in
            let response = try await next(request)
            var write = request
            write.method = .post
            return (try? await next(write)) ?? response
        }
        let exchange = FakeExchange(middlewares: [sneaky]) { _, _ in FakeExchange.ok() }
        _ = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(exchange.transport.requests.allSatisfy { $0.method == .get })
    }
}

/// Every fund-moving endpoint of the exchanges' reference, in every spelling, as the target of a
/// middleware that rewrites a signed order's path: nothing is sent.
@Suite("Middleware rewrites to fund-moving endpoints")
struct MiddlewareRetargetTests {
    /// The spellings a URL can carry (the others cannot reach a transport at all).
    static func targets() throws -> [String] {
        try (BinanceReference.alwaysDenied.map(\.path) + BybitReference.deniedPaths)
            .flatMap { pathTricks($0) }
            .filter { URL(string: "https://api.example.com" + $0 + "?symbol=BTCUSDT") != nil }
    }

    @Test("a signed order moved to any spelling of a withdrawal, transfer or key endpoint is never sent")
    func retargets() async throws {
        let targets = try Self.targets()
        #expect(targets.count > 1_000)
        for (index, target) in targets.enumerated() where index % 7 == 0 || target.hasPrefix("/sapi/v1/capital") {
            let rewrite = ClosureMiddleware { request, next in
                guard request.url.path.hasPrefix("/api/v3/order"),
                    let url = URL(string: "https://api.example.com" + target + "?" + (request.url.query ?? ""))
                else { return try await next(request) }
                var moved = request
                moved.url = url
                return try await next(moved)
            }
            let exchange = FakeExchange(middlewares: [rewrite]) { _, _ in FakeExchange.ok() }
            let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
            #expect(error?.kind == .policyViolation, "\(target)")
            #expect(exchange.businessRequests.isEmpty, "\(target)")
        }
    }
}
