import Foundation
import TradeOnly

/// What the bot of a ``FaultRun`` was told about its orders, by client order id, and how each
/// attempt ended. Shared by the run's concurrent operations.
final class FaultRunLedger: Sendable {
    /// What the bot believes about one order.
    enum Belief: Sendable, Hashable {
        /// The client returned it (from the placement, or found by reconciling).
        case placed(exchangeOrderID: String)
        /// The client said it certainly was not placed (or reconcile said not found).
        case notPlaced
        /// The exchange refused it.
        case rejected(String)
        /// Reported unknown; not settled (yet).
        case unknown
    }

    struct Record: Sendable {
        var symbol: Symbol
        var belief: Belief
        /// Whether a placement of this order was reported as an unknown outcome.
        var reportedUnknown = false
        /// Whether `reconcile` settled it after that (found, or not found).
        var settledByReconcile = false
        /// The final status a cancel (or the placement) reported, if final.
        var finalStatus: OrderStatus?
    }

    struct State: Sendable {
        var records: [String: Record] = [:]
        var placementOutcomes: [String: Int] = [:]
        var cancelOutcomes: [String: Int] = [:]
        var orders = 0
        var cancels = 0
        var unknownWithoutClientOrderID = 0
        var unexpectedErrors = 0
        var problems: [String] = []
    }

    private let state = LockedValue(State())

    /// Everything recorded.
    var current: State { state.current }

    /// The longest list of problems kept.
    static let problemLimit = 20

    func countOrder() {
        state.withLock { $0.orders += 1 }
    }

    func countCancel() {
        state.withLock { $0.cancels += 1 }
    }

    func placementOutcome(_ name: String) {
        state.withLock { $0.placementOutcomes[name, default: 0] += 1 }
    }

    func cancelOutcome(_ name: String) {
        state.withLock { $0.cancelOutcomes[name, default: 0] += 1 }
    }

    func problem(_ text: String) {
        state.withLock { state in
            if state.problems.count < Self.problemLimit { state.problems.append(text) }
        }
    }

    func unknownWithoutClientOrderID(_ error: ExchangeError) {
        state.withLock { $0.unknownWithoutClientOrderID += 1 }
        problem("an unknown outcome without a client order id: \(error)")
    }

    func unexpected(_ error: any Error, during what: String) {
        state.withLock { $0.unexpectedErrors += 1 }
        problem("\(what) threw \(type(of: error)), not an ExchangeError: \(error)")
    }

    /// Sets what the bot believes about `id`.
    func believe(_ belief: Belief, for id: String, symbol: Symbol, reportedUnknown: Bool = false, settled: Bool = false) {
        state.withLock { state in
            var record = state.records[id] ?? Record(symbol: symbol, belief: belief)
            record.belief = belief
            if reportedUnknown { record.reportedUnknown = true }
            if settled { record.settledByReconcile = true }
            state.records[id] = record
        }
    }

    /// Records the final status a cancel or placement reported for `id`.
    func final(_ status: OrderStatus, for id: String) {
        state.withLock { $0.records[id]?.finalStatus = status }
    }

    /// The orders reported unknown and not settled, with their markets.
    var unsettled: [(id: String, symbol: Symbol)] {
        state.current.records.compactMap { id, record in record.belief == .unknown ? (id, record.symbol) : nil }
            .sorted { $0.id < $1.id }
    }
}
