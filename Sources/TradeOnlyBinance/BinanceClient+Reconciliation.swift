import TradeOnly

extension BinanceClient {
    /// Settles an order whose outcome was unknown (an ``ExchangeError/Kind/outcomeUnknown`` error from
    /// ``place(_:)``), by asking Binance for it by client order id (`GET /api/v3/order` or
    /// `/fapi/v1/order` with `origClientOrderId`) until it decides or
    /// ``Binance/Configuration/reconciliation``'s deadline passes. It never places anything.
    ///
    /// Binance refuses, before matching, any request whose timestamp is older than its receive window.
    /// Every attempt to place the order was signed before its ``journal`` entry last changed (or, for an
    /// order this client does not know, before this call began), unless this client is still sending
    /// it (the entry is ``OrderJournal/State/sending``). So once ``Binance/Configuration/recvWindow``
    /// plus a second has passed since then, a lookup that still finds nothing proves the order was not
    /// placed: it can no longer execute.
    ///
    /// ```swift
    /// do {
    ///     _ = try await client.place(order)
    /// } catch let error as ExchangeError where error.kind == .outcomeUnknown {
    ///     let id = try ClientOrderID(error.clientOrderID ?? "")
    ///     let settled = try await client.reconcile(id)          // the order, or .orderNotFound
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - clientOrderID: The id the order was sent with (``ExchangeError/clientOrderID``).
    ///   - symbol: The order's market, or `nil` to take it from the ``journal`` (an order this client
    ///     placed). After a restart, pass it (``ExchangeError/symbol``).
    /// - Returns: The order, if Binance has it. The journal records it.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/orderNotFound`` if Binance does not have
    ///   it and can no longer execute it (safe to place again with the same id; the journal records it
    ///   as not placed), of kind ``ExchangeError/Kind/outcomeUnknown`` if Binance still cannot tell, or
    ///   ``ExchangeError/Kind/invalidRequest`` if the symbol is unknown (not given, not in the journal,
    ///   or not a Binance spot or USDⓈ-M market).
    public func reconcile(_ clientOrderID: ClientOrderID, on symbol: Symbol?) async throws -> Order {
        try access.requireSigning()
        let client = self
        return try await OrderReconciliation.settleUnknownOrder(
            clientOrderID, on: symbol, exchange: Binance.exchangeName, journal: journal,
            policy: binance.configuration.reconciliation, receiveWindow: receiveWindow, timeSource: binance.timeSource,
            sleeper: binance.sleeper,
            market: { symbol in try await client.listedSymbol(symbol) },
            lookup: { id, symbol in
                try await client.findOrder(
                    .clientID(id, on: symbol), exchangeSymbol: client.exchangeSymbol(for: symbol, kind: try client.kind(of: symbol)))
            })
    }

    /// The symbol as Binance lists it, so that an unknown market is refused rather than asked about;
    /// if the rules cannot be read right now, the symbol as given (asked for by its usual spelling).
    func listedSymbol(_ symbol: Symbol) async throws -> Symbol {
        _ = try kind(of: symbol)
        do {
            return try await instrument(symbol).symbol
        } catch let error as ExchangeError where error.kind == .invalidRequest {
            throw error
        } catch {
            return symbol
        }
    }

    /// The receive window, in seconds: how long after its timestamp Binance still executes a request.
    var receiveWindow: TimeInterval {
        Double(binance.configuration.recvWindow) / 1000
    }
}
