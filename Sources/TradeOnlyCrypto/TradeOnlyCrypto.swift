// TradeOnlyCrypto: SHA-256, SHA-512, HMAC and constant-time helpers in pure Swift,
// with an API shaped like CryptoKit's.
