import Foundation
import Testing
import TradeOnly
import TradeOnlyBybit
import TradeOnlySimulator

/// Issue 6's secret-leak scan for Bybit: every error path of the client (each simulator fault, each
/// error code the simulator can produce, policy refusals, bad keys, local refusals) runs with a
/// `.trace` logger; no log event, error (description, debug description, `dump`, localized
/// description), client, key or journal may contain a secret, a signature or an API key header value.
@Suite("Bybit: no secret, signature or key header in logs, errors or dumps, on any error path")
struct BybitLeakScanTests {
    static let readOnlyKey = SimulatedKey(
        apiKey: "simREADonlyBybitKey000000000000000000000000000000000000000000003",
        secret: "simReadOnlyBybitSecret0000000000000000000000000000000000000000003",
        permissions: [.read, .spotTrade, .futuresTrade], isReadOnly: true)
    static let unknownKey = SimulatedKey(
        apiKey: "simUNKNOWNbybitKey0000000000000000000000000000000000000000000004",
        secret: "simUnknownBybitSecret00000000000000000000000000000000000000000004", permissions: [.read])
    /// The trade key's API key with a wrong secret (10004).
    static let wrongSecret = SimulatedKey(
        apiKey: SimulatedExchange.standardTradeKey.apiKey,
        secret: "simWrongBybitSecret000000000000000000000000000000000000000000005", permissions: [.read])

    /// Everything one run produced that must be scanned.
    final class Findings: Sendable {
        let sink = InMemoryLogSink()
        let errors = LockedValue<[(String, ExchangeError)]>([])
        let values = LockedValue<[(String, any Sendable)]>([])

        /// Runs a scenario; keeps its error, if any.
        func run(_ name: String, _ body: () async throws -> Void) async {
            do {
                try await body()
            } catch let error as ExchangeError {
                errors.withLock { $0.append((name, error)) }
            } catch {
                Issue.record("\(name): not an ExchangeError: \(type(of: error))")
            }
        }

        func keep(_ name: String, _ value: any Sendable) {
            values.withLock { $0.append((name, value)) }
        }
    }

    /// Drives every error path once, into `findings`; returns the requests that went on the wire.
    static func driveEveryErrorPath(into findings: Findings) async throws -> [HTTPRequest] {
        let logger = TradeOnlyLogger(sink: findings.sink, minimumLevel: .trace)
        let recorders = LockedValue<[BybitRecordingTransport]>([])
        let record: (SimulatedTransport) -> any HTTPTransport = { inner in
            let recording = BybitRecordingTransport(inner: inner)
            recorders.withLock { $0.append(recording) }
            return recording
        }
        let short = ReconciliationPolicy(deadline: 1, initialDelay: 0.2, maximumDelay: 0.5)
        let simulation = BybitSimulation(
            configuration: Bybit.Configuration(reconciliation: short), logger: logger, transport: record)
        await simulation.exchange.addKey(readOnlyKey)
        let key = try await simulation.verify()
        let client = simulation.bybit.client(key)
        findings.keep("key", key)
        findings.keep("client", client)
        findings.keep("bybit", simulation.bybit)
        findings.keep("key inspector", simulation.bybit.keyInspector)
        let symbol: Symbol = "BTC/USDT"
        func order(_ id: String, price: Decimal = 60_000, quantity: Decimal = dec("0.001")) throws -> OrderRequest {
            .limit(.buy, symbol, quantity: quantity, price: price, clientOrderID: try ClientOrderID(id))
        }
        let create = RequestMatch.path("/v5/order/create", method: "POST")
        let anyRequest = RequestMatch.any

        // Faults.
        let faults: [(String, Fault, RequestMatch)] = [
            ("lost response", .lostResponse, create),
            ("5xx before", .serverError(status: 503, afterExecution: false), create),
            ("5xx after", .serverError(status: 500, afterExecution: true), create),
            ("429 short", .rateLimited(retryAfterSeconds: 2), create),
            ("429 long", .rateLimited(retryAfterSeconds: 30), create),
            ("malformed before", .malformedJSON(afterExecution: false), create),
            ("malformed after", .malformedJSON(afterExecution: true), create),
            ("html before", .htmlPage(status: 502, afterExecution: false), create),
            ("html after", .htmlPage(status: 502, afterExecution: true), create),
            ("malformed read", .malformedJSON(afterExecution: true), .path("/v5/account/wallet-balance")),
            ("html read", .htmlPage(status: 503, afterExecution: false), anyRequest),
        ]
        for (index, (name, fault, match)) in faults.enumerated() {
            await simulation.inject(FaultPlan().injecting(fault, next: 1, on: match))
            await findings.run(name) { _ = try await client.place(try order("leak-fault-\(index)")) }
            await findings.run(name + " (read)") { _ = try await client.balances() }
        }
        // With the default reconciliation (longer than the receive window): "not placed".
        let patient = BybitSimulation(logger: logger, transport: record)
        let patientClient = try await patient.client()
        await patient.inject(FaultPlan().injecting(.serverError(status: 503, afterExecution: false), next: 1, on: create))
        await findings.run("not placed") { _ = try await patientClient.place(try order("leak-not-placed")) }
        findings.keep("patient client", patientClient)

        await simulation.inject(FaultPlan().withClockSkew(milliseconds: -40_000))
        await findings.run("clock skew") { _ = try await client.place(try order("leak-skew")) }
        await simulation.inject(FaultPlan().injecting(.banned(retryAfterSeconds: 60), next: 1, on: anyRequest))
        await findings.run("ban") { _ = try await client.balances() }
        await findings.run("during the ban") { _ = try await client.place(try order("leak-banned")) }
        simulation.time.advance(by: 61)
        await simulation.inject(FaultPlan())
        try await client.synchronizeClock()
        await findings.run("unknown outcome, then reconcile") {
            await simulation.inject(FaultPlan().injecting(.serverError(status: 502, afterExecution: false), next: 1, on: create))
            let id = try ClientOrderID("leak-reconcile")
            _ = try? await client.place(try order(id.rawValue))
            simulation.time.advance(by: 10)
            _ = try await client.reconcile(id)
        }
        await findings.run("reconcile without a symbol") { _ = try await client.reconcile(try ClientOrderID("leak-nowhere")) }
        await simulation.inject(FaultPlan().expiringKey(SimulatedExchange.standardTradeKey.apiKey))
        await findings.run("expired key") { _ = try await client.balances() }
        await simulation.inject(FaultPlan())

        // Exchange error codes.
        await findings.run("110001 cancel unknown") { _ = try await client.cancel(.exchangeID("404", on: symbol)) }
        await findings.run("110072 duplicate") {
            _ = try await client.place(try order("leak-duplicate"))
            _ = try await client.place(try order("leak-duplicate"))
        }
        await findings.run("170131 balance") { _ = try await client.place(try order("leak-balance", quantity: 2)) }
        await findings.run("110007 margin") {
            _ = try await client.place(.limit(.buy, "BTC/USDT:USDT", quantity: 100, price: 60_000))
        }
        let raw: [(String, RequestParameters)] = [
            ("10001 side", ["category": "spot", "symbol": "BTCUSDT", "side": "Up", "orderType": "Limit", "qty": "0.001", "price": "60000"]),
            ("170134 tick", ["category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.001", "price": "60000.001"]),
            ("170137 step", ["category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.0000001", "price": "60000"]),
            ("170140 notional", ["category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.00005", "price": "60000"]),
            ("110094 notional", ["category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.001", "price": "1000"]),
            ("10001 qty", ["category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.0015", "price": "60000"]),
        ]
        for (name, parameters) in raw {
            await findings.run(name) {
                _ = try await client.perform(ExchangeRequest(method: .post, path: "/v5/order/create", parameters: parameters, security: .signed))
            }
        }

        // Policy refusals, local refusals.
        await findings.run("withdraw") {
            _ = try await client.perform(
                ExchangeRequest(
                    method: .post, path: "/v5/asset/withdraw/create", parameters: ["coin": "USDT", "amount": "1"], security: .signed))
        }
        await findings.run("encoded withdraw") {
            _ = try await client.perform(ExchangeRequest(method: .post, path: "/V5//asset/%77ithdraw/create/", security: .signed))
        }
        await findings.run("isLeverage") {
            _ = try await client.perform(
                ExchangeRequest(
                    method: .post, path: "/v5/order/create", parameters: ["category": "spot", "isLeverage": "1"], security: .signed))
        }
        await findings.run("tick size") { _ = try await client.place(try order("leak-tick", price: dec("60000.001"))) }
        await findings.run("inverse") { _ = try await client.ticker("BTC/USD:BTC") }

        // Bad keys.
        await findings.run("withdraw key") { _ = try await simulation.verify(SimulatedExchange.standardWithdrawKey) }
        await findings.run("unknown key") { _ = try await simulation.verify(unknownKey) }
        await findings.run("wrong secret") { _ = try await simulation.verify(wrongSecret) }
        let readOnly = try await simulation.verify(readOnlyKey)
        findings.keep("read-only key", readOnly)
        await findings.run("10005 read-only") {
            _ = try await simulation.bybit.client(readOnly).perform(
                ExchangeRequest(
                    method: .post, path: "/v5/order/create",
                    parameters: ["category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market", "qty": "10"],
                    security: .signed))
        }
        await findings.run("read-only places") { _ = try await simulation.bybit.client(readOnly).place(try order("leak-readonly")) }
        let live = Bybit(environment: .live, transport: simulation.exchange.transport(for: .bybit), timeSource: simulation.time, logger: logger)
        await findings.run("environment mismatch") { _ = try await live.client(key).balances() }
        let elsewhere = BybitSimulation(logger: logger, clientIP: "10.9.9.9", transport: record)
        await findings.run("10010 IP") { _ = try await elsewhere.verify() }
        let moved = Bybit(
            environment: .local(BybitSimulation.baseURL), transport: simulation.exchange.transport(for: .bybit),
            timeSource: simulation.time, middlewares: [BybitHostChanger()], logger: logger)
        await findings.run("middleware moves the host") { _ = try await moved.client(key).balances() }

        findings.keep("journal", client.journal.entries)
        return recorders.current.flatMap { $0.sent.current }
    }

    static func scanner(signatures: [String]) -> LeakScanner {
        var secrets: [String] = []
        for key in [SimulatedExchange.standardTradeKey, SimulatedExchange.standardWithdrawKey, readOnlyKey, unknownKey, wrongSecret] {
            secrets += [key.apiKey, key.secret]
        }
        return LeakScanner(secrets: secrets + signatures)
    }

    @Test("every error path at trace level: no secret, signature or API key in logs, errors, dumps or descriptions")
    func scan() async throws {
        let findings = Findings()
        let wire = try await Self.driveEveryErrorPath(into: findings)
        let signatures = wire.compactMap { $0.headers["X-BAPI-SIGN"] }
        #expect(signatures.count > 20)
        #expect(wire.contains { $0.headers["X-BAPI-API-KEY"] == SimulatedExchange.standardTradeKey.apiKey })
        let errors = findings.errors.current
        let kinds = Set(errors.map(\.1.kind))
        for kind: ExchangeError.Kind in [
            .outcomeUnknown, .network, .rateLimited, .banned, .decoding, .keyExpired, .orderNotFound,
            .duplicateClientOrderID, .insufficientFunds, .orderRejected, .invalidRequest, .policyViolation,
            .unsafeKey, .authentication, .invalidSignature, .permissionDenied, .ipNotAllowed,
        ] {
            #expect(kinds.contains(kind), "no scenario produced \(kind)")
        }
        #expect(findings.sink.events.count > 100)

        // Every text that must be clean, with where it came from.
        var texts: [(location: String, text: String)] = findings.sink.events.enumerated().map { index, event in
            ("log event \(index)", event.message + " " + event.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        func forms(of value: Any, _ name: String) {
            var dumped = ""
            dump(value, to: &dumped)
            texts += [
                ("\(name) description", String(describing: value)), ("\(name) debugDescription", String(reflecting: value)),
                ("\(name) dump", dumped),
            ]
            if let error = value as? any Error { texts.append(("\(name) localizedDescription", error.localizedDescription)) }
        }
        for (name, error) in errors {
            forms(of: error, name)
            texts.append(("\(name) exchangeMessage", error.exchangeMessage ?? ""))
        }
        for (name, value) in findings.values.current { forms(of: value, name) }
        for (index, request) in wire.enumerated() { forms(of: request, "request \(index)") }

        // One pass over everything at once; only if that finds something, one pass per text, to say where.
        let scanner = Self.scanner(signatures: signatures)
        var leaks: [String] = []
        if !scanner.leaks(in: texts.map(\.text).joined(separator: "\n")).isEmpty {
            for (location, text) in texts {
                leaks += scanner.leaks(in: text, location: location).map(\.description)
            }
            #expect(!leaks.isEmpty)
        }
        #expect(leaks.isEmpty, "\(leaks.prefix(10))")
    }

    @Test("the scanner itself finds each kind of secret where it is planted")
    func scannerFindsPlantedSecrets() async throws {
        let scanner = Self.scanner(signatures: ["0b6c1a03e1cbd0e1a2bd0a8b8cbd3f5a8c4a3b2e1f0d9c8b7a6f5e4d3c2b1a7c"])
        #expect(!scanner.leaks(in: "key \(SimulatedExchange.standardTradeKey.apiKey)").isEmpty)
        #expect(!scanner.leaks(in: "secret \(SimulatedExchange.standardTradeKey.secret)").isEmpty)
        #expect(!scanner.leaks(in: "sign 0B6C1A03E1CBD0E1A2BD0A8B8CBD3F5A8C4A3B2E1F0D9C8B7A6F5E4D3C2B1A7C").isEmpty)
        let error = ExchangeError(.other, message: "X-BAPI-API-KEY: \(Self.readOnlyKey.apiKey)")
        #expect(!scanner.leaks(inDescriptionsOf: error).isEmpty)
    }
}

/// A middleware that sends every request to another host.
struct BybitHostChanger: HTTPMiddleware {
    func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var moved = request
        let text = request.url.absoluteString.replacingOccurrences(of: "127.0.0.1:18080", with: "attacker.example")
        moved.url = URL(string: text) ?? request.url
        return try await next(moved)
    }
}
