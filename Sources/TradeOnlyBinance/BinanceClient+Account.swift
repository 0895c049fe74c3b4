import TradeOnly

extension BinanceClient {
    /// The non-zero balances of the spot wallet (`GET /api/v3/account?omitZeroBalances=true`) or of the
    /// USDⓈ-M futures wallet (`GET /fapi/v3/balance`: `free` is the available balance, `total` the
    /// wallet balance).
    ///
    /// - Parameter kind: `.spot` or `.linearPerpetual`.
    public func balances(for kind: MarketKind) async throws -> [Balance] {
        try access.requireSigning()
        switch kind {
        case .spot:
            let request = ExchangeRequest(
                method: .get, path: "/api/v3/account", parameters: ["omitZeroBalances": "true"], security: .signed,
                weight: 20)
            let wire = try decode(WireSpotAccount.self, from: try await send(request), what: "spot account")
            return wire.balances.compactMap { entry in
                let balance = Balance(asset: entry.asset, free: entry.free.value, locked: entry.locked.value)
                return balance.total == 0 && balance.free == 0 ? nil : balance
            }
        case .linearPerpetual:
            let request = ExchangeRequest(method: .get, path: "/fapi/v3/balance", security: .signed, weight: 5)
            let wire = try decode([WireFuturesBalance].self, from: try await send(request), what: "futures balances")
            return wire.compactMap { entry in
                let total = entry.balance.value
                let free = entry.availableBalance.value
                guard total != 0 || free != 0 else { return nil }
                return Balance(asset: entry.asset, free: free, locked: max(0, total - free), total: total)
            }
        case .inversePerpetual:
            throw ExchangeError(
                .invalidRequest, message: "this client serves Binance spot and USDⓈ-M futures, not COIN-M (inverse) wallets",
                exchange: Binance.exchangeName)
        }
    }

    /// The open USDⓈ-M perpetual positions (`GET /fapi/v3/positionRisk`), flat ones left out.
    ///
    /// In one-way mode the sign of `positionAmt` gives the side; in hedge mode `positionSide` does.
    /// Positions in delivery (quarterly) contracts, whose symbols have no unified spelling, are left
    /// out with a warning in the log.
    public func positions() async throws -> [Position] {
        try access.requireSigning()
        let request = ExchangeRequest(method: .get, path: "/fapi/v3/positionRisk", security: .signed, weight: 5)
        let wire = try decode([WirePosition].self, from: try await send(request), what: "positions")
        let known = cache.entry(for: .linearPerpetual)?.byExchangeSymbol ?? [:]
        var positions: [Position] = []
        for entry in wire {
            let amount = entry.positionAmt.value
            guard amount != 0 else { continue }
            guard let symbol = known[entry.symbol]?.symbol ?? Self.perpetualSymbol(entry.symbol, settledIn: entry.marginAsset)
            else {
                binance.logger.warning("left out a position in \(entry.symbol): not a USDⓈ-M perpetual this client knows")
                continue
            }
            let side: Position.Side
            switch entry.positionSide {
            case "LONG": side = .long
            case "SHORT": side = .short
            default: side = amount < 0 ? .short : .long
            }
            let marginMode: Position.MarginMode?
            switch entry.marginType?.lowercased() {
            case "cross": marginMode = .cross
            case "isolated": marginMode = .isolated
            default: marginMode = (entry.isolatedMargin?.value ?? 0) > 0 ? .isolated : nil
            }
            positions.append(
                Position(
                    symbol: symbol, side: side, quantity: amount, entryPrice: entry.entryPrice.value,
                    markPrice: entry.markPrice?.value, unrealizedPnL: entry.unRealizedProfit?.value,
                    liquidationPrice: entry.liquidationPrice?.value.flatMap { $0 > 0 ? $0 : nil },
                    leverage: entry.leverage?.value, marginMode: marginMode,
                    updatedAt: entry.updateTime.flatMap { $0 > 0 ? BinanceTime.date($0) : nil }))
        }
        return positions
    }

    /// `BTC/USDT:USDT` for `BTCUSDT` settled in USDT; `nil` for delivery contracts (`BTCUSDT_250328`).
    static func perpetualSymbol(_ exchangeSymbol: String, settledIn settle: String?) -> Symbol? {
        let settle = settle ?? "USDT"
        guard !exchangeSymbol.contains("_"), exchangeSymbol.hasSuffix(settle), exchangeSymbol.count > settle.count else {
            return nil
        }
        let symbol = Symbol(base: String(exchangeSymbol.dropLast(settle.count)), quote: settle, settle: settle)
        return symbol.isValid ? symbol : nil
    }
}
