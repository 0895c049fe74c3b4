import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyTestSupport

@Suite("Key inspector: the exchange's key report → KeyReport → SafeKey")
struct KeyInspectorTests {
    private func report(_ payload: String) async throws -> (KeyReport, FakeBinance) {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: payload)
        let report = try await fake.binance().keyInspector.inspect(Fixtures.credentials())
        return (report, fake)
    }

    @Test("the check is one signed GET, byte for byte, after the clock sync")
    func wireBytes() async throws {
        let (_, fake) = try await report("apiRestrictions-trade-only.json")
        let checks = fake.requests(.get, "/sapi/v1/account/apiRestrictions")
        try #require(checks.count == 1)
        #expect(
            checks[0].wire
                == "https://api.binance.com/sapi/v1/account/apiRestrictions?recvWindow=5000&timestamp=1499827319559&signature=82f4e72e95e63d666b6da651e82a701722ad8a785a169318d91f36f279c55821"
        )
        #expect(checks[0].headers["X-MBX-APIKEY"] == Fixtures.apiKey)
        #expect(checks[0].body == nil)
        // The clock was synchronised first, with public requests that carry no key.
        let times = fake.requests(.get, "/api/v3/time")
        #expect(!times.isEmpty)
        #expect(times.allSatisfy { $0.headers["X-MBX-APIKEY"] == nil && $0.wire == "https://api.binance.com/api/v3/time" })
        #expect(fake.requests.last?.wire == checks[0].wire)
    }

    @Test("Binance's official example: read and portfolio margin; no IP restriction noted; creation time noted")
    func officialExample() async throws {
        let (report, _) = try await report("apiRestrictions-official.json")
        #expect(report.exchange == "binance")
        #expect(report.permissions == [.read, .portfolioMarginTrade])
        #expect(report.isIPRestricted == false)
        #expect(report.unknownCapabilities.isEmpty)
        #expect(report.isVerifiable)
        #expect(report.expiresAt == nil)
        #expect(report.notes.contains(BinanceKeyReport.noIPRestrictionNote))
        #expect(report.notes.contains { $0.hasPrefix("key created at 2023-10-30T05:53:39Z") })
    }

    @Test("the connector's fixture: FIX read-only and portfolio margin are mapped")
    func connectorFixture() async throws {
        let (report, _) = try await report("apiRestrictions-connector.json")
        #expect(report.permissions == [.read, .fixRead, .portfolioMarginTrade])
        #expect(report.unknownCapabilities.isEmpty)
    }

    @Test("a clean trade-only key (reading, spot, futures) becomes a SafeKey with exactly read, spotTrade, futuresTrade")
    func tradeOnlyKey() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-trade-only.json")
        let key = try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        #expect(key.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(key.exchange == "binance")
        #expect(key.verification.isVerified)
        #expect(key.report.isIPRestricted)
        #expect(key.report.notes.contains(BinanceKeyReport.masterAccountNote))
        #expect(!key.report.notes.contains(BinanceKeyReport.noIPRestrictionNote))
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let payload: String
        let permission: String
        let flag: String
        var testDescription: String { flag }
    }

    @Test(
        "a key that can move funds is refused, naming the permission and Binance's hint",
        arguments: [
            Refusal(payload: "apiRestrictions-withdrawals.json", permission: "withdraw", flag: "Enable Withdrawals"),
            Refusal(payload: "apiRestrictions-internal-transfer.json", permission: "internalTransfer", flag: "Enable Internal Transfer"),
            Refusal(payload: "apiRestrictions-universal-transfer.json", permission: "universalTransfer", flag: "Permits Universal Transfer"),
            Refusal(payload: "apiRestrictions-margin.json", permission: "borrow", flag: "Enable Margin Loan, Repay & Transfer"),
        ])
    func fundsMovingRefused(refusal: Refusal) async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: refusal.payload)
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        }
        #expect(error.kind == .unsafeKey)
        let report = try #require(error.keyReport)
        #expect(report.fundsMovingPermissions.map(\.name) == [refusal.permission])
        #expect(error.message.contains(refusal.flag), "\(error.message)")
    }

    @Test("an unknown field that is not false refuses the key, named exactly as Binance spells it")
    func unknownFlag() async throws {
        let (report, _) = try await report("apiRestrictions-unknown-flag.json")
        // `"someNewSetting": "on"` is not a boolean: an unknown capability too (fail closed);
        // `"enableSomethingOff": false` grants nothing.
        #expect(report.unknownCapabilities == ["enableCryptoLoanAutoRepay", "someNewSetting"])
        #expect(report.notes.contains { $0.contains("'someNewSetting' was a string") })
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-unknown-flag.json")
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        }
        #expect(error.kind == .unsafeKey)
        #expect(error.message.contains("enableCryptoLoanAutoRepay"))
    }

    @Test("a spot-only key has no futuresTrade")
    func spotOnly() async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-spot-only.json")
        let key = try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        #expect(key.permissions == [.read, .spotTrade])
    }

    @Test("tradingAuthorityExpirationTime becomes the expiry; an expired trading permission is refused")
    func expiry() async throws {
        let (report, _) = try await report("apiRestrictions-expiring.json")
        #expect(report.expiresAt == Date(timeIntervalSince1970: 1_628_985_600))
        // Expiry is judged on the Binance value's clock: a day after the trading permission expired.
        let fake = FakeBinance(time: FixedTimeSource(Date(timeIntervalSince1970: 1_628_985_600 + 86_400)))
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: "apiRestrictions-expiring.json")
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        }
        #expect(error.kind == .unsafeKey)
    }

    @Test(
        "a missing or non-boolean fund-moving flag is undecidable: the inspector throws, no key is made",
        arguments: ["apiRestrictions-missing-withdrawals.json", "apiRestrictions-string-flag.json"])
    func undecidable(payload: String) async throws {
        let fake = FakeBinance()
        try fake.on(.get, "/sapi/v1/account/apiRestrictions", payload: payload)
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        }
        #expect(error.kind == .decoding)
        #expect(error.message.contains("enableWithdrawals"))
    }

    @Test("a known capability flag with a non-boolean value is an unknown capability (fail closed)")
    func nonBooleanCapability() async throws {
        let fake = FakeBinance()
        fake.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in
            HTTPResponse.json(
                #"{"ipRestrict":true,"enableReading":true,"enableWithdrawals":false,"enableInternalTransfer":false,"permitsUniversalTransfer":false,"enableSpotAndMarginTrading":1}"#
            )
        }
        let report = try await fake.binance().keyInspector.inspect(Fixtures.credentials())
        #expect(report.unknownCapabilities == ["enableSpotAndMarginTrading"])
        #expect(!report.permissions.contains(.spotTrade))
    }

    @Test("hints are Binance's own words")
    func hints() async throws {
        let (report, _) = try await report("apiRestrictions-withdrawals.json")
        #expect(report.disableHint(for: .withdraw) == "disable 'Enable Withdrawals' for this key in API Management")
    }

    @Test("on the spot testnet the inspector sends nothing and reports the key unverifiable")
    func testnet() async throws {
        let fake = FakeBinance()
        let binance = fake.binance(environment: .testnet)
        let report = try await binance.keyInspector.inspect(Fixtures.credentials())
        #expect(!report.isVerifiable)
        #expect(report.unverifiableReason?.contains("/sapi") == true)
        #expect(fake.requests.isEmpty)

        let refused = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: binance.keyInspector)
        }
        #expect(refused.kind == .unsafeKey)

        let policy = KeyPolicy.tradeOnly.requiring([.spotTrade])
            .acceptingUnverifiable(reason: "spot testnet key, checked by hand")
        let key = try await SafeKey.verify(Fixtures.credentials(), using: binance.keyInspector, policy: policy)
        #expect(!key.verification.isVerified)
        #expect(key.permissions == [.read, .spotTrade])
        #expect(fake.requests.isEmpty)
    }

    @Test("on demo, a 404 for the check (no /sapi there) reports the key unverifiable")
    func demoWithoutSAPI() async throws {
        let fake = FakeBinance()
        fake.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in
            HTTPResponse(status: 404, body: Data("<html><body>404 Not Found</body></html>".utf8))
        }
        let report = try await fake.binance(environment: .demo).keyInspector.inspect(Fixtures.credentials())
        #expect(!report.isVerifiable)
        #expect(
            fake.requests(.get, "/sapi/v1/account/apiRestrictions").first?.wire.hasPrefix(
                "https://demo-api.binance.com/sapi/v1/account/apiRestrictions?recvWindow=5000&timestamp=1499827319559&signature=") == true)
    }

    @Test("on live, a 404 is an error, never an unverifiable pass")
    func liveNotFound() async throws {
        let fake = FakeBinance()
        fake.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in HTTPResponse(status: 404, body: Data("<html/>".utf8)) }
        await #expect(throws: ExchangeError.self) {
            try await fake.binance().keyInspector.inspect(Fixtures.credentials())
        }
    }

    @Test("Binance's -2015 (invalid key, IP or permissions) propagates as an authentication error")
    func invalidKey() async throws {
        let fake = FakeBinance()
        fake.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in
            HTTPResponse.json(#"{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}"#, status: 401)
        }
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        }
        #expect(error.kind == .authentication)
        #expect(error.code == "-2015")
        #expect(error.httpStatus == 401)
        #expect(!error.description.contains(Fixtures.secret))
    }

    /// A clean trade-only answer with one more field, as raw JSON.
    private static func cleanAnswer(with field: String) -> String {
        #"{"ipRestrict":true,"createTime":1698645219000,"enableReading":true,"enableSpotAndMarginTrading":true,"#
            + #""enableFutures":true,"enableWithdrawals":false,"enableInternalTransfer":false,"#
            + #""permitsUniversalTransfer":false,"enableMargin":false,"# + field + "}"
    }

    @Test(
        "an unknown field that is not false fails closed: an unknown capability that refuses the key",
        arguments: [
            #"1"#, #""true""#, #""on""#, #"0"#, #"null"#, #"{}"#, #"{"enabled":true}"#, #"[]"#, #"[true]"#, #"true"#,
        ])
    func unknownFieldFailsClosed(value: String) async throws {
        let fake = FakeBinance()
        let body = Self.cleanAnswer(with: #""enableSomethingNew":"# + value)
        fake.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in HTTPResponse.json(body) }
        let report = try await fake.binance().keyInspector.inspect(Fixtures.credentials())
        #expect(report.unknownCapabilities == ["enableSomethingNew"])
        let error = try await #require(throws: ExchangeError.self) {
            try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        }
        #expect(error.kind == .unsafeKey)
        #expect(error.message.contains("unknown capability 'enableSomethingNew' reported by binance"))
    }

    @Test("an unknown field that is false grants nothing; the named non-capability fields are not capabilities")
    func knownNonCapabilities() async throws {
        #expect(BinanceKeyReport.nonCapabilityFields == ["ipRestrict", "createTime", "tradingAuthorityExpirationTime"])
        let fake = FakeBinance()
        let body = Self.cleanAnswer(
            with: #""enableSomethingOff":false,"tradingAuthorityExpirationTime":null"#)
        fake.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in HTTPResponse.json(body) }
        let key = try await SafeKey.verify(Fixtures.credentials(), using: fake.binance().keyInspector)
        #expect(key.report.unknownCapabilities.isEmpty)
        #expect(key.report.expiresAt == nil)
        // A non-capability field with an odd value is not a capability (and never loosens anything).
        let odd = FakeBinance()
        let oddBody =
            #"{"ipRestrict":"yes","createTime":"then","tradingAuthorityExpirationTime":{},"enableReading":true,"#
            + #""enableWithdrawals":false,"enableInternalTransfer":false,"permitsUniversalTransfer":false}"#
        odd.on(.get, "/sapi/v1/account/apiRestrictions") { _, _ in HTTPResponse.json(oddBody) }
        let report = try await odd.binance().keyInspector.inspect(Fixtures.credentials())
        #expect(report.unknownCapabilities.isEmpty)
        #expect(!report.isIPRestricted, "an unreadable ipRestrict counts as not restricted")
    }
}
