#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A loopback address the direct client connects to: `127.0.0.0/8` or `::1`, never resolved by DNS.
struct DirectLoopbackAddress: Sendable, Hashable, CustomStringConvertible {
    enum Family: Sendable, Hashable {
        /// An IPv4 address in network byte order.
        case ipv4(UInt32)
        /// `::1`.
        case ipv6Loopback
    }

    var family: Family
    var port: UInt16

    var description: String {
        switch family {
        case .ipv4(let address):
            let host = UInt32(bigEndian: address)
            return "\(host >> 24).\((host >> 16) & 0xFF).\((host >> 8) & 0xFF).\(host & 0xFF):\(port)"
        case .ipv6Loopback:
            return "[::1]:\(port)"
        }
    }

    /// The addresses to try for a URL host that ``LoopbackHost/isLoopback(_:)`` accepted, in order:
    /// `localhost` is `127.0.0.1` then `::1` (resolved here, never by the system resolver, whose
    /// configuration could map the name elsewhere).
    static func addresses(forHost host: String, port: UInt16) -> [DirectLoopbackAddress] {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = String(name.dropFirst().dropLast())
        }
        guard LoopbackHost.isLoopback(name) else { return [] }
        if name == "localhost" {
            return [
                DirectLoopbackAddress(family: .ipv4(UInt32(0x7F00_0001).bigEndian), port: port),
                DirectLoopbackAddress(family: .ipv6Loopback, port: port),
            ]
        }
        if name.contains(":") {
            return [DirectLoopbackAddress(family: .ipv6Loopback, port: port)]
        }
        let octets = name.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }), octets[0] == 127 else { return [] }
        let value = octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]
        return [DirectLoopbackAddress(family: .ipv4(value.bigEndian), port: port)]
    }
}

/// What a bounded wait on a socket ended with.
enum DirectLoopbackWait: Equatable {
    /// The socket is ready for what was asked (or has an error or end of file to report).
    case ready
    /// The deadline passed first.
    case timedOut
    /// The wake descriptor became readable: the request was cancelled.
    case woken
    /// `poll` itself failed.
    case failed(Int32)
}

/// One TCP connection of the direct loopback client: non-blocking, close-on-exec, `TCP_NODELAY`, no
/// `SIGPIPE`. Every wait is bounded by a deadline and ends early when the wake descriptor (the read
/// end of a pipe that cancellation writes to) becomes readable, so no thread blocks for ever.
///
/// Used by one thread at a time: the connection pool hands it from one request to the next.
final class DirectLoopbackConnection: @unchecked Sendable {
    // @unchecked: the only state is the descriptor, which is immutable; a connection is used by one
    // request (one thread) at a time, and the pool hands it over under its lock.
    let descriptor: Int32
    let address: DirectLoopbackAddress

    private init(descriptor: Int32, address: DirectLoopbackAddress) {
        self.descriptor = descriptor
        self.address = address
    }

    deinit {
        _ = systemClose(descriptor)
    }

    /// The outcome of opening a connection.
    enum ConnectOutcome {
        case connected(DirectLoopbackConnection)
        case refused(Int32)
        case timedOut
        case woken
    }

    /// Opens a connection to `address`, waiting at most until `deadline`.
    static func connect(
        to address: DirectLoopbackAddress, deadline: ContinuousClock.Instant, wake: Int32
    ) -> ConnectOutcome {
        let domain: Int32
        switch address.family {
        case .ipv4: domain = AF_INET
        case .ipv6Loopback: domain = AF_INET6
        }
        #if canImport(Darwin)
            let descriptor = socket(domain, SOCK_STREAM, 0)
        #else
            let descriptor = socket(domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard descriptor >= 0 else { return .refused(errno) }
        let connection = DirectLoopbackConnection(descriptor: descriptor, address: address)
        setCloseOnExec(descriptor)
        guard setNonBlocking(descriptor) else { return .refused(errno) }
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif

        var result: Int32
        switch address.family {
        case .ipv4(let value):
            var socketAddress = sockaddr_in()
            #if canImport(Darwin)
                socketAddress.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
            #endif
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = address.port.bigEndian
            socketAddress.sin_addr.s_addr = value
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    systemConnect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6Loopback:
            var socketAddress = sockaddr_in6()
            #if canImport(Darwin)
                socketAddress.sin6_len = UInt8(MemoryLayout<sockaddr_in6>.size)
            #endif
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = address.port.bigEndian
            socketAddress.sin6_addr = in6addr_loopback
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    systemConnect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        if result == 0 { return .connected(connection) }
        let code = errno
        guard code == EINPROGRESS || code == EINTR else { return .refused(code) }
        switch wait(descriptor, for: Int16(POLLOUT), until: deadline, wake: wake) {
        case .ready: break
        case .timedOut: return .timedOut
        case .woken: return .woken
        case .failed(let code): return .refused(code)
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else { return .refused(errno) }
        return failure == 0 ? .connected(connection) : .refused(failure)
    }

    /// The outcome of sending.
    enum SendOutcome: Equatable {
        case sent
        /// The peer is gone (or the socket failed) after `bytesSent` bytes.
        case failed(bytesSent: Int)
        case timedOut(bytesSent: Int)
        case woken(bytesSent: Int)
    }

    /// Sends all of `bytes`, waiting at most until `deadline`.
    func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant, wake: Int32) -> SendOutcome {
        #if canImport(Darwin)
            let flags: Int32 = 0
        #else
            let flags = Int32(MSG_NOSIGNAL)
        #endif
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                systemSend(descriptor, raw.baseAddress.map { $0 + offset }, bytes.count - offset, flags)
            }
            if sent > 0 {
                offset += sent
                continue
            }
            let code = errno
            if sent < 0, code == EINTR { continue }
            guard sent < 0, code == EAGAIN || code == EWOULDBLOCK else { return .failed(bytesSent: offset) }
            switch Self.wait(descriptor, for: Int16(POLLOUT), until: deadline, wake: wake) {
            case .ready: continue
            case .timedOut: return .timedOut(bytesSent: offset)
            case .woken: return .woken(bytesSent: offset)
            case .failed: return .failed(bytesSent: offset)
            }
        }
        return .sent
    }

    /// Waits until bytes can be read, then reads up to 64 KiB of them.
    func receive(deadline: ContinuousClock.Instant, wake: Int32) -> DirectLoopbackRead {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let received = chunk.withUnsafeMutableBytes { raw in
                recv(descriptor, raw.baseAddress, raw.count, 0)
            }
            if received > 0 { return .bytes(Array(chunk[0..<received])) }
            if received == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else {
                return code == ECONNRESET ? .endOfFile : .failed(code)
            }
            switch Self.wait(descriptor, for: Int16(POLLIN), until: deadline, wake: wake) {
            case .ready: continue
            case .timedOut: return .timedOut
            case .woken: return .woken
            case .failed(let code): return .failed(code)
            }
        }
    }

    /// Whether an idle connection can carry another request: nothing is waiting to be read (no
    /// stray bytes, no end of file, no error). Does not wait.
    var isIdleAndOpen: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&entry, 1, 0)
            if result == 0 { return true }
            if result < 0, errno == EINTR { continue }
            return false
        }
    }

    /// Waits until `descriptor` is ready for `events`, the deadline passes or `wake` is readable.
    static func wait(
        _ descriptor: Int32, for events: Int16, until deadline: ContinuousClock.Instant, wake: Int32
    ) -> DirectLoopbackWait {
        var entries = [
            pollfd(fd: descriptor, events: events, revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .timedOut }
            let components = remaining.components
            let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 + 1
            let timeout = Int32(clamping: milliseconds)
            let result = poll(&entries, 2, timeout)
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                return .failed(code)
            }
            if entries[1].revents != 0 { return .woken }
            if entries[0].revents != 0 { return .ready }
            // result == 0: poll's own timeout; the loop checks the deadline again.
        }
    }

    /// Creates the pipe a request's cancellation writes to: both ends close-on-exec and non-blocking.
    static func makeWakePipe() -> (read: Int32, write: Int32)? {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { return nil }
        for descriptor in descriptors {
            setCloseOnExec(descriptor)
            _ = setNonBlocking(descriptor)
        }
        return (descriptors[0], descriptors[1])
    }

    /// Writes one byte to a wake pipe (a full pipe is already awake).
    static func wake(_ descriptor: Int32) {
        var byte: UInt8 = 1
        while write(descriptor, &byte, 1) < 0, errno == EINTR {}
    }

    /// Closes a descriptor once (never retried on `EINTR`: on Linux the descriptor is already released).
    static func close(_ descriptor: Int32) {
        _ = systemClose(descriptor)
    }

    /// A short text for an `errno` value, for error reasons.
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    private static func setCloseOnExec(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0 {
            _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC)
        }
    }

    private static func setNonBlocking(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0 else { return false }
        return fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0
    }
}

/// What one read from a connection gave.
enum DirectLoopbackRead: Equatable {
    case bytes([UInt8])
    /// The peer closed the connection (or reset it).
    case endOfFile
    case timedOut
    case woken
    case failed(Int32)
}

// The system calls whose names the methods above shadow.
#if canImport(Darwin)
    private func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        Darwin.connect(descriptor, address, length)
    }
    private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
        Darwin.send(descriptor, bytes, count, flags)
    }
    private func systemClose(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
#elseif canImport(Glibc)
    private func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        Glibc.connect(descriptor, address, length)
    }
    private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
        Glibc.send(descriptor, bytes, count, flags)
    }
    private func systemClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
#elseif canImport(Musl)
    private func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        Musl.connect(descriptor, address, length)
    }
    private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
        Musl.send(descriptor, bytes, count, flags)
    }
    private func systemClose(_ descriptor: Int32) -> Int32 { Musl.close(descriptor) }
#endif
