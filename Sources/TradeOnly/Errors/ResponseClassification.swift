/// What every exchange module shares when it reads a response: HTTP-level failures, bodies that are
/// not the exchange's API (HTML error pages, empty bodies), and JSON decoding that fails with a typed
/// error instead of a crash.
package enum ResponseClassification {
    /// Maps an HTTP failure that the exchange's own error body did not explain.
    ///
    /// A 5xx after a write means the write may have executed (Binance documents this explicitly), so it
    /// is ``ExchangeError/Kind/outcomeUnknown``; after a read it is ``ExchangeError/Kind/exchangeUnavailable``.
    ///
    /// - Parameters:
    ///   - response: The response.
    ///   - request: The request it answers.
    ///   - exchange: The exchange's name.
    ///   - now: The current time, for ban deadlines.
    /// - Returns: The error, or `nil` for a 2xx status.
    package static func httpFailure(
        _ response: HTTPResponse, for request: ExchangeRequest, exchange: String, now: Date = Date()
    ) -> ExchangeError? {
        let status = response.status
        let what = "\(request.method.rawValue) \(request.path)"
        let retryAfter = retryAfterSeconds(response)
        let excerpt = bodyExcerpt(response)
        switch status {
        case 200..<300:
            return nil
        case 300..<400:
            return ExchangeError(
                .exchangeUnavailable,
                message: "\(exchange) answered \(what) with a redirect (HTTP \(status)); TradeOnly never follows redirects, so nothing was sent on",
                exchange: exchange, httpStatus: status)
        case 418:
            let until = now.addingTimeInterval(retryAfter ?? 120)
            return ExchangeError(
                .banned, message: "\(exchange) has banned this IP after too many requests; stop all requests until the ban ends",
                exchange: exchange, exchangeMessage: excerpt, httpStatus: status,
                retry: .retryAfter(seconds: retryAfter ?? 120), bannedUntil: until)
        case 429:
            return ExchangeError(
                .rateLimited, message: "\(exchange) rate limit hit on \(what); back off before sending more",
                exchange: exchange, exchangeMessage: excerpt, httpStatus: status,
                retry: .retryAfter(seconds: retryAfter ?? 1))
        case 401:
            return ExchangeError(
                .authentication, message: "\(exchange) refused the key for \(what): check the key, its environment and its IP binding",
                exchange: exchange, exchangeMessage: excerpt, httpStatus: status)
        case 403:
            return ExchangeError(
                .permissionDenied,
                message: "\(exchange) refused \(what) (HTTP 403: a firewall rule, a region block or a rate limit)",
                exchange: exchange, exchangeMessage: excerpt, httpStatus: status,
                retry: retryAfter.map { .retryAfter(seconds: $0) } ?? .doNotRetry)
        case 500..<600:
            if request.method == .get {
                return ExchangeError(
                    .exchangeUnavailable, message: "\(exchange) failed to answer \(what) (HTTP \(status)); reads are safe to retry",
                    exchange: exchange, exchangeMessage: excerpt, httpStatus: status,
                    retry: retryAfter.map { .retryAfter(seconds: $0) } ?? .retry)
            }
            return ExchangeError(
                .outcomeUnknown,
                message:
                    "\(exchange) answered \(what) with HTTP \(status): the request may have been executed; query the outcome before anything else",
                exchange: exchange, exchangeMessage: excerpt, httpStatus: status, retry: .reconcileFirst)
        default:
            return ExchangeError(
                .invalidRequest, message: "\(exchange) rejected \(what) with HTTP \(status)",
                exchange: exchange, exchangeMessage: excerpt, httpStatus: status)
        }
    }

    /// Decodes a JSON body, turning every failure into a typed ``ExchangeError``.
    ///
    /// An empty body or an HTML page (a proxy or a maintenance page) is
    /// ``ExchangeError/Kind/exchangeUnavailable``; JSON of the wrong shape is ``ExchangeError/Kind/decoding``
    /// with the field's path.
    ///
    /// - Parameters:
    ///   - type: The wire model to decode.
    ///   - response: The response.
    ///   - exchange: The exchange's name.
    ///   - what: What was being read, for the message (for example `"exchange info"`).
    ///   - decoder: The decoder to use.
    /// - Returns: The decoded value.
    /// - Throws: ``ExchangeError``.
    package static func decode<T: Decodable>(
        _ type: T.Type, from response: HTTPResponse, exchange: String, what: String,
        decoder: JSONDecoder = JSONDecoder()
    ) throws -> T {
        try decode(type, from: response.body, exchange: exchange, what: what, status: response.status, decoder: decoder)
    }

    /// Decodes JSON bytes, turning every failure into a typed ``ExchangeError``.
    package static func decode<T: Decodable>(
        _ type: T.Type, from body: Data, exchange: String, what: String, status: Int? = nil,
        decoder: JSONDecoder = JSONDecoder()
    ) throws -> T {
        try refuseNonJSON(body, exchange: exchange, what: what, status: status)
        do {
            return try decoder.decode(type, from: body)
        } catch let error as DecodingError {
            throw ExchangeError(
                .decoding, message: "could not read \(exchange)'s \(what): \(describe(error))", exchange: exchange,
                exchangeMessage: excerpt(of: body), httpStatus: status)
        } catch {
            throw ExchangeError(
                .decoding, message: "could not read \(exchange)'s \(what): \(error.localizedDescription)",
                exchange: exchange, exchangeMessage: excerpt(of: body), httpStatus: status)
        }
    }

    /// Whether a body looks like an HTML page rather than JSON.
    package static func looksLikeHTML(_ body: Data) -> Bool {
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            return false
        }
        return first == UInt8(ascii: "<")
    }

    /// The `Retry-After` header in seconds, if present and numeric.
    package static func retryAfterSeconds(_ response: HTTPResponse) -> Double? {
        guard let value = response.headers["Retry-After"]?.trimmingCharacters(in: .whitespaces),
            let seconds = Double(value), seconds >= 0, seconds.isFinite
        else { return nil }
        return seconds
    }

    /// A short, single-line excerpt of a body for error messages (exchanges' bodies carry no secrets).
    package static func bodyExcerpt(_ response: HTTPResponse) -> String? {
        excerpt(of: response.body)
    }

    /// A short, single-line excerpt of bytes for error messages.
    package static func excerpt(of body: Data, limit: Int = 200) -> String? {
        guard !body.isEmpty else { return nil }
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return Redaction.redactText(body.count > limit ? text + "…" : text)
    }

    /// A one-line account of a decoding error: which field, and what was wrong.
    package static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(top level)" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .valueNotFound(_, let context):
            return "null or missing value at '\(path(context.codingPath))'"
        case .typeMismatch(let type, let context):
            return "unexpected type at '\(path(context.codingPath))' (expected \(type)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "invalid value at '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
