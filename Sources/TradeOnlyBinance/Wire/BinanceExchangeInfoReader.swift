import TradeOnly

/// Reads an exchange-info answer (3–4 MB for Binance spot) in one pass with the core ``JSONReader``,
/// taking only what instruments need: each symbol's `symbol`, `status`, `baseAsset`, `quoteAsset`,
/// `contractType`, `marginAsset` and `filters`, and within filters only the fields of the filter types
/// TradeOnly reads. Everything else is checked by the reader and skipped without building it.
///
/// The result is the same ``WireExchangeInfo`` that its `Decodable` conformance would produce. When the
/// reader refuses the answer (malformed JSON), a field it reads appears twice in one object, or a field
/// is missing or mistyped, it returns `nil` and the caller decodes with the `Decodable` path, which then
/// throws its usual typed error naming the field. (Repeats of names it skips change nothing it reads, so
/// the reader runs without the general duplicate-name check, which cost about 10 % of this decode.)
enum BinanceExchangeInfoReader {
    static func read(_ data: Data) -> WireExchangeInfo? {
        let info = try? JSONReader.read(data, options: .lenient) { (reader: inout JSONReader) throws(JSONError) -> WireExchangeInfo? in
            var object = try reader.beginObject()
            var symbols: [WireSymbol]?
            while let key = try reader.nextKey(&object) {
                if key.matches("symbols") {
                    guard symbols == nil, let list = try readSymbols(&reader) else { return nil }
                    symbols = list
                } else {
                    try reader.skipValue()
                }
            }
            try reader.finish()
            return symbols.map(WireExchangeInfo.init(symbols:))
        }
        return info ?? nil
    }

    private static func readSymbols(_ reader: inout JSONReader) throws(JSONError) -> [WireSymbol]? {
        var array = try reader.beginArray()
        var symbols: [WireSymbol] = []
        symbols.reserveCapacity(4096)
        while try reader.nextElement(&array) {
            guard let symbol = try readSymbol(&reader) else { return nil }
            symbols.append(symbol)
        }
        return symbols
    }

    private static func readSymbol(_ reader: inout JSONReader) throws(JSONError) -> WireSymbol? {
        var object = try reader.beginObject()
        var symbol: String?
        var status: String?
        var baseAsset: String?
        var quoteAsset: String?
        var contractType: String?
        var marginAsset: String?
        var filters: [WireFilter]?
        var seen = FieldsSeen()
        while let key = try reader.nextKey(&object) {
            switch key.raw.count {
            case 6 where key.matches("symbol"):
                guard seen.first(0) else { return nil }
                symbol = try reader.readString()
            case 6 where key.matches("status"):
                guard seen.first(1) else { return nil }
                status = try reader.readString()
            case 9 where key.matches("baseAsset"):
                guard seen.first(2) else { return nil }
                baseAsset = try reader.readString()
            case 10 where key.matches("quoteAsset"):
                guard seen.first(3) else { return nil }
                quoteAsset = try reader.readString()
            case 12 where key.matches("contractType"):
                guard seen.first(4) else { return nil }
                contractType = try reader.readOptionalString()
            case 11 where key.matches("marginAsset"):
                guard seen.first(5) else { return nil }
                marginAsset = try reader.readOptionalString()
            case 7 where key.matches("filters"):
                guard seen.first(6), let list = try readFilters(&reader) else { return nil }
                filters = list
            default: try reader.skipValue()
            }
        }
        guard let symbol, let status, let baseAsset, let quoteAsset, let filters else { return nil }
        return WireSymbol(
            symbol: symbol, status: status, baseAsset: baseAsset, quoteAsset: quoteAsset,
            contractType: contractType, marginAsset: marginAsset, filters: filters)
    }

    private static func readFilters(_ reader: inout JSONReader) throws(JSONError) -> [WireFilter]? {
        var array = try reader.beginArray()
        var filters: [WireFilter] = []
        filters.reserveCapacity(12)
        while try reader.nextElement(&array) {
            guard let filter = try readFilter(&reader) else { return nil }
            filters.append(filter)
        }
        return filters
    }

    /// The filter fields TradeOnly reads, by position.
    private static let fieldNames: [StaticString] = [
        "minPrice", "maxPrice", "tickSize", "minQty", "maxQty", "stepSize", "minNotional", "applyToMarket",
        "notional", "maxNotional", "applyMinToMarket", "applyMaxToMarket",
    ]
    private static func readFilter(_ reader: inout JSONReader) throws(JSONError) -> WireFilter? {
        var object = try reader.beginObject()
        var type: String?
        var fields = [JSONReader.Token?](repeating: nil, count: fieldNames.count)
        while let key = try reader.nextKey(&object) {
            if key.matches("filterType") {
                guard type == nil else { return nil }
                type = try reader.readString()
            } else if let position = fieldNames.firstIndex(where: { key.matches($0) }) {
                guard fields[position] == nil else { return nil }
                fields[position] = try reader.readToken()
            } else {
                try reader.skipValue()
            }
        }
        guard let type else { return nil }
        // Each read the way WireFilter's Decodable init reads it, and only for the filter types that
        // read it; `nil` where that init would throw.
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
            return WireFilter(
                kind: type == "LOT_SIZE"
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
            return WireFilter(
                kind: .notional(
                    minimum: minimum, maximum: maximum, minimumAppliesToMarket: minimumToMarket,
                    maximumAppliesToMarket: maximumToMarket))
        default:
            return WireFilter(kind: .other(type))
        }
    }
}

/// The fields a one-pass reader has read in one object, by position (up to 64): a field read twice makes
/// the reader decline the answer, so that the `Decodable` path decides it.
struct FieldsSeen {
    private var bits: UInt64 = 0

    /// Whether field `position` is read for the first time in this object; marks it read.
    mutating func first(_ position: Int) -> Bool {
        let bit = UInt64(1) << UInt64(position)
        defer { bits |= bit }
        return bits & bit == 0
    }
}
