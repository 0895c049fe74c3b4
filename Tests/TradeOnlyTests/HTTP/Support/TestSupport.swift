import Foundation
import Testing
import TradeOnlyLoopback

@testable import TradeOnly

/// A thread-safe list of values recorded by handlers, transports and middlewares.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `values` is guarded by `lock`.
    private let lock = NSLock()
    private var storage: [Value] = []

    func append(_ value: Value) {
        lock.withLock { storage.append(value) }
    }

    var values: [Value] {
        lock.withLock { storage }
    }
}

/// The timeout of a transport in a test that is not about timeouts: only a guard against a hang,
/// never a bound a passing test comes near, so that a loaded machine cannot make it fail.
let generousTimeout: Duration = .seconds(60)

/// Starts a loopback server whose handler records every request; stop it with `server.stop()`.
func startedServer(
    host: String = "127.0.0.1",
    configuration: LoopbackServer.Configuration = .init(),
    recorder: Recorder<LoopbackRequest>? = nil,
    handler: @escaping LoopbackServer.Handler = { _ in LoopbackResponse(status: 200, text: "ok") }
) throws -> LoopbackServer {
    let server = LoopbackServer(host: host, configuration: configuration) { request in
        recorder?.append(request)
        return await handler(request)
    }
    try server.start()
    return server
}

/// Builds a URL on a loopback server from a raw target such as `/path?query`.
func url(_ server: LoopbackServer, _ target: String) throws -> URL {
    try #require(URL(string: "\(server.baseURL.absoluteString)\(target)"))
}

/// Sends a request and returns the transport error it throws (failing the test if it does not).
func transportError(
    _ transport: some HTTPTransport,
    _ request: HTTPRequest,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> HTTPTransportError? {
    do {
        let response = try await transport.send(request)
        Issue.record("expected an HTTPTransportError, got \(response)", sourceLocation: sourceLocation)
        return nil
    } catch let error as HTTPTransportError {
        return error
    } catch {
        Issue.record("expected an HTTPTransportError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension URLSessionTransport {
    /// A transport whose plain-http loopback requests go the given way; for tests that check both the
    /// transport's own loopback client and the URLSession machinery that https uses.
    ///
    /// The default timeout is generous, only a guard against a hang (the machine may be busy with other
    /// suites or compilers); only tests about timeouts set a short one.
    static func testing(
        _ route: LoopbackRoute, _ configuration: Configuration = .init(timeout: .seconds(60))
    ) -> URLSessionTransport {
        URLSessionTransport(configuration: configuration, loopbackRoute: route, proxyEnvironment: .process)
    }
}

extension URLSessionTransport.LoopbackRoute: CustomTestStringConvertible {
    /// How the route is named in test output.
    public var testDescription: String {
        switch self {
        case .direct: "sent by the transport itself"
        case .urlSession: "handed to URLSession"
        }
    }
}

/// A one-way gate for handlers: ``wait()`` suspends until ``open()`` is called (at once if it was).
/// No clock is involved, and waiting ignores cancellation, so a test can hold a handler for exactly as
/// long as it needs, however slow the machine.
final class HandlerGate: @unchecked Sendable {
    // @unchecked: `isOpen` and `waiters` are guarded by `lock`.
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Lets every waiter, present and future, through.
    func open() {
        let waiting = lock.withLock {
            isOpen = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Suspends until the gate is open.
    func wait() async {
        await withCheckedContinuation { continuation in
            let passes = lock.withLock {
                if isOpen { return true }
                waiters.append(continuation)
                return false
            }
            if passes { continuation.resume() }
        }
    }
}

/// Counts arrivals and opens once `count` have arrived: each ``arrive()`` waits for the last one.
final class Rendezvous: @unchecked Sendable {
    // @unchecked: `arrived` is guarded by `lock`.
    private let lock = NSLock()
    private let count: Int
    private var arrived = 0
    private let gate = HandlerGate()

    init(count: Int) {
        self.count = count
    }

    /// Records an arrival and waits until `count` have arrived.
    func arrive() async {
        let last = lock.withLock {
            arrived += 1
            return arrived == count
        }
        if last { gate.open() }
        await gate.wait()
    }
}
