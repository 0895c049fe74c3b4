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
///
/// **Bound to where it was verified.** A key verified by an exchange module's own `keyInspector`
/// records, where code outside this package cannot reach it, which module verified it, the origin
/// (scheme, host and port) that module asked and the environment. A client signs only with a key its
/// own module verified for its own origin and environment: a key checked against a stand-in server,
/// a testnet or another regional host is refused by a client of any other. A key whose report came
/// from a custom ``KeyInspector`` is refused by ``verify(_:using:policy:)`` unless the policy says
/// ``KeyPolicy/acceptingCustomInspector(reason:)``; a client of the matching exchange accepts it, but
/// signs nothing with it until its own module's inspector has verified the key again against the
/// client's origin, with the key's ``policy``.
///
/// **Verified again.** Clients re-verify their key on a schedule (daily by default), before their
/// first signed request when the verification is older than a minute, and when the exchange answers
/// a signed request with an authentication or permission error; a key that now fails its policy
/// stops every signed request of that client with ``ExchangeError/Kind/unsafeKey``.
public struct SafeKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How a key came to be accepted.
    public enum Verification: Sendable, Hashable, CustomStringConvertible {
        /// The exchange module's own inspector got a report from the exchange, and the report
        /// satisfied the policy.
        case verified(at: Date)
        /// The exchange could not say what the key can do, and the policy accepted that for a reason.
        case acceptedUnverifiable(at: Date, reason: String)
        /// The report came from a custom ``KeyInspector`` (named by its type), not from an exchange
        /// module's own inspector, and the policy accepted that for a reason
        /// (``KeyPolicy/acceptingCustomInspector(reason:)``). Clients verify such a key with their
        /// own module's inspector before they sign anything with it.
        case acceptedFromCustomInspector(at: Date, inspector: String, reason: String)

        /// When the key was accepted.
        public var date: Date {
            switch self {
            case .verified(let date), .acceptedUnverifiable(let date, _), .acceptedFromCustomInspector(let date, _, _):
                return date
            }
        }

        /// Whether an exchange module's own inspector verified the key with the exchange.
        public var isVerified: Bool {
            if case .verified = self { return true }
            return false
        }

        /// "verified at …", "accepted unverified at … because …" or "accepted from custom inspector
        /// … at … because …".
        public var description: String {
            switch self {
            case .verified(let date):
                return "verified at \(KeyReport.format(date))"
            case .acceptedUnverifiable(let date, let reason):
                return "accepted unverified at \(KeyReport.format(date)) because: \(reason)"
            case .acceptedFromCustomInspector(let date, let inspector, let reason):
                return "accepted from custom inspector \(inspector) at \(KeyReport.format(date)) because: \(reason)"
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
    /// Which exchange module verified the key, against which origin, in which environment; `nil` for
    /// a key from a custom inspector. Package-only: nothing outside this package can make or change it.
    package let provenance: KeyProvenance?

    private init(
        credentials: Credentials, permissions: Set<TradePermission>, report: KeyReport, verification: Verification,
        policy: KeyPolicy, provenance: KeyProvenance?
    ) {
        self.credentials = credentials
        self.permissions = permissions
        self.report = report
        self.verification = verification
        self.policy = policy
        self.provenance = provenance
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
    /// Only an exchange module's own inspector (`binance.keyInspector`, `bybit.keyInspector`) verifies a
    /// key: it asks the exchange on a request pipeline without your middlewares, at its environment's
    /// origin, and the key records that origin. A report from any other inspector refuses the key
    /// unless the policy says ``KeyPolicy/acceptingCustomInspector(reason:)``, and the key then records
    /// ``Verification/acceptedFromCustomInspector(at:inspector:reason:)``. Verification dates come from
    /// the module's time source (the system clock for a custom inspector).
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
        if let builtIn = inspector as? any BuiltInKeyInspector {
            let inspection = try await inspect(credentials, using: builtIn)
            return try accept(
                credentials, report: inspection.report, policy: policy, now: inspection.date,
                inspection: .builtIn(inspection.site))
        }
        let report = try await inspector.inspect(credentials)
        return try accept(
            credentials, report: report, policy: policy, now: Date(),
            inspection: .custom(String(describing: type(of: inspector))))
    }

    /// Who produced a report: an exchange module's own inspector, at a site, or a custom inspector.
    enum Inspection: Sendable {
        /// A ``BuiltInKeyInspector``, which asked at this site.
        case builtIn(KeyProvenance)
        /// Any other inspector, by its type's name.
        case custom(String)
    }

    /// What a built-in inspector said, where it asked, and when (on the module's clock).
    struct BuiltInInspection: Sendable {
        let report: KeyReport
        let site: KeyProvenance
        let date: Date
    }

    /// Asks a built-in inspector, taking its site first (an environment without a usable origin
    /// throws before anything is sent) and the date after the answer.
    static func inspect(_ credentials: Credentials, using inspector: some BuiltInKeyInspector) async throws
        -> BuiltInInspection
    {
        let site = try inspector.verificationSite()
        let report = try await inspector.inspect(credentials)
        return BuiltInInspection(report: report, site: site, date: inspector.timeSource.now())
    }

    /// Judges a report by the policy and by the structural check.
    static func accept(
        _ credentials: Credentials, report: KeyReport, policy: KeyPolicy, now: Date, inspection: Inspection
    ) throws -> SafeKey {
        try accept(
            credentials, report: report, policy: policy, now: now, inspection: inspection,
            policyViolations: policy.violations(for: report, now: now))
    }

    /// The only code that creates a `SafeKey`. Takes the policy's verdict as a value so that tests can
    /// show the structural check refuses a fund-moving key even when the policy's verdict is empty.
    static func accept(
        _ credentials: Credentials, report: KeyReport, policy: KeyPolicy, now: Date, inspection: Inspection,
        policyViolations: [KeyPolicy.Violation]
    ) throws -> SafeKey {
        var violations = policyViolations
        var structural = structuralViolations(in: report)
        if case .custom(let name) = inspection, !policy.acceptsCustomInspector {
            structural.append(.customInspector(name, in: report))
        }
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

        var verification: Verification
        var permissions = report.tradePermissions
        if report.isVerifiable {
            verification = .verified(at: now)
        } else {
            // Reached only when the policy accepts unverifiable keys, which needs a non-empty reason
            // (checked above).
            verification = .acceptedUnverifiable(at: now, reason: policy.unverifiableAcceptanceReason ?? "")
            permissions.formUnion(policy.requiredPermissions)
        }
        let provenance: KeyProvenance?
        switch inspection {
        case .builtIn(let site):
            provenance = site
        case .custom(let name):
            // Reached only when the policy accepts custom inspectors, with a non-empty reason.
            verification = .acceptedFromCustomInspector(
                at: now, inspector: name, reason: policy.customInspectorAcceptanceReason ?? "")
            provenance = nil
        }
        return SafeKey(
            credentials: credentials, permissions: permissions, report: report, verification: verification,
            policy: policy, provenance: provenance)
    }

    /// The check no policy takes part in: every permission that moves funds, and every unknown
    /// capability, refuses the key. Kept apart from ``KeyPolicy/violations(for:now:)`` on purpose, so a
    /// mistake in either one alone cannot let such a key through.
    static func structuralViolations(in report: KeyReport) -> [KeyPolicy.Violation] {
        let fundsMoving = report.permissions.filter { $0.movesFunds }.sorted { $0.name < $1.name }
        return fundsMoving.map { KeyPolicy.Violation.movesFunds($0, in: report) }
            + report.unknownCapabilities.map { KeyPolicy.Violation.unknownCapability($0, in: report) }
    }

    /// The exchange, the masked API key, the permissions and how the key was accepted (`verified`,
    /// `accepted unverified`, or `accepted from custom inspector <type> because: <reason>`). Never the
    /// secret.
    public var description: String {
        let names = TradePermission.allCases.filter(permissions.contains).map(\.description)
        let how: String
        switch verification {
        case .verified: how = "verified"
        case .acceptedUnverifiable: how = "accepted unverified"
        case .acceptedFromCustomInspector(_, let inspector, let reason):
            how = "accepted from custom inspector \(inspector) because: \(reason)"
        }
        return "SafeKey(\(exchange), apiKey: \(maskedAPIKey), permissions: [\(names.joined(separator: ", "))], \(how))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and reflection show nothing but the type.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
