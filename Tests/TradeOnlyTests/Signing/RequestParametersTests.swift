import Testing
import TradeOnly

@Suite("RequestParameters")
struct RequestParametersTests {
    /// Value → its RFC 3986 encoding.
    static let encodings: [(String, String)] = [
        ("", ""),
        ("BTCUSDT", "BTCUSDT"),
        ("AZaz09-_.~", "AZaz09-_.~"),
        ("a b", "a%20b"),
        ("a+b", "a%2Bb"),
        ("a&b=c", "a%26b%3Dc"),
        ("100%", "100%25"),
        ("/?#[]@!$'()*,;:", "%2F%3F%23%5B%5D%40%21%24%27%28%29%2A%2C%3B%3A"),
        ("\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D"),
        ("这是测试币456", "%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456"),
        ("１２３４５６", "%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"),
        ("é", "%C3%A9"),
        ("🚀", "%F0%9F%9A%80"),
        ("\n\t\u{0}", "%0A%09%00"),
        ("[\"BTCUSDT\",\"BNBUSDT\"]", "%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D"),
        ("HZ8HOjiJ1s/igS9JA+n7==", "HZ8HOjiJ1s%2FigS9JA%2Bn7%3D%3D"),
    ]

    @Test("percent-encodes with RFC 3986's unreserved set, UTF-8 and upper-case hex", arguments: encodings)
    func encodes(value: String, expected: String) {
        #expect(RequestParameters.percentEncode(value) == expected)
        let parameters: RequestParameters = ["k": value]
        #expect(parameters.percentEncodedQuery == "k=" + expected)
        #expect(parameters.unencodedQuery == "k=" + value)
    }

    @Test("encodes Binance's documented Unicode symbol example")
    func binanceUnicodeExample() {
        let parameters: RequestParameters = ["symbol": "这是测试币456"]
        #expect(parameters.percentEncodedQuery == "symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456")
    }

    @Test("encodes a JSON array parameter as Binance documents")
    func binanceJSONArray() {
        let parameters: RequestParameters = ["symbols": "[\"BTCUSDT\",\"BNBUSDT\"]"]
        #expect(parameters.percentEncodedQuery == "symbols=%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D")
    }

    @Test("reproduces Binance's signed payload B-S1 byte for byte")
    func binancePayload() {
        var parameters: RequestParameters = [
            "symbol": "LTCBTC", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
            "quantity": "1", "price": "0.1", "recvWindow": "5000",
        ]
        parameters.append("timestamp", "1499827319559")
        let expected = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        #expect(parameters.percentEncodedQuery == expected)
        #expect(parameters.unencodedQuery == expected)
    }

    @Test("keeps insertion order and repeated names")
    func orderAndRepeats() {
        var parameters: RequestParameters = ["b": "2", "a": "1", "b": "3"]
        parameters.append("a", "4")
        #expect(parameters.unencodedQuery == "b=2&a=1&b=3&a=4")
        #expect(parameters["b"] == "2")
        #expect(parameters.values(named: "a") == ["1", "4"])
        #expect(parameters["missing"] == nil)
        #expect(parameters.count == 4)
        #expect(parameters.map(\.name) == ["b", "a", "b", "a"])
        parameters.removeAll(named: "b")
        #expect(parameters.unencodedQuery == "a=1&a=4")
    }

    @Test("encodes names too, and empty values as name=")
    func namesAndEmpties() {
        let parameters: RequestParameters = ["a b": "", "c&d": "=", "e": "~"]
        #expect(parameters.percentEncodedQuery == "a%20b=&c%26d=%3D&e=~")
        #expect(parameters.unencodedQuery == "a b=&c&d==&e=~")
    }

    @Test("an empty list renders as an empty string")
    func empty() {
        let parameters = RequestParameters()
        #expect(parameters.isEmpty)
        #expect(parameters.percentEncodedQuery == "")
        #expect(parameters.unencodedQuery == "")
    }

    @Test("sorts by name stably, for exchanges that sign sorted parameters")
    func sorting() {
        let parameters: RequestParameters = ["symbol": "BTCUSDT", "category": "linear", "b": "2", "a": "1", "b": "1"]
        #expect(parameters.sortedByName().unencodedQuery == "a=1&b=2&b=1&category=linear&symbol=BTCUSDT")
    }

    @Test("appends another list in order")
    func appendContents() {
        var parameters: RequestParameters = ["a": "1"]
        parameters.append(contentsOf: ["b": "2", "c": "3"])
        #expect(parameters.unencodedQuery == "a=1&b=2&c=3")
        #expect(
            parameters
                == RequestParameters([
                    .init(name: "a", value: "1"), .init(name: "b", value: "2"),
                    .init(name: "c", value: "3"),
                ]))
    }

    @Test("descriptions and dumps redact signatures and keys")
    func redactedDescriptions() {
        var parameters: RequestParameters = ["symbol": "BTCUSDT", "apiKey": "vmPUZE6mv9SD5VNH"]
        parameters.append("signature", "c8db56825ae71d6d")
        for text in [
            parameters.description, parameters.debugDescription, String(reflecting: parameters),
            "\(parameters)",
        ] {
            #expect(!text.contains("c8db56825ae71d6d"))
            #expect(!text.contains("vmPUZE6mv9SD5VNH"))
            #expect(text.contains("symbol=BTCUSDT"))
        }
        var dumped = ""
        dump(parameters, to: &dumped)
        #expect(!dumped.contains("c8db56825ae71d6d"))
        #expect(!dumped.contains("vmPUZE6mv9SD5VNH"))
    }
}
