import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBybit

@Suite("Redaction: secrets and signatures never reach logs or errors")
struct RedactionTests {
    @Test("at trace level, neither logs nor errors ever show the secret, a signature or the API key")
    func traceLogs() async throws {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
        let harness = BybitHarness(logger: logger)
        harness.on(.get, "/v5/market/instruments-info", .payload("instruments-spot.json"))
        harness.on(.post, "/v5/order/create", .payload("error-10004.json"), .failure(TradingTests.timeout))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/account/wallet-balance", .payload("html-403.html", status: 403))
        let client = try await harness.client()
        var errors: [ExchangeError] = []
        for _ in 0..<2 {
            if let error = await ExchangeError.caught(
                { _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: .exact("0.001"), price: 20_000)) })
            {
                errors.append(error)
            }
        }
        if let error = await ExchangeError.caught({ _ = try await client.balances() }) { errors.append(error) }
        #expect(errors.map(\.kind) == [.invalidSignature, .outcomeUnknown, .permissionDenied])

        let signatures = harness.transport.requests.compactMap { $0.headers["X-BAPI-SIGN"] }
        #expect(!signatures.isEmpty)
        let texts =
            sink.lines + errors.flatMap { [String(describing: $0), String(reflecting: $0), $0.exchangeMessage ?? ""] }
            + [String(describing: client), String(reflecting: client)]
            + harness.transport.requests.map { String(describing: $0) + String(reflecting: $0) }
        #expect(!sink.lines.isEmpty)
        for text in texts {
            #expect(!text.contains(BybitHarness.secret), "\(text)")
            #expect(!text.contains(BybitHarness.apiKey), "\(text)")
            for signature in signatures {
                #expect(!text.contains(signature), "\(text)")
            }
        }
    }
}
