/// The SHA-256 hash function (FIPS 180-4).
///
/// ```swift
/// let digest = SHA256.hash(data: "abc".utf8)
/// digest.hexString   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public struct SHA256: HashFunction {
    /// The digest type of SHA-256.
    public typealias Digest = SHA256Digest

    /// The SHA-256 block size: 64 bytes.
    public static var blockByteCount: Int { 64 }

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
    public func finalize() -> SHA256Digest {
        var digest = SHA256Digest()
        withUnsafeMutableBytes(of: &digest.storage) { engine.finalize(into: $0) }
        return digest
    }
}

/// A SHA-256 digest: 32 bytes.
///
/// A `Sequence` of bytes with constant-time `==`, `hexString` and scoped `withUnsafeBytes`.
public struct SHA256Digest: Digest {
    /// The digest bytes, in order.
    internal var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The size of a SHA-256 digest: 32 bytes.
    public static var byteCount: Int { 32 }

    internal init() {}

    /// Calls `body` with the digest's bytes.
    ///
    /// - Parameter body: A closure that reads the bytes. The pointer is valid only during the call.
    /// - Returns: What `body` returns.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }

    /// `SHA256 digest: ` followed by the digest in hex.
    public var description: String { "SHA256 digest: \(hexString)" }
}
