import Foundation
import Testing
import TradeOnlyLoopback

@testable import TradeOnly

/// The environment variables of the child-process proxy tests.
enum ProxyProbeEnvironment {
    /// Where the child writes what it saw, one line per check. Its presence enables the probe.
    static let result = "TRADEONLY_PROXY_PROBE_RESULT"
    /// `environment` or `configured`: which checks the child runs.
    static let mode = "TRADEONLY_PROXY_PROBE_MODE"
    /// The base URL of the real loopback server.
    static let server = "TRADEONLY_PROXY_PROBE_SERVER"
    /// The proxy the environment names, as `host:port`.
    static let proxyPort = "TRADEONLY_PROXY_PROBE_PROXY_PORT"

    /// Every variable libcurl reads for proxies, in both spellings.
    static let proxyVariables: Set<String> = ["http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy", "socks_proxy"]

    /// A host that never resolves (RFC 6761), for https requests that must not leave the process.
    static let unroutableHTTPS = "https://tradeonly-proxy-probe.invalid/api/v3/account?timestamp=1&signature=c8db5682"
}

/// The child side: runs only in the child process that ``ProxyEnvironmentProcessTests`` launches
/// with proxy variables set, and writes what each request did to the result file.
@Suite("Proxy probe (child side of the proxy environment tests)")
struct ProxyChildProbe {
    @Test(
        "child: requests with proxy variables in the environment",
        .enabled(
            if: ProcessInfo.processInfo.environment[ProxyProbeEnvironment.result] != nil,
            "runs only in the child process the proxy environment tests launch"))
    func probe() async throws {
        let environment = ProcessInfo.processInfo.environment
        let resultPath = try #require(environment[ProxyProbeEnvironment.result])
        let server = try #require(environment[ProxyProbeEnvironment.server])
        let proxyPort = try #require(environment[ProxyProbeEnvironment.proxyPort].flatMap(Int.init))
        let environmentProxy = URLSessionTransport.Proxy(host: "127.0.0.1", port: proxyPort)
        var lines: [String] = []

        func outcome(_ transport: URLSessionTransport, _ method: HTTPMethod, _ address: String) async -> String {
            guard let url = URL(string: address) else { return "bad URL" }
            do {
                let response = try await transport.send(
                    HTTPRequest(
                        method: method, url: url, headers: ["X-MBX-APIKEY": "probe-key"],
                        body: method == .get ? nil : Data("signature=probe".utf8)))
                return "\(response.status) \(String(decoding: response.body, as: UTF8.self))"
            } catch let error as HTTPTransportError {
                return "\(error.kind) \(error.requestMayHaveBeenSent ? "may have been sent" : "not sent")"
            } catch {
                return "other error"
            }
        }

        // Generous timeouts: the parent's servers answer from a concurrency pool that its other
        // tests keep busy. A request that goes to the parent's fake proxy is answered at once.
        let plain = URLSessionTransport(configuration: .init(timeout: .seconds(30)))
        let configured = URLSessionTransport(configuration: .init(timeout: .seconds(30), proxy: environmentProxy))
        let otherProxy = URLSessionTransport(
            configuration: .init(
                timeout: .seconds(30), proxy: URLSessionTransport.Proxy(host: "127.0.0.1", port: 9)))
        let localhost = server.replacingOccurrences(of: "127.0.0.1", with: "localhost")

        switch environment[ProxyProbeEnvironment.mode] {
        case "environment":
            lines.append("loopback GET: " + (await outcome(plain, .get, server + "/read?signature=abc")))
            lines.append("loopback POST: " + (await outcome(plain, .post, server + "/order")))
            lines.append("loopback DELETE: " + (await outcome(plain, .delete, server + "/order?orderId=1")))
            lines.append("localhost GET: " + (await outcome(plain, .get, localhost + "/read")))
            lines.append("loopback GET, proxy configured: " + (await outcome(configured, .get, server + "/read")))
            lines.append("https, no proxy configured: " + (await outcome(plain, .get, ProxyProbeEnvironment.unroutableHTTPS)))
            lines.append("https POST, no proxy configured: " + (await outcome(plain, .post, ProxyProbeEnvironment.unroutableHTTPS)))
            lines.append("https, another proxy configured: " + (await outcome(otherProxy, .get, ProxyProbeEnvironment.unroutableHTTPS)))
        case "configured":
            lines.append("loopback GET, proxy configured: " + (await outcome(configured, .get, server + "/read")))
            lines.append("https, no proxy configured: " + (await outcome(plain, .get, ProxyProbeEnvironment.unroutableHTTPS)))
            // Sent: libcurl asks the proxy for a tunnel, which the test's proxy refuses.
            let tunnelled = await outcome(configured, .get, ProxyProbeEnvironment.unroutableHTTPS)
            lines.append("https, the environment's proxy configured: " + (tunnelled.hasPrefix("proxyMismatch") ? tunnelled : "sent"))
        default:
            Issue.record("unknown probe mode")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: resultPath, atomically: true, encoding: .utf8)
    }
}

#if os(Linux)
    /// URLSession on Linux is libcurl, which reads `http_proxy`, `HTTPS_PROXY`, `ALL_PROXY`, … from the
    /// process environment. Environment variables are process-wide and the tests run in parallel, so
    /// these tests set them only in a child process (this test executable, re-run with a filter that
    /// selects ``ProxyChildProbe``), never in this one.
    @Suite("URLSessionTransport and proxy environment variables (in a child process)")
    struct ProxyEnvironmentProcessTests {
        private func runProbe(mode: String, proxyPort: UInt16, server: LoopbackServer, variables: [String: String]) async throws -> (
            ChildTestProcess.Outcome, [String]
        ) {
            let resultPath = FileManager.default.temporaryDirectory.appendingPathComponent("tradeonly-probe-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: resultPath) }
            var environment = variables
            environment[ProxyProbeEnvironment.result] = resultPath
            environment[ProxyProbeEnvironment.mode] = mode
            environment[ProxyProbeEnvironment.server] = server.baseURL.absoluteString
            environment[ProxyProbeEnvironment.proxyPort] = String(proxyPort)
            let outcome = try await ChildTestProcess.run(
                filter: "ProxyChildProbe", environment: environment, removing: ProxyProbeEnvironment.proxyVariables)
            let lines = ((try? String(contentsOfFile: resultPath, encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
            return (outcome, lines)
        }

        @Test(
            "every proxy variable names a fake proxy: loopback reaches the real server, https is refused before any I/O, the proxy gets no connection"
        )
        func environmentProxiesAreIgnored() async throws {
            // The fake proxy answers anything at once, so a request that wrongly goes there fails fast
            // and is counted; connectionsAccepted counts every connection it ever got.
            let proxied = Recorder<LoopbackRequest>()
            let proxy = try startedServer(recorder: proxied) { _ in LoopbackResponse(status: 502, text: "from the proxy") }
            defer { proxy.stop() }
            let recorder = Recorder<LoopbackRequest>()
            let server = try startedServer(recorder: recorder) { request in
                LoopbackResponse(status: 200, text: "real \(request.method)")
            }
            defer { server.stop() }
            let proxyURL = "http://127.0.0.1:\(proxy.port)"
            var variables: [String: String] = [:]
            for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
                variables[name] = proxyURL
            }
            let (outcome, lines) = try await runProbe(mode: "environment", proxyPort: proxy.port, server: server, variables: variables)

            #expect(outcome.status == 0, "\(outcome)")
            #expect(
                lines == [
                    "loopback GET: 200 real GET",
                    "loopback POST: 200 real POST",
                    "loopback DELETE: 200 real DELETE",
                    "localhost GET: 200 real GET",
                    "loopback GET, proxy configured: 200 real GET",
                    "https, no proxy configured: proxyMismatch not sent",
                    "https POST, no proxy configured: proxyMismatch not sent",
                    "https, another proxy configured: proxyMismatch not sent",
                ], "\(outcome)")
            #expect(proxy.connectionsAccepted == 0, "a request went to the proxy the environment names")
            #expect(proxied.values.isEmpty)
            #expect(recorder.values.map(\.method) == ["GET", "POST", "DELETE", "GET", "GET"])
        }

        @Test("the configured proxy, also named by https_proxy, is asked for a tunnel to the https host and sees nothing else")
        func configuredProxyIsUsedForHTTPSOnly() async throws {
            let tunnels = Recorder<LoopbackRequest>()
            let proxy = try startedServer(recorder: tunnels) { _ in LoopbackResponse(status: 403, text: "no tunnel") }
            defer { proxy.stop() }
            let recorder = Recorder<LoopbackRequest>()
            let server = try startedServer(recorder: recorder) { request in
                LoopbackResponse(status: 200, text: "real \(request.method)")
            }
            defer { server.stop() }
            let (outcome, lines) = try await runProbe(
                mode: "configured", proxyPort: proxy.port, server: server,
                variables: ["https_proxy": "http://127.0.0.1:\(proxy.port)/"])

            #expect(outcome.status == 0, "\(outcome)")
            #expect(
                lines == [
                    "loopback GET, proxy configured: 200 real GET",
                    "https, no proxy configured: proxyMismatch not sent",
                    "https, the environment's proxy configured: sent",
                ], "\(outcome)")
            #expect(tunnels.values.map(\.method) == ["CONNECT"])
            #expect(tunnels.values.map(\.target) == ["tradeonly-proxy-probe.invalid:443"])
            #expect(recorder.values.map(\.method) == ["GET"])
        }
    }
#endif
