import Foundation
import TradeOnly
import TradeOnlyCrypto

/// Signs Bybit v5 requests with an HMAC key: the only code in this module that reads the secret.
///
/// The string signed is `timestamp + apiKey + recvWindow + payload`, where the payload is the raw
/// query of a GET (exactly as it is in the URL: nothing is re-encoded) or the raw JSON body of a POST
/// (exactly the bytes sent; whitespace matters). The signature is the lower-case hex HMAC-SHA256 of it,
/// sent with the key in headers:
///
/// ```text
/// X-BAPI-API-KEY: <api key>
/// X-BAPI-TIMESTAMP: <ms since 1970>
/// X-BAPI-RECV-WINDOW: 5000
/// X-BAPI-SIGN: <hex>
/// X-BAPI-SIGN-TYPE: 2
/// ```
///
/// Before anything else it checks the request against its ``policy`` (a withdrawal or transfer is never
/// signed, whatever built it) and, when it was made for an environment, that the request goes to that
/// environment's base URL. (Inside TradeOnly's request pipeline, which refuses a signed request whose
/// scheme, host or port a middleware changed, this second check is redundant; it is kept because the
/// signer is public and may be used outside the pipeline, where it is the only thing pinning the host.)
/// Then it refuses what it cannot sign faithfully: a path spelled with
/// escapes or dot segments, a GET with a body or with query characters that would need encoding, a
/// POST with a query, and a body that sets `isLeverage` (spot margin borrowing).
public struct BybitSigner: RequestSigner, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The endpoint policy checked before anything is signed.
    public let policy: EndpointPolicy
    /// The receive window sent and signed, in milliseconds.
    public let recvWindow: Int
    /// The base URL every signed request must start with (`https://api.bybit.com/`), if set.
    private let origin: String?

    private let apiKey: String
    private let maskedAPIKey: String
    private let apiKeyBytes: [UInt8]
    private let recvWindowBytes: [UInt8]
    private let recvWindowText: String
    /// The HMAC key, prepared once.
    private let hmacKey: HMAC<SHA256>.PreparedKey
    /// `METHOD url-before-the-query` pairs this signer has allowed: the policy and origin are immutable
    /// and the decision depends on the method and that text alone, so it is taken once per pair.
    /// Refusals are never remembered; they are decided again every time.
    private let allowed = BybitRememberedStrings()

    /// Creates a signer for a verified key.
    ///
    /// - Parameters:
    ///   - key: A key verified with ``Bybit/keyInspector``.
    ///   - policy: The policy to enforce; the built-in policy by default.
    ///   - recvWindow: The receive window in milliseconds; clamped to 1…60000. Defaults to 5000.
    ///   - environment: If given, the key must have been verified in it (``SafeKey/environment`` is
    ///     its ``Bybit/Environment/keyEnvironment``), and requests to any other base URL are refused,
    ///     so that nothing can send a signed request elsewhere, even outside TradeOnly's request
    ///     pipeline. ``Bybit/client(_:)`` always gives it.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a key verified with
    ///   another exchange, or in another environment than `environment`.
    public init(
        key: SafeKey, policy: EndpointPolicy = Bybit.builtInPolicy, recvWindow: Int = 5000,
        environment: Bybit.Environment? = nil
    ) throws {
        guard key.exchange == Bybit.exchangeName else {
            throw ExchangeError(
                .invalidRequest,
                message: "this key was verified with \(key.exchange), not Bybit: verify it with bybit.keyInspector",
                exchange: Bybit.exchangeName)
        }
        if let environment, key.environment != environment.keyEnvironment {
            throw ExchangeError(
                .invalidRequest,
                message: "this key was verified on Bybit \(key.environment ?? "(no environment named)"), not on "
                    + "\(environment.keyEnvironment): verify it with that environment's keyInspector",
                exchange: Bybit.exchangeName)
        }
        self.init(credentials: key.credentials, policy: policy, recvWindow: recvWindow, environment: environment)
    }

    /// Creates a signer from raw credentials: for the key inspector (which must sign before the key
    /// is verified) and for tests in this package.
    package init(
        credentials: Credentials, policy: EndpointPolicy, recvWindow: Int, environment: Bybit.Environment? = nil
    ) {
        self.policy = policy
        self.origin = environment.map { environment in
            var text = environment.baseURL.absoluteString
            while text.hasSuffix("/") { text.removeLast() }
            return text + "/"
        }
        self.recvWindow = min(max(recvWindow, 1), Bybit.Configuration.maximumRecvWindow)
        self.apiKey = credentials.apiKey
        self.maskedAPIKey = credentials.maskedAPIKey
        self.apiKeyBytes = Array(credentials.apiKey.utf8)
        self.recvWindowText = String(self.recvWindow)
        self.recvWindowBytes = Array(self.recvWindowText.utf8)
        self.hmacKey = credentials.secret.withUnsafeBytes {
            HMAC<SHA256>.PreparedKey(key: SymmetricKey(data: $0))
        }
    }

    /// Signs a request.
    ///
    /// - Parameters:
    ///   - request: The request as it will be sent.
    ///   - time: The exchange's current time; sent in whole milliseconds.
    /// - Returns: The request with the key, timestamp, receive window and signature headers.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` or
    ///   ``ExchangeError/Kind/invalidRequest``.
    public func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
        let (base, path, query) = Self.parts(request.url)
        // The key is the whole URL before the query: equal keys are equal URLs up to the query, so the
        // policy (which reads the path of that same string) decides them alike.
        let endpoint = request.method.rawValue + " " + base
        if !allowed.contains(endpoint) {
            try checkPolicy(request)
            if let origin, !(base + "/").hasPrefix(origin) {
                throw ExchangeError(
                    .policyViolation,
                    message: "TradeOnly refused to sign a request to \(Redaction.urlWithoutQuery(request.url)): this signer "
                        + "signs for \(origin) only (did a middleware change the host?)",
                    exchange: Bybit.exchangeName)
            }
            guard let parsed = try? EndpointPath(String(path)), parsed.isCanonicalExceptCase else {
                throw ExchangeError(
                    .policyViolation,
                    message: "TradeOnly refused to sign \(request.method.rawValue) \(Redaction.urlWithoutQuery(request.url)): "
                        + "the path is spelled with escapes, dot segments, doubled or trailing slashes",
                    exchange: Bybit.exchangeName)
            }
            allowed.insert(endpoint)
        }
        let timestamp = String(Self.milliseconds(time))
        var message: [UInt8] = []
        switch request.method {
        case .get:
            if let body = request.body, !body.isEmpty {
                throw refusal("a GET with a body (Bybit answers such requests with HTTP 403)", request)
            }
            if let query, !query.isEmpty, !BybitRequestEncoding.isQuerySafe(query: query) {
                throw refusal("a query with characters that would need percent-encoding (Bybit signs the raw query)", request)
            }
            let queryBytes = query.map { Array($0.utf8) } ?? []
            message.reserveCapacity(timestamp.utf8.count + apiKeyBytes.count + recvWindowBytes.count + queryBytes.count)
            message.append(contentsOf: timestamp.utf8)
            message.append(contentsOf: apiKeyBytes)
            message.append(contentsOf: recvWindowBytes)
            message.append(contentsOf: queryBytes)
        case .post:
            if let query, !query.isEmpty {
                throw refusal("a POST with a query string (Bybit signs only the body of a POST)", request)
            }
            let body = request.body ?? Data()
            try Self.refuseLeverage(in: body, request: request)
            message.reserveCapacity(timestamp.utf8.count + apiKeyBytes.count + recvWindowBytes.count + body.count)
            message.append(contentsOf: timestamp.utf8)
            message.append(contentsOf: apiKeyBytes)
            message.append(contentsOf: recvWindowBytes)
            message.append(contentsOf: body)
        default:
            throw refusal("a \(request.method.rawValue) request (Bybit v5 takes GET and POST only)", request)
        }
        let signature = message.withUnsafeBytes { hmacKey.authenticationCode(bufferPointer: $0) }.hexString
        var signed = request
        signed.headers["X-BAPI-API-KEY"] = apiKey
        signed.headers["X-BAPI-TIMESTAMP"] = timestamp
        signed.headers["X-BAPI-RECV-WINDOW"] = recvWindowText
        signed.headers["X-BAPI-SIGN"] = signature
        signed.headers["X-BAPI-SIGN-TYPE"] = "2"
        return signed
    }

    /// `BybitSigner(apiKey: vmPU…Eh8A, recvWindow: 5000)`: the masked key, never the secret.
    public var description: String { "BybitSigner(apiKey: \(maskedAPIKey), recvWindow: \(recvWindow))" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` shows nothing of the key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The signature of a string, for tests of the signing algorithm against published vectors.
    package func signature(of text: String) -> String {
        hmacKey.authenticationCode(for: Array(text.utf8)).hexString
    }

    /// Whole milliseconds since 1970, rounded to the nearest (a `Date` holds seconds as a `Double`, so
    /// rounding down could turn `…094` into `…093`).
    static func milliseconds(_ time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero))
    }

    /// The raw path and query of a URL, exactly as written (nothing decoded or re-encoded).
    static func split(_ url: URL) -> (path: String, query: Substring?) {
        let (_, path, query) = parts(url)
        return (path, query)
    }

    /// The URL's text before its query, its raw path and its raw query, exactly as written.
    static func parts(_ url: URL) -> (base: Substring, path: String, query: Substring?) {
        let text = url.absoluteString
        let bytes = text.utf8
        var end = bytes.endIndex
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { end = hash }
        var query: Substring?
        var pathEnd = end
        if let mark = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) {
            query = Substring(bytes[bytes.index(after: mark)..<end])
            pathEnd = mark
        }
        // Skip "scheme://authority".
        var pathStart = bytes.startIndex
        if let colon = bytes[..<pathEnd].firstIndex(of: UInt8(ascii: ":")) {
            let afterColon = bytes.index(after: colon)
            if bytes[afterColon..<pathEnd].starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
                let authority = bytes.index(afterColon, offsetBy: 2)
                pathStart = bytes[authority..<pathEnd].firstIndex(of: UInt8(ascii: "/")) ?? pathEnd
            }
        }
        let path = pathStart < pathEnd ? String(Substring(bytes[pathStart..<pathEnd])) : "/"
        return (Substring(bytes[..<pathEnd]), path, query)
    }

    /// Refuses a JSON body that sets `isLeverage` to anything but 0 (or that cannot be read). A cheap
    /// byte search first; the body is parsed only if the name occurs.
    static func refuseLeverage(in body: Data, request: HTTPRequest) throws {
        guard Self.contains(body, leverageName) else { return }
        if let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] {
            guard let value = object["isLeverage"] else { return }
            if let number = value as? NSNumber, number.doubleValue == 0 { return }
            if let text = value as? String, text == "0" { return }
        }
        throw ExchangeError(
            .policyViolation,
            message: "TradeOnly refused to sign POST \(Redaction.urlWithoutQuery(request.url)): the body sets isLeverage, "
                + "which turns a spot order into a margin loan (borrowing)",
            exchange: Bybit.exchangeName)
    }

    /// Whether `needle` occurs in `data`: a plain byte search.
    static func contains(_ data: Data, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, data.count >= needle.count else { return false }
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == first {
                    var offset = 1
                    while offset < needle.count && bytes[index + offset] == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    private static let leverageName = Array("isLeverage".utf8)

    private func refusal(_ what: String, _ request: HTTPRequest) -> ExchangeError {
        ExchangeError(
            .invalidRequest,
            message: "TradeOnly refused to sign \(what): \(request.method.rawValue) \(Redaction.urlWithoutQuery(request.url))",
            exchange: Bybit.exchangeName)
    }
}
