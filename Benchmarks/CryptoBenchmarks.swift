import TradeOnlyCrypto

/// SHA-256, SHA-512 and HMAC-SHA256 throughput and latency; Ed25519 signing and verification latency.
let cryptoBenchmarks = BenchmarkGroup(
    name: "crypto",
    benchmarks: [
        Benchmark(name: "sha256_16k", unit: "MB/s") {
            hashThroughput(SHA256.self, byteCount: 16 * 1024)
        },
        Benchmark(name: "sha512_16k", unit: "MB/s") {
            hashThroughput(SHA512.self, byteCount: 16 * 1024)
        },
        Benchmark(name: "hmac_sha256_256", unit: "ns") {
            let key = HMAC<SHA256>.PreparedKey(key: SymmetricKey(data: Array(repeating: UInt8(0x4b), count: 64)))
            let message = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            return measure {
                blackHole(key.authenticationCode(for: message))
            }.best
        },
        Benchmark(name: "ed25519_sign_256", unit: "ns") {
            let message = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            guard let key = try? Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 0x42, count: 32)) else { return .nan }
            return measure {
                blackHole(key.signature(for: message))
            }.best
        },
        Benchmark(name: "ed25519_verify_256", unit: "ns") {
            let message = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            guard let key = try? Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 0x42, count: 32)) else { return .nan }
            let signature = key.signature(for: message)
            let publicKey = key.publicKey
            return measure {
                blackHole(publicKey.isValidSignature(signature, for: message))
            }.best
        },
    ])

/// MB/s of hashing a `byteCount`-byte buffer in one call.
private func hashThroughput<H: HashFunction>(_: H.Type, byteCount: Int) -> Double {
    let buffer = (0..<byteCount).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
    let timing = buffer.withUnsafeBytes { bytes in
        measure {
            blackHole(H.hash(bufferPointer: bytes))
        }
    }
    return megabytesPerSecond(bytes: byteCount, nanosecondsPerOperation: timing.best)
}
