import Foundation
import TradeOnly

/// Runs one ``FaultRun``: set-up, operations under faults, settling without faults, checks.
struct FaultRunDriver: Sendable {
    let dialect: Dialect
    let configuration: FaultRun.Configuration
    let makeSubject: @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject

    /// The faults the exchange injects, each with an equal share of the fault rate (the transport's
    /// three kinds share it too).
    static func exchangeFaults(retryAfterSeconds: Int) -> [Fault] {
        [
            .lostResponse,
            .serverError(status: 503, afterExecution: false),
            .serverError(status: 502, afterExecution: false),
            .serverError(status: 500, afterExecution: true),
            .rateLimited(retryAfterSeconds: retryAfterSeconds),
            .malformedJSON(afterExecution: false),
            .malformedJSON(afterExecution: true),
            .htmlPage(status: 502, afterExecution: false),
            .htmlPage(status: 504, afterExecution: true),
        ]
    }

    /// The clock skews the exchange moves between, in milliseconds.
    static let clockSkews: [Int64] = [0, 3_000, -3_000, 40_000, -40_000]

    /// What one order looks like on one market.
    struct OrderShape: Sendable {
        let symbol: Symbol
        let quantity: Decimal
        let buyPrice: Decimal
        let sellPrice: Decimal
    }

    /// Everything the operations share.
    struct Context: Sendable {
        let exchange: SimulatedExchange
        let time: FixedTimeSource
        let sleeper: AdvancingSleeper
        let transport: FaultInjectingTransport
        let subject: FaultRun.Subject
        let shapes: [OrderShape]
        let ledger: FaultRunLedger
        let skewChanges: LockedValue<(current: Int64, changes: Int)>
    }

    func run() async -> FaultRun.Report {
        let clock = ContinuousClock()
        let started = clock.now
        let time = FixedTimeSource(configuration.start)
        let sleeper = AdvancingSleeper(time)
        var simulatorConfiguration = SimulatedExchange.Configuration(timeSource: time)
        simulatorConfiguration.idSeed = configuration.seed
        let exchange = SimulatedExchange.standard(for: dialect, configuration: simulatorConfiguration)
        // Deep pockets: the run is about orders, not about running out of money.
        await exchange.setBalance(10_000_000, of: "USDT")
        await exchange.setBalance(10_000, of: "BTC")
        await exchange.setBalance(100_000, of: "ETH")

        var server: SimulatorServer?
        let base: any HTTPTransport
        // In process any loopback base URL will do: requests are routed by path.
        guard var baseURL = URL(string: "http://127.0.0.1:9") else {
            return await failedReport("no loopback URL", exchange: exchange, since: started, clock: clock)
        }
        if configuration.overSocket {
            let listening = SimulatorServer(exchange: exchange, dialect: dialect)
            do {
                try listening.start()
            } catch {
                return await failedReport(
                    "the simulator server could not start: \(error)", exchange: exchange, since: started, clock: clock)
            }
            server = listening
            baseURL = listening.baseURL
            base = URLSessionTransport(configuration: .init(timeout: .seconds(30)))
        } else {
            base = exchange.transport(for: dialect)
        }
        defer { server?.stop() }
        var seeds = SplitMix64(seed: configuration.seed ^ 0x7A5F_0000_0000_0000)
        let transport = FaultInjectingTransport(base, seed: seeds.next(), faultsReads: configuration.faultsReads)
        let connection = FaultRun.Connection(
            exchange: exchange, dialect: dialect, transport: transport, baseURL: baseURL, timeSource: time,
            sleeper: sleeper, key: SimulatedExchange.standardTradeKey, seed: configuration.seed)

        // Set up without faults: the client, and the shape of the orders on each market.
        let subject: FaultRun.Subject
        var shapes: [OrderShape] = []
        do {
            subject = try await makeSubject(connection)
            for symbol in configuration.symbols {
                let instrument = try await subject.client.instrument(symbol)
                guard let price = await exchange.price(of: symbol) else {
                    throw ExchangeError(.invalidRequest, message: "the simulator has no price for \(symbol)")
                }
                shapes.append(Self.shape(for: instrument, price: price))
            }
        } catch {
            return await failedReport("\(error)", exchange: exchange, since: started, clock: clock)
        }
        guard !shapes.isEmpty else {
            return await failedReport(
                "no markets to trade (configuration.symbols is empty)", exchange: exchange, since: started, clock: clock)
        }

        let context = Context(
            exchange: exchange, time: time, sleeper: sleeper, transport: transport, subject: subject, shapes: shapes,
            ledger: FaultRunLedger(), skewChanges: LockedValue((0, 0)))

        // Operations, under faults.
        await setPhase(0, context: context)
        transport.setProbability(configuration.faultRate * 3 / 12)
        let concurrency = configuration.concurrency
        let total = configuration.orders
        await withTaskGroup(of: Void.self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    var index = lane
                    while index < total {
                        if index > 0, index % configuration.clockSkewInterval == 0 {
                            await setPhase(index / configuration.clockSkewInterval, context: context)
                        }
                        time.advance(by: configuration.operationInterval)
                        await operate(index, context: context)
                        index += concurrency
                        // In process an operation hardly ever suspends: a free actor is entered on
                        // the same thread, and only the sleeper's waits yield. Give the thread up after
                        // each operation, or a run would hold a thread of the cooperative pool (one per
                        // core) for most of its length, and every other test's task would wait for it.
                        await Task.yield()
                    }
                }
            }
        }

        // The faults stop; what is unknown is settled, as a bot does once the exchange is healthy.
        transport.setProbability(0)
        await exchange.setFaultPlan(FaultPlan(seed: configuration.seed))
        for (id, symbol) in context.ledger.unsettled {
            guard let clientOrderID = try? ClientOrderID(id) else { continue }
            _ = await settle(clientOrderID, on: symbol, context: context)
            await Task.yield()
        }
        return await check(context, since: started, clock: clock)
    }

    // MARK: Faults

    /// Starts phase `phase`: a new random fault plan, with the phase's clock skew.
    private func setPhase(_ phase: Int, context: Context) async {
        // Seeds derived through the generator's output, not by offsetting its state: SplitMix64 streams
        // whose seeds differ by multiples of its increment are the same stream, shifted.
        var generator = SplitMix64(seed: configuration.seed ^ 0xC10C_5EED_0000_0000 ^ UInt64(phase))
        let planSeed = generator.next()
        let skew = phase == 0 ? 0 : Self.clockSkews[Int(generator.next() % UInt64(Self.clockSkews.count))]
        context.skewChanges.withLock { state in
            if state.current != skew { state.changes += 1 }
            state.current = skew
        }
        let share = configuration.faultRate / 12
        var plan = FaultPlan(seed: planSeed)
        // Every request, or every write (any method but GET): a request matches one rule per fault.
        let matches: [RequestMatch] =
            configuration.faultsReads
            ? [.any] : ["POST", "DELETE", "PUT", "PATCH"].map { RequestMatch(method: $0) }
        for fault in Self.exchangeFaults(retryAfterSeconds: configuration.retryAfterSeconds) {
            for match in matches {
                plan = plan.injecting(fault, probability: share, on: match)
            }
        }
        await context.exchange.setFaultPlan(plan.withClockSkew(milliseconds: skew))
    }

    // MARK: One operation

    /// Places one order (again, with the same client order id, while the client says it certainly was
    /// not placed), settles an unknown outcome, and cancels it if it rests.
    private func operate(_ index: Int, context: Context) async {
        let ledger = context.ledger
        let client = context.subject.client
        let shape = context.shapes[index % context.shapes.count]
        let round = index / context.shapes.count
        // Three limit orders far from the price (they rest, then are cancelled), then a market order
        // (it fills at once); market buys and sells alternate, so positions and balances stay put.
        let isMarket = round % 4 == 3
        let side: OrderSide = (isMarket ? (round / 4).isMultiple(of: 2) : round.isMultiple(of: 2)) ? .buy : .sell
        // Every other order carries the bot's own client order id; the others get the client's.
        var clientOrderID = index.isMultiple(of: 2) ? try? ClientOrderID("fr\(index)x\(configuration.seed % 1000)") : nil
        ledger.countOrder()

        var placed: Order?
        attempts: for _ in 0..<configuration.placementAttempts {
            let request =
                isMarket
                ? OrderRequest.market(side, shape.symbol, quantity: shape.quantity, clientOrderID: clientOrderID)
                : OrderRequest.limit(
                    side, shape.symbol, quantity: shape.quantity, price: side == .buy ? shape.buyPrice : shape.sellPrice,
                    clientOrderID: clientOrderID)
            do {
                let order = try await client.place(request)
                guard let id = order.clientOrderID else {
                    ledger.placementOutcome("placedWithoutClientOrderID")
                    ledger.problem("order \(order.exchangeOrderID) was returned without its client order id")
                    return
                }
                if let clientOrderID, id != clientOrderID.rawValue {
                    ledger.problem("order \(order.exchangeOrderID) came back with client order id \(id), not \(clientOrderID)")
                }
                ledger.placementOutcome("placed")
                ledger.believe(.placed(exchangeOrderID: order.exchangeOrderID), for: id, symbol: shape.symbol)
                if !order.status.isOpen { ledger.final(order.status, for: id) }
                placed = order
                break attempts
            } catch let error as ExchangeError {
                let known = error.clientOrderID ?? clientOrderID
                switch error.kind {
                case .outcomeUnknown:
                    guard let known else {
                        ledger.placementOutcome("unknownWithoutClientOrderID")
                        ledger.unknownWithoutClientOrderID(error)
                        return
                    }
                    clientOrderID = known
                    ledger.placementOutcome("unknown")
                    ledger.believe(.unknown, for: known.rawValue, symbol: shape.symbol, reportedUnknown: true)
                    switch await settle(known, on: shape.symbol, context: context) {
                    case .found(let order):
                        placed = order
                        break attempts
                    case .notPlaced:
                        continue attempts
                    case .undecided:
                        return
                    }
                case .network where error.retry == .retry, .rateLimited, .timestampOutOfWindow, .banned:
                    // Certainly not executed: placed again, with the same client order id.
                    ledger.placementOutcome(error.kind == .network ? "notPlaced" : "refused(\(error.kind))")
                    guard let known else {
                        ledger.problem("a placement refused before execution did not say its client order id: \(error)")
                        return
                    }
                    clientOrderID = known
                    ledger.believe(.notPlaced, for: known.rawValue, symbol: shape.symbol)
                default:
                    ledger.placementOutcome("rejected(\(error.kind))")
                    if let known { ledger.believe(.rejected(error.kind.name), for: known.rawValue, symbol: shape.symbol) }
                    return
                }
            } catch {
                ledger.placementOutcome("unexpectedError")
                ledger.unexpected(error, during: "place")
                return
            }
        }
        guard let placed, placed.status.isOpen, let id = placed.clientOrderID,
            let placedID = try? ClientOrderID(id)
        else { return }
        await cancel(placed, clientOrderID: placedID, byClientOrderID: index % 4 >= 2, context: context)
    }

    /// Cancels a resting order, again while the outcome is unknown or the cancel was refused before
    /// execution.
    private func cancel(_ order: Order, clientOrderID: ClientOrderID, byClientOrderID: Bool, context: Context) async {
        let ledger = context.ledger
        ledger.countCancel()
        let reference: OrderReference = byClientOrderID ? .clientID(clientOrderID, on: order.symbol) : order.reference
        for _ in 0..<3 {
            do {
                let final = try await context.subject.client.cancel(reference)
                ledger.cancelOutcome(final.status == .cancelled ? "cancelled" : final.status.isOpen ? "stillOpen" : "final(\(final.status))")
                if !final.status.isOpen { ledger.final(final.status, for: clientOrderID.rawValue) }
                return
            } catch let error as ExchangeError {
                switch error.kind {
                case .orderNotFound:
                    // Possibly cancelled by an earlier attempt whose answer was lost.
                    ledger.cancelOutcome("notFound")
                    return
                case .outcomeUnknown, .network, .rateLimited, .timestampOutOfWindow, .exchangeUnavailable, .decoding, .banned:
                    ledger.cancelOutcome("retried(\(error.kind))")
                    continue
                default:
                    ledger.cancelOutcome("failed(\(error.kind))")
                    return
                }
            } catch {
                ledger.cancelOutcome("unexpectedError")
                ledger.unexpected(error, during: "cancel")
                return
            }
        }
    }

    enum Settlement {
        case found(Order)
        case notPlaced
        case undecided
    }

    /// Calls `reconcile` until it decides, at most ``FaultRun/Configuration/reconcileAttempts`` times,
    /// and records what it said.
    private func settle(_ clientOrderID: ClientOrderID, on symbol: Symbol, context: Context) async -> Settlement {
        let ledger = context.ledger
        for attempt in 0..<configuration.reconcileAttempts {
            if attempt > 0 { try? await context.sleeper.sleep(for: configuration.reconcileInterval) }
            do {
                let order = try await context.subject.reconcile(clientOrderID, symbol)
                guard order.hasClientOrderID(clientOrderID) else {
                    ledger.problem(
                        "reconcile(\(clientOrderID)) returned order \(order.exchangeOrderID) with client order id \(order.clientOrderID ?? "none")")
                    continue
                }
                ledger.believe(.placed(exchangeOrderID: order.exchangeOrderID), for: clientOrderID.rawValue, symbol: symbol, settled: true)
                if !order.status.isOpen { ledger.final(order.status, for: clientOrderID.rawValue) }
                return .found(order)
            } catch let error as ExchangeError where error.kind == .orderNotFound {
                ledger.believe(.notPlaced, for: clientOrderID.rawValue, symbol: symbol, settled: true)
                return .notPlaced
            } catch is ExchangeError {
                continue
            } catch {
                ledger.unexpected(error, during: "reconcile")
            }
        }
        return .undecided
    }

    // MARK: Checks

    /// Compares the exchange's orders with what the bot was told.
    private func check(_ context: Context, since started: ContinuousClock.Instant, clock: ContinuousClock) async -> FaultRun.Report {
        let exchange = context.exchange
        let all = await exchange.allOrders()
        let state = context.ledger.current
        var problems = state.problems
        func problem(_ text: String) {
            if problems.count < FaultRunLedger.problemLimit { problems.append(text) }
        }
        var byID: [String: [SimulatedOrder]] = [:]
        for order in all { byID[order.clientOrderID, default: []].append(order) }

        var duplicates = 0
        var lost = 0
        for (id, orders) in byID.sorted(by: { $0.key < $1.key }) {
            if orders.count > 1 {
                duplicates += orders.count - 1
                problem("\(orders.count) orders for client order id \(id): \(orders.map(\.exchangeOrderID))")
            }
            switch state.records[id]?.belief {
            case .placed?, .unknown?:
                break
            case nil:
                lost += orders.count
                problem("order \(orders[0].exchangeOrderID) (\(id)) is on the exchange; the bot never heard of it")
            case .notPlaced?:
                lost += orders.count
                problem("order \(orders[0].exchangeOrderID) (\(id)) is on the exchange; the bot was told it was not placed")
            case .rejected(let kind)?:
                lost += orders.count
                problem("order \(orders[0].exchangeOrderID) (\(id)) is on the exchange; the bot was told it was rejected (\(kind))")
            }
        }
        var phantoms = 0
        var unsettled = 0
        var settled = 0
        var cancelMismatches = 0
        for (id, record) in state.records.sorted(by: { $0.key < $1.key }) {
            switch record.belief {
            case .placed(let exchangeOrderID):
                if !(byID[id]?.contains { $0.exchangeOrderID == exchangeOrderID } ?? false) {
                    phantoms += 1
                    problem("the bot was told order \(exchangeOrderID) (\(id)) was placed; the exchange does not have it")
                }
            case .unknown:
                unsettled += 1
                problem("order \(id) was reported unknown and never settled (on the exchange: \(byID[id]?.count ?? 0))")
            case .notPlaced, .rejected:
                break
            }
            if record.reportedUnknown && record.settledByReconcile && record.belief != .unknown { settled += 1 }
            if let status = record.finalStatus, !status.isOpen, byID[id]?.contains(where: { $0.status.isOpen }) == true {
                cancelMismatches += 1
                problem("the bot was told order \(id) was \(status); it is still open on the exchange")
            }
        }

        var faultsByKind = context.transport.injected
        for fault in await exchange.injectedFaults() {
            faultsByKind[fault.fault.description, default: 0] += 1
        }
        let skew = context.skewChanges.current
        var report = FaultRun.Report(
            exchange: dialect.name, orders: state.orders, cancels: state.cancels,
            faultsInjected: faultsByKind.values.reduce(0, +), faultsByKind: faultsByKind, clockSkewChanges: skew.changes,
            duplicates: duplicates, lost: lost, reportedUnknownThenSettled: settled, unsettled: unsettled,
            unknownWithoutClientOrderID: state.unknownWithoutClientOrderID, phantoms: phantoms,
            cancelMismatches: cancelMismatches, unexpectedErrors: state.unexpectedErrors,
            placementOutcomes: state.placementOutcomes, cancelOutcomes: state.cancelOutcomes, exchangeOrders: all.count,
            requests: await exchange.requestCount, openAtEnd: await exchange.openOrders().count, problems: problems,
            setupError: nil, simulatedSeconds: context.time.now().timeIntervalSince(configuration.start),
            seconds: Self.seconds(clock.now - started))
        report.moneyMovements = await exchange.moneyMovements().count
        return report
    }

    private func failedReport(
        _ why: String, exchange: SimulatedExchange, since started: ContinuousClock.Instant, clock: ContinuousClock
    ) async -> FaultRun.Report {
        FaultRun.Report(
            exchange: dialect.name, orders: 0, cancels: 0, faultsInjected: 0, faultsByKind: [:], clockSkewChanges: 0,
            duplicates: 0, lost: 0, reportedUnknownThenSettled: 0, unsettled: 0, unknownWithoutClientOrderID: 0,
            phantoms: 0, cancelMismatches: 0, unexpectedErrors: 0, placementOutcomes: [:], cancelOutcomes: [:],
            exchangeOrders: await exchange.allOrders().count, requests: await exchange.requestCount, openAtEnd: 0,
            problems: [], setupError: why, simulatedSeconds: 0, seconds: Self.seconds(clock.now - started))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The order shape on a market: twice the minimum notional (or the minimum quantity), resting
    /// 3 % away from the price.
    static func shape(for instrument: Instrument, price: Decimal) -> OrderShape {
        let step = instrument.quantityStep
        let tick = instrument.tickSize
        var quantity = max(instrument.minimumQuantity, (instrument.minimumNotional ?? 0) * 2 / price)
        if step > 0 { quantity = quantity.rounded(toMultipleOf: step, rule: .up) }
        if quantity <= 0 { quantity = step > 0 ? step : 1 }
        var buy = price * 97 / 100
        var sell = price * 103 / 100
        if tick > 0 {
            buy = buy.rounded(toMultipleOf: tick, rule: .down)
            sell = sell.rounded(toMultipleOf: tick, rule: .up)
        }
        return OrderShape(symbol: instrument.symbol, quantity: quantity, buyPrice: buy, sellPrice: sell)
    }
}
