import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Market data: instruments, tickers, order books, server time")
struct MarketDataTests {
    private let d = Fixtures.decimal

    @Test("spot exchangeInfo: the documented filters become exact instrument rules; unknown filters are ignored")
    func spotInstruments() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        let client = try await fake.client()
        let instruments = try await client.instruments(.spot)
        #expect(fake.apiRequests.map(\.wire) == ["https://api.binance.com/api/v3/exchangeInfo"])
        #expect(fake.apiRequests.first?.headers["X-MBX-APIKEY"] == nil, "public requests carry no key")
        #expect(instruments.count == 8)

        let eth = try #require(instruments.first { $0.exchangeSymbol == "ETHBTC" })
        #expect(eth.symbol == "ETH/BTC")
        #expect(eth.kind == .spot)
        #expect(eth.status == .trading)
        #expect(eth.baseAsset == "ETH" && eth.quoteAsset == "BTC" && eth.settleAsset == nil)
        #expect(eth.tickSize == (try d("0.000001")))
        #expect(eth.minimumPrice == (try d("0.000001")))
        #expect(eth.maximumPrice == 100_000)
        #expect(eth.quantityStep == (try d("0.001")))
        #expect(eth.minimumQuantity == (try d("0.001")))
        #expect(eth.maximumQuantity == 100_000)
        #expect(eth.maximumMarketQuantity == 100_000)
        #expect(eth.minimumNotional == (try d("0.001")))
        #expect(eth.minimumNotionalAppliesToMarketOrders)
        #expect(eth.maximumNotional == nil)

        let btc = try #require(instruments.first { $0.exchangeSymbol == "BTCUSDT" })
        #expect(btc.tickSize == (try d("0.01")))
        #expect(btc.quantityStep == (try d("0.00001")))
        #expect(btc.maximumMarketQuantity == (try d("76.5")))
        #expect(btc.minimumNotional == 5)
        #expect(btc.maximumNotional == 9_000_000)
        #expect(btc.minimumNotionalAppliesToMarketOrders)
        #expect(!btc.maximumNotionalAppliesToMarketOrders)

        // "Disabled when 0": min/max price 0 and max quantity 0 are no limits; an unknown filter type
        // with odd fields is ignored.
        let bnb = try #require(instruments.first { $0.exchangeSymbol == "BNBBTC" })
        #expect(bnb.minimumPrice == nil && bnb.maximumPrice == nil && bnb.maximumQuantity == nil)
        #expect(bnb.tickSize == (try d("0.000001")))
        #expect(bnb.status == .halted)

        let statuses = Dictionary(uniqueKeysWithValues: instruments.map { ($0.exchangeSymbol, $0.status) })
        #expect(statuses["XRPUSDT"] == .halted) // END_OF_DAY
        #expect(statuses["DOGEUSDT"] == .halted) // HALT
        #expect(statuses["NEWUSDT"] == .preTrading) // PRE_TRADING
        #expect(statuses["ODDUSDT"] == .other("SOME_FUTURE_STATUS"))
    }

    @Test("futures exchangeInfo: PERPETUAL only, MIN_NOTIONAL's 'notional' key, settle asset")
    func futuresInstruments() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v1/exchangeInfo", payload: "futures-exchangeInfo.json")
        let client = try await fake.client()
        let instruments = try await client.instruments(.linearPerpetual)
        #expect(fake.apiRequests.map(\.wire) == ["https://fapi.binance.com/fapi/v1/exchangeInfo"])
        #expect(instruments.map(\.exchangeSymbol) == ["BLZUSDT", "BTCUSDT", "ETHUSDC", "OLDUSDT"])

        let blz = try #require(instruments.first)
        #expect(blz.symbol == "BLZ/USDT:USDT")
        #expect(blz.kind == .linearPerpetual)
        #expect(blz.settleAsset == "USDT")
        #expect(blz.tickSize == (try d("0.0001")))
        #expect(blz.minimumPrice == (try d("0.0001")))
        #expect(blz.maximumPrice == 300)
        #expect(blz.quantityStep == 1)
        #expect(blz.minimumQuantity == 1)
        #expect(blz.maximumQuantity == 10_000_000)
        #expect(blz.maximumMarketQuantity == 590_119)
        #expect(blz.minimumNotional == 5)
        #expect(blz.minimumNotionalAppliesToMarketOrders)

        #expect(instruments[2].symbol == "ETH/USDC:USDC")
        #expect(instruments[2].status == .preTrading)
        #expect(instruments[3].status == .delisted)
    }

    @Test("instrument(_:) fetches once, then answers from the cache; an unknown symbol is named")
    func instrumentCache() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        let client = try await fake.client()
        _ = try await client.instrument("BTC/USDT")
        _ = try await client.instrument("ETH/BTC")
        #expect(fake.requests(.get, "/api/v3/exchangeInfo").count == 1)

        let error = try await #require(throws: ExchangeError.self) { try await client.instrument("NOPE/USDT") }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("NOPE/USDT"))
        #expect(fake.requests(.get, "/api/v3/exchangeInfo").count == 1, "a fresh cache is not refetched for a bad symbol")

        // After the cache lifetime, the rules are fetched again.
        fake.time.advance(by: 3601)
        _ = try await client.instrument("BTC/USDT")
        #expect(fake.requests(.get, "/api/v3/exchangeInfo").count == 2)
    }

    @Test(
        "malformed and unsupported symbols are refused before anything is sent",
        arguments: ["BTCUSDT", "BTC/USD:BTC", "BTC/", "B TC/USDT"])
    func badSymbols(symbol: String) async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        let error = try await #require(throws: ExchangeError.self) { try await client.ticker(Symbol(symbol)) }
        #expect(error.kind == .invalidRequest)
        #expect(fake.apiRequests.isEmpty)
    }

    @Test("spot ticker: one GET /api/v3/ticker/24hr with last, bid, ask and quantities, exact")
    func spotTicker() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/ticker/24hr", payload: "spot-ticker-24hr.json")
        let client = try await fake.client()
        let ticker = try await client.ticker("BNB/BTC")
        #expect(fake.apiRequests.map(\.wire) == ["https://api.binance.com/api/v3/ticker/24hr?symbol=BNBBTC"])
        #expect(ticker.symbol == "BNB/BTC")
        #expect(ticker.lastPrice == (try d("4.00000200")))
        #expect(ticker.bidPrice == (try d("4.00000000")))
        #expect(ticker.bidQuantity == (try d("100.00000000")))
        #expect(ticker.askPrice == (try d("4.00000200")))
        #expect(ticker.askQuantity == 100)
        #expect(ticker.time == Date(timeIntervalSince1970: 1_499_869_899.040))
        #expect(ticker.spread == (try d("0.000002")))
    }

    @Test("futures ticker: bookTicker and price, both public")
    func futuresTicker() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v1/ticker/bookTicker", payload: "futures-bookTicker.json")
        try fake.on(.get, "/fapi/v1/ticker/price", payload: "futures-price.json")
        let client = try await fake.client()
        let ticker = try await client.ticker("BTC/USDT:USDT")
        #expect(
            Set(fake.apiRequests.map(\.wire)) == [
                "https://fapi.binance.com/fapi/v1/ticker/bookTicker?symbol=BTCUSDT",
                "https://fapi.binance.com/fapi/v1/ticker/price?symbol=BTCUSDT",
            ])
        #expect(ticker.lastPrice == (try d("6000.01")))
        #expect(ticker.bidPrice == 4)
        #expect(ticker.bidQuantity == 431)
        #expect(ticker.askPrice == (try d("4.000002")))
        #expect(ticker.askQuantity == 9)
        #expect(ticker.time == Date(timeIntervalSince1970: 1_589_437_530.011))
    }

    @Test("spot order book: the depth is sent as the limit, levels exact")
    func spotDepth() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/depth", payload: "spot-depth.json")
        let client = try await fake.client()
        let book = try await client.orderBook("LTC/BTC", depth: 7)
        #expect(fake.apiRequests.map(\.wire) == ["https://api.binance.com/api/v3/depth?symbol=LTCBTC&limit=7"])
        #expect(book.sequence == 1_027_024)
        #expect(book.bids == [OrderBook.Level(price: 4, quantity: 431)])
        #expect(book.asks == [OrderBook.Level(price: try d("4.000002"), quantity: 12)])
    }

    @Test(
        "futures order book: the nearest allowed limit at or above the depth",
        arguments: [
            (1, 5), (5, 5), (6, 10), (20, 20), (21, 50), (101, 500), (999, 1000), (5000, 1000),
        ])
    func futuresDepth(depth: Int, limit: Int) async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v1/depth", payload: "futures-depth.json")
        let client = try await fake.client()
        let book = try await client.orderBook("BTC/USDT:USDT", depth: depth)
        #expect(fake.apiRequests.map(\.wire) == ["https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=\(limit)"])
        #expect(book.time == Date(timeIntervalSince1970: 1_589_436_922.959))
        #expect(book.bestBid?.price == 4)
    }

    @Test("a depth of zero is refused")
    func zeroDepth() async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        await #expect(throws: ExchangeError.self) { try await client.orderBook("BTC/USDT", depth: 0) }
        #expect(fake.apiRequests.isEmpty)
    }

    @Test("server time comes from GET /api/v3/time")
    func serverTime() async throws {
        let fake = FakeBinance()
        let client = try await fake.client()
        #expect(try await client.serverTime() == Fixtures.date)
    }

    @Test("JSON numbers where Binance sends strings still decode exactly")
    func numbersAsNumbers() async throws {
        let fake = FakeBinance()
        fake.on(.get, "/api/v3/depth") { _, _ in
            HTTPResponse.json(#"{"lastUpdateId":5,"bids":[[0.1,12345678.123456789]],"asks":[["0.00000001",1e-8]]}"#)
        }
        let client = try await fake.client()
        let book = try await client.orderBook("LTC/BTC", depth: 5)
        #expect(book.bids.first?.price == (try d("0.1")))
        #expect(book.bids.first?.quantity == (try d("12345678.123456789")))
        #expect(book.asks.first?.quantity == (try d("0.00000001")))
    }

    @Test("futures on the spot testnet are refused with a pointer to demo, and nothing is sent")
    func testnetFutures() async throws {
        let fake = FakeBinance()
        let binance = fake.binance(environment: .testnet)
        let key = try await SafeKey.verify(
            Fixtures.credentials(), using: binance.keyInspector,
            policy: .tradeOnly.requiring([.spotTrade, .futuresTrade]).acceptingUnverifiable(reason: "testnet"))
        let client = binance.client(key)
        let error = try await #require(throws: ExchangeError.self) { try await client.ticker("BTC/USDT:USDT") }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("demo"))
        #expect(fake.requests.isEmpty)
    }
}
