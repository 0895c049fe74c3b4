/// The instruments a client has fetched, per market kind: the one cache every exchange module's
/// client uses, so that `place` validates an order without fetching the exchange's rules every time.
///
/// The rules of the cache (the contract of ``MarketData/instrument(_:)``):
/// - a kind's instruments are kept for `lifetime` seconds after they were fetched (on the client's
///   time source; a clock that moved back counts as stale);
/// - a symbol missing from a fresh cache is fetched again, at most once per ``relistingInterval``
///   (a new listing shows up within a minute); inside that interval it is unknown;
/// - ``MarketData/instruments(_:)`` replaces a kind's entry; a rejection that may come from changed
///   rules invalidates it.
package final class InstrumentCache: Sendable {
    /// How long a symbol missing from a fresh cache stays unknown before the list is fetched again.
    package static let relistingInterval: TimeInterval = 60

    /// The instruments of one kind, as fetched.
    package struct Entry: Sendable {
        /// In the exchange's order.
        package let instruments: [Instrument]
        /// By unified symbol.
        package let bySymbol: [Symbol: Instrument]
        /// By the exchange's own name for the market.
        package let byExchangeSymbol: [String: Instrument]
        /// When they were fetched.
        package let fetchedAt: Date
    }

    /// What the cache says about a symbol.
    package enum Lookup: Sendable {
        /// The instrument, fresh.
        case cached(Instrument)
        /// Not listed in a cache fetched less than ``relistingInterval`` ago.
        case unlisted
        /// Missing or stale: fetch the kind's instruments.
        case fetch
    }

    /// How long fetched instruments are kept, in seconds.
    package let lifetime: TimeInterval
    private let entries = LockedValue<[MarketKind: Entry]>([:])

    /// Creates an empty cache.
    ///
    /// - Parameter lifetime: How long fetched instruments are kept, in seconds.
    package init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    /// The cached instruments of a kind, if any (fresh or not).
    package func entry(for kind: MarketKind) -> Entry? {
        entries.withLock { $0[kind] }
    }

    /// A fresh cached instrument for `symbol`, of any kind, looked up under the lock without copying
    /// the cache: the fast path of every placement.
    package func cachedInstrument(_ symbol: Symbol, now: Date) -> Instrument? {
        entries.withLock { entries in
            for entry in entries.values where isFresh(entry, now: now) {
                if let instrument = entry.bySymbol[symbol] { return instrument }
            }
            return nil
        }
    }

    /// What the cache says about `symbol` of kind `kind` at `now`.
    package func lookup(_ symbol: Symbol, kind: MarketKind, now: Date) -> Lookup {
        guard let entry = entry(for: kind), isFresh(entry, now: now) else { return .fetch }
        if let instrument = entry.bySymbol[symbol] { return .cached(instrument) }
        return now.timeIntervalSince(entry.fetchedAt) < Self.relistingInterval ? .unlisted : .fetch
    }

    /// The instrument for `symbol`: from the cache, or from `fetch` (which fetches the kind's instruments
    /// and stores them here) when missing or stale.
    ///
    /// - Parameters:
    ///   - symbol: The unified symbol.
    ///   - kind: Its kind.
    ///   - now: The client's time.
    ///   - unknown: The error for a symbol the exchange does not list.
    ///   - fetch: Fetches and stores the kind's instruments.
    /// - Returns: The instrument.
    /// - Throws: `unknown()`, or `fetch`'s error.
    package func instrument(
        _ symbol: Symbol, kind: MarketKind, now: Date, unknown: () -> ExchangeError,
        fetch: () async throws -> [Instrument]
    ) async throws -> Instrument {
        switch lookup(symbol, kind: kind, now: now) {
        case .cached(let instrument): return instrument
        case .unlisted: throw unknown()
        case .fetch:
            let instruments = try await fetch()
            guard let instrument = instruments.first(where: { $0.symbol == symbol }) else { throw unknown() }
            return instrument
        }
    }

    /// The kind of a cached symbol, if any.
    package func kind(of symbol: Symbol) -> MarketKind? {
        entries.withLock { entries in
            for (kind, entry) in entries where entry.bySymbol[symbol] != nil { return kind }
            return nil
        }
    }

    /// The exchange's name for a cached symbol of `kind`, if any.
    package func exchangeSymbol(for symbol: Symbol, kind: MarketKind) -> String? {
        entries.withLock { $0[kind]?.bySymbol[symbol]?.exchangeSymbol }
    }

    /// The unified symbol of a cached market by the exchange's name for it, if any.
    package func symbol(forExchangeSymbol exchangeSymbol: String, kind: MarketKind) -> Symbol? {
        entries.withLock { $0[kind]?.byExchangeSymbol[exchangeSymbol]?.symbol }
    }

    /// Replaces the cached instruments of a kind.
    package func store(_ instruments: [Instrument], for kind: MarketKind, at date: Date) {
        var bySymbol: [Symbol: Instrument] = [:]
        var byExchangeSymbol: [String: Instrument] = [:]
        bySymbol.reserveCapacity(instruments.count)
        byExchangeSymbol.reserveCapacity(instruments.count)
        for instrument in instruments {
            bySymbol[instrument.symbol] = instrument
            byExchangeSymbol[instrument.exchangeSymbol] = instrument
        }
        let entry = Entry(
            instruments: instruments, bySymbol: bySymbol, byExchangeSymbol: byExchangeSymbol, fetchedAt: date)
        entries.withLock { $0[kind] = entry }
    }

    /// Forgets the instruments of a kind, so the next lookup fetches them again.
    package func invalidate(_ kind: MarketKind) {
        entries.withLock { _ = $0.removeValue(forKey: kind) }
    }

    /// Forgets every kind.
    package func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    private func isFresh(_ entry: Entry, now: Date) -> Bool {
        let age = now.timeIntervalSince(entry.fetchedAt)
        return age >= 0 && age < lifetime
    }
}
