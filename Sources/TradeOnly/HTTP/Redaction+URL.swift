/// Rendering URLs so that they are safe to log: the HTTP side of ``Redaction``.
///
/// Which names are sensitive is decided in one place, ``Redaction``; these helpers apply it to URLs:
///
/// ```swift
/// Redaction.redactedURL(url)
/// // "https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=<redacted>"
/// Redaction.urlWithoutQuery(url)   // "https://api.binance.com/api/v3/order"
/// ```
///
/// Bodies are never rendered by the HTTP layer (a form body can carry a signature); only their length is.
extension Redaction {
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
        return base + "?" + redactQuery(query)
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
