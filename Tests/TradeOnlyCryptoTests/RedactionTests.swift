import Foundation
import Testing
import TradeOnlyCrypto

@Suite("Redaction of key material")
struct RedactionTests {
    /// A key whose bytes are easy to spot in any rendering: raw text, hex or decimal bytes.
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    /// Everything a log line or a debugger could show for `value`.
    static func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", String(describing: value), String(reflecting: value), dumped]
    }

    /// Asserts that no rendering contains the secret as text, hex or a byte list.
    static func expectRedacted(_ value: Any, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(secret.utf8)
        let forbidden =
            [secret, String(secret.prefix(8)), bytes.hexString, String(bytes.hexString.prefix(16)), "\(bytes.prefix(4))"]
            + ["78, 104, 113, 80"] // "Nhq P" as decimal bytes, as an Array's description would show them
        for rendering in renderings(of: value) {
            for needle in forbidden {
                #expect(!rendering.contains(needle), "leaked \(needle) in \(rendering)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("SymmetricKey shows only its size in descriptions, reflection and dump")
    func symmetricKey() {
        let key = SymmetricKey(data: Array(Self.secret.utf8))
        #expect("\(key)" == "SymmetricKey(512 bits, redacted)")
        #expect(String(reflecting: key) == "SymmetricKey(512 bits, redacted)")
        #expect(Mirror(reflecting: key).children.isEmpty)
        Self.expectRedacted(key)
    }

    @Test("SymmetricKey stays redacted inside arrays, optionals, dictionaries and tuples")
    func symmetricKeyInContainers() {
        let key = SymmetricKey(data: Array(Self.secret.utf8))
        let optional: SymmetricKey? = key
        Self.expectRedacted([key, key])
        Self.expectRedacted(optional as Any)
        Self.expectRedacted(["binance": key])
        Self.expectRedacted((name: "binance", key: key))
    }

    @Test("prepared keys and HMAC states are redacted too")
    func derivedState() {
        let key = SymmetricKey(data: Array(Self.secret.utf8))
        let prepared = HMAC<SHA256>.PreparedKey(key: key)
        var hmac = HMAC<SHA512>(key: key)
        hmac.update(data: "payload".utf8)
        #expect("\(prepared)" == "HMAC<SHA256>.PreparedKey(redacted)")
        #expect("\(hmac)" == "HMAC<SHA512>(redacted)")
        Self.expectRedacted(prepared)
        Self.expectRedacted([hmac])
    }

    @Test("keys compare in constant time by their bytes and report their size")
    func keyEquality() {
        let key = SymmetricKey(data: Array(Self.secret.utf8))
        #expect(key == SymmetricKey(data: Data(Self.secret.utf8)))
        #expect(key != SymmetricKey(data: Array(Self.secret.utf8.dropLast())))
        #expect(key.bitCount == 512)
        #expect(key.withUnsafeBytes { Array($0) } == Array(Self.secret.utf8))
        #expect(SymmetricKey(size: .bits256).bitCount == 256)
        #expect(SymmetricKey(size: .bits256) != SymmetricKey(size: .bits256))
        #expect(SymmetricKey(data: [UInt8]()).bitCount == 0)
    }
}
