// Command-line arguments of tradeonly-demo: a small hand-written parser, because TradeOnly has no
// package dependencies (swift-argument-parser would be the usual choice in your own bot).

let usage = """
    usage: tradeonly-demo [--exchange binance|bybit]
           tradeonly-demo [--exchange binance|bybit] (--live | --testnet | --demo) [--trade]

    Without an environment, runs the whole TradeOnly story against the simulator embedded in this
    program: no key, no network, no real money. Two made-up keys are checked (the one that can
    withdraw is refused), then the trade-only key lists instruments, places, shows and cancels a
    limit order, places a market order, prints balances, and tries a withdrawal that is refused
    before anything is signed.

    With --live, --testnet or --demo, checks YOUR key on the real exchange instead, read-only:
    credentials come from BINANCE_API_KEY and BINANCE_API_SECRET (or BYBIT_API_KEY and
    BYBIT_API_SECRET). Nothing is traded unless you also give --trade, which places ONE post-only
    limit buy of the smallest allowed size far below the market and cancels it at once.

    options:
      --exchange NAME   binance (the default) or bybit
      --live            the real exchange, real money
      --testnet         the exchange's test network (Binance spot testnet cannot report a key's
                        permissions: the demo accepts such a key there, and says so)
      --demo            the exchange's demo-trading environment
      --trade           with --live, --testnet or --demo: place and cancel one small order
      -h, --help        show this help

    exit status: 0 success, 1 failure (including a refused key), 2 bad arguments
    """

/// Which exchange's wire protocol and module to use.
enum ExchangeName: String, CaseIterable {
    case binance
    case bybit

    /// The prefix of the credential variables: `BINANCE_API_KEY`, `BINANCE_API_SECRET`.
    var environmentPrefix: String { rawValue.uppercased() }

    /// `Binance` or `Bybit`, for output.
    var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// A real exchange environment. There is no default: the user must name one.
enum RealEnvironment: String {
    case live
    case testnet
    case demo
}

/// What the user asked for.
struct Options {
    var exchange: ExchangeName = .binance
    /// `nil`: the embedded simulator.
    var environment: RealEnvironment?
    var trade = false
    var showHelp = false
}

/// A bad command line, with the sentence to show.
struct UsageError: Error {
    let message: String
}

/// Parses the arguments (without the program name).
///
/// Accepts `--exchange NAME` and `--exchange=NAME`; refuses unknown arguments, two environments,
/// and `--trade` without a real environment.
func parseOptions(_ arguments: [String]) throws(UsageError) -> Options {
    var options = Options()
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
        // `--name=value` is the same as `--name value`.
        let (name, inlineValue) = splitInlineValue(argument)
        switch name {
        case "-h", "--help":
            options.showHelp = true
        case "--exchange":
            guard let value = inlineValue ?? remaining.popFirst() else {
                throw UsageError(message: "--exchange needs a value: binance or bybit")
            }
            guard let exchange = ExchangeName(rawValue: value.lowercased()) else {
                throw UsageError(message: "unknown exchange '\(value)': use binance or bybit")
            }
            options.exchange = exchange
        case "--live", "--testnet", "--demo":
            // Force unwrap: the three spellings above are exactly the enum's raw values with "--".
            let environment = RealEnvironment(rawValue: String(name.dropFirst(2)))!
            if let chosen = options.environment, chosen != environment {
                throw UsageError(message: "choose one of --live, --testnet and --demo, not --\(chosen) and \(name)")
            }
            options.environment = environment
        case "--trade":
            options.trade = true
        default:
            throw UsageError(message: "unknown argument '\(argument)'")
        }
        if inlineValue != nil && name != "--exchange" {
            throw UsageError(message: "\(name) takes no value")
        }
    }
    if options.trade && options.environment == nil && !options.showHelp {
        throw UsageError(
            message: "--trade needs --live, --testnet or --demo (the simulated run always trades, with play money)")
    }
    return options
}

/// `--exchange=bybit` → (`--exchange`, `bybit`); anything else → (argument, nil).
private func splitInlineValue(_ argument: String) -> (String, String?) {
    guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
    return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
}
