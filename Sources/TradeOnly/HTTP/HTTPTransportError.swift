/// A failure to get an HTTP response: the request was refused before sending, the connection failed,
/// the server did not answer in time, the response was too large, or the task was cancelled.
///
/// An HTTP error *status* (4xx, 5xx) is not a transport error: it comes back as an ``HTTPResponse``.
///
/// The most important property for a trading client is ``requestMayHaveBeenSent``: when it is
/// `false` the request certainly did not reach the server and may be retried; when it is `true` (a
/// timeout or a lost connection after sending) an order may have been executed, and the outcome must
/// be found out by querying the order before anything is retried.
///
/// ```swift
/// do {
///     let response = try await transport.send(request)
/// } catch let error as HTTPTransportError where error.kind == .timedOut {
///     // error.requestMayHaveBeenSent == true: reconcile by client order id
/// }
/// ```
///
/// The description names the endpoint (scheme, host, port and path) at most: never a query string,
/// a header value or a body, so it is safe to log.
public struct HTTPTransportError: Error, Sendable, Hashable {
    /// What went wrong. New kinds may be added in later versions, so do not switch over them
    /// exhaustively; compare with `==`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case timedOut
            case cannotConnect
            case connectionLost
            case secureConnectionFailed
            case insecureURL
            case proxyMismatch
            case invalidRequest
            case invalidResponse
            case responseTooLarge
            case cancelled
            case other
        }

        private let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// No complete response arrived within the timeout. The request may have been sent.
        public static let timedOut = Kind(.timedOut)
        /// No connection could be opened (refused, host not found, no network). Nothing was sent.
        public static let cannotConnect = Kind(.cannotConnect)
        /// The connection closed or broke before the response was complete. The request may have been sent.
        public static let connectionLost = Kind(.connectionLost)
        /// The TLS handshake failed (for example an untrusted certificate). Nothing was sent.
        public static let secureConnectionFailed = Kind(.secureConnectionFailed)
        /// The URL is plain `http://` to a host that is not loopback. Refused before any I/O.
        public static let insecureURL = Kind(.insecureURL)
        /// The request would not go through the proxy the transport's configuration names: on Linux,
        /// URLSession (libcurl) takes proxies only from environment variables such as `https_proxy`,
        /// and they name another proxy, or a proxy where none is configured, or none where one is.
        /// Refused before any I/O. See ``URLSessionTransport/Configuration-swift.struct/proxy``.
        public static let proxyMismatch = Kind(.proxyMismatch)
        /// The request cannot be sent as it is: an unsupported scheme, a missing host, or a header
        /// with an invalid name or a value with a control character (header injection). Refused
        /// before any I/O.
        public static let invalidRequest = Kind(.invalidRequest)
        /// The server's answer was not a valid HTTP response. The request may have been sent.
        public static let invalidResponse = Kind(.invalidResponse)
        /// The response body is larger than the transport accepts. The request was sent.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// The task was cancelled. The request may have been sent unless
        /// ``HTTPTransportError/requestMayHaveBeenSent`` says otherwise.
        public static let cancelled = Kind(.cancelled)
        /// Any other failure. The request may have been sent unless
        /// ``HTTPTransportError/requestMayHaveBeenSent`` says otherwise.
        public static let other = Kind(.other)

        /// The kind's name, for example `timedOut`. Contains no dynamic values, so it is safe as a
        /// metrics label.
        public var description: String { code.rawValue }
    }

    /// What went wrong.
    public var kind: Kind

    /// Whether the request may have reached the server.
    ///
    /// `false` means certainly not sent (refused before I/O, or no connection could be opened): safe
    /// to retry. `true` means the server may have received and executed it: for an order the outcome
    /// is unknown until the order is queried.
    public var requestMayHaveBeenSent: Bool

    /// The method of the failed request, if known.
    public var method: HTTPMethod?

    /// The endpoint of the failed request, without query, user information or fragment:
    /// `https://host:port/path`. `nil` if unknown.
    public var endpoint: String?

    /// A short human explanation. It never contains header values, query strings or bodies.
    public var reason: String?

    /// The `URLError` code behind the failure, if the transport is URLSession-based.
    public var urlErrorCode: Int?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: What went wrong.
    ///   - requestMayHaveBeenSent: Whether the request may have reached the server; when in doubt, `true`.
    ///   - request: The failed request; only its method and ``Redaction/urlWithoutQuery(_:)`` are kept.
    ///   - reason: A short explanation. It must not contain secrets (header values, query strings, bodies).
    ///   - urlErrorCode: The `URLError` code behind the failure, if any.
    public init(
        kind: Kind,
        requestMayHaveBeenSent: Bool,
        request: HTTPRequest? = nil,
        reason: String? = nil,
        urlErrorCode: Int? = nil
    ) {
        self.kind = kind
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
        self.method = request?.method
        self.endpoint = request.map { Redaction.urlWithoutQuery($0.url) }
        self.reason = reason
        self.urlErrorCode = urlErrorCode
    }

    /// Returns a copy that names the request's method and endpoint (no query string).
    ///
    /// - Parameter request: The failed request.
    /// - Returns: The error with ``method`` and ``endpoint`` set.
    public func naming(_ request: HTTPRequest) -> HTTPTransportError {
        var copy = self
        copy.method = request.method
        copy.endpoint = Redaction.urlWithoutQuery(request.url)
        return copy
    }
}

extension HTTPTransportError: CustomStringConvertible, LocalizedError {
    /// For example `HTTP transport error (timedOut): POST https://api.binance.com/api/v3/order: the
    /// request may have been sent (outcome unknown); no complete response within 10.0 s`.
    public var description: String {
        var text = "HTTP transport error (\(kind))"
        switch (method, endpoint) {
        case (let method?, let endpoint?): text += ": \(method.rawValue) \(endpoint)"
        case (nil, let endpoint?): text += ": \(endpoint)"
        case (let method?, nil): text += ": \(method.rawValue)"
        case (nil, nil): break
        }
        text +=
            requestMayHaveBeenSent
            ? ": the request may have been sent (outcome unknown)"
            : ": the request was not sent"
        if let reason {
            text += "; \(reason)"
        }
        if let urlErrorCode {
            text += " [URLError \(urlErrorCode)]"
        }
        return text
    }

    /// The same as ``description``.
    public var errorDescription: String? { description }
}
