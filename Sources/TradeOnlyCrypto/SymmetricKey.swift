#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A secret key for symmetric cryptography such as HMAC.
///
/// The bytes live in heap storage that is zeroed when the last copy of the key is released.
/// There is no property that returns them: read them only inside `withUnsafeBytes(_:)`.
/// `description`, `debugDescription` and the reflection mirror are redacted, so a key that
/// ends up in a log, a `dump` or an error message shows only its size.
///
/// ```swift
/// let key = SymmetricKey(data: Array(secret.utf8))
/// let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
/// ```
public struct SymmetricKey: ContiguousBytes, Equatable, Sendable {
    /// The key bytes, zeroed on release.
    internal let storage: SecureBytes

    /// Creates a key from a copy of the given bytes.
    ///
    /// The caller's bytes are not retained; wipe them if they are secret.
    ///
    /// - Parameter data: The key bytes, for example `[UInt8]`, `Data` or an `UnsafeRawBufferPointer`.
    public init(data: some ContiguousBytes) {
        storage = data.withUnsafeBytes { SecureBytes(copying: $0) }
    }

    /// Creates a random key of the given size, from the system's secure random generator.
    ///
    /// - Parameter size: The key size, for example `.bits256`.
    public init(size: SymmetricKeySize) {
        var generator = SystemRandomNumberGenerator()
        storage = SecureBytes(count: size.bitCount / 8) { bytes in
            for index in bytes.indices {
                bytes[index] = generator.next()
            }
        }
    }

    /// The key size, in bits.
    public var bitCount: Int { storage.bytes.count * 8 }

    /// Calls `body` with the key bytes.
    ///
    /// - Parameter body: A closure that reads the bytes. Do not let the pointer escape, and do
    ///   not copy the bytes anywhere they will outlive the key.
    /// - Returns: What `body` returns.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(storage.bytes))
    }

    /// Compares two keys in constant time.
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
        constantTimeEquals(UnsafeRawBufferPointer(lhs.storage.bytes), UnsafeRawBufferPointer(rhs.storage.bytes))
    }
}

extension SymmetricKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A redacted description that shows only the key size.
    public var description: String { "SymmetricKey(\(bitCount) bits, redacted)" }

    /// A redacted description that shows only the key size.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and debuggers show nothing of the key bytes.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The size of a random `SymmetricKey`.
public struct SymmetricKeySize: Sendable, Hashable {
    /// The size in bits, a positive multiple of 8.
    public let bitCount: Int

    /// A size in bits.
    ///
    /// - Parameter bitCount: A positive multiple of 8. Other values are rounded up to one.
    public init(bitCount: Int) {
        self.bitCount = max(8, (bitCount + 7) / 8 * 8)
    }

    /// 128 bits.
    public static let bits128 = SymmetricKeySize(bitCount: 128)
    /// 192 bits.
    public static let bits192 = SymmetricKeySize(bitCount: 192)
    /// 256 bits.
    public static let bits256 = SymmetricKeySize(bitCount: 256)
}
