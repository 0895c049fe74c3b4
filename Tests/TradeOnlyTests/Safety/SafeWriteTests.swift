import Testing
import TradeOnly

/// Places an order on a fake exchange through `OrderReconciliation.perform`, as a client module does:
/// `POST /api/v3/order` sends it; `GET /api/v3/order` looks it up (a body `found` is the order,
/// `missing` means the exchange does not know it, anything else cannot tell).
private func place(
    on exchange: FakeExchange, _ id: ClientOrderID, journal: OrderJournal? = nil,
    policy: ReconciliationPolicy = ReconciliationPolicy(deadline: 10, initialDelay: 0.2, maximumDelay: 2),
    receiveWindow: TimeInterval? = nil,
    decode: @escaping @Sendable (HTTPResponse, ClientOrderID) throws -> Order = { _, id in testOrder(id) }
) async throws -> Order {
    try await OrderReconciliation.perform(
        clientOrderID: id, exchange: FakeExchange.name, policy: policy, journal: journal, symbol: "BTC/USDT",
        receiveWindow: receiveWindow, timeSource: exchange.time, sleeper: exchange.sleeper,
        send: {
            let request = ExchangeRequest(
                method: .post, path: "/api/v3/order",
                parameters: ["symbol": "BTCUSDT", "newClientOrderId": id.rawValue], security: .signed)
            return try decode(try await exchange.pipeline.send(request), id)
        },
        lookup: { id in
            let request = ExchangeRequest(
                method: .get, path: "/api/v3/order", parameters: ["origClientOrderId": id.rawValue], security: .signed)
            let body = String(decoding: try await exchange.pipeline.send(request).body, as: UTF8.self)
            switch body {
            case "found": return testOrder(id, exchangeOrderID: "77")
            case "missing": return nil
            default: throw ExchangeError(.other, message: "cannot tell")
            }
        })
}

private let fastLookups = ReconciliationPolicy(deadline: 3, initialDelay: 0.2, maximumDelay: 1)

@Suite("Safe writes", .timeLimit(.minutes(1)))
struct SafeWriteTests {
    @Test("cancelling the task that places an order still delivers the order's answer, from one POST")
    func cancellationDuringPlacement() async throws {
        let release = ReleaseSwitch()
        let exchange = FakeExchange { request, _ in
            if request.method == .post {
                do { try await release.wait() } catch {
                    throw HTTPTransportError(kind: .cancelled, requestMayHaveBeenSent: true)
                }
                return FakeExchange.ok(#"{"orderId":42}"#)
            }
            return FakeExchange.ok("missing")
        }
        let journal = OrderJournal(timeSource: exchange.time)
        let id = try ClientOrderID("cancelDuringPost")
        let caller = Task { try await place(on: exchange, id, journal: journal) }
        try await waitUntil { exchange.requests(to: "/api/v3/order", method: .post).count == 1 }
        #expect(journal.entry(for: id)?.state == .sending)
        caller.cancel()
        try await Task.sleep(nanoseconds: 20_000_000) // room for a cancellation to reach the transport
        release.open()
        let order = try await caller.value
        #expect(order.exchangeOrderID == "42")
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 1)
        #expect(exchange.requests(to: "/api/v3/order", method: .get).isEmpty, "the POST's own answer decided")
        #expect(journal.entry(for: id)?.state == .placed(exchangeOrderID: "42", status: .new))
        #expect(journal.unknownOrders.isEmpty)
    }

    @Test("cancelling the task while its order is being reconciled still delivers the outcome")
    func cancellationDuringReconciliation() async throws {
        let release = ReleaseSwitch()
        let exchange = FakeExchange { request, _ in
            if request.method == .post { throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true) }
            do { try await release.wait() } catch {
                throw HTTPTransportError(kind: .cancelled, requestMayHaveBeenSent: true)
            }
            return FakeExchange.ok("found")
        }
        let journal = OrderJournal(timeSource: exchange.time)
        let id = try ClientOrderID("cancelDuringLookup")
        let caller = Task { try await place(on: exchange, id, journal: journal) }
        try await waitUntil { exchange.requests(to: "/api/v3/order", method: .get).count == 1 }
        caller.cancel()
        try await Task.sleep(nanoseconds: 20_000_000)
        release.open()
        let order = try await caller.value
        #expect(order.exchangeOrderID == "77")
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 1)
        #expect(journal.entry(for: id)?.state == .placed(exchangeOrderID: "77", status: .new))
    }

    @Test("a task cancelled before placing sends nothing and says so")
    func cancelledBeforeSending() async throws {
        let exchange = FakeExchange { _, _ in FakeExchange.ok() }
        let journal = OrderJournal()
        let id = try ClientOrderID("cancelledFirst")
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await place(on: exchange, id, journal: journal)
        }
        let error = await exchangeError { _ = try await caller.value }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(exchange.transport.requests.isEmpty)
        #expect(journal.entry(for: id)?.state == .notPlaced)
    }

    @Test("the journal records placements before sending and lists the undecided ones")
    func journalListsUnknownOrders() async throws {
        let placedID = try ClientOrderID("placed1")
        let rejectedID = try ClientOrderID("rejected1")
        let unknownID = try ClientOrderID("unknown1")
        let journal = OrderJournal()
        let sawSending = LockedValue(false)
        let exchange = FakeExchange { request, _ in
            let query = request.url.query ?? ""
            if request.method == .get { return FakeExchange.ok("missing") }
            if query.contains(placedID.rawValue) {
                sawSending.withLock { $0 = journal.entry(for: placedID)?.state == .sending }
                return FakeExchange.ok()
            }
            if query.contains(rejectedID.rawValue) { return FakeExchange.status(400) }
            throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)
        }
        _ = try await place(on: exchange, placedID, journal: journal)
        #expect(sawSending.current, "the entry existed, as sending, before the request left")
        let rejected = await exchangeError { _ = try await place(on: exchange, rejectedID, journal: journal) }
        #expect(rejected?.kind == .invalidRequest)
        #expect(rejected?.clientOrderID == rejectedID)
        let unknown = await exchangeError { _ = try await place(on: exchange, unknownID, journal: journal, policy: fastLookups) }
        #expect(unknown?.kind == .outcomeUnknown)
        #expect(unknown?.clientOrderID == unknownID)
        #expect(unknown?.symbol == Symbol("BTC/USDT"))
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 3)

        #expect(journal.entry(for: placedID)?.state == .placed(exchangeOrderID: "42", status: .new))
        #expect(journal.entry(for: rejectedID)?.state == .rejected(.invalidRequest))
        #expect(journal.entry(for: unknownID)?.state == .unknown)
        #expect(journal.unknownOrders.map(\.clientOrderID) == [unknownID])
        #expect(journal.unknownOrders.first?.symbol == Symbol("BTC/USDT"))
        #expect(journal.unknownOrders.first?.exchange == FakeExchange.name)

        // Settling it later (as client.reconcile will) takes it off the list.
        _ = try await OrderReconciliation.reconcile(
            unknownID, policy: fastLookups, journal: journal, timeSource: exchange.time, sleeper: exchange.sleeper,
            lookup: { id in testOrder(id, exchangeOrderID: "99", status: .filled) })
        #expect(journal.unknownOrders.isEmpty)
    }

    @Test("the journal keeps every undecided entry and the latest decided ones, trimming the oldest in batches")
    func journalCapacity() throws {
        let journal = OrderJournal(decidedCapacity: 2)
        let undecided = try ClientOrderID("keepMe")
        journal.record(.unknown, for: undecided, symbol: "ETH/USDT")
        for index in 0..<100 {
            journal.record(.notPlaced, for: try ClientOrderID("decided\(index)"))
            let ids = journal.entries.map(\.clientOrderID.rawValue)
            // Bounded: the capacity plus one batch (at least 16) plus the undecided entry.
            #expect(ids.count <= 2 + 16 + 1)
            #expect(ids.first == "keepMe")
            #expect(ids.last == "decided\(index)")
        }
        let ids = journal.entries.map(\.clientOrderID.rawValue)
        #expect(ids.contains("decided98") && ids.contains("decided99"))
        #expect(!ids.contains("decided0"), "the oldest decided entries are dropped")
        journal.remove(undecided)
        #expect(journal.unknownOrders.isEmpty)
    }

    @Test("an order found while reconciling is returned, after one POST")
    func foundWhileReconciling() async throws {
        let lookups = Counter()
        let exchange = FakeExchange { request, _ in
            if request.method == .post { return FakeExchange.status(502) }
            return FakeExchange.ok(lookups.next() < 3 ? "missing" : "found")
        }
        let order = try await place(on: exchange, try ClientOrderID("found1"))
        #expect(order.exchangeOrderID == "77")
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 1)
        #expect(lookups.count == 3)
    }

    @Test("an answer that cannot be read is reconciled, not reported as a rejection")
    func unreadableAnswerIsReconciled() async throws {
        let exchange = FakeExchange { request, _ in
            request.method == .post ? FakeExchange.ok("<html>gateway</html>") : FakeExchange.ok("found")
        }
        let order = try await place(on: exchange, try ClientOrderID("unreadable1")) { response, _ in
            struct Wire: Decodable { var orderId: Int }
            _ = try ResponseClassification.decode(Wire.self, from: response, exchange: FakeExchange.name, what: "order")
            Issue.record("decoding should have failed")
            throw ExchangeError(.other, message: "unreachable")
        }
        #expect(order.exchangeOrderID == "77")
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 1)
    }

    @Test("a write that certainly never left is reported as not placed, without lookups")
    func unsentWriteIsNotPlaced() async throws {
        let exchange = FakeExchange { request, _ in
            throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false)
        }
        let journal = OrderJournal()
        let id = try ClientOrderID("neverLeft")
        let error = await exchangeError { _ = try await place(on: exchange, id, journal: journal) }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(error?.clientOrderID == id)
        #expect(exchange.requests(to: "/api/v3/order", method: .get).isEmpty)
        #expect(journal.entry(for: id)?.state == .notPlaced)
    }

    @Test("with a receive window, 'not found' decides 'not placed' only once the window has passed")
    func notExecutableAfterTheWindow() async throws {
        let postedAt = LockedValue<Date?>(nil)
        let lookupTimes = LockedValue<[Date]>([])
        let exchange = FakeExchange { request, time in
            if request.method == .post {
                postedAt.withLock { $0 = time.now() }
                throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)
            }
            lookupTimes.withLock { $0.append(time.now()) }
            return FakeExchange.ok("missing")
        }
        let journal = OrderJournal()
        let id = try ClientOrderID("windowed1")
        let error = await exchangeError { _ = try await place(on: exchange, id, journal: journal, receiveWindow: 5) }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(error?.message.contains("safe to place it again") == true)
        #expect(error?.clientOrderID == id)
        #expect(error?.symbol == Symbol("BTC/USDT"))
        #expect(journal.entry(for: id)?.state == .notPlaced)

        let posted = try #require(postedAt.current)
        let times = lookupTimes.current
        let decisive = try #require(times.last)
        #expect(times.count > 1, "earlier 'not found' answers decided nothing")
        #expect(times.dropLast().allSatisfy { $0.timeIntervalSince(posted) < 5 + OrderReconciliation.receiveWindowMargin })
        #expect(decisive.timeIntervalSince(posted) >= 5 + OrderReconciliation.receiveWindowMargin)
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 1)
    }

    @Test("without a receive window, or with a deadline inside it, 'not found' stays unknown")
    func notFoundAloneDecidesNothing() async throws {
        let exchange = FakeExchange { request, _ in
            if request.method == .post { throw HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true) }
            return FakeExchange.ok("missing")
        }
        let journal = OrderJournal()
        let first = try ClientOrderID("noWindow1")
        let withoutWindow = await exchangeError { _ = try await place(on: exchange, first, journal: journal) }
        #expect(withoutWindow?.kind == .outcomeUnknown)
        let second = try ClientOrderID("shortDeadline1")
        let shortDeadline = await exchangeError {
            _ = try await place(on: exchange, second, journal: journal, policy: fastLookups, receiveWindow: 5)
        }
        #expect(shortDeadline?.kind == .outcomeUnknown)
        #expect(journal.unknownOrders.map(\.clientOrderID) == [first, second])
        #expect(exchange.requests(to: "/api/v3/order", method: .post).count == 2)
    }
}
