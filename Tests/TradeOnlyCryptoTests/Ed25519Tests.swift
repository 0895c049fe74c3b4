import Foundation
import Testing
import TradeOnlyCrypto

/// An RFC 8032 Ed25519 test vector, all fields in hex.
struct Ed25519Vector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let seedHex: String
    let publicKeyHex: String
    let messageHex: String
    let signatureHex: String

    var testDescription: String { name }
}

@Suite("Ed25519")
struct Ed25519Tests {
    @Test("derives the public key and signature of the RFC 8032 tests", arguments: try loadVectors("ed25519-rfc8032", as: [Ed25519Vector].self))
    func rfc8032(_ vector: Ed25519Vector) throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: try #require([UInt8](hexString: vector.seedHex)))
        let message = try #require(Data(hexString: vector.messageHex))
        #expect(key.publicKey.rawRepresentation.hexString == vector.publicKeyHex)
        let signature = key.signature(for: message)
        #expect(signature.hexString == vector.signatureHex)

        let publicKey = try Ed25519.PublicKey(rawRepresentation: try #require([UInt8](hexString: vector.publicKeyHex)))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.isValidSignature(signature, for: message))
    }

    @Test("signs a Binance query string with the RFC 8032 TEST 1 key, as openssl pkeyutl -rawin does")
    func binanceFraming() throws {
        let seed = try #require([UInt8](hexString: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        let key = try Ed25519.PrivateKey(rawRepresentation: seed)
        let payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        let signature = key.signature(for: payload.utf8)
        #expect(
            signature.base64EncodedString()
                == "3fhuDZ9nYMviDQ5OEtJBJS11jUZDTRzRQ+TQMarm+LErFiJvUiVPQjTzDoWZQe4miPX+yHk1v/Z7TWLYjIbmCA==")
        #expect(key.signature(for: Data(payload.utf8)) == signature)
        #expect(key.signature(for: Array(payload.utf8)) == signature)
        #expect(key.signature(for: AnySequence(payload.utf8)) == signature)
        #expect(key.publicKey.isValidSignature(signature, for: payload.utf8))
    }

    @Test("rejects a signature after a change to the message, the signature or the key")
    func rejectsTampering() throws {
        var random = SeededGenerator(seed: 0xed25_5190)
        let key = try Ed25519.PrivateKey(rawRepresentation: random.bytes(32))
        let message = random.bytes(100)
        let signature = Array(key.signature(for: message))
        #expect(key.publicKey.isValidSignature(signature, for: message))

        var changedMessage = message
        changedMessage[17] ^= 0x01
        #expect(!key.publicKey.isValidSignature(signature, for: changedMessage))
        for bit in stride(from: 0, to: 512, by: 7) {
            var changed = signature
            changed[bit / 8] ^= 1 << (bit % 8)
            #expect(!key.publicKey.isValidSignature(changed, for: message), "bit \(bit)")
        }
        let otherKey = try Ed25519.PrivateKey(rawRepresentation: random.bytes(32))
        #expect(!otherKey.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: message))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message))
        #expect(!key.publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: message))
    }

    @Test("rejects a malleated signature whose S is not below the group order")
    func rejectsNonCanonicalS() throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
        let message = Array("malleability".utf8)
        let signature = Array(key.signature(for: message))
        // S + L is the same scalar modulo L; RFC 8032 requires rejecting it.
        let order: [UInt8] = try #require([UInt8](hexString: "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"))
        var s = Array(signature[32...])
        var carry = 0
        for index in 0..<32 {
            let sum = Int(s[index]) + Int(order[index]) + carry
            s[index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        try #require(carry == 0)
        #expect(!key.publicKey.isValidSignature(Array(signature[..<32]) + s, for: message))
    }

    @Test("refuses seeds and public keys of the wrong size or encoding")
    func invalidKeys() {
        #expect(throws: CryptoError.incorrectKeySize) { try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: CryptoError.incorrectKeySize) { try Ed25519.PrivateKey(rawRepresentation: Data(count: 33)) }
        #expect(throws: CryptoError.incorrectKeySize) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        // y = 2^255 - 1 is not below p: a non-canonical encoding.
        #expect(throws: CryptoError.invalidPublicKey) {
            try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 0xff, count: 31) + [0x7f])
        }
        // y = 2 has no x on the curve.
        #expect(throws: CryptoError.invalidPublicKey) {
            try Ed25519.PublicKey(rawRepresentation: [2] + [UInt8](repeating: 0, count: 31))
        }
    }

    @Test("reads PKCS#8 private keys in PEM and DER form, version 1 and 2")
    func pkcs8() throws {
        let seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
        let publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        let versionOne = try #require(Data(hexString: "302e020100300506032b657004220420" + seed))
        let pem = """
            Key for tests
            -----BEGIN PRIVATE KEY-----
            \(versionOne.base64EncodedString())
            -----END PRIVATE KEY-----

            """
        #expect(try Ed25519.PrivateKey(pemRepresentation: pem).publicKey.rawRepresentation.hexString == publicKey)
        #expect(try Ed25519.PrivateKey(derRepresentation: versionOne).publicKey.rawRepresentation.hexString == publicKey)

        let versionTwo = try #require(Data(hexString: "3051020101300506032b657004220420" + seed + "812100" + publicKey))
        #expect(try Ed25519.PrivateKey(derRepresentation: versionTwo).publicKey.rawRepresentation.hexString == publicKey)
        var mismatched = versionTwo
        mismatched[mismatched.count - 1] ^= 1
        #expect(throws: CryptoError.invalidPublicKey) { try Ed25519.PrivateKey(derRepresentation: mismatched) }

        // X25519 (OID 1.3.101.110) is a different algorithm; truncated and empty inputs are not keys.
        let x25519 = try #require(Data(hexString: "302e020100300506032b656e04220420" + seed))
        #expect(throws: CryptoError.invalidKeyEncoding) { try Ed25519.PrivateKey(derRepresentation: x25519) }
        #expect(throws: CryptoError.invalidKeyEncoding) { try Ed25519.PrivateKey(derRepresentation: versionOne.dropLast()) }
        #expect(throws: CryptoError.invalidKeyEncoding) { try Ed25519.PrivateKey(pemRepresentation: "") }
        #expect(throws: CryptoError.invalidKeyEncoding) {
            try Ed25519.PrivateKey(pemRepresentation: "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----")
        }
    }

    @Test("signs and verifies with random keys, deterministically")
    func roundTrip() {
        let key = Ed25519.PrivateKey()
        let message = Array("GET/realtime1662350400000".utf8)
        let signature = key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.signature(for: message) == signature)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(key.publicKey.rawRepresentation.count == 32)
    }

    @Test("keeps the private key out of descriptions, reflection and dump")
    func redaction() throws {
        let seed = [UInt8](repeating: 0xab, count: 32)
        let key = try Ed25519.PrivateKey(rawRepresentation: seed)
        var dumped = ""
        dump([key], to: &dumped)
        for rendering in ["\(key)", String(reflecting: key), dumped, "\(Optional(key) as Any)"] {
            #expect(!rendering.contains("abab"))
            #expect(!rendering.contains("171, 171"))
        }
        #expect("\(key)" == "Ed25519.PrivateKey(redacted)")
        #expect("\(key.publicKey)".contains(key.publicKey.rawRepresentation.hexString))
    }
}

// Skipped, with the reason shown in the test report, when `openssl` is not installed.
@Suite(
    "Ed25519 differential tests against openssl pkeyutl",
    .enabled(if: OpenSSL.isAvailable, "openssl is not installed: Ed25519 differential tests skipped")
)
struct Ed25519OpenSSLTests {
    @Test("signs random messages with random keys exactly like openssl, and verifies its signatures")
    func randomSignatures() async throws {
        var random = SeededGenerator(seed: 0x0e0d_2551)
        for _ in 0..<12 {
            let seed = random.bytes(32)
            // openssl 3.0's pkeyutl cannot sign an empty input, so messages start at 1 byte.
            let message = random.bytes(Int.random(in: 1...2_000, using: &random))
            let expected = try await OpenSSL.ed25519Signature(seed: seed, message: message)
            let key = try Ed25519.PrivateKey(rawRepresentation: seed)
            #expect(Array(key.signature(for: message)) == expected, "seed \(seed.hexString), \(message.count) bytes")
            #expect(key.publicKey.isValidSignature(expected, for: message))
        }
    }
}

extension Ed25519OpenSSLTests {
    @Test("reads a key made by openssl genpkey and signs like openssl with it")
    func opensslGeneratedKey() async throws {
        let pem = try await OpenSSL.run(["genpkey", "-algorithm", "ed25519"])
        let key = try Ed25519.PrivateKey(pemRepresentation: String(decoding: pem, as: UTF8.self))
        let message = Array("recvWindow=5000&timestamp=1499827319559".utf8)
        let directory = FileManager.default.temporaryDirectory
        let keyFile = directory.appendingPathComponent("tradeonly-ed25519-\(UUID().uuidString).pem")
        let messageFile = directory.appendingPathComponent("tradeonly-ed25519-\(UUID().uuidString).bin")
        defer {
            try? FileManager.default.removeItem(at: keyFile)
            try? FileManager.default.removeItem(at: messageFile)
        }
        try pem.write(to: keyFile)
        try Data(message).write(to: messageFile)
        let expected = try await OpenSSL.run(["pkeyutl", "-sign", "-rawin", "-inkey", keyFile.path, "-in", messageFile.path])
        #expect(key.signature(for: message) == expected)
    }
}

extension OpenSSL {
    /// Signs `message` with `openssl pkeyutl -sign -rawin`, the key given as a PKCS#8 PEM file.
    static func ed25519Signature(seed: [UInt8], message: [UInt8]) async throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory
        let keyFile = directory.appendingPathComponent("tradeonly-ed25519-\(UUID().uuidString).pem")
        let messageFile = directory.appendingPathComponent("tradeonly-ed25519-\(UUID().uuidString).bin")
        defer {
            try? FileManager.default.removeItem(at: keyFile)
            try? FileManager.default.removeItem(at: messageFile)
        }
        let der = try #require([UInt8](hexString: "302e020100300506032b657004220420")) + seed
        let pem = "-----BEGIN PRIVATE KEY-----\n\(Data(der).base64EncodedString())\n-----END PRIVATE KEY-----\n"
        try Data(pem.utf8).write(to: keyFile)
        try Data(message).write(to: messageFile)

        return Array(try await run(["pkeyutl", "-sign", "-rawin", "-inkey", keyFile.path, "-in", messageFile.path]))
    }
}
