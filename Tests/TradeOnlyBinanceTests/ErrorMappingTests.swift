import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Error mapping: codes, HTTP statuses and broken bodies → ExchangeError")
struct ErrorMappingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let code: Int
        let message: String
        let status: Int
        let write: Bool
        let kind: String
        let rule: Instrument.Rule?
        let retry: ExchangeError.RetryAdvice?
        var testDescription: String { "\(code) \(write ? "write" : "read") → \(kind)" }

        init(
            _ code: Int, _ message: String, status: Int = 400, write: Bool = true, _ kind: ExchangeError.Kind,
            rule: Instrument.Rule? = nil, retry: ExchangeError.RetryAdvice? = nil
        ) {
            self.code = code
            self.message = message
            self.status = status
            self.write = write
            self.kind = kind.name
            self.rule = rule
            self.retry = retry
        }
    }

    static let cases: [Case] = [
        Case(-1021, "Timestamp for this request is outside of the recvWindow.", .timestampOutOfWindow, retry: .retryAfterClockSync),
        Case(
            -1021, "Timestamp for this request was 1000ms ahead of the server's time.", write: false, .timestampOutOfWindow,
            retry: .retryAfterClockSync),
        Case(-5028, "Timestamp for this request is outside of the ME recvWindow.", .timestampOutOfWindow, retry: .retryAfterClockSync),
        Case(-1022, "Signature for this request is not valid.", .invalidSignature, retry: .doNotRetry),
        Case(-2014, "API-key format invalid.", status: 401, .authentication),
        Case(-2015, "Invalid API-key, IP, or permissions for action.", status: 401, .authentication),
        Case(-2015, "Invalid API-key, IP, or permissions for action. The API key has expired.", status: 401, .keyExpired),
        Case(-2017, "API Keys are locked on this account.", .authentication),
        Case(-1011, "This IP cannot access this route.", .ipNotAllowed),
        Case(-1002, "You are not authorized to execute this request.", .permissionDenied),
        Case(-2010, "Account has insufficient balance for requested action.", .insufficientFunds),
        Case(-2010, "Duplicate order sent.", .duplicateClientOrderID),
        Case(-2010, "Order would immediately match and take.", .orderRejected, rule: "postOnly"),
        Case(-2010, "Market is closed.", .orderRejected, rule: "status"),
        Case(-2010, "This account may not place or cancel orders.", .orderRejected),
        Case(-1013, "Filter failure: PRICE_FILTER", .orderRejected, rule: "tickSize"),
        Case(-1013, "Filter failure: LOT_SIZE", .orderRejected, rule: "quantityStep"),
        Case(-1013, "Filter failure: MIN_NOTIONAL", .orderRejected, rule: "minimumNotional"),
        Case(-1013, "Filter failure: NOTIONAL", .orderRejected, rule: "minimumNotional"),
        Case(-1013, "Filter failure: MARKET_LOT_SIZE", .orderRejected, rule: "maximumMarketQuantity"),
        Case(-1013, "Filter failure: PERCENT_PRICE_BY_SIDE", .orderRejected),
        Case(-1013, "Filter failure: MAX_NUM_ORDERS", .orderRejected),
        Case(-1111, "Parameter 'quantity' has too much precision.", .orderRejected, rule: "quantityStep"),
        Case(-1111, "Parameter 'price' has too much precision.", .orderRejected, rule: "tickSize"),
        Case(-4014, "Price not increased by tick size.", .orderRejected, rule: "tickSize"),
        Case(-4023, "Quantity not increased by step size.", .orderRejected, rule: "quantityStep"),
        Case(-4003, "Quantity less than or equal to zero.", .orderRejected, rule: "quantity"),
        Case(-4004, "Quantity less than min quantity.", .orderRejected, rule: "minimumQuantity"),
        Case(-4005, "Quantity greater than max quantity.", .orderRejected, rule: "maximumQuantity"),
        Case(-4013, "Price less than min price.", .orderRejected, rule: "minimumPrice"),
        Case(-4016, "Limit price can't be higher than 70000.00.", .orderRejected, rule: "maximumPrice"),
        Case(-4024, "Limit price can't be lower than 60000.00.", .orderRejected, rule: "minimumPrice"),
        Case(
            -4164, "Order's notional must be no smaller than 100 (unless you choose reduce only).", .orderRejected,
            rule: "minimumNotional"),
        Case(-4131, "The counterparty's best price does not meet the PERCENT_PRICE filter limit.", .orderRejected),
        Case(-2021, "Order would immediately trigger.", .orderRejected),
        Case(-2022, "ReduceOnly Order is rejected.", .orderRejected, rule: "reduceOnly"),
        Case(-2018, "Balance is insufficient.", .insufficientFunds),
        Case(-2019, "Margin is insufficient.", .insufficientFunds),
        Case(-4116, "ClientOrderId is duplicated.", .duplicateClientOrderID),
        Case(-2011, "Unknown order sent.", .orderNotFound),
        Case(-2011, "Order was not canceled due to cancel restrictions.", .orderRejected),
        Case(-2013, "Order does not exist.", write: false, .orderNotFound),
        Case(
            -2026, "Order was canceled or expired with no executed qty over 90 days ago and has been archived.",
            write: false, .orderNotFound),
        Case(
            -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.", status: 429,
            write: false, .rateLimited, retry: .retryAfter(seconds: 60)),
        Case(
            -1015, "Too many new orders; current limit is 100 orders per 10 SECOND.", status: 429, .rateLimited,
            retry: .retryAfter(seconds: 10)),
        Case(
            -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
            status: 503, .outcomeUnknown, retry: .reconcileFirst),
        Case(
            -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
            status: 503, write: false, .exchangeUnavailable, retry: .retry),
        Case(-1008, "Request throttled by system-level protection.", status: 503, .outcomeUnknown, retry: .reconcileFirst),
        Case(-1008, "Server is currently overloaded with other requests.", write: false, .exchangeUnavailable, retry: .retry),
        Case(
            -1006, "An unexpected response was received from the message bus. Execution status unknown.", status: 503,
            .outcomeUnknown, retry: .reconcileFirst),
        Case(-1121, "Invalid symbol.", write: false, .invalidRequest),
        Case(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.", .invalidRequest),
        Case(-9999, "Something new.", .other),
    ]

    /// Every ``Instrument/Rule`` name.
    static let vocabulary: Set<Instrument.Rule> = [
        Instrument.Rule.symbol, Instrument.Rule.status, Instrument.Rule.quantity, Instrument.Rule.price,
        Instrument.Rule.postOnly, Instrument.Rule.reduceOnly, Instrument.Rule.tickSize, Instrument.Rule.minimumPrice,
        Instrument.Rule.maximumPrice, Instrument.Rule.quantityStep, Instrument.Rule.minimumQuantity,
        Instrument.Rule.maximumQuantity, Instrument.Rule.maximumMarketQuantity, Instrument.Rule.minimumNotional,
        Instrument.Rule.maximumNotional,
    ]

    private func classify(
        _ response: HTTPResponse, method: HTTPMethod = .post, path: String = "/api/v3/order"
    ) async throws -> ExchangeError {
        let fake = FakeBinance()
        fake.on(method, path) { _, _ in response }
        let client = try await fake.client(
            configuration: Binance.Configuration(
                reconciliation: ReconciliationPolicy(deadline: 0, initialDelay: 0, maximumDelay: 0)))
        return try await #require(throws: ExchangeError.self) {
            try await client.perform(ExchangeRequest(method: method, path: path, security: .signed))
        }
    }

    @Test("each documented code maps to its kind, rule and retry advice", arguments: cases)
    func code(_ item: Case) async throws {
        let body = #"{"code":\#(item.code),"msg":"\#(item.message)"}"#
        let path = item.write ? "/api/v3/order" : "/api/v3/openOrders"
        let error = try await classify(
            HTTPResponse.json(body, status: item.status), method: item.write ? .post : .get, path: path)
        #expect(error.kind.name == item.kind, "\(error)")
        #expect(error.code == String(item.code))
        #expect(error.exchangeMessage == item.message)
        #expect(error.httpStatus == item.status)
        #expect(error.exchange == "binance")
        // One vocabulary: Instrument.Rule names, or nothing (Binance's words stay in exchangeMessage).
        #expect(error.rule == item.rule)
        if let rule = item.rule { #expect(Self.vocabulary.contains(rule), "\(rule) is not an Instrument.Rule name") }
        if let retry = item.retry { #expect(error.retry == retry, "\(error.retry)") }
    }

    @Test("codes given as strings are read too")
    func codeAsString() async throws {
        let error = try await classify(HTTPResponse.json(#"{"code":"-2010","msg":"Duplicate order sent."}"#))
        #expect(error.kind == .duplicateClientOrderID)
    }

    @Test("the Retry-After header sets the wait of a 429")
    func retryAfter() async throws {
        let error = try await classify(
            HTTPResponse.json(#"{"code":-1003,"msg":"Too much request weight used"}"#, status: 429, headers: ["Retry-After": "7"]),
            method: .get, path: "/api/v3/openOrders")
        #expect(error.kind == .rateLimited)
        #expect(error.retry == .retryAfter(seconds: 7))
    }

    @Test("HTTP 429 without a Binance body is rate limited")
    func plain429() async throws {
        let error = try await classify(HTTPResponse(status: 429, headers: ["Retry-After": "3"]), method: .get, path: "/api/v3/openOrders")
        #expect(error.kind == .rateLimited)
        #expect(error.retry == .retryAfter(seconds: 3))
    }

    @Test("HTTP 418 is a ban until Retry-After, and the host is refused locally until then")
    func ban() async throws {
        let fake = FakeBinance()
        fake.on(.get, "/api/v3/openOrders") { _, _ in
            HTTPResponse.json(
                #"{"code":-1003,"msg":"Way too much request weight used; IP banned until 1499827439559."}"#,
                status: 418, headers: ["Retry-After": "120"])
        }
        let client = try await fake.client()
        let request = ExchangeRequest(method: .get, path: "/api/v3/openOrders", security: .signed)
        let first = try await #require(throws: ExchangeError.self) { try await client.perform(request) }
        #expect(first.kind == .banned)
        #expect(first.bannedUntil == Date(timeIntervalSince1970: 1_499_827_439.559))
        #expect(client.rateLimitHeaders.spot.bannedUntil == Date(timeIntervalSince1970: 1_499_827_439.559))
        let sent = fake.apiRequests.count

        let second = try await #require(throws: ExchangeError.self) { try await client.perform(request) }
        #expect(second.kind == .banned)
        #expect(fake.apiRequests.count == sent, "nothing is sent to a banned host")
        // The futures host is not banned.
        fake.on(.get, "/fapi/v1/time") { _, _ in HTTPResponse.json(#"{"serverTime":1499827319559}"#) }
        _ = try await client.perform(ExchangeRequest(method: .get, path: "/fapi/v1/time"))
        // After the ban, requests flow again.
        fake.time.advance(by: 121)
        fake.on(.get, "/api/v3/openOrders") { _, _ in HTTPResponse.json("[]") }
        _ = try await client.perform(request)
    }

    @Test("HTTP 418 with an empty body uses Retry-After")
    func banEmptyBody() async throws {
        let error = try await classify(HTTPResponse(status: 418, headers: ["Retry-After": "300"]), method: .get, path: "/api/v3/openOrders")
        #expect(error.kind == .banned)
        #expect(error.bannedUntil == Fixtures.date.addingTimeInterval(300))
    }

    @Test("a 5xx HTML page: a write's outcome is unknown, a read is unavailable; nothing crashes")
    func html502() async throws {
        let page = try payloads.response("html-502.html", status: 502)
        let write = try await classify(page, method: .delete, path: "/api/v3/order")
        #expect(write.kind == .outcomeUnknown)
        #expect(write.retry == .reconcileFirst)
        let read = try await classify(page, method: .get, path: "/api/v3/openOrders")
        #expect(read.kind == .exchangeUnavailable)
        #expect(read.httpStatus == 502)
    }

    @Test("a 5xx with an unknown Binance code after a write is still an unknown outcome")
    func unknownCodeOn5xx() async throws {
        let error = try await classify(HTTPResponse.json(#"{"code":-1099,"msg":"Not found, unauthenticated, or unauthorized"}"#, status: 500))
        #expect(error.kind == .outcomeUnknown)
        #expect(error.code == "-1099")
    }

    @Test("a success code in a body (futures cancel-all: code 200) is not an error")
    func positiveCode() async throws {
        let fake = FakeBinance()
        let configuration = Binance.Configuration(additionalAllowedEndpoints: [.exact(.delete, "/fapi/v1/allOpenOrders").accepting("symbol")])
        let client = try await fake.client(configuration: configuration)
        fake.on(.delete, "/fapi/v1/allOpenOrders") { _, _ in
            HTTPResponse.json(#"{"code":200,"msg":"The operation of cancel all open order is done."}"#)
        }
        let response = try await client.perform(
            ExchangeRequest(
                method: .delete, path: "/fapi/v1/allOpenOrders", parameters: ["symbol": "BTCUSDT"], security: .signed))
        #expect(response.status == 200)
    }

    @Test("a negative code in a 200 body is an error")
    func negativeCodeIn200() async throws {
        let error = try await classify(HTTPResponse.json(#"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#))
        #expect(error.kind == .insufficientFunds)
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        let name: String
        let body: Data
        let status: Int
        let kind: String
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "empty 200", body: Data(), status: 200, kind: "exchangeUnavailable"),
        Broken(name: "whitespace 200", body: Data("  \n".utf8), status: 200, kind: "exchangeUnavailable"),
        Broken(name: "HTML 200", body: Data("<!DOCTYPE html><html>maintenance</html>".utf8), status: 200, kind: "exchangeUnavailable"),
        Broken(name: "truncated JSON", body: Data(#"[{"symbol":"LTCBTC","orderId":1,"price":"0.1"#.utf8), status: 200, kind: "decoding"),
        Broken(name: "a number where an object is expected", body: Data("42".utf8), status: 200, kind: "decoding"),
        Broken(name: "missing fields", body: Data(#"[{"symbol":"LTCBTC"}]"#.utf8), status: 200, kind: "decoding"),
        Broken(
            name: "a price that is not a number", body: Data(#"[{"symbol":"LTCBTC","orderId":1,"side":"BUY","price":"0.1abc"}]"#.utf8), status: 200,
            kind: "decoding"),
        Broken(name: "an order id as a string", body: Data(#"[{"symbol":"LTCBTC","orderId":"1","side":"BUY"}]"#.utf8), status: 200, kind: "decoding"),
        Broken(name: "huge garbage", body: Data(repeating: UInt8(ascii: "["), count: 4_000_000), status: 200, kind: "decoding"),
        Broken(name: "invalid UTF-8", body: Data([0xFF, 0xFE, 0x00, 0x7B]), status: 200, kind: "decoding"),
        Broken(name: "empty 400", body: Data(), status: 400, kind: "invalidRequest"),
        Broken(name: "HTML 403 (WAF)", body: Data("<html>403 Forbidden</html>".utf8), status: 403, kind: "permissionDenied"),
        Broken(name: "plain text 503", body: Data("Service Unavailable".utf8), status: 503, kind: "exchangeUnavailable"),
    ]

    @Test("broken bodies on a read become typed errors, never a crash", arguments: broken)
    func brokenBodies(_ item: Broken) async throws {
        let fake = FakeBinance()
        let response = HTTPResponse(status: item.status, body: item.body)
        fake.on(.get, "/api/v3/openOrders") { _, _ in response }
        let client = try await fake.client()
        let error = try await #require(throws: ExchangeError.self) { try await client.openOrders(for: "LTC/BTC") }
        #expect(error.kind.name == item.kind, "\(error)")
        #expect((error.exchangeMessage?.count ?? 0) <= 260, "excerpts stay short")
    }
}
