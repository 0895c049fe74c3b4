import Testing
import TradeOnlyLoopback

@testable import TradeOnly

/// Echoes the request back: method, target and body in the body; header fields as `X-Echo-…`.
private let echo: LoopbackServer.Handler = { request in
    LoopbackResponse(
        status: 200,
        headerFields: [
            LoopbackHeaderField(name: "X-Echo-Method", value: request.method),
            LoopbackHeaderField(name: "X-Echo-Connection", value: String(request.connectionID)),
        ],
        body: request.body)
}

/// Every test runs both ways plain-http loopback can go: sent by the transport itself (what users
/// get) and handed to URLSession (so that the URLSession machinery https uses stays tested).
@Suite("URLSessionTransport over a loopback server")
struct URLSessionTransportTests {
    typealias Route = URLSessionTransport.LoopbackRoute

    @Test("a GET arrives byte-exact: method, raw path and query with percent-escapes, headers", arguments: Route.allCases)
    func getArrivesExactly(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder, handler: echo)
        defer { server.stop() }
        let target = "/api/v3/%E8%BF%99/a%2Fb?symbol=%E8%BF%99%E4%B8%AA&path=a%2Fb&signature=ab12&empty=&plus=a+b"
        let request = HTTPRequest(
            method: .get, url: try url(server, target),
            headers: ["X-MBX-APIKEY": HTTPRedactionTests.apiKey, "x-Mixed-CASE": "Value  with  spaces", "Accept": "application/json"])
        let response = try await transport.send(request)

        #expect(response.status == 200)
        let received = try #require(recorder.values.first)
        #expect(received.method == "GET")
        #expect(received.target == target)
        #expect(received.body.isEmpty)
        let fields = received.headerFields
        #expect(fields.contains(LoopbackHeaderField(name: "X-MBX-APIKEY", value: HTTPRedactionTests.apiKey)))
        #expect(fields.contains(LoopbackHeaderField(name: "x-Mixed-CASE", value: "Value  with  spaces")))
        #expect(fields.values(for: "accept") == ["application/json"])
    }

    @Test("a POST with a form body arrives byte-exact", arguments: Route.allCases)
    func postFormBody(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder, handler: echo)
        defer { server.stop() }
        let body = Data(
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.00100000&price=30000.00&note=%E8%BF%99%2F&signature=\(HTTPRedactionTests.signature)".utf8)
        let request = HTTPRequest(
            method: .post, url: try url(server, "/api/v3/order"),
            headers: ["Content-Type": "application/x-www-form-urlencoded", "X-MBX-APIKEY": "key"],
            body: body)
        let response = try await transport.send(request)

        #expect(response.status == 200)
        #expect(response.body == body)
        let received = try #require(recorder.values.first)
        #expect(received.method == "POST")
        #expect(received.target == "/api/v3/order")
        #expect(received.body == body)
        #expect(received.headerValue(for: "Content-Type") == "application/x-www-form-urlencoded")
        #expect(received.headerValue(for: "Content-Length") == String(body.count))
    }

    @Test("a POST with a JSON body arrives byte-exact, including non-ASCII and a body larger than a read", arguments: Route.allCases)
    func postJSONBody(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder, handler: echo)
        defer { server.stop() }
        let padding = String(repeating: "0123456789", count: 20_000)
        let body = Data(#"{"instId":"BTC-USDT","sz":"0.01","px":"30000.5","tag":"这个 ✓","pad":"\#(padding)"}"#.utf8)
        let request = HTTPRequest(
            method: .post, url: try url(server, "/api/v5/trade/order"),
            headers: ["Content-Type": "application/json", "OK-ACCESS-KEY": "k", "OK-ACCESS-SIGN": "s", "OK-ACCESS-PASSPHRASE": "p"],
            body: body)
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(response.body == body)
        let received = try #require(recorder.values.first)
        #expect(received.body == body)
        #expect(received.headerValue(for: "content-type") == "application/json")
        #expect(received.headerFields.map(\.name).contains("OK-ACCESS-PASSPHRASE"))
    }

    @Test("DELETE and PUT arrive with their method, query and body", arguments: [HTTPMethod.delete, .put, .patch], Route.allCases)
    func otherMethods(method: HTTPMethod, route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder, handler: echo)
        defer { server.stop() }
        let body = Data("orderId=42&signature=ff".utf8)
        let request = HTTPRequest(
            method: method, url: try url(server, "/api/v3/order?symbol=BTCUSDT&orderId=42"),
            headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body)
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(response.headers["X-Echo-Method"] == method.rawValue)
        let received = try #require(recorder.values.first)
        #expect(received.method == method.rawValue)
        #expect(received.target == "/api/v3/order?symbol=BTCUSDT&orderId=42")
        #expect(received.body == body)
    }

    @Test("a DELETE without a body arrives without one", arguments: Route.allCases)
    func deleteWithoutBody(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder, handler: echo)
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(method: .delete, url: try url(server, "/api/v3/openOrders?symbol=BTCUSDT")))
        #expect(response.status == 200)
        let received = try #require(recorder.values.first)
        #expect(received.method == "DELETE")
        #expect(received.body.isEmpty)
    }

    @Test(
        "status, headers and body of the response come back exactly, for success and error statuses", arguments: [200, 201, 400, 418, 429, 500, 503],
        Route.allCases)
    func responseComesBackExactly(status: Int, route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let body = Data(#"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#.utf8) + Data([0, 0xFF, 0x80])
        let server = try startedServer { _ in
            LoopbackResponse(
                status: status,
                headers: ["Content-Type": "application/json;charset=UTF-8", "X-MBX-USED-WEIGHT-1M": "17", "Retry-After": "3", "X-Spaces": "a b  c"],
                body: body)
        }
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(method: .get, url: try url(server, "/x")))
        #expect(response.status == status)
        #expect(response.body == body)
        #expect(response.headers["content-type"] == "application/json;charset=UTF-8")
        #expect(response.headers["x-mbx-used-weight-1m"] == "17")
        #expect(response.headers["Retry-After"] == "3")
        #expect(response.headers["X-Spaces"] == "a b  c")
        #expect(response.headers["Content-Length"] == String(body.count))
    }

    @Test("a HEAD request returns the headers and no body", arguments: Route.allCases)
    func head(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let server = try startedServer { _ in LoopbackResponse(status: 200, text: "some body") }
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(method: .head, url: try url(server, "/")))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.headers["Content-Length"] == "9")
    }

    @Test("a 302 to a second server is returned, not followed: the second server gets no connection and no key", arguments: Route.allCases)
    func redirectIsNotFollowed(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        // 127.0.0.2 is loopback on Linux; on systems where it is not configured, use another port on 127.0.0.1.
        let stolen = Recorder<LoopbackRequest>()
        let elsewhere: LoopbackServer
        if let server = try? startedServer(host: "127.0.0.2", recorder: stolen) {
            elsewhere = server
        } else {
            elsewhere = try startedServer(recorder: stolen)
        }
        defer { elsewhere.stop() }
        let location = try url(elsewhere, "/steal?from=redirect").absoluteString
        let origin = try startedServer { _ in
            LoopbackResponse(status: 302, headers: ["Location": location], text: "moved")
        }
        defer { origin.stop() }

        for method in [HTTPMethod.get, .post] {
            let request = HTTPRequest(
                method: method, url: try url(origin, "/api/v3/account?signature=abc"),
                headers: ["X-MBX-APIKEY": HTTPRedactionTests.apiKey, "Authorization": "Bearer secret"],
                body: method == .post ? Data("a=1".utf8) : nil)
            let response = try await transport.send(request)
            #expect(response.status == 302)
            #expect(response.headers["Location"] == location)
            #expect(response.body == Data("moved".utf8))
        }
        #expect(stolen.values.isEmpty)
        #expect(elsewhere.connectionsAccepted == 0)
    }

    @Test("sequential requests reuse one keep-alive connection", arguments: Route.allCases)
    func keepAlive(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let recorder = Recorder<LoopbackRequest>()
        let server = try startedServer(recorder: recorder, handler: echo)
        defer { server.stop() }
        for index in 0..<3 {
            let response = try await transport.send(HTTPRequest(method: .get, url: try url(server, "/ping/\(index)")))
            #expect(response.status == 200)
        }
        #expect(recorder.values.map(\.target) == ["/ping/0", "/ping/1", "/ping/2"])
        #expect(Set(recorder.values.map(\.connectionID)).count == 1)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("20 parallel requests all get their own response", arguments: Route.allCases)
    func parallelRequests(route: Route) async throws {
        let transport = URLSessionTransport.testing(route)
        let server = try startedServer { request in
            LoopbackResponse(status: 200, text: request.target)
        }
        defer { server.stop() }
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<20 {
                let requestURL = try url(server, "/item/\(index)?n=\(index)")
                group.addTask {
                    let response = try await transport.send(HTTPRequest(method: .get, url: requestURL))
                    return (index, String(decoding: response.body, as: UTF8.self))
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 20)
        for (index, body) in results {
            #expect(body == "/item/\(index)?n=\(index)")
        }
    }

    @Test("a response exactly at the size cap is accepted", arguments: Route.allCases)
    func responseAtTheCap(route: Route) async throws {
        let server = try startedServer { _ in LoopbackResponse(status: 200, body: Data(repeating: 7, count: 1024)) }
        defer { server.stop() }
        let transport = URLSessionTransport.testing(route, .init(timeout: generousTimeout, maximumResponseSize: 1024))
        let response = try await transport.send(HTTPRequest(method: .get, url: try url(server, "/")))
        #expect(response.body.count == 1024)
    }
}
