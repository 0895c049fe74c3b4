import Foundation
import Testing
import TradeOnlyCrypto

/// A hash test vector: a message (UTF-8 text or hex), optionally repeated, and its digest.
struct HashVector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let algorithm: Algorithm
    let message: String?
    let messageHex: String?
    let repetitions: Int?
    let digest: String

    var testDescription: String { "\(algorithm.rawValue) \(name)" }

    /// The full message bytes.
    var bytes: [UInt8] {
        get throws {
            let unit: [UInt8]
            if let message {
                unit = Array(message.utf8)
            } else {
                unit = try #require([UInt8](hexString: messageHex ?? ""), "bad hex in \(name)")
            }
            return Array([[UInt8]](repeating: unit, count: repetitions ?? 1).joined())
        }
    }
}

@Suite("SHA-256 and SHA-512")
struct SHA2Tests {
    @Test("hashes the NIST and FIPS 180 vectors", arguments: try loadVectors("sha2", as: [HashVector].self))
    func vector(_ vector: HashVector) throws {
        #expect(vector.algorithm.hexDigest(try vector.bytes) == vector.digest)
    }

    @Test("hashes a message fed in random pieces to the same digest as in one call", arguments: Algorithm.allCases)
    func incrementalEqualsOneShot(_ algorithm: Algorithm) {
        var random = SeededGenerator(seed: 0x5eed_0001)
        for _ in 0..<40 {
            let message = random.bytes(Int.random(in: 0...700, using: &random))
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < message.count {
                let end = min(message.count, start + Int.random(in: 0...150, using: &random))
                pieces.append(message[start..<end])
                start = end
            }
            switch algorithm {
            case .sha256:
                var hasher = SHA256()
                for piece in pieces { hasher.update(data: piece) }
                #expect(hasher.finalize() == SHA256.hash(data: message))
            case .sha512:
                var hasher = SHA512()
                for piece in pieces { hasher.update(data: piece) }
                #expect(hasher.finalize() == SHA512.hash(data: message))
            }
        }
    }

    @Test("finalize leaves the hasher unchanged, so feeding can continue")
    func finalizeIsNonDestructive() {
        var hasher = SHA256()
        hasher.update(data: "ab".utf8)
        let early = hasher.finalize()
        hasher.update(data: "c".utf8)
        #expect(early == SHA256.hash(data: "ab".utf8))
        #expect(hasher.finalize() == SHA256.hash(data: "abc".utf8))
    }

    @Test("accepts Data, [UInt8], String.UTF8View, buffer pointers and non-contiguous sequences alike")
    func inputKinds() {
        let text = "The quick brown fox jumps over the lazy dog"
        let expected = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        let bytes = Array(text.utf8)
        #expect(SHA256.hash(data: bytes).hexString == expected)
        #expect(SHA256.hash(data: Data(bytes)).hexString == expected)
        #expect(SHA256.hash(data: text.utf8).hexString == expected)
        #expect(SHA256.hash(data: text.utf8.lazy.map { $0 }).hexString == expected)
        #expect(SHA256.hash(data: AnySequence(bytes)).hexString == expected)
        #expect(bytes.withUnsafeBytes { SHA256.hash(bufferPointer: $0) }.hexString == expected)
        // A non-contiguous sequence longer than the 256-byte staging buffer.
        let long = [UInt8](repeating: 0x61, count: 1000)
        #expect(SHA512.hash(data: AnySequence(long)) == SHA512.hash(data: long))
    }

    @Test("digests are byte sequences with constant sizes, hex and a readable description")
    func digestShape() {
        let digest = SHA256.hash(data: "abc".utf8)
        #expect(Array(digest).count == 32)
        #expect(SHA256.byteCount == 32 && SHA256.blockByteCount == 64)
        #expect(SHA512.byteCount == 64 && SHA512.blockByteCount == 128)
        #expect(SHA512Digest.byteCount == 64)
        #expect(Array(digest).hexString == digest.hexString)
        #expect(Data(digest).hexString == digest.hexString)
        #expect(digest.description == "SHA256 digest: \(digest.hexString)")
        #expect(SHA512.hash(data: "abc".utf8).description.hasPrefix("SHA512 digest: ddaf35a1"))
    }

    @Test("digests compare and hash by their bytes")
    func digestEquality() {
        let a = SHA256.hash(data: "a".utf8)
        let b = SHA256.hash(data: "b".utf8)
        #expect(a == SHA256.hash(data: "a".utf8))
        #expect(a != b)
        #expect(Set([a, b, SHA256.hash(data: "a".utf8)]).count == 2)
        #expect(constantTimeEquals(a, Array(a)))
    }
}
