#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Ed25519 signatures (RFC 8032, pure Ed25519: the message is signed as is, not pre-hashed).
///
/// ```swift
/// let key = try Ed25519.PrivateKey(rawRepresentation: seed)        // 32-byte seed
/// let signature = key.signature(for: payload.utf8)                  // 64 bytes
/// key.publicKey.isValidSignature(signature, for: payload.utf8)      // true
/// ```
///
/// Binance's recommended API keys are Ed25519: sign the exact query string and send the
/// signature in Base64 (percent-encoded).
public enum Ed25519 {}

extension Ed25519 {
    /// An Ed25519 private key: a 32-byte seed and the values derived from it.
    ///
    /// The seed and the derived secret scalar live in storage that is zeroed on release.
    /// There is no property that returns them; `description`, `debugDescription` and the
    /// reflection mirror are redacted. The key is immutable and safe to share across tasks.
    public struct PrivateKey: Sendable {
        /// Seed (bytes 0..<32), clamped scalar a (32..<64) and nonce prefix (64..<96).
        private let storage: SecureBytes

        /// The matching public key.
        public let publicKey: PublicKey

        /// Creates a private key from its 32-byte seed (the RFC 8032 "private key").
        ///
        /// - Parameter rawRepresentation: The 32-byte seed.
        /// - Throws: `CryptoError.incorrectKeySize` if it is not 32 bytes.
        public init(rawRepresentation: some ContiguousBytes) throws {
            let storage = try rawRepresentation.withUnsafeBytes { seed in
                guard seed.count == 32 else { throw CryptoError.incorrectKeySize }
                return PrivateKey.expand(seed: seed)
            }
            self.init(storage: storage)
        }

        /// Creates a new random private key from the system's secure random generator.
        public init() {
            var generator = SystemRandomNumberGenerator()
            let seed = SecureBytes(count: 32) { bytes in
                for index in bytes.indices { bytes[index] = generator.next() }
            }
            self.init(storage: PrivateKey.expand(seed: UnsafeRawBufferPointer(seed.bytes)))
        }

        private init(storage: SecureBytes) {
            self.storage = storage
            let scalar = Scalar(bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage.bytes)[32..<64]))
            let point = EdwardsPoint.baseMultiple(scalar)
            publicKey = PublicKey(point: point, encoded: point.encoded())
        }

        /// Hashes the seed and splits the digest into the clamped scalar and the nonce prefix
        /// (RFC 8032, section 5.1.5).
        private static func expand(seed: UnsafeRawBufferPointer) -> SecureBytes {
            SecureBytes(count: 96) { bytes in
                UnsafeMutableRawBufferPointer(rebasing: bytes[0..<32]).copyMemory(from: seed)
                var digest = SHA512.hash(bufferPointer: seed)
                withUnsafeMutableBytes(of: &digest.storage) { hash in
                    UnsafeMutableRawBufferPointer(rebasing: bytes[32..<96]).copyMemory(from: UnsafeRawBufferPointer(hash))
                    secureZero(hash)
                }
                bytes[32] &= 248
                bytes[63] &= 127
                bytes[63] |= 64
            }
        }

        /// Signs `data`.
        ///
        /// Ed25519 signatures are deterministic: the same key and message always give the
        /// same signature.
        ///
        /// - Parameter data: The exact bytes to sign, such as `Data` or `[UInt8]`.
        /// - Returns: The 64-byte signature (R ‖ S).
        public func signature(for data: some DataProtocol) -> Data {
            sign { hasher in hasher.update(data: data) }
        }

        /// Signs a byte sequence, such as the `utf8` view of a query string.
        ///
        /// - Parameter data: The exact bytes to sign.
        /// - Returns: The 64-byte signature (R ‖ S).
        public func signature(for data: some Sequence<UInt8>) -> Data {
            if let signature = data.withContiguousStorageIfAvailable({ bytes in
                sign { hasher in hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes)) }
            }) {
                return signature
            }
            return signature(for: Array(data))
        }

        /// RFC 8032, section 5.1.6. `feed` adds the message to a hasher; it is called twice.
        private func sign(feeding feed: (inout SHA512) -> Void) -> Data {
            let secret = UnsafeRawBufferPointer(storage.bytes)
            let scalar = Scalar(bytes: UnsafeRawBufferPointer(rebasing: secret[32..<64]))

            // r = SHA-512(prefix ‖ M) mod L; R = [r]B.
            var nonceHasher = SHA512()
            nonceHasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: secret[64..<96]))
            feed(&nonceHasher)
            let nonce = nonceHasher.finalize().withUnsafeBytes { Scalar.reducing(wide: $0) }
            let commitment = EdwardsPoint.baseMultiple(nonce).encoded()

            // k = SHA-512(R ‖ A ‖ M) mod L; S = (r + k·a) mod L.
            var challengeHasher = SHA512()
            Swift.withUnsafeBytes(of: commitment) { challengeHasher.update(bufferPointer: $0) }
            Swift.withUnsafeBytes(of: publicKey.encoded) { challengeHasher.update(bufferPointer: $0) }
            feed(&challengeHasher)
            let challenge = challengeHasher.finalize().withUnsafeBytes { Scalar.reducing(wide: $0) }
            let response = Scalar.multiplyAdd(challenge, scalar, nonce)

            var signature = Data(capacity: 64)
            Swift.withUnsafeBytes(of: commitment) { signature.append(contentsOf: $0) }
            Swift.withUnsafeBytes(of: response.encoded) { signature.append(contentsOf: $0) }
            return signature
        }
    }
}

extension Ed25519.PrivateKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A redacted description.
    public var description: String { "Ed25519.PrivateKey(redacted)" }

    /// A redacted description.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` shows nothing of the key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Ed25519 {
    /// An Ed25519 public key: a 32-byte encoded point.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        /// The decoded point, ready for verification.
        internal let point: EdwardsPoint

        /// The 32-byte encoding.
        internal let encoded: (UInt64, UInt64, UInt64, UInt64)

        internal init(point: EdwardsPoint, encoded: (UInt64, UInt64, UInt64, UInt64)) {
            self.point = point
            self.encoded = encoded
        }

        /// Creates a public key from its 32-byte encoding.
        ///
        /// - Parameter rawRepresentation: The 32-byte encoded point.
        /// - Throws: `CryptoError.incorrectKeySize` if it is not 32 bytes, and
        ///   `CryptoError.invalidPublicKey` if the bytes are not a canonical point encoding.
        public init(rawRepresentation: some ContiguousBytes) throws {
            let decoded = try rawRepresentation.withUnsafeBytes { bytes -> (EdwardsPoint, (UInt64, UInt64, UInt64, UInt64)) in
                guard bytes.count == 32 else { throw CryptoError.incorrectKeySize }
                guard let point = EdwardsPoint(encoded: bytes) else { throw CryptoError.invalidPublicKey }
                return (
                    point,
                    (
                        bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                        bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                        bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                        bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    )
                )
            }
            self.init(point: decoded.0, encoded: decoded.1)
        }

        /// The 32-byte encoding of the key.
        public var rawRepresentation: Data {
            Swift.withUnsafeBytes(of: encoded) { Data($0) }
        }

        /// Checks an Ed25519 signature over `data` (RFC 8032, section 5.1.7).
        ///
        /// Rejects signatures that are not 64 bytes, whose R is not a canonical point
        /// encoding, or whose S is not below the group order (no malleable signatures).
        ///
        /// - Parameters:
        ///   - signature: The 64-byte signature.
        ///   - data: The signed bytes.
        /// - Returns: `true` if the signature is valid for this key and message.
        public func isValidSignature(_ signature: some DataProtocol, for data: some DataProtocol) -> Bool {
            verify(signature) { hasher in hasher.update(data: data) }
        }

        /// Checks an Ed25519 signature over a byte sequence, such as a string's `utf8` view.
        ///
        /// - Parameters:
        ///   - signature: The 64-byte signature.
        ///   - data: The signed bytes.
        /// - Returns: `true` if the signature is valid for this key and message.
        public func isValidSignature(_ signature: some DataProtocol, for data: some Sequence<UInt8>) -> Bool {
            verify(signature) { hasher in hasher.update(data: data) }
        }

        /// Verification proper; `feed` adds the message to the hasher (once).
        private func verify(_ signature: some DataProtocol, feeding feed: (inout SHA512) -> Void) -> Bool {
            guard signature.count == 64 else { return false }
            let bytes = Array(signature)
            return bytes.withUnsafeBytes { signature in
                let commitmentBytes = UnsafeRawBufferPointer(rebasing: signature[0..<32])
                let response = Scalar(bytes: UnsafeRawBufferPointer(rebasing: signature[32..<64]))
                guard response.isCanonical, EdwardsPoint(encoded: commitmentBytes) != nil else { return false }

                var hasher = SHA512()
                hasher.update(bufferPointer: commitmentBytes)
                Swift.withUnsafeBytes(of: encoded) { hasher.update(bufferPointer: $0) }
                feed(&hasher)
                let challenge = hasher.finalize().withUnsafeBytes { Scalar.reducing(wide: $0) }

                // [S]B - [k]A must equal R.
                let check = EdwardsPoint.baseMultiple(response) + point.negated.multiplied(byPublic: challenge)
                return Swift.withUnsafeBytes(of: check.encoded()) { computed in
                    computed.elementsEqual(commitmentBytes)
                }
            }
        }

        /// Compares keys by their encoding.
        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.encoded == rhs.encoded
        }

        /// Hashes the key's encoding.
        public func hash(into hasher: inout Hasher) {
            Swift.withUnsafeBytes(of: encoded) { hasher.combine(bytes: $0) }
        }

        /// `Ed25519.PublicKey(` followed by the key in hex and `)`; public keys are not secret.
        public var description: String {
            "Ed25519.PublicKey(\(Swift.withUnsafeBytes(of: encoded) { Array($0) }.hexString))"
        }
    }
}
