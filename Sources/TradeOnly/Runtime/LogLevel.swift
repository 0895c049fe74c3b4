/// How important a log event is, from ``trace`` (most detail) to ``critical``.
///
/// The raw values are swift-log's `Logger.Level` raw values, so an adapter converts with
/// `Logger.Level(rawValue: level.rawValue)`.
public enum LogLevel: String, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Fine-grained detail: every request and response, redacted.
    case trace
    /// Detail useful when debugging.
    case debug
    /// Normal operation worth recording.
    case info
    /// Normal but significant: a clock resync, a retry.
    case notice
    /// Something unexpected that TradeOnly handled.
    case warning
    /// An operation failed.
    case error
    /// The client cannot continue (for example an IP ban).
    case critical

    private var severity: Int {
        switch self {
        case .trace: return 0
        case .debug: return 1
        case .info: return 2
        case .notice: return 3
        case .warning: return 4
        case .error: return 5
        case .critical: return 6
        }
    }

    /// Whether `lhs` is less severe than `rhs`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.severity < rhs.severity
    }

    /// The level's name, for example `"warning"`.
    public var description: String { rawValue }
}
