import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlySimulator

/// The Binance client against the simulated exchange, in process: one fixed clock for both, and a
/// sleeper that moves it, so retries, rate-limit waits and reconciliation take no real time.
struct BinanceSimulation {
    let exchange: SimulatedExchange
    let time: FixedTimeSource
    let sleeper: AdvancingSleeper
    let binance: Binance

    /// Any host: the in-process transport routes by path.
    static let localURL = URL(string: "http://127.0.0.1:9")!

    init(
        environment: Binance.Environment = .local(BinanceSimulation.localURL),
        configuration: Binance.Configuration = .init(),
        logger: TradeOnlyLogger = .disabled,
        transport: (any HTTPTransport)? = nil,
        exchange: SimulatedExchange? = nil,
        time: FixedTimeSource? = nil,
        configure: (inout SimulatedExchange.Configuration) -> Void = { _ in }
    ) {
        let time = time ?? FixedTimeSource(fixedStart)
        self.time = time
        var simulatorConfiguration = SimulatedExchange.Configuration(timeSource: time)
        configure(&simulatorConfiguration)
        let exchange = exchange ?? SimulatedExchange.standard(for: .binance, configuration: simulatorConfiguration)
        self.exchange = exchange
        sleeper = AdvancingSleeper(time)
        binance = Binance(
            environment: environment, transport: transport ?? exchange.transport(for: .binance), timeSource: time,
            logger: logger, configuration: configuration, sleeper: sleeper, jitter: .seeded(7))
    }

    /// The credentials of a simulator key.
    static func credentials(_ key: SimulatedKey = SimulatedExchange.standardTradeKey) throws -> Credentials {
        try Credentials(apiKey: key.apiKey, secret: Secret(key.secret))
    }

    /// A client for the standard trade-only key, verified through the inspector.
    func client(_ key: SimulatedKey = SimulatedExchange.standardTradeKey) async throws -> BinanceClient {
        let safe = try await SafeKey.verify(Self.credentials(key), using: binance.keyInspector)
        return binance.client(safe)
    }

    /// How many orders the exchange holds with a client order id.
    func orders(withClientOrderID id: String) async -> Int {
        await exchange.orders(withClientOrderID: id).count
    }
}

/// Decimal literals, exactly.
func exactly(_ text: String) throws -> Decimal {
    try #require(Decimal(exactly: text), "not a decimal: \(text)")
}
