import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("Fault plans")
struct FaultTests {
    let market: [(String, String)] = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]

    func order(id: String) -> [(String, String)] {
        market + [("newClientOrderId", id)]
    }

    @Test("a lost response: the order exists, the in-process caller gets timedOut with requestMayHaveBeenSent")
    func lostResponse() async throws {
        let fixture = Fixture()
        await fixture.exchange.setFaultPlan(FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST")))
        let client = fixture.binance()
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await client.signed(.post, "/api/v3/order", order(id: "lost-1"))
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.requestMayHaveBeenSent == true)
        #expect(await fixture.exchange.orders(withClientOrderID: "lost-1").count == 1)
        let found = try await client.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "lost-1")])
        #expect(found["status"] as? String == "FILLED")
        #expect(await fixture.exchange.faultsInjected == 1)
        // The plan was for one request only.
        #expect(try await client.signed(.post, "/api/v3/order", order(id: "lost-2")).status == 200)
    }

    @Test("5xx before execution leaves no order; 5xx after execution leaves one")
    func serverErrors() async throws {
        let fixture = Fixture()
        await fixture.exchange.setFaultPlan(
            FaultPlan()
                .injecting(.serverError(status: 503, afterExecution: false), next: 1, on: .path("/api/v3/order"))
                .injecting(.serverError(status: 500, afterExecution: true), next: 1, on: .path("/api/v3/order")))
        let client = fixture.binance()
        let before = try await client.signed(.post, "/api/v3/order", order(id: "before"))
        #expect(before.status == 503)
        #expect(before.code == -1001)
        #expect(await fixture.exchange.orders(withClientOrderID: "before").isEmpty)
        let after = try await client.signed(.post, "/api/v3/order", order(id: "after"))
        #expect(after.status == 500)
        #expect(await fixture.exchange.orders(withClientOrderID: "after").count == 1)
    }

    @Test("429 with Retry-After, not executed (Binance -1003, Bybit 10006)")
    func rateLimited() async throws {
        let fixture = Fixture()
        await fixture.exchange.setFaultPlan(FaultPlan().injecting(.rateLimited(retryAfterSeconds: 7), next: 1))
        let reply = try await fixture.binance().signed(.post, "/api/v3/order", order(id: "limited"))
        #expect(reply.status == 429)
        #expect(reply.headers["Retry-After"] == "7")
        #expect(reply.code == -1003)
        #expect(await fixture.exchange.allOrders().isEmpty)

        let bybit = Fixture(.bybit)
        await bybit.exchange.setFaultPlan(FaultPlan().injecting(.rateLimited(retryAfterSeconds: 2), next: 1))
        let bybitReply = try await bybit.bybit().get("/v5/user/query-api")
        #expect(bybitReply.status == 429)
        #expect(bybitReply.code == 10006)
        #expect(bybitReply.headers["Retry-After"] == "2")
    }

    @Test("a 418 ban answers 418 to everything from that IP until Retry-After has passed")
    func ban() async throws {
        let fixture = Fixture()
        await fixture.exchange.setFaultPlan(FaultPlan().injecting(.banned(retryAfterSeconds: 120), next: 1))
        let client = fixture.binance()
        let first = try await client.get("/api/v3/time")
        #expect(first.status == 418)
        #expect(first.headers["Retry-After"] == "120")
        fixture.clock.advance(by: 60)
        let during = try await client.signed(.get, "/api/v3/account")
        #expect(during.status == 418)
        #expect(during.headers["Retry-After"] == "60")
        let otherIP = try await fixture.binance(clientIP: "10.0.0.2").get("/api/v3/time")
        #expect(otherIP.status == 200)
        fixture.clock.advance(by: 61)
        #expect(try await client.get("/api/v3/time").status == 200)
        #expect(await fixture.exchange.faultsInjected == 1)

        let bybit = Fixture(.bybit)
        await bybit.exchange.setFaultPlan(FaultPlan().injecting(.banned(retryAfterSeconds: 600), next: 1))
        #expect(try await bybit.bybit().get("/v5/market/time", signed: false).status == 403)
        #expect(try await bybit.bybit().get("/v5/market/time", signed: false).status == 403)
    }

    @Test("malformed JSON after execution: 200, unparsable, and the order exists; an HTML page before: no order")
    func badBodies() async throws {
        let fixture = Fixture()
        await fixture.exchange.setFaultPlan(
            FaultPlan()
                .injecting(.malformedJSON(afterExecution: true), next: 1, on: .path("/api/v3/order"))
                .injecting(.htmlPage(status: 502, afterExecution: false), next: 1, on: .path("/api/v3/order")))
        let client = fixture.binance()
        let malformed = try await client.signed(.post, "/api/v3/order", order(id: "garbled"))
        #expect(malformed.status == 200)
        #expect(malformed.json == nil)
        #expect(await fixture.exchange.orders(withClientOrderID: "garbled").count == 1)
        let html = try await client.signed(.post, "/api/v3/order", order(id: "html"))
        #expect(html.status == 502)
        #expect(html.headers["Content-Type"] == "text/html")
        #expect(html.text.contains("<html>"))
        #expect(await fixture.exchange.orders(withClientOrderID: "html").isEmpty)
    }

    @Test("clock skew: an unsynchronised client gets -1021 / 10002; one that reads the server time is accepted")
    func clockSkew() async throws {
        let plan = FaultPlan().withClockSkew(milliseconds: 6_000)
        let binance = Fixture { $0.faults = plan }
        var unsynced = binance.binance()
        let clock = binance.clock
        unsynced.timestamp = { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }
        #expect(try await unsynced.signed(.get, "/api/v3/account").code == -1021)
        let time = try await unsynced.get("/api/v3/time")
        #expect((time["serverTime"] as? NSNumber)?.int64Value == 1_700_000_006_000)
        #expect(try await binance.binance().signed(.get, "/api/v3/account").status == 200)

        let bybit = Fixture(.bybit) { $0.faults = FaultPlan().withClockSkew(milliseconds: -7_000) }
        var late = bybit.bybit()
        let bybitClock = bybit.clock
        late.timestamp = { Int64((bybitClock.now().timeIntervalSince1970 * 1000).rounded(.down)) }
        #expect(try await late.get("/v5/user/query-api").code == 10002)
        #expect(try await bybit.bybit().get("/v5/user/query-api").code == 0)
    }

    @Test("an expired key in the plan: Binance -2015, Bybit 33004")
    func expiredKey() async throws {
        let key = SimulatedExchange.standardTradeKey.apiKey
        let binance = Fixture { $0.faults = FaultPlan().expiringKey(key) }
        #expect(try await binance.binance().signed(.get, "/api/v3/account").code == -2015)
        let bybit = Fixture(.bybit) { $0.faults = FaultPlan().expiringKey(key) }
        #expect(try await bybit.bybit().get("/v5/user/query-api").code == 33004)
    }

    @Test("latency delays the answer by the drawn number of milliseconds")
    func latency() async throws {
        let fixture = Fixture { $0.faults = FaultPlan().withLatency(milliseconds: 30...30) }
        let start = ContinuousClock.now
        #expect(try await fixture.binance().get("/api/v3/ping").status == 200)
        #expect(ContinuousClock.now - start >= .milliseconds(30))
    }

    /// The faults a plan injects into 200 pings.
    func faults(seed: UInt64) async throws -> [Int] {
        let plan = FaultPlan(seed: seed)
            .injecting(.serverError(status: 503, afterExecution: false), probability: 0.1)
            .injecting(.rateLimited(retryAfterSeconds: 1), probability: 0.05)
        let fixture = Fixture { $0.faults = plan }
        let client = fixture.binance()
        var statuses: [Int] = []
        for _ in 0..<200 {
            statuses.append(try await client.get("/api/v3/ping").status)
        }
        return statuses
    }

    @Test("random faults are deterministic for a seed, and roughly at the asked rate")
    func determinism() async throws {
        let first = try await faults(seed: 42)
        let again = try await faults(seed: 42)
        let other = try await faults(seed: 43)
        #expect(first == again)
        #expect(first != other)
        let errors = first.filter { $0 == 503 }.count
        let limited = first.filter { $0 == 429 }.count
        #expect((5...40).contains(errors))
        #expect((1...25).contains(limited))
    }

    @Test("faults are counted and listed")
    func counted() async throws {
        let fixture = Fixture { $0.faults = FaultPlan().injecting(.serverError(status: 502, afterExecution: false), next: 3, on: .prefix("/api/")) }
        let client = fixture.binance()
        for _ in 0..<5 { _ = try await client.get("/api/v3/ping") }
        _ = try await client.get("/fapi/v1/ping")
        #expect(await fixture.exchange.faultsInjected == 3)
        #expect(await fixture.exchange.injectedFaults().map(\.requestNumber) == [1, 2, 3])
        #expect(await fixture.exchange.requestCount == 6)
    }
}
