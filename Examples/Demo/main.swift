// tradeonly-demo: the README's main command.
//
//   swift run tradeonly-demo                      the whole story against the embedded simulator
//   swift run tradeonly-demo --exchange bybit     the same with Bybit's wire protocol
//   swift run tradeonly-demo --testnet            check YOUR key on Binance's spot testnet, read-only
//
// Exit status: 0 success, 1 failure, 2 bad arguments.
import Foundation

let options: Options
do {
    options = try parseOptions(Array(CommandLine.arguments.dropFirst()))
} catch {
    printError("tradeonly-demo: \(error.message)\n\n\(usage)")
    exit(2)
}
if options.showHelp {
    print(usage)
    exit(0)
}

do {
    if let environment = options.environment {
        try await checkRealKey(on: options.exchange, in: environment, trade: options.trade)
    } else {
        try await runSimulatedTour(on: options.exchange)
    }
} catch {
    // ExchangeError, CredentialsError and DemoFailure all describe themselves in plain words, and
    // never include a secret.
    printError("tradeonly-demo failed: \(error)")
    exit(1)
}
