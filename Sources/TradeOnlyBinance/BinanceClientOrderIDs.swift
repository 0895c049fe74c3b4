import TradeOnly

/// Makes the client order ids of orders placed without one.
///
/// `ClientOrderID.generate()` asks the system's random generator for every id (a system call per
/// 64 bits, about 1.5 µs an id). Client order ids need to be unique, not secret: they travel in
/// clear with the order and show in the exchange's answers. So the ids here come from a xoshiro256**
/// generator seeded once per process with 256 bits from the system generator: `ClientOrderID`'s own
/// format (`to` + 22 letters and digits, ~131 random bits), collisions as unlikely as with the system
/// generator, in a few tens of nanoseconds.
enum BinanceClientOrderIDs {
    private struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
        var state: (UInt64, UInt64, UInt64, UInt64)

        init() {
            var system = SystemRandomNumberGenerator()
            repeat {
                state = (system.next(), system.next(), system.next(), system.next())
            } while state == (0, 0, 0, 0)
        }

        mutating func next() -> UInt64 {
            let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
            let shifted = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= shifted
            state.3 = state.3 << 45 | state.3 >> 19
            return result
        }
    }

    private static let generator = LockedValue(Xoshiro256StarStar())

    /// A new client order id.
    static func next() -> ClientOrderID {
        generator.withLock { ClientOrderID.generate(using: &$0) }
    }
}
