import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("State, configuration and prices")
struct StateTests {
    @Test("a hand-written JSON state loads exactly (strings or numbers) and round-trips")
    func jsonState() async throws {
        let json = """
            {
              "instruments": [
                { "symbol": "SOL/USDT", "exchangeSymbol": "SOLUSDT", "tickSize": "0.01", "quantityStep": 0.001,
                  "minimumNotional": "5" },
                { "symbol": "SOL/USDT:USDT", "tickSize": "0.010", "quantityStep": "1" }
              ],
              "prices": { "SOL/USDT": "150.25", "SOL/USDT:USDT": 150.3 },
              "balances": { "main": { "USDT": "1000.00000001" }, "bot": { "SOL": 3 } },
              "keys": [
                { "apiKey": "k1", "secret": "s1", "permissions": ["read", "spotTrade"], "ipWhitelist": ["127.0.0.1"] },
                { "apiKey": "k2", "secret": "s2", "account": "bot", "permissions": ["read", "withdraw", "somethingNew"] }
              ]
            }
            """
        let state = try SimulatorState.decode(from: Data(json.utf8))
        #expect(state.instruments.count == 2)
        #expect(state.instruments[0].quantityStep == dec("0.001"))
        #expect(state.instruments[1].exchangeSymbol == "SOLUSDT")
        #expect(state.instruments[1].kind == .linearPerpetual)
        #expect(state.prices["SOL/USDT:USDT"] == dec("150.3"))
        #expect(state.balances["main"]?["USDT"] == dec("1000.00000001"))
        #expect(state.keys[1].permissions.contains(.withdraw))
        let unknown = try #require(state.keys[1].permissions.first { $0.name == "somethingNew" })
        #expect(unknown.movesFunds)

        let again = try SimulatorState.decode(from: try state.encoded())
        #expect(again == state)
        let exchange = SimulatedExchange(state: state)
        #expect(await exchange.balance(of: "SOL", in: "bot").free == 3)
        #expect(await exchange.price(of: "SOL/USDT") == dec("150.25"))
    }

    @Test("the standard state has the documented rules, prices and keys")
    func standard() async throws {
        let exchange = SimulatedExchange.standard()
        let instruments = await exchange.instruments
        let btc = try #require(instruments.first { $0.symbol == "BTC/USDT" })
        #expect(btc.tickSize == dec("0.01"))
        #expect(btc.quantityStep == dec("0.00001"))
        #expect(btc.minimumNotional == 5)
        #expect(instruments.map(\.symbol) == ["BTC/USDT", "ETH/USDT", "BTC/USDT:USDT", "ETH/USDT:USDT"])
        #expect(await exchange.keys.map(\.apiKey) == [SimulatedExchange.standardTradeKey.apiKey, SimulatedExchange.standardWithdrawKey.apiKey])
        #expect(!SimulatedExchange.standardTradeKey.permissions.contains { $0.movesFunds })
        #expect(SimulatedExchange.standardWithdrawKey.permissions.contains(.withdraw))
        let state = await exchange.state()
        #expect(try SimulatorState.decode(from: try state.encoded()) == state)
        // Printing a key never shows its secret.
        #expect(!"\(SimulatedExchange.standardTradeKey)".contains(SimulatedExchange.standardTradeKey.secret))
    }

    @Test("the random walk is deterministic for a seed, moves a spot market and its perpetual together, on the tick")
    func randomWalk() async throws {
        func walk(seed: UInt64) async -> [Decimal] {
            let exchange = SimulatedExchange.standard(configuration: .init(timeSource: FixedTimeSource(fixedStart)))
            await exchange.startRandomWalk(RandomWalk(seed: seed, volatility: dec("0.01")))
            var prices: [Decimal] = []
            for _ in 0..<20 {
                await exchange.stepRandomWalk()
                prices.append(await exchange.price(of: "BTC/USDT") ?? 0)
            }
            #expect(await exchange.price(of: "BTC/USDT:USDT").map { $0.isMultiple(of: dec("0.1")) } == true)
            let spot = await exchange.price(of: "BTC/USDT") ?? 0
            let perpetual = await exchange.price(of: "BTC/USDT:USDT") ?? 0
            #expect((spot - perpetual).magnitude <= dec("0.05"))
            return prices
        }
        let first = await walk(seed: 1)
        #expect(first == (await walk(seed: 1)))
        #expect(first != (await walk(seed: 2)))
        #expect(first.allSatisfy { $0.isMultiple(of: dec("0.01")) })
        #expect(Set(first).count > 5)
    }

    @Test("SplitMix64 matches the reference sequence for seed 0")
    func splitMix() {
        var generator = SplitMix64(seed: 0)
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
