import Logging
import TradeOnly

/// A TradeOnly `LogSink` that forwards every event to a swift-log `Logger`.
///
/// ```swift
/// import Logging
/// import TradeOnly
/// import TradeOnlySwiftLog
///
/// let logger = TradeOnlyLogger(swiftLog: Logger(label: "mybot.exchange"))
/// let bybit = Bybit(environment: .testnet, transport: URLSessionTransport(), logger: logger)
/// ```
///
/// Events arrive redacted (no key, secret or signature gets here) and already filtered by level.
/// Their metadata becomes string metadata, and the exchange they concern `tradeonly.exchange`.
///
/// TradeOnly and swift-log both name a type `LogEvent`: where both modules are imported, write
/// `TradeOnly.LogEvent` (an unqualified `LogEvent` is ambiguous with swift-log 1.11 and later).
public struct SwiftLogSink: LogSink {
    /// The swift-log logger events go to.
    public let logger: Logger

    /// Creates a sink that forwards to `logger`.
    ///
    /// - Parameter logger: The swift-log logger (its handler and metadata apply as usual).
    public init(_ logger: Logger) {
        self.logger = logger
    }

    /// Forwards `event` to the swift-log logger, at the same level.
    ///
    /// - Parameter event: The redacted event.
    public func log(_ event: TradeOnly.LogEvent) {
        var metadata = Logger.Metadata()
        for (key, value) in event.metadata {
            metadata[key] = .string(value)
        }
        if let exchange = event.exchange {
            metadata["tradeonly.exchange"] = .string(exchange)
        }
        logger.log(level: Logger.Level(event.level), "\(event.message)", metadata: metadata)
    }
}

extension Logger.Level {
    /// The swift-log level of a TradeOnly level (the two have the same seven levels and names).
    ///
    /// - Parameter level: The TradeOnly level.
    public init(_ level: TradeOnly.LogLevel) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}

extension TradeOnly.LogLevel {
    /// The TradeOnly level of a swift-log level.
    ///
    /// - Parameter level: The swift-log level.
    public init(_ level: Logger.Level) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}

extension TradeOnlyLogger {
    /// A logger that writes to a swift-log `Logger`, from that logger's level up (so TradeOnly does
    /// not build messages swift-log would drop).
    ///
    /// - Parameters:
    ///   - logger: The swift-log logger.
    ///   - exchange: The exchange events concern, if any (exchange values set their own).
    public init(swiftLog logger: Logger, exchange: String? = nil) {
        self.init(sink: SwiftLogSink(logger), minimumLevel: TradeOnly.LogLevel(logger.logLevel), exchange: exchange)
    }
}
