/// An HTTP request as a value: method, URL, header fields and body.
///
/// The request is sent as built: the transports of this package do not change the URL's
/// percent-encoding, the spelling of header names, header values or the body bytes. (Only the order
/// of header fields is up to the transport: URLSession does not keep it.)
///
/// Printing a request never reveals a secret: `description`, `debugDescription` and the mirror used by
/// `dump` hide the values of sensitive headers and query items (see ``Redaction``) and show only the
/// length of the body:
///
/// ```swift
/// print(request)
/// // POST https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=<redacted> (body: 0 bytes)
/// ```
public struct HTTPRequest: Sendable, Hashable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute URL, with its query string already percent-encoded as it should go on the wire.
    public var url: URL
    /// The header fields, in wire order.
    public var headers: HTTPHeaders
    /// The body, or `nil` for none.
    public var body: Data?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - method: The request method.
    ///   - url: The absolute URL, percent-encoded as it should be sent.
    ///   - headers: The header fields, in wire order.
    ///   - body: The body, or `nil` for none.
    public init(method: HTTPMethod, url: URL, headers: HTTPHeaders = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The method and URL with sensitive query values hidden, and the body's length:
    /// `POST https://host/path?symbol=BTCUSDT&signature=<redacted> (body: 54 bytes)`.
    ///
    /// Header values are not part of it; use ``redactedDebugDescription`` to include the headers
    /// (redacted). Safe to log.
    public var redactedDescription: String {
        var text = "\(method.rawValue) \(Redaction.redactedURL(url))"
        if let body {
            text += " (body: \(body.count) bytes)"
        }
        return text
    }

    /// ``redactedDescription`` followed by the header fields, with sensitive values hidden.
    /// Safe to log.
    public var redactedDebugDescription: String {
        "\(redactedDescription) \(headers.redacted())"
    }
}

extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The same as ``redactedDescription``.
    public var description: String { redactedDescription }

    /// The same as ``redactedDebugDescription``.
    public var debugDescription: String { redactedDebugDescription }

    /// A mirror with the method, the redacted URL, the redacted headers and the body's length, so
    /// `dump` shows no secret.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "method": method.rawValue,
                "url": Redaction.redactedURL(url),
                "headers": headers,
                "body": body.map { "\($0.count) bytes" } ?? "none",
            ],
            displayStyle: .struct)
    }
}
