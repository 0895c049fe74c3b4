import Testing
import TradeOnly

@Suite("EndpointPath normalisation")
struct EndpointPathTests {
    /// Inputs that normalise, with their canonical form.
    static let normalised: [(String, String)] = [
        ("/api/v3/order", "/api/v3/order"),
        ("/", "/"),
        ("/api/v3/exchangeInfo", "/api/v3/exchangeinfo"),
        ("/SAPI/v1//capital/withdraw/apply/", "/sapi/v1/capital/withdraw/apply"),
        ("/sapi/v1/capital/%77ithdraw/apply", "/sapi/v1/capital/withdraw/apply"),
        ("/api/v3/../../sapi/v1/capital/withdraw/apply", "/sapi/v1/capital/withdraw/apply"),
        ("/sapi/v1/capital/withdraw/apply%2F", "/sapi/v1/capital/withdraw/apply"),
        ("/sapi/v1/capital/withdraw/apply%2f", "/sapi/v1/capital/withdraw/apply"),
        ("/sapi/v1/capital%2Fwithdraw%2Fapply", "/sapi/v1/capital/withdraw/apply"),
        ("/sapi/v1/capital%252Fwithdraw%252Fapply", "/sapi/v1/capital/withdraw/apply"),
        ("/sapi/v1/capital%25252fwithdraw/apply", "/sapi/v1/capital/withdraw/apply"),
        ("/%73api/v1/capital/withdraw/apply", "/sapi/v1/capital/withdraw/apply"),
        ("/%53API/V1/CAPITAL/WITHDRAW/APPLY", "/sapi/v1/capital/withdraw/apply"),
        ("/api/v3/./order", "/api/v3/order"),
        ("/api/v3/order/.", "/api/v3/order"),
        ("/api/v3/order/..", "/api/v3"),
        ("/api/v3/x/../order", "/api/v3/order"),
        ("/api/v3/%2e%2e/%2E%2E/sapi/v1/asset/transfer", "/sapi/v1/asset/transfer"),
        ("/api/v3/..%2F..%2Fsapi/v1/asset/transfer", "/sapi/v1/asset/transfer"),
        ("/api/v3/.%2e/.%2E/sapi/v1/asset/transfer", "/sapi/v1/asset/transfer"),
        ("/api/v3/%252e%252e/%252e%252e/sapi/v1/asset/transfer", "/sapi/v1/asset/transfer"),
        ("/api///v3////order///", "/api/v3/order"),
        ("/api/v3/...", "/api/v3/..."),
        ("/api/v3/.hidden", "/api/v3/.hidden"),
        ("/api/v4/spot/orders/12345", "/api/v4/spot/orders/12345"),
        ("/api/v4/spot/orders/t-abc_1.2~3", "/api/v4/spot/orders/t-abc_1.2~3"),
        ("/v5/order/create", "/v5/order/create"),
        ("/api/v3/%2525252F", "/api/v3"),
    ]

    @Test("normalises tricky spellings to one canonical path", arguments: normalised)
    func normalises(input: String, expected: String) throws {
        #expect(try EndpointPath.normalize(input) == expected)
    }

    /// Inputs that are refused outright.
    static let refused: [String] = [
        "",
        "//",
        "//evil.example/api/v3/order",
        "/%2Fevil.example/api/v3/order",
        "/%252F%252Fevil.example/api/v3/order",
        "api/v3/order",
        "%2Fapi/v3/order",
        "https://api.binance.com/api/v3/order",
        "/api/v3/order?symbol=BTCUSDT",
        "/api/v3/order#fragment",
        "/api/v3/order%3Fsignature=abc",
        "/api/v3/order%253Fsignature=abc",
        "/api/v3/order%23x",
        "/api/v3/order%00",
        "/api/v3/order\u{0}",
        "/api/v3/%00/../order",
        "/api/v3/order%0A",
        "/api/v3/order%0d%0aX-Injected: 1",
        "/api/v3/order\t",
        "/api/v3/order%7F",
        "/api/v3/order%20",
        "/api/v3/or der",
        "/api\\v3\\order",
        "/api/v3/order%5C",
        "/api/v3/%5c..%5c..%5csapi",
        "/sapi/v1/capital;x/withdraw/apply",
        "/sapi/v1/capital/withdraw/apply;jsessionid=1",
        "/sapi/v1/capital%3Bx/withdraw/apply",
        "/..",
        "/../sapi/v1/capital/withdraw/apply",
        "/api/../../sapi/v1/capital/withdraw/apply",
        "/api/v3/../../../sapi/v1/capital/withdraw/apply",
        "/%2e%2e/sapi",
        "/..%2fsapi",
        "/api/v3/order%",
        "/api/v3/order%2",
        "/api/v3/order%zz",
        "/api/v3/order%G0",
        "/api/v3/100%25",
        "/api/v3/%252525252F",
        "/api/v3/ordér",
        "/api/v3/order%C3%A9",
        "/api/v3/\u{212A}lines",
        "/api/v3/🚀",
        "/api/v3/%F0%9F%9A%80",
        "/api/v3/%FF",
        String(repeating: "/a", count: 1025),
    ]

    @Test("refuses malformed, ambiguous and smuggling paths", arguments: refused)
    func refuses(input: String) {
        #expect(throws: ExchangeError.self) { try EndpointPath.normalize(input) }
    }

    @Test("a refusal is a policy violation that never echoes a query")
    func refusalIsPolicyViolation() {
        do {
            _ = try EndpointPath("/api/v3/order%3Fsignature=deadbeef")
            Issue.record("expected a refusal")
        } catch let error as ExchangeError {
            #expect(error.kind == .policyViolation)
            #expect(!error.description.contains("deadbeef"))
            #expect(error.message.contains("/api/v3/order"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("control characters in a refused path are shown escaped, not raw")
    func refusalEscapesControls() throws {
        let error = try #require(throws: ExchangeError.self) { try EndpointPath("/a%0D%0AX-Evil: 1") }
        #expect(!error.message.contains("\r"))
        #expect(!error.message.contains("\n"))
        #expect(error.message.contains("\\u{D}"))
    }

    @Test("segments and the canonical-except-case flag")
    func segmentsAndFlag() throws {
        let plain = try EndpointPath("/api/v3/exchangeInfo")
        #expect(plain.segments == ["api", "v3", "exchangeinfo"])
        #expect(plain.isCanonicalExceptCase)
        #expect(try EndpointPath("/").segments.isEmpty)
        #expect(try EndpointPath("/").isCanonicalExceptCase)
        #expect(try !EndpointPath("/api/v3/order/").isCanonicalExceptCase)
        #expect(try !EndpointPath("/api//v3/order").isCanonicalExceptCase)
        #expect(try !EndpointPath("/api/v3/%6Frder").isCanonicalExceptCase)
        #expect(try !EndpointPath("/api/v3/./order").isCanonicalExceptCase)
        #expect(try EndpointPath("/API/v3/order") == EndpointPath("/api/v3/order/"))
    }

    @Test("random paths: canonical except case exactly when the lower-cased path is its canonical form")
    func canonicalExceptCaseMatchesItsDefinition() {
        var random = SeededGenerator(state: 17)
        let pieces = ["", ".", "..", "api", "V3", "order", "%2F", "%41", "x.y", "..."]
        var checked = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...5, using: &random)
            let path = "/" + (0..<count).map { _ in pieces.randomElement(using: &random) ?? "" }.joined(separator: "/")
            guard let parsed = try? EndpointPath(path) else { continue }
            checked += 1
            #expect(parsed.isCanonicalExceptCase == (path.lowercased() == parsed.canonical), "\(path) → \(parsed.canonical)")
            #expect(parsed.canonical == "/" + parsed.segments.joined(separator: "/"))
        }
        #expect(checked > 1000)
    }
}
