/// What every exchange module's entry value (`Binance`, `Bybit`) offers in common: its name, its key
/// inspector, its clients, and a way to point it at a stand-in for the exchange (the simulator, a
/// recorded-response server) reached through a transport.
///
/// Written against this protocol, code that sets up clients works for every module. The simulator
/// uses it to hand out real clients with verified keys in one call:
///
/// ```swift
/// let simulator = SimulatedExchange.standard(for: .binance)
/// let client = try await simulator.client(for: Binance.self)   // a BinanceClient, its key verified
/// ```
public protocol Exchange: Sendable {
    /// The client type ``client(_:)`` makes (`BinanceClient`, `BybitClient`).
    associatedtype Client: ExchangeClient
    /// The key inspector type (`BinanceKeyInspector`, `BybitKeyInspector`).
    associatedtype Inspector: KeyInspector

    /// The exchange's name in errors, key reports and logs (`"binance"`, `"bybit"`).
    static var exchangeName: String { get }

    /// A value whose every request goes through `transport` to a stand-in for the exchange that
    /// serves all of the exchange's hosts (the in-process simulator, a recorded-response server).
    ///
    /// Keys are verified for the `local` key environment. The rate-limit governor keeps `rateLimit`
    /// for the stand-in instead of the real exchange's budgets, so a simulated run is paced only
    /// when asked; what the stand-in reports in its answers (usage headers, 429, 418) still counts.
    ///
    /// - Parameters:
    ///   - transport: The transport that reaches the stand-in (it answers for every host).
    ///   - rateLimit: The weight budget to keep for the stand-in, or `nil` for none.
    ///   - timeSource: The local clock; pass the stand-in's clock when it has one of its own.
    ///   - sleeper: How retries, rate-limit waits and reconciliation wait: ``TaskSleeper`` on a real
    ///     clock, an ``AdvancingSleeper`` on a ``FixedTimeSource`` (no wait takes real time).
    ///   - logger: Where events go (redacted).
    /// - Returns: The value.
    static func standIn(
        transport: any HTTPTransport, rateLimit: RateLimitGovernor.Limit?, timeSource: any TimeSource,
        sleeper: any Sleeper, logger: TradeOnlyLogger
    ) -> Self

    /// Asks the exchange what a key can do, for `SafeKey.verify(_:using:policy:)`.
    var keyInspector: Inspector { get }

    /// A client that trades with a key verified by this value's ``keyInspector``.
    ///
    /// - Parameter key: The verified key.
    /// - Returns: The client.
    func client(_ key: SafeKey) -> Client
}
