import Testing
import TradeOnlyReferenceEndpoints
import TradeOnlyTestSupport

/// The reference lists moved from Swift literals to JSON resources: every entry survives, in order.
@Suite("Reference endpoint lists: JSON resources against the Swift lists")
struct ReferenceMoveTests {
    @Test("the Binance lists read from binance-reference.json equal the Swift ones")
    func binance() throws {
        let denied = try TradeOnlyTestSupport.BinanceReference.denied.map(\.description)
        #expect(denied.count == TradeOnlyReferenceEndpoints.BinanceReference.denied.count)
        #expect(denied == TradeOnlyReferenceEndpoints.BinanceReference.denied.map(\.description))
        #expect(
            try TradeOnlyTestSupport.BinanceReference.configuration.map(\.description)
                == TradeOnlyReferenceEndpoints.BinanceReference.configuration.map(\.description))
        #expect(
            try TradeOnlyTestSupport.BinanceReference.positionMargin.description
                == TradeOnlyReferenceEndpoints.BinanceReference.positionMargin.description)
        #expect(
            try TradeOnlyTestSupport.BinanceReference.optIn.map(\.description)
                == TradeOnlyReferenceEndpoints.BinanceReference.optIn.map(\.description))
        #expect(
            try TradeOnlyTestSupport.BinanceReference.alwaysDenied.map(\.description)
                == TradeOnlyReferenceEndpoints.BinanceReference.alwaysDenied.map(\.description))
    }

    @Test("the Bybit lists read from bybit-reference.json equal the Swift ones")
    func bybit() throws {
        let denied = try TradeOnlyTestSupport.BybitReference.denied.map(\.description)
        #expect(denied.count == TradeOnlyReferenceEndpoints.BybitReference.denied.count)
        #expect(denied == TradeOnlyReferenceEndpoints.BybitReference.denied.map(\.description))
        #expect(
            try TradeOnlyTestSupport.BybitReference.addMargin.description
                == TradeOnlyReferenceEndpoints.BybitReference.addMargin.description)
        #expect(
            try TradeOnlyTestSupport.BybitReference.prefixSamples
                == TradeOnlyReferenceEndpoints.BybitReference.prefixSamples)
        #expect(
            try TradeOnlyTestSupport.BybitReference.deniedPaths
                == TradeOnlyReferenceEndpoints.BybitReference.deniedPaths)
    }
}
