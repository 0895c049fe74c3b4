import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Signer: published and derived HMAC vectors")
struct SignerTests {
    let signer: BybitSigner

    init() throws {
        signer = try BybitHarness.signer()
    }

    struct Vector: Sendable, CustomStringConvertible {
        let text: String
        let hex: String
        var description: String { text }
    }

    /// Reference §1.7, [DERIVED] with secret `bybit-test-secret` (checked with OpenSSL and Python `hmac`).
    static let vectors: [Vector] = [
        Vector(
            text: "1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C",
            hex: "603cf75a23e0bd0a5226adb8f4f42accf1a7b89145fc1c05d3ec5f6855b26c67"),
        Vector(
            text: #"1658385579423XXXXXXXXXX5000{"category": "option"}"#,
            hex: "0b6c1a0303aa265223e936cc8820dba57780ea6063a9e08473dcb575c5ca3a7c"),
        Vector(
            text: "1676430842094XXXXXXXXXX5000",
            hex: "866252e2466f55fef85b06b98313d6f2bd45e000a18398f2d2fce7d5cd040d8e"),
        Vector(
            text: "GET/realtime1662350400000",
            hex: "e5afa359fdaabfeeae6a8755687997f43c4696196a957502edf608dcd3c83caa"),
    ]

    @Test("the derived §1.7 vectors: HMAC-SHA256, lower-case hex", arguments: vectors)
    func derivedVectors(vector: Vector) {
        #expect(signer.signature(of: vector.text) == vector.hex)
    }

    @Test("a GET is signed over timestamp + key + recvWindow + the raw query (vector 603cf75a…2c67)")
    func signsGet() throws {
        let url = try #require(URL(string: "https://api.bybit.com/v5/market/tickers?category=option&symbol=BTC-29JUL22-25000-C"))
        let signed = try signer.sign(HTTPRequest(method: .get, url: url), at: Date(timeIntervalSince1970: 1_658_384_314.791))
        #expect(signed.url == url)
        #expect(signed.body == nil)
        #expect(
            signed.headers.map(\.name) == [
                "X-BAPI-API-KEY", "X-BAPI-TIMESTAMP", "X-BAPI-RECV-WINDOW", "X-BAPI-SIGN", "X-BAPI-SIGN-TYPE",
            ])
        #expect(signed.headers["X-BAPI-API-KEY"] == "XXXXXXXXXX")
        #expect(signed.headers["X-BAPI-TIMESTAMP"] == "1658384314791")
        #expect(signed.headers["X-BAPI-RECV-WINDOW"] == "5000")
        #expect(signed.headers["X-BAPI-SIGN"] == "603cf75a23e0bd0a5226adb8f4f42accf1a7b89145fc1c05d3ec5f6855b26c67")
        #expect(signed.headers["X-BAPI-SIGN-TYPE"] == "2")
    }

    @Test("a POST is signed over the exact body bytes, space included (vector 0b6c1a03…3a7c)")
    func signsPostBody() throws {
        let url = try #require(URL(string: "https://api.bybit.com/v5/order/create"))
        let body = Data(#"{"category": "option"}"#.utf8)
        let request = HTTPRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: body)
        // The built-in table refuses options orders (no TradePermission covers them); the vector is
        // signed with a gate that accepts its body as it is.
        let builtIn = #expect(throws: ExchangeError.self) { try signer.sign(request, at: Date()) }
        #expect(builtIn?.kind == .policyViolation)
        let gate = SigningGate(
            policy: EndpointPolicy(allowing: [.exact(.post, "/v5/order/create").accepting("category")]),
            origins: ["https://api.bybit.com"], permissions: Set(TradePermission.allCases), layout: .queryAndJSONBody)
        let vectorSigner = BybitSigner(credentials: try BybitHarness.credentials, gate: gate, receiveWindow: 5000)
        let signed = try vectorSigner.sign(request, at: Date(timeIntervalSince1970: 1_658_385_579.423))
        #expect(signed.body == body)
        #expect(signed.headers["Content-Type"] == "application/json")
        #expect(signed.headers["X-BAPI-SIGN"] == "0b6c1a0303aa265223e936cc8820dba57780ea6063a9e08473dcb575c5ca3a7c")
    }

    @Test("a GET with no parameters signs timestamp + key + recvWindow only (vector 866252e2…0d8e)")
    func signsEmptyQuery() throws {
        let url = try #require(URL(string: "https://api.bybit.com/v5/user/query-api"))
        let signed = try signer.sign(HTTPRequest(method: .get, url: url), at: Date(timeIntervalSince1970: 1_676_430_842.094))
        #expect(signed.headers["X-BAPI-SIGN"] == "866252e2466f55fef85b06b98313d6f2bd45e000a18398f2d2fce7d5cd040d8e")
    }

    @Test("the timestamp is the nearest whole millisecond, never one short because of Double")
    func millisecondRounding() {
        for milliseconds: Int64 in [1_658_384_314_791, 1_676_430_842_094, 1_672_211_928_338, 1_000, 1_999_999_999_999] {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(BybitSigner.milliseconds(date) == milliseconds)
        }
    }

    @Test("the same request signed twice at different times gets different signatures")
    func freshSignature() throws {
        let url = try #require(URL(string: "https://api.bybit.com/v5/order/realtime?category=linear&symbol=BTCUSDT"))
        let first = try signer.sign(HTTPRequest(method: .get, url: url), at: Date(timeIntervalSince1970: 1_700_000_000))
        let second = try signer.sign(HTTPRequest(method: .get, url: url), at: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(first.headers["X-BAPI-SIGN"] != second.headers["X-BAPI-SIGN"])
    }

    @Test(
        "the signer refuses every denied endpoint itself, whatever built the request",
        arguments: try BybitReference.deniedPaths)
    func refusesDenied(path: String) throws {
        for method in [HTTPMethod.get, .post] {
            let url = try #require(URL(string: "https://api.bybit.com" + path))
            let error = #expect(throws: ExchangeError.self) {
                try signer.sign(HTTPRequest(method: method, url: url, body: Data("{}".utf8)), at: Date())
            }
            #expect(error?.kind == .policyViolation)
        }
    }

    @Test("an allowed endpoint spelled with doubled slashes, dot segments or escapes is refused")
    func refusesOddSpellings() throws {
        for path in [
            "/v5/order//create", "/v5/order/./create", "/v5/order/create/", "/v5/order/%63reate",
            "/v5/x/../order/create",
        ] {
            let url = try #require(URL(string: "https://api.bybit.com" + path))
            let error = #expect(throws: ExchangeError.self, "\(path)") {
                try signer.sign(HTTPRequest(method: .post, url: url, body: Data("{}".utf8)), at: Date())
            }
            #expect(error?.kind == .policyViolation, "\(path)")
        }
    }

    @Test("a GET with a body, a query needing encoding, or a POST with a query is refused")
    func refusesUnfaithfulRequests() throws {
        let withBody = HTTPRequest(
            method: .get, url: try #require(URL(string: "https://api.bybit.com/v5/order/realtime?category=spot")),
            body: Data("{}".utf8))
        let plus = HTTPRequest(
            method: .get, url: try #require(URL(string: "https://api.bybit.com/v5/order/realtime?category=spot&symbol=A+B")))
        let slash = HTTPRequest(
            method: .get, url: try #require(URL(string: "https://api.bybit.com/v5/order/realtime?category=spot&x=a/b!")))
        let postQuery = HTTPRequest(
            method: .post, url: try #require(URL(string: "https://api.bybit.com/v5/order/create?category=spot")),
            body: Data("{}".utf8))
        for request in [withBody, plus, slash, postQuery] {
            let error = #expect(throws: ExchangeError.self) { try signer.sign(request, at: Date()) }
            // The gate refuses what the exchange could read otherwise; the signer what it cannot sign.
            #expect(error?.kind == .policyViolation || error?.kind == .invalidRequest)
        }
    }

    @Test("a body that sets isLeverage to anything but 0 is never signed")
    func refusesLeverage() throws {
        let url = try #require(URL(string: "https://api.bybit.com/v5/order/create"))
        for body in [
            #"{"category":"spot","isLeverage":1}"#, #"{"category":"spot","isLeverage":"1"}"#,
            #"{"isLeverage": true}"#, #"{"category":"spot","isLeverage":1"#,
        ] {
            let error = #expect(throws: ExchangeError.self, "\(body)") {
                try signer.sign(
                    HTTPRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: Data(body.utf8)), at: Date())
            }
            #expect(error?.kind == .policyViolation, "\(body)")
        }
        for body in [#"{"category":"spot","isLeverage":0}"#, #"{"category":"spot","isLeverage":"0"}"#] {
            _ = try signer.sign(
                HTTPRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: Data(body.utf8)), at: Date())
        }
    }

    @Test("the signer signs for its environment's base URL only")
    func originCheck() throws {
        let bound = try BybitHarness.signer(environment: .testnet)
        let good = try #require(URL(string: "https://api-testnet.bybit.com/v5/order/realtime?category=spot"))
        _ = try bound.sign(HTTPRequest(method: .get, url: good), at: Date())
        for text in [
            "https://api.bybit.com/v5/order/realtime?category=spot",
            "https://api-testnet.bybit.com.evil.example/v5/order/realtime?category=spot",
            "https://api-testnet.bybit.com@evil.example/v5/order/realtime?category=spot",
            "http://api-testnet.bybit.com/v5/order/realtime?category=spot",
            "https://api-testnet.bybit.com:8443/v5/order/realtime?category=spot",
        ] {
            let url = try #require(URL(string: text))
            let error = #expect(throws: ExchangeError.self, "\(text)") {
                try bound.sign(HTTPRequest(method: .get, url: url), at: Date())
            }
            #expect(error?.kind == .policyViolation, "\(text)")
        }
    }

    @Test("remembering allowed endpoints never lets a refused one through")
    func memoDoesNotLeak() throws {
        let url = try #require(URL(string: "https://api.bybit.com/v5/order/create"))
        for _ in 0..<100 {
            _ = try signer.sign(
                HTTPRequest(
                    method: .post, url: url, headers: ["Content-Type": "application/json"],
                    body: Data(#"{"category":"spot"}"#.utf8)), at: Date())
        }
        // Same path, other method: not allowed. Other spellings of the path: refused.
        for (method, text) in [
            (HTTPMethod.get, "https://api.bybit.com/v5/order/create"),
            (.post, "https://api.bybit.com/v5/order//create"),
            (.post, "https://api.bybit.com/v5/asset/withdraw/create"),
        ] {
            let request = HTTPRequest(method: method, url: try #require(URL(string: text)), body: method == .post ? Data("{}".utf8) : nil)
            for _ in 0..<3 {
                let error = #expect(throws: ExchangeError.self, "\(text)") { try signer.sign(request, at: Date()) }
                #expect(error?.kind == .policyViolation, "\(text)")
            }
        }
        // The body is checked every time, whatever was allowed before.
        let borrow = HTTPRequest(method: .post, url: url, body: Data(#"{"category":"spot","isLeverage":1}"#.utf8))
        #expect(throws: ExchangeError.self) { try signer.sign(borrow, at: Date()) }
    }

    @Test("the signer's descriptions hide the secret")
    func descriptionHidesSecret() {
        let text = String(describing: signer) + String(reflecting: signer)
        #expect(!text.contains(BybitHarness.secret))
    }
}

/// A `SafeKey` verified by an inspector that says it is another exchange's.
enum ForeignKey {
    struct Inspector: KeyInspector {
        func inspect(_ credentials: Credentials) async throws -> KeyReport {
            KeyReport(exchange: "binance", permissions: [.read, .spotTrade, .futuresTrade], isIPRestricted: true)
        }
    }

    static func make() async throws -> SafeKey {
        try await SafeKey.verify(
            BybitHarness.credentials, using: Inspector(),
            policy: .tradeOnly.acceptingCustomInspector(reason: "a key another exchange's report describes, for the test"))
    }
}
