import TradeOnly

/// `GET /api/v3/depth` and `GET /fapi/v1/depth`: levels are `[price, quantity]` string pairs.
struct WireDepth: Decodable {
    let lastUpdateId: Int64
    let bids: [[WireDecimal]]
    let asks: [[WireDecimal]]
    /// Futures: the transaction time (`T`).
    let transactionTime: Int64?
    /// Futures: the message time (`E`).
    let messageTime: Int64?

    private enum CodingKeys: String, CodingKey {
        case lastUpdateId, bids, asks
        case transactionTime = "T"
        case messageTime = "E"
    }
}

/// `GET /api/v3/ticker/24hr?symbol=…` (spot, the FULL answer).
struct WireSpotTicker: Decodable {
    let symbol: String
    let lastPrice: OptionalWireDecimal?
    let bidPrice: OptionalWireDecimal?
    let bidQty: OptionalWireDecimal?
    let askPrice: OptionalWireDecimal?
    let askQty: OptionalWireDecimal?
    let closeTime: Int64?
}

/// `GET /fapi/v1/ticker/bookTicker?symbol=…`.
struct WireBookTicker: Decodable {
    let symbol: String
    let bidPrice: OptionalWireDecimal?
    let bidQty: OptionalWireDecimal?
    let askPrice: OptionalWireDecimal?
    let askQty: OptionalWireDecimal?
    let time: Int64?
}

/// `GET /fapi/v1/ticker/price?symbol=…`.
struct WirePriceTicker: Decodable {
    let symbol: String
    let price: WireDecimal
    let time: Int64?
}
