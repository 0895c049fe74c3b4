import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("Binance authentication")
struct BinanceAuthenticationTests {
    @Test("a correctly signed request is accepted, in the query or in the form body")
    func accepted() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let query = try await client.signed(.get, "/api/v3/account")
        #expect(query.status == 200)
        #expect(query["balances"] != nil)
        let body = try await client.signed(
            .post, "/api/v3/order/test",
            [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.001"), ("price", "60000")],
            inBody: true)
        #expect(body.status == 200)
        #expect(body.text == "{}")
    }

    @Test("Binance's published HMAC vector (rest-api.md, B-S1) is accepted byte for byte")
    func officialVector() async throws {
        let clock = FixedTimeSource(Date(timeIntervalSince1970: 1_499_827_319.559))
        let key = SimulatedKey(
            apiKey: "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
            secret: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
            permissions: [.read, .spotTrade])
        let ltc = Instrument(symbol: "LTC/BTC", exchangeSymbol: "LTCBTC", tickSize: dec("0.000001"), quantityStep: dec("0.01"))
        let exchange = SimulatedExchange(
            configuration: .init(timeSource: clock),
            state: SimulatorState(instruments: [ltc], prices: ["LTC/BTC": dec("0.2")], balances: ["main": ["BTC": 1]], keys: [key]))
        let transport = exchange.transport(for: .binance)
        let payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        let request = HTTPRequest(
            method: .post,
            url: try #require(
                URL(
                    string:
                        "https://api.binance.com/api/v3/order?\(payload)&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")),
            headers: ["X-MBX-APIKEY": key.apiKey])
        let response = try await transport.send(request)
        #expect(response.status == 200, "\(response)")
        // Upper-case hex is accepted too (HMAC signatures are not case-sensitive).
        var upper = request
        upper.url = try #require(
            URL(
                string: "https://api.binance.com/api/v3/order?\(payload.replacingOccurrences(of: "quantity=1", with: "quantity=2"))&signature="
                    + hmacHex(payload.replacingOccurrences(of: "quantity=1", with: "quantity=2"), secret: key.secret).uppercased()))
        #expect(try await transport.send(upper).status == 200)

        // The published mixed query + body vector (reference §1.5): query and body concatenated.
        let mixed = HTTPRequest(
            method: .post,
            url: try #require(URL(string: "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC")),
            headers: ["X-MBX-APIKEY": key.apiKey, "Content-Type": "application/x-www-form-urlencoded"],
            body: Data(
                "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"
                    .utf8))
        let mixedResponse = try await transport.send(mixed)
        #expect(mixedResponse.status == 200, "\(mixedResponse)")
        #expect(await exchange.allOrders().count == 3)
    }

    @Test("the signature is checked over the bytes as sent: re-encoding the same parameters breaks it")
    func rawBytes() async throws {
        let fixture = Fixture()
        let key = SimulatedExchange.standardTradeKey
        let timestamp = await fixture.serverTime()
        // Signed over the percent-encoded form, sent as is: accepted.
        let encoded = "symbol=BTCUSDT&newClientOrderId=a%2Db&timestamp=\(timestamp)"
        let transport = fixture.exchange.transport(for: .binance)
        let accepted = try await transport.send(
            HTTPRequest(
                method: .get,
                url: try #require(URL(string: "http://x/api/v3/openOrders?\(encoded)&signature=\(hmacHex(encoded, secret: key.secret))")),
                headers: ["X-MBX-APIKEY": key.apiKey]))
        #expect(accepted.status == 200)
        // Signed over the decoded form, sent encoded: -1022.
        let decoded = "symbol=BTCUSDT&newClientOrderId=a-b&timestamp=\(timestamp)"
        let refused = try await transport.send(
            HTTPRequest(
                method: .get,
                url: try #require(URL(string: "http://x/api/v3/openOrders?\(encoded)&signature=\(hmacHex(decoded, secret: key.secret))")),
                headers: ["X-MBX-APIKEY": key.apiKey]))
        #expect(refused.status == 400)
        #expect(Reply(status: refused.status, headers: refused.headers, body: refused.body).code == -1022)
    }

    @Test("a wrong signature gets -1022 with HTTP 400")
    func wrongSignature() async throws {
        let reply = try await Fixture().binance().signed(.get, "/api/v3/account", secretOverride: "not-the-secret")
        #expect(reply.status == 400)
        #expect(reply.code == -1022)
        #expect(reply["msg"] as? String == "Signature for this request is not valid.")
    }

    @Test("a stale timestamp gets -1021; recvWindow widens the window up to 60000")
    func staleTimestamp() async throws {
        let fixture = Fixture()
        var client = fixture.binance()
        let now = await fixture.serverTime()
        client.timestamp = { now - 6000 }
        let stale = try await client.signed(.get, "/api/v3/account")
        #expect(stale.status == 400)
        #expect(stale.code == -1021)
        #expect(try await client.signed(.get, "/api/v3/account", recvWindow: 10_000).status == 200)
        let tooWide = try await client.signed(.get, "/api/v3/account", recvWindow: 60_001)
        #expect(tooWide.code == -1131)
        client.timestamp = { now + 1000 }
        let ahead = try await client.signed(.get, "/api/v3/account")
        #expect(ahead.code == -1021)
        client.timestamp = { now + 999 }
        #expect(try await client.signed(.get, "/api/v3/account").status == 200)
    }

    @Test("an unknown key gets -2015 with HTTP 401; a missing key header -2014")
    func unknownKey() async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance().signed(.get, "/api/v3/account", apiKeyOverride: "nobody")
        #expect(reply.status == 401)
        #expect(reply.code == -2015)
        let transport = fixture.exchange.transport(for: .binance)
        let missing = try await transport.send(
            HTTPRequest(method: .get, url: try #require(URL(string: "http://x/api/v3/account?timestamp=1&signature=00"))))
        #expect(missing.status == 401)
        #expect(Reply(status: missing.status, headers: missing.headers, body: missing.body).code == -2014)
    }

    @Test("a key used from an IP outside its whitelist gets -2015")
    func ipWhitelist() async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance(clientIP: "203.0.113.9").signed(.get, "/api/v3/account")
        #expect(reply.status == 401)
        #expect(reply.code == -2015)
    }

    @Test("an expired key gets -2015 with an 'expired' message")
    func expiredKey() async throws {
        let fixture = Fixture()
        var key = SimulatedKey.tradeOnly(apiKey: "old", secret: "old-secret")
        key.expiresAt = fixedStart.addingTimeInterval(-1)
        await fixture.exchange.addKey(key)
        let reply = try await fixture.binance(key).signed(.get, "/api/v3/account")
        #expect(reply.status == 401)
        #expect(reply.code == -2015)
        #expect((reply["msg"] as? String)?.contains("expired") == true)
    }

    @Test("permissions: futures without futures permission, trading with a read-only key, both -2015")
    func permissions() async throws {
        let fixture = Fixture()
        let spotOnly = SimulatedKey(apiKey: "spot", secret: "s1", permissions: [.read, .spotTrade])
        var readOnly = SimulatedKey.tradeOnly(apiKey: "ro", secret: "s2")
        readOnly.isReadOnly = true
        await fixture.exchange.addKey(spotOnly)
        await fixture.exchange.addKey(readOnly)
        let futures = try await fixture.binance(spotOnly).signed(.get, "/fapi/v3/balance")
        #expect(futures.code == -2015)
        let order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]
        #expect(try await fixture.binance(spotOnly).signed(.post, "/api/v3/order", order).status == 200)
        let readOnlyOrder = try await fixture.binance(readOnly).signed(.post, "/api/v3/order", order)
        #expect(readOnlyOrder.code == -2015)
        #expect(try await fixture.binance(readOnly).signed(.get, "/api/v3/account").status == 200)
        #expect(await fixture.exchange.allOrders().count == 1)
    }

    @Test("an unknown path gets Binance's HTML 404 page; a missing parameter -1102")
    func notFound() async throws {
        let fixture = Fixture()
        let reply = try await fixture.binance().get("/api/v3/nothing")
        #expect(reply.status == 404)
        #expect(reply.headers["Content-Type"] == "text/html")
        #expect(reply.text.contains("<html>"))
        let missing = try await fixture.binance().signed(.post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT")])
        #expect(missing.code == -1102)
    }

    @Test("every answer carries X-MBX-USED-WEIGHT-1M; accepted orders carry the order counters")
    func rateLimitHeaders() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let first = try await client.get("/api/v3/exchangeInfo")
        #expect(first.headers["X-MBX-USED-WEIGHT-1M"] == "20")
        let order = try await client.signed(
            .post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect(order.headers["X-MBX-USED-WEIGHT-1M"] == "21")
        #expect(order.headers["X-MBX-ORDER-COUNT-10S"] == "1")
        #expect(order.headers["X-MBX-ORDER-COUNT-1D"] == "1")
        let futures = try await client.signed(
            .post, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.002")])
        #expect(futures.headers["X-MBX-ORDER-COUNT-1M"] == "1")
    }

    @Test("with rate limits enforced, going over the weight limit gets 429 -1003 with Retry-After")
    func weightLimit() async throws {
        let fixture = Fixture {
            $0.enforcesRateLimits = true
            $0.binanceWeightLimit = 45
        }
        let client = fixture.binance()
        #expect(try await client.get("/api/v3/exchangeInfo").status == 200)
        #expect(try await client.get("/api/v3/exchangeInfo").status == 200)
        let over = try await client.get("/api/v3/exchangeInfo")
        #expect(over.status == 429)
        #expect(over.code == -1003)
        #expect(over.headers["Retry-After"] != nil)
    }
}
