import Foundation
import Testing

/// `swift run tradeonly-demo`, the README's main command, run as a user runs it.
@Suite("tradeonly-demo")
struct DemoTests {
    @Test("tells the whole story against the simulator, for both exchanges", arguments: ["binance", "bybit"])
    func simulatedStory(exchange: String) async throws {
        let run = try await Product.demo.run("--exchange", exchange)
        #expect(run.status == 0, "\(run)")
        #expect(run.standardError.isEmpty, "\(run)")
        let output = run.standardOutput
        let lines = run.lines

        // The key that can withdraw is refused, and the refusal names the permission.
        #expect(output.contains("REFUSED by SafeKey.verify (unsafeKey)"), "\(run)")
        #expect(output.contains("the 'Withdraw' permission is enabled, and it can move funds"), "\(run)")
        // The trade-only key is accepted.
        #expect(lines.contains { $0.hasPrefix("ACCEPTED: SafeKey(\(exchange), apiKey: simT…0001") }, "\(run)")
        // Instruments and prices.
        #expect(lines.contains { $0.hasPrefix("BTC/USDT (BTCUSDT, spot, trading) tick 0.01") }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("order book: best bid ") }, "\(run)")
        // The limit order: rounded, placed, open, found by its id, cancelled.
        let rounded = try #require(lines.first { $0.hasPrefix("rounded: BUY ") }, "\(run)")
        #expect(rounded.contains("@ 51344.86 (limit, GTC)"), "the price is rounded down to the tick: \(rounded)")
        #expect(lines.contains { $0.hasPrefix("placed:  BUY ") && $0.contains("(limit, GTC) new 0/") }, "\(run)")
        #expect(lines.contains("open orders on BTC/USDT: 1"), "\(run)")
        #expect(lines.contains { $0.hasPrefix("by client order id to") && $0.hasSuffix(": new") }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("cancelled: BUY ") && $0.contains(" cancelled 0/") }, "\(run)")
        // The market order fills.
        #expect(lines.contains { $0.contains("BTC/USDT (market) filled ") }, "\(run)")
        // Balances.
        #expect(lines.contains { $0.hasPrefix("USDT ") && $0.contains("(free ") }, "\(run)")
        // The withdrawal is refused before signing, and the exchange never sees it.
        #expect(lines.contains { $0.hasPrefix("policyViolation: TradeOnly refused POST ") }, "\(run)")
        #expect(lines.contains("requests the exchange received for it: 0"), "\(run)")
        let ending = lines.suffix(2)
        #expect(ending.first?.hasSuffix("the withdrawal was refused before signing.") == true, "\(run)")
        #expect(ending.last?.hasPrefix("Done in ") == true, "\(run)")
        // No secret of the simulator's keys is ever printed.
        #expect(!output.contains("simTradeOnlySecret") && !output.contains("simWithdrawSecret"), "\(run)")
    }

    @Test("--help prints the usage and exits 0")
    func help() async throws {
        let run = try await Product.demo.run("--help")
        #expect(run.status == 0, "\(run)")
        #expect(run.standardOutput.hasPrefix("usage: tradeonly-demo"), "\(run)")
    }

    @Test(
        "bad arguments exit 2 with the usage on standard error",
        arguments: [
            ["--exchange", "okx"], ["--exchange"], ["--bogus"], ["--live", "--testnet"], ["--trade"],
            ["--demo=yes"],
        ])
    func badArguments(arguments: [String]) async throws {
        let run = try await Product.demo.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.standardOutput.isEmpty, "\(run)")
        #expect(run.standardError.hasPrefix("tradeonly-demo: "), "\(run)")
        #expect(run.standardError.contains("usage: tradeonly-demo"), "\(run)")
    }

    // The real-exchange path cannot run here (no network, no key). What can be checked: the
    // arguments are accepted, and a missing key fails with status 1 naming the variable, before
    // any request is made.
    @Test(
        "a real environment without credentials fails with status 1, naming the variable",
        arguments: [
            (["--live"], "BINANCE_API_KEY"), (["--testnet", "--trade"], "BINANCE_API_KEY"),
            (["--exchange=bybit", "--demo"], "BYBIT_API_KEY"), (["--exchange", "bybit", "--live", "--trade"], "BYBIT_API_KEY"),
        ])
    func realEnvironmentNeedsCredentials(arguments: [String], variable: String) async throws {
        let run = try await Product.demo.run(arguments)
        #expect(run.status == 1, "\(run)")
        #expect(run.standardError.contains("the environment variable \(variable) is not set"), "\(run)")
    }

    @Test("a real environment says whether it trades before it does anything")
    func realEnvironmentAnnouncesTrading() async throws {
        let readOnly = try await Product.demo.run("--exchange", "bybit", "--testnet")
        #expect(readOnly.standardOutput.contains("read-only: nothing is traded"), "\(readOnly)")
        let trading = try await Product.demo.run("--exchange", "bybit", "--testnet", "--trade")
        #expect(trading.standardOutput.contains("--trade: ONE order will be placed and cancelled"), "\(trading)")
    }
}

extension Product {
    /// Runs the executable with an array of arguments.
    func run(_ arguments: [String]) async throws -> Run {
        try await run(arguments: arguments)
    }
}
