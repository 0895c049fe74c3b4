/// Signs requests for one exchange with one key: the only code in TradeOnly that reads a ``Secret``.
///
/// A signer is the last step before the transport. It receives the request exactly as it will be
/// sent (after user middlewares), adds the timestamp and the key, computes the signature over the
/// exact bytes, and returns the request to send. Before anything else it checks the request against its
/// ``policy`` again — whatever built the request, a withdrawal or transfer endpoint is never signed:
///
/// ```swift
/// struct MySigner: RequestSigner {
///     let policy: EndpointPolicy
///     func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
///         try checkPolicy(request)   // always first
///         var signed = request
///         // … add the timestamp, key header and signature …
///         return signed
///     }
/// }
/// ```
public protocol RequestSigner: Sendable {
    /// The endpoint policy this signer enforces before it signs anything.
    var policy: EndpointPolicy { get }

    /// Signs a request.
    ///
    /// Implementations must call ``checkPolicy(_:)`` before touching the secret.
    ///
    /// - Parameters:
    ///   - request: The request as it will be sent, without timestamp, key or signature.
    ///   - time: The exchange's current time (from ``ServerClock``), for the request's timestamp.
    /// - Returns: The signed request, to be sent byte for byte.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` for a request the policy
    ///   does not allow, or ``ExchangeError/Kind/invalidRequest`` for a request the signer cannot sign.
    func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest
}

extension RequestSigner {
    /// Checks a request's method and path against ``policy``.
    ///
    /// The path is taken exactly as it will be sent (percent-encoded), so escapes, dot segments and
    /// duplicate slashes cannot smuggle a denied endpoint past the check.
    ///
    /// - Parameter request: The request about to be signed.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation``.
    public func checkPolicy(_ request: HTTPRequest) throws {
        try policy.check(method: request.method, path: Self.wirePath(of: request.url))
    }

    /// The path of a URL exactly as it goes on the wire (percent-encoded, nothing decoded or dropped).
    static func wirePath(of url: URL) -> String {
        // RFC 3986 on the URL's own string: after "scheme://authority" (the authority ends at the first
        // "/", "?" or "#"), the path runs to the first "?" or "#". This is URLComponents'
        // percentEncodedPath, on every platform (unlike URL.path, which on older Apple platforms follows
        // RFC 1808 and can leave a ";…" part out of the path), without building URLComponents on every
        // signed request.
        let text = url.absoluteString
        let utf8 = text.utf8
        if let colon = utf8.firstIndex(of: UInt8(ascii: ":")) {
            var index = utf8.index(after: colon)
            if utf8[index...].starts(with: "//".utf8) {
                index = utf8.index(index, offsetBy: 2)
                while index < utf8.endIndex, utf8[index] != UInt8(ascii: "/"), utf8[index] != UInt8(ascii: "?"),
                    utf8[index] != UInt8(ascii: "#")
                {
                    index = utf8.index(after: index)
                }
                let start = index
                while index < utf8.endIndex, utf8[index] != UInt8(ascii: "?"), utf8[index] != UInt8(ascii: "#") {
                    index = utf8.index(after: index)
                }
                return String(text[start..<index])
            }
        }
        if let components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            return components.percentEncodedPath
        }
        return url.path
    }
}
