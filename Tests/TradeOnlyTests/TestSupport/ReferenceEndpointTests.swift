import Testing
import TradeOnly
import TradeOnlyTestSupport

/// The reference lists of TradeOnlyTestSupport's JSON resources: every entry of `reference/binance-bybit.md`
/// §3.1 and §3.2 is there, once, well formed. (When the lists moved from Swift literals to JSON, a test
/// compared them entry for entry; these counts pin what it found.)
@Suite("Reference endpoint lists")
struct ReferenceEndpointTests {
    @Test("Binance §3.1: 117 denied endpoints in sections A–F, 6 configuration endpoints in G")
    func binanceCounts() throws {
        let sections = try BinanceReference.sections
        #expect(sections.map(\.section) == ["A", "B", "C", "D", "E", "F"])
        #expect(sections.map(\.endpoints.count) == [10, 29, 5, 12, 40, 21])
        #expect(try BinanceReference.denied.count == 117)
        #expect(try BinanceReference.configuration.count == 6)
        #expect(try BinanceReference.optIn.count == 5)
        #expect(try BinanceReference.alwaysDenied.count == 118)
        #expect(try BinanceReference.positionMargin == Endpoint(.post, "/fapi/v1/positionMargin"))
        #expect(try BinanceReference.configuration.contains(BinanceReference.positionMargin))
    }

    @Test("Bybit §3.2: 73 denied endpoints in sections A–F (all POST), add-margin, 28 prefix samples")
    func bybitCounts() throws {
        let sections = try BybitReference.sections
        #expect(sections.map(\.section) == ["A", "B", "C", "D", "E", "F"])
        #expect(sections.map(\.endpoints.count) == [2, 7, 12, 4, 27, 21])
        #expect(try BybitReference.denied.count == 73)
        #expect(try BybitReference.denied.allSatisfy { $0.method == .post })
        #expect(try BybitReference.addMargin == Endpoint(.post, "/v5/position/add-margin"))
        #expect(try BybitReference.prefixSamples.count == 28)
        let paths = try BybitReference.denied.map(\.path) + [BybitReference.addMargin.path] + BybitReference.prefixSamples
        #expect(try BybitReference.deniedPaths == paths.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
    }

    @Test("every section has a title, and every endpoint is listed once, with a path of at least two segments")
    func wellFormed() throws {
        for (name, sections) in [("Binance", try BinanceReference.sections), ("Bybit", try BybitReference.sections)] {
            #expect(sections.allSatisfy { !$0.title.isEmpty }, "\(name)")
            let endpoints = sections.flatMap(\.endpoints)
            #expect(Set(endpoints).count == endpoints.count, "\(name): an endpoint is listed twice")
            for endpoint in endpoints {
                #expect(endpoint.path.hasPrefix("/") && endpoint.path.split(separator: "/").count >= 2, "\(endpoint)")
            }
        }
        #expect(try Set(BinanceReference.configuration).isDisjoint(with: BinanceReference.denied))
        #expect(try Set(BybitReference.prefixSamples).allSatisfy { $0.hasPrefix("/v5/") })
    }

    @Test(
        "an endpoint is spelled \"METHOD /path\" and describes itself the same way",
        arguments: ["POST /x", "GET /sapi/v1/a/b"])
    func spelling(text: String) throws {
        let endpoint = try #require(Endpoint(text))
        #expect(endpoint.description == text)
    }

    @Test("malformed spellings are refused", arguments: ["post /x", "POST x", "POST  /x", "/x", "POST /x?y=1", "FETCH /x", ""])
    func malformed(text: String) {
        #expect(Endpoint(text) == nil)
    }
}
