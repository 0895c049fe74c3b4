import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance

@Suite("Account data: balances and positions")
struct AccountTests {
    private let d = Fixtures.decimal

    @Test("spot balances: signed GET /api/v3/account?omitZeroBalances=true, exact decimals, zero balances left out")
    func spotBalances() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/account", payload: "spot-account.json")
        let client = try await fake.client()
        let balances = try await client.balances()
        let sent = try #require(fake.apiRequests.first)
        #expect(fake.apiRequests.count == 1)
        #expect(
            sent.wire
                == "https://api.binance.com/api/v3/account?omitZeroBalances=true&recvWindow=5000&timestamp=1499827319559&signature=807e9f33e2180fee3162aaa9fddb73c600a957ca7e8353e2c50ba2a31430a41f"
        )
        #expect(sent.headers["X-MBX-APIKEY"] == Fixtures.apiKey)
        #expect(sent.body == nil)
        #expect(
            balances == [
                Balance(asset: "BTC", free: try d("4723846.89208129"), locked: 0),
                Balance(asset: "LTC", free: try d("4763368.68006011"), locked: 0),
                Balance(asset: "USDT", free: 0, locked: try d("12.5")),
            ])
    }

    @Test("futures balances: signed GET /fapi/v3/balance; free is available, total is the wallet balance")
    func futuresBalances() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v3/balance", payload: "futures-balance.json")
        let client = try await fake.client()
        let balances = try await client.balances(for: .linearPerpetual)
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://fapi.binance.com/fapi/v3/balance?recvWindow=5000&timestamp=1499827319559&signature=82f4e72e95e63d666b6da651e82a701722ad8a785a169318d91f36f279c55821"
            ])
        #expect(balances.count == 1)
        let usdt = try #require(balances.first)
        #expect(usdt.asset == "USDT")
        #expect(usdt.total == (try d("122607.35137903")))
        #expect(usdt.free == (try d("23.72469206")))
        #expect(usdt.locked == (try d("122583.62668697")))
    }

    @Test("COIN-M wallets are refused")
    func inverseRefused() async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        await #expect(throws: ExchangeError.self) { try await client.balances(for: .inversePerpetual) }
        #expect(fake.apiRequests.isEmpty)
    }

    @Test("one-way positions: the sign of positionAmt gives the side; liquidation price 0 is none")
    func oneWayPositions() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v3/positionRisk", payload: "futures-positionRisk-oneway.json")
        let client = try await fake.client()
        let positions = try await client.positions()
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://fapi.binance.com/fapi/v3/positionRisk?recvWindow=5000&timestamp=1499827319559&signature=82f4e72e95e63d666b6da651e82a701722ad8a785a169318d91f36f279c55821"
            ])
        let ada = try #require(positions.first)
        #expect(positions.count == 1)
        #expect(ada.symbol == "ADA/USDT:USDT")
        #expect(ada.side == .long)
        #expect(ada.quantity == 30)
        #expect(ada.entryPrice == (try d("0.385")))
        #expect(ada.markPrice == (try d("0.4104759")))
        #expect(ada.unrealizedPnL == (try d("0.764277")))
        #expect(ada.liquidationPrice == nil)
        #expect(ada.updatedAt == Date(timeIntervalSince1970: 1_720_736_417.660))
    }

    @Test("hedge-mode positions: positionSide gives the side")
    func hedgePositions() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v3/positionRisk", payload: "futures-positionRisk-hedge.json")
        let client = try await fake.client()
        let positions = try await client.positions()
        #expect(positions.map(\.side) == [.long, .short])
        let comp = try #require(positions.last)
        #expect(comp.symbol == "COMP/USDT:USDT")
        #expect(comp.quantity == 1)
        #expect(comp.signedQuantity == -1)
        #expect(comp.liquidationPrice == (try d("2260.5675721")))
    }

    @Test("v2-shaped positions: flat ones and delivery contracts left out; leverage and margin type read")
    func v2Positions() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v3/positionRisk", payload: "futures-positionRisk-v2.json")
        let client = try await fake.client()
        let positions = try await client.positions()
        #expect(positions.count == 1)
        let btc = try #require(positions.first)
        #expect(btc.symbol == "BTC/USDT:USDT")
        #expect(btc.quantity == (try d("0.001")))
        #expect(btc.leverage == 4)
        #expect(btc.marginMode == .cross)
    }
}
