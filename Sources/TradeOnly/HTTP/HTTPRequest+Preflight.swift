extension HTTPRequest {
    /// The checks ``URLSessionTransport`` makes before any I/O, for any transport to make the same:
    /// valid header names and values (no CR or LF: no header injection), an `http` or `https` URL
    /// with a host, and plain `http` only to a loopback address (`127.0.0.0/8`, `::1`,
    /// `localhost`), and only if `allowsInsecureLoopback`.
    ///
    /// ```swift
    /// func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    ///     try request.checkBeforeSending()
    ///     // … now the request may go on the wire
    /// }
    /// ```
    ///
    /// - Parameter allowsInsecureLoopback: Whether plain `http` to loopback is allowed (the simulator).
    /// - Throws: ``HTTPTransportError`` of kind ``HTTPTransportError/Kind/invalidRequest`` or
    ///   ``HTTPTransportError/Kind/insecureURL``, with ``HTTPTransportError/requestMayHaveBeenSent``
    ///   `false`.
    public func checkBeforeSending(allowsInsecureLoopback: Bool = true) throws {
        try URLSessionTransport.checkBeforeSending(self, allowsInsecureLoopback: allowsInsecureLoopback)
    }
}
