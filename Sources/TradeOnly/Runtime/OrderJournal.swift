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
/// The journal keeps every undecided entry and the latest ``decidedCapacity`` decided ones (the oldest
/// decided entries are dropped first). It lives in memory: to survive a restart, persist ``entries``
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

    /// The entries and their order, kept so that recording is O(1) amortised: entries are held by
    /// client order id; their first-recorded order is a list of slots (emptied on removal, compacted
    /// when half empty); the oldest decided entry is found from a cursor before which every slot is
    /// empty or undecided.
    private struct Storage: Sendable {
        struct Slot: Sendable {
            var entry: Entry
            var position: Int
        }

        var slots: [ClientOrderID: Slot] = [:]
        /// Client order ids in the order they were first recorded; `nil` where one was removed.
        var order: [ClientOrderID?] = []
        /// How many entries are decided.
        var decidedCount = 0
        /// Every position before it holds an empty slot or an undecided entry.
        var cursor = 0

        /// Records `state` for `id`: updates the entry in place (one hash lookup) or adds one.
        mutating func record(
            _ state: State, for id: ClientOrderID, symbol: Symbol?, exchange: String?, at now: Date
        ) {
            if let index = slots.index(forKey: id) {
                let wasDecided = slots.values[index].entry.state.isDecided
                slots.values[index].entry.state = state
                slots.values[index].entry.updatedAt = now
                if let symbol { slots.values[index].entry.symbol = symbol }
                if let exchange { slots.values[index].entry.exchange = exchange }
                if wasDecided != state.isDecided {
                    decidedCount += state.isDecided ? 1 : -1
                    if state.isDecided { cursor = min(cursor, slots.values[index].position) }
                }
            } else {
                let entry = Entry(
                    clientOrderID: id, symbol: symbol, exchange: exchange, state: state, recordedAt: now, updatedAt: now)
                slots[id] = Slot(entry: entry, position: order.count)
                order.append(id)
                if state.isDecided { decidedCount += 1 }
            }
        }

        mutating func remove(_ id: ClientOrderID) {
            guard let slot = slots.removeValue(forKey: id) else { return }
            order[slot.position] = nil
            if slot.entry.state.isDecided { decidedCount -= 1 }
            compactIfSparse()
        }

        /// Drops the oldest decided entries until at most `capacity` are left.
        mutating func trim(capacity: Int) {
            while decidedCount > capacity, cursor < order.count {
                if let id = order[cursor], let index = slots.index(forKey: id), slots.values[index].entry.state.isDecided {
                    slots.remove(at: index)
                    order[cursor] = nil
                    decidedCount -= 1
                }
                cursor += 1
            }
            compactIfSparse()
        }

        /// Rebuilds `order` without its empty slots once they are the majority.
        private mutating func compactIfSparse() {
            guard order.count >= 64, slots.count * 2 < order.count else { return }
            var compacted: [ClientOrderID?] = []
            compacted.reserveCapacity(slots.count)
            var newCursor: Int?
            for (index, id) in order.enumerated() {
                if index >= cursor, newCursor == nil { newCursor = compacted.count }
                guard let id, slots[id] != nil else { continue }
                slots[id]?.position = compacted.count
                compacted.append(id)
            }
            cursor = newCursor ?? compacted.count
            order = compacted
        }

        var entriesInOrder: [Entry] {
            order.compactMap { id in id.flatMap { slots[$0]?.entry } }
        }
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
            storage.record(state, for: clientOrderID, symbol: symbol, exchange: exchange, at: now)
            storage.trim(capacity: capacity)
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
        storage.withLock { $0.slots[clientOrderID]?.entry }
    }

    /// Every entry, oldest first.
    public var entries: [Entry] {
        storage.withLock { $0.entriesInOrder }
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
        storage.withLock { $0.remove(clientOrderID) }
    }
}
