/// Something an exchange lets an API key do, as the exchange reports it.
///
/// `Permission` is the *wide* set: it exists to describe what an exchange says about a key, including
/// everything a trade bot must never be able to do (withdraw, transfer, convert, borrow, …). A
/// ``SafeKey`` never carries a `Permission`; it carries ``TradePermission``s only.
///
/// The set is extensible: an exchange module can describe a permission TradeOnly does not list with
/// ``init(name:title:movesFunds:disableHint:)``. Two permissions are equal when their ``name``s are
/// equal, and a permission that reuses the name of a built-in fund-moving permission always moves
/// funds, whatever its initialiser said.
public struct Permission: Sendable, Hashable, CustomStringConvertible {
    /// The stable, machine-readable name, for example `"withdraw"` or `"spotTrade"`.
    public let name: String
    /// A short human name, for example `"Withdraw"` or `"Spot trade"`.
    public let title: String
    /// Whether this permission can move funds out of the account or between accounts, wallets or
    /// assets outside of ordinary trading. A key with such a permission is always refused.
    public let movesFunds: Bool
    /// A generic, exchange-neutral hint on how to turn this permission off for a key. Exchange
    /// modules give exchange-specific wording in ``KeyReport/hints``.
    public let disableHint: String

    /// Describes a permission TradeOnly does not list.
    ///
    /// - Parameters:
    ///   - name: A stable, machine-readable name. If it is the name of a built-in permission that
    ///     moves funds (for example `"withdraw"`), the result moves funds whatever `movesFunds` says.
    ///   - title: A short human name.
    ///   - movesFunds: Whether the permission can move funds. When in doubt, pass `true`, or report the
    ///     flag as an unknown capability (``KeyReport/unknownCapabilities``) instead.
    ///   - disableHint: How to turn the permission off; a generic sentence built from `title` if `nil`.
    public init(name: String, title: String, movesFunds: Bool, disableHint: String? = nil) {
        let builtInMovesFunds = Permission.builtIn.contains { $0.name == name && $0.movesFunds }
        self.init(uncheckedName: name, title: title, movesFunds: movesFunds || builtInMovesFunds, disableHint: disableHint)
    }

    private init(uncheckedName name: String, title: String, movesFunds: Bool, disableHint: String? = nil) {
        self.name = name
        self.title = title
        self.movesFunds = movesFunds
        self.disableHint = disableHint ?? "turn off '\(title)' for this key in the exchange's API key settings"
    }

    /// The title, with " (moves funds)" after it for a permission that moves funds.
    public var description: String { movesFunds ? "\(title) (moves funds)" : title }

    /// Permissions are identified by ``name``.
    public static func == (lhs: Permission, rhs: Permission) -> Bool { lhs.name == rhs.name }

    /// Hashes the ``name``.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    // MARK: Reading and trading

    /// Read account data: balances, positions, orders, trades.
    public static let read = Permission(uncheckedName: "read", title: "Read", movesFunds: false)
    /// Place and cancel spot orders.
    public static let spotTrade = Permission(uncheckedName: "spotTrade", title: "Spot trade", movesFunds: false)
    /// Place and cancel margin orders (trading only; borrowing is ``borrow``).
    public static let marginTrade = Permission(uncheckedName: "marginTrade", title: "Margin trade", movesFunds: false)
    /// Place and cancel futures and perpetual-swap orders.
    public static let futuresTrade = Permission(uncheckedName: "futuresTrade", title: "Futures trade", movesFunds: false)
    /// Place and cancel options orders.
    public static let optionsTrade = Permission(uncheckedName: "optionsTrade", title: "Options trade", movesFunds: false)
    /// Trade through a portfolio-margin account.
    public static let portfolioMarginTrade = Permission(
        uncheckedName: "portfolioMarginTrade", title: "Portfolio margin trade", movesFunds: false)
    /// Trade through the FIX API.
    public static let fixTrade = Permission(uncheckedName: "fixTrade", title: "FIX API trade", movesFunds: false)
    /// Read through the FIX API.
    public static let fixRead = Permission(uncheckedName: "fixRead", title: "FIX API read", movesFunds: false)

    // MARK: Moving funds

    /// Block trades: negotiated trades with a chosen counterparty at a negotiated price. Counted as
    /// moving funds: a trade at an arbitrary price with a chosen counterparty hands value to that
    /// counterparty directly.
    public static let blockTrade = Permission(
        uncheckedName: "blockTrade", title: "Block trade", movesFunds: true,
        disableHint: "turn off block trading for this key")
    /// Withdraw funds off the exchange, or to another user of the exchange.
    public static let withdraw = Permission(
        uncheckedName: "withdraw", title: "Withdraw", movesFunds: true,
        disableHint: "turn off withdrawals for this key in the exchange's API key settings")
    /// Transfer funds between the user's main account and sub-accounts (Binance "internal transfer").
    public static let internalTransfer = Permission(
        uncheckedName: "internalTransfer", title: "Internal transfer", movesFunds: true,
        disableHint: "turn off internal transfers for this key")
    /// Transfer funds between the user's own wallets or account types (Binance "universal transfer").
    public static let universalTransfer = Permission(
        uncheckedName: "universalTransfer", title: "Universal transfer", movesFunds: true,
        disableHint: "turn off universal (wallet-to-wallet) transfers for this key")
    /// Transfer funds to, from or between sub-accounts.
    public static let subAccountTransfer = Permission(
        uncheckedName: "subAccountTransfer", title: "Sub-account transfer", movesFunds: true,
        disableHint: "turn off sub-account transfers for this key")
    /// Convert one asset into another outside the order book.
    public static let convert = Permission(
        uncheckedName: "convert", title: "Convert", movesFunds: true,
        disableHint: "turn off convert for this key")
    /// Subscribe to and redeem earn products (savings, staking), which locks funds away.
    public static let earn = Permission(
        uncheckedName: "earn", title: "Earn", movesFunds: true,
        disableHint: "turn off earn (savings, staking) for this key")
    /// Borrow and repay (margin loans, crypto loans).
    public static let borrow = Permission(
        uncheckedName: "borrow", title: "Borrow", movesFunds: true,
        disableHint: "turn off margin borrowing and loans for this key")
    /// Peer-to-peer trading, which can release crypto to a counterparty.
    public static let p2p = Permission(
        uncheckedName: "p2p", title: "P2P trading", movesFunds: true,
        disableHint: "turn off P2P trading for this key")
    /// Payments to merchants or other users.
    public static let payments = Permission(
        uncheckedName: "payments", title: "Payments", movesFunds: true,
        disableHint: "turn off payments for this key")
    /// Spending through an exchange-issued card.
    public static let card = Permission(
        uncheckedName: "card", title: "Card", movesFunds: true,
        disableHint: "turn off card spending for this key")
    /// Create, change or delete API keys.
    public static let keyManagement = Permission(
        uncheckedName: "keyManagement", title: "API key management", movesFunds: true,
        disableHint: "remove the API key management permission from this key")
    /// Create and manage sub-accounts.
    public static let subAccountManagement = Permission(
        uncheckedName: "subAccountManagement", title: "Sub-account management", movesFunds: true,
        disableHint: "remove the sub-account management permission from this key")
    /// Copy trading, which moves funds into copy-trading accounts and pays lead traders.
    public static let copyTrading = Permission(
        uncheckedName: "copyTrading", title: "Copy trading", movesFunds: true,
        disableHint: "turn off copy trading for this key")
    /// The exchange's own trading bots (grid, DCA, …), which move funds into separate bot accounts.
    public static let bots = Permission(
        uncheckedName: "bots", title: "Trading bots", movesFunds: true,
        disableHint: "turn off the exchange's trading bots for this key")

    /// Every permission TradeOnly lists, in a stable order.
    public static let builtIn: [Permission] = [
        .read, .spotTrade, .marginTrade, .futuresTrade, .optionsTrade, .portfolioMarginTrade, .fixTrade, .fixRead,
        .blockTrade, .withdraw, .internalTransfer, .universalTransfer, .subAccountTransfer, .convert, .earn, .borrow,
        .p2p, .payments, .card, .keyManagement, .subAccountManagement, .copyTrading, .bots,
    ]
}
