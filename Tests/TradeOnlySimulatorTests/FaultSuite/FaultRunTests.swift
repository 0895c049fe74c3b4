import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

/// Issue 6: thousands of placements and cancels under random faults; no order placed twice, none the
/// bot does not know about.
@Suite("Fault-injection runs")
struct FaultRunTests {
    @Test("Binance, in process: 2,000 orders under random faults and clock skews; no duplicate, nothing lost")
    func binanceInProcess() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 2_000, seed: 20_251_129)) { connection in
            try await FaultRunFactories.binance(connection)
        }.run()
        expectSafe(report, orders: 2_000)
        #expect(report.faultsInjected > 500, "\(report)")
        #expect(report.clockSkewChanges > 10, "\(report)")
        #expect(report.cancels > 1_000, "\(report)")
        #expect(report.exchangeOrders > 1_500, "\(report)")
        // Every kind of fault happened.
        #expect(report.faultsByKind.count == 12, "\(report.faultsByKind.keys.sorted())")
        // No bound on report.seconds: wall-clock time measures the machine's load, not the client
        // (`tradeonly-bench faults` reports it).
    }

    @Test("Binance giving up reconciling at once: unknown outcomes reach the bot, whose reconcile settles them; still safe")
    func binanceImpatient() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 600, seed: 11)) { connection in
            try await FaultRunFactories.impatientBinance(connection)
        }.run()
        #expect(report.passed, "\(report)")
        #expect(report.reportedUnknownThenSettled > 20, "\(report)")
    }

    @Test("Binance, four operations at once: still safe")
    func binanceConcurrent() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 400, seed: 5, concurrency: 4)) { connection in
            try await FaultRunFactories.binance(connection)
        }.run()
        #expect(report.passed, "\(report)")
        #expect(report.faultsInjected > 100, "\(report)")
    }

    @Test("Binance over a real socket: SimulatorServer and URLSessionTransport, 30 orders under faults")
    func binanceOverSocket() async throws {
        let report = await FaultRun(
            .binance, configuration: .init(orders: 30, seed: 3, faultRate: 0.4, overSocket: true, clockSkewInterval: 8)
        ) { connection in
            try await FaultRunFactories.binance(connection)
        }.run()
        #expect(report.setupError == nil, "\(report)")
        #expect(report.passed, "\(report)")
        #expect(report.orders == 30)
        #expect(report.faultsInjected > 5, "\(report)")
    }

    @Test("Bybit, in process: 2,000 orders under random faults and clock skews; no duplicate, nothing lost")
    func bybitInProcess() async throws {
        let report = await FaultRun(.bybit, configuration: .init(orders: 2_000, seed: 20_251_129)) { connection in
            try await FaultRunFactories.bybit(connection)
        }.run()
        expectSafe(report, orders: 2_000)
        #expect(report.faultsInjected > 500, "\(report)")
        #expect(report.cancels > 1_000, "\(report)")
    }

    @Test("Bybit over a real socket: SimulatorServer and URLSessionTransport, 30 orders under faults")
    func bybitOverSocket() async throws {
        let report = await FaultRun(
            .bybit, configuration: .init(orders: 30, seed: 3, faultRate: 0.4, overSocket: true, clockSkewInterval: 8)
        ) { connection in
            try await FaultRunFactories.bybit(connection)
        }.run()
        #expect(report.setupError == nil, "\(report)")
        #expect(report.passed, "\(report)")
        #expect(report.orders == 30)
    }

    @Test("the same seed gives the same run")
    func reproducible() async throws {
        let configuration = FaultRun.Configuration(orders: 200, seed: 99)
        let first = await FaultRun(.binance, configuration: configuration) { try await FaultRunFactories.binance($0) }.run()
        let second = await FaultRun(.binance, configuration: configuration) { try await FaultRunFactories.binance($0) }.run()
        #expect(first.faultsByKind == second.faultsByKind)
        #expect(first.placementOutcomes == second.placementOutcomes)
        #expect(first.requests == second.requests)
    }

    @Test("a client that fails to set up gives a report that says why")
    func setupFailure() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 10)) { _ in
            throw ExchangeError(.authentication, message: "no key for you")
        }.run()
        #expect(report.setupError?.contains("no key for you") == true)
        #expect(!report.passed)
        #expect(report.jsonLine.contains(#""setupError": "#))
    }

    @Test("the report prints one JSON object with the fields the bench reads")
    func jsonLine() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 20, seed: 2)) {
            try await FaultRunFactories.binance($0)
        }.run()
        let parsed = try JSONSerialization.jsonObject(with: Data(report.jsonLine.utf8))
        let object = try #require(parsed as? [String: Any], "\(report.jsonLine)")
        for key in ["exchange", "orders", "faultsInjected", "duplicates", "lost", "reportedUnknownThenSettled", "seconds"] {
            #expect(object[key] != nil, "\(key) in \(report.jsonLine)")
        }
        #expect(object["exchange"] as? String == "binance")
        #expect(object["orders"] as? Int == 20)
    }
}

/// Each property fails against a deliberately broken client: the checks are not vacuous.
@Suite("Fault-injection runs catch broken clients")
struct FaultRunBrokenClientTests {
    @Test("a transport that sends a write again after a timeout (libcurl's retry on a reused connection): duplicates")
    func resending() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 400, seed: 11)) { connection in
            try await FaultRunFactories.resending(FaultRunFactories.binance)(connection)
        }.run()
        #expect(report.duplicates > 0, "\(report)")
        #expect(!report.passed)
    }

    @Test("a client that reports an unknown outcome as a rejection: lost orders")
    func forgetful() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 800, seed: 11)) { connection in
            try await FaultRunFactories.broken(FaultRunFactories.impatientBinance) { ForgetfulClient(base: $0) }(connection)
        }.run()
        #expect(report.lost > 0, "\(report)")
        #expect(!report.passed)
    }

    @Test("a reconcile that says 'not found' without asking: lost (and re-placed) orders")
    func hastyReconcile() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 800, seed: 11)) { connection in
            try await FaultRunFactories.hastyReconcile(FaultRunFactories.impatientBinance)(connection)
        }.run()
        #expect(report.lost + report.duplicates > 0, "\(report)")
        #expect(!report.passed)
    }

    @Test("a client that reports unknown outcomes without their client order id: unknowns without id")
    func anonymous() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 300, seed: 11)) { connection in
            try await FaultRunFactories.broken(FaultRunFactories.impatientBinance) { AnonymousUnknownClient(base: $0) }(connection)
        }.run()
        #expect(report.unknownWithoutClientOrderID > 0, "\(report)")
        #expect(!report.passed)
    }

    @Test("a client that reports failed placements as placed: phantoms")
    func boastful() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 300, seed: 11)) { connection in
            try await FaultRunFactories.broken(FaultRunFactories.binance) { BoastfulClient(base: $0) }(connection)
        }.run()
        #expect(report.phantoms > 0, "\(report)")
        #expect(!report.passed)
    }

    @Test("a client that says it cancelled without cancelling: cancel mismatches")
    func lazyCancel() async throws {
        let report = await FaultRun(.binance, configuration: .init(orders: 100, seed: 11, faultRate: 0)) { connection in
            try await FaultRunFactories.broken(FaultRunFactories.binance) { LazyCancelClient(base: $0) }(connection)
        }.run()
        #expect(report.cancelMismatches > 0, "\(report)")
        #expect(!report.passed)
    }
}

/// The properties every fault run must show: the run happened, no order placed twice, none the bot
/// does not know about, nothing made up, every unknown outcome carried its id and was settled.
func expectSafe(_ report: FaultRun.Report, orders: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(report.setupError == nil, "\(report)", sourceLocation: sourceLocation)
    #expect(report.orders == orders, sourceLocation: sourceLocation)
    #expect(report.duplicates == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.lost == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.unsettled == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.phantoms == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.moneyMovements == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.unknownWithoutClientOrderID == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.cancelMismatches == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.unexpectedErrors == 0, "\(report)", sourceLocation: sourceLocation)
    #expect(report.passed, sourceLocation: sourceLocation)
}
