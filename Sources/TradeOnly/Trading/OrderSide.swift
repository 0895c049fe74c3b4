/// Whether an order buys or sells the base asset (or opens/adds to a long or a short position).
public enum OrderSide: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Buy the base asset (Binance `BUY`, Bybit `Buy`, OKX and Gate `buy`; Gate futures: a positive size).
    case buy
    /// Sell the base asset (Binance `SELL`, Bybit `Sell`, OKX and Gate `sell`; Gate futures: a negative size).
    case sell

    /// The other side.
    public var opposite: OrderSide { self == .buy ? .sell : .buy }

    /// `BUY` or `SELL`, as bots' logs usually show it.
    public var description: String { rawValue.uppercased() }
}
