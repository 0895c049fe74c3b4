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
/// - Plain `http://` to loopback never goes through a proxy, whatever the environment or the system
///   settings say: the transport does not hand it to URLSession but sends it itself, over a socket to
///   the loopback address (see "Proxies" below).
/// - It uses a proxy for `https` only when ``Configuration-swift.struct/proxy`` names one, and never a
///   proxy the environment names (see "Proxies" below).
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
/// For `https`, it adds no headers of its own; URLSession itself adds the usual ones when the request
/// has none (on Linux: `Host`, `Content-Length`, `Connection: keep-alive`, `Accept-Encoding`,
/// `Accept-Language`, and a `User-Agent` naming the process and curl). Header names keep their
/// spelling, but URLSession chooses their order on the wire and joins repeated names with a comma.
/// Plain `http://` to loopback sends the header fields in order, as they are, and adds only `Host`
/// (unless the request has one) and `Content-Length`.
///
/// ```swift
/// let transport = URLSessionTransport(configuration: .init(timeout: .seconds(5)))
/// let response = try await transport.send(HTTPRequest(method: .get, url: url))
/// ```
///
/// ## Proxies
///
/// On Linux, URLSession is libcurl, and libcurl sends requests through the proxy named by the
/// environment variables `http_proxy`, `https_proxy`, `HTTPS_PROXY`, `all_proxy` and `ALL_PROXY`
/// (unless `no_proxy` or `NO_PROXY` exempts the host); swift-corelibs-foundation ignores
/// `URLSessionConfiguration.connectionProxyDictionary` and has no other setting to stop it. The
/// transport never changes the process environment; instead:
///
/// - Plain `http://` to loopback is sent by the transport itself, so no proxy can see it.
/// - With ``Configuration-swift.struct/proxy`` `nil` (the default), an `https` request is sent only if
///   libcurl will connect directly: no proxy variable applies, or `no_proxy` exempts the host. If a
///   variable would send it to a proxy, the request fails before any I/O with
///   ``HTTPTransportError/Kind-swift.struct/proxyMismatch``; unset the variable, or configure that
///   proxy explicitly.
/// - With a proxy configured, an `https` request is sent only if libcurl will use exactly that proxy:
///   `https_proxy` (or the variable libcurl reads in its place) must be `http://host:port` of the
///   configured proxy; otherwise it fails with ``HTTPTransportError/Kind-swift.struct/proxyMismatch``.
///
/// On Apple platforms URLSession does not read those variables; the transport gives its session a
/// proxy dictionary that turns every proxy off (system settings included), or names only the
/// configured `https` proxy.
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

        /// The HTTP proxy `https` requests go through, or `nil` (the default) for none at all.
        ///
        /// `nil` means no proxy, whatever the environment (`https_proxy`, `ALL_PROXY`, …) or the
        /// system settings say. Plain `http://` to loopback never uses a proxy, whatever this says.
        ///
        /// On Linux, URLSession (libcurl) can be given a proxy only through the environment, so a
        /// configured proxy must also be named by `https_proxy` (as `http://host:port`); when the
        /// environment disagrees with this setting, requests fail before any I/O with
        /// ``HTTPTransportError/Kind-swift.struct/proxyMismatch``. See "Proxies" in
        /// ``URLSessionTransport``.
        public var proxy: Proxy?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - timeout: The longest a request may take; default 10 seconds.
        ///   - maximumResponseSize: The largest response body accepted, in bytes; default 16 MiB.
        ///   - allowsInsecureLoopback: Whether plain `http://` to loopback is allowed; default `true`.
        ///   - proxy: The HTTP proxy for `https` requests; default `nil`, no proxy at all.
        public init(
            timeout: Duration = .seconds(10),
            maximumResponseSize: Int = 16 * 1024 * 1024,
            allowsInsecureLoopback: Bool = true,
            proxy: Proxy? = nil
        ) {
            self.timeout = timeout
            self.maximumResponseSize = maximumResponseSize
            self.allowsInsecureLoopback = allowsInsecureLoopback
            self.proxy = proxy
        }
    }

    /// The settings this transport was created with.
    public let configuration: Configuration

    private let session: URLSessionBox
    private let loopback = DirectLoopbackClient()

    /// Which way plain-`http` loopback requests go: sent by the transport itself (always, outside
    /// tests), or handed to URLSession (only for tests of the URLSession machinery).
    enum LoopbackRoute: Sendable, CaseIterable {
        case direct
        case urlSession
    }

    let loopbackRoute: LoopbackRoute
    let proxyEnvironment: LibcurlProxyEnvironment

    /// Creates a transport with its own URLSession.
    ///
    /// - Parameter configuration: The settings; the defaults suit exchange REST APIs.
    public init(configuration: Configuration = .init()) {
        self.init(configuration: configuration, loopbackRoute: .direct, proxyEnvironment: .process)
    }

    /// Creates a transport; for tests, which may route loopback through URLSession or read a fake
    /// environment.
    init(configuration: Configuration, loopbackRoute: LoopbackRoute, proxyEnvironment: LibcurlProxyEnvironment) {
        self.configuration = configuration
        self.loopbackRoute = loopbackRoute
        self.proxyEnvironment = proxyEnvironment
        self.session = URLSessionBox(timeout: configuration.urlSessionTimeoutInterval, proxy: configuration.proxy)
    }

    /// Sends a request and returns the response, whatever its status code; redirects are returned,
    /// not followed.
    ///
    /// - Parameter request: The request, sent exactly as built.
    /// - Returns: The response.
    /// - Throws: ``HTTPTransportError``: `invalidRequest` or `insecureURL` before any I/O;
    ///   `cannotConnect`, `timedOut`, `connectionLost`, `responseTooLarge`, `cancelled`, … afterwards,
    ///   with ``HTTPTransportError/requestMayHaveBeenSent`` set accordingly. `proxyMismatch` (not
    ///   sent) when the request would go through a proxy the configuration does not name (see
    ///   "Proxies" in ``URLSessionTransport``).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Self.checkBeforeSending(request, allowsInsecureLoopback: configuration.allowsInsecureLoopback)
        let isPlainLoopback = request.url.scheme?.lowercased() == "http"
        if !isPlainLoopback,
            let refusal = Self.proxyRefusal(for: request, configured: configuration.proxy, environment: proxyEnvironment)
        {
            throw refusal
        }
        if Task.isCancelled {
            throw HTTPTransportError(
                kind: .cancelled, requestMayHaveBeenSent: false, request: request,
                reason: "the task was cancelled before the request started")
        }
        if isPlainLoopback, loopbackRoute == .direct {
            // checkBeforeSending let plain http through only to a loopback host.
            return try await loopback.send(
                request, timeout: configuration.timeout, maximumResponseSize: max(0, configuration.maximumResponseSize))
        }
        // A write gets a session (and so a connection pool) of its own, dropped after this request.
        let session =
            Self.reusesConnections(for: request.method)
            ? self.session
            : URLSessionBox(timeout: configuration.urlSessionTimeoutInterval, proxy: configuration.proxy)
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
