import Foundation
import Testing
import TradeOnlyLoopback

@testable import TradeOnly

/// A fake environment for ``LibcurlProxyEnvironment``: nothing here reads or writes the process's.
private func environment(_ variables: [String: String]) -> LibcurlProxyEnvironment {
    LibcurlProxyEnvironment { variables[$0] }
}

private let host = "api.binance.com"

@Suite("Proxy configuration and what libcurl reads from the environment")
struct ProxyConfigurationTests {
    typealias Route = LibcurlProxyEnvironment.Route

    static let routes: [(String, [String: String], Route)] = [
        ("nothing set", [:], .direct),
        ("only http_proxy (plain http only)", ["http_proxy": "http://p:1", "HTTP_PROXY": "http://p:1"], .direct),
        ("https_proxy", ["https_proxy": "http://p:1"], .proxy(variable: "https_proxy", value: "http://p:1")),
        ("HTTPS_PROXY", ["HTTPS_PROXY": "http://p:2"], .proxy(variable: "HTTPS_PROXY", value: "http://p:2")),
        ("all_proxy", ["all_proxy": "p:3"], .proxy(variable: "all_proxy", value: "p:3")),
        ("ALL_PROXY", ["ALL_PROXY": "socks5://p:4"], .proxy(variable: "ALL_PROXY", value: "socks5://p:4")),
        ("lower case wins", ["https_proxy": "a:1", "HTTPS_PROXY": "b:2", "all_proxy": "c:3"], .proxy(variable: "https_proxy", value: "a:1")),
        ("the scheme's variable wins over all_proxy", ["HTTPS_PROXY": "b:2", "all_proxy": "c:3"], .proxy(variable: "HTTPS_PROXY", value: "b:2")),
        ("empty variables alone", ["https_proxy": "", "ALL_PROXY": ""], .direct),
        ("an empty variable before a proxy is a doubt", ["https_proxy": "", "HTTPS_PROXY": "b:2"], .uncertain(variable: "HTTPS_PROXY")),
        ("no_proxy=*", ["https_proxy": "a:1", "no_proxy": "*"], .direct),
        ("NO_PROXY=*", ["https_proxy": "a:1", "NO_PROXY": "*"], .direct),
        ("no_proxy names the host", ["https_proxy": "a:1", "no_proxy": "localhost,api.binance.com"], .direct),
        ("no_proxy names the domain with a dot", ["https_proxy": "a:1", "no_proxy": ".binance.com"], .direct),
        ("no_proxy names the domain", ["https_proxy": "a:1", "no_proxy": "localhost, binance.com"], .direct),
        ("no_proxy in other letter case", ["https_proxy": "a:1", "no_proxy": "API.BINANCE.COM"], .direct),
        (
            "no_proxy names other hosts", ["https_proxy": "a:1", "no_proxy": "localhost,127.0.0.1,.corp"],
            .proxy(variable: "https_proxy", value: "a:1")
        ),
        ("no_proxy names a lookalike", ["https_proxy": "a:1", "no_proxy": "notbinance.com"], .proxy(variable: "https_proxy", value: "a:1")),
        ("no_proxy names a partial suffix", ["https_proxy": "a:1", "no_proxy": "inance.com"], .uncertain(variable: "no_proxy")),
        ("no_proxy with * inside a list", ["https_proxy": "a:1", "no_proxy": "localhost,*"], .uncertain(variable: "no_proxy")),
        ("an empty no_proxy before NO_PROXY", ["https_proxy": "a:1", "no_proxy": "", "NO_PROXY": "*"], .uncertain(variable: "NO_PROXY")),
        ("no_proxy with a trailing dot", ["https_proxy": "a:1", "no_proxy": "binance.com."], .uncertain(variable: "no_proxy")),
    ]

    @Test("the route libcurl takes for an https request:", arguments: routes)
    func route(name: String, variables: [String: String], expected: Route) {
        #expect(environment(variables).route(forHTTPSHost: host) == expected, "\(name)")
    }

    @Test(
        "no_proxy matching: certain only where every libcurl version exempts, possible wherever one might",
        arguments: [
            // host, no_proxy, certainly, might
            ("api.binance.com", "binance.com", true, true),
            ("api.binance.com", ".binance.com", true, true),
            ("api.binance.com", "inance.com", false, true),
            ("api.binance.com", "com", true, true),
            ("api.binance.com", "api.binance.com.evil", false, false),
            ("10.1.2.3", "10.1.2.3", true, true),
            ("10.1.2.3", "2.3", false, true),
            ("10.1.2.3", "10.0.0.0/8", false, true),
            ("::1", "::1", true, true),
            ("[::1]", "::1", true, true),
            ("[2001:db8::1]", "2001:db8::/32", false, true),
            ("bücher.example", "example", false, true),
            ("api.binance.com", "", false, false),
            ("api.binance.com", " , ", false, false),
        ])
    func noProxyMatching(host: String, noProxy: String, certainly: Bool, might: Bool) {
        #expect(LibcurlProxyEnvironment.certainlyExempts(host: host, noProxy: noProxy) == certainly)
        #expect(LibcurlProxyEnvironment.mightExempt(host: host, noProxy: noProxy) == might)
        if certainly { #expect(might, "certain must imply possible") }
    }

    @Test(
        "proxy variable values are read strictly",
        arguments: [
            ("http://proxy.internal:3128", "proxy.internal", 3128),
            ("HTTP://Proxy.Internal:3128/", "proxy.internal", 3128),
            ("proxy.internal:8080", "proxy.internal", 8080),
            ("proxy.internal", "proxy.internal", 1080),
            ("http://[::1]:3128", "::1", 3128),
            ("10.0.0.1:3128", "10.0.0.1", 3128),
        ])
    func environmentValues(value: String, host: String, port: Int) throws {
        let proxy = try #require(URLSessionTransport.Proxy.fromEnvironmentValue(value))
        #expect(proxy.normalizedHost == host)
        #expect(proxy.port == port)
    }

    @Test(
        "proxy variable values libcurl would read differently are not taken as a match",
        arguments: [
            "https://proxy.internal:3128", "socks5://proxy.internal:1080", "socks5h://p:1", "http://user:pass@proxy.internal:3128",
            "http://proxy.internal:3128/path", "proxy.internal:", "proxy.internal:99999", "proxy.internal:80a", " proxy:1",
            "http://", "", "[::1", "http://proxy internal:1", "proxy.internal:3128?x",
        ])
    func strangeEnvironmentValues(value: String) {
        #expect(URLSessionTransport.Proxy.fromEnvironmentValue(value) == nil)
    }

    @Test("a configured proxy must be a plausible host and port")
    func proxyValidity() {
        typealias Proxy = URLSessionTransport.Proxy
        #expect(Proxy(host: "proxy.internal", port: 3128).isValid)
        #expect(Proxy(host: "[::1]", port: 1).isValid)
        #expect(Proxy(host: "10.0.0.1", port: 65535).isValid)
        for invalid in [
            Proxy(host: "", port: 1), Proxy(host: "p", port: 0), Proxy(host: "p", port: 65536),
            Proxy(host: "user@p", port: 1), Proxy(host: "p/x", port: 1), Proxy(host: "p q", port: 1),
            Proxy(host: "p\r\nX: 1", port: 1),
        ] {
            #expect(!invalid.isValid, "\(invalid)")
        }
        #expect(Proxy(host: "Proxy.Internal", port: 3128).description == "http://proxy.internal:3128")
        #expect(Proxy(host: "::1", port: 8).description == "http://[::1]:8")
    }

    @Test("the session's proxy dictionary turns every proxy off, or names only the configured https proxy")
    func proxyDictionary() {
        let off = URLSessionTransport.connectionProxyDictionary(for: nil)
        for key in ["HTTPEnable", "HTTPSEnable", "SOCKSEnable", "ProxyAutoConfigEnable", "ProxyAutoDiscoveryEnable"] {
            #expect(off[key] as? Int == 0, "\(key)")
        }
        #expect(off["HTTPSProxy"] == nil)
        let on = URLSessionTransport.connectionProxyDictionary(for: .init(host: "proxy.internal", port: 3128))
        #expect(on["HTTPSEnable"] as? Int == 1)
        #expect(on["HTTPSProxy"] as? String == "proxy.internal")
        #expect(on["HTTPSPort"] as? Int == 3128)
        #expect(on["HTTPEnable"] as? Int == 0)
        #expect(on["SOCKSEnable"] as? Int == 0)
    }

    static let refusals: [(String, URLSessionTransport.Proxy?, [String: String], HTTPTransportError.Kind?)] = [
        ("no proxy, none in the environment", nil, [:], nil),
        ("no proxy, https_proxy set", nil, ["https_proxy": "http://p:1"], .proxyMismatch),
        ("no proxy, ALL_PROXY set", nil, ["ALL_PROXY": "http://p:1"], .proxyMismatch),
        ("no proxy, https_proxy set but the host exempt", nil, ["https_proxy": "http://p:1", "no_proxy": ".binance.com"], nil),
        ("no proxy, https_proxy set, exemption uncertain", nil, ["https_proxy": "http://p:1", "no_proxy": "inance.com"], .proxyMismatch),
        ("the environment's proxy configured", .init(host: "p", port: 1), ["https_proxy": "http://p:1"], nil),
        ("the environment's proxy configured, spelled differently", .init(host: "P", port: 1), ["HTTPS_PROXY": "p:1/"], nil),
        ("another proxy configured", .init(host: "p", port: 2), ["https_proxy": "http://p:1"], .proxyMismatch),
        ("a proxy configured, none in the environment", .init(host: "p", port: 1), [:], .proxyMismatch),
        ("a proxy configured, the environment's has credentials", .init(host: "p", port: 1), ["https_proxy": "http://u:x@p:1"], .proxyMismatch),
        ("a proxy configured, the environment's is SOCKS", .init(host: "p", port: 1), ["https_proxy": "socks5://p:1"], .proxyMismatch),
        ("a proxy configured, the host exempt", .init(host: "p", port: 1), ["https_proxy": "http://p:1", "no_proxy": "*"], .proxyMismatch),
        ("an invalid proxy configured", .init(host: "", port: 1), ["https_proxy": "http://p:1"], .invalidRequest),
    ]

    @Test("an https request is sent only if libcurl's route is what the configuration says:", arguments: refusals)
    func refusal(name: String, proxy: URLSessionTransport.Proxy?, variables: [String: String], expected: HTTPTransportError.Kind?) throws {
        let request = HTTPRequest(method: .post, url: try #require(URL(string: "https://\(host)/api/v3/order?signature=abc")))
        let refusal = URLSessionTransport.proxyRefusal(for: request, configured: proxy, environment: environment(variables))
        #if canImport(FoundationNetworking)
            #expect(refusal?.kind == expected, "\(name): \(String(describing: refusal))")
        #else
            #expect(refusal?.kind == (expected == .invalidRequest ? .invalidRequest : nil), "\(name)")
        #endif
        if let refusal {
            #expect(!refusal.requestMayHaveBeenSent)
            for value in variables.values where value.contains(":") && value != proxy?.description {
                #expect(!refusal.description.contains(value), "the refusal must not show a variable's value (it may hold credentials)")
            }
            #expect(!refusal.description.contains("signature"))
        }
    }

    @Test("the transport refuses such an https request before any I/O, and never asks the environment about loopback")
    func transportRefusesBeforeIO() async throws {
        let proxy = try HeldPort(listening: true)
        let variables = ["https_proxy": "http://127.0.0.1:\(proxy.port)", "http_proxy": "http://127.0.0.1:\(proxy.port)"]
        let transport = URLSessionTransport(
            configuration: .init(timeout: .seconds(60)), loopbackRoute: .direct, proxyEnvironment: environment(variables))
        #if canImport(FoundationNetworking)
            let request = HTTPRequest(method: .get, url: try #require(URL(string: "https://127.0.0.1:\(proxy.port)/x")))
            let error = try #require(await transportError(transport, request))
            #expect(error.kind == .proxyMismatch)
            #expect(!error.requestMayHaveBeenSent)
        #endif
        let server = try startedServer()
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(method: .get, url: try url(server, "/")))
        #expect(response.status == 200)
        #expect(!proxy.hasPendingConnection)
    }
}
