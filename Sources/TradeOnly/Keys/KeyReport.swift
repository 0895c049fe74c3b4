/// What an exchange says an API key can do.
///
/// Each exchange module's ``KeyInspector`` asks the exchange about the key (Binance
/// `GET /sapi/v1/account/apiRestrictions`, Bybit `GET /v5/user/query-api`, OKX
/// `GET /api/v5/account/config`, Gate `GET /api/v4/account/detail` and `GET /api/v4/account/main_keys`)
/// and translates the answer into a report: the ``permissions`` granted, the IP binding, the expiry,
/// and every flag it could not translate, as ``unknownCapabilities``. ``KeyPolicy`` and
/// ``SafeKey/verify(_:using:policy:)`` judge the report; a refusal carries it in
/// ``ExchangeError/keyReport``.
public struct KeyReport: Sendable, Hashable, CustomStringConvertible {
    /// The exchange's name, for example `"binance"`.
    public var exchange: String
    /// The permissions the exchange reports as granted.
    public var permissions: Set<Permission>
    /// Whether the key is bound to a list of IP addresses.
    public var isIPRestricted: Bool
    /// The IP addresses (or networks) the key is bound to, when the exchange reports them.
    public var ipWhitelist: [String]
    /// When the key, or its trading permission, expires; `nil` if the exchange reports no expiry.
    public var expiresAt: Date?
    /// Capability flags the exchange reported as granted that TradeOnly does not know, spelled exactly
    /// as the exchange spelled them (`"enableFooBar"`, `"FiatGlobalPay"`). Any of them refuses the key.
    public var unknownCapabilities: [String]
    /// Whether the exchange could say what the key can do. `false`, for example, on Binance's spot
    /// testnet, which has no `/sapi` endpoints.
    public var isVerifiable: Bool
    /// Why the exchange could not say what the key can do, when ``isVerifiable`` is `false`.
    public var unverifiableReason: String?
    /// Warnings in plain words, for example "not IP-bound: the trading permission expires in 30 days".
    public var notes: [String]
    /// Exchange-specific instructions to turn a permission off, for example for Binance's
    /// ``Permission/withdraw``: "untick 'Enable Withdrawals' for this key in API Management".
    /// ``disableHint(for:)`` falls back to the permission's generic ``Permission/disableHint``.
    public var hints: [Permission: String]
    /// The environment the report describes a key of, as the exchange module names it (`"live"`,
    /// `"testnet"`, `"demo"`, `"local"`), or `nil` if the inspector did not say. Clients refuse a
    /// ``SafeKey`` verified in another environment than their own, so a key accepted on a testnet
    /// (where the exchange may not be able to tell what it can do) cannot trade live unverified.
    public var environment: String?

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - exchange: The exchange's name, for example `"binance"`.
    ///   - permissions: The permissions the exchange reports as granted. Map each exchange flag to the
    ///     permission it unlocks; a granted flag with no matching permission goes in
    ///     `unknownCapabilities`, never nowhere.
    ///   - isIPRestricted: Whether the key is bound to IP addresses.
    ///   - ipWhitelist: The bound addresses, if the exchange reports them.
    ///   - expiresAt: When the key or its trading permission expires; `nil` for no expiry. Map an
    ///     exchange's "no expiry" sentinel (such as Bybit's `1970-01-01T00:00:00Z`) to `nil`.
    ///   - unknownCapabilities: Granted flags TradeOnly does not know, as the exchange spelled them.
    ///   - isVerifiable: `false` if the exchange could not say what the key can do.
    ///   - unverifiableReason: Why not, when `isVerifiable` is `false`.
    ///   - notes: Warnings in plain words.
    ///   - hints: Exchange-specific instructions to turn permissions off.
    ///   - environment: The environment the key was inspected in (`"live"`, `"testnet"`, …), if known.
    public init(
        exchange: String,
        permissions: Set<Permission> = [],
        isIPRestricted: Bool = false,
        ipWhitelist: [String] = [],
        expiresAt: Date? = nil,
        unknownCapabilities: [String] = [],
        isVerifiable: Bool = true,
        unverifiableReason: String? = nil,
        notes: [String] = [],
        hints: [Permission: String] = [:],
        environment: String? = nil
    ) {
        self.exchange = exchange
        self.permissions = permissions
        self.isIPRestricted = isIPRestricted
        self.ipWhitelist = ipWhitelist
        self.expiresAt = expiresAt
        self.unknownCapabilities = unknownCapabilities
        self.isVerifiable = isVerifiable
        self.unverifiableReason = unverifiableReason
        self.notes = notes
        self.hints = hints
        self.environment = environment
    }

    /// The granted permissions a ``SafeKey`` can carry: ``TradePermission/read``,
    /// ``TradePermission/spotTrade`` and ``TradePermission/futuresTrade``.
    public var tradePermissions: Set<TradePermission> {
        Set(permissions.compactMap(TradePermission.init))
    }

    /// The granted permissions that move funds.
    public var fundsMovingPermissions: [Permission] {
        permissions.filter(\.movesFunds).sorted { $0.name < $1.name }
    }

    /// How to turn a permission off on this exchange: the exchange-specific hint if there is one,
    /// the permission's generic ``Permission/disableHint`` otherwise.
    ///
    /// - Parameter permission: The permission to turn off.
    /// - Returns: An instruction in plain words.
    public func disableHint(for permission: Permission) -> String {
        hints[permission] ?? permission.disableHint
    }

    /// A readable, multi-line summary: permissions, IP binding, expiry, unknown flags, notes.
    public var description: String {
        var lines = ["\(exchange) key report"]
        if permissions.isEmpty {
            lines.append("  permissions: none reported")
        } else {
            let ordered = permissions.sorted { $0.name < $1.name }
            lines.append("  permissions: " + ordered.map(\.description).joined(separator: ", "))
        }
        if isIPRestricted {
            lines.append(
                "  IP binding: "
                    + (ipWhitelist.isEmpty
                        ? "restricted (addresses not reported)"
                        : "restricted to " + ipWhitelist.joined(separator: ", ")))
        } else {
            lines.append("  IP binding: none (the key works from any IP address)")
        }
        lines.append("  expiry: " + (expiresAt.map { KeyReport.format($0) } ?? "none reported"))
        if !unknownCapabilities.isEmpty {
            lines.append(
                "  unknown capabilities: " + unknownCapabilities.map { "'\($0)'" }.joined(separator: ", "))
        }
        if !isVerifiable {
            lines.append("  not verifiable: " + (unverifiableReason ?? "the exchange did not say why"))
        }
        for note in notes {
            lines.append("  note: " + note)
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }
}
