// `--live`, `--testnet`, `--demo`: the same first steps with YOUR key on the real exchange.
//
// Read-only unless `--trade` is given. Credentials come from the environment, never from arguments
// (arguments show up in shell history and in `ps`).
import Foundation
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit

/// Verifies the user's key on a real exchange, reads market and account data, and with `trade`
/// places and cancels one small order.
func checkRealKey(on exchange: ExchangeName, in environment: RealEnvironment, trade: Bool) async throws {
    let prefix = exchange.environmentPrefix
    print("TradeOnly demo: your \(exchange.title) key, \(environment) environment")
    print(
        "(credentials from \(prefix)_API_KEY and \(prefix)_API_SECRET; \(trade ? "--trade: ONE order will be placed and cancelled" : "read-only: nothing is traded"))"
    )
    let credentials = try Credentials.environment(prefix: prefix)

    // Only the transport talks to the network: it never follows redirects and refuses plain http.
    let transport = URLSessionTransport()
    var policy = KeyPolicy.tradeOnly
    if trade { policy = policy.requiring([.spotTrade]) }

    switch exchange {
    case .binance:
        let binance: Binance
        switch environment {
        case .live: binance = Binance(environment: .live, transport: transport)
        case .testnet: binance = Binance(environment: .testnet, transport: transport)
        case .demo: binance = Binance(environment: .demo, transport: transport)
        }
        if environment != .live {
            // Binance's spot testnet has no /sapi, so it cannot say what a key may do (demo trading
            // may not either). Accepting such a key must be said out loud; the SafeKey records why.
            policy = policy.acceptingUnverifiable(
                reason: "Binance \(environment) key used by tradeonly-demo; it only reaches play money")
        }
        try await realRun(
            inspector: binance.keyInspector, client: binance.client, policy: policy,
            environment: environment, trade: trade, credentials: credentials)
    case .bybit:
        let bybit: Bybit
        switch environment {
        case .live: bybit = Bybit(environment: .live, transport: transport)
        case .testnet: bybit = Bybit(environment: .testnet, transport: transport)
        case .demo: bybit = Bybit(environment: .demo, transport: transport)
        }
        try await realRun(
            inspector: bybit.keyInspector, client: bybit.client, policy: policy,
            environment: environment, trade: trade, credentials: credentials)
    }
}

/// The real-exchange run, against the protocols only.
func realRun<Client: ExchangeClient>(
    inspector: some KeyInspector,
    client makeClient: (SafeKey) -> Client,
    policy: KeyPolicy,
    environment: RealEnvironment,
    trade: Bool,
    credentials: Credentials
) async throws {
    section(1, "Your key, checked with SafeKey.verify")
    say("\(credentials.maskedAPIKey), policy: \(policy)")
    let key: SafeKey
    do {
        key = try await SafeKey.verify(credentials, using: inspector, policy: policy)
    } catch let error as ExchangeError where error.kind == .unsafeKey {
        say("REFUSED. The exchange reported:", indent: 2)
        if let report = error.keyReport {
            show(report, indent: 3)
            showProblems(of: report, under: policy, indent: 2)
        }
        say("Fix the key on the exchange's site and run this again; see Documentation/CreatingTradeOnlyKeys.md.", indent: 2)
        throw DemoFailure("the key was refused")
    }
    say("ACCEPTED: \(key)", indent: 2)
    say("\(key.verification)", indent: 2)
    show(key.report, indent: 2)
    let client = makeClient(key)

    section(2, "Market and account data (read-only)")
    let symbol: Symbol = "BTC/USDT"
    let btc = try await client.instrument(symbol)
    say("instrument: \(btc)")
    let ticker = try await client.ticker(symbol)
    say("ticker:     \(ticker)")
    say("balances:")
    showBalances(try await client.balances(), indent: 2)
    let open = try await client.openOrders(for: symbol)
    say("open orders on \(symbol): \(open.count)")
    for order in open {
        say(order.description, indent: 2)
    }

    guard trade else {
        print("")
        print("Read-only run finished: nothing was traded. Add --trade to place and cancel one small order.")
        return
    }

    section(3, "--trade: one post-only limit buy, cancelled right away")
    guard let bestBid = try await client.orderBook(symbol, depth: 5).bestBid?.price else {
        throw DemoFailure("the order book of \(symbol) is empty")
    }
    // 20 % under the best bid, so it rests on the book; post-only, so it can never take liquidity.
    let price = (bestBid * 80 / 100).rounded(toMultipleOf: btc.tickSize, rule: .down)
    // The smallest size the rules allow: the minimum notional with 10 % to spare, rounded UP to the
    // step (rounding down could fall under the minimum), and at least the minimum quantity.
    let notional = (btc.minimumNotional ?? 0) * 110 / 100
    let quantity = max(notional / price, btc.minimumQuantity).rounded(toMultipleOf: btc.quantityStep, rule: .up)
    let order = btc.rounded(
        .limit(
            .buy, symbol, quantity: quantity, price: price, postOnly: true,
            clientOrderID: ClientOrderID.generate()))
    try btc.validate(order)
    say("placing ONE real order on the \(environment) exchange: \(order)")
    say("worth \(btc.notional(price: price, quantity: order.quantity).plainString) \(btc.quoteAsset)", indent: 2)
    if environment == .live {
        say("live money: starting in 5 seconds, press Ctrl-C to stop", indent: 2)
        try await Task.sleep(for: .seconds(5))
    }
    let placed: Order
    do {
        placed = try await client.place(order)
    } catch let error as ExchangeError where error.kind == .outcomeUnknown {
        // The client already asked the exchange for the order by its id and could not tell.
        say(
            "THE OUTCOME IS UNKNOWN: the order may exist. Look for client order id \(error.clientOrderID?.rawValue ?? "?") on the exchange and cancel it."
        )
        throw error
    }
    say("placed:    \(placed)")
    do {
        let cancelled = try await client.cancel(placed)
        say("cancelled: \(cancelled)")
    } catch {
        say("THE CANCEL FAILED: the order may still be open. Cancel it on the exchange: \(placed.reference)")
        throw error
    }
    print("")
    print("Done: one order placed and cancelled.")
}
