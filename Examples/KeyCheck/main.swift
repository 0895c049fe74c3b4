// key-check: is this API key safe for a trade bot? Verifies a key with TradeOnly and prints what the
// exchange reported, the verdict, and how to fix each problem.
//
//   export BINANCE_API_KEY=… BINANCE_API_SECRET=…
//   swift run key-check --exchange binance --live
//   swift run key-check --simulated                 both made-up keys of the simulator, no network
//
// Exit status: 0 the key is accepted (with --simulated: both keys were judged as expected),
// 1 refused or could not be checked, 2 bad arguments. So a start script can run
// `key-check --live && start-my-bot`.
import Foundation
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

let usage = """
    usage: key-check [--exchange binance|bybit] (--live | --testnet | --demo | --simulated)

    Verifies an API key the way a TradeOnly bot does at start-up (SafeKey.verify with the
    .tradeOnly policy) and prints the exchange's report: permissions, IP binding, expiry, the
    verdict, notes, and how to fix each problem. It also says what a live bot should add
    (an IP whitelist, and no expiry in the next 14 days). It never trades.

    The key comes from the environment: BINANCE_API_KEY and BINANCE_API_SECRET, or BYBIT_API_KEY
    and BYBIT_API_SECRET. Name the environment the key was created in: there is no default.

    options:
      --exchange NAME   binance (the default) or bybit
      --live            the real exchange
      --testnet         the exchange's test network (Binance spot testnet cannot report a key's
                        permissions: such a key comes back as not verifiable)
      --demo            the exchange's demo-trading environment
      --simulated       no key, no network: check the simulator's two made-up keys (one can
                        withdraw and is refused, one is trade-only and is accepted)
      -h, --help        show this help

    exit status: 0 accepted, 1 refused or not checked, 2 bad arguments
    """

enum ExchangeName: String {
    case binance, bybit
}

enum Target: String {
    case live, testnet, demo, simulated
}

/// Prints the error and the usage on standard error, and exits with status 2.
func usageError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("key-check: \(message)\n\n\(usage)\n".utf8))
    exit(2)
}

// MARK: Arguments

var exchange = ExchangeName.binance
var target: Target?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "-h", "--help":
        print(usage)
        exit(0)
    case "--exchange":
        guard let value = arguments.popFirst() else { usageError("--exchange needs a value: binance or bybit") }
        guard let name = ExchangeName(rawValue: value.lowercased()) else {
            usageError("unknown exchange '\(value)': use binance or bybit")
        }
        exchange = name
    case "--live", "--testnet", "--demo", "--simulated":
        // Force unwrap: the four spellings above are exactly the enum's raw values with "--".
        let chosen = Target(rawValue: String(argument.dropFirst(2)))!
        if let target, target != chosen { usageError("choose one of --live, --testnet, --demo and --simulated") }
        target = chosen
    default:
        usageError("unknown argument '\(argument)'")
    }
}
guard let target else {
    usageError("say where the key lives: --live, --testnet or --demo (or --simulated to try it without a key)")
}

// MARK: Checking

/// What every bot needs: read and trade, nothing that moves funds.
let policy = KeyPolicy.tradeOnly
/// What a live bot should add: a key that works only from its servers and does not expire soon.
let livePolicy = policy.requiringIPWhitelist().requiringMinimumDaysToExpiry(14)

/// Verifies one key and prints its report. Returns whether it was accepted.
func check(_ credentials: Credentials, using inspector: some KeyInspector, label: String) async -> Bool {
    print("")
    print("\(label): \(credentials.maskedAPIKey)")
    let report: KeyReport
    let accepted: Bool
    do {
        let key = try await SafeKey.verify(credentials, using: inspector, policy: policy)
        report = key.report
        accepted = true
    } catch let error as ExchangeError where error.kind == .unsafeKey && error.keyReport != nil {
        // Force unwrap: checked by the `where` clause just above.
        report = error.keyReport!
        accepted = false
    } catch {
        // The exchange could not be asked: a wrong key or environment, an IP not on the key's
        // whitelist, no network. ExchangeError and CredentialsError never show the secret.
        field("verdict", "NOT CHECKED: \(error)")
        return false
    }
    print(describe(report, accepted: accepted))
    return accepted
}

/// The report as aligned fields, then the verdict and what to do.
func describe(_ report: KeyReport, accepted: Bool) -> String {
    var lines: [String] = []
    func add(_ name: String, _ values: [String]) {
        for (index, value) in values.enumerated() {
            let label = index == 0 ? name : ""
            lines.append("  " + label.padding(toLength: 13, withPad: " ", startingAt: 0) + value)
        }
    }
    let permissions = report.permissions.sorted { $0.name < $1.name }.map(\.description)
    add("permissions", permissions.isEmpty ? ["none reported"] : [permissions.joined(separator: ", ")])
    if report.isIPRestricted {
        add("IP binding", [report.ipWhitelist.isEmpty ? "restricted (addresses not reported)" : report.ipWhitelist.joined(separator: ", ")])
    } else {
        add("IP binding", ["none: the key works from any IP address"])
    }
    add("expiry", [report.expiresAt.map { $0.formatted(.iso8601) } ?? "none reported"])
    if !report.unknownCapabilities.isEmpty {
        add("unknown", [report.unknownCapabilities.joined(separator: ", ")])
    }
    let problems = policy.violations(for: report)
    if accepted {
        add("verdict", ["ACCEPTED: the key can read and trade, and cannot move funds"])
    } else if problems.allSatisfy({ $0.kind == .unverifiable }) {
        add("verdict", ["NOT VERIFIABLE: \(report.exchange) cannot say what this key can do"])
    } else {
        add("verdict", ["REFUSED: \(problems.count == 1 ? "1 problem" : "\(problems.count) problems")"])
    }
    add("to fix", problems.enumerated().map { "\($0.offset + 1). \($0.element)" })
    // Advice for live trading: what the stricter policy adds to the basic one. A report the
    // exchange could not fill in has nothing to advise on.
    let advice = report.isVerifiable ? livePolicy.violations(for: report).filter { !problems.contains($0) } : []
    add("for live", advice.map { "- \($0)" })
    add("notes", report.notes.map { "- \($0)" })
    return lines.joined(separator: "\n")
}

/// One labelled line.
func field(_ name: String, _ value: String) {
    print("  " + name.padding(toLength: 13, withPad: " ", startingAt: 0) + value)
}

/// The inspector for an exchange and environment. Only the transport touches the network.
func inspector(for exchange: ExchangeName, _ target: Target, transport: some HTTPTransport) -> any KeyInspector {
    switch (exchange, target) {
    case (.binance, .live): Binance(environment: .live, transport: transport).keyInspector
    case (.binance, .testnet): Binance(environment: .testnet, transport: transport).keyInspector
    case (.binance, .demo): Binance(environment: .demo, transport: transport).keyInspector
    case (.bybit, .live): Bybit(environment: .live, transport: transport).keyInspector
    case (.bybit, .testnet): Bybit(environment: .testnet, transport: transport).keyInspector
    case (.bybit, .demo): Bybit(environment: .demo, transport: transport).keyInspector
    // A stand-in that serves every host through the transport (the simulator's, in process).
    case (.binance, .simulated):
        Binance.standIn(transport: transport, rateLimit: nil, timeSource: SystemTimeSource(), sleeper: TaskSleeper(), logger: .disabled).keyInspector
    case (.bybit, .simulated):
        Bybit.standIn(transport: transport, rateLimit: nil, timeSource: SystemTimeSource(), sleeper: TaskSleeper(), logger: .disabled).keyInspector
    }
}

// MARK: Main

let title = exchange.rawValue.prefix(1).uppercased() + exchange.rawValue.dropFirst()
if target == .simulated {
    print("key-check: \(title), simulated exchange (made-up keys, no network)")
    let dialect: Dialect = exchange == .binance ? .binance : .bybit
    let simulator = SimulatedExchange.standard(for: dialect)
    let inspector = inspector(for: exchange, .simulated, transport: simulator.transport(for: dialect))
    var asExpected = true
    for (key, shouldPass) in [(SimulatedExchange.standardWithdrawKey, false), (SimulatedExchange.standardTradeKey, true)] {
        do {
            let credentials = try Credentials(apiKey: key.apiKey, secret: Secret(key.secret))
            let accepted = await check(credentials, using: inspector, label: key.note)
            asExpected = asExpected && accepted == shouldPass
        } catch {
            print("key-check: \(error)")
            asExpected = false
        }
    }
    exit(asExpected ? 0 : 1)
}

let prefix = exchange.rawValue.uppercased()
print("key-check: \(title), \(target) environment")
let credentials: Credentials
do {
    credentials = try Credentials.environment(prefix: prefix)
} catch {
    // CredentialsError names the variable that is missing or wrong, never its value.
    FileHandle.standardError.write(Data("key-check: \(error)\n".utf8))
    exit(1)
}
let accepted = await check(
    credentials, using: inspector(for: exchange, target, transport: URLSessionTransport()),
    label: "key from \(prefix)_API_KEY")
exit(accepted ? 0 : 1)
