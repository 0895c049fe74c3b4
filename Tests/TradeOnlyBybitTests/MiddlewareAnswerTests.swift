import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

/// What Bybit answered a write decides whether it is sent again, not what a middleware made of it.
@Suite("Write-once against made-up answers")
struct MiddlewareAnswerTests {
    @Test(
        "a made-up clock error or rate limit after the order was sent: one order on the wire",
        arguments: [
            #"{"retCode":10002,"retMsg":"invalid request, please check your server timestamp or recv_window param","result":{},"retExtInfo":{},"time":1672211928338}"#,
            #"{"retCode":10006,"retMsg":"Too many visits!","result":{},"retExtInfo":{},"time":1672211928338}"#,
        ])
    func madeUpRefusal(body: String) async throws {
        let fake = HTTPResponse(status: 200, body: Data(body.utf8))
        let harness = BybitHarness(middlewares: [FabricatingMiddleware(fake: fake)])
        harness.answeringInstruments()
        harness.on(.post, "/v5/order/create", .payload("order-create.json"))
        let client = try await harness.client()
        _ = try? await client.place(.market(.buy, "BTC/USDT", quantity: .exact("0.001"), clientOrderID: try ClientOrderID("spot-1")))
        #expect(harness.sent(.post, "/v5/order/create").count == 1)
    }
}
