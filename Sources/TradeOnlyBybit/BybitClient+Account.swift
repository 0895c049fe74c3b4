import Foundation
import TradeOnly

extension BybitClient {
    /// The unified trading account's balances (`GET /v5/account/wallet-balance?accountType=UNIFIED`).
    ///
    /// On a unified account spot and linear perpetuals trade from the same wallet, so both kinds give
    /// the same balances. Per coin: ``Balance/total`` is the wallet balance; ``Balance/locked`` is
    /// what spot orders hold plus the initial margin of open derivatives orders and positions;
    /// ``Balance/free`` is the rest (never below zero). Coins with nothing in them are left out.
    ///
    /// - Parameter kind: ``MarketKind/spot`` or ``MarketKind/linearPerpetual``.
    /// - Returns: The non-zero balances, in Bybit's order.
    /// - Throws: ``ExchangeError``; ``ExchangeError/Kind/invalidRequest`` for inverse perpetuals.
    public func balances(for kind: MarketKind) async throws -> [Balance] {
        try access.requireSigning()
        _ = try BybitMarket.category(for: kind)
        let envelope = try await get(
            "/v5/account/wallet-balance", ["accountType": "UNIFIED"], security: .signed,
            as: WireWalletBalance.self, what: "wallet balance")
        let account = envelope.result.list.first { $0.accountType == "UNIFIED" } ?? envelope.result.list.first
        return (account?.coin ?? []).compactMap(\.balance)
    }

    /// The open USDT-settled linear positions (`GET /v5/position/list?category=linear&settleCoin=USDT`,
    /// every page). Flat positions are left out; a liquidation price Bybit leaves empty is `nil`.
    /// Positions in dated USDT futures are not perpetuals and are left out too.
    ///
    /// - Returns: The positions (two per symbol in hedge mode).
    /// - Throws: ``ExchangeError``.
    public func positions() async throws -> [Position] {
        try access.requireSigning()
        let wire = try await pages(
            "/v5/position/list", ["category": "linear", "settleCoin": "USDT", "limit": "200"],
            security: .signed, of: WirePosition.self, what: "positions")
        let listed = cache.entry(for: .linearPerpetual)?.byExchangeSymbol ?? [:]
        var positions: [Position] = []
        for entry in wire {
            guard let symbol = listed[entry.symbol]?.symbol ?? BybitMarket.linearSymbol(exchangeSymbol: entry.symbol) else {
                if entry.size?.value.map({ $0 != 0 }) ?? false {
                    logger.notice("position in \(entry.symbol) is not a USDT perpetual; left out of positions()")
                }
                continue
            }
            if let position = entry.position(symbol: symbol) { positions.append(position) }
        }
        return positions
    }
}
