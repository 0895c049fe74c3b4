import TradeOnly

/// An order as spot and futures report it: order placement (ACK, RESULT, FULL), query, cancel and
/// open orders. Spot and futures share most fields; the rest are optional here.
struct WireOrder: Decodable {
    let symbol: String
    let orderId: Int64
    /// Spot cancel: the cancel request's own id; otherwise the order's client id.
    let clientOrderId: String?
    /// Spot cancel: the order's client id.
    let origClientOrderId: String?
    let price: OptionalWireDecimal?
    let origQty: OptionalWireDecimal?
    let executedQty: OptionalWireDecimal?
    /// Spot: the quote quantity filled (`cummulativeQuoteQty`, Binance's spelling).
    let cummulativeQuoteQty: OptionalWireDecimal?
    /// Futures: the average fill price (`"0.00000"` when nothing filled).
    let avgPrice: OptionalWireDecimal?
    let status: String?
    let timeInForce: String?
    let type: String?
    let side: String?
    let reduceOnly: Bool?
    let positionSide: String?
    /// Spot query: creation time.
    let time: Int64?
    /// Spot placement and cancel.
    let transactTime: Int64?
    let updateTime: Int64?
}

/// Binance order vocabulary.
enum BinanceOrderMapping {
    static let statuses: [String: OrderStatus] = [
        "NEW": .new,
        "PENDING_NEW": .new,
        "PARTIALLY_FILLED": .partiallyFilled,
        "FILLED": .filled,
        "CANCELED": .cancelled,
        "PENDING_CANCEL": .pendingCancel,
        "REJECTED": .rejected,
        "EXPIRED": .expired,
        "EXPIRED_IN_MATCH": .expired,
    ]

    /// Order types that rest at a limit price once live. Spot `TAKE_PROFIT` is a market order, futures
    /// `TAKE_PROFIT` a limit one, hence two tables.
    static let spotLimitTypes: Set<String> = ["LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"]
    static let futuresLimitTypes: Set<String> = ["LIMIT", "STOP", "TAKE_PROFIT"]

    /// Builds an ``Order`` from a wire order.
    ///
    /// - Parameters:
    ///   - wire: The wire order.
    ///   - symbol: The unified symbol the order was asked for.
    ///   - kind: Spot or linear perpetual.
    ///   - fallbackClientOrderID: The id the order was placed with, for answers that omit it.
    static func order(
        _ wire: WireOrder, symbol: Symbol, kind: MarketKind, fallbackClientOrderID: String? = nil
    ) throws -> Order {
        // An answer without side, status or quantity (an ACK) does not say what the order is: never guess.
        guard let sideText = wire.side, let side = OrderSide(rawValue: sideText.lowercased()),
            let statusText = wire.status, let quantity = wire.origQty?.value
        else {
            throw ExchangeError(
                .decoding, message: "Binance's answer for order \(wire.orderId) lacks its side, status or quantity",
                exchange: Binance.exchangeName)
        }
        let typeText = wire.type ?? "LIMIT"
        let rawPrice = wire.price?.value
        let isLimit: Bool
        if kind == .spot ? spotLimitTypes.contains(typeText) : futuresLimitTypes.contains(typeText) {
            isLimit = true
        } else if typeText.contains("MARKET") || typeText == "STOP_LOSS" || typeText == "TAKE_PROFIT" {
            isLimit = false
        } else {
            isLimit = (rawPrice ?? 0) > 0
        }
        let filled = wire.executedQty?.value ?? 0
        var average: Decimal?
        if filled > 0 {
            if let averagePrice = wire.avgPrice?.value, averagePrice > 0 {
                average = averagePrice
            } else if let quote = wire.cummulativeQuoteQty?.value, quote > 0 {
                average = quote / filled
            }
        }
        let timeInForceText = wire.timeInForce ?? ""
        let isPostOnly = typeText == "LIMIT_MAKER" || timeInForceText == "GTX"
        let timeInForce: TimeInForce?
        switch timeInForceText {
        case "GTC", "GTX": timeInForce = .goodTillCancel
        case "IOC": timeInForce = .immediateOrCancel
        case "FOK": timeInForce = .fillOrKill
        default: timeInForce = typeText == "LIMIT_MAKER" ? .goodTillCancel : nil
        }
        let created = wire.time ?? wire.transactTime
        let updated = wire.updateTime ?? wire.transactTime
        return Order(
            exchangeOrderID: String(wire.orderId),
            clientOrderID: wire.origClientOrderId ?? wire.clientOrderId ?? fallbackClientOrderID,
            symbol: symbol,
            side: side,
            type: isLimit ? .limit : .market,
            timeInForce: timeInForce,
            isPostOnly: isPostOnly,
            status: OrderStatus(wireValue: statusText, mapping: statuses),
            price: isLimit ? rawPrice.flatMap { $0 > 0 ? $0 : nil } : nil,
            quantity: quantity,
            filledQuantity: filled,
            averagePrice: average,
            isReduceOnly: wire.reduceOnly ?? false,
            createdAt: created.map(BinanceTime.date),
            updatedAt: updated.map(BinanceTime.date))
    }
}

/// Binance times: milliseconds since 1970.
enum BinanceTime {
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
