import Foundation
import TradeOnly

/// One entry of `GET /v5/market/instruments-info`, spot or linear; only the fields TradeOnly uses.
struct WireInstrument: Decodable {
    struct PriceFilter: Decodable {
        let tickSize: String?
        let minPrice: String?
        let maxPrice: String?
    }

    struct LotSizeFilter: Decodable {
        // Linear.
        let qtyStep: String?
        let minOrderQty: String?
        let maxOrderQty: String?
        let maxMktOrderQty: String?
        let minNotionalValue: String?
        // Spot.
        let basePrecision: String?
        let minOrderAmt: String?
        let maxLimitOrderQty: String?
        let maxMarketOrderQty: String?
    }

    let symbol: String
    let status: String?
    let contractType: String?
    let baseCoin: String?
    let quoteCoin: String?
    let settleCoin: String?
    let priceFilter: PriceFilter?
    let lotSizeFilter: LotSizeFilter?

    /// Bybit's instrument statuses. `Delivering` stays ``Instrument/Status/other(_:)`` (not trading).
    static let statusMapping: [String: Instrument.Status] = [
        "Trading": .trading,
        "PreLaunch": .preTrading,
        "Settling": .halted,
        "Closed": .delisted,
    ]

    /// The instrument, or `nil` if this entry is not of `kind` (a USDC perpetual, a dated future) or
    /// lacks the rules an order needs.
    ///
    /// - Spot: the quantity step is `basePrecision`; the minimum notional `minOrderAmt`; the maxima
    ///   `maxLimitOrderQty` (all orders) and `maxMarketOrderQty` (market orders). `minOrderQty` is
    ///   deprecated and no longer checked by Bybit, so it is not enforced (minimum quantity 0);
    ///   `maxOrderAmt` likewise.
    /// - Linear: `qtyStep`, `minOrderQty`, `maxOrderQty`, `maxMktOrderQty`, `minNotionalValue`, and the
    ///   price filter's `tickSize`, `minPrice`, `maxPrice`. Only USDT-settled `LinearPerpetual`s.
    func instrument(kind: MarketKind) -> Instrument? {
        guard let base = baseCoin, let quote = quoteCoin, !base.isEmpty, !quote.isEmpty,
            let tick = decimal(priceFilter?.tickSize), tick > 0
        else { return nil }
        let status = Instrument.Status(wireValue: self.status ?? "", mapping: Self.statusMapping)
        switch kind {
        case .spot:
            let symbol = Symbol(base: base, quote: quote)
            guard symbol.isValid, let step = decimal(lotSizeFilter?.basePrecision), step > 0 else { return nil }
            return Instrument(
                symbol: symbol, exchangeSymbol: self.symbol, kind: .spot, status: status,
                baseAsset: base, quoteAsset: quote, settleAsset: nil,
                tickSize: tick, quantityStep: step,
                minimumQuantity: 0,
                maximumQuantity: decimal(lotSizeFilter?.maxLimitOrderQty),
                maximumMarketQuantity: decimal(lotSizeFilter?.maxMarketOrderQty),
                minimumNotional: decimal(lotSizeFilter?.minOrderAmt))
        case .linearPerpetual:
            guard contractType == "LinearPerpetual", settleCoin == "USDT", quote == "USDT" else { return nil }
            let symbol = Symbol(base: base, quote: quote, settle: "USDT")
            guard symbol.isValid, let step = decimal(lotSizeFilter?.qtyStep), step > 0 else { return nil }
            return Instrument(
                symbol: symbol, exchangeSymbol: self.symbol, kind: .linearPerpetual, status: status,
                baseAsset: base, quoteAsset: quote, settleAsset: "USDT",
                tickSize: tick, quantityStep: step,
                minimumPrice: decimal(priceFilter?.minPrice),
                maximumPrice: decimal(priceFilter?.maxPrice),
                minimumQuantity: decimal(lotSizeFilter?.minOrderQty) ?? 0,
                maximumQuantity: decimal(lotSizeFilter?.maxOrderQty),
                maximumMarketQuantity: decimal(lotSizeFilter?.maxMktOrderQty),
                minimumNotional: decimal(lotSizeFilter?.minNotionalValue))
        case .inversePerpetual:
            return nil
        }
    }

    private func decimal(_ text: String?) -> Decimal? {
        guard let text, !text.isEmpty else { return nil }
        return Decimal(exactly: text)
    }
}
