/// How often and how patiently a client retries a request that failed in a way that is safe to retry.
///
/// The policy only sets *how much* retrying happens. *Whether* a failure may be retried is decided by
/// fixed rules that no policy can loosen:
///
/// - A read (`GET`) is retried after a transient failure: a network error, the exchange being
///   unavailable, or a rate limit whose advised wait is at most ``retryAfterLimit``.
/// - A write (any other method: placing or cancelling an order) is retried only when the failure proves
///   that the exchange did not execute it: the request certainly never left this machine, or the
///   exchange answered with a rate-limit rejection (retried after the advised wait). A write that may
///   have reached the exchange (a timeout, a lost connection, a 5xx) is **never** re-sent, whatever
///   ``maximumAttempts`` says: its outcome is found out by querying the order instead.
/// - A clock error is handled apart from this policy: the clock is resynchronised and the request is
///   re-signed and sent once more, reads and writes alike (the exchange rejected it before executing it).
///
/// Every retry is encoded and signed again, with a fresh timestamp.
///
/// ```swift
/// let patient = RetryPolicy(maximumAttempts: 5, baseDelay: 0.5, maximumDelay: 8)
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// The most times a request is sent, the first time included (1 means never retry).
    public var maximumAttempts: Int
    /// The wait before the first retry, in seconds; it doubles for each further retry.
    public var baseDelay: Double
    /// The longest wait between two attempts, in seconds (advised rate-limit waits excepted: see
    /// ``retryAfterLimit``).
    public var maximumDelay: Double
    /// How much each back-off wait is randomly spread, as a fraction of it (0 = none, 0.2 = ±20 %), so
    /// that many clients do not retry in step. Advised waits are only ever lengthened.
    public var jitter: Double
    /// The longest wait an exchange may advise (`Retry-After`, a rate-limit reset) that is still
    /// honoured with a retry, in seconds. A longer advised wait is reported to the caller instead.
    public var retryAfterLimit: Double
    /// Where the jitter comes from: `nil` (the default) for the system's random numbers; a seed for a
    /// reproducible sequence (SplitMix64), the same on every exchange module: for tests and simulations.
    public var jitterSeed: UInt64?

    /// Creates a policy. Values are clamped into range: at least one attempt, no negative delays,
    /// jitter between 0 and 1.
    ///
    /// - Parameters:
    ///   - maximumAttempts: The most times a request is sent, the first included. Defaults to 3.
    ///   - baseDelay: The wait before the first retry, in seconds. Defaults to 0.2.
    ///   - maximumDelay: The longest back-off wait, in seconds. Defaults to 5.
    ///   - jitter: The random spread of back-off waits, as a fraction. Defaults to 0.2.
    ///   - retryAfterLimit: The longest advised wait honoured with a retry, in seconds. Defaults to 10.
    ///   - jitterSeed: A seed for reproducible jitter, or `nil` (the default) for the system's random numbers.
    public init(
        maximumAttempts: Int = 3, baseDelay: Double = 0.2, maximumDelay: Double = 5, jitter: Double = 0.2,
        retryAfterLimit: Double = 10, jitterSeed: UInt64? = nil
    ) {
        self.jitterSeed = jitterSeed
        self.maximumAttempts = max(1, maximumAttempts)
        self.baseDelay = baseDelay.isFinite ? max(0, baseDelay) : 0
        self.maximumDelay = maximumDelay.isFinite ? max(self.baseDelay, maximumDelay) : self.baseDelay
        self.jitter = jitter.isFinite ? min(1, max(0, jitter)) : 0
        self.retryAfterLimit = retryAfterLimit.isNaN ? 0 : max(0, retryAfterLimit)
    }

    /// Three attempts, 0.2 s then 0.4 s apart (±20 %), honouring advised waits of up to 10 s.
    public static let standard = RetryPolicy()

    /// Never retry (the clock-error resync still applies: it is not a blind retry).
    public static let none = RetryPolicy(maximumAttempts: 1, baseDelay: 0, maximumDelay: 0, jitter: 0, retryAfterLimit: 0)

    /// The back-off wait before retry number `retry` (1 for the first retry), before jitter:
    /// `baseDelay × 2^(retry − 1)`, at most ``maximumDelay``.
    ///
    /// - Parameter retry: Which retry this is, from 1.
    /// - Returns: The wait in seconds.
    public func backoff(beforeRetry retry: Int) -> Double {
        let exponent = Double(min(max(retry, 1) - 1, 62))
        return min(maximumDelay, baseDelay * pow(2, exponent))
    }
}

/// Where retry jitter comes from: the system's random numbers, or a seeded sequence for tests. No
/// global state: each pipeline holds its own.
package struct JitterSource: Sendable {
    /// The next number, uniformly in `0 ..< 1`.
    package let next: @Sendable () -> Double

    /// Creates a source from a function returning numbers in `0 ..< 1`.
    package init(_ next: @escaping @Sendable () -> Double) {
        self.next = next
    }

    /// The system's random numbers.
    package static var system: JitterSource {
        JitterSource { Double.random(in: 0..<1) }
    }

    /// A reproducible sequence (SplitMix64) from `seed`.
    package static func seeded(_ seed: UInt64) -> JitterSource {
        let state = LockedValue(seed)
        return JitterSource {
            let value = state.withLock { state -> UInt64 in
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            return Double(value >> 11) / Double(UInt64(1) << 53)
        }
    }
}

/// What the pipeline knows about where a failed attempt got to. The retry rules depend on it, not on
/// what the error says about itself alone.
package enum AttemptProvenance: Sendable, Hashable {
    /// The request certainly never reached the transport's wire: encoding, the rate-limit governor,
    /// a middleware or the signer stopped it, or the transport itself reported that nothing was sent.
    case notSent
    /// TradeOnly itself refused to send it (a ban, a rate-limit wait too long): never retried here.
    case refusedLocally
    /// The request may have reached the exchange and no answer came back.
    case mayHaveBeenSent
    /// The exchange answered, with an error.
    case answered
}

/// The fixed rules that decide whether a failed attempt may be retried. See ``RetryPolicy``.
package enum RetryRules {
    /// The wait before the next attempt, or `nil` if the failure must be reported instead.
    ///
    /// - Parameters:
    ///   - error: The attempt's error.
    ///   - provenance: Where the attempt got to.
    ///   - method: The request's HTTP method; anything but `GET` is a write.
    ///   - attemptsMade: How many attempts have been made so far (at least 1).
    ///   - policy: The retry policy.
    ///   - random: A number in `0 ..< 1`, for jitter.
    package static func delay(
        after error: ExchangeError, provenance: AttemptProvenance, method: HTTPMethod, attemptsMade: Int,
        policy: RetryPolicy, random: Double
    ) -> Double? {
        guard attemptsMade < policy.maximumAttempts else { return nil }
        let isRead = method == .get
        let backoff = jittered(policy.backoff(beforeRetry: attemptsMade), policy: policy, random: random)
        switch provenance {
        case .refusedLocally:
            return nil
        case .notSent:
            // Certainly not sent: safe for reads and writes alike, if the error is a transient one.
            guard error.kind == .network, error.retry == .retry else { return nil }
            return backoff
        case .mayHaveBeenSent:
            // A write here may have executed: never re-sent. A read is safe to send again.
            guard isRead, error.kind == .network, error.retry == .retry else { return nil }
            return backoff
        case .answered:
            if error.kind == .rateLimited {
                // The exchange refused the request before executing it: reads and writes may wait and retry.
                return advisedWait(error.retry, backoff: backoff, policy: policy, random: random)
            }
            guard isRead, error.kind == .exchangeUnavailable else { return nil }
            return advisedWait(error.retry, backoff: backoff, policy: policy, random: random)
        }
    }

    private static func advisedWait(
        _ advice: ExchangeError.RetryAdvice, backoff: Double, policy: RetryPolicy, random: Double
    ) -> Double? {
        switch advice {
        case .retry:
            return backoff
        case .retryAfter(let seconds):
            guard seconds.isFinite, seconds <= policy.retryAfterLimit else { return nil }
            // Never shorter than advised; spread upwards only.
            return max(0, seconds) * (1 + policy.jitter * random)
        default:
            return nil
        }
    }

    private static func jittered(_ delay: Double, policy: RetryPolicy, random: Double) -> Double {
        max(0, delay * (1 + policy.jitter * (2 * random - 1)))
    }
}
