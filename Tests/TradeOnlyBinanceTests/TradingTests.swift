import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Trading: exact bytes of every order call")
struct TradingTests {
    private let d = Fixtures.decimal

    static let ltcResult =
        #"{"symbol":"LTCBTC","orderId":4,"orderListId":-1,"clientOrderId":"myOrder1","transactTime":1499827319559,"price":"0.10000000","origQty":"1.00000000","executedQty":"0.00000000","origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":1499827319559,"selfTradePreventionMode":"NONE"}"#

    /// A client with the spot and futures rules cached.
    private func tradingClient(
        _ fake: FakeBinance, restrictions: String = "apiRestrictions-trade-only.json",
        configuration: Binance.Configuration = .init()
    ) async throws -> BinanceClient {
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        try fake.on(.get, "/fapi/v1/exchangeInfo", payload: "futures-exchangeInfo.json")
        let client = try await fake.client(restrictions: restrictions, configuration: configuration)
        _ = try await client.instruments(.spot)
        _ = try await client.instruments(.linearPerpetual)
        fake.transport.removeAllRequests()
        return client
    }

    @Test("B-S1 through the client: Binance's example order plus newClientOrderId and newOrderRespType, one POST")
    func publishedOrder() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        fake.on(.post, "/api/v3/order") { _, _ in HTTPResponse.json(TradingTests.ltcResult) }
        let order = try await client.place(
            .limit(.buy, "LTC/BTC", quantity: 1, price: try d("0.1"), clientOrderID: try ClientOrderID("myOrder1")))
        #expect(fake.apiRequests.count == 1)
        let sent = try #require(fake.apiRequests.first)
        #expect(sent.method == .post)
        #expect(
            sent.wire
                == "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=myOrder1&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559&signature=6edf61ffcc07ac4da88d21c5709e4ad846bd42ca892712a1b5d8780359f7d391"
        )
        #expect(sent.headers["X-MBX-APIKEY"] == Fixtures.apiKey)
        #expect(sent.body == nil)
        // Binance's example payload is the prefix before our two parameters.
        #expect(sent.query.hasPrefix("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&"))

        #expect(order.exchangeOrderID == "4")
        #expect(order.clientOrderID == "myOrder1")
        #expect(order.symbol == "LTC/BTC")
        #expect(order.side == .buy && order.type == .limit && order.timeInForce == .goodTillCancel)
        #expect(order.status == .new)
        #expect(order.price == (try d("0.1")))
        #expect(order.quantity == 1)
        #expect(order.filledQuantity == 0)
        #expect(order.averagePrice == nil)
        #expect(order.createdAt == Fixtures.date)
    }

    @Test("a generated client order id is sent when the request has none, and it matches Binance's alphabet")
    func generatedID() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        fake.on(.post, "/api/v3/order") { _, _ in HTTPResponse.json(TradingTests.ltcResult) }
        _ = try await client.place(.limit(.buy, "LTC/BTC", quantity: 1, price: try d("0.1")))
        let sent = try #require(fake.apiRequests.first)
        let id = try #require(URLComponents(string: sent.wire)?.queryItems?.first { $0.name == "newClientOrderId" }?.value)
        #expect(id.count >= 1 && id.count <= 36)
        #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    @Test("spot market order: quantity with the step's decimals; RESULT decoded with the average price")
    func spotMarket() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        try fake.on(.post, "/api/v3/order", payload: "spot-order-result.json")
        let order = try await client.place(
            .market(.sell, "BTC/USDT", quantity: try d("0.001"), clientOrderID: try ClientOrderID("myOrder2")))
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://api.binance.com/api/v3/order?symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.00100&newClientOrderId=myOrder2&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559&signature=c0907cd5bdefcf8d6f5db66bcce23b8d2dde14d351a543ccb526c8323f2de24f"
            ])
        #expect(order.type == .market)
        #expect(order.status == .filled)
        #expect(order.price == nil)
        #expect(order.filledQuantity == 10)
        #expect(order.averagePrice == 1)
        #expect(order.exchangeOrderID == "28")
        #expect(order.clientOrderID == "6gCrw2kRUAF9CvJDGP16IP")
    }

    @Test("spot post-only is LIMIT_MAKER, without a time in force")
    func spotPostOnly() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        fake.on(.post, "/api/v3/order") { _, _ in
            HTTPResponse.json(
                #"{"symbol":"BTCUSDT","orderId":29,"clientOrderId":"myOrder3","transactTime":1499827319559,"price":"30000.00","origQty":"0.00100","executedQty":"0","cummulativeQuoteQty":"0","status":"NEW","timeInForce":"GTC","type":"LIMIT_MAKER","side":"BUY"}"#
            )
        }
        let order = try await client.place(
            .limit(
                .buy, "BTC/USDT", quantity: try d("0.001"), price: 30_000, postOnly: true, clientOrderID: try ClientOrderID("myOrder3")))
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://api.binance.com/api/v3/order?symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.00100&price=30000.00&newClientOrderId=myOrder3&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559&signature=6bca36a4e2771b750556c8b174b77102401e4f3656c2387ecd9e118f8c16aece"
            ])
        #expect(order.isPostOnly)
        #expect(order.type == .limit)
    }

    @Test("futures post-only reduce-only limit: timeInForce=GTX and reduceOnly=true on fapi")
    func futuresPostOnlyReduceOnly() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        fake.on(.post, "/fapi/v1/order") { _, _ in
            HTTPResponse.json(
                #"{"clientOrderId":"myOrder4","cumQty":"0","cumQuote":"0","executedQty":"0","orderId":22542179,"avgPrice":"0.00000","origQty":"0.010","price":"30000.0","reduceOnly":true,"side":"SELL","positionSide":"BOTH","status":"NEW","symbol":"BTCUSDT","timeInForce":"GTX","type":"LIMIT","origType":"LIMIT","updateTime":1566818724722}"#
            )
        }
        let order = try await client.place(
            .limit(
                .sell, "BTC/USDT:USDT", quantity: try d("0.01"), price: 30_000, postOnly: true, reduceOnly: true,
                clientOrderID: try ClientOrderID("myOrder4")))
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.010&price=30000.0&reduceOnly=true&newClientOrderId=myOrder4&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559&signature=1ccd042f2ec8f308405a8cd3a23f3088781ae62fbe21590ae548646a25fa3c9a"
            ])
        #expect(order.symbol == "BTC/USDT:USDT")
        #expect(order.isPostOnly && order.isReduceOnly)
        #expect(order.timeInForce == .goodTillCancel)
        #expect(order.price == 30_000)
        #expect(order.quantity == (try d("0.01")))
        #expect(order.updatedAt == Date(timeIntervalSince1970: 1_566_818_724.722))
    }

    @Test("futures market and IOC orders")
    func futuresMarketAndIOC() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        fake.on(.post, "/fapi/v1/order") { request, _ in
            let market = request.query.contains("type=MARKET")
            return HTTPResponse.json(
                #"{"clientOrderId":"\#(market ? "myOrder5" : "myOrder6")","executedQty":"0.005","orderId":7,"avgPrice":"30001.5","origQty":"0.005","price":"\#(market ? "0" : "29999.9")","reduceOnly":false,"side":"BUY","status":"FILLED","symbol":"BTCUSDT","timeInForce":"\#(market ? "GTC" : "IOC")","type":"\#(market ? "MARKET" : "LIMIT")","updateTime":1566818724722}"#
            )
        }
        let market = try await client.place(
            .market(.buy, "BTC/USDT:USDT", quantity: try d("0.005"), clientOrderID: try ClientOrderID("myOrder5")))
        let ioc = try await client.place(
            .limit(
                .buy, "BTC/USDT:USDT", quantity: try d("0.005"), price: try d("29999.9"), timeInForce: .immediateOrCancel,
                clientOrderID: try ClientOrderID("myOrder6")))
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.005&newClientOrderId=myOrder5&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559&signature=7c83f2aa8aa0fb1f22f63b25132d64ac96bef82d207b19ac9028077283c51842",
                "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=0.005&price=29999.9&newClientOrderId=myOrder6&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559&signature=af01bfc82e2b9eaa8fceae6b3b1bcbe72e5385ed2ed06a061592bb7f89af3d05",
            ])
        #expect(try market.type == .market && market.price == nil && market.averagePrice == (d("30001.5")))
        #expect(ioc.timeInForce == .immediateOrCancel && ioc.status == .filled)
    }

    @Test("orders that break the rules are refused locally, naming the rule; nothing is sent")
    func localValidation() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        let cases: [(OrderRequest, Instrument.Rule)] = [
            (.limit(.buy, "BTC/USDT", quantity: try d("0.001"), price: try d("30000.005")), Instrument.Rule.tickSize),
            (.limit(.buy, "BTC/USDT", quantity: try d("0.000015"), price: 30_000), Instrument.Rule.quantityStep),
            (.limit(.buy, "BTC/USDT", quantity: try d("0.0001"), price: 30_000), Instrument.Rule.minimumNotional),
            (.limit(.buy, "BTC/USDT:USDT", quantity: try d("0.001"), price: 30_000), Instrument.Rule.minimumNotional),
            (.limit(.buy, "BTC/USDT", quantity: try d("0.001"), price: 30_000, reduceOnly: true), Instrument.Rule.reduceOnly),
            (
                .limit(.buy, "BTC/USDT", quantity: try d("0.001"), price: 30_000, timeInForce: .immediateOrCancel, postOnly: true),
                Instrument.Rule.postOnly
            ),
            (.market(.buy, "BTC/USDT", quantity: 100), Instrument.Rule.maximumMarketQuantity),
        ]
        for (order, rule) in cases {
            let error = try await #require(throws: ExchangeError.self, "\(order)") { try await client.place(order) }
            #expect(error.rule == rule, "\(order): \(error)")
        }
        let unknown = try await #require(throws: ExchangeError.self) {
            try await client.place(.limit(.buy, "NOPE/USDT", quantity: 1, price: 1))
        }
        #expect(unknown.kind == .invalidRequest)
        #expect(unknown.message.contains("NOPE/USDT"))
        // Only the refetch of the rules for the unknown symbol may have been sent, never an order.
        #expect(fake.requests.allSatisfy { $0.method == .get })
    }

    @Test("a spot-only key cannot place futures orders: refused locally, nothing sent")
    func spotOnlyKeyRefusesFutures() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake, restrictions: "apiRestrictions-spot-only.json")
        let error = try await #require(throws: ExchangeError.self) {
            try await client.place(.market(.buy, "BTC/USDT:USDT", quantity: try d("0.005")))
        }
        #expect(error.kind == .permissionDenied)
        let cancel = try await #require(throws: ExchangeError.self) {
            try await client.cancel(.exchangeID("1", on: "BTC/USDT:USDT"))
        }
        #expect(cancel.kind == .permissionDenied)
        #expect(fake.requests.isEmpty)
    }

    @Test("cancel by exchange id and by client id: DELETE with orderId or origClientOrderId")
    func cancels() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        try fake.on(.delete, "/api/v3/order", payload: "spot-cancel.json")
        try fake.on(.delete, "/fapi/v1/order", payload: "futures-cancel.json")
        let byID = try await client.cancel(.exchangeID("4", on: "LTC/BTC"))
        let byClientID = try await client.cancel(.clientID(try ClientOrderID("myOrder1"), on: "LTC/BTC"))
        let futures = try await client.cancel(.exchangeID("283194212", on: "BTC/USDT:USDT"))
        #expect(fake.apiRequests.map(\.method) == [.delete, .delete, .delete])
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://api.binance.com/api/v3/order?symbol=LTCBTC&orderId=4&recvWindow=5000&timestamp=1499827319559&signature=dce5c7acb3375587e7db55cae77d0e328aabe084ff52ccb81e2b05ed748aeab4",
                "https://api.binance.com/api/v3/order?symbol=LTCBTC&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1499827319559&signature=19ab972a6f360fb380ddf40aae52ec12ab9650d5770cd5f7d5d3e69a0a374076",
                "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&orderId=283194212&recvWindow=5000&timestamp=1499827319559&signature=7186fbf389d0e5bfc201b12d6b688519065730a2ae289e2e165e95bcf167f320",
            ])
        #expect(byID.status == .cancelled)
        #expect(byID.clientOrderID == "myOrder1", "the order's own id, not the cancel's")
        #expect(byID.price == 2 && byID.quantity == 1)
        #expect(byClientID.exchangeOrderID == "4")
        #expect(futures.status == .cancelled && futures.exchangeOrderID == "283194212")
        #expect(futures.type == .market, "a trailing stop market order")
    }

    @Test("cancelling an unknown order is orderNotFound, after looking the order up (a final order would be returned)")
    func cancelUnknown() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        fake.on(.delete, "/api/v3/order") { _, _ in HTTPResponse.json(#"{"code":-2011,"msg":"Unknown order sent."}"#, status: 400) }
        fake.on(.get, "/api/v3/order") { _, _ in HTTPResponse.json(#"{"code":-2013,"msg":"Order does not exist."}"#, status: 400) }
        let error = try await #require(throws: ExchangeError.self) { try await client.cancel(.exchangeID("9", on: "LTC/BTC")) }
        #expect(error.kind == .orderNotFound)
        #expect(error.symbol == "LTC/BTC")
        #expect(fake.apiRequests.count == 2)
    }

    @Test("query an order, list open orders, read fills: exact requests and decimals")
    func reads() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        try fake.on(.get, "/api/v3/order", payload: "spot-order-query.json")
        try fake.on(.get, "/api/v3/openOrders", payload: "spot-openOrders.json")
        try fake.on(.get, "/api/v3/myTrades", payload: "spot-myTrades.json")
        try fake.on(.get, "/fapi/v1/userTrades", payload: "futures-userTrades.json")
        try fake.on(.get, "/fapi/v1/order", payload: "futures-order-query.json")
        let order = try await client.order(.clientID(try ClientOrderID("myOrder1"), on: "LTC/BTC"))
        let open = try await client.openOrders(for: "LTC/BTC")
        let spotFills = try await client.fills(for: "BNB/BTC")
        let futuresFills = try await client.fills(for: "BTC/USDT:USDT", limit: 5000)
        let futuresOrder = try await client.order(.clientID(try ClientOrderID("abc"), on: "BTC/USDT:USDT"))
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://api.binance.com/api/v3/order?symbol=LTCBTC&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1499827319559&signature=19ab972a6f360fb380ddf40aae52ec12ab9650d5770cd5f7d5d3e69a0a374076",
                "https://api.binance.com/api/v3/openOrders?symbol=LTCBTC&recvWindow=5000&timestamp=1499827319559&signature=ca06541d8d2b2e0ef5b7c2b4a43fc4cbff34f7c431318650ba7714357347bd70",
                "https://api.binance.com/api/v3/myTrades?symbol=BNBBTC&limit=50&recvWindow=5000&timestamp=1499827319559&signature=7f41a223a17121cc9c9096daf9a63664fda1cfcc81f1d2f577effb27f7ad9782",
                "https://fapi.binance.com/fapi/v1/userTrades?symbol=BTCUSDT&limit=1000&recvWindow=5000&timestamp=1499827319559&signature=de1af2180907b9a189a3e8f97648b32a20cbd5be22eadcce84579d107af71420",
                "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&origClientOrderId=abc&recvWindow=5000&timestamp=1499827319559&signature=ed1ccd5532863571fa15b56311f31cbfe91add3f82db91085170af6f162d7195",
            ])
        #expect(fake.apiRequests.allSatisfy { $0.method == .get && $0.headers["X-MBX-APIKEY"] == Fixtures.apiKey })

        #expect(order.exchangeOrderID == "1" && order.clientOrderID == "myOrder1")
        #expect(try order.price == (d("0.1")) && order.quantity == 1 && order.status == .new)
        #expect(order.createdAt == Fixtures.date && order.updatedAt == Fixtures.date)
        #expect(open == [order])

        let spotFill = try #require(spotFills.first)
        #expect(spotFill.tradeID == "28457" && spotFill.exchangeOrderID == "100234")
        #expect(spotFill.side == .buy && !spotFill.isMaker)
        #expect(spotFill.price == (try d("4.000001")))
        #expect(spotFill.quantity == 12)
        #expect(try spotFill.fee == (d("10.1")) && spotFill.feeAsset == "BNB")
        #expect(spotFill.time == Date(timeIntervalSince1970: 1_499_865_549.590))

        let futuresFill = try #require(futuresFills.first)
        #expect(futuresFill.side == .sell && !futuresFill.isMaker)
        #expect(try futuresFill.price == (d("7819.01")) && futuresFill.quantity == (d("0.002")))
        #expect(futuresFill.fee == (try d("-0.0781901")))

        #expect(futuresOrder.exchangeOrderID == "1917641")
        #expect(futuresOrder.quantity == (try d("0.4")))
        #expect(futuresOrder.type == .market)
        #expect(futuresOrder.price == nil)
    }

    @Test("futures open orders and a spot order by exchange id: exact requests")
    func moreReads() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        try fake.on(.get, "/fapi/v1/openOrders", payload: "futures-openOrders.json")
        try fake.on(.get, "/api/v3/order", payload: "spot-order-query.json")
        let open = try await client.openOrders(for: "BTC/USDT:USDT")
        let order = try await client.order(.exchangeID("1", on: "LTC/BTC"))
        #expect(
            fake.apiRequests.map(\.wire) == [
                "https://fapi.binance.com/fapi/v1/openOrders?symbol=BTCUSDT&recvWindow=5000&timestamp=1499827319559&signature=4dd01c83b23c3f059afcb6af54fbc730669d56153a400551ed1ed7f7913837ec",
                "https://api.binance.com/api/v3/order?symbol=LTCBTC&orderId=1&recvWindow=5000&timestamp=1499827319559&signature=31e0c53a35f6255f9de6978a30d28e121530b3972988fd23ae5825a49ebcedbd",
            ])
        #expect(fake.apiRequests.allSatisfy { $0.headers["X-MBX-APIKEY"] == Fixtures.apiKey && $0.body == nil })
        let futures = try #require(open.first)
        #expect(open.count == 1)
        #expect(futures.symbol == "BTC/USDT:USDT" && futures.exchangeOrderID == "1917641" && futures.clientOrderID == "abc")
        #expect(futures.quantity == (try d("0.4")) && futures.status == .new && futures.side == .buy)
        #expect(futures.createdAt == Date(timeIntervalSince1970: 1_579_276_756.075))
        #expect(order.exchangeOrderID == "1")
    }

    @Test("documented order answers decode: ACK, RESULT, FULL, futures")
    func documentedOrderAnswers() async throws {
        for (payload, path, symbol) in [
            ("spot-order-result.json", "/api/v3/order", Symbol("BTC/USDT")),
            ("spot-order-full.json", "/api/v3/order", Symbol("BTC/USDT")),
            ("futures-order.json", "/fapi/v1/order", Symbol("BTC/USDT:USDT")),
        ] {
            let fake = FakeBinance()
            let client = try await tradingClient(fake)
            try fake.on(.get, path, payload: payload)
            let order = try await client.order(.exchangeID("28", on: symbol))
            #expect(order.symbol == symbol, "\(payload)")
            if payload == "spot-order-full.json" {
                #expect(order.filledQuantity == 10 && order.averagePrice == 1 && order.status == .filled)
            }
            if payload == "futures-order.json" {
                #expect(order.exchangeOrderID == "22542179" && order.quantity == 10 && order.timeInForce == nil)
            }
        }
    }

    @Test("an ACK answer (no status, side or quantities) is not trusted: the order is read back by its client id")
    func ackAnswer() async throws {
        let fake = FakeBinance()
        let client = try await tradingClient(fake)
        try fake.on(.post, "/api/v3/order", payload: "spot-order-ack.json")
        fake.on(.get, "/api/v3/order") { _, _ in
            HTTPResponse.json(
                #"{"symbol":"BTCUSDT","orderId":28,"clientOrderId":"6gCrw2kRUAF9CvJDGP16IP","price":"0.00000000","origQty":"10.00000000","executedQty":"10.00000000","cummulativeQuoteQty":"10.00000000","status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"SELL","time":1507725176595,"updateTime":1507725176595}"#
            )
        }
        let order = try await client.place(
            .market(.sell, "BTC/USDT", quantity: 10, clientOrderID: try ClientOrderID("6gCrw2kRUAF9CvJDGP16IP")))
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
        #expect(
            fake.requests(.get, "/api/v3/order").first?.query.hasPrefix(
                "symbol=BTCUSDT&origClientOrderId=6gCrw2kRUAF9CvJDGP16IP&recvWindow=5000&timestamp=") == true)
        #expect(order.status == .filled && order.filledQuantity == 10)
    }
}
