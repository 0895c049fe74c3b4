import Foundation
import Testing

@testable import TradeOnly

/// A value Credentials must refuse, and what the refusal must say.
struct HostileValue: Sendable, CustomTestStringConvertible {
    let name: String
    /// Holds `marker`, so the test can check the value is not echoed.
    let value: String
    let kind: CredentialsError.Kind
    let words: String

    var testDescription: String { name }

    static let marker = "HOSTILE7f3a"

    static let all: [HostileValue] = [
        HostileValue(name: "empty", value: "", kind: .emptyValue, words: "is empty"),
        HostileValue(name: "a space", value: "\(marker) tail", kind: .invalidCharacters, words: "a space"),
        HostileValue(name: "a leading space", value: " \(marker)", kind: .invalidCharacters, words: "a space"),
        HostileValue(name: "a tab", value: "\(marker)\ttail", kind: .invalidCharacters, words: "a tab"),
        HostileValue(
            name: "CR LF header injection", value: "\(marker)\r\nX-Injected: 1", kind: .invalidCharacters,
            words: "a carriage return (CR)"),
        HostileValue(name: "a trailing LF", value: "\(marker)\n", kind: .invalidCharacters, words: "a line feed (LF)"),
        HostileValue(name: "a NUL byte", value: "\(marker)\0tail", kind: .invalidCharacters, words: "a NUL byte"),
        HostileValue(name: "DEL", value: "\(marker)\u{7F}", kind: .invalidCharacters, words: "a control character"),
        HostileValue(name: "non-ASCII", value: "\(marker)é", kind: .invalidCharacters, words: "a non-ASCII character"),
        HostileValue(
            name: "a non-breaking space", value: "\(marker)\u{A0}", kind: .invalidCharacters,
            words: "a non-ASCII character"),
    ]
}

@Suite("Credentials refuse bad values")
struct CredentialsRefusalTests {
    @Test("an API key with", arguments: HostileValue.all)
    func refusesAPIKey(hostile: HostileValue) {
        let error = #expect(throws: CredentialsError.self) {
            try Credentials(apiKey: hostile.value, secret: Secret(KeysFixtures.secret))
        }
        check(error, hostile, field: "the API key")
    }

    @Test("a secret with", arguments: HostileValue.all)
    func refusesSecret(hostile: HostileValue) {
        let error = #expect(throws: CredentialsError.self) {
            try Credentials(apiKey: KeysFixtures.apiKey, secret: Secret(hostile.value))
        }
        check(error, hostile, field: "the API secret")
    }

    @Test("a passphrase with", arguments: HostileValue.all)
    func refusesPassphrase(hostile: HostileValue) {
        let error = #expect(throws: CredentialsError.self) {
            try Credentials(apiKey: KeysFixtures.apiKey, secret: Secret(KeysFixtures.secret), passphrase: Secret(hostile.value))
        }
        check(error, hostile, field: "the passphrase")
    }

    private func check(_ error: CredentialsError?, _ hostile: HostileValue, field: String) {
        guard let error else { return }
        #expect(error.kind == hostile.kind)
        #expect(error.field == field)
        #expect(error.description.contains(field))
        #expect(error.description.contains(hostile.words))
        for text in KeysFixtures.renderings(of: error) + [error.localizedDescription] {
            #expect(!text.contains(HostileValue.marker), "the value is never echoed")
        }
    }

    @Test("Binance's secret with a trailing line break is refused, and the error does not contain it")
    func docSecretWithNewlineIsNotEchoed() {
        for bad in [KeysFixtures.secret + "\n", KeysFixtures.secret + " ", " " + KeysFixtures.secret] {
            let error = #expect(throws: CredentialsError.self) {
                try Credentials(apiKey: KeysFixtures.apiKey, secret: Secret(bad))
            }
            for text in KeysFixtures.renderings(of: error) {
                #expect(!text.contains(KeysFixtures.secret))
                #expect(!text.contains(String(KeysFixtures.secret.prefix(8))))
            }
        }
    }

    @Test("good values are kept exactly; the passphrase is optional")
    func goodValues() throws {
        let plain = try KeysFixtures.credentials()
        #expect(plain.apiKey == KeysFixtures.apiKey)
        #expect(KeysFixtures.bytes(of: plain.secret) == Array(KeysFixtures.secret.utf8))
        #expect(!plain.hasPassphrase)
        #expect(plain.passphrase == nil)

        let okx = try KeysFixtures.credentials(passphrase: KeysFixtures.passphrase)
        #expect(okx.hasPassphrase)
        #expect(okx.passphrase.map(KeysFixtures.bytes) == Array(KeysFixtures.passphrase.utf8))
        #expect(String(describing: okx).contains("passphrase: <redacted>"))
    }

    @Test("every printable ASCII character is accepted")
    func printableASCIIAccepted() throws {
        let printable = String((0x21...0x7E).map { Character(UnicodeScalar(UInt8($0))) })
        let credentials = try Credentials(apiKey: printable, secret: Secret(printable), passphrase: Secret(printable))
        #expect(credentials.apiKey == printable)
    }
}

@Suite("Credentials from the environment")
struct CredentialsEnvironmentTests {
    @Test("reads <PREFIX>_API_KEY and <PREFIX>_API_SECRET; no passphrase needed")
    func readsKeyAndSecret() throws {
        let credentials = try Credentials.environment(
            prefix: "BINANCE",
            environment: ["BINANCE_API_KEY": KeysFixtures.apiKey, "BINANCE_API_SECRET": KeysFixtures.secret])
        #expect(credentials.apiKey == KeysFixtures.apiKey)
        #expect(KeysFixtures.bytes(of: credentials.secret) == Array(KeysFixtures.secret.utf8))
        #expect(!credentials.hasPassphrase)
    }

    @Test("reads <PREFIX>_API_PASSPHRASE when set")
    func readsPassphrase() throws {
        let credentials = try Credentials.environment(
            prefix: "OKX",
            environment: [
                "OKX_API_KEY": "okx-key-0123456789", "OKX_API_SECRET": "okx-secret",
                "OKX_API_PASSPHRASE": KeysFixtures.passphrase,
            ])
        #expect(credentials.passphrase.map(KeysFixtures.bytes) == Array(KeysFixtures.passphrase.utf8))
    }

    @Test("a missing variable is named", arguments: ["BYBIT_API_KEY", "BYBIT_API_SECRET"])
    func missingVariableNamed(missing: String) {
        var environment = ["BYBIT_API_KEY": KeysFixtures.apiKey, "BYBIT_API_SECRET": KeysFixtures.secret]
        environment[missing] = nil
        let error = #expect(throws: CredentialsError.self) {
            try Credentials.environment(prefix: "BYBIT", environment: environment)
        }
        #expect(error?.kind == .missingValue)
        #expect(error?.field == missing)
        #expect(error?.description.contains(missing) == true)
    }

    @Test("an empty variable is named", arguments: ["GATE_API_KEY", "GATE_API_SECRET", "GATE_API_PASSPHRASE"])
    func emptyVariableNamed(empty: String) {
        var environment = ["GATE_API_KEY": KeysFixtures.apiKey, "GATE_API_SECRET": KeysFixtures.secret]
        environment[empty] = ""
        let error = #expect(throws: CredentialsError.self) {
            try Credentials.environment(prefix: "GATE", environment: environment)
        }
        #expect(error?.kind == .emptyValue)
        #expect(error?.description.contains(empty) == true)
    }

    @Test("a bad character is refused, naming the variable and not the value")
    func badCharacterNamesVariable() {
        let error = #expect(throws: CredentialsError.self) {
            try Credentials.environment(
                prefix: "BINANCE",
                environment: ["BINANCE_API_KEY": KeysFixtures.apiKey, "BINANCE_API_SECRET": KeysFixtures.secret + "\n"])
        }
        #expect(error?.kind == .invalidCharacters)
        #expect(error?.field == "BINANCE_API_SECRET")
        #expect(error?.description.contains("BINANCE_API_SECRET") == true)
        #expect(error?.description.contains(KeysFixtures.secret) == false)
    }

    @Test("reads the process environment by default")
    func readsProcessEnvironment() {
        let prefix = "TRADEONLY_TEST_UNSET_\(UInt32.random(in: 0...UInt32.max))"
        let error = #expect(throws: CredentialsError.self) { try Credentials.environment(prefix: prefix) }
        #expect(error?.field == prefix + "_API_KEY")
    }
}
