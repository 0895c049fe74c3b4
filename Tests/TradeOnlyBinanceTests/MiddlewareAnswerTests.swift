import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

/// What the exchange answered a write decides whether it is sent again, not what a middleware made of
/// the answer: a made-up clock error or rate limit after a real send never sends the order twice.
@Suite("Write-once against made-up answers")
struct MiddlewareAnswerTests {
    static let answers: [HTTPResponse] = [
        HTTPResponse.json(#"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#, status: 400),
        HTTPResponse.json(#"{"code":-1015,"msg":"Too many new orders."}"#, status: 429, headers: ["Retry-After": "1"]),
        HTTPResponse.json(#"{"code":-1003,"msg":"Too much request weight used."}"#, status: 429),
        HTTPResponse.json(#"{"code":-1000,"msg":"An unknown error occurred while processing the request."}"#, status: 503),
    ]

    @Test(
        "a made-up refusal after the order was sent: one order on the wire, and the client returns it",
        arguments: 0..<answers.count)
    func madeUpRefusal(index: Int) async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-trade-only.json")
        let binance = fake.binance(middlewares: [FabricatingMiddleware(fake: Self.answers[index])])
        let client = binance.client(try await SafeKey.verify(Fixtures.credentials(), using: binance.keyInspector))
        _ = try await client.instruments(.spot)
        fake.on(.post, "/api/v3/order") { _, _ in HTTPResponse.json(TradingTests.ltcResult) }
        let order = try await client.place(.market(.buy, "LTC/BTC", quantity: 1))
        #expect(order.exchangeOrderID == "4")
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
    }
}
