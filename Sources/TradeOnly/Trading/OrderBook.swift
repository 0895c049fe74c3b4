/// A snapshot of one market's order book, best prices first.
public struct OrderBook: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One price level: a price and the quantity resting there.
    public struct Level: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The price.
        public var price: Decimal
        /// The total quantity at this price, in the instrument's quantity unit (contracts for OKX swaps
        /// and Gate futures).
        public var quantity: Decimal

        /// Creates a level.
        public init(price: Decimal, quantity: Decimal) {
            self.price = price
            self.quantity = quantity
        }

        /// `0.5 @ 30000.1`.
        public var description: String { "\(quantity.plainString) @ \(price.plainString)" }
    }

    /// The market.
    public var symbol: Symbol
    /// Buy orders, highest price first.
    public var bids: [Level]
    /// Sell orders, lowest price first.
    public var asks: [Level]
    /// When the exchange produced the snapshot, if reported.
    public var time: Date?
    /// The exchange's update id or sequence number (Binance `lastUpdateId`, Bybit `u`, OKX `seqId`,
    /// Gate `id`), if reported.
    public var sequence: Int64?

    /// Creates a book. Levels must already be best first (modules sort if the exchange does not).
    ///
    /// - Parameters:
    ///   - symbol: The market.
    ///   - bids: Buy orders, highest price first.
    ///   - asks: Sell orders, lowest price first.
    ///   - time: When the exchange produced the snapshot.
    ///   - sequence: The exchange's update id or sequence number.
    public init(symbol: Symbol, bids: [Level], asks: [Level], time: Date? = nil, sequence: Int64? = nil) {
        self.symbol = symbol
        self.bids = bids
        self.asks = asks
        self.time = time
        self.sequence = sequence
    }

    /// The highest bid, if any.
    public var bestBid: Level? { bids.first }
    /// The lowest ask, if any.
    public var bestAsk: Level? { asks.first }

    /// The best ask price minus the best bid price, if both sides have orders.
    public var spread: Decimal? {
        guard let bestBid, let bestAsk else { return nil }
        return bestAsk.price - bestBid.price
    }

    /// The midpoint of the best bid and ask prices, if both sides have orders.
    public var midPrice: Decimal? {
        guard let bestBid, let bestAsk else { return nil }
        return (bestBid.price + bestAsk.price) / 2
    }

    /// `BTC/USDT book 50 bids / 50 asks, best 0.5 @ 30000 | 1.2 @ 30000.1`.
    public var description: String {
        var text = "\(symbol) book \(bids.count) bids / \(asks.count) asks"
        if bestBid != nil || bestAsk != nil {
            text += ", best \(bestBid?.description ?? "-") | \(bestAsk?.description ?? "-")"
        }
        return text
    }
}
