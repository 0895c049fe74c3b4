import Foundation
import Testing
@testable import TradeOnlyBybit
import TradeOnly

@Suite("Keys stay in the environment they were verified in")
struct KeyEnvironmentTests {
    static let local = Bybit.Environment.local(URL(string: "http://127.0.0.1:8080") ?? URL(fileURLWithPath: "/"))

    @Test("the key report names the environment", arguments: [
        (Bybit.Environment.live, "live"), (.testnet, "testnet"), (.demo, "demo"), (.live(host: .europe), "live"),
        (local, "local"),
    ])
    func reportEnvironment(environment: Bybit.Environment, expected: String) async throws {
        let harness = BybitHarness(environment: environment)
        let key = try await harness.verifiedKey()
        #expect(key.environment == expected)
        #expect(environment.keyEnvironment == expected)
    }

    @Test("a key verified on testnet (or a local stand-in) cannot trade on live: every call refused, nothing sent",
          arguments: [Bybit.Environment.testnet, local])
    func otherEnvironmentRefused(verifiedOn: Bybit.Environment) async throws {
        let harness = BybitHarness(environment: verifiedOn)
        let key = try await harness.verifiedKey()
        harness.transport.removeAllRequests()
        let live = Bybit(environment: .live, transport: harness.transport, timeSource: harness.time)
        let client = live.client(key)
        #expect(client.permissions.isEmpty)
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await client.balances() }, { _ = try await client.positions() },
            { _ = try await client.ticker("BTC/USDT") }, { _ = try await client.instruments(.spot) },
            { _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: 1, price: 1)) },
            { _ = try await client.cancel(.exchangeID("1", on: "BTC/USDT")) },
            { _ = try await client.openOrders(for: "BTC/USDT") },
            { _ = try await client.reconcile(try ClientOrderID("abc"), on: "BTC/USDT") },
            { try await client.synchronizeClock() },
            { _ = try await client.perform(ExchangeRequest(method: .get, path: "/v5/market/time")) },
        ]
        for call in calls {
            let error = await ExchangeError.caught { try await call() }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains(verifiedOn.keyEnvironment) == true)
            #expect(error?.message.contains("live") == true)
        }
        #expect(harness.transport.requests.isEmpty)
        // The same key on a Bybit of its own environment works.
        #expect(harness.bybit.client(key).permissions == [.read, .spotTrade, .futuresTrade])
    }

    @Test("a Bybit key whose report names no environment is refused too (fail closed)")
    func noEnvironmentRefused() async throws {
        struct Silent: KeyInspector {
            func inspect(_ credentials: Credentials) async throws -> KeyReport {
                KeyReport(exchange: "bybit", permissions: [.read, .spotTrade], isIPRestricted: true, ipWhitelist: ["203.0.113.7"])
            }
        }
        let key = try await SafeKey.verify(BybitHarness.credentials, using: Silent())
        let harness = BybitHarness()
        let client = harness.bybit.client(key)
        let error = await ExchangeError.caught { _ = try await client.balances() }
        #expect(error?.kind == .invalidRequest)
        #expect(harness.transport.requests.isEmpty)
    }
}
