import Foundation
import TradeOnly

/// The state of an account: balances, leverage settings and perpetual positions.
struct AccountBook: Sendable {
    var name: String
    var balances: [String: SimulatedBalance] = [:]
    var leverage: [Symbol: Decimal] = [:]
    var positions: [Symbol: PositionBook] = [:]
}

/// A one-way position with an exact cost basis.
struct PositionBook: Sendable {
    /// Signed size: positive long, negative short.
    var size: Decimal = 0
    /// `Σ quantity × price` of the open part (positive).
    var costBasis: Decimal = 0
    /// Initial margin held (settlement asset, part of `locked`).
    var margin: Decimal = 0
    var realizedPnL: Decimal = 0
    var createdAt: Date?
    var updatedAt: Date?

    var entryPrice: Decimal {
        size == 0 ? 0 : (costBasis / size.magnitude).rounded(fractionDigits: 8, rule: .toNearestOrAwayFromZero)
    }

    func unrealizedPnL(mark: Decimal) -> Decimal {
        size > 0 ? size * mark - costBasis : costBasis - size.magnitude * mark
    }
}

/// A price at a time, for klines.
struct PricePoint: Sendable {
    var milliseconds: Int64
    var price: Decimal
}

/// A counter over a fixed window (rate limits).
struct RateWindow: Sendable {
    var start: Int64
    var count: Int
}

/// Everything a simulated exchange holds. Value type: the actor owns one and the dialects and the
/// matching engine work on it `inout`, synchronously.
struct Venue: Sendable {
    var configuration: SimulatorConfiguration
    private(set) var instruments: [Instrument] = []
    var prices: [Symbol: Decimal] = [:]
    var priceHistory: [Symbol: [PricePoint]] = [:]
    var accounts: [String: AccountBook] = [:]
    var keys: [String: SimulatedKey] = [:]
    var keyOrder: [String] = []
    var orders: [SimulatedOrder] = []
    /// Indexes into `orders` by client order id and by exchange order id, so that finding an order
    /// does not scan every order ever placed (a long fault run places hundreds of thousands).
    var orderIndexesByClientID: [String: [Int]] = [:]
    var orderIndexesByExchangeID: [String: [Int]] = [:]
    /// Indexes into `orders` of the open resting orders, per market, in arrival order.
    var openOrders: [Symbol: [Int]] = [:]
    var fills: [SimulatedFill] = []
    var movements: [MoneyMovement] = []
    var idGenerator: SplitMix64
    var walk: (generator: SplitMix64, volatility: Decimal, pairPrices: [String: Decimal])?
    var rateWindows: [String: RateWindow] = [:]
    var nextMovementID = 1

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        idGenerator = SplitMix64(seed: configuration.idSeed)
    }

    // MARK: Instruments and prices

    mutating func addInstrument(_ instrument: Instrument) {
        if let index = instruments.firstIndex(where: { $0.symbol == instrument.symbol }) {
            instruments[index] = instrument
        } else {
            instruments.append(instrument)
        }
    }

    func instrument(_ symbol: Symbol) -> Instrument? {
        instruments.first { $0.symbol == symbol }
    }

    /// The instrument with an exchange id, of a kind (`BTCUSDT` is both spot and a perpetual).
    func instrument(exchangeSymbol: String, kind: MarketKind) -> Instrument? {
        instruments.first { $0.exchangeSymbol == exchangeSymbol && $0.kind == kind }
    }

    func instruments(of kind: MarketKind) -> [Instrument] {
        instruments.filter { $0.kind == kind }
    }

    func price(_ symbol: Symbol) -> Decimal? {
        prices[symbol]
    }

    /// Sets a price, records it for klines, and lets the liquidity provider fill the resting orders
    /// the new quotes cross.
    mutating func setPrice(_ price: Decimal, for symbol: Symbol, at time: Date) {
        guard price > 0 else { return }
        prices[symbol] = price
        priceHistory[symbol, default: []].append(PricePoint(milliseconds: time.milliseconds, price: price))
        if (priceHistory[symbol]?.count ?? 0) > 20_000 {
            priceHistory[symbol]?.removeFirst(10_000)
        }
        sweepRestingOrders(symbol, at: time)
    }

    /// One step of the random walk for every pair.
    mutating func stepWalk(at time: Date) {
        guard var walk else { return }
        var pairs: [String] = []
        for instrument in instruments {
            let pair = instrument.baseAsset + "/" + instrument.quoteAsset
            if !pairs.contains(pair) { pairs.append(pair) }
            if walk.pairPrices[pair] == nil, let price = prices[instrument.symbol] {
                walk.pairPrices[pair] = price
            }
        }
        for pair in pairs {
            guard let current = walk.pairPrices[pair] else { continue }
            let draw = Decimal(walk.generator.nextInt(in: -1000...1000)) / 1000
            let next = current * (1 + walk.volatility * draw)
            guard next > 0 else { continue }
            walk.pairPrices[pair] = next
            for instrument in instruments where instrument.baseAsset + "/" + instrument.quoteAsset == pair {
                let rounded = next.rounded(toMultipleOf: instrument.tickSize, rule: .toNearestOrAwayFromZero)
                setPrice(rounded > 0 ? rounded : instrument.tickSize, for: instrument.symbol, at: time)
            }
        }
        self.walk = walk
    }

    // MARK: Accounts and keys

    mutating func ensureAccount(_ name: String) {
        if accounts[name] == nil {
            accounts[name] = AccountBook(name: name)
        }
    }

    func balance(_ asset: String, in account: String) -> SimulatedBalance {
        accounts[account]?.balances[asset] ?? SimulatedBalance(free: 0)
    }

    /// Adds to the free (and locked) amounts of an asset.
    mutating func adjust(_ asset: String, in account: String, free: Decimal = 0, locked: Decimal = 0) {
        ensureAccount(account)
        var balance = accounts[account]?.balances[asset] ?? SimulatedBalance(free: 0)
        balance.free += free
        balance.locked += locked
        accounts[account]?.balances[asset] = balance
    }

    mutating func addKey(_ key: SimulatedKey) {
        ensureAccount(key.account)
        if keys[key.apiKey] == nil {
            keyOrder.append(key.apiKey)
        }
        keys[key.apiKey] = key
    }

    func leverage(_ symbol: Symbol, in account: String) -> Decimal {
        accounts[account]?.leverage[symbol] ?? configuration.defaultLeverage
    }

    func position(_ symbol: Symbol, in account: String) -> PositionBook {
        accounts[account]?.positions[symbol] ?? PositionBook()
    }

    func publicPosition(_ symbol: Symbol, in account: String) -> SimulatedPosition {
        let book = position(symbol, in: account)
        let mark = prices[symbol] ?? 0
        return SimulatedPosition(
            symbol: symbol, account: account, size: book.size, entryPrice: book.entryPrice, markPrice: mark,
            unrealizedPnL: book.unrealizedPnL(mark: mark), margin: book.margin,
            leverage: leverage(symbol, in: account), realizedPnL: book.realizedPnL,
            createdAt: book.createdAt, updatedAt: book.updatedAt)
    }

    // MARK: Orders

    func orderIndex(exchangeOrderID: String, account: String, symbol: Symbol) -> Int? {
        orderIndexesByExchangeID[exchangeOrderID]?.last { orders[$0].account == account && orders[$0].symbol == symbol }
    }

    func orderIndex(clientOrderID: String, account: String, symbol: Symbol) -> Int? {
        guard !clientOrderID.isEmpty else { return nil }
        return orderIndexesByClientID[clientOrderID]?.last { orders[$0].account == account && orders[$0].symbol == symbol }
    }

    /// Whether an open order of the account on the market already carries this client order id (Binance
    /// refuses a second one while the first is open).
    func hasOpenOrder(clientOrderID: String, account: String, symbol: Symbol) -> Bool {
        guard !clientOrderID.isEmpty else { return false }
        return orderIndexes(clientOrderID: clientOrderID).contains {
            orders[$0].account == account && orders[$0].symbol == symbol && orders[$0].status.isOpen
        }
    }

    /// The indexes of the orders placed with a client order id, oldest first.
    func orderIndexes(clientOrderID: String) -> [Int] {
        orderIndexesByClientID[clientOrderID] ?? []
    }

    /// Appends an order and indexes it.
    mutating func appendOrder(_ order: SimulatedOrder) {
        let index = orders.count
        orders.append(order)
        if !order.clientOrderID.isEmpty {
            orderIndexesByClientID[order.clientOrderID, default: []].append(index)
        }
        orderIndexesByExchangeID[order.exchangeOrderID, default: []].append(index)
    }

    func openOrderIndexes(account: String, symbol: Symbol? = nil, kind: MarketKind? = nil) -> [Int] {
        var result: [Int] = []
        for (marketSymbol, indexes) in openOrders {
            if let symbol, symbol != marketSymbol { continue }
            for index in indexes where orders[index].account == account {
                if let kind, orders[index].kind != kind { continue }
                result.append(index)
            }
        }
        return result.sorted()
    }

    /// A random string of letters and digits (client order ids the exchange generates).
    mutating func randomAlphanumeric(count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in alphabet[Int(idGenerator.next() % UInt64(alphabet.count))] })
    }

    /// A random UUID in the usual 8-4-4-4-12 lower-case form.
    mutating func randomUUID() -> String {
        let high = idGenerator.next()
        let low = idGenerator.next()
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        func part(_ range: Range<Int>) -> String { String(characters[range]) }
        return [part(0..<8), part(8..<12), "4" + part(13..<16), "8" + part(17..<20), part(20..<32)].joined(separator: "-")
    }

    // MARK: Rate windows

    /// Adds `amount` to the counter `key` over windows of `length` milliseconds; returns the new count
    /// and the window's end.
    mutating func count(_ key: String, amount: Int, windowMilliseconds length: Int64, now: Int64) -> (count: Int, windowEnd: Int64) {
        let start = now - now % length
        var window = rateWindows[key] ?? RateWindow(start: start, count: 0)
        if window.start != start {
            window = RateWindow(start: start, count: 0)
        }
        window.count += amount
        rateWindows[key] = window
        return (window.count, start + length)
    }
}

extension Date {
    /// Milliseconds since 1970, rounded down.
    var milliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The date `milliseconds` after 1970.
    init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

extension Decimal {
    /// Rounded to 8 fraction digits, half away from zero: the precision balances and fees are kept in.
    var rounded8: Decimal {
        rounded(fractionDigits: 8, rule: .toNearestOrAwayFromZero)
    }

    /// Rounded up to 8 fraction digits (margin requirements).
    var rounded8Up: Decimal {
        rounded(fractionDigits: 8, rule: .up)
    }
}
