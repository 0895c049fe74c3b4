/// How much of a host's rate-limit budget is in use, as a ``RateLimitGovernor`` sees it: for metrics,
/// dashboards and bots that want to slow down on their own.
///
/// ```swift
/// let usage = governor.usage(forHost: "api.binance.com")
/// print(usage.usedWeight, "of", usage.limit ?? 0, "per", usage.window ?? 0, "s")
/// ```
public struct RateLimitUsage: Sendable, Hashable, CustomStringConvertible {
    /// The host, in lower case (with `:port` when the URL named one).
    public var host: String
    /// The weight counted in the current window: the larger of what was sent from here and what the
    /// exchange last reported (plus what was sent since).
    public var usedWeight: Int
    /// The weight allowed per window, if known (configured, or reported by the exchange).
    public var limit: Int?
    /// The window the limit applies to, in seconds, if known.
    public var window: TimeInterval?
    /// The used weight the exchange last reported in a response header, while its window lasts.
    public var reportedUsedWeight: Int?
    /// Until when the exchange has banned this host's requests (HTTP 418), if a ban is in force.
    public var bannedUntil: Date?
    /// Until when requests wait after a rate-limit answer (HTTP 429 `Retry-After`), if that is later than now.
    public var pausedUntil: Date?
    /// The earliest time a request of weight 1 may be sent (now, if it may be sent at once). During a
    /// ban this is the ban's end.
    public var nextAllowedAt: Date

    /// Creates a usage report.
    ///
    /// - Parameters:
    ///   - host: The host.
    ///   - usedWeight: The weight counted in the current window.
    ///   - limit: The weight allowed per window, if known.
    ///   - window: The window, in seconds, if known.
    ///   - reportedUsedWeight: The used weight the exchange last reported, if still current.
    ///   - bannedUntil: The end of a ban in force, if any.
    ///   - pausedUntil: The end of a rate-limit pause in force, if any.
    ///   - nextAllowedAt: The earliest time a request of weight 1 may be sent.
    public init(
        host: String, usedWeight: Int, limit: Int?, window: TimeInterval?, reportedUsedWeight: Int?,
        bannedUntil: Date?, pausedUntil: Date?, nextAllowedAt: Date
    ) {
        self.host = host
        self.usedWeight = usedWeight
        self.limit = limit
        self.window = window
        self.reportedUsedWeight = reportedUsedWeight
        self.bannedUntil = bannedUntil
        self.pausedUntil = pausedUntil
        self.nextAllowedAt = nextAllowedAt
    }

    /// Whether a ban is in force.
    public var isBanned: Bool { bannedUntil != nil }

    /// For example `api.binance.com: weight 1200/6000 per 60.0 s`.
    public var description: String {
        var text = "\(host): weight \(usedWeight)"
        if let limit { text += "/\(limit)" }
        if let window { text += " per \(window) s" }
        if let bannedUntil { text += "; banned until \(bannedUntil)" }
        if let pausedUntil { text += "; paused until \(pausedUntil)" }
        return text
    }
}
