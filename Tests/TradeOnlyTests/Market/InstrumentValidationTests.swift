import Foundation
import Testing
import TradeOnly

private func d(_ text: String) -> Decimal { MarketFixtures.decimal(text) }

private typealias F = MarketFixtures

/// Validates and returns the error, recording an issue if none is thrown.
private func violation(
    _ instrument: Instrument, _ order: OrderRequest, referencePrice: Decimal? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ExchangeError? {
    do {
        try instrument.validate(order, referencePrice: referencePrice)
        Issue.record("\(order) passed validation on \(instrument)", sourceLocation: sourceLocation)
        return nil
    } catch let error as ExchangeError {
        return error
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Instrument rules")
struct InstrumentValidationTests {
    // MARK: Valid orders

    @Test(arguments: [
        (F.binanceBTCUSDT, OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.001"), price: d("30000.01"))),
        (F.binanceBTCUSDT, .market(.sell, "BTC/USDT", quantity: d("0.5"))),
        (F.binanceBLZUSDT, .limit(.sell, "BLZ/USDT:USDT", quantity: 100, price: d("0.1234"), reduceOnly: true)),
        (F.bybitBTCUSDT, .limit(.buy, "BTC/USDT:USDT", quantity: d("0.001"), price: d("30000.1"), postOnly: true)),
        (F.okxBTCUSDTSwap, .limit(.buy, "BTC/USDT:USDT", quantity: d("0.01"), price: d("65000.1"))),
        (F.gateBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d("0.000100"), price: d("65000.1"))),
        (F.gateBTCUSDTFutures, .market(.buy, "BTC/USDT:USDT", quantity: 3)),
    ])
    func acceptsValidOrders(instrument: Instrument, order: OrderRequest) throws {
        // A market order is valued at a reference price (ignored for limit orders).
        try instrument.validate(order, referencePrice: 30000)
        #expect(instrument.violations(of: order, referencePrice: 30000).isEmpty)
    }

    // MARK: Request shape (invalidRequest)

    @Test func refusesAnotherSymbol() throws {
        let error = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "ETH/USDT", quantity: 1, price: 2000)))
        #expect(error.kind == .invalidRequest)
        #expect(error.rule == Instrument.Rule.symbol)
        #expect(error.message.contains("ETH/USDT") && error.message.contains("BTC/USDT"))
    }

    @Test func refusesLimitWithoutPriceAndMarketWithPrice() throws {
        let noPrice = OrderRequest(symbol: "BTC/USDT", side: .buy, type: .limit, quantity: 1)
        let missing = try #require(violation(F.binanceBTCUSDT, noPrice))
        #expect(missing.kind == .invalidRequest)
        #expect(missing.rule == "price")

        let priced = OrderRequest(symbol: "BTC/USDT", side: .buy, type: .market, quantity: 1, price: 30000)
        let extra = try #require(violation(F.binanceBTCUSDT, priced))
        #expect(extra.kind == .invalidRequest)
        #expect(extra.rule == "price")
        #expect(extra.message.contains("30000"))
    }

    @Test func refusesContradictoryPostOnly() throws {
        let market = OrderRequest(symbol: "BTC/USDT", side: .buy, type: .market, quantity: 1, isPostOnly: true)
        let marketError = try #require(violation(F.binanceBTCUSDT, market))
        #expect(marketError.kind == .invalidRequest)
        #expect(marketError.rule == Instrument.Rule.postOnly)

        for timeInForce in [TimeInForce.immediateOrCancel, .fillOrKill] {
            let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.001"), price: 30000, timeInForce: timeInForce, postOnly: true)
            let error = try #require(violation(F.binanceBTCUSDT, order))
            #expect(error.kind == .invalidRequest)
            #expect(error.rule == Instrument.Rule.postOnly)
            #expect(error.message.contains(timeInForce.abbreviation))
        }
    }

    @Test func refusesReduceOnlyOnSpot() throws {
        let error = try #require(violation(F.binanceBTCUSDT, .market(.sell, "BTC/USDT", quantity: 1, reduceOnly: true)))
        #expect(error.kind == .invalidRequest)
        #expect(error.rule == Instrument.Rule.reduceOnly)
    }

    @Test func refusesNaN() throws {
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: .nan, price: 30000)
        let error = try #require(violation(F.binanceBTCUSDT, order))
        #expect(error.kind == .invalidRequest)
        #expect(error.rule == "quantity")
    }

    // MARK: Instrument rules (orderRejected)

    @Test(arguments: [Instrument.Status.halted, .preTrading, .delisted, .other("buyable")])
    func refusesMarketsNotTrading(status: Instrument.Status) throws {
        var instrument = F.binanceBTCUSDT
        instrument.status = status
        let error = try #require(violation(instrument, .limit(.buy, "BTC/USDT", quantity: d("0.001"), price: 30000)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.status)
        #expect(error.message.contains(status.description))
    }

    @Test(arguments: ["0", "-1", "-0.001"])
    func refusesNonPositiveQuantity(quantity: String) throws {
        let error = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d(quantity), price: 30000)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.quantity)
    }

    @Test(arguments: ["0", "-30000"])
    func refusesNonPositivePrice(price: String) throws {
        let error = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d("0.001"), price: d(price))))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.price)
    }

    @Test func tickSizeNamesTheNeighbours() throws {
        let error = try #require(violation(F.bybitBTCUSDT, .limit(.buy, "BTC/USDT:USDT", quantity: d("0.001"), price: d("30000.05"))))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.tickSize)
        #expect(error.message == "price 30000.05 is not a multiple of the tick size 0.1: use 30000.0 or 30000.1")
        #expect(error.retry == .doNotRetry)
    }

    @Test(arguments: [
        (F.binanceBTCUSDT, "30000.005", "30000.00", "30000.01"),
        (F.binanceBLZUSDT, "0.12345", "0.1234", "0.1235"),
        (F.gateBTCUSDT, "65000.15", "65000.1", "65000.2"),
        (F.okxBTCUSDTSwap, "99.99", "99.9", "100.0"),
    ])
    func tickSizeOnEveryExchange(instrument: Instrument, price: String, lower: String, upper: String) throws {
        let quantity = instrument.minimumQuantity > 0 ? instrument.minimumQuantity * 1000 : 1
        let order = OrderRequest.limit(.buy, instrument.symbol, quantity: quantity, price: d(price))
        let error = try #require(violation(instrument, order))
        #expect(error.rule == Instrument.Rule.tickSize)
        #expect(error.message.contains("use \(lower) or \(upper)"), "\(error.message)")
    }

    @Test func minimumPrice() throws {
        let error = try #require(violation(F.binanceBLZUSDT, .limit(.buy, "BLZ/USDT:USDT", quantity: 100000, price: d("0.00005"))))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.minimumPrice)
        #expect(error.message.contains("minimum price 0.0001: use 0.0001 or more"), "\(error.message)")
    }

    @Test func maximumPrice() throws {
        let error = try #require(violation(F.binanceBLZUSDT, .limit(.sell, "BLZ/USDT:USDT", quantity: 100, price: 301)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.maximumPrice)
        #expect(error.message.contains("use 300.0000 or less"), "\(error.message)")
    }

    @Test(arguments: [
        (F.binanceBTCUSDT, "0.000015", "0.00001", "0.00002"),
        (F.binanceBLZUSDT, "10.5", "10", "11"),
        (F.bybitBTCUSDT, "0.0125", "0.012", "0.013"),
        (F.okxBTCUSDTSwap, "1.005", "1.00", "1.01"),
        (F.gateBTCUSDTFutures, "2.5", "2", "3"),
    ])
    func quantityStepNamesTheNeighbours(instrument: Instrument, quantity: String, lower: String, upper: String) throws {
        let order = OrderRequest.limit(.sell, instrument.symbol, quantity: d(quantity), price: d("30000"))
        let error = try #require(instrument.violations(of: order).first { $0.rule == Instrument.Rule.quantityStep })
        #expect(error.kind == .orderRejected)
        #expect(error.message.contains("use \(lower) or \(upper)"), "\(error.message)")
    }

    @Test func quantityStepPointsAtFloatingPointLiterals() throws {
        // What `quantity: 0.00015` becomes on its way through Double. The factories remove that noise,
        // so this sets it afterwards, as a bot assigning a Double-derived value would.
        var order = OrderRequest.limit(.buy, "BTC/USDT", quantity: 1, price: 40000)
        order.quantity = d("0.00014999999999999995904")
        let error = try #require(violation(F.binanceBTCUSDT, order))
        #expect(error.rule == Instrument.Rule.quantityStep)
        #expect(error.message.contains("use 0.00014 or 0.00015"))
        #expect(error.message.contains(#"Decimal(exactly: "0.00015")"#), "\(error.message)")
    }

    @Test func computedValuesGetNoLiteralHint() throws {
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: Decimal(1) / Decimal(3), price: 40000)
        let error = try #require(violation(F.binanceBTCUSDT, order))
        #expect(error.rule == Instrument.Rule.quantityStep)
        #expect(!error.message.contains("floating-point"))
    }

    @Test func minimumQuantity() throws {
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.000005"), price: 65000)
        let error = try #require(violation(F.gateBTCUSDT, order))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.minimumQuantity)
        #expect(error.message.contains("use 0.000010 or more"), "\(error.message)")
        // Every violation is reported by violations(of:), in order.
        let rules = F.gateBTCUSDT.violations(of: order).compactMap(\.rule)
        #expect(rules == [Instrument.Rule.minimumQuantity, Instrument.Rule.minimumNotional])
    }

    @Test func maximumQuantity() throws {
        let error = try #require(violation(F.bybitBTCUSDT, .limit(.buy, "BTC/USDT:USDT", quantity: 1200, price: 30000)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.maximumQuantity)
        #expect(error.message.contains("use 1190.000 or less"), "\(error.message)")
    }

    @Test func maximumMarketQuantity() throws {
        let error = try #require(violation(F.bybitBTCUSDT, .market(.sell, "BTC/USDT:USDT", quantity: 600)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.maximumMarketQuantity)
        #expect(error.message.contains("use 500.000 or less"), "\(error.message)")
        // The same quantity is fine as a limit order.
        try F.bybitBTCUSDT.validate(.limit(.sell, "BTC/USDT:USDT", quantity: 600, price: 30000))
        // Above both maxima: the market cap is reported first, then the general one.
        let rules = F.bybitBTCUSDT.violations(of: .market(.sell, "BTC/USDT:USDT", quantity: 1200), referencePrice: 30000)
            .compactMap(\.rule)
        #expect(rules == [Instrument.Rule.maximumMarketQuantity, Instrument.Rule.maximumQuantity])
    }

    @Test func minimumNotionalForLimitOrders() throws {
        let error = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d("0.0001"), price: 30000)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.minimumNotional)
        #expect(error.message.contains("notional 3 (price 30000 × quantity 0.0001)"), "\(error.message)")
        #expect(error.message.contains("use a quantity of at least 0.00017"), "\(error.message)")
        try F.binanceBTCUSDT.validate(.limit(.buy, "BTC/USDT", quantity: d("0.00017"), price: 30000))
    }

    @Test func minimumNotionalOnFuturesWithWholeSteps() throws {
        let error = try #require(violation(F.binanceBLZUSDT, .limit(.buy, "BLZ/USDT:USDT", quantity: 10, price: d("0.1234"))))
        #expect(error.rule == Instrument.Rule.minimumNotional)
        // 5 / 0.1234 = 40.5…: 41 contracts.
        #expect(error.message.contains("use a quantity of at least 41"), "\(error.message)")
    }

    @Test func minimumNotionalForMarketOrdersNeedsAReferencePrice() throws {
        let order = OrderRequest.market(.buy, "BTC/USDT", quantity: d("0.0001"))
        // Without a reference price the value cannot be checked: refused, not passed silently.
        let unpriced = try #require(violation(F.binanceBTCUSDT, order))
        #expect(unpriced.kind == .invalidRequest)
        #expect(unpriced.rule == Instrument.Rule.referencePrice)
        #expect(
            unpriced.message
                == "a market order on BTC/USDT must be worth at least 5 and at most 9000000 USDT, which cannot be checked without a price: pass the last or mark price, as in validate(order, referencePrice: ticker.lastPrice)"
        )
        let error = try #require(violation(F.binanceBTCUSDT, order, referencePrice: 30000))
        #expect(error.rule == Instrument.Rule.minimumNotional)
        #expect(error.message.contains("at the reference price 30000"))
        #expect(error.message.contains("at least 0.00017"))
        // An instrument whose minimum does not apply to market orders.
        var lenient = F.binanceBTCUSDT
        lenient.minimumNotionalAppliesToMarketOrders = false
        try lenient.validate(order, referencePrice: 30000)
        // With no notional limit on market orders at all, no reference price is needed.
        lenient.maximumNotionalAppliesToMarketOrders = false
        try lenient.validate(order)
    }

    @Test("a quantity below one step suggests the smallest allowed quantity, at the step's precision, never zero")
    func quantityBelowOneStep() throws {
        let error = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d("0.0000001"), price: 30000)))
        #expect(error.rule == Instrument.Rule.quantityStep)
        #expect(
            error.message
                == "quantity 0.0000001 is not a multiple of the quantity step 0.00001: use 0.00001 or more (the smallest quantity allowed is 0.00001)"
        )
        #expect(!error.message.contains("0.00000 "))
        // Above the minimum, both neighbours on the grid are offered.
        let between = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d("0.000015"), price: 30000)))
        #expect(between.message.hasSuffix("use 0.00001 or 0.00002"), "\(between.message)")
    }

    @Test func maximumNotional() throws {
        let error = try #require(violation(F.binanceBTCUSDT, .limit(.buy, "BTC/USDT", quantity: 400, price: 30000)))
        #expect(error.kind == .orderRejected)
        #expect(error.rule == Instrument.Rule.maximumNotional)
        #expect(error.message.contains("use a quantity of at most 300.00000"), "\(error.message)")
    }

    @Test func notionalOfContracts() throws {
        #expect(F.gateBTCUSDTFutures.notional(price: 30000, quantity: 10) == 30)
        #expect(F.okxBTCUSDTSwap.notional(price: d("65000.1"), quantity: d("0.5")) == d("325.0005"))
        // Inverse contracts are worth a fixed amount of the quote asset, whatever the price.
        #expect(F.okxBTCUSDSwap.notional(price: 65000, quantity: 3) == 300)
        #expect(F.okxBTCUSDSwap.kind == .inversePerpetual)

        var contracts = F.gateBTCUSDTFutures
        contracts.minimumNotional = 5
        let error = try #require(violation(contracts, .limit(.buy, "BTC/USDT:USDT", quantity: 1, price: 30000)))
        #expect(error.rule == Instrument.Rule.minimumNotional)
        #expect(error.message.contains("× contract size 0.0001"))
        #expect(error.message.contains("at least 2"), "\(error.message)")
    }

    @Test func errorsCarryTheClientOrderID() throws {
        let id = try ClientOrderID("bot-42")
        let order = OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.0001"), price: 30000, clientOrderID: id)
        let error = try #require(violation(F.binanceBTCUSDT, order))
        #expect(error.clientOrderID?.rawValue == "bot-42")
    }

    // MARK: Rounding

    @Test(arguments: [
        (F.binanceBTCUSDT, OrderSide.buy, "0.123456", "30000.129", "0.12345", "30000.12"),
        (F.binanceBTCUSDT, .sell, "0.123456", "30000.121", "0.12345", "30000.13"),
        (F.binanceBTCUSDT, .buy, "0.001", "30000.10", "0.001", "30000.1"),
        (F.binanceBTCUSDT, .sell, "0.001", "30000.10", "0.001", "30000.1"),
        (F.binanceBLZUSDT, .buy, "10.7", "0.12345", "10", "0.1234"),
        (F.binanceBLZUSDT, .sell, "10.7", "0.12345", "10", "0.1235"),
        (F.bybitBTCUSDT, .sell, "0.0129", "30000.01", "0.012", "30000.1"),
        (F.okxBTCUSDTSwap, .buy, "1.239", "65000.19", "1.23", "65000.1"),
        (F.gateBTCUSDTFutures, .sell, "7.9", "30000.01", "7", "30000.1"),
        (F.gateBTCUSDT, .buy, "0.0001239", "65000.19", "0.000123", "65000.1"),
    ])
    func roundsTheSafeWay(instrument: Instrument, side: OrderSide, quantity: String, price: String, expectedQuantity: String, expectedPrice: String) {
        let order = OrderRequest.limit(side, instrument.symbol, quantity: d(quantity), price: d(price))
        let rounded = instrument.rounded(order)
        #expect(rounded.quantity == d(expectedQuantity))
        #expect(rounded.price == d(expectedPrice))
        #expect(rounded.side == side && rounded.symbol == order.symbol && rounded.type == .limit)
        if side == .buy { #expect(rounded.price ?? 0 <= d(price)) } else { #expect(rounded.price ?? 0 >= d(price)) }
        #expect(rounded.quantity <= d(quantity))
    }

    @Test(arguments: [
        (OrderSide.buy, "0.000012345", "0.00001234"),
        (.sell, "0.000012345", "0.00001235"),
        (.buy, "0.00001234", "0.00001234"),
        (.sell, "0.000012340000000001", "0.00001235"),
    ])
    func roundsTinyTicks(side: OrderSide, price: String, expected: String) {
        let shib = Instrument(symbol: "SHIB/USDT", exchangeSymbol: "SHIBUSDT", tickSize: d("0.00000001"), quantityStep: 1)
        let rounded = shib.rounded(.limit(side, "SHIB/USDT", quantity: 1_000_000, price: d(price)))
        #expect(rounded.price == d(expected))
        #expect(shib.formattedPrice(rounded.price ?? 0) == expected)
    }

    @Test func roundsToHalfTicks() {
        let halves = Instrument(symbol: "ETH/USD:ETH", exchangeSymbol: "ETHUSD", tickSize: d("0.5"), quantityStep: 1)
        #expect(halves.rounded(.limit(.sell, "ETH/USD:ETH", quantity: 1, price: d("100.2"))).price == d("100.5"))
        #expect(halves.rounded(.limit(.buy, "ETH/USD:ETH", quantity: 1, price: d("100.7"))).price == d("100.5"))
        #expect(halves.formattedPrice(d("100")) == "100.0")
    }

    @Test func roundingKeepsMarketOrdersPriceless() {
        let rounded = F.binanceBTCUSDT.rounded(.market(.buy, "BTC/USDT", quantity: d("0.0012345")))
        #expect(rounded.price == nil)
        #expect(rounded.quantity == d("0.00123"))
        #expect(rounded.type == .market)
    }

    @Test(arguments: [
        (F.binanceBTCUSDT, OrderRequest.limit(.buy, "BTC/USDT", quantity: d("0.0012345"), price: d("30000.129"))),
        (F.binanceBTCUSDT, .limit(.sell, "BTC/USDT", quantity: d("0.00014999999999999995904"), price: d("40000.001"))),
        (F.binanceBLZUSDT, .limit(.sell, "BLZ/USDT:USDT", quantity: d("99.99"), price: d("0.12345"))),
        (F.bybitBTCUSDT, .limit(.buy, "BTC/USDT:USDT", quantity: d("0.0129"), price: d("30000.05"), postOnly: true)),
        (F.okxBTCUSDTSwap, .limit(.sell, "BTC/USDT:USDT", quantity: d("0.019"), price: d("65000.11"))),
        (F.gateBTCUSDT, .limit(.buy, "BTC/USDT", quantity: d("0.0001239"), price: d("65000.19"))),
        (F.gateBTCUSDTFutures, .market(.buy, "BTC/USDT:USDT", quantity: d("1.5"))),
    ])
    func roundedOrdersAboveTheMinimumsAreValid(instrument: Instrument, order: OrderRequest) throws {
        #expect(!instrument.violations(of: order).isEmpty)
        try instrument.validate(instrument.rounded(order))
    }

    @Test func roundingCanFallBelowTheMinimum() throws {
        let tooSmall = F.binanceBTCUSDT.rounded(.limit(.buy, "BTC/USDT", quantity: d("0.000009"), price: 30000))
        #expect(tooSmall.quantity == 0)
        #expect(violation(F.binanceBTCUSDT, tooSmall)?.rule == Instrument.Rule.quantity)

        let belowMinimum = F.gateBTCUSDT.rounded(.limit(.buy, "BTC/USDT", quantity: d("0.0000099"), price: 65000))
        #expect(belowMinimum.quantity == d("0.000009"))
        #expect(violation(F.gateBTCUSDT, belowMinimum)?.rule == Instrument.Rule.minimumQuantity)
    }

    // MARK: Wire formatting

    @Test(arguments: [
        (F.binanceBTCUSDT, "30000", "0.001", "30000.00", "0.00100"),
        (F.binanceBTCUSDT, "30000.1", "0.123456", "30000.10", "0.12345"),
        (F.bybitBTCUSDT, "30000", "1", "30000.0", "1.000"),
        (F.binanceBLZUSDT, "0.1", "10", "0.1000", "10"),
        (F.okxBTCUSDTSwap, "65000.1", "0.5", "65000.1", "0.50"),
        (F.gateBTCUSDT, "65000", "0.00000001", "65000.0", "0.000000"),
        (F.gateBTCUSDTFutures, "30000", "6024", "30000.0", "6024"),
    ])
    func formatsAtTheInstrumentsPrecision(instrument: Instrument, price: String, quantity: String, expectedPrice: String, expectedQuantity: String) {
        #expect(instrument.formattedPrice(d(price)) == expectedPrice)
        #expect(instrument.formattedQuantity(d(quantity)) == expectedQuantity)
    }

    // MARK: Model

    @Test func statusMapping() {
        let binance: [String: Instrument.Status] = ["TRADING": .trading, "BREAK": .halted, "HALT": .halted, "PRE_TRADING": .preTrading]
        #expect(Instrument.Status(wireValue: "TRADING", mapping: binance) == .trading)
        #expect(Instrument.Status(wireValue: "BREAK", mapping: binance) == .halted)
        #expect(Instrument.Status(wireValue: "AUCTION_MATCH", mapping: binance) == .other("AUCTION_MATCH"))
        #expect(!Instrument.Status.other("AUCTION_MATCH").isTrading)
        #expect(Instrument.Status.other("sellable").description == "other(sellable)")
    }

    @Test func defaultsComeFromTheSymbol() {
        let instrument = F.binanceBLZUSDT
        #expect(instrument.kind == .linearPerpetual)
        #expect(instrument.baseAsset == "BLZ" && instrument.quoteAsset == "USDT" && instrument.settleAsset == "USDT")
        #expect(F.binanceBTCUSDT.kind == .spot && F.binanceBTCUSDT.settleAsset == nil)
        #expect(F.binanceBTCUSDT.contractSize == 1 && F.binanceBTCUSDT.quantityUnit == .base)
    }

    @Test func codableRoundTrip() throws {
        var instrument = F.okxBTCUSDTSwap
        instrument.status = .other("test")
        let data = try JSONEncoder().encode(instrument)
        let back = try JSONDecoder().decode(Instrument.self, from: data)
        #expect(back == instrument)
        #expect(back.contractSize == d("0.01"))
    }

    @Test func description() {
        #expect(
            F.binanceBTCUSDT.description
                == "BTC/USDT (BTCUSDT, spot, trading) tick 0.01 step 0.00001 min 0.00001 max 9000 notional ≥ 5 notional ≤ 9000000")
        #expect(F.gateBTCUSDTFutures.description.contains("contracts of 0.0001"))
    }
}
