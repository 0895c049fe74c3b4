import Foundation
import Testing
@testable import TradeOnly
import TradeOnlyLoopback

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
    /// The default timeout is generous: the loopback server's handlers run on the shared concurrency
    /// pool, which suites running in parallel may keep busy for seconds; only tests about timeouts
    /// set a short one.
    static func testing(
        _ route: LoopbackRoute, _ configuration: Configuration = .init(timeout: .seconds(60))
    ) -> URLSessionTransport {
        URLSessionTransport(configuration: configuration, loopbackRoute: route, proxyEnvironment: .process)
    }
}

extension URLSessionTransport.LoopbackRoute: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .direct: "sent by the transport itself"
        case .urlSession: "handed to URLSession"
        }
    }
}
