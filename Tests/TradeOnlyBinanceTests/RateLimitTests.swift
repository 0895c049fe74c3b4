import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Rate limits, bans and retries through the shared governor")
struct RateLimitTests {
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
        let client = try await fake.client(
            configuration: Binance.Configuration(
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
        #expect(client.rateLimitHeaders.spot.usedWeight["1M"] == 5990)
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

@Suite("Rate-limit usage from X-MBX headers")
struct RateLimitUsageTests {
    @Test("used weight and order counts are read per host, case-insensitively")
    func headers() async throws {
        let fake = FakeBinance()
        let spotHeaders: HTTPHeaders = ["x-mbx-used-weight-1m": "46", "X-MBX-USED-WEIGHT-1S": "3", "X-Other": "1"]
        let futuresHeaders: HTTPHeaders = [
            "X-MBX-USED-WEIGHT-1M": "12", "X-MBX-ORDER-COUNT-10S": "1", "X-MBX-ORDER-COUNT-1M": "7",
            "X-MBX-ORDER-COUNT-1D": "not a number",
        ]
        try fake.on(.get, "/api/v3/depth", payload: "spot-depth.json", headers: spotHeaders)
        try fake.on(.get, "/fapi/v1/depth", payload: "futures-depth.json", headers: futuresHeaders)
        let client = try await fake.client()
        _ = try await client.orderBook("LTC/BTC", depth: 5)
        _ = try await client.orderBook("BTC/USDT:USDT", depth: 5)
        let usage = client.rateLimitHeaders
        #expect(usage.spot.usedWeight == ["1M": 46, "1S": 3])
        #expect(usage.spot.orderCount.isEmpty)
        #expect(usage.futures.usedWeight == ["1M": 12])
        #expect(usage.futures.orderCount == ["10S": 1, "1M": 7])
        #expect(usage.spot.updatedAt == Fixtures.date)
        #expect(usage[.futures] == usage.futures)
        #expect(usage.description.contains("weight 1M=46"))
        // The core RateLimitUsage, as every module reports it: the governor fed with X-MBX-USED-WEIGHT-1M.
        #expect(client.rateLimitUsage.reportedUsedWeight == 46)
    }
}
