import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Endpoint policy")
struct EndpointPolicyTests {
    @Test(
        "perform refuses every §3.2 path and every denied prefix, with case and encoding tricks, sending nothing",
        arguments: try BybitReference.deniedPaths)
    func performRefuses(path: String) async throws {
        let harness = BybitHarness()
        let client = try await harness.client()
        for trick in pathTricks(path) {
            for method in [HTTPMethod.post, .get] {
                for security in [ExchangeRequest.Security.signed, .public] {
                    let request = ExchangeRequest(
                        method: method, path: trick, parameters: ["coin": "USDT", "amount": "1"], security: security)
                    let error = await ExchangeError.caught { _ = try await client.perform(request) }
                    #expect(error?.kind == .policyViolation, "\(method.rawValue) \(trick): \(String(describing: error))")
                }
            }
        }
        #expect(harness.transport.requests.isEmpty)
    }

    @Test("a user's allow rule cannot open a denied endpoint; add-margin and move-positions stay denied")
    func denyWins() async throws {
        var configuration = Bybit.Configuration(reconciliation: BybitHarness.fastReconciliation)
        configuration.additionalAllowedEndpoints = [
            .prefix("/v5/"), .exact(.post, "/v5/asset/withdraw/create"), .exact(.post, "/v5/position/add-margin"),
            .exact(.post, "/v5/position/move-positions"), .exact(.post, "/v5/user/delete-api"),
        ]
        let harness = BybitHarness(configuration: configuration)
        let client = try await harness.client()
        for path in [
            "/v5/asset/withdraw/create", "/v5/position/add-margin", "/v5/position/move-positions",
            "/v5/user/delete-api", "/v5/asset/transfer/inter-transfer", "/v5/account/borrow",
        ] {
            let error = await ExchangeError.caught {
                _ = try await client.perform(ExchangeRequest(method: .post, path: path, security: .signed))
            }
            #expect(error?.kind == .policyViolation, "\(path)")
        }
        #expect(harness.transport.requests.isEmpty)
    }

    @Test("position configuration is not allowed by default, and a user may add it")
    func positionConfigurationOptIn() async throws {
        let plain = BybitHarness()
        let client = try await plain.client()
        let leverage = ExchangeRequest(
            method: .post, path: "/v5/position/set-leverage",
            parameters: ["category": "linear", "symbol": "BTCUSDT", "buyLeverage": "3", "sellLeverage": "3"],
            security: .signed)
        let error = await ExchangeError.caught { _ = try await client.perform(leverage) }
        #expect(error?.kind == .policyViolation)
        // The refusal names the configuration property a user sets, with the rule to add.
        #expect(
            error?.message.contains("configuration.additionalAllowedEndpoints = [.exact(.post, \"/v5/position/set-leverage\")]")
                == true, "\(String(describing: error?.message))")
        #expect(plain.transport.requests.isEmpty)

        var configuration = Bybit.Configuration(reconciliation: BybitHarness.fastReconciliation)
        configuration.additionalAllowedEndpoints = [.exact(.post, "/v5/position/set-leverage")]
        let opted = BybitHarness(configuration: configuration)
        opted.on(
            .post, "/v5/position/set-leverage",
            .response(
                HTTPResponse(
                    status: 200, body: Data(#"{"retCode":0,"retMsg":"OK","result":{},"retExtInfo":{},"time":1672281607343}"#.utf8))))
        let optedClient = try await opted.client()
        _ = try await optedClient.perform(leverage)
        let sent = try #require(opted.sent(.post, "/v5/position/set-leverage").first)
        #expect(BybitHarness.body(sent) == #"{"category":"linear","symbol":"BTCUSDT","buyLeverage":"3","sellLeverage":"3"}"#)
    }

    @Test("the built-in allow-list is exactly what the client uses, plus query-api and market data")
    func allowList() {
        let policy = Bybit.builtInPolicy
        let allowed: [(HTTPMethod, String)] = [
            (.get, "/v5/market/time"), (.get, "/v5/market/instruments-info"), (.get, "/v5/market/tickers"),
            (.get, "/v5/market/orderbook"), (.get, "/v5/market/kline"), (.get, "/v5/user/query-api"),
            (.get, "/v5/account/wallet-balance"), (.get, "/v5/position/list"), (.post, "/v5/order/create"),
            (.post, "/v5/order/cancel"), (.get, "/v5/order/realtime"), (.get, "/v5/order/history"),
            (.get, "/v5/execution/list"),
        ]
        for (method, path) in allowed {
            #expect(policy.decision(method: method, path: path) == .allowed, "\(method.rawValue) \(path)")
        }
        let notAllowed: [(HTTPMethod, String)] = [
            (.post, "/v5/market/time"), (.post, "/v5/user/query-api"), (.post, "/v5/order/amend"),
            (.post, "/v5/order/cancel-all"), (.post, "/v5/position/set-leverage"), (.get, "/v5/account/info"),
            (.post, "/v5/order/create-batch"), (.post, "/v5/account/demo-apply-money"),
        ]
        for (method, path) in notAllowed {
            #expect(!policy.decision(method: method, path: path).isAllowed, "\(method.rawValue) \(path)")
        }
        #expect(policy.decision(method: .post, path: "/v5/user/query-api") != .notAllowed)
    }

    @Test("every denied rule is valid and carries a reason")
    func denyRulesAreValid() {
        for rule in Bybit.deniedEndpoints {
            #expect(rule.isValid, "\(rule)")
            #expect(rule.reason != nil, "\(rule)")
        }
    }

    @Test("the key inspector's own policy allows only the key report and the server time")
    func inspectorPolicy() {
        let policy = Bybit.inspectorPolicy
        #expect(policy.decision(method: .get, path: "/v5/user/query-api") == .allowed)
        #expect(policy.decision(method: .get, path: "/v5/market/time") == .allowed)
        #expect(!policy.decision(method: .post, path: "/v5/order/create").isAllowed)
        #expect(!policy.decision(method: .get, path: "/v5/account/wallet-balance").isAllowed)
    }
}

/// For every endpoint of the table: one parameter more, drawn from the fund-movement vocabulary or
/// made up, is never signed; the transport sees none of those.
@Suite("Endpoint table: parameter schemas")
struct ParameterSchemaTests {
    static let endpoints =
        Bybit.allowedEndpoints.filter { $0.method == .post || $0.pattern != "/v5/market/" }
        + Bybit.optInConfiguration

    @Test("random extra parameters are refused before the transport, on every signed endpoint of the table")
    func randomExtras() async throws {
        var configuration = Bybit.Configuration(reconciliation: BybitHarness.fastReconciliation)
        configuration.additionalAllowedEndpoints = Bybit.optInConfiguration
        let harness = BybitHarness(configuration: configuration)
        let client = try await harness.client()
        var random = TableRandom(seed: 0xB7B1_7000)
        let vocabulary = EndpointPolicy.ParameterRule.fundMovement.map(\.name) + ["amount", "Amount", "isLeverage"]
        for rule in Self.endpoints {
            let method = try #require(rule.method)
            for round in 0..<12 {
                var parameters: RequestParameters = ["category": "linear"]
                guard let extra = random.extraName(round: round, vocabulary: vocabulary, avoiding: rule.acceptedParameters)
                else { continue }
                parameters.append(extra, extra == "isLeverage" ? "1" : "5000")
                let error = await ExchangeError.caught {
                    _ = try await client.perform(ExchangeRequest(method: method, path: rule.pattern, parameters: parameters, security: .signed))
                }
                #expect(error?.kind == .policyViolation, "\(rule) + \(extra): \(String(describing: error))")
            }
        }
        #expect(harness.sent.isEmpty)
    }

    @Test(
        "every denied endpoint is refused by the signer whatever the spelling, with a query or a JSON body",
        arguments: try BybitReference.deniedPaths)
    func deniedWithEncodings(path: String) throws {
        let signer = try BybitHarness.signer()
        // The same query and body pass on an allowed endpoint: the refusals below are about the path.
        let allowedURL = try #require(URL(string: "https://api.bybit.com/v5/order/create"))
        _ = try signer.sign(
            HTTPRequest(
                method: .post, url: allowedURL, headers: ["Content-Type": "application/json"],
                body: Data(#"{"category":"spot"}"#.utf8)), at: Date())
        for trick in pathTricks(path) {
            guard let get = URL(string: "https://api.bybit.com" + trick + "?category=spot"),
                let post = URL(string: "https://api.bybit.com" + trick)
            else { continue }
            for request in [
                HTTPRequest(method: .get, url: get),
                HTTPRequest(
                    method: .post, url: post, headers: ["Content-Type": "application/json"],
                    body: Data(#"{"category":"spot"}"#.utf8)),
            ] {
                let error = #expect(throws: ExchangeError.self, "\(trick)") { try signer.sign(request, at: Date()) }
                #expect(error?.kind == .policyViolation, "\(trick)")
            }
        }
    }
}
