#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The default ``HTTPTransport``: sends requests with Foundation's `URLSession`, on Linux and Apple
/// platforms, with the safety rules a trading SDK needs.
///
/// - It owns its own session, built from an ephemeral configuration: no cookies are stored or sent,
///   nothing is cached, no credentials are stored.
/// - It never follows redirects: a 3xx comes back as the response. (URLSession on Linux would
///   otherwise follow a redirect to another host and forward every custom header, API keys included;
///   a session-level delegate refuses it, because per-task delegates are ignored there.)
/// - It refuses plain `http://` except to loopback (`127.0.0.0/8`, `::1`, `localhost`), and any
///   scheme other than `http` and `https`, before any I/O.
/// - It refuses headers that could inject other headers (see ``HTTPHeaders/validate()``) before any I/O.
/// - It gives every request a total deadline (``Configuration-swift.struct/timeout``) and caps the
///   response size (``Configuration-swift.struct/maximumResponseSize``), checking both the announced
///   `Content-Length` and the bytes as they arrive.
/// - Cancelling the Swift task cancels the request.
/// - Failures are ``HTTPTransportError``s that say whether the request may have been sent.
/// - A request that may change state (any method but `GET`, `HEAD` and `OPTIONS`: placing or
///   cancelling an order) goes on a connection of its own, never on a reused keep-alive connection.
///   URLSession on Linux (libcurl) silently sends a request again, on a new connection, when a reused
///   connection closes before any byte of the answer arrives; for an order the exchange had already
///   executed, that is a second order the bot never hears of. A fresh connection is never retried that
///   way. The price is a connection set-up (TCP and TLS) per write; reads keep reusing connections.
///
/// It adds no headers of its own; URLSession itself adds the usual ones when the request has none
/// (on Linux: `Host`, `Content-Length`, `Connection: keep-alive`, `Accept-Encoding`, `Accept-Language`,
/// and a `User-Agent` naming the process and curl). Header names keep their spelling, but URLSession
/// chooses their order on the wire and joins repeated names with a comma.
///
/// ```swift
/// let transport = URLSessionTransport(configuration: .init(timeout: .seconds(5)))
/// let response = try await transport.send(HTTPRequest(method: .get, url: url))
/// ```
///
/// The session is invalidated when the last copy of the transport is released (requests still
/// running are allowed to finish). Share one transport across requests so connections are reused.
public struct URLSessionTransport: HTTPTransport {
    /// Settings of a ``URLSessionTransport``.
    public struct Configuration: Sendable, Hashable {
        /// The longest a request may take, from start to the last byte of the response.
        /// Default 10 seconds. When it passes the request fails with
        /// ``HTTPTransportError/Kind-swift.struct/timedOut`` (the request may have been sent).
        public var timeout: Duration

        /// The largest response body accepted, in bytes. Default 16 MiB. A larger response fails with
        /// ``HTTPTransportError/Kind-swift.struct/responseTooLarge`` without being buffered whole.
        public var maximumResponseSize: Int

        /// Whether plain `http://` is allowed to loopback hosts (`127.0.0.0/8`, `::1`, `localhost`),
        /// for local simulators and tests. Default `true`. Plain `http://` to any other host is
        /// always refused.
        public var allowsInsecureLoopback: Bool

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - timeout: The longest a request may take; default 10 seconds.
        ///   - maximumResponseSize: The largest response body accepted, in bytes; default 16 MiB.
        ///   - allowsInsecureLoopback: Whether plain `http://` to loopback is allowed; default `true`.
        public init(
            timeout: Duration = .seconds(10),
            maximumResponseSize: Int = 16 * 1024 * 1024,
            allowsInsecureLoopback: Bool = true
        ) {
            self.timeout = timeout
            self.maximumResponseSize = maximumResponseSize
            self.allowsInsecureLoopback = allowsInsecureLoopback
        }
    }

    /// The settings this transport was created with.
    public let configuration: Configuration

    private let session: URLSessionBox

    /// Creates a transport with its own URLSession.
    ///
    /// - Parameter configuration: The settings; the defaults suit exchange REST APIs.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.session = URLSessionBox(timeout: configuration.urlSessionTimeoutInterval)
    }

    /// Sends a request and returns the response, whatever its status code; redirects are returned,
    /// not followed.
    ///
    /// - Parameter request: The request, sent exactly as built.
    /// - Returns: The response.
    /// - Throws: ``HTTPTransportError``: `invalidRequest` or `insecureURL` before any I/O;
    ///   `cannotConnect`, `timedOut`, `connectionLost`, `responseTooLarge`, `cancelled`, … afterwards,
    ///   with ``HTTPTransportError/requestMayHaveBeenSent`` set accordingly.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Self.checkBeforeSending(request, allowsInsecureLoopback: configuration.allowsInsecureLoopback)
        if Task.isCancelled {
            throw HTTPTransportError(
                kind: .cancelled, requestMayHaveBeenSent: false, request: request,
                reason: "the task was cancelled before the request started")
        }
        // A write gets a session (and so a connection pool) of its own, dropped after this request.
        let session = Self.reusesConnections(for: request.method)
            ? self.session : URLSessionBox(timeout: configuration.urlSessionTimeoutInterval)
        return try await session.perform(
            request,
            urlRequest: makeURLRequest(request),
            timeout: configuration.timeout,
            maximumResponseSize: max(0, configuration.maximumResponseSize))
    }

    /// Whether a request may go on a pooled keep-alive connection: only methods that change nothing
    /// (`GET`, `HEAD`, `OPTIONS`), which are harmless if URLSession sends them again.
    static func reusesConnections(for method: HTTPMethod) -> Bool {
        method == .get || method == .head || method == .options
    }

    /// Refuses, before any I/O, requests that must not be sent: invalid headers, schemes other than
    /// `http`/`https`, no host, plain `http` to a host that is not loopback.
    static func checkBeforeSending(_ request: HTTPRequest, allowsInsecureLoopback: Bool) throws {
        do {
            try request.headers.validate()
        } catch let error as HTTPTransportError {
            throw error.naming(request)
        }
        let scheme = request.url.scheme?.lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason: "only http and https URLs are supported")
        }
        guard let host = request.url.host(percentEncoded: false), !host.isEmpty else {
            throw HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason: "the URL has no host")
        }
        if scheme == "http" {
            guard allowsInsecureLoopback, LoopbackHost.isLoopback(host) else {
                throw HTTPTransportError(
                    kind: .insecureURL, requestMayHaveBeenSent: false, request: request,
                    reason: allowsInsecureLoopback
                        ? "plain http is allowed only to loopback; use https"
                        : "plain http is not allowed by this transport's configuration; use https")
            }
        }
    }

    private func makeURLRequest(_ request: HTTPRequest) -> URLRequest {
        var urlRequest = URLRequest(
            url: request.url,
            cachePolicy: .reloadIgnoringLocalCacheData,
            timeoutInterval: configuration.urlSessionTimeoutInterval)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.httpShouldHandleCookies = false
        urlRequest.allHTTPHeaderFields = Self.headerDictionary(request.headers)
        urlRequest.httpBody = request.body
        return urlRequest
    }

    /// The fields as URLSession takes them: one entry per name (case-insensitively), repeated names
    /// joined by a comma, each name spelled as it first appears.
    ///
    /// Assigned through `allHTTPHeaderFields` because `addValue(_:forHTTPHeaderField:)` on Linux
    /// rewrites names into a canonical letter case (`X-MBX-APIKEY` becomes `X-Mbx-Apikey`).
    static func headerDictionary(_ headers: HTTPHeaders) -> [String: String] {
        var dictionary: [String: String] = [:]
        var spelling: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if let existingName = spelling[key], let existing = dictionary[existingName] {
                dictionary[existingName] = existing + "," + value
            } else {
                spelling[key] = name
                dictionary[name] = value
            }
        }
        return dictionary
    }
}

extension URLSessionTransport.Configuration {
    /// ``timeout`` in seconds, at least one millisecond.
    var timeoutInterval: TimeInterval {
        let components = timeout.components
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return max(seconds, 0.001)
    }

    /// The timeout handed to URLSession itself: only a backstop, later than the transport's own
    /// deadline. swift-corelibs-foundation arms its timer with `Int(timeoutInterval) * 1000`
    /// milliseconds, so a sub-second timeout would become 0 ms and fire at once, and 1.5 s would
    /// become 1 s; the transport enforces ``timeout`` itself instead.
    var urlSessionTimeoutInterval: TimeInterval {
        (timeoutInterval + 1).rounded(.up)
    }
}
