import Foundation
import TradeOnly

/// One entry of `GET /v5/market/tickers`.
struct WireTicker: Decodable {
    let symbol: String
    let lastPrice: OptionalWireDecimal?
    let bid1Price: OptionalWireDecimal?
    let bid1Size: OptionalWireDecimal?
    let ask1Price: OptionalWireDecimal?
    let ask1Size: OptionalWireDecimal?

    func ticker(symbol unified: Symbol, time: Date?) -> Ticker {
        Ticker(
            symbol: unified, lastPrice: lastPrice?.value, bidPrice: bid1Price?.value, askPrice: ask1Price?.value,
            bidQuantity: bid1Size?.value, askQuantity: ask1Size?.value, time: time)
    }
}

/// `GET /v5/market/orderbook`: `{"s":"BTCUSDT","a":[["65557.7","16.606555"]],"b":[…],"ts":…,"u":…}`.
struct WireOrderBook: Decodable {
    let s: String?
    let a: [[WireDecimal]]
    let b: [[WireDecimal]]
    let ts: Int64?
    let u: Int64?

    func orderBook(symbol: Symbol) throws -> OrderBook {
        OrderBook(
            symbol: symbol, bids: try levels(b, side: "b"), asks: try levels(a, side: "a"),
            time: ts.map(BybitWire.date(milliseconds:)), sequence: u)
    }

    private func levels(_ rows: [[WireDecimal]], side: String) throws -> [OrderBook.Level] {
        try rows.map { row in
            guard row.count >= 2 else {
                throw BybitWire.decodingError("an order book level in '\(side)' has \(row.count) values instead of [price, size]")
            }
            return OrderBook.Level(price: row[0].value, quantity: row[1].value)
        }
    }
}
