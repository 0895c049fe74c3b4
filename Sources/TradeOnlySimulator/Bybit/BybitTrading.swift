import Foundation
import TradeOnly

/// Bybit v5 order endpoints for spot and linear perpetuals.
enum BybitTrading {
    static let linkIDAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func create(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        let instrument = try call.instrument(in: venue, kind: kind)
        let side: OrderSide
        switch try call.required("side") {
        case "Buy": side = .buy
        case "Sell": side = .sell
        default: throw BybitError.parameter("params error: side invalid")
        }
        let type: OrderType
        switch try call.required("orderType") {
        case "Limit": type = .limit
        case "Market": type = .market
        default: throw BybitError.parameter("params error: orderType invalid")
        }
        for unsupported in ["triggerPrice", "takeProfit", "stopLoss", "orderFilter"] where call.string(unsupported) != nil {
            throw BybitError(10001, "The simulator does not support \(unsupported).")
        }
        guard let amount = try call.decimal("qty") else { throw BybitError.missing("qty") }
        let price = type == .limit ? try call.decimal("price") : nil
        if type == .limit, price == nil { throw BybitError.missing("price") }
        var timeInForce = TimeInForce.goodTillCancel
        var postOnly = false
        switch call.string("timeInForce") ?? "GTC" {
        case "GTC": timeInForce = .goodTillCancel
        case "IOC": timeInForce = .immediateOrCancel
        case "FOK": timeInForce = .fillOrKill
        case "PostOnly":
            timeInForce = .goodTillCancel
            postOnly = type == .limit
        default: throw BybitError.parameter("params error: timeInForce invalid")
        }
        if type == .market { timeInForce = .immediateOrCancel }
        let linkID = call.string("orderLinkId") ?? ""
        guard linkID.count <= 36, linkID.allSatisfy({ linkIDAlphabet.contains($0) }) else {
            throw BybitError.parameter("params error: orderLinkId invalid")
        }
        if let index = call.string("positionIdx"), index != "0" {
            throw BybitError(10001, "position idx not match position mode")
        }
        let reduceOnly = kind == .linearPerpetual ? (try call.flag("reduceOnly") ?? false) : false
        var borrowing = false
        if kind == .spot, let leverage = call.string("isLeverage"), leverage != "0" {
            guard leverage == "1" else { throw BybitError.parameter("params error: isLeverage invalid") }
            guard venue.configuration.allowsSpotBorrowing else {
                throw BybitError(10001, "Margin trading is not open for this account: isLeverage=1 is refused.")
            }
            borrowing = true
        }
        guard instrument.status.isTrading else { throw BybitError(10001, "The symbol is not trading.") }

        // Spot market orders: Buy is in quote units unless marketUnit=baseCoin; Sell in base units
        // unless marketUnit=quoteCoin.
        var quantity: Decimal? = amount
        var quoteQuantity: Decimal?
        if kind == .spot, type == .market {
            let unit = call.string("marketUnit") ?? (side == .buy ? "quoteCoin" : "baseCoin")
            switch unit {
            case "baseCoin": break
            case "quoteCoin":
                quantity = nil
                quoteQuantity = amount
            default: throw BybitError.parameter("params error: marketUnit invalid")
            }
        } else if call.string("marketUnit") != nil, kind != .spot {
            throw BybitError.parameter("params error: marketUnit is for spot market orders only")
        }

        if kind == .spot {
            if let price, !price.isMultiple(of: instrument.tickSize) {
                throw BybitError(170134, "Order price decimal too long.")
            }
            if let quantity {
                if !quantity.isMultiple(of: instrument.quantityStep) { throw BybitError(170137, "Order volume decimal too long.") }
                if quantity <= 0 || quantity < instrument.minimumQuantity {
                    throw BybitError(170136, "Order quantity lower than the minimum.")
                }
                let limit = type == .market ? (instrument.maximumMarketQuantity ?? instrument.maximumQuantity) : instrument.maximumQuantity
                if let limit, quantity > limit { throw BybitError(170124, "Order amount too large.") }
            }
            if let quoteQuantity {
                if !quoteQuantity.isMultiple(of: BybitMarketData.quotePrecision) {
                    throw BybitError(170148, "Market order amount decimal too long.")
                }
                if quoteQuantity <= 0 { throw BybitError(170140, "Order value exceeded lower limit.") }
            }
            let reference = price ?? venue.price(instrument.symbol) ?? 0
            let value = quoteQuantity ?? reference * (quantity ?? 0)
            if let minimum = instrument.minimumNotional, value < minimum {
                throw BybitError(170140, "Order value exceeded lower limit.")
            }
        } else {
            if let price, !price.isMultiple(of: instrument.tickSize) || price <= 0 {
                throw BybitError(10001, "params error: price must be a multiple of the tick size \(instrument.tickSize.plainString)")
            }
            if amount < instrument.quantityStep { throw BybitError(110017, "orderQty will be truncated to zero.") }
            if !amount.isMultiple(of: instrument.quantityStep) { throw BybitError(10001, "Qty invalid") }
            if amount < instrument.minimumQuantity { throw BybitError(10001, "The number of contracts exceeds minimum limit allowed") }
            let limit = type == .market ? (instrument.maximumMarketQuantity ?? instrument.maximumQuantity) : instrument.maximumQuantity
            if let limit, amount > limit { throw BybitError(10001, "The number of contracts exceeds maximum limit allowed") }
            let reference = price ?? venue.price(instrument.symbol) ?? 0
            if !reduceOnly, let minimum = instrument.minimumNotional, reference * amount < minimum {
                throw BybitError(110094, "Order does not meet minimum order value \(minimum.plainString)USDT")
            }
        }

        if !linkID.isEmpty,
            venue.orderIndexes(clientOrderID: linkID).contains(where: { venue.orders[$0].account == call.account && venue.orders[$0].kind == kind })
        {
            throw BybitError(110072, "OrderLinkedID is duplicate")
        }
        let orderID = kind == .spot ? String(1_800_000_000_000_000_000 + venue.orders.count + 1) : venue.randomUUID()
        let placement = OrderPlacement(
            account: call.account, apiKey: call.key?.apiKey ?? "", dialect: "bybit", instrument: instrument, side: side,
            type: type, wireType: type == .limit ? "Limit" : "Market", timeInForce: timeInForce, isPostOnly: postOnly,
            isReduceOnly: reduceOnly, price: price, quantity: quantity, quoteQuantity: quoteQuantity,
            clientOrderID: linkID, exchangeOrderID: orderID, postOnlyCrossing: .cancel, allowsBorrowing: borrowing)
        switch venue.place(placement, at: call.now) {
        case .failure(.insufficientBalance):
            throw kind == .spot ? BybitError(170131, "Insufficient balance.") : BybitError(110007, "ab not enough for new order")
        case .failure(.reduceOnlyRejected):
            throw BybitError(110017, "Reduce-only rule not satisfied")
        case .failure(.postOnlyWouldTake):
            throw BybitError(170218, "The LIMIT-MAKER order is rejected due to its price would immediately match.")
        case .success(let index):
            let order = venue.orders[index]
            return .object([("orderId", .string(order.exchangeOrderID)), ("orderLinkId", .string(order.clientOrderID))])
        }
    }

    private static func findOrder(_ venue: Venue, _ call: BybitCall, instrument: Instrument) throws -> Int {
        if let id = call.string("orderId") {
            guard let index = venue.orderIndex(exchangeOrderID: id, account: call.account, symbol: instrument.symbol) else {
                throw BybitError.orderNotFound
            }
            return index
        }
        if let link = call.string("orderLinkId") {
            guard let index = venue.orderIndex(clientOrderID: link, account: call.account, symbol: instrument.symbol) else {
                throw BybitError.orderNotFound
            }
            return index
        }
        throw BybitError.missing("orderId or orderLinkId")
    }

    static func cancel(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        let instrument = try call.instrument(in: venue, kind: kind)
        let index = try findOrder(venue, call, instrument: instrument)
        guard venue.orders[index].status.isOpen else { throw BybitError.orderNotFound }
        venue.cancel(orderIndex: index, at: call.now, reason: "EC_CancelByUser")
        let order = venue.orders[index]
        return .object([("orderId", .string(order.exchangeOrderID)), ("orderLinkId", .string(order.clientOrderID))])
    }

    static func cancelAll(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        var symbol: Symbol?
        if call.string("symbol") != nil {
            symbol = try call.instrument(in: venue, kind: kind).symbol
        }
        let baseCoin = call.string("baseCoin")
        let settleCoin = call.string("settleCoin")
        if kind == .linearPerpetual, symbol == nil, baseCoin == nil, settleCoin == nil {
            throw BybitError.missing("symbol, baseCoin or settleCoin")
        }
        let indexes = venue.openOrderIndexes(account: call.account, symbol: symbol, kind: kind).filter { index in
            guard let instrument = venue.instrument(venue.orders[index].symbol) else { return false }
            if let baseCoin, instrument.baseAsset != baseCoin { return false }
            if let settleCoin, venue.settleAsset(instrument) != settleCoin { return false }
            return true
        }
        for index in indexes {
            venue.cancel(orderIndex: index, at: call.now, reason: "EC_CancelByUser")
        }
        return .object([
            (
                "list",
                .array(
                    indexes.map { index in
                        .object([
                            ("orderId", .string(venue.orders[index].exchangeOrderID)),
                            ("orderLinkId", .string(venue.orders[index].clientOrderID)),
                        ])
                    })
            ),
            ("success", .string("1")),
        ])
    }

    static func render(_ order: SimulatedOrder, venue: Venue) -> JSONValue {
        let average = order.averagePrice?.rounded(fractionDigits: 8, rule: .toNearestOrAwayFromZero) ?? 0
        let requested = order.quantity ?? order.quoteQuantity ?? 0
        let leaves = order.status.isOpen ? order.remainingQuantity : 0
        let cancelType: String
        switch order.endReason {
        case "EC_CancelByUser": cancelType = "CancelByUser"
        default: cancelType = "UNKNOWN"
        }
        return .object([
            ("orderId", .string(order.exchangeOrderID)),
            ("orderLinkId", .string(order.clientOrderID)),
            ("blockTradeId", .string("")),
            ("symbol", .string(venue.instrument(order.symbol)?.exchangeSymbol ?? order.symbol.rawValue)),
            ("price", BybitFormat.number(order.price ?? 0)),
            ("qty", BybitFormat.number(requested)),
            ("side", .string(BybitFormat.side(order.side))),
            ("isLeverage", .string(order.kind == .spot ? (order.isLeveraged ? "1" : "0") : "")),
            ("positionIdx", .int(0)),
            ("orderStatus", .string(BybitFormat.status(order))),
            ("cancelType", .string(cancelType)),
            ("rejectReason", .string(order.endReason.flatMap { $0 == "EC_CancelByUser" ? nil : $0 } ?? "EC_NoError")),
            ("avgPrice", BybitFormat.number(average)),
            ("leavesQty", BybitFormat.number(leaves)),
            ("leavesValue", BybitFormat.number(leaves * (order.price ?? 0))),
            ("cumExecQty", BybitFormat.number(order.filledQuantity)),
            ("cumExecValue", BybitFormat.number(order.filledQuote)),
            ("cumExecFee", BybitFormat.number(order.fees)),
            ("timeInForce", .string(BybitFormat.timeInForce(order))),
            ("orderType", .string(order.wireType)),
            ("stopOrderType", .string("")),
            ("orderIv", .string("")),
            ("marketUnit", .string(order.type == .market && order.kind == .spot ? (order.quoteQuantity != nil ? "quoteCoin" : "baseCoin") : "")),
            ("triggerPrice", .string("0.00")),
            ("takeProfit", .string("0.00")),
            ("stopLoss", .string("0.00")),
            ("tpTriggerBy", .string("")),
            ("slTriggerBy", .string("")),
            ("triggerDirection", .int(0)),
            ("triggerBy", .string("")),
            ("lastPriceOnCreated", .string("")),
            ("reduceOnly", .bool(order.isReduceOnly)),
            ("closeOnTrigger", .bool(false)),
            ("smpType", .string("None")),
            ("smpGroup", .int(0)),
            ("smpOrderId", .string("")),
            ("tpslMode", .string("")),
            ("tpLimitPrice", .string("")),
            ("slLimitPrice", .string("")),
            ("placeType", .string("")),
            ("createdTime", .string(String(order.createdAt.milliseconds))),
            ("updatedTime", .string(String(order.updatedAt.milliseconds))),
        ])
    }

    static func orders(_ venue: inout Venue, _ call: BybitCall, history: Bool) throws -> JSONValue {
        let kind = try call.category()
        var symbol: Symbol?
        if call.string("symbol") != nil {
            symbol = try call.instrument(in: venue, kind: kind).symbol
        }
        let baseCoin = call.string("baseCoin")
        let settleCoin = call.string("settleCoin")
        if !history, kind == .linearPerpetual, symbol == nil, baseCoin == nil, settleCoin == nil {
            throw BybitError.missing("symbol, baseCoin or settleCoin")
        }
        let orderID = call.string("orderId")
        let linkID = call.string("orderLinkId")
        let openOnly = call.string("openOnly") ?? "0"
        // A query by id looks only at the orders with that id (indexed), not at every order placed.
        let candidates: [SimulatedOrder]
        if let linkID {
            candidates = venue.orderIndexes(clientOrderID: linkID).map { venue.orders[$0] }
        } else if let orderID {
            candidates = (venue.orderIndexesByExchangeID[orderID] ?? []).map { venue.orders[$0] }
        } else {
            candidates = venue.orders
        }
        var selected = candidates.filter { order in
            guard order.account == call.account, order.kind == kind else { return false }
            if let symbol, order.symbol != symbol { return false }
            if let orderID, order.exchangeOrderID != orderID { return false }
            if let linkID, order.clientOrderID != linkID { return false }
            if let baseCoin, venue.instrument(order.symbol)?.baseAsset != baseCoin { return false }
            if let settleCoin, venue.instrument(order.symbol).map({ venue.settleAsset($0) }) != settleCoin { return false }
            if history { return !order.status.isOpen || orderID != nil || linkID != nil }
            if orderID != nil || linkID != nil { return true }
            return order.status.isOpen || openOnly != "0"
        }
        selected.reverse()
        let limit = try call.limit(default: 20, maximum: 50, venue: venue)
        let page = try BybitPage.page(selected, call: call, limit: limit)
        return .object([
            ("category", .string(kind == .spot ? "spot" : "linear")),
            ("list", .array(page.items.map { render($0, venue: venue) })),
            ("nextPageCursor", .string(page.next)),
        ])
    }

    static func executions(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        var symbol: Symbol?
        if call.string("symbol") != nil {
            symbol = try call.instrument(in: venue, kind: kind).symbol
        }
        let orderID = call.string("orderId")
        let linkID = call.string("orderLinkId")
        let start = call.string("startTime").flatMap { Int64($0) }
        let end = call.string("endTime").flatMap { Int64($0) }
        let orders = venue.orders
        var fills = venue.fills.filter { fill in
            guard fill.account == call.account else { return false }
            let order = orders[fill.orderSequence - 1]
            guard order.kind == kind else { return false }
            if let symbol, fill.symbol != symbol { return false }
            if let orderID, fill.exchangeOrderID != orderID { return false }
            if let linkID, fill.clientOrderID != linkID { return false }
            if let start, fill.time.milliseconds < start { return false }
            if let end, fill.time.milliseconds > end { return false }
            return true
        }
        fills.reverse()
        let limit = try call.limit(default: 50, maximum: 100, venue: venue)
        let page = try BybitPage.page(fills, call: call, limit: limit)
        let list = page.items.map { fill -> JSONValue in
            let order = orders[fill.orderSequence - 1]
            return .object([
                ("symbol", .string(venue.instrument(fill.symbol)?.exchangeSymbol ?? fill.symbol.rawValue)),
                ("orderId", .string(fill.exchangeOrderID)),
                ("orderLinkId", .string(fill.clientOrderID)),
                ("side", .string(BybitFormat.side(fill.side))),
                ("orderPrice", BybitFormat.number(order.price ?? 0)),
                ("orderQty", BybitFormat.number(order.quantity ?? order.quoteQuantity ?? 0)),
                ("leavesQty", BybitFormat.number(order.status.isOpen ? order.remainingQuantity : 0)),
                ("createType", .string("CreateByUser")),
                ("orderType", .string(order.wireType)),
                ("stopOrderType", .string("")),
                ("execFee", BybitFormat.number(fill.fee)),
                ("feeCurrency", .string(fill.feeAsset)),
                ("execId", .string(String(fill.tradeID))),
                ("execPrice", BybitFormat.number(fill.price)),
                ("execQty", BybitFormat.number(fill.quantity)),
                ("execType", .string("Trade")),
                ("execValue", BybitFormat.number(fill.quoteQuantity)),
                ("execTime", .string(String(fill.time.milliseconds))),
                ("isMaker", .bool(fill.isMaker)),
                ("feeRate", BybitFormat.number(fill.feeRate)),
                ("tradeIv", .string("")),
                ("markIv", .string("")),
                ("markPrice", BybitFormat.number(venue.price(fill.symbol) ?? fill.price)),
                ("indexPrice", .string("")),
                ("underlyingPrice", .string("")),
                ("blockTradeId", .string("")),
                ("closedSize", .string("")),
                ("seq", .int(fill.tradeID)),
            ])
        }
        return .object([
            ("category", .string(kind == .spot ? "spot" : "linear")),
            ("list", .array(list)),
            ("nextPageCursor", .string(page.next)),
        ])
    }
}
