import Foundation

/// A response for the ``LoopbackServer`` to send.
///
/// The server sends the header fields in order and as spelled, then adds `Content-Length` (any
/// `Content-Length` or `Transfer-Encoding` given here is replaced) and, when it closes the connection,
/// `Connection: close`. A status outside 200...599, or a header field with an invalid name or a
/// value containing CR, LF or another control character, is replaced by an empty 500 response.
public struct LoopbackResponse: Sendable, Hashable {
    /// The status code, 200...599.
    public var status: Int
    /// The header fields, in the order they are sent.
    public var headerFields: [LoopbackHeaderField]
    /// The body.
    public var body: Data
    /// Whether the server closes the connection instead of sending this response (see
    /// ``closeWithoutAnswering``); `false` for every response made with an initialiser.
    public private(set) var closesWithoutAnswering = false

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: The status code, 200...599.
    ///   - headers: The header fields in order, for example `["Content-Type": "application/json"]`;
    ///     a name may repeat.
    ///   - body: The body.
    public init(status: Int, headers: KeyValuePairs<String, String> = [:], body: Data = Data()) {
        self.status = status
        self.headerFields = headers.map { LoopbackHeaderField(name: $0.key, value: $0.value) }
        self.body = body
    }

    /// Creates a response from header fields.
    ///
    /// - Parameters:
    ///   - status: The status code, 200...599.
    ///   - headerFields: The header fields, in order.
    ///   - body: The body.
    public init(status: Int, headerFields: [LoopbackHeaderField], body: Data = Data()) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// Creates a response with a UTF-8 text body.
    ///
    /// - Parameters:
    ///   - status: The status code, 200...599.
    ///   - headers: The header fields in order.
    ///   - text: The body, encoded as UTF-8.
    public init(status: Int, headers: KeyValuePairs<String, String> = [:], text: String) {
        self.init(status: status, headers: headers, body: Data(text.utf8))
    }

    /// Not a response: the server closes the connection without answering the request, as when a
    /// server crashes or the network loses the answer after the request arrived. For testing how a
    /// client handles a request whose outcome it cannot know.
    ///
    /// The server reads nothing more from that connection; the client sees the connection end
    /// before any byte of a response.
    public static var closeWithoutAnswering: LoopbackResponse {
        var response = LoopbackResponse(status: 500)
        response.closesWithoutAnswering = true
        return response
    }
}
