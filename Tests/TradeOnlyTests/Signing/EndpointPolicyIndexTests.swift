import Testing
import TradeOnly

/// The policy only compares a request with the rules that can match its first segment; these tests pin
/// down that the outcome (and the reason of the first matching deny rule) is that of a plain scan.
@Suite("EndpointPolicy rule index")
struct EndpointPolicyIndexTests {
    private func reason(_ policy: EndpointPolicy, _ method: HTTPMethod, _ path: String) -> String? {
        if case .denied(let reason) = policy.decision(method: method, path: path) { return reason }
        return nil
    }

    @Test("deny rules keep their order across literal and wildcard first segments")
    func order() {
        let wildcardFirst = EndpointPolicy(
            allowing: [.prefix("/")],
            denying: [.prefix("/*/withdraw").because("A"), .prefix("/sapi/").because("B"), .prefix("/sapi/withdraw").because("C")])
        #expect(reason(wildcardFirst, .post, "/sapi/withdraw") == "A")
        #expect(reason(wildcardFirst, .post, "/sapi/other") == "B")
        #expect(reason(wildcardFirst, .post, "/api/withdraw") == "A")

        let literalFirst = EndpointPolicy(
            allowing: [.prefix("/")],
            denying: [.prefix("/sapi/").because("B"), .prefix("/*/withdraw").because("A"), .prefix("/sap*/").because("D")])
        #expect(reason(literalFirst, .post, "/sapi/withdraw") == "B")
        #expect(reason(literalFirst, .post, "/SAPI//withdraw/") == "B")
        #expect(reason(literalFirst, .post, "/sapix/y") == "D")
        #expect(literalFirst.decision(method: .post, path: "/api/order") == .allowed)
    }

    @Test("an invalid deny pattern and the root pattern still match every path")
    func failClosed() {
        let invalid = EndpointPolicy(allowing: [.prefix("/")], denying: [.prefix("sapi/")])
        #expect(!invalid.decision(method: .get, path: "/api/v3/order").isAllowed)
        let root = EndpointPolicy(allowing: [.prefix("/")], denying: [.prefix("/").because("everything")])
        #expect(reason(root, .get, "/api/v3/order") == "everything")
        #expect(reason(root, .get, "/") == "everything")
    }

    @Test("rules added later are indexed too")
    func addedRules() {
        let base = EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")], denying: [.prefix("/sapi/")])
        #expect(base.decision(method: .post, path: "/fapi/v1/leverage") == .notAllowed)
        let widened = base.allowing(.exact(.post, "/fapi/v1/leverage"))
        #expect(widened.decision(method: .post, path: "/fapi/v1/leverage") == .allowed)
        let narrowed = widened.denying(.prefix("/fapi/v1/lev*").because("no"))
        #expect(reason(narrowed, .post, "/fapi/v1/leverage") == "no")
        #expect(narrowed.decision(method: .get, path: "/api/v3/time") == .allowed)
        #expect(narrowed != widened)
    }

    @Test("allow rules are found whatever their position and first segment")
    func allowLookup() {
        let policy = EndpointPolicy(
            allowing: [.exact(.get, "/api/v3/time"), .exact(.get, "/*/v1/ping"), .exact(.post, "/fapi/v1/order")],
            denying: [])
        #expect(policy.decision(method: .post, path: "/fapi/v1/order") == .allowed)
        #expect(policy.decision(method: .get, path: "/fapi/v1/ping") == .allowed)
        #expect(policy.decision(method: .get, path: "/API/V3/TIME") == .allowed)
        #expect(policy.decision(method: .get, path: "/fapi/v1/order") == .notAllowed)
        #expect(policy.decision(method: .get, path: "/") == .notAllowed)
    }
}
