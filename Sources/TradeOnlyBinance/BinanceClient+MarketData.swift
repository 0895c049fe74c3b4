import TradeOnly

extension BinanceClient {
    /// Binance's time (`GET /api/v3/time`).
    public func serverTime() async throws -> Date {
        let response = try await send(ExchangeRequest(method: .get, path: "/api/v3/time", weight: 1))
        let wire = try decode(WireServerTime.self, from: response, what: "server time")
        return BinanceTime.date(wire.serverTime)
    }

    /// Every instrument of a kind, fetched now (`GET /api/v3/exchangeInfo` for spot,
    /// `GET /fapi/v1/exchangeInfo` for linear perpetuals, contract type `PERPETUAL` only), with the
    /// `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`, `MIN_NOTIONAL` and `NOTIONAL` rules. The result
    /// replaces the client's cache of that kind.
    ///
    /// - Parameter kind: `.spot` or `.linearPerpetual`.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for inverse perpetuals.
    public func instruments(_ kind: MarketKind) async throws -> [Instrument] {
        let instruments: [Instrument]
        switch kind {
        case .spot:
            let response = try await send(ExchangeRequest(method: .get, path: "/api/v3/exchangeInfo", weight: 20))
            instruments = BinanceInstruments.spot(try WireExchangeInfo.decode(from: response, what: "spot exchange info"))
        case .linearPerpetual:
            let response = try await send(ExchangeRequest(method: .get, path: "/fapi/v1/exchangeInfo", weight: 1))
            instruments = BinanceInstruments.linearPerpetuals(
                try WireExchangeInfo.decode(from: response, what: "futures exchange info"))
        case .inversePerpetual:
            throw ExchangeError(
                .invalidRequest, message: "this client serves Binance spot and USDⓈ-M futures, not COIN-M (inverse) perpetuals",
                exchange: Binance.exchangeName)
        }
        cache.store(instruments, for: kind, at: binance.timeSource.now())
        return instruments
    }

    /// One instrument, from the client's cache (fetched when missing or older than
    /// ``Binance/Configuration/instrumentCacheLifetime``; a symbol missing from a cache older than a
    /// minute fetches the list again, for new listings).
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` naming a symbol Binance
    ///   does not list.
    public func instrument(_ symbol: Symbol) async throws -> Instrument {
        let now = binance.timeSource.now()
        if let cached = cache.cachedInstrument(symbol, now: now) { return cached }
        let kind = try kind(of: symbol)
        return try await cache.instrument(
            symbol, kind: kind, now: now, unknown: { Self.unknown(symbol, kind) },
            fetch: { try await instruments(kind) })
    }

    /// The best bid and ask with their quantities, and the last price.
    ///
    /// Spot: one `GET /api/v3/ticker/24hr?symbol=…` (it carries all five, and `closeTime`).
    /// Futures: `GET /fapi/v1/ticker/bookTicker` and `GET /fapi/v1/ticker/price`, concurrently.
    public func ticker(_ symbol: Symbol) async throws -> Ticker {
        let kind = try kind(of: symbol)
        let id = exchangeSymbol(for: symbol, kind: kind)
        return try await symbol.naming(sentAs: id) { try await ticker(symbol, kind: kind, id: id) }
    }

    private func ticker(_ symbol: Symbol, kind: MarketKind, id: String) async throws -> Ticker {
        let parameters: RequestParameters = ["symbol": id]
        if kind == .spot {
            let response = try await send(
                ExchangeRequest(method: .get, path: "/api/v3/ticker/24hr", parameters: parameters, weight: 2))
            let wire = try decode(WireSpotTicker.self, from: response, what: "ticker")
            return Ticker(
                symbol: symbol, lastPrice: wire.lastPrice?.value, bidPrice: wire.bidPrice?.value,
                askPrice: wire.askPrice?.value, bidQuantity: wire.bidQty?.value, askQuantity: wire.askQty?.value,
                time: wire.closeTime.map(BinanceTime.date))
        }
        async let bookResponse = send(
            ExchangeRequest(method: .get, path: "/fapi/v1/ticker/bookTicker", parameters: parameters, weight: 2))
        async let priceResponse = send(
            ExchangeRequest(method: .get, path: "/fapi/v1/ticker/price", parameters: parameters, weight: 1))
        let book = try decode(WireBookTicker.self, from: try await bookResponse, what: "book ticker")
        let price = try decode(WirePriceTicker.self, from: try await priceResponse, what: "price ticker")
        return Ticker(
            symbol: symbol, lastPrice: price.price.value, bidPrice: book.bidPrice?.value, askPrice: book.askPrice?.value,
            bidQuantity: book.bidQty?.value, askQuantity: book.askQty?.value,
            time: (book.time ?? price.time).map(BinanceTime.date))
    }

    /// The futures depths Binance accepts (`GET /fapi/v1/depth`).
    static let futuresDepths = [5, 10, 20, 50, 100, 500, 1000]

    /// The spot maximum depth (`GET /api/v3/depth` takes any limit up to 5000).
    static let spotMaximumDepth = 5000

    /// The limit sent for a requested depth: spot takes it as is (up to 5000); futures the nearest
    /// allowed value at or above it (up to 1000).
    static func depthLimit(for depth: Int, kind: MarketKind) -> Int {
        if kind == .spot { return min(depth, spotMaximumDepth) }
        return futuresDepths.first { $0 >= depth } ?? futuresDepths[futuresDepths.count - 1]
    }

    /// The request weight of an order book of `limit` levels: spot 5 (≤ 100), 25 (≤ 500), 50 (≤ 1000),
    /// 250; futures 2 (≤ 50), 5 (100), 10 (500), 20 (1000).
    static func depthWeight(limit: Int, kind: MarketKind) -> Int {
        if kind == .spot { return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250 }
        return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20
    }

    /// The order book's best `depth` levels per side (fewer if the book or Binance's maximum is smaller).
    public func orderBook(_ symbol: Symbol, depth: Int) async throws -> OrderBook {
        let kind = try kind(of: symbol)
        guard depth > 0 else {
            throw ExchangeError(.invalidRequest, message: "an order book depth must be at least 1", exchange: Binance.exchangeName)
        }
        let parameters: RequestParameters = [
            "symbol": exchangeSymbol(for: symbol, kind: kind),
            "limit": String(Self.depthLimit(for: depth, kind: kind)),
        ]
        let path = Self.path(kind, spot: "/api/v3/depth", futures: "/fapi/v1/depth")
        let weight = Self.depthWeight(limit: Self.depthLimit(for: depth, kind: kind), kind: kind)
        let response = try await symbol.naming(sentAs: exchangeSymbol(for: symbol, kind: kind)) {
            try await send(ExchangeRequest(method: .get, path: path, parameters: parameters, weight: weight))
        }
        let wire = try decode(WireDepth.self, from: response, what: "order book")
        func levels(_ rows: [[WireDecimal]], side: String) throws -> [OrderBook.Level] {
            try rows.prefix(depth).map { row in
                guard row.count >= 2 else {
                    throw ExchangeError(
                        .decoding, message: "a \(side) level of Binance's order book is not [price, quantity]",
                        exchange: Binance.exchangeName)
                }
                return OrderBook.Level(price: row[0].value, quantity: row[1].value)
            }
        }
        return OrderBook(
            symbol: symbol, bids: try levels(wire.bids, side: "bid"), asks: try levels(wire.asks, side: "ask"),
            time: (wire.transactionTime ?? wire.messageTime).map(BinanceTime.date), sequence: wire.lastUpdateId)
    }

    // MARK: Symbols

    /// Binance's id for a symbol: from the cached instruments if known, otherwise base + quote
    /// (`BTC/USDT` and `BTC/USDT:USDT` are both `BTCUSDT`).
    func exchangeSymbol(for symbol: Symbol, kind: MarketKind) -> String {
        cache.exchangeSymbol(for: symbol, kind: kind) ?? symbol.base + symbol.quote
    }

    static func unknown(_ symbol: Symbol, _ kind: MarketKind) -> ExchangeError {
        ExchangeError(
            .invalidRequest,
            message: "Binance lists no \(kind == .spot ? "spot market" : "USDⓈ-M perpetual") \(symbol)",
            exchange: Binance.exchangeName, rule: Instrument.Rule.symbol)
    }
}
