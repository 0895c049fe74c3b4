import TradeOnly

/// Turns exchange-info symbols into ``Instrument``s.
enum BinanceInstruments {
    /// Binance symbol statuses (spot `TRADING`, `END_OF_DAY`, `HALT`, `BREAK`, `PRE_TRADING`,
    /// `POST_TRADING`, `AUCTION_MATCH`; futures `PENDING_TRADING`, `TRADING`, `PRE_DELIVERING`,
    /// `DELIVERING`, `DELIVERED`, `PRE_SETTLE`, `SETTLING`, `CLOSE`).
    static let statuses: [String: Instrument.Status] = [
        "TRADING": .trading,
        "PRE_TRADING": .preTrading,
        "PENDING_TRADING": .preTrading,
        "BREAK": .halted,
        "HALT": .halted,
        "END_OF_DAY": .halted,
        "POST_TRADING": .halted,
        "AUCTION_MATCH": .halted,
        "PRE_DELIVERING": .halted,
        "DELIVERING": .halted,
        "PRE_SETTLE": .halted,
        "SETTLING": .halted,
        "DELIVERED": .delisted,
        "CLOSE": .delisted,
    ]

    /// Every spot symbol.
    static func spot(_ info: WireExchangeInfo) -> [Instrument] {
        info.symbols.map { instrument($0, symbol: Symbol(base: $0.baseAsset, quote: $0.quoteAsset), kind: .spot) }
    }

    /// Every linear perpetual (contract type `PERPETUAL`, settled in its quote asset).
    static func linearPerpetuals(_ info: WireExchangeInfo) -> [Instrument] {
        info.symbols.compactMap { wire in
            guard wire.contractType == "PERPETUAL" else { return nil }
            let settle = wire.marginAsset ?? wire.quoteAsset
            guard settle == wire.quoteAsset else { return nil }
            return instrument(
                wire, symbol: Symbol(base: wire.baseAsset, quote: wire.quoteAsset, settle: settle), kind: .linearPerpetual)
        }
    }

    private static func instrument(_ wire: WireSymbol, symbol: Symbol, kind: MarketKind) -> Instrument {
        var tick: Decimal = 0
        var step: Decimal = 0
        var minimumPrice: Decimal?
        var maximumPrice: Decimal?
        var minimumQuantity: Decimal = 0
        var maximumQuantity: Decimal?
        var maximumMarketQuantity: Decimal?
        var minimumNotional: Decimal?
        var maximumNotional: Decimal?
        var minimumAppliesToMarket = true
        var maximumAppliesToMarket = true

        /// Binance: "disabled when 0".
        func enabled(_ value: Decimal?) -> Decimal? {
            guard let value, value > 0 else { return nil }
            return value
        }
        for filter in wire.filters {
            switch filter.kind {
            case .price(let minimum, let maximum, let tickSize):
                tick = enabled(tickSize) ?? 0
                minimumPrice = enabled(minimum)
                maximumPrice = enabled(maximum)
            case .lotSize(let minimum, let maximum, let stepSize):
                step = enabled(stepSize) ?? 0
                minimumQuantity = enabled(minimum) ?? 0
                maximumQuantity = enabled(maximum)
            case .marketLotSize(_, let maximum, _):
                maximumMarketQuantity = enabled(maximum)
            case .minimumNotional(let minimum, let appliesToMarket):
                if let minimum = enabled(minimum), minimum > (minimumNotional ?? 0) {
                    minimumNotional = minimum
                    // Futures: market orders are valued at the mark price, so the minimum applies.
                    minimumAppliesToMarket = appliesToMarket ?? true
                }
            case .notional(let minimum, let maximum, let minimumToMarket, let maximumToMarket):
                if let minimum = enabled(minimum), minimum > (minimumNotional ?? 0) {
                    minimumNotional = minimum
                    minimumAppliesToMarket = minimumToMarket ?? true
                }
                if let maximum = enabled(maximum) {
                    maximumNotional = maximum
                    maximumAppliesToMarket = maximumToMarket ?? true
                }
            case .other:
                continue
            }
        }
        return Instrument(
            symbol: symbol, exchangeSymbol: wire.symbol, kind: kind,
            status: Instrument.Status(wireValue: wire.status, mapping: statuses),
            baseAsset: wire.baseAsset, quoteAsset: wire.quoteAsset,
            settleAsset: kind == .spot ? nil : (wire.marginAsset ?? wire.quoteAsset),
            tickSize: tick, quantityStep: step, minimumPrice: minimumPrice, maximumPrice: maximumPrice,
            minimumQuantity: minimumQuantity, maximumQuantity: maximumQuantity,
            maximumMarketQuantity: maximumMarketQuantity, minimumNotional: minimumNotional,
            maximumNotional: maximumNotional, minimumNotionalAppliesToMarketOrders: minimumAppliesToMarket,
            maximumNotionalAppliesToMarketOrders: maximumAppliesToMarket)
    }
}
