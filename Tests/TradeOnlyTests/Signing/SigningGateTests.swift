import Foundation
import Testing

@testable import TradeOnly

/// The signing gate on its own: it decides from the exact request about to be signed, whatever
/// built it, and no allow rule can override its parameter rules.
@Suite("Signing gate")
struct SigningGateTests {
    static let policy = EndpointPolicy(
        allowing: [
            .exact(.get, "/api/v3/account").accepting("omitZeroBalances"),
            .exact(.post, "/api/v3/order").accepting("symbol", "side", "quantity", "price", "sideEffectType")
                .requiring(.spotTrade),
            .exact(.post, "/v5/order/create").accepting("symbol", "qty", "isLeverage")
                .requiring(["spot": .spotTrade, "linear": .futuresTrade], byValueOf: "category"),
            // A user's rule that tries to accept what parameter rules refuse.
            .exact(.post, "/api/v3/open").accepting("address", "toAccountType", "network", "amount", "symbol"),
        ],
        denying: [.prefix("/sapi/")],
        refusingParameters: [
            .refusing("signature"), .refusing("amount"),
            .refusing("sideEffectType", unlessValueIsOneOf: ["NO_SIDE_EFFECT"]),
            .refusing("isLeverage", unlessValueIsOneOf: ["0"]),
        ],
        exchange: "test")

    static func gate(
        permissions: Set<TradePermission>? = Set(TradePermission.allCases), layout: SigningGate.Layout = .formEncoded
    ) -> SigningGate {
        SigningGate(
            policy: policy, origins: ["https://api.example.com", "http://127.0.0.1:8080/"], permissions: permissions,
            layout: layout)
    }

    private func request(
        _ method: HTTPMethod, _ url: String, body: String? = nil, headers: HTTPHeaders = [:]
    ) throws -> HTTPRequest {
        HTTPRequest(method: method, url: try #require(URL(string: url)), headers: headers, body: body.map { Data($0.utf8) })
    }

    private func refusal(_ gate: SigningGate, _ request: HTTPRequest) -> ExchangeError? {
        do {
            try gate.check(request)
            return nil
        } catch let error as ExchangeError {
            return error
        } catch {
            return ExchangeError(.invalidRequest, message: "\(error)")
        }
    }

    @Test("a request the table allows passes")
    func allowed() throws {
        let gate = Self.gate()
        try gate.check(try request(.post, "https://api.example.com/api/v3/order?symbol=BTCUSDT&side=BUY&quantity=1"))
        try gate.check(try request(.post, "http://127.0.0.1:8080/api/v3/order?symbol=BTCUSDT", body: "price=1&side=BUY"))
        try gate.check(try request(.get, "https://api.example.com/API/V3/ACCOUNT?omitZeroBalances=true"))
        try gate.check(try request(.post, "https://api.example.com/api/v3/order?sideEffectType=NO_SIDE_EFFECT"))
    }

    @Test(
        "another origin, however spelled, is refused",
        arguments: [
            "https://api.example.com.evil.example/api/v3/account", "https://api.example.com@evil.example/api/v3/account",
            "http://api.example.com/api/v3/account", "https://api.example.com:443/api/v3/account",
            "https://API.EXAMPLE.COM/api/v3/account", "http://127.0.0.1:8081/api/v3/account", "https://api.example.com",
            "https://evil.example/api.example.com/api/v3/account",
        ])
    func otherOrigins(url: String) throws {
        #expect(refusal(Self.gate(), try request(.get, url))?.kind == .policyViolation, "\(url)")
    }

    @Test(
        "a header that could reroute the request or change its method is refused",
        arguments: [
            "Host", "host", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
            "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto", "Content-Length", "Transfer-Encoding", "X-Forwarded-Prefix",
        ])
    func routingHeaders(name: String) throws {
        let signed = try request(.get, "https://api.example.com/api/v3/account", headers: HTTPHeaders([(name, "evil.example")]))
        let error = refusal(Self.gate(), signed)
        #expect(error?.kind == .policyViolation, "\(name)")
        #expect(error?.message.contains(name) == true)
    }

    @Test(
        "a path spelled otherwise than its canonical form is refused, never resolved",
        arguments: [
            "/api/v3//order", "/api/v3/order/", "/api/v3/./order", "/api/v3/x/../order", "/api/v3/%6Frder",
            "/sapi/v1/capital/withdraw/apply/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/api/v3/order", "/api/v3/order;x",
            "/api/v3/order%3Fx", "/api/v3/order%23",
        ])
    func oddPaths(path: String) throws {
        let signed = try request(.post, "https://api.example.com" + path + "?symbol=BTCUSDT")
        #expect(refusal(Self.gate(), signed)?.kind == .policyViolation, "\(path)")
    }

    @Test(
        "fund-movement parameters are refused on every endpoint, in every spelling, even where a rule accepts them",
        arguments: ["address", "ADDRESS", "to_account_type", "toAccountType", "network", "Network", "amount", "tag"])
    func fundMovementNames(name: String) throws {
        for path in ["/api/v3/order", "/api/v3/open"] {
            let signed = try request(.post, "https://api.example.com\(path)?symbol=BTCUSDT&\(name)=x")
            #expect(refusal(Self.gate(), signed)?.kind == .policyViolation, "\(path) \(name)")
            let inBody = try request(.post, "https://api.example.com\(path)?symbol=BTCUSDT", body: "\(name)=x")
            #expect(refusal(Self.gate(), inBody)?.kind == .policyViolation, "\(path) body \(name)")
        }
        #expect(
            EndpointPolicy.ParameterRule.fundMovement.contains { $0.concerns(name) }
                || Self.policy.parameterRules.contains { $0.concerns(name) })
    }

    @Test(
        "compound names of withdrawals, transfers, gifts and loans are refused even where a rule accepts them",
        arguments: [
            "fromUserEmail", "toUserEmail", "withdrawAddress", "subUid", "loanCoin", "loanAmount",
            "collateralCoin", "collateral_amount", "baseToken", "faceToken", "token", "margin", "ltAmount",
            "requestAmount", "toSubAccountId", "FROM_MEMBER_ID", "transferAsset",
        ])
    func compoundNames(name: String) throws {
        let policy = EndpointPolicy(allowing: [.exact(.post, "/api/v3/open").accepting([name, "symbol"])])
        let gate = SigningGate(
            policy: policy, origins: ["https://api.example.com"], permissions: Set(TradePermission.allCases),
            layout: .formEncoded)
        let signed = try request(.post, "https://api.example.com/api/v3/open?symbol=BTCUSDT&\(name)=x")
        #expect(refusal(gate, signed)?.kind == .policyViolation, "\(name)")
        try gate.check(try request(.post, "https://api.example.com/api/v3/open?symbol=BTCUSDT"))
    }

    @Test("more than one Content-Type is refused")
    func twoContentTypes() throws {
        let signed = try request(
            .post, "https://api.example.com/api/v3/order", body: "symbol=A",
            headers: HTTPHeaders([("Content-Type", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")]))
        #expect(refusal(Self.gate(), signed)?.kind == .policyViolation)
    }

    @Test("a name the endpoint does not accept is refused, and the refusal says how to add it")
    func unknownName() throws {
        let error = refusal(Self.gate(), try request(.post, "https://api.example.com/api/v3/order?symbol=X&icebergQty=1"))
        #expect(error?.kind == .policyViolation)
        #expect(error?.message.contains("icebergQty") == true)
        #expect(error?.message.contains(".accepting(") == true)
    }

    @Test("a duplicated name is refused, in the query, in the body and across the two")
    func duplicates() throws {
        let gate = Self.gate()
        for (url, body) in [("?symbol=A&symbol=B", nil), ("?symbol=A", "symbol=B"), ("", "side=BUY&side=SELL")] as [(String, String?)] {
            let signed = try request(.post, "https://api.example.com/api/v3/order" + url, body: body)
            #expect(refusal(gate, signed)?.kind == .policyViolation, "\(url) \(body ?? "")")
        }
        let json = Self.gate(layout: .queryAndJSONBody)
        let twice = try request(
            .post, "https://api.example.com/v5/order/create", body: #"{"category":"spot","isLeverage":0,"isLeverage":1}"#,
            headers: ["Content-Type": "application/json"])
        #expect(refusal(json, twice)?.kind == .policyViolation)
    }

    @Test(
        "a value a parameter rule restricts must be one of its safe values, after decoding",
        arguments: [
            #"{"category":"spot","isLeverage":1}"#, #"{"category":"spot","isLeverage":"1"}"#,
            #"{"category":"spot","isLeverage":"\u0031"}"#, #"{"category":"spot","isLeverage":true}"#,
            #"{"category":"spot","isLeverage":0.0}"#, #"{"category":"spot","isLeverage":"0 "}"#,
            #"{"category":"spot","is\u004ceverage":1}"#, #"{"category":"spot","IsLeverage":1}"#,
            #"{"category":"spot","isLeverage":0,"isLeverage":1}"#, #"{"category":"spot","isLeverage":{"a":1}}"#,
        ])
    func restrictedValues(body: String) throws {
        let signed = try request(
            .post, "https://api.example.com/v5/order/create", body: body, headers: ["Content-Type": "application/json"])
        #expect(refusal(Self.gate(layout: .queryAndJSONBody), signed)?.kind == .policyViolation, "\(body)")
    }

    @Test("the safe values of a restricted parameter pass")
    func safeValues() throws {
        let gate = Self.gate(layout: .queryAndJSONBody)
        for body in [#"{"category":"spot","isLeverage":0}"#, #"{"category":"spot","isLeverage":"0"}"#, #"{"category":"spot"}"#] {
            try gate.check(
                try request(
                    .post, "https://api.example.com/v5/order/create", body: body, headers: ["Content-Type": "application/json"]))
        }
        let form = try request(.post, "https://api.example.com/api/v3/order?sideEffectType=MARGIN_BUY")
        #expect(refusal(Self.gate(), form)?.kind == .policyViolation)
        let encoded = try request(.post, "https://api.example.com/api/v3/order?sideEffectType=%4DARGIN_BUY")
        #expect(refusal(Self.gate(), encoded)?.kind == .policyViolation)
    }

    @Test("a body of another content type than the exchange reads is refused")
    func contentType() throws {
        let json = try request(
            .post, "https://api.example.com/api/v3/order", body: "symbol=A", headers: ["Content-Type": "application/json"])
        #expect(refusal(Self.gate(), json)?.kind == .policyViolation)
        let form = try request(
            .post, "https://api.example.com/v5/order/create", body: #"{"category":"spot"}"#,
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(refusal(Self.gate(layout: .queryAndJSONBody), form)?.kind == .policyViolation)
        let none = try request(.post, "https://api.example.com/v5/order/create", body: #"{"category":"spot"}"#)
        #expect(refusal(Self.gate(layout: .queryAndJSONBody), none)?.kind == .policyViolation)
    }

    @Test("the key must have the permission the endpoint needs")
    func permissions() throws {
        let order = try request(.post, "https://api.example.com/api/v3/order?symbol=A")
        #expect(refusal(Self.gate(permissions: [.read]), order)?.kind == .permissionDenied)
        #expect(refusal(Self.gate(permissions: [.read, .futuresTrade]), order)?.kind == .permissionDenied)
        try Self.gate(permissions: [.read, .spotTrade]).check(order)
        // The key inspector (no permissions yet) may only read.
        #expect(refusal(Self.gate(permissions: nil), order)?.kind == .permissionDenied)
        try Self.gate(permissions: nil).check(try request(.get, "https://api.example.com/api/v3/account"))
        // A user's rule without a stated permission needs a trade permission for a write.
        let open = try request(.post, "https://api.example.com/api/v3/open?symbol=A")
        #expect(refusal(Self.gate(permissions: [.read]), open)?.kind == .permissionDenied)
    }

    @Test("a permission decided by a parameter's value: missing or unknown values are refused")
    func permissionByValue() throws {
        func create(_ body: String) throws -> HTTPRequest {
            try request(.post, "https://api.example.com/v5/order/create", body: body, headers: ["Content-Type": "application/json"])
        }
        let spotOnly = Self.gate(permissions: [.read, .spotTrade], layout: .queryAndJSONBody)
        try spotOnly.check(try create(#"{"category":"spot"}"#))
        #expect(refusal(spotOnly, try create(#"{"category":"linear"}"#))?.kind == .permissionDenied)
        for body in [#"{}"#, #"{"category":"option"}"#, #"{"category":"Spot"}"#, #"{"category":"spot "}"#] {
            #expect(refusal(Self.gate(layout: .queryAndJSONBody), try create(body))?.kind == .policyViolation, "\(body)")
        }
    }

    @Test("the decision memo compares paths byte for byte: a Kelvin sign is not a K")
    func kelvinSign() throws {
        let policy = EndpointPolicy(allowing: [.exact(.get, "/api/v3/kline")])
        #expect(policy.decision(method: .get, path: "/api/v3/Kline") == .allowed)
        #expect(policy.decision(method: .get, path: "/api/v3/\u{212A}line") != .allowed)
        let fresh = EndpointPolicy(allowing: [.exact(.get, "/api/v3/kline")])
        #expect(fresh.decision(method: .get, path: "/api/v3/\u{212A}line") != .allowed)
        #expect(fresh.decision(method: .get, path: "/api/v3/Kline") == .allowed)
        #expect("/api/v3/\u{212A}line" == "/api/v3/Kline", "Swift's String equality is Unicode equivalence")
    }

    @Test("random extra parameters of fund movement or of unknown names never pass")
    func randomExtras() throws {
        var random = SeededGenerator(state: 0xBAD)
        let vocabulary = EndpointPolicy.ParameterRule.fundMovement.map(\.name)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_".utf8)
        let gate = Self.gate()
        for round in 0..<2_000 {
            var name: String
            if round % 2 == 0 {
                name = vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)]
                if Bool.random(using: &random) { name = name.uppercased() }
            } else {
                let count = Int.random(in: 1...12, using: &random)
                name = String(decoding: (0..<count).map { _ in letters[Int.random(in: 0..<letters.count, using: &random)] }, as: UTF8.self)
                if ["symbol", "side", "quantity", "price", "sideEffectType"].contains(name) { continue }
            }
            let inBody = Bool.random(using: &random)
            let signed = try request(
                .post, "https://api.example.com/api/v3/order?symbol=BTCUSDT" + (inBody ? "" : "&\(name)=1"),
                body: inBody ? "\(name)=1" : nil)
            #expect(refusal(gate, signed) != nil, "\(name)")
        }
    }
}
