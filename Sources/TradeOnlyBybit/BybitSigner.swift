import Foundation
import TradeOnly
import TradeOnlyCrypto

/// Signs Bybit v5 requests with an HMAC key: the only code in this module that reads the secret.
///
/// `package`: nothing outside TradeOnly can sign a Bybit request. The string signed is
/// `timestamp + apiKey + recvWindow + payload`, where the payload is the raw query of a GET (exactly
/// as it is in the URL: nothing is re-encoded) or the raw JSON body of a POST (exactly the bytes
/// sent; whitespace matters). The signature is the lower-case hex HMAC-SHA256 of it, sent with the
/// key in headers:
///
/// ```text
/// X-BAPI-API-KEY: <api key>
/// X-BAPI-TIMESTAMP: <ms since 1970>
/// X-BAPI-RECV-WINDOW: 5000
/// X-BAPI-SIGN: <hex>
/// X-BAPI-SIGN-TYPE: 2
/// ```
///
/// Before anything else the ``SigningGate`` checks the exact request: that it goes to the
/// environment's base URL, carries no `Host`-like header, names an allowed endpoint in plain
/// spelling that the key has the permission for, and carries only parameters the endpoint accepts,
/// read strictly from the query or the JSON body (a duplicated or escaped member name, a nested
/// value, or `isLeverage` other than 0 — spot margin borrowing — is refused, whatever its spelling).
/// Then it refuses what it cannot sign faithfully: a GET with a body, a POST with a query, and any
/// other method.
package struct BybitSigner: RequestSigner, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The gate every request passes before it is signed.
    package let gate: SigningGate
    /// The API key, which the pipeline strips from any exchange message that echoes it.
    package var echoedIdentifiers: [String] { [apiKey] }
    /// The receive window sent and signed, in milliseconds.
    package let receiveWindow: Int

    private let apiKey: String
    private let maskedAPIKey: String
    private let apiKeyBytes: [UInt8]
    private let receiveWindowBytes: [UInt8]
    private let receiveWindowText: String
    /// The HMAC key, prepared once.
    private let hmacKey: HMAC<SHA256>.PreparedKey

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - credentials: The key and secret.
    ///   - gate: The gate to enforce: the policy, the environment's origin and the key's permissions.
    ///   - receiveWindow: The receive window in milliseconds; clamped to 1…60000.
    package init(credentials: Credentials, gate: SigningGate, receiveWindow: Int) {
        self.gate = gate
        self.receiveWindow = min(max(receiveWindow, 1), Bybit.Configuration.maximumReceiveWindow)
        self.apiKey = credentials.apiKey
        self.maskedAPIKey = credentials.maskedAPIKey
        self.apiKeyBytes = Array(credentials.apiKey.utf8)
        self.receiveWindowText = String(self.receiveWindow)
        self.receiveWindowBytes = Array(self.receiveWindowText.utf8)
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
    package func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
        try gate.check(request)
        let (_, query) = wireParts(of: request.url)
        let timestamp = String(Self.milliseconds(time))
        var message: [UInt8] = []
        switch request.method {
        case .get:
            if let body = request.body, !body.isEmpty {
                throw refusal("a GET with a body (Bybit answers such requests with HTTP 403)", request)
            }
            let queryBytes = query.map { Array($0.utf8) } ?? []
            message.reserveCapacity(timestamp.utf8.count + apiKeyBytes.count + receiveWindowBytes.count + queryBytes.count)
            message.append(contentsOf: timestamp.utf8)
            message.append(contentsOf: apiKeyBytes)
            message.append(contentsOf: receiveWindowBytes)
            message.append(contentsOf: queryBytes)
        case .post:
            if let query, !query.isEmpty {
                throw refusal("a POST with a query string (Bybit signs only the body of a POST)", request)
            }
            let body = request.body ?? Data()
            message.reserveCapacity(timestamp.utf8.count + apiKeyBytes.count + receiveWindowBytes.count + body.count)
            message.append(contentsOf: timestamp.utf8)
            message.append(contentsOf: apiKeyBytes)
            message.append(contentsOf: receiveWindowBytes)
            message.append(contentsOf: body)
        default:
            throw refusal("a \(request.method.rawValue) request (Bybit v5 takes GET and POST only)", request)
        }
        let signature = message.withUnsafeBytes { hmacKey.authenticationCode(bufferPointer: $0) }.hexString
        var signed = request
        signed.headers["X-BAPI-API-KEY"] = apiKey
        signed.headers["X-BAPI-TIMESTAMP"] = timestamp
        signed.headers["X-BAPI-RECV-WINDOW"] = receiveWindowText
        signed.headers["X-BAPI-SIGN"] = signature
        signed.headers["X-BAPI-SIGN-TYPE"] = "2"
        return signed
    }

    /// `BybitSigner(apiKey: vmPU…Eh8A, receiveWindow: 5000)`: the masked key, never the secret.
    package var description: String { "BybitSigner(apiKey: \(maskedAPIKey), receiveWindow: \(receiveWindow))" }

    /// The same as ``description``.
    package var debugDescription: String { description }

    /// A mirror with no children, so `dump` shows nothing of the key.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The signature of a string, for tests of the signing algorithm against published vectors.
    package func signature(of text: String) -> String {
        hmacKey.authenticationCode(for: Array(text.utf8)).hexString
    }

    /// Whole milliseconds since 1970, rounded to the nearest (a `Date` holds seconds as a `Double`, so
    /// rounding down could turn `…094` into `…093`).
    static func milliseconds(_ time: Date) -> Int64 {
        Timestamps.milliseconds(time)
    }

    /// The raw path (`/` for none) and query of a URL, exactly as written (the core's one URL
    /// splitter, `wireParts(of:)`).
    static func split(_ url: URL) -> (path: String, query: Substring?) {
        let (path, query) = wireParts(of: url)
        return (path.isEmpty ? "/" : path, query)
    }

    private func refusal(_ what: String, _ request: HTTPRequest) -> ExchangeError {
        ExchangeError(
            .invalidRequest,
            message: "TradeOnly refused to sign \(what): \(request.method.rawValue) \(Redaction.urlWithoutQuery(request.url))",
            exchange: Bybit.exchangeName)
    }
}
