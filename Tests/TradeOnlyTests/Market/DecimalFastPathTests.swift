import Foundation
import Testing
@testable import TradeOnly

/// The integer fast paths of `DecimalDigits` and `DecimalGrid.divide` agree with the exact
/// `Decimal`-arithmetic paths they short-cut.
@Suite("Decimal fast paths")
struct DecimalFastPathTests {
    /// Deterministic pseudo-random values: up to 38 digits, exponents from -30 to 20, both signs.
    static func samples(count: Int) -> [Decimal] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var values: [Decimal] = []
        for _ in 0..<count {
            let length = Int(next() % 38) + 1
            var digits = String((0..<length).map { _ in Character(String(next() % 10)) })
            if next() % 3 == 0 { digits += String(repeating: "0", count: Int(next() % 6)) }
            let exponent = Int(next() % 51) - 30
            let sign = next() % 2 == 0 ? "" : "-"
            if let value = Decimal(exactly: "\(sign)\(digits)e\(exponent)") { values.append(value) }
        }
        return values
    }

    @Test("digits read through UInt64 equal the digits read one by one")
    func digits() throws {
        for value in Self.samples(count: 2000) + [0, 1, 10, Decimal(UInt64.max), Decimal(UInt64.max) + 1] {
            let fast = try #require(DecimalDigits(value))
            let magnitude = value.significand.magnitude
            let slow = DecimalDigits(isNegative: value < 0, digits: DecimalDigits.slowDigits(of: magnitude), exponent: value.exponent)
            #expect(fast == slow, "\(value)")
            #expect(fast.decimal == value, "\(value)")
        }
    }

    @Test("the UInt64 reading refuses what does not fit")
    func boundaries() throws {
        #expect(DecimalDigits.exactUInt64(Decimal(UInt64.max)) == UInt64.max)
        #expect(DecimalDigits.exactUInt64(Decimal(UInt64.max) + 1) == nil)
        #expect(DecimalDigits.exactUInt64(try #require(Decimal(exactly: "99999999999999999999999999999999999999"))) == nil)
        #expect(DecimalDigits.exactUInt64(-1) == nil)
        #expect(DecimalDigits.exactUInt64(0) == 0)
    }

    @Test("integer division agrees with Decimal division wherever it applies")
    func division() throws {
        let steps = try ["0.1", "0.01", "0.00000001", "0.5", "0.25", "1", "5", "10", "0.000001", "0.0001", "2.5", "1000"]
            .map { try #require(Decimal(exactly: $0)) }
        var checked = 0
        for value in Self.samples(count: 1500) {
            for step in steps {
                guard let fast = DecimalGrid.integerDivide(value, by: step) else { continue }
                let slow = DecimalGrid.decimalDivide(value, by: step)
                #expect(fast.multiples == slow.multiples, "\(value) / \(step)")
                #expect(fast.remainder == slow.remainder, "\(value) / \(step)")
                #expect(fast.multiples * step + fast.remainder == value, "\(value) / \(step)")
                #expect(fast.remainder >= 0 && fast.remainder < step, "\(value) / \(step)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }
}
