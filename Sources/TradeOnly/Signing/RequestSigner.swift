/// Signs requests for one exchange with one key: the only code in TradeOnly that reads a ``Secret``.
///
/// `package`, never public: nothing outside TradeOnly can sign with a policy of its own choosing.
/// A signer is the last step before the transport. It receives the request exactly as it will be
/// sent (after user middlewares), passes it through its ``SigningGate`` — which decides from the
/// exact bytes about to be signed, whatever built the request — and only then adds the timestamp and
/// the key and computes the signature over those bytes:
///
/// ```swift
/// struct ExampleSigner: RequestSigner {
///     let gate: SigningGate
///     func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest {
///         try gate.check(request)   // always first
///         var signed = request
///         // … add the timestamp, key header and signature …
///         return signed
///     }
/// }
/// ```
package protocol RequestSigner: Sendable {
    /// The gate every request passes before it is signed.
    var gate: SigningGate { get }

    /// The identifiers the signer sends that an exchange may echo back in an error message (the API
    /// key): the request pipeline removes them from every error it reports.
    var echoedIdentifiers: [String] { get }

    /// Signs a request.
    ///
    /// Implementations must call the gate's ``SigningGate/check(_:)`` before touching the secret.
    ///
    /// - Parameters:
    ///   - request: The request as it will be sent, without timestamp, key or signature.
    ///   - time: The exchange's current time (from ``ServerClock``), for the request's timestamp.
    /// - Returns: The signed request, to be sent byte for byte.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` for a request the gate
    ///   refuses, or ``ExchangeError/Kind/invalidRequest`` for a request the signer cannot sign.
    func sign(_ request: HTTPRequest, at time: Date) throws -> HTTPRequest
}

extension RequestSigner {
    /// The endpoint policy the signer's gate enforces.
    package var policy: EndpointPolicy { gate.policy }
}

/// The path of a URL exactly as it goes on the wire (percent-encoded, nothing decoded or dropped).
package func wirePath(of url: URL) -> String {
    wireParts(of: url).path
}

/// The one URL splitter: the path and the query of a URL exactly as they go on the wire (nothing
/// decoded, re-encoded or dropped).
///
/// RFC 3986 on the URL's own string: after "scheme://authority" (the authority ends at the first "/",
/// "?" or "#"), the path runs to the first "?" or "#", and the query from that "?" to the first "#".
/// The path is URLComponents' percentEncodedPath, on every platform (unlike URL.path, which on older
/// Apple platforms follows RFC 1808 and can leave a ";…" part out of the path), without building
/// URLComponents.
///
/// - Returns: The raw path (empty for `https://host`), and the raw query if the URL has a `?`.
package func wireParts(of url: URL) -> (path: String, query: Substring?) {
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
            let path = String(text[start..<index])
            guard index < utf8.endIndex, utf8[index] == UInt8(ascii: "?") else { return (path, nil) }
            let queryStart = utf8.index(after: index)
            let queryEnd = utf8[queryStart...].firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex
            return (path, text[queryStart..<queryEnd])
        }
    }
    if let components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
        return (components.percentEncodedPath, components.percentEncodedQuery.map { Substring($0) })
    }
    return (url.path, nil)
}
