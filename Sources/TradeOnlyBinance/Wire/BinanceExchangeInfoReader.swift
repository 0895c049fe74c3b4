import TradeOnly

/// Reads an exchange-info answer (3–4 MB for Binance spot) in one pass, taking only what instruments
/// need: each symbol's `symbol`, `status`, `baseAsset`, `quoteAsset`, `contractType`, `marginAsset` and
/// `filters`, and within filters only the fields of the filter types TradeOnly reads. Everything else
/// is checked for well-formedness and skipped without building it.
///
/// The result is the same ``WireExchangeInfo`` that `JSONDecoder` would produce. When the reader meets
/// anything it does not decide exactly as `JSONDecoder` would (a missing or mistyped field, a duplicate
/// key it reads, malformed JSON), it returns `nil` and the caller decodes with `JSONDecoder`, which then
/// throws its usual typed error.
enum BinanceExchangeInfoReader {
    static func read(_ data: Data) -> WireExchangeInfo? {
        data.withUnsafeBytes { raw -> WireExchangeInfo? in
            var reader = JSONByteReader(raw.bindMemory(to: UInt8.self))
            guard reader.consume(UInt8(ascii: "{")) else { return nil }
            var symbols: [WireSymbol]?
            if !reader.consume(UInt8(ascii: "}")) {
                while true {
                    guard let key = reader.key() else { return nil }
                    if JSONByteReader.matches(key, "symbols") {
                        guard symbols == nil, let list = readSymbols(&reader) else { return nil }
                        symbols = list
                    } else {
                        guard reader.skipValue() else { return nil }
                    }
                    if reader.consume(UInt8(ascii: ",")) { continue }
                    guard reader.consume(UInt8(ascii: "}")) else { return nil }
                    break
                }
            }
            guard reader.atEnd(), let symbols else { return nil }
            return WireExchangeInfo(symbols: symbols)
        }
    }

    private static func readSymbols(_ reader: inout JSONByteReader) -> [WireSymbol]? {
        guard reader.consume(UInt8(ascii: "[")) else { return nil }
        var symbols: [WireSymbol] = []
        symbols.reserveCapacity(4096)
        if reader.consume(UInt8(ascii: "]")) { return symbols }
        while true {
            guard let symbol = readSymbol(&reader) else { return nil }
            symbols.append(symbol)
            if reader.consume(UInt8(ascii: ",")) { continue }
            guard reader.consume(UInt8(ascii: "]")) else { return nil }
            return symbols
        }
    }

    private static func readSymbol(_ reader: inout JSONByteReader) -> WireSymbol? {
        guard reader.consume(UInt8(ascii: "{")) else { return nil }
        var symbol: String?, status: String?, baseAsset: String?, quoteAsset: String?
        var contractType: String??, marginAsset: String??
        var filters: [WireFilter]?
        func required(_ slot: inout String?, _ reader: inout JSONByteReader) -> Bool {
            guard slot == nil, let text = reader.string() else { return false }
            slot = text
            return true
        }
        func optional(_ slot: inout String??, _ reader: inout JSONByteReader) -> Bool {
            guard slot == nil, let token = reader.value(), let text = token.optionalString else { return false }
            slot = .some(text)
            return true
        }
        if !reader.consume(UInt8(ascii: "}")) {
            while true {
                guard let key = reader.key() else { return nil }
                let ok: Bool
                switch key.count {
                case 6 where JSONByteReader.matches(key, "symbol"): ok = required(&symbol, &reader)
                case 6 where JSONByteReader.matches(key, "status"): ok = required(&status, &reader)
                case 9 where JSONByteReader.matches(key, "baseAsset"): ok = required(&baseAsset, &reader)
                case 10 where JSONByteReader.matches(key, "quoteAsset"): ok = required(&quoteAsset, &reader)
                case 12 where JSONByteReader.matches(key, "contractType"): ok = optional(&contractType, &reader)
                case 11 where JSONByteReader.matches(key, "marginAsset"): ok = optional(&marginAsset, &reader)
                case 7 where JSONByteReader.matches(key, "filters"):
                    if filters == nil, let list = readFilters(&reader) {
                        filters = list
                        ok = true
                    } else {
                        ok = false
                    }
                default: ok = reader.skipValue()
                }
                guard ok else { return nil }
                if reader.consume(UInt8(ascii: ",")) { continue }
                guard reader.consume(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        guard let symbol, let status, let baseAsset, let quoteAsset, let filters else { return nil }
        return WireSymbol(
            symbol: symbol, status: status, baseAsset: baseAsset, quoteAsset: quoteAsset,
            contractType: contractType ?? nil, marginAsset: marginAsset ?? nil, filters: filters)
    }

    private static func readFilters(_ reader: inout JSONByteReader) -> [WireFilter]? {
        guard reader.consume(UInt8(ascii: "[")) else { return nil }
        var filters: [WireFilter] = []
        filters.reserveCapacity(12)
        if reader.consume(UInt8(ascii: "]")) { return filters }
        while true {
            guard let filter = readFilter(&reader) else { return nil }
            filters.append(filter)
            if reader.consume(UInt8(ascii: ",")) { continue }
            guard reader.consume(UInt8(ascii: "]")) else { return nil }
            return filters
        }
    }

    /// The filter fields TradeOnly reads, by position in `fieldNames`.
    private static let fieldNames: [StaticString] = [
        "minPrice", "maxPrice", "tickSize", "minQty", "maxQty", "stepSize", "minNotional", "applyToMarket",
        "notional", "maxNotional", "applyMinToMarket", "applyMaxToMarket",
    ]

    private static func readFilter(_ reader: inout JSONByteReader) -> WireFilter? {
        guard reader.consume(UInt8(ascii: "{")) else { return nil }
        var type: String?
        var fields = [JSONByteReader.Token?](repeating: nil, count: fieldNames.count)
        if !reader.consume(UInt8(ascii: "}")) {
            while true {
                guard let key = reader.key() else { return nil }
                if JSONByteReader.matches(key, "filterType") {
                    guard type == nil, let text = reader.string() else { return nil }
                    type = text
                } else if let position = fieldNames.firstIndex(where: { JSONByteReader.matches(key, $0) }) {
                    guard fields[position] == nil, let token = reader.value() else { return nil }
                    fields[position] = token
                } else {
                    guard reader.skipValue() else { return nil }
                }
                if reader.consume(UInt8(ascii: ",")) { continue }
                guard reader.consume(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        guard let type else { return nil }
        // Each read the way WireFilter's Decodable init reads it; `nil` when JSONDecoder would refuse.
        func decimal(_ position: Int) -> Decimal?? {
            guard let token = fields[position] else { return .some(nil) }
            return token.optionalDecimal
        }
        func flag(_ position: Int) -> Bool?? {
            guard let token = fields[position] else { return .some(nil) }
            return token.optionalBool
        }
        switch type {
        case "PRICE_FILTER":
            guard let minimum = decimal(0), let maximum = decimal(1), let tick = decimal(2) else { return nil }
            return WireFilter(kind: .price(minimum: minimum, maximum: maximum, tick: tick))
        case "LOT_SIZE", "MARKET_LOT_SIZE":
            guard let minimum = decimal(3), let maximum = decimal(4), let step = decimal(5) else { return nil }
            return WireFilter(kind: type == "LOT_SIZE"
                ? .lotSize(minimum: minimum, maximum: maximum, step: step)
                : .marketLotSize(minimum: minimum, maximum: maximum, step: step))
        case "MIN_NOTIONAL":
            guard let minimum = decimal(6), let applies = flag(7) else { return nil }
            if let minimum { return WireFilter(kind: .minimumNotional(minimum, appliesToMarket: applies)) }
            guard let notional = decimal(8) else { return nil }
            return WireFilter(kind: .minimumNotional(notional, appliesToMarket: applies))
        case "NOTIONAL":
            guard let minimum = decimal(6), let maximum = decimal(9), let minimumToMarket = flag(10),
                let maximumToMarket = flag(11)
            else { return nil }
            return WireFilter(kind: .notional(
                minimum: minimum, maximum: maximum, minimumAppliesToMarket: minimumToMarket,
                maximumAppliesToMarket: maximumToMarket))
        default:
            return WireFilter(kind: .other(type))
        }
    }
}
