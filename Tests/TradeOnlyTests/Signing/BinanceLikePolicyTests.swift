import Testing
import TradeOnly

/// A Binance-like policy built in the tests from `reference/binance-bybit.md` §3.1 and §4.1/4.2, to
/// prove the policy mechanism. The Binance module defines the real one.
enum BinanceLikePolicy {
    static let moneyOut = "withdrawals and transfers are never signed by TradeOnly"

    static let allowed: [Endpoint] = [
        // §4.1 spot
        Endpoint(.get, "/api/v3/ping"), Endpoint(.get, "/api/v3/time"), Endpoint(.get, "/api/v3/exchangeInfo"),
        Endpoint(.get, "/api/v3/ticker/price"), Endpoint(.get, "/api/v3/depth"), Endpoint(.get, "/api/v3/klines"),
        Endpoint(.get, "/api/v3/account"), Endpoint(.post, "/api/v3/order"), Endpoint(.post, "/api/v3/order/test"),
        Endpoint(.delete, "/api/v3/order"), Endpoint(.delete, "/api/v3/openOrders"), Endpoint(.get, "/api/v3/order"),
        Endpoint(.get, "/api/v3/openOrders"), Endpoint(.get, "/api/v3/allOrders"), Endpoint(.get, "/api/v3/myTrades"),
        Endpoint(.get, "/api/v3/rateLimit/order"), Endpoint(.get, "/sapi/v1/account/apiRestrictions"),
        // §4.2 USDⓈ-M futures
        Endpoint(.get, "/fapi/v1/time"), Endpoint(.get, "/fapi/v1/exchangeInfo"), Endpoint(.get, "/fapi/v1/ticker/price"),
        Endpoint(.get, "/fapi/v2/ticker/price"), Endpoint(.get, "/fapi/v1/depth"), Endpoint(.get, "/fapi/v1/klines"),
        Endpoint(.get, "/fapi/v3/balance"), Endpoint(.get, "/fapi/v2/balance"), Endpoint(.get, "/fapi/v3/account"),
        Endpoint(.get, "/fapi/v2/account"), Endpoint(.get, "/fapi/v3/positionRisk"), Endpoint(.get, "/fapi/v2/positionRisk"),
        Endpoint(.get, "/fapi/v1/accountConfig"), Endpoint(.post, "/fapi/v1/order"), Endpoint(.post, "/fapi/v1/order/test"),
        Endpoint(.delete, "/fapi/v1/order"), Endpoint(.delete, "/fapi/v1/allOpenOrders"), Endpoint(.get, "/fapi/v1/order"),
        Endpoint(.get, "/fapi/v1/openOrders"), Endpoint(.get, "/fapi/v1/userTrades"),
    ]

    static let policy: EndpointPolicy = EndpointPolicy(
        allowing: allowed.map { .exact(HTTPMethod(rawValue: $0.methodName) ?? .head, $0.path) },
        denying: [
            // Money out: named first so refusals say so.
            .prefix("/sapi/v1/capital/withdraw").because(moneyOut),
            .prefix("/sapi/v1/localentity/withdraw").because(moneyOut),
            .prefix("/sapi/v1/localentity/broker/withdraw").because(moneyOut),
            .prefix("/sapi/v1/managed-subaccount/withdraw").because(moneyOut),
            .prefix("/sapi/v2/fiat/withdraw").because(moneyOut),
            .prefix("/sapi/v1/asset/transfer").because(moneyOut),
            .prefix("/sapi/v1/sub-account/transfer").because(moneyOut),
            .prefix("/sapi/v1/sub-account/universalTransfer").because(moneyOut),
            .prefix("/sapi/v1/broker/transfer").because(moneyOut),
            .prefix("/wapi/").because(moneyOut),
            // Everything else under /sapi/ but the permission check, and the other product families.
            .prefix("/sapi/")
                .except(.exact(.get, "/sapi/v1/account/apiRestrictions"), .exact(.get, "/sapi/v1/system/status"))
                .because("wallet, transfer, sub-account, earn, loan and key-management endpoints under /sapi/ are never signed by TradeOnly"),
            .prefix("/papi/"), .prefix("/eapi/"), .prefix("/dapi/"),
            .prefix("/fapi/v1/convert/"), .exact("/fapi/v1/feeBurn"),
        ],
        exchange: "binance"
    )

    /// Every path of §3.1 A–F, with its method (wildcards and alternatives expanded).
    static let denied: [Endpoint] = [
        // A. Withdrawals and deposits-out
        Endpoint(.post, "/sapi/v1/capital/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/localentity/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/localentity/broker/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/account/enableFastWithdrawSwitch"),
        Endpoint(.post, "/sapi/v1/account/disableFastWithdrawSwitch"),
        Endpoint(.post, "/sapi/v1/managed-subaccount/withdraw"),
        Endpoint(.post, "/sapi/v1/managed-subaccount/deposit"),
        Endpoint(.post, "/sapi/v2/fiat/withdraw"),
        Endpoint(.post, "/sapi/v1/fiat/deposit"),
        Endpoint(.post, "/wapi/v3/withdraw.html"),
        // B. Transfers
        Endpoint(.post, "/sapi/v1/asset/transfer"),
        Endpoint(.post, "/sapi/v1/futures/transfer"),
        Endpoint(.post, "/sapi/v1/margin/transfer"),
        Endpoint(.post, "/sapi/v1/margin/isolated/transfer"),
        Endpoint(.post, "/sapi/v1/sub-account/universalTransfer"),
        Endpoint(.post, "/sapi/v1/sub-account/transfer/subToMaster"),
        Endpoint(.post, "/sapi/v1/sub-account/transfer/subToSub"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/transfer"),
        Endpoint(.post, "/sapi/v1/sub-account/margin/transfer"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/internalTransfer"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/move-position"),
        Endpoint(.post, "/sapi/v1/asset/convert-transfer"),
        Endpoint(.post, "/sapi/v1/portfolio/bnb-transfer"),
        Endpoint(.post, "/sapi/v1/portfolio/earn-asset-transfer"),
        Endpoint(.post, "/sapi/v1/portfolio/asset-collection"),
        Endpoint(.post, "/sapi/v1/portfolio/auto-collection"),
        Endpoint(.post, "/papi/v1/bnb-transfer"),
        Endpoint(.post, "/papi/v1/asset-collection"),
        Endpoint(.post, "/papi/v1/auto-collection"),
        Endpoint(.post, "/sapi/v1/broker/transfer"),
        Endpoint(.post, "/sapi/v1/broker/transfer/futures"),
        Endpoint(.post, "/sapi/v1/broker/universalTransfer"),
        Endpoint(.post, "/sapi/v1/broker/futures/accountTransfer"),
        Endpoint(.post, "/sapi/v1/mining/hash-transfer/config"),
        Endpoint(.post, "/sapi/v1/mining/hash-transfer/config/cancel"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/transfer/inbound"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/transfer/outbound"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/deposit/apply"),
        // C. Gift cards and payments
        Endpoint(.post, "/sapi/v1/giftcard/createCode"),
        Endpoint(.post, "/sapi/v1/giftcard/buyCode"),
        Endpoint(.post, "/sapi/v1/giftcard/redeemCode"),
        Endpoint(.get, "/sapi/v1/pay/transactions"),
        Endpoint(.get, "/sapi/v1/c2c/orderMatch/listUserOrderHistory"),
        // D. Converts, dust, swaps
        Endpoint(.post, "/sapi/v1/convert/getQuote"),
        Endpoint(.post, "/sapi/v1/convert/acceptQuote"),
        Endpoint(.post, "/sapi/v1/convert/limit/placeOrder"),
        Endpoint(.post, "/sapi/v1/convert/limit/cancelOrder"),
        Endpoint(.post, "/fapi/v1/convert/getQuote"),
        Endpoint(.post, "/fapi/v1/convert/acceptQuote"),
        Endpoint(.post, "/sapi/v1/asset/dust"),
        Endpoint(.post, "/sapi/v1/asset/dust-btc"),
        Endpoint(.post, "/sapi/v1/asset/dust-convert/convert"),
        Endpoint(.post, "/sapi/v1/margin/dust"),
        Endpoint(.post, "/sapi/v1/bnbBurn"),
        Endpoint(.post, "/fapi/v1/feeBurn"),
        // E. Borrowing, loans, earn, staking
        Endpoint(.post, "/sapi/v1/margin/borrow-repay"),
        Endpoint(.post, "/sapi/v1/margin/loan"),
        Endpoint(.post, "/sapi/v1/margin/repay"),
        Endpoint(.post, "/sapi/v1/margin/exchange-small-liability"),
        Endpoint(.post, "/sapi/v1/margin/liquidation-loan/repay"),
        Endpoint(.post, "/sapi/v1/margin/manual-liquidation"),
        Endpoint(.post, "/sapi/v1/loan/borrow"),
        Endpoint(.post, "/sapi/v2/loan/flexible/borrow"),
        Endpoint(.post, "/sapi/v2/loan/flexible/repay"),
        Endpoint(.post, "/sapi/v2/loan/flexible/adjust/ltv"),
        Endpoint(.post, "/sapi/v1/loan/vip/borrow"),
        Endpoint(.post, "/sapi/v1/loan/vip/repay"),
        Endpoint(.post, "/sapi/v1/loan/vip/renew"),
        Endpoint(.post, "/sapi/v1/loan/vip/fixed/borrow"),
        Endpoint(.post, "/papi/v1/marginLoan"),
        Endpoint(.post, "/papi/v1/repayLoan"),
        Endpoint(.post, "/papi/v1/margin/repay-debt"),
        Endpoint(.post, "/sapi/v1/portfolio/repay"),
        Endpoint(.post, "/sapi/v1/portfolio/redeem"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/subscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/redeem"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/setAutoSubscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/setRedeemOption"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/subscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/redeem"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/setAutoSubscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/setRedeemOption"),
        Endpoint(.post, "/sapi/v1/bfusd/subscribe"),
        Endpoint(.post, "/sapi/v1/rwusd/subscribe"),
        Endpoint(.post, "/sapi/v1/eth-staking/eth/stake"),
        Endpoint(.post, "/sapi/v2/eth-staking/eth/stake"),
        Endpoint(.post, "/sapi/v1/sol-staking/sol/stake"),
        Endpoint(.post, "/sapi/v1/onchain-yields/locked/subscribe"),
        Endpoint(.post, "/sapi/v1/staking/purchase"),
        Endpoint(.post, "/sapi/v1/dci/product/subscribe"),
        Endpoint(.post, "/sapi/v1/accumulator/product/subscribe"),
        Endpoint(.post, "/sapi/v1/blvt/subscribe"),
        Endpoint(.post, "/sapi/v1/lending/daily/purchase"),
        Endpoint(.post, "/sapi/v1/equity/tokenized/mint"),
        Endpoint(.post, "/sapi/v1/equity/tokenized/redeem"),
        // F. API-key, sub-account and security-setting management
        Endpoint(.post, "/sapi/v1/sub-account/subAccountApi"),
        Endpoint(.delete, "/sapi/v1/sub-account/subAccountApi"),
        Endpoint(.get, "/sapi/v1/sub-account/subAccountApi"),
        Endpoint(.post, "/sapi/v1/sub-account/subAccountApiPermission"),
        Endpoint(.post, "/sapi/v2/sub-account/subAccountApi/ipRestriction"),
        Endpoint(.delete, "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList"),
        Endpoint(.post, "/sapi/v1/margin/apiKey"),
        Endpoint(.delete, "/sapi/v1/margin/apiKey"),
        Endpoint(.put, "/sapi/v1/margin/apiKey/ip"),
        Endpoint(.post, "/sapi/v1/margin/exit-special-key-mode"),
        Endpoint(.post, "/sapi/v1/sub-account/virtualSubAccount"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/enable"),
        Endpoint(.post, "/sapi/v1/sub-account/eoptions/enable"),
        Endpoint(.post, "/sapi/v1/broker/subAccount"),
        Endpoint(.post, "/sapi/v1/broker/subAccountApi"),
        Endpoint(.post, "/sapi/v1/broker/subAccountApi/ipRestriction"),
        Endpoint(.post, "/sapi/v1/broker/subAccountApi/permission/universalTransfer"),
        Endpoint(.post, "/sapi/v1/margin/isolated/account"),
        Endpoint(.delete, "/sapi/v1/margin/isolated/account"),
        Endpoint(.post, "/sapi/v1/capital/deposit/credit-apply"),
        Endpoint(.put, "/sapi/v1/localentity/deposit/provide-info"),
    ]

    /// §3.1 G: account configuration, neither allowed nor denied (an explicit opt-in).
    static let configuration: [Endpoint] = [
        Endpoint(.post, "/fapi/v1/leverage"), Endpoint(.post, "/fapi/v1/marginType"),
        Endpoint(.post, "/fapi/v1/positionSide/dual"), Endpoint(.post, "/fapi/v1/multiAssetsMargin"),
        Endpoint(.post, "/fapi/v1/positionMargin"), Endpoint(.post, "/fapi/v1/countdownCancelAll"),
    ]
}

@Suite("A Binance-like policy from the reference")
struct BinanceLikePolicyTests {
    let policy = BinanceLikePolicy.policy

    @Test("every §3.1 A–F path is denied, with every method and every spelling trick",
          arguments: BinanceLikePolicy.denied)
    func deniedWithTricks(endpoint: Endpoint) throws {
        let tricks = pathTricks(endpoint.path)
        #expect(tricks.count >= 30)
        for method in allMethods {
            for path in tricks {
                let decision = policy.decision(method: method, path: path)
                #expect(decision.isDenied, "\(method.rawValue) \(path) was \(decision)")
            }
        }
        #expect(throws: ExchangeError.self) { try policy.check(method: endpoint.method, path: endpoint.path) }
    }

    @Test("every §4.1/4.2 endpoint is allowed with its method, plainly and with harmless variations",
          arguments: BinanceLikePolicy.allowed)
    func allowed(endpoint: Endpoint) throws {
        let method = try endpoint.method
        try policy.check(method: method, path: endpoint.path)
        #expect(policy.decision(method: method, path: endpoint.path) == .allowed)
        #expect(policy.decision(method: method, path: endpoint.path + "/") == .allowed)
        let doubled = "/" + endpoint.path.dropFirst().replacingOccurrences(of: "/", with: "//")
        #expect(policy.decision(method: method, path: doubled) == .allowed)
        #expect(policy.decision(method: method, path: endpoint.path.uppercased()) == .allowed)
    }

    @Test("allow-listed paths are refused with any other method", arguments: BinanceLikePolicy.allowed)
    func otherMethodsRefused(endpoint: Endpoint) throws {
        let allowedMethods = Set(BinanceLikePolicy.allowed.filter {
            $0.path.lowercased() == endpoint.path.lowercased()
        }.map(\.methodName))
        for method in allMethods where !allowedMethods.contains(method.rawValue) {
            #expect(!policy.decision(method: method, path: endpoint.path).isAllowed,
                    "\(method.rawValue) \(endpoint.path)")
        }
    }

    @Test("the deny exception for the permission check covers GET only")
    func exceptionIsNarrow() {
        #expect(policy.decision(method: .get, path: "/sapi/v1/account/apiRestrictions") == .allowed)
        #expect(policy.decision(method: .post, path: "/sapi/v1/account/apiRestrictions").isDenied)
        #expect(policy.decision(method: .get, path: "/sapi/v1/account/apiRestrictions/x").isDenied)
        // Excepted from the deny rule, but not on the allow-list: still refused.
        #expect(policy.decision(method: .get, path: "/sapi/v1/system/status") == .notAllowed)
    }

    @Test("account configuration (§3.1 G) fails closed until explicitly allowed",
          arguments: BinanceLikePolicy.configuration)
    func configurationOptIn(endpoint: Endpoint) throws {
        let method = try endpoint.method
        #expect(policy.decision(method: method, path: endpoint.path) == .notAllowed)
        let optedIn = policy.allowing(.exact(method, endpoint.path))
        #expect(optedIn.decision(method: method, path: endpoint.path) == .allowed)
    }

    @Test("a withdrawal refusal names the method, the normalised path and why")
    func withdrawalMessage() throws {
        let error = try #require(throws: ExchangeError.self) {
            try policy.check(method: .post, path: "/SAPI/v1//capital/withdraw/apply/")
        }
        #expect(error.kind == .policyViolation)
        #expect(error.exchange == "binance")
        #expect(error.message.contains("POST /sapi/v1/capital/withdraw/apply"))
        #expect(error.message.contains("denied: withdrawals and transfers are never signed by TradeOnly"))
    }

    @Test("an unknown endpoint is refused as not on the allow-list")
    func unknownMessage() throws {
        let error = try #require(throws: ExchangeError.self) {
            try policy.check(method: .get, path: "/api/v3/ticker/24hr")
        }
        #expect(error.kind == .policyViolation)
        #expect(error.message.contains("GET /api/v3/ticker/24hr"))
        #expect(error.message.contains("not on the allow-list of endpoints a trade bot needs"))
    }

    @Test("adding allow rules cannot reach a denied endpoint")
    func userAllowCannotBeatDeny() {
        let widened = policy
            .allowing(.exact(.post, "/sapi/v1/capital/withdraw/apply"))
            .allowing(.prefix("/sapi/"), .prefix("/"))
        for endpoint in BinanceLikePolicy.denied {
            #expect(widened.decision(method: .post, path: endpoint.path).isDenied, "\(endpoint.path)")
        }
        #expect(widened.decision(method: .get, path: "/api/v3/ticker/24hr") == .allowed)
    }
}
