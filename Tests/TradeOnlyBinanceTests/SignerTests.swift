import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

/// The signer against Binance's published example (B-S1) and the derived vectors of
/// `reference/binance-bybit.md` §1.5, byte for byte.
@Suite("Signer: published and derived HMAC vectors", .serialized)
struct SignerTests {
    let signer: BinanceSigner

    init() throws {
        signer = try Fixtures.signer(recvWindow: 5000)
    }

    private func request(_ method: HTTPMethod, _ url: String, body: String? = nil) throws -> HTTPRequest {
        HTTPRequest(method: method, url: try #require(URL(string: url)), body: body.map { Data($0.utf8) })
    }

    @Test("B-S1: POST /api/v3/order reproduces Binance's signature and full URL byte for byte")
    func publishedVector() throws {
        let unsigned = try request(
            .post, "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1")
        let signed = try signer.sign(unsigned, at: Fixtures.date)
        #expect(
            signed.wire
                == "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
        )
        #expect(signed.headers["X-MBX-APIKEY"] == Fixtures.apiKey)
        #expect(signed.body == nil)
        #expect(signed.method == .post)
    }

    @Test("§1.5: a GET with only a timestamp (no receive window)")
    func timestampOnly() throws {
        let bare = try Fixtures.signer(recvWindow: nil)
        let signed = try bare.sign(try request(.get, "https://api.binance.com/api/v3/account"), at: Fixtures.date)
        #expect(
            signed.wire
                == "https://api.binance.com/api/v3/account?timestamp=1499827319559&signature=2222d49722f6af5da13f6da6bfc0d7de19ca2815ebc98bbc49e4942268472f3f"
        )
    }

    @Test("§1.5: recvWindow and timestamp only (the key check)")
    func keyCheck() throws {
        let signed = try signer.sign(
            try request(.get, "https://api.binance.com/sapi/v1/account/apiRestrictions"), at: Fixtures.date)
        #expect(
            signed.wire
                == "https://api.binance.com/sapi/v1/account/apiRestrictions?recvWindow=5000&timestamp=1499827319559&signature=82f4e72e95e63d666b6da651e82a701722ad8a785a169318d91f36f279c55821"
        )
    }

    @Test("§1.5: mixed query and form body: the body gets timestamp and signature, the payload is query + body")
    func mixedQueryAndBody() throws {
        let unsigned = try request(
            .post, "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
            body: "quantity=1&price=0.1")
        let signed = try signer.sign(unsigned, at: Fixtures.date)
        #expect(signed.wire == "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC")
        #expect(
            signed.bodyText
                == "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"
        )
        #expect(signed.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(signed.headers["X-MBX-APIKEY"] == Fixtures.apiKey)
    }

    @Test("§1.5: the Unicode testnet symbol is percent-encoded (UTF-8, upper-case) before signing")
    func unicodeSymbol() throws {
        let binance = FakeBinance().binance(environment: .testnet)
        let parameters: RequestParameters = [
            "symbol": "这是测试币456", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "1", "price": "0.1",
        ]
        let unsigned = try binance.encode(
            ExchangeRequest(method: .post, path: "/api/v3/order", parameters: parameters, security: .signed))
        let signed = try Fixtures.signer(environment: .testnet).sign(unsigned, at: Fixtures.date)
        #expect(
            signed.wire
                == "https://testnet.binance.vision/api/v3/order?symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=4b6e325645ce7207ef753f22262305df9646f9e5b8a9a266e2320c70bb7f60c8"
        )
    }

    @Test("the timestamp is the given time in whole milliseconds, so a later time signs differently")
    func freshTimestamps() throws {
        let unsigned = try request(.get, "https://api.binance.com/api/v3/account")
        let first = try signer.sign(unsigned, at: Fixtures.date)
        let second = try signer.sign(unsigned, at: Fixtures.date.addingTimeInterval(0.001))
        #expect(first.query.contains("timestamp=1499827319559&"))
        #expect(second.query.contains("timestamp=1499827319560&"))
        #expect(first.wire != second.wire)
    }

    @Test("the signer refuses every denied endpoint by itself, whatever the spelling", arguments: try BinanceReference.alwaysDenied)
    func refusesDenied(endpoint: Endpoint) throws {
        for path in pathTricks(endpoint.path) {
            guard let url = URL(string: "https://api.binance.com" + path) else { continue }
            let error = try #require(throws: ExchangeError.self, "\(path)") {
                try signer.sign(HTTPRequest(method: endpoint.method, url: url), at: Fixtures.date)
            }
            #expect(error.kind == .policyViolation, "\(path): \(error)")
        }
    }

    @Test("the signer refuses endpoints that are not on the allow-list")
    func refusesNotAllowed() throws {
        for (method, path) in [(HTTPMethod.get, "/api/v3/allOrders"), (.post, "/fapi/v1/leverage"), (.post, "/api/v3/account")] {
            let error = try #require(throws: ExchangeError.self) {
                try signer.sign(try request(method, "https://api.binance.com" + path), at: Fixtures.date)
            }
            #expect(error.kind == .policyViolation)
        }
    }

    @Test(
        "the signer refuses requests that already carry signature, timestamp or recvWindow",
        arguments: ["signature=abc", "timestamp=1", "recvWindow=60000", "%73ignature=abc", "RECVWINDOW=5"])
    func refusesReserved(extra: String) throws {
        let inQuery = try request(.get, "https://api.binance.com/api/v3/account?omitZeroBalances=true&" + extra)
        let error = try #require(throws: ExchangeError.self) { try signer.sign(inQuery, at: Fixtures.date) }
        #expect(error.kind == .policyViolation)
        let inBody = try request(.post, "https://api.binance.com/api/v3/order?symbol=LTCBTC", body: "quantity=1&" + extra)
        #expect(throws: ExchangeError.self) { try signer.sign(inBody, at: Fixtures.date) }
    }

    @Test("a receive window outside 1...60000 ms is refused", arguments: [0, -1, 60_001])
    func refusesReceiveWindow(window: Int) throws {
        let bad = try Fixtures.signer(recvWindow: window)
        let error = try #require(throws: ExchangeError.self) {
            try bad.sign(try request(.get, "https://api.binance.com/api/v3/account"), at: Fixtures.date)
        }
        #expect(error.kind == .invalidRequest)
    }

    @Test("a path is signed only for the host that serves it (spot on api., futures on fapi.)")
    func pathOnItsOwnHost() throws {
        for url in [
            "https://api.binance.com/fapi/v1/order?symbol=BTCUSDT", "https://fapi.binance.com/api/v3/order?symbol=BTCUSDT",
            "https://fapi.binance.com/sapi/v1/account/apiRestrictions",
        ] {
            let error = try #require(throws: ExchangeError.self, "\(url)") {
                try signer.sign(try request(url.contains("apiRestrictions") ? .get : .post, url), at: Fixtures.date)
            }
            #expect(error.kind == .policyViolation, "\(url)")
        }
        _ = try signer.sign(try request(.post, "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT"), at: Fixtures.date)
        // A local stand-in serves every path at one origin.
        let local = try Fixtures.signer(environment: .local(try #require(URL(string: "http://127.0.0.1:8080"))))
        _ = try local.sign(try request(.post, "http://127.0.0.1:8080/fapi/v1/order?symbol=BTCUSDT"), at: Fixtures.date)
        _ = try local.sign(try request(.post, "http://127.0.0.1:8080/api/v3/order?symbol=BTCUSDT"), at: Fixtures.date)
    }

    @Test("a key header set by a middleware is replaced by the signer's")
    func replacesKeyHeader() throws {
        var unsigned = try request(.get, "https://api.binance.com/api/v3/account")
        unsigned.headers.add(name: "x-mbx-apikey", value: "someone-else")
        let signed = try signer.sign(unsigned, at: Fixtures.date)
        #expect(signed.headers.values(for: "X-MBX-APIKEY") == [Fixtures.apiKey])
    }
}
