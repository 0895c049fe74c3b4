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

/// The one mechanism every client uses to place an order without ever placing it twice.
package enum OrderReconciliation {
    /// Sends a write once; if its outcome is unknown, finds out by asking for the order by its client
    /// order id instead of sending it again.
    ///
    /// - Parameters:
    ///   - clientOrderID: The id the order was sent with.
    ///   - exchange: The exchange's name, for errors.
    ///   - policy: How long and how often to ask.
    ///   - send: Sends the write once.
    ///   - lookup: Asks the exchange for the order by client order id: the order, or `nil` if the exchange
    ///     says it does not exist. Errors count as "could not tell".
    /// - Returns: The order, from the write's answer or from the lookup.
    /// - Throws: The write's error if the exchange rejected it, or ``ExchangeError/Kind/outcomeUnknown``
    ///   carrying the client order id if neither the write nor the lookups could decide.
    package static func perform(
        clientOrderID: ClientOrderID,
        exchange: String,
        policy: ReconciliationPolicy,
        logger: TradeOnlyLogger = .disabled,
        send: @Sendable () async throws -> Order,
        lookup: @escaping @Sendable (ClientOrderID) async throws -> Order?
    ) async throws -> Order {
        let original: ExchangeError
        do {
            return try await send()
        } catch var error as ExchangeError {
            error.clientOrderID = error.clientOrderID ?? clientOrderID.rawValue
            guard error.kind == .outcomeUnknown else { throw error }
            original = error
        }
        logger.warning(
            "outcome of order \(clientOrderID) unknown (\(original.message)); reconciling by client order id")
        if let order = try await reconcile(clientOrderID, policy: policy, lookup: lookup) {
            logger.info("order \(clientOrderID) found while reconciling: \(order.status)")
            return order
        }
        var unknown = original
        unknown.message += "; asking for it by client order id for \(policy.deadline) s could not decide"
        throw unknown
    }

    /// Asks for an order by client order id until found or the deadline passes. Task cancellation
    /// stops the waiting but not a question already asked.
    ///
    /// - Returns: The order if the exchange knows it, `nil` if it could not be found before the deadline.
    package static func reconcile(
        _ clientOrderID: ClientOrderID,
        policy: ReconciliationPolicy,
        lookup: @escaping @Sendable (ClientOrderID) async throws -> Order?
    ) async throws -> Order? {
        try await reconcile(policy: policy) { try await lookup(clientOrderID) }
    }

    /// Asks a question about an order until it gives an answer or the deadline passes, with the
    /// policy's back-off: the same loop as ``reconcile(_:policy:lookup:)`` for questions that are not
    /// keyed by a client order id (for example settling a cancel whose outcome is unknown by asking
    /// for the order by its exchange id until it is final). Errors count as "could not tell".
    ///
    /// - Parameters:
    ///   - policy: How long and how often to ask.
    ///   - lookup: The question: the order once it decides, `nil` while it cannot.
    /// - Returns: The first order `lookup` returned, or `nil` if none before the deadline.
    package static func reconcile(
        policy: ReconciliationPolicy,
        lookup: @escaping @Sendable () async throws -> Order?
    ) async throws -> Order? {
        let start = ContinuousClock.now
        var delay = policy.initialDelay
        while true {
            if let order = try? await lookup() { return order }
            let elapsed = ContinuousClock.now - start
            let remaining = policy.deadline - Double(elapsed.components.seconds)
                - Double(elapsed.components.attoseconds) / 1e18
            if remaining <= 0 { return nil }
            let wait = min(delay, remaining)
            do {
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            } catch {
                return nil
            }
            delay = min(delay * 2, policy.maximumDelay)
        }
    }
}
