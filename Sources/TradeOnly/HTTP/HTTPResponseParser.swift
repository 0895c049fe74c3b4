/// Reads one HTTP/1.x response from a byte stream, for the direct loopback client of
/// ``URLSessionTransport``.
///
/// Strict where framing is concerned, because a response read wrongly leaves the next response on a
/// kept-alive connection mis-framed: the status line must be `HTTP/1.0` or `HTTP/1.1`, a status
/// code and a reason; header lines are `name: value` (no folded lines); the body is framed by
/// `Transfer-Encoding: chunked`, by one `Content-Length`, or by the end of the connection; both
/// framings at once, conflicting lengths, a transfer coding other than `chunked` and interim `101`
/// responses are refused. Interim `1xx` responses are skipped. Lines may end in CRLF or a bare LF.
struct HTTPResponseParser {
    /// One read from the source.
    typealias Read = DirectLoopbackRead

    /// The response, once read.
    struct Response: Equatable {
        var status: Int
        var fields: [(name: String, value: String)]
        var body: [UInt8]
        /// Whether the connection may carry another request: HTTP/1.1, no `Connection: close`, the
        /// body framed by a length (or absent), and no bytes after it.
        var connectionReusable: Bool

        static func == (lhs: Response, rhs: Response) -> Bool {
            lhs.status == rhs.status && lhs.body == rhs.body && lhs.connectionReusable == rhs.connectionReusable
                && lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
        }
    }

    /// Why no response could be read.
    enum Failure: Error, Equatable {
        /// The connection ended (or was reset) before the first byte of a response.
        case closedBeforeResponse
        /// The connection ended in the middle of the response.
        case closedDuringResponse
        /// The bytes are not a valid HTTP/1.x response; the reason names no value.
        case invalid(String)
        /// The body is larger than the limit.
        case tooLarge
        case timedOut
        case woken
        case failed(Int32)
    }

    /// The largest response head (status line and header fields) accepted: 64 KiB.
    static let maximumHeadSize = 64 * 1024

    private let isResponseToHead: Bool
    private let maximumBodySize: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var receivedAnything = false

    /// Creates a parser.
    ///
    /// - Parameters:
    ///   - isResponseToHead: Whether the request was `HEAD` (the response then has no body).
    ///   - maximumBodySize: The largest body accepted, in bytes.
    init(isResponseToHead: Bool, maximumBodySize: Int) {
        self.isResponseToHead = isResponseToHead
        self.maximumBodySize = max(0, maximumBodySize)
    }

    /// Reads one response, calling `read` for more bytes whenever it needs them.
    mutating func readResponse(_ read: () -> Read) -> Result<Response, Failure> {
        do {
            return .success(try parse(read))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(.invalid("unexpected parser error"))
        }
    }

    private mutating func parse(_ read: () -> Read) throws -> Response {
        var head: (status: Int, version: String, fields: [(name: String, value: String)])
        repeat {
            head = try readHead(read)
            if head.status == 101 {
                throw Failure.invalid("the server switched protocols (101), which was not asked for")
            }
        } while (100...199).contains(head.status)

        let fields = head.fields
        let codings = Self.values(of: "transfer-encoding", in: fields)
        let lengths = Self.values(of: "content-length", in: fields)
        var reusable =
            head.version == "HTTP/1.1"
            && !Self.values(of: "connection", in: fields).contains { $0.lowercased() == "close" }

        var body: [UInt8] = []
        if isResponseToHead || head.status == 204 || head.status == 304 {
            // No body, whatever the fields announce.
        } else if !codings.isEmpty {
            guard lengths.isEmpty else {
                throw Failure.invalid("the response has both Transfer-Encoding and Content-Length")
            }
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                throw Failure.invalid("the response uses a transfer coding other than chunked")
            }
            body = try readChunkedBody(read)
        } else if !lengths.isEmpty {
            guard let first = lengths.first, lengths.allSatisfy({ $0 == first }),
                !first.isEmpty, first.utf8.count <= 18, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let length = Int(first)
            else {
                throw Failure.invalid("the response's Content-Length is not one decimal number")
            }
            guard length <= maximumBodySize else { throw Failure.tooLarge }
            body = try readExactly(length, read)
        } else {
            body = try readUntilEndOfFile(read)
            reusable = false
        }
        if position < buffer.count {
            // Bytes after the response: the connection's framing cannot be trusted any more.
            reusable = false
        }
        return Response(status: head.status, fields: fields, body: body, connectionReusable: reusable)
    }

    // MARK: - Head

    private mutating func readHead(_ read: () -> Read) throws -> (status: Int, version: String, fields: [(name: String, value: String)]) {
        var headBytes = 0
        var lines: [[UInt8]] = []
        while true {
            let line = try readLine(read, limit: Self.maximumHeadSize - headBytes, inHead: true)
            headBytes += line.count + 2
            if line.isEmpty {
                if lines.isEmpty { continue } // Tolerate empty lines before the status line.
                break
            }
            lines.append(line)
        }
        let statusLine = lines.removeFirst()
        let (status, version) = try Self.parseStatusLine(statusLine)
        var fields: [(name: String, value: String)] = []
        for line in lines {
            guard let first = line.first, first != 0x20, first != 0x09 else {
                throw Failure.invalid("the response has a folded header line")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
                throw Failure.invalid("a response header line has no name")
            }
            let nameBytes = line[..<colon]
            guard nameBytes.allSatisfy(Self.isTokenByte) else {
                throw Failure.invalid("a response header name is not a token")
            }
            var valueBytes = line[(colon + 1)...]
            while let byte = valueBytes.first, byte == 0x20 || byte == 0x09 { valueBytes.removeFirst() }
            while let byte = valueBytes.last, byte == 0x20 || byte == 0x09 { valueBytes.removeLast() }
            guard valueBytes.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw Failure.invalid("a response header value contains a control character")
            }
            fields.append((String(decoding: nameBytes, as: UTF8.self), String(decoding: valueBytes, as: UTF8.self)))
        }
        return (status, version, fields)
    }

    private static func parseStatusLine(_ line: [UInt8]) throws -> (Int, String) {
        // "HTTP/1.1 200 OK": the reason may be empty and may contain spaces.
        guard line.count >= 12, line[8] == 0x20 else {
            throw Failure.invalid("the response does not start with an HTTP/1.x status line")
        }
        let version = String(decoding: line[0..<8], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw Failure.invalid("the response does not start with an HTTP/1.x status line")
        }
        let digits = line[9..<12]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), line.count == 12 || line[12] == 0x20,
            let status = Int(String(decoding: digits, as: UTF8.self)), (100...599).contains(status)
        else {
            throw Failure.invalid("the response's status code is not three digits between 100 and 599")
        }
        return (status, version)
    }

    // MARK: - Body

    private mutating func readChunkedBody(_ read: () -> Read) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(read, limit: 4096, inHead: false)
            let sizeEnd = line.firstIndex(where: { $0 == UInt8(ascii: ";") || $0 == 0x20 || $0 == 0x09 }) ?? line.count
            let sizeDigits = line[..<sizeEnd]
            guard !sizeDigits.isEmpty, sizeDigits.count <= 15, sizeDigits.allSatisfy(Self.isHexDigit),
                let size = Int(String(decoding: sizeDigits, as: UTF8.self), radix: 16)
            else {
                throw Failure.invalid("a chunk size is not a hexadecimal number")
            }
            if size == 0 { break }
            guard body.count + size <= maximumBodySize else { throw Failure.tooLarge }
            body += try readExactly(size, read)
            let end = try readLine(read, limit: 2, inHead: false)
            guard end.isEmpty else { throw Failure.invalid("a chunk is longer than its size") }
        }
        // Trailer fields, up to the empty line; their values are not kept.
        var trailerBytes = 0
        while true {
            let line = try readLine(read, limit: Self.maximumHeadSize - trailerBytes, inHead: false)
            if line.isEmpty { break }
            trailerBytes += line.count + 2
        }
        return body
    }

    private mutating func readExactly(_ count: Int, _ read: () -> Read) throws -> [UInt8] {
        while buffer.count - position < count {
            try fill(read, duringResponse: true)
        }
        let bytes = Array(buffer[position..<(position + count)])
        position += count
        compact()
        return bytes
    }

    private mutating func readUntilEndOfFile(_ read: () -> Read) throws -> [UInt8] {
        while true {
            guard buffer.count - position <= maximumBodySize else { throw Failure.tooLarge }
            switch read() {
            case .bytes(let bytes):
                buffer += bytes
                guard buffer.count - position <= maximumBodySize else { throw Failure.tooLarge }
            case .endOfFile:
                let body = Array(buffer[position...])
                position = buffer.count
                return body
            case .timedOut: throw Failure.timedOut
            case .woken: throw Failure.woken
            case .failed(let code): throw Failure.failed(code)
            }
        }
    }

    // MARK: - Lines and buffer

    /// The next line without its line end (CRLF or LF). A line longer than `limit` is refused.
    private mutating func readLine(_ read: () -> Read, limit: Int, inHead: Bool) throws -> [UInt8] {
        var searchFrom = position
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[position..<end])
                position = newline + 1
                compact()
                return line
            }
            guard buffer.count - position <= max(limit, 0) else {
                throw inHead
                    ? Failure.invalid("the response head exceeds \(Self.maximumHeadSize / 1024) KiB")
                    : Failure.invalid("a chunk-size or trailer line is too long")
            }
            searchFrom = buffer.count
            try fill(read, duringResponse: receivedAnything)
        }
    }

    private mutating func fill(_ read: () -> Read, duringResponse: Bool) throws {
        switch read() {
        case .bytes(let bytes):
            if !bytes.isEmpty { receivedAnything = true }
            buffer += bytes
        case .endOfFile:
            throw duringResponse || receivedAnything ? Failure.closedDuringResponse : Failure.closedBeforeResponse
        case .timedOut: throw Failure.timedOut
        case .woken: throw Failure.woken
        case .failed(let code): throw Failure.failed(code)
        }
    }

    /// Drops consumed bytes once they make up most of the buffer.
    private mutating func compact() {
        if position > 65536, position * 2 > buffer.count {
            buffer.removeFirst(position)
            position = 0
        }
    }

    private static func values(of name: String, in fields: [(name: String, value: String)]) -> [String] {
        fields.filter { $0.name.lowercased() == name }
            .flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
