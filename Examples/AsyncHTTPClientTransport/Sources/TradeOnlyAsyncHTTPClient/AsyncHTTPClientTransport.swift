import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TradeOnly

/// A TradeOnly `HTTPTransport` over AsyncHTTPClient, with the contract of TradeOnly's own
/// `URLSessionTransport` (Documentation/CustomTransports.md):
///
/// - the request's headers are validated, and plain `http://` refused except to loopback, before any
///   I/O (`HTTPRequest.checkBeforeSending(allowsInsecureLoopback:)`);
/// - method, URL, headers and body go out exactly as given (the signature covers them); nothing is
///   decompressed, no cookie is kept;
/// - redirects are never followed: a 3xx is returned as the response;
/// - no proxy, ever (AsyncHTTPClient reads none from the environment, and this client names none);
/// - one deadline for the whole request, start to last byte, and a cap on the response size;
/// - failures are `HTTPTransportError`s with `requestMayHaveBeenSent` set honestly (`false` only when
///   no connection was made); cancelling the task cancels the request.
///
/// ```swift
/// let transport = AsyncHTTPClientTransport(configuration: .init(timeout: .seconds(5)))
/// let binance = Binance(environment: .testnet, transport: transport)
/// // …
/// try await transport.shutdown()   // once, when the program is done with it
/// ```
///
/// Make one and share it: it owns an `HTTPClient` with its connection pool. Call ``shutdown()``
/// before the program ends.
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// How the transport behaves.
    public struct Configuration: Sendable, Hashable {
        /// The deadline of a whole request, from the call to the last byte of the response. Default 10 s.
        public var timeout: Duration
        /// How long opening a connection (TCP and TLS) may take. Default 5 s, and never more than
        /// ``timeout``. AsyncHTTPClient tries a refused connection again until this has passed, so
        /// an exchange that cannot be reached fails with `cannotConnect` after this long.
        public var connectTimeout: Duration
        /// The largest response body accepted, in bytes; a larger one fails with `responseTooLarge`.
        /// Default 16 MiB.
        public var maximumResponseSize: Int
        /// Whether plain `http://` to loopback (`127.0.0.0/8`, `::1`, `localhost`: the simulator) is
        /// allowed. Default `true`; plain `http` anywhere else is always refused.
        public var allowsInsecureLoopback: Bool

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - timeout: The deadline of a whole request. Default 10 s.
        ///   - connectTimeout: How long opening a connection may take. Default 5 s.
        ///   - maximumResponseSize: The largest response body accepted, in bytes. Default 16 MiB.
        ///   - allowsInsecureLoopback: Whether plain `http://` to loopback is allowed. Default `true`.
        public init(
            timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(5),
            maximumResponseSize: Int = 16 * 1024 * 1024, allowsInsecureLoopback: Bool = true
        ) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.maximumResponseSize = maximumResponseSize
            self.allowsInsecureLoopback = allowsInsecureLoopback
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private let client: HTTPClient

    /// Creates a transport with its own `HTTPClient` (no redirects, no proxy, no decompression).
    ///
    /// - Parameters:
    ///   - configuration: Timeouts, response size, loopback.
    ///   - eventLoopGroup: The event loops to run on. Defaults to AsyncHTTPClient's shared group.
    public init(
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(min(configuration.connectTimeout, configuration.timeout))),
            proxy: nil,
            decompression: .disabled)
        clientConfiguration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: clientConfiguration)
    }

    /// Shuts the transport's `HTTPClient` down; requests sent after it fail. Call it once, when the
    /// program is done with the transport.
    ///
    /// - Throws: What `HTTPClient.shutdown()` throws (for example when called twice).
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends a request and returns the response, whatever its status.
    ///
    /// - Parameter request: The request, exactly as it should go on the wire.
    /// - Returns: The response.
    /// - Throws: `HTTPTransportError`; `CancellationError` if the task was cancelled before anything
    ///   was sent.
    public func send(_ request: TradeOnly.HTTPRequest) async throws -> HTTPResponse {
        try request.checkBeforeSending(allowsInsecureLoopback: configuration.allowsInsecureLoopback)
        try Task.checkCancellation()
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers {
            outgoing.headers.add(name: field.name, value: field.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + Self.timeAmount(configuration.timeout)
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let body = try await response.body.collect(upTo: configuration.maximumResponseSize)
            var headers = TradeOnly.HTTPHeaders()
            for (name, value) in response.headers {
                headers.add(name: name, value: value)
            }
            let bytes = Data(body.readableBytesView)
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: bytes)
        } catch {
            throw Self.transportError(error, request: request)
        }
    }

    // MARK: Errors

    /// Maps what AsyncHTTPClient and SwiftNIO throw to `HTTPTransportError`, the way
    /// `URLSessionTransport` maps `URLError`: `requestMayHaveBeenSent` is `false` only when no
    /// connection was made, and `true` when in doubt.
    static func transportError(_ error: any Error, request: TradeOnly.HTTPRequest) -> HTTPTransportError {
        func failure(_ kind: HTTPTransportError.Kind, sent: Bool, _ reason: String) -> HTTPTransportError {
            HTTPTransportError(kind: kind, requestMayHaveBeenSent: sent, request: request, reason: reason)
        }
        if let error = error as? HTTPTransportError { return error }
        if error is CancellationError { return failure(.cancelled, sent: true, "the task was cancelled") }
        if error is NIOTooManyBytesError {
            return failure(.responseTooLarge, sent: true, "the response is larger than the transport accepts")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return failure(.cannotConnect, sent: false, "no connection could be opened in time")
            case .tlsHandshakeTimeout:
                return failure(.secureConnectionFailed, sent: false, "the TLS handshake timed out")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return failure(.timedOut, sent: true, "no complete response within the timeout")
            case .remoteConnectionClosed:
                return failure(.connectionLost, sent: true, "the server closed the connection before a complete response")
            case .cancelled, .requestStreamCancelled:
                return failure(.cancelled, sent: true, "the request was cancelled")
            case .invalidURL, .emptyHost:
                return failure(.invalidRequest, sent: false, "the URL cannot be sent: \(error)")
            default:
                return failure(.other, sent: true, "\(error)")
            }
        }
        if error is NIOConnectionError {
            return failure(.cannotConnect, sent: false, "no connection could be opened")
        }
        if let error = error as? IOError, Self.connectErrnos.contains(error.errnoCode) {
            return failure(.cannotConnect, sent: false, "no connection could be opened (errno \(error.errnoCode))")
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return failure(.cannotConnect, sent: false, "no connection could be opened in time")
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return failure(.connectionLost, sent: true, "the connection closed before a complete response")
            default:
                return failure(.other, sent: true, "\(error)")
            }
        }
        if error is NIOSSLError {
            // A TLS failure comes before the request is written.
            return failure(.secureConnectionFailed, sent: false, "the TLS connection failed: \(error)")
        }
        if error is HTTPParserError {
            return failure(.invalidResponse, sent: true, "the server's answer is not a valid HTTP response")
        }
        return failure(.other, sent: true, "\(type(of: error))")
    }

    /// `connect(2)` failures: refused, unreachable, not available.
    private static let connectErrnos: Set<CInt> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}
