// TradeOnlyCrypto: the cryptography TradeOnly signs requests with, in pure Swift.
//
// The API is shaped like CryptoKit's so that code written against one reads the same
// against the other:
//
//     let digest = SHA256.hash(data: body)                      // SHA256.Digest
//     let key = SymmetricKey(data: secretBytes)                  // zeroed on release, redacted
//     let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
//
// Signers that sign many messages with one secret prepare it once:
//
//     let signer = HMAC<SHA256>.PreparedKey(key: key)            // inner and outer pads hashed once
//     let signature = signer.authenticationCode(for: payload).hexString
//
// Contents: `HashFunction`, `SHA256`, `SHA512`, `Digest`, `SymmetricKey`, `HMAC`,
// `HashedAuthenticationCode`, `Ed25519`, `CryptoError`, `constantTimeEquals(_:_:)` and hex helpers.
// The package has no dependencies; nothing here calls into a system crypto library.
