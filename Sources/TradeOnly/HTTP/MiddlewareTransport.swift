/// A transport that runs a list of ``HTTPMiddleware``s around another transport.
///
/// On the way out the middlewares run in array order (`middlewares[0]` sees the request first, the
/// wrapped transport last); on the way back in reverse order. An empty list sends straight to the
/// wrapped transport. Usually built with ``HTTPTransport/with(middlewares:)``:
///
/// ```swift
/// let transport = URLSessionTransport().with(middlewares: [logging, metrics])
/// // request:  logging → metrics → URLSessionTransport
/// // response: URLSessionTransport → metrics → logging
/// ```
public struct MiddlewareTransport: HTTPTransport {
    /// The transport that finally sends the request.
    public let transport: any HTTPTransport
    /// The middlewares, in the order they see the request.
    public let middlewares: [any HTTPMiddleware]

    /// Wraps a transport in middlewares.
    ///
    /// - Parameters:
    ///   - transport: The transport that finally sends the request.
    ///   - middlewares: The middlewares, in the order they should see the request.
    public init(transport: any HTTPTransport, middlewares: [any HTTPMiddleware]) {
        self.transport = transport
        self.middlewares = middlewares
    }

    /// Passes the request through the middlewares, in order, to the wrapped transport.
    ///
    /// - Parameter request: The request.
    /// - Returns: The response, as the first middleware hands it back.
    /// - Throws: Whatever a middleware or the transport throws.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await send(request, from: middlewares.startIndex)
    }

    private func send(_ request: HTTPRequest, from index: Int) async throws -> HTTPResponse {
        guard index < middlewares.endIndex else {
            return try await transport.send(request)
        }
        return try await middlewares[index].intercept(request) { request in
            try await send(request, from: index + 1)
        }
    }
}

extension HTTPTransport {
    /// Returns a transport that runs `middlewares` around this one, the first middleware seeing the
    /// request first.
    ///
    /// - Parameter middlewares: The middlewares, in the order they should see the request.
    /// - Returns: A ``MiddlewareTransport`` over this transport.
    public func with(middlewares: [any HTTPMiddleware]) -> MiddlewareTransport {
        MiddlewareTransport(transport: self, middlewares: middlewares)
    }
}
