/// The exchange's clock, as seen from here: the offset between local time and the exchange's server
/// time, measured with round-trip compensation.
///
/// Signed requests carry a timestamp the exchange compares with its own clock (Binance -1021, Bybit
/// 10002, OKX 50102, Gate `REQUEST_EXPIRED`). Local clocks drift, so exchange clients timestamp
/// requests with ``now()`` or ``timestampMilliseconds()``, resynchronise when ``needsSync`` says so,
/// and call ``invalidate()`` after a clock error so the next request resynchronises first.
///
/// ```swift
/// let clock = ServerClock()
/// try await clock.sync(using: { try await fetchBinanceServerTime() })
/// let timestamp = clock.timestampMilliseconds()
/// ```
///
/// Each sync takes a few samples. For each, it reads the local time before (`t0`) and after (`t1`)
/// fetching the server time and estimates `offset = serverTime − (t0 + t1) / 2`; the sample with the
/// smallest round trip (`t1 − t0`) wins, as its midpoint guess is the tightest.
///
/// Safe to share across tasks. Concurrent calls to ``sync(using:samples:)`` share one measurement.
public final class ServerClock: Sendable {
    /// Where the local time comes from.
    public let timeSource: any TimeSource

    /// How long a measurement is trusted before ``needsSync`` turns true, in seconds.
    public let resyncInterval: TimeInterval

    private struct Measurement: Sendable {
        var offset: TimeInterval
        var roundTripTime: TimeInterval
        var syncedAt: Date
    }

    private struct State: Sendable {
        var measurement: Measurement?
        var invalidated = false
        var inFlight: Task<Measurement, any Error>?
    }

    private let state = LockedValue(State())

    /// Creates a clock that has not been synchronised yet (its offset is `nil` and ``now()`` is the
    /// local time).
    ///
    /// - Parameters:
    ///   - timeSource: Where the local time comes from. Defaults to the system clock.
    ///   - resyncInterval: How long a measurement is trusted, in seconds. Defaults to 300.
    public init(timeSource: some TimeSource = .system, resyncInterval: TimeInterval = 300) {
        self.timeSource = timeSource
        self.resyncInterval = resyncInterval
    }

    /// Measures the offset to the exchange's clock.
    ///
    /// If a sync is already running, this waits for it and uses its result instead of starting another
    /// (with the other caller's `fetchServerTime`). Cancelling a caller does not cancel that shared
    /// measurement; it finishes (or fails) for everyone waiting on it.
    ///
    /// - Parameters:
    ///   - fetchServerTime: Asks the exchange for its current time (for example Binance
    ///     `GET /api/v3/time`).
    ///   - samples: How many times to ask; the sample with the smallest round trip wins. Values below 1
    ///     count as 1.
    /// - Throws: The first error `fetchServerTime` throws. The previous measurement, if any, stays in
    ///   place.
    public func sync(using fetchServerTime: @escaping @Sendable () async throws -> Date, samples: Int = 3) async throws {
        let task = state.withLock { state -> Task<Measurement, any Error> in
            if let running = state.inFlight { return running }
            let timeSource = self.timeSource
            let count = max(1, samples)
            let box = self.state
            // The task only takes the lock after this closure has stored it and let the lock go.
            let task = Task { () throws -> Measurement in
                do {
                    let measurement = try await Self.measure(fetchServerTime, samples: count, timeSource: timeSource)
                    box.withLock { current in
                        current.measurement = measurement
                        current.invalidated = false
                        current.inFlight = nil
                    }
                    return measurement
                } catch {
                    box.withLock { $0.inFlight = nil }
                    throw error
                }
            }
            state.inFlight = task
            return task
        }
        _ = try await task.value
    }

    private static func measure(
        _ fetchServerTime: @Sendable () async throws -> Date,
        samples: Int,
        timeSource: any TimeSource
    ) async throws -> Measurement {
        var best: Measurement?
        for _ in 0..<samples {
            let sent = timeSource.now()
            let serverTime = try await fetchServerTime()
            let received = timeSource.now()
            let roundTrip = received.timeIntervalSince(sent)
            // A negative round trip means the local clock was moved mid-sample: the sample is useless.
            guard roundTrip >= 0 else { continue }
            let midpoint = sent.addingTimeInterval(roundTrip / 2)
            let sample = Measurement(
                offset: serverTime.timeIntervalSince(midpoint),
                roundTripTime: roundTrip,
                syncedAt: received
            )
            if best.map({ sample.roundTripTime < $0.roundTripTime }) ?? true {
                best = sample
            }
        }
        guard let best else {
            throw ExchangeError(
                .other,
                message: "Could not measure the exchange's clock: the local clock went backwards during every sample."
            )
        }
        return best
    }

    /// The exchange's clock minus the local clock, in seconds (positive when the exchange is ahead), or
    /// `nil` before the first successful sync.
    public var offset: TimeInterval? {
        state.withLock { $0.measurement?.offset }
    }

    /// The local time of the last successful sync, or `nil`.
    public var lastSyncedAt: Date? {
        state.withLock { $0.measurement?.syncedAt }
    }

    /// The round trip of the sample the last successful sync kept, in seconds, or `nil`.
    public var roundTripTime: TimeInterval? {
        state.withLock { $0.measurement?.roundTripTime }
    }

    /// Whether the clock should be synchronised before the next signed request: it never was, the last
    /// sync is at least ``resyncInterval`` old (or in the future: the local clock moved back), or it
    /// was invalidated.
    public var needsSync: Bool {
        let now = timeSource.now()
        return state.withLock { state in
            guard let measurement = state.measurement, !state.invalidated else { return true }
            let age = now.timeIntervalSince(measurement.syncedAt)
            return age < 0 || age >= resyncInterval
        }
    }

    /// Marks the measurement as stale, after the exchange rejected a timestamp. The offset stays in use
    /// until the next successful sync; ``needsSync`` is true until then.
    public func invalidate() {
        state.withLock { $0.invalidated = true }
    }

    /// The estimated exchange time: the local time plus the ``offset`` (the local time before the first
    /// sync).
    public func now() -> Date {
        let local = timeSource.now()
        return local.addingTimeInterval(offset ?? 0)
    }

    /// ``now()`` in whole milliseconds since 1970 (rounded down), as Binance and Bybit timestamps are.
    public func timestampMilliseconds() -> Int64 {
        Int64((now().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// ``now()`` in whole seconds since 1970 (rounded down), as Gate timestamps are.
    public func timestampSeconds() -> Int64 {
        Int64(now().timeIntervalSince1970.rounded(.down))
    }
}
