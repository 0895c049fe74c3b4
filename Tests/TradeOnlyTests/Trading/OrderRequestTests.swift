import Foundation
import Testing
import TradeOnly

private func d(_ text: String) -> Decimal { MarketFixtures.decimal(text) }

@Suite("OrderRequest")
struct OrderRequestTests {
    @Test func limitFactory() {
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.001"), price: 30_000)
        #expect(order.symbol == Symbol("BTC/USDT"))
        #expect(order.side == .buy)
        #expect(order.type == .limit)
        #expect(order.quantity == d("0.001"))
        #expect(order.price == 30_000)
        #expect(order.timeInForce == .goodTillCancel)
        #expect(!order.isPostOnly && !order.isReduceOnly)
        #expect(order.clientOrderID == nil)
        #expect(order.notional == 30)
    }

    @Test func limitFactoryOptions() throws {
        let id = try ClientOrderID("grid-7")
        let order = OrderRequest.limit(
            .sell, "BTC/USDT:USDT", quantity: 2, price: d("30000.5"),
            timeInForce: .goodTillCancel, postOnly: true, reduceOnly: true, clientOrderID: id
        )
        #expect(order.isPostOnly && order.isReduceOnly)
        #expect(order.clientOrderID == id)
        let fok = OrderRequest.limit(.buy, "BTC/USDT", quantity: 1, price: 1, timeInForce: .fillOrKill)
        #expect(fok.timeInForce == .fillOrKill)
    }

    @Test func marketFactory() {
        let order = OrderRequest.market(.sell, "BTC/USDT:USDT", quantity: d("0.5"), reduceOnly: true)
        #expect(order.type == .market)
        #expect(order.side == .sell)
        #expect(order.price == nil)
        #expect(order.notional == nil)
        #expect(order.timeInForce == .immediateOrCancel)
        #expect(order.isReduceOnly && !order.isPostOnly)
    }

    @Test func withClientOrderID() throws {
        let id = try ClientOrderID("abc_123")
        let order = OrderRequest.market(.buy, "BTC/USDT", quantity: 1)
        let tagged = order.withClientOrderID(id)
        #expect(tagged.clientOrderID == id)
        #expect(order.clientOrderID == nil)
        var expected = order
        expected.clientOrderID = id
        #expect(tagged == expected)
    }

    @Test(arguments: [
        (OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.001"), price: d("30000.0")), "BUY 0.001 BTC/USDT @ 30000 (limit, GTC)"),
        (.limit(.sell, "ETH/USDT", quantity: 2, price: d("2000.55"), timeInForce: .immediateOrCancel), "SELL 2 ETH/USDT @ 2000.55 (limit, IOC)"),
        (
            .limit(.buy, "BTC/USDT:USDT", quantity: 1, price: 100, postOnly: true, reduceOnly: true),
            "BUY 1 BTC/USDT:USDT @ 100 (limit, GTC, post-only, reduce-only)"
        ),
        (.market(.sell, "BTC/USDT", quantity: d("1e-8")), "SELL 0.00000001 BTC/USDT (market)"),
    ])
    func descriptions(order: OrderRequest, expected: String) {
        #expect(order.description == expected)
    }

    @Test func descriptionShowsTheClientOrderID() throws {
        let order = OrderRequest.market(.buy, "BTC/USDT", quantity: 1, clientOrderID: try ClientOrderID("toAbc123"))
        #expect(order.description == "BUY 1 BTC/USDT (market) [toAbc123]")
    }

    @Test func codableKeepsDecimalsExact() throws {
        let order = OrderRequest.limit(
            .buy, "BTC/USDT", quantity: d("0.00000001"), price: d("12345678.123456789"), clientOrderID: try ClientOrderID("x1"))
        let back = try JSONDecoder().decode(OrderRequest.self, from: try JSONEncoder().encode(order))
        #expect(back == order)
    }

    @Test func enumsDescribeThemselves() {
        #expect(OrderSide.buy.description == "BUY")
        #expect(OrderSide.sell.opposite == .buy)
        #expect(OrderType.market.description == "market")
        #expect(TimeInForce.allCases.map(\.abbreviation) == ["GTC", "IOC", "FOK"])
    }
}
