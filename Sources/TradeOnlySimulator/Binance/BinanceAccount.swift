import Foundation
import TradeOnly

/// Binance account, position, key-permission and wallet endpoints.
enum BinanceAccount {
    static func spotAccount(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let omitZero = call.string("omitZeroBalances") == "true"
        let balances = (venue.accounts[call.account]?.balances ?? [:]).sorted { $0.key < $1.key }
            .filter { !omitZero || $0.value.total != 0 }
        let key = call.key
        let rate = venue.configuration.spotFees
        func basisPoints(_ fraction: Decimal) -> JSONValue { .int(Int(truncating: (fraction * 10_000) as NSDecimalNumber)) }
        return .object([
            ("makerCommission", basisPoints(rate.maker)),
            ("takerCommission", basisPoints(rate.taker)),
            ("buyerCommission", .int(0)),
            ("sellerCommission", .int(0)),
            (
                "commissionRates",
                .object([
                    ("maker", BinanceFormat.spot(rate.maker)), ("taker", BinanceFormat.spot(rate.taker)),
                    ("buyer", BinanceFormat.spot(0)), ("seller", BinanceFormat.spot(0)),
                ])
            ),
            ("canTrade", .bool(key?.can(.spotTrade) ?? false)),
            ("canWithdraw", .bool(true)),
            ("canDeposit", .bool(true)),
            ("brokered", .bool(false)),
            ("requireSelfTradePrevention", .bool(false)),
            ("preventSor", .bool(false)),
            ("updateTime", .int(call.context.serverMilliseconds)),
            ("accountType", .string("SPOT")),
            (
                "balances",
                .array(
                    balances.map { asset, balance in
                        .object([
                            ("asset", .string(asset)), ("free", BinanceFormat.spot(balance.free)),
                            ("locked", BinanceFormat.spot(balance.locked)),
                        ])
                    })
            ),
            ("permissions", .array([.string("SPOT")])),
            ("uid", .int(accountUID(call.account))),
        ])
    }

    /// A stable made-up user id for an account name.
    static func accountUID(_ account: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in account.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return 100_000_000 + Int(hash % 800_000_000)
    }

    static func orderRateLimit(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let now = call.context.serverMilliseconds
        let tenSeconds = venue.count("binance orders 10s spot \(call.account)", amount: 0, windowMilliseconds: 10_000, now: now)
        let day = venue.count("binance orders 1d \(call.account)", amount: 0, windowMilliseconds: 86_400_000, now: now)
        return .array([
            .object([
                ("rateLimitType", .string("ORDERS")), ("interval", .string("SECOND")), ("intervalNum", .int(10)),
                ("limit", .int(100)), ("count", .int(tenSeconds.count)),
            ]),
            .object([
                ("rateLimitType", .string("ORDERS")), ("interval", .string("DAY")), ("intervalNum", .int(1)),
                ("limit", .int(200_000)), ("count", .int(day.count)),
            ]),
        ])
    }

    // MARK: Futures

    /// Margin totals per settlement asset: wallet, unrealised PnL, position and order margin.
    private struct MarginSummary {
        var wallet: Decimal = 0
        var free: Decimal = 0
        var unrealized: Decimal = 0
        var positionMargin: Decimal = 0
        var orderMargin: Decimal = 0
    }

    private static func marginSummaries(_ venue: Venue, account: String) -> [String: MarginSummary] {
        var summaries: [String: MarginSummary] = [:]
        let perpetuals = venue.instruments(of: .linearPerpetual)
        for asset in Set(perpetuals.map { venue.settleAsset($0) }) {
            let balance = venue.balance(asset, in: account)
            summaries[asset] = MarginSummary(wallet: balance.total, free: balance.free)
        }
        for instrument in perpetuals {
            let asset = venue.settleAsset(instrument)
            let book = venue.position(instrument.symbol, in: account)
            summaries[asset]?.unrealized += book.unrealizedPnL(mark: venue.price(instrument.symbol) ?? 0)
            summaries[asset]?.positionMargin += book.margin
        }
        for index in venue.openOrderIndexes(account: account, kind: .linearPerpetual) {
            let order = venue.orders[index]
            if let asset = order.reservedAsset {
                summaries[asset]?.orderMargin += order.reserved
            }
        }
        return summaries
    }

    static func futuresBalance(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let summaries = marginSummaries(venue, account: call.account)
        return .array(
            summaries.keys.sorted().compactMap { asset in
                guard let summary = summaries[asset] else { return nil }
                return .object([
                    ("accountAlias", .string("SgsR")),
                    ("asset", .string(asset)),
                    ("balance", BinanceFormat.plain(summary.wallet)),
                    ("crossWalletBalance", BinanceFormat.plain(summary.wallet)),
                    ("crossUnPnl", BinanceFormat.plain(summary.unrealized)),
                    ("availableBalance", BinanceFormat.plain(summary.free)),
                    ("maxWithdrawAmount", BinanceFormat.plain(max(summary.free, 0))),
                    ("marginAvailable", .bool(true)),
                    ("updateTime", .int(call.context.serverMilliseconds)),
                ])
            })
    }

    static func futuresAccount(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let summaries = marginSummaries(venue, account: call.account)
        let total = summaries.values.reduce(MarginSummary()) { sum, next in
            MarginSummary(
                wallet: sum.wallet + next.wallet, free: sum.free + next.free, unrealized: sum.unrealized + next.unrealized,
                positionMargin: sum.positionMargin + next.positionMargin, orderMargin: sum.orderMargin + next.orderMargin)
        }
        let now = call.context.serverMilliseconds
        let assets: [JSONValue] = summaries.keys.sorted().compactMap { asset in
            guard let summary = summaries[asset] else { return nil }
            return .object([
                ("asset", .string(asset)),
                ("walletBalance", BinanceFormat.plain(summary.wallet)),
                ("unrealizedProfit", BinanceFormat.plain(summary.unrealized)),
                ("marginBalance", BinanceFormat.plain(summary.wallet + summary.unrealized)),
                ("maintMargin", .string("0")),
                ("initialMargin", BinanceFormat.plain(summary.positionMargin + summary.orderMargin)),
                ("positionInitialMargin", BinanceFormat.plain(summary.positionMargin)),
                ("openOrderInitialMargin", BinanceFormat.plain(summary.orderMargin)),
                ("crossWalletBalance", BinanceFormat.plain(summary.wallet)),
                ("crossUnPnl", BinanceFormat.plain(summary.unrealized)),
                ("availableBalance", BinanceFormat.plain(summary.free)),
                ("maxWithdrawAmount", BinanceFormat.plain(max(summary.free, 0))),
                ("updateTime", .int(now)),
            ])
        }
        let positions: [JSONValue] = venue.instruments(of: .linearPerpetual).compactMap { instrument in
            let position = venue.publicPosition(instrument.symbol, in: call.account)
            guard position.size != 0 else { return nil }
            return .object([
                ("symbol", .string(instrument.exchangeSymbol)),
                ("positionSide", .string("BOTH")),
                ("positionAmt", BinanceFormat.plain(position.size)),
                ("unrealizedProfit", BinanceFormat.plain(position.unrealizedPnL)),
                ("isolatedMargin", .string("0")),
                ("notional", BinanceFormat.plain(position.size * position.markPrice)),
                ("isolatedWallet", .string("0")),
                ("initialMargin", BinanceFormat.plain(position.margin)),
                ("maintMargin", .string("0")),
                ("updateTime", .int(position.updatedAt?.milliseconds ?? 0)),
            ])
        }
        return .object([
            ("totalInitialMargin", BinanceFormat.plain(total.positionMargin + total.orderMargin)),
            ("totalMaintMargin", .string("0")),
            ("totalWalletBalance", BinanceFormat.plain(total.wallet)),
            ("totalUnrealizedProfit", BinanceFormat.plain(total.unrealized)),
            ("totalMarginBalance", BinanceFormat.plain(total.wallet + total.unrealized)),
            ("totalPositionInitialMargin", BinanceFormat.plain(total.positionMargin)),
            ("totalOpenOrderInitialMargin", BinanceFormat.plain(total.orderMargin)),
            ("totalCrossWalletBalance", BinanceFormat.plain(total.wallet)),
            ("totalCrossUnPnl", BinanceFormat.plain(total.unrealized)),
            ("availableBalance", BinanceFormat.plain(total.free)),
            ("maxWithdrawAmount", BinanceFormat.plain(max(total.free, 0))),
            ("assets", .array(assets)),
            ("positions", .array(positions)),
        ])
    }

    static func positionRisk(_ venue: inout Venue, _ call: BinanceCall, version: Int) throws -> JSONValue {
        var instruments = venue.instruments(of: .linearPerpetual)
        if let only = try call.optionalInstrument(in: venue) {
            instruments = [only]
        }
        let open = Set(venue.openOrderIndexes(account: call.account, kind: .linearPerpetual).map { venue.orders[$0].symbol })
        return .array(
            instruments.compactMap { instrument in
                let position = venue.publicPosition(instrument.symbol, in: call.account)
                if version == 3, position.size == 0, !open.contains(instrument.symbol) { return nil }
                let entry = position.entryPrice
                if version == 2 {
                    return .object([
                        ("entryPrice", BinanceFormat.plain(entry)),
                        ("breakEvenPrice", BinanceFormat.plain(entry)),
                        ("marginType", .string("cross")),
                        ("isAutoAddMargin", .string("false")),
                        ("isolatedMargin", .string("0.00000000")),
                        ("leverage", .string(position.leverage.plainString)),
                        ("liquidationPrice", .string("0")),
                        ("markPrice", BinanceFormat.plain(position.markPrice)),
                        ("maxNotionalValue", .string("1000000")),
                        ("positionAmt", BinanceFormat.plain(position.size)),
                        ("notional", BinanceFormat.plain(position.size * position.markPrice)),
                        ("isolatedWallet", .string("0")),
                        ("symbol", .string(instrument.exchangeSymbol)),
                        ("unRealizedProfit", BinanceFormat.plain(position.unrealizedPnL)),
                        ("positionSide", .string("BOTH")),
                        ("updateTime", .int(position.updatedAt?.milliseconds ?? 0)),
                    ])
                }
                return .object([
                    ("symbol", .string(instrument.exchangeSymbol)),
                    ("positionSide", .string("BOTH")),
                    ("positionAmt", BinanceFormat.plain(position.size)),
                    ("entryPrice", BinanceFormat.plain(entry)),
                    ("breakEvenPrice", BinanceFormat.plain(entry)),
                    ("markPrice", BinanceFormat.plain(position.markPrice)),
                    ("unRealizedProfit", BinanceFormat.plain(position.unrealizedPnL)),
                    ("liquidationPrice", .string("0")),
                    ("isolatedMargin", .string("0")),
                    ("notional", BinanceFormat.plain(position.size * position.markPrice)),
                    ("marginAsset", .string(venue.settleAsset(instrument))),
                    ("isolatedWallet", .string("0")),
                    ("initialMargin", BinanceFormat.plain(position.margin)),
                    ("maintMargin", .string("0")),
                    ("positionInitialMargin", BinanceFormat.plain(position.margin)),
                    ("openOrderInitialMargin", .string("0")),
                    ("adl", .int(0)),
                    ("bidNotional", .string("0")),
                    ("askNotional", .string("0")),
                    ("updateTime", .int(position.updatedAt?.milliseconds ?? 0)),
                ])
            })
    }

    static func accountConfig(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        .object([
            ("feeTier", .int(0)),
            ("canTrade", .bool(call.key?.can(.futuresTrade) ?? false)),
            ("canDeposit", .bool(true)),
            ("canWithdraw", .bool(true)),
            ("dualSidePosition", .bool(false)),
            ("updateTime", .int(0)),
            ("multiAssetsMargin", .bool(false)),
            ("tradeGroupId", .int(-1)),
        ])
    }

    static func setLeverage(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        let instrument = try call.instrument(in: venue)
        guard let leverage = try call.integer("leverage") else { throw BinanceError.mandatory("leverage") }
        guard leverage >= 1, Decimal(leverage) <= venue.configuration.maximumLeverage else {
            throw BinanceError(code: -4028, "Leverage \(leverage) is not valid")
        }
        venue.ensureAccount(call.account)
        venue.accounts[call.account]?.leverage[instrument.symbol] = Decimal(leverage)
        return .object([
            ("leverage", .int(leverage)),
            ("maxNotionalValue", .string("1000000")),
            ("symbol", .string(instrument.exchangeSymbol)),
        ])
    }

    // MARK: Key permissions and money

    /// `GET /sapi/v1/account/apiRestrictions`: every field from the key's permissions.
    static func apiRestrictions(_ venue: inout Venue, _ call: BinanceCall) throws -> JSONValue {
        guard let key = call.key else { throw BinanceError.rejectedKey }
        var members: [(String, JSONValue)] = [
            ("ipRestrict", .bool(key.isIPRestricted)),
            ("createTime", .int(key.createdAt.milliseconds)),
            ("enableReading", .bool(key.can(.read))),
            ("enableWithdrawals", .bool(key.can(.withdraw))),
            ("enableInternalTransfer", .bool(key.can(.internalTransfer))),
            ("enableMargin", .bool(key.can(.marginTrade) || key.can(.borrow))),
            ("enableFutures", .bool(key.can(.futuresTrade))),
            ("permitsUniversalTransfer", .bool(key.can(.universalTransfer))),
            ("enableVanillaOptions", .bool(key.can(.optionsTrade))),
            ("enableFixApiTrade", .bool(key.can(.fixTrade))),
            ("enableFixReadOnly", .bool(key.can(.fixRead))),
            ("enableSpotAndMarginTrading", .bool(key.can(.spotTrade))),
            ("enablePortfolioMarginTrading", .bool(key.can(.portfolioMarginTrade))),
        ]
        if let expiry = key.expiresAt {
            members.append(("tradingAuthorityExpirationTime", .int(expiry.milliseconds)))
        }
        return .object(members)
    }

    /// A withdrawal or transfer for a key that has the permission: debits the balance (when the
    /// money leaves the account) and records it.
    static func moveMoney(_ venue: inout Venue, _ call: BinanceCall, kind: String, leavesAccount: Bool) throws -> JSONValue {
        let asset = try call.string("coin") ?? call.required("asset")
        guard let amount = try call.decimal("amount"), amount > 0 else { throw BinanceError.mandatory("amount") }
        if kind == "withdraw" { _ = try call.required("address") }
        let balance = venue.balance(asset, in: call.account)
        guard balance.free >= amount else {
            throw BinanceError(code: kind == "withdraw" ? -4026 : -5002, "The user has insufficient balance available")
        }
        if leavesAccount {
            venue.adjust(asset, in: call.account, free: -amount)
        }
        let id = venue.nextMovementID
        venue.nextMovementID += 1
        let hex = String(id, radix: 16)
        let idText = kind == "withdraw" ? String(repeating: "0", count: max(32 - hex.count, 0)) + hex : String(100_000_000 + id)
        venue.movements.append(
            MoneyMovement(
                kind: kind, path: call.request.path, apiKey: call.key?.apiKey ?? "", account: call.account,
                asset: asset, amount: amount, leftAccount: leavesAccount, id: idText, time: call.now))
        if kind == "withdraw" {
            return .object([("id", .string(idText))])
        }
        return .object([("tranId", .int(100_000_000 + id))])
    }
}
