import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBinance

@Suite("Generated client order ids")
struct ClientOrderIDTests {
    @Test("ids are unique, 24 characters, and in both Binance alphabets")
    func uniqueAndValid() throws {
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = ClientOrderID.generate(for: BinanceClient.clientOrderIDRule).rawValue
            #expect(seen.insert(id).inserted, "duplicate \(id)")
            #expect(id.count == 24 && id.hasPrefix("to"))
            #expect(
                id.utf8.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                })
        }
        // Characters are spread over the whole alphabet.
        let characters = Set(seen.joined().dropFirst(2))
        #expect(characters.count == 62)
    }
}
