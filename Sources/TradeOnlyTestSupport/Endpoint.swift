import TradeOnly

/// A (method, path) pair of the exchanges' reference, usable as a `@Test` argument.
///
/// This target does not import Testing, so `Endpoint` describes itself through `CustomStringConvertible`,
/// which Swift Testing uses to name each parameterized case (`"POST /sapi/v1/capital/withdraw/apply"`).
/// The reference resources spell an endpoint the same way, as one string.
package struct Endpoint: Sendable, Hashable, CustomStringConvertible, Decodable {
    /// The HTTP method the reference lists the path with.
    package let method: HTTPMethod
    /// The path as the reference spells it: starts with `/`, no query.
    package let path: String

    /// An endpoint of `method` and `path`.
    package init(_ method: HTTPMethod, _ path: String) {
        self.method = method
        self.path = path
    }

    /// The endpoint `text` spells as `"METHOD /path"`, or `nil` when the method is not an `HTTPMethod`,
    /// the path does not start with `/`, or it carries a query, a space or anything after the path.
    package init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let method = HTTPMethod(rawValue: String(parts[0])) else { return nil }
        let path = String(parts[1])
        guard path.hasPrefix("/"), !path.contains("?") else { return nil }
        self.init(method, path)
    }

    /// Decodes `"METHOD /path"`; anything else is a `DecodingError.dataCorrupted` quoting the text.
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let endpoint = Endpoint(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "not \"METHOD /path\": \"\(text)\""))
        }
        self = endpoint
    }

    /// `"METHOD /path"`.
    package var description: String { "\(method.rawValue) \(path)" }
}
