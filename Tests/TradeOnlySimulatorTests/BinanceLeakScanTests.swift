import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlySimulator

/// Records every request exactly as signed, so the test knows every signature that was sent.
final class SignatureRecorder: HTTPTransport {
    let transport: any HTTPTransport
    private let recorded = LockedValue<[HTTPRequest]>([])

    init(_ transport: any HTTPTransport) {
        self.transport = transport
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        return try await transport.send(request)
    }

    /// The `signature=` values and `X-MBX-APIKEY` header values sent.
    var sentSecrets: [String] {
        recorded.current.flatMap { request -> [String] in
            var values: [String] = []
            let text = request.url.absoluteString
            if let range = text.range(of: "signature=") {
                values.append(String(text[range.upperBound...].prefix { $0 != "&" }))
            }
            if let key = request.headers["X-MBX-APIKEY"] { values.append(key) }
            return values
        }
    }
}

/// Issue 6: every error path of the Binance client, logged at trace level, leaks no secret, no
/// signature and no key header value into log events, error descriptions or `dump` output.
@Suite("Binance: no secret, signature or key header in logs, errors or dumps, on any error path")
struct BinanceLeakScanTests {
    @Test("every fault, clock skew, key problem and policy refusal, against the simulator")
    func everyErrorPath() async throws {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace)
        let time = FixedTimeSource(fixedStart)
        let exchange = SimulatedExchange.standard(for: .binance, configuration: .init(timeSource: time))
        let recorder = SignatureRecorder(exchange.transport(for: .binance))
        let simulation = BinanceSimulation(
            configuration: Binance.Configuration(
                reconciliation: ReconciliationPolicy(deadline: 8, initialDelay: 0.5, maximumDelay: 2)),
            logger: logger, transport: recorder, exchange: exchange, time: time)
        var values: [Any] = []
        func attempt(_ body: () async throws -> Any) async {
            do { values.append(try await body()) } catch { values.append(error) }
        }

        let client = try await simulation.client()
        values.append(client)
        values.append(simulation.binance)
        let order = { (id: String) throws -> OrderRequest in
            .market(.buy, "BTC/USDT", quantity: try exactly("0.001"), clientOrderID: try ClientOrderID(id))
        }
        // Every fault, on a placement and on a read.
        let faults: [Fault] = [
            .lostResponse, .serverError(status: 503, afterExecution: false), .serverError(status: 500, afterExecution: true),
            .rateLimited(retryAfterSeconds: 2), .malformedJSON(afterExecution: false), .malformedJSON(afterExecution: true),
            .htmlPage(status: 502, afterExecution: false), .htmlPage(status: 504, afterExecution: true),
        ]
        for (index, fault) in faults.enumerated() {
            await exchange.setFaultPlan(
                FaultPlan()
                    .injecting(fault, next: 1, on: .path("/api/v3/order", method: "POST"))
                    .injecting(fault, next: 1, on: .path("/api/v3/openOrders"))
                    .injecting(fault, next: 1, on: .path("/api/v3/order", method: "DELETE")))
            await attempt { try await client.place(try order("leak-\(index)")) }
            await attempt { try await client.openOrders(for: "BTC/USDT") }
            await attempt { try await client.cancel(.clientID(try ClientOrderID("leak-\(index)"), on: "BTC/USDT")) }
            await attempt { try await client.reconcile(try ClientOrderID("leak-\(index)")) }
        }
        // Clock skews, then a ban (last: it stops everything).
        for skew in [3_000, -3_000, 40_000, -40_000] as [Int64] {
            await exchange.setFaultPlan(FaultPlan().withClockSkew(milliseconds: skew))
            await attempt { try await client.balances() }
        }
        await exchange.setFaultPlan(FaultPlan().expiringKey(SimulatedExchange.standardTradeKey.apiKey))
        await attempt { try await client.balances() }
        await exchange.setFaultPlan(FaultPlan())
        // Policy refusals, through the raw-request API and a tricky spelling.
        for path in [
            "/sapi/v1/capital/withdraw/apply", "/SAPI/v1//capital/withdraw/apply/", "/sapi/v1/asset/transfer",
            "/fapi/v1/positionMargin", "/api/v3/../../sapi/v1/capital/withdraw/apply",
        ] {
            await attempt { try await client.perform(ExchangeRequest(method: .post, path: path, security: .signed)) }
        }
        // Validation, unknown symbols, permission problems.
        await attempt { try await client.place(.limit(.buy, "BTC/USDT", quantity: try exactly("0.0000001"), price: 1)) }
        await attempt { try await client.place(.market(.buy, "NOPE/USDT", quantity: 1)) }
        // Bad keys: unknown, withdraw-enabled, a foreign-environment key.
        let stranger = SimulatedKey(
            apiKey: "strangerKey0000000000000000000000000000000000000000000000000099",
            secret: "strangerSecret0000000000000000000000000000000000000000000000099", permissions: [.read])
        await attempt { try await SafeKey.verify(BinanceSimulation.credentials(stranger), using: simulation.binance.keyInspector) }
        await attempt {
            try await SafeKey.verify(
                BinanceSimulation.credentials(SimulatedExchange.standardWithdrawKey), using: simulation.binance.keyInspector)
        }
        let live = BinanceSimulation(environment: .live, logger: logger, transport: recorder, exchange: exchange, time: time)
        let key = try await SafeKey.verify(BinanceSimulation.credentials(), using: simulation.binance.keyInspector)
        await attempt { try await live.binance.client(key).balances() }
        // A ban, last.
        await exchange.setFaultPlan(FaultPlan().injecting(.banned(retryAfterSeconds: 60), next: 1))
        await attempt { try await client.balances() }
        await attempt { try await client.place(try order("leak-banned")) }
        values.append(client.journal.entries)
        values.append(client.rateLimitUsage)

        let secrets =
            [
                SimulatedExchange.standardTradeKey.secret, SimulatedExchange.standardTradeKey.apiKey,
                SimulatedExchange.standardWithdrawKey.secret, SimulatedExchange.standardWithdrawKey.apiKey,
                stranger.secret, stranger.apiKey,
            ]
            + recorder.sentSecrets
        let scanner = LeakScanner(secrets: secrets)
        #expect(recorder.sentSecrets.count > 100, "the scan knows every signature sent")
        #expect(sink.events.count > 100, "the paths were logged at trace level")
        #expect(values.contains { ($0 as? ExchangeError)?.kind == .policyViolation })
        #expect(values.contains { ($0 as? ExchangeError)?.kind == .banned })
        #expect(values.contains { ($0 as? ExchangeError)?.kind == .keyExpired })
        #expect(values.contains { ($0 as? ExchangeError)?.kind == .unsafeKey })
        // One scan over everything (the scanner's per-event form is slow with hundreds of signatures).
        let logLeaks = scanner.leaks(in: sink.lines.joined(separator: "\n"), location: "the log")
        #expect(logLeaks.isEmpty, "\(logLeaks.prefix(5))")
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
