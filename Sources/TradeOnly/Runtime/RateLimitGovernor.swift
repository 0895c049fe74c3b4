/// Keeps a client family's requests inside the exchange's rate limits, per host, so that the bot waits
/// a little instead of being refused (HTTP 429) or banned (Binance HTTP 418, from two minutes to three days).
///
/// One governor serves every client made from one exchange value (one `Binance`, one `Bybit`): the
/// exchange value creates it and hands it to each client's request pipeline, which
///
/// 1. calls ``acquire(host:weight:key:)`` before every attempt (before signing, so the timestamp is
///    taken after any wait);
/// 2. calls ``observe(_:host:path:)`` with every response;
/// 3. reports rate-limit and ban errors the exchange's classifier found.
///
/// What it enforces, per host (lower case, with `:port` when the URL names one):
///
/// - **A weight budget** over a sliding window (``Limit``), for example Binance spot `REQUEST_WEIGHT`
///   6000 per minute on `api.binance.com`, USDⓈ-M futures 2400 per minute on `fapi.binance.com`, Bybit
///   600 requests per 5 s per IP (weight 1 each). A request the budget cannot take waits until it can.
///   Each ``ExchangeRequest`` carries its ``ExchangeRequest/weight``, which exchange modules set from
///   the exchange's weight tables.
/// - **The exchange's own count**, which wins when it is higher: modules translate their usage headers
///   into ``record(usedWeight:limit:window:host:)`` (Binance `X-MBX-USED-WEIGHT-1M`) or
///   ``record(remaining:limit:resetAt:key:)`` (Bybit `X-Bapi-Limit-Status` and
///   `X-Bapi-Limit-Reset-Timestamp`, per endpoint: use ``key(host:path:)``), either directly or
///   through the `readUsage` closure given at creation.
/// - **429**: requests to the host wait until the advised `Retry-After` has passed.
/// - **418**: every request to the host is refused here, without touching the network, with
///   ``ExchangeError/Kind/banned`` and ``ExchangeError/bannedUntil``, until the ban ends.
///
/// A wait longer than ``maximumWait`` is not waited: the request is refused here with
/// ``ExchangeError/Kind/rateLimited`` and the wait as retry advice. The core knows no exchange's
/// headers or limits; exchange modules supply them.
///
/// ```swift
/// let governor = RateLimitGovernor(limits: [
///     "api.binance.com": .init(weight: 6000, per: 60),
///     "fapi.binance.com": .init(weight: 2400, per: 60),
/// ])
/// try await governor.acquire(host: "api.binance.com", weight: 20)
/// governor.usage(forHost: "api.binance.com").usedWeight   // 20
/// ```
///
/// Safe to share across tasks.
public final class RateLimitGovernor: Sendable {
    /// A weight budget: at most ``weight`` per ``window`` seconds.
    public struct Limit: Sendable, Hashable, CustomStringConvertible {
        /// The weight allowed per window (at least 1).
        public var weight: Int
        /// The window, in seconds.
        public var window: TimeInterval

        /// Creates a budget of `weight` per `window` seconds.
        ///
        /// - Parameters:
        ///   - weight: The weight allowed per window; values below 1 count as 1.
        ///   - window: The window, in seconds; values below 0.001 count as 0.001.
        public init(weight: Int, per window: TimeInterval) {
            self.weight = max(1, weight)
            self.window = window.isFinite ? max(0.001, window) : 60
        }

        /// For example `6000 per 60.0 s`.
        public var description: String { "\(weight) per \(window) s" }
    }

    /// What an exchange's response headers say about its rate limits, in the governor's terms.
    public enum Observation: Sendable, Hashable {
        /// The exchange counts `used` weight in the host's current window of `window` seconds (Binance
        /// `X-MBX-USED-WEIGHT-1M: 1200` is `.usedWeight(1200, limit: nil, window: 60)`).
        case usedWeight(Int, limit: Int?, window: TimeInterval)
        /// `remaining` requests are left for `key` (see ``RateLimitGovernor/key(host:path:)``) until
        /// `resetAt` (Bybit `X-Bapi-Limit-Status` and `X-Bapi-Limit-Reset-Timestamp`).
        case remaining(Int, limit: Int?, resetAt: Date, key: String)
    }

    /// Reads an exchange's rate-limit headers: the response, its host, and the request's path.
    public typealias UsageReader = @Sendable (_ response: HTTPResponse, _ host: String, _ path: String) -> [Observation]

    /// Where the governor reads the time.
    public let timeSource: any TimeSource
    /// How the governor waits.
    public let sleeper: any Sleeper
    /// The longest wait ``acquire(host:weight:key:)`` accepts, in seconds; a longer one is refused.
    public let maximumWait: TimeInterval
    /// How long a 418 ban lasts when the exchange does not say, in seconds (Binance bans start at two minutes).
    public let defaultBanDuration: TimeInterval
    /// How long requests wait after a 429 that carries no `Retry-After`, in seconds.
    public let defaultPause: TimeInterval

    private let readUsage: UsageReader?
    private let logger: TradeOnlyLogger
    private let state: LockedValue<State>

    /// Creates a governor.
    ///
    /// - Parameters:
    ///   - limits: Weight budgets by host (for example `"api.binance.com": .init(weight: 6000, per: 60)`).
    ///     Hosts without one are only held back by pauses, bans and what the exchange reports.
    ///   - maximumWait: The longest wait accepted before a request, in seconds. Defaults to 60.
    ///   - defaultBanDuration: How long a 418 ban lasts without `Retry-After`, in seconds. Defaults to 120.
    ///   - defaultPause: How long requests wait after a 429 without `Retry-After`, in seconds. Defaults to 1.
    ///   - timeSource: Where the time comes from. Defaults to the system clock.
    ///   - sleeper: How to wait. Defaults to ``TaskSleeper``.
    ///   - logger: Where waits and bans are logged. Off by default.
    ///   - readUsage: Translates an exchange's usage headers into ``Observation``s; called by
    ///     ``observe(_:host:path:)`` for every response.
    public init(
        limits: [String: Limit] = [:],
        maximumWait: TimeInterval = 60,
        defaultBanDuration: TimeInterval = 120,
        defaultPause: TimeInterval = 1,
        timeSource: some TimeSource = .system,
        sleeper: some Sleeper = TaskSleeper(),
        logger: TradeOnlyLogger = .disabled,
        readUsage: UsageReader? = nil
    ) {
        self.timeSource = timeSource
        self.sleeper = sleeper
        self.maximumWait = maximumWait.isNaN ? 0 : max(0, maximumWait)
        self.defaultBanDuration = defaultBanDuration.isFinite ? max(0, defaultBanDuration) : 120
        self.defaultPause = defaultPause.isFinite ? max(0, defaultPause) : 1
        self.logger = logger
        self.readUsage = readUsage
        var initial = State()
        for (host, limit) in limits {
            initial.hosts[Self.normalized(host), default: HostState()].limit = limit
        }
        state = LockedValue(initial)
    }

    /// The key for a per-endpoint limit (Bybit's per-UID, per-endpoint limits): `host` + `path`, in
    /// lower case. The pipeline checks this key before every request.
    ///
    /// - Parameters:
    ///   - host: The host, as the pipeline names it (`api.bybit.com`).
    ///   - path: The request's path (`/v5/order/create`).
    public static func key(host: String, path: String) -> String {
        normalized(host) + path.lowercased()
    }

    /// Sets (or, with `nil`, removes) the weight budget of `host`.
    ///
    /// - Parameters:
    ///   - limit: The budget.
    ///   - host: The host.
    public func setLimit(_ limit: Limit?, forHost host: String) {
        state.withLock { $0.hosts[Self.normalized(host), default: HostState()].limit = limit }
    }

    /// Waits until a request of `weight` may be sent to `host`, then counts it.
    ///
    /// - Parameters:
    ///   - host: The request's host.
    ///   - weight: The request's weight (values below 1 count as 1).
    ///   - key: A per-endpoint key (see ``key(host:path:)``) whose reported remaining count is checked too.
    /// - Throws: ``ExchangeError/Kind/banned`` at once while the host is banned;
    ///   ``ExchangeError/Kind/rateLimited`` if the wait would be longer than ``maximumWait``;
    ///   `CancellationError` if the task is cancelled while waiting. Nothing is counted when it throws.
    public func acquire(host: String, weight: Int = 1, key: String? = nil) async throws {
        let host = Self.normalized(host)
        let weight = max(1, weight)
        var logged = false
        let start = timeSource.now()
        var slept: TimeInterval = 0
        while true {
            // Time spent sleeping counts even if the time source stands still (a test clock, a frozen
            // clock): a wait can never turn into an endless loop.
            let now = max(timeSource.now(), start.addingTimeInterval(slept))
            let decision = state.withLock { state -> Decision in
                // Taken out of the dictionary while it changes, so its arrays are mutated in place
                // (not copied on every request), and always put back.
                var hostState = state.hosts.removeValue(forKey: host) ?? HostState()
                defer { state.hosts[host] = hostState }
                hostState.prune(now: now)
                if let until = hostState.bannedUntil, until > now { return .banned(until) }
                var readyAt = hostState.readyAt(weight: weight, now: now)
                if let key, let keyState = state.keys[key], keyState.remaining <= 0, keyState.resetAt > now {
                    readyAt = max(readyAt, keyState.resetAt)
                }
                if readyAt <= now {
                    hostState.reserve(weight, at: now)
                    if let key, state.keys[key] != nil { state.keys[key]?.remaining -= 1 }
                    return .send
                }
                return .wait(readyAt.timeIntervalSince(now))
            }
            switch decision {
            case .send:
                return
            case .banned(let until):
                throw ExchangeError(
                    .banned,
                    message: "\(host) has banned this IP until \(until); TradeOnly refuses every request to it until then (nothing was sent)",
                    retry: .retryAfter(seconds: until.timeIntervalSince(now)), bannedUntil: until)
            case .wait(let seconds):
                if seconds > maximumWait {
                    throw ExchangeError(
                        .rateLimited,
                        message:
                            "the rate limit for \(host) needs a \(Self.rounded(seconds)) s wait, more than the \(maximumWait) s this client accepts; the request was not sent",
                        retry: .retryAfter(seconds: seconds))
                }
                if !logged {
                    logged = true
                    logWait(seconds, host: host, weight: weight)
                }
                try await sleeper.sleep(for: seconds)
                slept += seconds
            }
        }
    }

    /// Logs a wait before a request: at `info` when it is longer than ``loggedWaitThreshold`` (a bot
    /// that goes quiet for a minute says why), at `debug` otherwise (short waits are the normal pace
    /// of a busy bot), with what holds the request back.
    private func logWait(_ seconds: TimeInterval, host: String, weight: Int) {
        let level: LogLevel = seconds > Self.loggedWaitThreshold ? .info : .debug
        let (paused, limit) = state.withLock { state -> (Bool, Limit?) in
            let hostState = state.hosts[host]
            return ((hostState?.pausedUntil).map { $0 > timeSource.now() } ?? false, hostState?.limit)
        }
        var metadata = ["tradeonly.host": host, "tradeonly.weight": "\(weight)", "tradeonly.wait": Self.rounded(seconds)]
        let detail: String
        if paused {
            detail = "the exchange asked for a pause (HTTP 429)"
        } else if let limit {
            detail = "budget \(limit.weight) weight per \(Self.rounded(limit.window)) s, and what the exchange reports"
            metadata["tradeonly.budget"] = "\(limit)"
        } else {
            detail = "the limit the exchange reports"
        }
        logger.log(level, "waiting \(Self.rounded(seconds)) s for the rate limit of \(host) (\(detail))", metadata: metadata)
    }

    /// Waits longer than this, in seconds, are logged at `info`; shorter ones at `debug`.
    public static let loggedWaitThreshold: TimeInterval = 1

    /// Records the weight the exchange says is used in the host's current window (for Binance, the
    /// `X-MBX-USED-WEIGHT-1M` header). The higher of this and the local count governs until the window
    /// has passed.
    ///
    /// - Parameters:
    ///   - usedWeight: The weight the exchange counts.
    ///   - limit: The weight allowed per window, if the exchange says (it then replaces the host's budget).
    ///   - window: The window the count is for, in seconds.
    ///   - host: The host.
    public func record(usedWeight: Int, limit: Int? = nil, window: TimeInterval, host: String) {
        let now = timeSource.now()
        state.withLock { state in
            let host = Self.normalized(host)
            var hostState = state.hosts.removeValue(forKey: host) ?? HostState()
            if let limit { hostState.limit = Limit(weight: limit, per: window) }
            hostState.reported = Reported(used: max(0, usedWeight), at: now, window: max(0.001, window))
            hostState.prune(now: now)
            state.hosts[host] = hostState
        }
    }

    /// Records how many requests the exchange says are left for `key` until `resetAt` (for Bybit,
    /// `X-Bapi-Limit-Status` and `X-Bapi-Limit-Reset-Timestamp`). While none are left and `resetAt` is
    /// ahead, requests with this key wait for it. Each request sent counts one down until the next report.
    ///
    /// - Parameters:
    ///   - remaining: The requests left.
    ///   - limit: The limit, if the exchange says (`X-Bapi-Limit`).
    ///   - resetAt: When the count resets.
    ///   - key: The endpoint's key; see ``key(host:path:)``.
    public func record(remaining: Int, limit: Int? = nil, resetAt: Date, key: String) {
        state.withLock { $0.keys[key] = KeyState(remaining: remaining, limit: limit, resetAt: resetAt) }
    }

    /// Makes every request to `host` wait `seconds` from now (after a 429).
    ///
    /// - Parameters:
    ///   - host: The host.
    ///   - seconds: How long to wait.
    public func pause(host: String, for seconds: TimeInterval) {
        guard seconds > 0, seconds.isFinite else { return }
        let until = timeSource.now().addingTimeInterval(seconds)
        state.withLock { state in
            let host = Self.normalized(host)
            let current = state.hosts[host]?.pausedUntil ?? .distantPast
            state.hosts[host, default: HostState()].pausedUntil = max(current, until)
        }
    }

    /// Refuses every request to `host` until `until` (after a 418, or an exchange's "banned until" message).
    /// A later ban end wins over an earlier one.
    ///
    /// - Parameters:
    ///   - host: The host.
    ///   - until: When the ban ends.
    public func ban(host: String, until: Date) {
        let host = Self.normalized(host)
        let changed = state.withLock { state -> Bool in
            let current = state.hosts[host]?.bannedUntil ?? .distantPast
            guard until > current else { return false }
            state.hosts[host, default: HostState()].bannedUntil = until
            return true
        }
        if changed {
            logger.warning(
                "\(host) banned this IP until \(until): every request to it is refused until then",
                metadata: ["tradeonly.host": host])
        }
    }

    /// Learns from a response: a 418 bans the host (until `Retry-After`, or ``defaultBanDuration``), a
    /// 429 pauses it (for `Retry-After`, or ``defaultPause``), and the `readUsage` closure given at
    /// creation translates the exchange's usage headers.
    ///
    /// - Parameters:
    ///   - response: The response.
    ///   - host: The host it came from.
    ///   - path: The request's path (for per-endpoint keys).
    public func observe(_ response: HTTPResponse, host: String, path: String = "") {
        let retryAfter = ResponseClassification.retryAfterSeconds(response)
        switch response.status {
        case 418:
            ban(host: host, until: timeSource.now().addingTimeInterval(retryAfter ?? defaultBanDuration))
        case 429:
            pause(host: host, for: retryAfter ?? defaultPause)
        default:
            break
        }
        guard let readUsage else { return }
        for observation in readUsage(response, Self.normalized(host), path) {
            switch observation {
            case .usedWeight(let used, let limit, let window):
                record(usedWeight: used, limit: limit, window: window, host: host)
            case .remaining(let remaining, let limit, let resetAt, let key):
                record(remaining: remaining, limit: limit, resetAt: resetAt, key: key)
            }
        }
    }

    /// The host's current usage.
    ///
    /// - Parameter host: The host.
    public func usage(forHost host: String) -> RateLimitUsage {
        let host = Self.normalized(host)
        let now = timeSource.now()
        return state.withLock { state in
            var hostState = state.hosts.removeValue(forKey: host) ?? HostState()
            hostState.prune(now: now)
            state.hosts[host] = hostState
            let banned = hostState.bannedUntil.flatMap { $0 > now ? $0 : nil }
            let paused = hostState.pausedUntil.flatMap { $0 > now ? $0 : nil }
            let reported = hostState.currentReport(now: now)
            return RateLimitUsage(
                host: host,
                usedWeight: hostState.usedWeight(now: now),
                limit: hostState.limit?.weight,
                window: hostState.limit?.window ?? reported?.window,
                reportedUsedWeight: reported?.used,
                bannedUntil: banned,
                pausedUntil: paused,
                nextAllowedAt: banned ?? hostState.readyAt(weight: 1, now: now))
        }
    }

    /// The requests left for a per-endpoint key, as last reported and counted down since, or `nil` if
    /// nothing was reported or the report's reset time has passed.
    ///
    /// - Parameter key: The key; see ``key(host:path:)``.
    public func remaining(forKey key: String) -> Int? {
        let now = timeSource.now()
        return state.withLock { state in
            guard let keyState = state.keys[key], keyState.resetAt > now else { return nil }
            return max(0, keyState.remaining)
        }
    }

    // MARK: - State

    private enum Decision {
        case send
        case wait(TimeInterval)
        case banned(Date)
    }

    private struct Reported: Sendable {
        var used: Int
        var at: Date
        var window: TimeInterval
    }

    private struct KeyState: Sendable {
        var remaining: Int
        var limit: Int?
        var resetAt: Date
    }

    private struct HostState: Sendable {
        var limit: Limit?
        /// Weight sent from here, oldest first; the live ones start at ``head`` (expired ones are
        /// skipped by moving ``head`` and dropped in batches, not shifted out one by one).
        var entries: [(time: Date, weight: Int)] = []
        var head = 0
        var total = 0
        var reported: Reported?
        var pausedUntil: Date?
        var bannedUntil: Date?

        mutating func prune(now: Date) {
            let window = limit?.window ?? reported?.window ?? 60
            let cutoff = now.addingTimeInterval(-window)
            while head < entries.count, entries[head].time <= cutoff {
                total -= entries[head].weight
                head += 1
            }
            if head >= 256 && head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
            if let reported, now >= reported.at.addingTimeInterval(reported.window) { self.reported = nil }
        }

        mutating func reserve(_ weight: Int, at now: Date) {
            entries.append((now, weight))
            total += weight
        }

        func currentReport(now: Date) -> Reported? {
            guard let reported, now < reported.at.addingTimeInterval(reported.window) else { return nil }
            return reported
        }

        /// Weight sent from here after `date`.
        func weightSent(after date: Date) -> Int {
            var sum = 0
            for entry in entries[head...].reversed() {
                guard entry.time > date else { break }
                sum += entry.weight
            }
            return sum
        }

        func usedWeight(now: Date) -> Int {
            guard let report = currentReport(now: now) else { return total }
            return max(total, report.used + weightSent(after: report.at))
        }

        /// The earliest time a request of `weight` fits: pauses, the local sliding window, and the
        /// exchange's reported count.
        func readyAt(weight: Int, now: Date) -> Date {
            var ready = now
            if let pausedUntil, pausedUntil > ready { ready = pausedUntil }
            guard let limit else { return ready }
            if total + weight > limit.weight, head < entries.count, let last = entries.last {
                if weight >= limit.weight {
                    // Heavier than the whole budget: send it alone, once everything else has expired.
                    ready = max(ready, last.time.addingTimeInterval(limit.window))
                } else {
                    var excess = total + weight - limit.weight
                    for entry in entries[head...] {
                        excess -= entry.weight
                        if excess <= 0 {
                            ready = max(ready, entry.time.addingTimeInterval(limit.window))
                            break
                        }
                    }
                }
            }
            if let report = currentReport(now: now),
                report.used + weightSent(after: report.at) + weight > limit.weight
            {
                ready = max(ready, report.at.addingTimeInterval(report.window))
            }
            return ready
        }
    }

    private struct State: Sendable {
        var hosts: [String: HostState] = [:]
        var keys: [String: KeyState] = [:]
    }

    private static func normalized(_ host: String) -> String {
        // Hosts as the pipeline names them are already printable ASCII without capitals: skip the
        // Foundation calls (trimmingCharacters goes through NSString on Linux, microseconds a request).
        if host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !($0 >= 0x41 && $0 <= 0x5A) }) { return host }
        return host.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func rounded(_ seconds: Double) -> String {
        String(format: "%.3f", seconds)
    }
}
