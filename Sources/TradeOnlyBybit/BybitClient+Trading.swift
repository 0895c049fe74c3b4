import Foundation
import TradeOnly

extension BybitClient {
    /// Places an order (`POST /v5/order/create`).
    ///
    /// Before anything is sent: the key must have spot or derivatives trading for the market, and the
    /// order must pass ``Instrument/validate(_:referencePrice:)``. The order always carries an
    /// `orderLinkId` (the request's client order id, or a generated one), and is recorded in the
    /// ``journal`` before it is sent. Quantity and price are written with the instrument's precision,
    /// as JSON strings.
    ///
    /// - Spot market orders send `marketUnit=baseCoin`, so the quantity is in the base asset as
    ///   ``OrderRequest/quantity`` says (Bybit's default for a spot market buy is quote units).
    /// - Spot orders send `isLeverage=0`: never a margin loan.
    /// - Linear orders send `positionIdx=0` (one-way mode) and `reduceOnly`.
    /// - Post-only is `timeInForce=PostOnly`; market orders send no time in force (Bybit uses IOC). A
    ///   post-only order that would cross is accepted by Bybit and then cancelled: ask ``order(_:)``.
    ///
    /// Bybit acknowledges an order before matching it, with its ids only: the returned order has
    /// status ``OrderStatus/new`` and no fills, even for a market order that filled at once; ask
    /// ``order(_:)`` for its state.
    ///
    /// It is never sent twice. If the outcome is unknown (a timeout, a 5xx, an unreadable answer,
    /// Bybit codes 10000, 10016, 170007, 170146), the order is looked up by `orderLinkId`
    /// (`/v5/order/realtime`, then `/v5/order/history`) until found or
    /// ``Bybit/Configuration/reconciliation`` runs out. Bybit refuses any request older than its
    /// receive window before matching it, so an order Bybit still does not know once
    /// ``Bybit/Configuration/recvWindow`` plus a second has passed was not placed: that throws
    /// ``ExchangeError/Kind/network`` with ``ExchangeError/RetryAdvice/retry`` (safe to place again,
    /// with the same client order id). Otherwise ``ExchangeError/Kind/outcomeUnknown`` is thrown with
    /// the id and the symbol, and the order stays in ``OrderJournal/unknownOrders``.
    ///
    /// - Parameter order: The order; round it with ``Instrument/rounded(_:)`` first.
    /// - Returns: The order as Bybit acknowledged it (or as found while reconciling).
    /// - Throws: ``ExchangeError``.
    public func place(_ order: OrderRequest) async throws -> Order {
        try checkKey()
        let mapped = try self.market(order.symbol)
        try requirePermission(for: mapped)
        if mapped.kind == .spot && order.isReduceOnly {
            throw ExchangeError(
                .invalidRequest, message: "reduce-only applies to perpetuals, not to the spot market \(order.symbol)",
                exchange: Bybit.exchangeName, rule: Instrument.Rule.reduceOnly, symbol: order.symbol)
        }
        let instrument = try await instrument(for: mapped)
        let market = mapped.listed(as: instrument.exchangeSymbol)
        try instrument.validateBeforeSending(order)
        let clientOrderID = order.clientOrderID ?? clientOrderIDs.generate()
        let request = ExchangeRequest(
            method: .post, path: "/v5/order/create",
            parameters: Self.createParameters(order, instrument: instrument, market: market, clientOrderID: clientOrderID),
            security: .signed)
        let pipeline = self.pipeline
        let client = self
        return try await OrderReconciliation.perform(
            clientOrderID: clientOrderID, exchange: Bybit.exchangeName, policy: reconciliation, logger: logger,
            journal: journal, symbol: order.symbol, receiveWindow: receiveWindow, timeSource: timeSource,
            sleeper: sleeper,
            send: {
                let response = try await pipeline.send(request)
                return try Self.acknowledgedOrder(order, clientOrderID: clientOrderID, response: response)
            },
            lookup: { id in
                try await client.findOrder(market, by: .clientID(id, on: market.symbol))
            })
    }

    /// Settles an order whose outcome was unknown (an ``ExchangeError/Kind/outcomeUnknown`` error), by
    /// asking Bybit for it by client order id (`orderLinkId`) with the back-off of
    /// ``Bybit/Configuration/reconciliation``. Never places anything.
    ///
    /// Bybit refuses any request older than its receive window before matching it, so once
    /// ``Bybit/Configuration/recvWindow`` plus a second has passed since the order was last sent, an
    /// order Bybit does not know can no longer execute. "Since it was last sent" is, for an order in the
    /// ``journal``, when its placement ended; for an order the journal does not have (placed before a
    /// restart, or by another client that has stopped), when this call started.
    ///
    /// - Parameters:
    ///   - clientOrderID: The id the order was sent with (``ExchangeError/clientOrderID``).
    ///   - symbol: The order's market, or `nil` to take it from the ``journal`` (an order this client
    ///     placed). After a restart, pass it (``ExchangeError/symbol``).
    /// - Returns: The order, if Bybit has it. The journal records it.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/orderNotFound`` if Bybit does not have
    ///   it and can no longer execute it (safe to place again with the same id; the journal records it as
    ///   not placed), of kind ``ExchangeError/Kind/outcomeUnknown`` if Bybit still cannot tell (or the
    ///   placement is still in flight in this client), or of kind
    ///   ``ExchangeError/Kind/invalidRequest`` if the symbol is unknown (not given and not in the
    ///   journal, or not a market Bybit lists).
    public func reconcile(_ clientOrderID: ClientOrderID, on symbol: Symbol?) async throws -> Order {
        try checkKey()
        let entry = journal.entry(for: clientOrderID)
        guard let symbol = symbol ?? entry?.symbol else {
            throw ExchangeError(
                .invalidRequest,
                message: "order \(clientOrderID) is not in this client's journal: pass its symbol (ExchangeError.symbol) to reconcile it",
                exchange: Bybit.exchangeName, clientOrderID: clientOrderID.rawValue)
        }
        let mapped = try self.market(symbol)
        let market = mapped.listed(as: try await instrument(for: mapped).exchangeSymbol)
        let start = timeSource.now()
        let inFlight = entry?.state == .sending
        // The last moment the order can have been signed: when its placement ended here (an undecided
        // or decided entry), or now for one this journal does not know. An order still being sent
        // here has no such moment yet: "not found" decides nothing.
        let lastSent: Date? = inFlight ? nil : (entry?.updatedAt ?? start)
        let notExecutableAfter = lastSent.map {
            $0.addingTimeInterval(receiveWindow + OrderReconciliation.receiveWindowMargin)
        }
        let client = self
        let outcome = await OrderReconciliation.settle(
            policy: reconciliation, notExecutableAfter: notExecutableAfter, timeSource: timeSource, sleeper: sleeper,
            lookup: { try await client.findOrder(market, by: .clientID(clientOrderID, on: symbol)) })
        switch outcome {
        case .found(let order):
            if !inFlight { journal.record(order, for: clientOrderID) }
            return order
        case .notPlaced:
            journal.record(.notPlaced, for: clientOrderID, symbol: symbol, exchange: Bybit.exchangeName)
            throw ExchangeError(
                .orderNotFound,
                message: "Bybit does not know order \(clientOrderID) on \(symbol), and its receive window has passed, "
                    + "so it can no longer execute: it was not placed; it is safe to place it again, with the same client order id",
                exchange: Bybit.exchangeName, clientOrderID: clientOrderID.rawValue, symbol: symbol)
        case .undecided:
            if !inFlight {
                journal.record(.unknown, for: clientOrderID, symbol: symbol, exchange: Bybit.exchangeName)
            }
            throw ExchangeError(
                .outcomeUnknown,
                message: inFlight
                    ? "order \(clientOrderID) on \(symbol) is still being placed by this client, and Bybit does not show it yet; its placement will settle it"
                    : "Bybit could not tell whether order \(clientOrderID) on \(symbol) exists after asking for \(reconciliation.deadline) s; ask again later",
                exchange: Bybit.exchangeName, retry: .reconcileFirst, clientOrderID: clientOrderID.rawValue, symbol: symbol)
        }
    }

    /// The parameters of `POST /v5/order/create`, in the order they are serialised.
    static func createParameters(
        _ order: OrderRequest, instrument: Instrument, market: BybitMarket, clientOrderID: ClientOrderID
    ) -> RequestParameters {
        var parameters: RequestParameters = [
            "category": market.category.rawValue,
            "symbol": market.exchangeSymbol,
            "side": BybitWire.wire(order.side),
            "orderType": order.type == .market ? "Market" : "Limit",
            "qty": BybitWire.number(order.quantity, step: instrument.quantityStep) {
                instrument.formattedQuantity(order.quantity)
            },
        ]
        if order.type == .limit, let price = order.price {
            parameters.append("price", BybitWire.number(price, step: instrument.tickSize) {
                instrument.formattedPrice(price)
            })
            let timeInForce: String
            if order.isPostOnly {
                timeInForce = "PostOnly"
            } else {
                switch order.timeInForce {
                case .goodTillCancel: timeInForce = "GTC"
                case .immediateOrCancel: timeInForce = "IOC"
                case .fillOrKill: timeInForce = "FOK"
                }
            }
            parameters.append("timeInForce", timeInForce)
        }
        parameters.append("orderLinkId", clientOrderID.rawValue)
        switch market.category {
        case .spot:
            if order.type == .market { parameters.append("marketUnit", "baseCoin") }
            parameters.append("isLeverage", "0")
        case .linear:
            parameters.append("positionIdx", "0")
            parameters.append("reduceOnly", order.isReduceOnly ? "true" : "false")
        }
        return parameters
    }

    /// The order as acknowledged: Bybit answers a placement with its ids only. An answer whose ids
    /// cannot be read is an unknown outcome (Bybit said `retCode` 0), settled by looking the order up.
    static func acknowledgedOrder(
        _ order: OrderRequest, clientOrderID: ClientOrderID, response: HTTPResponse
    ) throws -> Order {
        let ack: (orderId: String, orderLinkId: String?, time: Int64?)
        if let scanned = BybitEnvelopeScanner.orderAcknowledgement(response.body) {
            ack = scanned
        } else {
            do {
                let envelope = try BybitWire.decode(WireOrderAck.self, from: response, what: "order acknowledgement")
                ack = (envelope.result.orderId, envelope.result.orderLinkId, envelope.time)
            } catch let error as ExchangeError {
                throw ExchangeError(
                    .outcomeUnknown,
                    message: "Bybit accepted the order but its answer could not be read (\(error.message)); look it up by its client order id",
                    exchange: Bybit.exchangeName, httpStatus: response.status, retry: .reconcileFirst,
                    clientOrderID: clientOrderID.rawValue)
            }
        }
        let time = ack.time.map(BybitWire.date(milliseconds:))
        return Order(
            exchangeOrderID: ack.orderId,
            clientOrderID: ack.orderLinkId.flatMap { $0.isEmpty ? nil : $0 } ?? clientOrderID.rawValue,
            symbol: order.symbol, side: order.side, type: order.type,
            timeInForce: order.type == .limit ? order.timeInForce : .immediateOrCancel,
            isPostOnly: order.isPostOnly, status: .new,
            price: order.type == .limit ? order.price : nil, quantity: order.quantity, filledQuantity: 0,
            averagePrice: nil, isReduceOnly: order.isReduceOnly, createdAt: time, updatedAt: time)
    }

    /// Cancels an order (`POST /v5/order/cancel` by `orderId` or `orderLinkId`), then reads it back
    /// to return it whole.
    ///
    /// - An order that is already filled or cancelled: Bybit answers "order not found" (110001,
    ///   170213, …); the client then reads the order and returns it as it is (``OrderStatus/filled``
    ///   or ``OrderStatus/cancelled``). Only an order Bybit does not know at all throws
    ///   ``ExchangeError/Kind/orderNotFound``.
    /// - Bybit acknowledges the cancel before the order book has processed it: an order read back
    ///   still open is returned as ``OrderStatus/pendingCancel``.
    /// - An unknown outcome (timeout, 5xx) is settled by reading the order until it is final or
    ///   ``Bybit/Configuration/reconciliation`` runs out; an order still open then throws
    ///   ``ExchangeError/Kind/outcomeUnknown`` (cancelling again is safe).
    ///
    /// - Parameter reference: The order, by exchange id or client order id.
    /// - Returns: The order after the cancel.
    /// - Throws: ``ExchangeError``.
    public func cancel(_ reference: OrderReference) async throws -> Order {
        try checkKey()
        let market = try self.market(reference.symbol)
        try requirePermission(for: market)
        var parameters: RequestParameters = ["category": market.category.rawValue, "symbol": market.exchangeSymbol]
        parameters.append(contentsOf: Self.idParameter(reference))
        let request = ExchangeRequest(method: .post, path: "/v5/order/cancel", parameters: parameters, security: .signed)
        do {
            _ = try await pipeline.send(request)
        } catch let error as ExchangeError where error.kind == .orderNotFound {
            // Already filled or cancelled? Then that is the answer; otherwise Bybit's refusal stands.
            guard let order = try? await findOrder(market, by: reference), order.status.isFinal else {
                throw error
            }
            return order
        } catch var error as ExchangeError where error.kind == .outcomeUnknown || error.retry == .reconcileFirst {
            logger.warning("outcome of the cancel of \(reference) unknown; reading the order until it is final")
            let (final, last) = await readOrder(market, reference, until: { $0.status.isFinal })
            if let final { return final }
            if last != nil {
                error.message += "; the order is still open after \(reconciliation.deadline) s: cancelling it again is safe"
            } else {
                error.message += "; the order could not be read for \(reconciliation.deadline) s"
            }
            error.kind = .outcomeUnknown
            error.retry = .reconcileFirst
            error.clientOrderID = error.clientOrderID ?? reference.clientOrderID?.rawValue
            error.symbol = error.symbol ?? reference.symbol
            throw error
        }
        guard let order = await readOrder(market, reference, until: { _ in true }).accepted else {
            throw ExchangeError(
                .exchangeUnavailable,
                message: "Bybit acknowledged the cancel of \(reference), but the order could not be read back; query it with order(_:)",
                exchange: Bybit.exchangeName, retry: .retry, clientOrderID: reference.clientOrderID?.rawValue,
                symbol: reference.symbol)
        }
        if order.status.isOpen {
            var pending = order
            pending.status = .pendingCancel
            return pending
        }
        return order
    }

    /// One order, from `/v5/order/realtime` (open and recent closed orders) or else `/v5/order/history`.
    ///
    /// - Parameter reference: The order, by exchange id or client order id.
    /// - Returns: Its current state.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/orderNotFound`` if Bybit knows no such order.
    public func order(_ reference: OrderReference) async throws -> Order {
        try checkKey()
        let market = try self.market(reference.symbol)
        guard let order = try await findOrder(market, by: reference) else {
            throw ExchangeError(
                .orderNotFound, message: "Bybit knows no order \(reference)", exchange: Bybit.exchangeName,
                clientOrderID: reference.clientOrderID?.rawValue)
        }
        return order
    }

    /// The open orders on a market (`GET /v5/order/realtime`, every page).
    ///
    /// - Parameter symbol: `BTC/USDT` or `BTC/USDT:USDT`.
    /// - Returns: The open orders, newest first (Bybit's order).
    /// - Throws: ``ExchangeError``.
    public func openOrders(for symbol: Symbol) async throws -> [Order] {
        try checkKey()
        let market = try self.market(symbol)
        let wire = try await pages(
            "/v5/order/realtime",
            ["category": market.category.rawValue, "symbol": market.exchangeSymbol, "openOnly": "0", "limit": "50"],
            security: .signed, of: WireOrder.self, what: "open orders")
        return try wire.filter { $0.symbol == market.exchangeSymbol }.map { try $0.order(symbol: symbol) }
    }

    /// The account's recent fills on a market (`GET /v5/execution/list`, the last 7 days), newest last.
    /// Funding, settlement and delivery entries are not fills and are left out.
    ///
    /// - Parameters:
    ///   - symbol: `BTC/USDT` or `BTC/USDT:USDT`.
    ///   - limit: The most fills to return (read 100 per page).
    /// - Returns: The fills, oldest first.
    /// - Throws: ``ExchangeError``.
    public func fills(for symbol: Symbol, limit: Int) async throws -> [Fill] {
        try checkKey()
        let market = try self.market(symbol)
        guard limit > 0 else { return [] }
        let wire = try await pages(
            "/v5/execution/list",
            ["category": market.category.rawValue, "symbol": market.exchangeSymbol, "limit": String(min(limit, 100))],
            security: .signed, of: WireExecution.self, what: "executions", enough: limit)
        var fills: [Fill] = []
        for entry in wire where entry.symbol == market.exchangeSymbol {
            if let fill = try entry.fill(instrumentSymbol: symbol) { fills.append(fill) }
            if fills.count == limit { break }
        }
        return fills.reversed()
    }

    // MARK: Order look-ups

    /// `orderId=…` or `orderLinkId=…`.
    static func idParameter(_ reference: OrderReference) -> RequestParameters {
        switch reference {
        case .exchangeID(let id, _): return ["orderId": id]
        case .clientID(let id, _): return ["orderLinkId": id.rawValue]
        }
    }

    /// The order from `/v5/order/realtime`, else `/v5/order/history`; `nil` if neither knows it.
    func findOrder(_ market: BybitMarket, by reference: OrderReference) async throws -> Order? {
        var parameters: RequestParameters = ["category": market.category.rawValue, "symbol": market.exchangeSymbol]
        parameters.append(contentsOf: Self.idParameter(reference))
        for path in ["/v5/order/realtime", "/v5/order/history"] {
            let page = try await get(path, parameters, security: .signed, as: BybitPage<WireOrder>.self, what: "order")
            let match = page.result.list.first { wire in
                switch reference {
                case .exchangeID(let id, _): return wire.orderId == id
                case .clientID(let id, _): return wire.orderLinkId == id.rawValue
                }
            }
            if let match { return try match.order(symbol: market.symbol) }
        }
        return nil
    }

    /// Reads an order through the core's reconciliation loop (the back-off of
    /// ``Bybit/Configuration/reconciliation``) until `accept` says so or the deadline passes.
    ///
    /// - Returns: The first order `accept` took, and the last order read (accepted or not); both `nil`
    ///   if the order could never be read.
    func readOrder(
        _ market: BybitMarket, _ reference: OrderReference, until accept: @escaping @Sendable (Order) -> Bool
    ) async -> (accepted: Order?, last: Order?) {
        let last = LockedValue<Order?>(nil)
        let client = self
        let accepted = try? await OrderReconciliation.reconcile(
            policy: reconciliation, timeSource: timeSource, sleeper: sleeper,
            lookup: {
                guard let order = try await client.findOrder(market, by: reference) else { return nil }
                last.withLock { $0 = order }
                return accept(order) ? order : nil
            })
        return (accepted ?? nil, last.current)
    }
}
