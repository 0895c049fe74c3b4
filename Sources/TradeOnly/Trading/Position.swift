/// An open derivatives position.
///
/// The direction is ``side`` and the size is ``quantity``, always zero or more; ``signedQuantity`` gives
/// the net-mode view (long positive, short negative). In one-way (net) mode an exchange reports one
/// signed amount per symbol (Binance `positionSide=BOTH` `positionAmt`, OKX `posSide=net` `pos`,
/// Gate `size`), and the module turns its sign into ``side``; in hedge mode a symbol can have a long and
/// a short position at once, reported as two values. Modules leave out flat (zero) positions.
public struct Position: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The direction of a position.
    public enum Side: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
        /// Profits when the price rises.
        case long
        /// Profits when the price falls.
        case short

        /// `long` or `short`.
        public var description: String { rawValue }
    }

    /// How a position's margin is held.
    public enum MarginMode: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
        /// Margin shared with the rest of the account.
        case cross
        /// Margin set aside for this position only.
        case isolated

        /// `cross` or `isolated`.
        public var description: String { rawValue }
    }

    /// The market (`BTC/USDT:USDT`).
    public var symbol: Symbol
    /// Long or short.
    public var side: Side
    /// The size, zero or more, in the instrument's quantity unit (base asset or contracts).
    public var quantity: Decimal
    /// The average entry price.
    public var entryPrice: Decimal
    /// The exchange's mark price, if reported.
    public var markPrice: Decimal?
    /// The unrealised profit or loss in the settlement asset, if reported.
    public var unrealizedPnL: Decimal?
    /// The price at which the position would be liquidated, if reported (exchanges send `0` or `""` for none).
    public var liquidationPrice: Decimal?
    /// The leverage, if reported.
    public var leverage: Decimal?
    /// Cross or isolated margin, if reported.
    public var marginMode: MarginMode?
    /// When the position last changed, if reported.
    public var updatedAt: Date?

    /// Creates a position.
    ///
    /// - Parameters:
    ///   - symbol: The market.
    ///   - side: Long or short.
    ///   - quantity: The size, zero or more (the magnitude is taken if negative).
    ///   - entryPrice: The average entry price.
    ///   - markPrice: The mark price.
    ///   - unrealizedPnL: The unrealised profit or loss.
    ///   - liquidationPrice: The liquidation price.
    ///   - leverage: The leverage.
    ///   - marginMode: Cross or isolated.
    ///   - updatedAt: When the position last changed.
    public init(
        symbol: Symbol,
        side: Side,
        quantity: Decimal,
        entryPrice: Decimal,
        markPrice: Decimal? = nil,
        unrealizedPnL: Decimal? = nil,
        liquidationPrice: Decimal? = nil,
        leverage: Decimal? = nil,
        marginMode: MarginMode? = nil,
        updatedAt: Date? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity.magnitude
        self.entryPrice = entryPrice
        self.markPrice = markPrice
        self.unrealizedPnL = unrealizedPnL
        self.liquidationPrice = liquidationPrice
        self.leverage = leverage
        self.marginMode = marginMode
        self.updatedAt = updatedAt
    }

    /// Creates a position from a net-mode signed amount: positive is long, negative is short.
    public init(
        symbol: Symbol,
        signedQuantity: Decimal,
        entryPrice: Decimal,
        markPrice: Decimal? = nil,
        unrealizedPnL: Decimal? = nil,
        liquidationPrice: Decimal? = nil,
        leverage: Decimal? = nil,
        marginMode: MarginMode? = nil,
        updatedAt: Date? = nil
    ) {
        self.init(
            symbol: symbol, side: signedQuantity < 0 ? .short : .long, quantity: signedQuantity,
            entryPrice: entryPrice, markPrice: markPrice, unrealizedPnL: unrealizedPnL,
            liquidationPrice: liquidationPrice, leverage: leverage, marginMode: marginMode, updatedAt: updatedAt
        )
    }

    /// The size with the net-mode sign: positive for long, negative for short.
    public var signedQuantity: Decimal { side == .short ? -quantity : quantity }

    /// The side of an order that closes this position (sell for a long, buy for a short).
    public var closingSide: OrderSide { side == .long ? .sell : .buy }

    /// `LONG 0.5 BTC/USDT:USDT @ 30000 mark 30100 uPnL 50 10x cross`.
    public var description: String {
        var text = "\(side.rawValue.uppercased()) \(quantity.plainString) \(symbol) @ \(entryPrice.plainString)"
        if let markPrice { text += " mark \(markPrice.plainString)" }
        if let unrealizedPnL { text += " uPnL \(unrealizedPnL.plainString)" }
        if let liquidationPrice { text += " liq \(liquidationPrice.plainString)" }
        if let leverage { text += " \(leverage.plainString)x" }
        if let marginMode { text += " \(marginMode)" }
        return text
    }
}
