import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

/// Every entry of the error table and every broken body, on reads and on writes (placements
/// reconcile), logged at trace level: no secret, signature or API key in logs, errors or dumps.
@Suite("The error table leaks nothing")
struct LeakScanTests {
    @Test("every documented code, every broken body, on reads and placements")
    func errorTable() async throws {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
        let harness = BybitHarness(logger: logger)
        harness.on(.get, "/v5/market/instruments-info", .payload("instruments-spot.json"))
        let current = LockedValue(HTTPResponse(status: 200))
        for (method, path) in [(HTTPMethod.get, "/v5/order/realtime"), (.post, "/v5/order/create"), (.get, "/v5/order/history")] {
            harness.on(method, path, .handler { _ in current.withLock { $0 } })
        }
        let client = try await harness.client()
        _ = try await client.instruments(.spot)
        var values: [Any] = [client]
        // The HTML pages last: a 403 "access too frequent" bans the IP, and nothing is sent after it.
        let responses =
            ErrorMappingTests.codes.map { HTTPResponse.bybitError($0.code, "message \($0.code)") }
            + ErrorMappingTests.statuses.map { HTTPResponse(status: $0.status, body: Data($0.body.utf8)) }
            + [try payloads.response("html-403.html", status: 403), try payloads.response("ip-rate-limit-403.txt", status: 403)]
        for (index, response) in responses.enumerated() {
            current.withLock { $0 = response }
            do { values.append(try await client.openOrders(for: "BTC/USDT")) } catch { values.append(error) }
            do {
                values.append(
                    try await client.place(
                        .limit(
                            .buy, "BTC/USDT", quantity: .exact("0.001"), price: 20_000,
                            clientOrderID: try ClientOrderID("leak\(index)"))))
            } catch { values.append(error) }
        }
        values.append(client.journal.entries)
        let signatures = harness.transport.requests.compactMap { $0.headers["X-BAPI-SIGN"] }
        #expect(signatures.count > responses.count)
        let scanner = LeakScanner(secrets: [BybitHarness.secret, BybitHarness.apiKey] + signatures)
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
