import Foundation
import Testing

@testable import TradeOnly

@Suite("Custom inspectors and where a key was verified")
struct ProvenanceTests {
    private var credentials: Credentials { get throws { try KeysFixtures.credentials() } }

    @Test("a custom inspector's clean report is refused without the policy's opt-in")
    func customInspectorRefused() async throws {
        let report = KeysFixtures.cleanReport()
        let error = await #expect(throws: ExchangeError.self) {
            try await SafeKey.verify(try credentials, using: CustomInspector(report))
        }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport == report)
        #expect(error?.message.contains("custom KeyInspector (CustomInspector)") == true)
        #expect(error?.message.contains(".acceptingCustomInspector(reason:)") == true)
        // Through an existential, as the key-check example passes inspectors, it is just as custom.
        let existential: any KeyInspector = CustomInspector(report)
        await #expect(throws: ExchangeError.self) { try await SafeKey.verify(try credentials, using: existential) }
    }

    @Test("with acceptingCustomInspector(reason:) the key is accepted and records the reason and the inspector")
    func customInspectorAccepted() async throws {
        let reason = "a recorded report, replayed offline"
        let policy = KeyPolicy.tradeOnly.acceptingCustomInspector(reason: reason)
        let key = try await SafeKey.verify(try credentials, using: CustomInspector(KeysFixtures.cleanReport()), policy: policy)
        guard case .acceptedFromCustomInspector(_, let inspector, let recorded) = key.verification else {
            Issue.record("expected an acceptance from a custom inspector, got \(key.verification)")
            return
        }
        #expect(inspector == "CustomInspector")
        #expect(recorded == reason)
        #expect(!key.verification.isVerified)
        #expect(key.provenance == nil, "only a built-in inspector gives a key a provenance")
        #expect(key.permissions == [.read, .spotTrade, .futuresTrade])
        #expect(key.description.hasSuffix("accepted from custom inspector CustomInspector because: \(reason))"))
        #expect(key.verification.description.contains("accepted from custom inspector CustomInspector at "))
        #expect(policy.acceptsCustomInspector)
        #expect(policy.description.contains("accepts keys from custom inspectors because: \(reason)"))
    }

    @Test("the opt-in loosens nothing else: a custom report that moves funds is still refused")
    func customInspectorStillJudged() async throws {
        let report = KeyReport(exchange: "binance", permissions: [.read, .spotTrade, .withdraw], isIPRestricted: true)
        let error = await #expect(throws: ExchangeError.self) {
            try await SafeKey.verify(
                try credentials, using: CustomInspector(report), policy: .tradeOnly.acceptingCustomInspector(reason: "test"))
        }
        #expect(error?.message.contains("'Withdraw' permission is enabled") == true)
        #expect(error?.message.contains("custom KeyInspector") == false)
    }

    @Test(
        "an empty reason to accept custom inspectors is a policy error that refuses every key",
        arguments: ["", "   ", "\n"])
    func emptyCustomInspectorReason(reason: String) async throws {
        let policy = KeyPolicy.tradeOnly.acceptingCustomInspector(reason: reason)
        #expect(!policy.acceptsCustomInspector)
        #expect(policy.violations(for: KeysFixtures.cleanReport()).map(\.kind) == [.invalidPolicy])
        let builtIn = await #expect(throws: ExchangeError.self) {
            try await SafeKey.verify(try credentials, using: CannedInspector(KeysFixtures.cleanReport()), policy: policy)
        }
        #expect(builtIn?.message.contains("say why in .acceptingCustomInspector(reason:)") == true)
        await #expect(throws: ExchangeError.self) {
            try await SafeKey.verify(try credentials, using: CustomInspector(KeysFixtures.cleanReport()), policy: policy)
        }
    }

    @Test("a built-in inspector's key records the site it asked, and its date comes from the module's clock")
    func builtInProvenance() async throws {
        let time = FixedTimeSource(Date(timeIntervalSince1970: 1_600_000_000))
        let key = try await SafeKey.verify(try credentials, using: CannedInspector(KeysFixtures.cleanReport(), timeSource: time))
        #expect(key.verification == .verified(at: Date(timeIntervalSince1970: 1_600_000_000)))
        let provenance = try #require(key.provenance)
        #expect(provenance.module == "binance")
        #expect(provenance.origin == KeysFixtures.origin)
        #expect(provenance.environment == "test")
        #expect(provenance.instance === KeysFixtures.clock)
    }

    @Test(
        "origins compare scheme, host and port, normalised",
        arguments: [
            ("https://api.binance.com", "https://API.Binance.com:443", true),
            ("HTTP://127.0.0.1", "http://127.0.0.1:80", true),
            ("http://[::1]:8080", "http://[::1]:8080/", true),
            ("https://api.binance.com/some/path?query=1", "https://api.binance.com", true),
            ("http://127.0.0.1:1234", "http://127.0.0.1:1235", false),
            ("http://127.0.0.1:1234", "https://127.0.0.1:1234", false),
            ("https://api.binance.com", "http://api.binance.com:443", false),
            ("http://localhost:1234", "http://127.0.0.1:1234", false),
            ("https://api.bybit.com", "https://api.bybit.eu", false),
        ])
    func origins(first: String, second: String, equal: Bool) throws {
        let a = try #require(KeyOrigin(first))
        let b = try #require(KeyOrigin(second))
        #expect((a == b) == equal, "\(a) vs \(b)")
    }

    @Test("URLs without an http(s) scheme or a host have no origin", arguments: ["ftp://example.com", "file:///tmp", "/path", "http://"])
    func noOrigin(text: String) {
        #expect(KeyOrigin(text) == nil)
    }

    @Test("a client admits only a key its own module verified for its own site")
    func admission() async throws {
        let site = KeyProvenance(module: "binance", origin: KeysFixtures.origin, environment: "test", instance: KeysFixtures.clock)
        let key = try await SafeKey.verify(try credentials, using: CannedInspector(KeysFixtures.cleanReport()))
        guard case .admitted = key.admission(at: site) else {
            Issue.record("the key's own site must admit it")
            return
        }
        let elsewhere: [(KeyProvenance, String)] = [
            (
                KeyProvenance(module: "bybit", origin: KeysFixtures.origin, environment: "test", instance: KeysFixtures.clock),
                "verified with binance, not Bybit"
            ),
            (
                KeyProvenance(module: "binance", origin: KeysFixtures.origin, environment: "live", instance: KeysFixtures.clock),
                "verified on Binance test, not on Binance live"
            ),
            (
                KeyProvenance(
                    module: "binance", origin: try #require(KeyOrigin("https://exchange.example:8443")), environment: "test",
                    instance: KeysFixtures.clock),
                "verified against https://exchange.example, not against https://exchange.example:8443"
            ),
        ]
        for (other, fragment) in elsewhere {
            guard case .refused(let error) = key.admission(at: other) else {
                Issue.record("\(other) must refuse the key")
                continue
            }
            #expect(error.kind == .invalidRequest)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.message.contains("keyInspector"))
        }
        // The same site through another exchange value (another transport): verified there first.
        let otherValue = KeyProvenance(module: "binance", origin: KeysFixtures.origin, environment: "test", instance: ServerClock())
        guard case .needsVerification(let why) = key.admission(at: otherValue) else {
            Issue.record("another exchange value must verify the key first")
            return
        }
        #expect(why.contains("another Binance value"))
        // A custom inspector's key of the same exchange: verified first.
        let custom = try await SafeKey.verify(
            try credentials, using: CustomInspector(KeysFixtures.cleanReport()),
            policy: .tradeOnly.acceptingCustomInspector(reason: "test"))
        guard case .needsVerification = custom.admission(at: site) else {
            Issue.record("a custom inspector's key must be verified first")
            return
        }
        let foreign = try await SafeKey.verify(
            try credentials, using: CustomInspector(KeysFixtures.cleanReport(exchange: "okx")),
            policy: .tradeOnly.acceptingCustomInspector(reason: "test"))
        guard case .refused = foreign.admission(at: site) else {
            Issue.record("a custom inspector's key of another exchange must be refused")
            return
        }
    }
}
