import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Request encoding")
struct RequestEncodingTests {
    @Test("GET parameters are sent in the given order, percent-encoded as UTF-8 with upper-case hex")
    func query() throws {
        let binance = FakeBinance().binance()
        let request = try binance.encode(
            ExchangeRequest(
                method: .get, path: "/api/v3/depth", parameters: ["symbol": "这是测试币456", "limit": "5"]))
        #expect(request.wire == "https://api.binance.com/api/v3/depth?symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456&limit=5")
        #expect(request.method == .get)
        #expect(request.body == nil)
    }

    @Test("characters that mean something in a query are escaped, never sent raw")
    func reservedCharacters() throws {
        let binance = FakeBinance().binance()
        let request = try binance.encode(
            ExchangeRequest(
                method: .get, path: "/api/v3/ticker/24hr", parameters: ["symbol": "A B+C&D=E#F%"]))
        #expect(request.query == "symbol=A%20B%2BC%26D%3DE%23F%25")
    }

    @Test("environments pick the right hosts by path")
    func hosts() throws {
        let cases: [(Binance.Environment, Binance.Host, String)] = [
            (.live, .spot, "https://api.binance.com"), (.live, .futures, "https://fapi.binance.com"),
            (.testnet, .spot, "https://testnet.binance.vision"),
            (.demo, .spot, "https://demo-api.binance.com"), (.demo, .futures, "https://demo-fapi.binance.com"),
            (.local(URL(string: "http://127.0.0.1:8080")!), .futures, "http://127.0.0.1:8080"),
            (.local(URL(string: "http://[::1]:9000/")!), .spot, "http://[::1]:9000"),
        ]
        for (environment, host, base) in cases {
            #expect(try environment.baseURL(for: host) == base)
        }
        #expect(Binance.Host(path: "/fapi/v1/order") == .futures)
        #expect(Binance.Host(path: "/sapi/v1/account/apiRestrictions") == .spot)
        #expect(Binance.Host(path: "/api/v3/order") == .spot)
        #expect(Binance.Host(path: "/v5/order/create") == nil)
        #expect(throws: ExchangeError.self) { try Binance.Environment.testnet.baseURL(for: .futures) }
        #expect(throws: ExchangeError.self) {
            try Binance.Environment.local(URL(string: "http://127.0.0.1:8080/prefix")!).baseURL(for: .spot)
        }
    }

    @Test("a local environment sends everything to one base URL")
    func localEnvironment() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/fapi/v1/depth", payload: "futures-depth.json")
        let client = try await fake.client(environment: .local(URL(string: "http://127.0.0.1:8080")!))
        _ = try await client.orderBook("BTC/USDT:USDT", depth: 5)
        #expect(fake.apiRequests.map(\.wire) == ["http://127.0.0.1:8080/fapi/v1/depth?symbol=BTCUSDT&limit=5"])
    }
}
