import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("Bybit v5 trading")
struct BybitTradingTests {
    func spot(_ side: String, _ type: String, _ quantity: String, price: String? = nil, extra: [(String, String)] = []) -> [(String, String)] {
        var members = [("category", "spot"), ("symbol", "BTCUSDT"), ("side", side), ("orderType", type), ("qty", quantity)]
        if let price { members.append(("price", price)) }
        return members + extra
    }

    func linear(_ side: String, _ type: String, _ quantity: String, price: String? = nil, extra: [(String, String)] = []) -> [(String, String)] {
        var members = [("category", "linear"), ("symbol", "BTCUSDT"), ("side", side), ("orderType", type), ("qty", quantity)]
        if let price { members.append(("price", price)) }
        return members + extra
    }

    @Test("a spot market Buy without marketUnit is in QUOTE units: qty 100 spends 100 USDT")
    func marketBuyInQuoteUnits() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let reply = try await client.post("/v5/order/create", spot("Buy", "Market", "100", extra: [("orderLinkId", "quote-buy")]))
        #expect(reply.code == 0)
        let order = try #require(await fixture.exchange.orders(withClientOrderID: "quote-buy").first)
        #expect(order.quoteQuantity == 100)
        #expect(order.filledQuantity == dec("0.001538"))
        #expect(order.filledQuote == dec("99.979997"))
        let listed = try await client.get("/v5/order/realtime", [("category", "spot"), ("orderLinkId", "quote-buy")])
        let item = try #require((listed.result["list"] as? [[String: Any]])?.first)
        #expect(item["qty"] as? String == "100")
        #expect(item["marketUnit"] as? String == "quoteCoin")
        #expect(item["cumExecQty"] as? String == "0.001538")
        #expect(item["orderStatus"] as? String == "Filled")

        // The trap: "qty 0.001" meant as BTC is 0.001 USDT without marketUnit=baseCoin.
        let trap = try await client.post("/v5/order/create", spot("Buy", "Market", "0.001"))
        #expect(trap.code == 170140)
        let base = try await client.post(
            "/v5/order/create", spot("Buy", "Market", "0.001", extra: [("marketUnit", "baseCoin"), ("orderLinkId", "base-buy")]))
        #expect(base.code == 0)
        #expect(await fixture.exchange.orders(withClientOrderID: "base-buy").first?.filledQuantity == dec("0.001"))
        // A market Sell is in base units.
        let sell = try await client.post("/v5/order/create", spot("Sell", "Market", "0.001", extra: [("orderLinkId", "base-sell")]))
        #expect(sell.code == 0)
        #expect(await fixture.exchange.orders(withClientOrderID: "base-sell").first?.filledQuantity == dec("0.001"))
    }

    @Test("a duplicate orderLinkId is refused with 110072, even after the first order finished")
    func duplicateLink() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let first = try await client.post("/v5/order/create", spot("Buy", "Market", "10", extra: [("orderLinkId", "link-1")]))
        #expect(first.code == 0)
        let second = try await client.post("/v5/order/create", spot("Buy", "Market", "10", extra: [("orderLinkId", "link-1")]))
        #expect(second.code == 110072)
        #expect(await fixture.exchange.orders(withClientOrderID: "link-1").count == 1)
    }

    @Test(
        "spot rules: 170134 price decimals, 170137 quantity decimals, 170136 minimum quantity, 170140 minimum value, 170131 balance",
        arguments: [
            (["Limit", "0.001", "60000.001"], 170134),
            (["Limit", "0.0000001", "60000"], 170137),
            (["Limit", "0.00001", "60000"], 170136),
            (["Limit", "0.00005", "60000"], 170140),
            (["Limit", "2", "60000"], 170131),
        ])
    func spotRules(values: [String], code: Int) async throws {
        let fixture = Fixture(.bybit)
        let reply = try await fixture.bybit().post("/v5/order/create", spot("Buy", values[0], values[1], price: values[2]))
        #expect(reply.code == code, "\(reply.text)")
        #expect(await fixture.exchange.allOrders().isEmpty)
    }

    @Test("qty must be a JSON string; isLeverage=1 is refused on an account without spot margin")
    func parameterTypes() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let number = try await client.post(
            "/v5/order/create", json: #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":100}"#)
        #expect(number.code == 10001)
        let leverage = try await client.post("/v5/order/create", spot("Buy", "Market", "100", extra: [("isLeverage", "1")]))
        #expect(leverage.code == 10001)
        #expect(await fixture.exchange.allOrders().isEmpty)
    }

    @Test("a crossing PostOnly order is accepted and cancelled at once, as Bybit does")
    func postOnly() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let reply = try await client.post(
            "/v5/order/create", spot("Buy", "Limit", "0.001", price: "65100", extra: [("timeInForce", "PostOnly"), ("orderLinkId", "po-1")]))
        #expect(reply.code == 0)
        let listed = try await client.get("/v5/order/realtime", [("category", "spot"), ("orderLinkId", "po-1")])
        let item = try #require((listed.result["list"] as? [[String: Any]])?.first)
        #expect(item["orderStatus"] as? String == "Cancelled")
        #expect(item["rejectReason"] as? String == "EC_PostOnlyWillTakeLiquidity")
        #expect(item["cumExecQty"] as? String == "0")
        #expect(await fixture.exchange.balance(of: "USDT").locked == 0)
    }

    @Test("cancel an open order; an unknown one is 110001")
    func cancel() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let placed = try await client.post("/v5/order/create", spot("Buy", "Limit", "0.001", price: "60000", extra: [("orderLinkId", "c-1")]))
        let orderID = try #require(placed.result["orderId"] as? String)
        #expect(await fixture.exchange.balance(of: "USDT").locked == 60)
        let cancel = try await client.post("/v5/order/cancel", [("category", "spot"), ("symbol", "BTCUSDT"), ("orderId", orderID)])
        #expect(cancel.code == 0)
        #expect(cancel.result["orderLinkId"] as? String == "c-1")
        #expect(await fixture.exchange.balance(of: "USDT") == SimulatedBalance(free: 100_000))
        let again = try await client.post("/v5/order/cancel", [("category", "spot"), ("symbol", "BTCUSDT"), ("orderLinkId", "c-1")])
        #expect(again.code == 110001)
        let history = try await client.get("/v5/order/history", [("category", "spot")])
        #expect((history.result["list"] as? [[String: Any]])?.first?["cancelType"] as? String == "CancelByUser")
    }

    @Test("linear: open, reduce-only close, positions, executions; 110017, 110094, 110007")
    func linearTrading() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        #expect(try await client.post("/v5/order/create", linear("Sell", "Market", "0.01", extra: [("reduceOnly", "true")])).code == 110017)
        let open = try await client.post("/v5/order/create", linear("Buy", "Market", "0.01", extra: [("orderLinkId", "long-1")]))
        #expect(open.code == 0)
        #expect((open.result["orderId"] as? String)?.count == 36)
        let positions = try await client.get("/v5/position/list", [("category", "linear"), ("symbol", "BTCUSDT")])
        let position = try #require((positions.result["list"] as? [[String: Any]])?.first)
        #expect(position["side"] as? String == "Buy")
        #expect(position["size"] as? String == "0.01")
        #expect(position["avgPrice"] as? String == "65006.5")
        #expect(position["positionIdx"] as? Int == 0)
        let close = try await client.post(
            "/v5/order/create", json: #"{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"0.05","reduceOnly":true}"#)
        #expect(close.code == 0)
        #expect(await fixture.exchange.position(for: "BTC/USDT:USDT").size == 0)
        let executions = try await client.get("/v5/execution/list", [("category", "linear"), ("symbol", "BTCUSDT")])
        let list = try #require(executions.result["list"] as? [[String: Any]])
        #expect(list.map { $0["execQty"] as? String } == ["0.01", "0.01"])
        #expect(list.first?["feeRate"] as? String == "0.0005")

        await fixture.exchange.setPrice(1000, for: "BTC/USDT:USDT")
        #expect(try await client.post("/v5/order/create", linear("Buy", "Market", "0.001")).code == 110094)
        await fixture.exchange.setPrice(65_000, for: "BTC/USDT:USDT")
        #expect(try await client.post("/v5/order/create", linear("Buy", "Limit", "500", price: "60000")).code == 110007)
        #expect(try await client.post("/v5/order/create", linear("Buy", "Limit", "0.0001", price: "60000")).code == 110017)
        #expect(try await client.post("/v5/order/create", linear("Buy", "Limit", "0.0015", price: "60000")).code == 10001)
    }

    @Test("wallet balance reports wallet, locked, position and order margin per coin")
    func walletBalance() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        _ = try await client.post("/v5/order/create", spot("Buy", "Limit", "0.001", price: "60000"))
        _ = try await client.post("/v5/order/create", linear("Buy", "Limit", "0.01", price: "60000"))
        let wallet = try await client.get("/v5/account/wallet-balance", [("accountType", "UNIFIED"), ("coin", "USDT")])
        let account = try #require((wallet.result["list"] as? [[String: Any]])?.first)
        let coin = try #require((account["coin"] as? [[String: Any]])?.first)
        #expect(coin["walletBalance"] as? String == "100000")
        #expect(coin["locked"] as? String == "60")
        #expect(coin["totalOrderIM"] as? String == "60")
        #expect(coin["availableToWithdraw"] as? String == "99880")
        #expect(account["accountType"] as? String == "UNIFIED")
        let contract = try await client.get("/v5/account/wallet-balance", [("accountType", "CONTRACT")])
        #expect(contract.code == 10001)
    }

    @Test("cursor pagination: instruments, open orders and positions, with a small page size, cursor sent back verbatim")
    func pagination() async throws {
        let fixture = Fixture(.bybit) { $0.maximumPageSize = 1 }
        let client = fixture.bybit()
        let first = try await client.get("/v5/market/instruments-info", [("category", "linear")], signed: false)
        let cursor = try #require(first.result["nextPageCursor"] as? String)
        #expect(cursor == "page_args%3D1%26")
        #expect((first.result["list"] as? [[String: Any]])?.first?["symbol"] as? String == "BTCUSDT")
        let second = try await client.getRaw("/v5/market/instruments-info", query: "category=linear&cursor=" + cursor, signed: false)
        #expect((second.result["list"] as? [[String: Any]])?.first?["symbol"] as? String == "ETHUSDT")
        #expect(second.result["nextPageCursor"] as? String == "")

        for price in ["60000", "59000", "58000"] {
            _ = try await client.post("/v5/order/create", spot("Buy", "Limit", "0.001", price: price))
        }
        var seen: [String] = []
        var query = "category=spot"
        for _ in 0..<5 {
            let page = try await client.getRaw("/v5/order/realtime", query: query)
            #expect(page.code == 0, "\(page.text)")
            seen += (page.result["list"] as? [[String: Any]] ?? []).compactMap { $0["price"] as? String }
            guard let next = page.result["nextPageCursor"] as? String, !next.isEmpty else { break }
            query = "category=spot&cursor=" + next
        }
        #expect(seen == ["58000", "59000", "60000"])

        _ = try await client.post("/v5/order/create", linear("Buy", "Market", "0.001"))
        _ = try await client.post(
            "/v5/order/create", [("category", "linear"), ("symbol", "ETHUSDT"), ("side", "Sell"), ("orderType", "Market"), ("qty", "0.01")])
        let firstPositions = try await client.get("/v5/position/list", [("category", "linear"), ("settleCoin", "USDT")])
        let positionCursor = try #require(firstPositions.result["nextPageCursor"] as? String)
        #expect(!positionCursor.isEmpty)
        let secondPositions = try await client.getRaw("/v5/position/list", query: "category=linear&settleCoin=USDT&cursor=" + positionCursor)
        let sides = [firstPositions, secondPositions].compactMap { ($0.result["list"] as? [[String: Any]])?.first?["side"] as? String }
        #expect(sides == ["Buy", "Sell"])
        #expect(secondPositions.result["nextPageCursor"] as? String == "")
    }

    @Test("market data: instruments rules, tickers, order book, kline, time")
    func marketData() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let spot = try await client.get("/v5/market/instruments-info", [("category", "spot"), ("symbol", "BTCUSDT")], signed: false)
        let lot = try #require(((spot.result["list"] as? [[String: Any]])?.first)?["lotSizeFilter"] as? [String: Any])
        #expect(lot["basePrecision"] as? String == "0.000001")
        #expect(lot["minOrderAmt"] as? String == "5")
        let tickers = try await client.get("/v5/market/tickers", [("category", "linear"), ("symbol", "BTCUSDT")], signed: false)
        let ticker = try #require((tickers.result["list"] as? [[String: Any]])?.first)
        #expect(ticker["markPrice"] as? String == "65000")
        #expect(ticker["ask1Price"] as? String == "65006.5")
        let book = try await client.get("/v5/market/orderbook", [("category", "spot"), ("symbol", "BTCUSDT"), ("limit", "5")], signed: false)
        #expect((book.result["a"] as? [[String]])?.first == ["65006.5", "100"])
        let kline = try await client.get("/v5/market/kline", [("category", "spot"), ("symbol", "BTCUSDT"), ("interval", "1")], signed: false)
        #expect(((kline.result["list"] as? [[String]])?.first)?[4] == "65000")
        let time = try await client.get("/v5/market/time", signed: false)
        #expect(time.result["timeSecond"] as? String == "1700000000")
    }
}
