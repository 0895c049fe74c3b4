import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

/// Every recorded payload decodes, and every number arrives as the exact decimal it was written as.
@Suite("Decoding recorded payloads")
struct DecodingTests {
    func envelope<T: Decodable>(_ type: T.Type, _ name: String) throws -> BybitEnvelope<T> {
        try BybitWire.decode(type, from: try payloads.response(name), what: name)
    }

    @Test("server time: timeNano to the nanosecond, timeSecond as the fallback")
    func serverTime() throws {
        let date = try WireServerTime.decode(try payloads.response("server-time.json"))
        #expect(BybitSigner.milliseconds(date) == 1_688_639_403_423)
        let seconds = WireServerTime(timeSecond: "1688639403", timeNano: nil)
        #expect(seconds.date == Date(timeIntervalSince1970: 1_688_639_403))
        #expect(WireServerTime(timeSecond: "", timeNano: "").date == nil)
    }

    @Test("spot instruments: basePrecision is the step, minOrderAmt the minimum notional, minOrderQty not enforced")
    func spotInstruments() throws {
        let list = try envelope(BybitPage<WireInstrument>.self, "instruments-spot.json").result.list
        let btc = try #require(list.first?.instrument(kind: .spot))
        #expect(btc.symbol == "BTC/USDT")
        #expect(btc.exchangeSymbol == "BTCUSDT")
        #expect(btc.kind == .spot)
        #expect(btc.status == .trading)
        #expect(btc.tickSize == .exact("0.1"))
        #expect(btc.quantityStep == .exact("0.000001"))
        #expect(btc.minimumQuantity == 0)
        #expect(btc.maximumQuantity == .exact("83"))
        #expect(btc.maximumMarketQuantity == .exact("41.5"))
        #expect(btc.minimumNotional == .exact("5"))
        #expect(btc.maximumNotional == nil)
        #expect(btc.settleAsset == nil)
        let eth = try #require(list.last?.instrument(kind: .spot))
        #expect(eth.maximumQuantity == .exact("1229.2336343"))
        #expect(eth.maximumMarketQuantity == .exact("614.6168171"))
        #expect(eth.formattedQuantity(.exact("0.5")) == "0.50000")
        // A spot entry is not a linear instrument.
        #expect(list.first?.instrument(kind: .linearPerpetual) == nil)
    }

    @Test("linear instruments: price and lot size filters exactly; USDC perpetuals and dated futures left out")
    func linearInstruments() throws {
        let page1 = try envelope(BybitPage<WireInstrument>.self, "instruments-linear-page1.json").result
        #expect(page1.nextPageCursor == "first%3DBTCUSDT%26last%3DBTCUSDT-26DEC25")
        let instruments = page1.list.compactMap { $0.instrument(kind: .linearPerpetual) }
        #expect(instruments.map(\.exchangeSymbol) == ["BTCUSDT"])
        let btc = try #require(instruments.first)
        #expect(btc.symbol == "BTC/USDT:USDT")
        #expect(btc.kind == .linearPerpetual)
        #expect(btc.settleAsset == "USDT")
        #expect(btc.tickSize == .exact("0.10"))
        #expect(btc.formattedPrice(.exact("30000.1")) == "30000.1", "tickSize \"0.10\" is one decimal place")
        #expect(btc.formattedQuantity(.exact("0.01")) == "0.010")
        #expect(btc.minimumPrice == .exact("0.10"))
        #expect(btc.maximumPrice == .exact("1999999.80"))
        #expect(btc.quantityStep == .exact("0.001"))
        #expect(btc.minimumQuantity == .exact("0.001"))
        #expect(btc.maximumQuantity == .exact("1190.000"))
        #expect(btc.maximumMarketQuantity == .exact("500.000"))
        #expect(btc.minimumNotional == .exact("5"))
        #expect(btc.contractSize == 1)
        #expect(btc.quantityUnit == .base)

        let page2 = try envelope(BybitPage<WireInstrument>.self, "instruments-linear-page2.json").result
        #expect(page2.nextPageCursor == "")
        let bio = try #require(page2.list.first?.instrument(kind: .linearPerpetual))
        #expect(bio.status == .preTrading)
        #expect(bio.quantityStep == 1)
        #expect(bio.tickSize == .exact("0.0001"))
    }

    @Test("instrument statuses map to the unified ones; others are kept raw and not trading")
    func instrumentStatuses() {
        let cases: [(String, Instrument.Status)] = [
            ("Trading", .trading), ("PreLaunch", .preTrading), ("Settling", .halted), ("Closed", .delisted),
            ("Delivering", .other("Delivering")), ("SomethingNew", .other("SomethingNew")),
        ]
        for (wire, status) in cases {
            #expect(Instrument.Status(wireValue: wire, mapping: WireInstrument.statusMapping) == status)
        }
    }

    @Test("tickers: empty strings are nil, the rest exact")
    func tickers() throws {
        let spot = try envelope(BybitPage<WireTicker>.self, "tickers-spot.json")
        let ticker = try #require(spot.result.list.first).ticker(symbol: "BTC/USDT", time: nil)
        #expect(ticker.lastPrice == .exact("20533.13"))
        #expect(ticker.bidPrice == .exact("20517.96"))
        #expect(ticker.bidQuantity == .exact("2"))
        #expect(ticker.askPrice == .exact("20527.77"))
        #expect(ticker.askQuantity == .exact("1.862172"))
        let linear = try envelope(BybitPage<WireTicker>.self, "tickers-linear.json")
        let perp = try #require(linear.result.list.first).ticker(symbol: "BTC/USDT:USDT", time: nil)
        #expect(perp.lastPrice == .exact("16597.00"))
        #expect(perp.askPrice == .exact("16597.50"))
    }

    @Test("order books: levels as exact decimals, ts and u")
    func orderBooks() throws {
        let book = try envelope(WireOrderBook.self, "orderbook-spot.json").result.orderBook(symbol: "BTC/USDT")
        #expect(book.bids.first == OrderBook.Level(price: .exact("16638.27"), quantity: .exact("0.305749")))
        #expect(book.asks.first == OrderBook.Level(price: .exact("16638.64"), quantity: .exact("0.008479")))
        #expect(book.asks.count == 2)
        #expect(book.sequence == 5_277_055)
        #expect(book.time == Date(timeIntervalSince1970: 1_672_765_737.733))
        let short = WireOrderBook(s: "X", a: [[WireDecimal(1)]], b: [], ts: nil, u: nil)
        #expect(throws: ExchangeError.self) { try short.orderBook(symbol: "X/Y") }
    }

    @Test("wallet balance: total, locked (orders and margin) and free per coin; empty coins left out")
    func walletBalance() throws {
        let wallet = try envelope(WireWalletBalance.self, "wallet-balance.json").result
        let balances = try #require(wallet.list.first?.coin).compactMap(\.balance)
        #expect(balances.map(\.asset) == ["USDT", "ETH"])
        #expect(balances[0] == Balance(asset: "USDT", free: .exact("836.875"), locked: .exact("163.125"), total: 1000))
        #expect(balances[1] == Balance(asset: "ETH", free: .exact("0.705994"), locked: .exact("0.1"), total: .exact("0.805994")))
    }

    @Test("positions: sides, liqPrice \"\" as nil, flat positions left out")
    func positions() throws {
        let page = try envelope(BybitPage<WirePosition>.self, "position-list-page1.json").result
        #expect(page.nextPageCursor == "BTCUSDT%2C1697673600012%2C0")
        let btc = try #require(page.list[0].position(symbol: "BTC/USDT:USDT"))
        #expect(btc.side == .long)
        #expect(btc.quantity == .exact("0.300"))
        #expect(btc.entryPrice == .exact("27464.50441675"))
        #expect(btc.markPrice == .exact("28224.50"))
        #expect(btc.unrealizedPnL == .exact("228.00"))
        #expect(btc.liquidationPrice == nil)
        #expect(btc.leverage == 10)
        #expect(btc.updatedAt == Date(timeIntervalSince1970: 1_697_673_600.012))
        #expect(page.list[1].position(symbol: "ETH/USDT:USDT") == nil)
        let page2 = try envelope(BybitPage<WirePosition>.self, "position-list-page2.json").result
        let sol = try #require(page2.list[0].position(symbol: "SOL/USDT:USDT"))
        #expect(sol.side == .short)
        #expect(sol.signedQuantity == .exact("-12.5"))
        #expect(sol.liquidationPrice == .exact("140.30"))
    }

    @Test("orders: the documented realtime entry, a post-only reduce-only one, a filled spot market order")
    func orders() throws {
        let realtime = try envelope(BybitPage<WireOrder>.self, "order-realtime.json").result
        #expect(realtime.nextPageCursor == "page_args%3Dfd4300ae-7847-404e-b947-b46980a4d140%26symbol%3D6%26")
        let order = try realtime.list[0].order(symbol: "ETH/USDT:USDT")
        #expect(order.exchangeOrderID == "fd4300ae-7847-404e-b947-b46980a4d140")
        #expect(order.clientOrderID == "test-000005")
        #expect(order.side == .buy)
        #expect(order.type == .limit)
        #expect(order.timeInForce == .goodTillCancel)
        #expect(order.status == .new)
        #expect(order.price == .exact("1600.00"))
        #expect(order.quantity == .exact("0.10"))
        #expect(order.filledQuantity == 0)
        #expect(order.averagePrice == nil, "avgPrice \"0\" before a fill is nil")
        #expect(order.createdAt == Date(timeIntervalSince1970: 1_684_738_540.559))

        let second = try envelope(BybitPage<WireOrder>.self, "order-realtime-page2.json").result.list[0]
            .order(symbol: "ETH/USDT:USDT")
        #expect(second.status == .partiallyFilled)
        #expect(second.isPostOnly)
        #expect(second.timeInForce == .goodTillCancel)
        #expect(second.isReduceOnly)
        #expect(second.filledQuantity == .exact("0.05"))
        #expect(second.averagePrice == .exact("1650.00"))

        let filled = try envelope(BybitPage<WireOrder>.self, "order-history.json").result.list[0].order(symbol: "BTC/USDT")
        #expect(filled.status == .filled)
        #expect(filled.type == .market)
        #expect(filled.price == nil)
        #expect(filled.quantity == .exact("0.001"))
        #expect(filled.averagePrice == .exact("16647.25"))
        #expect(filled.timeInForce == .immediateOrCancel)
    }

    @Test("order statuses map to the unified ones; Triggered and new values stay unknown")
    func orderStatuses() {
        let cases: [(String, OrderStatus)] = [
            ("New", .new), ("PartiallyFilled", .partiallyFilled), ("Untriggered", .new), ("Filled", .filled),
            ("Cancelled", .cancelled), ("PartiallyFilledCanceled", .cancelled), ("Deactivated", .cancelled),
            ("Rejected", .rejected), ("Triggered", .unknown("Triggered")), ("Brand-new", .unknown("Brand-new")),
        ]
        for (wire, status) in cases {
            #expect(OrderStatus(wireValue: wire, mapping: WireOrder.statusMapping) == status)
        }
    }

    @Test("a spot market order placed in quote units reports its filled base quantity")
    func quoteUnitMarketOrder() throws {
        let json =
            #"{"orderId":"1","orderLinkId":"","symbol":"BTCUSDT","price":"0","qty":"200","side":"Buy","orderStatus":"Filled","avgPrice":"20000","cumExecQty":"0.01","timeInForce":"IOC","orderType":"Market","reduceOnly":false,"marketUnit":"quoteCoin","createdTime":"1","updatedTime":"2"}"#
        let order = try JSONDecoder().decode(WireOrder.self, from: Data(json.utf8)).order(symbol: "BTC/USDT")
        #expect(order.quantity == .exact("0.01"))
        #expect(order.clientOrderID == nil)
    }

    @Test("executions: fills with fees and fee assets; funding is not a fill")
    func executions() throws {
        let list = try envelope(BybitPage<WireExecution>.self, "execution-list.json").result.list
        let fills = try list.compactMap { try $0.fill(instrumentSymbol: "BTC/USDT:USDT") }
        #expect(fills.count == 2)
        #expect(fills[0].tradeID == "e0cbe81d-0f18-5866-9415-cf319b5dab3b")
        #expect(fills[0].price == .exact("1190.15"))
        #expect(fills[0].quantity == .exact("0.1"))
        #expect(fills[0].fee == .exact("0.071409"))
        #expect(fills[0].feeAsset == "USDT")
        #expect(!fills[0].isMaker)
        #expect(fills[0].time == Date(timeIntervalSince1970: 1_672_282_722.429))
        #expect(fills[1].isMaker)
        #expect(fills[1].fee == .exact("-0.0119015"))
        #expect(fills[1].clientOrderID == "grid-7")

        let spot = try envelope(BybitPage<WireExecution>.self, "execution-list-spot.json").result.list
        let spotFills = try spot.compactMap { try $0.fill(instrumentSymbol: "BTC/USDT") }
        #expect(spotFills.map(\.feeAsset) == ["BTC", "USDT"])
        #expect(spotFills[0].fee == .exact("0.0000001"))
    }

    @Test("acknowledgements: create and cancel")
    func acknowledgements() throws {
        let create = try envelope(WireOrderAck.self, "order-create.json")
        #expect(create.result.orderId == "1321003749386327552")
        #expect(create.result.orderLinkId == "spot-test-postonly")
        #expect(create.time == 1_672_211_918_471)
        let cancel = try envelope(WireOrderAck.self, "order-cancel.json")
        #expect(cancel.result.orderId == "c6f055d9-7f21-4079-913d-e6523a9cfffa")
    }

    @Test("wire numbers carry exactly the step's decimal places")
    func wireNumbers() {
        let cases: [(String, String, String)] = [
            ("0.01", "0.001", "0.010"), ("30000.1", "0.10", "30000.1"), ("30000", "0.1", "30000.0"), ("5", "1", "5"),
            ("1500", "0.01", "1500.00"), ("0.5", "0.000001", "0.500000"), ("120", "10", "120"),
            ("0.0105", "0.001", "fallback"), ("-1", "1", "fallback"),
        ]
        for (value, step, expected) in cases {
            #expect(BybitWire.number(.exact(value), step: .exact(step)) { "fallback" } == expected, "\(value) / \(step)")
        }
    }

    @Test("a number that is not a number is a decoding error naming the field, never a crash")
    func garbage() throws {
        let body =
            #"{"retCode":0,"retMsg":"OK","result":{"list":[{"symbol":"BTCUSDT","orderId":"1","side":"Buy","execId":"e","execPrice":"12abc","execQty":"1","execTime":"1"}]},"time":1}"#
        let error = #expect(throws: ExchangeError.self) {
            _ = try BybitWire.decode(BybitPage<WireExecution>.self, from: HTTPResponse(status: 200, body: Data(body.utf8)), what: "executions")
        }
        #expect(error?.kind == .decoding)
        #expect(error?.message.contains("execPrice") == true)
    }
}
