import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBybit

@Suite("Request encoding")
struct RequestEncodingTests {
    let environment = Bybit.Environment.live

    @Test("GET parameters are sorted by name and sent unencoded; the cursor goes verbatim")
    func query() throws {
        let request = ExchangeRequest(
            method: .get, path: "/v5/order/realtime",
            parameters: [
                "symbol": "BTCUSDT", "category": "linear", "limit": "50",
                "cursor": "page_args%3Dfd4300ae-7847-404e-b947-b46980a4d140%26symbol%3D6%26",
            ],
            security: .signed)
        let encoded = try BybitRequestEncoding.encode(request, environment: environment)
        #expect(
            encoded.url.absoluteString
                == "https://api.bybit.com/v5/order/realtime?category=linear&cursor=page_args%3Dfd4300ae-7847-404e-b947-b46980a4d140%26symbol%3D6%26&limit=50&symbol=BTCUSDT"
        )
        #expect(encoded.body == nil)
        #expect(encoded.headers.isEmpty)
    }

    @Test(
        "a GET value that would need encoding is refused, not re-encoded",
        arguments: ["BTC USDT", "a+b", "a&b=c", "x#y", "é", "50%", "%zz", "a/b", "a?b", "a\"b"])
    func unsafeValue(value: String) {
        let request = ExchangeRequest(method: .get, path: "/v5/market/tickers", parameters: ["category": "spot", "symbol": value])
        let error = #expect(throws: ExchangeError.self) { try BybitRequestEncoding.encode(request, environment: environment) }
        #expect(error?.kind == .invalidRequest)
    }

    @Test("commas, colons and %XX escapes are safe in a GET value")
    func safeValues() throws {
        let request = ExchangeRequest(
            method: .get, path: "/v5/account/wallet-balance",
            parameters: ["accountType": "UNIFIED", "coin": "USDT,USDC", "cursor": "132766%3A2%2C132766%3A2:x"])
        let encoded = try BybitRequestEncoding.encode(request, environment: environment)
        #expect(encoded.url.absoluteString.hasSuffix("?accountType=UNIFIED&coin=USDT,USDC&cursor=132766%3A2%2C132766%3A2:x"))
    }

    @Test("a parameter twice, or a name with odd characters, is refused")
    func duplicates() {
        var parameters: RequestParameters = ["category": "spot"]
        parameters.append("category", "linear")
        for method in [HTTPMethod.get, .post] {
            let request = ExchangeRequest(method: method, path: "/v5/order/realtime", parameters: parameters)
            #expect(throws: ExchangeError.self) { try BybitRequestEncoding.encode(request, environment: environment) }
        }
        let odd = ExchangeRequest(method: .get, path: "/v5/market/tickers", parameters: ["cate gory": "spot"])
        #expect(throws: ExchangeError.self) { try BybitRequestEncoding.encode(odd, environment: environment) }
    }

    @Test("POST parameters become one JSON object in the given order: strings, booleans and integers by field")
    func jsonBody() throws {
        let request = ExchangeRequest(
            method: .post, path: "/v5/order/create",
            parameters: [
                "category": "linear", "symbol": "BTCUSDT", "side": "Sell", "orderType": "Limit", "qty": "0.010",
                "price": "30000.10", "positionIdx": "0", "reduceOnly": "true", "closeOnTrigger": "false",
                "triggerDirection": "2", "orderLinkId": "a\"b\\c\u{1}",
            ],
            security: .signed)
        let encoded = try BybitRequestEncoding.encode(request, environment: environment)
        #expect(encoded.url.absoluteString == "https://api.bybit.com/v5/order/create")
        #expect(encoded.headers["Content-Type"] == "application/json")
        let body = String(decoding: try #require(encoded.body), as: UTF8.self)
        #expect(
            body
                == #"{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.010","price":"30000.10","positionIdx":0,"reduceOnly":true,"closeOnTrigger":false,"triggerDirection":2,"orderLinkId":"a\"b\\c\u0001"}"#
        )
        // It is valid JSON with the intended types.
        let data = try #require(encoded.body)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["qty"] as? String == "0.010")
        #expect(object["orderLinkId"] as? String == "a\"b\\c\u{1}")
    }

    @Test("an empty POST is {}")
    func emptyBody() throws {
        let encoded = try BybitRequestEncoding.encode(
            ExchangeRequest(method: .post, path: "/v5/order/cancel"), environment: environment)
        #expect(encoded.body == Data("{}".utf8))
    }

    @Test("typed fields must hold values of their type")
    func typedFieldValues() {
        for (name, value) in [
            ("reduceOnly", "yes"), ("reduceOnly", "1"), ("positionIdx", "one"), ("positionIdx", "1.5"),
            ("positionIdx", ""),
        ] {
            let request = ExchangeRequest(method: .post, path: "/v5/order/create", parameters: [name: value])
            let error = #expect(throws: ExchangeError.self, "\(name)=\(value)") {
                try BybitRequestEncoding.encode(request, environment: environment)
            }
            #expect(error?.kind == .invalidRequest)
        }
    }

    @Test("isLeverage other than 0 is encoded faithfully, and the signer refuses it: spot margin borrowing")
    func leverage() throws {
        let signer = try BybitHarness.signer()
        for value in ["1", "2", "-1"] {
            let request = ExchangeRequest(
                method: .post, path: "/v5/order/create", parameters: ["category": "spot", "isLeverage": value])
            let encoded = try BybitRequestEncoding.encode(request, environment: environment)
            let error = #expect(throws: ExchangeError.self) { try signer.sign(encoded, at: Date()) }
            #expect(error?.kind == .policyViolation)
        }
        let zero = ExchangeRequest(method: .post, path: "/v5/order/create", parameters: ["category": "spot", "isLeverage": "0"])
        let encoded = try BybitRequestEncoding.encode(zero, environment: environment)
        #expect(encoded.body == Data(#"{"category":"spot","isLeverage":0}"#.utf8))
    }

    @Test("methods other than GET and POST are refused")
    func otherMethods() {
        for method in [HTTPMethod.put, .delete, .patch] {
            let request = ExchangeRequest(method: method, path: "/v5/order/create")
            #expect(throws: ExchangeError.self) { try BybitRequestEncoding.encode(request, environment: environment) }
        }
    }

    @Test("environments put every path under their base URL")
    func environments() throws {
        let request = ExchangeRequest(method: .get, path: "/v5/market/time")
        let cases: [(Bybit.Environment, String)] = [
            (.live, "https://api.bybit.com/v5/market/time"),
            (.testnet, "https://api-testnet.bybit.com/v5/market/time"),
            (.demo, "https://api-demo.bybit.com/v5/market/time"),
            (.live(host: .europe), "https://api.bybit.eu/v5/market/time"),
            (.live(host: .bytick), "https://api.bytick.com/v5/market/time"),
            (.local(try #require(URL(string: "http://127.0.0.1:8123"))), "http://127.0.0.1:8123/v5/market/time"),
            (.local(try #require(URL(string: "http://127.0.0.1:8123/bybit/"))), "http://127.0.0.1:8123/bybit/v5/market/time"),
        ]
        for (environment, expected) in cases {
            #expect(try BybitRequestEncoding.encode(request, environment: environment).url.absoluteString == expected)
        }
    }
}
