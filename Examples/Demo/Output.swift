// Output helpers: headings, indented lines, and the few ways the demo shows TradeOnly's values.
import Foundation
import TradeOnly

/// Prints a numbered section heading.
func section(_ number: Int, _ title: String) {
    print("")
    print("\(number). \(title)")
}

/// Prints one line under a section, indented.
func say(_ text: String, indent: Int = 1) {
    let padding = String(repeating: "   ", count: indent)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        print(padding + line)
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a key report (TradeOnly's own multi-line `KeyReport.description`), indented.
func show(_ report: KeyReport, indent: Int = 2) {
    say(report.description, indent: indent)
}

/// Prints why a policy refuses a report: one line per problem, each with what to change.
///
/// `SafeKey.verify` puts the same sentences in the error's message; asking the policy again gives
/// them as a list, which reads better than one long line.
func showProblems(of report: KeyReport, under policy: KeyPolicy, indent: Int = 2) {
    let problems = policy.violations(for: report)
    say("\(problems.count == 1 ? "1 problem" : "\(problems.count) problems"):", indent: indent)
    for problem in problems {
        say("- \(problem)", indent: indent + 1)
    }
}

/// Balances as an aligned table: asset, total, free, locked.
func showBalances(_ balances: [Balance], indent: Int = 1) {
    let rows = balances.sorted { $0.asset < $1.asset }
    let width = rows.map(\.asset.count).max() ?? 0
    for balance in rows {
        let asset = balance.asset.padding(toLength: width, withPad: " ", startingAt: 0)
        say(
            "\(asset)  \(balance.total.plainString)  (free \(balance.free.plainString), locked \(balance.locked.plainString))",
            indent: indent)
    }
}
