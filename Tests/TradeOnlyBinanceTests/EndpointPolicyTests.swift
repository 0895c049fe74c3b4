import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Endpoint policy: perform(_:) never sends a denied request", .serialized)
struct PolicyTests {
    @Test(
        "perform on every §3.1 path throws policyViolation and the transport sees nothing",
        arguments: try BinanceReference.alwaysDenied)
    func deniedThroughPerform(endpoint: Endpoint) async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        for security in [ExchangeRequest.Security.signed, .public] {
            for path in pathTricks(endpoint.path) {
                let request = ExchangeRequest(
                    method: endpoint.method, path: path, parameters: ["coin": "BTC", "amount": "1"], security: security)
                let error = try await #require(throws: ExchangeError.self, "\(path)") {
                    try await client.perform(request)
                }
                #expect(error.kind == .policyViolation, "\(path): \(error)")
                #expect(!error.description.contains(Fixtures.secret))
            }
        }
        #expect(fake.requests.isEmpty, "\(fake.requests.map(\.wire))")
    }

    @Test("refusals name the category of money movement")
    func categories() async throws {
        let policy = Binance.builtInPolicy
        let cases: [(HTTPMethod, String, String)] = [
            (.post, "/SAPI/v1//capital/withdraw/apply/", Binance.withdrawalReason),
            (.post, "/sapi/v1/capital/%77ithdraw/apply", Binance.withdrawalReason),
            (.post, "/sapi/v1/sub-account/transfer/subToMaster", Binance.transferReason),
            (.post, "/sapi/v1/giftcard/createCode", Binance.paymentReason),
            (.post, "/fapi/v1/convert/acceptQuote", Binance.convertReason),
            (.post, "/sapi/v1/simple-earn/flexible/subscribe", Binance.loanReason),
            (.post, "/sapi/v1/sub-account/subAccountApi", Binance.keyManagementReason),
            (.post, "/fapi/v1/positionMargin", Binance.positionMarginReason),
            (.get, "/sapi/v1/capital/config/getall", Binance.sapiReason),
            (.post, "/dapi/v1/order", Binance.otherProductReason),
        ]
        for (method, path, reason) in cases {
            let error = try #require(throws: ExchangeError.self) { try policy.check(method: method, path: path) }
            #expect(error.kind == .policyViolation)
            #expect(error.message.contains(reason), "\(path): \(error.message)")
            #expect(error.exchange == "binance")
        }
    }

    @Test("every built-in allow rule is allowed, and the key check only with GET")
    func allowList() throws {
        for rule in Binance.allowedEndpoints {
            let method = try #require(rule.method)
            #expect(Binance.builtInPolicy.decision(method: method, path: rule.pattern) == .allowed, "\(rule)")
        }
        #expect(Binance.builtInPolicy.decision(method: .post, path: "/sapi/v1/account/apiRestrictions").isAllowed == false)
        #expect(Binance.builtInPolicy.decision(method: .get, path: "/sapi/v1/system/status").isAllowed == false)
    }

    @Test("futures account configuration is refused until the user opts in", arguments: try BinanceReference.optIn)
    func optIn(endpoint: Endpoint) async throws {
        let fake = FakeBinance()
        // Each endpoint's first documented parameter (symbol where it has one).
        let accepted = Binance.optInConfiguration.first { $0.pattern == endpoint.path }?.acceptedParameters ?? []
        let name = accepted.contains("symbol") ? "symbol" : try #require(accepted.sorted().first)
        let request = ExchangeRequest(
            method: endpoint.method, path: endpoint.path, parameters: [name: "BTCUSDT"], security: .signed)
        let client = try await fake.client()
        let error = try await #require(throws: ExchangeError.self) { try await client.perform(request) }
        #expect(error.kind == .policyViolation)
        #expect(fake.requests.isEmpty)

        let configuration = Binance.Configuration(additionalAllowedEndpoints: [.exact(endpoint.method, endpoint.path)])
        let optedIn = try await fake.client(configuration: configuration)
        fake.on(endpoint.method, endpoint.path) { _, _ in HTTPResponse.json("{}") }
        let response = try await optedIn.perform(request)
        #expect(response.status == 200)
        let sent = try #require(fake.requests(endpoint.method, endpoint.path).first)
        #expect(sent.wire.hasPrefix("https://fapi.binance.com\(endpoint.path)?\(name)=BTCUSDT&recvWindow=5000&timestamp=1499827319559&signature="))
    }

    @Test("user allow rules never reach a denied endpoint, not even /sapi/ as a whole")
    func userRulesCannotBeatDeny() async throws {
        let fake = FakeBinance()
        let configuration = Binance.Configuration(additionalAllowedEndpoints: [
            .prefix("/"), .prefix("/sapi/"), .exact(.post, "/sapi/v1/capital/withdraw/apply"),
            .exact(.post, "/fapi/v1/positionMargin"),
        ])
        let client = try await fake.client(configuration: configuration)
        for endpoint in try BinanceReference.alwaysDenied {
            let error = try await #require(throws: ExchangeError.self) {
                try await client.perform(ExchangeRequest(method: endpoint.method, path: endpoint.path, security: .signed))
            }
            #expect(error.kind == .policyViolation, "\(endpoint.path)")
        }
        #expect(fake.requests.isEmpty)
    }

    @Test("a middleware that rewrites the path to a withdrawal is stopped by the signer")
    func middlewareRewriteStoppedBySigner() async throws {
        struct Rewriter: HTTPMiddleware {
            func intercept(
                _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
            ) async throws -> HTTPResponse {
                var copy = request
                if request.url.path == "/api/v3/account" {
                    copy.url = URL(string: "https://api.binance.com/sapi/v1/capital/withdraw/apply?coin=BTC&amount=1")!
                }
                return try await next(copy)
            }
        }
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-trade-only.json")
        let binance = fake.binance(middlewares: [Rewriter()])
        let key = try await SafeKey.verify(Fixtures.credentials(), using: binance.keyInspector)
        fake.transport.removeAllRequests()
        let error = try await #require(throws: ExchangeError.self) { try await binance.client(key).balances() }
        #expect(error.kind == .policyViolation)
        #expect(fake.apiRequests.isEmpty)
    }

    @Test("a signed perform of an allowed endpoint is signed and sent in the query string")
    func performAllowed() async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        fake.on(.get, "/api/v3/rateLimit/order") { _, _ in HTTPResponse.json("[]") }
        _ = try await client.perform(ExchangeRequest(method: .get, path: "/api/v3/rateLimit/order", security: .signed))
        let sent = try #require(fake.apiRequests.first)
        #expect(
            sent.wire
                == "https://api.binance.com/api/v3/rateLimit/order?recvWindow=5000&timestamp=1499827319559&signature=82f4e72e95e63d666b6da651e82a701722ad8a785a169318d91f36f279c55821"
        )
        #expect(sent.headers["X-MBX-APIKEY"] == Fixtures.apiKey)
    }

    @Test("perform refuses parameters only the signer may add")
    func performReserved() async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        let error = try await #require(throws: ExchangeError.self) {
            try await client.perform(
                ExchangeRequest(
                    method: .get, path: "/api/v3/account", parameters: ["timestamp": "1"], security: .signed))
        }
        #expect(error.kind == .policyViolation)
        #expect(fake.apiRequests.isEmpty)
    }
}

/// For every endpoint of the table: its own parameters pass, and one more drawn from the
/// fund-movement vocabulary or made up never does; the transport sees none of those.
@Suite("Endpoint table: parameter schemas")
struct ParameterSchemaTests {
    static let endpoints = Binance.allowedEndpoints + Binance.optInConfiguration

    @Test("random extra parameters are refused before the transport, on every endpoint of the table")
    func randomExtras() async throws {
        let fake = FakeBinance()
        let configuration = Binance.Configuration(additionalAllowedEndpoints: Binance.optInConfiguration)
        let client = try await fake.client(configuration: configuration)
        var random = TableRandom(seed: 0x5C4E_3A11)
        let vocabulary = EndpointPolicy.ParameterRule.fundMovement.map(\.name) + Binance.refusedParameters.map(\.name)
        for rule in Self.endpoints {
            let method = try #require(rule.method)
            for round in 0..<12 {
                var parameters = RequestParameters()
                for name in rule.acceptedParameters.sorted().prefix(Int(random.next() % 4)) { parameters.append(name, "1") }
                guard let extra = random.extraName(round: round, vocabulary: vocabulary, avoiding: rule.acceptedParameters)
                else { continue }
                parameters.append(round % 4 == 1 ? extra.uppercased() : extra, "5000")
                let error = try await #require(throws: ExchangeError.self, "\(rule) + \(extra)") {
                    try await client.perform(ExchangeRequest(method: method, path: rule.pattern, parameters: parameters, security: .signed))
                }
                #expect(error.kind == .policyViolation, "\(rule) + \(extra): \(error)")
            }
        }
        #expect(fake.apiRequests.isEmpty, "\(fake.apiRequests.map(\.wire))")
    }

    @Test(
        "every denied endpoint is refused by the signer whatever the spelling and wherever the parameters are",
        arguments: try BinanceReference.alwaysDenied)
    func deniedWithEncodings(endpoint: Endpoint) throws {
        let signer = try Fixtures.signer()
        for path in pathTricks(endpoint.path) {
            guard let bare = URL(string: "https://api.binance.com" + path),
                let withQuery = URL(string: "https://api.binance.com" + path + "?coin=USDT&amount=1")
            else { continue }
            let requests = [
                HTTPRequest(method: endpoint.method, url: bare),
                HTTPRequest(method: endpoint.method, url: withQuery),
                HTTPRequest(
                    method: endpoint.method, url: bare, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                    body: Data("asset=USDT&amount=1".utf8)),
                HTTPRequest(
                    method: endpoint.method, url: bare, headers: ["Content-Type": "application/json"],
                    body: Data(#"{"asset":"USDT","amount":"1"}"#.utf8)),
            ]
            for request in requests {
                let error = try #require(throws: ExchangeError.self, "\(path)") { try signer.sign(request, at: Fixtures.date) }
                #expect(error.kind == .policyViolation, "\(path): \(error)")
            }
        }
    }
}
