import Foundation
import TradeOnly

/// What a simulated exchange starts with: instruments, prices, balances, leverage and keys. Codable,
/// so `tradeonly-sim --state FILE` can load it from JSON.
///
/// Numbers may be written as JSON strings or numbers; they are read exactly (never through `Double`)
/// and written as strings:
///
/// ```json
/// {
///   "instruments": [{ "symbol": "BTC/USDT", "exchangeSymbol": "BTCUSDT", "tickSize": "0.01",
///                     "quantityStep": "0.00001", "minimumNotional": "5" }],
///   "prices": { "BTC/USDT": "65000" },
///   "balances": { "main": { "USDT": "10000", "BTC": "0.5" } },
///   "keys": [{ "apiKey": "myKey", "secret": "mySecret", "permissions": ["read", "spotTrade"] }]
/// }
/// ```
public struct SimulatorState: Sendable, Codable, Hashable {
    /// The markets.
    public var instruments: [Instrument]
    /// The price per market.
    public var prices: [Symbol: Decimal]
    /// The free balance per account and asset.
    public var balances: [String: [String: Decimal]]
    /// The leverage per account and perpetual (default: the configuration's).
    public var leverage: [String: [Symbol: Decimal]]
    /// The API keys.
    public var keys: [SimulatedKey]

    /// Creates a state.
    public init(
        instruments: [Instrument] = [],
        prices: [Symbol: Decimal] = [:],
        balances: [String: [String: Decimal]] = [:],
        leverage: [String: [Symbol: Decimal]] = [:],
        keys: [SimulatedKey] = []
    ) {
        self.instruments = instruments
        self.prices = prices
        self.balances = balances
        self.leverage = leverage
        self.keys = keys
    }

    /// Reads a state from JSON.
    ///
    /// - Throws: `DecodingError` with the path of the offending value.
    public static func decode(from json: Data) throws -> SimulatorState {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SimulatorState.self, from: json)
    }

    /// The state as pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    private enum CodingKeys: String, CodingKey {
        case instruments, prices, balances, leverage, keys
    }

    /// Decodes a state; every member is optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instruments = try container.decodeIfPresent([InstrumentRecord].self, forKey: .instruments)?.map(\.instrument) ?? []
        let prices = try container.decodeIfPresent([String: WireDecimal].self, forKey: .prices) ?? [:]
        self.prices = Dictionary(uniqueKeysWithValues: prices.map { (Symbol($0.key), $0.value.value) })
        let balances = try container.decodeIfPresent([String: [String: WireDecimal]].self, forKey: .balances) ?? [:]
        self.balances = balances.mapValues { $0.mapValues(\.value) }
        let leverage = try container.decodeIfPresent([String: [String: WireDecimal]].self, forKey: .leverage) ?? [:]
        self.leverage = leverage.mapValues { values in
            Dictionary(uniqueKeysWithValues: values.map { (Symbol($0.key), $0.value.value) })
        }
        keys = try container.decodeIfPresent([SimulatedKey].self, forKey: .keys) ?? []
    }

    /// Encodes the state; numbers as strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instruments.map(InstrumentRecord.init), forKey: .instruments)
        try container.encode(Dictionary(uniqueKeysWithValues: prices.map { ($0.key.rawValue, WireDecimal($0.value)) }), forKey: .prices)
        try container.encode(balances.mapValues { $0.mapValues(WireDecimal.init) }, forKey: .balances)
        try container.encode(
            leverage.mapValues { values in Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, WireDecimal($0.value)) }) },
            forKey: .leverage)
        try container.encode(keys, forKey: .keys)
    }
}

/// An instrument in a state file: numbers exact, most fields optional.
private struct InstrumentRecord: Codable {
    var symbol: Symbol
    var exchangeSymbol: String?
    var status: String?
    var tickSize: WireDecimal
    var quantityStep: WireDecimal
    var minimumPrice: OptionalWireDecimal?
    var maximumPrice: OptionalWireDecimal?
    var minimumQuantity: OptionalWireDecimal?
    var maximumQuantity: OptionalWireDecimal?
    var maximumMarketQuantity: OptionalWireDecimal?
    var minimumNotional: OptionalWireDecimal?
    var maximumNotional: OptionalWireDecimal?

    init(_ instrument: Instrument) {
        symbol = instrument.symbol
        exchangeSymbol = instrument.exchangeSymbol
        status = instrument.status.name
        tickSize = WireDecimal(instrument.tickSize)
        quantityStep = WireDecimal(instrument.quantityStep)
        minimumPrice = OptionalWireDecimal(instrument.minimumPrice)
        maximumPrice = OptionalWireDecimal(instrument.maximumPrice)
        minimumQuantity = OptionalWireDecimal(instrument.minimumQuantity)
        maximumQuantity = OptionalWireDecimal(instrument.maximumQuantity)
        maximumMarketQuantity = OptionalWireDecimal(instrument.maximumMarketQuantity)
        minimumNotional = OptionalWireDecimal(instrument.minimumNotional)
        maximumNotional = OptionalWireDecimal(instrument.maximumNotional)
    }

    var instrument: Instrument {
        Instrument(
            symbol: symbol,
            exchangeSymbol: exchangeSymbol ?? (symbol.base + symbol.quote),
            status: status.map { Instrument.Status(name: $0) } ?? .trading,
            tickSize: tickSize.value, quantityStep: quantityStep.value,
            minimumPrice: minimumPrice?.value, maximumPrice: maximumPrice?.value,
            minimumQuantity: minimumQuantity?.value ?? 0, maximumQuantity: maximumQuantity?.value,
            maximumMarketQuantity: maximumMarketQuantity?.value,
            minimumNotional: minimumNotional?.value, maximumNotional: maximumNotional?.value)
    }
}
