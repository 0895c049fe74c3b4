import Foundation
import Testing
@testable import TradeOnlyBybit
import TradeOnly

/// The endpoints of reference §3.2 and samples under every denied prefix.
enum PolicyTables {
    /// Every path of §3.2 A–F, plus the two position endpoints of G that stay denied.
    static let section32: [String] = [
        // A
        "/v5/asset/withdraw/create", "/v5/asset/withdraw/cancel",
        // B
        "/v5/asset/transfer/inter-transfer", "/v5/asset/transfer/universal-transfer",
        "/v5/asset/transfer/save-transfer-sub-member", "/v5/asset/deposit/deposit-to-account",
        "/v5/earn/pwm/fund-transfer", "/v5/broker/award/distribute-award", "/v5/position/move-positions",
        // C
        "/v5/p2p/order/finish", "/v5/p2p/order/pay", "/v5/p2p/item/create", "/v5/p2p/item/update",
        "/v5/p2p/item/cancel", "/v5/p2p/item/online", "/v5/p2p/order/message/send", "/v5/p2p/oss/upload_file",
        "/v5/p2p/order/buyer/examine/sellerCancelOrderApply", "/v5/fiat/quote-apply", "/v5/fiat/trade-execute",
        // D
        "/v5/asset/exchange/quote-apply", "/v5/asset/exchange/convert-execute", "/v5/asset/covert/get-quote",
        "/v5/asset/covert/small-balance-execute",
        // E
        "/v5/account/borrow", "/v5/account/repay", "/v5/account/no-convert-repay", "/v5/account/quick-repayment",
        "/v5/spot-margin-trade/fixedborrow", "/v5/spot-margin-trade/fixedborrow-renew",
        "/v5/spot-margin-trade/switch-mode", "/v5/lending/purchase", "/v5/lending/redeem", "/v5/lending/redeem-cancel",
        "/v5/spot-lever-token/purchase", "/v5/spot-lever-token/redeem",
        // F
        "/v5/user/create-sub-api", "/v5/user/update-api", "/v5/user/update-sub-api", "/v5/user/delete-api",
        "/v5/user/delete-sub-api", "/v5/user/create-sub-member", "/v5/user/frozen-sub-member",
        "/v5/user/del-submember", "/v5/user/create-demo-member", "/v5/user/agreement",
        "/v5/apilimit/set", "/v5/broker/apilimit/set",
        "/v5/account/upgrade-to-uta", "/v5/account/set-margin-mode", "/v5/account/set-collateral-switch",
        "/v5/account/set-collateral-switch-batch", "/v5/account/set-hedging-mode", "/v5/account/set-delta-mode",
        "/v5/account/set-limit-px-action", "/v5/account/mmp-modify", "/v5/account/mmp-reset",
        // G (stays denied)
        "/v5/position/add-margin",
    ]

    /// A sample under every denied prefix.
    static let prefixSamples: [String] = [
        "/v5/asset/coin/query-info", "/v5/asset/deposit/query-address", "/v5/user/get-member-type",
        "/v5/user/query-sub-members", "/v5/p2p/user/personal/info", "/v5/fiat/query-coin-list",
        "/v5/earn/place-order", "/v5/earn/redeem", "/v5/crypto-loan/borrow", "/v5/crypto-loan-common/adjust-ltv",
        "/v5/crypto-loan-fixed/borrow", "/v5/crypto-loan-flexible/repay", "/v5/ins-loan/ensure-tokens-convert",
        "/v5/lending/info", "/v5/spot-lever-token/info", "/v5/broker/earnings-info", "/v5/card/transfer",
        "/v5/alpha/purchase", "/v5/rfq/create-rfq", "/v5/spot-margin-trade/set-leverage",
        "/v5/spot-cross-margin-trade/loan", "/v5/apilimit/query", "/v5/grid/create", "/v5/fgridbot/create",
        "/v5/fmartingalebot/create", "/v5/fcombobot/create", "/v5/dca/create", "/v5/strategy/create",
    ]

    static let deniedPaths: [String] = section32 + prefixSamples

    /// Case and encoding tricks on a path.
    static func tricks(_ path: String) -> [String] {
        let segments = path.split(separator: "/").map(String.init)
        let last = segments.last ?? ""
        let encodedFirst = last.isEmpty ? last : String(format: "%%%02X", Int(last.utf8.first ?? 0)) + String(last.dropFirst())
        return [
            path,
            path.uppercased(),
            "/" + segments.map { $0.capitalized }.joined(separator: "/"),
            path.replacingOccurrences(of: "/v5/", with: "/v5//"),
            path + "/",
            path.replacingOccurrences(of: "/v5/", with: "/v5/./"),
            path.replacingOccurrences(of: "/v5/", with: "/v5/market/../"),
            "/" + segments.dropLast().joined(separator: "/") + "/" + encodedFirst,
            path.replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "%2Fv5", with: "/v5"),
            path.replacingOccurrences(of: "/v5/", with: "/v5/%252E/"),
        ]
    }
}

@Suite("Endpoint policy")
struct EndpointPolicyTests {
    @Test("perform refuses every §3.2 path and every denied prefix, with case and encoding tricks, sending nothing",
          arguments: PolicyTables.deniedPaths)
    func performRefuses(path: String) async throws {
        let harness = BybitHarness()
        let client = try await harness.client()
        for trick in PolicyTables.tricks(path) {
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
        for path in ["/v5/asset/withdraw/create", "/v5/position/add-margin", "/v5/position/move-positions",
                     "/v5/user/delete-api", "/v5/asset/transfer/inter-transfer", "/v5/account/borrow"] {
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
        #expect(error?.message.contains("allowing") == true)
        #expect(plain.transport.requests.isEmpty)

        var configuration = Bybit.Configuration(reconciliation: BybitHarness.fastReconciliation)
        configuration.additionalAllowedEndpoints = [.exact(.post, "/v5/position/set-leverage")]
        let opted = BybitHarness(configuration: configuration)
        opted.on(.post, "/v5/position/set-leverage", .response(HTTPResponse(
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
