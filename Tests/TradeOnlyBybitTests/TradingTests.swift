import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Trading: exact bytes of every order call")
struct TradingTests {
    static let timeout = HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)

    /// A harness whose instrument lists answer for both categories.
    func harness(configuration: Bybit.Configuration? = nil, logger: TradeOnlyLogger = .disabled) -> BybitHarness {
        let harness = configuration.map { BybitHarness(configuration: $0, logger: logger) } ?? BybitHarness(logger: logger)
        harness.answeringInstruments()
        return harness
    }

    /// A JSON answer with one order from a recorded payload, its status replaced.
    static func orderPage(_ payload: String, status: String) throws -> HTTPResponse {
        let text = String(decoding: try payloads.data(payload), as: UTF8.self)
            .replacingOccurrences(of: #""orderStatus": "New""#, with: #""orderStatus": "\#(status)""#)
        return HTTPResponse(status: 200, body: Data(text.utf8))
    }

    @Test(
        "a linear limit order: exact body, typed JSON, signed headers over the same bytes; the price written to the tick's precision (0.10 → one place)"
    )
    func linearLimit() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/create", .payload("order-create.json"))
        let client = try await harness.client()
        let order = try await client.place(
            .limit(
                .buy, "BTC/USDT:USDT", quantity: .exact("0.01"), price: .exact("30000.1"), clientOrderID: try ClientOrderID("bot-1")))
        let posts = harness.sent(.post, "/v5/order/create")
        #expect(posts.count == 1)
        let request = try #require(posts.first)
        #expect(request.url.absoluteString == "https://api-testnet.bybit.com/v5/order/create")
        let body =
            #"{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.010","price":"30000.1","timeInForce":"GTC","orderLinkId":"bot-1","positionIdx":0,"reduceOnly":false}"#
        #expect(BybitHarness.body(request) == body)
        try BybitHarness.expectSignedHeaders(request, timestamp: "1672211928338", payload: body)
        // Python's hmac over "1672211928338XXXXXXXXXX5000" + body.
        #expect(request.headers["X-BAPI-SIGN"] == "388dbc192f14640f64a3e8bd7eed0f2ca5b50f43c6f7da26be431f3d7d20c6db")

        #expect(order.exchangeOrderID == "1321003749386327552")
        #expect(order.clientOrderID == "spot-test-postonly")
        #expect(order.status == .new)
        #expect(order.symbol == "BTC/USDT:USDT")
        #expect(order.price == .exact("30000.1"))
        #expect(order.quantity == .exact("0.01"))
        #expect(order.createdAt == Date(timeIntervalSince1970: 1_672_211_918.471))
    }

    @Test("a spot market buy sends marketUnit=baseCoin (the quantity is base units) and isLeverage=0")
    func spotMarketBuy() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/create", .payload("order-create.json"))
        let client = try await harness.client()
        _ = try await client.place(.market(.buy, "BTC/USDT", quantity: .exact("0.001"), clientOrderID: try ClientOrderID("spot-1")))
        let body = BybitHarness.body(try #require(harness.sent(.post, "/v5/order/create").first))
        #expect(
            body
                == #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"0.001000","orderLinkId":"spot-1","marketUnit":"baseCoin","isLeverage":0}"#
        )
    }

    @Test("post-only, IOC, FOK and reduce-only spellings; never isLeverage=1")
    func orderShapes() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/create", .payload("order-create.json"))
        let client = try await harness.client()
        let id = try ClientOrderID("x-1")
        _ = try await client.place(.limit(.sell, "BTC/USDT", quantity: .exact("0.5"), price: 31_000, postOnly: true, clientOrderID: id))
        _ = try await client.place(
            .limit(.buy, "BTC/USDT", quantity: .exact("0.5"), price: 29_000, timeInForce: .immediateOrCancel, clientOrderID: id))
        _ = try await client.place(.limit(.buy, "ETH/USDT:USDT", quantity: 1, price: 1500, timeInForce: .fillOrKill, clientOrderID: id))
        _ = try await client.place(.market(.sell, "ETH/USDT:USDT", quantity: 1, reduceOnly: true, clientOrderID: id))
        let bodies = harness.sent(.post, "/v5/order/create").map(BybitHarness.body)
        #expect(
            bodies == [
                #"{"category":"spot","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.500000","price":"31000.0","timeInForce":"PostOnly","orderLinkId":"x-1","isLeverage":0}"#,
                #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.500000","price":"29000.0","timeInForce":"IOC","orderLinkId":"x-1","isLeverage":0}"#,
                #"{"category":"linear","symbol":"ETHUSDT","side":"Buy","orderType":"Limit","qty":"1.00","price":"1500.00","timeInForce":"FOK","orderLinkId":"x-1","positionIdx":0,"reduceOnly":false}"#,
                #"{"category":"linear","symbol":"ETHUSDT","side":"Sell","orderType":"Market","qty":"1.00","orderLinkId":"x-1","positionIdx":0,"reduceOnly":true}"#,
            ])
        #expect(bodies.allSatisfy { !$0.contains(#""isLeverage":1"#) })
    }

    @Test("without a client order id one is generated: 24 letters and digits, sent as orderLinkId")
    func generatedID() async throws {
        let harness = harness()
        harness.on(
            .post, "/v5/order/create",
            .response(
                HTTPResponse(
                    status: 200, body: Data(#"{"retCode":0,"retMsg":"OK","result":{"orderId":"9","orderLinkId":""},"time":1}"#.utf8))))
        let client = try await harness.client()
        let order = try await client.place(.limit(.buy, "BTC/USDT", quantity: .exact("0.001"), price: 20_000))
        let data = try #require(harness.sent(.post, "/v5/order/create").first?.body)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let id = try #require(body["orderLinkId"] as? String)
        #expect(id.count == 24)
        #expect(id.hasPrefix("to"))
        #expect(order.clientOrderID == id)
    }

    @Test("an acknowledgement in an unexpected shape is settled by looking the order up")
    func oddAcknowledgement() async throws {
        let harness = harness()
        harness.on(
            .post, "/v5/order/create",
            .response(
                HTTPResponse(
                    status: 200, body: Data(#"{"retCode":0,"retMsg":"OK","result":{"order":"?"},"time":1}"#.utf8))))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime.json"))
        let client = try await harness.client()
        let order = try await client.place(
            .limit(
                .buy, "ETH/USDT:USDT", quantity: .exact("0.1"), price: 1600, clientOrderID: try ClientOrderID("test-000005")))
        #expect(order.exchangeOrderID == "fd4300ae-7847-404e-b947-b46980a4d140")
        #expect(harness.sent(.post, "/v5/order/create").count == 1)

        let scanned = BybitEnvelopeScanner.orderAcknowledgement(
            Data(
                #"{"retCode":0,"retMsg":"OK","result":{"x":[1,{"y":"}"}],"orderLinkId":"a\"b","orderId":"42"},"retExtInfo":{},"time":1672211918471}"#
                    .utf8))
        #expect(scanned?.orderId == "42")
        #expect(scanned?.orderLinkId == "a\"b")
        #expect(scanned?.time == 1_672_211_918_471)
    }

    @Test("perform(_:) refuses isLeverage=1 and sends nothing")
    func performLeverage() async throws {
        let harness = harness()
        let client = try await harness.client()
        let request = ExchangeRequest(
            method: .post, path: "/v5/order/create",
            parameters: [
                "category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market", "qty": "10",
                "isLeverage": "1",
            ],
            security: .signed)
        let error = await ExchangeError.caught { _ = try await client.perform(request) }
        #expect(error?.kind == .policyViolation)
        #expect(harness.transport.requests.isEmpty)
    }

    @Test("a middleware that moves a signed request to another host gets nothing signed or sent")
    func middlewareRedirect() async throws {
        struct Redirect: HTTPMiddleware {
            func intercept(
                _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
            ) async throws -> HTTPResponse {
                var moved = request
                if let url = URL(
                    string: request.url.absoluteString.replacingOccurrences(
                        of: "api-testnet.bybit.com", with: "collector.example"))
                {
                    moved.url = url
                }
                return try await next(moved)
            }
        }
        let harness = BybitHarness(middlewares: [Redirect()])
        // The key check runs without the middlewares, so it is not redirected; the client's calls are.
        let key = try await harness.verifiedKey()
        let client = harness.bybit.client(key)
        harness.transport.removeAllRequests()
        let error = await ExchangeError.caught { _ = try await client.balances() }
        #expect(error?.kind == .policyViolation)
        #expect(harness.transport.requests.allSatisfy { $0.headers["X-BAPI-SIGN"] == nil })
        #expect(!harness.transport.requests.contains { $0.url.host == "collector.example" })
    }

    @Test("an order that breaks the instrument's rules is refused locally: nothing is posted")
    func validation() async throws {
        let harness = harness()
        let client = try await harness.client()
        let offStep = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT:USDT", quantity: .exact("0.0105"), price: 30_000))
        }
        #expect(offStep?.kind == .orderRejected)
        #expect(offStep?.rule == "quantityStep")
        let offTick = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT:USDT", quantity: .exact("0.01"), price: .exact("30000.05")))
        }
        #expect(offTick?.rule == "tickSize")
        let tooSmall = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: .exact("0.0001"), price: 20_000))
        }
        #expect(tooSmall?.rule == "minimumNotional")
        let reduceOnSpot = await ExchangeError.caught {
            _ = try await client.place(.market(.sell, "BTC/USDT", quantity: .exact("0.001"), reduceOnly: true))
        }
        #expect(reduceOnSpot?.kind == .invalidRequest)
        let preLaunch = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BIO/USDT:USDT", quantity: 10, price: 1))
        }
        #expect(preLaunch?.rule == "status")
        #expect(harness.sent(.post, "/v5/order/create").isEmpty)
    }

    @Test("a key without derivatives trading cannot place a linear order: refused before anything is sent")
    func missingPermission() async throws {
        let harness = harness()
        let client = try await harness.client("query-api-spot-only.json")
        #expect(client.permissions == [.read, .spotTrade])
        let error = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT:USDT", quantity: .exact("0.01"), price: 30_000))
        }
        #expect(error?.kind == .permissionDenied)
        let cancel = await ExchangeError.caught { _ = try await client.cancel(.exchangeID("1", on: "BTC/USDT:USDT")) }
        #expect(cancel?.kind == .permissionDenied)
        #expect(harness.transport.requests.isEmpty)
    }

    @Test("a rate limit on placement (rejected before execution) is retried after the advised wait, within the retry policy, then thrown")
    func rateLimited() async throws {
        let harness = harness()
        let time = harness.time
        // Every refusal says the endpoint's counter resets one second from now.
        harness.on(
            .post, "/v5/order/create",
            .handler { _ in
                var response = try payloads.response("error-10006.json")
                response.headers["X-Bapi-Limit-Reset-Timestamp"] = String(BybitSigner.milliseconds(time.now()) + 1000)
                return response
            })
        let client = try await harness.client()
        let error = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: .exact("0.001"), price: 20_000))
        }
        #expect(error?.kind == .rateLimited)
        #expect(error?.retry == .retryAfter(seconds: 1))
        // Each retry waited at least the advised second (on the test clock: no real time passes).
        #expect(harness.sleeper.totalSlept >= 2)
        // 10006 means Bybit refused the order before executing it, so the pipeline may try again (each
        // attempt goes through the signer again); never more often than the standard policy's attempts.
        let posts = harness.sent(.post, "/v5/order/create")
        #expect(posts.count == RetryPolicy.standard.maximumAttempts)
        #expect(posts.allSatisfy { $0.headers["X-BAPI-SIGN"] != nil })
    }

    @Test("a duplicate orderLinkId is reported as such")
    func duplicate() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/create", .response(HTTPResponse.bybitError(110072, "OrderLinkedID is duplicate")))
        let client = try await harness.client()
        let error = await ExchangeError.caught {
            _ = try await client.place(
                .limit(
                    .buy, "BTC/USDT:USDT", quantity: .exact("0.01"), price: 30_000,
                    clientOrderID: try ClientOrderID("dup-1")))
        }
        #expect(error?.kind == .duplicateClientOrderID)
        #expect(error?.clientOrderID?.rawValue == "dup-1")
    }

    @Test("cancel: POST by orderId, then the order read back; still open reads as pendingCancel")
    func cancel() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/cancel", .payload("order-cancel.json"))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime.json"))
        let client = try await harness.client()
        let order = try await client.cancel(.exchangeID("fd4300ae-7847-404e-b947-b46980a4d140", on: "ETH/USDT:USDT"))
        #expect(order.status == .pendingCancel)
        let post = try #require(harness.sent(.post, "/v5/order/cancel").first)
        let body = #"{"category":"linear","symbol":"ETHUSDT","orderId":"fd4300ae-7847-404e-b947-b46980a4d140"}"#
        #expect(BybitHarness.body(post) == body)
        try BybitHarness.expectSignedHeaders(post, timestamp: "1672211928338", payload: body)
        #expect(
            harness.sent(.get, "/v5/order/realtime").first?.url.absoluteString
                == "https://api-testnet.bybit.com/v5/order/realtime?category=linear&orderId=fd4300ae-7847-404e-b947-b46980a4d140&symbol=ETHUSDT")

        harness.on(.get, "/v5/order/realtime", .response(try Self.orderPage("order-realtime.json", status: "Cancelled")))
        let cancelled = try await client.cancel(.clientID(try ClientOrderID("test-000005"), on: "ETH/USDT:USDT"))
        #expect(cancelled.status == .cancelled)
        #expect(
            BybitHarness.body(try #require(harness.sent(.post, "/v5/order/cancel").last))
                == #"{"category":"linear","symbol":"ETHUSDT","orderLinkId":"test-000005"}"#)
    }

    @Test("cancelling an order that already filled returns it filled; an unknown one throws orderNotFound")
    func cancelFinal() async throws {
        let harness = harness()
        harness.on(.post, "/v5/order/cancel", .payload("error-110001.json"))
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-history.json"))
        let client = try await harness.client()
        let filled = try await client.cancel(.clientID(try ClientOrderID("spot-test-postonly"), on: "BTC/USDT"))
        #expect(filled.status == .filled)

        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let error = await ExchangeError.caught { _ = try await client.cancel(.exchangeID("nope", on: "BTC/USDT")) }
        #expect(error?.kind == .orderNotFound)
        #expect(error?.code == "110001")
    }

    @Test("order(_:) asks realtime, then history; neither knowing it is orderNotFound")
    func orderLookup() async throws {
        let harness = harness()
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime-empty.json"))
        harness.on(.get, "/v5/order/history", .payload("order-history.json"))
        let client = try await harness.client()
        let order = try await client.order(.exchangeID("1321003749386327552", on: "BTC/USDT"))
        #expect(order.status == .filled)
        #expect(
            harness.sent.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/order/realtime?category=spot&orderId=1321003749386327552&symbol=BTCUSDT",
                "https://api-testnet.bybit.com/v5/order/history?category=spot&orderId=1321003749386327552&symbol=BTCUSDT",
            ])
        try BybitHarness.expectSignedHeaders(
            harness.sent[1], timestamp: "1672211928338", payload: "category=spot&orderId=1321003749386327552&symbol=BTCUSDT")
        harness.on(.get, "/v5/order/history", .payload("order-realtime-empty.json"))
        let error = await ExchangeError.caught { _ = try await client.order(.exchangeID("2", on: "BTC/USDT")) }
        #expect(error?.kind == .orderNotFound)
    }

    @Test("open orders: every page, the cursor verbatim in the URL and in the signed string")
    func openOrders() async throws {
        let harness = harness()
        harness.on(.get, "/v5/order/realtime", .payload("order-realtime.json"), .payload("order-realtime-page2.json"))
        let client = try await harness.client()
        let orders = try await client.openOrders(for: "ETH/USDT:USDT")
        #expect(orders.map(\.exchangeOrderID) == ["fd4300ae-7847-404e-b947-b46980a4d140", "1321052653536515584"])
        let requests = harness.sent
        let second = "category=linear&cursor=page_args%3Dfd4300ae-7847-404e-b947-b46980a4d140%26symbol%3D6%26&limit=50&openOnly=0&symbol=ETHUSDT"
        #expect(
            requests.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/order/realtime?category=linear&limit=50&openOnly=0&symbol=ETHUSDT",
                "https://api-testnet.bybit.com/v5/order/realtime?" + second,
            ])
        try BybitHarness.expectSignedHeaders(requests[1], timestamp: "1672211928338", payload: second)
    }

    @Test("fills: executions newest last, funding left out, pages followed up to the limit")
    func fills() async throws {
        let harness = harness()
        harness.on(.get, "/v5/execution/list", .payload("execution-list.json"), .payload("execution-list-empty.json"))
        let client = try await harness.client()
        let fills = try await client.fills(for: "BTC/USDT:USDT")
        #expect(fills.map(\.tradeID) == ["0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "e0cbe81d-0f18-5866-9415-cf319b5dab3b"])
        #expect(
            harness.sent.map(\.url.absoluteString) == [
                "https://api-testnet.bybit.com/v5/execution/list?category=linear&limit=50&symbol=BTCUSDT",
                "https://api-testnet.bybit.com/v5/execution/list?category=linear&cursor=132766%3A2%2C132766%3A2&limit=50&symbol=BTCUSDT",
            ])
        try BybitHarness.expectSignedHeaders(
            harness.sent[1], timestamp: "1672211928338",
            payload: "category=linear&cursor=132766%3A2%2C132766%3A2&limit=50&symbol=BTCUSDT")
        harness.transport.removeAllRequests()
        harness.on(.get, "/v5/execution/list", .payload("execution-list.json"))
        let one = try await client.fills(for: "BTC/USDT:USDT", limit: 1)
        #expect(one.map(\.tradeID) == ["e0cbe81d-0f18-5866-9415-cf319b5dab3b"])
        #expect(harness.sent.count == 1)
    }
}
