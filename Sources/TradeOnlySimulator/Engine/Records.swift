import Foundation
import TradeOnly

/// How much of an asset an account holds: available, and set aside for open orders and positions.
public struct SimulatedBalance: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Available for new orders (and, with a withdraw-enabled key, for withdrawals). Negative only
    /// after losses on perpetuals (there is no liquidation) or spot borrowing with `isLeverage=1`.
    public var free: Decimal
    /// Set aside: spot open orders, and for the settlement asset of perpetuals, order and position margin.
    public var locked: Decimal

    /// Creates a balance.
    public init(free: Decimal, locked: Decimal = 0) {
        self.free = free
        self.locked = locked
    }

    /// `free + locked`.
    public var total: Decimal { free + locked }

    /// `free 10 locked 2`.
    public var description: String { "free \(free.plainString) locked \(locked.plainString)" }
}

/// An order as the simulated exchange keeps it.
public struct SimulatedOrder: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The exchange-wide sequence number (1, 2, …): the order in which orders were accepted.
    public var sequence: Int
    /// The id the exchange reports (Binance: the sequence number; Bybit spot: a long number;
    /// Bybit linear: a UUID).
    public var exchangeOrderID: String
    /// The client order id (Binance `newClientOrderId`, Bybit `orderLinkId`), given or generated.
    public var clientOrderID: String
    /// The account that placed it.
    public var account: String
    /// The API key that placed it.
    public var apiKey: String
    /// The dialect it was placed through (`binance`, `bybit`).
    public var dialect: String
    /// The market.
    public var symbol: Symbol
    /// Spot or linear perpetual.
    public var kind: MarketKind
    /// Buy or sell.
    public var side: OrderSide
    /// Limit or market.
    public var type: OrderType
    /// The exchange's own type name (`LIMIT_MAKER`, `Limit`, …).
    public var wireType: String
    /// How long it works.
    public var timeInForce: TimeInForce
    /// Whether it may only add liquidity.
    public var isPostOnly: Bool
    /// Whether it may only reduce a position.
    public var isReduceOnly: Bool
    /// The limit price, or `nil` for a market order.
    public var price: Decimal?
    /// The quantity ordered in base units, or `nil` for a market order sized in the quote asset.
    public var quantity: Decimal?
    /// The amount of quote asset to spend or receive, for a market order sized in the quote asset
    /// (Binance `quoteOrderQty`, Bybit spot market buys by default).
    public var quoteQuantity: Decimal?
    /// The base quantity filled so far.
    public var filledQuantity: Decimal
    /// The quote value filled so far (`Σ price × quantity`).
    public var filledQuote: Decimal
    /// The fees paid so far, in ``feeAsset``.
    public var fees: Decimal
    /// The asset fees were paid in, if any were.
    public var feeAsset: String?
    /// Where it is in its life.
    public var status: OrderStatus
    /// Why the exchange ended it, if it did (for example `EC_PostOnlyWillTakeLiquidity`).
    public var endReason: String?
    /// Whether it borrows (Bybit `isLeverage=1` on spot).
    public var isLeveraged: Bool
    /// When it was accepted.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// The amount of ``reservedAsset`` still set aside for it.
    public var reserved: Decimal
    /// The asset set aside for it (quote for buys, base for sells, the settlement asset for perpetuals).
    public var reservedAsset: String?
    /// Whether it is (or was) on the order book.
    public var isResting: Bool

    /// The base quantity not filled, for an order sized in base units (zero otherwise).
    public var remainingQuantity: Decimal {
        guard let quantity else { return 0 }
        return max(quantity - filledQuantity, 0)
    }

    /// The average fill price, or `nil` before the first fill.
    public var averagePrice: Decimal? {
        filledQuantity > 0 ? filledQuote / filledQuantity : nil
    }

    /// `#12 [abc] BUY 0.001 BTC/USDT @ 30000 filled 0.0005`.
    public var description: String {
        var text = "#\(exchangeOrderID) [\(clientOrderID)] \(side) "
        if let quantity { text += quantity.plainString } else if let quoteQuantity { text += "\(quoteQuantity.plainString) (quote)" }
        text += " \(symbol)"
        if let price { text += " @ \(price.plainString)" }
        return text + " \(status) filled \(filledQuantity.plainString)"
    }
}

/// One execution of an order.
public struct SimulatedFill: Sendable, Hashable, Codable {
    /// The exchange-wide trade id (1, 2, …).
    public var tradeID: Int
    /// The sequence number of the order that filled.
    public var orderSequence: Int
    /// The exchange's id of the order.
    public var exchangeOrderID: String
    /// The order's client order id.
    public var clientOrderID: String
    /// The account.
    public var account: String
    /// The market.
    public var symbol: Symbol
    /// The order's side.
    public var side: OrderSide
    /// The execution price.
    public var price: Decimal
    /// The base quantity executed.
    public var quantity: Decimal
    /// `price × quantity`.
    public var quoteQuantity: Decimal
    /// The fee charged.
    public var fee: Decimal
    /// The asset of the fee: base asset for spot buys, quote asset for spot sells, the settlement
    /// asset for perpetuals.
    public var feeAsset: String
    /// The fee rate applied.
    public var feeRate: Decimal
    /// Whether the order was the maker (resting) side.
    public var isMaker: Bool
    /// The profit or loss realised by this fill on a perpetual (zero otherwise).
    public var realizedPnL: Decimal
    /// When it happened.
    public var time: Date
}

/// A position on a linear perpetual (one-way mode).
public struct SimulatedPosition: Sendable, Hashable, Codable {
    /// The market.
    public var symbol: Symbol
    /// The account.
    public var account: String
    /// The size: positive long, negative short, zero flat.
    public var size: Decimal
    /// The average entry price (rounded to 8 places), zero when flat.
    public var entryPrice: Decimal
    /// The mark price: the scripted price.
    public var markPrice: Decimal
    /// `size × (markPrice − entry)`, from the exact cost basis.
    public var unrealizedPnL: Decimal
    /// The initial margin held for the position (settlement asset).
    public var margin: Decimal
    /// The leverage the margin is computed with.
    public var leverage: Decimal
    /// The profit or loss realised so far on this market (before fees).
    public var realizedPnL: Decimal
    /// When the position was opened (or last reopened).
    public var createdAt: Date?
    /// When it last changed.
    public var updatedAt: Date?
}

/// A request that moved money (or tried to: only successful ones are recorded): a withdrawal or a
/// transfer, performed for a key that had the permission. A trade-only bot must never cause one.
public struct MoneyMovement: Sendable, Hashable, Codable {
    /// What it was: `withdraw`, `universalTransfer`, `internalTransfer`, `subAccountTransfer`.
    public var kind: String
    /// The endpoint path it came through.
    public var path: String
    /// The API key that asked.
    public var apiKey: String
    /// The account.
    public var account: String
    /// The asset.
    public var asset: String
    /// The amount.
    public var amount: Decimal
    /// Whether the money left the account (a withdrawal) rather than moving between its own wallets.
    public var leftAccount: Bool
    /// The id the exchange returned.
    public var id: String
    /// When.
    public var time: Date
}
