/// The one place that decides which parts of an HTTP request are secret, and how they are hidden.
///
/// API keys, signatures, passphrases, cookies and authorisation headers must never appear in logs,
/// error messages or descriptions. Every type of the HTTP layer renders itself through these helpers,
/// and later modules (logging, errors) should use them too, rather than keeping lists of their own:
///
/// ```swift
/// HTTPRedaction.isSensitiveHeader(named: "x-mbx-apikey")   // true
/// HTTPRedaction.redactedURL(url)
/// // "https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=<redacted>"
/// request.redactedDescription                            // the same, with the method in front
/// request.headers.redacted()                               // values of sensitive headers replaced
/// ```
///
/// Names are compared case-insensitively (header names are case-insensitive on the wire; query item
/// names are compared the same way to err on the side of hiding). Query item names are percent-decoded
/// before the comparison, so `sig%6Eature=…` is hidden as well.
///
/// Redaction hides values; it never removes the names, so a reader can still see that a request was
/// signed. Bodies are never rendered by the HTTP layer (a form body can carry a signature); only their
/// length is.
public enum HTTPRedaction {
    /// The text that replaces a hidden value: `<redacted>`.
    public static let placeholder = "<redacted>"

    /// The header names whose values are never shown, as the exchanges spell them.
    ///
    /// Binance `X-MBX-APIKEY`; Bybit `X-BAPI-API-KEY`, `X-BAPI-SIGN`; OKX `OK-ACCESS-KEY`,
    /// `OK-ACCESS-SIGN`, `OK-ACCESS-PASSPHRASE`; Gate `KEY`, `SIGN`; and the generic
    /// `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie`.
    public static let sensitiveHeaderNames: [String] = [
        "X-MBX-APIKEY",
        "X-BAPI-API-KEY",
        "X-BAPI-SIGN",
        "OK-ACCESS-KEY",
        "OK-ACCESS-SIGN",
        "OK-ACCESS-PASSPHRASE",
        "KEY",
        "SIGN",
        "Authorization",
        "Proxy-Authorization",
        "Cookie",
        "Set-Cookie",
    ]

    /// The query item names whose values are never shown: `signature`, `apiKey`, `api_key`, `sign`.
    public static let sensitiveQueryItemNames: [String] = [
        "signature",
        "apiKey",
        "api_key",
        "sign",
    ]

    private static let lowercasedHeaderNames = Set(sensitiveHeaderNames.map { $0.lowercased() })
    private static let lowercasedQueryItemNames = Set(sensitiveQueryItemNames.map { $0.lowercased() })

    /// Tells whether the value of the header with this name must be hidden.
    ///
    /// - Parameter name: A header name, in any letter case.
    /// - Returns: `true` if the name is in ``sensitiveHeaderNames``.
    public static func isSensitiveHeader(named name: String) -> Bool {
        lowercasedHeaderNames.contains(name.lowercased())
    }

    /// Tells whether the value of the query item with this name must be hidden.
    ///
    /// - Parameter name: A query item name, percent-encoded or not, in any letter case.
    /// - Returns: `true` if the decoded name is in ``sensitiveQueryItemNames``.
    public static func isSensitiveQueryItem(named name: String) -> Bool {
        let decoded = name.removingPercentEncoding ?? name
        return lowercasedQueryItemNames.contains(decoded.lowercased())
            || lowercasedQueryItemNames.contains(name.lowercased())
    }

    /// Hides the values of sensitive items in a percent-encoded query string.
    ///
    /// Items are separated by `&`; each is `name=value` or a bare `name`. Other items are kept
    /// byte for byte.
    ///
    /// - Parameter query: A query string without the leading `?`, as sent on the wire.
    /// - Returns: The same query with each sensitive value replaced by ``placeholder``.
    public static func redactedQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            guard let equals = item.firstIndex(of: "=") else { return String(item) }
            let name = item[..<equals]
            guard isSensitiveQueryItem(named: String(name)) else { return String(item) }
            return name + "=" + placeholder
        }.joined(separator: "&")
    }

    /// Renders a URL with the values of sensitive query items hidden.
    ///
    /// The user information (`user:password@`) and the fragment are dropped; the rest is kept as it
    /// would be sent, for example `https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=<redacted>`.
    ///
    /// - Parameter url: The URL to render.
    /// - Returns: A string that is safe to log.
    public static func redactedURL(_ url: URL) -> String {
        let (base, query) = splitForDisplay(url)
        guard let query else { return base }
        return base + "?" + redactedQuery(query)
    }

    /// Renders a URL without its query string, user information or fragment: `https://host:port/path`.
    ///
    /// This is what errors show: it names the endpoint and can never carry a signed query.
    ///
    /// - Parameter url: The URL to render.
    /// - Returns: The scheme, host, port and path of the URL.
    public static func urlWithoutQuery(_ url: URL) -> String {
        splitForDisplay(url).base
    }

    /// Splits `url.absoluteString` into the part before the query (without user information) and the
    /// raw query; the fragment is dropped.
    private static func splitForDisplay(_ url: URL) -> (base: String, query: String?) {
        var text = Substring(url.absoluteString)
        if let hash = text.firstIndex(of: "#") {
            text = text[..<hash]
        }
        var query: String?
        if let question = text.firstIndex(of: "?") {
            query = String(text[text.index(after: question)...])
            text = text[..<question]
        }
        // Drop "user:password@" from the authority, if any.
        if let schemeEnd = text.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
            if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
                text = text[..<authorityStart] + text[text.index(after: at)...]
            }
        }
        return (String(text), query)
    }
}
