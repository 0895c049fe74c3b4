extension KeyPolicy {
    /// One reason a key is refused, in plain words that say what to change.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// What kind of violation this is. Extensible: new kinds are static members, not enum cases.
        public struct Kind: Sendable, Hashable, CustomStringConvertible {
            /// The kind's stable name, for example `"movesFunds"`.
            public let name: String

            fileprivate init(_ name: String) { self.name = name }

            /// The kind's name.
            public var description: String { name }

            /// The key has a permission that moves funds.
            public static let movesFunds = Kind("movesFunds")
            /// The exchange reported a capability TradeOnly does not know.
            public static let unknownCapability = Kind("unknownCapability")
            /// The key has a permission the policy does not allow (it does not move funds, but a trade
            /// bot does not need it).
            public static let notAllowed = Kind("notAllowed")
            /// The key lacks a permission the policy requires.
            public static let missingPermission = Kind("missingPermission")
            /// The exchange could not say what the key can do, and the policy does not accept that.
            public static let unverifiable = Kind("unverifiable")
            /// The key is not bound to an IP whitelist, and the policy requires one.
            public static let notIPRestricted = Kind("notIPRestricted")
            /// The key, or its trading permission, has expired.
            public static let expired = Kind("expired")
            /// The key, or its trading permission, expires sooner than the policy requires.
            public static let expiresTooSoon = Kind("expiresTooSoon")
            /// The policy itself is wrong (it tries to allow a permission that moves funds, or accepts
            /// unverifiable keys or custom inspectors without a reason), so it refuses every key.
            public static let invalidPolicy = Kind("invalidPolicy")
            /// The report came from a custom ``KeyInspector``, not from an exchange module's own
            /// `keyInspector`, and the policy does not accept that
            /// (``KeyPolicy/acceptingCustomInspector(reason:)``).
            public static let customInspector = Kind("customInspector")
        }

        /// What kind of violation this is.
        public let kind: Kind
        /// The permission concerned, if any.
        public let permission: Permission?
        /// The unknown capability concerned, as the exchange spelled it, if any.
        public let capability: String?
        /// The violation in plain words, with what to do about it.
        public let description: String

        private init(_ kind: Kind, permission: Permission? = nil, capability: String? = nil, _ description: String) {
            self.kind = kind
            self.permission = permission
            self.capability = capability
            self.description = description
        }

        static func movesFunds(_ permission: Permission, in report: KeyReport) -> Violation {
            Violation(
                .movesFunds, permission: permission,
                "the '\(permission.title)' permission is enabled, and it can move funds: "
                    + report.disableHint(for: permission))
        }

        static func unknownCapability(_ capability: String, in report: KeyReport) -> Violation {
            Violation(
                .unknownCapability, capability: capability,
                "unknown capability '\(capability)' reported by \(report.exchange): "
                    + "TradeOnly cannot tell whether it moves funds; turn it off for this key, "
                    + "or update TradeOnly if \(report.exchange) has added a new permission")
        }

        static func notAllowed(_ permission: Permission, in report: KeyReport) -> Violation {
            let allowing =
                Permission.builtIn.contains(permission) ? ".allowing(.\(permission.name))" : ".allowing(_:)"
            return Violation(
                .notAllowed, permission: permission,
                "the '\(permission.title)' permission is enabled, and a trade-only key does not need it: "
                    + report.disableHint(for: permission) + ", or accept it with the policy's \(allowing)")
        }

        static func missingPermission(_ permission: TradePermission, in report: KeyReport) -> Violation {
            Violation(
                .missingPermission, permission: permission.permission,
                "the key lacks the '\(permission.permission.title)' permission, which the policy requires: "
                    + "turn it on for this key in \(report.exchange)'s API key settings")
        }

        static func unverifiable(_ report: KeyReport) -> Violation {
            let reason = report.unverifiableReason.map { " (\($0))" } ?? ""
            return Violation(
                .unverifiable,
                "\(report.exchange) could not say what this key can do\(reason): check the key's permissions "
                    + "by hand, then accept it with the policy's .acceptingUnverifiable(reason:)")
        }

        static func notIPRestricted(_ report: KeyReport) -> Violation {
            Violation(
                .notIPRestricted,
                "the key is not bound to an IP whitelist, which the policy requires: "
                    + "bind it to your server's IP addresses in \(report.exchange)'s API key settings")
        }

        static func expired(_ date: Date, in report: KeyReport) -> Violation {
            Violation(
                .expired,
                "the key (or its trading permission) expired on \(KeyReport.format(date)): "
                    + "create a new key on \(report.exchange), bound to your server's IP addresses so it does not expire")
        }

        static func expiresTooSoon(_ date: Date, daysLeft: Int, minimum: Int, in report: KeyReport) -> Violation {
            Violation(
                .expiresTooSoon,
                "the key (or its trading permission) expires on \(KeyReport.format(date)), in \(daysLeft) days, "
                    + "sooner than the \(minimum) days the policy requires: bind it to your server's IP addresses "
                    + "(bound keys do not expire on most exchanges) or create a new key on \(report.exchange)")
        }

        static func fundsMovingAllowance(_ permission: Permission) -> Violation {
            Violation(
                .invalidPolicy, permission: permission,
                "the policy tries to allow the '\(permission.title)' permission, which moves funds: "
                    + "TradeOnly never accepts a key that can move funds; remove .allowing(.\(permission.name))")
        }

        static func customInspector(_ name: String, in report: KeyReport) -> Violation {
            Violation(
                .customInspector,
                "the report came from a custom KeyInspector (\(name)), not from the \(report.exchange) module's own "
                    + "keyInspector, and anyone can write an inspector that reports a clean key: verify the key with "
                    + "the exchange module's keyInspector (for example binance.keyInspector), or, if you trust this "
                    + "inspector, say why with the policy's .acceptingCustomInspector(reason:)")
        }

        static func emptyCustomInspectorReason() -> Violation {
            Violation(
                .invalidPolicy,
                "the policy accepts keys from custom inspectors with an empty reason: "
                    + "say why in .acceptingCustomInspector(reason:)")
        }

        static func emptyUnverifiableReason() -> Violation {
            Violation(
                .invalidPolicy,
                "the policy accepts unverifiable keys with an empty reason: "
                    + "say why in .acceptingUnverifiable(reason:)")
        }
    }
}
