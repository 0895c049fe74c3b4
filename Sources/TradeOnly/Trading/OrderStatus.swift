/// Where an order is in its life, the same on every exchange.
///
/// Each exchange module maps its wire values with ``init(wireValue:mapping:)``; a value the module does
/// not know becomes ``unknown(_:)`` with the raw string, never a guessed status. The wire values each
/// case stands for are listed on the case. An unknown status is neither open nor final: a bot must not
/// assume the order is gone (or still working) when it sees one.
public enum OrderStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Accepted and working, nothing filled yet.
    /// Binance `NEW` (and `PENDING_NEW`), Bybit `New`, OKX `live`, Gate `open` with nothing filled.
    case new
    /// Working, partly filled.
    /// Binance `PARTIALLY_FILLED`, Bybit `PartiallyFilled`, OKX `partially_filled`, Gate `open` with a fill.
    case partiallyFilled
    /// Completely filled. Final.
    /// Binance `FILLED`, Bybit `Filled`, OKX `filled`, Gate `closed`/`finished` with `finish_as` `filled`.
    case filled
    /// Cancelled, by the bot, the exchange or self-trade prevention, possibly after partial fills
    /// (see `Order.filledQuantity`). Final.
    /// Binance `CANCELED`, Bybit `Cancelled`/`PartiallyFilledCanceled`, OKX `canceled`/`mmp_canceled`,
    /// Gate `cancelled` or `finish_as` `cancelled`/`stp`/`poc`/….
    case cancelled
    /// Refused by the matching engine after it was accepted. Final.
    /// Binance `REJECTED`, Bybit `Rejected`.
    case rejected
    /// Ended by its time in force or by the exchange without a cancel request (an IOC or FOK remainder,
    /// a post-only order that would have taken liquidity, a self-trade expiry). Final.
    /// Binance `EXPIRED`/`EXPIRED_IN_MATCH`, Gate `finish_as` `ioc`/`fok`.
    case expired
    /// A cancel was requested and is not yet confirmed (Binance `PENDING_CANCEL`). Still open.
    case pendingCancel
    /// A status this version of TradeOnly does not know, with the exchange's raw value.
    case unknown(String)

    /// Maps an exchange's raw status through the module's table; a value missing from the table becomes
    /// ``unknown(_:)`` carrying it.
    ///
    /// ```swift
    /// let binance: [String: OrderStatus] = ["NEW": .new, "PARTIALLY_FILLED": .partiallyFilled, …]
    /// OrderStatus(wireValue: "EXPIRED_IN_MATCH", mapping: binance)
    /// ```
    ///
    /// - Parameters:
    ///   - wireValue: The exchange's status string, exactly as sent.
    ///   - mapping: The module's table from wire values to statuses (case-sensitive).
    public init(wireValue: String, mapping: [String: OrderStatus]) {
        self = mapping[wireValue] ?? .unknown(wireValue)
    }

    /// Creates a status from its unified name (``name``); any other string is ``unknown(_:)``.
    public init(name: String) {
        switch name {
        case "new": self = .new
        case "partiallyFilled": self = .partiallyFilled
        case "filled": self = .filled
        case "cancelled": self = .cancelled
        case "rejected": self = .rejected
        case "expired": self = .expired
        case "pendingCancel": self = .pendingCancel
        default: self = .unknown(name)
        }
    }

    /// The unified name (`new`, `partiallyFilled`, …), or the raw wire value for ``unknown(_:)``.
    public var name: String {
        switch self {
        case .new: return "new"
        case .partiallyFilled: return "partiallyFilled"
        case .filled: return "filled"
        case .cancelled: return "cancelled"
        case .rejected: return "rejected"
        case .expired: return "expired"
        case .pendingCancel: return "pendingCancel"
        case .unknown(let raw): return raw
        }
    }

    /// Whether the order may still fill: new, partially filled, or pending cancel. `false` for unknown.
    public var isOpen: Bool {
        switch self {
        case .new, .partiallyFilled, .pendingCancel: return true
        case .filled, .cancelled, .rejected, .expired, .unknown: return false
        }
    }

    /// Whether the order is done and will never change again. `false` for unknown.
    public var isFinal: Bool {
        switch self {
        case .filled, .cancelled, .rejected, .expired: return true
        case .new, .partiallyFilled, .pendingCancel, .unknown: return false
        }
    }

    /// The unified name; an unknown status shows as `unknown(RAW)`.
    public var description: String {
        if case .unknown(let raw) = self { return "unknown(\(raw))" }
        return name
    }

    /// Decodes a status from its ``name``.
    public init(from decoder: any Decoder) throws {
        self.init(name: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the status as its ``name``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
