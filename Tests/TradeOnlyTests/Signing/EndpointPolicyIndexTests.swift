import Testing

@testable import TradeOnly

/// The policy only compares a request with the rules filed along its leading segments; these tests pin
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

    @Test("random rules and paths: the index decides exactly as a plain scan of every rule")
    func matchesPlainScan() {
        var random = SeededGenerator(state: 0x5eed)
        let vocabulary = ["v5", "asset", "order", "sapi", "api", "v1", "a*", "as*", "*", "x"]
        let methods: [HTTPMethod?] = [nil, .get, .post, .delete]
        func pattern(maximumDepth: Int) -> String {
            let depth = Int(random.next() % UInt64(maximumDepth + 1))
            return "/" + (0..<depth).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }.joined(separator: "/")
        }
        func rule(_ label: String) -> EndpointPolicy.Rule {
            let path = random.next() % 23 == 0 ? "no-leading-slash" : pattern(maximumDepth: 3)
            let method = methods[Int(random.next() % UInt64(methods.count))]
            var rule: EndpointPolicy.Rule
            switch (random.next() % 2, method) {
            case (0, let method?): rule = .exact(method, path)
            case (0, nil): rule = .exact(path)
            case (_, let method?): rule = .prefix(method, path)
            case (_, nil): rule = .prefix(path)
            }
            if random.next() % 5 == 0 { rule = rule.except(.exact(pattern(maximumDepth: 3))) }
            return rule.because(label)
        }
        for round in 0..<200 {
            let denying = (0..<Int(random.next() % 12)).map { rule("deny \(round).\($0)") }
            let allowing = (0..<Int(random.next() % 12)).map { rule("allow \(round).\($0)") }
            let policy = EndpointPolicy(allowing: allowing, denying: denying)
            for _ in 0..<20 {
                let path = pattern(maximumDepth: 4).replacingOccurrences(of: "*", with: random.next() % 2 == 0 ? "asx" : "Y")
                let method = methods[Int(1 + random.next() % 3)] ?? .get
                let segments = (try? EndpointPath(path))?.segments ?? []
                let expected: EndpointPolicy.Decision
                if let deny = denying.first(where: { $0.matches(methodName: method.rawValue, segments: segments, failClosedMatches: true) }) {
                    expected = .denied(reason: deny.reason ?? EndpointPolicy.defaultDenyReason)
                } else if allowing.contains(where: { $0.matches(methodName: method.rawValue, segments: segments, failClosedMatches: false) }) {
                    expected = .allowed
                } else {
                    expected = .notAllowed
                }
                #expect(policy.decision(method: method, path: path) == expected, "\(method.rawValue) \(path) against \(policy)")
            }
        }
    }

    @Test("remembered decisions belong to one rule set: widening or narrowing a policy decides anew")
    func rememberedPerRuleSet() {
        let base = EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")], denying: [.prefix("/sapi/")])
        for _ in 0..<3 { #expect(base.decision(method: .post, path: "/fapi/v1/leverage") == .notAllowed) }
        let widened = base.allowing(.exact(.post, "/fapi/v1/leverage"))
        for _ in 0..<3 { #expect(widened.decision(method: .post, path: "/fapi/v1/leverage") == .allowed) }
        #expect(base.decision(method: .post, path: "/fapi/v1/leverage") == .notAllowed, "the original keeps its rules")
        let narrowed = widened.denying(.prefix("/fapi/").because("no futures"))
        #expect(narrowed.decision(method: .post, path: "/fapi/v1/leverage") == .denied(reason: "no futures"))
        #expect(widened.decision(method: .post, path: "/fapi/v1/leverage") == .allowed)
        var renamed = widened
        renamed.exchange = "other"
        #expect(renamed.decision(method: .post, path: "/fapi/v1/leverage") == .allowed)
        #expect(throws: ExchangeError.self) { try narrowed.check(method: .post, path: "/fapi/v1/leverage") }
        #expect(throws: ExchangeError.self) { try narrowed.check(method: .post, path: "/fapi/v1/leverage") }
    }

    @Test("more distinct paths than the memory holds are all decided right, twice over")
    func manyDistinctPaths() {
        let policy = EndpointPolicy(
            allowing: [.prefix(.delete, "/api/v4/spot/orders/")], denying: [.prefix("/api/v4/spot/orders/13*").because("13")])
        for round in 0..<2 {
            for id in 0..<(3 * 512) {
                let expected: EndpointPolicy.Decision = String(id).hasPrefix("13") ? .denied(reason: "13") : .allowed
                #expect(policy.decision(method: .delete, path: "/api/v4/spot/orders/\(id)") == expected, "round \(round), \(id)")
                #expect(policy.decision(method: .get, path: "/api/v4/spot/orders/\(id)") != .allowed)
            }
        }
    }

    @Test("policies with the same rules are equal and hash alike, whatever they have decided")
    func equalityIgnoresWhatWasDecided() {
        let first = EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")], denying: [.prefix("/sapi/")], exchange: "x")
        let second = EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")], denying: [.prefix("/sapi/")], exchange: "x")
        _ = first.decision(method: .get, path: "/api/v3/time")
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != second.allowing(.exact(.get, "/api/v3/ping")))
        #expect(first != EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")], denying: [.prefix("/sapi/")], exchange: "y"))
    }
}
