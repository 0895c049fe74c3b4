import Foundation
import Testing
import TradeOnly

@Suite("MockTransport")
struct MockTransportTests {
    private func request(_ path: String = "/api/v3/time") throws -> HTTPRequest {
        HTTPRequest(method: .get, url: try #require(URL(string: "https://api.example.com" + path)))
    }

    @Test("answers from its handler and records every request, in order, until told to forget them")
    func records() async throws {
        let transport = MockTransport { request in HTTPResponse(status: 200, body: Data(request.url.path.utf8)) }
        #expect(transport.recordsRequests)
        let first = try await transport.send(try request())
        _ = try await transport.send(try request("/api/v3/ping"))
        #expect(String(decoding: first.body, as: UTF8.self) == "/api/v3/time")
        #expect(transport.requests.map(\.url.path) == ["/api/v3/time", "/api/v3/ping"])
        transport.removeAllRequests()
        #expect(transport.requests.isEmpty)
    }

    @Test("without recording, it still answers but keeps nothing (for long runs and benchmarks)")
    func withoutRecording() async throws {
        let transport = MockTransport(recordsRequests: false) { _ in HTTPResponse(status: 204) }
        for _ in 0..<100 { #expect(try await transport.send(try request()).status == 204) }
        #expect(!transport.recordsRequests)
        #expect(transport.requests.isEmpty)
    }
}
