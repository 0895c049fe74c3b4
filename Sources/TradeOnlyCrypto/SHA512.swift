/// The SHA-512 hash function (FIPS 180-4).
///
/// ```swift
/// let digest = SHA512.hash(data: "abc".utf8)
/// digest.hexString   // "ddaf35a193617aba…a54ca49f", 128 hex digits
/// ```
public struct SHA512: HashFunction {
    /// The digest type of SHA-512.
    public typealias Digest = SHA512Digest

    /// The SHA-512 block size: 128 bytes.
    public static var blockByteCount: Int { 128 }

    /// The state: chaining value plus any partial block.
    private var engine = MerkleDamgard<Compressor>()

    /// Creates a hasher in its initial state.
    public init() {}

    /// Feeds contiguous bytes to the hasher.
    ///
    /// - Parameter bufferPointer: The bytes to hash. They are not retained.
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        engine.update(bufferPointer)
    }

    /// Returns the digest of everything fed so far, leaving the hasher unchanged.
    public func finalize() -> SHA512Digest {
        var digest = SHA512Digest()
        withUnsafeMutableBytes(of: &digest.storage) { engine.finalize(into: $0) }
        return digest
    }
}

/// A SHA-512 digest: 64 bytes.
///
/// A `Sequence` of bytes with constant-time `==`, `hexString` and scoped `withUnsafeBytes`.
public struct SHA512Digest: Digest {
    /// The digest bytes, in order.
    internal var storage:
        (
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
        ) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// The size of a SHA-512 digest: 64 bytes.
    public static var byteCount: Int { 64 }

    internal init() {}

    /// Calls `body` with the digest's bytes.
    ///
    /// - Parameter body: A closure that reads the bytes. The pointer is valid only during the call.
    /// - Returns: What `body` returns.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }

    /// `SHA512 digest: ` followed by the digest in hex.
    public var description: String { "SHA512 digest: \(hexString)" }
}
