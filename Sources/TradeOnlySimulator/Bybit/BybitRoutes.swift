import Foundation
import TradeOnly

/// The Bybit v5 endpoints the simulator implements.
enum BybitRoutes {
    typealias Route = BybitDialect.Route

    static let table: [String: Route] = {
        var table: [String: Route] = [:]
        func add(
            _ method: String, _ path: String, _ requirement: BybitDialect.Requirement, limit: Int,
            _ handler: @escaping @Sendable (inout Venue, BybitCall) throws -> JSONValue
        ) {
            table[method + " " + path] = Route(requirement: requirement, limit: limit, handler: handler)
        }
        add("GET", "/v5/market/time", .none, limit: 600) { _, call in
            let milliseconds = call.context.serverMilliseconds
            return .object([
                ("timeSecond", .string(String(milliseconds / 1000))),
                ("timeNano", .string(String(milliseconds) + "000000")),
            ])
        }
        add("GET", "/v5/market/instruments-info", .none, limit: 600, BybitMarketData.instruments)
        add("GET", "/v5/market/tickers", .none, limit: 600, BybitMarketData.tickers)
        add("GET", "/v5/market/orderbook", .none, limit: 600, BybitMarketData.orderBook)
        add("GET", "/v5/market/kline", .none, limit: 600, BybitMarketData.klines)

        add("GET", "/v5/account/wallet-balance", .read, limit: 50, BybitAccount.walletBalance)
        add("GET", "/v5/position/list", .read, limit: 50, BybitAccount.positions)
        add("POST", "/v5/position/set-leverage", .futuresTrade, limit: 10, BybitAccount.setLeverage)
        add("GET", "/v5/user/query-api", .anyKey, limit: 10, BybitAccount.queryAPI)

        add("POST", "/v5/order/create", .trade, limit: 10, BybitTrading.create)
        add("POST", "/v5/order/cancel", .trade, limit: 10, BybitTrading.cancel)
        add("POST", "/v5/order/cancel-all", .trade, limit: 10, BybitTrading.cancelAll)
        add("GET", "/v5/order/realtime", .read, limit: 50) { venue, call in
            try BybitTrading.orders(&venue, call, history: false)
        }
        add("GET", "/v5/order/history", .read, limit: 50) { venue, call in
            try BybitTrading.orders(&venue, call, history: true)
        }
        add("GET", "/v5/execution/list", .read, limit: 50, BybitTrading.executions)

        add("POST", "/v5/asset/withdraw/create", .moneyMovement([.withdraw]), limit: 5) { venue, call in
            try BybitAccount.moveMoney(&venue, call, kind: "withdraw", leavesAccount: true)
        }
        add("POST", "/v5/asset/transfer/inter-transfer", .moneyMovement([.universalTransfer]), limit: 5) { venue, call in
            try BybitAccount.moveMoney(&venue, call, kind: "universalTransfer", leavesAccount: false)
        }
        add("POST", "/v5/asset/transfer/universal-transfer", .moneyMovement([.subAccountTransfer, .internalTransfer]), limit: 5) { venue, call in
            try BybitAccount.moveMoney(&venue, call, kind: "subAccountTransfer", leavesAccount: true)
        }
        return table
    }()
}
