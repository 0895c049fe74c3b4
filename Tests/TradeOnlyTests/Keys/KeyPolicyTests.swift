import Foundation
import Testing

@testable import TradeOnly

@Suite("KeyPolicy")
struct KeyPolicyTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test(".tradeOnly requires read, and nothing else")
    func tradeOnlyDefaults() {
        let policy = KeyPolicy.tradeOnly
        #expect(policy.requiredPermissions == [.read])
        #expect(policy.allowedPermissions.isEmpty)
        #expect(!policy.requiresIPWhitelist)
        #expect(policy.minimumDaysToExpiry == nil)
        #expect(!policy.acceptsUnverifiable)
        #expect(policy.violations(for: KeysFixtures.cleanReport(), now: now).isEmpty)
        #expect(policy.violations(for: KeyReport(exchange: "okx", permissions: [.read]), now: now).isEmpty)
    }

    @Test("a fund-moving permission reads as a sentence with the exchange's own hint")
    func fundsMovingSentence() {
        let report = KeyReport(
            exchange: "binance", permissions: [.read, .spotTrade, .withdraw],
            hints: [.withdraw: "untick 'Enable Withdrawals' for this key in API Management"])
        let violations = KeyPolicy.tradeOnly.violations(for: report, now: now)
        #expect(violations.map(\.kind) == [.movesFunds])
        #expect(violations.first?.permission == .withdraw)
        #expect(
            violations.first?.description
                == "the 'Withdraw' permission is enabled, and it can move funds: "
                + "untick 'Enable Withdrawals' for this key in API Management")
    }

    @Test("an unknown capability is named as the exchange spelled it")
    func unknownCapabilitySentence() {
        let report = KeyReport(exchange: "binance", permissions: [.read], unknownCapabilities: ["enableFooBar"])
        let violations = KeyPolicy.tradeOnly.violations(for: report, now: now)
        #expect(violations.map(\.kind) == [.unknownCapability])
        #expect(violations.first?.capability == "enableFooBar")
        #expect(
            violations.first?.description.hasPrefix(
                "unknown capability 'enableFooBar' reported by binance: TradeOnly cannot tell whether it moves funds")
                == true)
    }

    @Test("a non-fund-moving extra is refused unless allowed", arguments: [Permission.optionsTrade, .marginTrade, .fixRead])
    func extrasNeedAllowing(extra: Permission) {
        let report = KeyReport(exchange: "bybit", permissions: [.read, .spotTrade, extra])
        let refused = KeyPolicy.tradeOnly.violations(for: report, now: now)
        #expect(refused.map(\.kind) == [.notAllowed])
        #expect(refused.first?.description.contains(".allowing(.\(extra.name))") == true)
        let policy = KeyPolicy.tradeOnly.allowing(extra)
        #expect(policy.allowedPermissions == [extra])
        #expect(policy.violations(for: report, now: now).isEmpty)
    }

    @Test(
        "allowing a fund-moving permission is recorded as a policy error and allows nothing",
        arguments: PermissionTests.fundsMoving)
    func fundsMovingAllowanceRefused(permission: Permission) {
        let policy = KeyPolicy.tradeOnly.allowing(permission)
        #expect(!policy.allowedPermissions.contains(permission))
        #expect(policy.description.contains("refuses every key"))
        let onClean = policy.violations(for: KeysFixtures.cleanReport(), now: now)
        #expect(onClean.map(\.kind) == [.invalidPolicy])
        let onGranted = policy.violations(
            for: KeyReport(exchange: "binance", permissions: [.read, permission]), now: now)
        #expect(onGranted.map(\.kind) == [.invalidPolicy, .movesFunds])
    }

    @Test("allowing a trade permission changes nothing")
    func allowingTradePermission() {
        #expect(KeyPolicy.tradeOnly.allowing(.spotTrade) == .tradeOnly)
    }

    @Test("requiring adds to read; a missing permission is named")
    func requiring() {
        let policy = KeyPolicy.tradeOnly.requiring([.futuresTrade])
        #expect(policy.requiredPermissions == [.read, .futuresTrade])
        let violations = policy.violations(for: KeyReport(exchange: "okx", permissions: [.read, .spotTrade]), now: now)
        #expect(violations.map(\.kind) == [.missingPermission])
        #expect(violations.first?.description.contains("'Futures trade'") == true)
    }

    @Test("expiry: already expired is always refused; within the minimum days is refused")
    func expiry() {
        let soon = KeyReport(exchange: "bybit", permissions: [.read], expiresAt: now.addingTimeInterval(5 * 86_400))
        #expect(KeyPolicy.tradeOnly.violations(for: soon, now: now).isEmpty)
        let strict = KeyPolicy.tradeOnly.requiringMinimumDaysToExpiry(7)
        let violations = strict.violations(for: soon, now: now)
        #expect(violations.map(\.kind) == [.expiresTooSoon])
        #expect(violations.first?.description.contains("in 5 days, sooner than the 7 days") == true)
        #expect(KeyPolicy.tradeOnly.requiringMinimumDaysToExpiry(5).violations(for: soon, now: now).isEmpty)

        let past = KeyReport(exchange: "bybit", permissions: [.read], expiresAt: now)
        #expect(KeyPolicy.tradeOnly.violations(for: past, now: now).map(\.kind) == [.expired])
        #expect(KeyPolicy.tradeOnly.requiringMinimumDaysToExpiry(-3).minimumDaysToExpiry == 0)
    }

    @Test("an empty reason to accept unverifiable keys is a policy error")
    func emptyUnverifiableReason() {
        let policy = KeyPolicy.tradeOnly.acceptingUnverifiable(reason: "  \n")
        #expect(!policy.acceptsUnverifiable)
        #expect(policy.violations(for: KeysFixtures.cleanReport(), now: now).map(\.kind) == [.invalidPolicy])
        let unverifiable = KeyReport(exchange: "binance", isVerifiable: false)
        #expect(policy.violations(for: unverifiable, now: now).map(\.kind) == [.invalidPolicy, .unverifiable])
    }

    @Test("reads as one line")
    func description() {
        let policy = KeyPolicy.tradeOnly.requiring([.spotTrade]).requiringIPWhitelist().requiringMinimumDaysToExpiry(14)
            .allowing(.optionsTrade)
        #expect(
            policy.description
                == "KeyPolicy(no funds movement; no unknown capabilities; requires read, spotTrade; allows optionsTrade; "
                + "requires an IP whitelist; requires 14 days to expiry)")
    }
}
