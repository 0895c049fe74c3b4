import Foundation
import Testing

@testable import TradeOnly

/// The 64-bit fast paths of `DecimalGrid.divide` and `DecimalDigits` against the properties that define
/// their results exactly: `value = multiples × step + remainder` with an integer `multiples` and
/// `0 ≤ remainder < step`, and digits that rebuild the value.
@Suite("Decimal fast paths")
struct DecimalFastPathTests {
    /// SplitMix64, so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Up to 12 significant digits and exponents -9...3, so that checking `multiples × step + remainder`
    /// stays within Decimal's 38 exact digits.
    private func randomDecimal(_ generator: inout Generator, allowNegative: Bool) -> Decimal {
        let digits = Int.random(in: 1...12, using: &generator)
        let limit = (0..<digits).reduce(UInt64(1)) { value, _ in value * 10 }
        let significand = UInt64.random(in: 0..<limit, using: &generator)
        let exponent = Int.random(in: -9...3, using: &generator)
        let negative = allowNegative && Bool.random(using: &generator)
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    @Test("division with remainder is exact for random 64-bit values and steps")
    func divide() throws {
        var generator = Generator(state: 42)
        var fast = 0
        for _ in 0..<1500 {
            let value = randomDecimal(&generator, allowNegative: true)
            var step = randomDecimal(&generator, allowNegative: false)
            if step == 0 { step = 1 }
            guard let (multiples, remainder) = DecimalGrid.integerDivide(value, by: step) else { continue }
            fast += 1
            #expect(DecimalGrid.divide(value, by: step) == (multiples, remainder))
            #expect(multiples * step + remainder == value, "\(value) / \(step)")
            #expect(remainder >= 0 && remainder < step, "\(value) / \(step): remainder \(remainder)")
            var rounded = multiples
            var copy = multiples
            NSDecimalRound(&rounded, &copy, 0, .plain)
            #expect(rounded == multiples, "\(value) / \(step): multiples \(multiples)")
        }
        #expect(fast > 1250, "the fast path is taken for most values")
    }

    @Test("the fast path declines what it cannot do exactly")
    func declines() throws {
        let huge = try #require(Decimal(exactly: "123456789012345678901234567890"))
        #expect(DecimalGrid.integerDivide(huge, by: 1) == nil)
        #expect(DecimalGrid.integerDivide(1, by: try #require(Decimal(exactly: "1e-30"))) == nil)
        #expect(DecimalGrid.integerDivide(1, by: -1) == nil)
        let (multiples, remainder) = DecimalGrid.divide(huge, by: try #require(Decimal(exactly: "7")))
        #expect(multiples * 7 + remainder == huge)
        #expect(DecimalDigits.exactUInt64(try #require(Decimal(exactly: "18446744073709551616"))) == nil)
        #expect(DecimalDigits.exactUInt64(try #require(Decimal(exactly: "18446744073709551615"))) == UInt64.max)
        #expect(DecimalDigits.exactUInt64(-5) == nil)
        #expect(DecimalDigits.exactUInt64(try #require(Decimal(exactly: "2.5"))) == nil)
    }

    @Test("digits rebuild the value and plain strings parse back, for random values")
    func digits() throws {
        var generator = Generator(state: 7)
        for _ in 0..<1500 {
            let value = randomDecimal(&generator, allowNegative: true)
            let digits = try #require(DecimalDigits(value))
            #expect(digits.decimal == value, "\(value)")
            #expect(Decimal(exactly: value.plainString) == value, "\(value) → \(value.plainString)")
        }
    }
}
