import TradeOnly
import TradeOnlyCrypto

/// Signs Binance REST requests with an HMAC-SHA256 key: the only code in this module that reads a secret.
///
/// `package`: nothing outside TradeOnly can sign a Binance request. For a request whose parameters
/// are in the query string (what ``BinanceClient`` sends for every method, as in Binance's published
/// `POST /api/v3/order` example):
///
/// 1. the ``SigningGate`` checks the exact request first: the origin, the headers, the endpoint and
///    the key's permission for it, and every parameter of the query and body against the endpoint's
///    schema in ``Binance/endpointPolicy`` (the signer's own `signature`, `timestamp` and `recvWindow` are
///    refused there: Binance would let a query-string copy override the signed one);
/// 2. `recvWindow=<ms>&timestamp=<ms>` is appended to the query exactly as it is (already RFC 3986
///    percent-encoded, UTF-8, upper-case escapes);
/// 3. the signature is the lower-case hex HMAC-SHA256 of that query string;
/// 4. `&signature=<hex>` is appended last and the key goes in the `X-MBX-APIKEY` header.
///
/// A request that carries an `application/x-www-form-urlencoded` body is signed the documented way
/// too: `recvWindow` and `timestamp` are appended to the **body**, the signed payload is the query
/// string concatenated with the body (no separator), and `&signature=` goes at the end of the body.
package struct BinanceSigner: RequestSigner {
    /// The gate every request passes before it is signed.
    package let gate: SigningGate
    /// The API key, which the pipeline strips from any exchange message that echoes it.
    package var echoedIdentifiers: [String] { [apiKey] }
    /// The receive window, in milliseconds; `nil` sends none (Binance then uses 5000).
    package let receiveWindow: Int?
    /// Whether ``receiveWindow`` is outside what Binance accepts (decided once, here).
    private let receiveWindowIsInvalid: Bool
    private let apiKey: String
    private let maskedAPIKey: String
    private let key: HMAC<SHA256>.PreparedKey

    /// Creates a signer; the HMAC key is prepared once, here.
    ///
    /// - Parameters:
    ///   - credentials: The key and secret.
    ///   - gate: The gate to enforce: the policy, the origins and the key's permissions.
    ///   - receiveWindow: The receive window, in milliseconds; `nil` sends none.
    package init(credentials: Credentials, gate: SigningGate, receiveWindow: Int? = 5000) {
        self.gate = gate
        self.receiveWindow = receiveWindow
        self.receiveWindowIsInvalid = receiveWindow.map { !Binance.Configuration.receiveWindowRange.contains($0) } ?? false
        self.apiKey = credentials.apiKey
        self.maskedAPIKey = credentials.maskedAPIKey
        self.key = credentials.secret.withUnsafeBytes { HMAC<SHA256>.PreparedKey(key: SymmetricKey(data: $0)) }
    }

    /// Signs `request` with the timestamp `time`.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` for a request the
    ///   policy does not allow, or ``ExchangeError/Kind/invalidRequest`` for one that cannot be signed.
    package func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
        try gate.check(request)
        if receiveWindowIsInvalid, let receiveWindow {
            throw Self.refusal("the receive window \(receiveWindow) ms is outside 1...60000")
        }
        let milliseconds = (time.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, milliseconds > 0, milliseconds < 1e15 else {
            throw Self.refusal("the clock reads an impossible time")
        }
        var timing = receiveWindow.map { "recvWindow=\($0)&" } ?? ""
        timing += "timestamp="
        timing += String(Int64(milliseconds))

        // Work on the URL's bytes exactly as they will be sent.
        var bytes: [UInt8] = []
        let urlString = request.url.absoluteString
        bytes.reserveCapacity(urlString.utf8.count + timing.utf8.count + 80)
        bytes.append(contentsOf: urlString.utf8)
        let queryStart = bytes.firstIndex(of: UInt8(ascii: "?")).map { $0 + 1 }

        var signed = request
        signed.headers.replace(name: "X-MBX-APIKEY", value: apiKey)
        if let body = request.body, !body.isEmpty {
            // Form body: timestamp and signature go at the end of the body; the payload is query + body.
            let bodyBytes = [UInt8](body)
            var newBody = bodyBytes
            newBody.append(UInt8(ascii: "&"))
            newBody.append(contentsOf: timing.utf8)
            var payload = queryStart.map { Array(bytes[$0...]) } ?? []
            payload.append(contentsOf: newBody)
            let signature = payload.withUnsafeBytes { key.authenticationCode(bufferPointer: $0) }.hexString
            newBody.append(contentsOf: "&signature=".utf8)
            newBody.append(contentsOf: signature.utf8)
            signed.body = Data(newBody)
            if !signed.headers.contains("Content-Type") {
                signed.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            }
            return signed
        }
        // Query string: append the timing, sign everything after "?", append the signature.
        let payloadStart: Int
        if let queryStart {
            payloadStart = queryStart
            if queryStart < bytes.count { bytes.append(UInt8(ascii: "&")) }
        } else {
            bytes.append(UInt8(ascii: "?"))
            payloadStart = bytes.count
        }
        bytes.append(contentsOf: timing.utf8)
        let signature = bytes.withUnsafeBytes { raw in
            key.authenticationCode(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[payloadStart...]))
        }.hexString
        bytes.append(contentsOf: "&signature=".utf8)
        bytes.append(contentsOf: signature.utf8)
        guard let url = URL(string: String(decoding: bytes, as: UTF8.self)) else {
            throw Self.refusal("the signed URL is not a valid URL")
        }
        signed.url = url
        return signed
    }

    private static func refusal(_ why: String) -> ExchangeError {
        ExchangeError(
            .invalidRequest, message: "TradeOnly cannot sign this Binance request: \(why)",
            exchange: Binance.exchangeName)
    }
}

extension BinanceSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The masked API key and the receive window; never the key or the secret.
    package var description: String {
        "BinanceSigner(apiKey: \(maskedAPIKey), receiveWindow: \(receiveWindow.map(String.init) ?? "none"))"
    }

    /// The same as ``description``.
    package var debugDescription: String { description }

    /// A mirror showing only ``description``.
    package var customMirror: Mirror { Mirror(self, children: ["signer": description], displayStyle: .struct) }
}
