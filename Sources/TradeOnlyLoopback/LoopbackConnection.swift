import Foundation

/// Serves the requests of one accepted connection, on its own thread, until the client closes it,
/// asks to close it, sends something invalid, stays idle past the timeout, or the server stops.
struct LoopbackConnection: Sendable {
    let descriptor: Int32
    let id: Int
    let configuration: LoopbackServer.Configuration
    let core: LoopbackServerCore

    /// The next step after reading from the connection.
    private enum Incoming {
        case request(LoopbackRequest, keepAlive: Bool)
        case failure(RequestHead.Failure)
        case closed
    }

    func run() {
        var reader = ConnectionReader(
            descriptor: descriptor, timeoutMilliseconds: configuration.readTimeout.milliseconds)
        Socket.setSendTimeout(descriptor, milliseconds: configuration.readTimeout.milliseconds)
        serving: while true {
            switch readRequest(&reader) {
            case .closed:
                break serving
            case .failure(let failure):
                let response = ResponseWriter.errorResponse(failure)
                _ = Socket.sendAll(descriptor, ResponseWriter.serialize(response, closing: true))
                lingeringClose(&reader)
                break serving
            case .request(let request, let keepAlive):
                let response = core.respond(to: request)
                if response.closesWithoutAnswering {
                    Socket.shutdown(descriptor, reading: true, writing: true)
                    break serving
                }
                let closing =
                    !keepAlive || core.isStopping
                    || ResponseWriter.asksToClose(response)
                let bytes = ResponseWriter.serialize(
                    ResponseWriter.checked(response), closing: closing,
                    omittingBody: request.method == "HEAD",
                    keepAliveHeader: !closing && request.version == "HTTP/1.0")
                guard Socket.sendAll(descriptor, bytes) else { break serving }
                if closing {
                    Socket.shutdown(descriptor, reading: false, writing: true)
                    break serving
                }
            }
        }
        core.connectionFinished(id: id, descriptor: descriptor)
    }

    private func readRequest(_ reader: inout ConnectionReader) -> Incoming {
        // The head: up to the first empty line, at most `maximumHeaderSize` bytes.
        var searched = 0
        var headEnd: Int?
        while headEnd == nil {
            // Ignore empty lines before a request line (RFC 9112 §2.2).
            while reader.available.starts(with: [cr, lf]) {
                reader.skip(2)
                searched = 0
            }
            headEnd = reader.firstEmptyLine(from: max(0, searched - 3))
            if headEnd != nil { break }
            searched = reader.available.count
            if searched >= configuration.maximumHeaderSize {
                return .failure(.init(status: 431, reason: "request header fields too large"))
            }
            switch reader.read() {
            case .data: continue
            case .timedOut: return searched == 0 ? .closed : .failure(.init(status: 408, reason: "request timeout"))
            case .endOfFile, .failed: return .closed
            }
        }
        guard let headEnd, headEnd + 4 <= configuration.maximumHeaderSize else {
            return .failure(.init(status: 431, reason: "request header fields too large"))
        }
        let head: RequestHead
        let framing: RequestHead.BodyFraming
        do {
            head = try RequestHead.parse(reader.consume(headEnd))
            reader.skip(4)
            framing = try head.bodyFraming(maximumBodySize: configuration.maximumBodySize)
        } catch {
            return .failure(error)
        }

        if framing != .none, head.version == "HTTP/1.1", let expectation = head.expectation {
            guard expectation == "100-continue" else {
                return .failure(.init(status: 417, reason: "expectation failed"))
            }
            if reader.available.isEmpty {
                guard Socket.sendAll(descriptor, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return .closed }
            }
        }

        let body: Data
        switch framing {
        case .none:
            body = Data()
        case .contentLength(let length):
            if let failure = reader.fill(to: length) {
                return failure == .timedOut ? .failure(.init(status: 408, reason: "request timeout")) : .closed
            }
            body = Data(reader.consume(length))
        case .chunked:
            switch readChunkedBody(&reader) {
            case .success(let data): body = data
            case .failure(let failure): return failure.status == 0 ? .closed : .failure(failure)
            }
        }
        let request = LoopbackRequest(
            method: head.method, target: head.target, version: head.version,
            headerFields: head.fields, body: body, connectionID: id)
        return .request(request, keepAlive: head.wantsKeepAlive)
    }

    /// Reads a chunked body (RFC 9112 §7.1), bounded by `maximumBodySize`; trailer fields are
    /// read and dropped. A failure with status 0 means the connection is gone.
    private func readChunkedBody(_ reader: inout ConnectionReader) -> Result<Data, RequestHead.Failure> {
        let gone = RequestHead.Failure(status: 0, reason: "connection closed")
        let maximumLineLength = 4096
        var body = Data()
        func readLine(_ reader: inout ConnectionReader) -> Result<ArraySlice<UInt8>, RequestHead.Failure> {
            var searched = 0
            while true {
                if let end = reader.firstCRLF(from: max(0, searched - 1)) {
                    guard end <= maximumLineLength else { return .failure(.init(status: 400, reason: "chunk line too long")) }
                    let line = reader.consume(end)
                    reader.skip(2)
                    return .success(line)
                }
                searched = reader.available.count
                guard searched <= maximumLineLength else { return .failure(.init(status: 400, reason: "chunk line too long")) }
                switch reader.read() {
                case .data: continue
                case .timedOut: return .failure(.init(status: 408, reason: "request timeout"))
                case .endOfFile, .failed: return .failure(gone)
                }
            }
        }
        while true {
            let sizeLine: ArraySlice<UInt8>
            switch readLine(&reader) {
            case .success(let line): sizeLine = line
            case .failure(let failure): return .failure(failure)
            }
            let sizeText = String(decoding: sizeLine.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
                .trimmingSpacesAndTabs
            guard !sizeText.isEmpty, sizeText.count <= 15, let size = Int(sizeText, radix: 16), size >= 0 else {
                return .failure(.init(status: 400, reason: "malformed chunk size"))
            }
            if size == 0 {
                // Trailer section: lines until an empty one, bounded like the head.
                var trailerBytes = 0
                while true {
                    switch readLine(&reader) {
                    case .success(let line):
                        if line.isEmpty { return .success(body) }
                        trailerBytes += line.count + 2
                        if trailerBytes > configuration.maximumHeaderSize {
                            return .failure(.init(status: 431, reason: "trailer fields too large"))
                        }
                    case .failure(let failure):
                        return .failure(failure)
                    }
                }
            }
            guard body.count + size <= configuration.maximumBodySize else {
                return .failure(.init(status: 413, reason: "body too large"))
            }
            if let failure = reader.fill(to: size + 2) {
                return .failure(failure == .timedOut ? .init(status: 408, reason: "request timeout") : gone)
            }
            body.append(contentsOf: reader.consume(size))
            guard reader.consume(2).elementsEqual([cr, lf]) else {
                return .failure(.init(status: 400, reason: "chunk not terminated by CRLF"))
            }
        }
    }

    /// After an error response: stop sending, then read and discard what the client is still sending
    /// (for a short, bounded time) so that closing does not reset the connection before the client
    /// has read the response.
    private func lingeringClose(_ reader: inout ConnectionReader) {
        Socket.shutdown(descriptor, reading: false, writing: true)
        let deadline = ContinuousClock.now + .seconds(2)
        var discarded = 0
        var scratch: [UInt8] = []
        scratch.reserveCapacity(ConnectionReader.chunkSize)
        while ContinuousClock.now < deadline, discarded < 64 * 1024 * 1024, !core.isStopping {
            switch Socket.waitReadable(descriptor, milliseconds: 100) {
            case .readable: break
            case .timedOut: continue
            case .failed: return
            }
            scratch.removeAll(keepingCapacity: true)
            let received = Socket.receive(descriptor, into: &scratch, upTo: ConnectionReader.chunkSize)
            if received <= 0 { return }
            discarded += received
        }
    }
}

extension ConnectionReader.ReadResult: Equatable {}

extension Duration {
    /// The duration in whole milliseconds, clamped to 1...Int32.max.
    var milliseconds: Int32 {
        let components = components
        let total = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return Int32(min(max(total, 1), Double(Int32.max)))
    }
}
