/// One thing TradeOnly logged: what a ``LogSink`` receives.
///
/// By the time an event reaches a sink, TradeOnly has redacted it: it holds no secret, signature,
/// API key, authentication header value or signed query string.
public struct LogEvent: Sendable, Hashable {
    /// How important the event is.
    public var level: LogLevel
    /// What happened, in plain words.
    public var message: String
    /// Structured details, for example `["tradeonly.method": "POST", "tradeonly.path": "/api/v3/order"]`.
    public var metadata: [String: String]
    /// The exchange the event concerns (`"binance"`, …), if any.
    public var exchange: String?
    /// When the event happened.
    public var time: Date

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - level: How important the event is.
    ///   - message: What happened.
    ///   - metadata: Structured details.
    ///   - exchange: The exchange concerned, if any.
    ///   - time: When it happened.
    public init(
        level: LogLevel, message: String, metadata: [String: String] = [:], exchange: String? = nil,
        time: Date
    ) {
        self.level = level
        self.message = message
        self.metadata = metadata
        self.exchange = exchange
        self.time = time
    }
}
