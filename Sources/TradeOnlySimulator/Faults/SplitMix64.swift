/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, deterministic generator. The same seed
/// always gives the same sequence on every platform, so fault plans and random walks replay exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The current state.
    public private(set) var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `0 ..< 1`, from the top 53 bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// A uniform integer in `range`.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        guard width > 0 else { return range.lowerBound }
        return range.lowerBound + Int(next() % width)
    }
}
