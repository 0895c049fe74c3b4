/// The id a bot gives an order, so that the order can be found again whatever happens to the
/// response: after a timeout the client asks the exchange for the order by this id instead of
/// placing it twice.
///
/// TradeOnly sends one with every order. ``generate()`` makes ids that every supported exchange
/// accepts (24 ASCII letters and digits: Binance and Bybit allow 36 characters of `A-Za-z0-9_-`,
/// OKX 32 letters and digits, Gate 28 characters after its `t-` prefix). An id you choose yourself is
/// checked here against the widest alphabet and length any exchange allows, and again by the exchange
/// module against that exchange's own ``Rule`` (alphabet, length, prefix) before anything is sent.
/// Orders placed without an id get one from ``generate(for:)``, which satisfies the exchange's rule.
public struct ClientOrderID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The longest id accepted here (the longest any supported exchange allows).
    public static let maximumLength = 36

    /// The id as sent to the exchange.
    public let rawValue: String

    /// Creates an id from a string you choose.
    ///
    /// - Parameter rawValue: 1 to 36 characters from `A-Z a-z 0-9 _ -`.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` if the string is empty,
    ///   too long, or has any other character.
    public init(_ rawValue: String) throws {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maximumLength,
            rawValue.utf8.allSatisfy(Self.isAllowed)
        else {
            throw ExchangeError(
                .invalidRequest,
                message: "a client order id must be 1 to \(Self.maximumLength) characters of A-Z, a-z, 0-9, '_' or '-'"
            )
        }
        self.rawValue = rawValue
    }

    /// An id already known to be valid.
    init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// Makes a new random id that every supported exchange accepts: `to` followed by 22 letters and digits.
    public static func generate() -> ClientOrderID {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Makes a new random id from the given random number generator (for reproducible tests).
    public static func generate(using generator: inout some RandomNumberGenerator) -> ClientOrderID {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var bytes: [UInt8] = Array("to".utf8)
        bytes.reserveCapacity(24)
        // Six random bits per character, values 62 and 63 rejected (so every character is equally
        // likely): about three 64-bit draws per id instead of one or more per character, which matters
        // because each draw from the system generator is a system call.
        while bytes.count < 24 {
            var word = generator.next()
            for _ in 0..<10 where bytes.count < 24 {
                let value = Int(word & 0x3F)
                word >>= 6
                if value < alphabet.count { bytes.append(alphabet[value]) }
            }
        }
        return ClientOrderID(unchecked: String(decoding: bytes, as: UTF8.self))
    }

    /// Whether the id uses only ASCII letters and digits (what OKX requires).
    public var isAlphanumeric: Bool {
        rawValue.utf8.allSatisfy { Self.isAllowed($0) && $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") }
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// The id.
    public var description: String { rawValue }

    /// Decodes and validates an id.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the id as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
