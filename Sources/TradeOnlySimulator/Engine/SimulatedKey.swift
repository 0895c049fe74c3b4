import Foundation
import TradeOnly

/// An API key of the simulated exchange: its credentials, the account it belongs to, and what the
/// exchange lets it do.
///
/// The permissions are the wide ``Permission`` set (withdraw, transfers, …) so that keys which can
/// move money can be simulated too, and refused by TradeOnly's key check. The simulator enforces them:
/// a key without `.spotTrade` cannot place spot orders, a key without `.withdraw` gets the exchange's
/// permission error on the withdrawal endpoint, and so on.
///
/// ```swift
/// let key = SimulatedKey(apiKey: "myKey", secret: "mySecret", permissions: [.read, .spotTrade])
/// await exchange.addKey(key)
/// ```
///
/// The secret is a made-up simulator secret, kept as a plain string so a state file can hold it; the
/// description hides it anyway.
public struct SimulatedKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The API key, as sent in the exchange's key header.
    public var apiKey: String
    /// The HMAC secret the requests must be signed with.
    public var secret: String
    /// The name of the account the key acts on.
    public var account: String
    /// What the exchange lets this key do.
    public var permissions: Set<Permission>
    /// The IP addresses the key may be used from; empty means any address (not IP-restricted).
    public var ipWhitelist: [String]
    /// When the key stops working, or `nil` if it never expires.
    public var expiresAt: Date?
    /// Whether the key may only read (Bybit `readOnly: 1`): every write is refused whatever the
    /// permissions say.
    public var isReadOnly: Bool
    /// When the key was created (reported by the permission endpoints).
    public var createdAt: Date
    /// A free-text note (Bybit `note`).
    public var note: String

    /// Creates a key.
    ///
    /// - Parameters:
    ///   - apiKey: The API key.
    ///   - secret: The HMAC secret.
    ///   - account: The account it acts on; default `"main"`.
    ///   - permissions: What it may do.
    ///   - ipWhitelist: The allowed client addresses; empty (the default) for any.
    ///   - expiresAt: When it expires; `nil` (the default) for never.
    ///   - isReadOnly: Whether it may only read; default `false`.
    ///   - createdAt: When it was created; default 2023-11-14.
    ///   - note: A note.
    public init(
        apiKey: String,
        secret: String,
        account: String = "main",
        permissions: Set<Permission>,
        ipWhitelist: [String] = [],
        expiresAt: Date? = nil,
        isReadOnly: Bool = false,
        createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000),
        note: String = ""
    ) {
        self.apiKey = apiKey
        self.secret = secret
        self.account = account
        self.permissions = permissions
        self.ipWhitelist = ipWhitelist
        self.expiresAt = expiresAt
        self.isReadOnly = isReadOnly
        self.createdAt = createdAt
        self.note = note
    }

    /// A trade-only key: read, spot trade and futures trade, nothing that moves money.
    public static func tradeOnly(
        apiKey: String, secret: String, account: String = "main", ipWhitelist: [String] = []
    ) -> SimulatedKey {
        SimulatedKey(
            apiKey: apiKey, secret: secret, account: account, permissions: [.read, .spotTrade, .futuresTrade],
            ipWhitelist: ipWhitelist, note: "trade-only")
    }

    /// Whether the key is restricted to a list of IP addresses.
    public var isIPRestricted: Bool { !ipWhitelist.isEmpty }

    /// Whether the key may be used from `ip`.
    public func allows(ip: String) -> Bool {
        ipWhitelist.isEmpty || ipWhitelist.contains("*") || ipWhitelist.contains(ip)
    }

    /// Whether the key has a permission and is not read-only for it (reading is always allowed to a
    /// key with `.read`).
    public func can(_ permission: Permission) -> Bool {
        guard permissions.contains(permission) else { return false }
        return !isReadOnly || permission == .read || permission == .fixRead
    }

    /// `SimulatedKey(vmPU…Eh8A, account main, Read, Spot trade)`: the key masked, the secret hidden.
    public var description: String {
        let masked = apiKey.count > 8 ? "\(apiKey.prefix(4))…\(apiKey.suffix(4))" : "…"
        let names = permissions.map(\.title).sorted().joined(separator: ", ")
        return "SimulatedKey(\(masked), account \(account), \(names)\(isReadOnly ? ", read-only" : ""))"
    }

    private enum CodingKeys: String, CodingKey {
        case apiKey, secret, account, permissions, ipWhitelist, expiresAt, isReadOnly, createdAt, note
    }

    /// Decodes a key; permissions are names (`"read"`, `"withdraw"`, …). An unknown name becomes a
    /// permission that moves funds, so nothing unknown is ever treated as harmless.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiKey = try container.decode(String.self, forKey: .apiKey)
        secret = try container.decode(String.self, forKey: .secret)
        account = try container.decodeIfPresent(String.self, forKey: .account) ?? "main"
        let names = try container.decodeIfPresent([String].self, forKey: .permissions) ?? []
        permissions = Set(names.map(Self.permission(named:)))
        ipWhitelist = try container.decodeIfPresent([String].self, forKey: .ipWhitelist) ?? []
        expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
        isReadOnly = try container.decodeIfPresent(Bool.self, forKey: .isReadOnly) ?? false
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt) ?? Date(timeIntervalSince1970: 1_700_000_000)
        note = try container.decodeIfPresent(String.self, forKey: .note) ?? ""
    }

    /// Encodes the key; permissions as their names, sorted.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apiKey, forKey: .apiKey)
        try container.encode(secret, forKey: .secret)
        try container.encode(account, forKey: .account)
        try container.encode(permissions.map(\.name).sorted(), forKey: .permissions)
        try container.encode(ipWhitelist, forKey: .ipWhitelist)
        try container.encodeIfPresent(expiresAt, forKey: .expiresAt)
        try container.encode(isReadOnly, forKey: .isReadOnly)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(note, forKey: .note)
    }

    /// The built-in permission with this name, or a fund-moving permission carrying it.
    static func permission(named name: String) -> Permission {
        Permission.builtIn.first { $0.name == name }
            ?? Permission(name: name, title: name, movesFunds: true)
    }
}
