/// The settings every exchange module's `Configuration` shares, written once: receive window,
/// retries, reconciliation, extra allowed endpoints, instrument cache lifetime and key
/// re-verification. `Binance.Configuration`, `Bybit.Configuration` (and every later module's) hold
/// one as ``ExchangeConfiguration`` and forward these properties to it.
///
/// ```swift
/// var configuration = Binance.Configuration()
/// configuration.receiveWindow = 3000
/// configuration.common.retryPolicy = .none
/// ```
public struct ExchangeConfiguration: Sendable, Hashable {
    /// The receive window sent with every signed request, in milliseconds: how long after its
    /// timestamp the exchange still accepts it. Keep it small: a request delayed in the network should
    /// fail, not execute late; TradeOnly keeps the clock in sync with the exchange instead of widening
    /// the window. Each module says what it does with a value outside ``receiveWindowRange``.
    public var receiveWindow: Int

    /// How much a failed request is retried. Whether it may be retried at all is fixed: reads after
    /// transient failures, writes only when the exchange certainly did not execute them (never sent,
    /// or refused by a rate limit); a clock error is resynchronised and retried once whatever this
    /// says. See ``RetryPolicy``.
    public var retryPolicy: RetryPolicy

    /// How long and how often to ask about an order whose placement or cancel had an unknown outcome
    /// before reporting ``ExchangeError/Kind/outcomeUnknown``. An exchange refuses, before matching,
    /// a request older than its receive window, so a lookup that still finds nothing once
    /// ``receiveWindow`` (plus a second) has passed decides "not placed": keep the deadline longer
    /// than that (the standard policy asks for 10 s).
    public var reconciliation: ReconciliationPolicy

    /// Endpoints to allow on top of the module's built-in allow-list (`<X>.builtInPolicy`), for
    /// endpoints the client does not wrap. Deny rules still win: no rule here can make a withdrawal,
    /// transfer or other denied endpoint callable.
    public var additionalAllowedEndpoints: [EndpointPolicy.Rule]

    /// How long a client trusts the instruments (trading rules) it has cached, in seconds, before
    /// fetching them again.
    public var instrumentCacheLifetime: TimeInterval

    /// How often a client verifies its key again with the module's key inspector and the key's own
    /// policy, in seconds; `nil` for never. Defaults to one day (86400 s); shorter than 60 s counts
    /// as 60 s.
    ///
    /// A key is checked when it is verified; if its owner later enables withdrawals, only a new check
    /// notices. When one is due, the client's next signed request waits for it (one at a time:
    /// concurrent requests wait for the same check); a key that now fails its policy stops every
    /// signed request of the client with ``ExchangeError/Kind/unsafeKey``, and a check that cannot be
    /// completed fails that request, unsent, and is tried again before the next one. Besides this
    /// schedule, a client checks its key before its first signed request when the key was verified
    /// more than 60 s earlier (on the exchange value's time source), and after the exchange answers a
    /// signed request with an authentication, permission or IP error.
    ///
    /// `nil` turns the schedule off, which is unsafe: a long-running bot keeps trading with a key that
    /// has become able to withdraw. The start and error checks still happen.
    public var keyReverificationInterval: TimeInterval?

    /// The receive windows every supported exchange accepts, in milliseconds.
    public static let receiveWindowRange = 1...60_000

    /// The receive window as a duration, in seconds.
    public var receiveWindowDuration: TimeInterval { Double(receiveWindow) / 1000 }

    /// Creates the shared settings.
    ///
    /// - Parameters:
    ///   - receiveWindow: The receive window, in milliseconds. Defaults to 5000.
    ///   - retryPolicy: How much failed requests are retried. Defaults to ``RetryPolicy/standard``.
    ///   - reconciliation: How to settle unknown outcomes. Defaults to ``ReconciliationPolicy/standard``.
    ///   - additionalAllowedEndpoints: Extra endpoints to allow. Defaults to none.
    ///   - instrumentCacheLifetime: How long cached instruments are trusted, in seconds. Defaults to one hour.
    ///   - keyReverificationInterval: How often clients verify their key again, in seconds; `nil` for
    ///     never (unsafe). Defaults to one day.
    public init(
        receiveWindow: Int = 5000,
        retryPolicy: RetryPolicy = .standard,
        reconciliation: ReconciliationPolicy = .standard,
        additionalAllowedEndpoints: [EndpointPolicy.Rule] = [],
        instrumentCacheLifetime: TimeInterval = 3600,
        keyReverificationInterval: TimeInterval? = 86_400
    ) {
        self.receiveWindow = receiveWindow
        self.retryPolicy = retryPolicy
        self.reconciliation = reconciliation
        self.additionalAllowedEndpoints = additionalAllowedEndpoints
        self.instrumentCacheLifetime = instrumentCacheLifetime
        self.keyReverificationInterval = keyReverificationInterval
    }
}
