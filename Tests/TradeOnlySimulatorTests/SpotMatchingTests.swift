import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

/// The matching engine and the ledger, through Binance's spot wire protocol.
@Suite("Spot matching and balances")
struct SpotMatchingTests {
    static let otherKey = SimulatedKey(apiKey: "otherKey", secret: "otherSecret", account: "other", permissions: [.read, .spotTrade, .futuresTrade])

    func limit(_ side: String, _ quantity: String, _ price: String, tif: String = "GTC", id: String? = nil) -> [(String, String)] {
        var parameters = [("symbol", "BTCUSDT"), ("side", side), ("type", "LIMIT"), ("timeInForce", tif), ("quantity", quantity), ("price", price)]
        if let id { parameters.append(("newClientOrderId", id)) }
        return parameters
    }

    @Test("a limit buy rests; crossing sells fill it in parts at the maker's price; fees and balances add up exactly")
    func restingAndPartialFills() async throws {
        let fixture = Fixture { $0.liquidity = .disabled }
        await fixture.exchange.addKey(Self.otherKey)
        await fixture.exchange.addAccount("other", balances: ["BTC": 1])
        let main = fixture.binance()
        let other = fixture.binance(Self.otherKey)

        let buy = try await main.signed(.post, "/api/v3/order", limit("BUY", "0.002", "64000", id: "grid-buy-1"))
        #expect(buy["status"] as? String == "NEW")
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 99_872, locked: 128))

        let first = try await other.signed(.post, "/api/v3/order", limit("SELL", "0.0005", "64000"))
        #expect(first["status"] as? String == "FILLED")
        let fills = try #require(first["fills"] as? [[String: Any]])
        #expect(fills.count == 1)
        #expect(fills.first?["price"] as? String == "64000.00000000")
        #expect(fills.first?["commission"] as? String == "0.03200000")
        #expect(fills.first?["commissionAsset"] as? String == "USDT")
        let resting = try await main.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "grid-buy-1")])
        #expect(resting["status"] as? String == "PARTIALLY_FILLED")
        #expect(resting["executedQty"] as? String == "0.00050000")
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 99_872, locked: 96))
        #expect(await fixture.exchange.balance(of: "BTC") == SimulatedBalance(free: dec("1.0004995")))

        let second = try await other.signed(.post, "/api/v3/order", limit("SELL", "0.002", "63000"))
        #expect(second["status"] as? String == "PARTIALLY_FILLED")
        #expect(second["executedQty"] as? String == "0.00150000")
        #expect(second["cummulativeQuoteQty"] as? String == "96.00000000")
        let filled = try await main.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", String(buy["orderId"] as? Int ?? 0))])
        #expect(filled["status"] as? String == "FILLED")

        // main paid 128 USDT for 0.002 BTC less 0.1 % in BTC.
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 99_872, locked: 0))
        #expect(await fixture.exchange.balance(of: "BTC") == SimulatedBalance(free: dec("1.001998")))
        // other sold 0.002 for 128 USDT less 0.1 % in USDT; 0.0005 BTC still rests.
        #expect(await fixture.exchange.balance(of: "USDT", in: "other") == SimulatedBalance(free: dec("127.872")))
        #expect(await fixture.exchange.balance(of: "BTC", in: "other") == SimulatedBalance(free: dec("0.9975"), locked: dec("0.0005")))

        let trades = try await main.signed(.get, "/api/v3/myTrades", [("symbol", "BTCUSDT")])
        #expect(trades.array.count == 2)
        #expect(trades.array.allSatisfy { $0["isMaker"] as? Bool == true && $0["isBuyer"] as? Bool == true })
    }

    @Test("a market buy fills against the liquidity provider at price + half-spread")
    func marketAgainstLiquidity() async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance().signed(
            .post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect(reply["status"] as? String == "FILLED")
        #expect(reply["cummulativeQuoteQty"] as? String == "65.00650000")
        let fill = try #require((reply["fills"] as? [[String: Any]])?.first)
        #expect(fill["price"] as? String == "65006.50000000")
        #expect(fill["commission"] as? String == "0.00000100")
        #expect(await fixture.exchange.balance(of: "USDT").free == dec("99934.9935"))
        #expect(await fixture.exchange.balance(of: "BTC").free == dec("1.000999"))

        let sell = try await fixture.binance().signed(
            .post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect((sell["fills"] as? [[String: Any]])?.first?["price"] as? String == "64993.50000000")
    }

    @Test("a market order sized in quote (quoteOrderQty) buys what the money pays for, on the step")
    func quoteOrderQuantity() async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance().signed(
            .post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "100")])
        #expect(reply["executedQty"] as? String == "0.00153000")
        #expect(reply["origQuoteOrderQty"] as? String == "100.00000000")
        #expect(reply["cummulativeQuoteQty"] as? String == "99.45994500")
    }

    @Test("beyond the configured depth a market order fills partly and expires")
    func depthLimit() async throws {
        let fixture = Fixture { $0.liquidity.depth = dec("0.001") }
        let reply = try await fixture.binance().signed(
            .post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.003")])
        #expect(reply["status"] as? String == "EXPIRED")
        #expect(reply["executedQty"] as? String == "0.00100000")
    }

    @Test("IOC fills what it can and expires the rest; FOK fills all or nothing")
    func immediateOrders() async throws {
        let fixture = Fixture { $0.liquidity.depth = dec("0.001") }
        let client = fixture.binance()
        let ioc = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.003", "65010", tif: "IOC"))
        #expect(ioc["status"] as? String == "EXPIRED")
        #expect(ioc["executedQty"] as? String == "0.00100000")
        #expect(ioc["timeInForce"] as? String == "IOC")
        let before = await fixture.exchange.balances()
        let fok = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.003", "65010", tif: "FOK"))
        #expect(fok["status"] as? String == "EXPIRED")
        #expect(fok["executedQty"] as? String == "0.00000000")
        #expect(await fixture.exchange.balances() == before)
        let fits = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.001", "65010", tif: "FOK"))
        #expect(fits["status"] as? String == "FILLED")
        #expect(await fixture.exchange.openOrders().isEmpty)
    }

    @Test("a crossing LIMIT_MAKER is rejected (-2010) and nothing is recorded; a passive one rests")
    func postOnly() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        var order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT_MAKER"), ("quantity", "0.001"), ("price", "65010")]
        let rejected = try await client.signed(.post, "/api/v3/order", order)
        #expect(rejected.code == -2010)
        #expect(rejected["msg"] as? String == "Order would immediately match and take.")
        #expect(await fixture.exchange.allOrders().isEmpty)
        order[4] = ("price", "64000")
        let resting = try await client.signed(.post, "/api/v3/order", order)
        #expect(resting["orderId"] != nil)
        #expect(resting["status"] == nil) // LIMIT_MAKER answers ACK by default
        #expect(await fixture.exchange.openOrders().first?.isPostOnly == true)
    }

    @Test("cancel releases exactly what was locked; cancelling again -2011; an unknown order -2013")
    func cancel() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        _ = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.01", "60000.01", id: "c1"))
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: dec("99399.9999"), locked: dec("600.0001")))
        let cancelled = try await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "c1")])
        #expect(cancelled["status"] as? String == "CANCELED")
        #expect(cancelled["origClientOrderId"] as? String == "c1")
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 100_000))
        let again = try await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "c1")])
        #expect(again.code == -2011)
        let unknown = try await client.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", "999")])
        #expect(unknown.code == -2013)
        _ = try await client.signed(.post, "/api/v3/order", limit("SELL", "0.01", "70000"))
        _ = try await client.signed(.post, "/api/v3/order", limit("SELL", "0.02", "71000"))
        let all = try await client.signed(.delete, "/api/v3/openOrders", [("symbol", "BTCUSDT")])
        #expect(all.array.count == 2)
        #expect(await fixture.exchange.balance(of: "BTC") == SimulatedBalance(free: 1))
    }

    @Test("a client order id already used by an open order is refused; orders are counted per client id")
    func duplicateClientOrderID() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        _ = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.001", "60000", id: "once"))
        let duplicate = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.001", "60000", id: "once"))
        #expect(duplicate.code == -2010)
        #expect(duplicate["msg"] as? String == "Duplicate order sent.")
        #expect(await fixture.exchange.orders(withClientOrderID: "once").count == 1)
        _ = try await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "once")])
        _ = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.001", "60000", id: "once"))
        #expect(await fixture.exchange.orders(withClientOrderID: "once").count == 2)
        #expect(await fixture.exchange.allOrders().count == 2)
        let bad = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.001", "60000", id: "has space"))
        #expect(bad.code == -1100)
    }

    @Test(
        "filters: PRICE_FILTER, LOT_SIZE, NOTIONAL (-1013), precision (-1111), balance (-2010)",
        arguments: [
            (["0.001", "60000.001"], -1013, "Filter failure: PRICE_FILTER"),
            (["0.001", "60000.000000001"], -1111, "Parameter 'price' has too much precision."),
            (["0.000015", "60000"], -1013, "Filter failure: LOT_SIZE"),
            (["0.00005", "60000"], -1013, "Filter failure: NOTIONAL"),
            (["10", "60000"], -2010, "Account has insufficient balance for requested action."),
        ])
    func filters(values: [String], code: Int, message: String) async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance().signed(.post, "/api/v3/order", limit("BUY", values[0], values[1]))
        #expect(reply.status == 400)
        #expect(reply.code == code)
        #expect(reply["msg"] as? String == message)
        #expect(await fixture.exchange.allOrders().isEmpty)
    }

    @Test("when the price moves through a resting order, the liquidity provider fills it at its limit")
    func priceMoveFillsRestingOrders() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        _ = try await client.signed(.post, "/api/v3/order", limit("BUY", "0.001", "64000", id: "dip"))
        await fixture.exchange.setPrice(63_500, for: "BTC/USDT")
        let order = try #require(await fixture.exchange.orders(withClientOrderID: "dip").first)
        #expect(order.status == .filled)
        #expect(order.filledQuote == 64)
        #expect(await fixture.exchange.fills().first?.isMaker == true)
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 99_936))
    }

    @Test("market data: exchangeInfo filters, depth with the provider's quotes, ticker, klines")
    func marketData() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let info = try await client.get("/api/v3/exchangeInfo", [("symbol", "BTCUSDT")])
        let symbol = try #require((info["symbols"] as? [[String: Any]])?.first)
        let filters = try #require(symbol["filters"] as? [[String: Any]])
        let price = filters.first { $0["filterType"] as? String == "PRICE_FILTER" }
        #expect(price?["tickSize"] as? String == "0.01000000")
        #expect(filters.first { $0["filterType"] as? String == "LOT_SIZE" }?["stepSize"] as? String == "0.00001000")
        #expect(filters.first { $0["filterType"] as? String == "NOTIONAL" }?["minNotional"] as? String == "5.00000000")
        let depth = try await client.get("/api/v3/depth", [("symbol", "BTCUSDT"), ("limit", "5")])
        #expect((depth["asks"] as? [[String]])?.first == ["65006.50000000", "100.00000000"])
        #expect((depth["bids"] as? [[String]])?.first == ["64993.50000000", "100.00000000"])
        let ticker = try await client.get("/api/v3/ticker/price", [("symbol", "BTCUSDT")])
        #expect(ticker["price"] as? String == "65000.00000000")
        fixture.clock.advance(by: 60)
        await fixture.exchange.setPrice(65_500, for: "BTC/USDT")
        let klines = try await client.get("/api/v3/klines", [("symbol", "BTCUSDT"), ("interval", "1m"), ("limit", "2")])
        let candles = try #require(klines.json as? [[Any]])
        #expect(candles.count == 2)
        #expect(candles.last?[4] as? String == "65500.00000000")
        let unknown = try await client.get("/api/v3/ticker/price", [("symbol", "NOPE")])
        #expect(unknown.code == -1121)
    }
}
