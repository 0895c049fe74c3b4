// tradeonly-sim: a simulated exchange over HTTP on 127.0.0.1, for developing and testing trade bots
// without risking money.
//
//   tradeonly-sim --exchange binance|bybit [--port N] [--api-key K --api-secret S] [--state FILE] [--random-walk SEED]
//
// The first line of output is exactly `listening on http://127.0.0.1:PORT`; then the keys it accepts.
// It runs until SIGINT or SIGTERM and exits 0. Bad arguments print the usage on stderr and exit 2.
import Foundation
import TradeOnly
import TradeOnlySimulator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let usage = """
    usage: tradeonly-sim --exchange binance|bybit [--port N] [--api-key KEY --api-secret SECRET] [--state FILE]
                         [--random-walk SEED]

    Serves a simulated exchange (its real wire protocol, signatures checked, balances, matching engine)
    over HTTP on 127.0.0.1. Nothing here touches a real exchange or real money.

    options:
      --exchange NAME      the wire protocol: binance (spot, USDⓈ-M futures, /sapi) or bybit (v5)
      --port N             the port; 0 (the default) picks a free one
      --api-key KEY        add a trade-only key (read, spot and futures trade) with this api key...
      --api-secret SECRET  ...and this secret (both or neither)
      --state FILE         start from a JSON state (instruments, prices, balances, keys) instead of
                           the standard one (BTC/USDT, ETH/USDT spot and perpetuals, 100 000 USDT)
      --random-walk SEED   move prices every second by a deterministic random walk (up to 0.1 % a step)
      -h, --help           show this help

    The first line printed is `listening on http://127.0.0.1:PORT`. Stop it with Ctrl-C (SIGINT) or SIGTERM.
    """

struct Options {
    var dialect: Dialect?
    var port: UInt16 = 0
    var apiKey: String?
    var apiSecret: String?
    var stateFile: String?
    var walkSeed: UInt64?
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tradeonly-sim: \(message)\n\n\(usage)\n".utf8))
    exit(2)
}

func parse(_ arguments: [String]) -> Options {
    var options = Options()
    var index = 0
    func value(for name: String) -> String {
        index += 1
        guard index < arguments.count else { fail("\(name) needs a value") }
        return arguments[index]
    }
    while index < arguments.count {
        let argument = arguments[index]
        switch argument {
        case "-h", "--help":
            print(usage)
            exit(0)
        case "--exchange":
            let name = value(for: argument)
            guard let dialect = Dialect(name: name) else { fail("unknown exchange '\(name)' (binance or bybit)") }
            options.dialect = dialect
        case "--port":
            let text = value(for: argument)
            guard let port = UInt16(text) else { fail("--port must be a number from 0 to 65535") }
            options.port = port
        case "--api-key":
            options.apiKey = value(for: argument)
        case "--api-secret":
            options.apiSecret = value(for: argument)
        case "--state":
            options.stateFile = value(for: argument)
        case "--random-walk":
            let text = value(for: argument)
            guard let seed = UInt64(text) else { fail("--random-walk needs a whole number seed") }
            options.walkSeed = seed
        default:
            fail("unknown argument '\(argument)'")
        }
        index += 1
    }
    guard options.dialect != nil else { fail("--exchange is required") }
    if (options.apiKey == nil) != (options.apiSecret == nil) {
        fail("--api-key and --api-secret go together")
    }
    for value in [options.apiKey, options.apiSecret].compactMap({ $0 }) {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            fail("--api-key and --api-secret must be printable ASCII without spaces")
        }
    }
    return options
}

let options = parse(Array(CommandLine.arguments.dropFirst()))
let dialect = options.dialect ?? .binance

var state: SimulatorState
var printableSecrets: Set<String> = []
if let file = options.stateFile {
    do {
        state = try SimulatorState.decode(from: Data(contentsOf: URL(fileURLWithPath: file)))
    } catch {
        fail("cannot read the state file \(file): \(error)")
    }
} else {
    state = SimulatedExchange.standardState(for: dialect)
    printableSecrets.formUnion(state.keys.map(\.apiKey))
}
if let apiKey = options.apiKey, let secret = options.apiSecret {
    state.keys.append(SimulatedKey.tradeOnly(apiKey: apiKey, secret: secret))
    printableSecrets.insert(apiKey)
}

let exchange = SimulatedExchange(state: state)
let server = SimulatorServer(exchange: exchange, dialect: dialect, port: options.port)
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("tradeonly-sim: cannot listen on 127.0.0.1:\(options.port): \(error)\n".utf8))
    exit(1)
}

print("listening on http://127.0.0.1:\(server.port)")
print("exchange: \(dialect.name) (simulated; no real exchange, no real money)")
print("keys accepted (SIMULATOR CREDENTIALS, made up; never put real keys here):")
for key in state.keys {
    let permissions = key.permissions.map(\.name).sorted().joined(separator: ", ")
    print("  api key:    \(key.apiKey)")
    if printableSecrets.contains(key.apiKey) {
        print("  api secret: \(key.secret)")
    } else {
        print("  api secret: (from the state file, not shown)")
    }
    print("  can:        \(permissions)\(key.isReadOnly ? " (read-only)" : "")")
    if !key.ipWhitelist.isEmpty {
        print("  from IPs:   \(key.ipWhitelist.joined(separator: ", "))")
    }
}
if let seed = options.walkSeed {
    print("prices: random walk, seed \(seed), one step a second")
}
print("stop with Ctrl-C")
fflush(nil)

var signalSources: [DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        server.stop()
        print("stopped")
        fflush(nil)
        exit(0)
    }
    source.resume()
    signalSources.append(source)
}
var walkTimer: DispatchSourceTimer?
if let seed = options.walkSeed {
    let timer = DispatchSource.makeTimerSource(queue: .main)
    timer.schedule(deadline: .now() + 1, repeating: 1)
    timer.setEventHandler {
        Task { await exchange.stepRandomWalk() }
    }
    Task {
        await exchange.startRandomWalk(RandomWalk(seed: seed))
        timer.resume()
    }
    walkTimer = timer
}
dispatchMain()
