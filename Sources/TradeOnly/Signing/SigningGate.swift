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
    /// The origin that serves a path, for modules with more than one host (Binance spot and futures);
    /// `nil` when any of ``origins`` serves every path.
    private let originOfPath: (@Sendable (String) -> String?)?

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
    ///   - originOfPath: For a module with several hosts, the origin (as in `origins`) that serves a
    ///     path, or `nil` for none: a request for a path on another of the module's hosts is refused.
    package init(
        policy: EndpointPolicy, origins: [String], permissions: Set<TradePermission>?, layout: Layout,
        originOfPath: (@Sendable (String) -> String?)? = nil
    ) {
        self.policy = policy
        self.originOfPath = originOfPath
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
        if let originOfPath {
            var expected = originOfPath(path) ?? ""
            while expected.hasSuffix("/") { expected.removeLast() }
            guard !expected.isEmpty, origin.dropLast().elementsEqual(expected.utf8) else {
                throw refusal(
                    "TradeOnly refused to sign \(request.method.rawValue) \(path) for \(Redaction.urlWithoutQuery(request.url)): "
                        + "another of the exchange's hosts serves this path")
            }
        }

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
        let pathBytes = url[pathStart..<(queryMark ?? url.endIndex)]
        var items: [Item] = []
        items.reserveCapacity(16)
        let collect: (String, ArraySlice<UInt8>, SignedPayload.ValueKind) throws -> Void = { name, value, kind in
            items.append(Item(name: name, value: value, kind: kind))
        }
        do {
            let body = request.body.map { data in data.withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) } } ?? []
            switch layout {
            case .formEncoded:
                try SignedPayload.visitQuery(query, alphabet: .percentEncoded, collect)
                if !body.isEmpty {
                    if let contentType {
                        try requireContentType(contentType, "application/x-www-form-urlencoded", method: method, path: path)
                    }
                    try SignedPayload.visitQuery(body[...], alphabet: .percentEncoded, collect)
                }
            case .queryAndJSONBody:
                try SignedPayload.visitQuery(query, alphabet: .percentEncodedWithCommaAndColon, collect)
                if !body.isEmpty {
                    try requireContentType(contentType ?? "(none)", "application/json", method: method, path: path)
                    try SignedPayload.visitJSONObject(body, collect)
                }
            }
        } catch let refused as SignedPayload.Refusal {
            throw refusal("TradeOnly refused to sign \(method.rawValue) \(path): \(refused.reason)")
        }

        // The shape of the request (method, path, parameter names in order) is decided once: a bot
        // sends a few shapes over and over, with other values.
        var key: [UInt8] = []
        key.reserveCapacity(pathBytes.count + 16 * items.count + 8)
        key.append(contentsOf: method.rawValue.utf8)
        key.append(0)
        key.append(contentsOf: pathBytes)
        for item in items {
            key.append(0)
            key.append(contentsOf: item.name.utf8)
        }
        let shape: Shape
        if let known = shapes.withLock({ shapes in shapes.first { $0.key == key } }) {
            shape = known
        } else {
            shape = try decideShape(key: key, method: method, path: path, items: items)
            shapes.withLock { shapes in
                if shapes.count < Self.shapeCapacity { shapes.append(shape) }
            }
        }

        // What depends on the values: the restricted ones, and the permission a value calls for.
        for restricted in shape.restricted {
            let item = items[restricted.index]
            let decoded = SignedPayload.decoded(item.value, kind: item.kind)
            if let decoded, restricted.allowed.contains(decoded) { continue }
            try policy.checkParameter(item.name, value: { decoded }, rule: shape.position, method: method, path: path)
            throw refusal("TradeOnly refused to sign \(method.rawValue) \(path): '\(item.name)' has a value it may not have")
        }
        if let parameter = shape.permissionParameter {
            let value = shape.permissionIndex.flatMap { SignedPayload.decoded(items[$0].value, kind: items[$0].kind) }
            guard let value, let needed = shape.permissionsByValue[value] else {
                let known = shape.permissionsByValue.keys.sorted().joined(separator: ", ")
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

    /// One parameter as the strict readers found it.
    private struct Item {
        let name: String
        let value: ArraySlice<UInt8>
        let kind: SignedPayload.ValueKind
    }

    /// A parameter whose values a parameter rule restricts, by its place in the request.
    private struct Restricted: Sendable {
        let index: Int
        let allowed: Set<String>
    }

    /// A request shape this gate let through: what the values of such a request must still satisfy.
    private struct Shape: Sendable {
        /// The method, the path and the parameter names in order, as bytes.
        let key: [UInt8]
        /// The allow rule whose schema applies.
        let position: Int
        let restricted: [Restricted]
        let permissionParameter: String?
        let permissionIndex: Int?
        let permissionsByValue: [String: TradePermission]
    }

    /// The most shapes remembered; past that, every other shape is decided afresh.
    private static let shapeCapacity = 64

    /// The shapes let through so far (the gate's policy and permissions never change). A short array
    /// compared byte for byte, not a ``MemoCache``: a bot sends a handful of shapes, and comparing the
    /// first few keys is cheaper than hashing one on every signature (measured on `*.sign_order`).
    private let shapes = LockedValue<[Shape]>([])

    /// Decides a request shape: its endpoint and the key's permission for it, and every parameter
    /// name (no duplicates; each accepted by the endpoint and not refused by a parameter rule).
    private func decideShape(key: [UInt8], method: HTTPMethod, path: String, items: [Item]) throws -> Shape {
        let position = try policy.signingRule(method: method, path: path, permissions: permissions ?? [.read])
        let schema = policy.schemas[position]
        let rule = policy.allowRules[position]
        var restricted: [Restricted] = []
        var permissionIndex: Int?
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            guard seen.insert(item.name).inserted else {
                throw refusal(
                    "TradeOnly refused to sign \(method.rawValue) \(path): the parameter '\(item.name)' appears more than "
                        + "once; an exchange may read either copy")
            }
            guard schema.accepted.contains(item.name) else {
                // Throws the policy's own explanation of the refusal.
                try policy.checkParameter(item.name, value: { nil }, rule: position, method: method, path: path)
                throw refusal("TradeOnly refused to sign \(method.rawValue) \(path): '\(item.name)' is not accepted")
            }
            if let allowed = schema.allowedValues[item.name] { restricted.append(Restricted(index: index, allowed: allowed)) }
            if item.name == rule.permissionParameter { permissionIndex = index }
        }
        return Shape(
            key: key, position: position, restricted: restricted, permissionParameter: rule.permissionParameter,
            permissionIndex: permissionIndex, permissionsByValue: rule.permissionsByValue)
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
        if contentType == expected { return true }
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
