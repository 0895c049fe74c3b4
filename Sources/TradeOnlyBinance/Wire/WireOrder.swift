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
    /// Reads an order answer with ``JSONByteReader``, or `nil` if that reader cannot decide exactly as
    /// `JSONDecoder` would (then ``decode(from:what:)`` uses `JSONDecoder`).
    init?(flat data: Data) {
        guard let order = data.withUnsafeBytes({ raw -> WireOrder? in
            var reader = JSONByteReader(raw.bindMemory(to: UInt8.self))
            return WireOrder.read(&reader)
        }) else { return nil }
        self = order
    }

    /// Reads one order object, field by field; `nil` wherever `JSONDecoder` could decide otherwise
    /// (a missing or mistyped field, a duplicate key it reads, malformed JSON, trailing bytes).
    private static func read(_ reader: inout JSONByteReader) -> WireOrder? {
        guard reader.consume(UInt8(ascii: "{")) else { return nil }
        var tokens = [JSONByteReader.Token?](repeating: nil, count: fieldNames.count)
        if !reader.consume(UInt8(ascii: "}")) {
            while true {
                guard let key = reader.key() else { return nil }
                if let position = fieldNames.firstIndex(where: { JSONByteReader.matches(key, $0) }) {
                    guard tokens[position] == nil, let token = reader.value() else { return nil }
                    tokens[position] = token
                } else {
                    guard reader.skipValue() else { return nil }
                }
                if reader.consume(UInt8(ascii: ",")) { continue }
                guard reader.consume(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        guard reader.atEnd() else { return nil }
        func string(_ position: Int) -> String?? {
            guard let token = tokens[position] else { return .some(nil) }
            return token.optionalString
        }
        func decimal(_ position: Int) -> OptionalWireDecimal?? {
            // As `decodeIfPresent(OptionalWireDecimal.self)`: missing or `null` is no value at all;
            // `""` is a value holding nil.
            guard let token = tokens[position], token != .null else { return .some(nil) }
            return token.optionalDecimal.map { .some(OptionalWireDecimal($0)) }
        }
        func integer(_ position: Int) -> Int64?? {
            switch tokens[position] {
            case nil, .null?: return .some(nil)
            case .number(let text)?: return Int64(text).map { .some($0) }
            default: return nil
            }
        }
        guard case .string(let symbol)? = tokens[0], case .number(let idText)? = tokens[1], let orderId = Int64(idText),
            let clientOrderId = string(2), let origClientOrderId = string(3), let price = decimal(4),
            let origQty = decimal(5), let executedQty = decimal(6), let cummulativeQuoteQty = decimal(7),
            let avgPrice = decimal(8), let status = string(9), let timeInForce = string(10), let type = string(11),
            let side = string(12), let positionSide = string(14), let time = integer(15),
            let transactTime = integer(16), let updateTime = integer(17)
        else { return nil }
        let reduceOnly: Bool?
        switch tokens[13] {
        case nil, .null?: reduceOnly = nil
        case .bool(let flag)?: reduceOnly = flag
        default: return nil
        }
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
