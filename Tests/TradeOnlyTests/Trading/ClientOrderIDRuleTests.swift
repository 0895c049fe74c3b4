import Foundation
import Testing

@testable import TradeOnly

@Suite("ClientOrderID.Rule and the one generator")
struct ClientOrderIDRuleTests {
    static let rules: [ClientOrderID.Rule] = [.binance, .bybit, .okx, .gate]

    @Test("generated ids satisfy every exchange's rule, are unique, and use the whole alphabet", arguments: rules)
    func generated(_ rule: ClientOrderID.Rule) throws {
        var seen = Set<String>()
        for _ in 0..<5_000 {
            let id = ClientOrderID.generate(for: rule)
            #expect(rule.violation(by: id) == nil, "\(id)")
            #expect(id.rawValue.hasPrefix(rule.prefix + "to"))
            #expect(id.rawValue.utf8.count == min(rule.maximumLength, rule.prefix.utf8.count + 24))
            #expect(seen.insert(id.rawValue).inserted)
        }
        #expect(Set(seen.joined().utf8).count >= 62)
    }

    @Test("OKX: 32 letters and digits; '_' and '-' and a 33rd character are refused")
    func okx() throws {
        let rule = ClientOrderID.Rule.okx
        #expect(rule.violation(by: try ClientOrderID(String(repeating: "a", count: 32))) == nil)
        #expect(rule.violation(by: try ClientOrderID(String(repeating: "a", count: 33))) != nil)
        #expect(rule.violation(by: try ClientOrderID("abc_def")) != nil)
        #expect(rule.violation(by: try ClientOrderID("abc-def")) != nil)
        #expect(rule.description == "32 of A-Z a-z 0-9")
    }

    @Test("Gate: 't-' then up to 28 of A-Z a-z 0-9 _ -")
    func gate() throws {
        let rule = ClientOrderID.Rule.gate
        #expect(rule.violation(by: try ClientOrderID("t-" + String(repeating: "x", count: 28))) == nil)
        #expect(rule.violation(by: try ClientOrderID("t-" + String(repeating: "x", count: 29))) != nil)
        #expect(rule.violation(by: try ClientOrderID("x-abc")) != nil)
        #expect(rule.violation(by: try ClientOrderID("t-")) != nil)
        #expect(rule.description == "t- then up to 28 of A-Z a-z 0-9 _ -")
        do {
            try rule.check(try ClientOrderID("abc"), exchange: "gate", symbol: "BTC/USDT")
            Issue.record("an id without the prefix passed")
        } catch let error as ExchangeError {
            #expect(error.kind == .invalidRequest)
            #expect(error.clientOrderID == "abc")
            #expect(error.symbol == "BTC/USDT")
            #expect(error.rule == "clientOrderID")
        }
    }

    @Test("an alphabet holds exactly its ASCII characters")
    func alphabet() {
        let alphabet = ClientOrderID.Alphabet.lettersDigitsUnderscoreHyphen
        let allowed = (0...255).map(UInt8.init).filter(alphabet.contains)
        #expect(String(decoding: allowed, as: UTF8.self) == "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
    }
}

@Suite("InstrumentCache: lifetime and new listings")
struct InstrumentCacheTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let btc = Instrument(symbol: "BTC/USDT", exchangeSymbol: "BTCUSDT", kind: .spot, tickSize: 0.01, quantityStep: 0.001)
    static let eth = Instrument(symbol: "ETH/USDT", exchangeSymbol: "ETHUSDT", kind: .spot, tickSize: 0.01, quantityStep: 0.001)

    @Test("fresh: cached; a missing symbol is unknown for a minute, then fetched again; stale or moved back: fetched")
    func lifetime() {
        let cache = InstrumentCache(lifetime: 3600)
        #expect(cache.lookup("BTC/USDT", kind: .spot, now: Self.start).isFetch)
        cache.store([Self.btc], for: .spot, at: Self.start)
        #expect(cache.cachedInstrument("BTC/USDT", now: Self.start.addingTimeInterval(10)) == Self.btc)
        #expect(cache.lookup("ETH/USDT", kind: .spot, now: Self.start.addingTimeInterval(59)).isUnlisted)
        #expect(cache.lookup("ETH/USDT", kind: .spot, now: Self.start.addingTimeInterval(60)).isFetch)
        #expect(cache.lookup("BTC/USDT", kind: .spot, now: Self.start.addingTimeInterval(3600)).isFetch)
        #expect(cache.cachedInstrument("BTC/USDT", now: Self.start.addingTimeInterval(-1)) == nil)
        #expect(cache.kind(of: "BTC/USDT") == .spot)
        #expect(cache.symbol(forExchangeSymbol: "BTCUSDT", kind: .spot) == "BTC/USDT")
        cache.invalidate(.spot)
        #expect(cache.entry(for: .spot) == nil)
    }

    @Test("instrument(_:…) fetches a new listing after a minute and names an unknown symbol")
    func fetchesNewListings() async throws {
        let cache = InstrumentCache(lifetime: 3600)
        cache.store([Self.btc], for: .spot, at: Self.start)
        let fetches = LockedValue(0)
        let fetch: () async throws -> [Instrument] = {
            fetches.withLock { $0 += 1 }
            cache.store([Self.btc, Self.eth], for: .spot, at: Self.start.addingTimeInterval(61))
            return [Self.btc, Self.eth]
        }
        let unknown = { ExchangeError(.invalidRequest, message: "unlisted") }
        await #expect(throws: ExchangeError.self) {
            try await cache.instrument("ETH/USDT", kind: .spot, now: Self.start.addingTimeInterval(30), unknown: unknown, fetch: fetch)
        }
        #expect(fetches.current == 0)
        let eth = try await cache.instrument(
            "ETH/USDT", kind: .spot, now: Self.start.addingTimeInterval(61), unknown: unknown, fetch: fetch)
        #expect(eth == Self.eth)
        #expect(fetches.current == 1)
    }
}

extension InstrumentCache.Lookup {
    var isFetch: Bool { if case .fetch = self { true } else { false } }
    var isUnlisted: Bool { if case .unlisted = self { true } else { false } }
}
