import Foundation
import TradeOnly

/// What a dialect asks the matching engine to do with a new order (already validated against the
/// instrument's rules and the key's permissions).
struct OrderPlacement: Sendable {
    /// What to do with a post-only order that would take liquidity.
    enum PostOnlyCrossing: Sendable {
        /// Refuse it: nothing is recorded (Binance `LIMIT_MAKER` -2010, `GTX` -5022).
        case reject
        /// Accept it and cancel it at once (Bybit `PostOnly`: status `Cancelled`).
        case cancel
    }

    var account: String
    var apiKey: String
    var dialect: String
    var instrument: Instrument
    var side: OrderSide
    var type: OrderType
    var wireType: String
    var timeInForce: TimeInForce
    var isPostOnly = false
    var isReduceOnly = false
    var price: Decimal?
    /// Base quantity; `nil` when sized by `quoteQuantity`.
    var quantity: Decimal?
    /// Quote amount for market orders sized in the quote asset.
    var quoteQuantity: Decimal?
    var clientOrderID: String
    var exchangeOrderID: String
    var postOnlyCrossing = PostOnlyCrossing.reject
    var allowsBorrowing = false
}

/// Why the engine refused an order (nothing was recorded).
enum PlacementError: Error, Sendable {
    case insufficientBalance
    case postOnlyWouldTake
    case reduceOnlyRejected
}

/// One planned execution of an incoming order.
struct PlannedFill: Sendable {
    /// The resting order it trades with, or `nil` for the liquidity provider.
    var makerIndex: Int?
    var price: Decimal
    var quantity: Decimal
}

extension Venue {
    // MARK: Liquidity

    /// The provider's quote an incoming order on `side` would trade with: the ask for a buy, the bid
    /// for a sell.
    func liquidityQuote(for instrument: Instrument, takerSide side: OrderSide) -> (price: Decimal, depth: Decimal)? {
        let liquidity = configuration.liquidity(for: instrument.symbol)
        guard liquidity.isEnabled, liquidity.depth > 0, let mid = prices[instrument.symbol], mid > 0 else { return nil }
        switch side {
        case .buy:
            let ask = (mid * (1 + liquidity.halfSpread)).rounded(toMultipleOf: instrument.tickSize, rule: .up)
            return (ask, liquidity.depth)
        case .sell:
            let bid = (mid * (1 - liquidity.halfSpread)).rounded(toMultipleOf: instrument.tickSize, rule: .down)
            guard bid > 0 else { return nil }
            return (bid, liquidity.depth)
        }
    }

    /// The best bid and ask (resting orders and the provider), for tickers.
    func bestBidAsk(_ instrument: Instrument) -> (bid: Decimal?, ask: Decimal?) {
        let book = bookLevels(instrument, depth: 1)
        return (book.bids.first?.price, book.asks.first?.price)
    }

    /// Aggregated price levels: resting orders plus the provider's quotes.
    func bookLevels(_ instrument: Instrument, depth: Int) -> (
        bids: [(price: Decimal, quantity: Decimal)], asks: [(price: Decimal, quantity: Decimal)]
    ) {
        var bids: [Decimal: Decimal] = [:]
        var asks: [Decimal: Decimal] = [:]
        for index in openOrders[instrument.symbol] ?? [] {
            let order = orders[index]
            guard let price = order.price else { continue }
            if order.side == .buy {
                bids[price, default: 0] += order.remainingQuantity
            } else {
                asks[price, default: 0] += order.remainingQuantity
            }
        }
        if let quote = liquidityQuote(for: instrument, takerSide: .buy) {
            asks[quote.price, default: 0] += quote.depth
        }
        if let quote = liquidityQuote(for: instrument, takerSide: .sell) {
            bids[quote.price, default: 0] += quote.depth
        }
        let sortedBids = bids.sorted { $0.key > $1.key }.prefix(depth).map { (price: $0.key, quantity: $0.value) }
        let sortedAsks = asks.sorted { $0.key < $1.key }.prefix(depth).map { (price: $0.key, quantity: $0.value) }
        return (Array(sortedBids), Array(sortedAsks))
    }

    // MARK: Planning

    /// The executions an incoming order would get now, best price first (resting orders before the
    /// provider at equal prices, older orders first), without changing anything.
    func plan(
        instrument: Instrument, side: OrderSide, limit: Decimal?, quantity: Decimal?, quoteBudget: Decimal?
    ) -> [PlannedFill] {
        struct Level {
            var price: Decimal
            var makerIndex: Int?
            var available: Decimal
        }
        var levels: [Level] = []
        for index in openOrders[instrument.symbol] ?? [] {
            let resting = orders[index]
            guard resting.side != side, let price = resting.price else { continue }
            if let limit {
                if side == .buy, price > limit { continue }
                if side == .sell, price < limit { continue }
            }
            levels.append(Level(price: price, makerIndex: index, available: resting.remainingQuantity))
        }
        if let quote = liquidityQuote(for: instrument, takerSide: side) {
            let crosses = limit.map { side == .buy ? quote.price <= $0 : quote.price >= $0 } ?? true
            if crosses {
                levels.append(Level(price: quote.price, makerIndex: nil, available: quote.depth))
            }
        }
        levels.sort { left, right in
            if left.price != right.price { return side == .buy ? left.price < right.price : left.price > right.price }
            switch (left.makerIndex, right.makerIndex) {
            case (let l?, let r?): return l < r
            case (.some, nil): return true
            default: return false
            }
        }
        var planned: [PlannedFill] = []
        var remaining = quantity
        var budget = quoteBudget
        for level in levels {
            var take = level.available
            if let left = remaining {
                take = min(take, left)
            }
            if let money = budget {
                let affordable = (money / level.price).rounded(toMultipleOf: instrument.quantityStep, rule: .down)
                take = min(take, affordable)
            }
            guard take > 0 else {
                if budget != nil { break }
                continue
            }
            planned.append(PlannedFill(makerIndex: level.makerIndex, price: level.price, quantity: take))
            if let left = remaining {
                remaining = left - take
                if left - take <= 0 { break }
            }
            if let money = budget {
                budget = money - take * level.price
            }
        }
        return planned
    }

    // MARK: Placement

    /// Places an order: refuses it, or records it and executes what it can at once; the rest of a
    /// good-till-cancel limit order rests on the book with its funds set aside.
    ///
    /// - Returns: The index of the new order in `orders`.
    mutating func place(_ placement: OrderPlacement, at time: Date) -> Result<Int, PlacementError> {
        let instrument = placement.instrument
        let symbol = instrument.symbol
        let isPerpetual = instrument.kind != .spot
        var quantity = placement.quantity
        if isPerpetual, placement.isReduceOnly {
            let position = position(symbol, in: placement.account).size
            let reduces = placement.side == .buy ? position < 0 : position > 0
            guard reduces else { return .failure(.reduceOnlyRejected) }
            if let requested = quantity {
                quantity = min(requested, position.magnitude)
            }
        }
        let planned = plan(
            instrument: instrument, side: placement.side, limit: placement.price, quantity: quantity,
            quoteBudget: placement.quoteQuantity)
        var endStatus: OrderStatus?
        var endReason: String?
        if placement.isPostOnly, !planned.isEmpty {
            guard placement.postOnlyCrossing == .cancel else { return .failure(.postOnlyWouldTake) }
            endStatus = .cancelled
            endReason = "EC_PostOnlyWillTakeLiquidity"
        }
        let plannedQuantity = planned.reduce(Decimal(0)) { $0 + $1.quantity }
        if endStatus == nil, placement.timeInForce == .fillOrKill, let quantity, plannedQuantity < quantity {
            endStatus = .expired
            endReason = "EC_CancelForNoFullFill"
        }
        let executes = endStatus == nil
        let fills = executes ? planned : []
        let rests = executes && placement.type == .limit && placement.timeInForce == .goodTillCancel
        let restQuantity = rests ? max((quantity ?? 0) - plannedQuantity, 0) : 0

        // Funds.
        let fees = configuration.fees(for: instrument.kind)
        if executes, !placement.allowsBorrowing {
            if !isPerpetual {
                if placement.side == .buy {
                    let spend = fills.reduce(Decimal(0)) { $0 + $1.price * $1.quantity }
                    var needed = spend + restQuantity * (placement.price ?? 0)
                    if let budget = placement.quoteQuantity { needed = max(needed, budget) }
                    if balance(instrument.quoteAsset, in: placement.account).free < needed {
                        return .failure(.insufficientBalance)
                    }
                } else {
                    let needed = plannedQuantity + restQuantity
                    if balance(instrument.baseAsset, in: placement.account).free < needed {
                        return .failure(.insufficientBalance)
                    }
                }
            } else if !placement.isReduceOnly {
                let leverage = leverage(symbol, in: placement.account)
                var opposite = position(symbol, in: placement.account).size
                opposite = placement.side == .buy ? max(-opposite, 0) : max(opposite, 0)
                var needed: Decimal = 0
                for fill in fills {
                    let reducing = min(fill.quantity, opposite)
                    opposite -= reducing
                    needed += ((fill.quantity - reducing) * fill.price / leverage).rounded8Up
                    needed += (fill.quantity * fill.price * fees.taker).rounded8
                }
                needed += restReserve(placement: placement, restQuantity: restQuantity, leverage: leverage)
                if balance(settleAsset(instrument), in: placement.account).free < needed {
                    return .failure(.insufficientBalance)
                }
            }
        }

        // Record.
        let index = orders.count
        appendOrder(
            SimulatedOrder(
                sequence: index + 1, exchangeOrderID: placement.exchangeOrderID, clientOrderID: placement.clientOrderID,
                account: placement.account, apiKey: placement.apiKey, dialect: placement.dialect, symbol: symbol,
                kind: instrument.kind, side: placement.side, type: placement.type, wireType: placement.wireType,
                timeInForce: placement.timeInForce, isPostOnly: placement.isPostOnly,
                isReduceOnly: placement.isReduceOnly, price: placement.price, quantity: placement.quantity,
                quoteQuantity: placement.quoteQuantity, filledQuantity: 0, filledQuote: 0, fees: 0, feeAsset: nil,
                status: endStatus ?? .new, endReason: endReason, isLeveraged: placement.allowsBorrowing,
                createdAt: time, updatedAt: time, reserved: 0, reservedAsset: nil, isResting: false))
        guard executes else { return .success(index) }

        for fill in fills {
            // A maker may have changed since planning only through this loop; re-check its size.
            var quantity = fill.quantity
            if let maker = fill.makerIndex {
                quantity = min(quantity, orders[maker].remainingQuantity)
            }
            guard quantity > 0 else { continue }
            applyTrade(orderIndex: index, isMaker: false, price: fill.price, quantity: quantity, at: time)
            if let maker = fill.makerIndex {
                applyTrade(orderIndex: maker, isMaker: true, price: fill.price, quantity: quantity, at: time)
            }
        }

        // A market order sized in the quote asset is filled once what is left cannot buy one more step.
        if let budget = placement.quoteQuantity, let last = fills.last, orders[index].status.isOpen {
            let left = budget - orders[index].filledQuote
            let step = instrument.quantityStep
            if step > 0 ? left < step * last.price : left <= 0 {
                orders[index].status = .filled
            }
        }

        if restQuantity > 0, orders[index].status.isOpen {
            let leverage = leverage(symbol, in: placement.account)
            let reserve =
                isPerpetual
                ? restReserve(placement: placement, restQuantity: restQuantity, leverage: leverage)
                : (placement.side == .buy ? restQuantity * (placement.price ?? 0) : restQuantity)
            let asset = isPerpetual ? settleAsset(instrument) : (placement.side == .buy ? instrument.quoteAsset : instrument.baseAsset)
            orders[index].reserved = reserve
            orders[index].reservedAsset = asset
            orders[index].isResting = true
            adjust(asset, in: placement.account, free: -reserve, locked: reserve)
            openOrders[symbol, default: []].append(index)
        } else if orders[index].status.isOpen {
            // Market, IOC and FOK orders do not rest: what did not fill expires.
            orders[index].status = .expired
            if orders[index].endReason == nil {
                orders[index].endReason = orders[index].filledQuantity > 0 ? "EC_CancelForNoFullFill" : "EC_NoImmediateQtyToFill"
            }
            orders[index].updatedAt = time
        }
        return .success(index)
    }

    private func restReserve(placement: OrderPlacement, restQuantity: Decimal, leverage: Decimal) -> Decimal {
        guard !placement.isReduceOnly, restQuantity > 0, let price = placement.price else { return 0 }
        return (restQuantity * price / leverage).rounded8Up
    }

    func settleAsset(_ instrument: Instrument) -> String {
        instrument.settleAsset ?? instrument.quoteAsset
    }

    // MARK: Execution

    /// Applies one execution to an order: its fill, the account's balances, its position.
    mutating func applyTrade(orderIndex index: Int, isMaker: Bool, price: Decimal, quantity: Decimal, at time: Date) {
        var order = orders[index]
        guard let instrument = instrument(order.symbol) else { return }
        let account = order.account
        let rate = isMaker ? configuration.fees(for: instrument.kind).maker : configuration.fees(for: instrument.kind).taker
        let quote = price * quantity
        let remainingBefore = order.remainingQuantity
        var fee: Decimal
        var feeAsset: String
        var realized: Decimal = 0
        if instrument.kind == .spot {
            if order.side == .buy {
                fee = (quantity * rate).rounded8
                feeAsset = instrument.baseAsset
                if order.isResting {
                    order.reserved -= quote
                    adjust(instrument.quoteAsset, in: account, locked: -quote)
                } else {
                    adjust(instrument.quoteAsset, in: account, free: -quote)
                }
                adjust(instrument.baseAsset, in: account, free: quantity - fee)
            } else {
                fee = (quote * rate).rounded8
                feeAsset = instrument.quoteAsset
                if order.isResting {
                    order.reserved -= quantity
                    adjust(instrument.baseAsset, in: account, locked: -quantity)
                } else {
                    adjust(instrument.baseAsset, in: account, free: -quantity)
                }
                adjust(instrument.quoteAsset, in: account, free: quote - fee)
            }
        } else {
            let settle = settleAsset(instrument)
            fee = (quote * rate).rounded8
            feeAsset = settle
            if order.isResting, order.reserved > 0 {
                let release = quantity >= remainingBefore ? order.reserved : (order.reserved * quantity / remainingBefore).rounded8
                order.reserved -= release
                adjust(settle, in: account, free: release, locked: -release)
            }
            adjust(settle, in: account, free: -fee)
            realized = applyToPosition(
                account: account, instrument: instrument, side: order.side, quantity: quantity, price: price, at: time)
        }
        order.filledQuantity += quantity
        order.filledQuote += quote
        order.fees += fee
        order.feeAsset = feeAsset
        order.updatedAt = time
        let complete = order.quantity.map { order.filledQuantity >= $0 } ?? false
        order.status = complete ? .filled : .partiallyFilled
        orders[index] = order
        if complete, order.isResting {
            removeFromBook(index)
            releaseReserve(index)
        }
        fills.append(
            SimulatedFill(
                tradeID: fills.count + 1, orderSequence: order.sequence, exchangeOrderID: order.exchangeOrderID,
                clientOrderID: order.clientOrderID, account: account, symbol: order.symbol, side: order.side,
                price: price, quantity: quantity, quoteQuantity: quote, fee: fee, feeAsset: feeAsset, feeRate: rate,
                isMaker: isMaker, realizedPnL: realized, time: time))
    }

    /// Updates a one-way position with an execution; returns the realised profit or loss.
    private mutating func applyToPosition(
        account: String, instrument: Instrument, side: OrderSide, quantity: Decimal, price: Decimal, at time: Date
    ) -> Decimal {
        let symbol = instrument.symbol
        let settle = settleAsset(instrument)
        let leverage = leverage(symbol, in: account)
        var book = position(symbol, in: account)
        var remaining = quantity
        var realized: Decimal = 0
        let opens = side == .buy ? book.size >= 0 : book.size <= 0
        if !opens {
            let size = book.size.magnitude
            let closing = min(quantity, size)
            let basis = closing == size ? book.costBasis : (book.costBasis * closing / size).rounded8
            let release = closing == size ? book.margin : (book.margin * closing / size).rounded8
            let proceeds = closing * price
            realized = book.size > 0 ? proceeds - basis : basis - proceeds
            book.costBasis -= basis
            book.margin -= release
            book.size += book.size > 0 ? -closing : closing
            book.realizedPnL += realized
            adjust(settle, in: account, free: release + realized, locked: -release)
            remaining -= closing
            if book.size == 0 {
                book.costBasis = 0
            }
        }
        if remaining > 0 {
            if book.size == 0 {
                book.createdAt = time
            }
            book.size += side == .buy ? remaining : -remaining
            book.costBasis += remaining * price
            let margin = (remaining * price / leverage).rounded8Up
            book.margin += margin
            adjust(settle, in: account, free: -margin, locked: margin)
        }
        book.updatedAt = time
        ensureAccount(account)
        accounts[account]?.positions[symbol] = book
        return realized
    }

    private mutating func removeFromBook(_ index: Int) {
        let symbol = orders[index].symbol
        openOrders[symbol]?.removeAll { $0 == index }
    }

    private mutating func releaseReserve(_ index: Int) {
        let order = orders[index]
        guard order.reserved != 0, let asset = order.reservedAsset else { return }
        adjust(asset, in: order.account, free: order.reserved, locked: -order.reserved)
        orders[index].reserved = 0
    }

    /// Cancels an open order (or ends it with `status`): releases what it had set aside.
    mutating func cancel(orderIndex index: Int, at time: Date, status: OrderStatus = .cancelled, reason: String? = nil) {
        guard orders[index].status.isOpen else { return }
        removeFromBook(index)
        releaseReserve(index)
        orders[index].status = status
        orders[index].endReason = reason ?? orders[index].endReason
        orders[index].updatedAt = time
    }

    /// After a price change: the provider fills the resting orders its new quotes cross, at their
    /// limit price, up to its depth each.
    mutating func sweepRestingOrders(_ symbol: Symbol, at time: Date) {
        guard let instrument = instrument(symbol) else { return }
        let ask = liquidityQuote(for: instrument, takerSide: .buy)
        let bid = liquidityQuote(for: instrument, takerSide: .sell)
        for index in openOrders[symbol] ?? [] {
            let order = orders[index]
            guard order.status.isOpen, let limit = order.price else { continue }
            let quote = order.side == .buy ? ask : bid
            guard let quote else { continue }
            let crosses = order.side == .buy ? quote.price <= limit : quote.price >= limit
            guard crosses else { continue }
            var quantity = min(order.remainingQuantity, quote.depth)
            if instrument.kind != .spot, order.isReduceOnly {
                let position = position(symbol, in: order.account).size
                let reducible = order.side == .buy ? max(-position, 0) : max(position, 0)
                quantity = min(quantity, reducible)
                if quantity <= 0 {
                    cancel(orderIndex: index, at: time, status: .expired, reason: "EC_ReduceOnlyNoPosition")
                    continue
                }
            }
            guard quantity > 0 else { continue }
            applyTrade(orderIndex: index, isMaker: true, price: limit, quantity: quantity, at: time)
        }
    }
}
