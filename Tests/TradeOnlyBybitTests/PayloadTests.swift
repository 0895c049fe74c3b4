import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

/// This target's `Payloads/` folder through the one loader of TradeOnlyTestSupport.
@Suite("Recorded payloads")
struct PayloadTests {
    @Test("a missing payload is a typed error naming the file and the bundle")
    func missing() throws {
        let error = try #require(throws: TestResourceError.self) { try payloads.data("no-such-payload.json") }
        #expect(error.file == "Payloads/no-such-payload.json")
        #expect(error.reason == .missing)
        #expect(error.bundle == payloads.bundle.bundleURL.lastPathComponent)
        #expect(String(describing: error).hasPrefix("Payloads/no-such-payload.json is not in "))
    }

    @Test("a payload that is not the JSON shape asked for is a typed error naming the file and the place")
    func malformed() throws {
        let error = try #require(throws: TestResourceError.self) { try payloads.decoded([String].self, from: "server-time.json") }
        #expect(error.file == "Payloads/server-time.json")
        guard case .malformed(let why) = error.reason else {
            Issue.record("expected a malformed payload, got \(error.reason)")
            return
        }
        #expect(why.hasPrefix("at the top: not a "), "\(why)")
        #expect(String(describing: error).hasPrefix("Payloads/server-time.json in "))
    }

    @Test("a payload answers with the Content-Type of its extension, unless the test sets one")
    func contentType() throws {
        let json = try payloads.response("server-time.json", status: 200)
        #expect(json.headers["Content-Type"] == "application/json")
        #expect(json.body == (try payloads.data("server-time.json")))
        let html = try payloads.response("html-403.html", status: 502)
        #expect(html.status == 502)
        #expect(html.headers["Content-Type"] == "text/html")
        let custom = try payloads.response("server-time.json", headers: ["Content-Type": "text/plain"])
        #expect(custom.headers["Content-Type"] == "text/plain")
        #expect(custom.headers.count == 1)
        #expect(try payloads.response("ip-rate-limit-403.txt").headers["Content-Type"] == "text/plain")
    }

    @Test("every file of Payloads/ is read, and the JSON ones are JSON")
    func everyFile() throws {
        let folder = try #require(payloads.bundle.resourceURL?.appendingPathComponent("Payloads"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count > 20)
        for name in names {
            let data = try payloads.data(name)
            #expect(!data.isEmpty, "\(name)")
            if name.hasSuffix(".json") {
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name) is not JSON")
            }
        }
    }
}
