import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlySimulator

/// The Binance client end to end against the simulated exchange: real wire bytes, real signatures,
/// real key permissions, and every fault of ``FaultPlan`` giving its documented outcome.
@Suite("Binance end to end against the simulator")
struct BinanceEndToEndTests {
    // MARK: Keys

    @Test("the standard trade key is accepted with read, spot and futures trade, for the local environment")
    func tradeKeyAccepted() async throws {
        let simulation = BinanceSimulation()
        let key = try await SafeKey.verify(BinanceSimulation.credentials(), using: simulation.binance.keyInspector)
        #expect(key.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(key.exchange == "binance")
        #expect(key.environment == "local")
    }

    @Test("the standard withdraw key is refused, naming withdrawals and universal transfer")
    func withdrawKeyRefused() async throws {
        let simulation = BinanceSimulation()
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(
                BinanceSimulation.credentials(SimulatedExchange.standardWithdrawKey), using: simulation.binance.keyInspector)
        }
        #expect(error.kind == .unsafeKey)
        #expect(error.message.lowercased().contains("withdraw"), "\(error.message)")
        #expect(error.keyReport?.permissions.contains(.withdraw) == true)
        #expect(error.keyReport?.permissions.contains(.universalTransfer) == true)
    }

    @Test("a key the simulator does not know is an authentication error")
    func unknownKey() async throws {
        let simulation = BinanceSimulation()
        let stranger = SimulatedKey(
            apiKey: "strangerKey0000000000000000000000000000000000000000000000000099",
            secret: "strangerSecret", permissions: [.read])
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(BinanceSimulation.credentials(stranger), using: simulation.binance.keyInspector)
        }
        #expect(error.kind == .authentication)
        #expect(error.code == "-2015")
    }

    @Test(
        "a key verified on a local (or testnet) environment cannot trade on live: nothing is signed or sent",
        arguments: ["local", "testnet"])
    func keyFromAnotherEnvironment(source: String) async throws {
        let local = BinanceSimulation()
        let key: SafeKey
        if source == "local" {
            key = try await SafeKey.verify(BinanceSimulation.credentials(), using: local.binance.keyInspector)
        } else {
            let testnet = Binance(environment: .testnet, transport: local.exchange.transport(for: .binance))
            key = try await SafeKey.verify(
                BinanceSimulation.credentials(), using: testnet.keyInspector,
                policy: KeyPolicy.tradeOnly.requiring([.spotTrade]).acceptingUnverifiable(reason: "spot testnet key"))
            #expect(key.environment == "testnet")
        }
        // The same simulator behind a `.live` Binance: only the environment differs.
        let live = BinanceSimulation(environment: .live, exchange: local.exchange, time: local.time)
        let client = live.binance.client(key)
        let before = await local.exchange.requestCount
        let error = try await #require(throws: ExchangeError.self) {
            try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001")))
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains(source))
        await #expect(throws: ExchangeError.self) { try await client.balances() }
        #expect(await local.exchange.requestCount == before, "nothing reached the exchange")
        #expect(await local.exchange.allOrders().isEmpty)
    }

    // MARK: Market data

    @Test("instruments (spot and perpetual), ticker and order book")
    func marketData() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        let spot = try await client.instruments(.spot)
        #expect(Set(spot.map(\.symbol)) == ["BTC/USDT", "ETH/USDT"])
        let btc = try #require(spot.first { $0.symbol == "BTC/USDT" })
        #expect(btc.tickSize == (try exactly("0.01")))
        #expect(btc.quantityStep == (try exactly("0.00001")))
        #expect(btc.minimumNotional == 5)
        let perpetuals = try await client.instruments(.linearPerpetual)
        #expect(Set(perpetuals.map(\.symbol)) == ["BTC/USDT:USDT", "ETH/USDT:USDT"])
        let perpetual = try #require(perpetuals.first { $0.symbol == "BTC/USDT:USDT" })
        #expect(perpetual.kind == .linearPerpetual)
        #expect(perpetual.minimumNotional == 100)

        let ticker = try await client.ticker("BTC/USDT")
        #expect(ticker.lastPrice == 65_000)
        #expect(ticker.bidPrice == (try exactly("64993.5")))
        #expect(ticker.askPrice == (try exactly("65006.5")))
        let futuresTicker = try await client.ticker("BTC/USDT:USDT")
        #expect(futuresTicker.lastPrice == 65_000)
        #expect((futuresTicker.bidPrice ?? 0) < (futuresTicker.askPrice ?? 0))

        let book = try await client.orderBook("BTC/USDT", depth: 5)
        #expect(book.bids.first?.price == (try exactly("64993.5")))
        #expect(book.asks.first?.price == (try exactly("65006.5")))
        let futuresBook = try await client.orderBook("ETH/USDT:USDT", depth: 5)
        #expect(!futuresBook.bids.isEmpty && !futuresBook.asks.isEmpty)
    }

    // MARK: Trading

    @Test("a rounded limit order: open, found by exchange id and client id, listed, cancelled")
    func limitOrderLifecycle() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        let btc = try await client.instrument("BTC/USDT")
        let id = try ClientOrderID("e2e-limit-1")
        let request = btc.rounded(
            .limit(.buy, "BTC/USDT", quantity: try exactly("0.000123456"), price: try exactly("60000.129"), clientOrderID: id))
        #expect(request.quantity == (try exactly("0.00012")))
        #expect(request.price == (try exactly("60000.12")))
        let placed = try await client.place(request)
        #expect(placed.status == .new)
        #expect(placed.clientOrderID == "e2e-limit-1")
        #expect(placed.price == (try exactly("60000.12")))
        #expect(client.journal.entry(for: id)?.state == .placed(exchangeOrderID: placed.exchangeOrderID, status: .new))

        let byExchangeID = try await client.order(.exchangeID(placed.exchangeOrderID, on: "BTC/USDT"))
        let byClientID = try await client.order(.clientID(id, on: "BTC/USDT"))
        #expect(byExchangeID.exchangeOrderID == placed.exchangeOrderID)
        #expect(byClientID.exchangeOrderID == placed.exchangeOrderID)
        #expect(try await client.openOrders(for: "BTC/USDT").map(\.exchangeOrderID) == [placed.exchangeOrderID])
        let locked = await simulation.exchange.balance(of: "USDT").locked
        #expect(locked == (try exactly("7.2000144")))

        let cancelled = try await client.cancel(.clientID(id, on: "BTC/USDT"))
        #expect(cancelled.status == .cancelled)
        #expect(try await client.openOrders(for: "BTC/USDT").isEmpty)
        #expect(await simulation.exchange.balance(of: "USDT").locked == 0)
        #expect(await simulation.orders(withClientOrderID: "e2e-limit-1") == 1)
    }

    @Test("a market order fills; balances change by exactly the fill and its fee; fills are listed")
    func marketOrderAndBalances() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        let before = try await client.balances()
        let placed = try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001")))
        #expect(placed.status == .filled)
        #expect(placed.filledQuantity == (try exactly("0.001")))
        #expect(placed.averagePrice == (try exactly("65006.5")))
        let fills = try await client.fills(for: "BTC/USDT", limit: 10)
        let fill = try #require(fills.last)
        #expect(fill.exchangeOrderID == placed.exchangeOrderID)
        #expect(fill.price == (try exactly("65006.5")))
        #expect(fill.feeAsset == "BTC")
        let after = try await client.balances()
        func total(_ balances: [Balance], _ asset: String) -> Decimal { balances.first { $0.asset == asset }?.total ?? 0 }
        #expect(total(after, "BTC") - total(before, "BTC") == fill.quantity - fill.fee)
        #expect(total(before, "USDT") - total(after, "USDT") == fill.price * fill.quantity)
    }

    @Test("a perpetual position opens and closes; fills are listed")
    func perpetualPosition() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        let quantity = try exactly("0.002")
        let opened = try await client.place(.market(.buy, "BTC/USDT:USDT", quantity: quantity))
        #expect(opened.status == .filled)
        let positions = try await client.positions()
        let position = try #require(positions.first { $0.symbol == "BTC/USDT:USDT" })
        #expect(position.side == .long)
        #expect(position.quantity == quantity)
        let closed = try await client.place(.market(.sell, "BTC/USDT:USDT", quantity: quantity, reduceOnly: true))
        #expect(closed.status == .filled)
        #expect(closed.isReduceOnly)
        #expect(try await client.positions().isEmpty)
        let fills = try await client.fills(for: "BTC/USDT:USDT", limit: 10)
        #expect(fills.map(\.side) == [.buy, .sell])
        #expect(try await client.balances(for: .linearPerpetual).contains { $0.asset == "USDT" })
    }

    // MARK: Faults

    @Test("a lost response after execution: place returns the reconciled order; exactly one order on the exchange")
    func lostResponse() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST")))
        let id = try ClientOrderID("e2e-lost")
        let placed = try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: id))
        #expect(placed.status == .filled)
        #expect(placed.clientOrderID == "e2e-lost")
        #expect(await simulation.orders(withClientOrderID: "e2e-lost") == 1)
        #expect(await simulation.exchange.faultsInjected == 1)
        #expect(client.journal.entry(for: id)?.state.isDecided == true)
    }

    @Test("a 5xx before execution on a read is retried and succeeds")
    func serverErrorOnRead() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan().injecting(
                .serverError(status: 503, afterExecution: false), next: 1, on: .path("/api/v3/openOrders")))
        #expect(try await client.openOrders(for: "BTC/USDT").isEmpty)
        #expect(await simulation.exchange.faultsInjected == 1)
        #expect(!simulation.sleeper.sleeps.isEmpty, "it waited (on the simulated clock) before retrying")
    }

    @Test("a 5xx before execution on a placement: never re-sent; not found after the receive window → not placed; placing again works")
    func serverErrorBeforePlacement() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan().injecting(
                .serverError(status: 503, afterExecution: false), next: 1, on: .path("/api/v3/order", method: "POST")))
        let id = try ClientOrderID("e2e-503-before")
        let order = OrderRequest.market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: id)
        let start = simulation.time.now()
        let error = try await #require(throws: ExchangeError.self) { try await client.place(order) }
        #expect(error.kind == .network)
        #expect(error.retry == .retry)
        #expect(error.clientOrderID?.rawValue == "e2e-503-before")
        #expect(error.symbol == "BTC/USDT")
        #expect(simulation.time.now().timeIntervalSince(start) >= 6, "decided only after recvWindow + 1 s")
        #expect(client.journal.entry(for: id)?.state == .notPlaced)
        #expect(await simulation.orders(withClientOrderID: "e2e-503-before") == 0)
        // Safe to place again with the same id.
        let placed = try await client.place(order)
        #expect(placed.status == .filled)
        #expect(await simulation.orders(withClientOrderID: "e2e-503-before") == 1)
    }

    @Test("a 5xx before execution with a short reconciliation: outcomeUnknown, then reconcile says not found")
    func serverErrorThenReconcile() async throws {
        let simulation = BinanceSimulation(
            configuration: Binance.Configuration(
                reconciliation: ReconciliationPolicy(deadline: 1, initialDelay: 0.2, maximumDelay: 0.5)))
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan().injecting(
                .serverError(status: 502, afterExecution: false), next: 1, on: .path("/api/v3/order", method: "POST")))
        let id = try ClientOrderID("e2e-unknown")
        let error = try await #require(throws: ExchangeError.self) {
            try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: id))
        }
        #expect(error.kind == .outcomeUnknown)
        #expect(error.clientOrderID?.rawValue == "e2e-unknown")
        #expect(client.journal.unknownOrders.map(\.clientOrderID) == [id])
        // Still within the receive window: reconcile cannot tell yet with this short deadline.
        let early = try await #require(throws: ExchangeError.self) { try await client.reconcile(id) }
        #expect(early.kind == .outcomeUnknown)
        // A patient reconcile decides.
        let patient = BinanceSimulation(exchange: simulation.exchange, time: simulation.time)
        let patientClient = try await patient.client()
        let settled = try await #require(throws: ExchangeError.self) {
            try await patientClient.reconcile(id, on: "BTC/USDT")
        }
        #expect(settled.kind == .orderNotFound)
        #expect(settled.clientOrderID?.rawValue == "e2e-unknown")
        #expect(patientClient.journal.entry(for: id)?.state == .notPlaced)
        #expect(await simulation.orders(withClientOrderID: "e2e-unknown") == 0)
    }

    @Test("a 5xx after execution on a placement: found by client order id; one order")
    func serverErrorAfterPlacement() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan().injecting(
                .serverError(status: 500, afterExecution: true), next: 1, on: .path("/api/v3/order", method: "POST")))
        let placed = try await client.place(
            .limit(.sell, "BTC/USDT", quantity: try exactly("0.001"), price: 70_000, clientOrderID: try ClientOrderID("e2e-500-after")))
        #expect(placed.status == .new)
        #expect(await simulation.orders(withClientOrderID: "e2e-500-after") == 1)
        let found = try await client.reconcile(try ClientOrderID("e2e-500-after"))
        #expect(found.exchangeOrderID == placed.exchangeOrderID)
    }

    @Test("429 with Retry-After: a read and a placement wait as advised (on the simulated clock) and go through once")
    func rateLimited() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan()
                .injecting(.rateLimited(retryAfterSeconds: 3), next: 1, on: .path("/api/v3/openOrders"))
                .injecting(.rateLimited(retryAfterSeconds: 2), next: 1, on: .path("/api/v3/order", method: "POST")))
        let start = simulation.time.now()
        #expect(try await client.openOrders(for: "BTC/USDT").isEmpty)
        #expect(simulation.time.now().timeIntervalSince(start) >= 3)
        let placed = try await client.place(
            .market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: try ClientOrderID("e2e-429")))
        #expect(placed.status == .filled)
        #expect(await simulation.orders(withClientOrderID: "e2e-429") == 1)
        #expect(simulation.time.now().timeIntervalSince(start) >= 5)
        #expect(await simulation.exchange.faultsInjected == 2)
    }

    @Test("418: banned; later requests to that host are refused locally, without reaching the exchange, until the ban ends")
    func banned() async throws {
        let simulation = BinanceSimulation(environment: .live)
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(FaultPlan().injecting(.banned(retryAfterSeconds: 120), next: 1, on: .path("/api/v3/openOrders")))
        let error = try await #require(throws: ExchangeError.self) { try await client.openOrders(for: "BTC/USDT") }
        #expect(error.kind == .banned)
        let until = try #require(error.bannedUntil)
        #expect(until.timeIntervalSince(simulation.time.now()) > 100)
        #expect(client.rateLimitHeaders.spot.bannedUntil == until)
        #expect(simulation.binance.governor.usage(forHost: "api.binance.com").isBanned)
        let sent = await simulation.exchange.requestCount
        let again = try await #require(throws: ExchangeError.self) {
            try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001")))
        }
        #expect(again.kind == .banned)
        await #expect(throws: ExchangeError.self) { try await client.balances() }
        #expect(await simulation.exchange.requestCount == sent, "nothing was sent while banned")
        #expect(await simulation.exchange.allOrders().isEmpty)
        simulation.time.advance(by: 121)
        #expect(try await client.openOrders(for: "BTC/USDT").isEmpty)
    }

    @Test("malformed and HTML bodies on reads: typed errors or a retry, never a crash")
    func brokenBodiesOnReads() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(
            FaultPlan()
                .injecting(.malformedJSON(afterExecution: true), next: 1, on: .path("/api/v3/openOrders"))
                .injecting(.htmlPage(status: 502, afterExecution: false), next: 1, on: .path("/api/v3/account")))
        let malformed = try await #require(throws: ExchangeError.self) { try await client.openOrders(for: "BTC/USDT") }
        #expect(malformed.kind == .decoding)
        // The HTML 502 is "exchange unavailable", retried.
        #expect(try await client.balances().contains { $0.asset == "USDT" })
        #expect(await simulation.exchange.faultsInjected == 2)
    }

    @Test(
        "an unreadable answer to a placement is reconciled: found when executed, not placed when not",
        arguments: ["malformed after", "html after", "malformed before", "html before"])
    func brokenBodiesOnPlacement(fault: String) async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        let executed = fault.hasSuffix("after")
        let injected: Fault =
            fault.hasPrefix("malformed")
            ? .malformedJSON(afterExecution: executed) : .htmlPage(status: 502, afterExecution: executed)
        await simulation.exchange.setFaultPlan(FaultPlan().injecting(injected, next: 1, on: .path("/api/v3/order", method: "POST")))
        let id = try ClientOrderID("e2e-broken")
        let order = OrderRequest.market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: id)
        if executed {
            let placed = try await client.place(order)
            #expect(placed.status == .filled)
            #expect(await simulation.orders(withClientOrderID: "e2e-broken") == 1)
        } else {
            let error = try await #require(throws: ExchangeError.self) { try await client.place(order) }
            #expect(error.kind == .network)
            #expect(error.retry == .retry)
            #expect(error.clientOrderID?.rawValue == "e2e-broken")
            #expect(await simulation.orders(withClientOrderID: "e2e-broken") == 0)
        }
    }

    @Test(
        "clock skew of ±3 s and ±40 s: the clock is resynchronised where needed and the order goes through once",
        arguments: [3_000, -3_000, 40_000, -40_000] as [Int64])
    func clockSkew(milliseconds: Int64) async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        _ = try await client.balances()
        #expect(simulation.binance.clock.offset == 0)
        await simulation.exchange.setFaultPlan(FaultPlan().withClockSkew(milliseconds: milliseconds))
        let id = try ClientOrderID("e2e-skew")
        let placed = try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: id))
        #expect(placed.status == .filled)
        #expect(await simulation.orders(withClientOrderID: "e2e-skew") == 1)
        if milliseconds == 3_000 {
            // 3 s behind the server is inside the 5 s receive window: accepted as it is.
            #expect(simulation.binance.clock.offset == 0)
        } else {
            #expect(simulation.binance.clock.offset == Double(milliseconds) / 1000, "resynchronised")
        }
        _ = try await client.balances()
    }

    @Test("an expired key: keyExpired")
    func expiredKey() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        await simulation.exchange.setFaultPlan(FaultPlan().expiringKey(SimulatedExchange.standardTradeKey.apiKey))
        let error = try await #require(throws: ExchangeError.self) { try await client.balances() }
        #expect(error.kind == .keyExpired)
        #expect(error.code == "-2015")
    }

    @Test("reconcile: a placed order is returned; an unknown symbol or a missing one is an invalid request")
    func reconcileEdges() async throws {
        let simulation = BinanceSimulation()
        let client = try await simulation.client()
        let id = try ClientOrderID("e2e-reconcile")
        let placed = try await client.place(.limit(.buy, "ETH/USDT", quantity: 1, price: 3000, clientOrderID: id))
        #expect(try await client.reconcile(id).exchangeOrderID == placed.exchangeOrderID)
        let unknownSymbol = try await #require(throws: ExchangeError.self) {
            try await client.reconcile(id, on: "DOGE/USDT")
        }
        #expect(unknownSymbol.kind == .invalidRequest)
        let noSymbol = try await #require(throws: ExchangeError.self) {
            try await client.reconcile(try ClientOrderID("never-seen"))
        }
        #expect(noSymbol.kind == .invalidRequest)
        let neverPlaced = try await #require(throws: ExchangeError.self) {
            try await client.reconcile(try ClientOrderID("never-seen"), on: "ETH/USDT:USDT")
        }
        #expect(neverPlaced.kind == .orderNotFound)
        #expect(neverPlaced.symbol == "ETH/USDT:USDT")
    }

    @Test("the governor counts Binance's request weights and reads X-MBX-USED-WEIGHT-1M")
    func governorWeights() async throws {
        let simulation = BinanceSimulation(environment: .live)
        let client = try await simulation.client()
        let spotBefore = simulation.binance.governor.usage(forHost: "api.binance.com").usedWeight
        _ = try await client.instruments(.spot)
        _ = try await client.balances()
        let spot = simulation.binance.governor.usage(forHost: "api.binance.com")
        #expect(spot.usedWeight - spotBefore >= 40, "exchangeInfo 20 + account 20")
        #expect(spot.limit == 6000)
        #expect(spot.reportedUsedWeight != nil)
        #expect(client.rateLimitHeaders.spot.usedWeight["1M"] == spot.reportedUsedWeight)
        _ = try await client.positions()
        #expect(simulation.binance.governor.usage(forHost: "fapi.binance.com").limit == 2400)
    }

    // MARK: Over a real socket

    @Test("over a real socket: SimulatorServer, URLSessionTransport, Binance.local(baseURL)")
    func overSocket() async throws {
        let time = FixedTimeSource(fixedStart)
        let exchange = SimulatedExchange.standard(for: .binance, configuration: .init(timeSource: time))
        let server = SimulatorServer(exchange: exchange, dialect: .binance)
        try server.start()
        defer { server.stop() }
        let simulation = BinanceSimulation(
            environment: .local(server.baseURL),
            transport: URLSessionTransport(configuration: .init(timeout: .seconds(30))), exchange: exchange, time: time)
        let client = try await simulation.client()
        #expect(client.permissions == [.read, .spotTrade, .futuresTrade])
        let btc = try await client.instrument("BTC/USDT")
        let limit = try await client.place(btc.rounded(.limit(.buy, "BTC/USDT", quantity: try exactly("0.0002"), price: 50_000)))
        #expect(limit.status == .new)
        #expect(try await client.cancel(limit.reference).status == .cancelled)
        await exchange.setFaultPlan(FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST")))
        let id = try ClientOrderID("socket-lost")
        let placed = try await client.place(.market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: id))
        #expect(placed.status == .filled)
        let held = await exchange.orders(withClientOrderID: "socket-lost")
        let faults = await exchange.injectedFaults()
        let requests = await exchange.requestCount
        #expect(held.count == 1, "\(held) \(faults) requests \(requests) journal \(client.journal.entries)")
    }
}
