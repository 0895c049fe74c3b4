import Foundation
import TradeOnly

extension Bybit {
    /// Settings of a ``Bybit`` instance and the clients it makes: the core ``ExchangeConfiguration``
    /// (``common``), whose fields are also properties of this type.
    ///
    /// ```swift
    /// var configuration = Bybit.Configuration()
    /// configuration.receiveWindow = 3000
    /// configuration.additionalAllowedEndpoints = [.exact(.post, "/v5/position/set-leverage")]
    /// let bybit = Bybit(environment: .testnet, transport: URLSessionTransport(), configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// The longest receive window Bybit is asked for, in milliseconds.
        public static let maximumReceiveWindow = ExchangeConfiguration.receiveWindowRange.upperBound

        /// The settings every exchange module shares (``receiveWindow`` is kept clamped to 1…60000).
        public var common: ExchangeConfiguration {
            didSet { common.receiveWindow = Self.clamp(common.receiveWindow) }
        }

        /// How long after its timestamp Bybit still accepts a signed request, in milliseconds
        /// (`X-BAPI-RECV-WINDOW`). Defaults to 5000. Values are clamped to 1…60000: a long window is a
        /// long replay window.
        public var receiveWindow: Int {
            get { common.receiveWindow }
            set { common.receiveWindow = Self.clamp(newValue) }
        }

        /// How long and how often to ask Bybit about an order whose placement (or cancel) had an
        /// unknown outcome, before reporting ``ExchangeError/Kind/outcomeUnknown``.
        ///
        /// Bybit refuses, before matching, any request older than its receive window, so an order
        /// still unknown to Bybit once ``receiveWindow`` plus a second has passed can no longer execute:
        /// it is reported as not placed. Keep the deadline longer than that (the default, 10 s, is) to
        /// get that answer instead of ``ExchangeError/Kind/outcomeUnknown``.
        public var reconciliation: ReconciliationPolicy {
            get { common.reconciliation }
            set { common.reconciliation = newValue }
        }

        /// How much the request pipeline retries what is safe to retry: reads after transient
        /// failures; writes only when Bybit certainly did not execute them. Defaults to
        /// ``RetryPolicy/standard``; ``RetryPolicy/none`` turns retries off (the one clock resync
        /// after `10002` still happens).
        public var retryPolicy: RetryPolicy {
            get { common.retryPolicy }
            set { common.retryPolicy = newValue }
        }

        /// Endpoints to allow on top of the built-in allow-list (``Bybit/builtInPolicy``), for
        /// ``BybitClient/perform(_:)``: for example `.exact(.post, "/v5/position/set-leverage")`.
        ///
        /// Deny rules always win: withdrawals, transfers, converts, loans, key management and the rest
        /// stay refused whatever is added here.
        public var additionalAllowedEndpoints: [EndpointPolicy.Rule] {
            get { common.additionalAllowedEndpoints }
            set { common.additionalAllowedEndpoints = newValue }
        }

        /// How long instruments read from Bybit are reused before they are read again, in seconds.
        /// Defaults to one hour (Bybit changes spot quantity limits twice a month, tick sizes rarely).
        public var instrumentCacheLifetime: TimeInterval {
            get { common.instrumentCacheLifetime }
            set { common.instrumentCacheLifetime = newValue }
        }

        /// How often a client verifies its key again with ``Bybit/keyInspector``, in seconds; `nil`
        /// for never (unsafe). See ``ExchangeConfiguration/keyReverificationInterval``.
        public var keyReverificationInterval: TimeInterval? {
            get { common.keyReverificationInterval }
            set { common.keyReverificationInterval = newValue }
        }

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - receiveWindow: The receive window in milliseconds; clamped to 1…60000. Defaults to 5000.
        ///   - reconciliation: How to settle an order whose outcome is unknown. Defaults to ``ReconciliationPolicy/standard``.
        ///   - retryPolicy: How much to retry what is safe to retry. Defaults to ``RetryPolicy/standard``.
        ///   - additionalAllowedEndpoints: Extra allow rules; deny rules still win. Defaults to none.
        ///   - instrumentCacheLifetime: How long to reuse instruments, in seconds. Defaults to 3600.
        ///   - keyReverificationInterval: How often clients verify their key again, in seconds; `nil`
        ///     for never (unsafe). Defaults to one day.
        public init(
            receiveWindow: Int = 5000,
            reconciliation: ReconciliationPolicy = .standard,
            retryPolicy: RetryPolicy = .standard,
            additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
            instrumentCacheLifetime: TimeInterval = 3600,
            keyReverificationInterval: TimeInterval? = 86_400
        ) {
            self.init(
                ExchangeConfiguration(
                    receiveWindow: receiveWindow, retryPolicy: retryPolicy, reconciliation: reconciliation,
                    additionalAllowedEndpoints: additionalAllowedEndpoints,
                    instrumentCacheLifetime: max(0, instrumentCacheLifetime),
                    keyReverificationInterval: keyReverificationInterval))
        }

        /// Creates a configuration from the shared settings (the receive window clamped to 1…60000).
        ///
        /// - Parameter common: The settings every exchange module shares.
        public init(_ common: ExchangeConfiguration) {
            var common = common
            common.receiveWindow = Self.clamp(common.receiveWindow)
            self.common = common
        }

        private static func clamp(_ window: Int) -> Int {
            min(max(window, 1), maximumReceiveWindow)
        }

        // MARK: Deprecated names

        /// Renamed ``maximumReceiveWindow``.
        @available(*, deprecated, renamed: "maximumReceiveWindow")
        public static var maximumRecvWindow: Int { maximumReceiveWindow }

        /// Renamed ``receiveWindow``.
        @available(*, deprecated, renamed: "receiveWindow")
        public var recvWindow: Int {
            get { receiveWindow }
            set { receiveWindow = newValue }
        }

        /// Renamed ``init(receiveWindow:reconciliation:retryPolicy:additionalAllowedEndpoints:instrumentCacheLifetime:keyReverificationInterval:)``.
        @available(
            *, deprecated,
            renamed: "init(receiveWindow:reconciliation:retryPolicy:additionalAllowedEndpoints:instrumentCacheLifetime:keyReverificationInterval:)"
        )
        public init(
            recvWindow: Int,
            reconciliation: ReconciliationPolicy = .standard,
            retryPolicy: RetryPolicy = .standard,
            additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
            instrumentCacheLifetime: TimeInterval = 3600,
            keyReverificationInterval: TimeInterval? = 86_400
        ) {
            self.init(
                receiveWindow: recvWindow, reconciliation: reconciliation, retryPolicy: retryPolicy,
                additionalAllowedEndpoints: additionalAllowedEndpoints, instrumentCacheLifetime: instrumentCacheLifetime,
                keyReverificationInterval: keyReverificationInterval)
        }
    }
}
