/// The one error type every exchange client throws.
///
/// An `ExchangeError` says what went wrong in a way a bot can act on: a ``kind`` to branch on, the
/// exchange's own ``code`` and ``exchangeMessage`` (unknown codes stay representable), the HTTP
/// ``httpStatus``, and ``retry`` advice. Compare kinds with `==`:
///
/// ```swift
/// do { try await client.place(order) }
/// catch let error as ExchangeError where error.kind == .outcomeUnknown {
///     // The order may exist: settle it by its client order id before doing anything else.
/// }
/// ```
///
/// An `ExchangeError` never contains a secret, a signature, an API key or a signed query string:
/// everything it carries is safe to log.
public struct ExchangeError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. Extensible: new kinds are static members, not enum cases.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The kind's stable name, for example `"outcomeUnknown"`.
        public let name: String

        /// Creates a kind with a stable name. Prefer the static members.
        public init(_ name: String) { self.name = name }

        /// The kind's name.
        public var description: String { name }

        /// The API key is not valid for this exchange or environment.
        public static let authentication = Kind("authentication")
        /// The key lacks the permission this request needs.
        public static let permissionDenied = Kind("permissionDenied")
        /// The request came from an IP address the key is not bound to.
        public static let ipNotAllowed = Kind("ipNotAllowed")
        /// The key (or its trading permission) has expired.
        public static let keyExpired = Kind("keyExpired")
        /// The exchange rejected the request's signature.
        public static let invalidSignature = Kind("invalidSignature")
        /// The request's timestamp was outside the exchange's receive window (local clock skew).
        public static let timestampOutOfWindow = Kind("timestampOutOfWindow")
        /// A rate limit was hit; see ``ExchangeError/retry`` for how long to wait.
        public static let rateLimited = Kind("rateLimited")
        /// The exchange has banned this IP or key until ``ExchangeError/bannedUntil``.
        public static let banned = Kind("banned")
        /// The account does not hold enough funds or margin for the order.
        public static let insufficientFunds = Kind("insufficientFunds")
        /// The order broke a trading rule (tick size, step size, minimum notional, …); see ``ExchangeError/rule``.
        public static let orderRejected = Kind("orderRejected")
        /// The exchange does not know the order.
        public static let orderNotFound = Kind("orderNotFound")
        /// An order with the same client order id already exists.
        public static let duplicateClientOrderID = Kind("duplicateClientOrderID")
        /// The request may or may not have been executed. Reconcile by ``ExchangeError/clientOrderID``.
        public static let outcomeUnknown = Kind("outcomeUnknown")
        /// The exchange is down, overloaded, or answered with something that is not its API (an HTML page).
        public static let exchangeUnavailable = Kind("exchangeUnavailable")
        /// The request could not be completed over the network (connection refused, DNS, TLS, a timeout).
        ///
        /// For a write this kind means the request certainly did not execute (a write that may have
        /// reached the exchange is ``outcomeUnknown``); a read may have reached the exchange, which is
        /// harmless. ``ExchangeError/retry`` says whether retrying is safe.
        public static let network = Kind("network")
        /// The exchange's answer could not be decoded.
        public static let decoding = Kind("decoding")
        /// TradeOnly refused to sign or send the request: the endpoint is not allowed for a trade-only key.
        public static let policyViolation = Kind("policyViolation")
        /// The key can move funds (or could not be verified) and was refused; see ``ExchangeError/keyReport``.
        public static let unsafeKey = Kind("unsafeKey")
        /// The request was invalid before it was sent (bad symbol, bad parameter, missing permission locally).
        public static let invalidRequest = Kind("invalidRequest")
        /// The exchange reported an error TradeOnly does not classify; see ``ExchangeError/code``.
        public static let other = Kind("other")
    }

    /// What a caller may safely do after this error.
    public enum RetryAdvice: Sendable, Hashable, CustomStringConvertible {
        /// Retrying will not help: change the request, the key or the account first.
        case doNotRetry
        /// The failure was transient and the request certainly did not execute; retrying is safe.
        case retry
        /// The request did not execute; retry after the given number of seconds.
        case retryAfter(seconds: Double)
        /// The request did not execute because of clock skew; resynchronise the clock, then retry.
        case retryAfterClockSync
        /// The request may have executed: query its outcome (by client order id) before anything else.
        case reconcileFirst

        /// A short human description of the advice.
        public var description: String {
            switch self {
            case .doNotRetry: return "do not retry"
            case .retry: return "safe to retry"
            case .retryAfter(let seconds): return "retry after \(seconds) s"
            case .retryAfterClockSync: return "retry after resynchronising the clock"
            case .reconcileFirst: return "query the order's outcome before retrying"
            }
        }
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// A plain-words explanation of what happened and what to do about it. Never contains secrets.
    public var message: String
    /// The exchange this error came from (`"binance"`, `"bybit"`, …), if any.
    public var exchange: String?
    /// The exchange's raw error code (`"-1021"`, `"10002"`, `"INVALID_SIGNATURE"`), if it sent one.
    public var code: String?
    /// The exchange's raw error message, if it sent one.
    public var exchangeMessage: String?
    /// The HTTP status of the response, if there was one.
    public var httpStatus: Int?
    /// What the caller may safely do next.
    public var retry: RetryAdvice
    /// The trading rule an order broke (for example ``Instrument/Rule/tickSize``), for
    /// ``Kind/orderRejected`` and local validation; its text is `rule?.name` (`"tickSize"`).
    public var rule: Instrument.Rule?
    /// The client order id of the order concerned, for ``Kind/outcomeUnknown`` and order errors; its
    /// text is `clientOrderID?.rawValue`.
    public var clientOrderID: ClientOrderID?
    /// Until when the exchange bans requests, for ``Kind/banned``.
    public var bannedUntil: Date?
    /// The key report that led to the refusal, for ``Kind/unsafeKey``.
    public var keyReport: KeyReport?
    /// The market of the order concerned, for ``Kind/outcomeUnknown`` and order errors, so that the
    /// order can be looked up by ``clientOrderID`` on the right market.
    public var symbol: Symbol?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: What kind of failure this is.
    ///   - message: A plain-words explanation; must not contain secrets.
    ///   - exchange: The exchange's name, if any.
    ///   - code: The exchange's raw error code, if any.
    ///   - exchangeMessage: The exchange's raw error message, if any.
    ///   - httpStatus: The HTTP status, if any.
    ///   - retry: What the caller may safely do next. Defaults to ``RetryAdvice/doNotRetry``.
    ///   - rule: The trading rule an order broke, if any.
    ///   - clientOrderID: The client order id concerned, if any.
    ///   - bannedUntil: Until when requests are banned, if known.
    ///   - keyReport: The key report behind an ``Kind/unsafeKey`` refusal.
    ///   - symbol: The market of the order concerned, if any.
    public init(
        _ kind: Kind,
        message: String,
        exchange: String? = nil,
        code: String? = nil,
        exchangeMessage: String? = nil,
        httpStatus: Int? = nil,
        retry: RetryAdvice = .doNotRetry,
        rule: Instrument.Rule? = nil,
        clientOrderID: ClientOrderID? = nil,
        bannedUntil: Date? = nil,
        keyReport: KeyReport? = nil,
        symbol: Symbol? = nil
    ) {
        self.kind = kind
        self.message = message
        self.exchange = exchange
        self.code = code
        self.exchangeMessage = exchangeMessage
        self.httpStatus = httpStatus
        self.retry = retry
        self.rule = rule
        self.clientOrderID = clientOrderID
        self.bannedUntil = bannedUntil
        self.keyReport = keyReport
        self.symbol = symbol
    }

    /// One line: kind, exchange, code and message, HTTP status, and retry advice.
    public var description: String {
        var parts: [String] = []
        var head = kind.name
        if let exchange { head += " (\(exchange))" }
        parts.append(head + ": " + message)
        if let code {
            parts.append("exchange code \(code)" + (exchangeMessage.map { ": \($0)" } ?? ""))
        } else if let exchangeMessage {
            parts.append("exchange said: \(exchangeMessage)")
        }
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let rule { parts.append("rule \(rule)") }
        if let clientOrderID { parts.append("client order id \(clientOrderID)") }
        if let symbol { parts.append("symbol \(symbol)") }
        if let bannedUntil { parts.append("banned until \(bannedUntil)") }
        parts.append(retry.description)
        return parts.joined(separator: "; ")
    }

    /// The same as ``description``.
    public var debugDescription: String { "ExchangeError(\(description))" }
}

extension ExchangeError: LocalizedError {
    /// The same as ``description``.
    public var errorDescription: String? { description }
}
