import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Keys stay in the environment they were verified in")
struct KeyEnvironmentTests {
    @Test("the key report names the environment", arguments: ["live", "demo", "local", "testnet"])
    func reportEnvironment(name: String) async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-trade-only.json")
        let environment: Binance.Environment =
            switch name {
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

    @Test("a key verified with another exchange is refused on every signed call; nothing is signed")
    func foreignKey() async throws {
        let fake = FakeBinance()
        let report = KeyReport(exchange: "bybit", permissions: [.read, .spotTrade, .futuresTrade], isIPRestricted: true)
        let key = try await SafeKey.verify(
            Fixtures.credentials(), using: CannedInspector(report: report),
            policy: .tradeOnly.acceptingCustomInspector(reason: "another exchange's report, for the test"))
        let client = fake.binance().client(key)
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await client.balances() },
            { _ = try await client.positions() },
            { _ = try await client.place(.market(.buy, "BTC/USDT", quantity: 1)) },
            { _ = try await client.cancel(.exchangeID("1", on: "BTC/USDT")) },
            { _ = try await client.order(.exchangeID("1", on: "BTC/USDT")) },
            { _ = try await client.openOrders(for: "BTC/USDT") },
            { _ = try await client.fills(for: "BTC/USDT") },
            { _ = try await client.perform(ExchangeRequest(method: .get, path: "/api/v3/account", security: .signed)) },
        ]
        for call in calls {
            let error = try await #require(throws: ExchangeError.self) { try await call() }
            #expect(error.kind == .invalidRequest)
            #expect(error.message.contains("bybit"))
        }
        #expect(fake.requests.isEmpty)
    }
}
