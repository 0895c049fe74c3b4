import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Reconciliation: unknown outcomes are settled by asking, never by sending twice")
struct ReconciliationTests {
    private let d = Fixtures.decimal
    static let quick = Binance.Configuration(
        reconciliation: ReconciliationPolicy(deadline: 0.05, initialDelay: 0.01, maximumDelay: 0.02))
    static let queried =
        #"{"symbol":"LTCBTC","orderId":4,"orderListId":-1,"clientOrderId":"myOrder1","price":"0.1","origQty":"1.0","executedQty":"0.0","cummulativeQuoteQty":"0.0","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY","time":1499827319559,"updateTime":1499827319559,"isWorking":true}"#

    private func client(_ fake: FakeBinance) async throws -> BinanceClient {
        try fake.on(.get, "/api/v3/exchangeInfo", payload: "spot-exchangeInfo.json")
        let client = try await fake.client(configuration: Self.quick)
        _ = try await client.instruments(.spot)
        fake.transport.removeAllRequests()
        return client
    }

    private func order() throws -> OrderRequest {
        .limit(.buy, "LTC/BTC", quantity: 1, price: try d("0.1"), clientOrderID: try ClientOrderID("myOrder1"))
    }

    private static let timeout = HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)

    @Test("a timeout after sending is not re-sent: the order is found by origClientOrderId; exactly one POST")
    func timeoutThenFound() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.post, "/api/v3/order") { _, _ in throw Self.timeout }
        fake.on(.get, "/api/v3/order") { _, _ in HTTPResponse.json(Self.queried) }
        let placed = try await client.place(try order())
        #expect(placed.exchangeOrderID == "4")
        #expect(placed.clientOrderID == "myOrder1")
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
        let lookups = fake.requests(.get, "/api/v3/order")
        #expect(lookups.count == 1)
        #expect(
            lookups.first?.wire
                == "https://api.binance.com/api/v3/order?symbol=LTCBTC&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1499827319559&signature=19ab972a6f360fb380ddf40aae52ec12ab9650d5770cd5f7d5d3e69a0a374076"
        )
    }

    @Test(
        "if the order cannot be found before the deadline: outcomeUnknown with the client order id; one POST",
        arguments: ["not found", "timeout"])
    func timeoutThenUndecided(lookupFailure: String) async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.post, "/api/v3/order") { _, _ in throw Self.timeout }
        fake.on(.get, "/api/v3/order") { _, _ in
            if lookupFailure == "timeout" { throw Self.timeout }
            return HTTPResponse.json(#"{"code":-2013,"msg":"Order does not exist."}"#, status: 400)
        }
        let error = try await #require(throws: ExchangeError.self) { try await client.place(try order()) }
        #expect(error.kind == .outcomeUnknown)
        #expect(error.clientOrderID?.rawValue == "myOrder1")
        #expect(error.retry == .reconcileFirst)
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
        #expect(fake.requests(.get, "/api/v3/order").count >= 1)
    }

    @Test(
        "a 502 page, Binance -1007 and an unreadable 200 after a POST are settled the same way",
        arguments: ["502", "-1007", "garbage"])
    func otherUnknownOutcomes(failure: String) async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        let page = try payloads.response("html-502.html", status: 502)
        fake.on(.post, "/api/v3/order") { _, _ in
            switch failure {
            case "502": return page
            case "-1007":
                return HTTPResponse.json(
                    #"{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}"#,
                    status: 503)
            default: return HTTPResponse.json(#"{"symbol":"LTCBTC","orderId":"#)
            }
        }
        fake.on(.get, "/api/v3/order") { _, _ in HTTPResponse.json(Self.queried) }
        let placed = try await client.place(try order())
        #expect(placed.status == .new)
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
    }

    @Test("a rejection before execution is reported, not reconciled; one POST, and the rules are refetched next time")
    func rejectionIsFinal() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.post, "/api/v3/order") { _, _ in
            HTTPResponse.json(#"{"code":-1013,"msg":"Filter failure: PRICE_FILTER"}"#, status: 400)
        }
        let error = try await #require(throws: ExchangeError.self) { try await client.place(try order()) }
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.tickSize)
        #expect(error.exchangeMessage == "Filter failure: PRICE_FILTER")
        #expect(error.clientOrderID?.rawValue == "myOrder1")
        #expect(fake.requests(.post, "/api/v3/order").count == 1)
        #expect(fake.requests(.get, "/api/v3/order").isEmpty)
        _ = try await client.instrument("LTC/BTC")
        #expect(fake.requests(.get, "/api/v3/exchangeInfo").count == 1)
    }

    @Test("-1021: the clock is resynchronised and the order re-signed once with a fresh timestamp (two POSTs)")
    func clockErrorRetriedOnce() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        // Binance's clock turns out to be 1.5 s ahead.
        fake.on(.get, "/api/v3/time") { _, _ in HTTPResponse.json(#"{"serverTime":1499827321059}"#) }
        fake.on(.post, "/api/v3/order") { _, count in
            if count == 1 {
                return HTTPResponse.json(#"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#, status: 400)
            }
            return HTTPResponse.json(TradingTests.ltcResult)
        }
        let placed = try await client.place(try order())
        #expect(placed.exchangeOrderID == "4")
        let posts = fake.requests(.post, "/api/v3/order")
        try #require(posts.count == 2)
        #expect(posts[0].query.contains("&timestamp=1499827319559&signature="))
        #expect(posts[1].query.contains("&timestamp=1499827321059&signature="))
        #expect(posts[0].wire != posts[1].wire)
        let signatures = posts.map { $0.query.components(separatedBy: "signature=").last ?? "" }
        #expect(signatures[0] != signatures[1])
        #expect(fake.requests(.get, "/api/v3/time").count >= 1, "the clock was measured again")
        // Everything before the timing parameters is identical: same order, same client order id.
        #expect(posts[0].query.components(separatedBy: "&recvWindow=").first == posts[1].query.components(separatedBy: "&recvWindow=").first)
    }

    @Test("a second -1021 surfaces as timestampOutOfWindow after exactly two POSTs")
    func secondClockErrorSurfaces() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.post, "/api/v3/order") { _, _ in
            HTTPResponse.json(#"{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."}"#, status: 400)
        }
        let error = try await #require(throws: ExchangeError.self) { try await client.place(try order()) }
        #expect(error.kind == .timestampOutOfWindow)
        #expect(error.retry == .retryAfterClockSync)
        #expect(fake.requests(.post, "/api/v3/order").count == 2)
        #expect(fake.requests(.get, "/api/v3/order").isEmpty)
    }

    @Test("a cancel whose outcome is unknown is settled by reading the order until it is final; one DELETE")
    func cancelSettled() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.delete, "/api/v3/order") { _, _ in throw Self.timeout }
        fake.on(.get, "/api/v3/order") { _, count in
            let status = count == 1 ? "NEW" : "CANCELED"
            return HTTPResponse.json(Self.queried.replacingOccurrences(of: #""status":"NEW""#, with: #""status":"\#(status)""#))
        }
        let cancelled = try await client.cancel(.exchangeID("4", on: "LTC/BTC"))
        #expect(cancelled.status == .cancelled)
        #expect(fake.requests(.delete, "/api/v3/order").count == 1)
        #expect(fake.requests(.get, "/api/v3/order").count == 2)
    }

    @Test("a cancel that stays undecided reports outcomeUnknown; one DELETE")
    func cancelUndecided() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.delete, "/api/v3/order") { _, _ in throw Self.timeout }
        fake.on(.get, "/api/v3/order") { _, _ in HTTPResponse.json(Self.queried) }
        let error = try await #require(throws: ExchangeError.self) {
            try await client.cancel(.clientID(try ClientOrderID("myOrder1"), on: "LTC/BTC"))
        }
        #expect(error.kind == .outcomeUnknown)
        #expect(error.clientOrderID?.rawValue == "myOrder1")
        #expect(fake.requests(.delete, "/api/v3/order").count == 1)
    }

    @Test("a connection that never opened is a plain network error; the order certainly was not sent")
    func notSent() async throws {
        let fake = FakeBinance()
        let client = try await client(fake)
        fake.on(.post, "/api/v3/order") { _, _ in
            throw HTTPTransportError(kind: .cannotConnect, requestMayHaveBeenSent: false)
        }
        let error = try await #require(throws: ExchangeError.self) { try await client.place(try order()) }
        #expect(error.kind == .network)
        #expect(error.retry == .retry)
        #expect(fake.requests(.get, "/api/v3/order").isEmpty)
    }
}
