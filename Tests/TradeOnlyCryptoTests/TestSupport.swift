import Testing
import TradeOnlyCrypto

/// A small seeded generator (SplitMix64), so randomized tests reproduce from their seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }
}

/// The hash algorithms the tests run over, by the names the vector files use.
enum Algorithm: String, Codable, Sendable, CaseIterable, CustomTestStringConvertible {
    case sha256 = "SHA256"
    case sha512 = "SHA512"

    var testDescription: String { rawValue }

    /// The digest size in bits: 256 or 512.
    var digestBitCount: Int {
        switch self {
        case .sha256: 256
        case .sha512: 512
        }
    }

    /// The `openssl dgst` option for this algorithm.
    var opensslName: String { rawValue.lowercased() }

    /// The hex digest of `bytes`.
    func hexDigest(_ bytes: [UInt8]) -> String {
        switch self {
        case .sha256: SHA256.hash(data: bytes).hexString
        case .sha512: SHA512.hash(data: bytes).hexString
        }
    }

    /// The hex HMAC of `bytes` under `key`.
    func hexHMAC(_ bytes: [UInt8], key: [UInt8]) -> String {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha256: return HMAC<SHA256>.authenticationCode(for: bytes, using: key).hexString
        case .sha512: return HMAC<SHA512>.authenticationCode(for: bytes, using: key).hexString
        }
    }
}
