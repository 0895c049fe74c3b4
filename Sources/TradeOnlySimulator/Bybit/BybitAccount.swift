import Foundation
import TradeOnly

/// Bybit account, position, key and asset endpoints.
enum BybitAccount {
    /// The value of an amount of an asset in USD(T): stablecoins at 1, others at their spot price.
    private static func usdValue(_ amount: Decimal, of asset: String, venue: Venue) -> Decimal {
        if ["USDT", "USDC", "USD"].contains(asset) { return amount }
        let spot = venue.instruments(of: .spot).first { $0.baseAsset == asset && ["USDT", "USDC"].contains($0.quoteAsset) }
        guard let spot, let price = venue.price(spot.symbol) else { return 0 }
        return amount * price
    }

    static func walletBalance(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        let accountType = try call.required("accountType")
        guard accountType == "UNIFIED" else {
            throw BybitError(10001, "accountType only support UNIFIED.")
        }
        let balances = venue.accounts[call.account]?.balances ?? [:]
        var assets = balances.keys.sorted()
        if let coins = call.string("coin") {
            assets = coins.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        var spotLocked: [String: Decimal] = [:]
        var orderMargin: [String: Decimal] = [:]
        for index in venue.openOrderIndexes(account: call.account) {
            let order = venue.orders[index]
            guard let asset = order.reservedAsset else { continue }
            if order.kind == .spot {
                spotLocked[asset, default: 0] += order.reserved
            } else {
                orderMargin[asset, default: 0] += order.reserved
            }
        }
        var positionMargin: [String: Decimal] = [:]
        var unrealized: [String: Decimal] = [:]
        var realized: [String: Decimal] = [:]
        for instrument in venue.instruments(of: .linearPerpetual) {
            let asset = venue.settleAsset(instrument)
            let book = venue.position(instrument.symbol, in: call.account)
            positionMargin[asset, default: 0] += book.margin
            unrealized[asset, default: 0] += book.unrealizedPnL(mark: venue.price(instrument.symbol) ?? 0)
            realized[asset, default: 0] += book.realizedPnL
        }
        var totalWallet: Decimal = 0
        var totalEquity: Decimal = 0
        var totalInitial: Decimal = 0
        var totalUnrealized: Decimal = 0
        var totalAvailable: Decimal = 0
        var coins: [JSONValue] = []
        for asset in assets {
            let balance = balances[asset] ?? SimulatedBalance(free: 0)
            let wallet = balance.total
            let upnl = unrealized[asset] ?? 0
            let equity = wallet + upnl
            if call.string("coin") == nil, wallet == 0, upnl == 0 { continue }
            let borrowed = balance.free < 0 ? -balance.free : 0
            totalWallet += usdValue(wallet, of: asset, venue: venue)
            totalEquity += usdValue(equity, of: asset, venue: venue)
            totalUnrealized += usdValue(upnl, of: asset, venue: venue)
            let initial = (positionMargin[asset] ?? 0) + (orderMargin[asset] ?? 0)
            totalInitial += usdValue(initial, of: asset, venue: venue)
            totalAvailable += usdValue(max(balance.free, 0), of: asset, venue: venue)
            coins.append(
                .object([
                    ("coin", .string(asset)),
                    ("equity", BybitFormat.number(equity)),
                    ("usdValue", BybitFormat.number(usdValue(equity, of: asset, venue: venue).rounded8)),
                    ("walletBalance", BybitFormat.number(wallet)),
                    ("locked", BybitFormat.number(spotLocked[asset] ?? 0)),
                    ("spotHedgingQty", .string("0")),
                    ("borrowAmount", BybitFormat.number(borrowed)),
                    ("availableToWithdraw", BybitFormat.number(max(balance.free, 0))),
                    ("accruedInterest", .string("0")),
                    ("totalOrderIM", BybitFormat.number(orderMargin[asset] ?? 0)),
                    ("totalPositionIM", BybitFormat.number(positionMargin[asset] ?? 0)),
                    ("totalPositionMM", .string("0")),
                    ("unrealisedPnl", BybitFormat.number(upnl)),
                    ("cumRealisedPnl", BybitFormat.number(realized[asset] ?? 0)),
                    ("bonus", .string("0")),
                    ("marginCollateral", .bool(true)),
                    ("collateralSwitch", .bool(true)),
                    ("spotBorrow", BybitFormat.number(borrowed)),
                ]))
        }
        return .object([
            (
                "list",
                .array([
                    .object([
                        ("accountType", .string("UNIFIED")),
                        (
                            "accountIMRate",
                            .string(
                                totalEquity > 0
                                    ? (totalInitial / totalEquity).rounded(fractionDigits: 4, rule: .toNearestOrAwayFromZero).plainString : "0")
                        ),
                        ("accountMMRate", .string("0")),
                        ("accountLTV", .string("0")),
                        ("totalEquity", BybitFormat.number(totalEquity.rounded8)),
                        ("totalWalletBalance", BybitFormat.number(totalWallet.rounded8)),
                        ("totalMarginBalance", BybitFormat.number(totalEquity.rounded8)),
                        ("totalAvailableBalance", BybitFormat.number(totalAvailable.rounded8)),
                        ("totalPerpUPL", BybitFormat.number(totalUnrealized.rounded8)),
                        ("totalInitialMargin", BybitFormat.number(totalInitial.rounded8)),
                        ("totalMaintenanceMargin", .string("0")),
                        ("coin", .array(coins)),
                    ])
                ])
            )
        ])
    }

    static func positions(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        guard try call.category() == .linearPerpetual else {
            throw BybitError.parameter("params error: Category is invalid")
        }
        var instruments: [Instrument]
        let bySymbol = call.string("symbol") != nil
        if bySymbol {
            instruments = [try call.instrument(in: venue, kind: .linearPerpetual)]
        } else if let settle = call.string("settleCoin") {
            instruments = venue.instruments(of: .linearPerpetual).filter {
                venue.settleAsset($0) == settle && venue.position($0.symbol, in: call.account).size != 0
            }
        } else {
            throw BybitError.missing("symbol or settleCoin")
        }
        let limit = try call.limit(default: 20, maximum: 200, venue: venue)
        let page = try BybitPage.page(
            instruments, call: call, limit: limit, tag: bySymbol ? "" : "settleCoin%3D\(call.string("settleCoin") ?? "")%26")
        let list = page.items.map { instrument -> JSONValue in
            let position = venue.publicPosition(instrument.symbol, in: call.account)
            let side = position.size > 0 ? "Buy" : position.size < 0 ? "Sell" : ""
            return .object([
                ("positionIdx", .int(0)),
                ("riskId", .int(1)),
                ("riskLimitValue", .string("2000000")),
                ("symbol", .string(instrument.exchangeSymbol)),
                ("side", .string(side)),
                ("size", BybitFormat.number(position.size.magnitude)),
                ("avgPrice", BybitFormat.number(position.entryPrice)),
                ("positionValue", BybitFormat.number(position.entryPrice * position.size.magnitude)),
                ("tradeMode", .int(0)),
                ("positionStatus", .string("Normal")),
                ("autoAddMargin", .int(0)),
                ("adlRankIndicator", .int(position.size == 0 ? 0 : 2)),
                ("leverage", BybitFormat.number(position.leverage)),
                ("positionBalance", BybitFormat.number(position.margin)),
                ("markPrice", BybitFormat.number(position.markPrice)),
                ("liqPrice", .string("")),
                ("bustPrice", .string("")),
                ("positionMM", .string("0")),
                ("positionIM", BybitFormat.number(position.margin)),
                ("tpslMode", .string("Full")),
                ("takeProfit", .string("0.00")),
                ("stopLoss", .string("0.00")),
                ("trailingStop", .string("0.00")),
                ("unrealisedPnl", BybitFormat.number(position.unrealizedPnL)),
                ("curRealisedPnl", BybitFormat.number(position.realizedPnL)),
                ("cumRealisedPnl", BybitFormat.number(position.realizedPnL)),
                ("seq", .int(venue.fills.count)),
                ("isReduceOnly", .bool(false)),
                ("mmrSysUpdatedTime", .string("")),
                ("leverageSysUpdatedTime", .string("")),
                ("createdTime", .string(String(position.createdAt?.milliseconds ?? 0))),
                ("updatedTime", .string(String(position.updatedAt?.milliseconds ?? 0))),
            ])
        }
        return .object([("list", .array(list)), ("nextPageCursor", .string(page.next)), ("category", .string("linear"))])
    }

    static func setLeverage(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        guard try call.category() == .linearPerpetual else { throw BybitError.parameter("params error: Category is invalid") }
        let instrument = try call.instrument(in: venue, kind: .linearPerpetual)
        guard let buy = try call.decimal("buyLeverage") else { throw BybitError.missing("buyLeverage") }
        guard let sell = try call.decimal("sellLeverage") else { throw BybitError.missing("sellLeverage") }
        guard buy == sell else { throw BybitError(10001, "buy leverage must be equal to sell leverage in one-way mode") }
        guard buy >= 1, buy <= venue.configuration.maximumLeverage else {
            throw BybitError(10001, "leverage invalid")
        }
        guard venue.leverage(instrument.symbol, in: call.account) != buy else {
            throw BybitError(110043, "Set leverage not modified")
        }
        venue.ensureAccount(call.account)
        venue.accounts[call.account]?.leverage[instrument.symbol] = buy
        return .object([])
    }

    /// `GET /v5/user/query-api`: the key's permission groups, IPs and expiry.
    static func queryAPI(_ venue: inout Venue, _ call: BybitCall) throws -> JSONValue {
        guard let key = call.key else { throw BybitError.permissionDenied }
        let granted = key.permissions
        func group(_ entries: [(Permission, [String])]) -> JSONValue {
            var names: [String] = []
            for (permission, values) in entries where granted.contains(permission) {
                for value in values where !names.contains(value) {
                    names.append(value)
                }
            }
            return .array(names.map(JSONValue.string))
        }
        let permissions: JSONValue = .object([
            ("ContractTrade", group([(.futuresTrade, ["Order", "Position"])])),
            ("Spot", group([(.spotTrade, ["SpotTrade"])])),
            (
                "Wallet",
                group([
                    (.universalTransfer, ["AccountTransfer"]), (.subAccountTransfer, ["SubMemberTransfer"]),
                    (.internalTransfer, ["SubMemberTransfer"]), (.withdraw, ["Withdraw"]),
                ])
            ),
            ("Options", group([(.optionsTrade, ["OptionsTrade"])])),
            ("Derivatives", group([(.futuresTrade, ["DerivativesTrade"])])),
            ("CopyTrading", group([(.copyTrading, ["CopyTrading"])])),
            ("BlockTrade", group([(.blockTrade, ["BlockTrade"])])),
            ("Exchange", group([(.convert, ["ExchangeHistory"])])),
            ("NFT", .array([])),
            ("Affiliate", .array([])),
            ("Earn", group([(.earn, ["Earn"])])),
            ("FiatP2P", group([(.p2p, ["FiatP2POrder", "Advertising"])])),
            ("FiatBitPay", group([(.payments, ["FaitPayOrder"])])),
            ("FiatConvertBroker", .array([])),
            ("BitCard", group([(.card, ["BitCard"])])),
            ("ByXPost", .array([])),
        ])
        let ips: [String] = key.ipWhitelist.isEmpty ? ["*"] : key.ipWhitelist
        var deadline = -2
        var expiredAt = "1970-01-01T00:00:00Z"
        if let expiry = key.expiresAt {
            deadline = max(Int((expiry.timeIntervalSince(call.now) / 86_400).rounded(.up)), 0)
            expiredAt = BybitFormat.iso8601(expiry)
        }
        let uid = BinanceAccount.accountUID(key.account)
        return .object([
            ("id", .string(String(uid % 100_000_000))),
            ("note", .string(key.note)),
            ("apiKey", .string(key.apiKey)),
            ("readOnly", .int(key.isReadOnly ? 1 : 0)),
            ("secret", .string("")),
            ("permissions", permissions),
            ("ips", .array(ips.map(JSONValue.string))),
            ("type", .int(1)),
            ("deadlineDay", .int(deadline)),
            ("expiredAt", .string(expiredAt)),
            ("createdAt", .string(BybitFormat.iso8601(key.createdAt))),
            ("unified", .int(0)),
            ("uta", .int(1)),
            ("userID", .int(uid)),
            ("inviterID", .int(0)),
            ("vipLevel", .string("No VIP")),
            ("mktMakerLevel", .string("0")),
            ("affiliateID", .int(0)),
            ("rsaPublicKey", .string("")),
            ("isMaster", .bool(true)),
            ("parentUid", .string("0")),
            ("kycLevel", .string("LEVEL_DEFAULT")),
            ("kycRegion", .string("")),
        ])
    }

    /// A withdrawal or transfer for a key that has the permission.
    static func moveMoney(_ venue: inout Venue, _ call: BybitCall, kind: String, leavesAccount: Bool) throws -> JSONValue {
        let coin = try call.required("coin")
        guard let amount = try call.decimal("amount"), amount > 0 else { throw BybitError.missing("amount") }
        if kind == "withdraw" { _ = try call.required("address") }
        guard venue.balance(coin, in: call.account).free >= amount else {
            throw BybitError(kind == "withdraw" ? 131001 : 131212, "Insufficient balance")
        }
        if leavesAccount {
            venue.adjust(coin, in: call.account, free: -amount)
        }
        let number = venue.nextMovementID
        venue.nextMovementID += 1
        let id = kind == "withdraw" ? String(10_000 + number) : (call.string("transferId") ?? venue.randomUUID())
        venue.movements.append(
            MoneyMovement(
                kind: kind, path: call.request.path, apiKey: call.key?.apiKey ?? "", account: call.account, asset: coin,
                amount: amount, leftAccount: leavesAccount, id: id, time: call.now))
        if kind == "withdraw" {
            return .object([("id", .string(id))])
        }
        return .object([("transferId", .string(id)), ("status", .string("SUCCESS"))])
    }
}
