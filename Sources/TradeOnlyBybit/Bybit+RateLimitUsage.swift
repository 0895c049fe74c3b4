import Foundation
import TradeOnly

extension Bybit {
    /// Bybit's rate-limit counters for one endpoint, from the last response's headers:
    /// `X-Bapi-Limit`, `X-Bapi-Limit-Status` and `X-Bapi-Limit-Reset-Timestamp`.
    ///
    /// Bybit limits each UID per endpoint over a rolling second (for example 10 orders per second on
    /// linear, 20 on spot); breaking it gives error `10006`.
    public struct RateLimitStatus: Sendable, Hashable, CustomStringConvertible {
        /// The endpoint, as `METHOD /path`, for example `POST /v5/order/create`.
        public var endpoint: String
        /// The endpoint's limit (`X-Bapi-Limit`), if sent.
        public var limit: Int?
        /// Requests left in the current window (`X-Bapi-Limit-Status`), if sent.
        public var remaining: Int?
        /// When the counter resets (`X-Bapi-Limit-Reset-Timestamp`), if sent.
        public var resetsAt: Date?
        /// When the response carrying these counters arrived (local time).
        public var observedAt: Date

        /// Creates a status.
        public init(endpoint: String, limit: Int?, remaining: Int?, resetsAt: Date?, observedAt: Date) {
            self.endpoint = endpoint
            self.limit = limit
            self.remaining = remaining
            self.resetsAt = resetsAt
            self.observedAt = observedAt
        }

        /// `POST /v5/order/create: 9 of 10 left`.
        public var description: String {
            let left = remaining.map(String.init) ?? "?"
            let of = limit.map(String.init) ?? "?"
            return "\(endpoint): \(left) of \(of) left"
        }
    }
}

/// Keeps the last rate-limit counters per endpoint, fed by the dialect's one rate-limit hook
/// (``BybitDialect/observe(_:_:)``).
final class BybitRateLimitTracker: Sendable {
    private let statuses = LockedValue<[String: Bybit.RateLimitStatus]>([:])

    func record(_ request: ExchangeRequest, _ response: HTTPResponse, at now: Date) {
        let limit = response.headers["X-Bapi-Limit"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let remaining = response.headers["X-Bapi-Limit-Status"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let reset = response.headers["X-Bapi-Limit-Reset-Timestamp"]
            .flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            .map(Timestamps.date(milliseconds:))
        guard limit != nil || remaining != nil || reset != nil else { return }
        let endpoint = "\(request.method.rawValue) \(request.path)"
        let status = Bybit.RateLimitStatus(
            endpoint: endpoint, limit: limit, remaining: remaining, resetsAt: reset, observedAt: now)
        statuses.withLock { $0[endpoint] = status }
    }

    var all: [Bybit.RateLimitStatus] {
        statuses.current.values.sorted { $0.endpoint < $1.endpoint }
    }

    func status(for endpoint: String) -> Bybit.RateLimitStatus? {
        statuses.current[endpoint]
    }
}

/// Bybit's per-endpoint counters (`X-Bapi-Limit`, `X-Bapi-Limit-Status`, `X-Bapi-Limit-Reset-Timestamp`)
/// in the shared ``RateLimitGovernor``'s terms: requests left for the endpoint until the reset.
enum BybitRateLimitHeaders {
    /// Requests left for one endpoint until a reset, in local time.
    struct Observation: Equatable {
        let remaining: Int
        let limit: Int?
        let resetAt: Date
        let key: String
    }

    /// The observation in a response: none unless it carries both the remaining count and the reset.
    ///
    /// Bybit writes the reset in its own clock's milliseconds; the governor counts in local time, so the
    /// reset is moved by the server clock's measured offset.
    static func observation(_ response: HTTPResponse, host: String, path: String, clock: ServerClock) -> Observation? {
        guard let remaining = integer(response.headers["X-Bapi-Limit-Status"]),
            let reset = integer(response.headers["X-Bapi-Limit-Reset-Timestamp"])
        else { return nil }
        let limit = integer(response.headers["X-Bapi-Limit"])
        let resetAt = Timestamps.date(milliseconds: Int64(reset)).addingTimeInterval(-(clock.offset ?? 0))
        return Observation(
            remaining: max(0, remaining), limit: limit, resetAt: resetAt, key: RateLimitGovernor.key(host: host, path: path))
    }

    private static func integer(_ text: String?) -> Int? {
        text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
