import Foundation
import Testing

@testable import TradeOnly

/// The path the pipeline pins is the path as it goes on the wire, read by RFC 3986 rules: the same as
/// `URLComponents.percentEncodedPath`, including anything after a ";"; and the signing gate refuses a
/// ";" path however it would be resolved.
@Suite("RequestSigner wire path")
struct RequestSignerWirePathTests {
    let gate = SigningGate(
        policy: EndpointPolicy(allowing: [.prefix("/api/").accepting("x")], denying: [.prefix("/sapi/")]),
        origins: ["https://api.binance.com"], permissions: Set(TradePermission.allCases), layout: .formEncoded)

    @Test(
        "matches URLComponents' percent-encoded path",
        arguments: [
            "https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=abc",
            "https://api.binance.com/api/v3/order;/../../sapi/v1/capital/withdraw/apply?x=1",
            "https://api.binance.com/api/v3/order;x",
            "https://api.binance.com/api/v3%2F..%2F..%2Fsapi/v1/x",
            "https://api.binance.com//sapi/v1/capital/withdraw/apply",
            "https://api.binance.com/api/v3/order#fragment",
            "https://api.binance.com",
            "https://api.binance.com?x=1",
            "https://user:pass@api.binance.com:8443/api/v3/time",
            "http://[::1]:8080/fapi/v1/order?a=b",
            "http://127.0.0.1:8080/API/V3/ORDER/",
        ])
    func matchesComponents(_ text: String) throws {
        let url = try #require(URL(string: text))
        let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        #expect(wirePath(of: url) == components.percentEncodedPath, "\(text)")
    }

    @Test("a ';' cannot hide a denied path behind an allowed one")
    func semicolonTrick() throws {
        let url = try #require(URL(string: "https://api.binance.com/api/v3/order;/../../sapi/v1/capital/withdraw/apply?x=1"))
        #expect(throws: ExchangeError.self) { try gate.check(HTTPRequest(method: .post, url: url)) }
        let plain = try #require(URL(string: "https://api.binance.com/api/v3/order?x=1"))
        try gate.check(HTTPRequest(method: .post, url: plain))
    }
}
