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
    ///   post-only order that would cross is accepted by Bybit and then cancelled at once
    ///   (`rejectReason` `EC_PostOnlyWillTakeLiquidity`): so the client reads every post-only order
    ///   back after placing it (`GET /v5/order/realtime`), and a crossing one throws
    ///   ``ExchangeError/Kind/orderRejected`` with rule `postOnly` and is journalled as rejected, as on
    ///   every exchange. The read-back's answer is returned (if it cannot be read, the acknowledgement).
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
    /// ``Bybit/Configuration/receiveWindow`` plus a second has passed was not placed: that throws
    /// ``ExchangeError/Kind/network`` with ``ExchangeError/RetryAdvice/retry`` (safe to place again,
    /// with the same client order id). Otherwise ``ExchangeError/Kind/outcomeUnknown`` is thrown with
    /// the id and the symbol, and the order stays in ``OrderJournal/unknownOrders``.
    ///
    /// - Parameter order: The order; round it with ``Instrument/rounded(_:)`` first.
    /// - Returns: The order as Bybit acknowledged it (or as found while reconciling).
    /// - Throws: ``ExchangeError``: ``ExchangeError/Kind/permissionDenied`` without the trade permission
    ///   for the market, the instrument's validation error or a client order id outside
    ///   ``clientOrderIDRule`` (nothing sent); Bybit's mapped refusal; ``ExchangeError/Kind/orderRejected``
    ///   for a crossing post-only order; ``ExchangeError/Kind/network`` (certainly not placed) or
    ///   ``ExchangeError/Kind/outcomeUnknown``.
    public func place(_ order: OrderRequest) async throws -> Order {
        let mapped = try self.market(order.symbol)
        try access.requireTrading(mapped.kind)
        if mapped.kind == .spot && order.isReduceOnly {
            throw ExchangeError(
                .invalidRequest, message: "reduce-only applies to perpetuals, not to the spot market \(order.symbol)",
                exchange: Bybit.exchangeName, rule: Instrument.Rule.reduceOnly, symbol: order.symbol)
        }
        let instrument = try await instrument(for: mapped)
        let market = mapped.listed(as: instrument.exchangeSymbol)
        try instrument.validateBeforeSending(order)
        let clientOrderID = order.clientOrderID ?? ClientOrderID.generate(for: Self.clientOrderIDRule)
        if order.clientOrderID != nil {
            try Self.clientOrderIDRule.check(clientOrderID, exchange: Bybit.exchangeName, symbol: order.symbol)
        }
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
                let acknowledged = try Self.acknowledgedOrder(order, clientOrderID: clientOrderID, response: response)
                guard order.isPostOnly else { return acknowledged }
                return try await client.readBackPostOnly(acknowledged, market: market, clientOrderID: clientOrderID)
            },
            lookup: { id in
                try await client.findOrder(market, by: .clientID(id, on: market.symbol))
            })
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
            parameters.append(
                "price",
                BybitWire.number(price, step: instrument.tickSize) {
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
                    clientOrderID: clientOrderID)
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
        let market = try self.market(reference.symbol)
        try access.requireTrading(market.kind)
        var parameters: RequestParameters = ["category": market.category.rawValue, "symbol": market.exchangeSymbol]
        parameters.append(contentsOf: Self.idParameter(reference))
        let request = ExchangeRequest(method: .post, path: "/v5/order/cancel", parameters: parameters, security: .signed)
        do {
            _ = try await pipeline.send(request)
        } catch var error as ExchangeError where error.kind == .orderNotFound {
            // Already filled or cancelled? Then that is the answer; otherwise Bybit's refusal stands.
            guard let order = try? await findOrder(market, by: reference), order.status.isFinal else {
                error.clientOrderID = error.clientOrderID ?? reference.clientOrderID
                error.symbol = error.symbol ?? reference.symbol
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
            error.clientOrderID = error.clientOrderID ?? reference.clientOrderID
            error.symbol = error.symbol ?? reference.symbol
            throw error
        }
        guard let order = await readOrder(market, reference, until: { _ in true }).accepted else {
            throw ExchangeError(
                .exchangeUnavailable,
                message: "Bybit acknowledged the cancel of \(reference), but the order could not be read back; query it with order(_:)",
                exchange: Bybit.exchangeName, retry: .retry, clientOrderID: reference.clientOrderID,
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
        try access.requireSigning()
        let market = try self.market(reference.symbol)
        guard let order = try await findOrder(market, by: reference) else {
            throw ExchangeError(
                .orderNotFound, message: "Bybit knows no order \(reference)", exchange: Bybit.exchangeName,
                clientOrderID: reference.clientOrderID, symbol: reference.symbol)
        }
        return order
    }

    /// The open orders on a market (`GET /v5/order/realtime`, every page).
    ///
    /// - Parameter symbol: `BTC/USDT` or `BTC/USDT:USDT`.
    /// - Returns: The open orders, newest first (Bybit's order).
    /// - Throws: ``ExchangeError``.
    public func openOrders(for symbol: Symbol) async throws -> [Order] {
        try access.requireSigning()
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
    ///   - limit: The most fills to return, at least 1 (read 100 per page).
    /// - Returns: The fills, oldest first.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for a limit of 0 or less
    ///   (nothing sent).
    public func fills(for symbol: Symbol, limit: Int) async throws -> [Fill] {
        try access.requireSigning()
        let market = try self.market(symbol)
        guard limit > 0 else {
            throw ExchangeError(
                .invalidRequest, message: "a fill limit must be at least 1 (got \(limit)); nothing was sent",
                exchange: Bybit.exchangeName, symbol: symbol)
        }
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

    /// Reads a post-only order back after Bybit acknowledged it: Bybit accepts a post-only order that
    /// would take liquidity and cancels it at once (`rejectReason` `EC_PostOnlyWillTakeLiquidity`).
    ///
    /// - Returns: The order as read back; the acknowledgement if it cannot be read (it was placed).
    /// - Throws: ``ExchangeError/Kind/orderRejected`` with rule `postOnly` for a crossing order.
    func readBackPostOnly(_ acknowledged: Order, market: BybitMarket, clientOrderID: ClientOrderID) async throws -> Order {
        let parameters: RequestParameters = [
            "category": market.category.rawValue, "symbol": market.exchangeSymbol, "orderLinkId": clientOrderID.rawValue,
        ]
        guard
            let page = try? await get(
                "/v5/order/realtime", parameters, security: .signed, as: BybitPage<WireOrder>.self, what: "order"),
            let wire = page.result.list.first(where: { $0.orderLinkId == clientOrderID.rawValue })
        else { return acknowledged }
        if wire.rejectReason == Self.postOnlyWouldTake || wire.cancelType == Self.postOnlyWouldTake {
            throw ExchangeError(
                .orderRejected,
                message: "the post-only order would have taken liquidity: Bybit accepted it and cancelled it at once "
                    + "(\(Self.postOnlyWouldTake))",
                exchange: Bybit.exchangeName, exchangeMessage: Self.postOnlyWouldTake, rule: Instrument.Rule.postOnly,
                clientOrderID: clientOrderID, symbol: market.symbol)
        }
        return (try? wire.order(symbol: market.symbol)) ?? acknowledged
    }

    /// Bybit's reason for cancelling a post-only order that would have taken liquidity.
    static let postOnlyWouldTake = "EC_PostOnlyWillTakeLiquidity"

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
