import Testing
import TradeOnly

/// A way a write can fail after it may have reached the exchange.
struct SentFailure: Sendable, CustomTestStringConvertible {
    let name: String
    let answer: @Sendable () throws -> HTTPResponse

    var testDescription: String { name }

    static let all: [SentFailure] = [
        SentFailure(name: "timeout after sending") {
            throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)
        },
        SentFailure(name: "connection lost after sending") {
            throw HTTPTransportError(kind: .connectionLost, requestMayHaveBeenSent: true)
        },
        SentFailure(name: "a non-transport error from the transport") {
            struct Odd: Error {}
            throw Odd()
        },
        SentFailure(name: "HTTP 500") { FakeExchange.status(500) },
        SentFailure(name: "HTTP 503 with Retry-After") { FakeExchange.status(503, retryAfter: 1) },
        SentFailure(name: "HTTP 504") { FakeExchange.status(504) },
    ]
}

@Suite("Retries", .timeLimit(.minutes(1)))
struct RetryTests {
    @Test("a read retries transient failures with exponential back-off, then succeeds")
    func readRetriesWithBackoff() async throws {
        let calls = Counter()
        let exchange = FakeExchange(retryPolicy: RetryPolicy(maximumAttempts: 4, baseDelay: 0.5, maximumDelay: 10, jitter: 0)) { _, _ in
            switch calls.next() {
            case 1: throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)
            case 2: throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false)
            case 3: return FakeExchange.status(503)
            default: return FakeExchange.ok(#"{"price":"1"}"#)
            }
        }
        let response = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(response.status == 200)
        #expect(exchange.requests(to: "/api/v3/ticker").count == 4)
        #expect(exchange.sleeper.sleeps == [0.5, 1.0, 2.0])
    }

    @Test("back-off is jittered within the policy's fraction, from the injected seed")
    func jitteredBackoff() async throws {
        let policy = RetryPolicy(maximumAttempts: 6, baseDelay: 1, maximumDelay: 4, jitter: 0.25)
        let exchange = FakeExchange(retryPolicy: policy) { _, _ in
            throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false)
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.ticker) }
        #expect(error?.kind == .network)
        #expect(error?.message.contains("after 6 attempts") == true)
        let sleeps = exchange.sleeper.sleeps
        #expect(sleeps.count == 5)
        for (index, sleep) in sleeps.enumerated() {
            let nominal = policy.backoff(beforeRetry: index + 1)
            #expect(sleep >= nominal * 0.75 && sleep <= nominal * 1.25)
        }
        let ratios = sleeps.enumerated().map { $0.element / policy.backoff(beforeRetry: $0.offset + 1) }
        #expect(ratios.contains { abs($0 - 1) > 0.001 }, "jitter spreads the waits: \(ratios)")
        #expect(Set(ratios).count > 1)
    }

    @Test("RetryPolicy.none sends a read once")
    func noneSendsOnce() async throws {
        let exchange = FakeExchange(retryPolicy: .none) { _, _ in
            throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false)
        }
        _ = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.ticker) }
        #expect(exchange.requests(to: "/api/v3/ticker").count == 1)
    }

    @Test(
        "a write that may have been sent is sent exactly once, whatever the retry policy",
        arguments: SentFailure.all,
        [RetryPolicy.standard, .none, RetryPolicy(maximumAttempts: 100, baseDelay: 0, jitter: 0, retryAfterLimit: 1_000_000)])
    func writeThatMayHaveBeenSentIsSentOnce(failure: SentFailure, policy: RetryPolicy) async throws {
        let exchange = FakeExchange(retryPolicy: policy) { request, _ in
            try failure.answer()
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.retry == .reconcileFirst)
        #expect(exchange.requests(to: "/api/v3/order").count == 1)
        #expect(exchange.sleeper.sleeps.isEmpty)
    }

    @Test("a middleware that retries cannot send a write twice")
    func retryingMiddlewareCannotDuplicateAWrite() async throws {
        struct Retrying: HTTPMiddleware {
            func intercept(
                _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
            ) async throws -> HTTPResponse {
                for _ in 0..<4 {
                    if let response = try? await next(request) { return response }
                }
                return try await next(request)
            }
        }
        let exchange = FakeExchange(retryPolicy: RetryPolicy(maximumAttempts: 100), middlewares: [Retrying()]) { _, _ in
            throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(exchange.requests(to: "/api/v3/order").count == 1)
    }

    @Test("a write that was certainly not sent is retried, signed afresh")
    func unsentWriteIsRetried() async throws {
        let calls = Counter()
        let exchange = FakeExchange { _, _ in
            if calls.next() < 3 { throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false) }
            return FakeExchange.ok(#"{"orderId":42}"#)
        }
        let response = try await exchange.pipeline.send(FakeExchange.order)
        #expect(response.status == 200)
        #expect(exchange.requests(to: "/api/v3/order").count == 3)
        let timestamps = exchange.timestamps(to: "/api/v3/order")
        #expect(Set(timestamps).count == 3, "each attempt carries a fresh timestamp: \(timestamps)")
    }

    @Test("a write rejected with 429 waits the advised delay, then is retried")
    func rateLimitedWriteWaitsThenRetries() async throws {
        let calls = Counter()
        let sentAt = LockedValue<[Date]>([])
        let exchange = FakeExchange { _, time in
            sentAt.withLock { $0.append(time.now()) }
            return calls.next() == 1 ? FakeExchange.status(429, retryAfter: 3) : FakeExchange.ok(#"{"orderId":42}"#)
        }
        let response = try await exchange.pipeline.send(FakeExchange.order)
        #expect(response.status == 200)
        #expect(exchange.requests(to: "/api/v3/order").count == 2)
        let times = sentAt.current
        try #require(times.count == 2)
        #expect(times[1].timeIntervalSince(times[0]) >= 3)
    }

    @Test("a write rate-limited for longer than the policy honours is reported, not retried")
    func longRateLimitIsReported() async throws {
        let exchange = FakeExchange(retryPolicy: RetryPolicy(maximumAttempts: 5, retryAfterLimit: 10)) { _, _ in
            FakeExchange.status(429, retryAfter: 30)
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .rateLimited)
        #expect(exchange.requests(to: "/api/v3/order").count == 1)
    }

    @Test("a write that failed with an error the exchange answered is not retried")
    func answeredWriteErrorIsNotRetried() async throws {
        let exchange = FakeExchange(retryPolicy: RetryPolicy(maximumAttempts: 10)) { _, _ in
            FakeExchange.status(400)
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .invalidRequest)
        #expect(exchange.requests(to: "/api/v3/order").count == 1)
    }

    @Test("cancelling the task while it waits to retry stops it, without another send")
    func cancellationStopsRetrying() async throws {
        let exchange = FakeExchange(retryPolicy: RetryPolicy(maximumAttempts: 10, baseDelay: 1)) { _, _ in
            withUnsafeCurrentTask { $0?.cancel() }
            throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false)
        }
        let caller = Task { try await exchange.pipeline.send(FakeExchange.ticker) }
        let error = await exchangeError { _ = try await caller.value }
        #expect(error?.kind == .network)
        #expect(exchange.requests(to: "/api/v3/ticker").count == 1)
        #expect(exchange.sleeper.sleeps.isEmpty)
    }

    @Test("the retry rules, as a table: only reads, or writes proven not executed, are retried")
    func rulesTable() {
        let policy = RetryPolicy(maximumAttempts: 100, jitter: 0, retryAfterLimit: 60)
        func delay(_ kind: ExchangeError.Kind, _ retry: ExchangeError.RetryAdvice, _ provenance: AttemptProvenance, _ method: HTTPMethod) -> Double? {
            RetryRules.delay(
                after: ExchangeError(kind, message: "x", retry: retry), provenance: provenance, method: method,
                attemptsMade: 1, policy: policy, random: 0.5)
        }
        // Writes.
        for method in [HTTPMethod.post, .delete, .put, .patch] {
            #expect(delay(.network, .retry, .notSent, method) != nil)
            #expect(delay(.rateLimited, .retryAfter(seconds: 5), .answered, method) == 5)
            #expect(delay(.outcomeUnknown, .reconcileFirst, .mayHaveBeenSent, method) == nil)
            #expect(delay(.outcomeUnknown, .reconcileFirst, .answered, method) == nil)
            #expect(delay(.network, .retry, .mayHaveBeenSent, method) == nil)
            #expect(delay(.exchangeUnavailable, .retry, .answered, method) == nil)
            #expect(delay(.exchangeUnavailable, .retryAfter(seconds: 1), .answered, method) == nil)
            #expect(delay(.banned, .retryAfter(seconds: 1), .answered, method) == nil)
            #expect(delay(.orderRejected, .doNotRetry, .answered, method) == nil)
            #expect(delay(.rateLimited, .retryAfter(seconds: 1), .refusedLocally, method) == nil)
        }
        // Reads.
        #expect(delay(.network, .retry, .mayHaveBeenSent, .get) != nil)
        #expect(delay(.exchangeUnavailable, .retry, .answered, .get) != nil)
        #expect(delay(.exchangeUnavailable, .retryAfter(seconds: 2), .answered, .get) == 2)
        #expect(delay(.rateLimited, .retryAfter(seconds: 61), .answered, .get) == nil)
        #expect(delay(.invalidRequest, .doNotRetry, .answered, .get) == nil)
        // The attempt budget.
        #expect(
            RetryRules.delay(
                after: ExchangeError(.network, message: "x", retry: .retry), provenance: .notSent, method: .get,
                attemptsMade: 3, policy: RetryPolicy(maximumAttempts: 3), random: 0) == nil)
    }
}
