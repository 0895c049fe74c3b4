/// The one path every exchange request takes, shared by all exchange modules, assembled from the
/// module's ``ExchangeDialect`` and the runtime parts:
///
/// 1. the exchange's ``EndpointPolicy`` is checked on the method and path (a refusal throws before
///    anything is built); for a signed request the key guard may verify the key again first;
/// 2. the module encodes the request (host, query or body) without signing it;
/// 3. the ``RateLimitGovernor`` lets it through for the request's host and weight: it waits while the
///    budget is spent or after a 429, and refuses at once while the host is banned (418);
/// 4. user middlewares see the unsigned request;
/// 5. the signer's ``SigningGate`` decides from the exact bytes (origin, headers, endpoint, the key's
///    permission, every parameter), then the signer takes the timestamp from the ``ServerClock`` and
///    signs those bytes;
/// 6. the transport sends them;
/// 7. the dialect's one rate-limit hook and the governor see the response (usage headers, 418, 429);
///    the dialect's error table maps exchange errors; transport failures are mapped here, so that a request that may have executed is never
///    reported as a plain network error.
///
/// Retries re-enter at step 2, so every attempt is signed afresh:
///
/// - A clock error (the exchange rejected the timestamp before executing anything) resynchronises the
///   clock and retries once, reads and writes alike.
/// - Other failures follow ``RetryPolicy`` and ``RetryRules``: reads retry transient failures; a write
///   is retried only when the failure proves it was not executed (certainly not sent, or refused by a
///   rate limit). A write that may have reached the exchange is never sent again, and the transport is
///   never asked to send one write twice within an attempt, whatever a middleware does.
package struct RequestPipeline: Sendable {
    /// What the exchange module supplies: hosts, encoding, error table, server time, rate-limit
    /// headers, key report and endpoint table.
    package let dialect: any ExchangeDialect
    /// The exchange's name, in lower case (``ExchangeDialect/exchange``).
    package let exchange: String
    /// The dialect's endpoint policy (the built-in one plus any allow rules the user added).
    package let policy: EndpointPolicy
    /// The transport that sends the signed bytes. The pipeline wraps the user's ``middlewares`` around
    /// the signing step itself: pass the bare transport here, never one already wrapped in them.
    package let transport: any HTTPTransport
    /// The user's middlewares, in order.
    package let middlewares: [any HTTPMiddleware]
    /// The signer, or `nil` for a client without a key (public market data only).
    package let signer: (any RequestSigner)?
    /// The exchange's clock.
    package let clock: ServerClock
    /// Where events go (off by default).
    package let logger: TradeOnlyLogger
    /// How much retrying happens (whether a failure may be retried at all is fixed by ``RetryRules``).
    package let retryPolicy: RetryPolicy
    /// The rate-limit governor: the exchange family's shared one, or this pipeline's own.
    package let governor: RateLimitGovernor
    /// How the pipeline waits between attempts.
    package let sleeper: any Sleeper
    /// Where retry jitter comes from.
    package let jitter: JitterSource
    /// Re-verifies the client's key: asked before every signed request and told of every signed
    /// request's failure (see ``KeyGuard``); `nil` for pipelines that verify keys themselves.
    package var keyGuard: KeyGuard?

    /// Creates a pipeline from an exchange's dialect and the runtime parts. See the properties for
    /// what each part does.
    ///
    /// - Parameters:
    ///   - dialect: What the exchange module supplies.
    ///   - transport: The bare transport.
    ///   - middlewares: The user's middlewares, in order.
    ///   - signer: The signer (from ``ExchangeDialect/signer(for:permissions:)``), or `nil` for public data only.
    ///   - clock: The exchange's clock.
    ///   - logger: Where events go.
    ///   - retryPolicy: How much retrying happens. Defaults to ``RetryPolicy/standard``.
    ///   - governor: The rate-limit governor shared by every client of one exchange value (the
    ///     exchange value creates it and passes it to each pipeline). Without one, the pipeline makes
    ///     its own, without weight budgets, which still honours 429 pauses and 418 bans.
    ///   - sleeper: How to wait between attempts. Defaults to ``TaskSleeper``.
    ///   - jitter: Where retry jitter comes from. Defaults to the system's random numbers.
    ///   - keyGuard: The client key's guard, if the pipeline signs for a client. Defaults to none.
    package init(
        dialect: some ExchangeDialect,
        transport: any HTTPTransport,
        middlewares: [any HTTPMiddleware],
        signer: (any RequestSigner)?,
        clock: ServerClock,
        logger: TradeOnlyLogger,
        retryPolicy: RetryPolicy = .standard,
        governor: RateLimitGovernor? = nil,
        sleeper: any Sleeper = TaskSleeper(),
        jitter: JitterSource = .system,
        keyGuard: KeyGuard? = nil
    ) {
        let exchange = dialect.exchange
        self.dialect = dialect
        self.exchange = exchange
        self.policy = dialect.endpointPolicy
        self.transport = transport
        self.middlewares = middlewares
        self.signer = signer
        self.clock = clock
        self.logger = logger.forExchange(exchange)
        self.retryPolicy = retryPolicy
        self.governor =
            governor
            ?? RateLimitGovernor(timeSource: clock.timeSource, sleeper: sleeper, logger: logger.forExchange(exchange))
        self.sleeper = sleeper
        self.jitter = retryPolicy.jitterSeed.map(JitterSource.seeded) ?? jitter
        self.keyGuard = keyGuard
    }

    /// Sends a request through every step and returns the successful response, retrying as
    /// ``RetryRules`` allow.
    ///
    /// - Parameter request: The request, unsigned and unencoded.
    /// - Returns: A response the classifier accepted.
    /// - Throws: ``ExchangeError``. When the task is cancelled before anything was sent (or while
    ///   waiting to retry), a ``ExchangeError/Kind/network`` error saying so, with ``ExchangeError/RetryAdvice/retry``.
    package func send(_ request: ExchangeRequest) async throws -> HTTPResponse {
        try policy.check(method: request.method, path: request.path)
        if request.security == .signed {
            if let keyGuard, !keyGuard.mayProceed() { try await keyGuard.admit() }
            guard signer != nil else {
                throw ExchangeError(
                    .authentication,
                    message: "this \(exchange) client has no key: create it with a verified SafeKey to send signed requests",
                    exchange: exchange)
            }
        }
        do {
            return try await run(request, signed: request.security == .signed)
        } catch let error as ExchangeError {
            let reported = sanitized(error)
            guard request.security == .signed, let keyGuard else { throw reported }
            throw await keyGuard.review(reported)
        }
    }

    /// `error` with its messages redacted, and the signer's API key removed wherever an exchange
    /// echoed it (plain or percent-encoded): every error the pipeline reports passes through here.
    func sanitized(_ error: ExchangeError) -> ExchangeError {
        var error = error
        let identifiers = signer?.echoedIdentifiers ?? []
        error.message = Redaction.redactText(error.message, removing: identifiers)
        error.exchangeMessage = error.exchangeMessage.map { Redaction.redactText($0, removing: identifiers) }
        return error
    }

    /// Measures the exchange clock's offset now.
    ///
    /// - Throws: ``ExchangeError`` if the exchange's time cannot be read.
    package func synchronizeClock() async throws {
        let pipeline = self
        try await clock.sync(using: {
            let response = try await pipeline.run(pipeline.dialect.serverTimeRequest, signed: false)
            return try pipeline.dialect.decodeServerTime(response)
        })
        let offset = clock.offset
        logger.debug("clock synchronised", metadata: ["tradeonly.offset": offset.map { "\($0)" } ?? "none"])
        if let offset, abs(offset) >= Self.offsetWarningThreshold {
            logger.warning(
                "the local clock is \(String(format: "%.3f", abs(offset))) s \(offset > 0 ? "behind" : "ahead of") \(exchange)'s; requests are timestamped with the exchange's time, but fix the system clock (NTP)",
                metadata: ["tradeonly.offset": "\(offset)"])
        }
    }

    /// The clock offset, in seconds, above which a sync logs a warning.
    package static let offsetWarningThreshold: TimeInterval = 1

    /// The retry loop: the clock rule for signed requests, then ``RetryRules``.
    private func run(_ request: ExchangeRequest, signed: Bool) async throws -> HTTPResponse {
        let what = "\(request.method.rawValue) \(request.path)"
        var attempts = 0
        var countedAttempts = 0
        var resynchronized = false
        while true {
            if signed && clock.needsSync { try await synchronizeClock() }
            attempts += 1
            countedAttempts += 1
            let failure: AttemptFailure
            switch await attempt(request) {
            case .success(let response):
                if attempts > 1 {
                    logger.info("\(what) succeeded at attempt \(attempts)", metadata: ["tradeonly.attempts": "\(attempts)"])
                }
                return response
            case .failure(let caught):
                failure = caught
            }
            let error = failure.error
            if signed && error.kind == .timestampOutOfWindow && failure.provenance == .answered {
                // Whatever happens next, the clock is not to be trusted: the next signed call resyncs.
                clock.invalidate()
            }
            if signed && !resynchronized && error.kind == .timestampOutOfWindow && failure.provenance == .answered {
                // The exchange refused the timestamp before executing anything: resync and re-sign once.
                // This does not count against the retry policy.
                resynchronized = true
                countedAttempts -= 1
                logger.notice(
                    "clock error on \(what); resynchronising and retrying once",
                    metadata: ["tradeonly.offset": clock.offset.map { "\($0)" } ?? "none", "tradeonly.attempt": "\(attempts)"])
                clock.invalidate()
                continue
            }
            guard !Task.isCancelled,
                let delay = RetryRules.delay(
                    after: error, provenance: failure.provenance, method: request.method,
                    attemptsMade: countedAttempts, policy: retryPolicy, random: jitter.next())
            else {
                throw Self.finalError(error, attempts: attempts)
            }
            logger.notice(
                "\(what) failed (\(error.kind)); retrying in \(String(format: "%.3f", delay)) s",
                metadata: ["tradeonly.attempt": "\(attempts)", "tradeonly.maximumAttempts": "\(retryPolicy.maximumAttempts)"])
            do {
                try await sleeper.sleep(for: delay)
            } catch {
                throw ExchangeError(
                    .network,
                    message:
                        "\(what) was cancelled while waiting to retry, and was not sent again (attempt \(attempts) failed: \(failure.error.message))",
                    exchange: exchange, retry: .retry, clientOrderID: failure.error.clientOrderID,
                    symbol: failure.error.symbol)
            }
        }
    }

    private static func finalError(_ error: ExchangeError, attempts: Int) -> ExchangeError {
        guard attempts > 1 else { return error }
        var error = error
        error.message += " (after \(attempts) attempts)"
        return error
    }

    /// A failed attempt: the error, and where the request got to.
    private struct AttemptFailure: Error {
        var error: ExchangeError
        var provenance: AttemptProvenance
    }

    /// One try: encode, governor, middlewares, sign, send, classify. Never throws: failures come back
    /// with where the request got to, which the retry rules need.
    private func attempt(_ request: ExchangeRequest) async -> Result<HTTPResponse, AttemptFailure> {
        let unsigned: HTTPRequest
        do {
            unsigned = try dialect.encode(request)
        } catch {
            return .failure(AttemptFailure(error: localError(error, for: request, step: "encoding"), provenance: .refusedLocally))
        }
        let host = Self.hostKey(of: unsigned.url)
        do {
            try await governor.acquire(
                host: host, weight: request.weight, key: RateLimitGovernor.key(host: host, path: request.path))
        } catch var error as ExchangeError {
            error.exchange = error.exchange ?? exchange
            return .failure(AttemptFailure(error: error, provenance: .refusedLocally))
        } catch {
            let cancelled = HTTPTransportError(kind: .cancelled, requestMayHaveBeenSent: false)
            return .failure(AttemptFailure(error: mapTransportError(cancelled, for: request), provenance: .refusedLocally))
        }

        let record = SendRecord()
        let signing = SigningTransport(
            signer: request.security == .signed ? signer : nil, clock: clock, transport: transport,
            record: record, addressed: unsigned)
        let chain = MiddlewareTransport(transport: signing, middlewares: middlewares)
        logger.debug("→ \(unsigned.redactedDescription)", metadata: ["tradeonly.weight": "\(request.weight)"])
        var response: HTTPResponse
        do {
            response = try await chain.send(unsigned)
        } catch {
            return .failure(failureWithoutAnswer(error, for: request, record: record.current))
        }
        // What the exchange itself answered to a write decides what happens next (a clock error or a
        // rate limit is retried): a middleware that sent the write and handed back a made-up error
        // must not get it sent again.
        if request.method != .get {
            let sent = record.current
            if let answer = sent.answer {
                response = answer
            } else if sent.reachedTransport {
                let failure = HTTPTransportError(
                    kind: .invalidResponse, requestMayHaveBeenSent: sent.mayHaveBeenSent,
                    reason: "a middleware returned a response of its own although the transport's send failed")
                return .failure(failureWithoutAnswer(failure, for: request, record: sent))
            }
        }
        dialect.observe(request, response)
        governor.observe(response, host: host, path: request.path)
        logger.debug("← \(response.status) for \(request.method.rawValue) \(request.path) (\(response.body.count) bytes)")
        if let classified = dialect.classify(request, response) {
            let error = sanitized(classified)
            logger.info("\(request.method.rawValue) \(request.path) failed: \(error)")
            feedGovernor(error, status: response.status, host: host, path: request.path)
            return .failure(AttemptFailure(error: error, provenance: .answered))
        }
        return .success(response)
    }

    /// Tells the governor about bans and rate limits the classifier found in the body (HTTP 418 and
    /// 429 themselves are handled by ``RateLimitGovernor/observe(_:host:path:)``).
    private func feedGovernor(_ error: ExchangeError, status: Int, host: String, path: String) {
        let now = governor.timeSource.now()
        if error.kind == .banned && status != 418 {
            governor.ban(host: host, until: error.bannedUntil ?? now.addingTimeInterval(governor.defaultBanDuration))
        }
        if error.kind == .rateLimited && status != 429, case .retryAfter(let seconds) = error.retry, seconds > 0 {
            // A body-level rate limit (an exchange code on an HTTP 200) concerns this endpoint.
            governor.record(
                remaining: 0, resetAt: now.addingTimeInterval(seconds), key: RateLimitGovernor.key(host: host, path: path))
        }
    }

    /// Maps a failure that came without an answer, using what the innermost transport saw rather than
    /// what the error says: a write that reached the wire is never reported as "not sent".
    private func failureWithoutAnswer(_ error: any Error, for request: ExchangeRequest, record: SendRecord.State) -> AttemptFailure {
        let isWrite = request.method != .get
        let reachedWire = record.reachedTransport && record.mayHaveBeenSent
        switch error {
        case let error as HTTPTransportError:
            let mayHaveBeenSent = record.reachedTransport && (record.mayHaveBeenSent || error.requestMayHaveBeenSent)
            var effective = error
            effective.requestMayHaveBeenSent = mayHaveBeenSent
            return AttemptFailure(
                error: mapTransportError(effective, for: request), provenance: mayHaveBeenSent ? .mayHaveBeenSent : .notSent)
        case is CancellationError:
            let cancelled = HTTPTransportError(kind: .cancelled, requestMayHaveBeenSent: reachedWire)
            return AttemptFailure(
                error: mapTransportError(cancelled, for: request), provenance: reachedWire ? .mayHaveBeenSent : .refusedLocally)
        case var error as ExchangeError:
            error.exchange = error.exchange ?? exchange
            guard reachedWire else { return AttemptFailure(error: error, provenance: .refusedLocally) }
            if isWrite && error.kind != .outcomeUnknown {
                return AttemptFailure(
                    error: ExchangeError(
                        .outcomeUnknown,
                        message:
                            "\(request.method.rawValue) \(request.path) may have been executed: it was sent, then failed without an exchange answer (\(error.message)); query the outcome before anything else",
                        exchange: exchange, retry: .reconcileFirst, clientOrderID: error.clientOrderID, symbol: error.symbol),
                    provenance: .mayHaveBeenSent)
            }
            return AttemptFailure(error: error, provenance: .mayHaveBeenSent)
        default:
            let description = Redaction.redactText(String(describing: error))
            guard reachedWire else {
                return AttemptFailure(
                    error: ExchangeError(
                        .network,
                        message: "\(request.method.rawValue) \(request.path) failed before it was sent (\(type(of: error)): \(description))",
                        exchange: exchange, retry: .retry),
                    provenance: .refusedLocally)
            }
            if isWrite {
                return AttemptFailure(
                    error: ExchangeError(
                        .outcomeUnknown,
                        message:
                            "\(request.method.rawValue) \(request.path) may have been executed: the transport failed after sending (\(type(of: error)): \(description)); query the outcome before anything else",
                        exchange: exchange, retry: .reconcileFirst),
                    provenance: .mayHaveBeenSent)
            }
            return AttemptFailure(
                error: ExchangeError(
                    .network,
                    message: "the transport failed (\(type(of: error))): \(description); reads are safe to retry",
                    exchange: exchange, retry: .retry),
                provenance: .mayHaveBeenSent)
        }
    }

    /// An error raised on this machine before anything was sent (encoding, for example).
    private func localError(_ error: any Error, for request: ExchangeRequest, step: String) -> ExchangeError {
        if var error = error as? ExchangeError {
            error.exchange = error.exchange ?? exchange
            return error
        }
        return ExchangeError(
            .invalidRequest,
            message:
                "\(request.method.rawValue) \(request.path) could not be built (\(step) failed: \(Redaction.redactText(String(describing: error)))); nothing was sent",
            exchange: exchange)
    }

    /// The governor's key for a URL's host: lower-cased host, plus `:port` when the URL names one.
    package static func hostKey(of url: URL) -> String {
        let host = (url.host ?? "").lowercased()
        if let port = url.port { return "\(host):\(port)" }
        return host
    }

    /// Maps a transport failure to the error a bot can act on. A write that may have reached the
    /// exchange is ``ExchangeError/Kind/outcomeUnknown``, never a plain network error.
    package func mapTransportError(_ error: HTTPTransportError, for request: ExchangeRequest) -> ExchangeError {
        let what = "\(request.method.rawValue) \(request.path)"
        if error.kind == .cancelled && !error.requestMayHaveBeenSent {
            return ExchangeError(
                .network, message: "\(what) was cancelled before it was sent", exchange: exchange, retry: .retry)
        }
        guard error.requestMayHaveBeenSent else {
            return ExchangeError(
                .network, message: "could not reach \(exchange) for \(what) (\(error.kind)); the request was not sent",
                exchange: exchange, retry: .retry)
        }
        if request.method == .get {
            return ExchangeError(
                .network, message: "\(what) failed after it was sent (\(error.kind)); reads are safe to retry",
                exchange: exchange, retry: .retry)
        }
        return ExchangeError(
            .outcomeUnknown,
            message: "\(what) may have been executed: the connection failed after sending (\(error.kind)); query the outcome before anything else",
            exchange: exchange, retry: .reconcileFirst)
    }
}

/// What the innermost transport saw during one attempt.
final class SendRecord: Sendable {
    struct State: Sendable {
        /// Whether the transport was called at all.
        var reachedTransport = false
        /// How many transport calls may have put the request on the wire (a call counts from the moment
        /// it starts until the transport reports that it certainly sent nothing).
        var callsThatMayHaveSent = 0
        /// Whether any call may have put the request on the wire.
        var mayHaveBeenSent: Bool { callsThatMayHaveSent > 0 }
        /// The last answer the transport itself returned, whatever a middleware made of it.
        var answer: HTTPResponse?
    }

    private let state = LockedValue(State())

    var current: State { state.current }

    /// Marks the start of a transport call. For a write, refuses (returns `false`) while an earlier
    /// call may have sent it, atomically.
    func begin(isWrite: Bool) -> Bool {
        state.withLock { state in
            if isWrite && state.mayHaveBeenSent { return false }
            state.reachedTransport = true
            state.callsThatMayHaveSent += 1
            return true
        }
    }

    /// Records the transport's own answer.
    func answered(_ response: HTTPResponse) {
        state.withLock { $0.answer = response }
    }

    /// Records that the call started with ``begin(isWrite:)`` certainly sent nothing.
    func certainlyNotSent() {
        state.withLock { $0.callsThatMayHaveSent -= 1 }
    }
}

/// The scheme, host and port of a URL: where a request goes.
struct Destination: Hashable, Sendable, CustomStringConvertible {
    let scheme: String?
    let host: String?
    let port: Int?

    init(_ url: URL) {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        scheme = components?.scheme?.lowercased()
        host = components?.host?.lowercased()
        port = components?.port
    }

    var description: String {
        "\(scheme ?? "?")://\(host ?? "?")" + (port.map { ":\($0)" } ?? "")
    }
}

/// The innermost step of the pipeline: signs (for signed requests) with the clock's time, then sends.
///
/// It records what happened for the pipeline, and decides write-or-read from each request it is
/// asked to send, not from the request the pipeline started with: a write goes out at most once per
/// attempt unless the transport reported that the earlier call certainly sent nothing, so a
/// middleware that retries (or calls `next` twice, or turns a read into a write) cannot place an
/// order twice. For a signed request, a middleware may add headers or change the query (the
/// signer's gate checks every parameter), but never the method, the path or where the request goes
/// (scheme, host, port); the gate refuses `Host`-like headers.
struct SigningTransport: HTTPTransport {
    let signer: (any RequestSigner)?
    let clock: ServerClock
    let transport: any HTTPTransport
    let record: SendRecord

    /// The request the exchange module built, before any middleware.
    let addressed: HTTPRequest

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if signer != nil {
            guard request.method == addressed.method else {
                throw ExchangeError(
                    .policyViolation,
                    message: "a middleware changed the method of a signed request from \(addressed.method.rawValue) to "
                        + "\(request.method.rawValue); TradeOnly signs a request only as its exchange module built it")
            }
            // An unchanged URL (the usual case) goes where it was addressed; only a changed one is parsed.
            if request.url != addressed.url {
                let original = Destination(addressed.url)
                let requested = Destination(request.url)
                if requested != original {
                    throw ExchangeError(
                        .policyViolation,
                        message:
                            "a middleware changed where a signed request goes, from \(original) to \(requested); TradeOnly signs requests only for the exchange's own host"
                    )
                }
                let originalPath = wirePath(of: addressed.url)
                let requestedPath = wirePath(of: request.url)
                guard originalPath.utf8.elementsEqual(requestedPath.utf8) else {
                    throw ExchangeError(
                        .policyViolation,
                        message: "a middleware changed the path of a signed request from \(EndpointPath.safeDisplay(of: originalPath)) "
                            + "to \(EndpointPath.safeDisplay(of: requestedPath)); TradeOnly signs a request only for the endpoint it was built for")
                }
            }
        }
        let signed = try signer.map { try $0.sign(request, at: clock.now()) } ?? request
        guard record.begin(isWrite: request.method != .get) else {
            throw HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason:
                    "a middleware asked to send this write again while it may already have reached the exchange; TradeOnly never re-sends such a write"
            )
        }
        do {
            let response = try await transport.send(signed)
            record.answered(response)
            return response
        } catch let error as HTTPTransportError {
            if !error.requestMayHaveBeenSent { record.certainlyNotSent() }
            throw error
        }
    }
}
