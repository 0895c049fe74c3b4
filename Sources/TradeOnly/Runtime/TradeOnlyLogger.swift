/// The logger exchange clients write to: a ``LogSink``, a minimum level, and redaction of everything
/// that passes through. Off by default.
///
/// ```swift
/// let logger = TradeOnlyLogger(sink: mySink, minimumLevel: .debug)
/// logger.debug("sending request", metadata: ["tradeonly.query": query])
/// ```
///
/// Before an event reaches the sink, its message and metadata values go through
/// ``Redaction/redactText(_:)``, and the value of any metadata key that names a sensitive header or
/// parameter (`X-MBX-APIKEY`, `signature`, …) is replaced outright. Secrets should never be handed to
/// a logger in the first place; this is the net under that rule.
///
/// Messages and metadata are built only if the level is enabled.
public struct TradeOnlyLogger: Sendable {
    /// Where events go.
    public var sink: any LogSink

    /// The least important level that is emitted, or `nil` to emit nothing.
    public var minimumLevel: LogLevel?

    /// The exchange events concern, copied into each event.
    public var exchange: String?

    /// Metadata added to every event (an event's own metadata wins on a clash).
    public var metadata: [String: String]

    /// Where event times come from.
    public var timeSource: any TimeSource

    /// A logger that emits nothing: the default everywhere.
    public static var disabled: TradeOnlyLogger { TradeOnlyLogger() }

    /// Creates a logger that emits nothing.
    public init() {
        sink = DisabledLogSink()
        minimumLevel = nil
        exchange = nil
        metadata = [:]
        timeSource = SystemTimeSource()
    }

    /// Creates a logger that emits events at `minimumLevel` and above to `sink`.
    ///
    /// - Parameters:
    ///   - sink: Where events go.
    ///   - minimumLevel: The least important level emitted. Defaults to ``LogLevel/info``.
    ///   - exchange: The exchange events concern, if any.
    ///   - metadata: Metadata added to every event.
    ///   - timeSource: Where event times come from. Defaults to the system clock.
    public init(
        sink: some LogSink, minimumLevel: LogLevel = .info, exchange: String? = nil,
        metadata: [String: String] = [:], timeSource: some TimeSource = .system
    ) {
        self.sink = sink
        self.minimumLevel = minimumLevel
        self.exchange = exchange
        self.metadata = metadata
        self.timeSource = timeSource
    }

    /// This logger, with events marked as concerning `exchange`.
    ///
    /// - Parameter exchange: The exchange's name, for example `"binance"`.
    public func forExchange(_ exchange: String) -> TradeOnlyLogger {
        var copy = self
        copy.exchange = exchange
        return copy
    }

    /// Whether events at `level` are emitted.
    ///
    /// - Parameter level: The level to ask about.
    public func isEnabled(_ level: LogLevel) -> Bool {
        guard let minimumLevel else { return false }
        return level >= minimumLevel
    }

    /// Emits a redacted event at `level`, if that level is enabled.
    ///
    /// - Parameters:
    ///   - level: How important the event is.
    ///   - message: What happened; built only if the level is enabled.
    ///   - metadata: Structured details; built only if the level is enabled.
    public func log(
        _ level: LogLevel, _ message: @autoclosure () -> String,
        metadata: @autoclosure () -> [String: String] = [:]
    ) {
        guard isEnabled(level) else { return }
        let merged = self.metadata.merging(metadata()) { _, new in new }
        var redacted: [String: String] = [:]
        for (key, value) in merged {
            redacted[key] =
                Redaction.isSensitiveHeader(key) || Redaction.isSensitiveParameter(key)
                ? Redaction.placeholder
                : Redaction.redactText(value)
        }
        sink.log(
            LogEvent(
                level: level,
                message: Redaction.redactText(message()),
                metadata: redacted,
                exchange: exchange,
                time: timeSource.now()
            ))
    }

    /// Emits a ``LogLevel/trace`` event. See ``log(_:_:metadata:)``.
    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.trace, message(), metadata: metadata())
    }

    /// Emits a ``LogLevel/debug`` event. See ``log(_:_:metadata:)``.
    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.debug, message(), metadata: metadata())
    }

    /// Emits a ``LogLevel/info`` event. See ``log(_:_:metadata:)``.
    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.info, message(), metadata: metadata())
    }

    /// Emits a ``LogLevel/notice`` event. See ``log(_:_:metadata:)``.
    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.notice, message(), metadata: metadata())
    }

    /// Emits a ``LogLevel/warning`` event. See ``log(_:_:metadata:)``.
    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.warning, message(), metadata: metadata())
    }

    /// Emits a ``LogLevel/error`` event. See ``log(_:_:metadata:)``.
    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.error, message(), metadata: metadata())
    }

    /// Emits a ``LogLevel/critical`` event. See ``log(_:_:metadata:)``.
    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.critical, message(), metadata: metadata())
    }
}
