import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBybit

@Suite("Keys stay in the environment they were verified in")
struct KeyEnvironmentTests {
    static let local = Bybit.Environment.local(URL(string: "http://127.0.0.1:8080") ?? URL(fileURLWithPath: "/"))

    @Test(
        "the key report names the environment",
        arguments: [
            (Bybit.Environment.live, "live"), (.testnet, "testnet"), (.demo, "demo"), (.live(host: .europe), "live"),
            (local, "local"),
        ])
    func reportEnvironment(environment: Bybit.Environment, expected: String) async throws {
        let harness = BybitHarness(environment: environment)
        let key = try await harness.verifiedKey()
        #expect(key.environment == expected)
        #expect(environment.keyEnvironment == expected)
    }

    @Test(
        "a key verified on testnet (or a local stand-in) cannot trade on live: every call refused, nothing sent",
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
            { _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: 1, price: 1)) },
            { _ = try await client.cancel(.exchangeID("1", on: "BTC/USDT")) },
            { _ = try await client.openOrders(for: "BTC/USDT") },
            { _ = try await client.reconcile(try ClientOrderID("abc"), on: "BTC/USDT") },
            { _ = try await client.perform(ExchangeRequest(method: .get, path: "/v5/account/wallet-balance", security: .signed)) },
        ]
        for call in calls {
            let error = await ExchangeError.caught { try await call() }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains(verifiedOn.keyEnvironment) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("live") == true)
        }
        #expect(harness.transport.requests.isEmpty)
        // Public market data still works with a refused key (as on Binance).
        _ = try await client.serverTime()
        try await client.synchronizeClock()
        #expect(harness.transport.requests.allSatisfy { $0.headers["X-BAPI-SIGN"] == nil })
        // The same key on a Bybit of its own environment works.
        #expect(harness.bybit.client(key).permissions == [.read, .spotTrade, .futuresTrade])
    }

    @Test("a Bybit key from a custom inspector is refused by verify unless the policy accepts it; it names no environment")
    func customInspectorKey() async throws {
        struct Silent: KeyInspector {
            func inspect(_ credentials: Credentials) async throws -> KeyReport {
                KeyReport(exchange: "bybit", permissions: [.read, .spotTrade], isIPRestricted: true, ipWhitelist: ["203.0.113.7"])
            }
        }
        let refused = await ExchangeError.caught { _ = try await SafeKey.verify(BybitHarness.credentials, using: Silent()) }
        #expect(refused?.kind == .unsafeKey)
        #expect(refused?.message.contains(".acceptingCustomInspector(reason:)") == true)
        let key = try await SafeKey.verify(
            BybitHarness.credentials, using: Silent(),
            policy: .tradeOnly.acceptingCustomInspector(reason: "a canned report, for this test"))
        #expect(key.environment == nil)
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
}
