/// Observes or adjusts a request on its way to an ``HTTPTransport``, and the response on its way back.
///
/// A middleware receives the request and a `next` closure that passes it on (to the next middleware,
/// or finally to the transport). It may change the request before calling `next`, look at or change
/// the response, throw, or answer without calling `next` at all.
///
/// Compose middlewares around a transport with ``HTTPTransport/with(middlewares:)`` (or
/// ``MiddlewareTransport``). They run in array order on the way out and in reverse order on the way
/// back: the first middleware sees the request first and the response last.
///
/// Use a middleware for logging, metrics, extra headers or custom rate limits; write an
/// ``HTTPTransport`` instead to change how requests reach the network. When you log, log through
/// ``HTTPRequest/redactedDescription`` and ``HTTPHeaders/redacted()``, never the raw values.
///
/// ```swift
/// struct Timing: HTTPMiddleware {
///     let record: @Sendable (String, Duration) -> Void
///
///     func intercept(
///         _ request: HTTPRequest,
///         next: @Sendable (HTTPRequest) async throws -> HTTPResponse
///     ) async throws -> HTTPResponse {
///         let start = ContinuousClock.now
///         defer { record(request.redactedDescription, ContinuousClock.now - start) }
///         return try await next(request)
///     }
/// }
///
/// let transport = URLSessionTransport().with(middlewares: [Timing(record: { _, _ in })])
/// ```
public protocol HTTPMiddleware: Sendable {
    /// Handles a request, usually by passing it (possibly changed) to `next` and returning the response.
    ///
    /// - Parameters:
    ///   - request: The request as built by the previous middleware (or the client).
    ///   - next: Sends a request to the rest of the chain and returns its response.
    /// - Returns: The response to hand back to the previous middleware (or the client).
    /// - Throws: Any error; errors from `next` should usually be rethrown unchanged.
    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse
}
