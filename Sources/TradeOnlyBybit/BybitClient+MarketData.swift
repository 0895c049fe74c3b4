import Foundation
import TradeOnly

extension BybitClient {
    /// Bybit's current time (`GET /v5/market/time`).
    ///
    /// - Throws: ``ExchangeError``.
    public func serverTime() async throws -> Date {
        let response = try await pipeline.send(ExchangeRequest(method: .get, path: "/v5/market/time"))
        return try WireServerTime.decode(response)
    }

    /// Every instrument of a kind (`GET /v5/market/instruments-info`), read fresh; the client's cache
    /// is refreshed with them.
    ///
    /// Spot has one page; linear is read 1,000 at a time, following `nextPageCursor`. Bybit lists only
    /// instruments that are trading unless asked otherwise; only USDT-settled linear perpetuals are
    /// kept for ``MarketKind/linearPerpetual`` (not USDC perpetuals or dated futures).
    ///
    /// - Parameter kind: ``MarketKind/spot`` or ``MarketKind/linearPerpetual``.
    /// - Returns: The instruments, in Bybit's order.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for inverse perpetuals.
    public func instruments(_ kind: MarketKind) async throws -> [Instrument] {
        let category = try BybitMarket.category(for: kind)
        var parameters: RequestParameters = ["category": category.rawValue]
        if category == .linear { parameters.append("limit", "1000") }
        let wire = try await pages(
            "/v5/market/instruments-info", parameters, security: .public, of: WireInstrument.self,
            what: "\(category.rawValue) instruments")
        let instruments = wire.compactMap { $0.instrument(kind: kind) }
        cache.store(instruments, for: kind, at: clock.timeSource.now())
        return instruments
    }

    /// One instrument, from the client's cache (read on first use and again after
    /// ``Bybit/Configuration/instrumentCacheLifetime``; a symbol missing from a cache older than a
    /// minute reads the list again, for new listings).
    ///
    /// - Parameter symbol: `BTC/USDT` or `BTC/USDT:USDT`.
    /// - Returns: The instrument.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for a symbol Bybit does not list.
    public func instrument(_ symbol: Symbol) async throws -> Instrument {
        return try await instrument(for: try self.market(symbol))
    }

    /// The instrument of a market already mapped.
    func instrument(for market: BybitMarket) async throws -> Instrument {
        let now = clock.timeSource.now()
        if let cached = cache.cachedInstrument(market.symbol, now: now) { return cached }
        return try await cache.instrument(
            market.symbol, kind: market.kind, now: now, unknown: { unknownSymbol(market) },
            fetch: { try await instruments(market.kind) })
    }

    private func unknownSymbol(_ market: BybitMarket) -> ExchangeError {
        ExchangeError(
            .invalidRequest,
            message: "Bybit lists no trading \(market.category.rawValue) instrument \(market.exchangeSymbol) for \(market.symbol)",
            exchange: Bybit.exchangeName, rule: Instrument.Rule.symbol, symbol: market.symbol)
    }

    /// The latest prices (`GET /v5/market/tickers`).
    ///
    /// - Parameter symbol: `BTC/USDT` or `BTC/USDT:USDT`.
    /// - Returns: Last price, best bid and ask with their sizes, and Bybit's time.
    /// - Throws: ``ExchangeError``.
    public func ticker(_ symbol: Symbol) async throws -> Ticker {
        let market = try self.market(symbol)
        let envelope = try await symbol.naming(sentAs: market.exchangeSymbol) {
            try await get(
                "/v5/market/tickers", ["category": market.category.rawValue, "symbol": market.exchangeSymbol],
                security: .public, as: BybitPage<WireTicker>.self, what: "ticker")
        }
        guard let wire = envelope.result.list.first(where: { $0.symbol == market.exchangeSymbol }) else {
            throw ExchangeError(
                .invalidRequest, message: "Bybit has no ticker for \(market.exchangeSymbol) (\(symbol))",
                exchange: Bybit.exchangeName)
        }
        return wire.ticker(symbol: symbol, time: envelope.time.map(BybitWire.date(milliseconds:)))
    }

    /// The order book (`GET /v5/market/orderbook`).
    ///
    /// - Parameters:
    ///   - symbol: `BTC/USDT` or `BTC/USDT:USDT`.
    ///   - depth: Levels per side, at least 1; Bybit serves 1…1000 for spot and linear, and a larger
    ///     depth asks for 1000.
    /// - Returns: The book, best levels first, with Bybit's update id as the sequence.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for a depth of 0 or less
    ///   (nothing sent).
    public func orderBook(_ symbol: Symbol, depth: Int) async throws -> OrderBook {
        let market = try self.market(symbol)
        guard depth > 0 else {
            throw ExchangeError(
                .invalidRequest, message: "an order book depth must be at least 1 (got \(depth)); nothing was sent",
                exchange: Bybit.exchangeName, symbol: symbol)
        }
        let limit = min(depth, 1000)
        let envelope = try await symbol.naming(sentAs: market.exchangeSymbol) {
            try await get(
                "/v5/market/orderbook",
                ["category": market.category.rawValue, "symbol": market.exchangeSymbol, "limit": String(limit)],
                security: .public, as: WireOrderBook.self, what: "order book")
        }
        return try envelope.result.orderBook(symbol: symbol)
    }
}
