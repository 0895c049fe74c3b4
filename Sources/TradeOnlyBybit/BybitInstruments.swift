import Foundation
import TradeOnly

/// Bybit's product categories TradeOnly trades.
enum BybitCategory: String, Sendable {
    case spot
    case linear
}

/// How a unified symbol is named on Bybit.
struct BybitMarket: Sendable, Hashable {
    /// The unified symbol.
    let symbol: Symbol
    /// Spot or linear perpetual.
    let kind: MarketKind
    /// `spot` or `linear`.
    let category: BybitCategory
    /// Bybit's symbol: base and quote run together (`BTCUSDT`) for both categories, or the symbol
    /// the instrument lists if that differs.
    private(set) var exchangeSymbol: String

    /// The trade permission a key needs to place or cancel orders here.
    var tradePermission: TradePermission { kind == .spot ? .spotTrade : .futuresTrade }

    /// Maps `BTC/USDT` to spot `BTCUSDT` and `BTC/USDT:USDT` to linear `BTCUSDT`.
    ///
    /// - Throws: ``ExchangeError/Kind/invalidRequest`` for a malformed symbol or a market TradeOnly's
    ///   Bybit client does not trade (inverse, USDC-settled).
    init(_ symbol: Symbol) throws {
        // `Symbol.kind` validates the spelling; the parts are then read from the raw value once
        // (each of Symbol's accessors parses the whole string again).
        let refusal = {
            symbol.refusal(
                by: "TradeOnly's Bybit client",
                supported: "spot markets (BTC/USDT) and USDT-settled linear perpetuals (BTC/USDT:USDT)",
                exchange: Bybit.exchangeName)
        }
        guard let kind = symbol.kind else { throw refusal() }
        let (base, quote, settle) = Self.parts(of: symbol.rawValue)
        switch kind {
        case .spot:
            category = .spot
        case .linearPerpetual where quote == "USDT" && settle == "USDT":
            category = .linear
        default:
            throw refusal()
        }
        self.symbol = symbol
        self.kind = kind
        self.exchangeSymbol = String(base + quote)
    }

    /// `BASE/QUOTE[:SETTLE]` split, for a symbol already known to be valid.
    private static func parts(of raw: String) -> (base: Substring, quote: Substring, settle: Substring?) {
        let halves = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let pair = halves[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        return (pair[0], pair.count > 1 ? pair[1] : "", halves.count > 1 ? halves[1] : nil)
    }

    /// This market under the symbol Bybit lists it by (from its instrument), if that differs from
    /// base and quote run together.
    func listed(as exchangeSymbol: String) -> BybitMarket {
        guard exchangeSymbol != self.exchangeSymbol else { return self }
        var copy = self
        copy.exchangeSymbol = exchangeSymbol
        return copy
    }

    /// The category for a kind of market.
    static func category(for kind: MarketKind) throws -> BybitCategory {
        switch kind {
        case .spot: return .spot
        case .linearPerpetual: return .linear
        case .inversePerpetual:
            throw ExchangeError(
                .invalidRequest,
                message: "TradeOnly's Bybit client trades spot and USDT-settled linear perpetuals, not inverse perpetuals",
                exchange: Bybit.exchangeName)
        }
    }

    /// The unified symbol of a USDT-settled linear perpetual (`BTCUSDT` → `BTC/USDT:USDT`), or `nil`
    /// for anything else (a dated future such as `BTCUSDT-27DEC24`).
    static func linearSymbol(exchangeSymbol: String) -> Symbol? {
        guard exchangeSymbol.hasSuffix("USDT"), exchangeSymbol.count > 4 else { return nil }
        let symbol = Symbol(base: String(exchangeSymbol.dropLast(4)), quote: "USDT", settle: "USDT")
        return symbol.isValid ? symbol : nil
    }
}

/// The markets a client has mapped from unified symbols, so that a symbol is parsed once per client
/// (at most 1,000 of them). The instruments themselves are in the core ``InstrumentCache``.
final class BybitMarketMemo: Sendable {
    private let markets = LockedValue<[Symbol: BybitMarket]>([:])

    /// A market already mapped, if any.
    func market(_ symbol: Symbol) -> BybitMarket? {
        markets.withLock { $0[symbol] }
    }

    /// Remembers a mapped market.
    func remember(_ market: BybitMarket) {
        markets.withLock { table in
            if table.count < 1000 { table[market.symbol] = market }
        }
    }
}
