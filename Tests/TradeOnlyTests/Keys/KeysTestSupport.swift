import Foundation
import Testing

@testable import TradeOnly

/// Fixtures and helpers shared by the tests of the Keys folder.
enum KeysFixtures {
    /// Binance's documented example key and secret (rest-api.md, "SIGNED Endpoint Examples").
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let maskedAPIKey = "vmPU…Eh8A"
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    /// A passphrase with OKX's required mix of characters.
    static let passphrase = "Pass-phrase9!"

    /// The origin the canned inspector says it asked.
    static let origin = KeyOrigin("https://exchange.example")!
    /// The clock that stands for the canned inspector's exchange value.
    static let clock = ServerClock()

    static func credentials(passphrase: String? = nil) throws -> Credentials {
        try Credentials(apiKey: apiKey, secret: Secret(secret), passphrase: passphrase.map(Secret.init))
    }

    /// A clean trade-only report: read, spot and futures, IP-bound.
    static func cleanReport(exchange: String = "binance") -> KeyReport {
        KeyReport(
            exchange: exchange, permissions: [.read, .spotTrade, .futuresTrade], isIPRestricted: true,
            ipWhitelist: ["203.0.113.7"])
    }

    /// Everything a value can be turned into text by: interpolation, `String(describing:)`,
    /// `String(reflecting:)`, `dump`.
    static func renderings<T>(of value: T) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", String(describing: value), String(reflecting: value), dumped]
    }

    /// The bytes of a secret, through the package-only accessor.
    static func bytes(of secret: Secret) -> [UInt8] {
        secret.withUnsafeBytes { Array($0) }
    }
}

/// Returns a fixed report: the canned inspector of the SafeKey tests that judge reports.
///
/// It stands in for an exchange module's own inspector: it conforms to the package-only
/// `BuiltInKeyInspector`, which only code in this package (test targets included) can see.
struct CannedInspector: BuiltInKeyInspector {
    let report: KeyReport
    let timeSource: any TimeSource

    init(_ report: KeyReport, timeSource: any TimeSource = SystemTimeSource()) {
        self.report = report
        self.timeSource = timeSource
    }

    func inspect(_ credentials: Credentials) async throws -> KeyReport { report }

    func verificationSite() throws -> KeyProvenance {
        KeyProvenance(module: report.exchange, origin: KeysFixtures.origin, environment: "test", instance: KeysFixtures.clock)
    }
}

/// A custom inspector, as code outside the package can write one: it returns whatever report it is
/// given, and conforms to the public `KeyInspector` only.
struct CustomInspector: KeyInspector {
    let report: KeyReport

    init(_ report: KeyReport) { self.report = report }

    func inspect(_ credentials: Credentials) async throws -> KeyReport { report }
}

/// Fails the way an exchange call can fail.
struct FailingInspector: KeyInspector {
    struct Failure: Error, Equatable { let marker: String }
    let error: any Error

    func inspect(_ credentials: Credentials) async throws -> KeyReport { throw error }
}

/// A private temporary directory, deleted by `remove()`.
struct KeysTemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tradeonly-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Writes a file with the given text and mode and returns its path.
    @discardableResult
    func write(_ text: String, named name: String = "credentials", mode: Int = 0o600) throws -> String {
        try write(Data(text.utf8), named: name, mode: mode)
    }

    @discardableResult
    func write(_ data: Data, named name: String = "credentials", mode: Int = 0o600) throws -> String {
        let path = url.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
