import Foundation
import Testing
import TradeOnly

@testable import TradeOnlyBybit

@Suite("Generated client order ids")
struct ClientOrderIDTests {
    @Test("generated ids: 24 letters and digits starting with \"to\", valid client order ids, never repeated")
    func generatedIDsAreUnique() {
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = ClientOrderID.generate(for: BybitClient.clientOrderIDRule).rawValue
            #expect(id.count == 24)
            #expect(id.hasPrefix("to"))
            #expect(id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) })
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }
}
