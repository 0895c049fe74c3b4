import Foundation

/// A small HTTP/1.1 server on a loopback address, written over POSIX sockets: for testing HTTP clients
/// and for serving simulated exchanges, with no dependencies.
///
/// ```swift
/// let server = LoopbackServer { request in
///     LoopbackResponse(status: 200, headers: ["Content-Type": "application/json"], text: #"{"ok":true}"#)
/// }
/// try server.start()
/// defer { server.stop() }
/// let url = server.baseURL.appendingPathComponent("api/v3/time")   // http://127.0.0.1:<port>/api/v3/time
/// ```
///
/// What it does:
/// - Listens on `127.0.0.1` (or another address in `127.0.0.0/8`) on the given port, or on any free
///   port when the port is 0; ``port`` tells which.
/// - Serves each connection on its own thread, with HTTP/1.1 keep-alive; honours `Connection: close`
///   and HTTP/1.0 semantics. The handler runs on that thread too, not on Swift's cooperative pool.
/// - Reads bodies framed by `Content-Length` or `Transfer-Encoding: chunked`, answers
///   `Expect: 100-continue`, and always responds with `Content-Length`.
/// - Hands the handler the request exactly as received: raw method, raw target (percent-escapes
///   untouched), header fields in order with their spelling, body bytes.
/// - Refuses bad requests without crashing and keeps serving: malformed → 400 (then closes that
///   connection), header section over the limit → 431, body over the limit → 413, unknown transfer
///   coding → 501, unsupported version → 505, client too slow → 408.
/// - Bounded memory: reads are at most 64 KiB at a time and requests are limited
///   (``Configuration-swift.struct``); at most `maximumConnections` connections are served at once
///   (further ones are closed at once).
/// - `SIGPIPE` is suppressed per socket, `EINTR` is retried, every socket is closed on every path,
///   the listening socket uses `SO_REUSEADDR`.
///
/// It is `Sendable`: its state is guarded by a lock, and ``start()`` and ``stop()`` may be called
/// from any thread. Releasing the server stops it.
public final class LoopbackServer: Sendable {
    /// Answers a request. Runs in a new task per request, cancelled when the server stops.
    ///
    /// The task runs on the thread of the request's connection (its task executor preference), and
    /// so do the actors without a custom executor it calls: the server never waits for a thread of
    /// Swift's cooperative pool, and keeps answering while CPU-bound tasks occupy the whole pool.
    /// (Only a `Task.sleep` inside the handler still needs the pool briefly, for its timer.)
    public typealias Handler = @Sendable (LoopbackRequest) async -> LoopbackResponse

    /// Limits and timeouts of a ``LoopbackServer``.
    public struct Configuration: Sendable, Hashable {
        /// The largest request head (request line and header fields), in bytes. Default 64 KiB;
        /// larger heads get 431.
        public var maximumHeaderSize: Int
        /// The largest request body, in bytes. Default 16 MiB; larger bodies get 413.
        public var maximumBodySize: Int
        /// How long a connection may stay silent, between requests or in the middle of one, before it
        /// is closed (408 in the middle of a request). Also bounds each blocked send. Default 30 s.
        public var readTimeout: Duration
        /// The most connections served at once. Default 256; further connections are closed at once.
        public var maximumConnections: Int

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - maximumHeaderSize: The largest request head, in bytes; default 64 KiB.
        ///   - maximumBodySize: The largest request body, in bytes; default 16 MiB.
        ///   - readTimeout: How long a connection may stay silent; default 30 seconds.
        ///   - maximumConnections: The most connections served at once; default 256.
        public init(
            maximumHeaderSize: Int = 64 * 1024,
            maximumBodySize: Int = 16 * 1024 * 1024,
            readTimeout: Duration = .seconds(30),
            maximumConnections: Int = 256
        ) {
            self.maximumHeaderSize = maximumHeaderSize
            self.maximumBodySize = maximumBodySize
            self.readTimeout = readTimeout
            self.maximumConnections = maximumConnections
        }
    }

    private let core: LoopbackServerCore

    /// Creates a server; call ``start()`` to listen.
    ///
    /// - Parameters:
    ///   - host: The IPv4 loopback address to bind, in `127.0.0.0/8`; default `127.0.0.1`.
    ///   - port: The port; 0 (the default) picks any free port.
    ///   - configuration: Limits and timeouts.
    ///   - handler: Answers each request.
    public init(
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        configuration: Configuration = .init(),
        handler: @escaping Handler
    ) {
        core = LoopbackServerCore(host: host, port: port, configuration: configuration, handler: handler)
    }

    deinit {
        core.stop()
    }

    /// Binds the address and starts accepting connections.
    ///
    /// - Throws: ``LoopbackServerError`` if the host is not an IPv4 loopback address, the port is
    ///   taken, or the server was already started or stopped.
    public func start() throws {
        try core.start()
    }

    /// Stops the server: closes the listening socket (the port is free when this returns), shuts down
    /// open connections and cancels running handlers. Calling it again does nothing.
    public func stop() {
        core.stop()
    }

    /// The address the server binds, for example `127.0.0.1`.
    public var host: String { core.host }

    /// The port: after ``start()`` the one actually bound (also when 0 was asked for).
    public var port: UInt16 { core.port }

    /// `http://<host>:<port>`, without a trailing slash.
    public var baseURL: URL {
        // A dotted-quad host and a port always make a valid URL; the fallback is unreachable.
        URL(string: "http://\(host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// The limits and timeouts the server was created with.
    public var configuration: Configuration { core.configuration }

    /// How many connections the server has accepted since it started.
    public var connectionsAccepted: Int { core.connectionsAccepted }

    /// How many connections are open now.
    public var openConnectionCount: Int { core.openConnectionCount }
}
