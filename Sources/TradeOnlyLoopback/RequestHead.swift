/// The parsed request line and header fields of a request, and how its body is framed.
struct RequestHead: Equatable {
    /// How the request body is delimited.
    enum BodyFraming: Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    var method: String
    var target: String
    var version: String
    var fields: [LoopbackHeaderField]

    /// Why a request cannot be served: the status to answer with.
    struct Failure: Error, Equatable {
        var status: Int
        var reason: String
    }

    /// Parses a request head: the bytes before the empty line, without the final CRLF CRLF.
    ///
    /// Strict on purpose (RFC 9112): lines end in CRLF; the request line is `method SP target SP
    /// version`; the target is visible ASCII; names are tokens with no space before the colon;
    /// obsolete line folding and control characters in values are refused; HTTP/1.1 needs exactly
    /// one `Host`.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(Failure) -> RequestHead {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == lf {
                guard index > lineStart, bytes[index - 1] == cr else {
                    throw Failure(status: 400, reason: "line not terminated by CRLF")
                }
                lines.append(bytes[lineStart..<(index - 1)])
                lineStart = index + 1
            }
            index += 1
        }
        lines.append(bytes[lineStart..<bytes.endIndex])

        guard let requestLine = lines.first else {
            throw Failure(status: 400, reason: "empty request")
        }
        let parts = requestLine.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw Failure(status: 400, reason: "malformed request line")
        }
        let method = parts[0]
        let target = parts[1]
        let version = parts[2]
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else {
            throw Failure(status: 400, reason: "malformed method")
        }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Failure(status: 400, reason: "malformed request target")
        }
        let versionText = String(decoding: version, as: UTF8.self)
        guard versionText == "HTTP/1.1" || versionText == "HTTP/1.0" else {
            if versionText.hasPrefix("HTTP/"), versionText.count == 8 {
                throw Failure(status: 505, reason: "unsupported HTTP version")
            }
            throw Failure(status: 400, reason: "malformed HTTP version")
        }

        var fields: [LoopbackHeaderField] = []
        for line in lines.dropFirst() {
            guard let first = line.first, first != space, first != tab else {
                throw Failure(status: 400, reason: line.isEmpty ? "empty header line" : "obsolete line folding")
            }
            guard let colon = line.firstIndex(of: colonByte) else {
                throw Failure(status: 400, reason: "header line without a colon")
            }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                throw Failure(status: 400, reason: "malformed header name")
            }
            var value = line[(colon + 1)...]
            while let byte = value.first, byte == space || byte == tab { value = value.dropFirst() }
            while let byte = value.last, byte == space || byte == tab { value = value.dropLast() }
            guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw Failure(status: 400, reason: "control character in a header value")
            }
            fields.append(
                LoopbackHeaderField(
                    name: String(decoding: name, as: UTF8.self),
                    value: String(decoding: value, as: UTF8.self)))
        }

        let head = RequestHead(
            method: String(decoding: method, as: UTF8.self),
            target: String(decoding: target, as: UTF8.self),
            version: versionText,
            fields: fields)
        if head.version == "HTTP/1.1", fields.values(for: "Host").count != 1 {
            throw Failure(status: 400, reason: "HTTP/1.1 requires exactly one Host header")
        }
        return head
    }

    /// How the body is framed, refusing ambiguous framing (both `Content-Length` and
    /// `Transfer-Encoding`, or conflicting lengths) and bodies larger than `maximumBodySize`.
    func bodyFraming(maximumBodySize: Int) throws(Failure) -> BodyFraming {
        let transferEncodings = fields.values(for: "Transfer-Encoding")
        let lengths = fields.values(for: "Content-Length")
        if !transferEncodings.isEmpty {
            guard lengths.isEmpty else {
                throw Failure(status: 400, reason: "both Content-Length and Transfer-Encoding")
            }
            let codings = transferEncodings.joined(separator: ",").split(separator: ",").map {
                $0.trimmingSpacesAndTabs.lowercased()
            }
            guard codings == ["chunked"] else {
                throw Failure(status: 501, reason: "unsupported transfer coding")
            }
            return .chunked
        }
        guard !lengths.isEmpty else { return .none }
        var length: Int?
        for item in lengths.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let digits = item.trimmingSpacesAndTabs
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw Failure(status: 400, reason: "malformed Content-Length")
            }
            // More than 15 digits is certainly too large, and cannot overflow.
            guard digits.count <= 15, let value = Int(digits) else {
                throw Failure(status: 413, reason: "body too large")
            }
            guard length == nil || length == value else {
                throw Failure(status: 400, reason: "conflicting Content-Length values")
            }
            length = value
        }
        guard let length else { return .none }
        guard length <= maximumBodySize else {
            throw Failure(status: 413, reason: "body too large")
        }
        return length == 0 ? .none : .contentLength(length)
    }

    /// Whether the client asks to keep the connection open after this request.
    var wantsKeepAlive: Bool {
        let tokens = connectionTokens
        if tokens.contains("close") { return false }
        return version == "HTTP/1.1" || tokens.contains("keep-alive")
    }

    /// The lower-cased tokens of every `Connection` header.
    var connectionTokens: [String] {
        fields.values(for: "Connection").flatMap { $0.split(separator: ",") }.map {
            $0.trimmingSpacesAndTabs.lowercased()
        }
    }

    /// The lower-cased `Expect` value, if any.
    var expectation: String? {
        fields.value(for: "Expect").map { $0.trimmingSpacesAndTabs.lowercased() }
    }
}

let cr: UInt8 = 0x0D
let lf: UInt8 = 0x0A
private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09
private let colonByte: UInt8 = 0x3A

/// Whether a byte may appear in an HTTP token (RFC 9110 §5.6.2).
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and horizontal tabs.
    var trimmingSpacesAndTabs: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
