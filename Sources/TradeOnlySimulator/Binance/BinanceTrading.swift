import Foundation
import TradeOnly

/// Binance order endpoints, spot and USDⓈ-M futures.
enum BinanceTrading {
    static let spotClientIDAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    static let futuresClientIDAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/")

    private static func side(_ call: BinanceCall) throws -> OrderSide {
        switch try call.required("side") {
        case "BUY": return .buy
        case "SELL": return .sell
        default: throw BinanceError(code: -1117, "Invalid side.")
        }
    }

    /// The order's client order id: `newClientOrderId` if given (checked against the spot or futures
    /// alphabet), else a generated one.
    ///
    /// A client order id already held by an open order of the account on the same symbol is refused as
    /// Binance refuses it: spot -2010 "Duplicate order sent.", futures -4116 "ClientOrderId is duplicated.".
    private static func clientOrderID(
        _ call: BinanceCall, venue: inout Venue, instrument: Instrument, futures: Bool
    ) throws -> String {
        let alphabet = futures ? futuresClientIDAlphabet : spotClientIDAlphabet
        let given = call.string("newClientOrderId") ?? venue.randomAlphanumeric(count: 22)
        guard given.count <= 36, given.allSatisfy({ alphabet.contains($0) }) else {
            let range = futures ? "^[\\.A-Z\\:/a-z0-9_-]{1,36}$" : "^[a-zA-Z0-9-_]{1,36}$"
            throw BinanceError(code: -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '\(range)'.")
        }
        if venue.hasOpenOrder(clientOrderID: given, account: call.account, symbol: instrument.symbol) {
            throw futures
                ? BinanceError(code: -4116, "ClientOrderId is duplicated.")
                : BinanceError(code: -2010, "Duplicate order sent.")
        }
        return given
    }

    // MARK: Spot placement

    static func placeSpot(_ venue: inout Venue, _ call: BinanceCall, test: Bool) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let side = try side(call)
        let typeName = try call.required("type")
        let type: OrderType
        var postOnly = false
        switch typeName {
        case "LIMIT": type = .limit
        case "MARKET": type = .market
        case "LIMIT_MAKER":
            type = .limit
            postOnly = true
        case "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT":
            throw BinanceError(code: -1013, "The simulator does not support \(typeName) orders.")
        default:
            throw BinanceError(code: -1116, "Invalid orderType.")
        }
        var timeInForce = TimeInForce.goodTillCancel
        if typeName == "LIMIT" {
            switch try call.required("timeInForce") {
            case "GTC": timeInForce = .goodTillCancel
            case "IOC": timeInForce = .immediateOrCancel
            case "FOK": timeInForce = .fillOrKill
            default: throw BinanceError(code: -1115, "Invalid timeInForce.")
            }
        } else if call.string("timeInForce") != nil {
            throw BinanceError.notRequired("timeInForce")
        } else if type == .market {
            timeInForce = .immediateOrCancel
        }
        let quantity = try call.decimal("quantity")
        let quoteQuantity = try call.decimal("quoteOrderQty")
        let price = try call.decimal("price")
        switch type {
        case .limit:
            guard let quantity else { throw BinanceError.mandatory("quantity") }
            guard price != nil else { throw BinanceError.mandatory("price") }
            if quoteQuantity != nil { throw BinanceError.notRequired("quoteOrderQty") }
            _ = quantity
        case .market:
            if price != nil { throw BinanceError.notRequired("price") }
            if quantity == nil, quoteQuantity == nil {
                throw BinanceError(code: -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
            }
            if quantity != nil, quoteQuantity != nil {
                throw BinanceError(code: -1106, "Parameter 'quoteOrderQty' sent when not required.")
            }
        }
        let responseType = call.string("newOrderRespType") ?? (typeName == "LIMIT_MAKER" ? "ACK" : "FULL")
        guard ["ACK", "RESULT", "FULL"].contains(responseType) else {
            throw BinanceError(code: -1100, "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.")
        }
        guard instrument.status.isTrading else { throw BinanceError(code: -1013, "Market is closed.") }

        // Filters, in Binance's order: precision, PRICE_FILTER, LOT_SIZE / MARKET_LOT_SIZE, NOTIONAL.
        if let price {
            if price.scale > 8 { throw BinanceError(code: -1111, "Parameter 'price' has too much precision.") }
            if price <= 0 { throw BinanceError(code: -1013, "Invalid price.") }
            if let minimum = instrument.minimumPrice, minimum > 0, price < minimum { throw BinanceError.filter("PRICE_FILTER") }
            if let maximum = instrument.maximumPrice, maximum > 0, price > maximum { throw BinanceError.filter("PRICE_FILTER") }
            if !price.isMultiple(of: instrument.tickSize) { throw BinanceError.filter("PRICE_FILTER") }
        }
        if let quantity {
            if quantity.scale > 8 { throw BinanceError(code: -1111, "Parameter 'quantity' has too much precision.") }
            if quantity <= 0 { throw BinanceError(code: -1013, "Invalid quantity.") }
            if quantity < instrument.minimumQuantity || !quantity.isMultiple(of: instrument.quantityStep)
                || instrument.maximumQuantity.map({ quantity > $0 }) == true
            {
                throw BinanceError.filter("LOT_SIZE")
            }
            if type == .market, let maximum = instrument.maximumMarketQuantity, quantity > maximum {
                throw BinanceError.filter("MARKET_LOT_SIZE")
            }
        }
        if let quoteQuantity {
            if quoteQuantity.scale > 8 { throw BinanceError(code: -1111, "Parameter 'quoteOrderQty' has too much precision.") }
            if quoteQuantity <= 0 { throw BinanceError(code: -1013, "Invalid quoteOrderQty.") }
        }
        let reference = price ?? venue.price(instrument.symbol) ?? 0
        let notional = quoteQuantity ?? (reference * (quantity ?? 0))
        let checkMinimum = type == .limit || instrument.minimumNotionalAppliesToMarketOrders
        if checkMinimum, let minimum = instrument.minimumNotional, notional < minimum { throw BinanceError.filter("NOTIONAL") }
        let checkMaximum = type == .limit || instrument.maximumNotionalAppliesToMarketOrders
        if checkMaximum, let maximum = instrument.maximumNotional, notional > maximum { throw BinanceError.filter("NOTIONAL") }

        if test { return .object([]) }

        let clientID = try clientOrderID(call, venue: &venue, instrument: instrument, futures: false)

        let sequence = venue.orders.count + 1
        let placement = OrderPlacement(
            account: call.account, apiKey: call.key?.apiKey ?? "", dialect: "binance", instrument: instrument,
            side: side, type: type, wireType: typeName, timeInForce: timeInForce, isPostOnly: postOnly,
            price: price, quantity: quantity, quoteQuantity: quoteQuantity, clientOrderID: clientID,
            exchangeOrderID: String(sequence))
        let fillsBefore = venue.fills.count
        switch venue.place(placement, at: call.now) {
        case .failure(.insufficientBalance): throw BinanceError.insufficientBalance
        case .failure(.postOnlyWouldTake): throw BinanceError(code: -2010, "Order would immediately match and take.")
        case .failure(.reduceOnlyRejected): throw BinanceError(code: -2010, "Reduce only is not supported on spot.")
        case .success(let index):
            let order = venue.orders[index]
            let time = call.context.serverMilliseconds
            var members: [(String, JSONValue)] = [
                ("symbol", .string(instrument.exchangeSymbol)),
                ("orderId", .int(order.sequence)),
                ("orderListId", .int(-1)),
                ("clientOrderId", .string(order.clientOrderID)),
                ("transactTime", .int(time)),
            ]
            if responseType == "ACK" { return .object(members) }
            members += [
                ("price", BinanceFormat.spot(order.price ?? 0)),
                ("origQty", BinanceFormat.spot(order.quantity ?? 0)),
                ("executedQty", BinanceFormat.spot(order.filledQuantity)),
                ("origQuoteOrderQty", BinanceFormat.spot(order.quoteQuantity ?? 0)),
                ("cummulativeQuoteQty", BinanceFormat.spot(order.filledQuote)),
                ("status", .string(BinanceFormat.status(order.status))),
                ("timeInForce", .string(BinanceFormat.timeInForce(order))),
                ("type", .string(order.wireType)),
                ("side", .string(order.side == .buy ? "BUY" : "SELL")),
                ("workingTime", .int(order.status.isOpen ? time : -1)),
                ("selfTradePreventionMode", .string("NONE")),
            ]
            if responseType == "FULL" {
                let fills = venue.fills[fillsBefore...].filter { $0.orderSequence == order.sequence }
                members.append(
                    (
                        "fills",
                        .array(
                            fills.map { fill in
                                .object([
                                    ("price", BinanceFormat.spot(fill.price)),
                                    ("qty", BinanceFormat.spot(fill.quantity)),
                                    ("commission", BinanceFormat.spot(fill.fee)),
                                    ("commissionAsset", .string(fill.feeAsset)),
                                    ("tradeId", .int(fill.tradeID)),
                                ])
                            })
                    ))
            }
            return .object(members)
        }
    }

    // MARK: Futures placement

    static func placeFutures(_ venue: inout Venue, _ call: BinanceCall, test: Bool) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let side = try side(call)
        let typeName = try call.required("type")
        let type: OrderType
        switch typeName {
        case "LIMIT": type = .limit
        case "MARKET": type = .market
        case "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET":
            throw BinanceError(code: -1116, "The simulator does not support \(typeName) orders.")
        default:
            throw BinanceError(code: -1116, "Invalid orderType.")
        }
        var timeInForce = TimeInForce.immediateOrCancel
        var postOnly = false
        if type == .limit {
            switch try call.required("timeInForce") {
            case "GTC": timeInForce = .goodTillCancel
            case "IOC": timeInForce = .immediateOrCancel
            case "FOK": timeInForce = .fillOrKill
            case "GTX":
                timeInForce = .goodTillCancel
                postOnly = true
            case "GTD": throw BinanceError(code: -1116, "The simulator does not support GTD orders.")
            default: throw BinanceError(code: -1115, "Invalid timeInForce.")
            }
        }
        if let positionSide = call.string("positionSide"), positionSide != "BOTH" {
            throw BinanceError(code: -4061, "Order's position side does not match user's setting.")
        }
        var reduceOnly = false
        if let text = call.string("reduceOnly") {
            switch text {
            case "true": reduceOnly = true
            case "false": reduceOnly = false
            default: throw BinanceError(code: -1130, "Data sent for parameter 'reduceOnly' is not valid.")
            }
        }
        guard let quantity = try call.decimal("quantity") else { throw BinanceError.mandatory("quantity") }
        let price = try call.decimal("price")
        if type == .limit, price == nil { throw BinanceError.mandatory("price") }
        if type == .market, price != nil { throw BinanceError.notRequired("price") }
        let responseType = call.string("newOrderRespType") ?? "ACK"
        guard ["ACK", "RESULT"].contains(responseType) else {
            throw BinanceError(code: -1100, "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT'.")
        }
        guard instrument.status.isTrading else { throw BinanceError(code: -4140, "Invalid symbol status for opening position.") }

        if let price {
            if price.scale > BinanceMarketData.pricePrecision(instrument) {
                throw BinanceError(code: -1111, "Precision is over the maximum defined for this asset.")
            }
            if price <= 0 { throw BinanceError(code: -4013, "Price less than min price.") }
            if let minimum = instrument.minimumPrice, price < minimum { throw BinanceError(code: -4013, "Price less than min price.") }
            if let maximum = instrument.maximumPrice, price > maximum {
                throw BinanceError(code: -4016, "Limit price can't be higher than \(maximum.plainString).")
            }
            if !price.isMultiple(of: instrument.tickSize) { throw BinanceError(code: -4014, "Price not increased by tick size.") }
        }
        if quantity.scale > BinanceMarketData.quantityPrecision(instrument) {
            throw BinanceError(code: -1111, "Precision is over the maximum defined for this asset.")
        }
        if quantity <= 0 { throw BinanceError(code: -4003, "Quantity less than or equal to zero.") }
        if quantity < instrument.minimumQuantity { throw BinanceError(code: -4004, "Quantity less than min quantity.") }
        if !quantity.isMultiple(of: instrument.quantityStep) { throw BinanceError(code: -4023, "Quantity not increased by step size.") }
        let maximum = type == .market ? (instrument.maximumMarketQuantity ?? instrument.maximumQuantity) : instrument.maximumQuantity
        if let maximum, quantity > maximum { throw BinanceError(code: -4005, "Quantity greater than max quantity.") }
        let reference = price ?? venue.price(instrument.symbol) ?? 0
        if !reduceOnly, let minimum = instrument.minimumNotional, reference * quantity < minimum {
            throw BinanceError(code: -4164, "Order's notional must be no smaller than \(minimum.plainString) (unless you choose reduce only).")
        }

        if test { return .object([]) }

        let clientID = try clientOrderID(call, venue: &venue, instrument: instrument, futures: true)

        let sequence = venue.orders.count + 1
        let placement = OrderPlacement(
            account: call.account, apiKey: call.key?.apiKey ?? "", dialect: "binance", instrument: instrument,
            side: side, type: type, wireType: typeName, timeInForce: timeInForce, isPostOnly: postOnly,
            isReduceOnly: reduceOnly, price: price, quantity: quantity, clientOrderID: clientID,
            exchangeOrderID: String(sequence))
        switch venue.place(placement, at: call.now) {
        case .failure(.insufficientBalance): throw BinanceError(code: -2019, "Margin is insufficient.")
        case .failure(.postOnlyWouldTake):
            throw BinanceError(
                code: -5022,
                "Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history"
            )
        case .failure(.reduceOnlyRejected): throw BinanceError(code: -2022, "ReduceOnly Order is rejected.")
        case .success(let index):
            var order = venue.orders[index]
            if responseType == "ACK" {
                // ACK reports the order as accepted, before the matching engine ran.
                order.status = .new
                order.filledQuantity = 0
                order.filledQuote = 0
            }
            return futuresOrder(order, instrument: instrument, includeTime: false)
        }
    }

    // MARK: Rendering

    static func spotOrder(_ order: SimulatedOrder, instrument: Instrument) -> JSONValue {
        .object([
            ("symbol", .string(instrument.exchangeSymbol)),
            ("orderId", .int(order.sequence)),
            ("orderListId", .int(-1)),
            ("clientOrderId", .string(order.clientOrderID)),
            ("price", BinanceFormat.spot(order.price ?? 0)),
            ("origQty", BinanceFormat.spot(order.quantity ?? 0)),
            ("executedQty", BinanceFormat.spot(order.filledQuantity)),
            ("cummulativeQuoteQty", BinanceFormat.spot(order.filledQuote)),
            ("status", .string(BinanceFormat.status(order.status))),
            ("timeInForce", .string(BinanceFormat.timeInForce(order))),
            ("type", .string(order.wireType)),
            ("side", .string(order.side == .buy ? "BUY" : "SELL")),
            ("stopPrice", BinanceFormat.spot(0)),
            ("icebergQty", BinanceFormat.spot(0)),
            ("time", .int(order.createdAt.milliseconds)),
            ("updateTime", .int(order.updatedAt.milliseconds)),
            ("isWorking", .bool(order.status.isOpen)),
            ("workingTime", .int(order.createdAt.milliseconds)),
            ("origQuoteOrderQty", BinanceFormat.spot(order.quoteQuantity ?? 0)),
            ("selfTradePreventionMode", .string("NONE")),
        ])
    }

    static func futuresOrder(_ order: SimulatedOrder, instrument: Instrument, includeTime: Bool) -> JSONValue {
        let average = order.averagePrice.map { $0.rounded(fractionDigits: 8, rule: .toNearestOrAwayFromZero) } ?? 0
        var members: [(String, JSONValue)] = [
            ("orderId", .int(order.sequence)),
            ("symbol", .string(instrument.exchangeSymbol)),
            ("status", .string(BinanceFormat.status(order.status))),
            ("clientOrderId", .string(order.clientOrderID)),
            ("price", BinanceFormat.plain(order.price ?? 0)),
            ("avgPrice", BinanceFormat.plain(average)),
            ("origQty", BinanceFormat.plain(order.quantity ?? 0)),
            ("executedQty", BinanceFormat.plain(order.filledQuantity)),
            ("cumQty", BinanceFormat.plain(order.filledQuantity)),
            ("cumQuote", BinanceFormat.plain(order.filledQuote)),
            ("timeInForce", .string(BinanceFormat.timeInForce(order))),
            ("type", .string(order.wireType)),
            ("reduceOnly", .bool(order.isReduceOnly)),
            ("closePosition", .bool(false)),
            ("side", .string(order.side == .buy ? "BUY" : "SELL")),
            ("positionSide", .string("BOTH")),
            ("stopPrice", .string("0")),
            ("workingType", .string("CONTRACT_PRICE")),
            ("priceProtect", .bool(false)),
            ("origType", .string(order.wireType)),
            ("priceMatch", .string("NONE")),
            ("selfTradePreventionMode", .string("NONE")),
            ("goodTillDate", .int(0)),
        ]
        if includeTime {
            members.append(("time", .int(order.createdAt.milliseconds)))
        }
        members.append(("updateTime", .int(order.updatedAt.milliseconds)))
        return .object(members)
    }

    private static func render(_ order: SimulatedOrder, _ instrument: Instrument, _ call: BinanceCall) -> JSONValue {
        call.product == .futures
            ? futuresOrder(order, instrument: instrument, includeTime: true) : spotOrder(order, instrument: instrument)
    }

    // MARK: Cancel and query

    /// The order named by `orderId` or `origClientOrderId`.
    private static func findOrder(_ venue: Venue, _ call: BinanceCall, instrument: Instrument, notFound: BinanceError) throws -> Int {
        if let id = try call.integer("orderId") {
            guard let index = venue.orderIndex(exchangeOrderID: String(id), account: call.account, symbol: instrument.symbol) else {
                throw notFound
            }
            return index
        }
        if let clientID = call.string("origClientOrderId") {
            guard let index = venue.orderIndex(clientOrderID: clientID, account: call.account, symbol: instrument.symbol) else {
                throw notFound
            }
            return index
        }
        throw BinanceError(code: -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    }

    static func cancel(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let index = try findOrder(venue, call, instrument: instrument, notFound: .unknownOrderCancel)
        guard venue.orders[index].status.isOpen else { throw BinanceError.unknownOrderCancel }
        venue.cancel(orderIndex: index, at: call.now)
        let order = venue.orders[index]
        if call.product == .futures {
            return futuresOrder(order, instrument: instrument, includeTime: false)
        }
        return cancelledSpotOrder(order, instrument: instrument, venue: &venue, call: call)
    }

    private static func cancelledSpotOrder(_ order: SimulatedOrder, instrument: Instrument, venue: inout Venue, call: BinanceCall) -> JSONValue {
        let cancelID = call.string("newClientOrderId") ?? venue.randomAlphanumeric(count: 22)
        return .object([
            ("symbol", .string(instrument.exchangeSymbol)),
            ("origClientOrderId", .string(order.clientOrderID)),
            ("orderId", .int(order.sequence)),
            ("orderListId", .int(-1)),
            ("clientOrderId", .string(cancelID)),
            ("transactTime", .int(call.context.serverMilliseconds)),
            ("price", BinanceFormat.spot(order.price ?? 0)),
            ("origQty", BinanceFormat.spot(order.quantity ?? 0)),
            ("executedQty", BinanceFormat.spot(order.filledQuantity)),
            ("origQuoteOrderQty", BinanceFormat.spot(order.quoteQuantity ?? 0)),
            ("cummulativeQuoteQty", BinanceFormat.spot(order.filledQuote)),
            ("status", .string(BinanceFormat.status(order.status))),
            ("timeInForce", .string(BinanceFormat.timeInForce(order))),
            ("type", .string(order.wireType)),
            ("side", .string(order.side == .buy ? "BUY" : "SELL")),
            ("selfTradePreventionMode", .string("NONE")),
        ])
    }

    static func cancelAll(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let indexes = venue.openOrderIndexes(account: call.account, symbol: instrument.symbol)
        for index in indexes {
            venue.cancel(orderIndex: index, at: call.now)
        }
        if call.product == .futures {
            return .object([("code", .int(200)), ("msg", .string("The operation of cancel all open order is done."))])
        }
        guard !indexes.isEmpty else { throw BinanceError.unknownOrderCancel }
        return .array(indexes.map { cancelledSpotOrder(venue.orders[$0], instrument: instrument, venue: &venue, call: call) })
    }

    static func query(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let index = try findOrder(venue, call, instrument: instrument, notFound: .noSuchOrder)
        return render(venue.orders[index], instrument, call)
    }

    static func openOrders(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.optionalInstrument(in: venue)
        let kind: MarketKind = call.product == .futures ? .linearPerpetual : .spot
        let indexes = venue.openOrderIndexes(account: call.account, symbol: instrument?.symbol, kind: kind)
        return .array(
            indexes.compactMap { index in
                let order = venue.orders[index]
                return venue.instrument(order.symbol).map { render(order, $0, call) }
            })
    }

    static func allOrders(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let limit = min(max(Int(call.string("limit") ?? "500") ?? 500, 1), 1000)
        let fromID = try call.integer("orderId")
        let start = try call.integer("startTime")
        let end = try call.integer("endTime")
        var orders = venue.orders.filter { $0.account == call.account && $0.symbol == instrument.symbol }
        if let fromID { orders = orders.filter { $0.sequence >= fromID } }
        if let start { orders = orders.filter { $0.createdAt.milliseconds >= start } }
        if let end { orders = orders.filter { $0.createdAt.milliseconds <= end } }
        let selected = fromID != nil || start != nil ? Array(orders.prefix(limit)) : Array(orders.suffix(limit))
        return .array(selected.map { render($0, instrument, call) })
    }

    static func trades(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let limit = min(max(Int(call.string("limit") ?? "500") ?? 500, 1), 1000)
        var fills = venue.fills.filter { $0.account == call.account && $0.symbol == instrument.symbol }
        if let orderID = try call.integer("orderId") { fills = fills.filter { $0.orderSequence == orderID } }
        if let fromID = try call.integer("fromId") { fills = fills.filter { $0.tradeID >= fromID } }
        if let start = try call.integer("startTime") { fills = fills.filter { $0.time.milliseconds >= start } }
        if let end = try call.integer("endTime") { fills = fills.filter { $0.time.milliseconds <= end } }
        let selected = call.string("fromId") != nil || call.string("startTime") != nil ? Array(fills.prefix(limit)) : Array(fills.suffix(limit))
        if call.product == .futures {
            return .array(
                selected.map { fill in
                    .object([
                        ("buyer", .bool(fill.side == .buy)),
                        ("commission", BinanceFormat.plain(fill.fee)),
                        ("commissionAsset", .string(fill.feeAsset)),
                        ("id", .int(fill.tradeID)),
                        ("maker", .bool(fill.isMaker)),
                        ("orderId", .int(fill.orderSequence)),
                        ("price", BinanceFormat.plain(fill.price)),
                        ("qty", BinanceFormat.plain(fill.quantity)),
                        ("quoteQty", BinanceFormat.plain(fill.quoteQuantity)),
                        ("realizedPnl", BinanceFormat.plain(fill.realizedPnL)),
                        ("side", .string(fill.side == .buy ? "BUY" : "SELL")),
                        ("positionSide", .string("BOTH")),
                        ("symbol", .string(instrument.exchangeSymbol)),
                        ("time", .int(fill.time.milliseconds)),
                    ])
                })
        }
        return .array(
            selected.map { fill in
                .object([
                    ("symbol", .string(instrument.exchangeSymbol)),
                    ("id", .int(fill.tradeID)),
                    ("orderId", .int(fill.orderSequence)),
                    ("orderListId", .int(-1)),
                    ("price", BinanceFormat.spot(fill.price)),
                    ("qty", BinanceFormat.spot(fill.quantity)),
                    ("quoteQty", BinanceFormat.spot(fill.quoteQuantity)),
                    ("commission", BinanceFormat.spot(fill.fee)),
                    ("commissionAsset", .string(fill.feeAsset)),
                    ("time", .int(fill.time.milliseconds)),
                    ("isBuyer", .bool(fill.side == .buy)),
                    ("isMaker", .bool(fill.isMaker)),
                    ("isBestMatch", .bool(true)),
                ])
            })
    }
}
