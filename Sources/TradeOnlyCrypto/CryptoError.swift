/// An error from a TradeOnlyCrypto operation, such as a key of the wrong size.
///
/// A struct with static members rather than an enum, so new cases can be added without
/// breaking callers' exhaustive switches.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A short, stable identifier for the error, such as `"incorrectKeySize"`.
    public let code: String

    /// A sentence describing the error.
    public let description: String

    private init(code: String, description: String) {
        self.code = code
        self.description = description
    }

    /// Compares errors by their code.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }

    /// Hashes the error's code.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Key material had the wrong number of bytes.
    public static let incorrectKeySize = CryptoError(
        code: "incorrectKeySize", description: "The key material has the wrong number of bytes."
    )

    /// Bytes that should encode a point on the curve (an Ed25519 public key) do not.
    public static let invalidPublicKey = CryptoError(
        code: "invalidPublicKey", description: "The bytes do not encode a valid Ed25519 public key."
    )

    /// A private key in PEM or DER form is not an unencrypted PKCS#8 Ed25519 key.
    public static let invalidKeyEncoding = CryptoError(
        code: "invalidKeyEncoding",
        description: "The key is not an unencrypted PKCS#8 Ed25519 private key in PEM or DER form."
    )
}
