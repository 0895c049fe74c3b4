/// Where TradeOnly's log events go: implement it to forward them to your logging system.
///
/// Shaped like swift-log's `LogHandler`, so an adapter is a few lines (TradeOnly itself depends on no
/// logging package):
///
/// ```swift
/// import Logging
///
/// struct SwiftLogSink: LogSink {
///     let logger: Logger
///     func log(_ event: LogEvent) {
///         logger.log(level: Logger.Level(rawValue: event.level.rawValue) ?? .info,
///                    "\(event.message)",
///                    metadata: event.metadata.mapValues { .string($0) })
///     }
/// }
/// ```
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
