import Foundation
import TradeOnly

/// An `HTTPTransport` that hands requests to a ``SimulatedExchange`` in process, as its dialect's
/// server would receive them: the raw percent-encoded path and query, the header fields and the body
/// bytes, untouched. Any scheme and host are accepted; requests are routed by path.
///
/// A lost-response fault surfaces as `HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)`
/// after the exchange executed the request, exactly the case a client must reconcile.
public struct SimulatedTransport: HTTPTransport {
    /// The exchange.
    public let exchange: SimulatedExchange
    /// The wire protocol spoken.
    public let dialect: Dialect
    /// The client address the exchange sees.
    public let clientIP: String

    /// Creates a transport; ``SimulatedExchange/transport(for:clientIP:)`` is the usual way.
    public init(exchange: SimulatedExchange, dialect: Dialect, clientIP: String = "127.0.0.1") {
        self.exchange = exchange
        self.dialect = dialect
        self.clientIP = clientIP
    }

    /// Sends a request to the simulated exchange.
    ///
    /// - Throws: `HTTPTransportError` of kind `invalidRequest` for a header with a control character,
    ///   `cancelled` if the task is cancelled before sending, `timedOut` (may have been sent) for a
    ///   lost response.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            try request.headers.validate()
        } catch {
            throw HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason: "a header field is not valid")
        }
        if Task.isCancelled {
            throw HTTPTransportError(kind: .cancelled, requestMayHaveBeenSent: false, request: request, reason: "cancelled before sending")
        }
        let simulated = SimulatorRequest(
            method: request.method.rawValue, target: Self.target(of: request.url),
            headerFields: request.headers.map { ($0.name, $0.value) }, body: request.body ?? Data(),
            clientIP: clientIP)
        let response = await exchange.handle(simulated, dialect: dialect)
        if response.isLost {
            throw HTTPTransportError(
                kind: .timedOut, requestMayHaveBeenSent: true, request: request,
                reason: "the simulated exchange executed the request and the response was lost")
        }
        var headers = HTTPHeaders()
        for field in response.headerFields {
            headers.add(name: field.name, value: field.value)
        }
        headers.replace(name: "Content-Length", value: String(response.body.count))
        return HTTPResponse(status: response.status, headers: headers, body: response.body)
    }

    /// The request target (`/path?query`) exactly as it would go on the wire: taken from the URL's
    /// text, so percent-escapes are neither added nor removed.
    static func target(of url: URL) -> String {
        var text = url.absoluteString
        if let hash = text.firstIndex(of: "#") {
            text = String(text[..<hash])
        }
        guard let schemeEnd = text.range(of: "://") else {
            return text.hasPrefix("/") ? text : "/" + text
        }
        let afterScheme = text[schemeEnd.upperBound...]
        guard let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = String(afterScheme[pathStart...])
        return target.hasPrefix("?") ? "/" + target : target
    }
}
