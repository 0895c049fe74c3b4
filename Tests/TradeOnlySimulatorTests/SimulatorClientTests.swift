import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

/// `SimulatedExchange.client(for:)`: a real client with a verified key in one call, and the errors a
/// new user meets first, against both wire protocols.
@Suite("Simulator clients")
struct SimulatorClientTests {
    @Test("client(for: Binance.self) is a BinanceClient whose key was verified; it trades on the simulator")
    func binanceClient() async throws {
        let simulator = SimulatedExchange.standard(for: .binance)
        let client = try await simulator.client(for: Binance.self)
        #expect(client.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(client.environment.name == "local")
        let placed = try await client.place(.market(.buy, "BTC/USDT", quantity: try #require(Decimal(exactly: "0.001"))))
        #expect(placed.status == .filled)
        #expect(await simulator.allOrders().count == 1)
    }

    @Test("client(for: Bybit.self) is a BybitClient on the Bybit wire protocol")
    func bybitClient() async throws {
        let simulator = SimulatedExchange.standard(for: .bybit)
        let client = try await simulator.client(for: Bybit.self)
        let balances = try await client.balances()
        #expect(balances.first { $0.asset == "USDT" }?.free == 100_000)
    }

    @Test("a key that fails the policy is refused by client(for:), as by SafeKey.verify", arguments: ["binance", "bybit"])
    func refusedKey(exchange: String) async throws {
        let simulator = SimulatedExchange.standard(for: try #require(Dialect(name: exchange)))
        do {
            if exchange == "binance" {
                _ = try await simulator.client(for: Binance.self, key: SimulatedExchange.standardWithdrawKey)
            } else {
                _ = try await simulator.client(for: Bybit.self, key: SimulatedExchange.standardWithdrawKey)
            }
            Issue.record("a withdraw-enabled key was accepted")
        } catch let error as ExchangeError {
            #expect(error.kind == .unsafeKey)
        }
    }

    @Test("the stand-in keeps no rate limit unless asked; a budget given is kept, and a long wait is logged at info")
    func rateLimits() async throws {
        let simulator = SimulatedExchange.standard(for: .binance)
        let free = try simulator.connection(for: Binance.self)
        let host = "stand-in.invalid" // every Binance host is served there
        #expect(free.governor.usage(forHost: host).limit == nil)
        let paced = try simulator.connection(for: Binance.self, rateLimit: .init(weight: 100, per: 60))
        #expect(paced.governor.usage(forHost: host).limit == 100)
    }

    @Test("an unknown symbol is named in the exchange's refusal", arguments: ["binance", "bybit"])
    func unknownSymbolIsNamed(exchange: String) async throws {
        let simulator = SimulatedExchange.standard(for: try #require(Dialect(name: exchange)))
        let client: any ExchangeClient =
            exchange == "binance"
            ? try await simulator.client(for: Binance.self) : try await simulator.client(for: Bybit.self)
        for call in ["ticker", "orderBook"] {
            do {
                if call == "ticker" {
                    _ = try await client.ticker("FOO/USDT")
                } else {
                    _ = try await client.orderBook("FOO/USDT", depth: 5)
                }
                Issue.record("\(exchange) \(call): FOO/USDT was found")
            } catch let error as ExchangeError {
                #expect(error.kind == .invalidRequest)
                #expect(error.message.hasPrefix("FOO/USDT (sent as FOOUSDT): "), "\(exchange) \(call): \(error.message)")
                #expect(error.symbol == "FOO/USDT")
            }
        }
    }

    @Test("BTC/USDT:USDC is a valid unified symbol the client does not trade, not a malformed one", arguments: ["binance", "bybit"])
    func unsupportedSettlement(exchange: String) async throws {
        let simulator = SimulatedExchange.standard(for: try #require(Dialect(name: exchange)))
        let client: any ExchangeClient =
            exchange == "binance"
            ? try await simulator.client(for: Binance.self) : try await simulator.client(for: Bybit.self)
        let requestsBefore = await simulator.requestCount
        do {
            _ = try await client.ticker("BTC/USDT:USDC")
            Issue.record("BTC/USDT:USDC was served")
        } catch let error as ExchangeError {
            #expect(error.kind == .invalidRequest)
            #expect(error.message.hasPrefix("BTC/USDT:USDC is a valid unified symbol (a perpetual on BTC/USDT settled in USDC)"), "\(error.message)")
            #expect(error.message.contains("it trades spot markets (BTC/USDT)"), "\(error.message)")
            #expect(!error.message.contains("not a unified symbol"))
        }
        #expect(await simulator.requestCount == requestsBefore, "refused before anything is sent")
    }

    @Test("the leverage endpoint's refusal names the configuration that allows it", arguments: ["binance", "bybit"])
    func leverageRefusal(exchange: String) async throws {
        let simulator = SimulatedExchange.standard(for: try #require(Dialect(name: exchange)))
        let client: any ExchangeClient =
            exchange == "binance"
            ? try await simulator.client(for: Binance.self) : try await simulator.client(for: Bybit.self)
        let path = exchange == "binance" ? "/fapi/v1/leverage" : "/v5/position/set-leverage"
        do {
            _ = try await client.perform(
                ExchangeRequest(method: .post, path: path, parameters: ["symbol": "BTCUSDT", "leverage": "5"], security: .signed))
            Issue.record("the leverage request was sent")
        } catch let error as ExchangeError {
            #expect(error.kind == .policyViolation)
            #expect(error.message.contains("configuration.additionalAllowedEndpoints = [.exact(.post, \"\(path)\")]"), "\(error.message)")
        }
    }
}
