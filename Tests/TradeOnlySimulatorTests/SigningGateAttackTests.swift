import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator
import TradeOnlyTestSupport

/// A middleware that rewrites every signed request with `rewrite` before it is signed.
struct RewritingMiddleware: HTTPMiddleware {
    let rewrite: @Sendable (HTTPRequest) -> HTTPRequest

    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        try await next(rewrite(request))
    }
}

/// A transport that rewrites what it is given (after signing) before the simulator sees it: the
/// attacker who owns the transport, which TradeOnly cannot stop from replaying or retargeting bytes,
/// only from getting a signature on bytes that move funds.
struct RetargetingTransport: HTTPTransport {
    let base: any HTTPTransport
    let rewrite: @Sendable (HTTPRequest) -> HTTPRequest

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await base.send(rewrite(request))
    }
}

/// The `ExchangeError` `body` throws, or `nil` (recording an issue for anything else it throws).
func caughtError(_ body: () async throws -> Void) async -> ExchangeError? {
    do {
        try await body()
        return nil
    } catch let error as ExchangeError {
        return error
    } catch {
        Issue.record("expected an ExchangeError, got \(type(of: error)): \(error)")
        return nil
    }
}

/// Replaces the path of a URL, keeping its query.
func moving(_ url: URL, to path: String) -> URL {
    guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
    components.percentEncodedPath = path
    return components.url ?? url
}

/// Appends `extra` to a URL's query.
func appending(_ extra: String, to url: URL) -> URL {
    guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
    components.percentEncodedQuery = (components.percentEncodedQuery.map { $0 + "&" } ?? "") + extra
    return components.url ?? url
}

/// Hostile code with only the public API — `perform(_:)`, a middleware, a transport — tries to make a
/// trade-only client sign something that moves funds, against the simulated exchange. Nothing may be
/// signed, and the exchange's money-movement record stays empty.
@Suite("Signing gate against hostile code")
struct SigningGateAttackTests {
    static let withdrawal = "coin=USDT&network=TRX&address=TXattacker0000000000000000000000&amount=5000"
    static let transfer = "asset=USDT&amount=5000&toEmail=thief%40example.com"

    static func binance(
        middlewares: [any HTTPMiddleware] = [], transport wrap: @escaping (any HTTPTransport) -> any HTTPTransport = { $0 }
    ) -> (SimulatedExchange, Binance) {
        let time = FixedTimeSource(fixedStart)
        let exchange = SimulatedExchange.standard(for: .binance, configuration: .init(timeSource: time))
        let binance = Binance(
            environment: .local(BinanceSimulation.localURL), transport: wrap(exchange.transport(for: .binance)),
            timeSource: time, middlewares: middlewares, configuration: .init(), sleeper: AdvancingSleeper(time))
        return (exchange, binance)
    }

    static func client(_ binance: Binance, key: SimulatedKey = SimulatedExchange.standardTradeKey) async throws -> BinanceClient {
        binance.client(try await SafeKey.verify(BinanceSimulation.credentials(key), using: binance.keyInspector))
    }

    @Test(
        "perform: withdrawal or transfer parameters on an allowed endpoint are never signed",
        arguments: [withdrawal, transfer, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&toAccountType=FUNDING"])
    func performWithFundParameters(query: String) async throws {
        let (exchange, binance) = Self.binance()
        let client = try await Self.client(binance)
        var parameters = RequestParameters()
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.removingPercentEncoding ?? String($0) }
            parameters.append(parts[0], parts.count > 1 ? parts[1] : "")
        }
        let before = await exchange.requestCount
        for path in ["/api/v3/order", "/fapi/v1/order", "/api/v3/account", "/api/v3/order/test"] {
            for method in [HTTPMethod.post, .get, .delete] {
                let error = await caughtError {
                    _ = try await client.perform(ExchangeRequest(method: method, path: path, parameters: parameters, security: .signed))
                }
                #expect(error?.kind == .policyViolation || error?.kind == .permissionDenied, "\(method.rawValue) \(path)")
            }
        }
        #expect(await exchange.requestCount == before, "nothing reached the exchange")
        #expect(await exchange.moneyMovements().isEmpty)
    }

    @Test(
        "a middleware that adds withdrawal parameters to an order gets nothing signed",
        arguments: [withdrawal, transfer, "COIN=USDT&AMOUNT=5000", "to_account_type=MAIN", "symbol=ETHUSDT"])
    func middlewareAddsParameters(extra: String) async throws {
        let middleware = RewritingMiddleware { request in
            guard request.method == .post else { return request }
            var changed = request
            changed.url = appending(extra, to: request.url)
            return changed
        }
        let (exchange, binance) = Self.binance(middlewares: [middleware])
        let client = try await Self.client(binance)
        let error = await caughtError {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001") ?? 0, price: 30_000))
        }
        #expect(error?.kind == .policyViolation, "\(String(describing: error))")
        #expect(await exchange.allOrders().isEmpty)
        #expect(await exchange.moneyMovements().isEmpty)
    }

    @Test("a middleware that moves the query into a form body and adds a transfer gets nothing signed")
    func middlewareMovesToBody() async throws {
        let middleware = RewritingMiddleware { request in
            guard request.method == .post, let query = request.url.query else { return request }
            var changed = request
            changed.url = moving(request.url, to: request.url.path)
            if var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) {
                components.percentEncodedQuery = nil
                changed.url = components.url ?? request.url
            }
            changed.body = Data((query + "&" + Self.transfer).utf8)
            changed.headers["Content-Type"] = "application/x-www-form-urlencoded"
            return changed
        }
        let (exchange, binance) = Self.binance(middlewares: [middleware])
        let client = try await Self.client(binance)
        let error = await caughtError {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001") ?? 0, price: 30_000))
        }
        #expect(error?.kind == .policyViolation)
        #expect(await exchange.allOrders().isEmpty)
        #expect(await exchange.moneyMovements().isEmpty)
    }

    @Test(
        "a transport that retargets signed orders to fund-moving endpoints moves nothing",
        arguments: try BinanceReference.denied.prefix(12).map(\.path) + ["/sapi/v1/sub-account/transfer/subToMaster"])
    func transportRetargets(path: String) async throws {
        let (exchange, binance) = Self.binance { base in
            RetargetingTransport(base: base) { request in
                guard request.method == .post else { return request }
                var moved = request
                moved.url = moving(request.url, to: path)
                return moved
            }
        }
        // The withdraw-enabled key cannot be verified; the trade-only key's signed bytes are an
        // order's, which no money-moving endpoint can execute.
        let client = try await Self.client(binance)
        _ = try? await client.place(.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001") ?? 0, price: 30_000))
        #expect(await exchange.moneyMovements().isEmpty)
    }

    @Test(
        "%2e%2e and other spellings of a withdrawal path are refused, never resolved",
        arguments: [
            "/sapi/v1/capital/withdraw/apply/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/api/v3/order",
            "/api/v3/order/%2e%2e/%2e%2e/%2e%2e/sapi/v1/capital/withdraw/apply", "/api/v3//order", "/api/v3/order/",
            "/api/v3/%6Frder", "/sapi/v1/capital/withdraw/apply/%252e%252e/%252e%252e/api/v3/order",
        ])
    func dotDotSpellings(path: String) async throws {
        let (exchange, binance) = Self.binance()
        let client = try await Self.client(binance)
        let before = await exchange.requestCount
        let error = await caughtError {
            _ = try await client.perform(
                ExchangeRequest(
                    method: .post, path: path, parameters: ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "1"],
                    security: .signed))
        }
        #expect(error?.kind == .policyViolation, "\(path)")
        #expect(await exchange.requestCount == before)
    }

    @Test("perform respects the key's permissions: a read-only key signs no order")
    func readOnlyKey() async throws {
        let (exchange, binance) = Self.binance()
        let readOnly = SimulatedKey(
            apiKey: "simREADonlyKey0000000000000000000000000000000000000000000000000003",
            secret: "simReadOnlySecret000000000000000000000000000000000000000000000003",
            permissions: [.read], ipWhitelist: ["127.0.0.1"], note: "read-only")
        await exchange.addKey(readOnly)
        let client = try await Self.client(binance, key: readOnly)
        let before = await exchange.requestCount
        for (path, symbol) in [("/fapi/v1/order", "BTCUSDT"), ("/api/v3/order", "BTCUSDT")] {
            let error = await caughtError {
                _ = try await client.perform(
                    ExchangeRequest(
                        method: .post, path: path,
                        parameters: ["symbol": symbol, "side": "BUY", "type": "MARKET", "quantity": "1"], security: .signed))
            }
            #expect(error?.kind == .permissionDenied, "\(path): \(String(describing: error))")
        }
        #expect(await exchange.requestCount == before)
    }

    // MARK: Bybit

    static func bybit(
        borrowing: Bool = true, middlewares: [any HTTPMiddleware] = []
    ) -> (SimulatedExchange, Bybit) {
        let time = FixedTimeSource(fixedStart)
        var configuration = SimulatedExchange.Configuration(timeSource: time)
        configuration.allowsSpotBorrowing = borrowing
        let exchange = SimulatedExchange.standard(for: .bybit, configuration: configuration)
        let bybit = Bybit(
            environment: .local(BybitSimulation.baseURL), transport: exchange.transport(for: .bybit), timeSource: time,
            sleeper: AdvancingSleeper(time), middlewares: middlewares)
        return (exchange, bybit)
    }

    @Test(
        "a middleware cannot make a spot order borrow, however it spells isLeverage",
        arguments: [
            #""isLeverage":1"#, #""isLeverage":"1""#, #""is\u004ceverage":1"#, #""isLeverage":0,"isLeverage":1"#,
            #""isLeverage":true"#, #""isLeverage":"\u0031""#, #""isLeverage":1.0"#, #""IsLeverage":1"#,
        ])
    func bybitLeverage(member: String) async throws {
        let middleware = RewritingMiddleware { request in
            guard request.method == .post, var body = request.body.map({ String(decoding: $0, as: UTF8.self) }) else {
                return request
            }
            body = body.replacingOccurrences(of: #","isLeverage":0"#, with: "")
            body.removeLast()
            var changed = request
            changed.body = Data((body + "," + member + "}").utf8)
            return changed
        }
        let (exchange, bybit) = Self.bybit(middlewares: [middleware])
        let key = try await SafeKey.verify(BybitSimulation.credentials(), using: bybit.keyInspector)
        let client = bybit.client(key)
        // 2 BTC at 65 000 is more than the account's 100 000 USDT: only a loan could pay for it.
        let error = await caughtError {
            _ = try await client.place(.market(.buy, "BTC/USDT", quantity: 2))
        }
        #expect(error?.kind == .policyViolation, "\(member): \(String(describing: error))")
        #expect(await exchange.allOrders().isEmpty)
        #expect(await exchange.balance(of: "USDT").free >= 0)
        #expect(await exchange.moneyMovements().isEmpty)
    }

    @Test("perform: Bybit withdrawal and transfer parameters are never signed on an allowed endpoint")
    func bybitPerform() async throws {
        let (exchange, bybit) = Self.bybit()
        let client = bybit.client(try await SafeKey.verify(BybitSimulation.credentials(), using: bybit.keyInspector))
        let before = await exchange.requestCount
        let sets: [RequestParameters] = [
            ["category": "spot", "coin": "USDT", "chain": "TRX", "address": "TXattacker", "amount": "5000"],
            [
                "category": "spot", "transferId": "x", "coin": "USDT", "amount": "5000", "fromAccountType": "UNIFIED",
                "toAccountType": "FUND",
            ],
            ["category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market", "qty": "1", "isLeverage": "1"],
        ]
        for parameters in sets {
            for path in ["/v5/order/create", "/v5/order/cancel"] {
                let error = await caughtError {
                    _ = try await client.perform(ExchangeRequest(method: .post, path: path, parameters: parameters, security: .signed))
                }
                #expect(error?.kind == .policyViolation, "\(path) \(parameters)")
            }
        }
        #expect(await exchange.requestCount == before)
        #expect(await exchange.moneyMovements().isEmpty)
    }

    @Test("a middleware cannot move a signed Bybit order to the withdrawal endpoint")
    func bybitPathRewrite() async throws {
        let middleware = RewritingMiddleware { request in
            guard request.method == .post else { return request }
            var changed = request
            changed.url = moving(request.url, to: "/v5/asset/withdraw/create")
            return changed
        }
        let (exchange, bybit) = Self.bybit(middlewares: [middleware])
        let client = bybit.client(try await SafeKey.verify(BybitSimulation.credentials(), using: bybit.keyInspector))
        let error = await caughtError {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001") ?? 0, price: 30_000))
        }
        #expect(error?.kind == .policyViolation)
        #expect(await exchange.moneyMovements().isEmpty)
        #expect(await exchange.allOrders().isEmpty)
    }
}
