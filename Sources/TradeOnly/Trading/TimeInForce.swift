/// How long a limit order stays working.
///
/// Post-only is **not** a time in force here: it is the flag ``OrderRequest/isPostOnly`` on a
/// good-till-cancel limit order, because it is a property of the order ("never take liquidity") that
/// exchanges spell in different places. Each exchange module maps it:
///
/// | Exchange | Post-only limit order |
/// |---|---|
/// | Binance spot | `type=LIMIT_MAKER` (no `timeInForce`) |
/// | Binance USDⓈ-M futures | `timeInForce=GTX` |
/// | Bybit v5 | `timeInForce=PostOnly` |
/// | OKX v5 | `ordType=post_only` |
/// | Gate v4 | `time_in_force=poc` (futures `tif=poc`) |
///
/// Post-only combined with ``immediateOrCancel`` or ``fillOrKill`` is contradictory and refused by
/// `Instrument.validate(_:referencePrice:)`.
public enum TimeInForce: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Works until filled or cancelled (`GTC` everywhere; OKX `ordType=limit`; Gate `gtc`).
    case goodTillCancel
    /// Fills what it can at once and cancels the rest (`IOC`; OKX `ordType=ioc`; Gate `ioc`).
    /// Market orders behave this way on every supported exchange.
    case immediateOrCancel
    /// Fills completely at once or not at all (`FOK`; OKX `ordType=fok`; Gate `fok`).
    case fillOrKill

    /// The usual abbreviation: `GTC`, `IOC` or `FOK`.
    public var abbreviation: String {
        switch self {
        case .goodTillCancel: return "GTC"
        case .immediateOrCancel: return "IOC"
        case .fillOrKill: return "FOK"
        }
    }

    /// The abbreviation.
    public var description: String { abbreviation }
}
