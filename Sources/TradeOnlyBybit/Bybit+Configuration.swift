import Foundation
import TradeOnly

extension Bybit {
    /// Settings of a ``Bybit`` instance and the clients it makes.
    ///
    /// ```swift
    /// var configuration = Bybit.Configuration()
    /// configuration.recvWindow = 3000
    /// configuration.additionalAllowedEndpoints = [.exact(.post, "/v5/position/set-leverage")]
    /// let bybit = Bybit(environment: .testnet, transport: URLSessionTransport(), configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// The longest recvWindow Bybit is asked for, in milliseconds.
        public static let maximumRecvWindow = 60_000

        /// How long after its timestamp Bybit still accepts a signed request, in milliseconds
        /// (`X-BAPI-RECV-WINDOW`). Defaults to 5000. Values are clamped to 1…60000: a long window is a
        /// long replay window.
        public var recvWindow: Int {
            didSet { recvWindow = Self.clamp(recvWindow) }
        }

        /// How long and how often to ask Bybit about an order whose placement (or cancel) had an
        /// unknown outcome, before reporting ``ExchangeError/Kind/outcomeUnknown``.
        ///
        /// Bybit refuses, before matching, any request older than its receive window, so an order
        /// still unknown to Bybit once ``recvWindow`` plus a second has passed can no longer execute:
        /// it is reported as not placed. Keep the deadline longer than that (the default, 10 s, is) to
        /// get that answer instead of ``ExchangeError/Kind/outcomeUnknown``.
        public var reconciliation: ReconciliationPolicy

        /// How much the request pipeline retries what is safe to retry: reads after transient
        /// failures; writes only when Bybit certainly did not execute them (never sent, or refused by a
        /// rate limit). A write that may have reached Bybit is never sent again, whatever this says.
        /// Defaults to ``RetryPolicy/standard``; ``RetryPolicy/none`` turns retries off (the one clock
        /// resync after `10002` still happens).
        public var retryPolicy: RetryPolicy

        /// Endpoints to allow on top of the built-in allow-list (``Bybit/builtInPolicy``), for
        /// ``BybitClient/perform(_:)``: for example `.exact(.post, "/v5/position/set-leverage")`.
        ///
        /// Deny rules always win: withdrawals, transfers, converts, loans, key management and the rest
        /// stay refused whatever is added here.
        public var additionalAllowedEndpoints: [EndpointPolicy.Rule]

        /// How long instruments read from Bybit are reused before they are read again, in seconds.
        /// Defaults to one hour (Bybit changes spot quantity limits twice a month, tick sizes rarely).
        public var instrumentCacheLifetime: TimeInterval

        /// How often a client verifies its key again with ``Bybit/keyInspector`` and the key's own
        /// policy, in seconds; `nil` for never. Defaults to one day (86400 s); shorter than 60 s counts
        /// as 60 s.
        ///
        /// A key is checked when it is verified; if its owner later enables withdrawals, only a new
        /// check notices. When one is due, the client's next signed request waits for it (one at a
        /// time: concurrent requests wait for the same check); a key that now fails its policy stops
        /// every signed request of the client with ``ExchangeError/Kind/unsafeKey``, and a check that
        /// cannot be completed fails that request, unsent, and is tried again before the next one.
        /// Besides this schedule, a client checks its key before its first signed request when the key
        /// was verified more than 60 s earlier (on the ``Bybit`` instance's time source), and after
        /// Bybit answers a signed request with an authentication, permission or IP error.
        ///
        /// `nil` turns the schedule off, which is unsafe: a long-running bot keeps trading with a key
        /// that has become able to withdraw. The start and error checks still happen.
        public var keyReverificationInterval: TimeInterval?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - recvWindow: The receive window in milliseconds; clamped to 1…60000. Defaults to 5000.
        ///   - reconciliation: How to settle an order whose outcome is unknown. Defaults to ``ReconciliationPolicy/standard``.
        ///   - retryPolicy: How much to retry what is safe to retry. Defaults to ``RetryPolicy/standard``.
        ///   - additionalAllowedEndpoints: Extra allow rules; deny rules still win. Defaults to none.
        ///   - instrumentCacheLifetime: How long to reuse instruments, in seconds. Defaults to 3600.
        ///   - keyReverificationInterval: How often clients verify their key again, in seconds; `nil`
        ///     for never (unsafe). Defaults to one day.
        public init(
            recvWindow: Int = 5000,
            reconciliation: ReconciliationPolicy = .standard,
            retryPolicy: RetryPolicy = .standard,
            additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
            instrumentCacheLifetime: TimeInterval = 3600,
            keyReverificationInterval: TimeInterval? = 86_400
        ) {
            self.keyReverificationInterval = keyReverificationInterval
            self.recvWindow = Self.clamp(recvWindow)
            self.reconciliation = reconciliation
            self.retryPolicy = retryPolicy
            self.additionalAllowedEndpoints = additionalAllowedEndpoints
            self.instrumentCacheLifetime = max(0, instrumentCacheLifetime)
        }

        private static func clamp(_ window: Int) -> Int {
            min(max(window, 1), maximumRecvWindow)
        }
    }
}
