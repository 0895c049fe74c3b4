#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension URLSessionTransport {
    /// An HTTP proxy that a ``URLSessionTransport`` sends `https` requests through, set in
    /// ``Configuration-swift.struct/proxy``.
    ///
    /// The transport asks the proxy with `CONNECT host:443` for a tunnel to the exchange and speaks
    /// TLS to the exchange inside it: the proxy learns the exchange's host name and port and sees
    /// encrypted bytes, never the API key, the signature or the request. Plain `http://` requests
    /// to loopback never go through a proxy.
    ///
    /// ```swift
    /// let transport = URLSessionTransport(configuration: .init(
    ///     proxy: URLSessionTransport.Proxy(host: "proxy.internal", port: 3128)))
    /// ```
    ///
    /// Proxy authentication is not supported.
    public struct Proxy: Sendable, Hashable, CustomStringConvertible {
        /// The proxy's host name or IP address (an IPv6 address with or without brackets).
        public var host: String
        /// The proxy's TCP port, 1 to 65535.
        public var port: Int

        /// Creates a proxy setting.
        ///
        /// - Parameters:
        ///   - host: The proxy's host name or IP address.
        ///   - port: The proxy's TCP port.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// The proxy as a URL: `http://proxy.internal:3128`.
        public var description: String {
            "http://\(hostForURL):\(port)"
        }

        /// The host lower-cased, without brackets: the form proxies are compared in.
        var normalizedHost: String {
            var name = host.lowercased()
            if name.hasPrefix("["), name.hasSuffix("]") {
                name = String(name.dropFirst().dropLast())
            }
            return name
        }

        private var hostForURL: String {
            normalizedHost.contains(":") ? "[\(normalizedHost)]" : normalizedHost
        }

        /// Whether the host is a plausible host name or IP address and the port is in range.
        var isValid: Bool {
            let name = normalizedHost
            guard (1...65535).contains(port), !name.isEmpty, name.utf8.count <= 253 else { return false }
            if name.contains(":") {
                return name.utf8.allSatisfy { PercentEncoding.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
            }
            return name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
        }

        /// Reads a proxy environment variable's value the strict way: `host:port` or
        /// `http://host:port`, optionally with a trailing `/`; no user information, no other scheme,
        /// no path. Without a port, libcurl's default proxy port, 1080. Anything else is `nil`.
        static func fromEnvironmentValue(_ value: String) -> Proxy? {
            var rest = Substring(value)
            if let schemeEnd = rest.range(of: "://") {
                guard rest[..<schemeEnd.lowerBound].lowercased() == "http" else { return nil }
                rest = rest[schemeEnd.upperBound...]
            }
            if rest.hasSuffix("/") { rest.removeLast() }
            guard !rest.isEmpty, !rest.contains("@"), !rest.contains("/"),
                rest.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else { return nil }
            let host: Substring
            var portText: Substring?
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":") else { return nil }
                    portText = after.dropFirst()
                }
            } else if let colon = rest.firstIndex(of: ":") {
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                host = rest
            }
            var port = 1080
            if let portText {
                guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let number = Int(portText)
                else { return nil }
                port = number
            }
            let proxy = Proxy(host: String(host), port: port)
            return proxy.isValid ? proxy : nil
        }
    }
}

extension URLSessionTransport {
    /// The session's `connectionProxyDictionary`: all proxies off, or only an `https` one.
    ///
    /// Apple platforms honour it (and then ignore the system proxy settings). swift-corelibs-foundation
    /// (Linux) ignores it, which is why ``proxyRefusal(for:configured:environment:)`` exists.
    static func connectionProxyDictionary(for proxy: Proxy?) -> [AnyHashable: Any] {
        // The raw values of kCFNetworkProxies…, which are not all declared on every platform.
        var dictionary: [AnyHashable: Any] = [
            "HTTPEnable": 0,
            "HTTPSEnable": 0,
            "SOCKSEnable": 0,
            "ProxyAutoConfigEnable": 0,
            "ProxyAutoDiscoveryEnable": 0,
        ]
        if let proxy {
            dictionary["HTTPSEnable"] = 1
            dictionary["HTTPSProxy"] = proxy.normalizedHost
            dictionary["HTTPSPort"] = proxy.port
        }
        return dictionary
    }

    /// Why an `https` request must not be handed to URLSession, or `nil` if it may.
    ///
    /// On Linux, libcurl takes proxies only from the environment, so the request is sent only if what
    /// libcurl will do is what the configuration says: no proxy configured, and libcurl certainly
    /// connects directly; or a proxy configured, and libcurl certainly uses exactly that one (named
    /// by `https_proxy` or the variable libcurl reads in its place). On Apple platforms the session's
    /// proxy dictionary decides, and nothing is refused here.
    static func proxyRefusal(
        for request: HTTPRequest, configured proxy: Proxy?, environment: LibcurlProxyEnvironment
    ) -> HTTPTransportError? {
        func refuse(_ reason: String) -> HTTPTransportError {
            HTTPTransportError(kind: .proxyMismatch, requestMayHaveBeenSent: false, request: request, reason: reason)
        }
        if let proxy, !proxy.isValid {
            return HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason: "the configured proxy is not a valid host and port")
        }
        #if canImport(FoundationNetworking)
            let route = environment.route(forHTTPSHost: request.url.host(percentEncoded: false) ?? "")
            switch (route, proxy) {
            case (.direct, nil):
                return nil
            case (.proxy(let variable, _), nil):
                return refuse(
                    "URLSession on this platform (libcurl) would send it through the proxy named by the environment "
                        + "variable \(variable), and this transport's configuration names no proxy: unset \(variable), "
                        + "or set URLSessionTransport.Configuration.proxy to that proxy to use it")
            case (.uncertain(let variable), nil):
                return refuse(
                    "URLSession on this platform (libcurl) may send it through a proxy named by the environment "
                        + "(see \(variable)), and this transport's configuration names no proxy: unset the proxy "
                        + "variables, or set URLSessionTransport.Configuration.proxy")
            case (.proxy(let variable, let value), let configured?):
                if let named = Proxy.fromEnvironmentValue(value), named.normalizedHost == configured.normalizedHost,
                    named.port == configured.port
                {
                    return nil
                }
                return refuse(
                    "URLSession on this platform (libcurl) takes its proxy only from the environment, and the "
                        + "environment variable \(variable) does not name the configured proxy \(configured) in the "
                        + "form http://host:port: set \(variable)=\(configured)")
            case (.uncertain(let variable), let configured?):
                return refuse(
                    "URLSession on this platform (libcurl) takes its proxy only from the environment, and it cannot "
                        + "be told for certain that it will use the configured proxy \(configured) (see \(variable)): "
                        + "set https_proxy=\(configured) and leave no_proxy, NO_PROXY, HTTPS_PROXY, all_proxy and "
                        + "ALL_PROXY without entries that apply")
            case (.direct, let configured?):
                return refuse(
                    "URLSession on this platform (libcurl) cannot be given a proxy except through the environment "
                        + "(swift-corelibs-foundation ignores connectionProxyDictionary), and with this environment it "
                        + "would connect directly, not through the configured proxy \(configured): set "
                        + "https_proxy=\(configured) (and keep the host out of no_proxy), or use a transport that "
                        + "supports proxies")
            }
        #else
            return nil
        #endif
    }
}
