// The demo's main story, against the simulator embedded in this program.
//
// `SimulatedExchange` speaks Binance's and Bybit's real wire formats, checks signatures and
// timestamps, enforces each key's permissions, keeps balances and matches orders. Its in-process
// transport hands it every request directly: no socket, no network. Everything after the set-up
// below is the code you would run against the real exchange.
import Foundation
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

/// Sets up the simulator and the exchange module, then tells the story.
func runSimulatedTour(on exchange: ExchangeName) async throws {
    let started = ContinuousClock.now
    let dialect: Dialect = exchange == .binance ? .binance : .bybit
    // BTC/USDT and ETH/USDT, spot and perpetual; 100 000 USDT, 1 BTC, 10 ETH; two keys.
    let simulator = SimulatedExchange.standard(for: dialect)
    // The simulator hands out the real exchange values (`Binance`, `Bybit`), whose every request it
    // answers in process: no URL to make up, nothing dialled. The tour verifies the keys itself.

    print("TradeOnly demo: \(exchange.title), against the simulated exchange built into this program")
    print("(no network, no real keys, no real money)")

    switch exchange {
    case .binance:
        let binance = try simulator.connection(for: Binance.self)
        try await tour(
            inspector: binance.keyInspector, client: binance.client, simulator: simulator,
            withdrawal: ExchangeRequest(
                method: .post, path: "/sapi/v1/capital/withdraw/apply",
                parameters: ["coin": "USDT", "address": "TJDENsfBJs4RFETt1X1W8wMDc8M5XnJhCe", "amount": "1000"],
                security: .signed))
    case .bybit:
        let bybit = try simulator.connection(for: Bybit.self)
        try await tour(
            inspector: bybit.keyInspector, client: bybit.client, simulator: simulator,
            withdrawal: ExchangeRequest(
                method: .post, path: "/v5/asset/withdraw/create",
                parameters: [
                    "coin": "USDT", "chain": "TRX", "address": "TJDENsfBJs4RFETt1X1W8wMDc8M5XnJhCe", "amount": "1000",
                ],
                security: .signed))
    }

    let elapsed = ContinuousClock.now - started
    print("")
    print("Done in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))).")
}

/// The story, written against TradeOnly's protocols only: it would run unchanged on the real exchange.
///
/// - Parameters:
///   - inspector: The exchange module's key inspector (`binance.keyInspector`).
///   - client: Makes a client for a verified key (`binance.client`).
///   - simulator: Only to read its two made-up keys and count the requests it received.
///   - withdrawal: The exchange's withdrawal request, to show that it is never signed.
func tour<Client: ExchangeClient>(
    inspector: some KeyInspector,
    client makeClient: (SafeKey) -> Client,
    simulator: SimulatedExchange,
    withdrawal: ExchangeRequest
) async throws {
    // The policy every key must satisfy: read and trade, nothing that moves funds.
    let policy = KeyPolicy.tradeOnly

    section(1, "Two keys, checked with SafeKey.verify before any client exists")
    // The simulator's two made-up keys: one can withdraw, the other can only read and trade.
    let withdrawKey = SimulatedExchange.standardWithdrawKey
    let riskyCredentials = try Credentials(apiKey: withdrawKey.apiKey, secret: Secret(withdrawKey.secret))
    say("\(riskyCredentials.maskedAPIKey) (\(withdrawKey.note))")
    do {
        _ = try await SafeKey.verify(riskyCredentials, using: inspector, policy: policy)
        throw DemoFailure("a key that can withdraw was accepted")
    } catch let error as ExchangeError where error.kind == .unsafeKey {
        // The refusal carries what the exchange reported, so the report can be shown as it is.
        say("REFUSED by SafeKey.verify (\(error.kind)). The exchange reported:", indent: 2)
        if let report = error.keyReport {
            show(report, indent: 3)
            showProblems(of: report, under: policy, indent: 2)
        } else {
            say(error.message, indent: 3)
        }
    }

    let tradeKey = SimulatedExchange.standardTradeKey
    let credentials = try Credentials(apiKey: tradeKey.apiKey, secret: Secret(tradeKey.secret))
    say("\(credentials.maskedAPIKey) (\(tradeKey.note))")
    let key = try await SafeKey.verify(credentials, using: inspector, policy: policy)
    say("ACCEPTED: \(key)", indent: 2)
    say("printing the key shows the masked API key, never the secret", indent: 2)

    // Only a SafeKey makes a client that signs requests.
    let client = makeClient(key)

    section(2, "Market data")
    let instruments = try await client.instruments(.spot)
    say("\(client.exchangeName) lists \(instruments.count) spot instruments:")
    for instrument in instruments {
        say(instrument.description, indent: 2)
    }
    let symbol: Symbol = "BTC/USDT"
    let btc = try await client.instrument(symbol)
    say("ticker:     \(try await client.ticker(symbol))")
    let book = try await client.orderBook(symbol, depth: 5)
    guard let bestBid = book.bestBid?.price, let bestAsk = book.bestAsk?.price else {
        throw DemoFailure("the order book of \(symbol) is empty")
    }
    say("order book: best bid \(bestBid.plainString), best ask \(bestAsk.plainString)")

    section(3, "A limit buy, rounded to the instrument's rules, shown open, then cancelled")
    // Money is Decimal. Integer literals are exact; so is dividing by them.
    let budget: Decimal = 25 // USDT to spend
    let wantedPrice = bestBid * 79 / 100 // 21 % under the best bid: it rests on the book
    let wantedQuantity = budget / wantedPrice // many more digits than the exchange accepts
    // Generate the client order id before placing and keep it: after a timeout it is the only way
    // to find the order again. (`place` generates one when you give none.)
    let id = ClientOrderID.generate()
    let wanted = OrderRequest.limit(.buy, symbol, quantity: wantedQuantity, price: wantedPrice, clientOrderID: id)
    say("wanted:  \(wanted)")
    // Quantity down to the step, a buy price down to the tick: never pay more or buy more than asked.
    let limitOrder = btc.rounded(wanted)
    say("rounded: \(limitOrder)   (step \(btc.quantityStep.plainString), tick \(btc.tickSize.plainString))")
    // Checks every rule the exchange checks (minimum quantity and notional, …) before sending.
    try btc.validate(limitOrder)
    let placed = try await client.place(limitOrder)
    say("placed:  \(placed)")
    let open = try await client.openOrders(for: symbol)
    say("open orders on \(symbol): \(open.count)")
    for order in open {
        say(order.description, indent: 2)
    }
    // Found again by the client order id alone, as after a restart.
    let found = try await client.order(.clientID(id, on: symbol))
    say("by client order id \(id): \(found.status)")
    let cancelled = try await client.cancel(.clientID(id, on: symbol))
    say("cancelled: \(cancelled)")

    section(4, "A market buy")
    let marketQuantity = budget * 2 / bestAsk // about 50 USDT worth
    let marketOrder = btc.rounded(.market(.buy, symbol, quantity: marketQuantity))
    // A market order has no price: value it at the best ask so the minimum notional can be checked.
    try btc.validate(marketOrder, referencePrice: bestAsk)
    let accepted = try await client.place(marketOrder)
    say("placed:  \(accepted)")
    // Some exchanges answer a placement before it fills (Bybit returns only the id): ask again.
    let filled = try await client.order(accepted.reference)
    if filled != accepted {
        say("then:    \(filled)")
    }

    section(5, "Balances")
    showBalances(try await client.balances())

    section(6, "A raw request to a withdrawal endpoint, through the client's escape hatch")
    say("client.perform(\(withdrawal.method.rawValue) \(withdrawal.path), signed)")
    let requestsBefore = await simulator.requestCount
    do {
        _ = try await client.perform(withdrawal)
        throw DemoFailure("the withdrawal request was sent")
    } catch let error as ExchangeError where error.kind == .policyViolation {
        let received = await simulator.requestCount - requestsBefore
        say("\(error.kind): \(error.message)", indent: 2)
        say("requests the exchange received for it: \(received)", indent: 2)
        guard received == 0 else { throw DemoFailure("the exchange received the withdrawal request") }
    }
    print("")
    print("The key that can withdraw was refused; the trade-only key traded; the withdrawal was refused before signing.")
}

/// Something in the story went differently than TradeOnly promises.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
