import TradeOnly
import TradeOnlyCrypto

/// Signs Binance REST requests with an HMAC-SHA256 key: the only code in this module that reads a secret.
///
/// For a request whose parameters are in the query string (what ``BinanceClient`` sends for every
/// method, as in Binance's published `POST /api/v3/order` example):
///
/// 1. the policy is checked first (``RequestSigner/checkPolicy(_:)``);
/// 2. `recvWindow=<ms>&timestamp=<ms>` is appended to the query exactly as it is (already RFC 3986
///    percent-encoded, UTF-8, upper-case escapes);
/// 3. the signature is the lower-case hex HMAC-SHA256 of that query string;
/// 4. `&signature=<hex>` is appended last and the key goes in the `X-MBX-APIKEY` header.
///
/// A request that carries an `application/x-www-form-urlencoded` body is signed the documented way
/// too: `recvWindow` and `timestamp` are appended to the **body**, the signed payload is the query
/// string concatenated with the body (no separator), and `&signature=` goes at the end of the body.
///
/// Requests that already carry `signature`, `timestamp` or `recvWindow` are refused: the signer adds
/// them, and Binance would let a query-string copy override the signed one.
package struct BinanceSigner: RequestSigner {
    /// The endpoint policy checked before anything is signed.
    package let policy: EndpointPolicy
    /// The receive window, in milliseconds; `nil` sends none (Binance then uses 5000).
    package let recvWindow: Int?
    private let apiKey: String
    private let maskedAPIKey: String
    private let key: HMAC<SHA256>.PreparedKey

    /// Creates a signer; the HMAC key is prepared once, here.
    ///
    /// - Parameters:
    ///   - credentials: The key and secret.
    ///   - policy: The endpoint policy to enforce.
    ///   - recvWindow: The receive window, in milliseconds; `nil` sends none.
    package init(credentials: Credentials, policy: EndpointPolicy, recvWindow: Int? = 5000) {
        self.policy = policy
        self.recvWindow = recvWindow
        self.apiKey = credentials.apiKey
        self.maskedAPIKey = credentials.maskedAPIKey
        self.key = credentials.secret.withUnsafeBytes { HMAC<SHA256>.PreparedKey(key: SymmetricKey(data: $0)) }
    }

    /// Signs `request` with the timestamp `time`.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` for a request the
    ///   policy does not allow, or ``ExchangeError/Kind/invalidRequest`` for one that cannot be signed.
    package func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
        try checkPolicy(request)
        if let recvWindow, !Binance.Configuration.recvWindowRange.contains(recvWindow) {
            throw Self.refusal("the receive window \(recvWindow) ms is outside 1...60000")
        }

        let urlString = request.url.absoluteString
        var base = Substring(urlString)
        var query = Substring("")
        if let mark = urlString.firstIndex(of: "?") {
            base = urlString[..<mark]
            query = urlString[urlString.index(after: mark)...]
        }
        guard !query.contains("#"), !base.contains("#") else {
            throw Self.refusal("the URL has a fragment")
        }
        let body = request.body ?? Data()
        try Self.refuseReserved(query)
        if !body.isEmpty {
            try Self.refuseReserved(Substring(String(decoding: body, as: UTF8.self)))
        }

        let milliseconds = (time.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, milliseconds > 0, milliseconds < 1e15 else {
            throw Self.refusal("the clock reads an impossible time")
        }
        var timing = recvWindow.map { "recvWindow=\($0)&" } ?? ""
        timing += "timestamp=\(Int64(milliseconds))"

        var signed = request
        signed.headers.replace(name: "X-MBX-APIKEY", value: apiKey)
        if body.isEmpty {
            var payload = String(query)
            payload.reserveCapacity(payload.utf8.count + timing.utf8.count + 80)
            if !payload.isEmpty { payload += "&" }
            payload += timing
            let signature = signature(of: payload)
            payload += "&signature="
            payload += signature
            guard let url = URL(string: String(base) + "?" + payload) else {
                throw Self.refusal("the signed URL is not a valid URL")
            }
            signed.url = url
        } else {
            var newBody = body
            newBody.append(contentsOf: "&".utf8)
            newBody.append(contentsOf: timing.utf8)
            var payload = Data(query.utf8)
            payload.append(newBody)
            let signature = key.authenticationCode(for: payload).hexString
            newBody.append(contentsOf: "&signature=".utf8)
            newBody.append(contentsOf: signature.utf8)
            signed.body = newBody
            if !signed.headers.contains("Content-Type") {
                signed.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            }
        }
        return signed
    }

    /// The lower-case hex HMAC-SHA256 of `payload`'s UTF-8 bytes.
    private func signature(of payload: String) -> String {
        var text = payload
        return text.withUTF8 { key.authenticationCode(bufferPointer: UnsafeRawBufferPointer($0)) }.hexString
    }

    /// The parameter names only the signer may add, percent-decoded and compared without case.
    private static let reserved: Set<String> = ["signature", "timestamp", "recvwindow"]

    private static func refuseReserved(_ encoded: Substring) throws {
        guard !encoded.isEmpty else { return }
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let rawName = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let name = (String(rawName).removingPercentEncoding ?? String(rawName)).lowercased()
            if reserved.contains(name) {
                throw refusal(
                    "the request already carries '\(name)'; the signer adds recvWindow, timestamp and signature itself")
            }
        }
    }

    private static func refusal(_ why: String) -> ExchangeError {
        ExchangeError(.invalidRequest, message: "TradeOnly cannot sign this Binance request: \(why)",
                      exchange: Binance.exchangeName)
    }
}

extension BinanceSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The masked API key and the receive window; never the key or the secret.
    package var description: String {
        "BinanceSigner(apiKey: \(maskedAPIKey), recvWindow: \(recvWindow.map(String.init) ?? "none"))"
    }

    /// The same as ``description``.
    package var debugDescription: String { description }

    /// A mirror showing only ``description``.
    package var customMirror: Mirror { Mirror(self, children: ["signer": description], displayStyle: .struct) }
}

