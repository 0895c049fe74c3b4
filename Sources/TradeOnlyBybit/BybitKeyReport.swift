import Foundation
import TradeOnly

/// How Bybit's `GET /v5/user/query-api` answer becomes a ``KeyReport``: every permission group is mapped, and
/// anything TradeOnly does not know becomes an unknown capability that refuses the key.
///
/// | Group | Value | Permission |
/// |---|---|---|
/// | ContractTrade | Order, Position | futuresTrade |
/// | Spot | SpotTrade | spotTrade |
/// | Derivatives | DerivativesTrade | futuresTrade |
/// | Options | OptionsTrade | optionsTrade (refused unless the policy allows it) |
/// | Wallet | AccountTransfer | internalTransfer |
/// | Wallet | SubMemberTransfer, SubMemberTransferList | subAccountTransfer |
/// | Wallet | Withdraw | withdraw |
/// | Exchange | ExchangeHistory | convert |
/// | Earn | Earn | earn |
/// | FiatP2P | FiatP2POrder, Advertising | p2p |
/// | FiatBitPay | FaitPayOrder (sic), FiatPayOrder | payments |
/// | FiatConvertBroker | FiatConvertBrokerOrder | convert (a fiat conversion; it moves funds either way) |
/// | FiatGlobalPay | any value (undocumented) | payments |
/// | BitCard | BitCard | card |
/// | BlockTrade | BlockTrade | blockTrade |
/// | CopyTrading | CopyTrading (deprecated) | copyTrading |
/// | NFT | NFTQueryProductList (deprecated) | NFT marketplace (moves funds) |
/// | Affiliate, ByXPost | Affiliate, ByXPost | none: they move no money; noted |
///
/// An unknown value in a known group, and every value of an unknown group, is reported as
/// `"Group.Value"` in ``KeyReport/unknownCapabilities``; a group whose value is not a list as
/// `"Group(unreadable)"`. The answer fails closed in two more ways: without a `permissions` object it
/// says nothing about what the key can do, which is reported as `"permissions(missing)"`; and a field
/// of the answer outside `permissions` that is not one of Bybit's documented fields
/// (`WireAPIKeyInfo.knownFields`: `id`, `note`, `apiKey`, `readOnly`, `ips`, `expiredAt`, `uta`, …)
/// is reported by its name unless it is `false` or an empty list.
///
/// `readOnly` = 1 means the key cannot trade: trade permissions are then not granted (only
/// ``Permission/read``). Permissions that move funds are reported whatever `readOnly` says (Bybit's own
/// example shows `readOnly: 1` next to transfer permissions): a key that lists them is refused.
public enum BybitKeyReport {
    /// The path of the key check.
    public static let path = "/v5/user/query-api"

    /// What one permission value means.
    enum Meaning: Sendable {
        /// Trading: granted only on a read-write key.
        case trade(Permission)
        /// Anything else the key can do; granted whatever `readOnly` says.
        case grant(Permission)
        /// Known, moves no money: noted, not granted.
        case note(String)
    }

    /// Bybit's NFT marketplace permission (deprecated): buying NFTs spends funds.
    public static let nft = Permission(
        name: "nft", title: "NFT marketplace", movesFunds: true,
        disableHint: "untick the NFT permission of this key in Bybit's API management")

    static let groups: [String: [String: Meaning]] = [
        "ContractTrade": ["Order": .trade(.futuresTrade), "Position": .trade(.futuresTrade)],
        "Spot": ["SpotTrade": .trade(.spotTrade)],
        "Derivatives": ["DerivativesTrade": .trade(.futuresTrade)],
        "Options": ["OptionsTrade": .trade(.optionsTrade)],
        "Wallet": [
            "AccountTransfer": .grant(.internalTransfer),
            "SubMemberTransfer": .grant(.subAccountTransfer),
            "SubMemberTransferList": .grant(.subAccountTransfer),
            "Withdraw": .grant(.withdraw),
        ],
        "Exchange": ["ExchangeHistory": .grant(.convert)],
        "Earn": ["Earn": .grant(.earn)],
        "FiatP2P": ["FiatP2POrder": .grant(.p2p), "Advertising": .grant(.p2p)],
        "FiatBitPay": ["FaitPayOrder": .grant(.payments), "FiatPayOrder": .grant(.payments)],
        "FiatConvertBroker": ["FiatConvertBrokerOrder": .grant(.convert)],
        "FiatGlobalPay": [:],
        "BitCard": ["BitCard": .grant(.card)],
        "BlockTrade": ["BlockTrade": .grant(.blockTrade)],
        "CopyTrading": ["CopyTrading": .grant(.copyTrading)],
        "NFT": ["NFTQueryProductList": .grant(nft)],
        "Affiliate": ["Affiliate": .note("the key has the Affiliate permission (affiliate data; it moves no funds)")],
        "ByXPost": ["ByXPost": .note("the key has the ByXPost permission (community posts; it moves no funds)")],
    ]

    /// Groups whose every value means one permission, because Bybit does not document the values.
    static let wholeGroups: [String: Permission] = ["FiatGlobalPay": .payments]

    /// How to turn each permission off on Bybit.
    public static let hints: [Permission: String] = [
        .withdraw: "edit the key in Bybit's API management and untick Assets › Withdrawal (or create a new key without it)",
        .internalTransfer: "edit the key in Bybit's API management and untick Assets › Account Transfer",
        .subAccountTransfer: "edit the key in Bybit's API management and untick Assets › Subaccount Transfer",
        .convert: "edit the key in Bybit's API management and untick Convert (Exchange) and Fiat Convert",
        .earn: "edit the key in Bybit's API management and untick Earn",
        .p2p: "edit the key in Bybit's API management and untick Fiat P2P (orders and advertising)",
        .payments: "edit the key in Bybit's API management and untick Bybit Pay and Global Pay",
        .card: "edit the key in Bybit's API management and untick Bybit Card",
        .blockTrade: "edit the key in Bybit's API management and untick Block Trade",
        .copyTrading: "edit the key in Bybit's API management and untick Copy Trading",
        .optionsTrade: "edit the key in Bybit's API management and untick USDC Contracts / Options",
    ]

    /// The report for a key's information.
    ///
    /// - Parameters:
    ///   - info: Bybit's answer.
    ///   - now: The current time, for an expiry given only in days.
    ///   - environment: The environment the key was inspected in (``Bybit/Environment/keyEnvironment``).
    static func report(_ info: WireAPIKeyInfo, now: Date, environment: String? = nil) -> KeyReport {
        var permissions: Set<Permission> = [.read]
        var unknown: [String] = []
        var notes: [String] = []
        // A missing readOnly is treated as read-write: listed trade permissions then count.
        let readOnly = info.readOnly?.value == 1
        var listedTrade = false

        if info.permissions == nil {
            unknown.append("permissions(missing)")
            notes.append("Bybit's answer has no 'permissions' object, so TradeOnly cannot tell what the key can do")
        }
        for field in info.unknownFields {
            unknown.append(field)
            notes.append("'\(field)' is not a field Bybit documents for query-api; treated as an unknown capability")
        }

        for group in (info.permissions ?? [:]).keys.sorted() {
            guard let grants = info.permissions?[group] else { continue }
            if grants.isUnreadable {
                unknown.append("\(group)(unreadable)")
                continue
            }
            if let permission = wholeGroups[group] {
                if !grants.values.isEmpty { permissions.insert(permission) }
                continue
            }
            guard let known = groups[group] else {
                unknown += grants.values.map { "\(group).\($0)" }
                continue
            }
            for value in grants.values {
                switch known[value] {
                case .trade(let permission)?:
                    listedTrade = true
                    if !readOnly { permissions.insert(permission) }
                case .grant(let permission)?:
                    permissions.insert(permission)
                case .note(let text)?:
                    if !notes.contains(text) { notes.append(text) }
                case nil:
                    unknown.append("\(group).\(value)")
                }
            }
        }

        if readOnly {
            notes.append(
                listedTrade
                    ? "read-only key (readOnly = 1): Bybit lists trade permissions, but the key cannot trade"
                    : "read-only key (readOnly = 1): it can read but not trade")
        }

        let bound = (info.ips ?? []).filter { !$0.isEmpty && $0 != "*" }
        let isIPRestricted = !bound.isEmpty
        var expiresAt = parseExpiry(info.expiredAt)
        if expiresAt == nil, !isIPRestricted, let days = info.deadlineDay?.value, days > 0 {
            expiresAt = now.addingTimeInterval(Double(days) * 86_400)
        }
        if !isIPRestricted {
            if let expiresAt {
                notes.append(
                    "not IP-bound: expires after 90 days without IP binding: \(format(expiresAt)); "
                        + "bind it to your server's IP addresses so it does not expire")
            } else {
                notes.append(
                    "not IP-bound: Bybit disables keys without an IP binding after 90 days; "
                        + "bind it to your server's IP addresses")
            }
        }
        if isIPRestricted, let expiresAt {
            notes.append(
                "Bybit reports an expiry for this IP-bound key (keys expire 7 days after a password change): "
                    + format(expiresAt))
        }
        if info.isMaster == true {
            notes.append(
                "this key belongs to the master account, which is riskier if it leaks: "
                    + "run the bot on a sub-account key that holds only the funds it trades")
        }
        if info.type?.value == 2 {
            notes.append("this key is connected to a third-party application (type 2)")
        }
        if info.uta?.value == 0 {
            notes.append(
                "classic (non-unified) account: TradeOnly's Bybit client reads the unified trading account "
                    + "(accountType UNIFIED); upgrade the account to UTA")
        }

        var hints: [Permission: String] = [:]
        for permission in permissions where permission.movesFunds || permission == .optionsTrade {
            if let hint = Self.hints[permission] { hints[permission] = hint }
        }
        return KeyReport(
            exchange: Bybit.exchangeName, permissions: permissions, isIPRestricted: isIPRestricted,
            ipWhitelist: bound, expiresAt: expiresAt, unknownCapabilities: unknown, notes: notes, hints: hints,
            environment: environment)
    }

    /// `expiredAt` as a date; `nil` for the `1970-01-01T00:00:00Z` sentinel (no expiry), empty or
    /// unreadable values.
    static func parseExpiry(_ text: String?) -> Date? {
        guard let text, !text.isEmpty, let date = try? Date(text, strategy: .iso8601) else { return nil }
        return date.timeIntervalSince1970 > 86_400 ? date : nil
    }

    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }
}
