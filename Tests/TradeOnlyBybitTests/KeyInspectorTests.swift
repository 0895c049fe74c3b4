import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBybit

@Suite("Key inspector: the exchange's key report → KeyReport → SafeKey")
struct KeyInspectorTests {
    func report(_ payload: String, at date: Date = BybitHarness.start) async throws -> KeyReport {
        let harness = BybitHarness(start: date)
        harness.on(.get, "/v5/user/query-api", .payload(payload))
        return try await harness.bybit.keyInspector.inspect(BybitHarness.credentials)
    }

    @Test("query-api goes on the wire signed over the empty query (vector 866252e2…0d8e)")
    func exactWire() async throws {
        let harness = BybitHarness(start: Date(timeIntervalSince1970: 1_676_430_842.094))
        harness.on(.get, "/v5/user/query-api", .payload("query-api-trade-only.json"))
        _ = try await harness.bybit.keyInspector.inspect(BybitHarness.credentials)
        let requests = harness.sent
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == .get)
        #expect(request.url.absoluteString == "https://api-testnet.bybit.com/v5/user/query-api")
        #expect(request.body == nil)
        #expect(
            request.headers.map(\.name) == [
                "X-BAPI-API-KEY", "X-BAPI-TIMESTAMP", "X-BAPI-RECV-WINDOW", "X-BAPI-SIGN", "X-BAPI-SIGN-TYPE",
            ])
        #expect(request.headers["X-BAPI-TIMESTAMP"] == "1676430842094")
        #expect(request.headers["X-BAPI-SIGN"] == "866252e2466f55fef85b06b98313d6f2bd45e000a18398f2d2fce7d5cd040d8e")
        // The clock was synchronised first, from the public time endpoint.
        #expect(harness.timeRequests > 0)
        #expect(harness.transport.requests.first.map { BybitSigner.split($0.url).path } == "/v5/market/time")
    }

    @Test("a clean trade key: read, spot and futures trade; IP-bound; no notes about expiry")
    func cleanKey() async throws {
        let report = try await report("query-api-trade-only.json")
        #expect(report.exchange == "bybit")
        #expect(report.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(report.isIPRestricted)
        #expect(report.ipWhitelist == ["203.0.113.7"])
        #expect(report.expiresAt == nil)
        #expect(report.unknownCapabilities.isEmpty)
        #expect(report.isVerifiable)
        #expect(report.tradePermissions == [.read, .spotTrade, .futuresTrade])
    }

    @Test("SafeKey.verify accepts the clean trade key with the right trade permissions")
    func verifyAccepts() async throws {
        let harness = BybitHarness()
        let key = try await harness.verifiedKey(
            "query-api-trade-only.json",
            policy: KeyPolicy.tradeOnly.requiring([.spotTrade, .futuresTrade]).requiringIPWhitelist())
        #expect(key.exchange == "bybit")
        #expect(key.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(!String(describing: key).contains(BybitHarness.secret))
    }

    @Test("the official example (readOnly 1 with transfers, P2P, pay, card…) maps every group and is refused")
    func officialExample() async throws {
        let report = try await report("query-api-official.json")
        // readOnly = 1: trade permissions are not granted, fund-moving ones are reported anyway.
        #expect(!report.permissions.contains(.spotTrade))
        #expect(!report.permissions.contains(.futuresTrade))
        #expect(report.permissions.contains(.read))
        for permission in [Permission.internalTransfer, .subAccountTransfer, .convert, .earn, .p2p, .payments, .card] {
            #expect(report.permissions.contains(permission), "\(permission)")
        }
        #expect(report.unknownCapabilities.isEmpty)
        #expect(report.isIPRestricted)
        #expect(report.ipWhitelist == ["18.181.170.164", "13.212.45.47", "13.212.45.48"])
        #expect(report.expiresAt == nil, "1970-01-01T00:00:00Z is Bybit's 'no expiry' sentinel")
        #expect(report.notes.contains { $0.contains("read-only key") })
        #expect(report.notes.contains { $0.contains("master account") })
        #expect(report.notes.contains { $0.contains("ByXPost") })

        let harness = BybitHarness()
        let error = await ExchangeError.caught { _ = try await harness.verifiedKey("query-api-official.json") }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport == report)
    }

    struct FundsCase: Sendable, CustomStringConvertible {
        let payload: String
        let permission: Permission
        let title: String
        var description: String { payload }
    }

    static let fundsCases: [FundsCase] = [
        FundsCase(payload: "query-api-withdraw.json", permission: .withdraw, title: "Withdraw"),
        FundsCase(payload: "query-api-account-transfer.json", permission: .internalTransfer, title: "Internal transfer"),
        FundsCase(payload: "query-api-submember-transfer.json", permission: .subAccountTransfer, title: "Sub-account transfer"),
        FundsCase(payload: "query-api-submember-transfer-list.json", permission: .subAccountTransfer, title: "Sub-account transfer"),
        FundsCase(payload: "query-api-p2p.json", permission: .p2p, title: "P2P trading"),
    ]

    @Test("SafeKey.verify refuses every fund-moving permission, naming it", arguments: fundsCases)
    func refusesFundsMoving(testCase: FundsCase) async throws {
        let harness = BybitHarness()
        let error = await ExchangeError.caught { _ = try await harness.verifiedKey(testCase.payload) }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.fundsMovingPermissions.contains(testCase.permission) == true)
        #expect(error?.message.contains("'\(testCase.title)'") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Bybit's API management") == true, "the Bybit-specific hint")
    }

    static let fundsMovingGroups: [(group: String, value: String, title: String)] = [
        ("Wallet", "Withdraw", "Withdraw"), ("Wallet", "AccountTransfer", "Internal transfer"),
        ("Wallet", "SubMemberTransfer", "Sub-account transfer"), ("Wallet", "SubMemberTransferList", "Sub-account transfer"),
        ("Exchange", "ExchangeHistory", "Convert"), ("Earn", "Earn", "Earn"), ("FiatP2P", "FiatP2POrder", "P2P trading"),
        ("FiatP2P", "Advertising", "P2P trading"), ("FiatBitPay", "FaitPayOrder", "Payments"),
        ("FiatConvertBroker", "FiatConvertBrokerOrder", "Convert"), ("FiatGlobalPay", "GlobalPay", "Payments"),
        ("BitCard", "BitCard", "Card"), ("BlockTrade", "BlockTrade", "Block trade"),
        ("CopyTrading", "CopyTrading", "Copy trading"), ("NFT", "NFTQueryProductList", "NFT marketplace"),
    ]

    @Test(
        "every fund-moving Bybit permission refuses the key through SafeKey.verify, by name",
        arguments: fundsMovingGroups.map { "\($0.group).\($0.value)=\($0.title)" })
    func everyFundsMovingGroup(spec: String) async throws {
        let parts = spec.split(separator: "=")
        let groupValue = parts[0].split(separator: ".")
        let (group, value, title) = (String(groupValue[0]), String(groupValue[1]), String(parts[1]))
        var json = try #require(try JSONSerialization.jsonObject(with: try payloads.data("query-api-trade-only.json")) as? [String: Any])
        var result = try #require(json["result"] as? [String: Any])
        var permissions = try #require(result["permissions"] as? [String: Any])
        permissions[group] = [value]
        result["permissions"] = permissions
        json["result"] = result
        let body = try JSONSerialization.data(withJSONObject: json)
        let harness = BybitHarness()
        harness.on(.get, "/v5/user/query-api", .response(HTTPResponse(status: 200, body: body)))
        let error = await ExchangeError.caught {
            _ = try await SafeKey.verify(BybitHarness.credentials, using: harness.bybit.keyInspector)
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.message.contains("'\(title)'") == true, "\(error?.message ?? "")")
        #expect(error?.keyReport?.fundsMovingPermissions.isEmpty == false)
    }

    struct GroupCase: Sendable, CustomStringConvertible {
        let group: String
        let values: [String]
        let permission: Permission?
        let unknown: [String]
        var description: String { "\(group): \(values)" }
    }

    static let groupCases: [GroupCase] = [
        GroupCase(group: "Wallet", values: ["Withdraw"], permission: .withdraw, unknown: []),
        GroupCase(group: "Wallet", values: ["AccountTransfer"], permission: .internalTransfer, unknown: []),
        GroupCase(group: "Wallet", values: ["SubMemberTransfer"], permission: .subAccountTransfer, unknown: []),
        GroupCase(group: "Wallet", values: ["SubMemberTransferList"], permission: .subAccountTransfer, unknown: []),
        GroupCase(group: "Wallet", values: ["SomethingNew"], permission: nil, unknown: ["Wallet.SomethingNew"]),
        GroupCase(group: "Exchange", values: ["ExchangeHistory"], permission: .convert, unknown: []),
        GroupCase(group: "Earn", values: ["Earn"], permission: .earn, unknown: []),
        GroupCase(group: "FiatP2P", values: ["FiatP2POrder"], permission: .p2p, unknown: []),
        GroupCase(group: "FiatP2P", values: ["Advertising"], permission: .p2p, unknown: []),
        GroupCase(group: "FiatBitPay", values: ["FaitPayOrder"], permission: .payments, unknown: []),
        GroupCase(group: "FiatConvertBroker", values: ["FiatConvertBrokerOrder"], permission: .convert, unknown: []),
        GroupCase(group: "FiatGlobalPay", values: ["GlobalPayOrder"], permission: .payments, unknown: []),
        GroupCase(group: "BitCard", values: ["BitCard"], permission: .card, unknown: []),
        GroupCase(group: "BlockTrade", values: ["BlockTrade"], permission: .blockTrade, unknown: []),
        GroupCase(group: "CopyTrading", values: ["CopyTrading"], permission: .copyTrading, unknown: []),
        GroupCase(group: "NFT", values: ["NFTQueryProductList"], permission: BybitKeyReport.nft, unknown: []),
        GroupCase(group: "Options", values: ["OptionsTrade"], permission: .optionsTrade, unknown: []),
        GroupCase(group: "Spot", values: ["SpotMarginBorrow"], permission: nil, unknown: ["Spot.SpotMarginBorrow"]),
        GroupCase(group: "CryptoLoan", values: ["LoanOrder"], permission: nil, unknown: ["CryptoLoan.LoanOrder"]),
        GroupCase(group: "CryptoLoan", values: [], permission: nil, unknown: []),
        GroupCase(group: "Affiliate", values: ["Affiliate"], permission: nil, unknown: []),
        GroupCase(group: "ByXPost", values: ["ByXPost"], permission: nil, unknown: []),
    ]

    @Test("each permission group maps to its permission, or to an unknown capability", arguments: groupCases)
    func groupMapping(testCase: GroupCase) {
        let info = WireAPIKeyInfo(
            apiKey: "k", readOnly: nil, permissions: [testCase.group: .init(values: testCase.values)], ips: ["1.2.3.4"],
            type: nil, deadlineDay: nil, expiredAt: nil, uta: nil, isMaster: false)
        let report = BybitKeyReport.report(info, now: BybitHarness.start)
        var expected: Set<Permission> = [.read]
        if let permission = testCase.permission { expected.insert(permission) }
        #expect(report.permissions == expected)
        #expect(report.unknownCapabilities == testCase.unknown)
    }

    @Test("an unknown group with grants, or an unknown value in a known group, refuses the key")
    func unknownCapabilities() async throws {
        let group = try await report("query-api-unknown-group.json")
        #expect(group.unknownCapabilities == ["CryptoLoan.LoanOrder"])
        let value = try await report("query-api-unknown-value.json")
        #expect(value.unknownCapabilities == ["Spot.SpotMarginBorrow"])

        let harness = BybitHarness()
        let error = await ExchangeError.caught { _ = try await harness.verifiedKey("query-api-unknown-group.json") }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.message.contains("'CryptoLoan.LoanOrder'") == true)
    }

    @Test("a group that is not a list is reported as unreadable, failing closed")
    func unreadableGroup() throws {
        let json = #"{"readOnly":0,"permissions":{"Spot":["SpotTrade"],"Wallet":{"Withdraw":true}},"ips":["*"]}"#
        let info = try JSONDecoder().decode(WireAPIKeyInfo.self, from: Data(json.utf8))
        let report = BybitKeyReport.report(info, now: BybitHarness.start)
        #expect(report.unknownCapabilities == ["Wallet(unreadable)"])
    }

    @Test("not IP-bound: ips [\"*\"] means no whitelist, the expiry is read and noted")
    func unbound() async throws {
        let unbound = try await report("query-api-unbound.json")
        #expect(!unbound.isIPRestricted)
        #expect(unbound.ipWhitelist.isEmpty)
        let expiry = try #require(unbound.expiresAt)
        #expect(expiry == Date(timeIntervalSince1970: 1_778_814_804))
        #expect(unbound.notes.contains { $0.contains("expires after 90 days without IP binding: 2026-05-15T03:13:24Z") })
        // The documented 2023 example: not bound, read-write, transfers, a master key, a classic account.
        let old = try await report("query-api-docs-2023.json", at: Date(timeIntervalSince1970: 1_697_525_990))
        #expect(!old.isIPRestricted)
        #expect(old.expiresAt == Date(timeIntervalSince1970: 1_703_229_625))
        #expect(old.permissions.isSuperset(of: [.spotTrade, .futuresTrade, .optionsTrade, .internalTransfer, .subAccountTransfer]))
        #expect(old.notes.contains { $0.contains("classic (non-unified) account") })
    }

    @Test("an IP-bound key with an expiry (after a password change) keeps it, with a note")
    func boundWithExpiry() throws {
        let info = WireAPIKeyInfo(
            apiKey: "k", readOnly: nil, permissions: ["Spot": .init(values: ["SpotTrade"])], ips: ["203.0.113.7"],
            type: nil, deadlineDay: nil, expiredAt: "2023-01-04T07:18:48Z", uta: nil, isMaster: false)
        let report = BybitKeyReport.report(info, now: BybitHarness.start)
        #expect(report.isIPRestricted)
        #expect(report.expiresAt == Date(timeIntervalSince1970: 1_672_816_728))
        #expect(report.notes.contains { $0.contains("7 days after a password change") })
    }

    @Test("an expired unbound key is refused as expired")
    func expired() async throws {
        let harness = BybitHarness(start: Date(timeIntervalSince1970: 1_800_000_000))
        let error = await ExchangeError.caught { _ = try await harness.verifiedKey("query-api-unbound.json") }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.message.contains("expired") == true)
    }

    @Test("a read-only key verifies with read only, and cannot trade")
    func readOnly() async throws {
        let harness = BybitHarness()
        let key = try await harness.verifiedKey("query-api-read-only.json")
        #expect(key.permissions == [.read])
        let client = harness.bybit.client(key)
        harness.transport.removeAllRequests()
        let error = await ExchangeError.caught {
            _ = try await client.place(.limit(.buy, "BTC/USDT", quantity: .exact("0.001"), price: 20_000))
        }
        #expect(error?.kind == .permissionDenied)
        #expect(harness.transport.requests.isEmpty, "nothing is sent for an order the key cannot place")
    }

    @Test("a key from another environment (10003) names the environment")
    func wrongEnvironment() async throws {
        let harness = BybitHarness(environment: .demo)
        harness.on(.get, "/v5/user/query-api", .payload("error-10003.json", status: 401))
        let error = await ExchangeError.caught { _ = try await harness.bybit.keyInspector.inspect(BybitHarness.credentials) }
        #expect(error?.kind == .authentication)
        #expect(error?.code == "10003")
        #expect(error?.message.contains("demo (https://api-demo.bybit.com)") == true)
    }

    /// The recorded trade-only answer with its `result` changed.
    private func answer(_ change: (inout [String: Any]) -> Void) throws -> HTTPResponse {
        var json = try #require(try JSONSerialization.jsonObject(with: try payloads.data("query-api-trade-only.json")) as? [String: Any])
        var result = try #require(json["result"] as? [String: Any])
        change(&result)
        json["result"] = result
        return HTTPResponse(status: 200, body: try JSONSerialization.data(withJSONObject: json))
    }

    @Test(
        "a field outside permissions that Bybit does not document, and is not false or [], refuses the key",
        arguments: ["1", "true", "\"Withdraw\"", "[\"Withdraw\"]", "{}", "null", "0"])
    func unknownFieldFailsClosed(value: String) async throws {
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(value)]".utf8)) as? [Any]
        let field = try #require(decoded?.first)
        let harness = BybitHarness()
        harness.on(.get, "/v5/user/query-api", .response(try answer { $0["withdrawEnabled"] = field }))
        let error = await ExchangeError.caught {
            _ = try await SafeKey.verify(BybitHarness.credentials, using: harness.bybit.keyInspector)
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.unknownCapabilities == ["withdrawEnabled"])
        #expect(error?.message.contains("unknown capability 'withdrawEnabled' reported by bybit") == true)
    }

    @Test("a documented field, or an undocumented one that is false or [], grants nothing")
    func knownFieldsPass() async throws {
        let harness = BybitHarness()
        harness.on(
            .get, "/v5/user/query-api",
            .response(
                try answer {
                    $0["newSettingOff"] = false
                    $0["newListEmpty"] = [String]()
                    $0["kycRegion"] = "MYS"
                    $0["userIDInt64"] = "42"
                }))
        let key = try await SafeKey.verify(BybitHarness.credentials, using: harness.bybit.keyInspector)
        #expect(key.report.unknownCapabilities.isEmpty)
        #expect(WireAPIKeyInfo.knownFields.isSuperset(of: ["id", "note", "apiKey", "readOnly", "permissions", "ips", "uta"]))
    }

    @Test("an answer without permissions says nothing about the key: refused")
    func missingPermissions() async throws {
        let harness = BybitHarness()
        harness.on(.get, "/v5/user/query-api", .response(try answer { $0["permissions"] = nil }))
        let error = await ExchangeError.caught {
            _ = try await SafeKey.verify(BybitHarness.credentials, using: harness.bybit.keyInspector)
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport?.unknownCapabilities == ["permissions(missing)"])
        #expect(error?.keyReport?.notes.contains { $0.contains("no 'permissions' object") } == true)
    }
}
