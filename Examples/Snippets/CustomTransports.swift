// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift samples of Documentation/CustomTransports.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function marked `// sample`, so that it compiles without running. Imports are at the top. Keep the
// two in step: TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import TradeOnly
import TradeOnlyBinance

struct RequestSample: Sendable {
    var endpoint: String        // method and path only: keep queries out of metrics and logs
    var status: Int?            // nil when no response arrived
    var duration: Duration
    var usedWeight: String?     // Binance's X-MBX-USED-WEIGHT-1M, if present
}

struct Metrics: HTTPMiddleware {
    let record: @Sendable (RequestSample) -> Void

    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let endpoint = "\(request.method.rawValue) \(request.url.path)"
        let start = ContinuousClock.now
        do {
            let response = try await next(request)
            record(RequestSample(
                endpoint: endpoint, status: response.status, duration: ContinuousClock.now - start,
                usedWeight: response.headers["X-MBX-USED-WEIGHT-1M"]))
            return response
        } catch {
            record(RequestSample(endpoint: endpoint, status: nil, duration: ContinuousClock.now - start, usedWeight: nil))
            throw error
        }
    }
}

let metrics = Metrics { sample in
    print(sample.endpoint, sample.status.map { "\($0)" } ?? "no response", sample.duration)
}
let binance = Binance(environment: .testnet, transport: URLSessionTransport(), middlewares: [metrics])

let transport = URLSessionTransport(configuration: .init(
    timeout: .seconds(5),                    // whole request, start to last byte; default 10 s
    maximumResponseSize: 4 * 1024 * 1024,    // bytes; default 16 MiB
    allowsInsecureLoopback: true             // plain http:// to 127.0.0.0/8, ::1, localhost; default true
))

let proxied = URLSessionTransport(configuration: .init(
    proxy: URLSessionTransport.Proxy(host: "proxy.internal", port: 3128)   // default nil: no proxy at all
))

struct PinnedHosts: HTTPTransport {
    let hosts: Set<String>
    let base: any HTTPTransport

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let host = request.url.host(percentEncoded: false)?.lowercased(), hosts.contains(host) else {
            throw HTTPTransportError(
                kind: .invalidRequest, requestMayHaveBeenSent: false, request: request,
                reason: "host not allowed by PinnedHosts")
        }
        return try await base.send(request)
    }
}

let pinned = PinnedHosts(hosts: ["api.binance.com"], base: URLSessionTransport())

func customTransportsMockTransport() async throws {  // sample
    let mock = MockTransport { request in
        switch request.url.path {
        case "/api/v3/time":
            return HTTPResponse(status: 200, body: Data(#"{"serverTime":1700000000000}"#.utf8))
        default:
            return HTTPResponse(status: 404)
        }
    }

    let chain = mock.with(middlewares: [Metrics { sample in print(sample.endpoint, sample.status ?? 0) }])
    let response = try await chain.send(HTTPRequest(method: .get, url: URL(string: "https://api.binance.com/api/v3/time")!))
    print(response.status, mock.requests.count)   // 200 1 (after the middleware's "GET /api/v3/time 200")
}  // sample
