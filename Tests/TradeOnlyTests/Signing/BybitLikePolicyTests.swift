import Testing
import TradeOnly
import TradeOnlyTestSupport

/// A Bybit-like policy built in the tests from `reference/binance-bybit.md` §3.2 and §4.3, to prove the
/// policy mechanism. The §3.2 list it is checked against is ``BybitReference``'s.
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
        allowing: allowed.map { .exact($0.method, $0.path) },
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
}

@Suite("A Bybit-like policy from the reference")
struct BybitLikePolicyTests {
    let policy = BybitLikePolicy.policy

    @Test(
        "every §3.2 A–F path is denied, with every method and every spelling trick",
        arguments: try BybitReference.denied)
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
        try policy.check(method: endpoint.method, path: endpoint.path)
    }

    @Test("the /v5/user/ exception lets only GET query-api through")
    func userException() {
        #expect(policy.decision(method: .get, path: "/v5/user/query-api") == .allowed)
        #expect(policy.decision(method: .get, path: "/V5/USER/QUERY-API") == .allowed)
        #expect(policy.decision(method: .get, path: "/V5/USER/QUERY-API/").isDenied)
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
