#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Ed25519.PrivateKey {
    /// Creates a private key from a PEM file's text: an unencrypted PKCS#8 key
    /// (`-----BEGIN PRIVATE KEY-----`), as made by `openssl genpkey -algorithm ed25519` and
    /// by Binance's key generator.
    ///
    /// - Parameter pemRepresentation: The PEM text. Text around the block is ignored.
    /// - Throws: `CryptoError.invalidKeyEncoding` if there is no such block or it does not
    ///   hold an Ed25519 key; `CryptoError.invalidPublicKey` if an embedded public key does
    ///   not match the private key.
    public init(pemRepresentation: String) throws {
        let header = "-----BEGIN PRIVATE KEY-----"
        let footer = "-----END PRIVATE KEY-----"
        guard let start = pemRepresentation.firstRange(of: header),
            let end = pemRepresentation[start.upperBound...].firstRange(of: footer)
        else { throw CryptoError.invalidKeyEncoding }
        let base64 = pemRepresentation[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard var der = Data(base64Encoded: String(base64)) else { throw CryptoError.invalidKeyEncoding }
        defer { der.withUnsafeMutableBytes { secureZero($0) } }
        try self.init(derRepresentation: der)
    }

    /// Creates a private key from DER bytes: an unencrypted PKCS#8 Ed25519 key (RFC 8410),
    /// either version 1 (seed only, what OpenSSL writes) or version 2 (seed and public key).
    ///
    /// - Parameter derRepresentation: The DER bytes.
    /// - Throws: `CryptoError.invalidKeyEncoding` if they are not such a key;
    ///   `CryptoError.invalidPublicKey` if an embedded public key does not match.
    public init(derRepresentation: some DataProtocol) throws {
        var der = Array(derRepresentation)
        defer { der.withUnsafeMutableBytes { secureZero($0) } }
        // SEQUENCE { INTEGER version, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } ... }
        let algorithmAndSeedHeader: [UInt8] = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
        let versionOne: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00]
        let versionTwo: [UInt8] = [0x30, 0x51, 0x02, 0x01, 0x01]
        let publicKeyHeader: [UInt8] = [0x81, 0x21, 0x00] // [1] IMPLICIT BIT STRING, 33 bytes, no unused bits

        let isVersionOne = der.count == 48 && der.starts(with: versionOne)
        let isVersionTwo =
            der.count == 83 && der.starts(with: versionTwo)
            && der[48..<51].elementsEqual(publicKeyHeader)
        guard isVersionOne || isVersionTwo, der[5..<16].elementsEqual(algorithmAndSeedHeader) else {
            throw CryptoError.invalidKeyEncoding
        }
        var seed = Array(der[16..<48])
        defer { seed.withUnsafeMutableBytes { secureZero($0) } }
        try self.init(rawRepresentation: seed)
        if isVersionTwo, !publicKey.rawRepresentation.elementsEqual(der[51..<83]) {
            throw CryptoError.invalidPublicKey
        }
    }
}
