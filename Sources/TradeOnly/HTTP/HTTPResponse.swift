/// An HTTP response as a value: status code, header fields and the whole body.
///
/// A transport returns every response it receives, whatever the status: a 4xx, a 5xx or a 3xx
/// redirect (which this package never follows) is a response, not an error.
///
/// `description` shows the status, the body's length and the first bytes of the body; the headers
/// are shown (redacted) by `debugDescription` and `dump`.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code, for example `200`.
    public var status: Int
    /// The header fields.
    ///
    /// With ``URLSessionTransport`` over `https` their order is not the server's order (URLSession
    /// does not keep it) and repeated fields arrive joined by `", "`; plain `http://` to loopback
    /// keeps the server's fields as they were sent.
    public var headers: HTTPHeaders
    /// The body, empty if there was none.
    public var body: Data

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The header fields.
    ///   - body: The body.
    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The number of body bytes that ``description`` shows at most.
    static let descriptionBodyPrefixLength = 256

    /// The start of the body as one line of text: at most ``descriptionBodyPrefixLength`` bytes,
    /// decoded as UTF-8 (invalid bytes replaced), control characters escaped, and sensitive values
    /// (a listen key, a signature echoed back) hidden by ``Redaction/redactText(_:)``.
    var bodyPrefix: String {
        let prefix = body.prefix(Self.descriptionBodyPrefixLength)
        var text = ""
        for scalar in String(decoding: prefix, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                text += "\\u{\(String(scalar.value, radix: 16))}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        let redacted = Redaction.redactText(text)
        return body.count > Self.descriptionBodyPrefixLength ? redacted + "…" : redacted
    }
}

extension HTTPResponse: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The status, the body's length and its first bytes: `HTTP 400 (body: 45 bytes) {"code":-1102,…}`.
    public var description: String {
        body.isEmpty ? "HTTP \(status) (body: 0 bytes)" : "HTTP \(status) (body: \(body.count) bytes) \(bodyPrefix)"
    }

    /// ``description`` followed by the header fields, with sensitive values (such as `Set-Cookie`) hidden.
    public var debugDescription: String {
        "\(description) \(headers)"
    }

    /// A mirror with the status, the redacted headers and the body's length and prefix.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "status": status,
                "headers": headers,
                "body": "\(body.count) bytes: \(bodyPrefix)",
            ],
            displayStyle: .struct)
    }
}
