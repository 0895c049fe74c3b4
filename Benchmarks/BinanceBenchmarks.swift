import TradeOnly
import TradeOnlyBinance

/// Binance: signing one order, a whole `place` against an in-memory transport, and decoding a large
/// exchange-info answer into instruments. With `TRADEONLY_PROFILE=1` in the environment, fixed-count
/// runs for instruction-count profiling are added (`PROFILE_COUNT` sets the count):
///
///     TRADEONLY_PROFILE=1 PROFILE_COUNT=1000 valgrind --tool=callgrind \
///         .build/release/tradeonly-bench binance.profile.place
let binanceBenchmarks = BenchmarkGroup(
    name: "binance",
    benchmarks: binanceTimings
        + (ProcessInfo.processInfo.environment["TRADEONLY_PROFILE"] != nil ? binanceProfiles : []))

private let binanceTimings: [Benchmark] = [
    Benchmark(name: "binance.sign_order", unit: "ns") {
        guard let bench = try? BinanceBench() else { return .nan }
        let date = Date(timeIntervalSince1970: 1_499_827_319.559)
        var parameters = RequestParameters()
        parameters.append("symbol", "BTCUSDT")
        parameters.append("side", "BUY")
        parameters.append("type", "LIMIT")
        parameters.append("timeInForce", "GTC")
        parameters.append("quantity", "0.00100")
        parameters.append("price", "30000.00")
        parameters.append("newClientOrderId", "toAbCdEfGhIjKlMnOpQrStUv")
        parameters.append("newOrderRespType", "RESULT")
        let request = ExchangeRequest(method: .post, path: "/api/v3/order", parameters: parameters, security: .signed)
        return measure {
            // Build (host, percent-encoded query, URL) and sign (policy, timestamp, HMAC, signed URL).
            guard let unsigned = try? bench.binance.encode(request),
                let signed = try? bench.signer.sign(unsigned, at: date)
            else { return }
            blackHole(signed)
        }.best
    },
    Benchmark(name: "binance.place_inmemory", unit: "µs") {
        guard let bench = try? BinanceBench() else { return .nan }
        let client = bench.client
        guard let quantity = Decimal(exactly: "0.001") else { return .nan }
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: quantity, price: 30_000)
        let nanoseconds = try? blocking {
            await measureAsync(budget: .seconds(1), minimumBatches: 20) { _ = try? await client.place(order) }
        }
        return (nanoseconds ?? .nan) / 1000
    },
    Benchmark(name: "binance.decode_exchange_info_2000", unit: "ms") {
        guard let bench = try? BinanceBench(symbols: 2000) else { return .nan }
        let client = bench.client
        let nanoseconds = try? blocking {
            await measureAsync(warmUp: .milliseconds(300), budget: .seconds(2), minimumBatches: 5, batchSize: 1) {
                let instruments = try? await client.instruments(.spot)
                precondition(instruments?.count == 2000, "the exchange info did not decode")
            }
        }
        return (nanoseconds ?? .nan) / 1_000_000
    },
]

/// Fixed-count runs for instruction-count profiling.
private let binanceProfiles: [Benchmark] = [
    Benchmark(name: "binance.profile.exchange_info", unit: "count") {
        let count = Int(ProcessInfo.processInfo.environment["PROFILE_COUNT"] ?? "5") ?? 5
        guard let bench = try? BinanceBench(symbols: 2000) else { return .nan }
        let client = bench.client
        return
            (try? blocking {
                for _ in 0..<count { _ = try await client.instruments(.spot) }
                return Double(count)
            }) ?? .nan
    },
    Benchmark(name: "binance.profile.place", unit: "count") {
        let count = Int(ProcessInfo.processInfo.environment["PROFILE_COUNT"] ?? "2000") ?? 2000
        guard let bench = try? BinanceBench(), let quantity = Decimal(exactly: "0.001") else { return .nan }
        let client = bench.client
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: quantity, price: 30_000)
        return
            (try? blocking {
                for _ in 0..<count { _ = try await client.place(order) }
                return Double(count)
            }) ?? .nan
    },
]

/// A `Binance` on a `MockTransport` answering like Binance, a verified key and a client with the spot
/// rules cached.
struct BinanceBench {
    let binance: Binance
    let signer: BinanceSigner
    let client: BinanceClient

    init(symbols: Int = 20) throws {
        let exchangeInfo = BinanceBench.exchangeInfo(symbols: symbols)
        let placed = Data(
            #"{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"toAbCdEfGhIjKlMnOpQrStUv","transactTime":1507725176595,"price":"30000.00000000","origQty":"0.00100000","executedQty":"0.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":1507725176595,"selfTradePreventionMode":"NONE"}"#
                .utf8)
        let restrictions = Data(
            #"{"ipRestrict":true,"createTime":1698645219000,"enableReading":true,"enableWithdrawals":false,"enableInternalTransfer":false,"enableMargin":false,"enableFutures":true,"permitsUniversalTransfer":false,"enableVanillaOptions":false,"enableFixApiTrade":false,"enableFixReadOnly":false,"enableSpotAndMarginTrading":true,"enablePortfolioMarginTrading":false}"#
                .utf8)
        let headers: HTTPHeaders = [
            "Content-Type": "application/json;charset=UTF-8", "X-MBX-USED-WEIGHT-1M": "21", "X-MBX-ORDER-COUNT-10S": "1", "X-MBX-ORDER-COUNT-1D": "1",
        ]
        let transport = MockTransport(recordsRequests: false) { request in
            let path = request.url.path
            if path == "/api/v3/order" { return HTTPResponse(status: 200, headers: headers, body: placed) }
            if path == "/api/v3/time" { return HTTPResponse(status: 200, body: Data(#"{"serverTime":1499827319559}"#.utf8)) }
            if path == "/api/v3/exchangeInfo" { return HTTPResponse(status: 200, body: exchangeInfo) }
            if path == "/sapi/v1/account/apiRestrictions" { return HTTPResponse(status: 200, body: restrictions) }
            return HTTPResponse(status: 404)
        }
        // A fixed clock that only waits move: when a benchmark spends the spot weight budget (6000 a
        // minute) the governor's wait moves the clock instead of sleeping, so only CPU time is measured.
        let time = FixedTimeSource(Date(timeIntervalSince1970: 1_499_827_319.559))
        binance = Binance(environment: .live, transport: transport, timeSource: time, sleeper: AdvancingSleeper(time))
        let credentials = try Credentials(
            apiKey: "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
            secret: Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"))
        signer = binance.signer(for: credentials, permissions: Set(TradePermission.allCases))
        let binance = self.binance
        client = try blocking {
            let key = try await SafeKey.verify(credentials, using: binance.keyInspector)
            let client = binance.client(key)
            _ = try await client.instruments(.spot)
            return client
        }
    }

    /// An exchange-info answer shaped like Binance's documented example: `symbols` symbols with the
    /// nine filters a real spot symbol has (3.5 MB for 2000).
    static func exchangeInfo(symbols count: Int) -> Data {
        var text =
            #"{"timezone":"UTC","serverTime":1565246363776,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100},{"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000}],"exchangeFilters":[],"symbols":["#
        text.reserveCapacity(1800 * count)
        for index in 0..<count {
            let base = index == 0 ? "BTC" : "A\(index)X"
            if index > 0 { text += "," }
            text +=
                #"{"symbol":"\#(base)USDT","status":"TRADING","baseAsset":"\#(base)","baseAssetPrecision":8,"quoteAsset":"USDT","quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,"quoteCommissionPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS","STOP_LOSS_LIMIT","TAKE_PROFIT","TAKE_PROFIT_LIMIT"],"icebergAllowed":true,"ocoAllowed":true,"otoAllowed":true,"opoAllowed":true,"quoteOrderQtyMarketAllowed":true,"allowTrailingStop":true,"cancelReplaceAllowed":true,"amendAllowed":true,"pegInstructionsAllowed":true,"isSpotTradingAllowed":true,"isMarginTradingAllowed":true,"filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},{"filterType":"ICEBERG_PARTS","limit":10},{"filterType":"MARKET_LOT_SIZE","minQty":"0.00000000","maxQty":"76.50000000","stepSize":"0.00000000"},{"filterType":"TRAILING_DELTA","minTrailingAboveDelta":10,"maxTrailingAboveDelta":2000,"minTrailingBelowDelta":10,"maxTrailingBelowDelta":2000},{"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"5","bidMultiplierDown":"0.2","askMultiplierUp":"5","askMultiplierDown":"0.2","avgPriceMins":5},{"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5},{"filterType":"MAX_NUM_ORDERS","maxNumOrders":200},{"filterType":"MAX_NUM_ALGO_ORDERS","maxNumAlgoOrders":5}],"permissions":[],"permissionSets":[["SPOT","MARGIN","TRD_GRP_004","TRD_GRP_005","TRD_GRP_006","TRD_GRP_008","TRD_GRP_009"]],"defaultSelfTradePreventionMode":"EXPIRE_MAKER","allowedSelfTradePreventionModes":["EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH","DECREMENT"]}"#
        }
        text += "]}"
        return Data(text.utf8)
    }
}
