#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A cryptographic hash function that can hash data incrementally or in one call.
///
/// ```swift
/// let digest = SHA256.hash(data: "abc".utf8)
///
/// var hasher = SHA512()
/// hasher.update(data: header)
/// hasher.update(data: body)
/// let bodyDigest = hasher.finalize()
/// ```
///
/// Hash functions are value types: copying a hasher copies its state, so a partly fed hasher
/// can be forked. `HMAC` relies on that to reuse a prepared key.
public protocol HashFunction: Sendable {
    /// The digest type this function produces.
    associatedtype Digest: TradeOnlyCrypto.Digest

    /// The size of a digest, in bytes.
    static var byteCount: Int { get }

    /// The size of the blocks the function compresses, in bytes (64 for SHA-256, 128 for SHA-512).
    static var blockByteCount: Int { get }

    /// Creates a hasher in its initial state.
    init()

    /// Feeds contiguous bytes to the hasher. This is the fast path every other `update` uses.
    ///
    /// - Parameter bufferPointer: The bytes to hash. They are not retained.
    mutating func update(bufferPointer: UnsafeRawBufferPointer)

    /// Returns the digest of everything fed so far.
    ///
    /// The hasher itself is not changed, so more data can still be fed and finalized again.
    func finalize() -> Digest
}

extension HashFunction {
    /// The size of a digest, in bytes.
    @inlinable
    public static var byteCount: Int { Digest.byteCount }

    /// Feeds bytes to the hasher.
    ///
    /// - Parameter data: Bytes such as `Data`, `[UInt8]` or a slice of either.
    @inlinable
    public mutating func update(data: some DataProtocol) {
        for region in data.regions {
            region.withUnsafeBytes { update(bufferPointer: $0) }
        }
    }

    /// Feeds a sequence of bytes to the hasher, such as a string's `utf8` view.
    ///
    /// Contiguous sequences (native strings, arrays) are hashed in place; others are copied
    /// through a small stack buffer.
    ///
    /// - Parameter data: The bytes to hash, for example `"GET/realtime".utf8`.
    @inlinable
    public mutating func update(data: some Sequence<UInt8>) {
        let handled: Void? = data.withContiguousStorageIfAvailable { elements in
            update(bufferPointer: UnsafeRawBufferPointer(elements))
        }
        if handled != nil { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { chunk in
            var count = 0
            for byte in data {
                chunk[count] = byte
                count += 1
                if count == chunk.count {
                    update(bufferPointer: UnsafeRawBufferPointer(chunk))
                    count = 0
                }
            }
            update(bufferPointer: UnsafeRawBufferPointer(start: chunk.baseAddress, count: count))
        }
    }

    /// Hashes contiguous bytes in one call.
    ///
    /// - Parameter bufferPointer: The bytes to hash.
    /// - Returns: Their digest.
    @inlinable
    public static func hash(bufferPointer: UnsafeRawBufferPointer) -> Digest {
        var hasher = Self()
        hasher.update(bufferPointer: bufferPointer)
        return hasher.finalize()
    }

    /// Hashes bytes in one call.
    ///
    /// - Parameter data: Bytes such as `Data`, `[UInt8]` or a slice of either.
    /// - Returns: Their digest.
    @inlinable
    public static func hash(data: some DataProtocol) -> Digest {
        var hasher = Self()
        hasher.update(data: data)
        return hasher.finalize()
    }

    /// Hashes a sequence of bytes in one call, such as a string's `utf8` view.
    ///
    /// - Parameter data: The bytes to hash, for example `"".utf8`.
    /// - Returns: Their digest.
    @inlinable
    public static func hash(data: some Sequence<UInt8>) -> Digest {
        var hasher = Self()
        hasher.update(data: data)
        return hasher.finalize()
    }
}
