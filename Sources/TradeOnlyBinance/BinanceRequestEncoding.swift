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

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether each byte value is in RFC 3986's unreserved set.
    private static let unreserved: [Bool] = (0...255).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Appends `name=value&name=value…` to `bytes`.
    static func append(_ parameters: RequestParameters, to bytes: inout [UInt8]) {
        var first = true
        for item in parameters {
            if !first { bytes.append(UInt8(ascii: "&")) }
            first = false
            append(item.name, to: &bytes)
            bytes.append(UInt8(ascii: "="))
            append(item.value, to: &bytes)
        }
    }

    /// Appends one percent-encoded name or value.
    static func append(_ text: String, to bytes: inout [UInt8]) {
        // Names and values are usually all unreserved: copy them whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for byte in utf8 where !unreserved[Int(byte)] { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true { return }
        for byte in text.utf8 {
            if unreserved[Int(byte)] {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }
}
