#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The fixed-size output of a `HashFunction`.
///
/// Digests are sequences of bytes that compare in constant time. They are not secret, so
/// their `description` shows the algorithm and the bytes in hex.
public protocol Digest: Hashable, Sendable, ContiguousBytes, Sequence, CustomStringConvertible
where Element == UInt8 {
    /// The size of the digest, in bytes.
    static var byteCount: Int { get }
}

extension Digest {
    /// The digest as lower-case hexadecimal, two characters per byte.
    public var hexString: String {
        withUnsafeBytes { Hex.encode($0) }
    }

    /// An iterator over the digest's bytes.
    public func makeIterator() -> Array<UInt8>.Iterator {
        withUnsafeBytes { Array($0) }.makeIterator()
    }

    /// The number of bytes in the digest.
    public var underestimatedCount: Int { Self.byteCount }

    /// Compares two digests in constant time.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in constantTimeEquals(left, right) }
        }
    }

    /// Feeds the digest's bytes to `hasher`.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
