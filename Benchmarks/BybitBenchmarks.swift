import Foundation
import TradeOnly
import TradeOnlyBybit

/// Bybit: signing one order, one whole placement through the pipeline against an in-memory
/// transport, and reading 2,000 linear instruments.
let bybitBenchmarks = BenchmarkGroup(
    name: "bybit",
    benchmarks: [
        Benchmark(name: "bybit.sign_order", unit: "ns") {
            guard let credentials = try? Credentials(apiKey: "XXXXXXXXXX", secret: Secret("bybit-test-secret")),
                let url = URL(string: "https://api.bybit.com/v5/order/create")
            else { return .nan }
            let signer = Bybit(environment: .live, transport: MockTransport(always: HTTPResponse(status: 404)))
                .signer(for: credentials, permissions: Set(TradePermission.allCases))
            let body = Data(
                #"{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.010","price":"30000.1","timeInForce":"GTC","orderLinkId":"to4Jb0c1Xz9QmK7pL2sV8wYd","positionIdx":0,"reduceOnly":false}"#
                    .utf8)
            let request = HTTPRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: body)
            let time = Date(timeIntervalSince1970: 1_672_211_928.338)
            // A refused request would time a throw, not a signature.
            guard (try? signer.sign(request, at: time)) != nil else { return .nan }
            return measure {
                blackHole(try? signer.sign(request, at: time))
            }.best
        },
        Benchmark(name: "bybit.place_inmemory", unit: "µs") {
            // One place(): instrument from the cache, validation, body, policy (twice), middleware chain,
            // signing, the mock transport, error mapping and decoding of the canned acknowledgement. Bybit
            // acknowledges with ids only, so there is no follow-up query.
            (try? blocking {
                guard let client = try? await BybitBench.client(instruments: BybitBench.instrumentsPage(count: 3)),
                    let instrument = try? await client.instrument("BTC/USDT:USDT")
                else { return .nan }
                let order = OrderRequest.limit(.buy, instrument.symbol, quantity: BybitBench.quantity, price: 30_000)
                return await measureAsync(budget: .seconds(1), minimumBatches: 20) {
                    blackHole(try? await client.place(order))
                } / 1000
            }) ?? .nan
        },
        Benchmark(name: "bybit.decode_instruments_2000", unit: "ms") {
            // instruments(.linearPerpetual) on one page of 2,000 instruments shaped like the documented
            // example: envelope check, JSON decoding, exact decimals, mapping and the cache.
            (try? blocking {
                let page = BybitBench.instrumentsPage(count: 2000)
                guard let client = try? await BybitBench.client(instruments: page),
                    let first = try? await client.instruments(.linearPerpetual), first.count == 2000
                else { return .nan }
                return await measureAsync(warmUp: .milliseconds(200), budget: .seconds(2), minimumBatches: 5) {
                    blackHole(try? await client.instruments(.linearPerpetual))
                } / 1_000_000
            }) ?? .nan
        },
    ])

enum BybitBench {
    static let quantity = Decimal(sign: .plus, exponent: -2, significand: 1)

    /// A Bybit client on an in-memory transport answering time, key report, instruments and create.
    static func client(instruments: Data) async throws -> BybitClient {
        let keyReport = Data(
            #"{"retCode":0,"retMsg":"","result":{"id":"1","apiKey":"XXXXXXXXXX","readOnly":0,"permissions":{"ContractTrade":["Order","Position"],"Spot":["SpotTrade"],"Wallet":[],"Derivatives":["DerivativesTrade"]},"ips":["203.0.113.7"],"type":1,"deadlineDay":-2,"expiredAt":"1970-01-01T00:00:00Z","uta":1,"isMaster":false},"retExtInfo":{},"time":1}"#
                .utf8)
        let ack = Data(
            #"{"retCode":0,"retMsg":"OK","result":{"orderId":"1321003749386327552","orderLinkId":"x"},"retExtInfo":{},"time":1672211918471}"#.utf8)
        // A fixed clock that only waits move: when a benchmark spends an order-rate budget, the
        // governor's wait moves the clock instead of sleeping, so only CPU time is measured.
        let time = FixedTimeSource(Date(timeIntervalSince1970: 1_672_211_918.471))
        let transport = MockTransport(recordsRequests: false) { request in
            let path = request.url.path
            switch path {
            case "/v5/market/time":
                let nano = Int64((time.now().timeIntervalSince1970 * 1000).rounded()) * 1_000_000
                return HTTPResponse(
                    status: 200,
                    body: Data(
                        #"{"retCode":0,"retMsg":"OK","result":{"timeSecond":"0","timeNano":"\#(nano)"},"retExtInfo":{},"time":0}"#.utf8))
            case "/v5/user/query-api": return HTTPResponse(status: 200, body: keyReport)
            case "/v5/market/instruments-info": return HTTPResponse(status: 200, body: instruments)
            case "/v5/order/create": return HTTPResponse(status: 200, body: ack)
            default: return HTTPResponse(status: 404)
            }
        }
        let bybit = Bybit(environment: .testnet, transport: transport, timeSource: time, sleeper: AdvancingSleeper(time))
        let credentials = try Credentials(apiKey: "XXXXXXXXXX", secret: Secret("bybit-test-secret"))
        let key = try await SafeKey.verify(credentials, using: bybit.keyInspector)
        return bybit.client(key)
    }

    /// One page of linear instruments shaped like the documented BTCUSDT entry.
    static func instrumentsPage(count: Int) -> Data {
        var entries: [String] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            let base = index == 0 ? "BTC" : "C\(index)X"
            entries.append(
                #"""
                {"symbol":"\#(base)USDT","symbolId":\#(index + 5),"contractType":"LinearPerpetual","status":"Trading","baseCoin":"\#(base)","quoteCoin":"USDT","launchTime":"1585526400000","deliveryTime":"0","deliveryFeeRate":"","priceScale":"2","leverageFilter":{"minLeverage":"1","maxLeverage":"100.00","leverageStep":"0.01"},"priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},"lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001","postOnlyMaxOrderQty":"1190.000","maxMktOrderQty":"500.000","minNotionalValue":"5"},"unifiedMarginTrade":true,"fundingInterval":480,"settleCoin":"USDT","copyTrading":"both","upperFundingRate":"0.00375","lowerFundingRate":"-0.00375","isPreListing":false,"preListingInfo":null,"riskParameters":{"priceLimitRatioX":"0.01","priceLimitRatioY":"0.02"},"symbolType":""}
                """#)
        }
        let text =
            #"{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":["#
            + entries.joined(separator: ",") + #"],"nextPageCursor":""},"retExtInfo":{},"time":1735809771618}"#
        return Data(text.utf8)
    }
}
