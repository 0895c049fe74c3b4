import TradeOnly

extension Binance {
    /// Settings for every client a ``Binance`` value makes.
    ///
    /// ```swift
    /// var configuration = Binance.Configuration()
    /// configuration.recvWindow = 3000
    /// configuration.additionalAllowedEndpoints = [.exact(.post, "/fapi/v1/leverage")]
    /// let binance = Binance(environment: .demo, transport: URLSessionTransport(), configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// The receive window sent with every signed request, in milliseconds: how long after its
        /// timestamp Binance still accepts it. Binance's default is 5000 and its maximum 60000.
        ///
        /// Keep it small: a request delayed in the network should fail, not execute late. TradeOnly
        /// keeps the clock in sync with Binance instead of widening the window. A value outside
        /// 1...60000 makes every signed request fail with ``ExchangeError/Kind/invalidRequest``
        /// before anything is sent.
        public var recvWindow: Int

        /// How much a failed request is retried. Whether it may be retried at all is fixed: reads after
        /// transient failures, writes only when Binance certainly did not execute them (never sent, or
        /// refused by a rate limit); a clock error is resynchronised and retried once whatever this
        /// says. See ``RetryPolicy``.
        public var retryPolicy: RetryPolicy

        /// How long and how often to ask about an order whose placement or cancel had an unknown
        /// outcome (a timeout or a 5xx after sending) before reporting
        /// ``ExchangeError/Kind/outcomeUnknown``. Binance refuses, before matching, a request older
        /// than its receive window, so a lookup that still finds nothing once ``recvWindow`` (plus a
        /// second) has passed decides "not placed": keep the deadline longer than that (the standard
        /// policy asks for 10 s).
        public var reconciliation: ReconciliationPolicy

        /// Endpoints to allow on top of TradeOnly's built-in Binance allow-list, for endpoints the
        /// client does not wrap (for example `.exact(.post, "/fapi/v1/leverage")`). Deny rules still
        /// win: no rule here can make a withdrawal, transfer or other denied endpoint callable.
        public var additionalAllowedEndpoints: [EndpointPolicy.Rule]

        /// How long a client trusts the instruments (trading rules) it has cached, in seconds, before
        /// fetching them again. Binance changes tick and step sizes from time to time.
        public var instrumentCacheLifetime: TimeInterval

        /// How often a client verifies its key again with ``Binance/keyInspector`` and the key's own
        /// policy, in seconds; `nil` for never. Defaults to one day (86400 s); shorter than 60 s counts
        /// as 60 s.
        ///
        /// A key is checked when it is verified; if its owner later enables withdrawals, only a new
        /// check notices. When one is due, the client's next signed request waits for it (one at a
        /// time: concurrent requests wait for the same check); a key that now fails its policy stops
        /// every signed request of the client with ``ExchangeError/Kind/unsafeKey``, and a check that
        /// cannot be completed fails that request, unsent, and is tried again before the next one.
        /// Besides this schedule, a client checks its key before its first signed request when the key
        /// was verified more than 60 s earlier (on the ``Binance`` value's time source), and after
        /// Binance answers a signed request with an authentication, permission or IP error.
        ///
        /// `nil` turns the schedule off, which is unsafe: a long-running bot keeps trading with a key
        /// that has become able to withdraw. The start and error checks still happen.
        public var keyReverificationInterval: TimeInterval?

        /// The range ``recvWindow`` must be in, in milliseconds.
        public static let recvWindowRange = 1...60_000

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - recvWindow: The receive window, in milliseconds (1...60000). Defaults to 5000.
        ///   - retryPolicy: How much failed requests are retried. Defaults to ``RetryPolicy/standard``.
        ///   - reconciliation: How to settle unknown outcomes. Defaults to ``ReconciliationPolicy/standard``.
        ///   - additionalAllowedEndpoints: Extra endpoints to allow. Defaults to none.
        ///   - instrumentCacheLifetime: How long cached instruments are trusted, in seconds. Defaults to one hour.
        ///   - keyReverificationInterval: How often clients verify their key again, in seconds; `nil`
        ///     for never (unsafe). Defaults to one day.
        public init(
            recvWindow: Int = 5000,
            retryPolicy: RetryPolicy = .standard,
            reconciliation: ReconciliationPolicy = .standard,
            additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
            instrumentCacheLifetime: TimeInterval = 3600,
            keyReverificationInterval: TimeInterval? = 86_400
        ) {
            self.recvWindow = recvWindow
            self.retryPolicy = retryPolicy
            self.reconciliation = reconciliation
            self.additionalAllowedEndpoints = additionalAllowedEndpoints
            self.instrumentCacheLifetime = instrumentCacheLifetime
            self.keyReverificationInterval = keyReverificationInterval
        }

        /// Throws unless the configuration can be used.
        ///
        /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` naming the setting.
        public func validate() throws {
            guard Self.recvWindowRange.contains(recvWindow) else {
                throw ExchangeError(
                    .invalidRequest,
                    message: "Binance.Configuration.recvWindow is \(recvWindow) ms; Binance accepts 1 to 60000 ms "
                        + "(5000 is the default; keep it small and let TradeOnly keep the clock in sync)",
                    exchange: Binance.exchangeName)
            }
        }
    }
}
