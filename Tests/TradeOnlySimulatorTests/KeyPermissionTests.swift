import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

@Suite("Key permissions and money movement")
struct KeyPermissionTests {
    @Test("Binance apiRestrictions reports every field from the key's permissions")
    func binanceRestrictions() async throws {
        let fixture = Fixture()
        let trade = try await fixture.binance().signed(.get, "/sapi/v1/account/apiRestrictions")
        let fields = try #require(trade.json as? [String: Any])
        let expected: [String: Bool] = [
            "ipRestrict": true, "enableReading": true, "enableSpotAndMarginTrading": true, "enableFutures": true,
            "enableWithdrawals": false, "enableInternalTransfer": false, "permitsUniversalTransfer": false,
            "enableMargin": false, "enableVanillaOptions": false, "enablePortfolioMarginTrading": false,
            "enableFixApiTrade": false, "enableFixReadOnly": false,
        ]
        for (name, value) in expected {
            #expect(fields[name] as? Bool == value, "\(name)")
        }
        #expect(fields["createTime"] as? Int == 1_700_000_000_000)

        let withdraw = try await fixture.binance(SimulatedExchange.standardWithdrawKey).signed(.get, "/sapi/v1/account/apiRestrictions")
        #expect(withdraw["enableWithdrawals"] as? Bool == true)
        #expect(withdraw["permitsUniversalTransfer"] as? Bool == true)

        let everything = SimulatedKey(
            apiKey: "all", secret: "all", permissions: Set(Permission.builtIn), expiresAt: fixedStart.addingTimeInterval(86_400))
        await fixture.exchange.addKey(everything)
        let all = try await fixture.binance(everything).signed(.get, "/sapi/v1/account/apiRestrictions")
        for name in expected.keys where name != "ipRestrict" {
            #expect(all[name] as? Bool == true, "\(name)")
        }
        #expect(all["ipRestrict"] as? Bool == false)
        #expect(all["tradingAuthorityExpirationTime"] as? Int == 1_700_086_400_000)
    }

    @Test("Bybit query-api reports readOnly, permission groups, ips, expiry and uta")
    func bybitQueryAPI() async throws {
        let fixture = Fixture(.bybit)
        let trade = try await fixture.bybit().get("/v5/user/query-api")
        let result = trade.result
        #expect(result["readOnly"] as? Int == 0)
        #expect(result["uta"] as? Int == 1)
        #expect(result["ips"] as? [String] == ["127.0.0.1"])
        #expect(result["apiKey"] as? String == SimulatedExchange.standardTradeKey.apiKey)
        #expect(result["secret"] as? String == "")
        let permissions = try #require(result["permissions"] as? [String: [String]])
        #expect(permissions["Spot"] == ["SpotTrade"])
        #expect(permissions["ContractTrade"] == ["Order", "Position"])
        #expect(permissions["Derivatives"] == ["DerivativesTrade"])
        #expect(permissions["Wallet"] == [])
        for group in ["Exchange", "Earn", "FiatP2P", "FiatBitPay", "FiatConvertBroker", "BitCard", "BlockTrade", "Options"] {
            #expect(permissions[group] == [], "\(group)")
        }
        #expect(result["deadlineDay"] as? Int == -2)

        let withdraw = try await fixture.bybit(SimulatedExchange.standardWithdrawKey).get("/v5/user/query-api")
        let walletGroup = (withdraw.result["permissions"] as? [String: [String]])?["Wallet"]
        #expect(walletGroup == ["AccountTransfer", "Withdraw"])

        var expiring = SimulatedKey(apiKey: "exp", secret: "exp", permissions: [.read], expiresAt: fixedStart.addingTimeInterval(10 * 86_400))
        expiring.isReadOnly = true
        await fixture.exchange.addKey(expiring)
        let readOnly = try await fixture.bybit(expiring).get("/v5/user/query-api")
        #expect(readOnly.result["readOnly"] as? Int == 1)
        #expect(readOnly.result["ips"] as? [String] == ["*"])
        #expect(readOnly.result["deadlineDay"] as? Int == 10)
        #expect(readOnly.result["expiredAt"] as? String == "2023-11-24T22:13:20Z")
    }

    @Test("Binance: a trade key on withdraw and transfer endpoints gets -2015 and nothing moves")
    func binanceTradeKeyRefused() async throws {
        let fixture = Fixture()
        let client = fixture.binance()
        let withdraw = try await client.signed(
            .post, "/sapi/v1/capital/withdraw/apply", [("coin", "BTC"), ("address", "bc1qexample"), ("amount", "0.5")])
        #expect(withdraw.status == 401)
        #expect(withdraw.code == -2015)
        let transfer = try await client.signed(.post, "/sapi/v1/asset/transfer", [("type", "MAIN_UMFUTURE"), ("asset", "USDT"), ("amount", "10")])
        #expect(transfer.code == -2015)
        #expect(await fixture.exchange.moneyMovements().isEmpty)
        #expect(await fixture.exchange.balance(of: "BTC").free == 1)
    }

    @Test("Binance: a withdraw-enabled key performs a simulated withdrawal (debited and recorded)")
    func binanceWithdrawal() async throws {
        let fixture = Fixture()
        let client = fixture.binance(SimulatedExchange.standardWithdrawKey)
        let reply = try await client.signed(
            .post, "/sapi/v1/capital/withdraw/apply", [("coin", "BTC"), ("address", "bc1qexample"), ("amount", "0.25")])
        #expect(reply.status == 200)
        #expect((reply["id"] as? String)?.isEmpty == false)
        #expect(await fixture.exchange.balance(of: "BTC").free == dec("0.75"))
        let movements = await fixture.exchange.moneyMovements()
        #expect(movements.count == 1)
        #expect(movements.first?.kind == "withdraw")
        #expect(movements.first?.leftAccount == true)
        #expect(movements.first?.apiKey == SimulatedExchange.standardWithdrawKey.apiKey)
    }

    @Test("Bybit: a trade key on withdraw and transfer endpoints gets 10005; a withdraw key withdraws")
    func bybitMoney() async throws {
        let fixture = Fixture(.bybit)
        let withdrawal: [(String, String)] = [("coin", "USDT"), ("chain", "TRX"), ("address", "TExample"), ("amount", "100"), ("timestamp", "1")]
        #expect(try await fixture.bybit().post("/v5/asset/withdraw/create", withdrawal).code == 10005)
        let transfer: [(String, String)] = [
            ("transferId", "42f9d7c3-0000-4000-8000-000000000001"), ("coin", "USDT"), ("amount", "5"), ("fromAccountType", "UNIFIED"),
            ("toAccountType", "FUND"),
        ]
        #expect(try await fixture.bybit().post("/v5/asset/transfer/inter-transfer", transfer).code == 10005)
        #expect(await fixture.exchange.moneyMovements().isEmpty)

        let done = try await fixture.bybit(SimulatedExchange.standardWithdrawKey).post("/v5/asset/withdraw/create", withdrawal)
        #expect(done.code == 0)
        #expect(done.result["id"] as? String != nil)
        #expect(await fixture.exchange.balance(of: "USDT").free == 99_900)
        #expect(await fixture.exchange.moneyMovements().map(\.kind) == ["withdraw"])
    }
}
