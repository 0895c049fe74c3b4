import TradeOnly

/// The instruments a client has fetched, per market kind, so that `place` can validate an order
/// without fetching the exchange info every time.
final class BinanceInstrumentCache: Sendable {
    struct Entry: Sendable {
        let instruments: [Instrument]
        let bySymbol: [Symbol: Instrument]
        let byExchangeSymbol: [String: Instrument]
        let fetchedAt: Date
    }

    private let entries = LockedValue<[MarketKind: Entry]>([:])

    /// The cached instruments of a kind, if any.
    func entry(for kind: MarketKind) -> Entry? {
        entries.withLock { $0[kind] }
    }

    /// The cached instrument for `symbol` fetched between `oldest` and `now`, if any, looked up under the lock
    /// (without copying the cache).
    func instrument(for symbol: Symbol, fetchedSince oldest: Date, now: Date) -> Instrument? {
        entries.withLock { entries in
            for kind in [MarketKind.spot, .linearPerpetual] {
                if let entry = entries[kind], entry.fetchedAt >= oldest, entry.fetchedAt <= now,
                    let instrument = entry.bySymbol[symbol]
                {
                    return instrument
                }
            }
            return nil
        }
    }

    /// The market kind of a cached symbol, if any.
    func kind(of symbol: Symbol) -> MarketKind? {
        entries.withLock { entries in
            if entries[.spot]?.bySymbol[symbol] != nil { return .spot }
            if entries[.linearPerpetual]?.bySymbol[symbol] != nil { return .linearPerpetual }
            return nil
        }
    }

    /// Binance's id for a cached symbol, if any.
    func exchangeSymbol(for symbol: Symbol, kind: MarketKind) -> String? {
        entries.withLock { $0[kind]?.bySymbol[symbol]?.exchangeSymbol }
    }

    /// Replaces the cached instruments of a kind.
    func store(_ instruments: [Instrument], for kind: MarketKind, at date: Date) {
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
    func invalidate(_ kind: MarketKind) {
        entries.withLock { _ = $0.removeValue(forKey: kind) }
    }
}
