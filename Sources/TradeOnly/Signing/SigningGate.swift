/// The last check before a signature: decides from the exact bytes about to be signed and sent.
///
/// Every exchange module's signer calls ``check(_:)`` first, whatever built the request (a client
/// method, ``ExchangeClient/perform(_:)``, a middleware that edited it). It refuses, with
/// ``ExchangeError/Kind/policyViolation`` unless noted:
///
/// 1. a URL that does not start with one of the module's own origins (scheme, host, port), exactly
///    as the module writes them, or that has a fragment;
/// 2. a header that could reroute the request or change its method (`Host`, `X-Original-URL`,
///    `X-Rewrite-URL`, `X-HTTP-Method-Override`, `Forwarded`, …) or its framing
///    (`Content-Length`, `Transfer-Encoding`);
/// 3. a path the ``EndpointPolicy`` does not allow, including every path whose spelling differs from
///    its canonical form in anything but letter case;
/// 4. a key without the permission the endpoint needs (``ExchangeError/Kind/permissionDenied``);
/// 5. a query or body the strict readers of ``SignedPayload`` refuse (duplicate names, escaped
///    names, ambiguous characters, nested JSON, non-canonical numbers, …), or a body of another
///    content type than the layout's;
/// 6. a parameter the endpoint's allow rule does not accept, or one a parameter rule refuses
///    (fund movement on every endpoint, borrowing values, the signer's own parameters).
package final class SigningGate: Sendable {
    /// Where an exchange takes a signed request's parameters.
    package enum Layout: Sendable {
        /// The query and an `application/x-www-form-urlencoded` body, both RFC 3986 percent-encoded
        /// (Binance).
        case formEncoded
        /// The query (whose values may hold raw `,` and `:`), and a JSON object body
        /// (`application/json`) for requests with a body (Bybit, OKX).
        case queryAndJSONBody
    }

    /// The endpoint policy, with its allow rules' parameter schemas and its parameter rules.
    package let policy: EndpointPolicy
    /// The permissions of the key that signs; `nil` for a key being inspected, which may only call
    /// the policy's endpoints that need no more than reading.
    package let permissions: Set<TradePermission>?
    /// Where the exchange takes parameters.
    package let layout: Layout
    /// The origins requests may go to, as `scheme://host[:port]` with no trailing slash.
    package let origins: [String]
    private let originBytes: [[UInt8]]

    /// Creates a gate.
    ///
    /// - Parameters:
    ///   - policy: The policy to enforce.
    ///   - origins: Every origin the module sends signed requests to, written exactly as the module
    ///     writes its URLs (`https://api.binance.com`, `http://127.0.0.1:8080`); a trailing slash is
    ///     dropped.
    ///   - permissions: The key's permissions; `nil` while the key is being inspected (then only
    ///     endpoints needing ``TradePermission/read`` are signed).
    ///   - layout: Where the exchange takes parameters.
    package init(policy: EndpointPolicy, origins: [String], permissions: Set<TradePermission>?, layout: Layout) {
        self.policy = policy
        self.permissions = permissions
        self.layout = layout
        let trimmed = origins.map { origin -> String in
            var origin = origin
            while origin.hasSuffix("/") { origin.removeLast() }
            return origin
        }
        self.origins = trimmed
        self.originBytes = trimmed.map { Array($0.utf8) + [UInt8(ascii: "/")] }
    }

    /// Header names (lower-cased) a signed request may not carry: they reroute a request, change its
    /// method, or change how its body is framed, behind the signature's back.
    package static let routingHeaders: Set<String> = [
        "host", "x-original-url", "x-rewrite-url", "x-override-url", "x-http-method-override", "x-http-method",
        "x-method-override", "forwarded", "x-forwarded-host", "x-forwarded-server", "x-forwarded-proto",
        "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-path", "x-forwarded-uri", "x-host",
        "x-original-host", "x-original-uri", "x-original-method", "content-length", "transfer-encoding", "te",
        "upgrade",
    ]

    /// The lengths of ``routingHeaders``' names: a header of another length is none of them.
    private static let routingHeaderLengths = Set(routingHeaders.map(\.utf8.count))

    /// Checks a request exactly as it will be signed.
    ///
    /// - Parameter request: The request, without the signer's own parameters and headers.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` (or
    ///   ``ExchangeError/Kind/permissionDenied``), naming what was refused; nothing is signed.
    package func check(_ request: HTTPRequest) throws {
        let url = Array(request.url.absoluteString.utf8)
        guard let origin = originBytes.first(where: { url.starts(with: $0) }) else {
            throw refusal(
                "TradeOnly refused to sign a request to \(Redaction.urlWithoutQuery(request.url)): this signer signs "
                    + "only for " + origins.joined(separator: ", ") + " (did a middleware or transport change the host?)")
        }
        guard !url.contains(UInt8(ascii: "#")) else {
            throw refusal("TradeOnly refused to sign \(request.method.rawValue) \(Redaction.urlWithoutQuery(request.url)): the URL has a fragment")
        }
        let pathStart = origin.count - 1
        let queryMark = url[pathStart...].firstIndex(of: UInt8(ascii: "?"))
        let path = String(decoding: url[pathStart..<(queryMark ?? url.endIndex)], as: UTF8.self)
        let query = queryMark.map { url[($0 + 1)...] } ?? []

        var contentType: String?
        for field in request.headers.fields {
            let length = field.name.utf8.count
            if length == 12, HTTPHeaders.namesMatch(field.name, "Content-Type") {
                guard contentType == nil else {
                    throw refusal(
                        "TradeOnly refused to sign \(request.method.rawValue) \(path): it carries more than one "
                            + "Content-Type, which the exchange may read differently from TradeOnly")
                }
                contentType = field.value
            }
            guard Self.routingHeaderLengths.contains(length),
                Self.routingHeaders.contains(where: { HTTPHeaders.namesMatch($0, field.name) })
            else { continue }
            throw refusal(
                "TradeOnly refused to sign \(request.method.rawValue) \(path): it carries a '\(field.name)' header, which "
                    + "could send it to another endpoint or host than the one signed for; remove it")
        }

        let method = request.method
        let position = try policy.signingRule(method: method, path: path, permissions: permissions ?? [.read])
        let schema = policy.schemas[position]
        let permissionParameter = policy.allowRules[position].permissionParameter
        var seen: [String] = []
        seen.reserveCapacity(16)
        var permissionValue: String?
        // The first parameter the schema does not let through, explained below (off the fast path).
        var refused: (name: String, value: String?)?
        let visit: (String, ArraySlice<UInt8>, SignedPayload.ValueKind) throws -> Void = { name, value, kind in
            if seen.contains(name) {
                throw SignedPayload.Refusal(
                    reason: "the parameter '\(name)' appears more than once; an exchange may read either copy")
            }
            seen.append(name)
            if name == permissionParameter { permissionValue = SignedPayload.decoded(value, kind: kind) }
            if schema.accepted.contains(name) {
                guard !schema.allowedValues.isEmpty, let allowed = schema.allowedValues[name] else { return }
                let decoded = SignedPayload.decoded(value, kind: kind)
                if let decoded, allowed.contains(decoded) { return }
                refused = (name, decoded)
            } else {
                refused = (name, nil)
            }
            throw SignedPayload.Refusal(reason: "")
        }
        do {
            let body = request.body.map { data in data.withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) } } ?? []
            switch layout {
            case .formEncoded:
                try SignedPayload.visitQuery(query, alphabet: .percentEncoded, visit)
                if !body.isEmpty {
                    if let contentType {
                        try requireContentType(contentType, "application/x-www-form-urlencoded", method: method, path: path)
                    }
                    try SignedPayload.visitQuery(body[...], alphabet: .percentEncoded, visit)
                }
            case .queryAndJSONBody:
                try SignedPayload.visitQuery(query, alphabet: .percentEncodedWithCommaAndColon, visit)
                if !body.isEmpty {
                    try requireContentType(contentType ?? "(none)", "application/json", method: method, path: path)
                    try SignedPayload.visitJSONObject(body, visit)
                }
            }
        } catch let refusedPayload as SignedPayload.Refusal {
            if let refused {
                // Throws the policy's own explanation of the refusal.
                try policy.checkParameter(
                    refused.name, value: { refused.value }, rule: position, method: method, path: path)
            }
            throw refusal("TradeOnly refused to sign \(method.rawValue) \(path): \(refusedPayload.reason)")
        }
        if let parameter = permissionParameter {
            let byValue = policy.allowRules[position].permissionsByValue
            guard let value = permissionValue, let needed = byValue[value] else {
                let known = byValue.keys.sorted().joined(separator: ", ")
                throw refusal(
                    "TradeOnly refused to sign \(method.rawValue) \(path): its '\(parameter)' must be one of \(known), "
                        + "which decides the permission the key needs")
            }
            guard (permissions ?? [.read]).contains(needed) else {
                throw ExchangeError(
                    .permissionDenied,
                    message: "TradeOnly refused to sign \(method.rawValue) \(path) with \(parameter)=\(value): this key was "
                        + "not verified with the \(needed) permission, which it needs; nothing was sent",
                    exchange: policy.exchange)
            }
        }
    }

    private func requireContentType(_ contentType: String, _ expected: String, method: HTTPMethod, path: String) throws {
        guard Self.mediaType(of: contentType, is: expected) else {
            throw refusal(
                "TradeOnly refused to sign \(method.rawValue) \(path): its body is declared as '\(Redaction.redactText(contentType))', "
                    + "but the exchange reads it as \(expected)")
        }
    }

    /// Whether a `Content-Type` value names `expected` (lower-case): compared without ASCII case,
    /// ignoring surrounding spaces and tabs and any `;` parameters.
    static func mediaType(of contentType: String, is expected: String) -> Bool {
        var value = contentType.utf8[...]
        if let semicolon = value.firstIndex(of: UInt8(ascii: ";")) { value = value[..<semicolon] }
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        return value.elementsEqual(expected.utf8) { byte, wanted in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte) == wanted
        }
    }

    private func refusal(_ message: String) -> ExchangeError {
        ExchangeError(.policyViolation, message: message, exchange: policy.exchange)
    }
}
