import Foundation
import Testing
import TradeOnly
import TradeOnlyBybit
import TradeOnlySimulator

/// The Bybit client against the simulator's Bybit dialect, end to end: key verification, market data,
/// the life of spot and perpetual orders, balances and positions.
@Suite("Bybit end to end against the simulator")
struct BybitEndToEndTests {
    @Test("verify: the standard trade key is accepted with read, spot and futures trade, for the local environment")
    func verifyTradeKey() async throws {
        let simulation = BybitSimulation()
        let key = try await simulation.verify(policy: KeyPolicy.tradeOnly.requiring([.spotTrade, .futuresTrade]).requiringIPWhitelist())
        #expect(key.exchange == "bybit")
        #expect(key.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(key.environment == "local")
        #expect(key.report.isIPRestricted)
        #expect(key.report.ipWhitelist == ["127.0.0.1"])
        #expect(key.report.unknownCapabilities.isEmpty)
    }

    @Test("verify: the standard withdraw key is refused, naming the withdrawal permission")
    func verifyWithdrawKey() async throws {
        let simulation = BybitSimulation()
        let error = await bybitError { _ = try await simulation.verify(SimulatedExchange.standardWithdrawKey) }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.message.lowercased().contains("withdraw") == true)
        #expect(error?.keyReport?.permissions.contains(.withdraw) == true)
        #expect(error?.keyReport?.fundsMovingPermissions.contains(.withdraw) == true)
    }

    @Test("verify: a key the simulator does not know is an authentication error (10003)")
    func verifyUnknownKey() async throws {
        let simulation = BybitSimulation()
        let unknown = SimulatedKey(apiKey: "unknownBybitKey0000000001", secret: "unknownBybitSecret000000001", permissions: [.read])
        let error = await bybitError { _ = try await simulation.verify(unknown) }
        #expect(error?.kind == .authentication)
        #expect(error?.code == "10003")
        #expect(error?.message.contains("local") == true)
    }

    @Test("a key verified on the local simulator cannot trade on live: refused here, nothing reaches any exchange")
    func localKeyNotOnLive() async throws {
        let simulation = BybitSimulation()
        let key = try await simulation.verify()
        let before = await simulation.exchange.requestCount
        let live = Bybit(environment: .live, transport: simulation.exchange.transport(for: .bybit), timeSource: simulation.time)
        let client = live.client(key)
        for call in [
            { _ = try await client.balances() },
            { _ = try await client.place(.market(.buy, "BTC/USDT", quantity: dec("0.001"))) },
        ] as [@Sendable () async throws -> Void] {
            let error = await bybitError { try await call() }
            #expect(error?.kind == .invalidRequest)
        }
        #expect(await simulation.exchange.requestCount == before)
    }

    @Test("market data: spot and perpetual instruments with their rules, ticker, order book")
    func marketData() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        let spot = try await client.instruments(.spot)
        #expect(spot.map(\.symbol) == ["BTC/USDT", "ETH/USDT"])
        let btc = try await client.instrument("BTC/USDT")
        #expect(btc.tickSize == dec("0.01"))
        #expect(btc.quantityStep == dec("0.000001"))
        #expect(btc.minimumNotional == 5)
        let perpetuals = try await client.instruments(.linearPerpetual)
        #expect(perpetuals.map(\.symbol) == ["BTC/USDT:USDT", "ETH/USDT:USDT"])
        let perpetual = try await client.instrument("BTC/USDT:USDT")
        #expect(perpetual.tickSize == dec("0.1"))
        #expect(perpetual.quantityStep == dec("0.001"))
        #expect(perpetual.minimumQuantity == dec("0.001"))
        #expect(perpetual.settleAsset == "USDT")

        let ticker = try await client.ticker("BTC/USDT")
        #expect(ticker.lastPrice == 65_000)
        let bid = try #require(ticker.bidPrice)
        let ask = try #require(ticker.askPrice)
        #expect(bid < 65_000 && 65_000 < ask)
        let book = try await client.orderBook("BTC/USDT:USDT", depth: 5)
        #expect(book.symbol == "BTC/USDT:USDT")
        let bestBid = try #require(book.bids.first?.price)
        let bestAsk = try #require(book.asks.first?.price)
        #expect(bestBid < bestAsk)
        #expect(!book.bids.isEmpty && book.bids.count <= 5)
    }

    @Test(
        "spot: a rounded limit order rests, is found by both ids and in open orders, is cancelled; a market order fills and balances move by exactly the fill and fee"
    )
    func spotLifecycle() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        let btc = try await client.instrument("BTC/USDT")
        let id = try ClientOrderID("e2e-spot-limit")
        let request = btc.rounded(
            .limit(
                .buy, btc.symbol, quantity: dec("0.0012345678"), price: dec("61750.127"), clientOrderID: id))
        #expect(request.quantity == dec("0.001234"))
        #expect(request.price == dec("61750.12"))

        let placed = try await client.place(request)
        #expect(placed.clientOrderID == id.rawValue)
        #expect(placed.status == .new)
        let byExchangeID = try await client.order(placed.reference)
        #expect(byExchangeID.status == .new)
        #expect(byExchangeID.price == dec("61750.12"))
        #expect(byExchangeID.quantity == dec("0.001234"))
        #expect(byExchangeID.clientOrderID == id.rawValue)
        let byClientID = try await client.order(.clientID(id, on: btc.symbol))
        #expect(byClientID.exchangeOrderID == placed.exchangeOrderID)
        #expect(try await client.openOrders(for: btc.symbol).map(\.exchangeOrderID) == [placed.exchangeOrderID])
        let locked = try #require(try await client.balances().first { $0.asset == "USDT" })
        #expect(locked.locked == dec("61750.12") * dec("0.001234"))

        let cancelled = try await client.cancel(placed.reference)
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.exchangeOrderID == placed.exchangeOrderID)
        #expect(try await client.openOrders(for: btc.symbol).isEmpty)
        #expect(client.journal.entry(for: id)?.state == .placed(exchangeOrderID: placed.exchangeOrderID, status: .new))

        let before = try await client.balances()
        let marketID = try ClientOrderID("e2e-spot-market")
        let market = try await client.place(.market(.buy, btc.symbol, quantity: dec("0.001"), clientOrderID: marketID))
        #expect(market.status == .new, "Bybit acknowledges with ids only")
        let filled = try await client.order(.clientID(marketID, on: btc.symbol))
        #expect(filled.status == .filled)
        #expect(filled.filledQuantity == dec("0.001"), "marketUnit=baseCoin: the quantity is BTC, not USDT")
        let fills = try await client.fills(for: btc.symbol).filter { $0.clientOrderID == marketID.rawValue }
        #expect(!fills.isEmpty)
        #expect(fills.reduce(0) { $0 + $1.quantity } == dec("0.001"))
        #expect(fills.allSatisfy { $0.feeAsset == "BTC" && $0.side == .buy })
        let fee = fills.reduce(Decimal(0)) { $0 + $1.fee }
        let cost = fills.reduce(Decimal(0)) { $0 + $1.price * $1.quantity }
        #expect(fee > 0)

        let after = try await client.balances()
        func total(_ balances: [Balance], _ asset: String) -> Decimal { balances.first { $0.asset == asset }?.total ?? 0 }
        #expect(total(after, "BTC") - total(before, "BTC") == dec("0.001") - fee)
        #expect(total(before, "USDT") - total(after, "USDT") == cost)
        #expect(await simulation.totals()["BTC"] == total(after, "BTC"))
    }

    @Test("perpetual: a market buy opens a long position, a reduce-only market sell closes it; fills and the wallet agree")
    func perpetualLifecycle() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        let symbol: Symbol = "BTC/USDT:USDT"
        let start = try await client.balances(for: .linearPerpetual)
        _ = try await client.place(.market(.buy, symbol, quantity: dec("0.01"), clientOrderID: try ClientOrderID("e2e-perp-open")))
        let positions = try await client.positions()
        let position = try #require(positions.first)
        #expect(positions.count == 1)
        #expect(position.symbol == symbol)
        #expect(position.side == .long)
        #expect(position.quantity == dec("0.01"))
        #expect(position.leverage == 10)
        let usdt = try #require(try await client.balances(for: .linearPerpetual).first { $0.asset == "USDT" })
        #expect(usdt.locked > 0, "the position's margin is held")

        _ = try await client.place(
            .market(
                .sell, symbol, quantity: dec("0.01"), reduceOnly: true, clientOrderID: try ClientOrderID("e2e-perp-close")))
        #expect(try await client.positions().isEmpty)
        let fills = try await client.fills(for: symbol)
        #expect(fills.map(\.side) == [.buy, .sell])
        #expect(fills.allSatisfy { $0.feeAsset == "USDT" && $0.quantity == dec("0.01") })
        let pnl = fills[1].price * fills[1].quantity - fills[0].price * fills[0].quantity
        let fees = fills.reduce(Decimal(0)) { $0 + $1.fee }
        let end = try await client.balances(for: .linearPerpetual)
        func total(_ balances: [Balance], _ asset: String) -> Decimal { balances.first { $0.asset == asset }?.total ?? 0 }
        #expect(total(end, "USDT") - total(start, "USDT") == pnl - fees)
        #expect(end.first { $0.asset == "USDT" }?.locked == 0)
    }

    @Test("post-only crossing the book: Bybit accepts it, then cancels it; the client reads it back and throws orderRejected; nothing fills")
    func postOnlyCrossing() async throws {
        let simulation = BybitSimulation()
        let client = try await simulation.client()
        let id = try ClientOrderID("e2e-post-only")
        let error = await caughtError {
            _ = try await client.place(
                .limit(
                    .buy, "BTC/USDT", quantity: dec("0.001"), price: 66_000, postOnly: true, clientOrderID: id))
        }
        #expect(error?.kind == .orderRejected)
        #expect(error?.rule == Instrument.Rule.postOnly)
        #expect(simulation.log.all.contains { $0.hasPrefix("GET /v5/order/realtime?") && $0.contains("orderLinkId=e2e-post-only") })
        let order = try await client.order(.clientID(id, on: "BTC/USDT"))
        #expect(order.status == .cancelled)
        #expect(order.isPostOnly)
        #expect(order.filledQuantity == 0)
        #expect(try await client.fills(for: "BTC/USDT").isEmpty)
    }

    @Test("pagination with a page size of 1: instruments, open orders, positions and fills follow every cursor")
    func pagination() async throws {
        let simulation = BybitSimulation(pageSize: 1)
        let client = try await simulation.client()
        #expect(try await client.instruments(.linearPerpetual).map(\.symbol) == ["BTC/USDT:USDT", "ETH/USDT:USDT"])
        #expect(simulation.log.all.contains { $0.hasPrefix("GET /v5/market/instruments-info?") && $0.contains("cursor=") })

        var placed: [String] = []
        for (index, price) in [dec("60000"), dec("60001"), dec("60002")].enumerated() {
            let order = try await client.place(
                .limit(
                    .buy, "BTC/USDT", quantity: dec("0.001"), price: price, clientOrderID: try ClientOrderID("e2e-page-\(index)")))
            placed.append(order.exchangeOrderID)
        }
        let open = try await client.openOrders(for: "BTC/USDT")
        #expect(Set(open.map(\.exchangeOrderID)) == Set(placed))
        #expect(open.count == 3)
        #expect(simulation.log.all.filter { $0.hasPrefix("GET /v5/order/realtime?") && $0.contains("cursor=") }.count == 2)

        _ = try await client.place(.market(.buy, "BTC/USDT:USDT", quantity: dec("0.001")))
        _ = try await client.place(.market(.sell, "ETH/USDT:USDT", quantity: dec("0.01")))
        let positions = try await client.positions()
        #expect(Set(positions.map(\.symbol)) == ["BTC/USDT:USDT", "ETH/USDT:USDT"])
        #expect(positions.first { $0.symbol == "ETH/USDT:USDT" }?.side == .short)
        #expect(simulation.log.all.contains { $0.hasPrefix("GET /v5/position/list?") && $0.contains("cursor=") })

        for _ in 0..<3 { _ = try await client.place(.market(.buy, "BTC/USDT", quantity: dec("0.001"))) }
        let fills = try await client.fills(for: "BTC/USDT", limit: 10)
        #expect(fills.count == 3)
        #expect(fills.map(\.time) == fills.map(\.time).sorted(), "oldest first")
        #expect(simulation.log.all.filter { $0.hasPrefix("GET /v5/execution/list?") && $0.contains("cursor=") }.count >= 2)
    }
}
