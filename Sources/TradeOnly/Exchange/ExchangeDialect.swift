/// What an exchange module supplies to the core: its dialect. The ``RequestPipeline`` is assembled
/// from one dialect value plus the runtime parts (transport, middlewares, signer, clock, logger, retry
/// policy, governor, sleeper, jitter, key guard), so every module sends requests the same way and a
/// new exchange is a new conformance, not a new pipeline.
///
/// A module's dialect lives in `<X>Dialect.swift` and assembles the module's other files:
///
/// | requirement | from |
/// |---|---|
/// | ``exchange``, ``origins`` | `<X>+Environment.swift` |
/// | ``encode(_:)`` | `<X>RequestEncoding.swift` |
/// | ``signer(for:permissions:)`` | `<X>Signer.swift` |
/// | ``errorTable``, ``classify(_:_:)`` | `<X>ErrorTable.swift` (codes as data; the dialect reads the envelope) |
/// | ``serverTimeRequest``, ``decodeServerTime(_:)`` | the exchange's time endpoint |
/// | ``observe(_:_:)`` | `<X>+RateLimitUsage.swift` (the one rate-limit hook) |
/// | ``clientOrderIDRule`` | the exchange's ``ClientOrderID/Rule`` (alphabet, length, prefix) |
/// | ``keyReportRequest``, ``keyReport(from:)`` | `<X>KeyReport.swift` |
/// | ``endpointPolicy``, ``inspectorPolicy`` | `<X>EndpointPolicy.swift` (the endpoint table with parameter schemas) |
///
/// A dialect is a value: cheap to copy, `Sendable`, and the same for every request of a pipeline.
/// See `Documentation/AddingAnExchange.md`.
package protocol ExchangeDialect: Sendable {
    /// The signer type the dialect makes.
    associatedtype Signer: RequestSigner

    /// The exchange's name, in lower case (`"binance"`): in errors, key reports and logs.
    var exchange: String { get }

    /// The base URLs (scheme, host and port) requests of this environment go to: the only origins its
    /// signer signs for.
    var origins: [String] { get }

    /// The endpoint table every request is checked against: the built-in allow and deny rules with
    /// their parameter schemas, plus the user's extra allow rules.
    var endpointPolicy: EndpointPolicy { get }

    /// The smaller table the key inspector signs with before a key is verified (the key report and
    /// the server time only).
    var inspectorPolicy: EndpointPolicy { get }

    /// The exchange's error codes as data.
    var errorTable: ExchangeErrorTable { get }

    /// Builds the unsigned HTTP request (host, path, query or body) for an exchange request.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a request that
    ///   cannot be sent here; nothing is sent.
    func encode(_ request: ExchangeRequest) throws -> HTTPRequest

    /// A signer for `credentials`, pinned to ``origins``.
    ///
    /// - Parameter permissions: The verified key's permissions, which the signer's gate requires of
    ///   each endpoint; `nil` for the key inspector, which signs with ``inspectorPolicy``.
    func signer(for credentials: Credentials, permissions: Set<TradePermission>?) -> Signer

    /// Maps a response to the exchange's error, or `nil` for success: reads the exchange's error
    /// envelope and classifies its code with ``errorTable``; HTTP failures the body does not explain
    /// go through the core's `ResponseClassification.httpFailure`.
    func classify(_ request: ExchangeRequest, _ response: HTTPResponse) -> ExchangeError?

    /// The public request that asks the exchange for its time.
    var serverTimeRequest: ExchangeRequest { get }

    /// Reads the exchange's time from the answer to ``serverTimeRequest``.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/decoding`` for an unreadable answer.
    func decodeServerTime(_ response: HTTPResponse) throws -> Date

    /// The one rate-limit hook: sees every response that came back, reads the exchange's rate-limit
    /// headers into the module's ``RateLimitUsage`` records and the shared ``RateLimitGovernor``
    /// (used weight, remaining counts, the exact end of a ban an answer names). The governor itself
    /// handles HTTP 418 and 429.
    func observe(_ request: ExchangeRequest, _ response: HTTPResponse)

    /// The client order ids the exchange accepts (alphabet, length, prefix), which every generated id
    /// follows and every given id is checked against before anything is sent.
    var clientOrderIDRule: ClientOrderID.Rule { get }

    /// The signed request that asks the exchange what a key may do.
    var keyReportRequest: ExchangeRequest { get }

    /// Maps the answer to ``keyReportRequest`` to a ``KeyReport`` (key-report mapping).
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/decoding`` when the answer lacks a
    ///   field that decides whether the key moves funds.
    func keyReport(from response: HTTPResponse) throws -> KeyReport
}

extension ExchangeDialect {
    /// The display name of the exchange in messages: ``ExchangeErrorTable/displayName``.
    package var displayName: String { errorTable.displayName }
}
