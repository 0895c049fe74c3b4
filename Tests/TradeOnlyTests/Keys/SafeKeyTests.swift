import Foundation
import Testing

@testable import TradeOnly

@Suite("SafeKey.verify")
struct SafeKeyTests {
    /// Verifies a canned report and returns the unsafe-key error, failing the test if there is none.
    private func refusal(
        _ report: KeyReport, policy: KeyPolicy = .tradeOnly, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ExchangeError {
        let credentials = try KeysFixtures.credentials()
        let error = await #expect(throws: ExchangeError.self, sourceLocation: sourceLocation) {
            try await SafeKey.verify(credentials, using: CannedInspector(report), policy: policy)
        }
        let unwrapped = try #require(error, sourceLocation: sourceLocation)
        #expect(unwrapped.kind == .unsafeKey, sourceLocation: sourceLocation)
        #expect(unwrapped.exchange == report.exchange, sourceLocation: sourceLocation)
        #expect(unwrapped.keyReport == report, sourceLocation: sourceLocation)
        #expect(unwrapped.retry == .doNotRetry, sourceLocation: sourceLocation)
        return unwrapped
    }

    /// The fund-moving permissions, plus one an exchange module defined itself.
    static let fundsMoving =
        PermissionTests.fundsMoving + [
            Permission(name: "gateLoan", title: "Gate loans", movesFunds: true),
            Permission(name: "withdraw", title: "Disguised withdraw", movesFunds: false),
            Permission(name: "spotTrade", title: "Spot trade that moves funds", movesFunds: true),
        ]

    @Test("a key that can move funds is refused, naming the permission:", arguments: fundsMoving)
    func fundsMovingRefused(permission: Permission) async throws {
        var permissions: Set<Permission> = [.read, .futuresTrade, permission]
        if permission.name != "spotTrade" { permissions.insert(.spotTrade) }
        let report = KeyReport(exchange: "binance", permissions: permissions, isIPRestricted: true)
        let error = try await refusal(report)
        #expect(error.message.contains("'\(permission.title)'"))
        #expect(error.message.contains("can move funds"))
        #expect(error.message.contains(report.disableHint(for: permission)))
    }

    @Test(
        "no policy lets a fund-moving permission through, even one that tries to allow it",
        arguments: PermissionTests.fundsMoving)
    func noPolicyAllowsFundsMovement(permission: Permission) async throws {
        let permissive = KeyPolicy.tradeOnly.allowing(permission)
            .acceptingUnverifiable(reason: "testing the strongest policy there is")
        for report in [
            KeyReport(exchange: "okx", permissions: [.read, .spotTrade, permission]),
            KeyReport(exchange: "okx", permissions: [.read, permission], isVerifiable: false),
            KeysFixtures.cleanReport(exchange: "okx"),
        ] {
            let error = try await refusal(report, policy: permissive)
            #expect(error.message.contains("'\(permission.title)'"))
        }
    }

    @Test("the structural check, apart from any policy, flags funds movement and unknown capabilities")
    func structuralCheckIsIndependent() {
        let report = KeyReport(
            exchange: "bybit", permissions: [.read, .spotTrade, .p2p, .withdraw], unknownCapabilities: ["FiatGlobalPay"])
        let violations = SafeKey.structuralViolations(in: report)
        #expect(violations.map(\.kind) == [.movesFunds, .movesFunds, .unknownCapability])
        #expect(violations.compactMap(\.permission) == [.p2p, .withdraw])
        #expect(violations.last?.capability == "FiatGlobalPay")
        #expect(SafeKey.structuralViolations(in: KeysFixtures.cleanReport()).isEmpty)
        #expect(
            SafeKey.structuralViolations(in: KeyReport(exchange: "gate", permissions: [.optionsTrade], isVerifiable: false))
                .isEmpty)
    }

    @Test(
        "the structural check refuses on its own, even when the policy's verdict is empty",
        arguments: [
            KeyReport(exchange: "binance", permissions: [.read, .spotTrade, .withdraw]),
            KeyReport(exchange: "binance", permissions: [.read, Permission(name: "withdraw", title: "w", movesFunds: false)]),
            KeyReport(exchange: "okx", permissions: [.read, .subAccountTransfer, .keyManagement]),
            KeyReport(exchange: "bybit", permissions: [.read], unknownCapabilities: ["FiatGlobalPay"]),
            KeyReport(exchange: "binance", permissions: [.read, .spotTrade], isVerifiable: false),
        ])
    func structuralCheckRefusesAlone(report: KeyReport) throws {
        let error = #expect(throws: ExchangeError.self) {
            try SafeKey.accept(
                KeysFixtures.credentials(), report: report, policy: .tradeOnly, now: Date(),
                inspection: .builtIn(
                    KeyProvenance(
                        module: report.exchange, origin: KeysFixtures.origin, environment: "test", instance: KeysFixtures.clock)),
                policyViolations: [])
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport == report)
    }

    @Test("an unknown capability is refused and named exactly as the exchange spelled it")
    func unknownCapabilityRefused() async throws {
        let report = KeyReport(
            exchange: "binance", permissions: [.read, .spotTrade], unknownCapabilities: ["enableFooBar"])
        let error = try await refusal(report)
        #expect(error.message.contains("unknown capability 'enableFooBar' reported by binance"))
        let accepting = KeyPolicy.tradeOnly.acceptingUnverifiable(reason: "not relevant").allowing(.optionsTrade)
        _ = try await refusal(report, policy: accepting)
    }

    @Test("a key that cannot read is refused")
    func noReadRefused() async throws {
        let error = try await refusal(KeyReport(exchange: "okx", permissions: [.spotTrade]))
        #expect(error.message.contains("lacks the 'Read' permission"))
    }

    @Test(
        "a clean trade-only key gives exactly its trade permissions",
        arguments: [
            [TradePermission.read], [.read, .spotTrade], [.read, .futuresTrade], [.read, .spotTrade, .futuresTrade],
        ])
    func cleanKeyAccepted(permissions: [TradePermission]) async throws {
        let report = KeyReport(exchange: "binance", permissions: Set(permissions.map(\.permission)))
        let before = Date()
        let key = try await SafeKey.verify(KeysFixtures.credentials(), using: CannedInspector(report))
        #expect(key.permissions == Set(permissions))
        #expect(key.report == report)
        #expect(key.exchange == "binance")
        #expect(key.apiKey == KeysFixtures.apiKey)
        #expect(key.maskedAPIKey == KeysFixtures.maskedAPIKey)
        #expect(key.policy == .tradeOnly)
        #expect(key.verification.isVerified)
        #expect(key.verification.date >= before)
        #expect(KeysFixtures.bytes(of: key.credentials.secret) == Array(KeysFixtures.secret.utf8))
    }

    @Test("requiring spot trading refuses a read-only key")
    func requiringSpot() async throws {
        let readOnly = KeyReport(exchange: "gate", permissions: [.read])
        let error = try await refusal(readOnly, policy: .tradeOnly.requiring([.spotTrade]))
        #expect(error.message.contains("'Spot trade'"))
    }

    @Test("an unverifiable key is refused by .tradeOnly")
    func unverifiableRefused() async throws {
        let report = KeyReport(
            exchange: "binance", isVerifiable: false, unverifiableReason: "the spot testnet has no /sapi endpoints")
        let error = try await refusal(report)
        #expect(error.message.contains("binance could not say what this key can do (the spot testnet has no /sapi endpoints)"))
        #expect(error.message.contains(".acceptingUnverifiable(reason:)"))
    }

    @Test("an unverifiable key is accepted with a stated reason, which the key records")
    func unverifiableAccepted() async throws {
        let report = KeyReport(
            exchange: "binance", isVerifiable: false, unverifiableReason: "the spot testnet has no /sapi endpoints")
        let reason = "testnet key, checked by hand in the testnet's API page"
        let policy = KeyPolicy.tradeOnly.requiring([.spotTrade]).acceptingUnverifiable(reason: reason)
        let key = try await SafeKey.verify(KeysFixtures.credentials(), using: CannedInspector(report), policy: policy)
        guard case .acceptedUnverifiable(_, let recorded) = key.verification else {
            Issue.record("expected an unverified acceptance, got \(key.verification)")
            return
        }
        #expect(recorded == reason)
        #expect(!key.verification.isVerified)
        #expect(key.permissions == [.read, .spotTrade])
        #expect(key.description.contains("accepted unverified"))
    }

    @Test("an IP whitelist requirement refuses an unbound key and accepts a bound one")
    func ipWhitelistRequired() async throws {
        let policy = KeyPolicy.tradeOnly.requiringIPWhitelist()
        let unbound = KeyReport(exchange: "okx", permissions: [.read, .spotTrade])
        let error = try await refusal(unbound, policy: policy)
        #expect(error.message.contains("not bound to an IP whitelist"))
        let key = try await SafeKey.verify(
            KeysFixtures.credentials(), using: CannedInspector(KeysFixtures.cleanReport(exchange: "okx")), policy: policy)
        #expect(key.report.isIPRestricted)
    }

    @Test("a key expiring within the required days is refused; an expired one always is")
    func expiryRefused() async throws {
        let inThreeDays = KeyReport(
            exchange: "bybit", permissions: [.read, .spotTrade], expiresAt: Date().addingTimeInterval(3 * 86_400 + 600))
        let error = try await refusal(inThreeDays, policy: .tradeOnly.requiringMinimumDaysToExpiry(30))
        #expect(error.message.contains("in 3 days, sooner than the 30 days the policy requires"))
        _ = try await SafeKey.verify(
            KeysFixtures.credentials(), using: CannedInspector(inThreeDays), policy: .tradeOnly.requiringMinimumDaysToExpiry(3))

        let expired = KeyReport(exchange: "bybit", permissions: [.read], expiresAt: Date().addingTimeInterval(-60))
        let expiredError = try await refusal(expired)
        #expect(expiredError.message.contains("expired on"))
    }

    @Test("several violations are all listed, each once")
    func allViolationsListed() async throws {
        let report = KeyReport(
            exchange: "binance", permissions: [.spotTrade, .withdraw, .universalTransfer, .optionsTrade],
            expiresAt: Date().addingTimeInterval(86_400), unknownCapabilities: ["enableFooBar", "enableBazQux"])
        let policy = KeyPolicy.tradeOnly.requiringIPWhitelist().requiringMinimumDaysToExpiry(7)
        let error = try await refusal(report, policy: policy)
        let expected = [
            "'Universal transfer' permission is enabled, and it can move funds",
            "'Withdraw' permission is enabled, and it can move funds",
            "unknown capability 'enableFooBar'",
            "unknown capability 'enableBazQux'",
            "'Options trade' permission is enabled, and a trade-only key does not need it",
            "lacks the 'Read' permission",
            "not bound to an IP whitelist",
            "sooner than the 7 days",
        ]
        #expect(error.message.hasPrefix("TradeOnly refused this binance key (\(expected.count) problems): "))
        for fragment in expected {
            #expect(error.message.components(separatedBy: fragment).count == 2, "once: \(fragment)")
        }
        #expect(error.description.hasPrefix("unsafeKey (binance): TradeOnly refused this binance key"))
    }

    @Test("an inspector's own error propagates unchanged")
    func inspectorErrorPropagates() async throws {
        let failure = FailingInspector.Failure(marker: "exchange down")
        let error = await #expect(throws: FailingInspector.Failure.self) {
            try await SafeKey.verify(KeysFixtures.credentials(), using: FailingInspector(error: failure))
        }
        #expect(error == failure)

        let authentication = ExchangeError(.authentication, message: "invalid API key", exchange: "okx", code: "50113")
        let thrown = await #expect(throws: ExchangeError.self) {
            try await SafeKey.verify(KeysFixtures.credentials(), using: FailingInspector(error: authentication))
        }
        #expect(thrown == authentication)
    }

    @Test("a SafeKey carries only TradePermission values, whatever the report holds")
    func onlyTradePermissions() async throws {
        let report = KeyReport(
            exchange: "bybit", permissions: [.read, .spotTrade, .futuresTrade, .optionsTrade, .marginTrade])
        let policy = KeyPolicy.tradeOnly.allowing(.optionsTrade).allowing(.marginTrade)
        let key = try await SafeKey.verify(KeysFixtures.credentials(), using: CannedInspector(report), policy: policy)
        #expect(key.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(key.permissions.isSubset(of: TradePermission.allCases))
        #expect(key.report.permissions.contains(.optionsTrade), "the report still says what the exchange said")
    }
}
