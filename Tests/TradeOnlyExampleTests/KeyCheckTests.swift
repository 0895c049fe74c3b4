import Foundation
import Testing

@Suite("key-check")
struct KeyCheckTests {
    @Test("--simulated refuses the key that can withdraw and accepts the trade-only one", arguments: ["binance", "bybit"])
    func simulated(exchange: String) async throws {
        let run = try await Product.keyCheck.run("--simulated", "--exchange", exchange)
        #expect(run.status == 0, "\(run)")
        #expect(run.standardError.isEmpty, "\(run)")
        let output = run.standardOutput
        // Two reports, in this order: the refused key, then the accepted one.
        let refused = try #require(output.range(of: "simulator withdraw-enabled key: simW…0002"), "\(run)")
        let accepted = try #require(output.range(of: "simulator trade-only key: simT…0001"), "\(run)")
        #expect(refused.lowerBound < accepted.lowerBound)
        let first = String(output[refused.upperBound..<accepted.lowerBound])
        let second = String(output[accepted.upperBound...])

        for field in ["permissions", "IP binding", "expiry", "verdict"] {
            #expect(first.contains("\n  \(field)"), "\(field) is missing:\n\(first)")
            #expect(second.contains("\n  \(field)"), "\(field) is missing:\n\(second)")
        }
        #expect(first.contains("Withdraw (moves funds)"), "\(first)")
        #expect(first.contains("verdict      REFUSED: 2 problems"), "\(first)")
        #expect(first.contains("to fix       1. the "), "\(first)")
        #expect(first.contains("the 'Withdraw' permission is enabled, and it can move funds: "), "\(first)")
        #expect(second.contains("verdict      ACCEPTED"), "\(second)")
        #expect(!second.contains("to fix"), "\(second)")
        #expect(!output.contains("simTradeOnlySecret") && !output.contains("simWithdrawSecret"), "\(run)")
    }

    @Test(
        "bad arguments exit 2; there is no default environment",
        arguments: [[], ["--exchange", "binance"], ["--exchange", "kraken", "--live"], ["--live", "--demo"], ["--key", "abc"]])
    func badArguments(arguments: [String]) async throws {
        let run = try await Product.keyCheck.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.standardError.hasPrefix("key-check: "), "\(run)")
        #expect(run.standardError.contains("usage: key-check"), "\(run)")
    }

    @Test("a real environment without credentials fails with status 1, naming the variable")
    func missingCredentials() async throws {
        let run = try await Product.keyCheck.run("--exchange", "bybit", "--live")
        #expect(run.status == 1, "\(run)")
        #expect(run.standardError.contains("the environment variable BYBIT_API_KEY is not set"), "\(run)")
    }

    @Test("--help prints the usage and exits 0")
    func help() async throws {
        let run = try await Product.keyCheck.run("--help")
        #expect(run.status == 0, "\(run)")
        #expect(run.standardOutput.hasPrefix("usage: key-check"), "\(run)")
    }
}
