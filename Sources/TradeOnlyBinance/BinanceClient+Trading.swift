import TradeOnly

extension BinanceClient {
    /// Places an order: validated against the instrument first, always with a client order id
    /// (`newClientOrderId`, generated if the request has none), never sent twice.
    ///
    /// A ``ClientOrderID`` is 1 to 36 characters of `A-Z a-z 0-9 _ -`: exactly Binance spot's
    /// `^[a-zA-Z0-9-_]{1,36}$`, and within USDⓈ-M's `^[\.A-Z\:/a-z0-9_-]{1,36}$`, so every id is valid
    /// on both.
    ///
    /// What is sent (every parameter in the query string):
    /// - spot limit: `type=LIMIT&timeInForce=GTC|IOC|FOK`; post-only: `type=LIMIT_MAKER`; market: `type=MARKET`;
    /// - futures limit: `type=LIMIT&timeInForce=GTC|IOC|FOK`, post-only `timeInForce=GTX`; market:
    ///   `type=MARKET`; reduce-only adds `reduceOnly=true` (refused on spot before sending);
    /// - price and quantity written with the instrument's tick and step (`Instrument.formattedPrice`,
    ///   `Instrument.formattedQuantity`), then `newClientOrderId` and `newOrderRespType=RESULT`.
    ///
    /// The placement is recorded in ``journal`` before it is sent. If the outcome is unknown (a timeout
    /// or a 5xx after sending, Binance -1007, an answer that cannot be read), the client asks for the
    /// order by `origClientOrderId` (`GET /api/v3/order` or `/fapi/v1/order`) until
    /// ``Binance/Configuration/reconciliation``'s deadline. Binance refuses a request older than its
    /// receive window before matching it, so a lookup that finds nothing once ``Binance/Configuration/recvWindow``
    /// plus a second has passed proves the order was not placed. Only if the lookups cannot decide
    /// does it throw ``ExchangeError/Kind/outcomeUnknown`` carrying the client order id and symbol
    /// (settle it later with ``reconcile(_:on:)``).
    ///
    /// A post-only order that would take liquidity is refused by Binance (spot `LIMIT_MAKER`: -2010
    /// "Order would immediately match and take."; futures `GTX`: -5022): it throws
    /// ``ExchangeError/Kind/orderRejected`` with rule `postOnly`, as on every exchange.
    ///
    /// - Throws: ``ExchangeError``: ``ExchangeError/Kind/permissionDenied`` if the key lacks the spot
    ///   or futures trade permission (nothing sent); the instrument's validation error or a client
    ///   order id outside ``clientOrderIDRule`` (nothing sent);
    ///   Binance's mapped answer; ``ExchangeError/Kind/network`` with ``ExchangeError/RetryAdvice/retry``
    ///   when the order was certainly not placed (safe to place again with the same client order id);
    ///   or ``ExchangeError/Kind/outcomeUnknown``.
    public func place(_ order: OrderRequest) async throws -> Order {
        let kind = try kind(of: order.symbol)
        try access.requireTrading(kind)
        let instrument = try await instrument(order.symbol)
        try instrument.validateBeforeSending(order)
        let clientOrderID = order.clientOrderID ?? ClientOrderID.generate(for: Self.clientOrderIDRule)
        if order.clientOrderID != nil {
            try Self.clientOrderIDRule.check(clientOrderID, exchange: Binance.exchangeName, symbol: order.symbol)
        }
        let request = Self.placement(order, on: instrument, clientOrderID: clientOrderID)
        let client = self
        do {
            return try await OrderReconciliation.perform(
                clientOrderID: clientOrderID, exchange: Binance.exchangeName,
                policy: binance.configuration.reconciliation, logger: binance.logger, journal: journal,
                symbol: instrument.symbol, receiveWindow: receiveWindow, timeSource: binance.timeSource,
                sleeper: binance.sleeper,
                send: {
                    let response = try await client.send(request)
                    return try client.readWrittenOrder(
                        response, symbol: instrument.symbol, kind: kind, clientOrderID: clientOrderID.rawValue)
                },
                lookup: { id in
                    try await client.findOrder(.clientID(id, on: instrument.symbol), exchangeSymbol: instrument.exchangeSymbol)
                })
        } catch let error as ExchangeError where error.kind == .orderRejected && error.code != nil {
            // Binance's rules may have changed since they were cached: fetch them again next time.
            cache.invalidate(kind)
            throw error
        }
    }

    /// The placement request for a validated order.
    static func placement(_ order: OrderRequest, on instrument: Instrument, clientOrderID: ClientOrderID) -> ExchangeRequest {
        let isSpot = instrument.kind == .spot
        var parameters = RequestParameters()
        parameters.append("symbol", instrument.exchangeSymbol)
        parameters.append("side", order.side == .buy ? "BUY" : "SELL")
        switch order.type {
        case .limit:
            if isSpot && order.isPostOnly {
                parameters.append("type", "LIMIT_MAKER")
            } else {
                parameters.append("type", "LIMIT")
                parameters.append("timeInForce", order.isPostOnly ? "GTX" : order.timeInForce.abbreviation)
            }
            parameters.append("quantity", instrument.formattedQuantity(order.quantity))
            parameters.append("price", instrument.formattedPrice(order.price ?? 0))
        case .market:
            parameters.append("type", "MARKET")
            parameters.append("quantity", instrument.formattedQuantity(order.quantity))
        }
        if !isSpot && order.isReduceOnly {
            parameters.append("reduceOnly", "true")
        }
        parameters.append("newClientOrderId", clientOrderID.rawValue)
        parameters.append("newOrderRespType", "RESULT")
        // Weight 1 on spot; futures placements weigh 0 on the IP budget (the governor counts at least 1).
        return ExchangeRequest(
            method: .post, path: isSpot ? "/api/v3/order" : "/fapi/v1/order", parameters: parameters, security: .signed,
            weight: 1)
    }

    /// Cancels an order (`DELETE /api/v3/order` or `/fapi/v1/order`, by `orderId` or `origClientOrderId`).
    ///
    /// Binance answers the cancel of an order that is already filled, cancelled or expired with -2011
    /// "Unknown order sent.": the client then reads the order and returns it as it is (``Trading``'s
    /// contract: cancelling is idempotent). Only an order Binance does not know at all throws
    /// ``ExchangeError/Kind/orderNotFound``.
    ///
    /// If the cancel's outcome is unknown, the client asks for the order until it is final (cancelled,
    /// filled, expired or rejected) and returns it; if it is still open at the reconciliation deadline,
    /// it throws ``ExchangeError/Kind/outcomeUnknown`` (sending the cancel again is safe).
    ///
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/orderNotFound`` if Binance does not know the
    ///   order (Binance -2011 "Unknown order sent.").
    public func cancel(_ order: OrderReference) async throws -> Order {
        let kind = try kind(of: order.symbol)
        try access.requireTrading(kind)
        let exchangeSymbol = exchangeSymbol(for: order.symbol, kind: kind)
        let request = ExchangeRequest(
            method: .delete, path: Self.path(kind, spot: "/api/v3/order", futures: "/fapi/v1/order"),
            parameters: Self.identifying(order, exchangeSymbol: exchangeSymbol), security: .signed, weight: 1)
        do {
            let response = try await send(request)
            return try readWrittenOrder(
                response, symbol: order.symbol, kind: kind, clientOrderID: order.clientOrderID?.rawValue)
        } catch var error as ExchangeError where error.kind == .orderNotFound {
            // Already filled, cancelled or expired? Then that is the answer; otherwise the refusal stands.
            if let current = try? await findOrder(order, exchangeSymbol: exchangeSymbol), current.status.isFinal {
                return current
            }
            error.clientOrderID = error.clientOrderID ?? order.clientOrderID?.rawValue
            error.symbol = error.symbol ?? order.symbol
            throw error
        } catch var error as ExchangeError where error.kind == .outcomeUnknown {
            binance.logger.warning("outcome of the cancel of \(order) unknown; asking for the order until it is final")
            let client = self
            let settled = try await OrderReconciliation.reconcile(
                policy: binance.configuration.reconciliation, timeSource: binance.timeSource, sleeper: binance.sleeper
            ) {
                let current = try await client.order(order)
                return current.status.isOpen ? nil : current
            }
            if let settled { return settled }
            error.clientOrderID = error.clientOrderID ?? order.clientOrderID?.rawValue
            error.symbol = error.symbol ?? order.symbol
            error.message += "; the order was still open or could not be read until the deadline (cancelling again is safe)"
            throw error
        }
    }

    /// One order's current state (`GET /api/v3/order` or `/fapi/v1/order`).
    public func order(_ order: OrderReference) async throws -> Order {
        try access.requireSigning()
        let kind = try kind(of: order.symbol)
        let request = ExchangeRequest(
            method: .get, path: Self.path(kind, spot: "/api/v3/order", futures: "/fapi/v1/order"),
            parameters: Self.identifying(order, exchangeSymbol: exchangeSymbol(for: order.symbol, kind: kind)),
            security: .signed, weight: kind == .spot ? 4 : 1)
        let wire = try WireOrder.decode(from: try await send(request), what: "order")
        return try BinanceOrderMapping.order(wire, symbol: order.symbol, kind: kind)
    }

    /// The open orders on a market (`GET /api/v3/openOrders` or `/fapi/v1/openOrders`).
    public func openOrders(for symbol: Symbol) async throws -> [Order] {
        try access.requireSigning()
        let kind = try kind(of: symbol)
        let request = ExchangeRequest(
            method: .get, path: Self.path(kind, spot: "/api/v3/openOrders", futures: "/fapi/v1/openOrders"),
            parameters: ["symbol": exchangeSymbol(for: symbol, kind: kind)], security: .signed,
            weight: kind == .spot ? 6 : 1)
        let wire = try decode([WireOrder].self, from: try await send(request), what: "open orders")
        return try wire.map { try BinanceOrderMapping.order($0, symbol: symbol, kind: kind) }
    }

    /// The account's most recent fills on a market, oldest first (`GET /api/v3/myTrades` or
    /// `/fapi/v1/userTrades`). The fee is the commission as Binance reports it.
    ///
    /// - Parameters:
    ///   - symbol: The market.
    ///   - limit: How many, 1 to 1000.
    public func fills(for symbol: Symbol, limit: Int) async throws -> [Fill] {
        try access.requireSigning()
        let kind = try kind(of: symbol)
        guard limit > 0 else {
            throw ExchangeError(
                .invalidRequest, message: "a fill limit must be at least 1 (got \(limit)); nothing was sent",
                exchange: Binance.exchangeName, symbol: symbol)
        }
        let request = ExchangeRequest(
            method: .get, path: Self.path(kind, spot: "/api/v3/myTrades", futures: "/fapi/v1/userTrades"),
            parameters: ["symbol": exchangeSymbol(for: symbol, kind: kind), "limit": String(min(limit, 1000))],
            security: .signed, weight: kind == .spot ? 20 : 5)
        let wire = try decode([WireTrade].self, from: try await send(request), what: "fills")
        return try wire.map { trade in
            let side: OrderSide
            if let isBuyer = trade.isBuyer {
                side = isBuyer ? .buy : .sell
            } else if let text = trade.side, let parsed = OrderSide(rawValue: text.lowercased()) {
                side = parsed
            } else {
                throw ExchangeError(
                    .decoding, message: "Binance's trade \(trade.id) has no side", exchange: Binance.exchangeName)
            }
            return Fill(
                tradeID: String(trade.id), exchangeOrderID: String(trade.orderId), symbol: symbol, side: side,
                price: trade.price.value, quantity: trade.qty.value, fee: trade.commission.value,
                feeAsset: trade.commissionAsset, isMaker: trade.isMaker ?? trade.maker ?? false,
                time: BinanceTime.date(trade.time))
        }
    }

    // MARK: Helpers

    /// `symbol` plus `orderId` or `origClientOrderId`.
    static func identifying(_ order: OrderReference, exchangeSymbol: String) -> RequestParameters {
        var parameters = RequestParameters()
        parameters.append("symbol", exchangeSymbol)
        switch order {
        case .exchangeID(let id, _): parameters.append("orderId", id)
        case .clientID(let id, _): parameters.append("origClientOrderId", id.rawValue)
        }
        return parameters
    }

    /// The order, or `nil` if Binance says it does not exist (-2013): the lookup of reconciliation.
    func findOrder(_ reference: OrderReference, exchangeSymbol: String) async throws -> Order? {
        do {
            return try await order(reference)
        } catch let error as ExchangeError where error.kind == .orderNotFound {
            return nil
        }
    }

    /// Reads the answer to a write. The write was accepted, so an answer that cannot be read makes the
    /// outcome unknown (the order exists in some state), never a failure a bot could retry blindly.
    func readWrittenOrder(
        _ response: HTTPResponse, symbol: Symbol, kind: MarketKind, clientOrderID: String?
    ) throws -> Order {
        do {
            let wire = try WireOrder.decode(from: response, what: "order")
            return try BinanceOrderMapping.order(wire, symbol: symbol, kind: kind, fallbackClientOrderID: clientOrderID)
        } catch let error as ExchangeError {
            throw ExchangeError(
                .outcomeUnknown,
                message: "Binance accepted the request but its answer could not be read (\(error.message)); query the order before anything else",
                exchange: Binance.exchangeName, exchangeMessage: error.exchangeMessage, httpStatus: response.status,
                retry: .reconcileFirst, clientOrderID: clientOrderID)
        }
    }
}
