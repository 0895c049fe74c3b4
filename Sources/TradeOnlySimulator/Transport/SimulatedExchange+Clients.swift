import Foundation
import TradeOnly

extension SimulatedExchange {
    /// An exchange value (`Binance`, `Bybit`) whose every request goes to this simulator, in process,
    /// through ``transport(for:clientIP:)``: no URL to make up, nothing dialled.
    ///
    /// ```swift
    /// let simulator = SimulatedExchange.standard(for: .bybit)
    /// let bybit = try simulator.connection(for: Bybit.self)
    /// let key = try await SafeKey.verify(credentials, using: bybit.keyInspector, policy: .tradeOnly)
    /// ```
    ///
    /// The value reads the time from the simulator's time source, so the timestamps it signs are the
    /// ones the simulator expects; on a ``FixedTimeSource`` it waits (retries, rate limits,
    /// reconciliation) with an ``AdvancingSleeper`` that moves that clock, so no wait takes real time. Its rate-limit governor keeps `rateLimit` instead of the real
    /// exchange's budgets (none by default: a simulated run is not paced unless you ask); what the
    /// simulator answers (usage headers, 429 and 418 when ``SimulatorConfiguration/enforcesRateLimits``
    /// is on, faults) still counts.
    ///
    /// - Parameters:
    ///   - exchange: The exchange module's type: `Binance.self`, `Bybit.self`.
    ///   - clientIP: The address the simulator sees (for IP whitelists and bans).
    ///   - rateLimit: A weight budget for the client side to keep, or `nil` (the default) for none.
    ///   - logger: Where the value's events go (redacted). Off by default.
    /// - Returns: The value, its environment a local stand-in (keys are verified for `local`).
    /// - Throws: ``ExchangeError/Kind/invalidRequest`` if the simulator does not speak the exchange's
    ///   wire protocol (it speaks those of ``Dialect/all``).
    public nonisolated func connection<Module: Exchange>(
        for exchange: Module.Type, clientIP: String = "127.0.0.1", rateLimit: RateLimitGovernor.Limit? = nil,
        logger: TradeOnlyLogger = .disabled
    ) throws -> Module {
        guard let dialect = Dialect(name: Module.exchangeName) else {
            throw ExchangeError(
                .invalidRequest,
                message: "the simulator does not speak \(Module.exchangeName)'s wire protocol; it speaks "
                    + Dialect.all.map(\.name).joined(separator: ", "),
                exchange: Module.exchangeName)
        }
        let sleeper: any Sleeper = (timeSource as? FixedTimeSource).map { AdvancingSleeper($0) } ?? TaskSleeper()
        return Module.standIn(
            transport: transport(for: dialect, clientIP: clientIP), rateLimit: rateLimit, timeSource: timeSource,
            sleeper: sleeper, logger: logger)
    }

    /// A real client of an exchange module (`BinanceClient`, `BybitClient`) trading on this simulator,
    /// its key verified: the one call a test or a first step needs.
    ///
    /// ```swift
    /// let simulator = SimulatedExchange.standard(for: .binance)
    /// let client = try await simulator.client(for: Binance.self)
    /// let placed = try await client.place(.market(.buy, "BTC/USDT", quantity: Decimal(exactly: "0.001")!))
    /// ```
    ///
    /// It makes the exchange value with ``connection(for:clientIP:rateLimit:logger:)``, verifies `key`
    /// with its key inspector and `policy` (`SafeKey.verify(_:using:policy:)`, as against the real
    /// exchange), and returns the value's client for that key.
    ///
    /// - Parameters:
    ///   - exchange: The exchange module's type: `Binance.self`, `Bybit.self`.
    ///   - key: The simulated key to trade with; ``standardTradeKey`` by default (add your own with
    ///     ``addKey(_:)`` first).
    ///   - policy: What the key must satisfy; `.tradeOnly` by default.
    ///   - clientIP: The address the simulator sees (for IP whitelists and bans).
    ///   - rateLimit: A weight budget for the client side to keep, or `nil` (the default) for none.
    ///   - logger: Where the client's events go (redacted). Off by default.
    /// - Returns: The client.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/unsafeKey`` if the key fails the
    ///   policy (a withdraw-enabled key with `.tradeOnly`), the errors of
    ///   ``connection(for:clientIP:rateLimit:logger:)``, and those of `Credentials(apiKey:secret:)`.
    public func client<Module: Exchange>(
        for exchange: Module.Type, key: SimulatedKey = SimulatedExchange.standardTradeKey,
        policy: KeyPolicy = .tradeOnly, clientIP: String = "127.0.0.1", rateLimit: RateLimitGovernor.Limit? = nil,
        logger: TradeOnlyLogger = .disabled
    ) async throws -> Module.Client {
        let venue = try connection(for: exchange, clientIP: clientIP, rateLimit: rateLimit, logger: logger)
        let credentials = try Credentials(apiKey: key.apiKey, secret: Secret(key.secret))
        let safeKey = try await SafeKey.verify(credentials, using: venue.keyInspector, policy: policy)
        return venue.client(safeKey)
    }
}
