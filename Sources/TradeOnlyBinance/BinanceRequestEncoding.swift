import TradeOnly

/// Binance's unsigned request encoding: the host by path, every parameter in the query string for
/// every method, written as an RFC 3986 query straight into a byte buffer: the same bytes as
/// `RequestParameters.percentEncodedQuery` (UTF-8, every byte outside `A-Z a-z 0-9 - _ . ~` as `%XX`
/// with upper-case hex, a space as `%20`), without the intermediate strings.
enum BinanceRequestEncoding {
    /// Builds the unsigned HTTP request. Refuses requests that cannot be sent here.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest``: a path no host
    ///   serves, `/sapi` on the spot testnet, futures on the testnet, or (for a signed request) a
    ///   configuration that cannot be used.
    static func encode(
        _ request: ExchangeRequest, environment: Binance.Environment, configuration: Binance.Configuration
    ) throws -> HTTPRequest {
        if request.security == .signed { try configuration.validate() }
        guard let host = Binance.Host(path: request.path) else {
            throw ExchangeError(
                .invalidRequest, message: "no Binance host serves \(request.path): paths start with /api/, /sapi/ or /fapi/",
                exchange: Binance.exchangeName)
        }
        if !environment.servesSAPI && request.path.lowercased().hasPrefix("/sapi/") {
            throw ExchangeError(
                .invalidRequest,
                message: "Binance's spot testnet has no /sapi endpoints (\(request.path))", exchange: Binance.exchangeName)
        }
        let base = try environment.baseURL(for: host)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(base.utf8.count + request.path.utf8.count + 24 * request.parameters.count + 1)
        bytes.append(contentsOf: base.utf8)
        bytes.append(contentsOf: request.path.utf8)
        if !request.parameters.isEmpty {
            bytes.append(UInt8(ascii: "?"))
            append(request.parameters, to: &bytes)
        }
        guard let url = URL(string: String(decoding: bytes, as: UTF8.self)) else {
            throw ExchangeError(
                .invalidRequest, message: "could not build a URL for \(request.method.rawValue) \(request.path)",
                exchange: Binance.exchangeName)
        }
        return HTTPRequest(method: request.method, url: url)
    }

    /// Appends `name=value&name=value…` to `bytes` (the core ``PercentEncoding``).
    static func append(_ parameters: RequestParameters, to bytes: inout [UInt8]) {
        PercentEncoding.appendQuery(parameters, to: &bytes)
    }
}
