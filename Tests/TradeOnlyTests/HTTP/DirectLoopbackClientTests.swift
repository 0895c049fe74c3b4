import Foundation
import Testing
import TradeOnlyLoopback

@testable import TradeOnly

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Feeds bytes to an ``HTTPResponseParser`` in pieces, then end of file.
private struct Pieces {
    var pieces: [[UInt8]]

    init(_ bytes: [UInt8], using generator: inout SeededGenerator) {
        var pieces: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let length = min(bytes.count - index, Int.random(in: 1...max(1, bytes.count / 3 + 1), using: &generator))
            pieces.append(Array(bytes[index..<(index + length)]))
            index += length
        }
        self.pieces = pieces
    }

    mutating func read() -> DirectLoopbackRead {
        pieces.isEmpty ? .endOfFile : .bytes(pieces.removeFirst())
    }
}

private func parse(_ text: String, head: Bool = false, limit: Int = 1 << 20) -> Result<HTTPResponseParser.Response, HTTPResponseParser.Failure> {
    var generator = SeededGenerator(state: 7)
    var source = Pieces(Array(text.utf8), using: &generator)
    var parser = HTTPResponseParser(isResponseToHead: head, maximumBodySize: limit)
    return parser.readResponse { source.read() }
}

@Suite("The transport's own loopback client")
struct DirectLoopbackClientTests {
    @Test("randomised responses, cut into random pieces, are read back exactly (length, chunked, to end of file)")
    func randomisedResponses() async throws {
        var generator = SeededGenerator(state: 0x5EED_0001)
        for round in 0..<300 {
            if round % 50 == 0 { await Task.yield() } // CPU-bound: leave the shared pool to others now and then
            let body = (0..<Int.random(in: 0...3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let status = [200, 201, 400, 404, 418, 429, 500, 503].randomElement(using: &generator) ?? 200
            var fields: [(String, String)] = [("Content-Type", "application/json"), ("X-MBX-USED-WEIGHT-1M", String(round))]
            var wire = Array("HTTP/1.1 \(status) Reason Phrase\r\n".utf8)
            if Bool.random(using: &generator) {
                wire = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8) + wire
            }
            let framing = Int.random(in: 0..<3, using: &generator)
            var framed: [UInt8] = []
            switch framing {
            case 0:
                fields.append(("Content-Length", String(body.count)))
                framed = body
            case 1:
                fields.append(("Transfer-Encoding", "chunked"))
                var index = 0
                while index < body.count {
                    let size = min(body.count - index, Int.random(in: 1...700, using: &generator))
                    let extensionText = Bool.random(using: &generator) ? ";name=value" : ""
                    framed += Array("\(String(size, radix: 16, uppercase: Bool.random(using: &generator)))\(extensionText)\r\n".utf8)
                    framed += body[index..<(index + size)] + [13, 10]
                    index += size
                }
                framed += Array("0\r\n".utf8) + (Bool.random(using: &generator) ? Array("X-Trailer: t\r\n".utf8) : []) + [13, 10]
            default:
                fields.append(("Connection", "close"))
                framed = body
            }
            for (name, value) in fields {
                wire += Array("\(name): \(value)\r\n".utf8)
            }
            wire += [13, 10] + framed
            var source = Pieces(wire, using: &generator)
            var parser = HTTPResponseParser(isResponseToHead: false, maximumBodySize: 1 << 20)
            let response = try parser.readResponse { source.read() }.get()
            #expect(response.status == status, "round \(round)")
            #expect(response.body == body, "round \(round)")
            #expect(response.fields.map(\.name) == fields.map(\.0), "round \(round)")
            #expect(response.fields.map(\.value) == fields.map(\.1), "round \(round)")
            #expect(response.connectionReusable == (framing != 2), "round \(round)")
        }
    }

    @Test(
        "responses whose framing could be read two ways are refused",
        arguments: [
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
            "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0x3\r\n\r\nabc",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+3\r\nabc\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\n Folded: value\r\n\r\n",
            "HTTP/1.1 200 OK\r\nBad Name: value\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 099 OK\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
            "SSH-2.0-OpenSSH_9.6\r\n\r\n",
        ])
    func ambiguousResponses(text: String) {
        guard case .failure(.invalid) = parse(text) else {
            Issue.record("accepted: \(parse(text))")
            return
        }
    }

    @Test("size caps, early ends, HEAD and 204 are handled")
    func limitsAndEnds() throws {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", limit: 10) == .failure(.tooLarge))
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhelloworld", limit: 10).map(\.body) == .success(Array("helloworld".utf8)))
        #expect(
            parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n", limit: 10) == .failure(.tooLarge))
        #expect(parse("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello world", limit: 10) == .failure(.tooLarge))
        #expect(parse("") == .failure(.closedBeforeResponse))
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Le") == .failure(.closedDuringResponse))
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc") == .failure(.closedDuringResponse))
        #expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") == .failure(.closedDuringResponse))
        let head = try parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", head: true).get()
        #expect(head.body.isEmpty)
        #expect(head.connectionReusable)
        let noContent = try parse("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n").get()
        #expect(noContent.body.isEmpty)
        let http10 = try parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx").get()
        #expect(!http10.connectionReusable)
        let closing = try parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 1\r\n\r\nx").get()
        #expect(!closing.connectionReusable)
        // Bytes after the response (read together with it; later ones the pool's check catches).
        var reads: [DirectLoopbackRead] = [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n".utf8))]
        var parser = HTTPResponseParser(isResponseToHead: false, maximumBodySize: 10)
        let extra = try parser.readResponse { reads.isEmpty ? .endOfFile : reads.removeFirst() }.get()
        #expect(!extra.connectionReusable, "bytes after the response: the connection is not reused")
        let bareLineFeeds = try parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nok").get()
        #expect(bareLineFeeds.body == Array("ok".utf8))
        let huge = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Padding: 0123456789\r\n", count: 4000) + "\r\n"
        #expect(parse(huge) == .failure(.invalid("the response head exceeds 64 KiB")))
    }

    @Test("the request goes on the wire as built: target as in the URL, fields in order, Host and Content-Length added")
    func requestBytes() throws {
        let url = try #require(URL(string: "http://user:pw@127.0.0.1:8080/api/v3/%E8%BF%99?symbol=A%2FB&signature=ab#fragment"))
        let request = HTTPRequest(
            method: .post, url: url, headers: HTTPHeaders([("X-MBX-APIKEY", "key"), ("x-a", "1"), ("X-A", "2")]),
            body: Data("a=1".utf8))
        let text = String(decoding: try DirectLoopbackClient.requestBytes(for: request), as: UTF8.self)
        #expect(
            text == "POST /api/v3/%E8%BF%99?symbol=A%2FB&signature=ab HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                + "X-MBX-APIKEY: key\r\nx-a: 1\r\nX-A: 2\r\nContent-Length: 3\r\n\r\na=1")

        let get = HTTPRequest(method: .get, url: try #require(URL(string: "http://localhost")), headers: ["Host": "example"])
        #expect(String(decoding: try DirectLoopbackClient.requestBytes(for: get), as: UTF8.self) == "GET / HTTP/1.1\r\nHost: example\r\n\r\n")
        let emptyDelete = HTTPRequest(method: .delete, url: try #require(URL(string: "http://[::1]:9/x?y")))
        #expect(
            String(decoding: try DirectLoopbackClient.requestBytes(for: emptyDelete), as: UTF8.self)
                == "DELETE /x?y HTTP/1.1\r\nHost: [::1]:9\r\nContent-Length: 0\r\n\r\n")
        let matchingLength = HTTPRequest(method: .post, url: url, headers: ["Content-Length": "3"], body: Data("a=1".utf8))
        #expect(String(decoding: try DirectLoopbackClient.requestBytes(for: matchingLength), as: UTF8.self).hasSuffix("Content-Length: 3\r\n\r\na=1"))
    }

    @Test(
        "a request whose framing headers disagree with its body is refused before any I/O",
        arguments: [
            HTTPHeaders([("Content-Length", "4")]), HTTPHeaders([("Content-Length", "3"), ("Content-Length", "30")]),
            HTTPHeaders([("Transfer-Encoding", "chunked")]),
        ])
    func framingHeadersRefused(headers: HTTPHeaders) async throws {
        let server = try startedServer()
        defer { server.stop() }
        let request = HTTPRequest(method: .post, url: try url(server, "/order"), headers: headers, body: Data("a=1".utf8))
        let error = try #require(await transportError(URLSessionTransport(), request))
        #expect(error.kind == .invalidRequest)
        #expect(!error.requestMayHaveBeenSent)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("loopback hosts map to loopback addresses only, never through the resolver")
    func addresses() {
        #expect(DirectLoopbackAddress.addresses(forHost: "127.0.0.1", port: 80).map(\.description) == ["127.0.0.1:80"])
        #expect(DirectLoopbackAddress.addresses(forHost: "127.9.8.7", port: 1).map(\.description) == ["127.9.8.7:1"])
        #expect(DirectLoopbackAddress.addresses(forHost: "LocalHost", port: 8).map(\.description) == ["127.0.0.1:8", "[::1]:8"])
        #expect(DirectLoopbackAddress.addresses(forHost: "[::1]", port: 8).map(\.description) == ["[::1]:8"])
        #expect(DirectLoopbackAddress.addresses(forHost: "0:0:0:0:0:0:0:1", port: 8).map(\.description) == ["[::1]:8"])
        for host in ["10.0.0.1", "127.1", "localhost.example.com", "example.com", "::2", "", "127.0.0.1.nip.io"] {
            #expect(DirectLoopbackAddress.addresses(forHost: host, port: 80).isEmpty, "\(host)")
        }
    }

    @Test("a read on a kept-alive connection the server closed without answering is sent again on a fresh one; a write never is")
    func staleConnection() async throws {
        // Connection 1 answers the first request and then closes on the second without answering;
        // every later connection answers everything.
        let server = try ClosingServer()
        let transport = URLSessionTransport(configuration: .init(timeout: .seconds(10)))
        let base = "http://127.0.0.1:\(server.port)"
        let first = try await transport.send(HTTPRequest(method: .get, url: try #require(URL(string: base + "/first"))))
        #expect(first.status == 200)
        let second = try await transport.send(HTTPRequest(method: .get, url: try #require(URL(string: base + "/second"))))
        #expect(second.status == 200)
        #expect(String(decoding: second.body, as: UTF8.self) == "/second on connection 2")

        let write = HTTPRequest(method: .post, url: try #require(URL(string: base + "/order")), body: Data("a=1".utf8))
        let response = try await transport.send(write)
        #expect(String(decoding: response.body, as: UTF8.self) == "/order on connection 3")
        #expect(server.requests.map(\.target) == ["/first", "/second", "/second", "/order"])
        #expect(server.requests.map(\.connection) == [1, 1, 2, 3])
    }

    @Test("cancelling a request waiting on a server that never accepts ends it at once as cancelled")
    func cancellation() async throws {
        let held = try HeldPort(listening: true)
        let transport = URLSessionTransport(configuration: .init(timeout: .seconds(600)))
        let request = HTTPRequest(method: .post, url: try #require(URL(string: "http://127.0.0.1:\(held.port)/order")))
        let task = Task { try await transport.send(request) }
        // The kernel completes a connection to a listening socket: wait (on a thread of its own)
        // until it is there, so the request is past connect and blocked waiting for an answer.
        let descriptor = held.descriptor
        let arrived = try await offThread {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, 60_000) > 0
        }
        #expect(arrived)
        task.cancel()
        let result = await task.result
        guard case .failure(let error as HTTPTransportError) = result else {
            Issue.record("expected an HTTPTransportError, got \(result)")
            return
        }
        #expect(error.kind == .cancelled)
    }
}

/// A raw server for ``DirectLoopbackClientTests/staleConnection()``: connection 1 answers its first
/// request with keep-alive and closes on its second without answering; later connections answer
/// every request with its target and the connection number.
private final class ClosingServer: @unchecked Sendable {
    // @unchecked: `recorded` is guarded by `lock`.
    private let held: HeldPort
    private let lock = NSLock()
    private var recorded: [(target: String, connection: Int)] = []
    var port: UInt16 { held.port }
    var requests: [(target: String, connection: Int)] { lock.withLock { recorded } }

    init() throws {
        held = try HeldPort(listening: true)
        // Exactly the three connections the test makes; the thread keeps the listener open until then.
        let thread = Thread { [self] in
            for number in 1...3 {
                let connection = accept(self.held.descriptor, nil, nil)
                guard connection >= 0 else { return }
                let worker = Thread { self.serve(connection, number: number) }
                worker.start()
            }
        }
        thread.start()
    }

    private func serve(_ connection: Int32, number: Int) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        var handled = 0
        while true {
            guard let head = readHead(connection, &buffer) else { return }
            let line = head.split(separator: "\r\n").first ?? ""
            let target = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            let length =
                head.split(separator: "\r\n").compactMap { field -> Int? in
                    let parts = field.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
            while buffer.count < length {
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = recv(connection, &chunk, 4096, 0)
                guard count > 0 else { return }
                buffer += chunk[0..<count]
            }
            buffer.removeFirst(length)
            lock.withLock { recorded.append((target, number)) }
            handled += 1
            if number == 1, handled == 2 { return }
            let body = "\(target) on connection \(number)"
            let reply = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            #if canImport(Glibc)
                let flags = Int32(MSG_NOSIGNAL)
            #else
                let flags: Int32 = 0
            #endif
            _ = reply.withCString { send(connection, $0, strlen($0), flags) }
        }
    }

    private func readHead(_ connection: Int32, _ buffer: inout [UInt8]) -> String? {
        while true {
            if let end = buffer.indices.dropLast(3).first(where: {
                buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10
            }) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return head
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(connection, &chunk, 4096, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
        }
    }
}
