import Foundation
import TradeOnly

/// Bybit public market-data endpoints.
enum BybitMarketData {
    /// The precision of quote amounts (market buys in quote units): `quotePrecision`.
    static let quotePrecision = Decimal(sign: .plus, exponent: -7, significand: 1)

    static func instruments(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        var instruments = venue.instruments(of: kind)
        if let symbol = call.string("symbol") {
            instruments = instruments.filter { $0.exchangeSymbol == symbol }
        }
        if let status = call.string("status") {
            instruments = instruments.filter { BybitFormat.instrumentStatus($0.status) == status }
        }
        var next = ""
        if kind != .spot {
            let limit = try call.limit(default: 500, maximum: 1000, venue: venue)
            let page = try BybitPage.page(instruments, call: call, limit: limit)
            instruments = page.items
            next = page.next
        }
        let list = instruments.map { instrument -> JSONValue in
            if kind == .spot {
                return .object([
                    ("symbol", .string(instrument.exchangeSymbol)),
                    ("baseCoin", .string(instrument.baseAsset)),
                    ("quoteCoin", .string(instrument.quoteAsset)),
                    ("innovation", .string("0")),
                    ("status", .string(BybitFormat.instrumentStatus(instrument.status))),
                    ("marginTrading", .string(venue.configuration.allowsSpotBorrowing ? "utaOnly" : "none")),
                    ("stTag", .string("0")),
                    (
                        "lotSizeFilter",
                        .object([
                            ("basePrecision", BybitFormat.number(instrument.quantityStep)),
                            ("quotePrecision", BybitFormat.number(quotePrecision)),
                            ("minOrderQty", BybitFormat.number(instrument.minimumQuantity)),
                            ("maxOrderQty", BybitFormat.number(instrument.maximumQuantity ?? 1_000_000)),
                            ("minOrderAmt", BybitFormat.number(instrument.minimumNotional ?? 0)),
                            ("maxOrderAmt", BybitFormat.number(instrument.maximumNotional ?? 10_000_000)),
                            ("maxLimitOrderQty", BybitFormat.number(instrument.maximumQuantity ?? 1_000_000)),
                            ("maxMarketOrderQty", BybitFormat.number(instrument.maximumMarketQuantity ?? instrument.maximumQuantity ?? 1_000_000)),
                            ("postOnlyMaxLimitOrderSize", BybitFormat.number(instrument.maximumQuantity ?? 1_000_000)),
                        ])
                    ),
                    ("priceFilter", .object([("tickSize", BybitFormat.number(instrument.tickSize))])),
                    ("riskParameters", .object([("priceLimitRatioX", .string("0.05")), ("priceLimitRatioY", .string("0.05"))])),
                    ("symbolType", .string("")),
                ])
            }
            return .object([
                ("symbol", .string(instrument.exchangeSymbol)),
                ("contractType", .string("LinearPerpetual")),
                ("status", .string(BybitFormat.instrumentStatus(instrument.status))),
                ("baseCoin", .string(instrument.baseAsset)),
                ("quoteCoin", .string(instrument.quoteAsset)),
                ("launchTime", .string("1585526400000")),
                ("deliveryTime", .string("0")),
                ("deliveryFeeRate", .string("")),
                ("priceScale", .string(String(instrument.tickSize.scale))),
                (
                    "leverageFilter",
                    .object([
                        ("minLeverage", .string("1")),
                        ("maxLeverage", .string(venue.configuration.maximumLeverage.formatted(fractionDigits: 2))),
                        ("leverageStep", .string("0.01")),
                    ])
                ),
                (
                    "priceFilter",
                    .object([
                        ("minPrice", BybitFormat.number(instrument.minimumPrice ?? instrument.tickSize)),
                        ("maxPrice", BybitFormat.number(instrument.maximumPrice ?? 1_999_999)),
                        ("tickSize", BybitFormat.number(instrument.tickSize)),
                    ])
                ),
                (
                    "lotSizeFilter",
                    .object([
                        ("maxOrderQty", BybitFormat.number(instrument.maximumQuantity ?? 1000)),
                        ("minOrderQty", BybitFormat.number(instrument.minimumQuantity)),
                        ("qtyStep", BybitFormat.number(instrument.quantityStep)),
                        ("postOnlyMaxOrderQty", BybitFormat.number(instrument.maximumQuantity ?? 1000)),
                        ("maxMktOrderQty", BybitFormat.number(instrument.maximumMarketQuantity ?? instrument.maximumQuantity ?? 1000)),
                        ("minNotionalValue", BybitFormat.number(instrument.minimumNotional ?? 0)),
                    ])
                ),
                ("unifiedMarginTrade", .bool(true)),
                ("fundingInterval", .int(480)),
                ("settleCoin", .string(venue.settleAsset(instrument))),
                ("copyTrading", .string("both")),
                ("upperFundingRate", .string("0.00375")),
                ("lowerFundingRate", .string("-0.00375")),
                ("isPreListing", .bool(false)),
                ("preListingInfo", .null),
            ])
        }
        var result: [(String, JSONValue)] = [("category", .string(kind == .spot ? "spot" : "linear")), ("list", .array(list))]
        if kind != .spot {
            result.append(("nextPageCursor", .string(next)))
        }
        return .object(result)
    }

    static func tickers(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        var instruments = venue.instruments(of: kind)
        if let symbol = call.string("symbol") {
            instruments = instruments.filter { $0.exchangeSymbol == symbol }
            if instruments.isEmpty { throw BybitError.parameter("params error: symbol invalid") }
        }
        let now = call.context.serverMilliseconds
        let list = instruments.map { instrument -> JSONValue in
            let price = venue.price(instrument.symbol) ?? 0
            let book = venue.bookLevels(instrument, depth: 1)
            let volume = venue.fills.filter { $0.symbol == instrument.symbol && $0.time.milliseconds > now - 86_400_000 }
            let baseVolume = volume.reduce(Decimal(0)) { $0 + $1.quantity }
            let turnover = volume.reduce(Decimal(0)) { $0 + $1.quoteQuantity }
            var members: [(String, JSONValue)] = [
                ("symbol", .string(instrument.exchangeSymbol)),
                ("bid1Price", BybitFormat.number(book.bids.first?.price ?? 0)),
                ("bid1Size", BybitFormat.number(book.bids.first?.quantity ?? 0)),
                ("ask1Price", BybitFormat.number(book.asks.first?.price ?? 0)),
                ("ask1Size", BybitFormat.number(book.asks.first?.quantity ?? 0)),
                ("lastPrice", BybitFormat.number(price)),
                ("prevPrice24h", BybitFormat.number(price)),
                ("price24hPcnt", .string("0")),
                ("highPrice24h", BybitFormat.number(price)),
                ("lowPrice24h", BybitFormat.number(price)),
                ("turnover24h", BybitFormat.number(turnover)),
                ("volume24h", BybitFormat.number(baseVolume)),
            ]
            if kind == .spot {
                members.append(("usdIndexPrice", BybitFormat.number(price)))
            } else {
                members += [
                    ("indexPrice", BybitFormat.number(price)),
                    ("markPrice", BybitFormat.number(price)),
                    ("prevPrice1h", BybitFormat.number(price)),
                    ("openInterest", .string("0")),
                    ("openInterestValue", .string("0")),
                    ("fundingRate", .string("0")),
                    ("nextFundingTime", .string(String((now / 28_800_000 + 1) * 28_800_000))),
                    ("predictedDeliveryPrice", .string("")),
                    ("basisRate", .string("")),
                    ("deliveryFeeRate", .string("")),
                    ("deliveryTime", .string("0")),
                    ("basis", .string("")),
                ]
            }
            return .object(members)
        }
        return .object([("category", .string(kind == .spot ? "spot" : "linear")), ("list", .array(list))])
    }

    static func orderBook(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind = try call.category()
        let instrument = try call.instrument(in: venue, kind: kind)
        let defaultLimit = kind == .spot ? 1 : 25
        let limit = min(max(Int(call.string("limit") ?? String(defaultLimit)) ?? defaultLimit, 1), 1000)
        let book = venue.bookLevels(instrument, depth: limit)
        func levels(_ side: [(price: Decimal, quantity: Decimal)]) -> JSONValue {
            .array(side.map { .array([BybitFormat.number($0.price), BybitFormat.number($0.quantity)]) })
        }
        let sequence = venue.orders.count + venue.fills.count + 1
        return .object([
            ("s", .string(instrument.exchangeSymbol)),
            ("b", levels(book.bids)),
            ("a", levels(book.asks)),
            ("ts", .int(call.context.serverMilliseconds)),
            ("u", .int(sequence)),
            ("seq", .int(sequence)),
            ("cts", .int(call.context.serverMilliseconds)),
        ])
    }

    static func klines(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let kind: MarketKind = call.string("category") == nil ? .linearPerpetual : try call.category()
        let instrument = try call.instrument(in: venue, kind: kind)
        guard let length = KlineBuilder.intervalMilliseconds(bybit: try call.required("interval")) else {
            throw BybitError.parameter("params error: interval invalid")
        }
        let limit = min(max(Int(call.string("limit") ?? "200") ?? 200, 1), 1000)
        let start = call.string("start").flatMap { Int64($0) }
        let end = call.string("end").flatMap { Int64($0) }
        let candles = KlineBuilder.candles(
            venue: venue, instrument: instrument, intervalMilliseconds: length, limit: limit, start: start, end: end,
            now: call.context.serverMilliseconds)
        return .object([
            ("symbol", .string(instrument.exchangeSymbol)),
            ("category", .string(kind == .spot ? "spot" : "linear")),
            (
                "list",
                .array(
                    candles.reversed().map { candle in
                        .array([
                            .string(String(candle.open)), BybitFormat.number(candle.openPrice), BybitFormat.number(candle.high),
                            BybitFormat.number(candle.low), BybitFormat.number(candle.close), BybitFormat.number(candle.volume),
                            BybitFormat.number(candle.quoteVolume),
                        ])
                    })
            ),
        ])
    }
}
