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
    /// it (the entry is ``OrderJournal/State/sending``). So once ``Binance/Configuration/receiveWindow``
    /// plus a second has passed since then, a lookup that still finds nothing proves the order was not
    /// placed: it can no longer execute.
    ///
    /// ```swift
    /// do {
    ///     _ = try await client.place(order)
    /// } catch let error as ExchangeError where error.kind == .outcomeUnknown {
    ///     guard let id = error.clientOrderID else { throw error }
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
        let entry = journal.entry(for: clientOrderID)
        guard let symbol = symbol ?? entry?.symbol else {
            throw ExchangeError(
                .invalidRequest,
                message: "cannot settle order \(clientOrderID): its symbol is not in this client's journal; pass it "
                    + "(ExchangeError.symbol of the placement's error)",
                exchange: Binance.exchangeName, clientOrderID: clientOrderID)
        }
        var kind: MarketKind
        do {
            kind = try self.kind(of: symbol)
        } catch var error as ExchangeError {
            error.clientOrderID = clientOrderID
            error.symbol = symbol
            throw error
        }
        // The exchange id of the market: from the instruments (fetched if needed), so that an unknown
        // market is refused rather than asked about.
        let instrument: Instrument
        do {
            instrument = try await self.instrument(symbol)
            kind = instrument.kind
        } catch var error as ExchangeError where error.kind == .invalidRequest {
            error.clientOrderID = clientOrderID
            error.symbol = symbol
            throw error
        } catch {
            // The rules could not be read: ask by the usual spelling (BTCUSDT) anyway.
            instrument = Instrument(
                symbol: symbol, exchangeSymbol: exchangeSymbol(for: symbol, kind: kind), kind: kind,
                tickSize: 0, quantityStep: 0)
        }
        // Every signature of the order is older than its journal entry's last change (recorded after the
        // placement's answer, or its absence), or than now for an order this client does not know. While
        // this client is still sending the order, a "not found" proves nothing.
        let start = binance.timeSource.now()
        let inFlight = entry?.state == .sending
        let signedBy = entry.map { min($0.updatedAt, start) } ?? start
        let notExecutableAfter =
            inFlight ? nil : signedBy.addingTimeInterval(receiveWindow + OrderReconciliation.receiveWindowMargin)
        let client = self
        let reference = OrderReference.clientID(clientOrderID, on: instrument.symbol)
        let outcome = await OrderReconciliation.settle(
            policy: binance.configuration.reconciliation, notExecutableAfter: notExecutableAfter,
            timeSource: binance.timeSource, sleeper: binance.sleeper,
            lookup: { try await client.findOrder(reference, exchangeSymbol: instrument.exchangeSymbol) })
        switch outcome {
        case .found(let order):
            journal.record(order, for: clientOrderID)
            return order
        case .notPlaced:
            journal.record(.notPlaced, for: clientOrderID, symbol: instrument.symbol, exchange: Binance.exchangeName)
            throw ExchangeError(
                .orderNotFound,
                message: "Binance does not have order \(clientOrderID) on \(instrument.symbol), and its receive window "
                    + "has passed, so it can no longer execute: it was not placed (placing it again with the same "
                    + "client order id is safe)",
                exchange: Binance.exchangeName, retry: .doNotRetry, clientOrderID: clientOrderID,
                symbol: instrument.symbol)
        case .undecided:
            if entry.map({ !$0.state.isDecided }) ?? true, !inFlight {
                journal.record(.unknown, for: clientOrderID, symbol: instrument.symbol, exchange: Binance.exchangeName)
            }
            throw ExchangeError(
                .outcomeUnknown,
                message: "Binance could not say within \(binance.configuration.reconciliation.deadline) s whether order "
                    + "\(clientOrderID) on \(instrument.symbol) exists"
                    + (inFlight ? " (this client is still sending it)" : "") + "; ask again later",
                exchange: Binance.exchangeName, retry: .reconcileFirst, clientOrderID: clientOrderID,
                symbol: instrument.symbol)
        }
    }

    /// The receive window, in seconds: how long after its timestamp Binance still executes a request.
    var receiveWindow: TimeInterval {
        binance.configuration.common.receiveWindowDuration
    }
}
