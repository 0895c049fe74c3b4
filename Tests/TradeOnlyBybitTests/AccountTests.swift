import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBybit

@Suite("Account data: balances and positions")
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
        #expect(
            requests.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/position/list?category=linear&limit=200&settleCoin=USDT",
                "https://api-testnet.bybit.com/v5/position/list?category=linear&cursor=BTCUSDT%2C1697673600012%2C0&limit=200&settleCoin=USDT",
            ])
        try BybitHarness.expectSignedHeaders(
            requests[1], timestamp: "1672211928338",
            payload: "category=linear&cursor=BTCUSDT%2C1697673600012%2C0&limit=200&settleCoin=USDT")
    }
}
