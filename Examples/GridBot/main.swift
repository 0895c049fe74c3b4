// grid-bot: a small grid bot (GridBot.swift) run against the simulator, whose price follows a seeded
// random walk so the grid trades. The bot only knows `some ExchangeClient`; this file is the only
// place that knows about the simulator.
//
//   swift run grid-bot                              Binance wire protocol, 30 rounds, seed 5
//   swift run grid-bot --exchange bybit --rounds 60 --seed 42
//   swift run grid-bot --faults                     also lose some answers and fail some reads
//
// To run the same bot on a testnet, make the client as in Documentation/GettingStarted.md and call
// `GridBot(client:settings:log:).run(rounds:betweenRounds:)` with a pause between rounds.
//
// Exit status: 0 the run finished, 1 the bot stopped or failed, 2 bad arguments.
import Foundation
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

let usage = """
    usage: grid-bot [--exchange binance|bybit] [--rounds N] [--seed N] [--faults]

    Runs a grid bot on BTC/USDT against the simulated exchange built into this program (no network,
    no real money). Between rounds the simulated price takes ten steps of a random walk, so the
    grid's orders fill; the bot answers each fill with an order one level away. At the end it
    cancels its open orders and prints a summary: orders placed and filled, and P&L in USDT.

    options:
      --exchange NAME   the wire protocol: binance (the default) or bybit
      --rounds N        how many rounds (default 30, at most 10000)
      --seed N          the seed of the random walk (default 5): the same seed, the same prices
      --faults          inject faults: 10 % of order answers are lost (the order exists; the client
                        finds it by its client order id) and 5 % of open-order reads fail with 503
      -h, --help        show this help

    exit status: 0 the run finished, 1 the bot stopped or failed, 2 bad arguments
    """

func usageError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("grid-bot: \(message)\n\n\(usage)\n".utf8))
    exit(2)
}

// MARK: Arguments

var dialect = Dialect.binance
var rounds = 30
var seed: UInt64 = 5
var injectsFaults = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    func value() -> String {
        guard let value = arguments.popFirst() else { usageError("\(argument) needs a value") }
        return value
    }
    switch argument {
    case "-h", "--help":
        print(usage)
        exit(0)
    case "--exchange":
        let name = value()
        guard let chosen = Dialect(name: name) else { usageError("unknown exchange '\(name)': use binance or bybit") }
        dialect = chosen
    case "--rounds":
        let text = value()
        guard let number = Int(text), (1...10_000).contains(number) else {
            usageError("--rounds needs a whole number from 1 to 10000, not '\(text)'")
        }
        rounds = number
    case "--seed":
        let text = value()
        guard let number = UInt64(text) else { usageError("--seed needs a whole number, not '\(text)'") }
        seed = number
    case "--faults":
        injectsFaults = true
    default:
        usageError("unknown argument '\(argument)'")
    }
}

// MARK: The simulated exchange

var configuration = SimulatedExchange.Configuration()
if injectsFaults {
    configuration.faults = FaultPlan(seed: seed)
        .injecting(.lostResponse, probability: 0.10, on: .path(dialect == .binance ? "/api/v3/order" : "/v5/order/create", method: "POST"))
        .injecting(
            .serverError(status: 503, afterExecution: false), probability: 0.05,
            on: .path(dialect == .binance ? "/api/v3/openOrders" : "/v5/order/realtime", method: "GET"))
}
let simulator = SimulatedExchange.standard(for: dialect, configuration: configuration)
await simulator.startRandomWalk(RandomWalk(seed: seed))
// What the client does worth knowing (rate-limit waits, retries, reconciliation) goes to standard
// output at `info`, so a run that pauses says why. The simulator declares no rate limit of its own
// here, so nothing paces the run; pass `rateLimit:` to `client(for:)` to rehearse pacing.
let logger = TradeOnlyLogger(sink: ConsoleLogSink(.standardOutput), minimumLevel: .info)
let startedAt = Date()

/// Runs the bot with a client of the simulator (its trade-only key verified), and returns the summary.
func runGrid(client: some ExchangeClient, rounds: Int) async throws -> GridSummary {
    var bot = GridBot(client: client, settings: GridSettings()) { print($0) }
    var round = 0
    let progressEvery = max(10, rounds / 10)
    return try await bot.run(rounds: rounds) {
        // Against a real exchange this would be a pause, for example `try await Task.sleep(for: .seconds(10))`.
        await simulator.stepRandomWalk(steps: 10)
        round += 1
        if round % progressEvery == 0 {
            let orders = await simulator.allOrders().count
            let fills = await simulator.fills().count
            let seconds = Date().timeIntervalSince(startedAt)
            print("progress: \(round)/\(rounds) rounds, \(orders) orders and \(fills) fills on the exchange, \(String(format: "%.1f", seconds)) s")
        }
    }
}

print("grid-bot: \(dialect), simulated exchange, \(rounds) rounds, random walk seed \(seed)\(injectsFaults ? ", with faults" : "")")
let summary: GridSummary
do {
    // A bot verifies its key at every start, and needs spot trading: `client(for:)` verifies the
    // simulator's trade-only key with the module's key inspector, as against the real exchange.
    let policy = KeyPolicy.tradeOnly.requiring([.spotTrade])
    switch dialect {
    case .bybit:
        let client = try await simulator.client(for: Bybit.self, policy: policy, logger: logger)
        print("client: \(client)")
        summary = try await runGrid(client: client, rounds: rounds)
    default:
        let client = try await simulator.client(for: Binance.self, policy: policy, logger: logger)
        print("client: \(client)")
        summary = try await runGrid(client: client, rounds: rounds)
    }
} catch {
    FileHandle.standardError.write(Data("grid-bot failed: \(error)\n".utf8))
    exit(1)
}

// MARK: Summary

// What only the simulator can tell: how many orders it holds per client order id. A bot that never
// re-places an order leaves exactly one per id, whatever answers were lost.
let ordersByClientID = Dictionary(grouping: await simulator.allOrders(), by: \.clientOrderID)
let duplicated = ordersByClientID.filter { !$0.key.isEmpty && $0.value.count > 1 }.count
let faults = await simulator.faultsInjected

print("")
print("summary")
print("  rounds              \(summary.rounds)")
print("  orders placed       \(summary.ordersPlaced)")
print("  orders filled       \(summary.buysFilled + summary.sellsFilled) (\(summary.buysFilled) buys, \(summary.sellsFilled) sells)")
print("  orders rejected     \(summary.ordersRejected)")
print("  cancelled at end    \(summary.ordersCancelledAtEnd)")
print("  unsettled           \(summary.unsettled.isEmpty ? "none" : summary.unsettled.map(\.rawValue).joined(separator: ", "))")
print("  faults injected     \(faults)")
print("  duplicate orders    \(duplicated)")
print(
    "  P&L                 \(summary.profitAndLoss.formatted(fractionDigits: 2)) \(summary.quoteAsset) (fees included, marked at the final mid price)"
)
if let reason = summary.stoppedBecause {
    print("  stopped             \(reason)")
    exit(1)
}
