/// A ``LogSink`` that keeps every event in memory: for tests, and for showing recent activity.
///
/// ```swift
/// let sink = InMemoryLogSink()
/// let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
/// // … run the client …
/// #expect(sink.lines.allSatisfy { !$0.contains(apiKey) })
/// ```
///
/// Safe to use from any task.
public final class InMemoryLogSink: LogSink {
    private let storage = LockedValue<[LogEvent]>([])

    /// Creates an empty sink.
    public init() {}

    /// Keeps `event`.
    public func log(_ event: LogEvent) {
        storage.withLock { $0.append(event) }
    }

    /// The events received, oldest first.
    public var events: [LogEvent] {
        storage.current
    }

    /// The events as one line each, oldest first: `level [exchange] message key=value …`, with the
    /// metadata sorted by key and no timestamp (so tests can compare lines).
    public var lines: [String] {
        events.map(Self.line(for:))
    }

    /// Forgets every event received so far.
    public func removeAll() {
        storage.withLock { $0.removeAll() }
    }

    static func line(for event: LogEvent) -> String {
        var line = event.level.rawValue
        if let exchange = event.exchange { line += " [\(exchange)]" }
        line += " " + event.message
        for key in event.metadata.keys.sorted() {
            line += " \(key)=\(event.metadata[key] ?? "")"
        }
        return line
    }
}
