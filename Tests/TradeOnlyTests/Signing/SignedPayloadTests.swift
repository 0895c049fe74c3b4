import Foundation
import Testing

@testable import TradeOnly

/// The strict readers the signing gate parses the exact query and body with: whatever another parser
/// could read differently is refused, never interpreted.
@Suite("Signed payload readers")
struct SignedPayloadTests {
    /// The (name, decoded value) pairs of a query, or the refusal.
    private func query(_ text: String, alphabet: SignedPayload.QueryAlphabet = .percentEncoded) -> [String]? {
        var pairs: [String] = []
        do {
            try SignedPayload.visitQuery(Array(text.utf8)[...], alphabet: alphabet) { name, value, kind in
                pairs.append(name + "=" + (SignedPayload.decoded(value, kind: kind) ?? "<invalid>"))
            }
            return pairs
        } catch {
            return nil
        }
    }

    private func json(_ text: String) -> [String]? {
        var pairs: [String] = []
        do {
            try SignedPayload.visitJSONObject(Array(text.utf8)) { name, value, kind in
                pairs.append(name + "=" + (SignedPayload.decoded(value, kind: kind) ?? "<invalid>"))
            }
            return pairs
        } catch {
            return nil
        }
    }

    @Test("a plain query is read pair by pair, values decoded")
    func plainQuery() {
        #expect(query("") == [])
        #expect(query("symbol=BTCUSDT&side=BUY") == ["symbol=BTCUSDT", "side=BUY"])
        #expect(query("symbol=%E8%BF%99&price=0.1") == ["symbol=这", "price=0.1"])
        #expect(query("newClientOrderId=") == ["newClientOrderId="])
        #expect(query("cursor=page%3D2,x:y", alphabet: .percentEncodedWithCommaAndColon) == ["cursor=page=2,x:y"])
    }

    @Test(
        "ambiguous queries are refused",
        arguments: [
            "a=1&&b=2", "&a=1", "a=1&", "a", "a=1&b", "=1", "%61=1", "a%3D=1", "sym bol=x", "a=b c", "a=b+c", "a=b=c",
            "a=b;c=d", "a=%", "a=%4", "a=%zz", "a=%00", "a=%0A", "a=%7F", "a=\u{212A}", "a.b[]=1", "a=1#x",
            "a=1,2", "a=x:y",
        ])
    func refusedQueries(text: String) {
        #expect(query(text) == nil, "\(text)")
    }

    @Test("a JSON object is read member by member, strings unescaped, literals as written")
    func plainJSON() {
        #expect(json("{}") == [])
        #expect(json(" { } ") == [])
        #expect(json(#"{"category":"spot","qty":"0.1"}"#) == ["category=spot", "qty=0.1"])
        #expect(json(#"{ "isLeverage" : 0 , "reduceOnly":false}"#) == ["isLeverage=0", "reduceOnly=false"])
        #expect(json(#"{"a":"\u0031","b":"x\"y","c":-1.5}"#) == ["a=1", #"b=x"y"#, "c=-1.5"])
        #expect(json(#"{"a":"\ud83d\ude00"}"#) == ["a=😀"])
    }

    @Test(
        "ambiguous JSON is refused",
        arguments: [
            #"{"is\u004ceverage":1}"#, #"{"isLeverage\u0000":1}"#, #"{"a":1,}"#, #"{"a":1"#, #"{"a":1}x"#, #"{"a":1}{}"#,
            "\u{FEFF}{}", #"[]"#, #""a""#, #"{"a":null}"#, #"{"a":{"b":1}}"#, #"{"a":[1]}"#, #"{"a":1e3}"#, #"{"a":1E3}"#,
            #"{"a":01}"#, #"{"a":+1}"#, #"{"a":-0}"#, #"{"a":-0.0}"#, #"{"a":.5}"#, #"{"a":1.}"#, #"{"a":"\ud800"}"#,
            #"{"a":"\udc00"}"#, #"{"a":"\x41"}"#, "{\"a\":\"\u{01}\"}", #"{"a":tru}"#, #"{"a" 1}"#, #"{a:1}"#, #"{'a':1}"#,
            #"{"":1}"#, #"{"a b":1}"#, #"{"a":NaN}"#, #"{"a":Infinity}"#, #"{"a":"x"/*c*/}"#,
            #"{"a":"BTC\u0000USDT"}"#, #"{"a":"x\ny"}"#, #"{"a":"x\ty"}"#, #"{"a":"\u001f"}"#, #"{"a":"\u007F"}"#,
        ])
    func refusedJSON(text: String) {
        #expect(json(text) == nil, "\(text)")
    }

    @Test("JSON strings must be valid UTF-8")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
            let body = Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)
            #expect(throws: SignedPayload.Refusal.self) { try SignedPayload.visitJSONObject(body) { _, _, _ in } }
        }
    }

    @Test("random bytes never crash the readers, and what they accept re-reads the same")
    func fuzz() {
        var random = SeededGenerator(state: 0xFA11)
        let alphabet = Array(#"{}[]":,\ u0123456789abcdefABCDEF-+.eE%&=;tfnrl"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<24, using: &random)
            let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            var first: [String] = []
            if (try? SignedPayload.visitJSONObject(bytes) { name, _, _ in first.append(name) }) != nil {
                var second: [String] = []
                try? SignedPayload.visitJSONObject(bytes) { name, _, _ in second.append(name) }
                #expect(first == second)
            }
            _ = try? SignedPayload.visitQuery(bytes[...], alphabet: .percentEncodedWithCommaAndColon) { _, value, kind in
                _ = SignedPayload.decoded(value, kind: kind)
            }
        }
    }
}
