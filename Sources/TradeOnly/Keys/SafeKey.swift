/// An API key that has been checked and cannot move funds.
///
/// Every client that signs requests takes a `SafeKey`, and the only way to get one is
/// ``verify(_:using:policy:)``, which asks the exchange what the key can do and refuses any key that
/// can move funds:
///
/// ```swift
/// let credentials = try Credentials.environment(prefix: "BINANCE")
/// let key = try await SafeKey.verify(credentials, using: binance.keyInspector, policy: .tradeOnly)
/// ```
///
/// A `SafeKey` carries ``TradePermission``s only: read, spot trade, futures trade. The secret is never
/// exposed; descriptions and dumps show the masked API key and the permissions.
public struct SafeKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How a key came to be accepted.
    public enum Verification: Sendable, Hashable, CustomStringConvertible {
        /// The exchange reported what the key can do, and the report satisfied the policy.
        case verified(at: Date)
        /// The exchange could not say what the key can do, and the policy accepted that for a reason.
        case acceptedUnverifiable(at: Date, reason: String)

        /// When the key was accepted.
        public var date: Date {
            switch self {
            case .verified(let date), .acceptedUnverifiable(let date, _): return date
            }
        }

        /// Whether the exchange verified the key.
        public var isVerified: Bool {
            if case .verified = self { return true }
            return false
        }

        /// "verified at …" or "accepted unverified at … because …".
        public var description: String {
            switch self {
            case .verified(let date):
                return "verified at \(KeyReport.format(date))"
            case .acceptedUnverifiable(let date, let reason):
                return "accepted unverified at \(KeyReport.format(date)) because: \(reason)"
            }
        }
    }

    /// The key's credentials. For exchange modules in this package only: their signers read the secret.
    package let credentials: Credentials
    /// What the key may do. For a key accepted unverified, the permissions the policy required, taken
    /// on trust, plus any the exchange did report.
    public let permissions: Set<TradePermission>
    /// What the exchange said the key can do.
    public let report: KeyReport
    /// How the key came to be accepted.
    public let verification: Verification
    /// The policy the key satisfied.
    public let policy: KeyPolicy

    private init(
        credentials: Credentials, permissions: Set<TradePermission>, report: KeyReport, verification: Verification,
        policy: KeyPolicy
    ) {
        self.credentials = credentials
        self.permissions = permissions
        self.report = report
        self.verification = verification
        self.policy = policy
    }

    /// The exchange the key was verified with, for example `"binance"`.
    public var exchange: String { report.exchange }

    /// The environment the key was verified in (`"live"`, `"testnet"`, …), as the inspector reported it.
    public var environment: String? { report.environment }

    /// The API key (an identifier, not a secret). Show ``maskedAPIKey`` rather than this.
    public var apiKey: String { credentials.apiKey }

    /// The API key with all but its first and last four characters hidden (`vmPU…Eh8A`).
    public var maskedAPIKey: String { credentials.maskedAPIKey }

    /// Asks the exchange what a key can do and returns a `SafeKey` if the key cannot move funds and
    /// satisfies the policy.
    ///
    /// Two independent checks must both pass: the policy's (``KeyPolicy/violations(for:now:)``), and
    /// this function's own refusal of any permission that moves funds and of any unknown capability,
    /// which no policy can loosen.
    ///
    /// - Parameters:
    ///   - credentials: The key to verify.
    ///   - inspector: The exchange module's inspector, for example `binance.keyInspector`.
    ///   - policy: What the key must satisfy; ``KeyPolicy/tradeOnly`` by default.
    /// - Returns: The verified key.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/unsafeKey`` whose message lists every
    ///   violation in plain words and whose ``ExchangeError/keyReport`` is the exchange's report; or
    ///   the inspector's own error, unchanged, if the exchange could not be asked.
    public static func verify(
        _ credentials: Credentials,
        using inspector: some KeyInspector,
        policy: KeyPolicy = .tradeOnly
    ) async throws -> SafeKey {
        let report = try await inspector.inspect(credentials)
        return try accept(credentials, report: report, policy: policy, now: Date())
    }

    /// Judges a report by the policy and by the structural check.
    static func accept(_ credentials: Credentials, report: KeyReport, policy: KeyPolicy, now: Date) throws -> SafeKey {
        try accept(
            credentials, report: report, policy: policy, now: now,
            policyViolations: policy.violations(for: report, now: now))
    }

    /// The only code that creates a `SafeKey`. Takes the policy's verdict as a value so that tests can
    /// show the structural check refuses a fund-moving key even when the policy's verdict is empty.
    static func accept(
        _ credentials: Credentials, report: KeyReport, policy: KeyPolicy, now: Date,
        policyViolations: [KeyPolicy.Violation]
    ) throws -> SafeKey {
        var violations = policyViolations
        var structural = structuralViolations(in: report)
        if !report.isVerifiable && !policy.acceptsUnverifiable {
            structural.append(.unverifiable(report))
        }
        for violation in structural where !violations.contains(violation) {
            violations.append(violation)
        }
        guard violations.isEmpty else {
            let count = violations.count == 1 ? "1 problem" : "\(violations.count) problems"
            throw ExchangeError(
                .unsafeKey,
                message: "TradeOnly refused this \(report.exchange) key (\(count)): "
                    + violations.map(\.description).joined(separator: "; "),
                exchange: report.exchange,
                keyReport: report)
        }

        let verification: Verification
        var permissions = report.tradePermissions
        if report.isVerifiable {
            verification = .verified(at: now)
        } else {
            // Reached only when the policy accepts unverifiable keys, which needs a non-empty reason
            // (checked above).
            verification = .acceptedUnverifiable(at: now, reason: policy.unverifiableAcceptanceReason ?? "")
            permissions.formUnion(policy.requiredPermissions)
        }
        return SafeKey(
            credentials: credentials, permissions: permissions, report: report, verification: verification,
            policy: policy)
    }

    /// The check no policy takes part in: every permission that moves funds, and every unknown
    /// capability, refuses the key. Kept apart from ``KeyPolicy/violations(for:now:)`` on purpose, so a
    /// mistake in either one alone cannot let such a key through.
    static func structuralViolations(in report: KeyReport) -> [KeyPolicy.Violation] {
        let fundsMoving = report.permissions.filter { $0.movesFunds }.sorted { $0.name < $1.name }
        return fundsMoving.map { KeyPolicy.Violation.movesFunds($0, in: report) }
            + report.unknownCapabilities.map { KeyPolicy.Violation.unknownCapability($0, in: report) }
    }

    /// The exchange, the masked API key, the permissions and how the key was accepted. Never the secret.
    public var description: String {
        let names = TradePermission.allCases.filter(permissions.contains).map(\.description)
        return "SafeKey(\(exchange), apiKey: \(maskedAPIKey), permissions: [\(names.joined(separator: ", "))], "
            + (verification.isVerified ? "verified" : "accepted unverified") + ")"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and reflection show nothing but the type.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
