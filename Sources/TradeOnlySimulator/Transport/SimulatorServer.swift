import Foundation
import TradeOnly
import TradeOnlyLoopback

/// Serves a ``SimulatedExchange`` over HTTP/1.1 on a loopback address, in one dialect: all of the
/// exchange's hosts (Binance spot, futures and `/sapi`) on one port, routed by path.
///
/// ```swift
/// let server = SimulatorServer(exchange: .standard(), dialect: .binance)
/// try server.start()
/// defer { server.stop() }
/// print(server.baseURL)          // http://127.0.0.1:<port>
/// ```
///
/// Keep-alive, `Content-Length` and concurrent connections come from `LoopbackServer`. A lost-response
/// fault closes the connection without answering, after the request was executed.
public final class SimulatorServer: Sendable {
    /// The exchange served.
    public let exchange: SimulatedExchange
    /// The wire protocol spoken.
    public let dialect: Dialect
    /// The client address the exchange sees for every request (all clients are local).
    public let clientIP: String
    private let server: LoopbackServer

    /// Creates a server; call ``start()`` to listen.
    ///
    /// - Parameters:
    ///   - exchange: The exchange to serve.
    ///   - dialect: The wire protocol.
    ///   - host: A loopback IPv4 address; default `127.0.0.1`.
    ///   - port: The port; 0 (the default) picks a free one.
    ///   - clientIP: The client address the exchange sees; default `127.0.0.1`.
    ///   - idleTimeout: How long a connection may stay silent, between requests or in the middle of one,
    ///     before the server closes it; default 30 seconds. Tests that count reused connections on a busy
    ///     machine set it longer, so that a slow test never sees a keep-alive connection expire.
    public init(
        exchange: SimulatedExchange, dialect: Dialect, host: String = "127.0.0.1", port: UInt16 = 0,
        clientIP: String = "127.0.0.1", idleTimeout: Duration = .seconds(30)
    ) {
        self.exchange = exchange
        self.dialect = dialect
        self.clientIP = clientIP
        server = LoopbackServer(host: host, port: port, configuration: .init(readTimeout: idleTimeout)) { request in
            let simulated = SimulatorRequest(
                method: request.method, target: request.target,
                headerFields: request.headerFields.map { ($0.name, $0.value) }, body: request.body,
                clientIP: clientIP)
            let response = await exchange.handle(simulated, dialect: dialect)
            if response.isLost {
                return .closeWithoutAnswering
            }
            return LoopbackResponse(
                status: response.status,
                headerFields: response.headerFields.map { LoopbackHeaderField(name: $0.name, value: $0.value) },
                body: response.body)
        }
    }

    /// Starts listening.
    ///
    /// - Throws: `LoopbackServerError` if the address is not loopback or the port is taken.
    public func start() throws {
        try server.start()
    }

    /// Stops listening and closes open connections. Calling it again does nothing.
    public func stop() {
        server.stop()
    }

    /// The port (the one actually bound, after ``start()``).
    public var port: UInt16 { server.port }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL { server.baseURL }

    /// How many connections the server has accepted (keep-alive keeps this low).
    public var connectionsAccepted: Int { server.connectionsAccepted }
}
