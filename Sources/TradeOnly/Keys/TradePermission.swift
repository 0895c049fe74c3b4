/// What a ``SafeKey`` may do: read, trade spot, trade futures. Nothing else exists.
///
/// This enum is closed on purpose. There is no case for withdrawing or transferring, so no code path
/// can build a ``SafeKey`` that claims one. The wider set of things an exchange can grant is
/// ``Permission``, which only describes.
public enum TradePermission: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Read account data: balances, positions, orders, trades.
    case read
    /// Place and cancel spot orders.
    case spotTrade
    /// Place and cancel futures and perpetual-swap orders.
    case futuresTrade

    /// The matching descriptive ``Permission``.
    public var permission: Permission {
        switch self {
        case .read: return .read
        case .spotTrade: return .spotTrade
        case .futuresTrade: return .futuresTrade
        }
    }

    /// The trade permission that matches a descriptive permission, if there is one.
    ///
    /// - Parameter permission: A permission an exchange reported.
    /// - Returns: `nil` for every permission other than ``Permission/read``, ``Permission/spotTrade``
    ///   and ``Permission/futuresTrade``, and for any permission that moves funds.
    public init?(_ permission: Permission) {
        guard !permission.movesFunds,
            let match = TradePermission.allCases.first(where: { $0.permission == permission })
        else { return nil }
        self = match
    }

    /// The case name: `read`, `spotTrade` or `futuresTrade`.
    public var description: String {
        switch self {
        case .read: return "read"
        case .spotTrade: return "spotTrade"
        case .futuresTrade: return "futuresTrade"
        }
    }
}
