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
/// signed, whatever built it), then refuses what it cannot sign faithfully: a path spelled with
/// escapes or dot segments, a GET with a body or with query characters that would need encoding, a
/// POST with a query, and a body that sets `isLeverage` (spot margin borrowing).
public struct BybitSigner: RequestSigner, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The endpoint policy checked before anything is signed.
    public let policy: EndpointPolicy
    /// The receive window sent and signed, in milliseconds.
    public let recvWindow: Int

    private let apiKey: String
    private let maskedAPIKey: String
    private let apiKeyBytes: [UInt8]
    private let recvWindowBytes: [UInt8]
    private let recvWindowText: String
    /// The HMAC key, prepared once.
    private let hmacKey: HMAC<SHA256>.PreparedKey

    /// Creates a signer for a verified key.
    ///
    /// - Parameters:
    ///   - key: A key verified with ``Bybit/keyInspector``.
    ///   - policy: The policy to enforce; the built-in policy by default.
    ///   - recvWindow: The receive window in milliseconds; clamped to 1…60000. Defaults to 5000.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a key verified with
    ///   another exchange.
    public init(key: SafeKey, policy: EndpointPolicy = Bybit.builtInPolicy, recvWindow: Int = 5000) throws {
        guard key.exchange == Bybit.exchangeName else {
            throw Bybit.foreignKeyError(key)
        }
        self.init(credentials: key.credentials, policy: policy, recvWindow: recvWindow)
    }

    /// Creates a signer from raw credentials: for the key inspector (which must sign before the key
    /// is verified) and for tests in this package.
    package init(credentials: Credentials, policy: EndpointPolicy, recvWindow: Int) {
        self.policy = policy
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
        try checkPolicy(request)
        let (path, query) = Self.split(request.url)
        guard let parsed = try? EndpointPath(String(path)), parsed.isCanonicalExceptCase else {
            throw ExchangeError(
                .policyViolation,
                message: "TradeOnly refused to sign \(request.method.rawValue) \(Redaction.urlWithoutQuery(request.url)): "
                    + "the path is spelled with escapes, dot segments, doubled or trailing slashes",
                exchange: Bybit.exchangeName)
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
    static func split(_ url: URL) -> (path: Substring, query: Substring?) {
        var text = Substring(url.absoluteString)
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        var query: Substring?
        if let mark = text.firstIndex(of: "?") {
            query = text[text.index(after: mark)...]
            text = text[..<mark]
        }
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            text = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        return (text, query)
    }

    /// Refuses a JSON body that sets `isLeverage` to anything but 0 (or that cannot be read). A cheap
    /// byte search first; the body is parsed only if the name occurs.
    static func refuseLeverage(in body: Data, request: HTTPRequest) throws {
        guard body.range(of: leverageName) != nil else { return }
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

    private static let leverageName = Data("isLeverage".utf8)

    private func refusal(_ what: String, _ request: HTTPRequest) -> ExchangeError {
        ExchangeError(
            .invalidRequest,
            message: "TradeOnly refused to sign \(what): \(request.method.rawValue) \(Redaction.urlWithoutQuery(request.url))",
            exchange: Bybit.exchangeName)
    }
}
