/// One trade that filled (part of) one of our orders.
///
/// ``fee`` is what the account paid: positive for a fee, negative for a rebate. Modules normalise the
/// exchanges' conventions (OKX reports fees as negative numbers and rebates as positive ones).
public struct Fill: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The exchange's id for the trade (Binance `id`, Bybit `execId`, OKX `tradeId`, Gate `id`).
    public var tradeID: String
    /// The exchange's id for the order that filled.
    public var exchangeOrderID: String
    /// The order's client order id as returned, if any (a `String` for the reasons given on ``Order/clientOrderID``).
    public var clientOrderID: String?
    /// The market.
    public var symbol: Symbol
    /// Whether our order bought or sold.
    public var side: OrderSide
    /// The price of the trade.
    public var price: Decimal
    /// The quantity traded, in the instrument's quantity unit.
    public var quantity: Decimal
    /// The fee paid (negative for a rebate), in ``feeAsset``.
    public var fee: Decimal
    /// The asset the fee was charged in (`BNB`, `USDT`, the base asset…).
    public var feeAsset: String
    /// Whether our order was resting on the book (maker) rather than taking liquidity (taker).
    public var isMaker: Bool
    /// When the trade happened.
    public var time: Date

    /// Creates a fill.
    ///
    /// - Parameters:
    ///   - tradeID: The exchange's id for the trade.
    ///   - exchangeOrderID: The exchange's id for the order.
    ///   - clientOrderID: The order's client order id, if any.
    ///   - symbol: The market.
    ///   - side: Whether our order bought or sold.
    ///   - price: The price of the trade.
    ///   - quantity: The quantity traded.
    ///   - fee: The fee paid; negative for a rebate.
    ///   - feeAsset: The asset of the fee.
    ///   - isMaker: Whether our order was the maker.
    ///   - time: When the trade happened.
    public init(
        tradeID: String,
        exchangeOrderID: String,
        clientOrderID: String? = nil,
        symbol: Symbol,
        side: OrderSide,
        price: Decimal,
        quantity: Decimal,
        fee: Decimal,
        feeAsset: String,
        isMaker: Bool,
        time: Date
    ) {
        self.tradeID = tradeID
        self.exchangeOrderID = exchangeOrderID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.feeAsset = feeAsset
        self.isMaker = isMaker
        self.time = time
    }

    /// The traded value, `price × quantity` (for contracts, multiply by the contract size).
    public var notional: Decimal { price * quantity }

    /// `BUY 0.001 BTC/USDT @ 30000 fee 0.03 USDT maker #12345 order #28`.
    public var description: String {
        "\(side) \(quantity.plainString) \(symbol) @ \(price.plainString) fee \(fee.plainString) \(feeAsset) "
            + (isMaker ? "maker" : "taker") + " #\(tradeID) order #\(exchangeOrderID)"
    }
}
