/// A record of every order placement a client attempted, written **before** the order is sent and
/// updated when its fate is known, so that no order the bot sent can be forgotten.
///
/// The orders a bot must settle are in ``unknownOrders``: those whose placement may or may not have
/// executed (a timeout, a 5xx, a lost connection that reconciliation could not decide), and those still
/// marked as being sent (the placement is in flight, or the process stopped before its answer). Settle
/// them by client order id (`client.reconcile(_:)`, or `client.order(.clientID(id, on: symbol))`),
/// then record the answer.
///
/// ```swift
/// let journal = OrderJournal()
/// // … give it to the client, place orders; later, or after a restart with a persisted copy:
/// for entry in journal.unknownOrders {
///     print("settle", entry.clientOrderID, "on", entry.symbol.map(\.rawValue) ?? "?")
/// }
/// ```
///
/// The journal keeps every undecided entry and at least the latest ``decidedCapacity`` decided ones; the
/// oldest decided entries are dropped in batches, once a quarter of the capacity (at least 16) has
/// accumulated beyond it, so recording stays cheap. It lives in memory: to survive a restart, persist ``entries``
/// (client order id, symbol, state) yourself and settle what was undecided at start-up. Safe to share
/// across tasks.
public final class OrderJournal: Sendable {
    /// Where a placement stands.
    public enum State: Sendable, Hashable, CustomStringConvertible {
        /// Recorded before sending; no answer yet. Undecided.
        case sending
        /// The exchange has the order (from the placement's answer, or found while reconciling). Decided.
        case placed(exchangeOrderID: String, status: OrderStatus)
        /// The exchange (or TradeOnly, before sending) refused the placement; it was not executed. Decided.
        case rejected(ExchangeError.Kind)
        /// Certainly not executed (never sent, or gone past the exchange's receive window without a
        /// trace): safe to place again, with the same client order id. Decided.
        case notPlaced
        /// May or may not have executed: reconciliation could not tell. Undecided.
        case unknown

        /// Whether the outcome is known.
        public var isDecided: Bool {
            switch self {
            case .sending, .unknown: return false
            case .placed, .rejected, .notPlaced: return true
            }
        }

        /// For example `placed 12345 (new)` or `unknown`.
        public var description: String {
            switch self {
            case .sending: return "sending"
            case .placed(let id, let status): return "placed \(id) (\(status))"
            case .rejected(let kind): return "rejected (\(kind))"
            case .notPlaced: return "not placed"
            case .unknown: return "unknown"
            }
        }
    }

    /// One placement.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The client order id the order was (or was to be) sent with.
        public var clientOrderID: ClientOrderID
        /// The order's market, if known.
        public var symbol: Symbol?
        /// The exchange, if known.
        public var exchange: String?
        /// Where the placement stands.
        public var state: State
        /// When the placement was first recorded.
        public var recordedAt: Date
        /// When ``state`` last changed.
        public var updatedAt: Date

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - clientOrderID: The client order id.
        ///   - symbol: The market, if known.
        ///   - exchange: The exchange, if known.
        ///   - state: Where the placement stands.
        ///   - recordedAt: When it was first recorded.
        ///   - updatedAt: When its state last changed.
        public init(
            clientOrderID: ClientOrderID, symbol: Symbol?, exchange: String?, state: State, recordedAt: Date,
            updatedAt: Date
        ) {
            self.clientOrderID = clientOrderID
            self.symbol = symbol
            self.exchange = exchange
            self.state = state
            self.recordedAt = recordedAt
            self.updatedAt = updatedAt
        }

        /// For example `binance BTC/USDT to3Yx…: unknown`.
        public var description: String {
            [exchange, symbol?.rawValue].compactMap { $0 }.joined(separator: " ")
                + (exchange == nil && symbol == nil ? "" : " ") + "\(clientOrderID): \(state)"
        }
    }

    /// How many decided entries are kept (undecided ones are always kept).
    public let decidedCapacity: Int
    private let timeSource: any TimeSource
    private let storage = LockedValue(Storage())

    private struct Storage: Sendable {
        var entries: [ClientOrderID: Entry] = [:]
        /// Client order ids in the order they were first recorded.
        var order: [ClientOrderID] = []
    }

    /// Creates an empty journal.
    ///
    /// - Parameters:
    ///   - decidedCapacity: How many decided entries to keep. Defaults to 1000.
    ///   - timeSource: Where entry times come from. Defaults to the system clock.
    public init(decidedCapacity: Int = 1000, timeSource: some TimeSource = .system) {
        self.decidedCapacity = max(0, decidedCapacity)
        self.timeSource = timeSource
    }

    /// Records where a placement stands, creating its entry if needed. A `nil` symbol or exchange keeps
    /// what the entry already has.
    ///
    /// - Parameters:
    ///   - state: Where the placement stands.
    ///   - clientOrderID: The order's client order id.
    ///   - symbol: The order's market, if known.
    ///   - exchange: The exchange, if known.
    public func record(_ state: State, for clientOrderID: ClientOrderID, symbol: Symbol? = nil, exchange: String? = nil) {
        let now = timeSource.now()
        let capacity = decidedCapacity
        storage.withLock { storage in
            if var entry = storage.entries[clientOrderID] {
                entry.state = state
                entry.updatedAt = now
                entry.symbol = symbol ?? entry.symbol
                entry.exchange = exchange ?? entry.exchange
                storage.entries[clientOrderID] = entry
            } else {
                storage.entries[clientOrderID] = Entry(
                    clientOrderID: clientOrderID, symbol: symbol, exchange: exchange, state: state, recordedAt: now,
                    updatedAt: now)
                storage.order.append(clientOrderID)
            }
            Self.trim(&storage, capacity: capacity)
        }
    }

    /// Records the order the exchange reported for a placement.
    ///
    /// - Parameters:
    ///   - order: The order.
    ///   - clientOrderID: The client order id it was placed with.
    public func record(_ order: Order, for clientOrderID: ClientOrderID) {
        record(.placed(exchangeOrderID: order.exchangeOrderID, status: order.status), for: clientOrderID, symbol: order.symbol)
    }

    /// The entry for a client order id, if the journal has one.
    ///
    /// - Parameter clientOrderID: The client order id.
    public func entry(for clientOrderID: ClientOrderID) -> Entry? {
        storage.withLock { $0.entries[clientOrderID] }
    }

    /// Every entry, oldest first.
    public var entries: [Entry] {
        storage.withLock { storage in storage.order.compactMap { storage.entries[$0] } }
    }

    /// The placements whose outcome is not decided (``State/unknown`` or still ``State/sending``),
    /// oldest first: settle these before trading on.
    public var unknownOrders: [Entry] {
        entries.filter { !$0.state.isDecided }
    }

    /// Forgets an entry (after the bot has settled it and keeps its own record).
    ///
    /// - Parameter clientOrderID: The client order id.
    public func remove(_ clientOrderID: ClientOrderID) {
        storage.withLock { storage in
            guard storage.entries.removeValue(forKey: clientOrderID) != nil else { return }
            storage.order.removeAll { $0 == clientOrderID }
        }
    }

    private static func trim(_ storage: inout Storage, capacity: Int) {
        // Trim in batches (once a quarter of the capacity has accumulated beyond it), so recording an
        // order stays O(1) amortised instead of scanning the journal every time.
        guard storage.entries.count > capacity + max(16, capacity / 4) else { return }
        var decided = storage.entries.values.lazy.filter { $0.state.isDecided }.count
        guard decided > capacity else { return }
        var kept: [ClientOrderID] = []
        kept.reserveCapacity(storage.order.count)
        for id in storage.order {
            if decided > capacity, let entry = storage.entries[id], entry.state.isDecided {
                storage.entries[id] = nil
                decided -= 1
            } else {
                kept.append(id)
            }
        }
        storage.order = kept
    }
}
