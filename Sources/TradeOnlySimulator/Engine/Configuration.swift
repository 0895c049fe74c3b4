import Foundation
import TradeOnly

/// Maker and taker fee rates, as fractions (`0.001` is 0.1 %).
public struct FeeSchedule: Sendable, Hashable, Codable {
    /// The rate for fills of resting orders.
    public var maker: Decimal
    /// The rate for fills of incoming orders.
    public var taker: Decimal

    /// Creates a schedule.
    public init(maker: Decimal, taker: Decimal) {
        self.maker = maker
        self.taker = taker
    }

    /// No fees.
    public static let free = FeeSchedule(maker: 0, taker: 0)
}

/// The synthetic liquidity provider quoting around the scripted price of a market.
///
/// It bids at `price × (1 − halfSpread)` (rounded down to the tick) and asks at
/// `price × (1 + halfSpread)` (rounded up), each for ``depth`` base units. The quotes refill at once:
/// every incoming order can take up to ``depth`` at each side; what is left of a market or IOC order
/// beyond that expires. When the price moves, resting orders the new quotes cross fill at their own
/// limit price (as makers), up to ``depth`` each.
public struct LiquidityConfiguration: Sendable, Hashable, Codable {
    /// Whether the provider quotes at all. Without it only resting orders trade with each other.
    public var isEnabled: Bool
    /// Half the spread, as a fraction of the price (`0.0001` is 0.01 %). Zero quotes both sides at the price.
    public var halfSpread: Decimal
    /// The base quantity available at each side per incoming order.
    public var depth: Decimal

    /// Creates a configuration.
    public init(isEnabled: Bool = true, halfSpread: Decimal = Decimal(sign: .plus, exponent: -4, significand: 1), depth: Decimal = 100) {
        self.isEnabled = isEnabled
        self.halfSpread = halfSpread
        self.depth = depth
    }

    /// No synthetic liquidity.
    public static let disabled = LiquidityConfiguration(isEnabled: false)
}

/// A deterministic random walk of prices: each step multiplies the price of every pair by
/// `1 + volatility × u`, with `u` drawn from −1…1 in thousandths by a ``SplitMix64`` seeded with ``seed``.
public struct RandomWalk: Sendable, Hashable, Codable {
    /// The seed.
    public var seed: UInt64
    /// The largest relative move per step (`0.001` is 0.1 %).
    public var volatility: Decimal

    /// Creates a walk.
    public init(seed: UInt64, volatility: Decimal = Decimal(sign: .plus, exponent: -3, significand: 1)) {
        self.seed = seed
        self.volatility = volatility
    }
}

/// How a ``SimulatedExchange`` behaves: its clock, fees, liquidity, leverage, page sizes, rate
/// limits and faults.
///
/// ```swift
/// var configuration = SimulatedExchange.Configuration()
/// configuration.timeSource = FixedTimeSource(Date(timeIntervalSince1970: 1_700_000_000))
/// configuration.liquidity.depth = 2
/// let exchange = SimulatedExchange(configuration: configuration)
/// ```
public struct SimulatorConfiguration: Sendable {
    /// Where the exchange reads the time (server time = this plus the fault plan's clock skew).
    /// Default: the system clock.
    public var timeSource: any TimeSource
    /// Fees on spot markets. Default 0.1 % maker and taker (Binance and Bybit base tier).
    public var spotFees: FeeSchedule
    /// Fees on perpetuals. Default 0.02 % maker, 0.05 % taker.
    public var perpetualFees: FeeSchedule
    /// The synthetic liquidity for every market without its own entry in ``liquidityBySymbol``.
    public var liquidity: LiquidityConfiguration
    /// Per-market liquidity.
    public var liquidityBySymbol: [Symbol: LiquidityConfiguration]
    /// The leverage of perpetual positions until a key sets another (Binance `POST /fapi/v1/leverage`,
    /// Bybit `POST /v5/position/set-leverage`). Default 10.
    public var defaultLeverage: Decimal
    /// The highest leverage accepted. Default 125.
    public var maximumLeverage: Decimal
    /// A cap on page sizes for cursor-paginated endpoints (Bybit instruments, orders, positions,
    /// executions), so tests can exercise pagination with a few items. `nil`: the exchange's own limits.
    public var maximumPageSize: Int?
    /// Whether request-rate limits are declared and enforced (Binance 429 `-1003` over the weight
    /// limit, Bybit `10006` over the per-endpoint limit). Default `false`: a simulated run is not
    /// paced by the exchanges' budgets unless you ask.
    ///
    /// Binance's `X-MBX-USED-WEIGHT-1M` counts are sent either way (a client paces on them only
    /// against a budget it keeps: see `SimulatedExchange.client(for:…rateLimit:…)`); Bybit's
    /// per-endpoint `X-Bapi-Limit`, `X-Bapi-Limit-Status` and `X-Bapi-Limit-Reset-Timestamp`, which
    /// a client waits on, only when this is on.
    public var enforcesRateLimits: Bool
    /// Binance request weight allowed per minute and IP when rate limits are enforced. Default 6000.
    public var binanceWeightLimit: Int
    /// Whether Bybit spot orders with `isLeverage=1` may borrow (the balance may go negative). When
    /// `false` (the default) such orders are refused, as on an account without spot margin.
    public var allowsSpotBorrowing: Bool
    /// The faults to inject. Default none.
    public var faults: FaultPlan
    /// The seed of the generator behind generated ids (client order ids, Bybit UUIDs).
    public var idSeed: UInt64

    /// Creates a configuration with the defaults.
    public init(
        timeSource: any TimeSource = SystemTimeSource(),
        spotFees: FeeSchedule = FeeSchedule(
            maker: Decimal(sign: .plus, exponent: -3, significand: 1), taker: Decimal(sign: .plus, exponent: -3, significand: 1)),
        perpetualFees: FeeSchedule = FeeSchedule(
            maker: Decimal(sign: .plus, exponent: -4, significand: 2), taker: Decimal(sign: .plus, exponent: -4, significand: 5)),
        liquidity: LiquidityConfiguration = LiquidityConfiguration(),
        liquidityBySymbol: [Symbol: LiquidityConfiguration] = [:],
        defaultLeverage: Decimal = 10,
        maximumLeverage: Decimal = 125,
        maximumPageSize: Int? = nil,
        enforcesRateLimits: Bool = false,
        binanceWeightLimit: Int = 6000,
        allowsSpotBorrowing: Bool = false,
        faults: FaultPlan = FaultPlan(),
        idSeed: UInt64 = 0x5EED
    ) {
        self.timeSource = timeSource
        self.spotFees = spotFees
        self.perpetualFees = perpetualFees
        self.liquidity = liquidity
        self.liquidityBySymbol = liquidityBySymbol
        self.defaultLeverage = defaultLeverage
        self.maximumLeverage = maximumLeverage
        self.maximumPageSize = maximumPageSize
        self.enforcesRateLimits = enforcesRateLimits
        self.binanceWeightLimit = binanceWeightLimit
        self.allowsSpotBorrowing = allowsSpotBorrowing
        self.faults = faults
        self.idSeed = idSeed
    }

    /// The fee schedule for a kind of market.
    func fees(for kind: MarketKind) -> FeeSchedule {
        kind == .spot ? spotFees : perpetualFees
    }

    /// The liquidity for a market.
    func liquidity(for symbol: Symbol) -> LiquidityConfiguration {
        liquidityBySymbol[symbol] ?? liquidity
    }
}
