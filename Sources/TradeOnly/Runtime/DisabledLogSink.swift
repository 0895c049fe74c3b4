/// A ``LogSink`` that drops every event: the default.
public struct DisabledLogSink: LogSink, Hashable {
    /// Creates the sink.
    public init() {}

    /// Drops `event`.
    public func log(_ event: LogEvent) {}
}
