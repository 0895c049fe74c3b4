import Testing
import TradeOnly

@Suite("EndpointPolicy rules")
struct EndpointPolicyTests {
    @Test("a deny rule wins over an allow rule for the same path")
    func denyWins() {
        let policy = EndpointPolicy(
            allowing: [.exact(.post, "/sapi/v1/capital/withdraw/apply")],
            denying: [.exact(.post, "/sapi/v1/capital/withdraw/apply")]
        )
        #expect(policy.decision(method: .post, path: "/sapi/v1/capital/withdraw/apply").isDenied)
    }

    @Test("anything not allowed fails closed")
    func failsClosed() {
        let empty = EndpointPolicy(allowing: [])
        #expect(empty.decision(method: .get, path: "/api/v3/time") == .notAllowed)
        #expect(throws: ExchangeError.self) { try empty.check(method: .get, path: "/api/v3/time") }
        let policy = EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")])
        #expect(policy.decision(method: .get, path: "/api/v3/times") == .notAllowed)
        #expect(policy.decision(method: .get, path: "/api/v3") == .notAllowed)
        #expect(policy.decision(method: .get, path: "/api/v3/time/x") == .notAllowed)
    }

    @Test("a method mismatch is refused")
    func methodMismatch() {
        let policy = EndpointPolicy(allowing: [.exact(.get, "/api/v3/order")])
        #expect(policy.decision(method: .get, path: "/api/v3/order") == .allowed)
        for method: HTTPMethod in [.post, .put, .delete, .patch, .head] {
            #expect(policy.decision(method: method, path: "/api/v3/order") == .notAllowed)
        }
        let anyMethod = EndpointPolicy(allowing: [.exact("/api/v3/order")])
        for method in allMethods {
            #expect(anyMethod.decision(method: method, path: "/api/v3/order") == .allowed)
        }
    }

    @Test("a method-specific deny rule leaves other methods alone")
    func methodSpecificDeny() {
        let policy = EndpointPolicy(
            allowing: [.prefix("/api/v4/sub_accounts/")],
            denying: [.exact(.post, "/api/v4/sub_accounts/*/keys")]
        )
        #expect(policy.decision(method: .post, path: "/api/v4/sub_accounts/42/keys").isDenied)
        #expect(policy.decision(method: .get, path: "/api/v4/sub_accounts/42/keys") == .allowed)
    }

    @Test("user-added allow rules work, but never beat a deny rule")
    func userAllowRules() {
        let base = EndpointPolicy(
            allowing: [.exact(.get, "/api/v3/time")],
            denying: [.prefix("/sapi/").because("withdrawals and transfers are never signed by TradeOnly")]
        )
        #expect(base.decision(method: .get, path: "/api/v3/ticker/24hr") == .notAllowed)
        let extended = base.allowing(.exact(.get, "/api/v3/ticker/24hr"))
        #expect(extended.decision(method: .get, path: "/api/v3/ticker/24hr") == .allowed)
        #expect(extended.decision(method: .get, path: "/api/v3/time") == .allowed)

        let greedy = base.allowing([.prefix("/"), .exact(.post, "/sapi/v1/capital/withdraw/apply"), .prefix("/sapi/")])
        #expect(
            greedy.decision(method: .post, path: "/sapi/v1/capital/withdraw/apply")
                == .denied(reason: "withdrawals and transfers are never signed by TradeOnly"))
        #expect(greedy.denyRules == base.denyRules)
    }

    @Test("adding deny rules only refuses more")
    func addingDenies() {
        let base = EndpointPolicy(allowing: [.prefix("/api/v3/")])
        let narrowed = base.denying(.exact(.delete, "/api/v3/openOrders"))
        #expect(base.decision(method: .delete, path: "/api/v3/openOrders") == .allowed)
        #expect(narrowed.decision(method: .delete, path: "/api/v3/openOrders").isDenied)
        #expect(narrowed.decision(method: .get, path: "/api/v3/openOrders") == .allowed)
    }

    @Test("a * segment matches exactly one segment, as Gate's order ids need")
    func wildcardSegments() {
        let policy = EndpointPolicy(
            allowing: [.exact(.delete, "/api/v4/spot/orders/*"), .exact(.get, "/api/v4/spot/orders/*")],
            denying: [.exact(.delete, "/api/v4/withdrawals/*"), .exact("/api/v4/sub_accounts/*/keys/*")]
        )
        #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders/12345") == .allowed)
        #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders/t-my_id.1") == .allowed)
        #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders") == .notAllowed)
        #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders/1/2") == .notAllowed)
        #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders/1%2F2").isDenied)
        #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders/..%2F..%2Fwithdrawals%2F9").isDenied)
        #expect(policy.decision(method: .delete, path: "/api/v4/withdrawals/77").isDenied)
        #expect(policy.decision(method: .put, path: "/api/v4/sub_accounts/1/keys/abc").isDenied)
        #expect(policy.decision(method: .post, path: "/api/v4/spot/orders/12345") == .notAllowed)
    }

    @Test("prefix rules match by whole segments")
    func prefixBySegments() {
        let policy = EndpointPolicy(allowing: [.prefix("/")], denying: [.prefix("/sapi/")])
        #expect(policy.decision(method: .get, path: "/sapi").isDenied)
        #expect(policy.decision(method: .get, path: "/sapi/v1/anything").isDenied)
        #expect(policy.decision(method: .get, path: "/sapix/v1") == .allowed)
        #expect(EndpointPolicy(allowing: [], denying: [.prefix("/sapi")]).decision(method: .get, path: "/sapi/x").isDenied)
    }

    @Test("patterns ignore case, doubled and trailing slashes")
    func patternSpelling() {
        let policy = EndpointPolicy(allowing: [.exact(.get, "/API//v3/ExchangeInfo/")])
        #expect(policy.decision(method: .get, path: "/api/v3/exchangeInfo") == .allowed)
    }

    @Test(
        "an invalid pattern fails closed: it allows nothing and denies everything",
        arguments: [
            "api/v3/order", "/api/v3/%6Frder", "/api/v3/order?x=1", "/api/../order", "/api/v*3/order",
            "/api/v3/or der", "/api/v3/ordér", "/api;x/v3",
        ])
    func invalidPatterns(pattern: String) {
        let rule = EndpointPolicy.Rule.exact(.get, pattern)
        #expect(!rule.isValid)
        #expect(rule.description.contains("invalid"))
        let allowOnly = EndpointPolicy(allowing: [rule, .exact(.get, "/api/v3/time")])
        #expect(allowOnly.decision(method: .get, path: "/api/v3/order") == .notAllowed)
        #expect(allowOnly.decision(method: .get, path: "/api/v3/time") == .allowed)
        let denyAll = EndpointPolicy(allowing: [.prefix("/")], denying: [rule])
        #expect(denyAll.decision(method: .get, path: "/api/v3/time").isDenied)
        #expect(denyAll.decision(method: .post, path: "/anything").isDenied)
    }

    @Test("an invalid exception on a deny rule excepts nothing")
    func invalidException() {
        let policy = EndpointPolicy(allowing: [.prefix("/")], denying: [.prefix("/sapi/").except(.exact("/sapi/%41"))])
        #expect(policy.decision(method: .get, path: "/sapi/a").isDenied)
        #expect(!policy.denyRules[0].isValid)
    }

    @Test(
        "a malformed request path is denied, not merely not allowed",
        arguments: ["/api/v3/order%", "/api/v3/order;x", "/../api/v3/order", "api/v3/order", "/api/v3/order?a=b", ""])
    func malformedPathsDenied(path: String) throws {
        let policy = EndpointPolicy(allowing: [.prefix("/")])
        #expect(policy.decision(method: .get, path: path).isDenied)
        let error = try #require(throws: ExchangeError.self) { try policy.check(method: .get, path: path) }
        #expect(error.kind == .policyViolation)
        #expect(error.message.contains("GET"))
        #expect(error.message.contains("malformed"))
    }

    @Test("a refusal never repeats a signature smuggled into the path")
    func refusalHidesSmuggledQuery() throws {
        let policy = EndpointPolicy(allowing: [.prefix("/")])
        for path in [
            "/api/v3/order?signature=cafebabe", "/api/v3/order%3Fsignature=cafebabe",
            "/api/v3/order%253Fsignature=cafebabe", "/api/v3/order%zz?signature=cafebabe",
        ] {
            let error = try #require(throws: ExchangeError.self) { try policy.check(method: .post, path: path) }
            #expect(!error.description.contains("cafebabe"), "\(path)")
        }
    }

    @Test("rules and policies describe themselves")
    func descriptions() {
        #expect(EndpointPolicy.Rule.exact(.get, "/api/v3/order").description == "GET /api/v3/order")
        #expect(EndpointPolicy.Rule.prefix("/sapi/").description == "any method /sapi/**")
        #expect(
            EndpointPolicy.Rule.prefix("/v5/user").except(.exact(.get, "/v5/user/query-api")).description
                == "any method /v5/user/** except GET /v5/user/query-api")
        #expect(EndpointPolicy.Rule.exact(.get, "/a").method == .get)
        #expect(EndpointPolicy.Rule.prefix("/a").method == nil)
        let policy = EndpointPolicy(allowing: [.exact(.get, "/a")], denying: [.prefix("/b")], exchange: "x")
        #expect(policy.description == "EndpointPolicy (x)\n  allow GET /a\n  deny any method /b/**")
        #expect(EndpointPolicy.Decision.denied(reason: "r").description == "denied: r")
    }
}
