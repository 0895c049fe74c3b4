/// How TradeOnly waits: between retries, before a request the rate-limit budget cannot take yet, and
/// between questions about an order whose outcome is unknown.
///
/// The default, ``TaskSleeper``, suspends the task. Tests inject ``AdvancingSleeper``, which returns at
/// once and moves a ``FixedTimeSource`` forwards instead, so a test of a one-minute back-off runs in
/// microseconds.
///
/// A sleeper must throw `CancellationError` when the waiting task is cancelled.
public protocol Sleeper: Sendable {
    /// Waits for `seconds` (returns at once for zero or less).
    ///
    /// - Parameter seconds: How long to wait.
    /// - Throws: `CancellationError` if the task is cancelled before or while waiting.
    func sleep(for seconds: Double) async throws
}

/// Waits with `Task.sleep`: the default ``Sleeper``.
public struct TaskSleeper: Sleeper, Hashable {
    /// Creates the task sleeper.
    public init() {}

    /// Suspends the task for `seconds`.
    ///
    /// - Parameter seconds: How long to wait.
    /// - Throws: `CancellationError` if the task is cancelled.
    public func sleep(for seconds: Double) async throws {
        try Task.checkCancellation()
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 1e9) * 1e9))
    }
}

/// A sleeper for tests: instead of waiting, it moves a ``FixedTimeSource`` forwards by the time asked
/// for, and records every wait.
///
/// ```swift
/// let time = FixedTimeSource(Date(timeIntervalSince1970: 1_700_000_000))
/// let sleeper = AdvancingSleeper(time)
/// try await sleeper.sleep(for: 30)   // returns at once; time.now() moved 30 s
/// sleeper.sleeps                     // [30.0]
/// ```
///
/// Safe to use from several tasks at once; each wait moves the clock by its own amount.
public final class AdvancingSleeper: Sleeper {
    /// The clock each wait moves forwards.
    public let time: FixedTimeSource
    private let recorded = LockedValue<[Double]>([])

    /// Creates a sleeper that moves `time`.
    ///
    /// - Parameter time: The clock to move.
    public init(_ time: FixedTimeSource) {
        self.time = time
    }

    /// Records the wait, moves the clock by `seconds` (when positive) and yields once.
    ///
    /// - Parameter seconds: How long the caller wanted to wait.
    /// - Throws: `CancellationError` if the task is cancelled.
    public func sleep(for seconds: Double) async throws {
        try Task.checkCancellation()
        recorded.withLock { $0.append(seconds) }
        if seconds > 0 { time.advance(by: seconds) }
        await Task.yield()
        try Task.checkCancellation()
    }

    /// Every wait asked for so far, in order.
    public var sleeps: [Double] { recorded.current }

    /// The sum of the waits asked for so far (negative ones count as zero).
    public var totalSlept: Double { recorded.current.reduce(0) { $0 + max(0, $1) } }
}
