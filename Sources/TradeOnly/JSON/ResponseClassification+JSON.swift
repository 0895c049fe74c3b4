import Foundation

extension ResponseClassification {
    /// Refuses a body that cannot be the exchange's JSON: empty (or only white space), or an HTML page (a
    /// proxy, firewall or maintenance page), both ``ExchangeError/Kind/exchangeUnavailable``.
    ///
    /// - Throws: ``ExchangeError``.
    package static func refuseNonJSON(_ body: Data, exchange: String, what: String, status: Int?) throws {
        if body.isEmpty || body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ExchangeError(
                .exchangeUnavailable, message: "\(exchange) sent an empty body for \(what)", exchange: exchange,
                httpStatus: status, retry: .retry)
        }
        if looksLikeHTML(body) {
            throw ExchangeError(
                .exchangeUnavailable,
                message: "\(exchange) sent an HTML page instead of JSON for \(what) (a proxy, firewall or maintenance page)",
                exchange: exchange, exchangeMessage: excerpt(of: body), httpStatus: status, retry: .retry)
        }
    }

    /// Reads a JSON body with the core ``JSONReader``, turning every failure into a typed ``ExchangeError``:
    /// an empty or HTML body as ``refuseNonJSON(_:exchange:what:status:)`` says, malformed or unexpected
    /// JSON as ``ExchangeError/Kind/decoding`` naming the byte.
    ///
    /// - Parameters:
    ///   - response: The response.
    ///   - exchange: The exchange's name.
    ///   - what: What was being read, for the message.
    ///   - options: The reader's options (by default ``JSONReader/Options/responses``).
    ///   - body: Reads the value; it need not check for trailing bytes (this function does).
    /// - Throws: ``ExchangeError``.
    package static func readJSON<Result>(
        _ response: HTTPResponse, exchange: String, what: String, options: JSONReader.Options = .responses,
        _ body: (inout JSONReader) throws(JSONError) -> Result
    ) throws -> Result {
        try refuseNonJSON(response.body, exchange: exchange, what: what, status: response.status)
        do {
            return try JSONReader.read(response.body, options: options) { (reader: inout JSONReader) throws(JSONError) -> Result in
                let value = try body(&reader)
                try reader.finish()
                return value
            }
        } catch {
            throw ExchangeError(
                .decoding, message: "could not read \(exchange)'s \(what): \(error)", exchange: exchange,
                exchangeMessage: excerpt(of: response.body), httpStatus: response.status)
        }
    }

    /// Reads a JSON body as a ``JSONValue`` tree, as ``readJSON(_:exchange:what:options:_:)`` does.
    ///
    /// - Throws: ``ExchangeError``.
    package static func readJSONValue(
        _ response: HTTPResponse, exchange: String, what: String, options: JSONReader.Options = .responses
    ) throws -> JSONValue {
        try readJSON(response, exchange: exchange, what: what, options: options) { (reader: inout JSONReader) throws(JSONError) in
            try reader.readValue()
        }
    }
}

extension ResponseClassification {
    /// Reads a JSON body that must be one object, as a dictionary of its members (the reader refuses
    /// duplicate names, so none is lost), as ``readJSON(_:exchange:what:options:_:)`` does.
    ///
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/decoding`` for JSON that is not an object.
    package static func readJSONObject(
        _ response: HTTPResponse, exchange: String, what: String
    ) throws -> [String: JSONValue] {
        let value = try readJSONValue(response, exchange: exchange, what: what)
        guard case .object(let members) = value else {
            throw ExchangeError(
                .decoding, message: "could not read \(exchange)'s \(what): expected an object, found \(value.kind.name)",
                exchange: exchange, exchangeMessage: excerpt(of: response.body), httpStatus: response.status)
        }
        return Dictionary(members, uniquingKeysWith: { first, _ in first })
    }
}
