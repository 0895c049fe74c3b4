import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Reconciliation: unknown outcomes are settled by asking, never by sending twice")
struct ReconciliationTests {
    /// A harness with Bybit's default reconciliation (10 s, longer than the 5 s receive window + 1 s).
    func harness(reconciliation: ReconciliationPolicy = .standard) -> BybitHarness {
        let harness = BybitHarness(configuration: Bybit.Configuration(reconciliation: reconciliation))
        harness.answeringInstruments()
        return harness
    }

    let id = (try? ClientOrderID("test-000005")) ?? ClientOrderID.generate()
    let symbol: Symbol = "ETH/USDT:USDT"

    func order() -> OrderRequest {
        .limit(.buy, symbol, quantity: .exact("0.10"), price: 1600, clientOrderID: id)
    }

    @Test("every placement is journalled: placed with its exchange id, or rejected with the kind")
    func placedAndRejected() async throws {
        let harness = harness()
        harness.on(
            .post, "/v5/order/create", .payload("order-create.json"), .response(HTTPResponse.bybitError(110007, "ab not enough for new order")))
        let client = try await harness.client()
        let placed = try await client.place(order())
        let entry = try #require(client.journal.entry(for: id))
        #expect(entry.state == .placed(exchangeOrderID: placed.exchangeOrderID, status: .new))
        #expect(entry.symbol == symbol)
        #expect(entry.exchange == "bybit")
        let other = try ClientOrderID("rejected-1")
        let error = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, symbol, quantity: .exact("0.10"), price: 1600, clientOrderID: other))
        }
        #expect(error?.kind == .insufficientFunds)
        #expect(error?.symbol == symbol)
        #expect(client.journal.entry(for: other)?.state == .rejected(.insufficientFunds))
        #expect(client.journal.unknownOrders.isEmpty)
    }

    @Test("a lost answer and no trace once the receive window has passed: not placed, safe to place again; one POST")
    func notPlacedAfterReceiveWindow() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/create", .failure(TradingTests.timeout))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        let start = harness.time.now()
        let error = await ExchangeError.caught { _ = try await client.place(order()) }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(error?.clientOrderID == id)
        #expect(error?.symbol == symbol)
        #expect(client.journal.entry(for: id)?.state == .notPlaced)
        #expect(harness.sent(.post, "/v5/order/create").count == 1)
        // It asked until the 5 s window and the 1 s margin had passed, on the test clock.
        #expect(harness.time.now().timeIntervalSince(start) >= 6)
    }

    @Test("an order left unknown is settled later with reconcile(_:), its market taken from the journal")
    func reconcileFromJournal() async throws {
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        harness.on(.post, "/v5/order/create", .failure(TradingTests.timeout))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        let error = await ExchangeError.caught { _ = try await client.place(order()) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(client.journal.unknownOrders.map(\.clientOrderID) == [id])
        #expect(client.journal.entry(for: id)?.state == .unknown)

        // Bybit shows the order now.
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime.json"))
        let found = try await client.reconcile(id)
        #expect(found.exchangeOrderID == "fd4300ae-7847-404e-b947-b46980a4d140")
        #expect(client.journal.entry(for: id)?.state == .placed(exchangeOrderID: found.exchangeOrderID, status: .new))
        #expect(client.journal.unknownOrders.isEmpty)
        #expect(harness.sent(.post, "/v5/order/create").count == 1, "reconcile never places anything")
    }

    @Test("reconcile after a restart: not found once the receive window has passed is orderNotFound")
    func reconcileAfterRestart() async throws {
        let harness = harness()
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        #expect(client.journal.entry(for: id) == nil)
        let start = harness.time.now()
        let error = await ExchangeError.caught { _ = try await client.reconcile(id, on: symbol) }
        #expect(error?.kind == .orderNotFound)
        #expect(error?.clientOrderID == id)
        #expect(error?.symbol == symbol)
        #expect(harness.time.now().timeIntervalSince(start) >= 6)
        #expect(client.journal.entry(for: id)?.state == .notPlaced)
        #expect(harness.sent(.post, "/v5/order/create").isEmpty)
    }

    @Test("reconcile that cannot decide before its deadline: outcomeUnknown, journalled as unknown")
    func reconcileUndecided() async throws {
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        harness.on(.get, "/v5/order/realtime", .failure(TradingTests.timeout))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        let error = await ExchangeError.caught { _ = try await client.reconcile(id, on: symbol) }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.retry == .reconcileFirst)
        #expect(client.journal.unknownOrders.map(\.clientOrderID) == [id])
    }

    @Test("reconcile without a symbol for an order the journal does not know, or with an unlisted symbol: invalidRequest")
    func reconcileUnknownSymbol() async throws {
        let harness = harness()
        let client = try await harness.client()
        let missing = await ExchangeError.caught { _ = try await client.reconcile(id) }
        #expect(missing?.kind == .invalidRequest)
        #expect(harness.sent.isEmpty)
        let unlisted = await ExchangeError.caught { _ = try await client.reconcile(id, on: "NOPE/USDT:USDT") }
        #expect(unlisted?.kind == .invalidRequest)
        let inverse = await ExchangeError.caught { _ = try await client.reconcile(id, on: "BTC/USD:BTC") }
        #expect(inverse?.kind == .invalidRequest)
        #expect(harness.sent(.get, "/v5/order/realtime").isEmpty)
    }

    @Test("a timeout after sending: one POST, then the order is found by orderLinkId")
    func timeoutReconciled() async throws {
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        harness.on(.post, "/v5/order/create", .failure(TradingTests.timeout))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"), .payload("order-realtime.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        let order = try await client.place(
            .limit(
                .buy, "ETH/USDT:USDT", quantity: .exact("0.10"), price: 1600, clientOrderID: try ClientOrderID("test-000005")))
        #expect(order.exchangeOrderID == "fd4300ae-7847-404e-b947-b46980a4d140")
        #expect(order.status == .new)
        #expect(harness.sent(.post, "/v5/order/create").count == 1)
        let lookups = harness.sent(.get, "/v5/order/realtime")
        #expect(lookups.count == 2)
        #expect(
            lookups.first?.url.absoluteString
                == "https://api-testnet.bybit.com/v5/order/realtime?category=linear&orderLinkId=test-000005&symbol=ETHUSDT")
        try BybitHarness.expectSignedHeaders(
            try #require(lookups.first), timestamp: "1672211928338",
            payload: "category=linear&orderLinkId=test-000005&symbol=ETHUSDT")
    }

    @Test("a timeout and no trace of the order: outcomeUnknown carrying the id, still one POST")
    func timeoutUnknown() async throws {
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        harness.on(.post, "/v5/order/create", .failure(TradingTests.timeout))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let client = try await harness.client()
        let error = await ExchangeError.caught {
            _ = try await client.place(
                .limit(
                    .buy, "ETH/USDT:USDT", quantity: 1, price: 1600, clientOrderID: try ClientOrderID("lost-1")))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.clientOrderID?.rawValue == "lost-1")
        #expect(error?.retry == .reconcileFirst)
        #expect(harness.sent(.post, "/v5/order/create").count == 1)
        #expect(harness.sent(.get, "/v5/order/history").count >= 1)
    }

    @Test("Bybit's own timeout codes and a 5xx reconcile the same way; a rejection does not")
    func serverSideUnknown() async throws {
        for reply in [
            BybitHarness.Reply.response(HTTPResponse.bybitError(10016)), .response(HTTPResponse.bybitError(170146)),
            .response(HTTPResponse(status: 502, body: Data("<html>502</html>".utf8))),
        ] {
            let harness = harness(reconciliation: BybitHarness.fastReconciliation)
            harness.on(.post, "/v5/order/create", reply)
            harness.on(.get, "/v5/order/realtime", .payload("order-realtime.json"))
            let client = try await harness.client()
            let order = try await client.place(
                .limit(
                    .buy, "ETH/USDT:USDT", quantity: .exact("0.1"), price: 1600, clientOrderID: try ClientOrderID("test-000005")))
            #expect(order.clientOrderID == "test-000005")
            #expect(harness.sent(.post, "/v5/order/create").count == 1)
        }
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        harness.on(.post, "/v5/order/create", .payload("error-110007.json"))
        let client = try await harness.client()
        let error = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "ETH/USDT:USDT", quantity: 1, price: 1600))
        }
        #expect(error?.kind == .insufficientFunds)
        #expect(error?.clientOrderID != nil)
        #expect(harness.sent(.get, "/v5/order/realtime").isEmpty)
    }

    @Test("10002: one clock resync and one re-signed retry with a fresh timestamp")
    func clockRetry() async throws {
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        let calls = LockedValue(0)
        let time = harness.time
        harness.on(
            .post, "/v5/order/create",
            .handler { _ in
                let call = calls.withLock { value -> Int in
                    value += 1
                    return value
                }
                if call == 1 {
                    time.advance(by: 2)
                    return try payloads.response("error-10002.json")
                }
                return try payloads.response("order-create.json")
            })
        let client = try await harness.client()
        let before = harness.timeRequests
        _ = try await client.place(
            .limit(
                .buy, "BTC/USDT:USDT", quantity: .exact("0.01"), price: 30_000, clientOrderID: try ClientOrderID("bot-2")))
        let posts = harness.sent(.post, "/v5/order/create")
        #expect(posts.count == 2)
        #expect(posts[0].body == posts[1].body)
        #expect(posts[0].headers["X-BAPI-TIMESTAMP"] == "1672211928338")
        #expect(posts[1].headers["X-BAPI-TIMESTAMP"] == "1672211930338")
        #expect(posts[0].headers["X-BAPI-SIGN"] != posts[1].headers["X-BAPI-SIGN"])
        try BybitHarness.expectSignedHeaders(posts[1], timestamp: "1672211930338", payload: BybitHarness.body(posts[1]))
        #expect(harness.timeRequests > before, "the clock was resynchronised before the retry")
    }

    @Test("a cancel whose outcome is unknown is settled by reading the order until it is final")
    func cancelUnknown() async throws {
        let harness = harness(reconciliation: BybitHarness.fastReconciliation)
        harness.on(.post, "/v5/order/cancel", .failure(TradingTests.timeout))
        harness.on(
            .get, "/v5/order/realtime", .payload("order-realtime.json"),
            .response(try TradingTests.orderPage("order-realtime.json", status: "Cancelled")))
        let client = try await harness.client()
        let order = try await client.cancel(.clientID(try ClientOrderID("test-000005"), on: "ETH/USDT:USDT"))
        #expect(order.status == .cancelled)
        #expect(harness.sent(.post, "/v5/order/cancel").count == 1)

        harness.on(.get, "/v5/order/realtime", .payload("order-realtime.json"))
        let error = await ExchangeError.caught {
            _ = try await client.cancel(.clientID(try ClientOrderID("test-000005"), on: "ETH/USDT:USDT"))
        }
        #expect(error?.kind == .outcomeUnknown)
        #expect(error?.message.contains("cancelling it again is safe") == true)
    }
}
