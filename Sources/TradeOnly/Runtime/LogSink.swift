/// Where TradeOnly's log events go: implement it to forward them to your logging system.
///
/// Shaped like swift-log's `LogHandler`, so an adapter is a few lines (TradeOnly itself depends on no
/// logging package). `Examples/SwiftLogSink` is one, a package of its own, built and tested against
/// swift-log; with both modules imported, write `TradeOnly.LogEvent` (swift-log 1.11 and later has a
/// `LogEvent` too). ``ConsoleLogSink`` writes lines to standard output or error, and
/// ``InMemoryLogSink`` keeps events for tests.
///
/// Events arrive already redacted and already filtered by level. `log(_:)` may be called from any
/// task, concurrently: keep it quick and thread-safe.
public protocol LogSink: Sendable {
    /// Records one event.
    ///
    /// - Parameter event: The redacted event.
    func log(_ event: LogEvent)
}

extension LogSink where Self == DisabledLogSink {
    /// A sink that drops every event.
    public static var disabled: DisabledLogSink { DisabledLogSink() }
}
