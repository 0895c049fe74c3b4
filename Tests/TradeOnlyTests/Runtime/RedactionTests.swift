import Testing
import TradeOnly

@Suite("Redaction")
struct RedactionTests {
    @Test(
        "knows every exchange's sensitive headers, ignoring case",
        arguments: [
            "X-MBX-APIKEY", "x-mbx-apikey", "X-BAPI-API-KEY", "X-BAPI-SIGN", "OK-ACCESS-KEY",
            "OK-ACCESS-SIGN", "OK-ACCESS-PASSPHRASE", "KEY", "SIGN", "Authorization", "Cookie", " key ",
        ])
    func sensitiveHeaders(name: String) {
        #expect(Redaction.isSensitiveHeader(name))
        #expect(Redaction.redactHeaderValue("secret-value", forHeader: name) == "<redacted>")
    }

    @Test(
        "leaves ordinary headers alone",
        arguments: [
            "Content-Type", "X-BAPI-TIMESTAMP", "X-BAPI-RECV-WINDOW", "OK-ACCESS-TIMESTAMP", "Timestamp",
            "X-MBX-USED-WEIGHT-1M", "Accept", "x-simulated-trading",
        ])
    func ordinaryHeaders(name: String) {
        #expect(!Redaction.isSensitiveHeader(name))
        #expect(Redaction.redactHeaderValue("application/json", forHeader: name) == "application/json")
    }

    static let queries: [(String, String)] = [
        (
            "symbol=BTCUSDT&timestamp=1&signature=c8db5682",
            "symbol=BTCUSDT&timestamp=1&signature=<redacted>"
        ),
        ("signature=a", "signature=<redacted>"),
        ("?a=1&Signature=x&b=2", "?a=1&Signature=<redacted>&b=2"),
        ("/api/v3/order?apiKey=k&sign=s&api_key=q", "/api/v3/order?apiKey=<redacted>&sign=<redacted>&api_key=<redacted>"),
        ("https://api.binance.com/api/v3/order?x=1&signature=zz", "https://api.binance.com/api/v3/order?x=1&signature=<redacted>"),
        ("%73ignature=abc&x=1", "%73ignature=<redacted>&x=1"),
        ("signatures=1&mysign=2&designature=3", "signatures=1&mysign=2&designature=3"),
        ("a=1&&signature", "a=1&&signature"),
        ("listenKey=pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1", "listenKey=<redacted>"),
        ("", ""),
    ]

    @Test("redactQuery hides the values of sensitive items only", arguments: queries)
    func redactQuery(input: String, expected: String) {
        #expect(Redaction.redactQuery(input) == expected)
    }

    static let texts: [(String, String)] = [
        (
            "GET /api/v3/account?timestamp=1&signature=abc HTTP/1.1",
            "GET /api/v3/account?timestamp=1&signature=<redacted> HTTP/1.1"
        ),
        ("X-MBX-APIKEY: vmPU\r\nAccept: */*", "X-MBX-APIKEY: <redacted>\r\nAccept: */*"),
        (
            "[\"X-BAPI-SIGN\": \"deadbeef\", \"X-BAPI-TIMESTAMP\": \"1\"]",
            "[\"X-BAPI-SIGN\": \"<redacted>\", \"X-BAPI-TIMESTAMP\": \"1\"]"
        ),
        ("{\"apiKey\":\"k1\",\"symbol\":\"BTCUSDT\"}", "{\"apiKey\":\"<redacted>\",\"symbol\":\"BTCUSDT\"}"),
        ("{\"passphrase\": \"a\\\"b\", \"x\": 1}", "{\"passphrase\": \"<redacted>\", \"x\": 1}"),
        ("Authorization: Bearer abc.def", "Authorization: <redacted>"),
        ("KEY=abc SIGN=def Timestamp=1", "KEY=<redacted> SIGN=<redacted> Timestamp=1"),
        ("OK-ACCESS-PASSPHRASE:p4ss, OK-ACCESS-TIMESTAMP: 2020", "OK-ACCESS-PASSPHRASE:<redacted>, OK-ACCESS-TIMESTAMP: 2020"),
        ("monkey: banana, signed order placed, keyboard=1", "monkey: banana, signed order placed, keyboard=1"),
        ("signature=", "signature="),
        ("nothing to see", "nothing to see"),
        ("", ""),
    ]

    @Test("redactText hides values after sensitive names in queries, headers and JSON", arguments: texts)
    func redactText(input: String, expected: String) {
        #expect(Redaction.redactText(input) == expected)
    }

    @Test("sensitive parameter names include the brief's list")
    func parameterNames() {
        for name in ["signature", "apiKey", "api_key", "sign", "SIGNATURE", "%61piKey"] {
            #expect(Redaction.isSensitiveParameter(name), "\(name)")
        }
        for name in ["symbol", "timestamp", "recvWindow", "orderId"] {
            #expect(!Redaction.isSensitiveParameter(name), "\(name)")
        }
    }
}
