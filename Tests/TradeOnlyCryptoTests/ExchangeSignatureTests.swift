import Foundation
import Testing
import TradeOnlyCrypto

/// A request-signing vector from an exchange's documentation (or derived from it): the
/// secret, the exact string signed, and the expected signature in hex or Base64.
struct ExchangeSignatureVector: Decodable, Sendable, CustomTestStringConvertible {
    enum Encoding: String, Decodable, Sendable {
        case hex
        case base64
    }

    let name: String
    let algorithm: String
    let secret: String
    let message: String
    let encoding: Encoding
    let expected: String

    var testDescription: String { name }
}

@Suite("Exchange signing vectors")
struct ExchangeSignatureTests {
    @Test(
        "reproduces the Binance, Bybit, OKX and Gate signatures",
        arguments: try loadVectors("exchange-signatures", as: [ExchangeSignatureVector].self)
    )
    func signature(_ vector: ExchangeSignatureVector) throws {
        let key = SymmetricKey(data: Array(vector.secret.utf8))
        let code: [UInt8]
        switch vector.algorithm {
        case "HMAC-SHA256":
            code = Array(HMAC<SHA256>.PreparedKey(key: key).authenticationCode(for: vector.message.utf8))
        case "HMAC-SHA512":
            code = Array(HMAC<SHA512>.PreparedKey(key: key).authenticationCode(for: vector.message.utf8))
        default:
            Issue.record("unknown algorithm \(vector.algorithm)")
            return
        }
        switch vector.encoding {
        case .hex: #expect(code.hexString == vector.expected)
        case .base64: #expect(Data(code).base64EncodedString() == vector.expected)
        }
    }

    @Test("builds the Gate G-1 string to sign from the SHA-512 of the empty body")
    func gateStringToSign() {
        let bodyHash = SHA512.hash(data: "".utf8).hexString
        let stringToSign = [
            "GET", "/api/v4/futures/orders", "contract=BTC_USD&status=finished&limit=50", bodyHash, "1541993715",
        ].joined(separator: "\n")
        let key = SymmetricKey(data: Array("secret".utf8))
        #expect(
            HMAC<SHA512>.authenticationCode(for: stringToSign.utf8, using: key).hexString
                == "55f84ea195d6fe57ce62464daaa7c3c02fa9d1dde954e4c898289c9a2407a3d6fb3faf24deff16790d726b66ac9f74526668b13bd01029199cc4fcc522418b8a")
    }
}
