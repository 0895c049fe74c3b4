/// A transport that answers from a closure and records every request it receives: for testing a bot,
/// a middleware or an exchange client without a network.
///
/// ```swift
/// let transport = MockTransport { request in
///     HTTPResponse(status: 200, body: Data(#"{"serverTime":1499827319559}"#.utf8))
/// }
/// // … use it as any transport, then:
/// transport.requests.last?.url   // what was sent, byte for byte
/// ```
///
/// The recorded requests hold whatever was sent, signatures and key headers included: keep them in
/// tests.
public final class MockTransport: HTTPTransport {
    /// Produces the response to one request (or throws, to simulate a transport failure).
    public typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    private let handler: Handler
    private let recorded = LockedValue<[HTTPRequest]>([])

    /// Whether requests are kept for ``requests``.
    public let recordsRequests: Bool

    /// Creates a transport that answers with `handler`.
    ///
    /// - Parameters:
    ///   - recordsRequests: Whether to keep every request for ``requests`` (the default). Pass `false`
    ///     for long runs and benchmarks, where keeping millions of requests would only grow memory.
    ///   - handler: Produces the response to each request, or throws.
    public init(recordsRequests: Bool = true, _ handler: @escaping Handler) {
        self.recordsRequests = recordsRequests
        self.handler = handler
    }

    /// Creates a transport that answers every request with the same response.
    ///
    /// - Parameter response: The response to return.
    public convenience init(always response: HTTPResponse) {
        self.init { _ in response }
    }

    /// Records the request, then answers it with the handler.
    ///
    /// - Parameter request: The request.
    /// - Returns: The handler's response.
    /// - Throws: Whatever the handler throws.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if recordsRequests { recorded.withLock { $0.append(request) } }
        return try await handler(request)
    }

    /// Every request received so far, in order (empty if ``recordsRequests`` is `false`).
    public var requests: [HTTPRequest] { recorded.current }

    /// Forgets the recorded requests.
    public func removeAllRequests() {
        recorded.withLock { $0.removeAll() }
    }
}
