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

extension WireOrder {
    /// Reads an order answer with the core ``JSONReader`` in one pass, or `nil` if the reader refuses it,
    /// a field it reads appears twice, or a field is missing or mistyped (then ``decode(from:what:)`` decodes it the `Decodable` way, for
    /// the typed error naming the field).
    init?(flat data: Data) {
        let order = try? JSONReader.read(data, options: .lenient) { (reader: inout JSONReader) throws(JSONError) -> WireOrder? in
            let order = try WireOrder.read(&reader)
            try reader.finish()
            return order
        }
        guard let order = order ?? nil else { return nil }
        self = order
    }

    /// Reads one order object, field by field: each as its `Decodable` conformance reads it.
    private static func read(_ reader: inout JSONReader) throws(JSONError) -> WireOrder? {
        var object = try reader.beginObject()
        var symbol: String?
        var orderId: Int64?
        var clientOrderId: String?
        var origClientOrderId: String?
        var price: OptionalWireDecimal?
        var origQty: OptionalWireDecimal?
        var executedQty: OptionalWireDecimal?
        var cummulativeQuoteQty: OptionalWireDecimal?
        var avgPrice: OptionalWireDecimal?
        var status: String?
        var timeInForce: String?
        var type: String?
        var side: String?
        var reduceOnly: Bool?
        var positionSide: String?
        var time: Int64?
        var transactTime: Int64?
        var updateTime: Int64?
        // As `decodeIfPresent(OptionalWireDecimal.self)`: `null` is no value at all; `""` is a value
        // holding nil.
        func decimal(_ reader: inout JSONReader) throws(JSONError) -> OptionalWireDecimal? {
            if reader.peekIsNull() {
                try reader.readNull()
                return nil
            }
            return OptionalWireDecimal(try reader.readOptionalDecimal())
        }
        var seen = FieldsSeen()
        while let key = try reader.nextKey(&object) {
            guard let position = fieldNames.firstIndex(where: { key.matches($0) }) else {
                try reader.skipValue()
                continue
            }
            // A field read twice: the `Decodable` path decides (repeats of skipped names change nothing).
            guard seen.first(position) else { return nil }
            switch position {
            case 0: symbol = try reader.readString()
            case 1: orderId = try reader.readInt64()
            case 2: clientOrderId = try reader.readOptionalString()
            case 3: origClientOrderId = try reader.readOptionalString()
            case 4: price = try decimal(&reader)
            case 5: origQty = try decimal(&reader)
            case 6: executedQty = try decimal(&reader)
            case 7: cummulativeQuoteQty = try decimal(&reader)
            case 8: avgPrice = try decimal(&reader)
            case 9: status = try reader.readOptionalString()
            case 10: timeInForce = try reader.readOptionalString()
            case 11: type = try reader.readOptionalString()
            case 12: side = try reader.readOptionalString()
            case 13: reduceOnly = try reader.readOptionalBool()
            case 14: positionSide = try reader.readOptionalString()
            case 15: time = try reader.readOptionalInt64()
            case 16: transactTime = try reader.readOptionalInt64()
            default: updateTime = try reader.readOptionalInt64()
            }
        }
        guard let symbol, let orderId else { return nil }
        return WireOrder(
            symbol: symbol, orderId: orderId, clientOrderId: clientOrderId, origClientOrderId: origClientOrderId,
            price: price, origQty: origQty, executedQty: executedQty, cummulativeQuoteQty: cummulativeQuoteQty,
            avgPrice: avgPrice, status: status, timeInForce: timeInForce, type: type, side: side,
            reduceOnly: reduceOnly, positionSide: positionSide, time: time, transactTime: transactTime,
            updateTime: updateTime)
    }

    /// The fields read, in the order of `read`'s positions.
    private static let fieldNames: [StaticString] = [
        "symbol", "orderId", "clientOrderId", "origClientOrderId", "price", "origQty", "executedQty",
        "cummulativeQuoteQty", "avgPrice", "status", "timeInForce", "type", "side", "reduceOnly", "positionSide",
        "time", "transactTime", "updateTime",
    ]

    /// Decodes an order answer: the one-pass reader for ordinary answers, `JSONDecoder` (and its typed
    /// errors) for everything else.
    static func decode(from response: HTTPResponse, what: String) throws -> WireOrder {
        if let order = WireOrder(flat: response.body) { return order }
        return try ResponseClassification.decode(WireOrder.self, from: response, exchange: Binance.exchangeName, what: what)
    }
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
