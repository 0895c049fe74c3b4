import Foundation

/// Turns a ``LoopbackResponse`` into the bytes of an HTTP/1.1 response.
enum ResponseWriter {
    /// Replaces a response the server must not send as it is (status outside 200...599, a header
    /// field with an invalid name or a value with control characters) by an empty 500.
    static func checked(_ response: LoopbackResponse) -> LoopbackResponse {
        let headersAreValid = response.headerFields.allSatisfy { field in
            !field.name.isEmpty && field.name.utf8.allSatisfy(isTokenByte)
                && field.value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
        }
        guard (200...599).contains(response.status), headersAreValid else {
            return LoopbackResponse(status: 500)
        }
        return response
    }

    /// Whether the handler asked for the connection to be closed (`Connection: close`).
    static func asksToClose(_ response: LoopbackResponse) -> Bool {
        response.headerFields.values(for: "Connection").contains { value in
            value.split(separator: ",").contains { $0.trimmingSpacesAndTabs.lowercased() == "close" }
        }
    }

    /// The plain-text response the server sends for a request it cannot serve.
    static func errorResponse(_ failure: RequestHead.Failure) -> LoopbackResponse {
        LoopbackResponse(
            status: failure.status,
            headers: ["Content-Type": "text/plain; charset=utf-8"],
            text: "\(failure.status) \(reasonPhrase(for: failure.status)): \(failure.reason)\n")
    }

    /// Serialises a (checked) response: the handler's fields in order, except `Content-Length`,
    /// `Transfer-Encoding` and `Connection`, which the server writes itself.
    static func serialize(
        _ response: LoopbackResponse,
        closing: Bool,
        omittingBody: Bool = false,
        keepAliveHeader: Bool = false
    ) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reasonPhrase(for: response.status))\r\n"
        let framingNames: Set<String> = ["content-length", "transfer-encoding", "connection"]
        for field in response.headerFields where !framingNames.contains(field.name.lowercased()) {
            head += "\(field.name): \(field.value)\r\n"
        }
        let bodyAllowed = response.status != 204 && response.status != 304
        if bodyAllowed {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        if closing {
            head += "Connection: close\r\n"
        } else if keepAliveHeader {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if bodyAllowed, !omittingBody {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }

    /// The reason phrase for a status code (the phrase is informative only).
    static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 418: return "I'm a teapot"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
