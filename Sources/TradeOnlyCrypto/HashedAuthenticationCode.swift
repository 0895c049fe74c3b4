#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The output of `HMAC<H>`: as many bytes as a digest of `H`.
///
/// A `Sequence` of bytes with constant-time `==`, `hexString` and scoped `withUnsafeBytes`.
/// Exchanges want it as hex (`code.hexString`) or Base64 (`Data(code).base64EncodedString()`).
///
/// Its `description` does not show the bytes: an authentication code is a request signature,
/// and signatures stay out of logs. Ask for `hexString` explicitly when you need them.
public struct HashedAuthenticationCode<H: HashFunction>: Hashable, Sendable, ContiguousBytes, Sequence {
    /// The code's bytes: the outer digest.
    @usableFromInline
    internal let digest: H.Digest

    @inlinable
    internal init(digest: H.Digest) {
        self.digest = digest
    }

    /// The size of the code, in bytes.
    @inlinable
    public var byteCount: Int { H.Digest.byteCount }

    /// The code as lower-case hexadecimal, two characters per byte.
    @inlinable
    public var hexString: String { digest.hexString }

    /// Calls `body` with the code's bytes.
    ///
    /// - Parameter body: A closure that reads the bytes. The pointer is valid only during the call.
    /// - Returns: What `body` returns.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try digest.withUnsafeBytes(body)
    }

    /// An iterator over the code's bytes.
    @inlinable
    public func makeIterator() -> Array<UInt8>.Iterator {
        digest.withUnsafeBytes { Array($0) }.makeIterator()
    }

    /// The number of bytes in the code.
    @inlinable
    public var underestimatedCount: Int { byteCount }

    /// Compares two codes in constant time.
    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.digest == rhs.digest
    }

    /// Feeds the code's bytes to `hasher`.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        digest.hash(into: &hasher)
    }
}

extension HashedAuthenticationCode: CustomStringConvertible {
    /// The algorithm and size, without the bytes (use `hexString` for those).
    public var description: String { "HMAC<\(H.self)> authentication code (\(byteCount) bytes)" }
}
