import Foundation

/// A request as the ``LoopbackServer`` received it, unchanged: nothing is decoded or normalised.
public struct LoopbackRequest: Sendable, Hashable {
    /// The method token, for example `"POST"`.
    public var method: String
    /// The request target exactly as received: path and query, percent-escapes untouched,
    /// for example `"/api/v3/order?symbol=BTCUSDT&signature=ab12"`.
    public var target: String
    /// The protocol version from the request line: `"HTTP/1.1"` or `"HTTP/1.0"`.
    public var version: String
    /// The header fields in the order received, names in their original spelling.
    /// Values are decoded as UTF-8 (invalid bytes replaced) with surrounding spaces and tabs removed.
    public var headerFields: [LoopbackHeaderField]
    /// The body bytes exactly (after removing the chunked framing, if the client used it).
    public var body: Data
    /// A number identifying the connection the request came on; requests on one keep-alive
    /// connection share it. Numbers start at 1 for each server.
    public var connectionID: Int

    /// Creates a request; the server builds these, tests of handlers may too.
    ///
    /// - Parameters:
    ///   - method: The method token.
    ///   - target: The raw request target.
    ///   - version: The protocol version.
    ///   - headerFields: The header fields, in order.
    ///   - body: The body bytes.
    ///   - connectionID: The connection number.
    public init(
        method: String,
        target: String,
        version: String = "HTTP/1.1",
        headerFields: [LoopbackHeaderField] = [],
        body: Data = Data(),
        connectionID: Int = 0
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headerFields = headerFields
        self.body = body
        self.connectionID = connectionID
    }

    /// The part of ``target`` before the first `?`, still percent-encoded.
    public var path: String {
        String(target.prefix { $0 != "?" })
    }

    /// The part of ``target`` after the first `?`, still percent-encoded; `nil` if there is no `?`.
    public var query: String? {
        guard let question = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: question)...])
    }

    /// Returns the value of the first header field with a name, compared case-insensitively.
    ///
    /// - Parameter name: The header name, in any letter case.
    /// - Returns: The value, or `nil` if the request has no such field.
    public func headerValue(for name: String) -> String? {
        headerFields.value(for: name)
    }
}
