/// An order a bot wants to place, the same on every exchange.
///
/// ```swift
/// let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: 0.001, price: 30_000)
/// let safe = instrument.rounded(order)            // quantity down, buy price down to the grid
/// try instrument.validate(safe)                   // names the broken rule and the nearest valid values
/// ```
///
/// **Quantity** is always in the instrument's quantity unit (`Instrument.quantityUnit`): units of the
/// base asset for spot and for Binance and Bybit perpetuals (`0.001` BTC), and **contracts** for OKX
/// swaps and Gate futures (`Instrument.contractSize` base units each). A market buy is a base quantity
/// too; exchanges whose market buys default to quote units (Bybit spot, OKX spot) are mapped by their
/// module (`marketUnit=baseCoin`, `tgtCcy=base_ccy`).
///
/// **Post-only** is the ``isPostOnly`` flag on a good-till-cancel limit order, not a time in force; see
/// ``TimeInForce`` for how each exchange spells it.
///
/// - Important: Swift floating-point literals pass through `Double`: `quantity: 0.00015` arrives as
///   `0.00014999999999999995904`. An order request removes that noise when it is created (see
///   `Decimal.removingFloatLiteralNoise()`), so the literal means what it says; a value assigned to
///   ``quantity`` or ``price`` later is kept as it is. Exact values are clearer still:
///   `Decimal(exactly: "0.00015")`, or integers.
public struct OrderRequest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The market, in unified spelling (`BTC/USDT`, `BTC/USDT:USDT`).
    public var symbol: Symbol
    /// Buy or sell.
    public var side: OrderSide
    /// Limit or market.
    public var type: OrderType
    /// How much to buy or sell, in the instrument's quantity unit (base asset or contracts). Positive.
    public var quantity: Decimal
    /// The limit price in the quote asset; `nil` for market orders.
    public var price: Decimal?
    /// How long the order works. Market orders execute at once whatever this says; modules send it only
    /// where the exchange takes it.
    public var timeInForce: TimeInForce
    /// Whether the order must only add liquidity: the exchange cancels (or rejects) it instead of letting
    /// it take liquidity. Limit orders with ``TimeInForce/goodTillCancel`` only.
    public var isPostOnly: Bool
    /// Whether the order may only reduce an open position, never open or increase one. Perpetuals only.
    public var isReduceOnly: Bool
    /// The id to find the order by. The client generates one if this is `nil`, before sending.
    public var clientOrderID: ClientOrderID?

    /// Creates an order request. Prefer ``limit(_:_:quantity:price:timeInForce:postOnly:reduceOnly:clientOrderID:)``
    /// and ``market(_:_:quantity:reduceOnly:clientOrderID:)``.
    ///
    /// - Parameters:
    ///   - symbol: The market.
    ///   - side: Buy or sell.
    ///   - type: Limit or market.
    ///   - quantity: How much, in the instrument's quantity unit.
    ///   - price: The limit price; `nil` for market orders.
    ///   - timeInForce: How long the order works. Defaults to good till cancel.
    ///   - isPostOnly: Whether the order must only add liquidity.
    ///   - isReduceOnly: Whether the order may only reduce a position.
    ///   - clientOrderID: The id to find the order by; generated when sent if `nil`.
    public init(
        symbol: Symbol,
        side: OrderSide,
        type: OrderType,
        quantity: Decimal,
        price: Decimal? = nil,
        timeInForce: TimeInForce = .goodTillCancel,
        isPostOnly: Bool = false,
        isReduceOnly: Bool = false,
        clientOrderID: ClientOrderID? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        // Float literals reach Decimal through Double: give back what the literal said.
        self.quantity = quantity.removingFloatLiteralNoise()
        self.price = price.map { $0.removingFloatLiteralNoise() }
        self.timeInForce = timeInForce
        self.isPostOnly = isPostOnly
        self.isReduceOnly = isReduceOnly
        self.clientOrderID = clientOrderID
    }

    /// A limit order: buy or sell `quantity` at `price` or better.
    ///
    /// - Parameters:
    ///   - side: Buy or sell.
    ///   - symbol: The market.
    ///   - quantity: How much, in the instrument's quantity unit.
    ///   - price: The limit price.
    ///   - timeInForce: How long the order works. Defaults to good till cancel.
    ///   - postOnly: Whether the order must only add liquidity (with good till cancel only).
    ///   - reduceOnly: Whether the order may only reduce a position (perpetuals only).
    ///   - clientOrderID: The id to find the order by; generated when sent if `nil`.
    public static func limit(
        _ side: OrderSide,
        _ symbol: Symbol,
        quantity: Decimal,
        price: Decimal,
        timeInForce: TimeInForce = .goodTillCancel,
        postOnly: Bool = false,
        reduceOnly: Bool = false,
        clientOrderID: ClientOrderID? = nil
    ) -> OrderRequest {
        OrderRequest(
            symbol: symbol, side: side, type: .limit, quantity: quantity, price: price,
            timeInForce: timeInForce, isPostOnly: postOnly, isReduceOnly: reduceOnly, clientOrderID: clientOrderID
        )
    }

    /// A market order: buy or sell `quantity` now at the best available prices.
    ///
    /// Its time in force is ``TimeInForce/immediateOrCancel``, which is how market orders behave on
    /// every supported exchange.
    ///
    /// - Parameters:
    ///   - side: Buy or sell.
    ///   - symbol: The market.
    ///   - quantity: How much, in the instrument's quantity unit (base units even for a market buy).
    ///   - reduceOnly: Whether the order may only reduce a position (perpetuals only).
    ///   - clientOrderID: The id to find the order by; generated when sent if `nil`.
    public static func market(
        _ side: OrderSide,
        _ symbol: Symbol,
        quantity: Decimal,
        reduceOnly: Bool = false,
        clientOrderID: ClientOrderID? = nil
    ) -> OrderRequest {
        OrderRequest(
            symbol: symbol, side: side, type: .market, quantity: quantity, price: nil,
            timeInForce: .immediateOrCancel, isPostOnly: false, isReduceOnly: reduceOnly, clientOrderID: clientOrderID
        )
    }

    /// The same order with the given client order id.
    public func withClientOrderID(_ clientOrderID: ClientOrderID) -> OrderRequest {
        var copy = self
        copy.clientOrderID = clientOrderID
        return copy
    }

    /// The notional value at the limit price (`price × quantity`), or `nil` for a market order.
    /// For contracts, multiply by the contract size (`Instrument.notional(price:quantity:)` does).
    public var notional: Decimal? { price.map { $0 * quantity } }

    /// One line for logs: `BUY 0.001 BTC/USDT @ 30000.5 (limit, GTC, post-only) [toAbc123…]`.
    public var description: String {
        var text = "\(side) \(quantity.plainString) \(symbol)"
        if let price { text += " @ \(price.plainString)" }
        var traits: [String] = [type.description]
        if type == .limit { traits.append(timeInForce.abbreviation) }
        if isPostOnly { traits.append("post-only") }
        if isReduceOnly { traits.append("reduce-only") }
        text += " (" + traits.joined(separator: ", ") + ")"
        if let clientOrderID { text += " [\(clientOrderID)]" }
        return text
    }
}
