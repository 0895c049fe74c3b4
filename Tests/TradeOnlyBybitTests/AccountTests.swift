import Foundation
import Testing
@testable import TradeOnlyBybit
import TradeOnly

@Suite("Account data")
struct AccountTests {
    @Test("balances: a signed GET of the UNIFIED wallet, the same for spot and linear")
    func balances() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/account/wallet-balance", .payload("wallet-balance.json"))
        let client = try await harness.client()
        let spot = try await client.balances()
        let linear = try await client.balances(for: .linearPerpetual)
        #expect(spot == linear)
        #expect(spot.map(\.asset) == ["USDT", "ETH"])
        #expect(spot.first?.free == .exact("836.875"))
        let request = try #require(harness.sent.first)
        #expect(request.method == .get)
        #expect(request.url.absoluteString == "https://api-testnet.bybit.com/v5/account/wallet-balance?accountType=UNIFIED")
        #expect(request.body == nil)
        try BybitHarness.expectSignedHeaders(request, timestamp: "1672211928338", payload: "accountType=UNIFIED")
        // An independent check of the whole composition: Python's hmac over
        // "1672211928338XXXXXXXXXX5000accountType=UNIFIED" with the test secret.
        #expect(request.headers["X-BAPI-SIGN"] == "09b3bf6829c813dd16dfc024ef5643c51ab70225de1b940a80e82ca5e528b1d4")
    }

    @Test("positions: every page with settleCoin=USDT and limit=200; flat ones and dated futures left out")
    func positions() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/position/list", .payload("position-list-page1.json"), .payload("position-list-page2.json"))
        let client = try await harness.client()
        let positions = try await client.positions()
        #expect(positions.map(\.symbol) == ["BTC/USDT:USDT", "SOL/USDT:USDT"])
        #expect(positions.map(\.side) == [.long, .short])
        let requests = harness.sent
        #expect(requests.map(\.url.absoluteString) == [
            "https://api-testnet.bybit.com/v5/position/list?category=linear&limit=200&settleCoin=USDT",
            "https://api-testnet.bybit.com/v5/position/list?category=linear&cursor=BTCUSDT%2C1697673600012%2C0&limit=200&settleCoin=USDT",
        ])
        try BybitHarness.expectSignedHeaders(
            requests[1], timestamp: "1672211928338",
            payload: "category=linear&cursor=BTCUSDT%2C1697673600012%2C0&limit=200&settleCoin=USDT")
    }

    @Test("rate-limit headers are kept per endpoint")
    func rateLimits() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/account/wallet-balance", .payload("wallet-balance.json", headers: [
            "X-Bapi-Limit": "50", "X-Bapi-Limit-Status": "49", "X-Bapi-Limit-Reset-Timestamp": "1672211928400",
        ]))
        let client = try await harness.client()
        #expect(client.rateLimits.isEmpty)
        _ = try await client.balances()
        let status = try #require(client.rateLimit(for: .get, path: "/v5/account/wallet-balance"))
        #expect(status.limit == 50)
        #expect(status.remaining == 49)
        #expect(status.resetsAt == Date(timeIntervalSince1970: 1_672_211_928.4))
        #expect(client.rateLimits == [status])
        #expect(status.description == "GET /v5/account/wallet-balance: 49 of 50 left")
    }

    @Test("a client made with another exchange's key refuses every signed call and signs nothing; public data works")
    func foreignKey() async throws {
        let harness = BybitHarness()
        let client = harness.bybit.client(try await ForeignKey.make())
        #expect(client.permissions.isEmpty)
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await client.balances() }, { _ = try await client.positions() },
            { _ = try await client.place(.market(.buy, "BTC/USDT", quantity: 1)) },
            { _ = try await client.perform(ExchangeRequest(method: .get, path: "/v5/position/list", security: .signed)) },
        ]
        for call in calls {
            let error = await ExchangeError.caught { try await call() }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains("binance") == true)
        }
        #expect(harness.transport.requests.isEmpty)
        // Public market data still works, unsigned.
        _ = try await client.serverTime()
        _ = try await client.perform(ExchangeRequest(method: .get, path: "/v5/market/time"))
        #expect(harness.transport.requests.allSatisfy { $0.headers["X-BAPI-SIGN"] == nil })
    }

    @Test("HTTP 403 'access too frequent' bans the IP: nothing is sent for 10 minutes")
    func ipBan() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/account/wallet-balance",
                   .payload("ip-rate-limit-403.txt", status: 403), .payload("wallet-balance.json"))
        let key = try await harness.verifiedKey()
        harness.transport.removeAllRequests()
        let client = harness.bybit.client(key)
        let other = harness.bybit.client(key)
        let first = await ExchangeError.caught { _ = try await client.balances() }
        #expect(first?.kind == .banned)
        #expect(first?.bannedUntil != nil)
        let second = await ExchangeError.caught { _ = try await client.ticker("BTC/USDT") }
        #expect(second?.kind == .banned)
        // Another client of the same Bybit shares the ban.
        let third = await ExchangeError.caught { _ = try await other.balances() }
        #expect(third?.kind == .banned)
        #expect(harness.sent.count == 1)
        harness.time.advance(by: 601)
        _ = try await client.balances()
        #expect(harness.sent.count == 2)
    }
}
