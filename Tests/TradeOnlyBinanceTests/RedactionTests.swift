import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Redaction: secrets and signatures never reach logs or errors")
struct RedactionTests {
    @Test("a full session logged at trace level shows no secret, no signature and no full API key")
    func sessionLogs() async throws {
        let fake = FakeBinance()
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        try fake.on(.get, "/api/v3/account", payload: "spot-account.json")
        fake.on(.post, "/api/v3/order") { _, count in
            if count == 1 {
                return HTTPResponse.json(#"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#, status: 400)
            }
            throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)
        }
        fake.on(.get, "/api/v3/order") { _, _ in HTTPResponse.json(#"{"code":-2013,"msg":"Order does not exist."}"#, status: 400) }
        fake.on(.delete, "/api/v3/order") { _, _ in
            HTTPResponse.json(#"{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}"#, status: 401)
        }
        let configuration = Binance.Configuration(
            reconciliation: ReconciliationPolicy(deadline: 0.03, initialDelay: 0.01, maximumDelay: 0.01))
        let client = try await fake.client(configuration: configuration, logger: logger)

        var errors: [ExchangeError] = []
        _ = try await client.balances()
        do {
            _ = try await client.place(
                .limit(
                    .buy, "LTC/BTC", quantity: 1, price: try Fixtures.decimal("0.1"), clientOrderID: try ClientOrderID("myOrder1")))
        } catch let error as ExchangeError { errors.append(error) }
        do { _ = try await client.cancel(.exchangeID("4", on: "LTC/BTC")) } catch let error as ExchangeError { errors.append(error) }
        do {
            _ = try await client.perform(ExchangeRequest(method: .post, path: "/sapi/v1/capital/withdraw/apply", security: .signed))
        } catch let error as ExchangeError { errors.append(error) }
        #expect(errors.count == 3)

        let signatures = fake.requests.compactMap { request -> String? in
            let parts = request.query.components(separatedBy: "signature=")
            return parts.count == 2 ? parts[1] : nil
        }
        #expect(signatures.count >= 5)
        #expect(!sink.lines.isEmpty)
        let texts =
            sink.lines + errors.flatMap { [$0.description, $0.debugDescription, String(reflecting: $0)] }
            + ["\(client)", String(reflecting: client)]
        for text in texts {
            #expect(!text.contains(Fixtures.secret), "\(text)")
            #expect(!text.contains(Fixtures.apiKey), "\(text)")
            for signature in signatures {
                #expect(!text.contains(signature), "\(text)")
            }
        }
        #expect(sink.lines.contains { $0.contains("POST /api/v3/order") })
        #expect("\(client)".contains("vmPU…Eh8A"))
    }

    @Test(
        "an exchange message that echoes the query, the signature or the API key reaches no error and no log",
        arguments: [
            "Signature for this request is not valid. query=symbol=LTCBTC&signature=SIG",
            "Signature for this request is not valid. symbol%3DLTCBTC%26signature%3DSIG",
            "Invalid API-key KEY for action",
            "Invalid API-key, IP, or permissions: X-MBX-APIKEY=KEY%2C",
            "bad request apiKey%3DKEY signature%253DSIG",
        ])
    func echoedMessages(template: String) async throws {
        let fake = FakeBinance()
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        let client = try await fake.client(logger: logger)
        fake.on(.get, "/api/v3/account") { request, _ in
            let signature = request.query.components(separatedBy: "signature=").last ?? ""
            let message = template.replacingOccurrences(of: "SIG", with: signature)
                .replacingOccurrences(of: "KEY", with: Fixtures.apiKey)
            return HTTPResponse.json(#"{"code":-1022,"msg":"\#(message)"}"#, status: 400)
        }
        let error = try await #require(throws: ExchangeError.self) { _ = try await client.balances() }
        let signatures = fake.requests(.get, "/api/v3/account").compactMap { $0.query.components(separatedBy: "signature=").last }
        #expect(!signatures.isEmpty)
        let texts = [error.description, error.debugDescription, error.message, error.exchangeMessage ?? ""] + sink.lines
        for text in texts {
            #expect(!text.contains(Fixtures.apiKey), "\(text)")
            for signature in signatures { #expect(!text.contains(signature), "\(text)") }
        }
    }

    @Test("a signed request's description redacts its signature and key header")
    func requestDescription() throws {
        let signer = try Fixtures.signer()
        let signed = try signer.sign(
            HTTPRequest(method: .get, url: URL(string: "https://api.binance.com/api/v3/account")!), at: Fixtures.date)
        var dumped = ""
        dump(signed, to: &dumped)
        for text in [signed.description, signed.debugDescription, dumped] {
            #expect(!text.contains("82f4e72e95e63d666b6da651e82a701722ad8a785a169318d91f36f279c55821"))
            #expect(!text.contains(Fixtures.apiKey))
            #expect(!text.contains(Fixtures.secret))
        }
    }
}
