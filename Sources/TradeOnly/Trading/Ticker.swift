/// The latest prices of one market. Every field but the symbol is optional, because exchanges differ:
/// Binance's price ticker has only the last price, a book ticker only the best bid and ask.
public struct Ticker: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The market.
    public var symbol: Symbol
    /// The price of the last trade.
    public var lastPrice: Decimal?
    /// The best bid (highest buy) price.
    public var bidPrice: Decimal?
    /// The best ask (lowest sell) price.
    public var askPrice: Decimal?
    /// The quantity at the best bid.
    public var bidQuantity: Decimal?
    /// The quantity at the best ask.
    public var askQuantity: Decimal?
    /// When the exchange produced these prices, if reported.
    public var time: Date?

    /// Creates a ticker.
    ///
    /// - Parameters:
    ///   - symbol: The market.
    ///   - lastPrice: The price of the last trade.
    ///   - bidPrice: The best bid price.
    ///   - askPrice: The best ask price.
    ///   - bidQuantity: The quantity at the best bid.
    ///   - askQuantity: The quantity at the best ask.
    ///   - time: When the exchange produced these prices.
    public init(
        symbol: Symbol,
        lastPrice: Decimal? = nil,
        bidPrice: Decimal? = nil,
        askPrice: Decimal? = nil,
        bidQuantity: Decimal? = nil,
        askQuantity: Decimal? = nil,
        time: Date? = nil
    ) {
        self.symbol = symbol
        self.lastPrice = lastPrice
        self.bidPrice = bidPrice
        self.askPrice = askPrice
        self.bidQuantity = bidQuantity
        self.askQuantity = askQuantity
        self.time = time
    }

    /// The midpoint of the best bid and ask, if both are known.
    public var midPrice: Decimal? {
        guard let bidPrice, let askPrice else { return nil }
        return (bidPrice + askPrice) / 2
    }

    /// The best ask minus the best bid, if both are known.
    public var spread: Decimal? {
        guard let bidPrice, let askPrice else { return nil }
        return askPrice - bidPrice
    }

    /// `BTC/USDT last 30000.1 bid 30000 ask 30000.2`.
    public var description: String {
        var text = symbol.description
        if let lastPrice { text += " last \(lastPrice.plainString)" }
        if let bidPrice { text += " bid \(bidPrice.plainString)" + (bidQuantity.map { " x \($0.plainString)" } ?? "") }
        if let askPrice { text += " ask \(askPrice.plainString)" + (askQuantity.map { " x \($0.plainString)" } ?? "") }
        return text
    }
}
