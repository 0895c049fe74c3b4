/// Public market data: instruments and their trading rules, prices and order books.
///
/// Write a bot against these protocols rather than against one exchange's client, and it runs
/// unchanged on every exchange TradeOnly supports. Every module behaves the same way at the edges
/// (the conformance suite, `Tests/TradeOnlyConformanceTests`, checks each one):
///
/// - **Public data never needs the key.** A client whose key was refused (verified for another
///   exchange, environment or origin, or failing its policy when verified again) still serves every
///   method of this protocol.
/// - **Bad input is refused before anything is sent**, with ``ExchangeError/Kind/invalidRequest``: a
///   malformed symbol, a market the module does not serve, a symbol the exchange does not list, a
///   depth of 0 or less.
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
    /// From the client's cache: fetched on first use and again once the configuration's
    /// `instrumentCacheLifetime` has passed; a symbol missing from a cache fetched more than a minute
    /// ago fetches the list again (a new listing), and within that minute it is unknown.
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
    ///   - depth: How many levels per side to ask for, at least 1; the client asks for the nearest depth
    ///     the exchange offers at or above it (at most the exchange's maximum) and returns at most `depth`.
    /// - Returns: The order book, best levels first.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for a depth of 0 or less,
    ///   with nothing sent.
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
///
/// Every method here is signed. With a key the client must not use (verified for another exchange,
/// environment or origin; or failing its policy when verified again) each throws that refusal
/// before anything is sent: ``ExchangeError/Kind/invalidRequest`` or ``ExchangeError/Kind/unsafeKey``.
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
///
/// The behaviour every exchange module follows (and the conformance suite checks):
///
/// - **A refused key** (verified for another exchange, environment or origin; or failing its policy
///   when verified again): every method here throws the refusal before anything is sent
///   (``ExchangeError/Kind/invalidRequest``, or ``ExchangeError/Kind/unsafeKey`` after a failed
///   re-verification). Public market data keeps working.
/// - **A missing trade permission** (placing or cancelling a spot order without
///   ``TradePermission/spotTrade``, a perpetual without ``TradePermission/futuresTrade``):
///   ``ExchangeError/Kind/permissionDenied``, before anything is sent.
/// - **Limits of 0 or less** (`fills(for:limit:)`): ``ExchangeError/Kind/invalidRequest``, before
///   anything is sent; limits above the exchange's maximum are lowered to it.
/// - **Client order ids** must satisfy the exchange's ``ClientOrderID/Rule`` (alphabet, length,
///   prefix): an id that does not throws ``ExchangeError/Kind/invalidRequest`` before anything is sent.
/// - **Errors about an order** carry its ``ExchangeError/clientOrderID`` (when known) and its
///   ``ExchangeError/symbol``.
public protocol Trading: Sendable {
    /// Places an order.
    ///
    /// The order is checked against the instrument's rules first and always carries a client order id
    /// (one is generated if the request has none). Placement is never retried blindly: if the outcome
    /// is unknown (a timeout or a 5xx after sending), the client asks the exchange for the order by its
    /// client order id; only if that cannot decide does it throw ``ExchangeError/Kind/outcomeUnknown``
    /// with the id, so the bot can settle it later.
    ///
    /// - The ``journal`` records the placement as ``OrderJournal/State/sending`` before it is sent,
    ///   then ``OrderJournal/State/placed(exchangeOrderID:status:)``,
    ///   ``OrderJournal/State/rejected(_:)``, ``OrderJournal/State/notPlaced`` (certainly not sent) or
    ///   ``OrderJournal/State/unknown``.
    /// - **A post-only order that would take liquidity** (cross the book) throws
    ///   ``ExchangeError/Kind/orderRejected`` on every exchange, and the journal records it as
    ///   rejected: Binance refuses it outright; Bybit accepts it and cancels it at once
    ///   (`EC_PostOnlyWillTakeLiquidity`), so the Bybit client reads a post-only order back after
    ///   placing it to learn that.
    ///
    /// - Parameter order: The order. Round it with ``Instrument/rounded(_:)`` first to meet the tick and step sizes.
    /// - Returns: The order as the exchange accepted it.
    /// - Throws: ``ExchangeError``: the instrument's validation error or a client order id that breaks
    ///   the exchange's rule (``ExchangeError/Kind/invalidRequest``, nothing sent); the exchange's
    ///   rejection (``ExchangeError/Kind/orderRejected``, …); ``ExchangeError/Kind/network`` with
    ///   ``ExchangeError/RetryAdvice/retry`` if certainly not placed; ``ExchangeError/Kind/outcomeUnknown``.
    func place(_ order: OrderRequest) async throws -> Order

    /// Cancels an order. Cancelling is idempotent:
    ///
    /// - an open order: returned ``OrderStatus/cancelled`` (or ``OrderStatus/pendingCancel`` where the
    ///   exchange acknowledges a cancel before its book has processed it);
    /// - an order that is already final (filled, cancelled, expired or rejected): returned as it is,
    ///   without error (a filled order stays ``OrderStatus/filled``: nothing was cancelled);
    /// - an order the exchange does not know: throws ``ExchangeError/Kind/orderNotFound``;
    /// - an unknown outcome (a timeout after sending): the order is read until it is final; if it is
    ///   still open at the reconciliation deadline, ``ExchangeError/Kind/outcomeUnknown`` (cancelling
    ///   again is safe).
    ///
    /// - Parameter order: The order, by exchange id or client order id.
    /// - Returns: The order as the exchange reports it after the cancel.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/orderNotFound`` if the exchange does not know it;
    ///   ``ExchangeError/Kind/permissionDenied`` without the trade permission (nothing sent).
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
    ///   - limit: The most fills to return, at least 1 (lowered to the exchange's maximum).
    /// - Returns: The fills, oldest first.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for a limit of 0 or less, with
    ///   nothing sent.
    func fills(for symbol: Symbol, limit: Int) async throws -> [Fill]

    /// Every placement this client made, by client order id, with its state: placed, rejected, not
    /// placed, or still unknown (``OrderJournal/unknownOrders``). Entries are recorded before the order
    /// is sent, so an order whose answer was lost is never forgotten.
    var journal: OrderJournal { get }

    /// Settles an order whose outcome was unknown (an ``ExchangeError/Kind/outcomeUnknown`` error), by
    /// asking the exchange for it by client order id. Never places anything. The edges:
    ///
    /// - **unknown id** (not in the journal and no symbol given): ``ExchangeError/Kind/invalidRequest``;
    ///   an id the exchange does not have, once it can no longer execute (its receive window has passed
    ///   since it was last signed): ``ExchangeError/Kind/orderNotFound``, journalled as not placed;
    /// - **already settled** (a decided journal entry): the exchange is asked anyway and the order's
    ///   current state returned (a resting order may have filled since); a lookup that cannot decide,
    ///   or an exchange that no longer has the order (``ExchangeError/Kind/orderNotFound``), leaves the
    ///   entry as it was;
    /// - **never reached the exchange** (journalled as not placed, or rejected): decided at the first
    ///   lookup, without waiting out the receive window: ``ExchangeError/Kind/orderNotFound``;
    /// - **partially filled**: returned with status ``OrderStatus/partiallyFilled`` and its filled
    ///   quantity; the journal records it as placed;
    /// - **still being placed** by this client: ``ExchangeError/Kind/outcomeUnknown`` unless found.
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
