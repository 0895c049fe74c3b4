import Foundation
import TradeOnly

extension SimulatedExchange {
    /// The trade-only key of ``standard(for:configuration:)``: read, spot trade, futures trade;
    /// restricted to `127.0.0.1`. Made-up simulator credentials.
    public static let standardTradeKey = SimulatedKey(
        apiKey: "simTRADEonlyKey00000000000000000000000000000000000000000000000001",
        secret: "simTradeOnlySecret0000000000000000000000000000000000000000000001",
        permissions: [.read, .spotTrade, .futuresTrade],
        ipWhitelist: ["127.0.0.1"],
        note: "simulator trade-only key")

    /// The withdraw-enabled key of ``standard(for:configuration:)``: read, spot and futures trade,
    /// withdraw and universal transfer; restricted to `127.0.0.1`. A key TradeOnly must refuse.
    public static let standardWithdrawKey = SimulatedKey(
        apiKey: "simWITHDRAWkey00000000000000000000000000000000000000000000000002",
        secret: "simWithdrawSecret00000000000000000000000000000000000000000000002",
        permissions: [.read, .spotTrade, .futuresTrade, .withdraw, .universalTransfer],
        ipWhitelist: ["127.0.0.1"],
        note: "simulator withdraw-enabled key")

    /// The state of ``standard(for:configuration:)``: BTC/USDT and ETH/USDT spot, BTC/USDT:USDT and
    /// ETH/USDT:USDT perpetuals with the exchange's usual rules, BTC at 65 000 and ETH at 3 500,
    /// account `main` with 100 000 USDT, 1 BTC and 10 ETH, and the two standard keys.
    ///
    /// The rules follow `dialect`: Binance BTCUSDT spot has tick 0.01, step 0.00001, min notional 5;
    /// its perpetual tick 0.10, step 0.001, min notional 100. Bybit spot uses `basePrecision` steps and
    /// `minOrderAmt` 5; its perpetuals min notional 5.
    public static func standardState(for dialect: Dialect = .binance) -> SimulatorState {
        let isBybit = dialect == .bybit
        func decimal(_ text: String) -> Decimal { Decimal(exactly: text) ?? 0 }
        let btcSpot = Instrument(
            symbol: "BTC/USDT", exchangeSymbol: "BTCUSDT", tickSize: decimal("0.01"),
            quantityStep: decimal(isBybit ? "0.000001" : "0.00001"),
            minimumPrice: decimal("0.01"), maximumPrice: 1_000_000,
            minimumQuantity: decimal(isBybit ? "0.000048" : "0.00001"), maximumQuantity: 9000,
            maximumMarketQuantity: isBybit ? 100 : 120, minimumNotional: 5, maximumNotional: 9_000_000)
        let ethSpot = Instrument(
            symbol: "ETH/USDT", exchangeSymbol: "ETHUSDT", tickSize: decimal("0.01"),
            quantityStep: decimal(isBybit ? "0.00001" : "0.0001"),
            minimumPrice: decimal("0.01"), maximumPrice: 1_000_000,
            minimumQuantity: decimal(isBybit ? "0.00062" : "0.0001"), maximumQuantity: 9000,
            maximumMarketQuantity: 1000, minimumNotional: 5, maximumNotional: 9_000_000)
        let btcPerpetual = Instrument(
            symbol: "BTC/USDT:USDT", exchangeSymbol: "BTCUSDT", tickSize: decimal("0.10"), quantityStep: decimal("0.001"),
            minimumPrice: decimal("0.10"), maximumPrice: isBybit ? decimal("1999999.80") : 4_529_764,
            minimumQuantity: decimal("0.001"), maximumQuantity: 1000, maximumMarketQuantity: 120,
            minimumNotional: isBybit ? 5 : 100)
        let ethPerpetual = Instrument(
            symbol: "ETH/USDT:USDT", exchangeSymbol: "ETHUSDT", tickSize: decimal("0.01"),
            quantityStep: decimal(isBybit ? "0.01" : "0.001"),
            minimumPrice: decimal("0.01"), maximumPrice: isBybit ? decimal("199999.98") : 306_177,
            minimumQuantity: decimal(isBybit ? "0.01" : "0.001"), maximumQuantity: 10_000, maximumMarketQuantity: 2000,
            minimumNotional: isBybit ? 5 : 20)
        return SimulatorState(
            instruments: [btcSpot, ethSpot, btcPerpetual, ethPerpetual],
            prices: ["BTC/USDT": 65_000, "ETH/USDT": 3_500, "BTC/USDT:USDT": 65_000, "ETH/USDT:USDT": 3_500],
            balances: ["main": ["USDT": 100_000, "BTC": 1, "ETH": 10]],
            keys: [standardTradeKey, standardWithdrawKey])
    }

    /// A ready exchange: ``standardState(for:)`` with the given configuration.
    ///
    /// ```swift
    /// let exchange = SimulatedExchange.standard()
    /// let key = SimulatedExchange.standardTradeKey      // apiKey and secret to sign with
    /// ```
    public static func standard(for dialect: Dialect = .binance, configuration: Configuration = Configuration()) -> SimulatedExchange {
        SimulatedExchange(configuration: configuration, state: standardState(for: dialect))
    }
}
