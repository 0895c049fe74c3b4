// Blocking POSIX socket helpers for tests that need to see or shape the bytes on the wire.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct RawSocketError: Error, CustomStringConvertible {
    var description: String
}

/// Runs blocking work on its own thread, so it never occupies the Swift concurrency pool (which the
/// server's handler tasks need).
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}

private func makeAddress(host: String, port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    _ = inet_pton(AF_INET, host, &address.sin_addr)
    return address
}

private func makeTCPSocket() -> Int32 {
    #if canImport(Darwin)
        return socket(AF_INET, SOCK_STREAM, 0)
    #else
        return socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #endif
}

/// How long a raw socket read in a test waits before the test gives up: only a guard against a hang,
/// never a bound a passing test comes near, so a loaded machine cannot make a correct server fail.
let rawReadTimeout: Double = 60

/// A TCP client connection with a receive timeout, for raw HTTP exchanges.
final class RawClient: @unchecked Sendable {
    // @unchecked: used from one thread at a time by the tests.
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(host: String = "127.0.0.1", port: UInt16, timeout: Double = rawReadTimeout) throws {
        descriptor = makeTCPSocket()
        guard descriptor >= 0 else { throw RawSocketError(description: "socket failed") }
        var address = makeAddress(host: host, port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw RawSocketError(description: "connect failed: errno \(errno)")
        }
        var value = timeval()
        value.tv_sec = .init(Int(timeout))
        value.tv_usec = .init(Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
            var one: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    deinit {
        close(descriptor)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        guard sendAll(descriptor, bytes) else { throw RawSocketError(description: "send failed: errno \(errno)") }
    }

    /// Why the last read got nothing: end of file, the receive timeout, or an error.
    private var readFailure = ""

    /// Reads more bytes into the buffer; returns false at end of file (or on timeout/error).
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let received = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 65536, 0) }
            if received < 0, errno == EINTR { continue }
            guard received > 0 else {
                readFailure =
                    received == 0
                    ? "closed"
                    : errno == EAGAIN || errno == EWOULDBLOCK ? "no byte within the receive timeout" : "errno \(errno)"
                return false
            }
            buffer.append(contentsOf: chunk[0..<received])
            return true
        }
    }

    /// Whether the server closed the connection (end of file) within the receive timeout, with no
    /// further bytes.
    func readsEndOfFile() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16)
        while true {
            let received = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 16, 0) }
            if received < 0, errno == EINTR { continue }
            // 0: orderly end of file; ECONNRESET also means the server closed it.
            return received == 0 || (received < 0 && errno == ECONNRESET)
        }
    }

    /// Reads exactly one HTTP response framed by Content-Length (or none, for 1xx/204/304/HEAD).
    func readResponse(expectingBody: Bool = true) throws -> RawResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = findEmptyLine()
            if headEnd == nil, !fill() {
                throw RawSocketError(description: "no response head: \(readFailure) after \(buffer.count) bytes")
            }
        }
        guard let headEnd else { throw RawSocketError(description: "unreachable") }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw RawSocketError(description: "bad status line \(statusLine)")
        }
        let fields = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            let value = line[colon...].dropFirst().trimmingCharacters(in: .whitespaces)
            return (String(line[..<colon]), value)
        }
        var body: [UInt8] = []
        let length = fields.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        if expectingBody, status >= 200, status != 204, status != 304 {
            while buffer.count < length {
                guard fill() else { throw RawSocketError(description: "no complete body: \(readFailure)") }
            }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return RawResponse(statusLine: statusLine, status: status, fields: fields, body: body)
    }

    private func findEmptyLine() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

struct RawResponse: Sendable {
    var statusLine: String
    var status: Int
    var fields: [(String, String)]
    var body: [UInt8]

    func value(for name: String) -> String? {
        fields.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A TCP socket on 127.0.0.1 that holds a port, either bound but not listening (connections are
/// refused) or listening but never accepting (connections complete, requests are never answered).
final class HeldPort: @unchecked Sendable {
    let descriptor: Int32
    let port: UInt16

    init(listening: Bool) throws {
        let descriptor = makeTCPSocket()
        var address = makeAddress(host: "127.0.0.1", port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, !listening || listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw RawSocketError(description: "bind/listen failed: errno \(errno)")
        }
        var boundAddress = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &boundAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: boundAddress.sin_port)
    }

    deinit {
        close(descriptor)
    }
}

/// A one-connection server that reads a request head and answers with fixed raw bytes, then closes:
/// for responses the LoopbackServer never sends (no Content-Length, or no response at all).
final class ScriptedServer: @unchecked Sendable {
    private let held: HeldPort
    var port: UInt16 { held.port }

    init(reply: [UInt8]) throws {
        held = try HeldPort(listening: true)
        let listener = held.descriptor
        let thread = Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            var value = timeval()
            value.tv_sec = .init(rawReadTimeout)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
            while !received.containsEmptyLine {
                let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, 4096, 0) }
                guard count > 0 else { break }
                received.append(contentsOf: chunk[0..<count])
            }
            _ = sendAll(connection, reply)
            close(connection)
        }
        thread.start()
    }
}

extension [UInt8] {
    fileprivate var containsEmptyLine: Bool {
        guard count >= 4 else { return false }
        return (0...(count - 4)).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}

/// Sends all bytes, retrying on EINTR, without raising SIGPIPE. Returns false if the peer is gone.
private func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    #if canImport(Darwin)
        let flags: Int32 = 0
    #else
        let flags = Int32(MSG_NOSIGNAL)
    #endif
    var offset = 0
    while offset < bytes.count {
        let sent = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return systemSend(descriptor, base + offset, bytes.count - offset, flags)
        }
        if sent < 0, errno == EINTR { continue }
        guard sent > 0 else { return false }
        offset += sent
    }
    return true
}

#if canImport(Darwin)
    private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
        Darwin.send(descriptor, bytes, count, flags)
    }
#else
    private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
        Glibc.send(descriptor, bytes, count, flags)
    }
#endif
