import TradeOnlyCrypto

/// Key material: an API secret, a passphrase or a private key.
///
/// A `Secret` never shows its value: `description`, `debugDescription` and `customMirror` are
/// redacted, so string interpolation, `print`, `dump`, `String(reflecting:)` and any array,
/// optional, dictionary, struct or error holding a `Secret` show `Secret(<redacted>)`. It is not
/// `Codable` and has no public way to read its bytes; the signers in this package read them through
/// a scoped `withUnsafeBytes`. Its storage is overwritten with zeros when the last copy is released.
///
/// What this cannot do: the `String` a secret was created from stays wherever the caller keeps it,
/// and a debugger or a memory dump can read any process's memory.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let storage: SecretStorage

    /// Copies a secret's UTF-8 bytes into zeroed-on-release storage.
    ///
    /// - Parameter value: The secret, exactly as the exchange issued it.
    public init(_ value: String) {
        self.init(value, onRelease: nil)
    }

    /// Copies a secret's UTF-8 bytes, with a hook that observes the storage after it has been zeroed
    /// and before it is freed. For tests of the zeroing only.
    init(_ value: String, onRelease: (@Sendable (UnsafeRawBufferPointer) -> Void)?) {
        var value = value
        storage = value.withUTF8 { SecretStorage(copying: UnsafeRawBufferPointer($0), onRelease: onRelease) }
    }

    /// Copies raw bytes, for readers (such as ``Credentials/file(atPath:)``) that never make a `String`
    /// of the secret.
    init(copying bytes: UnsafeRawBufferPointer) {
        storage = SecretStorage(copying: bytes, onRelease: nil)
    }

    /// The number of bytes in the secret.
    public var byteCount: Int { storage.byteCount }

    /// Calls `body` with the secret's bytes. For signing code in this package only.
    ///
    /// The pointer is valid only inside `body`; do not copy the bytes anywhere that outlives it.
    ///
    /// - Parameter body: A closure that reads the bytes.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    /// Always `Secret(<redacted>)`.
    public var description: String { "Secret(<redacted>)" }

    /// Always `Secret(<redacted>)`.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and reflection show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The bytes of a ``Secret``: allocated once, never changed, zeroed and freed in `deinit`.
///
/// `@unchecked Sendable`: the buffer is written only in `init` and `deinit`, when no other reference
/// exists; between the two it is only read. Immutable shared state is safe to share across tasks.
final class SecretStorage: @unchecked Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let bytes: UnsafeMutableRawBufferPointer
    private let onRelease: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    init(copying source: UnsafeRawBufferPointer, onRelease: (@Sendable (UnsafeRawBufferPointer) -> Void)?) {
        // At least one byte, so the buffer always has a base address to zero and free.
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 1)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        if !source.isEmpty {
            bytes.copyMemory(from: source)
        }
        byteCount = source.count
        self.onRelease = onRelease
    }

    let byteCount: Int

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount]))
    }

    deinit {
        secureZero(bytes)
        onRelease?(UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount]))
        bytes.deallocate()
    }

    var description: String { "SecretStorage(<redacted>)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
