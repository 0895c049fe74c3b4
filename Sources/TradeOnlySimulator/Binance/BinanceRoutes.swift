import Foundation
import TradeOnly

/// The Binance endpoints the simulator implements: what a trade bot uses, plus the key-permission
/// endpoint and the money-moving endpoints (answered with a permission error unless the key has the
/// permission).
enum BinanceRoutes {
    typealias Route = BinanceDialect.Route

    static func fixed(_ weight: Int) -> @Sendable (BinanceCall) -> Int { { _ in weight } }

    static let table: [String: Route] = {
        var table: [String: Route] = [:]
        func add(
            _ method: String, _ path: String, _ security: BinanceDialect.Security, weight: @escaping @Sendable (BinanceCall) -> Int,
            placement: Bool = false, _ handler: @escaping @Sendable (inout Venue, BinanceCall) throws -> JSONValue
        ) {
            table[method + " " + path] = Route(security: security, weight: weight, handler: handler, isOrderPlacement: placement)
        }
        let depthWeightSpot: @Sendable (BinanceCall) -> Int = { call in
            let limit = Int(call.string("limit") ?? "100") ?? 100
            return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
        }
        let depthWeightFutures: @Sendable (BinanceCall) -> Int = { call in
            let limit = Int(call.string("limit") ?? "500") ?? 500
            return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20
        }

        // Spot market data.
        add("GET", "/api/v3/ping", .none, weight: fixed(1)) { _, _ in .object([]) }
        add("GET", "/api/v3/time", .none, weight: fixed(1)) { _, call in
            .object([("serverTime", .int(call.context.serverMilliseconds))])
        }
        add("GET", "/api/v3/exchangeInfo", .none, weight: fixed(20), BinanceMarketData.spotExchangeInfo)
        add("GET", "/api/v3/ticker/price", .none, weight: { $0.string("symbol") == nil ? 4 : 2 }, BinanceMarketData.tickerPrice)
        add("GET", "/api/v3/ticker/24hr", .none, weight: { $0.string("symbol") == nil ? 80 : 2 }, BinanceMarketData.ticker24hr)
        add("GET", "/api/v3/ticker/bookTicker", .none, weight: { $0.string("symbol") == nil ? 4 : 2 }, BinanceMarketData.bookTicker)
        add("GET", "/api/v3/depth", .none, weight: depthWeightSpot, BinanceMarketData.depth)
        add("GET", "/api/v3/klines", .none, weight: fixed(2), BinanceMarketData.klines)
        add("GET", "/api/v3/avgPrice", .none, weight: fixed(2), BinanceMarketData.averagePrice)

        // Spot account and trading.
        add("GET", "/api/v3/account", .signed(.read), weight: fixed(20), BinanceAccount.spotAccount)
        add("POST", "/api/v3/order", .signed(.spotTrade), weight: fixed(1), placement: true) { venue, call in
            try BinanceTrading.placeSpot(&venue, call, test: false)
        }
        add("POST", "/api/v3/order/test", .signed(.spotTrade), weight: fixed(1)) { venue, call in
            try BinanceTrading.placeSpot(&venue, call, test: true)
        }
        add("DELETE", "/api/v3/order", .signed(.spotTrade), weight: fixed(1), BinanceTrading.cancel)
        add("DELETE", "/api/v3/openOrders", .signed(.spotTrade), weight: fixed(1), BinanceTrading.cancelAll)
        add("GET", "/api/v3/order", .signed(.read), weight: fixed(4), BinanceTrading.query)
        add("GET", "/api/v3/openOrders", .signed(.read), weight: { $0.string("symbol") == nil ? 80 : 6 }, BinanceTrading.openOrders)
        add("GET", "/api/v3/allOrders", .signed(.read), weight: fixed(20), BinanceTrading.allOrders)
        add("GET", "/api/v3/myTrades", .signed(.read), weight: { $0.string("orderId") == nil ? 20 : 5 }, BinanceTrading.trades)
        add("GET", "/api/v3/rateLimit/order", .signed(.read), weight: fixed(40), BinanceAccount.orderRateLimit)

        // Futures market data.
        add("GET", "/fapi/v1/ping", .none, weight: fixed(1)) { _, _ in .object([]) }
        add("GET", "/fapi/v1/time", .none, weight: fixed(1)) { _, call in
            .object([("serverTime", .int(call.context.serverMilliseconds))])
        }
        add("GET", "/fapi/v1/exchangeInfo", .none, weight: fixed(1), BinanceMarketData.futuresExchangeInfo)
        add("GET", "/fapi/v1/ticker/price", .none, weight: { $0.string("symbol") == nil ? 2 : 1 }, BinanceMarketData.tickerPrice)
        add("GET", "/fapi/v2/ticker/price", .none, weight: { $0.string("symbol") == nil ? 2 : 1 }, BinanceMarketData.tickerPrice)
        add("GET", "/fapi/v1/ticker/bookTicker", .none, weight: { $0.string("symbol") == nil ? 5 : 2 }, BinanceMarketData.bookTicker)
        add("GET", "/fapi/v1/depth", .none, weight: depthWeightFutures, BinanceMarketData.depth)
        add("GET", "/fapi/v1/klines", .none, weight: fixed(2), BinanceMarketData.klines)
        add("GET", "/fapi/v1/premiumIndex", .none, weight: fixed(1), BinanceMarketData.premiumIndex)

        // Futures account and trading.
        add("GET", "/fapi/v2/balance", .signed(.futuresRead), weight: fixed(5), BinanceAccount.futuresBalance)
        add("GET", "/fapi/v3/balance", .signed(.futuresRead), weight: fixed(5), BinanceAccount.futuresBalance)
        add("GET", "/fapi/v2/account", .signed(.futuresRead), weight: fixed(5), BinanceAccount.futuresAccount)
        add("GET", "/fapi/v3/account", .signed(.futuresRead), weight: fixed(5), BinanceAccount.futuresAccount)
        add("GET", "/fapi/v2/positionRisk", .signed(.futuresRead), weight: fixed(5)) { venue, call in
            try BinanceAccount.positionRisk(&venue, call, version: 2)
        }
        add("GET", "/fapi/v3/positionRisk", .signed(.futuresRead), weight: fixed(5)) { venue, call in
            try BinanceAccount.positionRisk(&venue, call, version: 3)
        }
        add("GET", "/fapi/v1/accountConfig", .signed(.futuresRead), weight: fixed(5), BinanceAccount.accountConfig)
        add("POST", "/fapi/v1/leverage", .signed(.futuresTrade), weight: fixed(1), BinanceAccount.setLeverage)
        add("POST", "/fapi/v1/order", .signed(.futuresTrade), weight: fixed(0), placement: true) { venue, call in
            try BinanceTrading.placeFutures(&venue, call, test: false)
        }
        add("POST", "/fapi/v1/order/test", .signed(.futuresTrade), weight: fixed(0)) { venue, call in
            try BinanceTrading.placeFutures(&venue, call, test: true)
        }
        add("DELETE", "/fapi/v1/order", .signed(.futuresTrade), weight: fixed(1), BinanceTrading.cancel)
        add("DELETE", "/fapi/v1/allOpenOrders", .signed(.futuresTrade), weight: fixed(1), BinanceTrading.cancelAll)
        add("GET", "/fapi/v1/order", .signed(.futuresRead), weight: fixed(1), BinanceTrading.query)
        add("GET", "/fapi/v1/openOrders", .signed(.futuresRead), weight: { $0.string("symbol") == nil ? 40 : 1 }, BinanceTrading.openOrders)
        add("GET", "/fapi/v1/allOrders", .signed(.futuresRead), weight: fixed(5), BinanceTrading.allOrders)
        add("GET", "/fapi/v1/userTrades", .signed(.futuresRead), weight: fixed(5), BinanceTrading.trades)

        // Wallet: system status, the key's permissions, and the money-moving endpoints.
        add("GET", "/sapi/v1/system/status", .none, weight: fixed(1)) { _, _ in
            .object([("status", .int(0)), ("msg", .string("normal"))])
        }
        add("GET", "/sapi/v1/account/apiRestrictions", .signed(.anyKey), weight: fixed(1), BinanceAccount.apiRestrictions)
        let money: [(String, Permission, String, Bool)] = [
            ("/sapi/v1/capital/withdraw/apply", .withdraw, "withdraw", true),
            ("/sapi/v1/asset/transfer", .universalTransfer, "universalTransfer", false),
            ("/sapi/v1/futures/transfer", .universalTransfer, "universalTransfer", false),
            ("/sapi/v1/sub-account/universalTransfer", .internalTransfer, "internalTransfer", true),
            ("/sapi/v1/sub-account/transfer/subToMaster", .internalTransfer, "internalTransfer", true),
            ("/sapi/v1/sub-account/transfer/subToSub", .internalTransfer, "internalTransfer", true),
        ]
        for (path, permission, kind, leaves) in money {
            add("POST", path, .signed(.moneyMovement(permission, kind)), weight: fixed(1)) { venue, call in
                try BinanceAccount.moveMoney(&venue, call, kind: kind, leavesAccount: leaves)
            }
        }
        return table
    }()
}
