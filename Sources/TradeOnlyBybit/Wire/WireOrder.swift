import Foundation
import TradeOnly

/// `POST /v5/order/create` and `/v5/order/cancel`: `{"orderId":"…","orderLinkId":"…"}`.
struct WireOrderAck: Decodable {
    let orderId: String
    let orderLinkId: String?
}

/// One entry of `GET /v5/order/realtime` and `/v5/order/history`.
struct WireOrder: Decodable {
    let orderId: String
    let orderLinkId: String?
    let symbol: String
    let price: OptionalWireDecimal?
    let qty: OptionalWireDecimal?
    let side: String
    let orderStatus: String
    let avgPrice: OptionalWireDecimal?
    let cumExecQty: OptionalWireDecimal?
    let timeInForce: String?
    let orderType: String?
    let reduceOnly: Bool?
    let marketUnit: String?
    let createdTime: String?
    let updatedTime: String?
    /// Why Bybit ended the order (`EC_PostOnlyWillTakeLiquidity`, `EC_NoError`…).
    let rejectReason: String?
    /// How it was cancelled (`CancelByUser`, …).
    let cancelType: String?

    /// Bybit's order statuses. `Untriggered` (a conditional order waiting for its trigger) counts as
    /// new; `Deactivated` (cancelled before it triggered) and `PartiallyFilledCanceled` as cancelled.
    /// `Triggered` stays ``OrderStatus/unknown(_:)``: it is neither open nor final on its own.
    static let statusMapping: [String: OrderStatus] = [
        "New": .new,
        "PartiallyFilled": .partiallyFilled,
        "Untriggered": .new,
        "Filled": .filled,
        "Cancelled": .cancelled,
        "PartiallyFilledCanceled": .cancelled,
        "Deactivated": .cancelled,
        "Rejected": .rejected,
    ]

    /// The order, on a market whose unified symbol is known.
    ///
    /// Bybit writes `""` (unified account) or `"0"` (classic) for an average price before any fill:
    /// both become `nil`. A spot market order placed elsewhere in quote units (`marketUnit` `quoteCoin`)
    /// has a `qty` in the quote asset; TradeOnly's quantities are base units, so such an order reports
    /// its filled base quantity as its quantity.
    func order(symbol unified: Symbol) throws -> Order {
        guard let side = BybitWire.side(side) else {
            throw BybitWire.decodingError("Bybit order \(orderId) has an unknown side \"\(self.side)\"")
        }
        let type: OrderType = orderType == "Market" ? .market : .limit
        var timeInForce: TimeInForce?
        var isPostOnly = false
        switch self.timeInForce {
        case "GTC": timeInForce = .goodTillCancel
        case "IOC": timeInForce = .immediateOrCancel
        case "FOK": timeInForce = .fillOrKill
        case "PostOnly", "RPI":
            timeInForce = .goodTillCancel
            isPostOnly = true
        default: timeInForce = nil
        }
        let filled = cumExecQty?.value ?? 0
        var quantity = qty?.value ?? 0
        if type == .market && marketUnit == "quoteCoin" { quantity = filled }
        let average = avgPrice?.value.flatMap { $0 > 0 ? $0 : nil }
        let limitPrice = type == .limit ? price?.value.flatMap { $0 > 0 ? $0 : nil } : nil
        return Order(
            exchangeOrderID: orderId,
            clientOrderID: orderLinkId.flatMap { $0.isEmpty ? nil : $0 },
            symbol: unified, side: side, type: type, timeInForce: timeInForce, isPostOnly: isPostOnly,
            status: OrderStatus(wireValue: orderStatus, mapping: Self.statusMapping),
            price: limitPrice, quantity: quantity, filledQuantity: filled, averagePrice: average,
            isReduceOnly: reduceOnly ?? false,
            createdAt: BybitWire.date(milliseconds: createdTime), updatedAt: BybitWire.date(milliseconds: updatedTime))
    }
}

/// One entry of `GET /v5/execution/list`.
struct WireExecution: Decodable {
    let symbol: String
    let orderId: String
    let orderLinkId: String?
    let side: String
    let execId: String
    let execPrice: WireDecimal
    let execQty: WireDecimal
    let execFee: OptionalWireDecimal?
    let feeCurrency: String?
    let isMaker: Bool?
    let execTime: String
    let execType: String?

    /// Executions that are not trades: funding payments, settlement and delivery.
    static let nonTradeTypes: Set<String> = ["Funding", "Settle", "Delivery"]

    /// The fill, or `nil` for an execution that is not a trade.
    ///
    /// The fee asset is `feeCurrency` when Bybit gives it; otherwise the settlement asset for a
    /// perpetual, and for spot the asset received (the base asset on a buy, the quote on a sell), which
    /// is how Bybit charges spot fees.
    func fill(instrumentSymbol unified: Symbol) throws -> Fill? {
        if let execType, Self.nonTradeTypes.contains(execType) { return nil }
        guard let side = BybitWire.side(side) else {
            throw BybitWire.decodingError("Bybit execution \(execId) has an unknown side \"\(self.side)\"")
        }
        guard let time = BybitWire.date(milliseconds: execTime) else {
            throw BybitWire.decodingError("Bybit execution \(execId) has an unreadable execTime \"\(execTime)\"")
        }
        var asset = feeCurrency ?? ""
        if asset.isEmpty {
            if let settle = unified.settle {
                asset = settle
            } else {
                asset = side == .buy ? unified.base : unified.quote
            }
        }
        return Fill(
            tradeID: execId, exchangeOrderID: orderId, clientOrderID: orderLinkId.flatMap { $0.isEmpty ? nil : $0 },
            symbol: unified, side: side, price: execPrice.value, quantity: execQty.value,
            fee: execFee?.value ?? 0, feeAsset: asset, isMaker: isMaker ?? false, time: time)
    }
}
