import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("Bybit authentication")
struct BybitAuthenticationTests {
    @Test("a correctly signed GET and POST are accepted, in Bybit's envelope")
    func accepted() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let wallet = try await client.get("/v5/account/wallet-balance", [("accountType", "UNIFIED")])
        #expect(wallet.status == 200)
        #expect(wallet.code == 0)
        #expect(wallet["retMsg"] as? String == "OK")
        #expect(wallet["retExtInfo"] as? [String: Any] != nil)
        #expect(wallet["time"] as? Int64 != nil || wallet["time"] as? Int != nil)
        let order = try await client.post(
            "/v5/order/create",
            [
                ("category", "spot"), ("symbol", "BTCUSDT"), ("side", "Buy"), ("orderType", "Limit"), ("qty", "0.001"), ("price", "60000"),
            ])
        #expect(order.code == 0, "\(order.text)")
        #expect(order.result["orderId"] as? String != nil)
    }

    @Test("the reference's derived Bybit vectors are accepted (GET without parameters, POST with a body)")
    func derivedVectors() async throws {
        let key = SimulatedKey(apiKey: "XXXXXXXXXX", secret: "bybit-test-secret", permissions: [.read, .spotTrade])
        let getClock = FixedTimeSource(Date(timeIntervalSince1970: 1_676_430_842.094))
        let exchange = SimulatedExchange(configuration: .init(timeSource: getClock), state: SimulatorState(keys: [key]))
        let transport = exchange.transport(for: .bybit)
        let get = try await transport.send(
            HTTPRequest(
                method: .get, url: try #require(URL(string: "https://api.bybit.com/v5/user/query-api")),
                headers: [
                    "X-BAPI-API-KEY": "XXXXXXXXXX", "X-BAPI-TIMESTAMP": "1676430842094", "X-BAPI-RECV-WINDOW": "5000",
                    "X-BAPI-SIGN": "866252e2466f55fef85b06b98313d6f2bd45e000a18398f2d2fce7d5cd040d8e",
                ]))
        #expect(Reply(status: get.status, headers: get.headers, body: get.body).code == 0)

        getClock.set(Date(timeIntervalSince1970: 1_658_385_579.423))
        let post = try await transport.send(
            HTTPRequest(
                method: .post, url: try #require(URL(string: "https://api.bybit.com/v5/order/create")),
                headers: [
                    "X-BAPI-API-KEY": "XXXXXXXXXX", "X-BAPI-TIMESTAMP": "1658385579423", "X-BAPI-RECV-WINDOW": "5000",
                    "X-BAPI-SIGN": "0b6c1a0303aa265223e936cc8820dba57780ea6063a9e08473dcb575c5ca3a7c",
                    "Content-Type": "application/json",
                ],
                body: Data(#"{"category": "option"}"#.utf8)))
        // Authenticated (not 10004); then refused because the simulator has no options.
        let reply = Reply(status: post.status, headers: post.headers, body: post.body)
        #expect(reply.code == 10001, "\(reply.text)")
    }

    @Test("a wrong signature gets 10004")
    func wrongSignature() async throws {
        let client = Fixture(.bybit).bybit()
        let reply = try await client.get("/v5/account/wallet-balance", [("accountType", "UNIFIED")], secretOverride: "wrong")
        #expect(reply.status == 200)
        #expect(reply.code == 10004)
        let post = try await client.post("/v5/order/create", json: #"{"category":"spot"}"#, secretOverride: "wrong")
        #expect(post.code == 10004)
    }

    @Test("the body is signed as sent: whitespace matters")
    func bodyBytes() async throws {
        let fixture = Fixture(.bybit)
        let client = fixture.bybit()
        let key = SimulatedExchange.standardTradeKey
        let timestamp = String(await fixture.serverTime())
        let sent = #"{"category": "spot", "symbol": "BTCUSDT"}"#
        let signedOver = #"{"category":"spot","symbol":"BTCUSDT"}"#
        let request = HTTPRequest(
            method: .post, url: try #require(URL(string: "https://api.bybit.com/v5/order/cancel-all")),
            headers: [
                "X-BAPI-API-KEY": key.apiKey, "X-BAPI-TIMESTAMP": timestamp, "X-BAPI-RECV-WINDOW": "5000",
                "X-BAPI-SIGN": hmacHex(timestamp + key.apiKey + "5000" + signedOver, secret: key.secret),
                "Content-Type": "application/json",
            ],
            body: Data(sent.utf8))
        let reply = try await client.send(request)
        #expect(reply.code == 10004)
    }

    @Test("a stale timestamp gets 10002; X-BAPI-RECV-WINDOW widens the window")
    func staleTimestamp() async throws {
        let fixture = Fixture(.bybit)
        var client = fixture.bybit()
        let now = await fixture.serverTime()
        client.timestamp = { now - 5001 }
        #expect(try await client.get("/v5/user/query-api").code == 10002)
        #expect(try await client.get("/v5/user/query-api", recvWindow: "10000").code == 0)
        client.timestamp = { now + 1000 }
        #expect(try await client.get("/v5/user/query-api").code == 10002)
    }

    @Test("an unknown key gets 10003, an IP outside the whitelist 10010, an expired key 33004")
    func keyErrors() async throws {
        let fixture = Fixture(.bybit)
        var unknown = fixture.bybit()
        unknown.apiKey = "nobody"
        #expect(try await unknown.get("/v5/user/query-api").code == 10003)
        #expect(try await fixture.bybit(clientIP: "198.51.100.4").get("/v5/user/query-api").code == 10010)
        var expired = SimulatedKey.tradeOnly(apiKey: "expired", secret: "e")
        expired.expiresAt = fixedStart
        await fixture.exchange.addKey(expired)
        #expect(try await fixture.bybit(expired).get("/v5/user/query-api").code == 33004)
    }

    @Test("permission: a read-only key placing an order, a spot key on linear, both 10005")
    func permissions() async throws {
        let fixture = Fixture(.bybit)
        var readOnly = SimulatedKey.tradeOnly(apiKey: "ro", secret: "ro")
        readOnly.isReadOnly = true
        let spotOnly = SimulatedKey(apiKey: "spot", secret: "sp", permissions: [.read, .spotTrade])
        await fixture.exchange.addKey(readOnly)
        await fixture.exchange.addKey(spotOnly)
        let order: [(String, String)] = [("category", "linear"), ("symbol", "BTCUSDT"), ("side", "Buy"), ("orderType", "Market"), ("qty", "0.001")]
        #expect(try await fixture.bybit(readOnly).post("/v5/order/create", order).code == 10005)
        #expect(try await fixture.bybit(spotOnly).post("/v5/order/create", order).code == 10005)
        #expect(try await fixture.bybit().post("/v5/order/create", order).code == 0)
    }

    @Test("private answers carry X-Bapi-Limit headers; with limits enforced the excess gets 10006")
    func rateLimits() async throws {
        let fixture = Fixture(.bybit) { $0.enforcesRateLimits = true }
        let client = fixture.bybit()
        var last = try await client.get("/v5/user/query-api")
        #expect(last.headers["X-Bapi-Limit"] == "10")
        #expect(last.headers["X-Bapi-Limit-Status"] == "9")
        #expect(last.headers["X-Bapi-Limit-Reset-Timestamp"] != nil)
        for _ in 0..<10 {
            last = try await client.get("/v5/user/query-api")
        }
        #expect(last.code == 10006)
        #expect(last.headers["X-Bapi-Limit-Status"] == "0")
    }

    @Test("an unknown path gets 404")
    func notFound() async throws {
        let reply = try await Fixture(.bybit).bybit().get("/v5/nothing/here")
        #expect(reply.status == 404)
    }
}
