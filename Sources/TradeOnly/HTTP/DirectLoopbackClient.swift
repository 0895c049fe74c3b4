/// Sends the plain-`http` requests of a ``URLSessionTransport`` to loopback addresses itself, over
/// POSIX sockets, instead of handing them to URLSession.
///
/// Why: on Linux, URLSession is libcurl, and libcurl sends every request through the proxy named by
/// the environment variables `http_proxy`, `all_proxy` or `ALL_PROXY` (unless `no_proxy` lists the
/// host). swift-corelibs-foundation ignores `URLSessionConfiguration.connectionProxyDictionary` and
/// offers no other way to switch that off, so an unencrypted request to a local simulator, API key
/// and signature included, would go to whatever proxy the environment names. A request this client
/// sends goes straight to `127.0.0.0/8` or `::1`: no proxy, no DNS (`localhost` is resolved here),
/// whatever the environment or the system settings say.
///
/// What it does, mirroring the rest of the transport:
/// - HTTP/1.1; the request's method, target (path and query exactly as in the URL) and header fields
///   in order with their spelling; it adds only `Host` (unless the request has one) and
///   `Content-Length` (when there is a body, or the method is not `GET` or `HEAD`).
/// - Reads (`GET`, `HEAD`, `OPTIONS`) reuse idle keep-alive connections and are sent once more, on a
///   fresh connection, if a reused one turns out to be closed before any byte of the answer; writes
///   always get a fresh connection that is closed afterwards, and are never sent twice.
/// - Never follows redirects; enforces the deadline and the size cap; cancellation wakes the I/O at
///   once.
/// - Blocking socket work runs on a thread of its own, never on Swift's cooperative threads.
final class DirectLoopbackClient: Sendable {
    private let pool = DirectLoopbackPool()

    /// Sends a request whose URL is plain `http` to a loopback host (the caller checked that).
    func send(_ request: HTTPRequest, timeout: Duration, maximumResponseSize: Int) async throws -> HTTPResponse {
        let bytes = try Self.requestBytes(for: request)
        guard let port = UInt16(exactly: request.url.port ?? 80), port > 0 else {
            throw HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason: "the URL's port is not between 1 and 65535")
        }
        let addresses = DirectLoopbackAddress.addresses(
            forHost: request.url.host(percentEncoded: false) ?? "", port: port)
        guard !addresses.isEmpty else {
            throw HTTPTransportError(
                kind: .insecureURL, requestMayHaveBeenSent: false, request: request,
                reason: "plain http is allowed only to loopback; use https")
        }
        let run = DirectLoopbackRun(
            request: request, bytes: bytes, addresses: addresses, timeout: timeout,
            maximumResponseSize: maximumResponseSize, pool: pool,
            reusesConnections: URLSessionTransport.reusesConnections(for: request.method))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    continuation.resume(with: run.perform())
                }
                thread.name = "TradeOnly.DirectLoopbackClient"
                thread.start()
            }
        } onCancel: {
            run.cancel()
        }
    }

    /// The request as bytes on the wire: request line, header fields, empty line, body.
    ///
    /// - Throws: ``HTTPTransportError`` (`invalidRequest`, not sent) for a target that is not
    ///   visible ASCII, a `Transfer-Encoding` field, or a `Content-Length` field that disagrees with
    ///   the body.
    static func requestBytes(for request: HTTPRequest) throws -> [UInt8] {
        func refuse(_ reason: String) -> HTTPTransportError {
            HTTPTransportError(kind: .invalidRequest, requestMayHaveBeenSent: false, request: request, reason: reason)
        }
        let (authority, target) = authorityAndTarget(of: request.url)
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), authority.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw refuse("the URL's path or query is not visible ASCII")
        }
        let body = request.body ?? Data()
        let sendsLength = request.body != nil || (request.method != .get && request.method != .head)
        if request.headers.contains("Transfer-Encoding") {
            throw refuse("the transport frames request bodies with Content-Length; remove Transfer-Encoding")
        }
        let givenLengths = request.headers.values(for: "Content-Length")
        if !givenLengths.isEmpty {
            guard sendsLength, givenLengths.allSatisfy({ $0.trimmingCharacters(in: .whitespaces) == String(body.count) }) else {
                throw refuse("the request's Content-Length does not match its body")
            }
        }

        var head = "\(request.method.rawValue) \(target) HTTP/1.1\r\n"
        if !request.headers.contains("Host") {
            head += "Host: \(authority)\r\n"
        }
        for (name, value) in request.headers {
            head += "\(name): \(value)\r\n"
        }
        if sendsLength, givenLengths.isEmpty {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + Array(body)
    }

    /// The URL's authority without user information (`127.0.0.1:8080`), and its request target:
    /// path and query exactly as written in the URL (`/` when the path is empty), without fragment.
    static func authorityAndTarget(of url: URL) -> (authority: String, target: String) {
        var text = Substring(url.absoluteString)
        if let hash = text.firstIndex(of: "#") {
            text = text[..<hash]
        }
        guard let schemeEnd = text.range(of: "://") else { return ("", "/") }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        var target = String(rest[authorityEnd...])
        if !target.hasPrefix("/") {
            target = "/" + target
        }
        return (String(authority), target)
    }
}

/// One request of the direct loopback client: runs on its own thread, can be cancelled from any.
final class DirectLoopbackRun: @unchecked Sendable {
    // @unchecked: `cancelled` and `wakeDescriptor` are guarded by `lock`; everything else is immutable.
    private let lock = NSLock()
    private var cancelled = false
    private var wakeDescriptor: Int32 = -1

    private let request: HTTPRequest
    private let bytes: [UInt8]
    private let addresses: [DirectLoopbackAddress]
    private let timeout: Duration
    private let maximumResponseSize: Int
    private let pool: DirectLoopbackPool
    private let reusesConnections: Bool

    init(
        request: HTTPRequest, bytes: [UInt8], addresses: [DirectLoopbackAddress], timeout: Duration,
        maximumResponseSize: Int, pool: DirectLoopbackPool, reusesConnections: Bool
    ) {
        self.request = request
        self.bytes = bytes
        self.addresses = addresses
        self.timeout = timeout
        self.maximumResponseSize = maximumResponseSize
        self.pool = pool
        self.reusesConnections = reusesConnections
    }

    /// Wakes the I/O thread; the request then ends as `cancelled`.
    func cancel() {
        lock.withLock {
            cancelled = true
            if wakeDescriptor >= 0 {
                DirectLoopbackConnection.wake(wakeDescriptor)
            }
        }
    }

    /// Performs the request (blocking: call it on a thread of its own).
    func perform() -> Result<HTTPResponse, any Error> {
        guard let wake = DirectLoopbackConnection.makeWakePipe() else {
            return .failure(error(.other, sent: false, "could not create a pipe (\(DirectLoopbackConnection.errorText(errno)))"))
        }
        let cancelledBeforeStart = lock.withLock {
            wakeDescriptor = wake.write
            return cancelled
        }
        defer {
            lock.withLock {
                DirectLoopbackConnection.close(wakeDescriptor)
                wakeDescriptor = -1
            }
            DirectLoopbackConnection.close(wake.read)
        }
        if cancelledBeforeStart {
            return .failure(error(.cancelled, sent: false, "the task was cancelled before the request started"))
        }
        // Capped so that the instant cannot overflow; a year is "no limit" for a request.
        let deadline = ContinuousClock.now + min(timeout, .seconds(365 * 24 * 3600))
        var mayReusePooled = reusesConnections
        while true {
            let pooled = mayReusePooled ? pool.take(for: addresses) : nil
            mayReusePooled = false
            let connection: DirectLoopbackConnection
            if let pooled {
                connection = pooled
            } else {
                switch connect(deadline: deadline, wake: wake.read) {
                case .success(let fresh): connection = fresh
                case .failure(let failure): return .failure(failure)
                }
            }
            let isReused = pooled != nil

            switch connection.send(bytes, deadline: deadline, wake: wake.read) {
            case .sent:
                break
            case .failed(let sent):
                // A reused connection the server had closed: a read is sent again on a fresh one.
                if isReused { continue }
                return .failure(
                    error(
                        .connectionLost, sent: sent > 0, "the connection closed while the request was being sent"))
            case .timedOut(let sent):
                return .failure(error(.timedOut, sent: sent > 0, "no complete response within \(timeout)"))
            case .woken(let sent):
                return .failure(
                    error(
                        .cancelled, sent: sent > 0, "the task was cancelled while the request was in flight"))
            }

            var parser = HTTPResponseParser(
                isResponseToHead: request.method == .head, maximumBodySize: maximumResponseSize)
            switch parser.readResponse({ connection.receive(deadline: deadline, wake: wake.read) }) {
            case .success(let response):
                if response.connectionReusable, reusesConnections {
                    pool.put(connection)
                }
                return .success(
                    HTTPResponse(
                        status: response.status,
                        headers: HTTPHeaders(response.fields.map { ($0.name, $0.value) }),
                        body: Data(response.body)))
            case .failure(.closedBeforeResponse) where isReused:
                continue
            case .failure(let failure):
                return .failure(transportError(for: failure))
            }
        }
    }

    private func connect(deadline: ContinuousClock.Instant, wake: Int32) -> Result<DirectLoopbackConnection, HTTPTransportError> {
        var firstCode: Int32?
        for address in addresses {
            switch DirectLoopbackConnection.connect(to: address, deadline: deadline, wake: wake) {
            case .connected(let connection):
                return .success(connection)
            case .refused(let code):
                firstCode = firstCode ?? code
            case .timedOut:
                return .failure(error(.timedOut, sent: false, "no connection within \(timeout)"))
            case .woken:
                return .failure(error(.cancelled, sent: false, "the task was cancelled before the request started"))
            }
        }
        return .failure(
            error(
                .cannotConnect, sent: false,
                "the connection was refused (\(DirectLoopbackConnection.errorText(firstCode ?? ECONNREFUSED)))"))
    }

    private func transportError(for failure: HTTPResponseParser.Failure) -> HTTPTransportError {
        switch failure {
        case .closedBeforeResponse, .closedDuringResponse:
            return error(.connectionLost, sent: true, "the connection was lost before the response was complete")
        case .invalid(let reason):
            return error(.invalidResponse, sent: true, reason)
        case .tooLarge:
            return error(.responseTooLarge, sent: true, "the response body exceeds \(maximumResponseSize) bytes")
        case .timedOut:
            return error(.timedOut, sent: true, "no complete response within \(timeout)")
        case .woken:
            return error(.cancelled, sent: true, "the task was cancelled while the request was in flight")
        case .failed(let code):
            return error(
                .connectionLost, sent: true,
                "the connection failed (\(DirectLoopbackConnection.errorText(code)))")
        }
    }

    private func error(_ kind: HTTPTransportError.Kind, sent: Bool, _ reason: String) -> HTTPTransportError {
        HTTPTransportError(kind: kind, requestMayHaveBeenSent: sent, request: request, reason: reason)
    }
}

/// Idle keep-alive connections of the direct loopback client, for reads only.
final class DirectLoopbackPool: @unchecked Sendable {
    // @unchecked: `idle` is guarded by `lock`.
    private let lock = NSLock()
    private var idle: [DirectLoopbackConnection] = []

    /// The most idle connections kept (per transport).
    static let capacity = 8

    /// An idle connection to one of `addresses` that is still open, if any; closes stale ones.
    func take(for addresses: [DirectLoopbackAddress]) -> DirectLoopbackConnection? {
        while true {
            let candidate: DirectLoopbackConnection? = lock.withLock {
                guard let index = idle.lastIndex(where: { addresses.contains($0.address) }) else { return nil }
                return idle.remove(at: index)
            }
            guard let candidate else { return nil }
            if candidate.isIdleAndOpen { return candidate }
            // Stale (closed by the server, or stray bytes): released, which closes it.
        }
    }

    /// Keeps a connection for a later read (or closes it if the pool is full).
    func put(_ connection: DirectLoopbackConnection) {
        lock.withLock {
            if idle.count >= Self.capacity {
                idle.removeFirst()
            }
            idle.append(connection)
        }
    }
}
