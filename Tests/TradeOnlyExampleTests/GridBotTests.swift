import Foundation
import Testing

@Suite("grid-bot")
struct GridBotTests {
    /// The summary's value for a label, e.g. `orders placed` → `21`.
    static func summaryValue(_ label: String, in run: Product.Run) -> String? {
        guard let line = run.lines.first(where: { $0.hasPrefix(label + " ") }) else { return nil }
        return String(line.dropFirst(label.count)).trimmingCharacters(in: .whitespaces)
    }

    @Test("trades against the random walk and prints a summary", arguments: ["binance", "bybit"])
    func shortRun(exchange: String) async throws {
        let run = try await Product.gridBot.run("--exchange", exchange, "--rounds", "8")
        #expect(run.status == 0, "\(run)")
        #expect(run.standardError.isEmpty, "\(run)")
        #expect(run.lines.first == "grid-bot: \(exchange), simulated exchange, 8 rounds, random walk seed 5", "\(run)")
        #expect(Self.summaryValue("rounds", in: run) == "8", "\(run)")
        // Eight resting orders at start, then one counter-order per fill.
        let placed = try #require(Self.summaryValue("orders placed", in: run).flatMap { Int($0) }, "\(run)")
        #expect(placed >= 8, "\(run)")
        let filled = try #require(Self.summaryValue("orders filled", in: run), "\(run)")
        #expect(!filled.hasPrefix("0 "), "the seeded walk fills some orders within 8 rounds: \(run)")
        // Every grid order carries a client order id, shown when it is placed.
        #expect(run.lines.contains { $0.hasPrefix("placed   BUY ") && $0.contains("[to") }, "\(run)")
        #expect(Self.summaryValue("unsettled", in: run) == "none", "\(run)")
        #expect(Self.summaryValue("duplicate orders", in: run) == "0", "\(run)")
        #expect(Self.summaryValue("P&L", in: run)?.hasSuffix("USDT (fees included, marked at the final mid price)") == true, "\(run)")
    }

    @Test("with lost answers and failing reads, it never places an order twice")
    func faults() async throws {
        let run = try await Product.gridBot.run("--faults", "--rounds", "30", "--seed", "3")
        #expect(run.status == 0, "\(run)")
        let faults = try #require(Self.summaryValue("faults injected", in: run).flatMap { Int($0) }, "\(run)")
        #expect(faults > 0, "\(run)")
        #expect(Self.summaryValue("duplicate orders", in: run) == "0", "\(run)")
    }

    @Test("the same seed gives the same trades")
    func deterministic() async throws {
        async let first = Product.gridBot.run("--rounds", "12", "--seed", "11")
        async let second = Product.gridBot.run("--rounds", "12", "--seed", "11")
        // Client order ids are random: compare the fills only.
        let fills = { (run: Product.Run) in run.lines.filter { $0.hasPrefix("round ") } }
        let (a, b) = try await (first, second)
        #expect(!fills(a).isEmpty, "\(a)")
        #expect(fills(a) == fills(b))
    }

    @Test("bad arguments exit 2", arguments: [["--rounds", "0"], ["--rounds", "ten"], ["--seed"], ["--exchange", "gate"], ["-x"]])
    func badArguments(arguments: [String]) async throws {
        let run = try await Product.gridBot.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.standardError.contains("usage: grid-bot"), "\(run)")
    }
}
