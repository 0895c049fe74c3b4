import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Retry policy, rate-limit governor, key environments, journal")
struct IntegrationTests {
    @Test("a read that gets a 503 is retried under the standard policy (waiting on the test clock), not under .none")
    func retryPolicy() async throws {
        for policy in [RetryPolicy.standard, .none] {
            let fake = FakeBinance()
            fake.on(.get, "/api/v3/openOrders") { _, count in
                count == 1 ? HTTPResponse(status: 503, body: Data("Service Unavailable".utf8)) : HTTPResponse.json("[]")
            }
            let client = try await fake.client(configuration: Binance.Configuration(retryPolicy: policy))
            let start = fake.time.now()
            if policy == .none {
                let error = try await #require(throws: ExchangeError.self) { try await client.openOrders(for: "LTC/BTC") }
                #expect(error.kind == .exchangeUnavailable)
                #expect(fake.requests(.get, "/api/v3/openOrders").count == 1)
            } else {
                #expect(try await client.openOrders(for: "LTC/BTC").isEmpty)
                #expect(fake.requests(.get, "/api/v3/openOrders").count == 2)
                #expect(fake.time.now() > start, "the back-off moved the test clock, not the wall clock")
            }
        }
    }

    @Test("a placement answered with a 503 is never re-sent, whatever the retry policy")
    func writesNotRetried() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        fake.on(.post, "/api/v3/order") { _, _ in HTTPResponse(status: 503, body: Data("Service Unavailable".utf8)) }
        fake.on(.get, "/api/v3/order") { _, _ in HTTPResponse.json(#"{"code":-2013,"msg":"Order does not exist."}"#, status: 400) }
        let client = try await fake.client(configuration: Binance.Configuration(
            retryPolicy: RetryPolicy(maximumAttempts: 10)))
        let error = try await #require(throws: ExchangeError.self) {
            try await client.place(.limit(.buy, "LTC/BTC", quantity: 1, price: try Fixtures.decimal("0.1")))
        }
        #expect(error.kind == .network, "not found once the receive window passed: not placed")
        #expect(error.retry == .retry)
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
        let entry = try #require(client.journal.entries.last)
        #expect(entry.state == .notPlaced)
        #expect(entry.symbol == "LTC/BTC")
    }

    @Test("the key report names the environment", arguments: ["live", "demo", "local", "testnet"])
    func reportEnvironment(name: String) async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-trade-only.json")
        let environment: Binance.Environment = switch name {
        case "live": .live
        case "demo": .demo
        case "testnet": .testnet
        default: .local(URL(string: "http://127.0.0.1:8080")!)
        }
        let report = try await fake.binance(environment: environment).keyInspector.inspect(Fixtures.credentials())
        #expect(report.environment == name)
        #expect(environment.name == name)
    }

    @Test("a key verified on demo cannot be used by a live client, nor the other way round")
    func environmentsDoNotMix() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-trade-only.json")
        let demoKey = try await SafeKey.verify(Fixtures.credentials(), using: fake.binance(environment: .demo).keyInspector)
        let liveKey = try await SafeKey.verify(Fixtures.credentials(), using: fake.binance(environment: .live).keyInspector)
        fake.transport.removeAllRequests()
        for (key, binance) in [(demoKey, fake.binance(environment: .live)), (liveKey, fake.binance(environment: .demo))] {
            let client = binance.client(key)
            #expect(client.permissions.isEmpty)
            let error = try await #require(throws: ExchangeError.self) { try await client.openOrders(for: "LTC/BTC") }
            #expect(error.kind == .invalidRequest)
        }
        #expect(fake.requests.isEmpty, "nothing was signed or sent")
        #expect(fake.binance(environment: .demo).client(demoKey).permissions.contains(.spotTrade))
    }

    @Test("request weights reach the governor; a reported X-MBX-USED-WEIGHT-1M near the limit makes the next request wait")
    func governor() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/depth", payload: "spot-depth.json", headers: ["X-MBX-USED-WEIGHT-1M": "5990"])
        let client = try await fake.client()
        let before = fake.time.now()
        _ = try await client.orderBook("LTC/BTC", depth: 5000)
        // Binance now reports 5990 of 6000 used: a request of weight 5 still fits, one of 25 waits for the window.
        _ = try await client.orderBook("LTC/BTC", depth: 5)
        #expect(fake.time.now() == before)
        _ = try await client.orderBook("LTC/BTC", depth: 500)
        #expect(fake.time.now().timeIntervalSince(before) >= 59, "waited for the minute (on the test clock)")
        #expect(client.rateLimitUsage.spot.usedWeight["1M"] == 5990)
    }

    @Test("depth weights follow Binance's table")
    func depthWeights() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/depth", payload: "spot-depth.json")
        try fake.on(.get, "/fapi/v1/depth", payload: "futures-depth.json")
        let client = try await fake.client()
        for (depth, weight) in [(5, 5), (500, 25), (1000, 50), (5000, 250)] {
            let used = client.governorUsage(.spot)
            _ = try await client.orderBook("LTC/BTC", depth: depth)
            #expect(client.governorUsage(.spot) - used == weight, "spot depth \(depth)")
        }
        for (depth, weight) in [(5, 2), (100, 5), (500, 10), (1000, 20)] {
            let used = client.governorUsage(.futures)
            _ = try await client.orderBook("BTC/USDT:USDT", depth: depth)
            #expect(client.governorUsage(.futures) - used == weight, "futures depth \(depth)")
        }
    }
}

extension BinanceClient {
    /// The weight the client's governor counts on a host now.
    func governorUsage(_ host: Binance.Host) -> Int {
        let name = host == .spot ? "api.binance.com" : "fapi.binance.com"
        return governor.usage(forHost: name).usedWeight
    }
}
