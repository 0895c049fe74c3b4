import Testing
import TradeOnly
import TradeOnlyTestSupport

/// A Binance-like policy built in the tests from `reference/binance-bybit.md` §3.1 and §4.1/4.2, to
/// prove the policy mechanism. The Binance module defines the real one. The §3.1 lists it is checked
/// against are ``BinanceReference``'s.
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
        allowing: allowed.map { .exact($0.method, $0.path) },
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
}

@Suite("A Binance-like policy from the reference")
struct BinanceLikePolicyTests {
    let policy = BinanceLikePolicy.policy

    @Test(
        "every §3.1 A–F path is denied, with every method and every spelling trick",
        arguments: try BinanceReference.denied)
    func deniedWithTricks(endpoint: Endpoint) {
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

    @Test(
        "every §4.1/4.2 endpoint is allowed with its method, plainly or in other letter case, never otherwise spelled",
        arguments: BinanceLikePolicy.allowed)
    func allowed(endpoint: Endpoint) throws {
        let method = endpoint.method
        try policy.check(method: method, path: endpoint.path)
        #expect(policy.decision(method: method, path: endpoint.path) == .allowed)
        #expect(policy.decision(method: method, path: endpoint.path.uppercased()) == .allowed)
        // A spelling that differs from the canonical form in more than case is refused, never resolved.
        #expect(policy.decision(method: method, path: endpoint.path + "/").isDenied)
        let doubled = "/" + endpoint.path.dropFirst().replacingOccurrences(of: "/", with: "//")
        #expect(policy.decision(method: method, path: doubled).isDenied)
        #expect(policy.decision(method: method, path: endpoint.path.replacingOccurrences(of: "/v", with: "/./v")).isDenied)
        #expect(policy.decision(method: method, path: endpoint.path.replacingOccurrences(of: "i/", with: "%69/")).isDenied)
    }

    @Test("allow-listed paths are refused with any other method", arguments: BinanceLikePolicy.allowed)
    func otherMethodsRefused(endpoint: Endpoint) {
        let allowedMethods = Set(
            BinanceLikePolicy.allowed.filter {
                $0.path.lowercased() == endpoint.path.lowercased()
            }.map(\.method))
        for method in allMethods where !allowedMethods.contains(method) {
            #expect(
                !policy.decision(method: method, path: endpoint.path).isAllowed,
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

    @Test(
        "account configuration (§3.1 G) fails closed until explicitly allowed",
        arguments: try BinanceReference.configuration)
    func configurationOptIn(endpoint: Endpoint) {
        let method = endpoint.method
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
    func userAllowCannotBeatDeny() throws {
        let widened =
            policy
            .allowing(.exact(.post, "/sapi/v1/capital/withdraw/apply"))
            .allowing(.prefix("/sapi/"), .prefix("/"))
        for endpoint in try BinanceReference.denied {
            #expect(widened.decision(method: .post, path: endpoint.path).isDenied, "\(endpoint.path)")
        }
        #expect(widened.decision(method: .get, path: "/api/v3/ticker/24hr") == .allowed)
    }
}
