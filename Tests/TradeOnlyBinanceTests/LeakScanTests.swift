import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

/// Issue 6: every entry of the error table and every broken body, on reads and on writes (placements
/// reconcile), logged at trace level: no secret, signature or key header value in logs, errors or dumps.
@Suite("The error table leaks nothing")
struct LeakScanTests {
    @Test("every documented code, every broken body, on reads and placements")
    func errorTable() async throws {
        let fake = FakeBinance()
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        let current = LockedValue(HTTPResponse(status: 200))
        for (method, path) in [(HTTPMethod.get, "/api/v3/openOrders"), (.post, "/api/v3/order"), (.get, "/api/v3/order")] {
            fake.on(method, path) { _, _ in current.current }
        }
        let client = try await fake.client(
            configuration: Binance.Configuration(
                reconciliation: ReconciliationPolicy(deadline: 7, initialDelay: 1, maximumDelay: 4)),
            logger: logger)
        _ = try await client.instruments(.spot)
        var values: [Any] = [client]
        let responses =
            ErrorMappingTests.cases.map { item in
                HTTPResponse.json(#"{"code":\#(item.code),"msg":"\#(item.message)"}"#, status: item.status)
            } + ErrorMappingTests.broken.filter { $0.body.count < 100_000 }.map { HTTPResponse(status: $0.status, body: $0.body) }
            + [try payloads.response("html-502.html", status: 502)]
        for (index, response) in responses.enumerated() {
            current.withLock { $0 = response }
            do { values.append(try await client.openOrders(for: "LTC/BTC")) } catch { values.append(error) }
            do {
                values.append(
                    try await client.place(
                        .limit(
                            .buy, "LTC/BTC", quantity: 1, price: try Fixtures.decimal("0.1"),
                            clientOrderID: try ClientOrderID("leak\(index)"))))
            } catch { values.append(error) }
        }
        values.append(client.journal.entries)
        let signatures = fake.requests.compactMap { request -> String? in
            let parts = request.query.components(separatedBy: "signature=")
            return parts.count == 2 ? parts[1] : nil
        }
        #expect(signatures.count > 2 * responses.count)
        let scanner = LeakScanner(secrets: [Fixtures.secret, Fixtures.apiKey] + signatures)
        // One scan over everything (the scanner's per-event form is slow with hundreds of signatures).
        let logLeaks = scanner.leaks(in: sink.lines.joined(separator: "\n"), location: "the log")
        #expect(logLeaks.isEmpty, "\(logLeaks.prefix(5))")
        #expect(sink.events.count > responses.count)
        // description, debugDescription and dump of every value (an array shows its elements'), and
        // every error's localizedDescription.
        let leaks =
            scanner.leaks(inDescriptionsOf: values)
            + scanner.leaks(
                in: values.compactMap { ($0 as? any Error)?.localizedDescription }.joined(separator: "\n"),
                location: "localizedDescription")
        #expect(leaks.isEmpty, "\(leaks.prefix(5))")
    }
}
