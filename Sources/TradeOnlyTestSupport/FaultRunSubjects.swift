import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

/// The real clients a ``FaultRun`` drives, built from its connection with every wait on the run's
/// clock: one definition for the fault-injection tests and for `tradeonly-bench faults`.
///
/// (``FaultRun`` itself lives in TradeOnlySimulator, which does not depend on the exchange modules.)
package enum FaultRunSubjects {
    /// The Binance client, reconciling for up to the run's standard policy, settled by its own
    /// `reconcile(_:on:)`.
    @Sendable
    package static func binance(_ connection: FaultRun.Connection) async throws -> FaultRun.Subject {
        try await binance(connection, reconciliation: FaultRun.reconciliationPolicy(receiveWindow: 5))
    }

    /// The Binance client giving up reconciling after one lookup, so that unknown outcomes reach the
    /// bot (and its `reconcile`) often.
    @Sendable
    package static func impatientBinance(_ connection: FaultRun.Connection) async throws -> FaultRun.Subject {
        try await binance(connection, reconciliation: ReconciliationPolicy(deadline: 0, initialDelay: 0, maximumDelay: 0))
    }

    /// The Binance client with a reconciliation policy of your choice.
    package static func binance(
        _ connection: FaultRun.Connection, reconciliation: ReconciliationPolicy
    ) async throws -> FaultRun.Subject {
        let binance = Binance(
            environment: .local(connection.baseURL), transport: connection.transport, timeSource: connection.timeSource,
            configuration: Binance.Configuration(recvWindow: 5000, reconciliation: reconciliation),
            sleeper: connection.sleeper, jitter: .seeded(connection.seed))
        let key = try await SafeKey.verify(connection.credentials, using: binance.keyInspector)
        let client = binance.client(key)
        return FaultRun.Subject(client: client) { id, symbol in try await client.reconcile(id, on: symbol) }
    }

    /// The Bybit client, settled by its own `reconcile(_:on:)`.
    @Sendable
    package static func bybit(_ connection: FaultRun.Connection) async throws -> FaultRun.Subject {
        let bybit = Bybit(
            environment: .local(connection.baseURL), transport: connection.transport, timeSource: connection.timeSource,
            sleeper: connection.sleeper,
            configuration: Bybit.Configuration(
                recvWindow: 5000, reconciliation: FaultRun.reconciliationPolicy(receiveWindow: 5)))
        let key = try await SafeKey.verify(connection.credentials, using: bybit.keyInspector)
        let client = bybit.client(key)
        return FaultRun.Subject(client: client) { id, symbol in try await client.reconcile(id, on: symbol) }
    }
}
