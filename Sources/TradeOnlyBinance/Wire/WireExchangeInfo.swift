import TradeOnly

/// `GET /api/v3/exchangeInfo` and `GET /fapi/v1/exchangeInfo`: only what instruments need.
struct WireExchangeInfo: Decodable {
    let symbols: [WireSymbol]

    /// Decodes an exchange-info answer: the one-pass reader, or `JSONDecoder` (and its typed errors)
    /// for anything the reader does not decide.
    static func decode(from response: HTTPResponse, what: String) throws -> WireExchangeInfo {
        if let info = BinanceExchangeInfoReader.read(response.body) { return info }
        return try ResponseClassification.decode(
            WireExchangeInfo.self, from: response, exchange: Binance.exchangeName, what: what)
    }
}

/// One symbol of an exchange-info answer (spot or futures).
struct WireSymbol: Decodable {
    let symbol: String
    let status: String
    let baseAsset: String
    let quoteAsset: String
    /// Futures only: `PERPETUAL`, `CURRENT_QUARTER`, … (empty for delisted contracts).
    let contractType: String?
    /// Futures only: the asset the contract is margined and settled in.
    let marginAsset: String?
    let filters: [WireFilter]
}

/// One filter. Only the known filter types are read; every other type (PERCENT_PRICE,
/// MAX_NUM_ORDERS, TRAILING_DELTA, …) is kept as its name and ignored, whatever its fields hold.
struct WireFilter: Decodable {
    enum Kind: Equatable {
        case price(minimum: Decimal?, maximum: Decimal?, tick: Decimal?)
        case lotSize(minimum: Decimal?, maximum: Decimal?, step: Decimal?)
        case marketLotSize(minimum: Decimal?, maximum: Decimal?, step: Decimal?)
        /// Spot `minNotional` + `applyToMarket`; futures `notional`.
        case minimumNotional(Decimal?, appliesToMarket: Bool?)
        case notional(minimum: Decimal?, maximum: Decimal?, minimumAppliesToMarket: Bool?, maximumAppliesToMarket: Bool?)
        case other(String)
    }

    let kind: Kind

    init(kind: Kind) {
        self.kind = kind
    }

    private enum CodingKeys: String, CodingKey {
        case filterType, minPrice, maxPrice, tickSize, minQty, maxQty, stepSize
        case minNotional, applyToMarket, notional, maxNotional, applyMinToMarket, applyMaxToMarket
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .filterType)
        func decimal(_ key: CodingKeys) throws -> Decimal? { try container.decodeDecimalIfPresent(forKey: key) }
        func flag(_ key: CodingKeys) throws -> Bool? { try container.decodeIfPresent(Bool.self, forKey: key) }
        switch type {
        case "PRICE_FILTER":
            kind = .price(minimum: try decimal(.minPrice), maximum: try decimal(.maxPrice), tick: try decimal(.tickSize))
        case "LOT_SIZE":
            kind = .lotSize(minimum: try decimal(.minQty), maximum: try decimal(.maxQty), step: try decimal(.stepSize))
        case "MARKET_LOT_SIZE":
            kind = .marketLotSize(
                minimum: try decimal(.minQty), maximum: try decimal(.maxQty), step: try decimal(.stepSize))
        case "MIN_NOTIONAL":
            kind = .minimumNotional(
                try decimal(.minNotional) ?? decimal(.notional), appliesToMarket: try flag(.applyToMarket))
        case "NOTIONAL":
            kind = .notional(
                minimum: try decimal(.minNotional), maximum: try decimal(.maxNotional),
                minimumAppliesToMarket: try flag(.applyMinToMarket), maximumAppliesToMarket: try flag(.applyMaxToMarket))
        default:
            kind = .other(type)
        }
    }
}
