import Foundation
import Testing
import TradeOnlyCrypto

@Suite("Hex encoding and constant-time comparison")
struct HexAndComparisonTests {
    @Test("encodes bytes as lower-case hex")
    func encoding() {
        #expect([UInt8]().hexString == "")
        #expect([0x00, 0x0f, 0xa0, 0xff].hexString == "000fa0ff")
        #expect(Data([0xde, 0xad, 0xbe, 0xef]).hexString == "deadbeef")
        #expect((0...255).map { UInt8($0) }.hexString.count == 512)
    }

    @Test("decodes upper- and lower-case hex, and round-trips", arguments: ["", "00", "deadBEEF", "0123456789abcdefABCDEF"])
    func decoding(_ text: String) throws {
        let bytes = try #require([UInt8](hexString: text))
        #expect(bytes.hexString == text.lowercased())
        #expect(Data(hexString: text) == Data(bytes))
        #expect([UInt8](hexString: text[...]) == bytes)
    }

    @Test("returns nil for text that is not hex", arguments: ["0", "abc", "0x00", "zz", "00 11", "é0", " 00", "00\n", "٠٠"])
    func invalidHex(_ text: String) {
        #expect([UInt8](hexString: text) == nil)
        #expect(Data(hexString: text) == nil)
    }

    @Test("compares byte strings by content and length")
    func constantTimeComparison() {
        #expect(constantTimeEquals([UInt8](), Data()))
        #expect(constantTimeEquals([1, 2, 3] as [UInt8], Data([1, 2, 3])))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!constantTimeEquals([0x80] as [UInt8], [0x00] as [UInt8]))
    }
}
