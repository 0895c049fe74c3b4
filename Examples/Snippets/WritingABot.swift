// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift samples of Documentation/WritingABot.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function marked `// sample`, so that it compiles without running. Imports are at the top. Keep the
// two in step: TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import TradeOnly
import TradeOnlyBybit

/// Places `levels` post-only limit buys below the best bid, `spacing` apart.
func placeBuyLadder(
    on client: some MarketData & Trading,
    symbol: Symbol,
    levels: Int,
    spacing: Decimal,
    quantity: Decimal
) async throws -> [Order] {
    guard levels > 0 else { return [] }
    let instrument = try await client.instrument(symbol)
    guard let bestBid = try await client.orderBook(symbol, depth: 5).bestBid?.price else { return [] }
    var placed: [Order] = []
    for level in 1...levels {
        let price = bestBid - spacing * Decimal(level)
        let order = instrument.rounded(.limit(.buy, symbol, quantity: quantity, price: price, postOnly: true))
        try instrument.validate(order)
        placed.append(try await client.place(order))
    }
    return placed
}

func buyTheDip(on client: some MarketData & Trading) async throws {
    let quantity = Decimal(exactly: "0.0002")!
    let orders = try await placeBuyLadder(on: client, symbol: "BTC/USDT", levels: 3, spacing: 50, quantity: quantity)
    for order in orders { print(order) }
}

func placeTakeProfit(on client: some Trading) async throws -> Order {
    let id = ClientOrderID.generate()   // "to" + 22 letters and digits, accepted by every exchange
    // … write `id.rawValue` to the bot's state here, before sending …
    let order = OrderRequest.limit(
        .sell, "BTC/USDT", quantity: Decimal(exactly: "0.0002")!, price: 70_000, clientOrderID: id)
    _ = try await client.place(order)
    return try await client.order(.clientID(id, on: "BTC/USDT"))   // the same order, found by its id
}

/// A Bybit that keeps asking about an order of unknown outcome for 30 s before giving up.
func patientBybit() -> Bybit {
    var configuration = Bybit.Configuration()
    configuration.reconciliation = ReconciliationPolicy(deadline: 30, initialDelay: 0.5, maximumDelay: 5)
    return Bybit(environment: .testnet, transport: URLSessionTransport(), configuration: configuration)
}

func reading<T>(attempts: Int = 3, _ body: () async throws -> T) async throws -> T {
    var attempt = 1
    while true {
        do {
            return try await body()
        } catch let error as ExchangeError where attempt < attempts {
            switch error.retry {
            case .retry, .retryAfterClockSync: try await Task.sleep(for: .milliseconds(250 * attempt))
            case .retryAfter(let seconds): try await Task.sleep(for: .seconds(seconds))
            case .doNotRetry, .reconcileFirst: throw error
            }
            attempt += 1
        }
    }
}

func spotBalances(of client: some AccountData) async throws -> [Balance] {
    try await reading { try await client.balances() }
}

enum NextStep {
    case retryLater(after: Duration)       // the request did not execute
    case settle(clientOrderID: ClientOrderID?)  // it may have executed: look it up, never re-place
    case fixOrder(rule: Instrument.Rule?)  // refresh the instrument, change the order
    case reduceSize                        // not enough funds
    case stop(reason: String)              // needs a human: key, IP, ban, policy
}

/// `writing` is true after `place(_:)` or `cancel(_:)`: then an unclear answer means "find out first".
func nextStep(after error: ExchangeError, writing: Bool) -> NextStep {
    if error.kind == .banned {
        return .stop(reason: error.message)
    }
    let unclear: Set<ExchangeError.Kind> = [.outcomeUnknown, .exchangeUnavailable, .decoding]
    if writing && unclear.contains(error.kind) {
        return .settle(clientOrderID: error.clientOrderID)
    }
    switch error.retry {
    case .reconcileFirst:
        return .settle(clientOrderID: error.clientOrderID)
    case .retry, .retryAfterClockSync:
        return .retryLater(after: .seconds(1))
    case .retryAfter(let seconds):
        return .retryLater(after: .seconds(seconds))
    case .doNotRetry:
        switch error.kind {
        case .orderRejected, .invalidRequest: return .fixOrder(rule: error.rule)
        case .insufficientFunds: return .reduceSize
        default: return .stop(reason: error.message)
        }
    }
}

func writingABotLogToStandardError() async throws {  // sample
    let logger = TradeOnlyLogger(sink: ConsoleLogSink(.standardError), minimumLevel: .info)
    let bybit = Bybit(environment: .testnet, transport: URLSessionTransport(), logger: logger)
    do {
        // The key check and every client made by `bybit` log through the sink.
        let key = try await SafeKey.verify(try Credentials.environment(prefix: "BYBIT"), using: bybit.keyInspector)
        print(try await bybit.client(key).balances())
    } catch {
        print(error)
        exit(1)
    }
}  // sample
