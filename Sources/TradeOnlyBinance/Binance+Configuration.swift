import TradeOnly

extension Binance {
    /// Settings for every client a ``Binance`` value makes: the core ``ExchangeConfiguration``
    /// (``common``), whose fields are also properties of this type.
    ///
    /// ```swift
    /// var configuration = Binance.Configuration()
    /// configuration.receiveWindow = 3000
    /// configuration.additionalAllowedEndpoints = [.exact(.post, "/fapi/v1/leverage")]
    /// let binance = Binance(environment: .demo, transport: URLSessionTransport(), configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// The settings every exchange module shares.
        public var common: ExchangeConfiguration

        /// The receive window sent with every signed request, in milliseconds: how long after its
        /// timestamp Binance still accepts it. Binance's default is 5000 and its maximum 60000.
        ///
        /// Keep it small: a request delayed in the network should fail, not execute late. TradeOnly
        /// keeps the clock in sync with Binance instead of widening the window. A value outside
        /// 1...60000 makes every signed request fail with ``ExchangeError/Kind/invalidRequest``
        /// before anything is sent.
        public var receiveWindow: Int {
            get { common.receiveWindow }
            set { common.receiveWindow = newValue }
        }

        /// How much a failed request is retried (``ExchangeConfiguration/retryPolicy``).
        public var retryPolicy: RetryPolicy {
            get { common.retryPolicy }
            set { common.retryPolicy = newValue }
        }

        /// How to settle an order whose outcome is unknown (``ExchangeConfiguration/reconciliation``).
        /// Binance refuses, before matching, a request older than its receive window, so a lookup that
        /// still finds nothing once ``receiveWindow`` (plus a second) has passed decides "not placed".
        public var reconciliation: ReconciliationPolicy {
            get { common.reconciliation }
            set { common.reconciliation = newValue }
        }

        /// Endpoints to allow on top of ``Binance/builtInPolicy``, for endpoints the client does not
        /// wrap (for example `.exact(.post, "/fapi/v1/leverage")`). Deny rules still win.
        public var additionalAllowedEndpoints: [EndpointPolicy.Rule] {
            get { common.additionalAllowedEndpoints }
            set { common.additionalAllowedEndpoints = newValue }
        }

        /// How long a client trusts its cached instruments, in seconds
        /// (``ExchangeConfiguration/instrumentCacheLifetime``). Binance changes tick and step sizes
        /// from time to time.
        public var instrumentCacheLifetime: TimeInterval {
            get { common.instrumentCacheLifetime }
            set { common.instrumentCacheLifetime = newValue }
        }

        /// How often a client verifies its key again with ``Binance/keyInspector``, in seconds; `nil`
        /// for never (unsafe). See ``ExchangeConfiguration/keyReverificationInterval``.
        public var keyReverificationInterval: TimeInterval? {
            get { common.keyReverificationInterval }
            set { common.keyReverificationInterval = newValue }
        }

        /// The range ``receiveWindow`` must be in, in milliseconds.
        public static let receiveWindowRange = ExchangeConfiguration.receiveWindowRange

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - receiveWindow: The receive window, in milliseconds (1...60000). Defaults to 5000.
        ///   - retryPolicy: How much failed requests are retried. Defaults to ``RetryPolicy/standard``.
        ///   - reconciliation: How to settle unknown outcomes. Defaults to ``ReconciliationPolicy/standard``.
        ///   - additionalAllowedEndpoints: Extra endpoints to allow. Defaults to none.
        ///   - instrumentCacheLifetime: How long cached instruments are trusted, in seconds. Defaults to one hour.
        ///   - keyReverificationInterval: How often clients verify their key again, in seconds; `nil`
        ///     for never (unsafe). Defaults to one day.
        public init(
            receiveWindow: Int = 5000,
            retryPolicy: RetryPolicy = .standard,
            reconciliation: ReconciliationPolicy = .standard,
            additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
            instrumentCacheLifetime: TimeInterval = 3600,
            keyReverificationInterval: TimeInterval? = 86_400
        ) {
            common = ExchangeConfiguration(
                receiveWindow: receiveWindow, retryPolicy: retryPolicy, reconciliation: reconciliation,
                additionalAllowedEndpoints: additionalAllowedEndpoints, instrumentCacheLifetime: instrumentCacheLifetime,
                keyReverificationInterval: keyReverificationInterval)
        }

        /// Creates a configuration from the shared settings.
        ///
        /// - Parameter common: The settings every exchange module shares.
        public init(_ common: ExchangeConfiguration) {
            self.common = common
        }

        /// Throws unless the configuration can be used.
        ///
        /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` naming the setting.
        public func validate() throws {
            guard Self.receiveWindowRange.contains(receiveWindow) else {
                throw ExchangeError(
                    .invalidRequest,
                    message: "Binance.Configuration.receiveWindow is \(receiveWindow) ms; Binance accepts 1 to 60000 ms "
                        + "(5000 is the default; keep it small and let TradeOnly keep the clock in sync)",
                    exchange: Binance.exchangeName)
            }
        }

        // MARK: Deprecated names

        /// Renamed ``receiveWindow``.
        @available(*, deprecated, renamed: "receiveWindow")
        public var recvWindow: Int {
            get { receiveWindow }
            set { receiveWindow = newValue }
        }

        /// Renamed ``receiveWindowRange``.
        @available(*, deprecated, renamed: "receiveWindowRange")
        public static var recvWindowRange: ClosedRange<Int> { receiveWindowRange }

        /// Renamed ``init(receiveWindow:retryPolicy:reconciliation:additionalAllowedEndpoints:instrumentCacheLifetime:keyReverificationInterval:)``.
        @available(
            *, deprecated,
            renamed: "init(receiveWindow:retryPolicy:reconciliation:additionalAllowedEndpoints:instrumentCacheLifetime:keyReverificationInterval:)"
        )
        public init(
            recvWindow: Int,
            retryPolicy: RetryPolicy = .standard,
            reconciliation: ReconciliationPolicy = .standard,
            additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
            instrumentCacheLifetime: TimeInterval = 3600,
            keyReverificationInterval: TimeInterval? = 86_400
        ) {
            self.init(
                receiveWindow: recvWindow, retryPolicy: retryPolicy, reconciliation: reconciliation,
                additionalAllowedEndpoints: additionalAllowedEndpoints, instrumentCacheLifetime: instrumentCacheLifetime,
                keyReverificationInterval: keyReverificationInterval)
        }
    }
}
