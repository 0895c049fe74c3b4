import Foundation
import Testing
import TradeOnly

@Suite("Float literals in order requests")
struct FloatLiteralNoiseTests {
    @Test("a float literal that Double distorts means what it says once in an order request")
    func literalNoiseIsRemoved() throws {
        let noisy: Decimal = 0.00015
        #expect(noisy != Decimal(exactly: "0.00015")) // the trap this guards against
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: 0.00015, price: 30_000.05)
        #expect(order.quantity == Decimal(exactly: "0.00015"))
        #expect(order.price == Decimal(exactly: "30000.05"))
    }

    @Test(
        "values with 16 significant digits or fewer are kept exactly",
        arguments: ["0.00015", "123456789.1234567", "0.000000012345678901", "99999999999", "-1.5", "0"])
    func exactValuesAreKept(text: String) throws {
        let value = try #require(Decimal(exactly: text))
        #expect(value.removingFloatLiteralNoise() == value)
    }

    @Test("a rounded literal order keeps the quantity the user wrote")
    func roundingKeepsTheLiteral() throws {
        let instrument = Instrument(
            symbol: "BTC/USDT", exchangeSymbol: "BTCUSDT", kind: .spot, status: .trading,
            baseAsset: "BTC", quoteAsset: "USDT", tickSize: Decimal(exactly: "0.01")!,
            quantityStep: Decimal(exactly: "0.00001")!, minimumQuantity: Decimal(exactly: "0.00001")!)
        let rounded = instrument.rounded(.limit(.buy, "BTC/USDT", quantity: 0.00015, price: 30_000))
        #expect(rounded.quantity == Decimal(exactly: "0.00015"))
    }
}
