import Foundation
import Testing
import TradeOnly
import TradeOnlyBybit
import TradeOnlySimulator

/// Each fault of the simulator's ``FaultPlan`` against the Bybit client: the documented error, and
/// never an order placed twice.
@Suite("Bybit faults end to end (simulator)")
struct BybitFaultEndToEndTests {
    static let create = RequestMatch.path("/v5/order/create", method: "POST")
    static let cancel = RequestMatch.path("/v5/order/cancel", method: "POST")
    static let tickers = RequestMatch.path("/v5/market/tickers", method: "GET")
    static let wallet = RequestMatch.path("/v5/account/wallet-balance", method: "GET")

    func limitOrder(_ id: ClientOrderID) -> OrderRequest {
        .limit(.buy, "BTC/USDT", quantity: dec("0.001"), price: 60_000, clientOrderID: id)
    }

    @Test("lost response after execution: place returns the reconciled order, and the simulator holds exactly one")
    func lostResponse() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().injecting(.lostResponse, next: 1, on: Self.create))
        let id = try ClientOrderID("fault-lost-1")
        let order = try await client.place(limitOrder(id))
        #expect(order.clientOrderID == id.rawValue)
        #expect(order.status == .new)
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).count == 1)
        #expect(simulation.log.count(.post, "/v5/order/create") == 1)
        #expect(client.journal.entry(for: id)?.state == .placed(exchangeOrderID: order.exchangeOrderID, status: .new))
        #expect(await simulation.exchange.faultsInjected == 1)
    }

    @Test("lost response to a cancel: the cancel is settled by reading the order until it is final")
    func lostCancel() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        let order = try await client.place(limitOrder(try ClientOrderID("fault-lost-cancel")))
        await simulation.inject(FaultPlan().injecting(.lostResponse, next: 1, on: Self.cancel))
        let cancelled = try await client.cancel(order.reference)
        #expect(cancelled.status == .cancelled)
        #expect(simulation.log.count(.post, "/v5/order/cancel") == 1)
    }

    @Test("5xx before execution: a read is retried and succeeds")
    func serverErrorRead() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().injecting(.serverError(status: 503, afterExecution: false), next: 1, on: Self.tickers))
        let ticker = try await client.ticker("BTC/USDT")
        #expect(ticker.lastPrice == 65_000)
        #expect(simulation.log.count(.get, "/v5/market/tickers") == 2)
    }

    @Test("5xx before execution on a placement: outcome unknown, then reconciled as not placed once the receive window passed; never re-sent")
    func serverErrorBeforeExecution() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().injecting(.serverError(status: 503, afterExecution: false), next: 1, on: Self.create))
        let id = try ClientOrderID("fault-5xx-before")
        let error = await bybitError { _ = try await client.place(limitOrder(id)) }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(error?.clientOrderID == id)
        #expect(error?.message.contains("not executed") == true)
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).isEmpty)
        #expect(simulation.log.count(.post, "/v5/order/create") == 1)
        #expect(client.journal.entry(for: id)?.state == .notPlaced)
        // Safe to place again with the same id.
        let again = try await client.place(limitOrder(id))
        #expect(again.clientOrderID == id.rawValue)
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).count == 1)
    }

    @Test("5xx before execution with a short reconciliation: outcomeUnknown carrying the id; reconcile later says orderNotFound")
    func serverErrorUndecidedThenReconciled() async throws {
        let short = ReconciliationPolicy(deadline: 1, initialDelay: 0.2, maximumDelay: 0.5)
        let simulation = BybitSimulation(configuration: Bybit.Configuration(reconciliation: short))
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().injecting(.serverError(status: 502, afterExecution: false), next: 1, on: Self.create))
        let id = try ClientOrderID("fault-5xx-undecided")
        let error = await bybitError { _ = try await client.place(limitOrder(id)) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.clientOrderID == id)
        #expect(error?.symbol == "BTC/USDT")
        #expect(client.journal.unknownOrders.map(\.clientOrderID) == [id])
        // Later (on the test clock, past the receive window): Bybit does not have it.
        simulation.time.advance(by: 10)
        let settled = await bybitError { _ = try await client.reconcile(id) }
        #expect(settled?.kind == .orderNotFound)
        #expect(client.journal.entry(for: id)?.state == .notPlaced)
        #expect(client.journal.unknownOrders.isEmpty)
        #expect(simulation.log.count(.post, "/v5/order/create") == 1)
    }

    @Test("5xx after execution on a placement: reconciled as found; exactly one order")
    func serverErrorAfterExecution() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().injecting(.serverError(status: 500, afterExecution: true), next: 1, on: Self.create))
        let id = try ClientOrderID("fault-5xx-after")
        let order = try await client.place(limitOrder(id))
        #expect(order.clientOrderID == id.rawValue)
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).count == 1)
        #expect(simulation.log.count(.post, "/v5/order/create") == 1)
    }

    @Test("429 with a short Retry-After: reads and placements (not executed) are retried after the wait and succeed")
    func rateLimitedShort() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(
            FaultPlan()
                .injecting(.rateLimited(retryAfterSeconds: 2), next: 1, on: Self.tickers)
                .injecting(.rateLimited(retryAfterSeconds: 2), next: 1, on: Self.create))
        let start = simulation.time.now()
        _ = try await client.ticker("BTC/USDT")
        #expect(simulation.log.count(.get, "/v5/market/tickers") == 2)
        let id = try ClientOrderID("fault-429-short")
        _ = try await client.place(limitOrder(id))
        #expect(simulation.log.count(.post, "/v5/order/create") == 2)
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).count == 1)
        #expect(simulation.time.now().timeIntervalSince(start) >= 4, "each retry waited the advised 2 s (test clock)")
    }

    @Test("429 with a long Retry-After: rateLimited (the order was not placed), and the next request waits it out here")
    func rateLimitedLong() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().injecting(.rateLimited(retryAfterSeconds: 30), next: 1, on: Self.create))
        let id = try ClientOrderID("fault-429-long")
        let error = await bybitError { _ = try await client.place(limitOrder(id)) }
        #expect(error?.kind == .rateLimited)
        #expect(error?.retry == .retryAfter(seconds: 30))
        #expect(error?.httpStatus == 429)
        #expect(client.journal.entry(for: id)?.state == .rejected(.rateLimited))
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).isEmpty)
        let start = simulation.time.now()
        _ = try await client.balances()
        #expect(simulation.time.now().timeIntervalSince(start) >= 30, "the governor held the next request for Retry-After")
    }

    @Test("IP ban (403 'access too frequent'): banned, then refused locally without reaching the simulator, by every client; over after Retry-After")
    func ban() async throws {
        let simulation = BybitSimulation()
        let key = try await simulation.verify()
        let client = simulation.bybit.client(key)
        let other = simulation.bybit.client(key)
        await simulation.inject(FaultPlan().injecting(.banned(retryAfterSeconds: 120), next: 1, on: Self.wallet))
        let first = await bybitError { _ = try await client.balances() }
        #expect(first?.kind == .banned)
        #expect(first?.httpStatus == 403)
        let bannedUntil = try #require(first?.bannedUntil)
        #expect(bannedUntil == simulation.time.now().addingTimeInterval(120))
        let reached = await simulation.exchange.requestCount
        for call in [
            { _ = try await client.ticker("BTC/USDT") },
            { _ = try await other.place(.market(.buy, "BTC/USDT", quantity: dec("0.001"))) },
            { _ = try await simulation.bybit.keyInspector.inspect(BybitSimulation.credentials()) },
        ] as [@Sendable () async throws -> Void] {
            let error = await bybitError { try await call() }
            #expect(error?.kind == .banned)
            #expect(error?.bannedUntil == bannedUntil)
        }
        #expect(await simulation.exchange.requestCount == reached, "nothing reached the simulator during the ban")
        #expect(simulation.bybit.rateLimitUsage.isBanned)
        simulation.time.advance(by: 121)
        _ = try await client.balances()
        #expect(await simulation.exchange.requestCount > reached)
    }

    @Test("malformed JSON: a read is a decoding error; a placement executed before it is found; one not executed is not placed")
    func malformedJSON() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(
            FaultPlan()
                .injecting(.malformedJSON(afterExecution: true), next: 1, on: Self.wallet)
                .injecting(.malformedJSON(afterExecution: true), next: 1, on: Self.create))
        let read = await bybitError { _ = try await client.balances() }
        #expect(read?.kind == .decoding)
        let executed = try ClientOrderID("fault-json-after")
        let order = try await client.place(limitOrder(executed))
        #expect(order.clientOrderID == executed.rawValue)
        #expect(await simulation.exchange.orders(withClientOrderID: executed.rawValue).count == 1)

        await simulation.inject(FaultPlan().injecting(.malformedJSON(afterExecution: false), next: 1, on: Self.create))
        let notExecuted = try ClientOrderID("fault-json-before")
        let error = await bybitError { _ = try await client.place(limitOrder(notExecuted)) }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(await simulation.exchange.orders(withClientOrderID: notExecuted.rawValue).isEmpty)
        #expect(simulation.log.count(.post, "/v5/order/create") == 2)
    }

    @Test("an HTML page from a proxy: a read is retried; a placement executed before it is found; one not executed is not placed")
    func htmlPage() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(
            FaultPlan()
                .injecting(.htmlPage(status: 502, afterExecution: false), next: 1, on: Self.tickers)
                .injecting(.htmlPage(status: 502, afterExecution: true), next: 1, on: Self.create))
        _ = try await client.ticker("BTC/USDT")
        #expect(simulation.log.count(.get, "/v5/market/tickers") == 2)
        let executed = try ClientOrderID("fault-html-after")
        _ = try await client.place(limitOrder(executed))
        #expect(await simulation.exchange.orders(withClientOrderID: executed.rawValue).count == 1)

        await simulation.inject(FaultPlan().injecting(.htmlPage(status: 504, afterExecution: false), next: 1, on: Self.create))
        let notExecuted = try ClientOrderID("fault-html-before")
        let error = await bybitError { _ = try await client.place(limitOrder(notExecuted)) }
        #expect(error?.kind == .network)
        #expect(await simulation.exchange.orders(withClientOrderID: notExecuted.rawValue).isEmpty)
        #expect(simulation.log.count(.post, "/v5/order/create") == 2)
    }

    @Test(
        "clock skew: the rejected request resyncs the clock and succeeds once, for reads and placements",
        arguments: [3_000, -3_000, 40_000, -40_000] as [Int64])
    func clockSkew(milliseconds: Int64) async throws {
        // A 2 s receive window, so that a 3 s skew either way is outside it.
        let simulation = BybitSimulation(configuration: Bybit.Configuration(receiveWindow: 2000))
        let client = try await simulation.client()
        _ = try await client.balances()
        let syncs = simulation.log.timeRequests

        await simulation.inject(FaultPlan().withClockSkew(milliseconds: milliseconds))
        let id = try ClientOrderID("fault-skew-\(milliseconds < 0 ? "m" : "p")\(abs(milliseconds))")
        let order = try await client.place(limitOrder(id))
        #expect(order.clientOrderID == id.rawValue)
        #expect(simulation.log.timeRequests > syncs, "the clock was resynchronised")
        #expect(simulation.log.count(.post, "/v5/order/create") == 2, "rejected (10002) once, then re-signed")
        #expect(await simulation.exchange.orders(withClientOrderID: id.rawValue).count == 1)
        let offset = try #require(simulation.bybit.clock.offset)
        #expect(abs(offset - Double(milliseconds) / 1000) < 0.01)
        _ = try await client.balances()
    }

    @Test("an expired key: verification and every signed call fail with keyExpired (33004)")
    func expiredKey() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        await simulation.inject(FaultPlan().expiringKey(SimulatedExchange.standardTradeKey.apiKey))
        let call = await bybitError { _ = try await client.balances() }
        #expect(call?.kind == .keyExpired)
        #expect(call?.code == "33004")
        let verify = await bybitError { _ = try await simulation.verify() }
        #expect(verify?.kind == .keyExpired)
    }
}

/// The Bybit client over a real socket: the simulator behind `SimulatorServer`, `URLSessionTransport`.
@Suite("Bybit over a real socket (simulator)")
struct BybitSocketEndToEndTests {
    @Test("verify, market data, place, query, cancel and balances over HTTP on loopback")
    func overSocket() async throws {
        let exchange = SimulatedExchange.standard(for: .bybit)
        let server = SimulatorServer(exchange: exchange, dialect: .bybit)
        try server.start()
        defer { server.stop() }
        // Generous timeouts and receive window: other suites keep the shared pool busy.
        let bybit = Bybit(
            environment: .local(server.baseURL),
            transport: URLSessionTransport(configuration: .init(timeout: .seconds(30))),
            configuration: Bybit.Configuration(receiveWindow: 20_000))
        let key = try await SafeKey.verify(BybitSimulation.credentials(), using: bybit.keyInspector)
        #expect(key.environment == "local")
        let client = bybit.client(key)
        let ticker = try await client.ticker("BTC/USDT")
        #expect(ticker.lastPrice == 65_000)
        let id = try ClientOrderID("socket-bybit-1")
        let placed = try await client.place(.limit(.buy, "BTC/USDT", quantity: dec("0.001"), price: 60_000, clientOrderID: id))
        #expect(try await client.order(.clientID(id, on: "BTC/USDT")).status == .new)
        #expect(try await client.cancel(placed.reference).status == .cancelled)
        #expect(try await client.balances().contains { $0.asset == "USDT" && $0.total == 100_000 })
        #expect(await exchange.orders(withClientOrderID: id.rawValue).count == 1)
    }
}
