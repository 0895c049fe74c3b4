extension Instrument {
    /// Checks an order against this instrument's rules before it is sent.
    ///
    /// Every rule is checked; the first violation is thrown (in the order listed below) and
    /// ``violations(of:referencePrice:)`` returns them all. Each error names the rule in
    /// ``ExchangeError/rule`` (one of the ``Rule`` names) and, in its message, the nearest valid values:
    /// `price 30000.05 is not a multiple of the tick size 0.1: use 30000.0 or 30000.1`.
    ///
    /// 1. The order's symbol is this instrument's (kind ``ExchangeError/Kind/invalidRequest``, rule
    ///    ``Rule/symbol``).
    /// 2. The order is well formed (kind `invalidRequest`): a limit order has a price and a market order
    ///    none (``Rule/price``); post-only only on a good-till-cancel limit order (``Rule/postOnly``);
    ///    reduce-only not on spot (``Rule/reduceOnly``).
    /// 3. The rest have kind ``ExchangeError/Kind/orderRejected``: the market is trading
    ///    (``Rule/status``); the quantity and the limit price are positive (``Rule/quantity``,
    ///    ``Rule/price``); the price is within ``minimumPrice`` … ``maximumPrice`` and on the tick grid;
    ///    the quantity is on the step grid, at least ``minimumQuantity``, at most
    ///    ``maximumMarketQuantity`` (market orders) and ``maximumQuantity``; the notional
    ///    (``notional(price:quantity:)``) is within ``minimumNotional`` … ``maximumNotional``.
    ///
    /// Market orders have no price: their notional is checked at `referencePrice` (the last or mark
    /// price) where the instrument applies a notional limit to market orders
    /// (``minimumNotionalAppliesToMarketOrders``, ``maximumNotionalAppliesToMarketOrders``). Without a
    /// reference price such an order is **refused** (kind `invalidRequest`, rule
    /// ``Rule/referencePrice``): a check that cannot be made does not pass silently. Pass
    /// `referencePrice: try await client.ticker(symbol).lastPrice`, or size the order with a limit
    /// price. A market order on an instrument with no such limit needs no reference price. (The
    /// clients' `place(_:)` checks orders without one and leaves a market order's value to the
    /// exchange, which knows its price.)
    ///
    /// - Parameters:
    ///   - order: The order to check.
    ///   - referencePrice: The price to value a market order at; ignored for limit orders.
    /// - Throws: ``ExchangeError`` for the first rule the order breaks.
    public func validate(_ order: OrderRequest, referencePrice: Decimal? = nil) throws {
        if let first = violations(of: order, referencePrice: referencePrice).first { throw first }
    }

    /// Every rule the order breaks, in the order ``validate(_:referencePrice:)`` checks them; empty if
    /// the order passes.
    ///
    /// - Parameters:
    ///   - order: The order to check.
    ///   - referencePrice: The price to value a market order at; ignored for limit orders.
    public func violations(of order: OrderRequest, referencePrice: Decimal? = nil) -> [ExchangeError] {
        violations(of: order, referencePrice: referencePrice, requiresReferencePrice: true)
    }

    /// Checks an order as a client does before sending it: every rule of
    /// ``validate(_:referencePrice:)``, except that a market order's value is left to the exchange
    /// (it knows the price the order will fill at) instead of being refused for want of a reference price.
    ///
    /// - Parameter order: The order to check.
    /// - Throws: ``ExchangeError`` for the first rule the order breaks.
    package func validateBeforeSending(_ order: OrderRequest) throws {
        if let first = violations(of: order, referencePrice: nil, requiresReferencePrice: false).first { throw first }
    }

    private func violations(
        of order: OrderRequest, referencePrice: Decimal?, requiresReferencePrice: Bool
    ) -> [ExchangeError] {
        var found: [ExchangeError] = []
        func invalid(_ rule: Rule, _ message: String) {
            found.append(ExchangeError(.invalidRequest, message: message, rule: rule, clientOrderID: order.clientOrderID))
        }
        func rejected(_ rule: Rule, _ message: String) {
            found.append(ExchangeError(.orderRejected, message: message, rule: rule, clientOrderID: order.clientOrderID))
        }

        // 1–2. The request itself.
        if order.symbol != symbol {
            invalid(Rule.symbol, "the order is for \(order.symbol) but this instrument is \(symbol) (\(exchangeSymbol))")
            return found
        }
        if order.quantity.isNaN { invalid(Rule.quantity, "the quantity is not a number") }
        switch (order.type, order.price) {
        case (.limit, nil):
            invalid(Rule.price, "a limit order needs a price")
        case (.limit, let price?) where price.isNaN:
            invalid(Rule.price, "the price is not a number")
        case (.market, let price?):
            invalid(Rule.price, "a market order takes no price (\(price.plainString) was given): use a limit order to set one")
        default:
            break
        }
        if order.isPostOnly, order.type == .market {
            invalid(Rule.postOnly, "a market order cannot be post-only: use a post-only limit order")
        } else if order.isPostOnly, order.timeInForce != .goodTillCancel {
            invalid(Rule.postOnly, "a post-only order must be good till cancel, not \(order.timeInForce.abbreviation)")
        }
        if order.isReduceOnly, kind == .spot {
            invalid(Rule.reduceOnly, "reduce-only applies to perpetuals; \(symbol) is a spot market")
        }
        if !found.isEmpty { return found }

        // 3. The instrument's rules.
        if !status.isTrading {
            rejected(Rule.status, "\(symbol) is not open for orders (status \(status))")
        }
        let quantity = order.quantity
        let limitPrice = order.type == .limit ? order.price : nil
        var priceIsUsable = true
        if let price = limitPrice {
            if price <= 0 {
                rejected(Rule.price, "price \(price.plainString) must be above zero")
                priceIsUsable = false
            } else {
                if let minimumPrice, minimumPrice > 0, price.isExactlyBelow(minimumPrice) {
                    rejected(
                        Rule.minimumPrice,
                        "price \(price.plainString) is below the minimum price \(formattedPrice(minimumPrice)): use \(formattedPrice(minimumPrice.rounded(toMultipleOf: tickSize, rule: .up))) or more"
                    )
                    priceIsUsable = false
                }
                if let maximumPrice, maximumPrice > 0, price.isExactlyAbove(maximumPrice) {
                    rejected(
                        Rule.maximumPrice,
                        "price \(price.plainString) is above the maximum price \(formattedPrice(maximumPrice)): use \(formattedPrice(maximumPrice.rounded(toMultipleOf: tickSize, rule: .down))) or less"
                    )
                    priceIsUsable = false
                }
                if !price.isMultiple(of: tickSize) {
                    let lower = price.rounded(toMultipleOf: tickSize, rule: .down)
                    let upper = price.rounded(toMultipleOf: tickSize, rule: .up)
                    rejected(
                        Rule.tickSize,
                        "price \(price.plainString) is not a multiple of the tick size \(tickSize.plainString): use \(formattedPrice(lower)) or \(formattedPrice(upper))"
                            + Self.literalHint(price))
                }
            }
        }

        guard quantity > 0 else {
            rejected(Rule.quantity, "quantity \(quantity.plainString) must be above zero")
            return found
        }
        if !quantity.isMultiple(of: quantityStep) {
            let lower = quantity.rounded(toMultipleOf: quantityStep, rule: .down)
            let upper = quantity.rounded(toMultipleOf: quantityStep, rule: .up)
            // Never suggest a quantity the instrument refuses (zero, or below the minimum).
            let suggestion =
                lower < smallestQuantity
                ? "use \(formattedQuantity(Swift.max(upper, smallestQuantity))) or more (the smallest quantity allowed is \(formattedQuantity(smallestQuantity)))"
                : "use \(formattedQuantity(lower)) or \(formattedQuantity(upper))"
            rejected(
                Rule.quantityStep,
                "quantity \(quantity.plainString) is not a multiple of the quantity step \(quantityStep.plainString): \(suggestion)"
                    + Self.literalHint(quantity))
        }
        if minimumQuantity > 0, quantity.isExactlyBelow(minimumQuantity) {
            rejected(
                Rule.minimumQuantity,
                "quantity \(quantity.plainString) is below the minimum quantity \(minimumQuantity.plainString): use \(formattedQuantity(smallestQuantity)) or more"
            )
        }
        if order.type == .market, let maximumMarketQuantity, maximumMarketQuantity > 0, quantity.isExactlyAbove(maximumMarketQuantity) {
            rejected(
                Rule.maximumMarketQuantity,
                "quantity \(quantity.plainString) is above the maximum for market orders \(maximumMarketQuantity.plainString): use \(formattedQuantity(maximumMarketQuantity.rounded(toMultipleOf: quantityStep, rule: .down))) or less, or a limit order"
            )
        }
        if let maximumQuantity, maximumQuantity > 0, quantity.isExactlyAbove(maximumQuantity) {
            rejected(
                Rule.maximumQuantity,
                "quantity \(quantity.plainString) is above the maximum quantity \(maximumQuantity.plainString): use \(formattedQuantity(maximumQuantity.rounded(toMultipleOf: quantityStep, rule: .down))) or less"
            )
        }

        // Notional: at the limit price, or at the reference price for market orders.
        let valuationPrice: Decimal?
        let checksMinimum: Bool
        let checksMaximum: Bool
        if order.type == .limit {
            valuationPrice = priceIsUsable ? limitPrice : nil
            checksMinimum = true
            checksMaximum = true
        } else {
            valuationPrice = referencePrice.flatMap { !$0.isNaN && $0 > 0 ? $0 : nil }
            checksMinimum = minimumNotionalAppliesToMarketOrders
            checksMaximum = maximumNotionalAppliesToMarketOrders
        }
        guard let price = valuationPrice else {
            let limits = [
                checksMinimum ? minimumNotional.flatMap { $0 > 0 ? "at least \($0.plainString)" : nil } : nil,
                checksMaximum ? maximumNotional.flatMap { $0 > 0 ? "at most \($0.plainString)" : nil } : nil,
            ].compactMap { $0 }
            if order.type == .market, requiresReferencePrice, !limits.isEmpty {
                invalid(
                    Rule.referencePrice,
                    "a market order on \(symbol) must be worth \(limits.joined(separator: " and ")) \(quoteAsset), which "
                        + "cannot be checked without a price: pass the last or mark price, as in "
                        + "validate(order, referencePrice: ticker.lastPrice)")
            }
            return found
        }
        let value = notional(price: price, quantity: quantity)
        // Written only into a refusal.
        var at: String { order.type == .market ? "at the reference price \(price.plainString)" : "at price \(price.plainString)" }
        if checksMinimum, let minimumNotional, minimumNotional > 0, value.isExactlyBelow(minimumNotional) {
            let needed = quantityForNotional(atLeast: minimumNotional, price: price)
            rejected(
                Rule.minimumNotional,
                "notional \(value.plainString) (\(notionalFormula(price: price, quantity: quantity))) \(at) is below the minimum notional \(minimumNotional.plainString): use a quantity of at least \(formattedQuantity(needed))"
            )
        }
        if checksMaximum, let maximumNotional, maximumNotional > 0, value.isExactlyAbove(maximumNotional) {
            let allowed = quantityForNotional(atMost: maximumNotional, price: price)
            rejected(
                Rule.maximumNotional,
                "notional \(value.plainString) (\(notionalFormula(price: price, quantity: quantity))) \(at) is above the maximum notional \(maximumNotional.plainString): use a quantity of at most \(formattedQuantity(allowed))"
            )
        }
        return found
    }

    /// The order moved onto this instrument's grids the safe way: the quantity rounded **down** to the
    /// quantity step, a buy price rounded **down** to the tick and a sell price rounded **up**, so that a
    /// buyer never pays more, a seller never receives less, and nobody trades more than asked.
    ///
    /// Values already on the grid are unchanged. Rounding does not enforce the other rules: a quantity
    /// can round below ``minimumQuantity`` or to zero, and the notional below ``minimumNotional``;
    /// ``validate(_:referencePrice:)`` reports that. Market orders keep their `nil` price.
    ///
    /// - Parameter order: The order to round.
    /// - Returns: The rounded order; everything else is unchanged.
    public func rounded(_ order: OrderRequest) -> OrderRequest {
        var copy = order
        copy.quantity = order.quantity.rounded(toMultipleOf: quantityStep, rule: .down)
        if let price = order.price {
            copy.price = price.rounded(toMultipleOf: tickSize, rule: order.side == .buy ? .down : .up)
        }
        return copy
    }

    /// A price as the exchange expects it on the wire: plain notation with the tick size's number of
    /// decimal places (`30000.10` for a tick of `0.01`), never exponent form.
    ///
    /// A price off the tick grid is rounded by `rule` (half away from zero unless you say otherwise);
    /// align orders with ``rounded(_:)`` and check them with ``validate(_:referencePrice:)`` first.
    ///
    /// - Parameters:
    ///   - price: The price.
    ///   - rule: How to round a price off the grid.
    public func formattedPrice(_ price: Decimal, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> String {
        price.formatted(step: tickSize, rounding: rule)
    }

    /// A quantity as the exchange expects it on the wire: plain notation with the quantity step's
    /// number of decimal places (`0.00100` for a step of `0.00001`), never exponent form.
    ///
    /// A quantity off the step grid is rounded by `rule`, **down** unless you say otherwise, so that the
    /// wire never carries more than asked; align orders with ``rounded(_:)`` first.
    ///
    /// - Parameters:
    ///   - quantity: The quantity.
    ///   - rule: How to round a quantity off the grid.
    public func formattedQuantity(_ quantity: Decimal, rounding rule: FloatingPointRoundingRule = .down) -> String {
        quantity.formatted(step: quantityStep, rounding: rule)
    }

    // MARK: Helpers for messages

    /// The smallest valid quantity: the minimum, rounded up to the step grid.
    private var smallestQuantity: Decimal {
        let smallest = minimumQuantity.rounded(toMultipleOf: quantityStep, rule: .up)
        return smallest > 0 ? smallest : quantityStep
    }

    /// The smallest quantity on the grid whose notional at `price` is at least `target`.
    private func quantityForNotional(atLeast target: Decimal, price: Decimal) -> Decimal {
        let unitValue = notional(price: price, quantity: 1)
        guard unitValue > 0 else { return smallestQuantity }
        var quantity = (target / unitValue).rounded(toMultipleOf: quantityStep, rule: .up)
        if quantityStep > 0 {
            // Division rounds to 38 digits; make sure the result really reaches the target.
            var steps = 0
            while notional(price: price, quantity: quantity) < target, steps < 4 {
                quantity += quantityStep
                steps += 1
            }
        }
        return Swift.max(quantity, smallestQuantity)
    }

    /// The largest quantity on the grid whose notional at `price` is at most `target`.
    private func quantityForNotional(atMost target: Decimal, price: Decimal) -> Decimal {
        let unitValue = notional(price: price, quantity: 1)
        guard unitValue > 0 else { return 0 }
        var quantity = (target / unitValue).rounded(toMultipleOf: quantityStep, rule: .down)
        if quantityStep > 0 {
            var steps = 0
            while quantity > 0, notional(price: price, quantity: quantity) > target, steps < 4 {
                quantity -= quantityStep
                steps += 1
            }
        }
        return quantity
    }

    private func notionalFormula(price: Decimal, quantity: Decimal) -> String {
        switch (kind, contractSize == 1) {
        case (.inversePerpetual, _): return "quantity \(quantity.plainString) × contract size \(contractSize.plainString)"
        case (_, true): return "price \(price.plainString) × quantity \(quantity.plainString)"
        case (_, false): return "price \(price.plainString) × quantity \(quantity.plainString) × contract size \(contractSize.plainString)"
        }
    }

    /// A hint for values that look like a `Double` literal converted to `Decimal` (16 to 20 significant
    /// digits that round to a short number at 15 digits), or an empty string.
    static func literalHint(_ value: Decimal) -> String {
        guard let digits = DecimalDigits(value), (16...20).contains(digits.digits.count) else { return "" }
        let keptExponent = digits.exponent + digits.digits.count - 15
        let shortened = value.rounded(toMultipleOf: .step(fractionDigits: -keptExponent), rule: .toNearestOrAwayFromZero)
        guard let short = DecimalDigits(shortened), short.digits.count <= 10 else { return "" }
        let text = shortened.plainString
        return
            " (if \(value.plainString) came from a floating-point literal, which passes through Double, write Decimal(exactly: \"\(text)\") instead)"
    }
}
