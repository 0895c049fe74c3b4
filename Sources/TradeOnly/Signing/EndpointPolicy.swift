/// The endpoints an exchange client may call: an allow-list of (method, path) rules and deny rules
/// that win over everything.
///
/// Every exchange module defines its policy from the exchange's reference: the endpoints a trade bot
/// needs are allowed, and withdrawals, transfers, sub-account and API-key management, converts, earn,
/// loans and the like are denied. The request pipeline checks the policy before anything is sent, and
/// the signer checks it again, so a money-moving request is never signed:
///
/// ```swift
/// let policy = EndpointPolicy(
///     allowing: [.exact(.get, "/api/v3/account"), .exact(.post, "/api/v3/order")],
///     denying: [.prefix("/sapi/").because("withdrawals and transfers are never signed by TradeOnly")]
/// )
/// try policy.check(method: .post, path: "/api/v3/order")                      // fine
/// try policy.check(method: .post, path: "/SAPI/v1//capital/withdraw/apply/")  // throws .policyViolation
/// ```
///
/// How a request is decided:
/// 1. The path is normalised (see ``EndpointPath``); a path that cannot be is denied.
/// 2. If any deny rule matches the normalised path, the request is denied, whatever the allow rules say.
/// 3. A path whose spelling differs from its canonical form in anything but letter case (escapes, dot
///    segments, doubled or trailing slashes) is denied: it is never resolved, because a server may
///    resolve it otherwise.
/// 4. If an allow rule matches, the request is allowed.
/// 5. Otherwise it is not allowed: the policy fails closed.
///
/// A **signed** request must also carry only the parameters its endpoint accepts: the first allow
/// rule that matches states them (``Rule/acceptedParameters``) and the key permission it needs
/// (``Rule/requiredPermission``), and the ``parameterRules`` (plus ``ParameterRule/fundMovement``,
/// which no policy can drop) refuse names and values on every endpoint, whatever the allow rules
/// say. The exchange module's signer checks all of it on the exact bytes it signs.
///
/// Users may add allow rules for endpoints the exchange module does not wrap (`allowing(_:)`),
/// but cannot remove or weaken a deny rule or a parameter rule: there is no API for it.
public struct EndpointPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The reason given when a deny rule without its own reason refuses a request.
    public static let defaultDenyReason =
        "this endpoint can move funds or manage keys, sub-accounts or security settings, so TradeOnly never signs it"

    /// The reason given when no allow rule matches.
    public static let notAllowedReason = "not on the allow-list of endpoints a trade bot needs"

    /// The outcome of checking one request against a policy.
    public enum Decision: Sendable, Hashable, CustomStringConvertible {
        /// An allow rule matches and no deny rule does.
        case allowed
        /// A deny rule matches, or the path cannot be normalised; `reason` says which, in plain words.
        case denied(reason: String)
        /// No rule matches: the policy fails closed.
        case notAllowed

        /// Whether the request may be sent.
        public var isAllowed: Bool {
            if case .allowed = self { return true }
            return false
        }

        /// `allowed`, `denied: <reason>` or `not allowed`.
        public var description: String {
            switch self {
            case .allowed: return "allowed"
            case .denied(let reason): return "denied: \(reason)"
            case .notAllowed: return "not allowed"
            }
        }
    }

    /// The rules that allow requests, in the order they were added.
    public private(set) var allowRules: [Rule] {
        didSet {
            allowIndex = RuleIndex(allowRules)
            schemas = Self.compileSchemas(for: allowRules, parameterRules)
            memo = DecisionMemo(capacity: 512)
        }
    }

    /// The rules that refuse requests, whatever the allow rules say.
    public private(set) var denyRules: [Rule] {
        didSet {
            denyIndex = RuleIndex(denyRules)
            memo = DecisionMemo(capacity: 512)
        }
    }

    /// The rules that refuse parameters of signed requests on every endpoint, whatever the allow
    /// rules accept. ``ParameterRule/fundMovement`` applies as well, always.
    public private(set) var parameterRules: [ParameterRule] {
        didSet { schemas = Self.compileSchemas(for: allowRules, parameterRules) }
    }

    /// What each allow rule lets a signed request carry, with the parameter rules applied (derived
    /// from the rules; kept in step by `didSet` and `init`).
    private(set) var schemas: [ParameterSchema]

    /// The rules by the literal first segment of their pattern, so that a request is compared only with
    /// the rules that can match it (derived from the rules; kept in step by `didSet` and `init`).
    private var allowIndex: RuleIndex
    private var denyIndex: RuleIndex

    /// The outcomes already decided with these rules, by method and path as given (derived from the
    /// rules: replaced whenever they change, so a policy with other rules never sees them).
    private var memo = DecisionMemo(capacity: 512)

    /// The exchange this policy belongs to (`"binance"`, …), copied into the errors it throws.
    public var exchange: String?

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - allowing: The endpoints that may be called, each with the parameters it accepts.
    ///     Everything else is refused.
    ///   - denying: The endpoints that are always refused, even if an allow rule matches.
    ///   - refusingParameters: Parameters refused on every endpoint, even if an allow rule accepts
    ///     them (``ParameterRule/fundMovement`` is refused as well, always).
    ///   - exchange: The exchange's name, for error messages.
    public init(
        allowing: [Rule], denying: [Rule] = [], refusingParameters: [ParameterRule] = [], exchange: String? = nil
    ) {
        self.allowRules = allowing
        self.denyRules = denying
        self.parameterRules = refusingParameters
        self.allowIndex = RuleIndex(allowing)
        self.denyIndex = RuleIndex(denying)
        self.schemas = Self.compileSchemas(for: allowing, refusingParameters)
        self.exchange = exchange
    }

    /// This policy with more allow rules, for endpoints the exchange module does not wrap.
    ///
    /// Deny rules still win: an added allow rule can never make a denied endpoint callable.
    ///
    /// - Parameter rules: The endpoints to allow as well.
    /// - Returns: The extended policy.
    public func allowing(_ rules: [Rule]) -> EndpointPolicy {
        var copy = self
        copy.allowRules.append(contentsOf: rules)
        return copy
    }

    /// This policy with more allow rules. See `allowing(_:)`.
    ///
    /// - Parameter rules: The endpoints to allow as well.
    /// - Returns: The extended policy.
    public func allowing(_ rules: Rule...) -> EndpointPolicy {
        allowing(rules)
    }

    /// This policy with more deny rules. Adding deny rules only ever refuses more.
    ///
    /// - Parameter rules: The endpoints to refuse as well.
    /// - Returns: The narrowed policy.
    public func denying(_ rules: [Rule]) -> EndpointPolicy {
        var copy = self
        copy.denyRules.append(contentsOf: rules)
        return copy
    }

    /// This policy with more parameter rules. Adding parameter rules only ever refuses more.
    ///
    /// - Parameter rules: The parameters to refuse as well.
    /// - Returns: The narrowed policy.
    public func refusingParameters(_ rules: [ParameterRule]) -> EndpointPolicy {
        var copy = self
        copy.parameterRules.append(contentsOf: rules)
        return copy
    }

    /// This policy with more deny rules. See `denying(_:)` with an array.
    ///
    /// - Parameter rules: The endpoints to refuse as well.
    /// - Returns: The narrowed policy.
    public func denying(_ rules: Rule...) -> EndpointPolicy {
        denying(rules)
    }

    /// Decides whether a request may be sent, without throwing.
    ///
    /// - Parameters:
    ///   - method: The request's method.
    ///   - path: The request's path as it would be sent, without the query.
    /// - Returns: ``Decision/allowed``, ``Decision/denied(reason:)`` or ``Decision/notAllowed``.
    public func decision(method: HTTPMethod, path: String) -> Decision {
        evaluate(method: method, path: path).decision
    }

    /// Throws unless the request may be sent.
    ///
    /// - Parameters:
    ///   - method: The request's method.
    ///   - path: The request's path as it would be sent, without the query.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` naming the method, the
    ///   normalised path and why it was refused.
    public func check(method: HTTPMethod, path: String) throws {
        let outcome = evaluate(method: method, path: path)
        if case .allowed = outcome.decision { return }
        // Only a refusal builds a message.
        let request = "\(method.rawValue) \(outcome.path?.canonical ?? EndpointPath.safeDisplay(of: path))"
        switch outcome.decision {
        case .allowed:
            return
        case .denied(let reason):
            var message = "TradeOnly refused \(request): denied: \(reason)"
            if let rule = outcome.denyingRule {
                message += " (deny rule: \(rule.description)). No allow rule can override a deny rule."
            }
            throw ExchangeError(.policyViolation, message: message, exchange: exchange)
        case .notAllowed:
            throw ExchangeError(
                .policyViolation,
                message: "TradeOnly refused \(request): \(Self.notAllowedReason). If your bot needs this "
                    + "endpoint and it cannot move funds, allow it in the configuration you create the exchange value "
                    + "with: configuration.additionalAllowedEndpoints = [.exact(.\(method.rawValue.lowercased()), "
                    + "\"\(outcome.path?.canonical ?? EndpointPath.safeDisplay(of: path))\")].",
                exchange: exchange
            )
        }
    }

    /// Two policies are equal when they have the same rules, in the same order, for the same exchange.
    public static func == (lhs: EndpointPolicy, rhs: EndpointPolicy) -> Bool {
        lhs.allowRules == rhs.allowRules && lhs.denyRules == rhs.denyRules
            && lhs.parameterRules == rhs.parameterRules && lhs.exchange == rhs.exchange
    }

    /// Hashes the rules and the exchange.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(allowRules)
        hasher.combine(denyRules)
        hasher.combine(parameterRules)
        hasher.combine(exchange)
    }

    /// The allow rules, then the deny rules, one per line.
    public var description: String {
        var lines = ["EndpointPolicy" + (exchange.map { " (\($0))" } ?? "")]
        lines += allowRules.map { "  allow \($0)" }
        lines += denyRules.map { "  deny \($0)" }
        lines += parameterRules.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }

    struct Outcome: Sendable {
        var decision: Decision
        /// The normalised path, if the path could be normalised.
        var path: EndpointPath?
        var denyingRule: Rule?
        /// The position of the first allow rule that matches, for an allowed request.
        var allowingRule: Int?
    }

    func evaluate(method: HTTPMethod, path: String) -> Outcome {
        // A bot calls a handful of endpoints over and over, and each is checked twice (before the
        // request is built and again by the signer): decide each (method, path) once. The memo
        // compares paths byte for byte: `String` equality is Unicode equivalence, under which a
        // Kelvin sign (U+212A) equals "K".
        let key = DecisionKey(method: method.rawValue, path: path)
        if let outcome = memo.value(for: key) { return outcome }
        let outcome = decide(method: method, path: path)
        memo.remember(outcome, for: key)
        return outcome
    }

    private func decide(method: HTTPMethod, path: String) -> Outcome {
        let parsed: EndpointPath
        switch EndpointPath.parse(path) {
        case .success(let value):
            parsed = value
        case .failure(let refusal):
            return Outcome(decision: .denied(reason: "the path is malformed or ambiguous: \(refusal.reason)"))
        }
        let methodName = method.rawValue
        let segments = parsed.segments
        if let position = denyIndex.firstMatch(
            along: segments,
            where: { position in
                denyRules[position].matches(methodName: methodName, segments: segments, failClosedMatches: true)
            })
        {
            let rule = denyRules[position]
            return Outcome(
                decision: .denied(reason: rule.reason ?? Self.defaultDenyReason),
                path: parsed, denyingRule: rule)
        }
        guard parsed.isCanonicalExceptCase else {
            return Outcome(
                decision: .denied(
                    reason: "the path is spelled with percent-escapes, dot segments, or doubled or trailing "
                        + "slashes; TradeOnly never resolves such a path (a server may resolve it differently): "
                        + "write it plainly"),
                path: parsed)
        }
        if let position = allowIndex.firstMatch(
            along: segments,
            where: { position in
                allowRules[position].matches(methodName: methodName, segments: segments, failClosedMatches: false)
            })
        {
            return Outcome(decision: .allowed, path: parsed, allowingRule: position)
        }
        return Outcome(decision: .notAllowed, path: parsed)
    }

    /// Outcomes already decided by one set of rules, by the method and the path exactly as given: a
    /// core ``MemoCache`` of at most 512 (a bot uses a few dozen endpoints; paths carrying ids could be
    /// many). Shared by copies of a policy, which have the same rules.
    private typealias DecisionMemo = MemoCache<DecisionKey, Outcome>

    /// The method and the path, compared and hashed as bytes.
    private struct DecisionKey: Hashable, Sendable {
        let method: String
        let path: String

        static func == (lhs: DecisionKey, rhs: DecisionKey) -> Bool {
            lhs.method.utf8.elementsEqual(rhs.method.utf8) && lhs.path.utf8.elementsEqual(rhs.path.utf8)
        }

        func hash(into hasher: inout Hasher) {
            Self.combine(method, into: &hasher)
            hasher.combine(0xFF as UInt8)
            Self.combine(path, into: &hasher)
        }

        private static func combine(_ text: String, into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Rule positions in a tree of the literal segments their patterns start with.
    ///
    /// A rule whose pattern starts with the literal segments `v5`, `asset` can only match a path that
    /// starts with those segments (both are lower-cased), so a rule is filed under the node reached by
    /// its leading literal segments: `/v5/asset/**` under `v5` → `asset`, `/v5/crypto-loan*/**` under
    /// `v5` (its second segment is not a literal), `*`, the root and invalid patterns (which as deny
    /// rules match everything) under the root. The rules that can match a path are exactly those filed
    /// along the path's own segments, so only they are compared. Within a node, rules are visited in
    /// rule order, and the earliest match over all nodes wins: the first matching deny rule, and with it
    /// the reason given, is the same as with a plain scan of every rule.
    struct RuleIndex: Sendable, Hashable {
        private struct Node: Sendable, Hashable {
            var positions: [Int] = []
            var children: [String: Node] = [:]
        }

        private var root = Node()

        init(_ rules: [Rule]) {
            for (position, rule) in rules.enumerated() {
                Self.file(position, under: rule.leadingLiteralSegments[...], in: &root)
            }
        }

        private static func file(_ position: Int, under literals: ArraySlice<String>, in node: inout Node) {
            guard let first = literals.first else {
                node.positions.append(position)
                return
            }
            file(position, under: literals.dropFirst(), in: &node.children[first, default: Node()])
        }

        /// The smallest rule position, among the rules that can match a path with `segments`, for which
        /// `predicate` holds.
        func firstMatch(along segments: [String], where predicate: (Int) -> Bool) -> Int? {
            var best: Int?
            var node = root
            var depth = 0
            while true {
                for position in node.positions {
                    if let best, position > best { break }
                    if predicate(position) {
                        best = position
                        break
                    }
                }
                guard depth < segments.count, let child = node.children[segments[depth]] else { return best }
                node = child
                depth += 1
            }
        }
    }
}
