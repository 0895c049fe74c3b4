extension ClientOrderID {
    /// The characters an exchange accepts in a client order id.
    public struct Alphabet: Sendable, Hashable, CustomStringConvertible {
        /// How the alphabet is written in messages (`A-Z a-z 0-9 _ -`).
        public let name: String
        /// One bit per ASCII byte: set when the byte is allowed.
        private let low: UInt64
        private let high: UInt64

        /// Creates an alphabet from its characters (ASCII only; anything else is never allowed).
        ///
        /// - Parameters:
        ///   - name: How the alphabet is written in messages.
        ///   - characters: Every allowed character.
        public init(name: String, characters: String) {
            var low: UInt64 = 0
            var high: UInt64 = 0
            for byte in characters.utf8 where byte < 128 {
                if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
            }
            self.name = name
            self.low = low
            self.high = high
        }

        /// Whether a byte of UTF-8 is one of the alphabet's characters.
        ///
        /// - Parameter byte: The byte.
        /// - Returns: `true` if it is allowed.
        public func contains(_ byte: UInt8) -> Bool {
            if byte < 64 { return low & (1 << UInt64(byte)) != 0 }
            if byte < 128 { return high & (1 << UInt64(byte - 64)) != 0 }
            return false
        }

        /// ASCII letters and digits (OKX).
        public static let lettersAndDigits = Alphabet(
            name: "A-Z a-z 0-9", characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

        /// ASCII letters, digits, `_` and `-` (Binance, Bybit, Gate).
        public static let lettersDigitsUnderscoreHyphen = Alphabet(
            name: "A-Z a-z 0-9 _ -", characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

        /// ``name``.
        public var description: String { name }
    }

    /// What one exchange accepts as a client order id: its alphabet, its length and a required prefix.
    ///
    /// Every exchange module declares its rule; its client checks every id against it before anything
    /// is sent (an id that breaks it throws ``ExchangeError/Kind/invalidRequest``), and generates the
    /// ids of orders placed without one with ``ClientOrderID/generate(for:)``, which always satisfy it.
    ///
    /// ```swift
    /// let okx = ClientOrderID.Rule(alphabet: .lettersAndDigits, maximumLength: 32)
    /// let gate = ClientOrderID.Rule(alphabet: .lettersDigitsUnderscoreHyphen, maximumLength: 30, prefix: "t-")
    /// ```
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        /// The characters allowed after the prefix.
        public var alphabet: Alphabet
        /// The longest id, prefix included, in characters.
        public var maximumLength: Int
        /// What every id must start with (`t-` on Gate); empty for none.
        public var prefix: String

        /// Creates a rule.
        ///
        /// - Parameters:
        ///   - alphabet: The characters allowed after the prefix.
        ///   - maximumLength: The longest id, prefix included (at most ``ClientOrderID/maximumLength``).
        ///   - prefix: What every id must start with; empty (the default) for none.
        public init(alphabet: Alphabet, maximumLength: Int, prefix: String = "") {
            self.alphabet = alphabet
            self.maximumLength = min(max(maximumLength, prefix.utf8.count + 1), ClientOrderID.maximumLength)
            self.prefix = prefix
        }

        /// Binance spot (`^[a-zA-Z0-9-_]{1,36}$`) and USDⓈ-M futures: 36 of `A-Z a-z 0-9 _ -`.
        public static let binance = Rule(alphabet: .lettersDigitsUnderscoreHyphen, maximumLength: 36)
        /// Bybit v5 `orderLinkId`: 36 of `A-Z a-z 0-9 _ -`.
        public static let bybit = Rule(alphabet: .lettersDigitsUnderscoreHyphen, maximumLength: 36)
        /// OKX `clOrdId`: 1 to 32 letters and digits.
        public static let okx = Rule(alphabet: .lettersAndDigits, maximumLength: 32)
        /// Gate `text`: `t-` followed by up to 28 of `A-Z a-z 0-9 _ -`.
        public static let gate = Rule(alphabet: .lettersDigitsUnderscoreHyphen, maximumLength: 30, prefix: "t-")

        /// Why an id breaks the rule, or `nil` if it satisfies it.
        ///
        /// - Parameter id: The id.
        /// - Returns: A sentence naming what is wrong.
        public func violation(by id: ClientOrderID) -> String? {
            let bytes = id.rawValue.utf8
            guard bytes.count <= maximumLength else {
                return "client order id '\(id)' has \(bytes.count) characters; at most \(maximumLength) are allowed here"
            }
            guard id.rawValue.hasPrefix(prefix) else {
                return "client order id '\(id)' must start with '\(prefix)'"
            }
            let rest = bytes.dropFirst(prefix.utf8.count)
            guard !rest.isEmpty else {
                return "client order id '\(id)' has nothing after its prefix '\(prefix)'"
            }
            guard rest.allSatisfy(alphabet.contains) else {
                return "client order id '\(id)' may only use \(alphabet) here" + (prefix.isEmpty ? "" : " after '\(prefix)'")
            }
            return nil
        }

        /// Throws unless `id` satisfies the rule.
        ///
        /// - Parameters:
        ///   - id: The id.
        ///   - exchange: The exchange's name, for the error.
        ///   - symbol: The order's market, for the error.
        /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` carrying the id and
        ///   the symbol, with rule `clientOrderID`.
        public func check(_ id: ClientOrderID, exchange: String, symbol: Symbol? = nil) throws {
            guard let violation = violation(by: id) else { return }
            throw ExchangeError(
                .invalidRequest, message: violation + "; nothing was sent", exchange: exchange, rule: "clientOrderID",
                clientOrderID: id, symbol: symbol)
        }

        /// `36 of A-Z a-z 0-9 _ -`, or `t- then up to 28 of A-Z a-z 0-9 _ -`.
        public var description: String {
            prefix.isEmpty
                ? "\(maximumLength) of \(alphabet)"
                : "\(prefix) then up to \(maximumLength - prefix.utf8.count) of \(alphabet)"
        }
    }

    /// Makes a new id that satisfies `rule`: its prefix, `to`, then random letters and digits, 24
    /// characters after the prefix (fewer if the rule allows fewer), about 131 random bits.
    ///
    /// The ids only need to be unique, not secret (they travel in clear with the order), so they come
    /// from one fast generator (xoshiro256**) seeded once per process from the system's random
    /// generator: a few tens of nanoseconds an id instead of a system call per character.
    ///
    /// - Parameter rule: The exchange's rule.
    /// - Returns: The id.
    public static func generate(for rule: Rule) -> ClientOrderID {
        let length = min(rule.maximumLength, rule.prefix.utf8.count + 24)
        let words = ClientOrderIDGenerator.shared.words()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        bytes.append(contentsOf: rule.prefix.utf8)
        bytes.append(UInt8(ascii: "t"))
        bytes.append(UInt8(ascii: "o"))
        // Ten 6-bit draws per word (no array of words: this runs once per placement).
        func draw(from word: UInt64) {
            var word = word
            for _ in 0..<10 where bytes.count < length {
                let value = Int(word & 63)
                word >>= 6
                // 62 and 63 are dropped, so every character is equally likely.
                if value < 62 { bytes.append(ClientOrderIDGenerator.alphabet[value]) }
            }
        }
        draw(from: words.0)
        draw(from: words.1)
        draw(from: words.2)
        draw(from: words.3)
        // 40 draws of which at most 22 are kept: running out needs 19 of 40 dropped (p ≈ 10^-21).
        while bytes.count < length {
            var system = SystemRandomNumberGenerator()
            bytes.append(ClientOrderIDGenerator.alphabet[Int(system.next() % 62)])
        }
        return ClientOrderID(unchecked: String(decoding: bytes, as: UTF8.self))
    }
}

/// The one generator behind ``ClientOrderID/generate(for:)``: xoshiro256** (Blackman and Vigna, 2018,
/// period 2^256 − 1), seeded once with 256 bits from the system's random generator, behind a lock.
package final class ClientOrderIDGenerator: Sendable {
    /// `0-9 A-Z a-z`: the characters of generated ids after the prefix (valid in every alphabet).
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// The process's generator.
    package static let shared = ClientOrderIDGenerator()

    private struct State: Sendable {
        var s0, s1, s2, s3: UInt64

        mutating func next() -> UInt64 {
            let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
            let t = s1 << 17
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = s3 << 45 | s3 >> 19
            return result
        }
    }

    private let state: LockedValue<State>

    private init() {
        var system = SystemRandomNumberGenerator()
        var seed = State(s0: 0, s1: 0, s2: 0, s3: 0)
        repeat {
            seed = State(s0: system.next(), s1: system.next(), s2: system.next(), s3: system.next())
        } while seed.s0 | seed.s1 | seed.s2 | seed.s3 == 0
        state = LockedValue(seed)
    }

    /// Four 64-bit words, taken under the lock at once.
    func words() -> (UInt64, UInt64, UInt64, UInt64) {
        state.withLock { state in (state.next(), state.next(), state.next(), state.next()) }
    }
}
