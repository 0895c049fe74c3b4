import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("Binance USDⓈ-M futures: positions and margin")
struct FuturesTests {
    func order(
        _ side: String, _ quantity: String, type: String = "MARKET", price: String? = nil, tif: String? = nil,
        reduceOnly: Bool = false, id: String? = nil, response: String? = nil
    ) -> [(String, String)] {
        var parameters = [("symbol", "BTCUSDT"), ("side", side), ("type", type), ("quantity", quantity)]
        if let price { parameters.append(("price", price)) }
        if let tif { parameters.append(("timeInForce", tif)) }
        if reduceOnly { parameters.append(("reduceOnly", "true")) }
        if let id { parameters.append(("newClientOrderId", id)) }
        if let response { parameters.append(("newOrderRespType", response)) }
        return parameters
    }

    @Test("open a long, mark it to a new price, close it reduce-only: margin, fees and PnL add up exactly")
    func longRoundTrip() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let open = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.01", response: "RESULT"))
        #expect(open["status"] as? String == "FILLED")
        #expect(open["avgPrice"] as? String == "65006.5")
        #expect(open["cumQuote"] as? String == "650.065")
        // Margin 650.065 / 10 moves to locked; the taker fee 0.05 % is paid from free.
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: dec("99934.6684675"), locked: dec("65.0065")))
        var position = await fixture.exchange.position(for: "BTC/USDT:USDT")
        #expect(position.size == dec("0.01"))
        #expect(position.entryPrice == dec("65006.5"))

        await fixture.exchange.setPrice(66_000, for: "BTC/USDT:USDT")
        let risk = try await client.signed(.get, "/fapi/v3/positionRisk", [("symbol", "BTCUSDT")])
        let entry = try #require(risk.array.first)
        #expect(entry["positionAmt"] as? String == "0.01")
        #expect(entry["markPrice"] as? String == "66000")
        #expect(entry["unRealizedProfit"] as? String == "9.935")

        // Reduce-only for more than the position closes exactly the position; the rest expires.
        let close = try await client.signed(.post, "/fapi/v1/order", order("SELL", "0.02", reduceOnly: true, response: "RESULT"))
        #expect(close["status"] as? String == "EXPIRED")
        #expect(close["executedQty"] as? String == "0.01")
        #expect(close["reduceOnly"] as? Bool == true)
        position = await fixture.exchange.position(for: "BTC/USDT:USDT")
        #expect(position.size == 0)
        #expect(position.realizedPnL == dec("9.869"))
        // 99934.6684675 + 65.0065 (margin back) + 9.869 (PnL) − 0.329967 (fee)
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: dec("100009.2140005")))
        let trades = try await client.signed(.get, "/fapi/v1/userTrades", [("symbol", "BTCUSDT")])
        #expect(trades.array.map { $0["realizedPnl"] as? String } == ["0", "9.869"])
    }

    @Test("a short can be opened and flipped to a long by one order")
    func flip() async throws {
        let fixture = Fixture { $0.liquidity.halfSpread = 0 }
        let client = fixture.binance()
        _ = try await client.signed(.post, "/fapi/v1/order", order("SELL", "0.01"))
        #expect(await fixture.exchange.position(for: "BTC/USDT:USDT").size == dec("-0.01"))
        await fixture.exchange.setPrice(64_000, for: "BTC/USDT:USDT")
        _ = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.03"))
        let position = await fixture.exchange.position(for: "BTC/USDT:USDT")
        #expect(position.size == dec("0.02"))
        #expect(position.entryPrice == 64_000)
        #expect(position.realizedPnL == 10)
        #expect(position.margin == dec("128"))
    }

    @Test("reduce-only without a position is rejected with -2022")
    func reduceOnlyWithoutPosition() async throws {
        let reply = try await Fixture().binance().signed(.post, "/fapi/v1/order", order("SELL", "0.01", reduceOnly: true))
        #expect(reply.code == -2022)
        let bad = try await Fixture().binance().signed(.post, "/fapi/v1/order", order("SELL", "0.01") + [("reduceOnly", "yes")])
        #expect(bad.code == -1130)
    }

    @Test(
        "futures rules: -4164 min notional, -4014 tick, -1111 precision, -4023 step, -2019 margin, -4116 duplicate",
        arguments: [
            (["BUY", "0.001", "LIMIT", "65000"], -4164),
            (["BUY", "0.01", "LIMIT", "65000.05"], -4014),
            (["BUY", "0.01", "LIMIT", "65000.001"], -1111),
            (["BUY", "0.0105", "LIMIT", "65000"], -1111),
            (["BUY", "100", "LIMIT", "60000"], -2019),
        ])
    func rules(values: [String], code: Int) async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance().signed(
            .post, "/fapi/v1/order", order(values[0], values[1], type: values[2], price: values[3], tif: "GTC"))
        #expect(reply.code == code, "\(reply.text)")
        #expect(await fixture.exchange.allOrders().isEmpty)
    }

    @Test("a step violation within precision is -4023; a duplicate open client order id is -4116")
    func stepAndDuplicate() async throws {
        let fixture = Fixture { $0.liquidity.isEnabled = false }
        await fixture.exchange.addInstrument(
            Instrument(
                symbol: "ETH/USDT:USDT", exchangeSymbol: "ETHUSDT", tickSize: dec("0.01"), quantityStep: dec("0.005"),
                minimumQuantity: dec("0.005"), minimumNotional: 20))
        let client = fixture.binance()
        let step = try await client.signed(
            .post, "/fapi/v1/order",
            [("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.012"), ("price", "3000")])
        #expect(step.code == -4023)
        let first = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.01", type: "LIMIT", price: "60000", tif: "GTC", id: "fut-1"))
        #expect(first["status"] as? String == "NEW")
        let again = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.01", type: "LIMIT", price: "60000", tif: "GTC", id: "fut-1"))
        #expect(again.code == -4116)
        #expect(await fixture.exchange.orders(withClientOrderID: "fut-1").count == 1)
    }

    @Test("GTX is post-only: crossing gets -5022, passive rests and reserves margin; cancel-all releases it")
    func postOnly() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let crossing = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.01", type: "LIMIT", price: "65100", tif: "GTX"))
        #expect(crossing.code == -5022)
        let passive = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.01", type: "LIMIT", price: "64000", tif: "GTX"))
        #expect(passive["timeInForce"] as? String == "GTX")
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 99_936, locked: 64))
        let account = try await client.signed(.get, "/fapi/v3/account")
        #expect(account["totalOpenOrderInitialMargin"] as? String == "64")
        let cancelled = try await client.signed(.delete, "/fapi/v1/allOpenOrders", [("symbol", "BTCUSDT")])
        #expect(cancelled.code == 200)
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 100_000))
    }

    @Test("ACK answers the order as accepted (NEW), RESULT as executed; leverage changes the margin")
    func responseTypesAndLeverage() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let leverage = try await client.signed(.post, "/fapi/v1/leverage", [("symbol", "BTCUSDT"), ("leverage", "20")])
        #expect(leverage["leverage"] as? Int == 20)
        let ack = try await client.signed(.post, "/fapi/v1/order", order("BUY", "0.01", id: "ack-1"))
        #expect(ack["status"] as? String == "NEW")
        let query = try await client.signed(.get, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "ack-1")])
        #expect(query["status"] as? String == "FILLED")
        #expect(await fixture.exchange.position(for: "BTC/USDT:USDT").margin == dec("32.50325"))
        let balance = try await client.signed(.get, "/fapi/v3/balance")
        #expect(balance.array.first?["asset"] as? String == "USDT")
        #expect(balance.array.first?["crossUnPnl"] as? String == "-0.065")
    }

    @Test("futures exchangeInfo reports the filters, with pricePrecision distinct from the tick size")
    func exchangeInfo() async throws {
        let info = try await Fixture().binance().get("/fapi/v1/exchangeInfo")
        let btc = try #require((info["symbols"] as? [[String: Any]])?.first { $0["symbol"] as? String == "BTCUSDT" })
        #expect(btc["contractType"] as? String == "PERPETUAL")
        #expect(btc["pricePrecision"] as? Int == 2)
        let filters = try #require(btc["filters"] as? [[String: Any]])
        #expect(filters.first { $0["filterType"] as? String == "PRICE_FILTER" }?["tickSize"] as? String == "0.1")
        #expect(filters.first { $0["filterType"] as? String == "MIN_NOTIONAL" }?["notional"] as? String == "100")
    }
}
