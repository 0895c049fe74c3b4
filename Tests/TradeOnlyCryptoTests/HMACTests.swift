import Foundation
import Testing
import TradeOnlyCrypto

/// An RFC 4231 test case: key and data in hex, the expected HMAC-SHA-256 and HMAC-SHA-512.
struct RFC4231Vector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let keyHex: String
    let dataHex: String
    let sha256: String
    let sha512: String
    /// Set when the RFC gives only the leading bytes (test case 5: 16 bytes).
    let truncatedByteCount: Int?

    var testDescription: String { name }
}

@Suite("HMAC")
struct HMACTests {
    @Test("computes the RFC 4231 test cases 1 to 7", arguments: try loadVectors("hmac-rfc4231", as: [RFC4231Vector].self))
    func rfc4231(_ vector: RFC4231Vector) throws {
        let key = SymmetricKey(data: try #require([UInt8](hexString: vector.keyHex)))
        let data = try #require([UInt8](hexString: vector.dataHex))
        let hexDigits = (vector.truncatedByteCount ?? 64) * 2
        let sha256 = HMAC<SHA256>.authenticationCode(for: data, using: key).hexString
        let sha512 = HMAC<SHA512>.authenticationCode(for: data, using: key).hexString
        #expect(String(sha256.prefix(hexDigits)) == vector.sha256)
        #expect(String(sha512.prefix(hexDigits)) == vector.sha512)
    }

    @Test("a prepared key gives the same codes as the one-shot API, message after message")
    func preparedKeyEqualsOneShot() {
        var random = SeededGenerator(seed: 0x5eed_0002)
        for keyLength in [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200] {
            let key = SymmetricKey(data: random.bytes(keyLength))
            let prepared256 = HMAC<SHA256>.PreparedKey(key: key)
            let prepared512 = HMAC<SHA512>.PreparedKey(key: key)
            for _ in 0..<5 {
                let message = random.bytes(Int.random(in: 0...300, using: &random))
                #expect(prepared256.authenticationCode(for: message) == HMAC<SHA256>.authenticationCode(for: message, using: key))
                #expect(prepared512.authenticationCode(for: message) == HMAC<SHA512>.authenticationCode(for: message, using: key))
                #expect(HMAC<SHA256>(preparedKey: prepared256).finalizing(message) == prepared256.authenticationCode(for: message))
            }
        }
    }

    @Test("incremental updates give the same code as one call")
    func incrementalEqualsOneShot() {
        var random = SeededGenerator(seed: 0x5eed_0003)
        let key = SymmetricKey(data: random.bytes(40))
        let message = random.bytes(1000)
        var hmac = HMAC<SHA512>(key: key)
        var start = 0
        while start < message.count {
            let end = min(message.count, start + Int.random(in: 1...97, using: &random))
            hmac.update(data: message[start..<end])
            start = end
        }
        #expect(hmac.finalize() == HMAC<SHA512>.authenticationCode(for: message, using: key))
        #expect(hmac.finalize() == hmac.finalize())
    }

    @Test("accepts a valid code and rejects it after any one-bit change")
    func validation() {
        let key = SymmetricKey(data: Array("bybit-test-secret".utf8))
        let message = "GET/realtime1662350400000"
        let code = HMAC<SHA256>.authenticationCode(for: message.utf8, using: key)
        #expect(HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: message.utf8, using: key))
        #expect(HMAC<SHA256>.isValidAuthenticationCode(Array(code), authenticating: Data(message.utf8), using: key))
        for bit in 0..<(code.byteCount * 8) {
            var tampered = Array(code)
            tampered[bit / 8] ^= 1 << (bit % 8)
            #expect(!HMAC<SHA256>.isValidAuthenticationCode(tampered, authenticating: message.utf8, using: key))
        }
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(Array(code).dropLast(), authenticating: message.utf8, using: key))
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: (message + " ").utf8, using: key))
        let prepared = HMAC<SHA256>.PreparedKey(key: key)
        #expect(prepared.isValidAuthenticationCode(code, authenticating: message.utf8))
        #expect(!prepared.isValidAuthenticationCode(code, authenticating: Data("GET/realtime".utf8)))
    }

    @Test("hashes keys longer than the block size first, as RFC 2104 requires", arguments: [65, 128, 129, 1000])
    func longKeys(length: Int) {
        let long = [UInt8](repeating: 0xa5, count: length)
        let message = Array("message".utf8)
        let hashed256 = SymmetricKey(data: Array(SHA256.hash(data: long)))
        let hashed512 = SymmetricKey(data: Array(SHA512.hash(data: long)))
        if length > SHA256.blockByteCount {
            #expect(
                HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: long))
                    == HMAC<SHA256>.authenticationCode(for: message, using: hashed256))
        }
        if length > SHA512.blockByteCount {
            #expect(
                HMAC<SHA512>.authenticationCode(for: message, using: SymmetricKey(data: long))
                    == HMAC<SHA512>.authenticationCode(for: message, using: hashed512))
        } else {
            #expect(
                HMAC<SHA512>.authenticationCode(for: message, using: SymmetricKey(data: long))
                    != HMAC<SHA512>.authenticationCode(for: message, using: hashed512))
        }
    }

    @Test("authentication codes are byte sequences with hex, sizes and constant-time equality")
    func codeShape() {
        let key = SymmetricKey(data: Array("key".utf8))
        let code = HMAC<SHA512>.authenticationCode(for: "abc".utf8, using: key)
        #expect(code.byteCount == 64)
        #expect(Array(code).count == 64)
        #expect(Data(code).hexString == code.hexString)
        #expect(code == HMAC<SHA512>.authenticationCode(for: Data("abc".utf8), using: key))
        #expect(Set([code, code]).count == 1)
        #expect(code.description == "HMAC<SHA512> authentication code (64 bytes)")
        #expect(!code.description.contains(code.hexString.prefix(8)))
    }
}

extension HMAC {
    /// Feeds `message` to a copy of this HMAC and finalizes it.
    fileprivate func finalizing(_ message: [UInt8]) -> HashedAuthenticationCode<H> {
        var copy = self
        copy.update(data: message)
        return copy.finalize()
    }
}
