import TradeOnly
import TradeOnlySimulator
import TradeOnlyTestSupport

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
        let configuration = FaultRun.Configuration(
            orders: command.orders, seed: command.seed, faultRate: command.faultRate, overSocket: command.overSocket,
            concurrency: command.concurrency)
        let run: FaultRun
        switch exchange {
        case "bybit":
            run = FaultRun(.bybit, configuration: configuration, makeSubject: FaultRunSubjects.bybit)
        default:
            run = FaultRun(
                .binance, configuration: configuration,
                makeSubject: command.impatient ? FaultRunSubjects.impatientBinance : FaultRunSubjects.binance)
        }
        guard let report = try? blocking({ await run.run() }) else { return 2 }
        print(report.jsonLine)
        if !report.passed {
            allPassed = false
            printToStandardError(report.description)
        }
    }
    return allPassed ? 0 : 1
}

private func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
