import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Rate limits, bans and retries through the shared governor")
struct RateLimitTests {
    @Test("one governor per Bybit: the inspector and every client count against the same IP budget (600 per 5 s)")
    func sharedBudget() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/account/wallet-balance", .payload("wallet-balance.json"))
        let key = try await harness.verifiedKey()
        let afterVerify = harness.bybit.rateLimitUsage
        #expect(afterVerify.host == "api-testnet.bybit.com")
        #expect(afterVerify.limit == 600)
        #expect(afterVerify.window == 5)
        #expect(afterVerify.usedWeight == harness.transport.requests.count)
        let first = harness.bybit.client(key)
        let second = harness.bybit.client(key)
        _ = try await first.balances()
        _ = try await second.balances()
        #expect(harness.bybit.rateLimitUsage.usedWeight == harness.transport.requests.count)
        #expect(!harness.bybit.rateLimitUsage.isBanned)
    }

    @Test("the 601st request within 5 s waits for the window (on the test clock), it is not refused by Bybit")
    func ipBudgetWaits() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/market/tickers", .payload("tickers-spot.json"))
        let client = try await harness.client()
        let used = harness.bybit.rateLimitUsage.usedWeight
        for _ in 0..<(600 - used) {
            _ = try await client.ticker("BTC/USDT")
        }
        #expect(harness.sleeper.sleeps.isEmpty)
        let before = harness.time.now()
        _ = try await client.ticker("BTC/USDT")
        #expect(harness.sleeper.totalSlept > 0)
        #expect(harness.time.now().timeIntervalSince(before) <= 5)
    }

    @Test("X-Bapi-Limit-Status 0: the next request to that endpoint waits until the reset; other endpoints do not")
    func endpointCounter() async throws {
        let harness = BybitHarness()
        let time = harness.time
        harness.on(
            .get, "/v5/account/wallet-balance",
            .handler { _ in
                try payloads.response(
                    "wallet-balance.json",
                    headers: [
                        "X-Bapi-Limit": "50", "X-Bapi-Limit-Status": "0",
                        "X-Bapi-Limit-Reset-Timestamp": String(BybitSigner.milliseconds(time.now()) + 2000),
                    ])
            })
        harness.on(.get, "/v5/market/tickers", .payload("tickers-spot.json"))
        let client = try await harness.client()
        _ = try await client.balances()
        _ = try await client.ticker("BTC/USDT")
        #expect(harness.sleeper.sleeps.isEmpty, "another endpoint does not wait")
        _ = try await client.balances()
        #expect(abs(harness.sleeper.totalSlept - 2) < 0.01)
    }

    @Test("HTTP 403 'access too frequent' with Retry-After: banned for exactly that long, then requests go again")
    func banWithRetryAfter() async throws {
        let harness = BybitHarness()
        harness.on(
            .get, "/v5/account/wallet-balance",
            .payload("ip-rate-limit-403.txt", status: 403, headers: ["Retry-After": "30"]),
            .payload("wallet-balance.json"))
        let client = try await harness.client()
        let banned = await ExchangeError.caught { _ = try await client.balances() }
        #expect(banned?.kind == .banned)
        #expect(banned?.bannedUntil == harness.time.now().addingTimeInterval(30))
        #expect(harness.bybit.rateLimitUsage.bannedUntil == harness.time.now().addingTimeInterval(30))
        let refused = await ExchangeError.caught { _ = try await client.balances() }
        #expect(refused?.kind == .banned)
        #expect(harness.sent.count == 1, "refused here, nothing sent")
        harness.time.advance(by: 31)
        _ = try await client.balances()
        #expect(harness.sent.count == 2)
    }

    @Test("retryPolicy: a read answered 503 is retried under .standard, and not under .none")
    func retryPolicy() async throws {
        for (policy, attempts) in [(RetryPolicy.standard, 3), (.none, 1)] {
            let harness = BybitHarness(configuration: Bybit.Configuration(retryPolicy: policy))
            harness.on(.get, "/v5/account/wallet-balance", .response(HTTPResponse(status: 503, body: Data("busy".utf8))))
            let client = try await harness.client()
            let error = await ExchangeError.caught { _ = try await client.balances() }
            #expect(error?.kind == .exchangeUnavailable)
            #expect(harness.sent(.get, "/v5/account/wallet-balance").count == attempts)
        }
    }

    @Test("a write answered 503 is never sent again, whatever the retry policy")
    func writeNotRetried() async throws {
        let harness = BybitHarness(
            configuration: Bybit.Configuration(
                reconciliation: BybitHarness.fastReconciliation, retryPolicy: RetryPolicy(maximumAttempts: 5)))
        harness.on(.get, "/v5/market/instruments-info", .payload("instruments-spot.json"))
        harness.on(.post, "/v5/order/create", .response(HTTPResponse(status: 503, body: Data("busy".utf8))))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        let error = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: .exact("0.001"), price: 20_000))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(harness.sent(.post, "/v5/order/create").count == 1)
    }

    @Test("rate-limit headers are kept per endpoint")
    func rateLimits() async throws {
        let harness = BybitHarness()
        harness.on(
            .get, "/v5/account/wallet-balance",
            .payload(
                "wallet-balance.json",
                headers: [
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

    @Test("HTTP 403 'access too frequent' bans the IP: nothing is sent for 10 minutes")
    func ipBan() async throws {
        let harness = BybitHarness()
        harness.on(
            .get, "/v5/account/wallet-balance",
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
