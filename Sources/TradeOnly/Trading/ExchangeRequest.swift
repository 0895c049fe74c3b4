/// One call to an exchange's REST API, before it is encoded and signed.
///
/// Every client method builds one of these; ``ExchangeClient/perform(_:)`` accepts one directly, as an
/// escape hatch for endpoints TradeOnly does not wrap. Either way the request goes through the same
/// path: the exchange's ``EndpointPolicy`` is checked, user middlewares see the unsigned request, the
/// signer checks the policy again and signs the exact bytes that are sent.
///
/// ```swift
/// let request = ExchangeRequest(
///     method: .get, path: "/api/v3/rateLimit/order", parameters: [:], security: .signed)
/// let response = try await client.perform(request)   // refused unless the policy allows it
/// ```
///
/// Parameters are plain, unencoded strings; the exchange module encodes them the way its API signs
/// them (a percent-encoded query for Binance, a query or a JSON body for Bybit). Do not add
/// `timestamp`, `recvWindow`, `signature` or key headers yourself: the signer adds them.
public struct ExchangeRequest: Sendable, Hashable, CustomStringConvertible {
    /// Whether a request needs the key's signature.
    public enum Security: Sendable, Hashable, CustomStringConvertible {
        /// Public market data: sent without a key.
        case `public`
        /// Account data or trading: signed with the key.
        case signed

        /// `public` or `signed`.
        public var description: String {
            switch self {
            case .public: return "public"
            case .signed: return "signed"
            }
        }
    }

    /// The HTTP method.
    public var method: HTTPMethod
    /// The path on the exchange's host, starting with `/` (for example `/api/v3/order`), without a query.
    public var path: String
    /// The parameters, in order, unencoded.
    public var parameters: RequestParameters
    /// Whether the request is signed.
    public var security: Security
    /// The request's weight against the exchange's rate limit (at least 1): what the
    /// ``RateLimitGovernor`` counts for it. Exchange modules set it from the exchange's weight tables
    /// (for example Binance `GET /api/v3/depth` with `limit=5000` weighs 250); 1 when unknown.
    public var weight: Int

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path on the exchange's host, starting with `/`, without a query.
    ///   - parameters: The parameters, in order, unencoded. Defaults to none.
    ///   - security: Whether the request is signed. Defaults to ``Security/public``.
    ///   - weight: The request's rate-limit weight, from the exchange's weight tables. Defaults to 1;
    ///     values below 1 count as 1.
    public init(
        method: HTTPMethod, path: String, parameters: RequestParameters = [:], security: Security = .public,
        weight: Int = 1
    ) {
        self.method = method
        self.path = path
        self.parameters = parameters
        self.security = security
        self.weight = max(1, weight)
    }

    /// The method, path and security, with sensitive parameter values redacted.
    public var description: String {
        let query = parameters.isEmpty ? "" : " \(parameters)"
        return "\(method.rawValue) \(path)\(query) (\(security))"
    }
}
