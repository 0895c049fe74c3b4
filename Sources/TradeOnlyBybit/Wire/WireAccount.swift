import Foundation
import TradeOnly

/// `GET /v5/account/wallet-balance?accountType=UNIFIED`: `{"list":[{"accountType":"UNIFIED","coin":[…]}]}`.
struct WireWalletBalance: Decodable {
    struct Account: Decodable {
        let accountType: String?
        let coin: [Coin]?
    }

    struct Coin: Decodable {
        let coin: String
        let walletBalance: OptionalWireDecimal?
        let equity: OptionalWireDecimal?
        let locked: OptionalWireDecimal?
        let totalOrderIM: OptionalWireDecimal?
        let totalPositionIM: OptionalWireDecimal?

        /// The balance: `total` is the wallet balance; `locked` is what spot orders hold (`locked`) plus
        /// the margin of derivatives orders and positions (`totalOrderIM + totalPositionIM`); `free` is
        /// the rest, never below zero. `nil` for a coin with nothing in it.
        var balance: Balance? {
            let total = walletBalance?.value ?? equity?.value ?? 0
            let held = (locked?.value ?? 0) + (totalOrderIM?.value ?? 0) + (totalPositionIM?.value ?? 0)
            guard total != 0 || held != 0 else { return nil }
            let free = total - held
            return Balance(asset: coin, free: free > 0 ? free : 0, locked: held, total: total)
        }
    }

    let list: [Account]
}

/// One entry of `GET /v5/position/list`.
struct WirePosition: Decodable {
    let symbol: String
    let side: String?
    let size: OptionalWireDecimal?
    let avgPrice: OptionalWireDecimal?
    let markPrice: OptionalWireDecimal?
    let unrealisedPnl: OptionalWireDecimal?
    let liqPrice: OptionalWireDecimal?
    let leverage: OptionalWireDecimal?
    let updatedTime: String?

    /// The position, or `nil` for a flat one (size 0 or an empty side).
    func position(symbol unified: Symbol) -> Position? {
        guard let size = size?.value, size != 0 else { return nil }
        let direction: Position.Side
        switch side {
        case "Buy": direction = .long
        case "Sell": direction = .short
        default: return nil
        }
        let liquidation = liqPrice?.value.flatMap { $0 > 0 ? $0 : nil }
        return Position(
            symbol: unified, side: direction, quantity: size, entryPrice: avgPrice?.value ?? 0,
            markPrice: markPrice?.value, unrealizedPnL: unrealisedPnl?.value, liquidationPrice: liquidation,
            leverage: leverage?.value, marginMode: nil, updatedAt: BybitWire.date(milliseconds: updatedTime))
    }
}
