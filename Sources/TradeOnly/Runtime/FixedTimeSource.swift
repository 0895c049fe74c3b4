/// A clock that stands still until it is moved: for tests.
///
/// ```swift
/// let time = FixedTimeSource(Date(timeIntervalSince1970: 1_499_827_319.559))
/// time.advance(by: 0.25)
/// ```
///
/// Safe to read and move from any task.
public final class FixedTimeSource: TimeSource {
    private let current: LockedValue<Date>

    /// Creates a clock that reads `date` until moved.
    ///
    /// - Parameter date: The time the clock reads.
    public init(_ date: Date) {
        current = LockedValue(date)
    }

    /// The time the clock was last set to.
    public func now() -> Date {
        current.current
    }

    /// Moves the clock forwards (or, with a negative interval, backwards).
    ///
    /// - Parameter interval: Seconds to add.
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    /// Sets the clock.
    ///
    /// - Parameter date: The time the clock reads from now on.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
