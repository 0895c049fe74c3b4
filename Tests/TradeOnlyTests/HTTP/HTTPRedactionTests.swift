import Testing

@testable import TradeOnly

@Suite("Redaction of requests, responses and errors")
struct HTTPRedactionTests {
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let signature = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"

    static func signedRequest() throws -> HTTPRequest {
        let url = try #require(URL(string: "https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=\(signature)"))
        return HTTPRequest(
            method: .post,
            url: url,
            headers: ["X-MBX-APIKEY": apiKey, "Content-Type": "application/x-www-form-urlencoded"],
            body: Data("symbol=BTCUSDT&side=BUY&signature=\(signature)".utf8))
    }

    @Test("printing, reflecting and dumping a signed request reveals neither the key nor the signature")
    func requestIsRedacted() throws {
        let request = try Self.signedRequest()
        var dumped = ""
        dump(request, to: &dumped)
        var dumpedArray = ""
        dump([request], to: &dumpedArray)
        let renderings = [
            "\(request)",
            String(describing: request),
            String(reflecting: request),
            request.description,
            request.debugDescription,
            request.redactedDescription,
            "\([request])",
            "\(Optional(request) as Any)",
            dumped,
            dumpedArray,
            "\(Mirror(reflecting: request).children.map { "\($0.label ?? ""): \($0.value)" })",
        ]
        for text in renderings {
            #expect(!text.contains(Self.apiKey), "key leaked in: \(text)")
            #expect(!text.contains(Self.signature), "signature leaked in: \(text)")
            #expect(!text.contains("c8db5682"), "signature prefix leaked in: \(text)")
        }
        #expect(
            request.description
                == "POST https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=<redacted> (body: 98 bytes)")
        #expect(request.debugDescription.contains("\"X-MBX-APIKEY\": \"<redacted>\""))
        #expect(request.debugDescription.contains("application/x-www-form-urlencoded"))
    }

    @Test("every sensitive header name is hidden, in any letter case", arguments: Array(Redaction.sensitiveHeaderNames).sorted())
    func everySensitiveHeaderIsHidden(name: String) throws {
        let url = try #require(URL(string: "https://example.com/x"))
        let request = HTTPRequest(method: .get, url: url, headers: [name.lowercased(): "s3cr3t-value"])
        #expect(Redaction.isSensitiveHeader(name.uppercased()))
        #expect(!request.debugDescription.contains("s3cr3t-value"))
        var dumped = ""
        dump(request, to: &dumped)
        #expect(!dumped.contains("s3cr3t-value"))
    }

    @Test(
        "sensitive query values are hidden, other items are kept byte for byte",
        arguments: [
            ("symbol=BTCUSDT&signature=abc", "symbol=BTCUSDT&signature=<redacted>"),
            ("apiKey=abc&x=%E8%BF%99", "apiKey=<redacted>&x=%E8%BF%99"),
            ("API_KEY=abc&sign=def&signed=true", "API_KEY=<redacted>&sign=<redacted>&signed=true"),
            ("sig%6Eature=abc", "sig%6Eature=<redacted>"),
            ("signature", "signature"),
            ("a=1&&b=2", "a=1&&b=2"),
            ("", ""),
        ])
    func queryRedaction(query: String, expected: String) {
        #expect(Redaction.redactQuery(query) == expected)
    }

    @Test("a redacted URL drops user information and fragment")
    func urlRendering() throws {
        let url = try #require(URL(string: "https://user:hunter2@api.bybit.com:8443/v5/order/create?category=spot&sign=xyz#frag"))
        #expect(Redaction.redactedURL(url) == "https://api.bybit.com:8443/v5/order/create?category=spot&sign=<redacted>")
        #expect(Redaction.urlWithoutQuery(url) == "https://api.bybit.com:8443/v5/order/create")
    }

    @Test("a transport error names the endpoint but never the query string or a header value")
    func errorIsRedacted() throws {
        let request = try Self.signedRequest()
        let error = HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true, request: request, reason: "no response")
        var dumped = ""
        dump(error, to: &dumped)
        for text in [error.description, "\(error)", String(reflecting: error), error.localizedDescription, dumped] {
            #expect(!text.contains(Self.signature))
            #expect(!text.contains(Self.apiKey))
            #expect(!text.contains("symbol="))
            #expect(!text.contains("?"))
        }
        #expect(error.description.contains("POST https://api.binance.com/api/v3/order"))
        #expect(error.description.contains("timedOut"))
        #expect(error.description.contains("may have been sent"))
    }

    @Test("a response description shows the status and a capped body prefix")
    func responseDescription() {
        let body = Data((#"{"code":-1021,"msg":"Timestamp outside recvWindow."}"# + String(repeating: "x", count: 10_000)).utf8)
        let response = HTTPResponse(status: 400, headers: ["Set-Cookie": "session=abc"], body: body)
        #expect(response.description.hasPrefix(#"HTTP 400 (body: 10052 bytes) {"code":-1021,"#))
        #expect(response.description.count < 400)
        #expect(response.description.hasSuffix("…"))
        #expect(!response.debugDescription.contains("session=abc"))
        #expect(HTTPResponse(status: 204).description == "HTTP 204 (body: 0 bytes)")
        #expect(HTTPResponse(status: 200, body: Data("a\r\nb".utf8)).description == #"HTTP 200 (body: 4 bytes) a\r\nb"#)
    }
}
