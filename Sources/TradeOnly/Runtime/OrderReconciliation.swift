/// How long and how often a client asks the exchange about an order whose placement (or cancel) had
/// an unknown outcome, before it gives up and reports ``ExchangeError/Kind/outcomeUnknown``.
public struct ReconciliationPolicy: Sendable, Hashable {
    /// The longest time to keep asking, in seconds.
    public var deadline: Double
    /// The first wait between two questions, in seconds; it doubles after each one.
    public var initialDelay: Double
    /// The longest wait between two questions, in seconds.
    public var maximumDelay: Double

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - deadline: The longest time to keep asking, in seconds. Defaults to 10.
    ///   - initialDelay: The first wait between two questions, in seconds. Defaults to 0.2.
    ///   - maximumDelay: The longest wait between two questions, in seconds. Defaults to 2.
    public init(deadline: Double = 10, initialDelay: Double = 0.2, maximumDelay: Double = 2) {
        self.deadline = max(0, deadline)
        self.initialDelay = max(0, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
    }

    /// Ten seconds, starting at 0.2 s between questions.
    public static let standard = ReconciliationPolicy()
}

/// The one mechanism every client uses to place an order without ever placing it twice, and without
/// ever losing track of one.
///
/// ``perform(clientOrderID:exchange:policy:logger:journal:symbol:receiveWindow:timeSource:sleeper:send:lookup:)``
/// sends the write once. Only an answer that proves the exchange did not execute it is reported as a
/// rejection; anything that leaves doubt (a timeout or lost connection after sending, a 5xx, an answer
/// that could not be read) is settled by asking for the order by its client order id, never by sending
/// it again. The outcome is one of:
///
/// - the order (from the answer, or found by the lookup);
/// - the exchange's rejection (the order was not executed);
/// - ``ExchangeError/Kind/network`` with ``ExchangeError/RetryAdvice/retry``: certainly not executed
///   (never sent; or, with a receive window, gone past it without a trace), safe to place again;
/// - ``ExchangeError/Kind/outcomeUnknown`` carrying the client order id and the symbol: settle it later
///   (it stays in the ``OrderJournal``'s ``OrderJournal/unknownOrders``).
///
/// Cancelling the task that places the order does not abandon it: the placement and its reconciliation
/// run to the end in a task of their own, and the cancelled caller still receives the outcome.
package enum OrderReconciliation {
    /// Added to a receive window before a "not found" counts as "not placed", in seconds: covers the
    /// error in the measured clock offset (half a round trip) and the exchange's replication lag
    /// between its matching engine and the order query.
    package static let receiveWindowMargin: TimeInterval = 1

    /// The shortest wait between two lookups, in seconds.
    package static let minimumLookupDelay: TimeInterval = 0.01

    /// Sends a write once; if its outcome is in doubt, finds out by asking for the order by its client
    /// order id instead of sending it again.
    ///
    /// - Parameters:
    ///   - clientOrderID: The id the order is sent with.
    ///   - exchange: The exchange's name, for errors.
    ///   - policy: How long and how often to ask.
    ///   - logger: Where events go.
    ///   - journal: Records the placement before it is sent and its outcome after; `nil` for none.
    ///   - symbol: The order's market, for the journal and for errors.
    ///   - receiveWindow: Opt-in, per exchange: the receive window the write was signed with (Binance
    ///     `recvWindow`, Bybit `X-BAPI-RECV-WINDOW`), in seconds, **only** where the exchange rejects,
    ///     before matching, any request whose timestamp is older than that. The write's timestamps were
    ///     all taken before `send` returned, so once `receiveWindow` plus ``receiveWindowMargin`` has
    ///     passed since then, the write can no longer execute: a lookup made after that which finds no
    ///     order decides the outcome as "not placed". Choose a policy deadline longer than the window
    ///     to benefit. `nil` (the default): "not found" never decides anything, and the outcome stays
    ///     ``ExchangeError/Kind/outcomeUnknown``.
    ///   - timeSource: Where the time comes from (only durations matter). Defaults to the system clock.
    ///   - sleeper: How to wait between lookups. Defaults to ``TaskSleeper``.
    ///   - send: Sends the write once (through the ``RequestPipeline``, which never re-sends a write that
    ///     may have executed) and decodes the order.
    ///   - lookup: Asks the exchange for the order by client order id: the order, or `nil` if the exchange
    ///     says it does not exist. Errors count as "could not tell".
    /// - Returns: The order, from the write's answer or from the lookup.
    /// - Throws: The write's error if the exchange rejected it; ``ExchangeError/Kind/network`` with
    ///   ``ExchangeError/RetryAdvice/retry`` if it was certainly not executed; or
    ///   ``ExchangeError/Kind/outcomeUnknown`` carrying the client order id and symbol if neither the
    ///   write nor the lookups could decide. Every error carries the client order id and the symbol.
    package static func perform(
        clientOrderID: ClientOrderID,
        exchange: String,
        policy: ReconciliationPolicy,
        logger: TradeOnlyLogger = .disabled,
        journal: OrderJournal? = nil,
        symbol: Symbol? = nil,
        receiveWindow: TimeInterval? = nil,
        timeSource: any TimeSource = SystemTimeSource(),
        sleeper: any Sleeper = TaskSleeper(),
        send: @escaping @Sendable () async throws -> Order,
        lookup: @escaping @Sendable (ClientOrderID) async throws -> Order?
    ) async throws -> Order {
        if Task.isCancelled {
            journal?.record(.notPlaced, for: clientOrderID, symbol: symbol, exchange: exchange)
            throw ExchangeError(
                .network, message: "placing order \(clientOrderID) was cancelled before it was sent", exchange: exchange,
                retry: .retry, clientOrderID: clientOrderID, symbol: symbol)
        }
        journal?.record(.sending, for: clientOrderID, symbol: symbol, exchange: exchange)
        // An unstructured task does not inherit the caller's cancellation: the placement and its
        // reconciliation finish whatever happens to the caller, which still awaits their outcome.
        let work: @Sendable () async throws -> Order = {
            try await place(
                clientOrderID: clientOrderID, exchange: exchange, policy: policy, logger: logger, journal: journal,
                symbol: symbol, receiveWindow: receiveWindow, timeSource: timeSource, sleeper: sleeper,
                send: send, lookup: lookup)
        }
        // Where available, the task starts on the caller's thread (no hop to another thread just to
        // begin); either way it does not inherit the caller's cancellation.
        let placement: Task<Order, any Error>
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            placement = Task.immediate { try await work() }
        } else {
            placement = Task { try await work() }
        }
        return try await withTaskCancellationHandler {
            try await placement.value
        } onCancel: {
            logger.notice(
                "the task placing order \(clientOrderID) was cancelled; the placement runs on to a known outcome, which is still returned and journalled"
            )
        }
    }

    private static func place(
        clientOrderID: ClientOrderID,
        exchange: String,
        policy: ReconciliationPolicy,
        logger: TradeOnlyLogger,
        journal: OrderJournal?,
        symbol: Symbol?,
        receiveWindow: TimeInterval?,
        timeSource: any TimeSource,
        sleeper: any Sleeper,
        send: @Sendable () async throws -> Order,
        lookup: @escaping @Sendable (ClientOrderID) async throws -> Order?
    ) async throws -> Order {
        let original: ExchangeError
        do {
            let order = try await send()
            journal?.record(order, for: clientOrderID)
            return order
        } catch {
            var classified = judge(error, exchange: exchange)
            classified.error.clientOrderID = classified.error.clientOrderID ?? clientOrderID
            classified.error.symbol = classified.error.symbol ?? symbol
            switch classified.verdict {
            case .rejected:
                journal?.record(.rejected(classified.error.kind), for: clientOrderID)
                throw classified.error
            case .notExecuted:
                journal?.record(.notPlaced, for: clientOrderID)
                throw classified.error
            case .inDoubt:
                original = classified.error
            }
        }
        let sentBy = timeSource.now()
        let notExecutableAfter = receiveWindow.map { sentBy.addingTimeInterval(max(0, $0) + receiveWindowMargin) }
        logger.warning(
            "outcome of order \(clientOrderID) unknown (\(original.message)); reconciling by client order id",
            metadata: ["tradeonly.clientOrderID": clientOrderID.rawValue])
        switch await settle(
            policy: policy, notExecutableAfter: notExecutableAfter, timeSource: timeSource, sleeper: sleeper,
            lookup: { try await lookup(clientOrderID) })
        {
        case .found(let order):
            logger.info("order \(clientOrderID) found while reconciling: \(order.status)")
            journal?.record(order, for: clientOrderID)
            return order
        case .notPlaced:
            logger.notice("order \(clientOrderID) was not executed: unknown to the exchange after its receive window")
            journal?.record(.notPlaced, for: clientOrderID)
            throw ExchangeError(
                .network,
                message:
                    "order \(clientOrderID) was not executed: its outcome was unknown (\(original.message)), but the exchange does not know it and its receive window has passed, so it can no longer execute; it is safe to place it again, with the same client order id",
                exchange: original.exchange ?? exchange, retry: .retry, clientOrderID: clientOrderID,
                symbol: original.symbol)
        case .undecided:
            journal?.record(.unknown, for: clientOrderID)
            var unknown = original
            unknown.message += "; asking for it by client order id for \(policy.deadline) s could not decide"
            throw unknown
        }
    }

    /// What a failed write proves.
    private enum Verdict {
        /// The exchange (or TradeOnly before sending) refused it: not executed.
        case rejected
        /// Certainly not executed and safe to send again (it never left this machine).
        case notExecuted
        /// It may have executed.
        case inDoubt
    }

    /// Only errors that prove non-execution are rejections; everything else is in doubt and is settled
    /// by lookup (which only asks, so erring this way is safe).
    private static func judge(_ error: any Error, exchange: String) -> (verdict: Verdict, error: ExchangeError) {
        guard let error = error as? ExchangeError else {
            return (
                .inDoubt,
                ExchangeError(
                    .outcomeUnknown,
                    message:
                        "placing the order failed in a way that leaves its outcome unknown (\(type(of: error)): \(Redaction.redactText(String(describing: error))))",
                    exchange: exchange, retry: .reconcileFirst)
            )
        }
        if error.kind == .outcomeUnknown || error.retry == .reconcileFirst {
            var unknown = error
            unknown.kind = .outcomeUnknown
            unknown.retry = .reconcileFirst
            return (.inDoubt, unknown)
        }
        if error.kind == .decoding || error.kind == .exchangeUnavailable {
            // An answer that could not be read may have been the order's acceptance.
            return (
                .inDoubt,
                ExchangeError(
                    .outcomeUnknown,
                    message: "the answer to the order could not be read, so it may have been executed (\(error.kind): \(error.message))",
                    exchange: error.exchange ?? exchange, code: error.code, exchangeMessage: error.exchangeMessage,
                    httpStatus: error.httpStatus, retry: .reconcileFirst, clientOrderID: error.clientOrderID,
                    symbol: error.symbol)
            )
        }
        if error.kind == .network && error.retry == .retry {
            // The pipeline only reports a write this way when it certainly did not leave this machine.
            return (.notExecuted, error)
        }
        return (.rejected, error)
    }

    /// Asks for an order by client order id until found or the deadline passes. Task cancellation
    /// stops the waiting but not a question already asked.
    ///
    /// - Parameters:
    ///   - clientOrderID: The order's client order id.
    ///   - policy: How long and how often to ask.
    ///   - journal: Records the order if it is found; `nil` for none.
    ///   - timeSource: Where the time comes from (only durations matter). Defaults to the system clock.
    ///   - sleeper: How to wait between questions. Defaults to ``TaskSleeper``.
    ///   - lookup: Asks the exchange for the order: the order, or `nil` if it does not exist. Errors
    ///     count as "could not tell".
    /// - Returns: The order if the exchange knows it, `nil` if it could not be found before the deadline.
    package static func reconcile(
        _ clientOrderID: ClientOrderID,
        policy: ReconciliationPolicy,
        journal: OrderJournal? = nil,
        timeSource: any TimeSource = SystemTimeSource(),
        sleeper: any Sleeper = TaskSleeper(),
        lookup: @escaping @Sendable (ClientOrderID) async throws -> Order?
    ) async throws -> Order? {
        let outcome = await settle(
            policy: policy, notExecutableAfter: nil, timeSource: timeSource, sleeper: sleeper,
            lookup: { try await lookup(clientOrderID) })
        guard case .found(let order) = outcome else { return nil }
        journal?.record(order, for: clientOrderID)
        return order
    }

    /// Asks a question about an order until it gives an answer or the deadline passes, with the
    /// policy's back-off: the same loop as ``reconcile(_:policy:journal:timeSource:sleeper:lookup:)`` for
    /// questions that are not keyed by a client order id (for example settling a cancel whose outcome is
    /// unknown by asking for the order by its exchange id until it is final). Errors count as "could not
    /// tell".
    ///
    /// - Parameters:
    ///   - policy: How long and how often to ask.
    ///   - timeSource: Where the time comes from (only durations matter).
    ///   - sleeper: How to wait between questions.
    ///   - lookup: The question: the order once it decides, `nil` while it cannot.
    /// - Returns: The first order `lookup` returned, or `nil` if none before the deadline.
    package static func reconcile(
        policy: ReconciliationPolicy,
        timeSource: any TimeSource = SystemTimeSource(),
        sleeper: any Sleeper = TaskSleeper(),
        lookup: @escaping @Sendable () async throws -> Order?
    ) async throws -> Order? {
        let outcome = await settle(
            policy: policy, notExecutableAfter: nil, timeSource: timeSource, sleeper: sleeper, lookup: lookup)
        guard case .found(let order) = outcome else { return nil }
        return order
    }

    /// The flow of every client's ``Trading/reconcile(_:on:)``: settles an order whose outcome was
    /// unknown by asking the exchange for it by client order id, never placing anything. The module
    /// supplies only how to name the market and how to ask; the edges are decided here, once:
    ///
    /// - no symbol given and none in the journal: ``ExchangeError/Kind/invalidRequest`` carrying the id;
    /// - a symbol the exchange does not list: `market`'s ``ExchangeError/Kind/invalidRequest``, carrying
    ///   the id and the symbol;
    /// - found (open, partially filled, filled, cancelled…): the order, recorded in the journal;
    /// - not found once it can no longer execute: ``ExchangeError/Kind/orderNotFound`` (safe to place
    ///   again with the same id), recorded as not placed unless the journal already says rejected (or
    ///   placed: an order the exchange has forgotten stays placed in the journal). It
    ///   can no longer execute once the receive window (plus ``receiveWindowMargin``) has passed since
    ///   it was last signed: since its journal entry last changed, or since this call began for an
    ///   order the journal does not have; at once for an order the journal records as never placed or
    ///   rejected (the exchange refused it, or it never left this machine);
    /// - still undecided at the policy's deadline (or still being sent by this client):
    ///   ``ExchangeError/Kind/outcomeUnknown``; a decided journal entry is left as it was.
    ///
    /// Every error carries the client order id and the symbol.
    ///
    /// - Parameters:
    ///   - clientOrderID: The order's client order id.
    ///   - symbol: Its market, or `nil` to take it from the journal.
    ///   - exchange: The exchange's name, for errors and the journal.
    ///   - journal: The client's journal.
    ///   - policy: How long and how often to ask.
    ///   - receiveWindow: The exchange's receive window, in seconds.
    ///   - timeSource: The client's time source.
    ///   - sleeper: How to wait between questions.
    ///   - market: Checks that the exchange lists the symbol (throwing
    ///     ``ExchangeError/Kind/invalidRequest`` if not) and returns it as the client names it.
    ///   - lookup: Asks for the order by client order id on that market: the order, or `nil` if the
    ///     exchange does not know it. Errors count as "could not tell".
    /// - Returns: The order.
    /// - Throws: ``ExchangeError`` as above.
    package static func settleUnknownOrder(
        _ clientOrderID: ClientOrderID,
        on symbol: Symbol?,
        exchange: String,
        journal: OrderJournal,
        policy: ReconciliationPolicy,
        receiveWindow: TimeInterval,
        timeSource: any TimeSource,
        sleeper: any Sleeper,
        market: (Symbol) async throws -> Symbol,
        lookup: @escaping @Sendable (ClientOrderID, Symbol) async throws -> Order?
    ) async throws -> Order {
        let entry = journal.entry(for: clientOrderID)
        guard let given = symbol ?? entry?.symbol else {
            throw ExchangeError(
                .invalidRequest,
                message: "cannot settle order \(clientOrderID): it is not in this client's journal, so its symbol is "
                    + "unknown; pass it (ExchangeError.symbol of the placement's error)",
                exchange: exchange, clientOrderID: clientOrderID)
        }
        let symbol: Symbol
        do {
            symbol = try await market(given)
        } catch var error as ExchangeError {
            error.clientOrderID = error.clientOrderID ?? clientOrderID
            error.symbol = error.symbol ?? given
            throw error
        }
        let start = timeSource.now()
        let inFlight = entry?.state == .sending
        let notExecutableAfter: Date?
        switch entry?.state {
        case .sending?:
            // Still being sent here: "not found" proves nothing yet.
            notExecutableAfter = nil
        case .notPlaced?, .rejected?:
            // Refused by the exchange, or it never left this machine: it cannot execute.
            notExecutableAfter = entry.map { min($0.updatedAt, start) }
        default:
            // Every signature of it is older than its entry's last change, or than now for an order
            // this journal does not have.
            let signedBy = entry.map { min($0.updatedAt, start) } ?? start
            notExecutableAfter = signedBy.addingTimeInterval(max(0, receiveWindow) + receiveWindowMargin)
        }
        let outcome = await settle(
            policy: policy, notExecutableAfter: notExecutableAfter, timeSource: timeSource, sleeper: sleeper,
            lookup: { try await lookup(clientOrderID, symbol) })
        switch outcome {
        case .found(let order):
            journal.record(
                .placed(exchangeOrderID: order.exchangeOrderID, status: order.status), for: clientOrderID,
                symbol: order.symbol, exchange: exchange)
            return order
        case .notPlaced:
            switch entry?.state {
            case .placed?:
                // The exchange had it once: it is not "not placed", only gone from the exchange's memory.
                throw ExchangeError(
                    .orderNotFound,
                    message: "\(exchange) no longer has order \(clientOrderID) on \(symbol), which this client's journal "
                        + "records as placed (exchanges forget old orders); the journal keeps it as it was",
                    exchange: exchange, retry: .doNotRetry, clientOrderID: clientOrderID, symbol: symbol)
            case .rejected?:
                // Already settled as rejected: the journal keeps why.
                break
            default:
                journal.record(.notPlaced, for: clientOrderID, symbol: symbol, exchange: exchange)
            }
            throw ExchangeError(
                .orderNotFound,
                message: "\(exchange) does not have order \(clientOrderID) on \(symbol), and it can no longer execute "
                    + "(its receive window has passed): it was not placed; placing it again with the same client "
                    + "order id is safe",
                exchange: exchange, retry: .doNotRetry, clientOrderID: clientOrderID, symbol: symbol)
        case .undecided:
            if !(entry?.state.isDecided ?? false), !inFlight {
                journal.record(.unknown, for: clientOrderID, symbol: symbol, exchange: exchange)
            }
            throw ExchangeError(
                .outcomeUnknown,
                message: inFlight
                    ? "order \(clientOrderID) on \(symbol) is still being placed by this client and \(exchange) does not "
                        + "show it yet; its placement will settle it"
                    : "\(exchange) could not say within \(policy.deadline) s whether order \(clientOrderID) on \(symbol) "
                        + "exists; ask again later",
                exchange: exchange, retry: .reconcileFirst, clientOrderID: clientOrderID, symbol: symbol)
        }
    }

    /// What the lookups found.
    package enum LookupOutcome: Sendable {
        /// The exchange has the order.
        case found(Order)
        /// The exchange does not have it, asked after it could no longer be executed.
        case notPlaced
        /// Nothing decisive before the deadline.
        case undecided
    }

    /// Asks until the order is found, a "not found" comes after `notExecutableAfter`, or the policy's
    /// deadline passes.
    package static func settle(
        policy: ReconciliationPolicy,
        notExecutableAfter: Date?,
        timeSource: any TimeSource,
        sleeper: any Sleeper,
        lookup: @Sendable () async throws -> Order?
    ) async -> LookupOutcome {
        let start = timeSource.now()
        var slept: TimeInterval = 0
        var delay = policy.initialDelay
        while true {
            let askedAt = timeSource.now()
            do {
                if let order = try await lookup() { return .found(order) }
                if let notExecutableAfter, askedAt >= notExecutableAfter { return .notPlaced }
            } catch {
                // Could not tell: ask again.
            }
            let now = timeSource.now()
            // Time spent sleeping counts even if the clock stands still or moves back.
            let elapsed = max(now.timeIntervalSince(start), slept)
            let remaining = policy.deadline - elapsed
            if remaining <= 0 { return .undecided }
            var wait = min(max(delay, minimumLookupDelay), remaining)
            if let notExecutableAfter {
                // Ask right when the window has passed rather than up to one delay later.
                let untilDecidable = notExecutableAfter.timeIntervalSince(now)
                if untilDecidable > 0 && untilDecidable < wait { wait = untilDecidable }
            }
            do {
                try await sleeper.sleep(for: wait)
            } catch {
                return .undecided
            }
            slept += wait
            delay = min(delay * 2, policy.maximumDelay)
        }
    }
}
