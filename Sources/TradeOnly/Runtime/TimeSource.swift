/// Where TradeOnly reads the local time: the system clock by default, a settable clock in tests.
///
/// ```swift
/// let clock = ServerClock(timeSource: .system)
/// ```
public protocol TimeSource: Sendable {
    /// The current local time.
    func now() -> Date
}

extension TimeSource where Self == SystemTimeSource {
    /// The system clock.
    public static var system: SystemTimeSource { SystemTimeSource() }
}
