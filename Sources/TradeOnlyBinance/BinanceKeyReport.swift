import TradeOnly

/// How Binance's `GET /sapi/v1/account/apiRestrictions` answer becomes a ``KeyReport``.
///
/// | Field | Becomes |
/// |---|---|
/// | `enableReading` | ``Permission/read`` |
/// | `enableSpotAndMarginTrading` | ``Permission/spotTrade`` (plus a note: on a master account it also unlocks sub-account transfers) |
/// | `enableFutures` | ``Permission/futuresTrade`` |
/// | `enableMargin` | ``Permission/borrow`` (margin loans move funds: refused) |
/// | `enableVanillaOptions` | ``Permission/optionsTrade`` |
/// | `enablePortfolioMarginTrading` | ``Permission/portfolioMarginTrade`` |
/// | `enableFixApiTrade` | ``Permission/fixTrade`` |
/// | `enableFixReadOnly` | ``Permission/fixRead`` |
/// | `enableWithdrawals` | ``Permission/withdraw`` |
/// | `enableInternalTransfer` | ``Permission/internalTransfer`` |
/// | `permitsUniversalTransfer` | ``Permission/universalTransfer`` |
/// | `ipRestrict` | ``KeyReport/isIPRestricted`` |
/// | `tradingAuthorityExpirationTime` (ms, optional) | ``KeyReport/expiresAt`` |
/// | `createTime` | a note |
/// | any other field that is `false` | nothing: a capability that is not granted |
/// | any other field, whatever its value (`true`, `1`, `"true"`, `null`, an object, an array) | ``KeyReport/unknownCapabilities``, spelled as Binance spells it |
///
/// Fail-closed rules: the three fund-moving flags (`enableWithdrawals`, `enableInternalTransfer`,
/// `permitsUniversalTransfer`) must be present as booleans, or the answer is refused as
/// undecidable; any known capability flag that is not a boolean, and any field TradeOnly does not
/// know that is not `false`, is reported as an unknown capability (which refuses the key). Only the
/// fields of ``nonCapabilityFields`` are read as something other than a capability.
public enum BinanceKeyReport {
    /// The path of the key check.
    public static let path = "/sapi/v1/account/apiRestrictions"

    /// Binance's capability flags and the permission each one grants.
    public static let permissionFlags: [String: Permission] = [
        "enableReading": .read,
        "enableSpotAndMarginTrading": .spotTrade,
        "enableFutures": .futuresTrade,
        "enableMargin": .borrow,
        "enableVanillaOptions": .optionsTrade,
        "enablePortfolioMarginTrading": .portfolioMarginTrade,
        "enableFixApiTrade": .fixTrade,
        "enableFixReadOnly": .fixRead,
        "enableWithdrawals": .withdraw,
        "enableInternalTransfer": .internalTransfer,
        "permitsUniversalTransfer": .universalTransfer,
    ]

    /// The fields of the answer that are not capabilities (Binance's documented `ipRestrict`,
    /// `createTime` and `tradingAuthorityExpirationTime`). Every other field is a capability flag:
    /// known ones map to ``permissionFlags``, unknown ones that are not `false` refuse the key.
    public static let nonCapabilityFields: Set<String> = ["ipRestrict", "createTime", "tradingAuthorityExpirationTime"]

    /// The flags that must be present for the answer to decide anything.
    public static let requiredFlags = ["enableWithdrawals", "enableInternalTransfer", "permitsUniversalTransfer"]

    /// How to turn each permission off in Binance's API Management page.
    public static let hints: [Permission: String] = [
        .withdraw: "disable 'Enable Withdrawals' for this key in API Management",
        .internalTransfer: "disable 'Enable Internal Transfer' (transfers between master and sub-accounts) for this key in API Management",
        .universalTransfer: "disable 'Permits Universal Transfer' for this key in API Management",
        .borrow: "disable 'Enable Margin Loan, Repay & Transfer' for this key in API Management",
        .optionsTrade: "disable 'Enable European Options' for this key in API Management, or allow options trading in your KeyPolicy",
        .portfolioMarginTrade: "disable 'Enable Portfolio Margin Trading' for this key in API Management, or allow it in your KeyPolicy",
        .fixTrade: "disable FIX API trading for this key in API Management, or allow it in your KeyPolicy",
        .fixRead: "disable FIX API read-only access for this key in API Management, or allow it in your KeyPolicy",
    ]

    /// Why a key without an IP whitelist is a risk on Binance.
    public static let noIPRestrictionNote =
        "no IP restriction: Binance unticks 'Enable Spot & Margin Trading' after 30 days on a key without an IP whitelist, "
        + "and a leaked key works from anywhere; restrict the key to your bot's IP addresses"

    /// Why a spot-trading key on a master account is more dangerous than on a sub-account.
    public static let masterAccountNote =
        "'Enable Spot & Margin Trading' on a MASTER account also unlocks some sub-account transfers "
        + "(for example /sapi/v1/sub-account/transfer/subToMaster); TradeOnly's endpoint policy never signs them, "
        + "but run bots on a sub-account key to keep that door shut everywhere"

    /// A report for an environment where the key cannot be checked.
    static func unverifiable(reason: String) -> KeyReport {
        KeyReport(
            exchange: Binance.exchangeName, isVerifiable: false, unverifiableReason: reason, hints: hints)
    }

    /// Translates the answer's fields.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/decoding`` if a fund-moving flag is
    ///   missing or not a boolean.
    static func report(from fields: [String: JSONValue]) throws -> KeyReport {
        for flag in requiredFlags {
            guard fields[flag]?.boolValue != nil else {
                throw ExchangeError(
                    .decoding,
                    message: "Binance's key report does not say '\(flag)' as true or false, so TradeOnly cannot tell "
                        + "whether the key can move funds; the key is not accepted",
                    exchange: Binance.exchangeName)
            }
        }
        var permissions: Set<Permission> = []
        var unknown: [String] = []
        var notes: [String] = []
        var isIPRestricted = false
        var expiresAt: Date?

        for name in fields.keys.sorted() {
            guard let value = fields[name] else { continue }
            if let permission = permissionFlags[name] {
                switch value {
                case .bool(true): permissions.insert(permission)
                case .bool(false): break
                default:
                    // A capability flag we cannot read is treated as granted and unknown: fail closed.
                    unknown.append(name)
                    notes.append("'\(name)' was a \(value.typeName), not true or false; treated as an unknown capability")
                }
                continue
            }
            switch name {
            case "ipRestrict":
                if let flag = value.boolValue {
                    isIPRestricted = flag
                } else {
                    notes.append("'ipRestrict' was a \(value.typeName), not true or false; treated as not restricted")
                }
            case "tradingAuthorityExpirationTime":
                if let milliseconds = value.integerValue, milliseconds > 0 {
                    expiresAt = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
                } else if value != .null && value.integerValue != 0 {
                    notes.append("'tradingAuthorityExpirationTime' was not a time in milliseconds; ignored")
                }
            case "createTime":
                if let milliseconds = value.integerValue, milliseconds > 0 {
                    let created = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
                    notes.append("key created at \(Date.ISO8601FormatStyle().format(created))")
                }
            default:
                // Not a field TradeOnly knows: a capability it cannot judge, unless it is plainly off.
                switch value {
                case .bool(false): break
                case .bool(true): unknown.append(name)
                default:
                    unknown.append(name)
                    notes.append("'\(name)' was a \(value.typeName), not true or false; treated as an unknown capability")
                }
            }
        }
        if !isIPRestricted { notes.append(noIPRestrictionNote) }
        if permissions.contains(.spotTrade) { notes.append(masterAccountNote) }
        if permissions.contains(.borrow) {
            notes.append("'enableMargin' lets the key borrow and repay margin loans, which moves funds; TradeOnly refuses it")
        }
        return KeyReport(
            exchange: Binance.exchangeName, permissions: permissions, isIPRestricted: isIPRestricted,
            expiresAt: expiresAt, unknownCapabilities: unknown, notes: notes, hints: hints)
    }
}
