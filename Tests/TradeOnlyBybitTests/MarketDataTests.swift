import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBybit

@Suite("Market data: instruments, tickers, order books, server time")
struct MarketDataTests {
    @Test("linear instruments: two pages, the cursor passed back verbatim, limit=1000, unsigned")
    func linearPages() async throws {
        let harness = BybitHarness()
        harness.on(
            .get, "/v5/market/instruments-info",
            .payload("instruments-linear-page1.json"), .payload("instruments-linear-page2.json"))
        let client = try await harness.client()
        let instruments = try await client.instruments(.linearPerpetual)
        #expect(instruments.map(\.symbol) == ["BTC/USDT:USDT", "BIO/USDT:USDT", "ETH/USDT:USDT"])
        let requests = harness.sent
        #expect(
            requests.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/market/instruments-info?category=linear&limit=1000",
                "https://api-testnet.bybit.com/v5/market/instruments-info?category=linear&cursor=first%3DBTCUSDT%26last%3DBTCUSDT-26DEC25&limit=1000",
            ])
        #expect(requests.allSatisfy { $0.headers.isEmpty && $0.body == nil })

        // Cached: instrument(_:) sends nothing more.
        let eth = try await client.instrument("ETH/USDT:USDT")
        #expect(eth.quantityStep == .exact("0.01"))
        #expect(harness.sent.count == 2)
        // A symbol missing from a fresh cache is unknown, without another request.
        let error = await ExchangeError.caught { _ = try await client.instrument("DOGE/USDT:USDT") }
        #expect(error?.kind == .invalidRequest)
        #expect(harness.sent.count == 2)
    }

    @Test("spot instruments: one request without limit or cursor")
    func spot() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/market/instruments-info", .payload("instruments-spot.json"))
        let client = try await harness.client()
        let btc = try await client.instrument("BTC/USDT")
        #expect(btc.exchangeSymbol == "BTCUSDT")
        #expect(
            harness.sent.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/market/instruments-info?category=spot"
            ])
    }

    @Test("the instrument cache is read again after its lifetime")
    func cacheLifetime() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/market/instruments-info", .payload("instruments-spot.json"))
        let client = try await harness.client()
        _ = try await client.instrument("BTC/USDT")
        harness.time.advance(by: 3599)
        _ = try await client.instrument("BTC/USDT")
        #expect(harness.sent.count == 1)
        harness.time.advance(by: 2)
        _ = try await client.instrument("ETH/USDT")
        #expect(harness.sent.count == 2)
    }

    @Test("unsupported markets and malformed symbols are refused before anything is sent")
    func unsupported() async throws {
        let harness = BybitHarness()
        let client = try await harness.client()
        for symbol: Symbol in ["BTC/USD:BTC", "BTC/USDC:USDC", "BTCUSDT", "BTC/USDT:ETH"] {
            let error = await ExchangeError.caught { _ = try await client.ticker(symbol) }
            #expect(error?.kind == .invalidRequest, "\(symbol)")
        }
        let error = await ExchangeError.caught { _ = try await client.instruments(.inversePerpetual) }
        #expect(error?.kind == .invalidRequest)
        #expect(harness.transport.requests.isEmpty)
    }

    @Test("ticker: category and symbol in the query, Bybit's time on the ticker")
    func ticker() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/market/tickers", .payload("tickers-spot.json"))
        let client = try await harness.client()
        let ticker = try await client.ticker("BTC/USDT")
        #expect(ticker.symbol == "BTC/USDT")
        #expect(ticker.lastPrice == .exact("20533.13"))
        #expect(ticker.time == Date(timeIntervalSince1970: 1_673_859_087.947))
        #expect(
            harness.sent.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/market/tickers?category=spot&symbol=BTCUSDT"
            ])
    }

    @Test("order book: depth lowered to 1000; a depth of 0 is refused, unsent")
    func orderBook() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/market/orderbook", .payload("orderbook-linear.json"))
        let client = try await harness.client()
        let book = try await client.orderBook("BTC/USDT:USDT", depth: 50)
        #expect(book.bestBid?.price == .exact("65485.47"))
        #expect(book.sequence == 230_704)
        _ = try await client.orderBook("BTC/USDT:USDT", depth: 5000)
        _ = try await client.orderBook("BTC/USDT:USDT")
        await #expect(throws: ExchangeError.self) { try await client.orderBook("BTC/USDT:USDT", depth: 0) }
        #expect(
            harness.sent.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/market/orderbook?category=linear&limit=50&symbol=BTCUSDT",
                "https://api-testnet.bybit.com/v5/market/orderbook?category=linear&limit=1000&symbol=BTCUSDT",
                "https://api-testnet.bybit.com/v5/market/orderbook?category=linear&limit=20&symbol=BTCUSDT",
            ])
    }

    @Test("server time comes from the public time endpoint")
    func serverTime() async throws {
        let harness = BybitHarness()
        let client = try await harness.client()
        let time = try await client.serverTime()
        #expect(BybitSigner.milliseconds(time) == 1_672_211_928_338)
    }
}
