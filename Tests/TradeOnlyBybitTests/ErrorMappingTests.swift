import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Error mapping: codes, HTTP statuses and broken bodies → ExchangeError")
struct ErrorMappingTests {
    let mapping = BybitDialect(
        environment: .testnet,
        clock: ServerClock(timeSource: FixedTimeSource(Date(timeIntervalSince1970: 1_672_211_928.338))),
        apiKey: ("XXXXXXXXXX", "**********"))
    let post = ExchangeRequest(method: .post, path: "/v5/order/create", security: .signed)
    let get = ExchangeRequest(method: .get, path: "/v5/order/realtime", security: .signed)

    struct CodeCase: Sendable, CustomStringConvertible {
        let code: Int
        let kind: ExchangeError.Kind
        var rule: Instrument.Rule? = nil
        var description: String { "\(code) → \(kind)" }
    }

    static let codes: [CodeCase] = [
        CodeCase(code: 10002, kind: .timestampOutOfWindow), CodeCase(code: -1, kind: .timestampOutOfWindow),
        CodeCase(code: 10003, kind: .authentication), CodeCase(code: 10004, kind: .invalidSignature),
        CodeCase(code: 10005, kind: .permissionDenied), CodeCase(code: 10010, kind: .ipNotAllowed),
        CodeCase(code: 33004, kind: .keyExpired), CodeCase(code: -2015, kind: .keyExpired),
        CodeCase(code: 10007, kind: .authentication), CodeCase(code: 10008, kind: .permissionDenied),
        CodeCase(code: 10009, kind: .permissionDenied), CodeCase(code: 10027, kind: .permissionDenied),
        CodeCase(code: 10006, kind: .rateLimited), CodeCase(code: 10018, kind: .rateLimited),
        CodeCase(code: 110004, kind: .insufficientFunds), CodeCase(code: 110007, kind: .insufficientFunds),
        CodeCase(code: 110012, kind: .insufficientFunds), CodeCase(code: 110044, kind: .insufficientFunds),
        CodeCase(code: 110045, kind: .insufficientFunds), CodeCase(code: 170131, kind: .insufficientFunds),
        CodeCase(code: 170033, kind: .insufficientFunds),
        CodeCase(code: 110094, kind: .orderRejected, rule: "minimumNotional"),
        CodeCase(code: 110017, kind: .orderRejected, rule: "quantityStep"),
        CodeCase(code: 110003, kind: .orderRejected, rule: "price"),
        CodeCase(code: 170218, kind: .orderRejected, rule: "postOnly"),
        CodeCase(code: 170136, kind: .orderRejected, rule: "minimumQuantity"),
        CodeCase(code: 170137, kind: .orderRejected, rule: "quantityStep"),
        CodeCase(code: 170134, kind: .orderRejected, rule: "tickSize"),
        CodeCase(code: 170133, kind: .orderRejected, rule: "minimumPrice"),
        CodeCase(code: 170132, kind: .orderRejected, rule: "maximumPrice"),
        CodeCase(code: 170140, kind: .orderRejected, rule: "minimumNotional"),
        CodeCase(code: 170148, kind: .orderRejected, rule: "quantityStep"),
        CodeCase(code: 170124, kind: .orderRejected, rule: "maximumNotional"),
        CodeCase(code: 10001, kind: .invalidRequest),
        CodeCase(code: 110001, kind: .orderNotFound), CodeCase(code: 110008, kind: .orderNotFound),
        CodeCase(code: 110010, kind: .orderNotFound), CodeCase(code: 170213, kind: .orderNotFound),
        CodeCase(code: 170142, kind: .orderNotFound), CodeCase(code: 170143, kind: .orderNotFound),
        CodeCase(code: 110072, kind: .duplicateClientOrderID), CodeCase(code: 170141, kind: .duplicateClientOrderID),
        CodeCase(code: 10000, kind: .outcomeUnknown), CodeCase(code: 10016, kind: .outcomeUnknown),
        CodeCase(code: 170007, kind: .outcomeUnknown), CodeCase(code: 170146, kind: .outcomeUnknown),
        CodeCase(code: 10014, kind: .outcomeUnknown),
        CodeCase(code: 999_999, kind: .other), CodeCase(code: 131093, kind: .other),
    ]

    @Test("retCode table (on an order POST)", arguments: codes)
    func codeTable(testCase: CodeCase) throws {
        let error = try #require(mapping.classify(post, HTTPResponse.bybitError(testCase.code, "message \(testCase.code)")))
        #expect(error.kind == testCase.kind)
        #expect(error.rule == testCase.rule)
        #expect(error.code == String(testCase.code))
        #expect(error.exchangeMessage == "message \(testCase.code)")
        #expect(error.exchange == "bybit")
        #expect(error.httpStatus == 200)
    }

    @Test(
        "the recorded error bodies",
        arguments: [
            ("error-10002.json", ExchangeError.Kind.timestampOutOfWindow), ("error-10003.json", .authentication),
            ("error-10004.json", .invalidSignature), ("error-10006.json", .rateLimited), ("error-110001.json", .orderNotFound),
            ("error-110007.json", .insufficientFunds), ("error-170136.json", .orderRejected),
            ("error-10001-qty.json", .orderRejected), ("error-10016.json", .outcomeUnknown),
        ])
    func recordedBodies(name: String, kind: ExchangeError.Kind) throws {
        let error = try #require(mapping.classify(post, try payloads.response(name)))
        #expect(error.kind == kind)
    }

    @Test("server timeouts are an unknown outcome for writes and a retryable unavailability for reads")
    func unknownOutcome() throws {
        for code in [10000, 10016, 170007, 170146] {
            let write = try #require(mapping.classify(post, HTTPResponse.bybitError(code)))
            #expect(write.kind == .outcomeUnknown)
            #expect(write.retry == .reconcileFirst)
            let read = try #require(mapping.classify(get, HTTPResponse.bybitError(code)))
            #expect(read.kind == .exchangeUnavailable)
            #expect(read.retry == .retry)
        }
    }

    @Test("10001 about the quantity or price of an order is an order rejection")
    func parameterError() throws {
        let qty = try #require(mapping.classify(post, try payloads.response("error-10001-qty.json")))
        #expect(qty.kind == .orderRejected)
        #expect(qty.rule == "quantity")
        let price = try #require(mapping.classify(post, HTTPResponse.bybitError(10001, "price invalid")))
        #expect(price.rule == "price")
        let other = try #require(mapping.classify(get, HTTPResponse.bybitError(10001, "Qty invalid")))
        #expect(other.kind == .invalidRequest)
    }

    /// The core's rule vocabulary (``Instrument/Rule``), the one local validation uses.
    static let coreRules: Set<Instrument.Rule> = [
        Instrument.Rule.symbol, Instrument.Rule.status, Instrument.Rule.quantity, Instrument.Rule.price,
        Instrument.Rule.postOnly, Instrument.Rule.reduceOnly, Instrument.Rule.tickSize, Instrument.Rule.minimumPrice,
        Instrument.Rule.maximumPrice, Instrument.Rule.quantityStep, Instrument.Rule.minimumQuantity,
        Instrument.Rule.maximumQuantity, Instrument.Rule.maximumMarketQuantity, Instrument.Rule.minimumNotional,
        Instrument.Rule.maximumNotional,
    ]

    @Test("every rule Bybit's codes map to is a core Instrument.Rule name")
    func oneVocabulary() throws {
        for (code, rule) in BybitErrorTable.rejectionRules {
            #expect(Self.coreRules.contains(rule), "\(code) → \(rule)")
        }
    }

    @Test(
        "10001 on an order: the rule its message names",
        arguments: [
            ("The number of contracts exceeds minimum limit allowed", "minimumQuantity"),
            ("The number of contracts exceeds maximum limit allowed", "maximumQuantity"),
            ("Qty invalid", "quantity"),
            ("params error: price must be a multiple of the tick size 0.1", "tickSize"),
            ("price invalid", "price"),
        ])
    func parameterRules(message: String, rule: Instrument.Rule) throws {
        let error = try #require(mapping.classify(post, HTTPResponse.bybitError(10001, message)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == rule)
        #expect(Self.coreRules.contains(rule))
        #expect(error.exchangeMessage == message, "Bybit's own wording is kept")
    }

    @Test("10006 waits until X-Bapi-Limit-Reset-Timestamp")
    func rateLimit() throws {
        var response = try payloads.response("error-10006.json")
        response.headers["X-Bapi-Limit"] = "10"
        response.headers["X-Bapi-Limit-Status"] = "0"
        response.headers["X-Bapi-Limit-Reset-Timestamp"] = "1672211929838"
        let error = try #require(mapping.classify(post, response))
        #expect(error.kind == .rateLimited)
        #expect(error.retry == .retryAfter(seconds: 1.5))
    }

    @Test("10002 asks for a clock resync")
    func clock() throws {
        let error = try #require(mapping.classify(post, try payloads.response("error-10002.json")))
        #expect(error.kind == .timestampOutOfWindow)
        #expect(error.retry == .retryAfterClockSync)
    }

    @Test("a signature error's origin_string (the signed payload with the API key) is cut out")
    func originStringRedacted() throws {
        let error = try #require(mapping.classify(post, try payloads.response("error-10004.json")))
        #expect(error.kind == .invalidSignature)
        let text = String(describing: error) + (error.exchangeMessage ?? "")
        #expect(!text.contains("XXXXXXXXXX"))
        #expect(!text.contains("1672211928338XXXXXXXXXX5000"))
        #expect(error.exchangeMessage == "error sign! origin_string[<redacted>]")
    }

    @Test("the API key is masked wherever Bybit echoes it")
    func apiKeyMasked() throws {
        let error = try #require(mapping.classify(get, HTTPResponse.bybitError(10003, "api_key XXXXXXXXXX is invalid")))
        #expect(error.exchangeMessage?.contains("XXXXXXXXXX") == false)
    }

    struct StatusCase: Sendable, CustomStringConvertible {
        let status: Int
        let body: String
        let method: HTTPMethod
        let kind: ExchangeError.Kind
        var description: String { "HTTP \(status) \(method.rawValue) → \(kind)" }
    }

    static let statuses: [StatusCase] = [
        StatusCase(status: 401, body: "", method: .get, kind: .authentication),
        StatusCase(status: 403, body: "", method: .get, kind: .permissionDenied),
        StatusCase(status: 404, body: "", method: .get, kind: .invalidRequest),
        StatusCase(status: 429, body: "", method: .get, kind: .rateLimited),
        StatusCase(status: 500, body: "", method: .get, kind: .exchangeUnavailable),
        StatusCase(status: 502, body: "<html>bad gateway</html>", method: .post, kind: .outcomeUnknown),
        StatusCase(status: 503, body: "", method: .post, kind: .outcomeUnknown),
        StatusCase(status: 302, body: "", method: .get, kind: .exchangeUnavailable),
        StatusCase(status: 200, body: "", method: .get, kind: .exchangeUnavailable),
        StatusCase(status: 200, body: "", method: .post, kind: .outcomeUnknown),
        StatusCase(status: 200, body: "<html><body>maintenance</body></html>", method: .get, kind: .exchangeUnavailable),
        StatusCase(status: 200, body: "<html><body>maintenance</body></html>", method: .post, kind: .outcomeUnknown),
        StatusCase(status: 200, body: #"{"result":{}}"#, method: .get, kind: .exchangeUnavailable),
        StatusCase(status: 200, body: #"{"retCode":0,"#, method: .get, kind: .exchangeUnavailable),
        StatusCase(status: 200, body: "\u{0}\u{1}garbage", method: .get, kind: .exchangeUnavailable),
    ]

    @Test("HTTP failures, HTML pages and empty bodies become typed errors", arguments: statuses)
    func httpStatuses(testCase: StatusCase) throws {
        let request = testCase.method == .get ? get : post
        let response = HTTPResponse(status: testCase.status, body: Data(testCase.body.utf8))
        let error = try #require(mapping.classify(request, response))
        #expect(error.kind == testCase.kind)
    }

    @Test("an HTML 403 (a country block) is a permission refusal that quotes the page")
    func html403() throws {
        let error = try #require(mapping.classify(get, try payloads.response("html-403.html", status: 403)))
        #expect(error.kind == .permissionDenied)
        #expect(error.httpStatus == 403)
        #expect(error.exchangeMessage?.hasPrefix("<!DOCTYPE HTML") == true)
    }

    @Test("HTTP 403 'access too frequent' is Bybit's IP ban: banned for at least 10 minutes")
    func ipBan() throws {
        let error = try #require(mapping.classify(get, try payloads.response("ip-rate-limit-403.txt", status: 403)))
        #expect(error.kind == .banned)
        #expect(error.retry == .retryAfter(seconds: 600))
        #expect(error.bannedUntil == Date(timeIntervalSince1970: 1_672_211_928.338 + 600))
    }

    @Test("a Bybit error body on a non-200 status is mapped by its retCode")
    func retCodeWins() throws {
        let error = try #require(mapping.classify(get, HTTPResponse.bybitError(10003, "API key is invalid.", status: 401)))
        #expect(error.kind == .authentication)
        #expect(error.httpStatus == 401)
        #expect(error.message.contains("testnet"))
    }

    @Test("success is HTTP 2xx with retCode 0, whatever retMsg says")
    func success() {
        for message in ["OK", "success", "SUCCESS", ""] {
            let body = #"{"retCode":0,"retMsg":"\#(message)","result":{},"retExtInfo":{},"time":1}"#
            #expect(mapping.classify(get, HTTPResponse(status: 200, body: Data(body.utf8))) == nil)
        }
    }

    @Test("the envelope scanner reads retCode and retMsg at the top level only, escapes and all")
    func scanner() {
        let cases: [(String, Int?, String?)] = [
            (#"{"retCode":0,"retMsg":"OK","result":{}}"#, 0, "OK"),
            (#"  {"result":{"retCode":5,"list":[{"a":"}"}]},"retMsg":"a \"b\" \u00e9","retCode":-1}"#, -1, "a \"b\" é"),
            (#"{"retCode":110001}"#, 110001, nil),
            (#"{"retCode":"10002","retMsg":"x"}"#, nil, "x"),
            (#"{"retCode":1.5}"#, nil, nil),
        ]
        for (text, code, message) in cases {
            let head = BybitEnvelopeScanner.scan(Data(text.utf8))
            #expect(head?.retCode == code, "\(text)")
            #expect(head?.retMessage == message, "\(text)")
        }
        for text in ["", "[]", "<html>", #"{"retCode":"#, "null", #"{"a" 1}"#] {
            #expect(BybitEnvelopeScanner.scan(Data(text.utf8)) == nil, "\(text)")
        }
    }
}
