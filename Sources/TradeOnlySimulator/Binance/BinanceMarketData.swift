import Foundation
import TradeOnly

/// Binance public market-data endpoints.
enum BinanceMarketData {
    private static func number(_ value: Decimal, futures: Bool) -> JSONValue {
        futures ? BinanceFormat.plain(value) : BinanceFormat.spot(value)
    }

    private static func kind(_ call: BinanceCall) -> MarketKind {
        call.product == .futures ? .linearPerpetual : .spot
    }

    /// The instruments selected by `symbol` or `symbols` (a JSON array), or all of the product's.
    private static func selected(_ venue: Venue, _ call: BinanceCall) throws -> [Instrument] {
        if let symbol = call.string("symbol") {
            guard let instrument = venue.instrument(exchangeSymbol: symbol, kind: kind(call)) else { throw BinanceError.invalidSymbol }
            return [instrument]
        }
        if let list = call.string("symbols") {
            guard let data = list.data(using: .utf8), case .array(let names)? = JSONValue.parseRequest(data) else {
                throw BinanceError(
                    code: -1100,
                    "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'."
                )
            }
            return try names.map { name in
                guard case .string(let text) = name, let instrument = venue.instrument(exchangeSymbol: text, kind: kind(call)) else {
                    throw BinanceError.invalidSymbol
                }
                return instrument
            }
        }
        return venue.instruments(of: kind(call))
    }

    static func spotExchangeInfo(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instruments = try selected(venue, call)
        let rateLimits: JSONValue = .array([
            rateLimit("REQUEST_WEIGHT", "MINUTE", 1, venue.configuration.binanceWeightLimit),
            rateLimit("ORDERS", "SECOND", 10, 100),
            rateLimit("ORDERS", "DAY", 1, 200_000),
            rateLimit("RAW_REQUESTS", "MINUTE", 5, 61_000),
        ])
        let symbols = instruments.map { instrument -> JSONValue in
            var filters: [JSONValue] = [
                .object([
                    ("filterType", .string("PRICE_FILTER")),
                    ("minPrice", BinanceFormat.spot(instrument.minimumPrice ?? 0)),
                    ("maxPrice", BinanceFormat.spot(instrument.maximumPrice ?? 0)),
                    ("tickSize", BinanceFormat.spot(instrument.tickSize)),
                ]),
                .object([
                    ("filterType", .string("LOT_SIZE")),
                    ("minQty", BinanceFormat.spot(instrument.minimumQuantity)),
                    ("maxQty", BinanceFormat.spot(instrument.maximumQuantity ?? 9_000_000)),
                    ("stepSize", BinanceFormat.spot(instrument.quantityStep)),
                ]),
            ]
            if let maximum = instrument.maximumMarketQuantity {
                filters.append(
                    .object([
                        ("filterType", .string("MARKET_LOT_SIZE")),
                        ("minQty", BinanceFormat.spot(0)),
                        ("maxQty", BinanceFormat.spot(maximum)),
                        ("stepSize", BinanceFormat.spot(0)),
                    ]))
            }
            if instrument.minimumNotional != nil || instrument.maximumNotional != nil {
                filters.append(
                    .object([
                        ("filterType", .string("NOTIONAL")),
                        ("minNotional", BinanceFormat.spot(instrument.minimumNotional ?? 0)),
                        ("applyMinToMarket", .bool(instrument.minimumNotionalAppliesToMarketOrders)),
                        ("maxNotional", BinanceFormat.spot(instrument.maximumNotional ?? 9_000_000)),
                        ("applyMaxToMarket", .bool(instrument.maximumNotionalAppliesToMarketOrders && instrument.maximumNotional != nil)),
                        ("avgPriceMins", .int(5)),
                    ]))
            }
            filters.append(.object([("filterType", .string("MAX_NUM_ORDERS")), ("maxNumOrders", .int(200))]))
            return .object([
                ("symbol", .string(instrument.exchangeSymbol)),
                ("status", .string(BinanceFormat.instrumentStatus(instrument.status, futures: false))),
                ("baseAsset", .string(instrument.baseAsset)),
                ("baseAssetPrecision", .int(8)),
                ("quoteAsset", .string(instrument.quoteAsset)),
                ("quotePrecision", .int(8)),
                ("quoteAssetPrecision", .int(8)),
                ("baseCommissionPrecision", .int(8)),
                ("quoteCommissionPrecision", .int(8)),
                ("orderTypes", .array([.string("LIMIT"), .string("LIMIT_MAKER"), .string("MARKET")])),
                ("icebergAllowed", .bool(false)),
                ("ocoAllowed", .bool(false)),
                ("otoAllowed", .bool(false)),
                ("quoteOrderQtyMarketAllowed", .bool(true)),
                ("allowTrailingStop", .bool(false)),
                ("cancelReplaceAllowed", .bool(false)),
                ("isSpotTradingAllowed", .bool(true)),
                ("isMarginTradingAllowed", .bool(false)),
                ("filters", .array(filters)),
                ("permissions", .array([])),
                ("permissionSets", .array([.array([.string("SPOT")])])),
                ("defaultSelfTradePreventionMode", .string("NONE")),
                ("allowedSelfTradePreventionModes", .array([.string("NONE")])),
            ])
        }
        return .object([
            ("timezone", .string("UTC")),
            ("serverTime", .int(call.context.serverMilliseconds)),
            ("rateLimits", rateLimits),
            ("exchangeFilters", .array([])),
            ("symbols", .array(symbols)),
        ])
    }

    private static func rateLimit(_ type: String, _ interval: String, _ number: Int, _ limit: Int) -> JSONValue {
        .object([
            ("rateLimitType", .string(type)), ("interval", .string(interval)), ("intervalNum", .int(number)),
            ("limit", .int(limit)),
        ])
    }

    /// The number of decimals Binance futures reports as `pricePrecision` (at least 2, as for BTCUSDT
    /// whose tick is 0.10: not the tick size, as the docs warn).
    static func pricePrecision(_ instrument: Instrument) -> Int {
        max(instrument.tickSize.scale, 2)
    }

    static func quantityPrecision(_ instrument: Instrument) -> Int {
        instrument.quantityStep.scale
    }

    static func futuresExchangeInfo(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instruments = venue.instruments(of: .linearPerpetual)
        let settleAssets = Array(Set(instruments.map { venue.settleAsset($0) })).sorted()
        let symbols = instruments.map { instrument -> JSONValue in
            .object([
                ("symbol", .string(instrument.exchangeSymbol)),
                ("pair", .string(instrument.exchangeSymbol)),
                ("contractType", .string("PERPETUAL")),
                ("deliveryDate", .int(4_133_404_800_000)),
                ("onboardDate", .int(1_569_398_400_000)),
                ("status", .string(BinanceFormat.instrumentStatus(instrument.status, futures: true))),
                ("maintMarginPercent", .string("2.5000")),
                ("requiredMarginPercent", .string("5.0000")),
                ("baseAsset", .string(instrument.baseAsset)),
                ("quoteAsset", .string(instrument.quoteAsset)),
                ("marginAsset", .string(venue.settleAsset(instrument))),
                ("pricePrecision", .int(pricePrecision(instrument))),
                ("quantityPrecision", .int(quantityPrecision(instrument))),
                ("baseAssetPrecision", .int(8)),
                ("quotePrecision", .int(8)),
                ("underlyingType", .string("COIN")),
                ("underlyingSubType", .array([])),
                ("triggerProtect", .string("0.0500")),
                ("liquidationFee", .string("0.012500")),
                ("marketTakeBound", .string("0.05")),
                ("maxMoveOrderLimit", .int(10000)),
                (
                    "filters",
                    .array([
                        .object([
                            ("filterType", .string("PRICE_FILTER")),
                            ("minPrice", BinanceFormat.plain(instrument.minimumPrice ?? instrument.tickSize)),
                            ("maxPrice", BinanceFormat.plain(instrument.maximumPrice ?? 1_000_000)),
                            ("tickSize", BinanceFormat.plain(instrument.tickSize)),
                        ]),
                        .object([
                            ("filterType", .string("LOT_SIZE")),
                            ("minQty", BinanceFormat.plain(instrument.minimumQuantity)),
                            ("maxQty", BinanceFormat.plain(instrument.maximumQuantity ?? 1000)),
                            ("stepSize", BinanceFormat.plain(instrument.quantityStep)),
                        ]),
                        .object([
                            ("filterType", .string("MARKET_LOT_SIZE")),
                            ("minQty", BinanceFormat.plain(instrument.minimumQuantity)),
                            ("maxQty", BinanceFormat.plain(instrument.maximumMarketQuantity ?? instrument.maximumQuantity ?? 1000)),
                            ("stepSize", BinanceFormat.plain(instrument.quantityStep)),
                        ]),
                        .object([("filterType", .string("MAX_NUM_ORDERS")), ("limit", .int(200))]),
                        .object([("filterType", .string("MAX_NUM_ALGO_ORDERS")), ("limit", .int(10))]),
                        .object([
                            ("filterType", .string("MIN_NOTIONAL")),
                            ("notional", BinanceFormat.plain(instrument.minimumNotional ?? 0)),
                        ]),
                        .object([
                            ("filterType", .string("PERCENT_PRICE")),
                            ("multiplierUp", .string("1.0500")), ("multiplierDown", .string("0.9500")),
                            ("multiplierDecimal", .string("4")),
                        ]),
                    ])
                ),
                ("orderTypes", .array([.string("LIMIT"), .string("MARKET")])),
                ("timeInForce", .array([.string("GTC"), .string("IOC"), .string("FOK"), .string("GTX")])),
            ])
        }
        return .object([
            ("timezone", .string("UTC")),
            ("serverTime", .int(call.context.serverMilliseconds)),
            ("futuresType", .string("U_MARGINED")),
            (
                "rateLimits",
                .array([
                    rateLimit("REQUEST_WEIGHT", "MINUTE", 1, 2400),
                    rateLimit("ORDERS", "MINUTE", 1, 1200),
                    rateLimit("ORDERS", "SECOND", 10, 300),
                ])
            ),
            ("exchangeFilters", .array([])),
            (
                "assets",
                .array(
                    settleAssets.map { asset in
                        .object([("asset", .string(asset)), ("marginAvailable", .bool(true)), ("autoAssetExchange", .string("-10000"))])
                    })
            ),
            ("symbols", .array(symbols)),
        ])
    }

    static func tickerPrice(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let futures = call.product == .futures
        let entries = try selected(venue, call).map { instrument -> JSONValue in
            var members: [(String, JSONValue)] = [
                ("symbol", .string(instrument.exchangeSymbol)),
                ("price", number(venue.price(instrument.symbol) ?? 0, futures: futures)),
            ]
            if futures { members.append(("time", .int(call.context.serverMilliseconds))) }
            return .object(members)
        }
        return call.string("symbol") != nil ? (entries.first ?? .object([])) : .array(entries)
    }

    static func bookTicker(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let futures = call.product == .futures
        let entries = try selected(venue, call).map { instrument -> JSONValue in
            let book = venue.bookLevels(instrument, depth: 1)
            var members: [(String, JSONValue)] = [
                ("symbol", .string(instrument.exchangeSymbol)),
                ("bidPrice", number(book.bids.first?.price ?? 0, futures: futures)),
                ("bidQty", number(book.bids.first?.quantity ?? 0, futures: futures)),
                ("askPrice", number(book.asks.first?.price ?? 0, futures: futures)),
                ("askQty", number(book.asks.first?.quantity ?? 0, futures: futures)),
            ]
            if futures { members.append(("time", .int(call.context.serverMilliseconds))) }
            return .object(members)
        }
        return call.string("symbol") != nil ? (entries.first ?? .object([])) : .array(entries)
    }

    /// Spot `GET /api/v3/ticker/24hr`: the last price and the best bid and ask with their quantities
    /// (the rolling-window statistics are not simulated: volumes are zero, open and close prices the
    /// current price).
    static func ticker24hr(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let now = call.context.serverMilliseconds
        let entries = try selected(venue, call).map { instrument -> JSONValue in
            let book = venue.bookLevels(instrument, depth: 1)
            let price = venue.price(instrument.symbol) ?? 0
            return .object([
                ("symbol", .string(instrument.exchangeSymbol)),
                ("priceChange", number(0, futures: false)),
                ("priceChangePercent", .string("0.000")),
                ("weightedAvgPrice", number(price, futures: false)),
                ("prevClosePrice", number(price, futures: false)),
                ("lastPrice", number(price, futures: false)),
                ("lastQty", number(0, futures: false)),
                ("bidPrice", number(book.bids.first?.price ?? 0, futures: false)),
                ("bidQty", number(book.bids.first?.quantity ?? 0, futures: false)),
                ("askPrice", number(book.asks.first?.price ?? 0, futures: false)),
                ("askQty", number(book.asks.first?.quantity ?? 0, futures: false)),
                ("openPrice", number(price, futures: false)),
                ("highPrice", number(price, futures: false)),
                ("lowPrice", number(price, futures: false)),
                ("volume", number(0, futures: false)),
                ("quoteVolume", number(0, futures: false)),
                ("openTime", .int(now - 86_400_000)),
                ("closeTime", .int(now)),
                ("firstId", .int(-1)),
                ("lastId", .int(-1)),
                ("count", .int(0)),
            ])
        }
        return call.string("symbol") != nil ? (entries.first ?? .object([])) : .array(entries)
    }

    static func depth(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let futures = call.product == .futures
        let limit = min(max(Int(call.string("limit") ?? (futures ? "500" : "100")) ?? 100, 1), 5000)
        let book = venue.bookLevels(instrument, depth: limit)
        func levels(_ side: [(price: Decimal, quantity: Decimal)]) -> JSONValue {
            .array(side.map { .array([number($0.price, futures: futures), number($0.quantity, futures: futures)]) })
        }
        var members: [(String, JSONValue)] = [("lastUpdateId", .int(venue.orders.count + venue.fills.count + 1))]
        if futures {
            members.append(("E", .int(call.context.serverMilliseconds)))
            members.append(("T", .int(call.context.serverMilliseconds)))
        }
        members.append(("bids", levels(book.bids)))
        members.append(("asks", levels(book.asks)))
        return .object(members)
    }

    static func averagePrice(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        return .object([
            ("mins", .int(5)), ("price", BinanceFormat.spot(venue.price(instrument.symbol) ?? 0)),
            ("closeTime", .int(call.context.serverMilliseconds)),
        ])
    }

    static func premiumIndex(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let now = call.context.serverMilliseconds
        let nextFunding = (now / 28_800_000 + 1) * 28_800_000
        let entries = try selected(venue, call).map { instrument -> JSONValue in
            let price = venue.price(instrument.symbol) ?? 0
            return .object([
                ("symbol", .string(instrument.exchangeSymbol)),
                ("markPrice", BinanceFormat.plain(price)),
                ("indexPrice", BinanceFormat.plain(price)),
                ("estimatedSettlePrice", BinanceFormat.plain(price)),
                ("lastFundingRate", .string("0.00000000")),
                ("interestRate", .string("0.00010000")),
                ("nextFundingTime", .int(nextFunding)),
                ("time", .int(now)),
            ])
        }
        return call.string("symbol") != nil ? (entries.first ?? .object([])) : .array(entries)
    }

    static func klines(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        let interval = try call.required("interval")
        guard let length = KlineBuilder.intervalMilliseconds(binance: interval) else {
            throw BinanceError(code: -1120, "Invalid interval.")
        }
        let futures = call.product == .futures
        let limit = min(max(Int(call.string("limit") ?? "500") ?? 500, 1), futures ? 1500 : 1000)
        let candles = KlineBuilder.candles(
            venue: venue, instrument: instrument, intervalMilliseconds: length, limit: limit,
            start: try call.integer("startTime"), end: try call.integer("endTime"), now: call.context.serverMilliseconds)
        return .array(
            candles.map { candle in
                .array([
                    .int(candle.open), number(candle.openPrice, futures: futures), number(candle.high, futures: futures),
                    number(candle.low, futures: futures), number(candle.close, futures: futures),
                    number(candle.volume, futures: futures), .int(candle.open + length - 1),
                    number(candle.quoteVolume, futures: futures), .int(candle.trades),
                    number(0, futures: futures), number(0, futures: futures), .string("0"),
                ])
            })
    }
}
