/// Public market data: instruments and their trading rules, prices and order books.
///
/// Write a bot against these protocols rather than against one exchange's client, and it runs
/// unchanged on every exchange TradeOnly supports:
///
/// ```swift
/// func spread(on market: some MarketData, of symbol: Symbol) async throws -> Decimal? {
///     try await market.orderBook(symbol, depth: 5).spread
/// }
/// ```
public protocol MarketData: Sendable {
    /// The exchange's name, in lower case (`"binance"`, `"bybit"`).
    var exchangeName: String { get }

    /// The exchange's current time.
    ///
    /// - Throws: ``ExchangeError``.
    func serverTime() async throws -> Date

    /// Every instrument of a kind the exchange lists, with its trading rules.
    ///
    /// - Parameter kind: The kind of market (spot or perpetual).
    /// - Returns: The instruments, in the exchange's order.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for a kind the client does not support.
    func instruments(_ kind: MarketKind) async throws -> [Instrument]

    /// One instrument and its trading rules.
    ///
    /// - Parameter symbol: The unified symbol (`BTC/USDT`, `BTC/USDT:USDT`).
    /// - Returns: The instrument.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for an unknown or malformed symbol.
    func instrument(_ symbol: Symbol) async throws -> Instrument

    /// The latest price (and best bid and ask where the exchange gives them).
    ///
    /// - Parameter symbol: The unified symbol.
    /// - Returns: The ticker.
    /// - Throws: ``ExchangeError``.
    func ticker(_ symbol: Symbol) async throws -> Ticker

    /// The order book's best levels.
    ///
    /// - Parameters:
    ///   - symbol: The unified symbol.
    ///   - depth: How many levels per side to ask for; the client picks the nearest depth the exchange offers.
    /// - Returns: The order book, best levels first.
    /// - Throws: ``ExchangeError``.
    func orderBook(_ symbol: Symbol, depth: Int) async throws -> OrderBook
}

extension MarketData {
    /// The order book's 20 best levels per side.
    ///
    /// - Parameter symbol: The unified symbol.
    /// - Returns: The order book, best levels first.
    /// - Throws: ``ExchangeError``.
    public func orderBook(_ symbol: Symbol) async throws -> OrderBook {
        try await orderBook(symbol, depth: 20)
    }
}

/// The account's balances and positions. Read-only.
public protocol AccountData: Sendable {
    /// The balances of the wallet that trades a kind of market.
    ///
    /// On exchanges with one unified account (Bybit's unified trading account) every kind gives the
    /// same wallet; on Binance spot and USDⓈ-M futures are separate wallets.
    ///
    /// - Parameter kind: The kind of market whose wallet to read.
    /// - Returns: The non-zero balances.
    /// - Throws: ``ExchangeError``.
    func balances(for kind: MarketKind) async throws -> [Balance]

    /// The open positions in perpetuals.
    ///
    /// - Returns: The positions that are not flat.
    /// - Throws: ``ExchangeError``.
    func positions() async throws -> [Position]
}

extension AccountData {
    /// The balances of the spot wallet (on a unified account, the unified wallet).
    ///
    /// - Returns: The non-zero balances.
    /// - Throws: ``ExchangeError``.
    public func balances() async throws -> [Balance] {
        try await balances(for: .spot)
    }
}

/// Placing, cancelling and querying orders. There is no method anywhere that withdraws or transfers.
public protocol Trading: Sendable {
    /// Places an order.
    ///
    /// The order is checked against the instrument's rules first and always carries a client order id
    /// (one is generated if the request has none). Placement is never retried blindly: if the outcome
    /// is unknown (a timeout or a 5xx after sending), the client asks the exchange for the order by its
    /// client order id; only if that cannot decide does it throw ``ExchangeError/Kind/outcomeUnknown``
    /// with the id, so the bot can settle it later.
    ///
    /// - Parameter order: The order. Round it with ``Instrument/rounded(_:)`` first to meet the tick and step sizes.
    /// - Returns: The order as the exchange accepted it.
    /// - Throws: ``ExchangeError``.
    func place(_ order: OrderRequest) async throws -> Order

    /// Cancels an order.
    ///
    /// - Parameter order: The order, by exchange id or client order id.
    /// - Returns: The order as the exchange reports it after the cancel.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/orderNotFound`` if the exchange does not know it.
    func cancel(_ order: OrderReference) async throws -> Order

    /// Queries one order.
    ///
    /// - Parameter order: The order, by exchange id or client order id.
    /// - Returns: The order's current state.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/orderNotFound`` if the exchange does not know it.
    func order(_ order: OrderReference) async throws -> Order

    /// The open orders on a market.
    ///
    /// - Parameter symbol: The unified symbol.
    /// - Returns: The orders still open.
    /// - Throws: ``ExchangeError``.
    func openOrders(for symbol: Symbol) async throws -> [Order]

    /// The account's recent fills (trades) on a market, newest last.
    ///
    /// - Parameters:
    ///   - symbol: The unified symbol.
    ///   - limit: The most fills to return.
    /// - Returns: The fills.
    /// - Throws: ``ExchangeError``.
    func fills(for symbol: Symbol, limit: Int) async throws -> [Fill]

    /// Every placement this client made, by client order id, with its state: placed, rejected, not
    /// placed, or still unknown (``OrderJournal/unknownOrders``). Entries are recorded before the order
    /// is sent, so an order whose answer was lost is never forgotten.
    var journal: OrderJournal { get }

    /// Settles an order whose outcome was unknown (an ``ExchangeError/Kind/outcomeUnknown`` error), by
    /// asking the exchange for it by client order id. Never places anything.
    ///
    /// - Parameters:
    ///   - clientOrderID: The id the order was sent with (``ExchangeError/clientOrderID``).
    ///   - symbol: The order's market, or `nil` to take it from the ``journal`` (an order this client
    ///     placed). After a restart, pass it (``ExchangeError/symbol``).
    /// - Returns: The order, if the exchange has it. The journal records it.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/orderNotFound`` if the exchange does not
    ///   have it and can no longer execute it (safe to place again with the same id), of kind
    ///   ``ExchangeError/Kind/outcomeUnknown`` if the exchange still cannot tell, or
    ///   ``ExchangeError/Kind/invalidRequest`` if the symbol is unknown.
    func reconcile(_ clientOrderID: ClientOrderID, on symbol: Symbol?) async throws -> Order
}

extension Trading {
    /// Settles an order whose outcome was unknown, taking its market from the ``journal``.
    ///
    /// - Parameter clientOrderID: The id the order was sent with.
    /// - Returns: The order, if the exchange has it.
    /// - Throws: See ``reconcile(_:on:)``.
    public func reconcile(_ clientOrderID: ClientOrderID) async throws -> Order {
        try await reconcile(clientOrderID, on: nil)
    }
}

extension Trading {
    /// The account's last 50 fills on a market, newest last.
    ///
    /// - Parameter symbol: The unified symbol.
    /// - Returns: The fills.
    /// - Throws: ``ExchangeError``.
    public func fills(for symbol: Symbol) async throws -> [Fill] {
        try await fills(for: symbol, limit: 50)
    }

    /// Cancels an order by the order itself.
    ///
    /// - Parameter order: An order the client returned.
    /// - Returns: The order as the exchange reports it after the cancel.
    /// - Throws: ``ExchangeError``.
    public func cancel(_ order: Order) async throws -> Order {
        try await cancel(order.reference)
    }
}

/// A client for one exchange account: market data, account data and trading, plus a raw-request
/// escape hatch that is subject to the same endpoint policy as everything else.
public protocol ExchangeClient: MarketData, AccountData, Trading {
    /// Sends a request for an endpoint TradeOnly does not wrap.
    ///
    /// The request is checked against the exchange's ``EndpointPolicy`` before anything is signed or
    /// sent: a withdrawal, transfer or other money-moving endpoint throws
    /// ``ExchangeError/Kind/policyViolation`` and the transport sees nothing.
    ///
    /// - Parameter request: The request, unsigned and unencoded.
    /// - Returns: The exchange's response, after error mapping (an exchange error throws).
    /// - Throws: ``ExchangeError``.
    func perform(_ request: ExchangeRequest) async throws -> HTTPResponse
}
