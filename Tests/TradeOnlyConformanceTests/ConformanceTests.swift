import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

/// The behaviour contract of the core protocols (``MarketData``, ``AccountData``, ``Trading``), checked
/// identically for every exchange module in ``ConformanceSubject/all``, against the simulator and
/// canned transports. Nothing here names an exchange module.
@Suite("Conformance: every exchange module keeps the core protocols' contract")
struct ConformanceTests {
    static let spot: Symbol = "BTC/USDT"
    static let perpetual: Symbol = "BTC/USDT:USDT"

    /// A resting limit buy 5 % under the bid, on the instrument's grid.
    static func restingBuy(on client: some ExchangeClient, clientOrderID: ClientOrderID? = nil) async throws -> OrderRequest {
        let instrument = try await client.instrument(spot)
        let ticker = try await client.ticker(spot)
        let bid = try #require(ticker.bidPrice ?? ticker.lastPrice)
        return instrument.rounded(
            .limit(
                .buy, spot, quantity: dec("0.001"), price: bid * dec("0.95"), clientOrderID: clientOrderID))
    }

    @Test("placement and query: the order by exchange id and by client order id, the journal's states", arguments: ConformanceSubject.all)
    func placementAndQuery(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        let id = try ClientOrderID("conf-place-1")
        let placed = try await client.place(try await Self.restingBuy(on: client, clientOrderID: id))
        #expect(placed.clientOrderID == id.rawValue)
        #expect(placed.symbol == Self.spot)
        let byExchangeID = try await client.order(placed.reference)
        let byClientID = try await client.order(.clientID(id, on: Self.spot))
        #expect(byExchangeID.exchangeOrderID == placed.exchangeOrderID)
        #expect(byClientID.exchangeOrderID == placed.exchangeOrderID)
        #expect(byClientID.status == .new)
        #expect(client.journal.entry(for: id)?.state == .placed(exchangeOrderID: placed.exchangeOrderID, status: placed.status))
        #expect(client.journal.entry(for: id)?.exchange == subject.name)
        #expect(client.journal.unknownOrders.isEmpty)

        // An order placed without an id gets one that satisfies the module's rule.
        let generated = try await client.place(try await Self.restingBuy(on: client))
        let generatedID = try ClientOrderID(try #require(generated.clientOrderID))
        #expect(subject.clientOrderIDRule.violation(by: generatedID) == nil)
        #expect(client.journal.entry(for: generatedID) != nil)

        // A rejected placement: the journal says so, and the error names the order.
        let tooBig = try ClientOrderID("conf-too-big")
        let error = await expectError(.insufficientFunds, "a buy beyond the balance") {
            try await client.place(.limit(.buy, Self.spot, quantity: 100, price: 60_000, clientOrderID: tooBig))
        }
        #expect(error?.clientOrderID == tooBig)
        #expect(error?.symbol == Self.spot)
        #expect(client.journal.entry(for: tooBig)?.state == .rejected(.insufficientFunds))
    }

    @Test("cancel: open → cancelled; already cancelled or filled → returned as it is; unknown → orderNotFound", arguments: ConformanceSubject.all)
    func cancelEdges(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        let resting = try await client.place(try await Self.restingBuy(on: client))
        let cancelled = try await client.cancel(resting)
        #expect(cancelled.status == .cancelled || cancelled.status == .pendingCancel)
        #expect(try await client.order(resting.reference).status == .cancelled)

        let again = try await client.cancel(resting)
        #expect(again.status == .cancelled)
        #expect(again.exchangeOrderID == resting.exchangeOrderID)

        let market = try await client.place(.market(.buy, Self.spot, quantity: dec("0.001")))
        let filled = try await client.cancel(market.reference)
        #expect(filled.status == .filled)
        #expect(filled.filledQuantity == dec("0.001"))

        let unknown = try ClientOrderID("conf-no-such-order")
        let error = await expectError(.orderNotFound, "cancelling an order the exchange does not know") {
            try await client.cancel(.clientID(unknown, on: Self.spot))
        }
        #expect(error?.clientOrderID == unknown)
        #expect(error?.symbol == Self.spot)
        await expectError(.orderNotFound, "querying an order the exchange does not know") {
            try await client.order(.clientID(unknown, on: Self.spot))
        }
    }

    @Test("cancel of an unknown order, on the exchange's own canned answers: orderNotFound", arguments: ConformanceSubject.all)
    func cancelUnknownCanned(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        _ = try await client.openOrders(for: Self.spot) // the key is admitted on the simulator
        for (route, answer) in subject.unknownOrderAnswers { venue.transport.answer(route, with: answer) }
        let before = venue.transport.count
        let error = await expectError(.orderNotFound, "the exchange's answer to an unknown order") {
            try await client.cancel(.exchangeID("424242", on: Self.spot))
        }
        #expect(error?.symbol == Self.spot)
        let sent = venue.transport.requests(after: before).map { CannedTransport.Route($0.method, $0.url.path) }
        #expect(sent.allSatisfy { subject.unknownOrderAnswers[$0] != nil }, "\(sent)")
        #expect(!sent.isEmpty)
    }

    @Test(
        "reconcile of a placed order the exchange no longer has (canned answers): orderNotFound, the journal keeps it placed",
        arguments: ConformanceSubject.all)
    func reconcileForgottenOrder(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        let placed = try await client.place(try await Self.restingBuy(on: client))
        let id = try ClientOrderID(try #require(placed.clientOrderID))
        let journalled = client.journal.entry(for: id)?.state
        for (route, answer) in subject.unknownOrderAnswers { venue.transport.answer(route, with: answer) }
        let error = await expectError(.orderNotFound, "reconcile of an order the exchange forgot") { try await client.reconcile(id) }
        #expect(error?.clientOrderID == id)
        #expect(error?.symbol == Self.spot)
        #expect(client.journal.entry(for: id)?.state == journalled)
    }

    @Test("a crossing post-only order throws orderRejected (rule postOnly) and is journalled as rejected", arguments: ConformanceSubject.all)
    func postOnlyCrossing(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        let instrument = try await client.instrument(Self.spot)
        let ask = try #require(try await client.ticker(Self.spot).askPrice)
        let id = try ClientOrderID("conf-post-only-1")
        let crossing = instrument.rounded(
            .limit(
                .buy, Self.spot, quantity: dec("0.001"), price: ask * dec("1.01"), postOnly: true, clientOrderID: id))
        let error = await expectError(.orderRejected, "a post-only buy above the ask") { try await client.place(crossing) }
        #expect(error?.rule == Instrument.Rule.postOnly)
        #expect(error?.clientOrderID == id)
        #expect(error?.symbol == Self.spot)
        #expect(client.journal.entry(for: id)?.state == .rejected(.orderRejected))
        #expect(try await client.openOrders(for: Self.spot).isEmpty)

        // A post-only order that does not cross rests as usual.
        let resting = try await client.place(
            instrument.rounded(
                .limit(
                    .buy, Self.spot, quantity: dec("0.001"), price: ask * dec("0.95"), postOnly: true)))
        #expect(resting.status == .new)
        #expect(try await client.openOrders(for: Self.spot).count == 1)
    }

    @Test("a refused key: public market data works; every signed call throws the refusal, with nothing sent", arguments: ConformanceSubject.all)
    func refusedKey(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.clientWithRefusedKey()
        #expect(client.exchangeName == subject.name)
        _ = try await client.serverTime()
        #expect(try await client.instrument(Self.spot).symbol == Self.spot)
        #expect(!(try await client.instruments(.spot)).isEmpty)
        #expect(try await client.ticker(Self.spot).lastPrice != nil)
        #expect(!(try await client.orderBook(Self.spot, depth: 5)).bids.isEmpty)

        let before = venue.transport.count
        let id = try ClientOrderID("conf-refused-1")
        var kinds: [ExchangeError.Kind] = []
        func refused<T>(_ what: String, _ body: () async throws -> T) async {
            do {
                _ = try await body()
                Issue.record("\(what) succeeded with a refused key")
            } catch let error as ExchangeError {
                kinds.append(error.kind)
            } catch {
                Issue.record("\(what): \(error)")
            }
        }
        await refused("balances") { try await client.balances() }
        await refused("positions") { try await client.positions() }
        await refused("place") { try await client.place(.limit(.buy, Self.spot, quantity: dec("0.001"), price: 60_000, clientOrderID: id)) }
        await refused("cancel") { try await client.cancel(.clientID(id, on: Self.spot)) }
        await refused("order") { try await client.order(.clientID(id, on: Self.spot)) }
        await refused("openOrders") { try await client.openOrders(for: Self.spot) }
        await refused("fills") { try await client.fills(for: Self.spot) }
        await refused("reconcile") { try await client.reconcile(id, on: Self.spot) }
        #expect(kinds.count == 8)
        #expect(Set(kinds) == [.invalidRequest], "\(kinds)")
        #expect(venue.transport.count == before, "\(venue.transport.requests(after: before).map(\.description))")
        #expect(client.journal.entries.isEmpty)
    }

    @Test("a missing trade permission: permissionDenied before anything is sent", arguments: ConformanceSubject.all)
    func missingPermission(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client(Venue.spotOnlyKey)
        let instrument = try await client.instrument(Self.perpetual)
        let price = try #require(try await client.ticker(Self.perpetual).lastPrice)
        let order = instrument.rounded(.limit(.buy, Self.perpetual, quantity: dec("0.01"), price: price * dec("0.9")))
        let before = venue.transport.count
        let placing = await expectError(.permissionDenied, "a perpetual order with a spot-only key") { try await client.place(order) }
        #expect(placing?.message.contains("nothing was sent") == true)
        await expectError(.permissionDenied, "cancelling a perpetual order with a spot-only key") {
            try await client.cancel(.exchangeID("1", on: Self.perpetual))
        }
        #expect(venue.transport.count == before)
        // Spot still trades.
        _ = try await client.place(try await Self.restingBuy(on: client))
    }

    @Test("limits of 0 or less are refused with invalidRequest, unsent", arguments: ConformanceSubject.all)
    func limitsOfZero(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        _ = try await client.instrument(Self.spot)
        let before = venue.transport.count
        for limit in [0, -1, Int.min] {
            await expectError(.invalidRequest, "fills(limit: \(limit))") { try await client.fills(for: Self.spot, limit: limit) }
            await expectError(.invalidRequest, "orderBook(depth: \(limit))") { try await client.orderBook(Self.spot, depth: limit) }
        }
        #expect(venue.transport.count == before)
        // The smallest valid values are served.
        #expect(try await client.fills(for: Self.spot, limit: 1).count <= 1)
        #expect(try await client.orderBook(Self.spot, depth: 1).bids.count == 1)
    }

    @Test("client order ids outside the module's rule are refused before sending", arguments: ConformanceSubject.all)
    func clientOrderIDRules(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject)
        let client = try await venue.client()
        let rule = subject.clientOrderIDRule
        let valid = rule.prefix + String(repeating: "a", count: rule.maximumLength - rule.prefix.utf8.count)
        let candidates = [
            rule.prefix + String(repeating: "b", count: rule.maximumLength + 1 - rule.prefix.utf8.count),
            rule.prefix + "bad id", rule.prefix + "bad.id", rule.prefix + "é", rule.prefix,
        ]
        let order = try await Self.restingBuy(on: client)
        let before = venue.transport.count
        for raw in candidates {
            guard let id = try? ClientOrderID(raw) else { continue } // refused by the type already
            var request = order
            request.clientOrderID = id
            let error = await expectError(.invalidRequest, "client order id '\(raw)'") { try await client.place(request) }
            #expect(error?.clientOrderID?.rawValue == raw)
            #expect(client.journal.entry(for: id) == nil)
        }
        #expect(venue.transport.count == before)
        var request = order
        request.clientOrderID = try ClientOrderID(valid)
        #expect(try await client.place(request).clientOrderID == valid)
    }

    @Test("reconcile: unknown id, already settled, never placed, partially filled", arguments: ConformanceSubject.all)
    func reconcileEdges(_ subject: ConformanceSubject) async throws {
        let venue = await Venue(subject) { configuration in
            configuration.liquidityBySymbol["ETH/USDT"] = LiquidityConfiguration(depth: dec("0.05"))
        }
        let client = try await venue.client()

        // Unknown to the journal, no symbol: nothing to ask about.
        let stranger = try ClientOrderID("conf-stranger")
        let noSymbol = await expectError(.invalidRequest, "reconcile without a symbol") { try await client.reconcile(stranger) }
        #expect(noSymbol?.clientOrderID == stranger)
        // Unknown to the exchange too, with a symbol: not placed, once its receive window has passed.
        let notFound = await expectError(.orderNotFound, "reconcile of an order nobody placed") {
            try await client.reconcile(stranger, on: Self.spot)
        }
        #expect(notFound?.clientOrderID == stranger)
        #expect(notFound?.symbol == Self.spot)
        #expect(client.journal.entry(for: stranger)?.state == .notPlaced)
        // A symbol the exchange does not list.
        let unlisted = await expectError(.invalidRequest, "reconcile on an unlisted market") {
            try await client.reconcile(stranger, on: "NOPE/USDT")
        }
        #expect(unlisted?.clientOrderID == stranger)

        // Already settled: asked again, the current state comes back.
        let resting = try await client.place(try await Self.restingBuy(on: client))
        let restingID = try ClientOrderID(try #require(resting.clientOrderID))
        #expect(try await client.reconcile(restingID).status == .new)
        _ = try await client.cancel(resting)
        #expect(try await client.reconcile(restingID).status == .cancelled)
        #expect(client.journal.entry(for: restingID)?.state == .placed(exchangeOrderID: resting.exchangeOrderID, status: .cancelled))

        // Never reached the exchange: decided at once, without waiting out the receive window.
        let unsent = try ClientOrderID("conf-never-sent")
        client.journal.record(.notPlaced, for: unsent, symbol: Self.spot, exchange: subject.name)
        let startedAt = venue.time.now()
        await expectError(.orderNotFound, "reconcile of an order that was never sent") { try await client.reconcile(unsent) }
        #expect(venue.time.now() == startedAt)

        // Partially filled: 0.1 ETH bought against 0.05 of liquidity; the rest rests.
        let eth: Symbol = "ETH/USDT"
        let instrument = try await client.instrument(eth)
        let ask = try #require(try await client.ticker(eth).askPrice)
        let partialID = try ClientOrderID("conf-partial-1")
        _ = try await client.place(
            instrument.rounded(
                .limit(
                    .buy, eth, quantity: dec("0.1"), price: ask * dec("1.001"), clientOrderID: partialID)))
        let partial = try await client.reconcile(partialID, on: eth)
        #expect(partial.status == .partiallyFilled)
        #expect(partial.filledQuantity == dec("0.05"))
        #expect(client.journal.entry(for: partialID)?.state == .placed(exchangeOrderID: partial.exchangeOrderID, status: .partiallyFilled))
    }

    @Test("retry jitter is seedable: the same seed gives the same wait on every module", arguments: ConformanceSubject.all)
    func seededJitter(_ subject: ConformanceSubject) async throws {
        func waitBeforeRetry(seed: UInt64) async throws -> TimeInterval {
            let venue = await Venue(subject, retryPolicy: RetryPolicy(baseDelay: 1, jitter: 0.5, jitterSeed: seed))
            let client = try await venue.client()
            _ = try await client.orderBook(Self.spot, depth: 5)
            venue.transport.answerNext(with: .json(503, "Service Unavailable"), times: 1)
            let before = venue.time.now()
            let requests = venue.transport.count
            _ = try await client.orderBook(Self.spot, depth: 5)
            #expect(venue.transport.count == requests + 2, "one 503, one retry")
            return venue.time.now().timeIntervalSince(before)
        }
        let first = try await waitBeforeRetry(seed: 7)
        #expect(try await waitBeforeRetry(seed: 7) == first)
        // SplitMix64 from seed 7: the first draw is the same on every module, so is the wait.
        // (Dates near 2023 carry about 10^-7 s of precision.)
        #expect(abs(first - Self.expectedWait(seed: 7, base: 1, jitter: 0.5)) < 1e-5)
        #expect(abs(try await waitBeforeRetry(seed: 8) - Self.expectedWait(seed: 8, base: 1, jitter: 0.5)) < 1e-5)
        #expect(abs(first - 1) > 1e-3)
    }

    /// The first back-off wait of a pipeline whose jitter is seeded with `seed`: the first SplitMix64 draw.
    static func expectedWait(seed: UInt64, base: Double, jitter: Double) -> TimeInterval {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        state = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
        state = (state ^ (state >> 27)) &* 0x94D0_49BB_1331_11EB
        state ^= state >> 31
        let random = Double(state >> 11) / Double(UInt64(1) << 53)
        return base * (1 + jitter * (2 * random - 1))
    }
}
