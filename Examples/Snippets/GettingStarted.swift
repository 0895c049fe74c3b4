// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift samples of Documentation/GettingStarted.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function marked `// sample`, so that it compiles without running. Imports are at the top. Keep the
// two in step: TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

let quantity = Decimal(exactly: "0.00015")!   // exact; nil only for text that is not a number
let price: Decimal = 30_000                   // integer literals are exact
let fee = Decimal(15) / 10_000                // 0.0015: dividing by a power of ten is exact

func gettingStartedFirstOrderOnTheSimulator() async throws {  // sample
    struct EmptyOrderBook: Error {}

    // An exchange in this process: BTC/USDT and ETH/USDT spot and perpetuals at 65 000 and 3 500 USDT,
    // an account with 100 000 USDT, 1 BTC and 10 ETH, and two made-up keys.
    let simulator = SimulatedExchange.standard(for: .binance)
    // A real BinanceClient, whose requests the simulator answers in this process (nothing is dialled).
    // Its key, the simulator's trade-only one (read, spot and futures trade, nothing that moves funds),
    // was verified with Binance's key inspector and the .tradeOnly policy, as on the real exchange.
    let client = try await simulator.client(for: Binance.self)
    print(client)   // BinanceClient(local(http://stand-in.invalid), apiKey: simT…0001, permissions: […])

    let symbol = Symbol("BTC/USDT")
    let btc = try await client.instrument(symbol)
    print(btc)   // BTC/USDT (BTCUSDT, spot, trading) tick 0.01 step 0.00001 min 0.00001 … notional ≥ 5 …

    // A limit buy 20 % under the best bid, so it rests on the book instead of filling.
    guard let bestBid = try await client.orderBook(symbol, depth: 5).bestBid?.price else { throw EmptyOrderBook() }
    let price = bestBid * 80 / 100
    let order = btc.rounded(.limit(.buy, symbol, quantity: Decimal(exactly: "0.0002")!, price: price))
    try btc.validate(order)                   // names the broken rule, before anything is sent
    let placed = try await client.place(order)
    print(placed)                             // BUY 0.0002 BTC/USDT @ 51994.8 (limit, GTC) new 0/0.0002 #1 [to…]
    let cancelled = try await client.cancel(placed)
    print(cancelled.status)                   // cancelled
}  // sample

func gettingStartedVerifyOnBybitTestnet() async throws {  // sample
    let bybit = Bybit(environment: .testnet, transport: URLSessionTransport())
    do {
        let credentials = try Credentials.environment(prefix: "BYBIT")   // BYBIT_API_KEY, BYBIT_API_SECRET
        let key = try await SafeKey.verify(credentials, using: bybit.keyInspector, policy: .tradeOnly)
        print(key)
        print(key.report)
    } catch let error as ExchangeError where error.kind == .unsafeKey {
        print(error.message)                  // every problem, and how to fix it
        if let report = error.keyReport { print(report) }
        exit(1)
    } catch {
        print(error)                          // the environment variable BYBIT_API_KEY is not set: …
        exit(1)
    }
}  // sample

func gettingStartedAcceptABinanceTestnetKey() async throws {  // sample
    let binance = Binance(environment: .testnet, transport: URLSessionTransport())
    let policy = KeyPolicy.tradeOnly
        .requiring([.spotTrade])
        .acceptingUnverifiable(reason: "Binance spot testnet key, checked by hand")
    do {
        let credentials = try Credentials.environment(prefix: "BINANCE")
        let key = try await SafeKey.verify(credentials, using: binance.keyInspector, policy: policy)
        print(key.verification)   // accepted unverified at … because: Binance spot testnet key, checked by hand
    } catch {
        print(error)
        exit(1)
    }
}  // sample

func gettingStartedGoingLive() async throws {  // sample
    struct ConfigurationError: Error, CustomStringConvertible {
        let description: String
    }

    func connect() async throws -> BinanceClient {
        let binance: Binance
        var policy = KeyPolicy.tradeOnly.requiring([.spotTrade])
        switch ProcessInfo.processInfo.environment["BOT_ENVIRONMENT"] {
        case "testnet":
            binance = Binance(environment: .testnet, transport: URLSessionTransport())
            policy = policy.acceptingUnverifiable(reason: "Binance spot testnet key, checked by hand")
        case "live":
            binance = Binance(environment: .live, transport: URLSessionTransport())
            policy = policy.requiringIPWhitelist().requiringMinimumDaysToExpiry(14)
        default:
            throw ConfigurationError(description: "set BOT_ENVIRONMENT to testnet or live")
        }
        let credentials = try Credentials.file(atPath: "/etc/mybot/binance.key")
        let key = try await SafeKey.verify(credentials, using: binance.keyInspector, policy: policy)
        return binance.client(key)
    }

    do {
        let client = try await connect()
        print(client)   // BinanceClient(live, apiKey: vmPU…Eh8A, permissions: [read, spotTrade])
    } catch {
        print(error)    // set BOT_ENVIRONMENT to testnet or live
        exit(1)
    }
}  // sample
