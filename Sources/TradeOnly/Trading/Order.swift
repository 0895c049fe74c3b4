/// An order as the exchange reports it.
///
/// Quantities are in the instrument's quantity unit (base asset, or contracts for OKX swaps and Gate
/// futures), as in ``OrderRequest``.
public struct Order: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The exchange's id for the order (Binance `orderId`, Bybit `orderId`, OKX `ordId`, Gate `id`), as a string.
    public var exchangeOrderID: String
    /// The client order id, exactly as the exchange returned it, or `nil` if it has none.
    ///
    /// A `String`, not a ``ClientOrderID``: orders placed elsewhere (an exchange's web UI, another tool)
    /// carry ids TradeOnly did not make and whose alphabet ``ClientOrderID`` may refuse (Binance futures
    /// allows `.`, `:` and `/`; Gate writes `web` or `apiv4`). Exchange modules strip wire prefixes
    /// (Gate's `t-`), so ids TradeOnly sent compare equal to their `rawValue`.
    public var clientOrderID: String?
    /// The market.
    public var symbol: Symbol
    /// Buy or sell.
    public var side: OrderSide
    /// Limit or market.
    public var type: OrderType
    /// How long the order works, if the exchange reports it.
    public var timeInForce: TimeInForce?
    /// Whether the order is post-only.
    public var isPostOnly: Bool
    /// Where the order is in its life.
    public var status: OrderStatus
    /// The limit price; `nil` for market orders.
    public var price: Decimal?
    /// The quantity ordered.
    public var quantity: Decimal
    /// The quantity filled so far.
    public var filledQuantity: Decimal
    /// The average price of the fills, or `nil` when nothing has filled (exchanges write `0` or `""` then).
    public var averagePrice: Decimal?
    /// Whether the order may only reduce a position.
    public var isReduceOnly: Bool
    /// When the exchange accepted the order, if reported.
    public var createdAt: Date?
    /// When the order last changed, if reported.
    public var updatedAt: Date?

    /// Creates an order (exchange modules build these from their responses).
    ///
    /// - Parameters:
    ///   - exchangeOrderID: The exchange's id for the order.
    ///   - clientOrderID: The client order id as returned, or `nil`.
    ///   - symbol: The market.
    ///   - side: Buy or sell.
    ///   - type: Limit or market.
    ///   - timeInForce: How long the order works, if reported.
    ///   - isPostOnly: Whether the order is post-only.
    ///   - status: Where the order is in its life.
    ///   - price: The limit price, or `nil` for market orders.
    ///   - quantity: The quantity ordered.
    ///   - filledQuantity: The quantity filled so far.
    ///   - averagePrice: The average fill price, or `nil` when nothing has filled.
    ///   - isReduceOnly: Whether the order may only reduce a position.
    ///   - createdAt: When the exchange accepted the order.
    ///   - updatedAt: When the order last changed.
    public init(
        exchangeOrderID: String,
        clientOrderID: String? = nil,
        symbol: Symbol,
        side: OrderSide,
        type: OrderType,
        timeInForce: TimeInForce? = nil,
        isPostOnly: Bool = false,
        status: OrderStatus,
        price: Decimal? = nil,
        quantity: Decimal,
        filledQuantity: Decimal = 0,
        averagePrice: Decimal? = nil,
        isReduceOnly: Bool = false,
        createdAt: Date? = nil,
        updatedAt: Date? = nil
    ) {
        self.exchangeOrderID = exchangeOrderID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.isPostOnly = isPostOnly
        self.status = status
        self.price = price
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.averagePrice = averagePrice
        self.isReduceOnly = isReduceOnly
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The quantity not filled: `quantity − filledQuantity`, never negative.
    ///
    /// It does not look at ``status``: for a final order it is the part that will never fill.
    public var remainingQuantity: Decimal {
        let remaining = quantity - filledQuantity
        return remaining > 0 ? remaining : 0
    }

    /// A reference to this order by its exchange id, to query or cancel it.
    public var reference: OrderReference { .exchangeID(exchangeOrderID, on: symbol) }

    /// Whether the order was placed with this client order id.
    public func hasClientOrderID(_ id: ClientOrderID) -> Bool { clientOrderID == id.rawValue }

    /// One line for logs:
    /// `BUY 0.001 BTC/USDT @ 30000 (limit, GTC) partiallyFilled 0.0004/0.001 avg 29999.5 #28 [toAbc…]`.
    public var description: String {
        var text = "\(side) \(quantity.plainString) \(symbol)"
        if let price { text += " @ \(price.plainString)" }
        var traits: [String] = [type.description]
        if let timeInForce, type == .limit { traits.append(timeInForce.abbreviation) }
        if isPostOnly { traits.append("post-only") }
        if isReduceOnly { traits.append("reduce-only") }
        text += " (" + traits.joined(separator: ", ") + ")"
        text += " \(status) \(filledQuantity.plainString)/\(quantity.plainString)"
        if let averagePrice { text += " avg \(averagePrice.plainString)" }
        text += " #\(exchangeOrderID)"
        if let clientOrderID { text += " [\(clientOrderID)]" }
        return text
    }
}
