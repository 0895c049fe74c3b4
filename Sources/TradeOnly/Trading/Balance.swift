/// How much of one asset an account holds.
public struct Balance: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The asset (`BTC`, `USDT`), as the exchange names it.
    public var asset: String
    /// The amount available for new orders (Binance `free`, Bybit available balance, OKX `availBal`,
    /// Gate `available`).
    public var free: Decimal
    /// The amount held by open orders or otherwise unavailable (Binance `locked`, OKX `frozenBal`, Gate `locked`).
    public var locked: Decimal
    /// The whole balance. Usually `free + locked`; for margin accounts it is the exchange's own total
    /// (wallet balance or equity), which may differ.
    public var total: Decimal

    /// Creates a balance.
    ///
    /// - Parameters:
    ///   - asset: The asset.
    ///   - free: The amount available for new orders.
    ///   - locked: The amount held by open orders.
    ///   - total: The whole balance; defaults to `free + locked`.
    public init(asset: String, free: Decimal, locked: Decimal = 0, total: Decimal? = nil) {
        self.asset = asset
        self.free = free
        self.locked = locked
        self.total = total ?? free + locked
    }

    /// `USDT 1000.5 (free 900.5, locked 100)`.
    public var description: String {
        "\(asset) \(total.plainString) (free \(free.plainString), locked \(locked.plainString))"
    }
}
