import TradeOnly

/// A (method, path) pair of the exchanges' reference, usable as a `@Test` argument.
///
/// This target does not import Testing, so `Endpoint` describes itself through `CustomStringConvertible`,
/// which Swift Testing uses to name each parameterized case (`"POST /sapi/v1/capital/withdraw/apply"`).
package struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP method the reference lists the path with.
    package let method: HTTPMethod
    /// The path as the reference spells it: starts with `/`, no query.
    package let path: String

    /// An endpoint of `method` and `path`.
    package init(_ method: HTTPMethod, _ path: String) {
        self.method = method
        self.path = path
    }

    /// `"METHOD /path"`.
    package var description: String { "\(method.rawValue) \(path)" }
}
