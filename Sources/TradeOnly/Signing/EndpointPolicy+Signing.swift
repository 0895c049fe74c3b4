extension EndpointPolicy {
    /// This policy with more allow rules, where a rule that states no parameters and no permission but
    /// names exactly the method and pattern of a rule in `catalogue` (the exchange module's table of
    /// endpoints that are not allowed by default) takes that rule's parameters and permission.
    ///
    /// - Parameters:
    ///   - rules: The endpoints to allow as well.
    ///   - catalogue: The module's known endpoints, with their parameters.
    /// - Returns: The extended policy.
    package func allowing(_ rules: [Rule], describedBy catalogue: [Rule]) -> EndpointPolicy {
        allowing(
            rules.map { rule in
                guard rule.acceptedParameters.isEmpty, rule.requiredPermission == nil,
                    let known = catalogue.first(where: {
                        $0.method == rule.method && $0.match == rule.match && $0.pattern == rule.pattern
                    })
                else { return rule }
                let described = rule.accepting(known.acceptedParameters)
                return known.requiredPermission.map { described.requiring($0) } ?? described
            })
    }

    /// What one allow rule lets a signed request carry once the parameter rules are applied: the
    /// names it accepts (every name a parameter rule refuses outright removed) and, for names whose
    /// values a parameter rule restricts, the values that remain allowed.
    struct ParameterSchema: Sendable, Hashable {
        var accepted: Set<String>
        var allowedValues: [String: Set<String>]
    }

    /// The schema of every allow rule, in rule order.
    static func compileSchemas(for rules: [Rule], _ parameterRules: [ParameterRule]) -> [ParameterSchema] {
        let all = ParameterRule.fundMovement + parameterRules
        return rules.map { rule in
            var schema = ParameterSchema(accepted: [], allowedValues: [:])
            for name in rule.acceptedParameters {
                let concerning = all.filter { $0.concerns(name) }
                if concerning.contains(where: { $0.allowedValues == nil }) { continue }
                schema.accepted.insert(name)
                for restriction in concerning {
                    guard let values = restriction.allowedValues else { continue }
                    schema.allowedValues[name] = schema.allowedValues[name].map { $0.intersection(values) } ?? values
                }
            }
            return schema
        }
    }

    /// Decides a signed request's endpoint: throws unless the path is allowed and a key with
    /// `permissions` may call it, and returns the position of the allow rule whose schema applies.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation``, or
    ///   ``ExchangeError/Kind/permissionDenied`` for a key without the permission the endpoint needs.
    func signingRule(method: HTTPMethod, path: String, permissions: Set<TradePermission>?) throws -> Int {
        let outcome = evaluate(method: method, path: path)
        guard case .allowed = outcome.decision, let position = outcome.allowingRule else {
            try check(method: method, path: path)
            // `check` throws for every outcome but `.allowed`, which always names its rule.
            throw ExchangeError(
                .policyViolation, message: "TradeOnly refused \(method.rawValue) \(EndpointPath.safeDisplay(of: path))", exchange: exchange)
        }
        if let permissions, !allowRules[position].permits(methodName: method.rawValue, permissions: permissions) {
            let needed = allowRules[position].permissionDescription(methodName: method.rawValue)
            throw ExchangeError(
                .permissionDenied,
                message: "TradeOnly refused to sign \(method.rawValue) \(outcome.path?.canonical ?? path): this key was not "
                    + "verified with \(needed), which the endpoint needs; nothing was sent",
                exchange: exchange)
        }
        return position
    }

    /// Checks one parameter of a signed request against the schema of the allow rule at `position`
    /// and the parameter rules.
    ///
    /// - Parameters:
    ///   - name: The parameter's name, as the request spells it.
    ///   - value: The parameter's decoded value (`nil` if it cannot be decoded); asked for only when a
    ///     parameter rule restricts the name's values.
    ///   - position: The allow rule, from ``signingRule(method:path:permissions:)``.
    ///   - method: The request's method, for messages.
    ///   - path: The request's path, for messages.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation``.
    func checkParameter(
        _ name: String, value: () -> String?, rule position: Int, method: HTTPMethod, path: String
    ) throws {
        let schema = schemas[position]
        if schema.accepted.contains(name) {
            guard let allowed = schema.allowedValues[name] else { return }
            if let value = value(), allowed.contains(value) { return }
            let restriction = (ParameterRule.fundMovement + parameterRules).first {
                $0.concerns(name) && $0.allowedValues != nil
            }
            var shown = "a value that is not UTF-8"
            if let text = value() { shown = "'" + Redaction.redactText(String(text.prefix(40))) + "'" }
            let safe: [String] = allowed.sorted().map { "'" + $0 + "'" }
            let reason: String = restriction?.reason ?? ParameterRule.defaultReason
            let message: String =
                "TradeOnly refused to sign \(method.rawValue) \(path): \(name) is \(shown), and only "
                + safe.joined(separator: " or ") + " is signed: " + reason
            throw ExchangeError(.policyViolation, message: message, exchange: exchange)
        }
        if let refusal = (ParameterRule.fundMovement + parameterRules).first(where: {
            $0.concerns(name) && $0.allowedValues == nil
        }) {
            throw ExchangeError(
                .policyViolation,
                message: "TradeOnly refused to sign \(method.rawValue) \(path): it carries the parameter '\(name)': "
                    + (refusal.reason ?? ParameterRule.defaultReason) + " (parameter rule: \(refusal)). "
                    + "No allow rule can override a parameter rule.",
                exchange: exchange)
        }
        let rule = allowRules[position]
        let accepted = schema.accepted.sorted()
        throw ExchangeError(
            .policyViolation,
            message: "TradeOnly refused to sign \(method.rawValue) \(path): the parameter '\(name)' is not one this "
                + "endpoint accepts ("
                + (accepted.isEmpty ? "it accepts none" : "it accepts " + accepted.joined(separator: ", "))
                + "; allow rule: \(rule)). If the exchange documents it for this endpoint and it cannot move funds, "
                + "add an allow rule for an endpoint of your own with .accepting(\"\(name)\") in the exchange's "
                + "Configuration.additionalAllowedEndpoints.",
            exchange: exchange)
    }
}
