import Foundation
import TradeOnly
import TradeOnlySimulator

/// 2023-11-14T22:13:20Z, the fixed time most tests run at.
let fixedStart = Date(timeIntervalSince1970: 1_700_000_000)

/// Exact decimals from text.
func dec(_ text: String) -> Decimal {
    Decimal(exactly: text) ?? .nan
}

/// A fixture: an exchange on a fixed clock, with signers for its standard keys.
struct Fixture {
    let exchange: SimulatedExchange
    let clock: FixedTimeSource

    /// The standard exchange for a dialect on a fixed clock, with optional configuration changes.
    init(_ dialect: Dialect = .binance, configure: (inout SimulatedExchange.Configuration) -> Void = { _ in }) {
        clock = FixedTimeSource(fixedStart)
        var configuration = SimulatedExchange.Configuration(timeSource: clock)
        configure(&configuration)
        exchange = SimulatedExchange.standard(for: dialect, configuration: configuration)
    }

    /// The exchange's server time in milliseconds (what a synchronised client signs with).
    var serverTime: @Sendable () async -> Int64 {
        let exchange = exchange
        return { Int64((await exchange.serverTime.timeIntervalSince1970 * 1000).rounded(.down)) }
    }

    func binance(_ key: SimulatedKey = SimulatedExchange.standardTradeKey, clientIP: String = "127.0.0.1") -> BinanceSigner {
        BinanceSigner(
            transport: exchange.transport(for: .binance, clientIP: clientIP), apiKey: key.apiKey, secret: key.secret,
            timestamp: serverTime)
    }

    func bybit(_ key: SimulatedKey = SimulatedExchange.standardTradeKey, clientIP: String = "127.0.0.1") -> BybitSigner {
        BybitSigner(
            transport: exchange.transport(for: .bybit, clientIP: clientIP), apiKey: key.apiKey, secret: key.secret,
            timestamp: serverTime)
    }
}

/// Runs blocking work (sockets, pipes, waiting for a process) on its own thread, never on the
/// concurrency pool: the simulator's handlers need the pool's few threads to answer.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
