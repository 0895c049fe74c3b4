import Foundation
import TradeOnly

/// Test data shared by the Market and Trading tests.
enum MarketFixtures {
    /// An exact decimal from its wire spelling (test input is trusted; a typo fails loudly).
    static func decimal(_ text: String) -> Decimal {
        guard let value = Decimal(exactly: text) else {
            preconditionFailure("bad decimal literal in a test: \(text)")
        }
        return value
    }

    /// Binance spot BTCUSDT: PRICE_FILTER 0.01, LOT_SIZE 0.00001, MARKET_LOT_SIZE max 120, NOTIONAL 5 … 9000000.
    static let binanceBTCUSDT = Instrument(
        symbol: "BTC/USDT", exchangeSymbol: "BTCUSDT",
        tickSize: decimal("0.01"), quantityStep: decimal("0.00001000"),
        minimumPrice: decimal("0.01"), maximumPrice: decimal("1000000.00"),
        minimumQuantity: decimal("0.00001"), maximumQuantity: decimal("9000.00000000"),
        maximumMarketQuantity: decimal("120.76884250"),
        minimumNotional: decimal("5.00000000"), maximumNotional: decimal("9000000.00000000")
    )

    /// Binance USDⓈ-M BLZUSDT (the exchangeInfo example): tick 0.0001, step 1, min 1, price 0.0001 … 300, notional 5.
    static let binanceBLZUSDT = Instrument(
        symbol: "BLZ/USDT:USDT", exchangeSymbol: "BLZUSDT",
        tickSize: decimal("0.0001"), quantityStep: decimal("1"),
        minimumPrice: decimal("0.0001"), maximumPrice: decimal("300"),
        minimumQuantity: decimal("1"), maximumQuantity: decimal("10000000"),
        minimumNotional: decimal("5.0")
    )

    /// Bybit linear BTCUSDT: tick 0.10, qtyStep 0.001, min 0.001, max 1190, market max 500, minNotionalValue 5.
    static let bybitBTCUSDT = Instrument(
        symbol: "BTC/USDT:USDT", exchangeSymbol: "BTCUSDT",
        tickSize: decimal("0.10"), quantityStep: decimal("0.001"),
        minimumPrice: decimal("0.10"), maximumPrice: decimal("1999999.80"),
        minimumQuantity: decimal("0.001"), maximumQuantity: decimal("1190.000"),
        maximumMarketQuantity: decimal("500.000"), minimumNotional: decimal("5")
    )

    /// OKX BTC-USDT-SWAP: tickSz 0.1, lotSz 0.01, minSz 0.01 contracts of ctVal 0.01 BTC, maxMktSz 12000.
    static let okxBTCUSDTSwap = Instrument(
        symbol: "BTC/USDT:USDT", exchangeSymbol: "BTC-USDT-SWAP",
        tickSize: decimal("0.1"), quantityStep: decimal("0.01"),
        minimumQuantity: decimal("0.01"), maximumQuantity: decimal("100000000"),
        maximumMarketQuantity: decimal("12000"),
        contractSize: decimal("0.01"), quantityUnit: .contracts
    )

    /// OKX BTC-USD-SWAP (inverse): contracts worth 100 USD each.
    static let okxBTCUSDSwap = Instrument(
        symbol: "BTC/USD:BTC", exchangeSymbol: "BTC-USD-SWAP",
        tickSize: decimal("0.1"), quantityStep: decimal("1"), minimumQuantity: decimal("1"),
        contractSize: decimal("100"), quantityUnit: .contracts
    )

    /// Gate spot BTC_USDT: precision 1, amount_precision 6, min_base_amount 0.00001, min_quote_amount 3.
    static let gateBTCUSDT = Instrument(
        symbol: "BTC/USDT", exchangeSymbol: "BTC_USDT",
        tickSize: .step(fractionDigits: 1), quantityStep: .step(fractionDigits: 6),
        minimumQuantity: decimal("0.00001"), minimumNotional: decimal("3"),
        maximumNotional: decimal("5000000")
    )

    /// Gate USDT futures BTC_USDT: order_price_round 0.1, whole contracts of quanto_multiplier 0.0001 BTC.
    static let gateBTCUSDTFutures = Instrument(
        symbol: "BTC/USDT:USDT", exchangeSymbol: "BTC_USDT",
        tickSize: decimal("0.1"), quantityStep: decimal("1"),
        minimumQuantity: decimal("1"), maximumQuantity: decimal("1000000"),
        contractSize: decimal("0.0001"), quantityUnit: .contracts
    )
}
