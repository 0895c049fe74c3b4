// The grid bot itself. It uses TradeOnly's protocols only (`some ExchangeClient`): nothing here knows
// which exchange it trades on, or that main.swift runs it against the simulator.
//
// The strategy: around the price at start, rest buy orders below and sell orders above, one per
// level, `spacing` apart. When a buy fills, sell the same quantity one level higher; when a sell
// fills, buy one level lower. Each round trip earns one level's spacing, minus fees.
import Foundation
import TradeOnly

/// The grid's shape.
struct GridSettings: Sendable {
    /// The market. Spot: the account must hold the base asset for the sell orders.
    var symbol: Symbol = "BTC/USDT"
    /// Orders on each side of the starting price.
    var levelsPerSide = 4
    /// The distance between levels, in basis points of the starting price (25 = 0.25 %). A round trip
    /// pays the fee twice (0.1 % a side on most spot markets), so the spacing must be wider than that.
    var spacingBasisPoints = 25
    /// The value of each order, in the quote asset. Money is Decimal: an integer literal is exact.
    var orderValue: Decimal = 100
}

/// What the bot did, for the summary.
struct GridSummary: Sendable {
    var rounds = 0
    var ordersPlaced = 0
    var buysFilled = 0
    var sellsFilled = 0
    var ordersRejected = 0
    var ordersCancelledAtEnd = 0
    /// Orders whose placement had an unknown outcome and that the exchange has not shown since.
    /// They may exist: never place them again, settle them by hand.
    var unsettled: [ClientOrderID] = []
    /// Quote-asset value gained: the change in the quote balance plus the change in the base balance
    /// valued at the final mid price. Fees are included (they are taken from the balances).
    var profitAndLoss: Decimal = 0
    var quoteAsset = ""
    var stoppedBecause: ExchangeError?
}

/// One of the bot's orders, as the bot remembers it.
private struct GridOrder {
    enum State {
        /// The exchange confirmed it; it is working (or has finished since the last look).
        case working
        /// The placement's outcome is unknown: it may or may not exist.
        case unsettled
    }

    let id: ClientOrderID
    let level: Int
    let request: OrderRequest
    var state: State
}

/// A grid bot for one market.
struct GridBot<Client: ExchangeClient> {
    let client: Client
    let settings: GridSettings
    /// Where the bot reports what it does (main.swift prints it).
    let log: (String) -> Void

    private var instrument: Instrument?
    private var centre: Decimal = 0
    private var orders: [GridOrder] = []
    private var summary = GridSummary()

    init(client: Client, settings: GridSettings, log: @escaping (String) -> Void) {
        self.client = client
        self.settings = settings
        self.log = log
    }

    /// Runs the grid for a number of rounds, then cancels what is left and returns the summary.
    ///
    /// - Parameters:
    ///   - rounds: How many rounds to run.
    ///   - betweenRounds: What happens between rounds: against a real exchange, a pause; against
    ///     the simulator, a few steps of its random walk.
    /// - Returns: The summary. A stop (a key problem, a ban, a refused request) is in `stoppedBecause`.
    mutating func run(rounds: Int, betweenRounds: () async throws -> Void) async throws -> GridSummary {
        let symbol = settings.symbol
        let instrument = try await client.instrument(symbol)
        self.instrument = instrument
        let startBalances = try await client.balances(for: instrument.kind)
        guard let mid = try await client.orderBook(symbol, depth: 5).midPrice else {
            throw GridFailure("the order book of \(symbol) is empty")
        }
        centre = mid
        summary.quoteAsset = instrument.quoteAsset
        log(
            "grid around \(instrument.formattedPrice(centre)) \(instrument.quoteAsset): \(settings.levelsPerSide) levels a side, "
                + "\(Decimal(settings.spacingBasisPoints) / 100) % apart, \(settings.orderValue.plainString) \(instrument.quoteAsset) an order")

        do {
            for level in 1...max(1, settings.levelsPerSide) {
                try await place(.buy, level: -level)
                try await place(.sell, level: level)
            }
            for round in 1...max(1, rounds) {
                try await betweenRounds()
                summary.rounds = round
                try await look(round: round)
            }
        } catch let error as ExchangeError {
            // Only the errors that stop the bot get here: the others are handled where they happen
            // (`react(to:placing:)` for placements, `isWorthWaitingFor(_:)` for reads).
            log("STOPPING: \(error)")
            summary.stoppedBecause = error
        }

        try await cancelWorkingOrders()
        summary.unsettled = orders.filter { $0.state == .unsettled }.map(\.id)
        summary.profitAndLoss = try await profitAndLoss(since: startBalances, instrument: instrument)
        return summary
    }

    // MARK: Placing

    /// Places one grid order at a level (negative below the centre, positive above).
    private mutating func place(_ side: OrderSide, level: Int, quantity: Decimal? = nil) async throws {
        guard !orders.contains(where: { $0.level == level }) else {
            log("  level \(level) already has an order: no \(side) placed there")
            return
        }
        let instrument = try await currentInstrument()
        let price = centre * (10_000 + Decimal(level * settings.spacingBasisPoints)) / 10_000
        // Generate the id first: it is how the order is found again if the answer never comes.
        let id = ClientOrderID.generate()
        // Quantity down to the step, buy price down and sell price up to the tick.
        let request = instrument.rounded(
            .limit(side, settings.symbol, quantity: quantity ?? settings.orderValue / price, price: price, clientOrderID: id))
        do {
            try instrument.validate(request)
        } catch let error as ExchangeError {
            log("  not placed, \(error.rule ?? "rule"): \(error.message)")
            summary.ordersRejected += 1
            return
        }
        // Remember the order BEFORE sending it. A real bot writes this to disk.
        orders.append(GridOrder(id: id, level: level, request: request, state: .working))
        do {
            let placed = try await client.place(request)
            summary.ordersPlaced += 1
            log(
                "  placed   \(placed.side) \(placed.quantity.plainString) @ \(request.price.map { instrument.formattedPrice($0) } ?? "market")  level \(level)  [\(id)]"
            )
        } catch let error as ExchangeError {
            try react(to: error, placing: id)
        }
    }

    /// What a failed placement means for the order, and for the bot.
    private mutating func react(to error: ExchangeError, placing id: ClientOrderID) throws {
        switch error.kind {
        case .outcomeUnknown, .exchangeUnavailable, .decoding, .duplicateClientOrderID:
            // It may exist. The client already asked the exchange by client order id and could not
            // tell. Do NOT place it again: keep the id and look for it every round.
            mark(id, .unsettled)
            log("  UNKNOWN  [\(id)] may exist: \(error.kind); it will be looked up by its id, never re-placed")
        case .orderRejected, .invalidRequest, .insufficientFunds:
            // The exchange refused it before executing: it does not exist.
            forget(id)
            summary.ordersRejected += 1
            log("  rejected [\(id)]: \(error.kind)\(error.rule.map { " (\($0))" } ?? ""): \(error.message)")
            if error.kind == .orderRejected {
                // Rules change: fetch the instrument again before the next order.
                instrument = nil
            }
        case .rateLimited, .timestampOutOfWindow, .network:
            // Not executed (the client already retried what was safe to retry). Leave the level empty.
            forget(id)
            log("  not sent [\(id)]: \(error.kind), \(error.retry)")
        default:
            forget(id)
            throw error
        }
    }

    // MARK: Each round

    /// Looks at the exchange once: settles unknown orders, finds fills, places the counter-orders.
    private mutating func look(round: Int) async throws {
        do {
            try await settleUnknownOrders()
            let open = try await client.openOrders(for: settings.symbol)
            let openIDs = Set(open.compactMap(\.clientOrderID))
            // Orders the bot thinks are working but the exchange no longer lists: ask what became of them.
            for tracked in orders where tracked.state == .working && !openIDs.contains(tracked.id.rawValue) {
                do {
                    let order = try await client.order(.clientID(tracked.id, on: settings.symbol))
                    try await finished(order, tracked: tracked, round: round)
                } catch let error as ExchangeError where error.kind == .orderNotFound {
                    // The exchange no longer knows an order it accepted. Do not guess what became of
                    // it: keep its level blocked and list it at the end.
                    mark(tracked.id, .unsettled)
                    log("round \(round): [\(tracked.id)] is no longer known to the exchange; left unsettled")
                }
            }
        } catch let error as ExchangeError where Self.isWorthWaitingFor(error) {
            // A read failed without changing anything: try again next round.
            log("round \(round): \(error.kind), trying again next round (\(error.retry))")
            if case .retryAfter(let seconds) = error.retry {
                try await Task.sleep(for: .seconds(min(seconds, 10)))
            }
        }
    }

    /// Reads that are safe to repeat later; anything else stops the bot.
    private static func isWorthWaitingFor(_ error: ExchangeError) -> Bool {
        [.network, .exchangeUnavailable, .rateLimited, .timestampOutOfWindow, .decoding].contains(error.kind)
    }

    /// Asks the exchange for every order whose placement had an unknown outcome.
    private mutating func settleUnknownOrders() async throws {
        for tracked in orders where tracked.state == .unsettled {
            do {
                let order = try await client.order(.clientID(tracked.id, on: settings.symbol))
                mark(tracked.id, .working)
                summary.ordersPlaced += 1
                log("  settled  [\(tracked.id)]: it exists, \(order.status)")
            } catch let error as ExchangeError where error.kind == .orderNotFound {
                // "Not found yet" is not proof it was never placed: keep it unsettled.
            }
        }
    }

    /// Handles an order that left the book: a fill gets its counter-order one level away.
    private mutating func finished(_ order: Order, tracked: GridOrder, round: Int) async throws {
        guard order.status.isFinal else { return } // still working, or an unknown status: wait
        forget(tracked.id)
        guard order.status == .filled else {
            log("round \(round): [\(tracked.id)] ended \(order.status), level \(tracked.level) is free again")
            return
        }
        let price = order.averagePrice ?? order.price ?? 0
        if order.side == .buy {
            summary.buysFilled += 1
            log("round \(round): BUY  \(order.filledQuantity.plainString) filled @ \(price.plainString), level \(tracked.level)")
            try await place(.sell, level: tracked.level + 1, quantity: order.filledQuantity)
        } else {
            summary.sellsFilled += 1
            log("round \(round): SELL \(order.filledQuantity.plainString) filled @ \(price.plainString), level \(tracked.level)")
            try await place(.buy, level: tracked.level - 1, quantity: order.filledQuantity)
        }
    }

    // MARK: The end

    /// Cancels every order still working. Unsettled orders are left alone: they are listed instead.
    private mutating func cancelWorkingOrders() async throws {
        for tracked in orders where tracked.state == .working {
            do {
                _ = try await client.cancel(.clientID(tracked.id, on: settings.symbol))
                summary.ordersCancelledAtEnd += 1
                forget(tracked.id)
            } catch let error as ExchangeError where error.kind == .orderNotFound {
                forget(tracked.id) // it finished meanwhile
            } catch let error as ExchangeError {
                log("could not cancel [\(tracked.id)]: \(error)")
            }
        }
    }

    /// The change in value of the two assets, at the final mid price.
    private func profitAndLoss(since start: [Balance], instrument: Instrument) async throws -> Decimal {
        let end = try await client.balances(for: instrument.kind)
        let mid = try await client.orderBook(settings.symbol, depth: 5).midPrice ?? centre
        func change(_ asset: String) -> Decimal {
            let before = start.first { $0.asset == asset }?.total ?? 0
            let after = end.first { $0.asset == asset }?.total ?? 0
            return after - before
        }
        return change(instrument.quoteAsset) + change(instrument.baseAsset) * mid
    }

    // MARK: Bookkeeping

    /// The instrument, fetched again after a rejection (exchanges change tick sizes and minimums).
    private mutating func currentInstrument() async throws -> Instrument {
        if let instrument { return instrument }
        let fresh = try await client.instrument(settings.symbol)
        instrument = fresh
        return fresh
    }

    private mutating func mark(_ id: ClientOrderID, _ state: GridOrder.State) {
        if let index = orders.firstIndex(where: { $0.id == id }) { orders[index].state = state }
    }

    private mutating func forget(_ id: ClientOrderID) {
        orders.removeAll { $0.id == id }
    }
}

/// The bot cannot start.
struct GridFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
