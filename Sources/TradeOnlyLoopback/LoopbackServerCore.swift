import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shared state of a ``LoopbackServer``, owned by its accept thread and connection threads.
///
/// Kept apart from the public object so that the threads do not keep the server alive: releasing
/// the ``LoopbackServer`` stops it.
final class LoopbackServerCore: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `condition`.

    private enum State {
        case idle
        case running
        case stopping
        case stopped
    }

    private struct Connection {
        var descriptor: Int32
        var handlerTask: Task<Void, Never>?
    }

    let host: String
    let configuration: LoopbackServer.Configuration
    private let requestedPort: UInt16
    private let handler: LoopbackServer.Handler

    private let condition = NSCondition()
    private var state = State.idle
    private var boundPort: UInt16?
    private var wakeDescriptor: Int32 = -1
    private var acceptLoopRunning = false
    private var connections: [Int: Connection] = [:]
    private var nextConnectionID = 1
    private var acceptedCount = 0

    init(host: String, port: UInt16, configuration: LoopbackServer.Configuration, handler: @escaping LoopbackServer.Handler) {
        self.host = host
        self.requestedPort = port
        self.configuration = configuration
        self.handler = handler
    }

    var port: UInt16 {
        condition.withLock { boundPort ?? requestedPort }
    }

    var connectionsAccepted: Int {
        condition.withLock { acceptedCount }
    }

    var openConnectionCount: Int {
        condition.withLock { connections.count }
    }

    var isStopping: Bool {
        condition.withLock { state != .running }
    }

    func start() throws {
        condition.lock()
        defer { condition.unlock() }
        guard state == .idle else {
            throw LoopbackServerError(
                operation: "start", code: 0,
                message: state == .running ? "the server is already running" : "a stopped server cannot be restarted")
        }
        let listener = try Socket.listen(host: host, port: requestedPort, backlog: 128)
        let wake: (read: Int32, write: Int32)
        do {
            wake = try Socket.makeWakePipe()
        } catch {
            Socket.close(listener.descriptor)
            throw error
        }
        boundPort = listener.port
        wakeDescriptor = wake.write
        acceptLoopRunning = true
        state = .running
        let thread = Thread { [self] in
            acceptLoop(listener: listener.descriptor, wakeRead: wake.read, wakeWrite: wake.write)
        }
        thread.name = "LoopbackServer \(host):\(listener.port) accept"
        thread.start()
    }

    func stop() {
        condition.lock()
        defer { condition.unlock() }
        switch state {
        case .idle:
            state = .stopped
            return
        case .running:
            state = .stopping
            if wakeDescriptor >= 0 {
                Socket.wake(wakeDescriptor)
            }
            for connection in connections.values {
                Socket.shutdown(connection.descriptor, reading: true, writing: true)
                connection.handlerTask?.cancel()
            }
        case .stopping, .stopped:
            break
        }
        // Return only once the listening socket is closed, so the port is free.
        while acceptLoopRunning {
            condition.wait()
        }
        state = .stopped
    }

    private func acceptLoop(listener: Int32, wakeRead: Int32, wakeWrite: Int32) {
        defer {
            condition.withLock {
                wakeDescriptor = -1
                Socket.close(listener)
                Socket.close(wakeRead)
                Socket.close(wakeWrite)
                acceptLoopRunning = false
                condition.broadcast()
            }
        }
        while !isStopping {
            guard let ready = Socket.waitReadable(listener, or: wakeRead) else {
                usleep(10_000)
                continue
            }
            if ready.second { break }
            guard ready.first else { continue }
            while let descriptor = Socket.accept(from: listener) {
                admit(descriptor)
            }
            if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                // Out of descriptors or memory: the pending connection stays queued; back off
                // instead of spinning.
                usleep(50_000)
            }
        }
    }

    private func admit(_ descriptor: Int32) {
        let id: Int? = condition.withLock {
            guard state == .running, connections.count < configuration.maximumConnections else { return nil }
            let id = nextConnectionID
            nextConnectionID += 1
            acceptedCount += 1
            connections[id] = Connection(descriptor: descriptor, handlerTask: nil)
            return id
        }
        guard let id else {
            Socket.close(descriptor)
            return
        }
        let connection = LoopbackConnection(descriptor: descriptor, id: id, configuration: configuration, core: self)
        let thread = Thread { connection.run() }
        thread.name = "LoopbackServer \(host) connection \(id)"
        thread.start()
    }

    /// Runs the handler for a request and waits for its response, on the calling connection thread
    /// (see ``HandlerRun``). If the server stops meanwhile, the handler's task is cancelled.
    func respond(to request: LoopbackRequest) -> LoopbackResponse {
        let run = HandlerRun()
        let handler = handler
        let task = run.start {
            run.finish(await handler(request))
        }
        let stopping = condition.withLock {
            connections[request.connectionID]?.handlerTask = task
            return state != .running
        }
        if stopping {
            task.cancel()
        }
        let response = run.wait()
        condition.withLock {
            connections[request.connectionID]?.handlerTask = nil
        }
        return response
    }

    /// Called by a connection thread when it is done: forgets the connection, then closes it.
    /// (In this order, so `stop()` never shuts down a descriptor number that was reused.)
    func connectionFinished(id: Int, descriptor: Int32) {
        condition.withLock {
            _ = connections.removeValue(forKey: id)
        }
        Socket.close(descriptor)
    }
}
