#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension HMAC {
    /// An HMAC key with its inner and outer padded blocks already hashed, for signing many
    /// messages with one secret.
    ///
    /// HMAC hashes `key ⊕ ipad` before the message and `key ⊕ opad` before the inner digest.
    /// Both are the same for every message, so a prepared key hashes them once and each
    /// code then starts from copies of those two states: for HMAC-SHA256 that saves two of
    /// the six block compressions a 256-byte message needs. Keys longer than the block size
    /// are hashed first (RFC 2104).
    ///
    /// ```swift
    /// let signer = HMAC<SHA256>.PreparedKey(key: SymmetricKey(data: Array(secret.utf8)))
    /// for payload in payloads {
    ///     let signature = signer.authenticationCode(for: payload.utf8).hexString
    /// }
    /// ```
    ///
    /// The precomputed states are as sensitive as the key (they are enough to forge codes):
    /// they live in storage that is zeroed on release, and the descriptions are redacted.
    /// A prepared key is immutable and safe to share across tasks.
    public struct PreparedKey: Sendable {
        /// The precomputed states, zeroed on release.
        @usableFromInline
        internal let schedule: HMACKeySchedule<H>

        /// Prepares `key` for HMAC over `H`.
        ///
        /// - Parameter key: The secret key. Keys longer than `H.blockByteCount` are hashed first.
        public init(key: SymmetricKey) {
            schedule = key.withUnsafeBytes { HMACKeySchedule(key: $0) }
        }

        /// The inner hash state after `key ⊕ ipad`.
        @inlinable
        internal var initialInnerState: H { schedule.pads.pointee.inner }

        /// Finishes an HMAC: the outer hash over the inner digest.
        @inlinable
        internal func finish(_ inner: H) -> HashedAuthenticationCode<H> {
            let innerDigest = inner.finalize()
            var outer = schedule.pads.pointee.outer
            innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
            return HashedAuthenticationCode(digest: outer.finalize())
        }

        /// Computes the authentication code of contiguous bytes.
        ///
        /// - Parameter bufferPointer: The bytes to authenticate.
        /// - Returns: The authentication code.
        @inlinable
        public func authenticationCode(bufferPointer: UnsafeRawBufferPointer) -> HashedAuthenticationCode<H> {
            var inner = initialInnerState
            inner.update(bufferPointer: bufferPointer)
            return finish(inner)
        }

        /// Computes the authentication code of `data`.
        ///
        /// - Parameter data: Bytes such as `Data`, `[UInt8]` or a slice of either.
        /// - Returns: The authentication code.
        @inlinable
        public func authenticationCode(for data: some DataProtocol) -> HashedAuthenticationCode<H> {
            var inner = initialInnerState
            inner.update(data: data)
            return finish(inner)
        }

        /// Computes the authentication code of a byte sequence, such as a string's `utf8` view.
        ///
        /// - Parameter data: The bytes to authenticate.
        /// - Returns: The authentication code.
        @inlinable
        public func authenticationCode(for data: some Sequence<UInt8>) -> HashedAuthenticationCode<H> {
            var inner = initialInnerState
            inner.update(data: data)
            return finish(inner)
        }

        /// Checks, in constant time, that `authenticationCode` is the code of `data`.
        ///
        /// - Parameters:
        ///   - authenticationCode: The code to check. A code of the wrong length is rejected.
        ///   - data: The bytes it claims to authenticate.
        /// - Returns: `true` if the code is valid.
        @inlinable
        public func isValidAuthenticationCode(
            _ authenticationCode: some ContiguousBytes,
            authenticating data: some DataProtocol
        ) -> Bool {
            constantTimeEquals(self.authenticationCode(for: data), authenticationCode)
        }

        /// Checks, in constant time, that `authenticationCode` is the code of a byte sequence.
        ///
        /// - Parameters:
        ///   - authenticationCode: The code to check. A code of the wrong length is rejected.
        ///   - data: The bytes it claims to authenticate, for example a string's `utf8` view.
        /// - Returns: `true` if the code is valid.
        @inlinable
        public func isValidAuthenticationCode(
            _ authenticationCode: some ContiguousBytes,
            authenticating data: some Sequence<UInt8>
        ) -> Bool {
            constantTimeEquals(self.authenticationCode(for: data), authenticationCode)
        }
    }
}

extension HMAC.PreparedKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A redacted description.
    public var description: String { "HMAC<\(H.self)>.PreparedKey(redacted)" }

    /// A redacted description.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` shows nothing of the key-derived states.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The two HMAC states derived from a key: after hashing `key ⊕ ipad` and `key ⊕ opad`.
@usableFromInline
internal struct HMACPads<H: HashFunction>: Sendable {
    @usableFromInline var inner: H
    @usableFromInline var outer: H
}

/// Heap storage for `HMACPads`, zeroed on release.
///
/// `@unchecked Sendable`: the pads are written once, in `init`, and only read (copied out)
/// afterwards until `deinit` destroys and zeroes them, so no thread ever sees a mutation.
@usableFromInline
internal final class HMACKeySchedule<H: HashFunction>: @unchecked Sendable {
    /// The pads, allocated by hand so `deinit` can zero their bytes after destroying them.
    @usableFromInline
    internal let pads: UnsafeMutablePointer<HMACPads<H>>

    /// Derives the pads from raw key bytes (RFC 2104, section 2).
    internal init(key: UnsafeRawBufferPointer) {
        let blockSize = H.blockByteCount
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 0)
        defer {
            secureZero(block)
            block.deallocate()
        }
        if key.count > blockSize {
            H.hash(bufferPointer: key).withUnsafeBytes { digest in
                let count = min(digest.count, blockSize)
                UnsafeMutableRawBufferPointer(rebasing: block[0..<count])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: digest[0..<count]))
            }
        } else {
            UnsafeMutableRawBufferPointer(rebasing: block[0..<key.count]).copyMemory(from: key)
        }

        for index in block.indices { block[index] ^= 0x36 }
        var inner = H()
        inner.update(bufferPointer: UnsafeRawBufferPointer(block))

        for index in block.indices { block[index] ^= 0x36 ^ 0x5c }
        var outer = H()
        outer.update(bufferPointer: UnsafeRawBufferPointer(block))

        pads = UnsafeMutablePointer<HMACPads<H>>.allocate(capacity: 1)
        pads.initialize(to: HMACPads(inner: inner, outer: outer))
    }

    deinit {
        pads.deinitialize(count: 1)
        secureZero(UnsafeMutableRawBufferPointer(start: pads, count: MemoryLayout<HMACPads<H>>.size))
        pads.deallocate()
    }
}
