/// Sends an ``HTTPRequest`` and returns the ``HTTPResponse``: the one place where bytes meet the network.
///
/// Every exchange client talks to its exchange through a transport. ``URLSessionTransport`` is the
/// default; any type that conforms can replace it (another HTTP library, a recorded-response player,
/// a fake for tests).
///
/// ## Transport or middleware?
///
/// - Write a **transport** to change *how* requests reach the network (or to replace the network,
///   as in tests). A transport sees the final, signed request, so it must treat headers, query and
///   body as secret material: never log them except through ``Redaction``.
/// - Write an ``HTTPMiddleware`` to *observe or adjust* requests on their way to a transport you
///   keep: logging, metrics, extra headers, custom rate limits. Compose them with
///   ``HTTPTransport/with(middlewares:)``.
///
/// ## Requirements for a conforming transport
///
/// - Return every response the server sends, whatever its status; do not follow redirects (a redirect
///   can forward an API key header to another host).
/// - Call ``HTTPHeaders/validate()`` on the request's headers before any I/O, so that a header value
///   with CR or LF never reaches the wire.
/// - Throw ``HTTPTransportError`` for failures, and set
///   ``HTTPTransportError/requestMayHaveBeenSent`` honestly: it tells the client whether an order may
///   have been placed.
/// - Honour task cancellation.
///
/// ## A fake transport for tests
///
/// ```swift
/// struct FakeExchange: HTTPTransport {
///     func send(_ request: HTTPRequest) async throws -> HTTPResponse {
///         try request.headers.validate()
///         switch request.url.path {
///         case "/api/v3/time":
///             return HTTPResponse(status: 200, body: Data(#"{"serverTime":1700000000000}"#.utf8))
///         default:
///             return HTTPResponse(status: 404)
///         }
///     }
/// }
/// ```
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the response, whatever its status code.
    ///
    /// - Parameter request: The request to send, exactly as it should go on the wire.
    /// - Returns: The response.
    /// - Throws: ``HTTPTransportError`` when no response could be obtained (and `CancellationError`
    ///   or ``HTTPTransportError`` of kind `cancelled` when the task is cancelled).
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
