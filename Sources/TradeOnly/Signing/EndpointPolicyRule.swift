extension EndpointPolicy {
    /// One (method, path pattern) rule of an ``EndpointPolicy``.
    ///
    /// Patterns are written like paths and compared with the canonical form of the request path
    /// (see ``EndpointPath``), segment by segment, ignoring letter case:
    ///
    /// - ``exact(_:_:)`` matches the path itself: `Rule.exact(.get, "/api/v3/order")`.
    /// - ``prefix(_:)`` matches the path and everything below it, by whole segments:
    ///   `Rule.prefix("/sapi/")` matches `/sapi` and `/sapi/v1/capital/withdraw/apply`, not `/sapix`.
    /// - A `*` segment matches any one segment: `Rule.exact(.delete, "/api/v4/spot/orders/*")`.
    /// - A segment ending in `*` matches any segment that starts with what comes before it:
    ///   `Rule.prefix("/v5/crypto-loan*")` matches `/v5/crypto-loan/…` and `/v5/crypto-loan-fixed/…`.
    ///
    /// A rule without a method applies to every method.
    ///
    /// An allow rule also states what a **signed** request to its endpoints may carry: the parameter
    /// names it accepts (``accepting(_:)-swift.method``; none unless stated) and the trade permission the key
    /// needs (``requiring(_:)``; ``TradePermission/read`` for `GET`, a trade permission otherwise).
    /// The signer parses the exact query and body it is about to sign and refuses any other name:
    ///
    /// ```swift
    /// let rule = EndpointPolicy.Rule.exact(.post, "/fapi/v1/leverage")
    ///     .accepting("symbol", "leverage")
    ///     .requiring(.futuresTrade)
    /// ```
    ///
    /// A pattern that is not a plain path (it has `%`, `?`, `#`, `;`, `\`, a space, a control or
    /// non-ASCII character, a `.` or `..` segment, or a `*` inside a segment) is invalid, and fails
    /// closed: as an allow rule it matches nothing, as a deny rule it matches everything.
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        /// How a rule's pattern is compared with a path.
        public enum Match: String, Sendable, Hashable {
            /// The path has exactly the pattern's segments.
            case exact
            /// The path starts with the pattern's segments (and may have more).
            case prefix
        }

        // Stored as the raw value so the rule stays Sendable whatever HTTPMethod conforms to.
        private let methodName: String?

        /// The pattern as written.
        public let pattern: String

        /// How ``pattern`` is compared with a path.
        public let match: Match

        /// Why a path matching this deny rule is refused, in plain words; `nil` uses the policy's
        /// default reason. Ignored on allow rules.
        public let reason: String?

        /// Paths this rule does not cover even though its pattern matches them.
        ///
        /// On a deny rule this carves out what the exchange module needs (for example the one
        /// `/sapi/` endpoint that reports a key's permissions); the path must still be on the
        /// allow-list to be signed. An exception's own exceptions and reason are dropped.
        public let exceptions: [Rule]

        /// The parameter names a signed request to this endpoint may carry, spelled exactly as the
        /// exchange spells them (compared byte for byte). Empty unless stated with
        /// ``accepting(_:)-swift.method``. Ignored on deny rules.
        ///
        /// A name here can still be refused: the policy's ``EndpointPolicy/parameterRules`` and
        /// ``EndpointPolicy/ParameterRule/fundMovement`` win over every allow rule.
        public let acceptedParameters: Set<String>

        /// The trade permission a key must have for a signed request to this endpoint, if stated;
        /// `nil` means ``TradePermission/read`` for `GET` and either trade permission otherwise.
        /// Ignored on deny rules.
        public let requiredPermission: TradePermission?

        /// The parameter whose value decides which trade permission a signed request needs (Bybit's
        /// `category`: `spot` needs spot trading, `linear` futures trading), if any. Set with
        /// ``requiring(_:byValueOf:)``.
        public let permissionParameter: String?

        /// For ``permissionParameter``: the permission each value needs. A request without the
        /// parameter, or with a value not listed here, is refused.
        public let permissionsByValue: [String: TradePermission]

        /// The parsed pattern, or `nil` if it is invalid.
        private let segments: [Segment]?

        /// One segment of a parsed pattern.
        private enum Segment: Sendable, Hashable {
            case literal(String)
            case any
            case startsWith(String)

            func matches(_ segment: String) -> Bool {
                switch self {
                case .literal(let literal): return segment == literal
                case .any: return true
                case .startsWith(let start): return segment.hasPrefix(start)
                }
            }
        }

        private init(
            method: HTTPMethod?, pattern: String, match: Match, reason: String? = nil,
            exceptions: [Rule] = [], acceptedParameters: Set<String> = [],
            requiredPermission: TradePermission? = nil, permissionParameter: String? = nil,
            permissionsByValue: [String: TradePermission] = [:]
        ) {
            self.methodName = method?.rawValue
            self.pattern = pattern
            self.match = match
            self.reason = reason
            self.exceptions = exceptions
            self.acceptedParameters = acceptedParameters
            self.requiredPermission = requiredPermission
            self.permissionParameter = permissionParameter
            self.permissionsByValue = permissionsByValue
            self.segments = Self.parse(pattern)
        }

        /// A copy of this rule with some fields changed.
        private func with(
            reason: String?? = nil, exceptions: [Rule]? = nil, acceptedParameters: Set<String>? = nil,
            requiredPermission: TradePermission?? = nil, permissionParameter: String?? = nil,
            permissionsByValue: [String: TradePermission]? = nil
        ) -> Rule {
            Rule(
                method: method, pattern: pattern, match: match, reason: reason ?? self.reason,
                exceptions: exceptions ?? self.exceptions,
                acceptedParameters: acceptedParameters ?? self.acceptedParameters,
                requiredPermission: requiredPermission ?? self.requiredPermission,
                permissionParameter: permissionParameter ?? self.permissionParameter,
                permissionsByValue: permissionsByValue ?? self.permissionsByValue)
        }

        /// A rule for exactly `path`, with `method` only.
        ///
        /// - Parameters:
        ///   - method: The one method the rule applies to.
        ///   - path: The path pattern, for example `"/api/v3/order"` or `"/api/v4/spot/orders/*"`.
        public static func exact(_ method: HTTPMethod, _ path: String) -> Rule {
            Rule(method: method, pattern: path, match: .exact)
        }

        /// A rule for exactly `path`, with any method.
        ///
        /// - Parameter path: The path pattern.
        public static func exact(_ path: String) -> Rule {
            Rule(method: nil, pattern: path, match: .exact)
        }

        /// A rule for `path` and everything below it, with any method.
        ///
        /// - Parameter path: The path pattern, for example `"/sapi/"`.
        public static func prefix(_ path: String) -> Rule {
            Rule(method: nil, pattern: path, match: .prefix)
        }

        /// A rule for `path` and everything below it, with `method` only.
        ///
        /// - Parameters:
        ///   - method: The one method the rule applies to.
        ///   - path: The path pattern.
        public static func prefix(_ method: HTTPMethod, _ path: String) -> Rule {
            Rule(method: method, pattern: path, match: .prefix)
        }

        /// This rule with a plain-words reason, shown when it refuses a request.
        ///
        /// - Parameter reason: For example `"withdrawals and transfers are never signed by TradeOnly"`.
        public func because(_ reason: String) -> Rule {
            with(reason: .some(reason))
        }

        /// This rule, also accepting the parameter names `names` on signed requests.
        ///
        /// Names are compared byte for byte, as the exchange spells them (`newClientOrderId`, not
        /// `newclientorderid`). A name the policy's parameter rules refuse (fund movement, borrowing
        /// flags, the signer's own parameters) stays refused.
        ///
        /// - Parameter names: The parameter names, for example `["symbol", "leverage"]`.
        /// - Returns: The rule accepting them as well.
        public func accepting(_ names: Set<String>) -> Rule {
            with(acceptedParameters: acceptedParameters.union(names))
        }

        /// This rule, also accepting the parameter names `names` on signed requests. See
        /// ``accepting(_:)-swift.method``.
        ///
        /// - Parameter names: The parameter names.
        /// - Returns: The rule accepting them as well.
        public func accepting(_ names: String...) -> Rule {
            accepting(Set(names))
        }

        /// This rule, requiring `permission` of the key for a signed request.
        ///
        /// - Parameter permission: For example ``TradePermission/futuresTrade``.
        /// - Returns: The rule with the requirement.
        public func requiring(_ permission: TradePermission) -> Rule {
            with(requiredPermission: .some(permission))
        }

        /// This rule, requiring of the key the permission that the value of the parameter `parameter`
        /// calls for; the parameter becomes accepted too.
        ///
        /// ```swift
        /// .exact(.post, "/v5/order/create")
        ///     .requiring(["spot": .spotTrade, "linear": .futuresTrade], byValueOf: "category")
        /// ```
        ///
        /// - Parameters:
        ///   - permissions: The permission each value needs; any other value (and a missing
        ///     parameter) is refused.
        ///   - parameter: The parameter's name, for example `"category"`.
        /// - Returns: The rule with the requirement.
        public func requiring(_ permissions: [String: TradePermission], byValueOf parameter: String) -> Rule {
            with(
                acceptedParameters: acceptedParameters.union([parameter]), permissionParameter: .some(parameter),
                permissionsByValue: permissions)
        }

        /// Whether a key with `permissions` may send a signed `method` request under this rule.
        func permits(methodName requestMethod: String, permissions: Set<TradePermission>) -> Bool {
            if let requiredPermission { return permissions.contains(requiredPermission) }
            if requestMethod == HTTPMethod.get.rawValue { return permissions.contains(.read) }
            return permissions.contains(.spotTrade) || permissions.contains(.futuresTrade)
        }

        /// The permission this rule asks of a key for `method`, in words.
        func permissionDescription(methodName requestMethod: String) -> String {
            if let requiredPermission { return "the \(requiredPermission) permission" }
            if requestMethod == HTTPMethod.get.rawValue { return "the read permission" }
            return "a trade permission (spotTrade or futuresTrade)"
        }

        /// This rule, except for the paths matched by `rules`.
        ///
        /// - Parameter rules: The exceptions; their own exceptions and reasons are dropped.
        public func except(_ rules: [Rule]) -> Rule {
            let plain = rules.map { Rule(method: $0.method, pattern: $0.pattern, match: $0.match) }
            return with(exceptions: exceptions + plain)
        }

        /// This rule, except for the paths matched by `rules`.
        ///
        /// - Parameter rules: The exceptions; their own exceptions and reasons are dropped.
        public func except(_ rules: Rule...) -> Rule {
            except(rules)
        }

        /// The one method this rule applies to, or `nil` if it applies to every method.
        public var method: HTTPMethod? {
            methodName.flatMap(HTTPMethod.init(rawValue:))
        }

        /// The literal segments the pattern starts with, up to its first `*` or `abc*` segment: empty for
        /// those, for the root pattern and for an invalid pattern. Only paths starting with these
        /// segments can match.
        var leadingLiteralSegments: [String] {
            var literals: [String] = []
            for segment in segments ?? [] {
                guard case .literal(let literal) = segment else { break }
                literals.append(literal)
            }
            return literals
        }

        /// Whether the pattern (and every exception's pattern) is a valid pattern.
        public var isValid: Bool {
            segments != nil && exceptions.allSatisfy(\.isValid)
        }

        /// For example `GET /api/v3/order`, `any method /sapi/**` or
        /// `any method /v5/user/** except GET /v5/user/query-api`.
        public var description: String {
            var text = (methodName ?? "any method") + " " + pattern
            if match == .prefix {
                if !text.hasSuffix("/") { text += "/" }
                text += "**"
            }
            if segments == nil { text += " (invalid pattern)" }
            if !exceptions.isEmpty {
                text += " except " + exceptions.map(\.description).joined(separator: ", ")
            }
            return text
        }

        /// Whether this rule covers a request, as an allow rule (`failClosedMatches == false`: an
        /// invalid pattern matches nothing) or as a deny rule (`true`: an invalid pattern matches
        /// everything).
        func matches(methodName requestMethod: String, segments path: [String], failClosedMatches: Bool) -> Bool {
            guard patternMatches(methodName: requestMethod, segments: path, ifInvalid: failClosedMatches) else {
                return false
            }
            // An exception narrows the rule, so an invalid exception fails the other way round.
            return !exceptions.contains {
                $0.patternMatches(methodName: requestMethod, segments: path, ifInvalid: !failClosedMatches)
            }
        }

        private func patternMatches(methodName requestMethod: String, segments path: [String], ifInvalid: Bool) -> Bool {
            guard let segments else { return ifInvalid }
            if let methodName, methodName != requestMethod { return false }
            switch match {
            case .exact:
                guard path.count == segments.count else { return false }
            case .prefix:
                guard path.count >= segments.count else { return false }
            }
            for index in segments.indices where !segments[index].matches(path[index]) {
                return false
            }
            return true
        }

        /// Parses a pattern, or returns `nil` if it is invalid.
        private static func parse(_ pattern: String) -> [Segment]? {
            let bytes = Array(pattern.utf8)
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            let forbidden: Set<UInt8> = Set("%?#;\\".utf8)
            guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }) else { return nil }
            var result: [Segment] = []
            for piece in pattern.lowercased().split(separator: "/", omittingEmptySubsequences: true) {
                let segment = String(piece)
                if segment == "." || segment == ".." { return nil }
                if segment == "*" {
                    result.append(.any)
                } else if let star = segment.firstIndex(of: "*") {
                    guard segment.index(after: star) == segment.endIndex else { return nil }
                    result.append(.startsWith(String(segment[..<star])))
                } else {
                    result.append(.literal(segment))
                }
            }
            return result
        }
    }
}
