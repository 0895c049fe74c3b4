import Foundation
import TradeOnly

/// One simulated exchange venue: instruments, prices, accounts with balances and keys, an order book
/// with a matching engine, perpetual positions, a clock, and faults, spoken to through an exchange's
/// real wire protocol.
///
/// ```swift
/// let exchange = SimulatedExchange.standard()                       // BTC, ETH spot and perpetuals
/// await exchange.setPrice(65_000, for: "BTC/USDT")
/// let transport = exchange.transport(for: .binance)                 // an HTTPTransport, in process
/// // … or over HTTP:
/// let server = SimulatorServer(exchange: exchange, dialect: .binance)
/// try server.start()                                                // server.baseURL
/// ```
///
/// Everything is exact (`Decimal`); nothing depends on a global random generator: ids, faults and
/// random walks come from seeded ``SplitMix64`` generators.
///
/// ## The model, and its limits
///
/// - **Wallet.** One wallet per account, shared by spot and perpetuals (as a Bybit unified account;
///   Binance's separate futures wallet is not modelled). `free` is available; `locked` holds spot
///   open orders and, for the settlement asset, perpetual order margin and position margin.
/// - **Matching.** Price-time priority among resting orders, plus a synthetic liquidity provider
///   quoting `price ± halfSpread` for `depth` units (``LiquidityConfiguration``). No self-trade
///   prevention. Limit, market, IOC, FOK, post-only, reduce-only; quote-sized market orders.
///   Fees are rounded to 8 decimals; spot buyers pay fees in the base asset, sellers in the quote asset.
/// - **Perpetuals.** One-way mode, linear (USDT) only. Mark price = the scripted price. Margin =
///   notional ÷ leverage, taken when a position opens or grows, released pro rata when it shrinks;
///   resting orders reserve margin at their limit price. No funding, no maintenance margin, no
///   liquidation: losses can take the balance below zero.
public actor SimulatedExchange {
    /// The configuration type.
    public typealias Configuration = SimulatorConfiguration

    var venue: Venue
    private var faults: FaultState
    let timeSource: any TimeSource

    /// Creates an exchange.
    ///
    /// - Parameters:
    ///   - configuration: Clock, fees, liquidity, leverage, page sizes, rate limits and faults.
    ///   - state: Instruments, prices, balances and keys to start with.
    public init(configuration: Configuration = Configuration(), state: SimulatorState = SimulatorState()) {
        venue = Venue(configuration: configuration)
        faults = FaultState(plan: configuration.faults)
        timeSource = configuration.timeSource
        let now = configuration.timeSource.now()
        for instrument in state.instruments {
            venue.addInstrument(instrument)
        }
        for (symbol, price) in state.prices.sorted(by: { $0.key < $1.key }) {
            venue.setPrice(price, for: symbol, at: now)
        }
        for (account, balances) in state.balances.sorted(by: { $0.key < $1.key }) {
            venue.ensureAccount(account)
            for (asset, amount) in balances {
                venue.adjust(asset, in: account, free: amount)
            }
        }
        for key in state.keys {
            venue.addKey(key)
        }
        for (account, leverages) in state.leverage {
            venue.ensureAccount(account)
            for (symbol, leverage) in leverages {
                venue.accounts[account]?.leverage[symbol] = leverage
            }
        }
    }

    // MARK: Time

    /// The server's clock: the time source plus the fault plan's clock skew.
    public var serverTime: Date {
        serverDate()
    }

    private func serverDate() -> Date {
        timeSource.now().addingTimeInterval(Double(faults.plan.clockSkewMilliseconds) / 1000)
    }

    // MARK: Instruments and prices

    /// Adds (or replaces) a market, optionally with its price.
    public func addInstrument(_ instrument: Instrument, price: Decimal? = nil) {
        venue.addInstrument(instrument)
        if let price {
            venue.setPrice(price, for: instrument.symbol, at: serverDate())
        }
    }

    /// The markets, in the order they were added.
    public var instruments: [Instrument] { venue.instruments }

    /// Sets the price of a market (its mark price, and the centre of the liquidity provider's
    /// quotes). Resting orders the new quotes cross are filled at their limit price.
    public func setPrice(_ price: Decimal, for symbol: Symbol) {
        venue.setPrice(price, for: symbol, at: serverDate())
    }

    /// Sets several prices at once.
    public func setPrices(_ prices: [Symbol: Decimal]) {
        for (symbol, price) in prices.sorted(by: { $0.key < $1.key }) {
            venue.setPrice(price, for: symbol, at: serverDate())
        }
    }

    /// The price of a market, or `nil` if it has none.
    public func price(of symbol: Symbol) -> Decimal? {
        venue.price(symbol)
    }

    /// Starts (or restarts) a deterministic random walk: from now on ``stepRandomWalk(steps:)`` moves
    /// every pair's price (a spot market and its perpetual move together).
    public func startRandomWalk(_ walk: RandomWalk) {
        venue.walk = (SplitMix64(seed: walk.seed), walk.volatility, [:])
    }

    /// Moves prices by `steps` steps of the random walk; does nothing without one.
    public func stepRandomWalk(steps: Int = 1) {
        for _ in 0..<max(steps, 0) {
            venue.stepWalk(at: serverDate())
        }
    }

    // MARK: Accounts, balances, keys

    /// Creates an account (if needed) and adds to its free balances.
    public func addAccount(_ name: String, balances: [String: Decimal] = [:]) {
        venue.ensureAccount(name)
        for (asset, amount) in balances {
            venue.adjust(asset, in: name, free: amount)
        }
    }

    /// Sets the free amount of an asset (the locked amount is unchanged).
    public func setBalance(_ amount: Decimal, of asset: String, in account: String = "main") {
        let current = venue.balance(asset, in: account)
        venue.adjust(asset, in: account, free: amount - current.free)
    }

    /// The balance of an asset.
    public func balance(of asset: String, in account: String = "main") -> SimulatedBalance {
        venue.balance(asset, in: account)
    }

    /// All balances of an account.
    public func balances(in account: String = "main") -> [String: SimulatedBalance] {
        venue.accounts[account]?.balances ?? [:]
    }

    /// Adds (or replaces) an API key; creates its account if needed.
    public func addKey(_ key: SimulatedKey) {
        venue.addKey(key)
    }

    /// Changes what an API key may do, as its owner would on the exchange's site (for example by
    /// enabling withdrawals after the key was verified). The key's permission endpoints and its
    /// requests see the change at once.
    ///
    /// - Parameters:
    ///   - permissions: What the key may do from now on.
    ///   - apiKey: The key to change.
    /// - Returns: Whether the key exists (nothing is changed if it does not).
    @discardableResult
    public func setPermissions(_ permissions: Set<Permission>, ofKey apiKey: String) -> Bool {
        guard venue.keys[apiKey] != nil else { return false }
        venue.keys[apiKey]?.permissions = permissions
        return true
    }

    /// Removes an API key.
    public func removeKey(_ apiKey: String) {
        venue.keys[apiKey] = nil
        venue.keyOrder.removeAll { $0 == apiKey }
    }

    /// The keys, in the order they were added.
    public var keys: [SimulatedKey] {
        venue.keyOrder.compactMap { venue.keys[$0] }
    }

    /// Sets the leverage of an account on a perpetual.
    public func setLeverage(_ leverage: Decimal, for symbol: Symbol, in account: String = "main") {
        venue.ensureAccount(account)
        venue.accounts[account]?.leverage[symbol] = leverage
    }

    // MARK: Orders, fills, positions

    /// Every order ever accepted, in order.
    public func allOrders() -> [SimulatedOrder] {
        venue.orders
    }

    /// The orders placed with a client order id (Binance `newClientOrderId`, Bybit `orderLinkId`):
    /// a client that never sends an order twice leaves at most one per id.
    public func orders(withClientOrderID clientOrderID: String) -> [SimulatedOrder] {
        venue.orderIndexes(clientOrderID: clientOrderID).map { venue.orders[$0] }
    }

    /// The open orders of an account.
    public func openOrders(in account: String = "main") -> [SimulatedOrder] {
        venue.openOrderIndexes(account: account).map { venue.orders[$0] }
    }

    /// Every execution, in order.
    public func fills() -> [SimulatedFill] {
        venue.fills
    }

    /// The position of an account on a perpetual (size zero if flat).
    public func position(for symbol: Symbol, in account: String = "main") -> SimulatedPosition {
        venue.publicPosition(symbol, in: account)
    }

    /// The withdrawals and transfers performed (for keys that had the permission).
    public func moneyMovements() -> [MoneyMovement] {
        venue.movements
    }

    // MARK: Faults

    /// Replaces the fault plan (its generator restarts from the plan's seed; IP bans in force stay).
    public func setFaultPlan(_ plan: FaultPlan) {
        faults.replace(with: plan)
    }

    /// The fault plan, with the scripted counts left.
    public var faultPlan: FaultPlan { faults.plan }

    /// How many faults were injected.
    public var faultsInjected: Int { faults.injected.count }

    /// The faults injected, in order.
    public func injectedFaults() -> [InjectedFault] {
        faults.injected
    }

    /// How many requests the exchange received (through every transport and server).
    public var requestCount: Int { faults.requestCount }

    // MARK: State

    /// The current instruments, prices, balances (free plus locked) and keys, to save as JSON.
    public func state() -> SimulatorState {
        var state = SimulatorState()
        state.instruments = venue.instruments
        state.prices = venue.prices
        for (name, account) in venue.accounts {
            state.balances[name] = account.balances.mapValues(\.total)
            if !account.leverage.isEmpty {
                state.leverage[name] = account.leverage
            }
        }
        state.keys = keys
        return state
    }

    // MARK: Transports

    /// An in-process `HTTPTransport` speaking `dialect`: any host is accepted, requests are routed by
    /// path. `clientIP` is the address the exchange sees (for IP whitelists and bans).
    public nonisolated func transport(for dialect: Dialect, clientIP: String = "127.0.0.1") -> SimulatedTransport {
        SimulatedTransport(exchange: self, dialect: dialect, clientIP: clientIP)
    }

    // MARK: Handling

    /// Handles one request: faults, then the dialect.
    func handle(_ request: SimulatorRequest, dialect: Dialect) async -> SimulatorResponse {
        let wire = dialect.implementation
        let context = RequestContext(serverDate: serverDate(), expiredKeys: faults.plan.expiredAPIKeys)
        if let end = faults.banEnd(ip: request.clientIP, dialect: dialect.name, now: context.serverDate) {
            return wire.banResponse(until: end, context: context)
        }
        let decision = faults.decide(method: request.method, path: request.path)
        if decision.latencyMilliseconds > 0 {
            try? await Task.sleep(nanoseconds: UInt64(decision.latencyMilliseconds) * 1_000_000)
        }
        let fault = decision.fault
        if let fault, !fault.executesRequest {
            let now = RequestContext(serverDate: serverDate(), expiredKeys: faults.plan.expiredAPIKeys)
            return faultResponse(fault, wire: wire, request: request, context: now, executed: nil)
        }
        let now = RequestContext(serverDate: serverDate(), expiredKeys: faults.plan.expiredAPIKeys)
        let response = wire.respond(to: request, venue: &venue, context: now)
        guard let fault else { return response }
        return faultResponse(fault, wire: wire, request: request, context: now, executed: response)
    }

    private func faultResponse(
        _ fault: Fault, wire: any WireProtocol, request: SimulatorRequest, context: RequestContext,
        executed: SimulatorResponse?
    ) -> SimulatorResponse {
        switch fault {
        case .lostResponse:
            return .lost
        case .banned(let seconds):
            faults.ban(ip: request.clientIP, dialect: wire.name, until: context.serverDate.addingTimeInterval(Double(seconds)))
            return wire.faultResponse(fault, context: context)
        case .rateLimited, .serverError:
            return wire.faultResponse(fault, context: context)
        case .malformedJSON:
            var body = executed?.body ?? Data(#"{"code":-1000,"msg":"An unknown error occurred while processing the request."}"#.utf8)
            body = body.prefix(max(body.count / 2, 1))
            if body.count < 2 { body = Data(#"{"code":"#.utf8) }
            return SimulatorResponse(status: 200, headerFields: [("Content-Type", "application/json")], body: body)
        case .htmlPage(let status, _):
            let html = """
                <html>\r
                <head><title>\(status) Bad Gateway</title></head>\r
                <body>\r
                <center><h1>\(status) Bad Gateway</h1></center>\r
                <hr><center>CloudFront</center>\r
                </body>\r
                </html>\r

                """
            return SimulatorResponse(
                status: status, headerFields: [("Content-Type", "text/html"), ("Server", "CloudFront")],
                body: Data(html.utf8))
        }
    }
}
