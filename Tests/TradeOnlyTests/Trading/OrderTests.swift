import Foundation
import Testing
import TradeOnly

private func d(_ text: String) -> Decimal { MarketFixtures.decimal(text) }

private func sampleOrder(status: OrderStatus = .partiallyFilled, filled: String = "0.0004") -> Order {
    Order(
        exchangeOrderID: "28", clientOrderID: "toAbc123", symbol: "BTC/USDT", side: .buy, type: .limit,
        timeInForce: .goodTillCancel, status: status, price: d("30000.0"), quantity: d("0.001"),
        filledQuantity: d(filled), averagePrice: d("29999.5"),
        createdAt: Date(timeIntervalSince1970: 1_499_827_319.559)
    )
}

@Suite("Order, OrderReference and account models")
struct OrderTests {
    @Test func remainingQuantity() {
        #expect(sampleOrder().remainingQuantity == d("0.0006"))
        #expect(sampleOrder(status: .filled, filled: "0.001").remainingQuantity == 0)
        // Never negative, even if an exchange reports more filled than ordered.
        #expect(sampleOrder(filled: "0.002").remainingQuantity == 0)
    }

    @Test func referenceUsesTheExchangeID() throws {
        let order = sampleOrder()
        #expect(order.reference == .exchangeID("28", on: "BTC/USDT"))
        #expect(order.hasClientOrderID(try ClientOrderID("toAbc123")))
        #expect(!order.hasClientOrderID(try ClientOrderID("other")))
    }

    @Test func description() {
        #expect(sampleOrder().description == "BUY 0.001 BTC/USDT @ 30000 (limit, GTC) partiallyFilled 0.0004/0.001 avg 29999.5 #28 [toAbc123]")
        let market = Order(
            exchangeOrderID: "9", symbol: "BTC/USDT:USDT", side: .sell, type: .market, status: .unknown("Untriggered"), quantity: 2,
            isReduceOnly: true)
        #expect(market.description == "SELL 2 BTC/USDT:USDT (market, reduce-only) unknown(Untriggered) 0/2 #9")
    }

    @Test func orderCodableRoundTrip() throws {
        let order = sampleOrder()
        let back = try JSONDecoder().decode(Order.self, from: try JSONEncoder().encode(order))
        #expect(back == order)
    }

    @Test func orderReferenceShapes() throws {
        let id = try ClientOrderID("toXyz")
        let byClient = OrderReference.clientID(id, on: "BTC/USDT")
        #expect(byClient.symbol == "BTC/USDT")
        #expect(byClient.clientOrderID == id && byClient.exchangeOrderID == nil)
        #expect(byClient.description == "BTC/USDT [toXyz]")
        let byExchange = OrderReference.exchangeID("1321003749386327552", on: "BTC/USDT:USDT")
        #expect(byExchange.exchangeOrderID == "1321003749386327552" && byExchange.clientOrderID == nil)
        #expect(byExchange.description == "BTC/USDT:USDT #1321003749386327552")
    }

    @Test(arguments: [
        OrderReference.exchangeID("28", on: "BTC/USDT"),
        .clientID(try! ClientOrderID("to123"), on: "ETH/USDT:USDT"),
    ])
    func orderReferenceCodable(reference: OrderReference) throws {
        let data = try JSONEncoder().encode(reference)
        #expect(try JSONDecoder().decode(OrderReference.self, from: data) == reference)
    }

    @Test func orderReferenceRefusesJSONWithoutAnID() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(OrderReference.self, from: Data(#"{"symbol":"BTC/USDT"}"#.utf8))
        }
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(OrderReference.self, from: Data(#"{"symbol":"BTC/USDT","clientOrderID":"bad id!"}"#.utf8))
        }
    }

    @Test func balance() {
        let balance = Balance(asset: "USDT", free: d("900.5"), locked: 100)
        #expect(balance.total == d("1000.5"))
        #expect(balance.description == "USDT 1000.5 (free 900.5, locked 100)")
        #expect(Balance(asset: "USDT", free: 1, locked: 0, total: 5).total == 5)
    }

    @Test func positionSides() {
        let short = Position(
            symbol: "BTC/USDT:USDT", signedQuantity: d("-9440"), entryPrice: d("3779.55"), markPrice: d("3780.32"), leverage: 10, marginMode: .cross)
        #expect(short.side == .short)
        #expect(short.quantity == 9440)
        #expect(short.signedQuantity == -9440)
        #expect(short.closingSide == .buy)
        #expect(short.description == "SHORT 9440 BTC/USDT:USDT @ 3779.55 mark 3780.32 10x cross")
        let long = Position(symbol: "ADA/USDT:USDT", side: .long, quantity: 30, entryPrice: d("0.385"))
        #expect(long.signedQuantity == 30 && long.closingSide == .sell)
    }

    @Test func tickerAndBook() {
        let ticker = Ticker(symbol: "BTC/USDT", lastPrice: d("30000.1"), bidPrice: 30000, askPrice: d("30000.2"))
        #expect(ticker.spread == d("0.2"))
        #expect(ticker.midPrice == d("30000.1"))
        #expect(ticker.description == "BTC/USDT last 30000.1 bid 30000 ask 30000.2")
        #expect(Ticker(symbol: "LTC/BTC", lastPrice: d("4.00000200")).spread == nil)

        let book = OrderBook(
            symbol: "BTC/USDT",
            bids: [.init(price: 30000, quantity: d("0.5")), .init(price: d("29999.9"), quantity: 2)],
            asks: [.init(price: d("30000.1"), quantity: d("1.2"))],
            sequence: 1_027_024
        )
        #expect(book.bestBid?.price == 30000)
        #expect(book.bestAsk?.price == d("30000.1"))
        #expect(book.spread == d("0.1"))
        #expect(book.description == "BTC/USDT book 2 bids / 1 asks, best 0.5 @ 30000 | 1.2 @ 30000.1")
        #expect(OrderBook(symbol: "BTC/USDT", bids: [], asks: []).spread == nil)
    }

    @Test func fill() {
        let fill = Fill(
            tradeID: "28457", exchangeOrderID: "100234", symbol: "BNB/BTC", side: .buy, price: d("4.00000100"),
            quantity: 12, fee: d("10.10000000"), feeAsset: "BNB", isMaker: false, time: Date(timeIntervalSince1970: 1_499_865_549.590)
        )
        #expect(fill.notional == d("48.000012"))
        #expect(fill.description == "BUY 12 BNB/BTC @ 4.000001 fee 10.1 BNB taker #28457 order #100234")
    }
}
