/// One tradable market on one exchange, with the rules an order must follow to be accepted.
///
/// Exchange modules build instruments from the exchange's market metadata (Binance `exchangeInfo`
/// filters, Bybit `instruments-info`, OKX `public/instruments`, Gate `currency_pairs` and `contracts`).
/// Before an order is sent, ``validate(_:referencePrice:)`` checks it against these rules and names the
/// broken rule and the nearest valid values; ``rounded(_:)`` moves an order onto the grid the safe way.
///
/// Where the fields come from:
///
/// | Field | Binance | Bybit v5 | OKX v5 | Gate v4 |
/// |---|---|---|---|---|
/// | ``tickSize`` | `PRICE_FILTER.tickSize` | `priceFilter.tickSize` | `tickSz` | 10^-`precision`; futures `order_price_round` |
/// | ``quantityStep`` | `LOT_SIZE.stepSize` | `qtyStep`; spot `basePrecision` | `lotSz` | 10^-`amount_precision`; futures 1 |
/// | ``minimumQuantity`` | `LOT_SIZE.minQty` | `minOrderQty` (not checked on spot) | `minSz` | `min_base_amount`; `order_size_min` |
/// | ``maximumQuantity`` | `LOT_SIZE.maxQty` | `maxOrderQty`; spot `maxLimitOrderQty` | `maxLmtSz` | `max_base_amount`; `order_size_max` |
/// | ``maximumMarketQuantity`` | `MARKET_LOT_SIZE.maxQty` | `maxMktOrderQty`; spot `maxMarketOrderQty` | `maxMktSz` | – |
/// | ``minimumNotional`` | `NOTIONAL.minNotional`; futures `MIN_NOTIONAL.notional` | `minNotionalValue`; spot `minOrderAmt` | – | `min_quote_amount` |
/// | ``maximumNotional`` | `NOTIONAL.maxNotional` | spot `maxOrderAmt` | – | `max_quote_amount` |
/// | ``contractSize`` | 1 | 1 | `ctVal` | 1; futures `quanto_multiplier` |
///
/// A zero ``tickSize`` or ``quantityStep`` means "no grid", as Binance's "disabled when 0".
public struct Instrument: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether a market is open for orders.
    ///
    /// Exchange modules map their wire values with ``init(wireValue:mapping:)``; a value a module does not
    /// know becomes ``other(_:)`` with the raw string, and is treated as not trading.
    public enum Status: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Open for orders. Binance `TRADING`, Bybit `Trading`, OKX `live`, Gate `tradable`/`trading`.
        case trading
        /// Listed but not yet open. Binance `PRE_TRADING`/`PENDING_TRADING`, Bybit `PreLaunch`,
        /// OKX `preopen`, Gate `prelaunch`.
        case preTrading
        /// Temporarily closed. Binance `BREAK`/`HALT`, OKX `suspend`, Gate `circuit_breaker`.
        case halted
        /// No longer tradable. Binance futures `CLOSE`/`DELIVERED`, Bybit `Closed`, Gate `delisted`.
        case delisted
        /// A status this version of TradeOnly does not model, with the exchange's raw value (Gate spot
        /// `buyable`/`sellable`, Bybit `Delivering`, …).
        case other(String)

        /// Maps an exchange's raw status through the module's table; a value missing from the table
        /// becomes ``other(_:)`` carrying it.
        public init(wireValue: String, mapping: [String: Status]) {
            self = mapping[wireValue] ?? .other(wireValue)
        }

        /// Creates a status from its unified ``name``; any other string is ``other(_:)``.
        public init(name: String) {
            switch name {
            case "trading": self = .trading
            case "preTrading": self = .preTrading
            case "halted": self = .halted
            case "delisted": self = .delisted
            default: self = .other(name)
            }
        }

        /// The unified name (`trading`, `preTrading`, `halted`, `delisted`), or the raw value for ``other(_:)``.
        public var name: String {
            switch self {
            case .trading: return "trading"
            case .preTrading: return "preTrading"
            case .halted: return "halted"
            case .delisted: return "delisted"
            case .other(let raw): return raw
            }
        }

        /// Whether orders can be placed.
        public var isTrading: Bool { self == .trading }

        /// The unified name; another status shows as `other(RAW)`.
        public var description: String {
            if case .other(let raw) = self { return "other(\(raw))" }
            return name
        }

        /// Decodes a status from its ``name``.
        public init(from decoder: any Decoder) throws {
            self.init(name: try decoder.singleValueContainer().decode(String.self))
        }

        /// Encodes the status as its ``name``.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(name)
        }
    }

    /// What an order's quantity counts.
    public enum QuantityUnit: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
        /// Units of the base asset: spot everywhere, Binance USDⓈ-M and Bybit linear perpetuals.
        case base
        /// Contracts of ``Instrument/contractSize`` each: OKX swaps, Gate futures, inverse perpetuals.
        case contracts

        /// `base` or `contracts`.
        public var description: String { rawValue }
    }

    /// The names of the rules ``Instrument/validate(_:referencePrice:)`` checks, as found in
    /// ``ExchangeError/rule``.
    public enum Rule {
        /// The order is for another symbol (kind `invalidRequest`).
        public static let symbol = "symbol"
        /// The market is not open for orders.
        public static let status = "status"
        /// The quantity is not a positive number.
        public static let quantity = "quantity"
        /// The limit price is missing, not a positive number, or given on a market order.
        public static let price = "price"
        /// Post-only on a market order or with an immediate time in force (kind `invalidRequest`).
        public static let postOnly = "postOnly"
        /// Reduce-only on a spot market (kind `invalidRequest`).
        public static let reduceOnly = "reduceOnly"
        /// The price is not a multiple of the tick size (Binance `PRICE_FILTER`).
        public static let tickSize = "tickSize"
        /// The price is below the minimum price.
        public static let minimumPrice = "minimumPrice"
        /// The price is above the maximum price.
        public static let maximumPrice = "maximumPrice"
        /// The quantity is not a multiple of the quantity step (Binance `LOT_SIZE`).
        public static let quantityStep = "quantityStep"
        /// The quantity is below the minimum quantity.
        public static let minimumQuantity = "minimumQuantity"
        /// The quantity is above the maximum quantity.
        public static let maximumQuantity = "maximumQuantity"
        /// A market order's quantity is above the maximum market quantity (Binance `MARKET_LOT_SIZE`).
        public static let maximumMarketQuantity = "maximumMarketQuantity"
        /// The order's value is below the minimum notional (Binance `NOTIONAL`/`MIN_NOTIONAL`).
        public static let minimumNotional = "minimumNotional"
        /// The order's value is above the maximum notional.
        public static let maximumNotional = "maximumNotional"
        /// A market order on an instrument whose notional limits apply to market orders was validated
        /// without a reference price, so its value could not be checked (kind `invalidRequest`).
        public static let referencePrice = "referencePrice"
    }

    /// The unified symbol (`BTC/USDT`, `BTC/USDT:USDT`).
    public var symbol: Symbol
    /// The exchange's own id for the market (`BTCUSDT`, `BTC-USDT-SWAP`, `BTC_USDT`).
    public var exchangeSymbol: String
    /// Spot, linear or inverse perpetual.
    public var kind: MarketKind
    /// Whether the market is open for orders.
    public var status: Status
    /// The asset bought and sold (`BTC`).
    public var baseAsset: String
    /// The asset prices are quoted in (`USDT`).
    public var quoteAsset: String
    /// The asset a perpetual settles in (`USDT`), or `nil` for spot.
    public var settleAsset: String?
    /// Prices must be multiples of this; zero means no grid.
    public var tickSize: Decimal
    /// Quantities must be multiples of this; zero means no grid.
    public var quantityStep: Decimal
    /// The lowest accepted price, if any.
    public var minimumPrice: Decimal?
    /// The highest accepted price, if any.
    public var maximumPrice: Decimal?
    /// The lowest accepted quantity (zero for none).
    public var minimumQuantity: Decimal
    /// The highest accepted quantity for any order, if any.
    public var maximumQuantity: Decimal?
    /// A lower cap on market orders' quantity, if any (checked on top of ``maximumQuantity``).
    public var maximumMarketQuantity: Decimal?
    /// The lowest accepted order value in the quote asset (see ``notional(price:quantity:)``), if any.
    public var minimumNotional: Decimal?
    /// The highest accepted order value in the quote asset, if any.
    public var maximumNotional: Decimal?
    /// Whether ``minimumNotional`` applies to market orders too (Binance `applyMinToMarket`).
    public var minimumNotionalAppliesToMarketOrders: Bool
    /// Whether ``maximumNotional`` applies to market orders too (Binance `applyMaxToMarket`).
    public var maximumNotionalAppliesToMarketOrders: Bool
    /// How much one unit of quantity is: 1 for base-unit quantities; for contracts, base units per
    /// contract for linear instruments (OKX `ctVal`, Gate `quanto_multiplier`) or quote units (USD) per
    /// contract for inverse ones.
    public var contractSize: Decimal
    /// What an order's quantity counts: base units or contracts.
    public var quantityUnit: QuantityUnit

    /// Creates an instrument.
    ///
    /// - Parameters:
    ///   - symbol: The unified symbol.
    ///   - exchangeSymbol: The exchange's own id for the market.
    ///   - kind: Spot, linear or inverse perpetual; defaults to what the symbol says (spot if it says nothing).
    ///   - status: Whether the market is open; defaults to trading.
    ///   - baseAsset: The base asset; defaults to the symbol's.
    ///   - quoteAsset: The quote asset; defaults to the symbol's.
    ///   - settleAsset: The settlement asset; defaults to the symbol's.
    ///   - tickSize: The price grid (zero for none).
    ///   - quantityStep: The quantity grid (zero for none).
    ///   - minimumPrice: The lowest accepted price.
    ///   - maximumPrice: The highest accepted price.
    ///   - minimumQuantity: The lowest accepted quantity; defaults to zero.
    ///   - maximumQuantity: The highest accepted quantity.
    ///   - maximumMarketQuantity: The highest accepted quantity for market orders.
    ///   - minimumNotional: The lowest accepted order value.
    ///   - maximumNotional: The highest accepted order value.
    ///   - minimumNotionalAppliesToMarketOrders: Whether the minimum value applies to market orders; defaults to `true`.
    ///   - maximumNotionalAppliesToMarketOrders: Whether the maximum value applies to market orders; defaults to `true`.
    ///   - contractSize: The size of one quantity unit; defaults to 1.
    ///   - quantityUnit: What quantities count; defaults to base units.
    public init(
        symbol: Symbol,
        exchangeSymbol: String,
        kind: MarketKind? = nil,
        status: Status = .trading,
        baseAsset: String? = nil,
        quoteAsset: String? = nil,
        settleAsset: String? = nil,
        tickSize: Decimal,
        quantityStep: Decimal,
        minimumPrice: Decimal? = nil,
        maximumPrice: Decimal? = nil,
        minimumQuantity: Decimal = 0,
        maximumQuantity: Decimal? = nil,
        maximumMarketQuantity: Decimal? = nil,
        minimumNotional: Decimal? = nil,
        maximumNotional: Decimal? = nil,
        minimumNotionalAppliesToMarketOrders: Bool = true,
        maximumNotionalAppliesToMarketOrders: Bool = true,
        contractSize: Decimal = 1,
        quantityUnit: QuantityUnit = .base
    ) {
        self.symbol = symbol
        self.exchangeSymbol = exchangeSymbol
        self.kind = kind ?? symbol.kind ?? .spot
        self.status = status
        self.baseAsset = baseAsset ?? symbol.base
        self.quoteAsset = quoteAsset ?? symbol.quote
        self.settleAsset = settleAsset ?? symbol.settle
        self.tickSize = tickSize
        self.quantityStep = quantityStep
        self.minimumPrice = minimumPrice
        self.maximumPrice = maximumPrice
        self.minimumQuantity = minimumQuantity
        self.maximumQuantity = maximumQuantity
        self.maximumMarketQuantity = maximumMarketQuantity
        self.minimumNotional = minimumNotional
        self.maximumNotional = maximumNotional
        self.minimumNotionalAppliesToMarketOrders = minimumNotionalAppliesToMarketOrders
        self.maximumNotionalAppliesToMarketOrders = maximumNotionalAppliesToMarketOrders
        self.contractSize = contractSize
        self.quantityUnit = quantityUnit
    }

    /// The value of an order in the quote asset: `price × quantity × contractSize`, or, for an inverse
    /// perpetual (whose contracts are worth a fixed amount of the quote asset), `quantity × contractSize`.
    public func notional(price: Decimal, quantity: Decimal) -> Decimal {
        kind == .inversePerpetual
            ? quantity.exactlyMultiplied(by: contractSize)
            : price.exactlyMultiplied(by: quantity).exactlyMultiplied(by: contractSize)
    }

    /// `BTC/USDT (BTCUSDT, spot, trading) tick 0.01 step 0.00001 min 0.00001 notional ≥ 5`.
    public var description: String {
        var text = "\(symbol) (\(exchangeSymbol), \(kind), \(status)) tick \(tickSize.plainString)"
        text += " step \(quantityStep.plainString)"
        if quantityUnit == .contracts { text += " contracts of \(contractSize.plainString)" }
        if minimumQuantity > 0 { text += " min \(minimumQuantity.plainString)" }
        if let maximumQuantity { text += " max \(maximumQuantity.plainString)" }
        if let minimumNotional { text += " notional ≥ \(minimumNotional.plainString)" }
        if let maximumNotional { text += " notional ≤ \(maximumNotional.plainString)" }
        return text
    }
}
