/// The kind of market a symbol trades on.
public enum MarketKind: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Spot: buy and sell the base asset for the quote asset (`BTC/USDT`).
    case spot
    /// A perpetual swap margined and settled in the quote asset (`BTC/USDT:USDT`).
    case linearPerpetual
    /// A perpetual swap margined and settled in the base asset (`BTC/USD:BTC`).
    case inversePerpetual

    /// The case name.
    public var description: String { rawValue }
}

/// A market, named the same way on every exchange.
///
/// Spot markets are written `BASE/QUOTE` (`BTC/USDT`); perpetual swaps add the settlement asset
/// after a colon (`BTC/USDT:USDT` for a USDT-margined perpetual). Each exchange module maps a symbol
/// to its own id (`BTCUSDT`, `BTC-USDT-SWAP`, `BTC_USDT`) through its instruments.
///
/// `Symbol("…")` never fails, so it reads well in code; a string that is not a unified symbol gives
/// a symbol whose ``isValid`` is `false`, and every client refuses it with an
/// ``ExchangeError/Kind/invalidRequest`` error before anything is sent.
public struct Symbol: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The unified spelling, for example `BTC/USDT:USDT`.
    public let rawValue: String

    /// Creates a symbol from its unified spelling (`BTC/USDT`, `BTC/USDT:USDT`).
    /// Asset names are upper-cased; surrounding white space is removed.
    public init(_ value: String) {
        rawValue = value.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// Creates a symbol from a string literal, as ``init(_:)`` does.
    public init(stringLiteral value: String) { self.init(value) }

    /// Creates a symbol from its parts.
    ///
    /// - Parameters:
    ///   - base: The asset bought or sold (`BTC`).
    ///   - quote: The asset prices are quoted in (`USDT`).
    ///   - settle: The settlement asset of a perpetual (`USDT`), or `nil` for spot.
    public init(base: String, quote: String, settle: String? = nil) {
        self.init(base + "/" + quote + (settle.map { ":" + $0 } ?? ""))
    }

    private var parts: (base: String, quote: String, settle: String?)? {
        let halves = rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard halves.count == 1 || halves.count == 2 else { return nil }
        let pair = halves[0].split(separator: "/", omittingEmptySubsequences: false)
        guard pair.count == 2 else { return nil }
        let settle = halves.count == 2 ? String(halves[1]) : nil
        let names = [String(pair[0]), String(pair[1])] + (settle.map { [$0] } ?? [])
        for name in names {
            guard !name.isEmpty, name.count <= 32,
                name.utf8.allSatisfy(Self.isASCIIAlphanumeric)
            else { return nil }
        }
        return (String(pair[0]), String(pair[1]), settle)
    }

    /// `A-Z`, `a-z` or `0-9`: the ASCII letters and digits (what `CharacterSet.alphanumerics` holds in
    /// ASCII, without building a character set for every character).
    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            return true
        default:
            return false
        }
    }

    /// Whether the string is a well-formed unified symbol.
    public var isValid: Bool { parts != nil }

    /// The base asset (`BTC` in `BTC/USDT`), or an empty string for an invalid symbol.
    public var base: String { parts?.base ?? "" }

    /// The quote asset (`USDT` in `BTC/USDT`), or an empty string for an invalid symbol.
    public var quote: String { parts?.quote ?? "" }

    /// The settlement asset of a perpetual (`USDT` in `BTC/USDT:USDT`), or `nil` for spot.
    public var settle: String? { parts?.settle }

    /// The kind of market: spot without a settlement asset, linear when settled in the quote asset,
    /// inverse when settled in the base asset. `nil` for an invalid symbol or another settlement asset.
    public var kind: MarketKind? {
        guard let parts else { return nil }
        switch parts.settle {
        case nil: return .spot
        case parts.quote: return .linearPerpetual
        case parts.base: return .inversePerpetual
        default: return nil
        }
    }

    /// The unified spelling.
    public var description: String { rawValue }

    /// Orders symbols by their unified spelling.
    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes a symbol from its unified spelling.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the unified spelling.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
