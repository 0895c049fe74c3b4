/// The one path every exchange request takes, shared by all exchange modules:
///
/// 1. the exchange's ``EndpointPolicy`` is checked (a refusal throws before anything is built);
/// 2. the module encodes the request (host, query or body) without signing it;
/// 3. user middlewares see the unsigned request;
/// 4. the signer checks the policy again, takes the timestamp from the ``ServerClock`` and signs the
///    exact bytes;
/// 5. the transport sends them;
/// 6. the module's classifier maps exchange errors; transport failures are mapped here, so that a
///    request that may have executed is never reported as a plain network error.
///
/// A clock error (the exchange rejected the timestamp before executing anything) resynchronises the
/// clock and retries once, re-signed with a fresh timestamp. Nothing else is retried here.
package struct RequestPipeline: Sendable {
    /// The exchange's name, in lower case.
    package let exchange: String
    /// The built-in endpoint policy (plus any allow rules the user added).
    package let policy: EndpointPolicy
    /// The transport, wrapped in the user's middlewares.
    package let transport: any HTTPTransport
    /// The user's middlewares, in order.
    package let middlewares: [any HTTPMiddleware]
    /// The signer, or `nil` for a client without a key (public market data only).
    package let signer: (any RequestSigner)?
    /// The exchange's clock.
    package let clock: ServerClock
    /// Where events go (off by default).
    package let logger: TradeOnlyLogger
    /// Builds the unsigned HTTP request for an exchange request.
    package let encode: @Sendable (ExchangeRequest) throws -> HTTPRequest
    /// Maps a response to the exchange's error, or `nil` for success.
    package let classify: @Sendable (ExchangeRequest, HTTPResponse) -> ExchangeError?
    /// The public request that asks the exchange for its time, and how to read the answer.
    package let serverTimeRequest: ExchangeRequest
    /// Reads the exchange's time from the answer to ``serverTimeRequest``.
    package let decodeServerTime: @Sendable (HTTPResponse) throws -> Date
    /// Sees every response that came back (for rate-limit headers).
    package let observe: @Sendable (ExchangeRequest, HTTPResponse) -> Void

    /// Creates a pipeline. See the properties for what each part does.
    package init(
        exchange: String,
        policy: EndpointPolicy,
        transport: any HTTPTransport,
        middlewares: [any HTTPMiddleware],
        signer: (any RequestSigner)?,
        clock: ServerClock,
        logger: TradeOnlyLogger,
        encode: @escaping @Sendable (ExchangeRequest) throws -> HTTPRequest,
        classify: @escaping @Sendable (ExchangeRequest, HTTPResponse) -> ExchangeError?,
        serverTimeRequest: ExchangeRequest,
        decodeServerTime: @escaping @Sendable (HTTPResponse) throws -> Date,
        observe: @escaping @Sendable (ExchangeRequest, HTTPResponse) -> Void = { _, _ in }
    ) {
        self.exchange = exchange
        self.policy = policy
        self.transport = transport
        self.middlewares = middlewares
        self.signer = signer
        self.clock = clock
        self.logger = logger.forExchange(exchange)
        self.encode = encode
        self.classify = classify
        self.serverTimeRequest = serverTimeRequest
        self.decodeServerTime = decodeServerTime
        self.observe = observe
    }

    /// Sends a request through every step and returns the successful response.
    ///
    /// - Parameter request: The request, unsigned and unencoded.
    /// - Returns: A response the classifier accepted.
    /// - Throws: ``ExchangeError`` (or `CancellationError` when the task was cancelled before anything
    ///   was sent).
    package func send(_ request: ExchangeRequest) async throws -> HTTPResponse {
        try policy.check(method: request.method, path: request.path)
        if request.security == .signed {
            guard signer != nil else {
                throw ExchangeError(
                    .authentication,
                    message: "this \(exchange) client has no key: create it with a verified SafeKey to send signed requests",
                    exchange: exchange)
            }
            if clock.needsSync { try await synchronizeClock() }
        }
        var resynchronized = false
        while true {
            do {
                return try await attempt(request)
            } catch let error as ExchangeError
                where error.kind == .timestampOutOfWindow && request.security == .signed && !resynchronized
            {
                // The exchange refused the timestamp before executing anything: resync and re-sign once.
                resynchronized = true
                logger.notice(
                    "clock error on \(request.method.rawValue) \(request.path); resynchronising and retrying once",
                    metadata: ["tradeonly.offset": clock.offset.map { "\($0)" } ?? "none"])
                clock.invalidate()
                try await synchronizeClock()
            }
        }
    }

    /// Measures the exchange clock's offset now.
    ///
    /// - Throws: ``ExchangeError`` if the exchange's time cannot be read.
    package func synchronizeClock() async throws {
        let pipeline = self
        try await clock.sync(using: {
            let response = try await pipeline.attempt(pipeline.serverTimeRequest)
            return try pipeline.decodeServerTime(response)
        })
        logger.debug("clock synchronised", metadata: ["tradeonly.offset": clock.offset.map { "\($0)" } ?? "none"])
    }

    /// One try: encode, middlewares, sign, send, classify.
    private func attempt(_ request: ExchangeRequest) async throws -> HTTPResponse {
        let unsigned = try encode(request)
        let signing = SigningTransport(
            signer: request.security == .signed ? signer : nil, clock: clock, transport: transport)
        let chain = MiddlewareTransport(transport: signing, middlewares: middlewares)
        logger.debug("→ \(unsigned.redactedDescription)")
        let response: HTTPResponse
        do {
            response = try await chain.send(unsigned)
        } catch let error as ExchangeError {
            throw error
        } catch let error as HTTPTransportError {
            throw mapTransportError(error, for: request)
        } catch is CancellationError {
            throw mapTransportError(
                HTTPTransportError(kind: .cancelled, requestMayHaveBeenSent: request.method != .get), for: request)
        } catch {
            throw ExchangeError(
                .network,
                message: "the transport failed (\(type(of: error))): \(Redaction.redactText(String(describing: error)))",
                exchange: exchange, retry: request.method == .get ? .retry : .reconcileFirst)
        }
        observe(request, response)
        logger.debug("← \(response.status) for \(request.method.rawValue) \(request.path) (\(response.body.count) bytes)")
        if let error = classify(request, response) {
            logger.info("\(request.method.rawValue) \(request.path) failed: \(error)")
            throw error
        }
        return response
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

/// The innermost step of the pipeline: signs (for signed requests) with the clock's time, then sends.
struct SigningTransport: HTTPTransport {
    let signer: (any RequestSigner)?
    let clock: ServerClock
    let transport: any HTTPTransport

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let signer else { return try await transport.send(request) }
        return try await transport.send(try signer.sign(request, at: clock.now()))
    }
}
