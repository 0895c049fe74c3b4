#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the POSIX socket calls the server needs: `EINTR` retried, `SIGPIPE` suppressed,
/// every descriptor close-on-exec.
enum Socket {
    /// The outcome of waiting for a descriptor to become readable.
    enum Readiness {
        case readable
        case timedOut
        case failed
    }

    static var lastErrorMessage: String {
        String(cString: strerror(errno))
    }

    /// Creates a non-blocking IPv4 TCP socket listening on `host:port` (port 0: any free port),
    /// with `SO_REUSEADDR`. Returns the descriptor and the bound port.
    static func listen(host: String, port: UInt16, backlog: Int32) throws -> (descriptor: Int32, port: UInt16) {
        var address = sockaddr_in()
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw LoopbackServerError(operation: "start", code: 0, message: "\(host) is not an IPv4 address")
        }
        guard address.sin_addr.s_addr.bigEndian >> 24 == 127 else {
            throw LoopbackServerError(operation: "start", code: 0, message: "\(host) is not a loopback address (127.0.0.0/8)")
        }
        #if canImport(Darwin)
            address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian

        #if canImport(Darwin)
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #else
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard descriptor >= 0 else {
            throw LoopbackServerError(operation: "socket", code: errno, message: lastErrorMessage)
        }
        do {
            setCloseOnExec(descriptor)
            var one: Int32 = 1
            guard setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw LoopbackServerError(operation: "setsockopt(SO_REUSEADDR)", code: errno, message: lastErrorMessage)
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                throw LoopbackServerError(operation: "bind to \(host):\(port)", code: errno, message: lastErrorMessage)
            }
            guard systemListen(descriptor, backlog) == 0 else {
                throw LoopbackServerError(operation: "listen", code: errno, message: lastErrorMessage)
            }
            var boundAddress = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &boundAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else {
                throw LoopbackServerError(operation: "getsockname", code: errno, message: lastErrorMessage)
            }
            guard setBlocking(descriptor, false) else {
                throw LoopbackServerError(operation: "fcntl(O_NONBLOCK)", code: errno, message: lastErrorMessage)
            }
            return (descriptor, UInt16(bigEndian: boundAddress.sin_port))
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Accepts one pending connection; returns its descriptor (blocking, close-on-exec, no `SIGPIPE`,
    /// `TCP_NODELAY`), or `nil` with `errno` set.
    static func accept(from listener: Int32) -> Int32? {
        while true {
            let descriptor = systemAccept(listener)
            if descriptor >= 0 {
                configureConnection(descriptor)
                return descriptor
            }
            if errno == EINTR { continue }
            return nil
        }
    }

    private static func configureConnection(_ descriptor: Int32) {
        setCloseOnExec(descriptor)
        // Accepted sockets inherit O_NONBLOCK from the listener on BSD systems; connections block.
        _ = setBlocking(descriptor, true)
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// Sets a send timeout, so a client that stops reading cannot block a connection thread for ever.
    static func setSendTimeout(_ descriptor: Int32, milliseconds: Int32) {
        var value = timeval()
        value.tv_sec = .init(milliseconds / 1000)
        value.tv_usec = .init((milliseconds % 1000) * 1000)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Waits until `descriptor` is readable (or at end of file, or shut down), at most `milliseconds`
    /// (negative: no limit).
    static func waitReadable(_ descriptor: Int32, milliseconds: Int32) -> Readiness {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&entry, 1, milliseconds)
            if result > 0 { return .readable }
            if result == 0 { return .timedOut }
            if errno == EINTR { continue }
            return .failed
        }
    }

    /// Waits until one of two descriptors is readable; returns which (the first, the second), or
    /// `nil` on a poll failure other than `EINTR`.
    static func waitReadable(_ first: Int32, or second: Int32) -> (first: Bool, second: Bool)? {
        var entries = [
            pollfd(fd: first, events: Int16(POLLIN), revents: 0),
            pollfd(fd: second, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let result = poll(&entries, 2, -1)
            if result > 0 {
                return (entries[0].revents != 0, entries[1].revents != 0)
            }
            if result < 0, errno != EINTR { return nil }
        }
    }

    /// Receives up to `count` bytes and appends them to `buffer`. Returns the number received,
    /// 0 at end of file, -1 on error.
    static func receive(_ descriptor: Int32, into buffer: inout [UInt8], upTo count: Int) -> Int {
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        while true {
            let received = buffer.withUnsafeMutableBytes { raw in
                recv(descriptor, raw.baseAddress.map { $0 + oldCount }, count, 0)
            }
            if received < 0, errno == EINTR { continue }
            buffer.removeLast(count - max(received, 0))
            return received
        }
    }

    /// Sends all of `bytes`. Returns `false` if the peer is gone or the send timed out.
    static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        #if canImport(Darwin)
            let flags: Int32 = 0
        #else
            let flags = Int32(MSG_NOSIGNAL)
        #endif
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress.map { $0 + offset }, bytes.count - offset, flags)
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// Shuts down one or both directions; used to wake a thread blocked on the socket.
    static func shutdown(_ descriptor: Int32, reading: Bool, writing: Bool) {
        let how: Int32
        switch (reading, writing) {
        case (true, true): how = Int32(SHUT_RDWR)
        case (true, false): how = Int32(SHUT_RD)
        default: how = Int32(SHUT_WR)
        }
        _ = systemShutdown(descriptor, how)
    }

    /// Closes a descriptor once. (`EINTR` from `close` is not retried: on Linux the descriptor is
    /// already released, and retrying could close a descriptor another thread just opened.)
    static func close(_ descriptor: Int32) {
        _ = systemClose(descriptor)
    }

    /// Creates a pipe whose ends are close-on-exec and non-blocking; used to wake the accept loop.
    static func makeWakePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw LoopbackServerError(operation: "pipe", code: errno, message: lastErrorMessage)
        }
        for descriptor in fds {
            setCloseOnExec(descriptor)
            _ = setBlocking(descriptor, false)
        }
        return (fds[0], fds[1])
    }

    /// Writes one byte to the wake pipe.
    static func wake(_ descriptor: Int32) {
        var byte: UInt8 = 1
        while write(descriptor, &byte, 1) < 0, errno == EINTR {}
    }

    private static func setCloseOnExec(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0 {
            _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC)
        }
    }

    private static func setBlocking(_ descriptor: Int32, _ blocking: Bool) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0 else { return false }
        let newFlags = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK
        return fcntl(descriptor, F_SETFL, newFlags) == 0
    }
}

// The system calls whose names the methods of `Socket` shadow.
#if canImport(Darwin)
    private func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 { Darwin.listen(descriptor, backlog) }
    private func systemAccept(_ descriptor: Int32) -> Int32 { Darwin.accept(descriptor, nil, nil) }
    private func systemShutdown(_ descriptor: Int32, _ how: Int32) -> Int32 { Darwin.shutdown(descriptor, how) }
    private func systemClose(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
#elseif canImport(Glibc)
    private func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 { Glibc.listen(descriptor, backlog) }
    private func systemAccept(_ descriptor: Int32) -> Int32 { Glibc.accept(descriptor, nil, nil) }
    private func systemShutdown(_ descriptor: Int32, _ how: Int32) -> Int32 { Glibc.shutdown(descriptor, how) }
    private func systemClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
#endif
