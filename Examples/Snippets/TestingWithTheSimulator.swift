// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift samples of Documentation/TestingWithTheSimulator.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function marked `// sample`, so that it compiles without running. Imports are at the top. Keep the
// two in step: TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

@Test func aLimitBuyBelowTheMarketRestsOnTheBook() async throws {
    let simulator = SimulatedExchange.standard(for: .binance)
    // A real BinanceClient, its key (the simulator's trade-only one) verified with .tradeOnly.
    let client = try await simulator.client(for: Binance.self)

    let symbol = Symbol("BTC/USDT")
    let btc = try await client.instrument(symbol)
    let bestBid = try #require(try await client.orderBook(symbol, depth: 5).bestBid?.price)
    let order = btc.rounded(.limit(.buy, symbol, quantity: Decimal(exactly: "0.001")!, price: bestBid - 1_000))

    let placed = try await client.place(order)
    #expect(placed.status == .new)
    let open = try await client.openOrders(for: symbol)
    #expect(open.contains { $0.exchangeOrderID == placed.exchangeOrderID })
    #expect(await simulator.openOrders().count == 1)   // the simulator's own view agrees
}

@Test func aWithdrawEnabledKeyIsRefused() async throws {
    let simulator = SimulatedExchange.standard(for: .binance)
    // Read, spot trade and withdraw, bound to the address the in-process transport reports.
    await simulator.addKey(SimulatedKey(
        apiKey: "testKeyThatCanWithdraw0001", secret: "test-secret-1",
        permissions: [.read, .spotTrade, .withdraw], ipWhitelist: ["127.0.0.1"]))
    let binance = try simulator.connection(for: Binance.self)
    let credentials = try Credentials(apiKey: "testKeyThatCanWithdraw0001", secret: Secret("test-secret-1"))
    do {
        _ = try await SafeKey.verify(credentials, using: binance.keyInspector)
        Issue.record("a withdraw-enabled key was accepted")
    } catch let error as ExchangeError {
        #expect(error.kind == .unsafeKey)
        #expect(error.keyReport?.permissions.contains(.withdraw) == true)
    }
}

@Test func aRestingBuyFillsWhenThePriceFallsThroughIt() async throws {
    let simulator = SimulatedExchange.standard(for: .bybit)
    let client = try await simulator.client(for: Bybit.self)

    let symbol = Symbol("BTC/USDT")
    let buy = try await client.place(.limit(.buy, symbol, quantity: Decimal(exactly: "0.001")!, price: 64_000))
    #expect(try await client.order(buy.reference).status == .new)

    await simulator.setPrice(63_900, for: symbol)   // the ask is now under 64 000: the buy fills
    let filled = try await client.order(buy.reference)
    #expect(filled.status == .filled)
    #expect(filled.averagePrice == 64_000)
    #expect(try await client.fills(for: symbol).count == 1)
}

@Test func aLostAnswerNeverPlacesTheOrderTwice() async throws {
    let simulator = SimulatedExchange.standard(for: .binance)
    await simulator.setFaultPlan(
        FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST")))
    let client = try await simulator.client(for: Binance.self)

    let id = ClientOrderID.generate()
    let placed = try await client.place(
        .limit(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001")!, price: 60_000, clientOrderID: id))
    #expect(placed.hasClientOrderID(id))
    #expect(await simulator.faultsInjected == 1)
    #expect(await simulator.orders(withClientOrderID: id.rawValue).count == 1)
}

func testingWithTheSimulatorOverTradeOnlySim() async throws {  // sample
    let binance = Binance(
        environment: .local(URL(string: "http://127.0.0.1:8080")!),
        transport: URLSessionTransport()
    )
    do {
        let credentials = try Credentials.environment(prefix: "SIM")   // SIM_API_KEY, SIM_API_SECRET
        let key = try await SafeKey.verify(credentials, using: binance.keyInspector)
        let client = binance.client(key)
        print(try await client.balances())
    } catch {
        print(error)   // the environment variable SIM_API_KEY is not set: …
        exit(1)
    }
}  // sample

@Test func theBotTalksToTheSimulatorOverASocket() async throws {
    let server = SimulatorServer(exchange: .standard(for: .bybit), dialect: .bybit)
    try server.start()
    defer { server.stop() }

    let bybit = Bybit(environment: .local(server.baseURL), transport: URLSessionTransport())
    let simulatedKey = SimulatedExchange.standardTradeKey
    let credentials = try Credentials(apiKey: simulatedKey.apiKey, secret: Secret(simulatedKey.secret))
    let client = bybit.client(try await SafeKey.verify(credentials, using: bybit.keyInspector))
    #expect(try await client.balances().contains { $0.asset == "USDT" })
}
