#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What libcurl, which is URLSession on Linux, will do with the proxy environment variables for an
/// `https` request: read, never written.
///
/// swift-corelibs-foundation never sets `CURLOPT_PROXY` or `CURLOPT_NOPROXY` (it ignores
/// `URLSessionConfiguration.connectionProxyDictionary`), so libcurl decides from the environment
/// alone (curl 7.88, `lib/url.c` and `lib/noproxy.c`):
///
/// 1. `no_proxy`, or `NO_PROXY` if that is unset or empty: `*` exempts every host; otherwise a list
///    separated by commas (and blanks) of host names, each exempting itself and its subdomains
///    (a leading dot is ignored), or of IP addresses and CIDR ranges. An exempt host is reached
///    directly.
/// 2. Otherwise the first non-empty one of `https_proxy`, `HTTPS_PROXY`, `all_proxy`, `ALL_PROXY`
///    names the proxy (for plain `http` the list is `http_proxy`, `all_proxy`, `ALL_PROXY`; libcurl
///    never reads `HTTP_PROXY`).
///
/// The answers here are conservative in the direction that matters: ``Route-swift.enum/direct`` only
/// when every libcurl version connects directly, ``Route-swift.enum/proxy(variable:value:)`` only
/// when it certainly uses that value, and ``Route-swift.enum/uncertain(variable:)`` otherwise.
struct LibcurlProxyEnvironment: Sendable {
    /// Reads one environment variable.
    let variable: @Sendable (String) -> String?

    /// The process environment, read with `getenv` at the moment of each request (as libcurl reads it).
    static let process = LibcurlProxyEnvironment { name in
        getenv(name).map { String(cString: $0) }
    }

    /// How libcurl will route a request.
    enum Route: Sendable, Hashable {
        /// Straight to the host.
        case direct
        /// Through the proxy `value` of environment variable `variable`.
        case proxy(variable: String, value: String)
        /// Not certain: `variable` may or may not exempt the host, or an empty variable may hide
        /// another from older libcurl versions.
        case uncertain(variable: String)
    }

    /// The variables libcurl reads for the proxy of an `https` request, in order.
    static let httpsProxyVariables = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    /// The variables libcurl reads for the hosts exempt from proxies, in order.
    static let noProxyVariables = ["no_proxy", "NO_PROXY"]

    /// How libcurl will route an `https` request to `host` (a URL host, IPv6 with or without brackets).
    func route(forHTTPSHost host: String) -> Route {
        let noProxy = Self.noProxyVariables.compactMap { name in variable(name).map { (name, $0) } }
        if let (_, value) = noProxy.first(where: { !$0.1.isEmpty }),
            noProxy.prefix(while: { $0.1.isEmpty }).isEmpty,
            Self.certainlyExempts(host: host, noProxy: value)
        {
            return .direct
        }
        var sawEmpty = false
        for name in Self.httpsProxyVariables {
            guard let value = variable(name) else { continue }
            if value.isEmpty {
                // libcurl 7.88 skips an empty variable; treat it as a doubt only if a proxy follows.
                sawEmpty = true
                continue
            }
            if sawEmpty {
                return .uncertain(variable: name)
            }
            if let (noProxyName, _) = noProxy.first(where: { !$0.1.isEmpty && Self.mightExempt(host: host, noProxy: $0.1) }) {
                return .uncertain(variable: noProxyName)
            }
            return .proxy(variable: name, value: value)
        }
        return .direct
    }

    // MARK: - no_proxy matching

    /// Whether every libcurl version exempts `host` given this `no_proxy` value: `*` alone, a host
    /// name equal to an entry or a subdomain of it (case-insensitive, a leading dot of the entry
    /// ignored), or an IP address written exactly as an entry.
    static func certainlyExempts(host: String, noProxy: String) -> Bool {
        if noProxy == "*" { return true }
        let name = bareHost(host)
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 < 0x80 }), !name.hasSuffix(".") else { return false }
        let isAddress = isIPAddress(name)
        for entry in entries(of: noProxy) {
            var token = entry.lowercased()
            if token.hasPrefix(".") { token.removeFirst() }
            guard !token.isEmpty, !token.hasSuffix("."), !token.contains("/") else { continue }
            if isAddress {
                if token == name { return true }
            } else if token == name || name.hasSuffix("." + token) {
                return true
            }
        }
        return false
    }

    /// Whether some libcurl version might exempt `host` given this `no_proxy` value: a superset of
    /// every version's matching (any `*`, any entry the host name ends with, any CIDR range for an
    /// IP address, any entry at all for a host name that is not ASCII).
    static func mightExempt(host: String, noProxy: String) -> Bool {
        if noProxy.contains("*") { return true }
        var name = bareHost(host)
        while name.hasSuffix(".") { name.removeLast() }
        let tokens = entries(of: noProxy).map { entry -> String in
            var token = entry.lowercased()
            while token.hasPrefix(".") { token.removeFirst() }
            while token.hasSuffix(".") { token.removeLast() }
            return token
        }.filter { !$0.isEmpty }
        guard !tokens.isEmpty else { return false }
        if name.isEmpty || !name.utf8.allSatisfy({ $0 < 0x80 }) { return true }
        let isAddress = isIPAddress(name)
        return tokens.contains { token in
            name.hasSuffix(token) || (isAddress && (token.contains("/") || token.contains(":")))
        }
    }

    /// The entries of a `no_proxy` list: separated by commas, spaces or tabs.
    private static func entries(of list: String) -> [Substring] {
        list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
    }

    /// The host lower-cased, without the brackets of an IPv6 address.
    private static func bareHost(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = String(name.dropFirst().dropLast())
        }
        return name
    }

    /// Whether a bare host is an IPv4 or IPv6 address rather than a name.
    private static func isIPAddress(_ name: String) -> Bool {
        if name.contains(":") { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
