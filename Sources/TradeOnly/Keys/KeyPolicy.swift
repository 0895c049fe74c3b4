/// What a key must satisfy to become a ``SafeKey``.
///
/// Start from ``tradeOnly`` and tighten it:
///
/// ```swift
/// let policy = KeyPolicy.tradeOnly
///     .requiring([.spotTrade])
///     .requiringIPWhitelist()
///     .requiringMinimumDaysToExpiry(14)
/// ```
///
/// Whatever the policy, a key with a permission that moves funds (``Permission/movesFunds``) or with a
/// capability TradeOnly does not know is refused: no method loosens that. ``allowing(_:)`` accepts
/// extra permissions that do not move funds (options or margin trading); given a permission that
/// moves funds, it makes the policy refuse every key instead.
public struct KeyPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The trade permissions a key must have. Always contains ``TradePermission/read``.
    public private(set) var requiredPermissions: Set<TradePermission> = [.read]
    /// Extra permissions, beyond the ``TradePermission``s, that a key may have. Never contains a
    /// permission that moves funds.
    public private(set) var allowedPermissions: Set<Permission> = []
    /// Whether a key must be bound to an IP whitelist.
    public private(set) var requiresIPWhitelist = false
    /// How many days a key, or its trading permission, must still be valid for, if the policy says.
    public private(set) var minimumDaysToExpiry: Int?
    /// Why a key the exchange cannot verify is accepted, if the policy accepts one.
    public private(set) var unverifiableAcceptanceReason: String?
    /// Why a key judged from a custom ``KeyInspector`` (not an exchange module's own `keyInspector`)
    /// is accepted, if the policy accepts one.
    public private(set) var customInspectorAcceptanceReason: String?
    /// Fund-moving permissions someone tried to allow; each makes every key fail.
    private var refusedAllowances: Set<Permission> = []

    private init() {}

    /// The default: the key must be able to read; it must not be able to move funds; every
    /// capability the exchange reports must be known; permissions beyond reading and spot and futures
    /// trading are refused; the exchange must be able to verify the key; an expired key is refused.
    public static let tradeOnly = KeyPolicy()

    /// Whether a key the exchange cannot verify is accepted (with a non-empty reason).
    public var acceptsUnverifiable: Bool {
        guard let reason = unverifiableAcceptanceReason else { return false }
        return !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Whether a key judged from a custom ``KeyInspector`` is accepted (with a non-empty reason).
    public var acceptsCustomInspector: Bool {
        guard let reason = customInspectorAcceptanceReason else { return false }
        return !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Requires trade permissions, in addition to those already required.
    ///
    /// - Parameter permissions: The permissions the bot needs, for example `[.spotTrade]`.
    /// - Returns: The policy with the requirement added.
    public func requiring(_ permissions: Set<TradePermission>) -> KeyPolicy {
        var policy = self
        policy.requiredPermissions.formUnion(permissions)
        return policy
    }

    /// Requires the key to be bound to an IP whitelist.
    ///
    /// A key bound to IP addresses is useless to a thief elsewhere, and on Binance, Bybit and OKX it
    /// does not expire.
    ///
    /// - Returns: The policy with the requirement added.
    public func requiringIPWhitelist() -> KeyPolicy {
        var policy = self
        policy.requiresIPWhitelist = true
        return policy
    }

    /// Requires the key, and its trading permission, to stay valid for some days yet.
    ///
    /// A key the exchange reports no expiry for satisfies it.
    ///
    /// - Parameter days: The minimum number of days; a negative number counts as 0.
    /// - Returns: The policy with the requirement added.
    public func requiringMinimumDaysToExpiry(_ days: Int) -> KeyPolicy {
        var policy = self
        policy.minimumDaysToExpiry = max(days, 0)
        return policy
    }

    /// Accepts a key whose permissions the exchange cannot report (Binance's spot testnet, some Gate
    /// keys), for a stated reason that the ``SafeKey`` records.
    ///
    /// The key is still refused if what the exchange *did* report moves funds, is unknown or breaks
    /// another requirement. The permissions that cannot be checked are taken from
    /// ``requiredPermissions`` on trust.
    ///
    /// - Parameter reason: Why you accept the key, for example "testnet key, checked by hand in the
    ///   API Management page". An empty reason makes the policy refuse every key.
    /// - Returns: The policy accepting unverifiable keys.
    public func acceptingUnverifiable(reason: String) -> KeyPolicy {
        var policy = self
        policy.unverifiableAcceptanceReason = reason
        return policy
    }

    /// Accepts a key judged from the report of a custom ``KeyInspector`` (any inspector other than an
    /// exchange module's own `keyInspector`), for a stated reason that the ``SafeKey`` records in
    /// ``SafeKey/Verification/acceptedFromCustomInspector(at:inspector:reason:)`` and shows in its
    /// description.
    ///
    /// Without it, ``SafeKey/verify(_:using:policy:)`` refuses every key a custom inspector reports
    /// on: anyone can write an inspector that returns a clean report. The report is still judged
    /// like any other (funds movement, unknown capabilities and the other requirements refuse it).
    /// Such a key was not verified by an exchange module, so a client of an exchange module does
    /// not sign with it until its own `keyInspector` has verified the key again, against the
    /// client's own origin, with this policy (see ``SafeKey``).
    ///
    /// - Parameter reason: Why you trust the inspector, for example "recorded report replayed in an
    ///   offline test". An empty reason makes the policy refuse every key.
    /// - Returns: The policy accepting keys from custom inspectors.
    public func acceptingCustomInspector(reason: String) -> KeyPolicy {
        var policy = self
        policy.customInspectorAcceptanceReason = reason
        return policy
    }

    /// Accepts an extra permission that does not move funds, such as ``Permission/optionsTrade`` or
    /// ``Permission/marginTrade``.
    ///
    /// A permission that moves funds can never be allowed: passing one makes the policy refuse every
    /// key, with a violation that says why.
    ///
    /// - Parameter permission: The permission to accept.
    /// - Returns: The policy accepting the permission.
    public func allowing(_ permission: Permission) -> KeyPolicy {
        var policy = self
        if permission.movesFunds {
            policy.refusedAllowances.insert(permission)
        } else if TradePermission(permission) == nil {
            policy.allowedPermissions.insert(permission)
        }
        return policy
    }

    /// Everything wrong with a key, judged by this policy.
    ///
    /// - Parameters:
    ///   - report: What the exchange says the key can do.
    ///   - now: The current time, for the expiry checks.
    /// - Returns: The violations, in plain words; empty if the key satisfies the policy.
    public func violations(for report: KeyReport, now: Date = Date()) -> [Violation] {
        var violations: [Violation] = []

        for permission in refusedAllowances.sorted(by: { $0.name < $1.name }) {
            violations.append(.fundsMovingAllowance(permission))
        }
        if unverifiableAcceptanceReason != nil && !acceptsUnverifiable {
            violations.append(.emptyUnverifiableReason())
        }
        if customInspectorAcceptanceReason != nil && !acceptsCustomInspector {
            violations.append(.emptyCustomInspectorReason())
        }

        // Never loosened by any setting: funds movement and unknown capabilities.
        for permission in report.permissions.sorted(by: { $0.name < $1.name }) where permission.movesFunds {
            violations.append(.movesFunds(permission, in: report))
        }
        for capability in report.unknownCapabilities {
            violations.append(.unknownCapability(capability, in: report))
        }

        for permission in report.permissions.sorted(by: { $0.name < $1.name })
        where !permission.movesFunds && TradePermission(permission) == nil && !allowedPermissions.contains(permission) {
            violations.append(.notAllowed(permission, in: report))
        }

        if report.isVerifiable {
            for permission in TradePermission.allCases
            where requiredPermissions.contains(permission) && !report.tradePermissions.contains(permission) {
                violations.append(.missingPermission(permission, in: report))
            }
        } else if !acceptsUnverifiable {
            violations.append(.unverifiable(report))
        }

        if requiresIPWhitelist && !report.isIPRestricted {
            violations.append(.notIPRestricted(report))
        }

        if let expiry = report.expiresAt {
            if expiry <= now {
                violations.append(.expired(expiry, in: report))
            } else if let minimumDaysToExpiry,
                expiry.timeIntervalSince(now) < Double(minimumDaysToExpiry) * 86_400
            {
                let daysLeft = Int(expiry.timeIntervalSince(now) / 86_400)
                violations.append(.expiresTooSoon(expiry, daysLeft: daysLeft, minimum: minimumDaysToExpiry, in: report))
            }
        }
        return violations
    }

    /// The policy's requirements, on one line.
    public var description: String {
        var parts = ["no funds movement", "no unknown capabilities"]
        parts.append(
            "requires "
                + TradePermission.allCases.filter(requiredPermissions.contains).map(\.description)
                .joined(separator: ", "))
        if !allowedPermissions.isEmpty {
            parts.append("allows " + allowedPermissions.map(\.name).sorted().joined(separator: ", "))
        }
        if !refusedAllowances.isEmpty {
            parts.append("refuses every key: tries to allow " + refusedAllowances.map(\.name).sorted().joined(separator: ", "))
        }
        if requiresIPWhitelist { parts.append("requires an IP whitelist") }
        if let minimumDaysToExpiry { parts.append("requires \(minimumDaysToExpiry) days to expiry") }
        if let unverifiableAcceptanceReason {
            parts.append("accepts unverifiable keys because: \(unverifiableAcceptanceReason)")
        }
        if let customInspectorAcceptanceReason {
            parts.append("accepts keys from custom inspectors because: \(customInspectorAcceptanceReason)")
        }
        return "KeyPolicy(" + parts.joined(separator: "; ") + ")"
    }
}
