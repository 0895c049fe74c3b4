/// The system's wall clock (`Date()`): the default ``TimeSource``.
public struct SystemTimeSource: TimeSource, Hashable {
    /// Creates the system time source.
    public init() {}

    /// The current system time.
    public func now() -> Date { Date() }
}
