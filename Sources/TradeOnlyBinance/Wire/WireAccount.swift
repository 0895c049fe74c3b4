import TradeOnly

/// `GET /api/v3/account`.
struct WireSpotAccount: Decodable {
    struct Balance: Decodable {
        let asset: String
        let free: WireDecimal
        let locked: WireDecimal
    }
    let balances: [Balance]
}

/// One entry of `GET /fapi/v3/balance`.
struct WireFuturesBalance: Decodable {
    let asset: String
    /// The wallet balance.
    let balance: WireDecimal
    let availableBalance: WireDecimal
    let crossUnPnl: OptionalWireDecimal?
}

/// One entry of `GET /fapi/v3/positionRisk` (v2's `leverage` and `marginType` are read if present).
struct WirePosition: Decodable {
    let symbol: String
    let positionSide: String?
    let positionAmt: WireDecimal
    let entryPrice: WireDecimal
    let markPrice: OptionalWireDecimal?
    let unRealizedProfit: OptionalWireDecimal?
    let liquidationPrice: OptionalWireDecimal?
    let leverage: OptionalWireDecimal?
    let marginType: String?
    let marginAsset: String?
    let isolatedMargin: OptionalWireDecimal?
    let updateTime: Int64?
}

/// One entry of `GET /api/v3/myTrades` (spot) or `GET /fapi/v1/userTrades` (futures).
struct WireTrade: Decodable {
    let id: Int64
    let orderId: Int64
    let price: WireDecimal
    let qty: WireDecimal
    let commission: WireDecimal
    let commissionAsset: String
    let time: Int64
    /// Spot.
    let isBuyer: Bool?
    let isMaker: Bool?
    /// Futures.
    let side: String?
    let maker: Bool?
}
