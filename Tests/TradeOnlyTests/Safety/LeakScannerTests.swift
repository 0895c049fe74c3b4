import Testing
import TradeOnly

@Suite("Leak scanner")
struct LeakScannerTests {
    @Test("finds a secret as it is, in another case, or percent-encoded; never shows it")
    func findsSecrets() {
        let secret = "s3cr3t/Value+With=Specials"
        let scanner = LeakScanner(secrets: [secret, ""])
        #expect(scanner.leaks(in: "nothing here").isEmpty)
        #expect(scanner.leaks(in: "x=\(secret)").count == 1)
        #expect(scanner.leaks(in: "x=\(secret.uppercased())").count == 1)
        #expect(scanner.leaks(in: "x=s3cr3t%2FValue%2BWith%3DSpecials").count == 1)
        let leak = scanner.leaks(in: secret, location: "here").first
        #expect(leak?.location == "here")
        #expect(leak.map { !$0.description.contains(secret) } == true)
    }

    @Test("scans descriptions, dumps and log events")
    func scansValuesAndEvents() {
        struct Carrier { var token = "planted-token-123456" }
        let scanner = LeakScanner(secrets: ["planted-token-123456"])
        #expect(!scanner.leaks(inDescriptionsOf: Carrier()).isEmpty)
        let event = LogEvent(level: .info, message: "ok", metadata: ["k": "planted-token-123456"], time: Date())
        #expect(scanner.leaks(in: [event]).map(\.location) == ["log event 0"])
    }

    @Test("the pipeline's logs and errors carry no key, secret or signature, on success and on failure")
    func pipelineLeaksNothing() async throws {
        let calls = Counter()
        let exchange = FakeExchange { request, _ in
            switch calls.next() {
            case 1: throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false, request: request)
            case 2: return FakeExchange.ok()
            case 3: return FakeExchange.status(429, retryAfter: 1)
            case 4: return HTTPResponse(status: 400, body: Data(#"{"code":-1021}"#.utf8))
            default: throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true, request: request)
            }
        }
        var errors: [ExchangeError] = []
        for _ in 0..<4 {
            do { _ = try await exchange.pipeline.send(FakeExchange.order) } catch let error as ExchangeError {
                errors.append(error)
            }
        }
        #expect(!errors.isEmpty)
        let signatures = exchange.signatures
        #expect(!signatures.isEmpty)
        let scanner = LeakScanner(secrets: [FakeExchange.apiKey, FakeExchange.secret] + signatures)
        #expect(scanner.leaks(in: exchange.sink.events).isEmpty)
        for error in errors {
            #expect(scanner.leaks(inDescriptionsOf: error).isEmpty)
        }
        // The scanner does see them where they belong: on the wire.
        #expect(!scanner.leaks(in: exchange.transport.requests.map { $0.url.absoluteString }.joined()).isEmpty)
    }
}
