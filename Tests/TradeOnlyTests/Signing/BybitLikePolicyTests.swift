import Testing
import TradeOnly

/// A Bybit-like policy built in the tests from `reference/binance-bybit.md` §3.2 and §4.3.
enum BybitLikePolicy {
    static let allowed: [Endpoint] = [
        Endpoint(.get, "/v5/market/time"), Endpoint(.get, "/v5/market/instruments-info"),
        Endpoint(.get, "/v5/market/tickers"), Endpoint(.get, "/v5/market/orderbook"), Endpoint(.get, "/v5/market/kline"),
        Endpoint(.get, "/v5/account/wallet-balance"), Endpoint(.get, "/v5/position/list"),
        Endpoint(.post, "/v5/order/create"), Endpoint(.post, "/v5/order/cancel"), Endpoint(.post, "/v5/order/cancel-all"),
        Endpoint(.get, "/v5/order/realtime"), Endpoint(.get, "/v5/order/history"), Endpoint(.get, "/v5/execution/list"),
        Endpoint(.get, "/v5/user/query-api"),
    ]

    static let policy: EndpointPolicy = EndpointPolicy(
        allowing: allowed.map { .exact(HTTPMethod(rawValue: $0.methodName) ?? .head, $0.path) },
        denying: [
            .prefix("/v5/asset/").because("withdrawals and transfers are never signed by TradeOnly"),
            .prefix("/v5/user/").except(.exact(.get, "/v5/user/query-api")),
            .prefix("/v5/p2p/"), .prefix("/v5/fiat/"), .prefix("/v5/earn/"), .prefix("/v5/crypto-loan*"),
            .prefix("/v5/ins-loan/"), .prefix("/v5/lending/"), .prefix("/v5/spot-lever-token/"),
            .prefix("/v5/broker/"), .prefix("/v5/card/"), .prefix("/v5/alpha/"), .prefix("/v5/rfq/"),
            .prefix("/v5/grid/"), .prefix("/v5/fgridbot/"), .prefix("/v5/fmartingalebot/"),
            .prefix("/v5/fcombobot/"), .prefix("/v5/dca/"), .prefix("/v5/strategy/"),
            .prefix("/v5/spot-margin-trade/"), .prefix("/v5/apilimit/"),
            .exact("/v5/position/move-positions"),
            .exact("/v5/account/borrow"), .exact("/v5/account/repay"), .exact("/v5/account/no-convert-repay"),
            .exact("/v5/account/quick-repayment"), .exact("/v5/account/upgrade-to-uta"),
            .exact("/v5/account/set-margin-mode"), .exact("/v5/account/set-collateral-switch"),
            .exact("/v5/account/set-collateral-switch-batch"), .exact("/v5/account/set-hedging-mode"),
            .exact("/v5/account/set-delta-mode"), .exact("/v5/account/set-limit-px-action"),
            .exact("/v5/account/mmp-modify"), .exact("/v5/account/mmp-reset"),
        ],
        exchange: "bybit"
    )

    /// Every path of §3.2 A–F (POST unless noted; wildcards expanded).
    static let denied: [Endpoint] = [
        "/v5/asset/withdraw/create", "/v5/asset/withdraw/cancel",
        "/v5/asset/transfer/inter-transfer", "/v5/asset/transfer/universal-transfer",
        "/v5/asset/transfer/save-transfer-sub-member", "/v5/asset/deposit/deposit-to-account",
        "/v5/earn/pwm/fund-transfer", "/v5/broker/award/distribute-award", "/v5/position/move-positions",
        "/v5/p2p/order/finish", "/v5/p2p/order/pay", "/v5/p2p/item/create", "/v5/p2p/item/update",
        "/v5/p2p/item/cancel", "/v5/p2p/item/online", "/v5/p2p/order/message/send", "/v5/p2p/oss/upload_file",
        "/v5/p2p/order/buyer/examine/sellerCancelOrderApply", "/v5/fiat/quote-apply", "/v5/fiat/trade-execute",
        "/v5/card/transfer",
        "/v5/asset/exchange/quote-apply", "/v5/asset/exchange/convert-execute", "/v5/asset/covert/get-quote",
        "/v5/asset/covert/small-balance-execute",
        "/v5/account/borrow", "/v5/account/repay", "/v5/account/no-convert-repay", "/v5/account/quick-repayment",
        "/v5/spot-margin-trade/fixedborrow", "/v5/spot-margin-trade/fixedborrow-renew",
        "/v5/spot-margin-trade/switch-mode", "/v5/crypto-loan/borrow", "/v5/crypto-loan-common/adjust-ltv",
        "/v5/crypto-loan-fixed/borrow", "/v5/crypto-loan-flexible/repay", "/v5/ins-loan/ensure-tokens-convert",
        "/v5/lending/purchase", "/v5/lending/redeem", "/v5/lending/redeem-cancel", "/v5/earn/place-order",
        "/v5/earn/redeem", "/v5/spot-lever-token/purchase", "/v5/spot-lever-token/redeem", "/v5/alpha/purchase",
        "/v5/grid/create", "/v5/fgridbot/create", "/v5/fmartingalebot/create", "/v5/fcombobot/create",
        "/v5/dca/create", "/v5/strategy/create", "/v5/rfq/create-rfq",
        "/v5/user/create-sub-api", "/v5/user/update-api", "/v5/user/update-sub-api", "/v5/user/delete-api",
        "/v5/user/delete-sub-api", "/v5/user/create-sub-member", "/v5/user/frozen-sub-member",
        "/v5/user/del-submember", "/v5/user/create-demo-member", "/v5/user/agreement",
        "/v5/apilimit/set", "/v5/broker/apilimit/set",
        "/v5/account/upgrade-to-uta", "/v5/account/set-margin-mode", "/v5/account/set-collateral-switch",
        "/v5/account/set-collateral-switch-batch", "/v5/account/set-hedging-mode", "/v5/account/set-delta-mode",
        "/v5/account/set-limit-px-action", "/v5/account/mmp-modify", "/v5/account/mmp-reset",
    ].map { Endpoint(.post, $0) }
}

@Suite("A Bybit-like policy from the reference")
struct BybitLikePolicyTests {
    let policy = BybitLikePolicy.policy

    @Test("every §3.2 A–F path is denied, with every method and every spelling trick",
          arguments: BybitLikePolicy.denied)
    func deniedWithTricks(endpoint: Endpoint) {
        for method in allMethods {
            for path in pathTricks(endpoint.path) {
                let decision = policy.decision(method: method, path: path)
                #expect(decision.isDenied, "\(method.rawValue) \(path) was \(decision)")
            }
        }
    }

    @Test("every §4.3 endpoint is allowed with its method", arguments: BybitLikePolicy.allowed)
    func allowed(endpoint: Endpoint) throws {
        try policy.check(method: try endpoint.method, path: endpoint.path)
    }

    @Test("the /v5/user/ exception lets only GET query-api through")
    func userException() {
        #expect(policy.decision(method: .get, path: "/v5/user/query-api") == .allowed)
        #expect(policy.decision(method: .get, path: "/V5/USER/QUERY-API/") == .allowed)
        #expect(policy.decision(method: .post, path: "/v5/user/query-api").isDenied)
        #expect(policy.decision(method: .get, path: "/v5/user/query-api/../delete-api").isDenied)
        #expect(policy.decision(method: .get, path: "/v5/user/query-api%2F..%2Fdelete-api").isDenied)
        #expect(policy.decision(method: .get, path: "/v5/user/get-member-type").isDenied)
    }

    @Test("a segment-start pattern covers every crypto-loan family and nothing beside it")
    func segmentStartPattern() {
        #expect(policy.decision(method: .get, path: "/v5/crypto-loan").isDenied)
        #expect(policy.decision(method: .get, path: "/v5/crypto-loan-common/collateral-data").isDenied)
        #expect(policy.decision(method: .get, path: "/v5/crypto-loanx").isDenied)
        #expect(policy.decision(method: .get, path: "/v5/crypto").isAllowed == false)
        #expect(!policy.decision(method: .get, path: "/v5/crypto").isDenied)
    }
}
