import Dispatch
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

// `tradeonly-bench faults`: the long fault-injection run (issue 6).
//
//     swift run -c release tradeonly-bench faults --exchange binance --orders 100000 --seed 7
//
// Prints one JSON object per exchange:
// {"exchange": …, "orders": …, "faultsInjected": …, "duplicates": …, "lost": …,
//  "reportedUnknownThenSettled": …, "seconds": …, …}, and exits with 1 if a run failed its checks.

/// The options of the `faults` subcommand.
struct FaultCommand {
    var exchanges: [String] = ["binance", "bybit"]
    var orders = 100_000
    var seed: UInt64 = 1
    var faultRate = 0.25
    var concurrency = 1
    var overSocket = false
    /// The client gives up reconciling after one lookup, so unknown outcomes reach the bot's reconcile.
    var impatient = false

    static let usage = """
        usage: tradeonly-bench faults [--exchange binance|bybit[,…]]… [--orders N] [--seed N]
                                      [--fault-rate 0…1] [--concurrency N] [--socket] [--impatient]
        """

    /// Parses the arguments after `faults`.
    init(_ arguments: [String]) throws {
        var exchanges: [String] = []
        var index = 0
        func value(_ name: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--exchange":
                for name in try value(argument).split(separator: ",").map({ $0.lowercased() }) {
                    guard ["binance", "bybit"].contains(name) else { throw UsageError("unknown exchange '\(name)'") }
                    exchanges.append(name)
                }
            case "--orders":
                guard let count = Int(try value(argument)), count > 0 else { throw UsageError("--orders needs a positive number") }
                orders = count
            case "--seed":
                guard let seed = UInt64(try value(argument)) else { throw UsageError("--seed needs a number") }
                self.seed = seed
            case "--fault-rate":
                guard let rate = Double(try value(argument)), (0...1).contains(rate) else {
                    throw UsageError("--fault-rate needs a number from 0 to 1")
                }
                faultRate = rate
            case "--concurrency":
                guard let count = Int(try value(argument)), count > 0 else { throw UsageError("--concurrency needs a positive number") }
                concurrency = count
            case "--socket":
                overSocket = true
            case "--impatient":
                impatient = true
            default:
                throw UsageError("unknown argument '\(argument)'")
            }
            index += 1
        }
        if !exchanges.isEmpty { self.exchanges = exchanges }
    }

    struct UsageError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// Runs `tradeonly-bench faults …`; returns the process's exit status.
func runFaultCommand(_ arguments: [String]) -> Int32 {
    let command: FaultCommand
    do {
        command = try FaultCommand(arguments)
    } catch {
        printToStandardError("tradeonly-bench faults: \(error)\n\(FaultCommand.usage)")
        return 2
    }
    var allPassed = true
    for exchange in command.exchanges {
        var configuration = FaultRun.Configuration(
            orders: command.orders, seed: command.seed, faultRate: command.faultRate, overSocket: command.overSocket,
            concurrency: command.concurrency)
        let run: FaultRun
        switch exchange {
        case "bybit":
            run = FaultRun(.bybit, configuration: configuration, makeSubject: benchBybitSubject)
        default:
            let impatient = command.impatient
            run = FaultRun(.binance, configuration: configuration) { connection in
                try await benchBinanceSubject(connection, impatient: impatient)
            }
        }
        let report = waitFor { await run.run() }
        print(report.jsonLine)
        if !report.passed {
            allPassed = false
            printToStandardError(report.description)
        }
    }
    return allPassed ? 0 : 1
}

/// The Binance client for a fault run: every wait on the run's clock. Impatient, it gives up
/// reconciling after one lookup, leaving unknown outcomes to the bot's reconcile.
func benchBinanceSubject(_ connection: FaultRun.Connection, impatient: Bool) async throws -> FaultRun.Subject {
    let reconciliation = impatient
        ? ReconciliationPolicy(deadline: 0, initialDelay: 0, maximumDelay: 0)
        : FaultRun.reconciliationPolicy(receiveWindow: 5)
    let binance = Binance(
        environment: .local(connection.baseURL), transport: connection.transport, timeSource: connection.timeSource,
        configuration: Binance.Configuration(recvWindow: 5000, reconciliation: reconciliation),
        sleeper: connection.sleeper, jitter: .seeded(connection.seed))
    let key = try await SafeKey.verify(connection.credentials, using: binance.keyInspector)
    let client = binance.client(key)
    return FaultRun.Subject(client: client) { id, symbol in try await client.reconcile(id, on: symbol) }
}

/// The Bybit client for a fault run: every wait on the run's clock, settled by its own reconcile.
@Sendable
func benchBybitSubject(_ connection: FaultRun.Connection) async throws -> FaultRun.Subject {
    let bybit = Bybit(
        environment: .local(connection.baseURL), transport: connection.transport, timeSource: connection.timeSource,
        sleeper: connection.sleeper,
        configuration: Bybit.Configuration(
            recvWindow: 5000, reconciliation: FaultRun.reconciliationPolicy(receiveWindow: 5)))
    let key = try await SafeKey.verify(connection.credentials, using: bybit.keyInspector)
    let client = bybit.client(key)
    return FaultRun.Subject(client: client) { id, symbol in try await client.reconcile(id, on: symbol) }
}

/// Runs async work to completion from the synchronous top level.
private func waitFor<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let result = LockedValue<T?>(nil)
    Task {
        let value = await body()
        result.withLock { $0 = value }
        semaphore.signal()
    }
    semaphore.wait()
    guard let value = result.current else { preconditionFailure("the task finished without a value") }
    return value
}

private func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
