import Foundation
import Testing

@testable import TradeOnly

/// The 64-bit fast paths of `DecimalGrid.divide` and `DecimalDigits` against the properties that define
/// their results exactly: `value = multiples × step + remainder` with an integer `multiples` and
/// `0 ≤ remainder < step`, and digits that rebuild the value.
@Suite("Decimal fast paths")
struct DecimalFastPathTests {
    typealias Generator = SeededGenerator

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
        #expect(ExactDecimal(try #require(Decimal(exactly: "18446744073709551616"))) == nil)
        #expect(ExactDecimal(try #require(Decimal(exactly: "18446744073709551615")))?.significand == UInt64.max)
        #expect(ExactDecimal(.nan) == nil)
        #expect(ExactDecimal(-5) == ExactDecimal(isNegative: true, significand: 5, exponent: 0))
        #expect(ExactDecimal(try #require(Decimal(exactly: "2.50"))) == ExactDecimal(isNegative: false, significand: 25, exponent: -1))
        #expect(ExactDecimal(try #require(Decimal(exactly: "-0"))) == ExactDecimal(isNegative: false, significand: 0, exponent: 0))
    }

    /// Values across the whole range a 64-bit significand covers, with extreme exponents, plus values
    /// with more digits than 64 bits hold (which must take `Decimal`'s own path).
    private func wideDecimal(_ generator: inout Generator) -> Decimal {
        let digits = Int.random(in: 0...22, using: &generator)
        let text =
            digits == 0
            ? "0"
            : String(
                (0..<digits).map { index in
                    Character(String(Int.random(in: (index == 0 ? 1 : 0)...9, using: &generator)))
                })
        let exponent =
            Bool.random(using: &generator)
            ? Int.random(in: -8...8, using: &generator) : Int.random(in: -100...100, using: &generator)
        let sign = Bool.random(using: &generator) ? "-" : ""
        return Decimal(exactly: "\(sign)\(text)e\(exponent)") ?? 0
    }

    @Test("exact comparison and multiplication agree with Decimal's own, for random values of every size")
    func comparisonAndProduct() throws {
        var generator = Generator(state: 99)
        var fast = 0
        for _ in 0..<3000 {
            let left = wideDecimal(&generator)
            let right = Bool.random(using: &generator) ? left * 10 : wideDecimal(&generator)
            let expected: ComparisonResult = left < right ? .orderedAscending : left > right ? .orderedDescending : .orderedSame
            #expect(Decimal.exactlyCompare(left, right) == expected, "\(left) vs \(right)")
            if let a = ExactDecimal(left), let b = ExactDecimal(right) {
                fast += 1
                #expect(ExactDecimal.compare(a, b) == expected, "\(left) vs \(right)")
                #expect(a.decimal == left && b.decimal == right)
            }
            if abs(left.exponent + right.exponent) < 120 {
                #expect(left.exactlyMultiplied(by: right) == left * right, "\(left) × \(right)")
            }
        }
        #expect(fast > 1500, "the integer path is taken for most values")
        #expect(Decimal.exactlyCompare(.nan, 1) == nil)
        #expect(!Decimal.nan.isExactlyBelow(1) && !Decimal(1).isExactlyAbove(.nan))
    }

    @Test("the significand read fast agrees with NSDecimalNumber's, for random values")
    func significands() throws {
        var generator = Generator(state: 3)
        for _ in 0..<2000 {
            let value = wideDecimal(&generator)
            let magnitude = value.significand.magnitude
            let converted = NSDecimalNumber(decimal: magnitude).uint64Value
            let expected = Decimal(converted) == magnitude ? converted : nil
            #expect(ExactDecimal.significand(of: value) == expected, "\(value)")
        }
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

    @Test("the plain-number parser agrees with the full one, for random and edge-case texts")
    func plainParser() throws {
        var generator = Generator(state: 11)
        var texts = [
            "", "-", "-.5", "1.", ".5", "00.10", "-0", "-0.000", "0", "18446744073709551615", "18446744073709551616",
            "1844674407370955161.5", "1e5", "1E-7", "+1", "1-", "1..2", "1.2.3", " 1", "1 ", "١", "0." + String(repeating: "0", count: 140) + "1",
            String(repeating: "9", count: 38), "12345678901234567890123", "-30000.00000000", "0.00100000",
        ]
        let alphabet = Array("0123456789012345678901234567890.-e")
        for _ in 0..<3000 {
            let length = Int.random(in: 1...24, using: &generator)
            texts.append(String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }))
        }
        var plain = 0
        for text in texts {
            let full = DecimalWireParser.parse(text)?.decimal
            #expect(Decimal(exactly: text) == full, "\(text)")
            if let fast = DecimalWireParser.parsePlain(text) {
                plain += 1
                #expect(fast == full && fast.exponent == full?.exponent, "\(text): \(fast) vs \(String(describing: full))")
            }
        }
        #expect(plain > 100, "the plain parser handles the common texts")
    }

    @Test("plain notation written from 64-bit integers is DecimalDigits' own, for random values and places")
    func plainNotation() throws {
        var generator = Generator(state: 23)
        var written = 0
        for _ in 0..<3000 {
            let value = wideDecimal(&generator)
            guard let exact = ExactDecimal(value), let digits = DecimalDigits(value) else { continue }
            #expect(exact.scale == digits.scale, "\(value)")
            for places in [digits.scale, digits.scale + Int.random(in: 1...4, using: &generator)] {
                guard let text = exact.plain(fractionDigits: places) else { continue }
                written += 1
                #expect(text == digits.plain(fractionDigits: places), "\(value) with \(places) places")
            }
            if digits.scale > 0 { #expect(exact.plain(fractionDigits: digits.scale - 1) == nil, "\(value) needs its digits") }
        }
        #expect(written > 3000)
        #expect(ExactDecimal(try #require(Decimal(exactly: "-0.000")))?.plain(fractionDigits: 2) == "0.00")
        #expect(ExactDecimal(try #require(Decimal(exactly: "-12.5")))?.plain(fractionDigits: 3) == "-12.500")
        #expect(ExactDecimal(try #require(Decimal(exactly: "3e5")))?.plain(fractionDigits: 0) == "300000")
        #expect(ExactDecimal(try #require(Decimal(exactly: "0.0001")))?.plain(fractionDigits: 4) == "0.0001")
    }
}
