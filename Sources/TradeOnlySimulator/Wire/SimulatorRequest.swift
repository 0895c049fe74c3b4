import Foundation
import TradeOnly

/// A request as the simulator receives it: the raw bytes a server would see (method, percent-encoded
/// path and query exactly as sent, header fields, body), plus the client's address.
struct SimulatorRequest: Sendable {
    /// The method token, for example `POST`.
    var method: String
    /// The path, still percent-encoded, exactly as received.
    var rawPath: String
    /// The query string after `?`, still percent-encoded, exactly as received; `nil` without `?`.
    var rawQuery: String?
    /// The header fields, in order.
    var headerFields: [(name: String, value: String)]
    /// The body bytes exactly as received.
    var body: Data
    /// The client's IP address, for IP whitelists and bans.
    var clientIP: String

    /// Splits a raw request target (`/path?query`) into its parts.
    init(method: String, target: String, headerFields: [(name: String, value: String)], body: Data, clientIP: String) {
        self.method = method.uppercased()
        if let question = target.firstIndex(of: "?") {
            rawPath = String(target[..<question])
            rawQuery = String(target[target.index(after: question)...])
        } else {
            rawPath = target
            rawQuery = nil
        }
        if let hash = rawQuery?.firstIndex(of: "#"), let query = rawQuery {
            rawQuery = String(query[..<hash])
        }
        self.headerFields = headerFields
        self.body = body
        self.clientIP = clientIP
    }

    /// The value of the first header field named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headerFields.first { $0.name.lowercased() == lowered }?.value
    }

    /// The path with percent-escapes decoded, for routing; the raw path if it has invalid escapes.
    var path: String {
        rawPath.removingPercentEncoding ?? rawPath
    }

    /// The body as text (UTF-8, invalid bytes replaced).
    var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}

/// What the simulator answers: a response, or nothing at all (the connection is dropped after the
/// request was executed, as when an answer is lost).
struct SimulatorResponse: Sendable {
    /// The status code.
    var status: Int
    /// The header fields, in order.
    var headerFields: [(name: String, value: String)]
    /// The body.
    var body: Data
    /// Whether no answer must be given at all.
    var isLost = false

    init(status: Int, headerFields: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// A JSON response.
    static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> SimulatorResponse {
        SimulatorResponse(
            status: status,
            headerFields: [("Content-Type", "application/json;charset=UTF-8")] + headers,
            body: value.data)
    }

    /// No answer: the caller sees the connection end (or, in process, a timeout).
    static var lost: SimulatorResponse {
        var response = SimulatorResponse(status: 0)
        response.isLost = true
        return response
    }

    /// Adds a header field.
    mutating func addHeader(_ name: String, _ value: String) {
        headerFields.append((name, value))
    }
}

/// `name=value` pairs from a query string or a form body, decoded (`%XX` escapes, `+` as space).
struct FormParameters: Sendable {
    /// The decoded pairs, in order.
    var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=2`; `nil` if an escape is invalid.
    init?(raw: String) {
        var pairs: [(name: String, value: String)] = []
        for segment in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = segment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { return nil }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            guard let value else { return nil }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    private static func decode(_ text: Substring) -> String? {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding
    }

    /// The first value for `name`, or `nil`.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Whether a parameter is present (with any value).
    func contains(_ name: String) -> Bool {
        pairs.contains { $0.name == name }
    }

    /// The parameters of `self`, with those of `overrides` replacing equal names.
    func overridden(by overrides: FormParameters) -> FormParameters {
        let names = Set(overrides.pairs.map(\.name))
        return FormParameters(pairs: pairs.filter { !names.contains($0.name) } + overrides.pairs)
    }
}
