import Foundation
import Testing
import TradeOnlyCrypto

@testable import TradeOnly

/// One way a secret can end up in text: a value holding it, and the name of that way.
struct RedactionSurface: Sendable, CustomTestStringConvertible {
    let name: String
    let render: @Sendable () throws -> [String]

    var testDescription: String { name }

    static func of<T>(_ name: String, _ make: @escaping @Sendable () throws -> T) -> RedactionSurface {
        RedactionSurface(name: name) { KeysFixtures.renderings(of: try make()) }
    }
}

private struct SecretHolder {
    let label = "holder"
    let secret: Secret
}
private struct SecretError: Error { let secret: Secret }

@Suite("Secrets never show in text")
struct SecretRedactionTests {
    static let surfaces: [RedactionSurface] = [
        .of("a Secret") { Secret(KeysFixtures.secret) },
        .of("[Secret]") { [Secret(KeysFixtures.secret), Secret(KeysFixtures.secret)] },
        .of("Secret?") { Optional(Secret(KeysFixtures.secret)) },
        .of("[String: Secret]") { ["binance": Secret(KeysFixtures.secret)] },
        .of("a struct holding a Secret") { SecretHolder(secret: Secret(KeysFixtures.secret)) },
        .of("an error holding a Secret") { SecretError(secret: Secret(KeysFixtures.secret)) as any Error },
        .of("a tuple holding a Secret") { (1, Secret(KeysFixtures.secret)) },
        .of("Credentials") { try KeysFixtures.credentials(passphrase: KeysFixtures.passphrase) },
        .of("[Credentials]") { [try KeysFixtures.credentials()] },
        .of("Credentials?") { Optional(try KeysFixtures.credentials()) },
        .of("the storage box itself") {
            var value = KeysFixtures.secret
            return value.withUTF8 { SecretStorage(copying: UnsafeRawBufferPointer($0), onRelease: nil) }
        },
    ]

    @Test(
        "the secret is absent from interpolation, String(describing:), String(reflecting:) and dump of",
        arguments: surfaces)
    func secretIsAbsent(surface: RedactionSurface) throws {
        for text in try surface.render() {
            #expect(!text.contains(KeysFixtures.secret))
            #expect(!text.contains(String(KeysFixtures.secret.prefix(8))))
            #expect(!text.contains(KeysFixtures.passphrase))
            #expect(!text.contains(KeysFixtures.apiKey), "the API key shows only masked")
        }
    }

    @Test("the secret and the full API key are absent from every rendering of a verified SafeKey, alone and in a collection")
    func safeKeyRedacted() async throws {
        let key = try await SafeKey.verify(
            KeysFixtures.credentials(passphrase: KeysFixtures.passphrase),
            using: CannedInspector(KeysFixtures.cleanReport()))
        let texts =
            KeysFixtures.renderings(of: key) + KeysFixtures.renderings(of: [key])
            + KeysFixtures.renderings(of: Optional(key)) + KeysFixtures.renderings(of: ["bot": key])
        for text in texts {
            #expect(!text.contains(KeysFixtures.secret))
            #expect(!text.contains(String(KeysFixtures.secret.prefix(8))))
            #expect(!text.contains(KeysFixtures.passphrase))
            #expect(!text.contains(KeysFixtures.apiKey))
        }
        #expect(Mirror(reflecting: key).children.isEmpty)
        #expect(key.description == "SafeKey(binance, apiKey: vmPU…Eh8A, permissions: [read, spotTrade, futuresTrade], verified)")
    }

    @Test("a Secret reads as Secret(<redacted>)")
    func secretReadsRedacted() {
        let secret = Secret(KeysFixtures.secret)
        #expect("\(secret)" == "Secret(<redacted>)")
        #expect(String(reflecting: secret) == "Secret(<redacted>)")
        #expect(Mirror(reflecting: secret).children.isEmpty)
    }

    @Test("the API key shows masked as vmPU…Eh8A in Credentials and SafeKey")
    func apiKeyShowsMasked() async throws {
        let credentials = try KeysFixtures.credentials()
        let key = try await SafeKey.verify(credentials, using: CannedInspector(KeysFixtures.cleanReport()))
        #expect(credentials.maskedAPIKey == KeysFixtures.maskedAPIKey)
        #expect(key.maskedAPIKey == KeysFixtures.maskedAPIKey)
        for text in KeysFixtures.renderings(of: credentials) + KeysFixtures.renderings(of: key) {
            #expect(!text.contains(KeysFixtures.apiKey))
        }
        #expect("\(credentials)".contains(KeysFixtures.maskedAPIKey))
        #expect("\(key)".contains(KeysFixtures.maskedAPIKey))
        #expect("\(key)".contains("spotTrade"))
    }

    @Test("a short API key is masked entirely", arguments: ["", "abc", "abcdefghijk"])
    func shortKeyMaskedEntirely(apiKey: String) {
        #expect(Credentials.mask(apiKey) == String(repeating: "*", count: apiKey.count))
    }

    @Test("a 12-character API key shows its first and last four")
    func twelveCharacterKey() {
        #expect(Credentials.mask("ABCDefghWXYZ") == "ABCD…WXYZ")
    }

    @Test("the unsafe-key error of a refused key shows neither the secret nor the full API key")
    func refusalErrorIsClean() async throws {
        let report = KeyReport(exchange: "binance", permissions: [.read, .withdraw])
        let error = await #expect(throws: ExchangeError.self) {
            try await SafeKey.verify(KeysFixtures.credentials(), using: CannedInspector(report))
        }
        let texts = KeysFixtures.renderings(of: error) + [error?.localizedDescription ?? ""]
        for text in texts {
            #expect(!text.contains(KeysFixtures.secret))
            #expect(!text.contains(KeysFixtures.apiKey))
        }
    }
}

@Suite("Secret storage")
struct SecretStorageTests {
    /// Records what the release hook saw. The hook runs in `deinit`, after zeroing, before freeing.
    final class ReleaseRecorder: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [[UInt8]] = []

        var calls: [[UInt8]] {
            lock.lock()
            defer { lock.unlock() }
            return seen
        }

        func record(_ bytes: UnsafeRawBufferPointer) {
            lock.lock()
            defer { lock.unlock() }
            seen.append(Array(bytes))
        }
    }

    @Test("holds the exact UTF-8 bytes until released")
    func holdsBytes() {
        let secret = Secret("naïve-✓")
        #expect(KeysFixtures.bytes(of: secret) == Array("naïve-✓".utf8))
        #expect(secret.byteCount == "naïve-✓".utf8.count)
        #expect(Secret("").byteCount == 0)
    }

    @Test("deinit overwrites the bytes with zeros before freeing them (observed by an internal hook inside deinit)")
    func deinitZeroes() {
        let recorder = ReleaseRecorder()
        do {
            let secret = Secret(KeysFixtures.secret, onRelease: recorder.record)
            let copy = secret
            withExtendedLifetime(secret) {
                #expect(KeysFixtures.bytes(of: copy) == Array(KeysFixtures.secret.utf8))
            }
            #expect(recorder.calls.isEmpty, "a live copy keeps the storage")
            withExtendedLifetime(copy) {}
        }
        #expect(recorder.calls.count == 1)
        #expect(recorder.calls.first == [UInt8](repeating: 0, count: KeysFixtures.secret.utf8.count))
    }

    @Test("secureZero overwrites every byte of a buffer")
    func secureZeroWipes() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0xA5)
        secureZero(buffer)
        #expect(buffer.allSatisfy { $0 == 0 })
        secureZero(UnsafeMutableRawBufferPointer(start: nil, count: 0))
    }
}
