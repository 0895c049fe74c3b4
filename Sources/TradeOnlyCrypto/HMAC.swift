#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A keyed-hash message authentication code (HMAC, RFC 2104) over the hash function `H`.
///
/// One-shot:
///
/// ```swift
/// let key = SymmetricKey(data: Array(secret.utf8))
/// let signature = HMAC<SHA256>.authenticationCode(for: payload.utf8, using: key).hexString
/// ```
///
/// Signers that sign many messages with one key should prepare it once with
/// `HMAC.PreparedKey`, which all the entry points here use internally.
///
/// Incremental:
///
/// ```swift
/// var hmac = HMAC<SHA512>(key: key)
/// hmac.update(data: part1)
/// hmac.update(data: part2)
/// let code = hmac.finalize()
/// ```
public struct HMAC<H: HashFunction>: Sendable {
    /// The key type HMAC takes.
    public typealias Key = SymmetricKey

    /// The authentication code type HMAC produces.
    public typealias MAC = HashedAuthenticationCode<H>

    /// The prepared key: the outer state to finish with.
    @usableFromInline
    internal let preparedKey: PreparedKey

    /// The inner hash, fed with the message so far.
    @usableFromInline
    internal var inner: H

    /// Starts an incremental HMAC with `key`.
    ///
    /// - Parameter key: The secret key. Keys longer than `H.blockByteCount` are hashed first.
    @inlinable
    public init(key: SymmetricKey) {
        self.init(preparedKey: PreparedKey(key: key))
    }

    /// Starts an incremental HMAC with a key prepared earlier, without re-hashing the key.
    ///
    /// - Parameter preparedKey: The prepared key.
    @inlinable
    public init(preparedKey: PreparedKey) {
        self.preparedKey = preparedKey
        inner = preparedKey.initialInnerState
    }

    /// Feeds contiguous bytes to the HMAC.
    ///
    /// - Parameter bufferPointer: The bytes to authenticate. They are not retained.
    @inlinable
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: bufferPointer)
    }

    /// Feeds bytes to the HMAC.
    ///
    /// - Parameter data: Bytes such as `Data`, `[UInt8]` or a slice of either.
    @inlinable
    public mutating func update(data: some DataProtocol) {
        inner.update(data: data)
    }

    /// Feeds a sequence of bytes to the HMAC, such as a string's `utf8` view.
    ///
    /// - Parameter data: The bytes to authenticate.
    @inlinable
    public mutating func update(data: some Sequence<UInt8>) {
        inner.update(data: data)
    }

    /// Returns the authentication code of everything fed so far, leaving the HMAC unchanged.
    @inlinable
    public func finalize() -> HashedAuthenticationCode<H> {
        preparedKey.finish(inner)
    }

    /// Computes the authentication code of `data` under `key`.
    ///
    /// - Parameters:
    ///   - data: Bytes such as `Data`, `[UInt8]` or a slice of either.
    ///   - key: The secret key.
    /// - Returns: The authentication code.
    @inlinable
    public static func authenticationCode(for data: some DataProtocol, using key: SymmetricKey) -> HashedAuthenticationCode<H> {
        PreparedKey(key: key).authenticationCode(for: data)
    }

    /// Computes the authentication code of a byte sequence under `key`.
    ///
    /// - Parameters:
    ///   - data: The bytes, for example the `utf8` view of the string to sign.
    ///   - key: The secret key.
    /// - Returns: The authentication code.
    @inlinable
    public static func authenticationCode(for data: some Sequence<UInt8>, using key: SymmetricKey) -> HashedAuthenticationCode<H> {
        PreparedKey(key: key).authenticationCode(for: data)
    }

    /// Computes the authentication code of contiguous bytes under `key`.
    ///
    /// - Parameters:
    ///   - bufferPointer: The bytes to authenticate.
    ///   - key: The secret key.
    /// - Returns: The authentication code.
    @inlinable
    public static func authenticationCode(bufferPointer: UnsafeRawBufferPointer, using key: SymmetricKey) -> HashedAuthenticationCode<H> {
        PreparedKey(key: key).authenticationCode(bufferPointer: bufferPointer)
    }

    /// Checks, in constant time, that `authenticationCode` is the code of `data` under `key`.
    ///
    /// - Parameters:
    ///   - authenticationCode: The code to check, such as a `HashedAuthenticationCode` or
    ///     received bytes. A code of the wrong length is rejected.
    ///   - data: The bytes it claims to authenticate.
    ///   - key: The secret key.
    /// - Returns: `true` if the code is valid.
    @inlinable
    public static func isValidAuthenticationCode(
        _ authenticationCode: some ContiguousBytes,
        authenticating data: some DataProtocol,
        using key: SymmetricKey
    ) -> Bool {
        PreparedKey(key: key).isValidAuthenticationCode(authenticationCode, authenticating: data)
    }

    /// Checks, in constant time, that `authenticationCode` is the code of a byte sequence under `key`.
    ///
    /// - Parameters:
    ///   - authenticationCode: The code to check. A code of the wrong length is rejected.
    ///   - data: The bytes it claims to authenticate, for example a string's `utf8` view.
    ///   - key: The secret key.
    /// - Returns: `true` if the code is valid.
    @inlinable
    public static func isValidAuthenticationCode(
        _ authenticationCode: some ContiguousBytes,
        authenticating data: some Sequence<UInt8>,
        using key: SymmetricKey
    ) -> Bool {
        PreparedKey(key: key).isValidAuthenticationCode(authenticationCode, authenticating: data)
    }
}

extension HMAC: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A redacted description: the state of an HMAC is derived from its key.
    public var description: String { "HMAC<\(H.self)>(redacted)" }

    /// A redacted description: the state of an HMAC is derived from its key.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` shows nothing of the key-derived state.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
