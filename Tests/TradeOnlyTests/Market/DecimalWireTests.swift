import Foundation
import Testing
import TradeOnly

private func d(_ text: String) -> Decimal { MarketFixtures.decimal(text) }

@Suite("Decimal wire formatting, rounding and parsing")
struct DecimalWireTests {
    // MARK: Plain notation

    @Test(arguments: [
        ("0.00100000", "0.001"),
        ("1e-8", "0.00000001"),
        ("1e20", "100000000000000000000"),
        ("1E+3", "1000"),
        ("-1.5", "-1.5"),
        ("-0.000000000000000000000000000001", "-0.000000000000000000000000000001"),
        ("0", "0"),
        ("-0", "0"),
        ("0E-8", "0"),
        ("123.4500", "123.45"),
        ("100", "100"),
        ("30000.10", "30000.1"),
        ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ("0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678"),
        ("1e100", "1" + String(repeating: "0", count: 100)),
    ])
    func plainString(wire: String, expected: String) {
        let text = d(wire).plainString
        #expect(text == expected)
        #expect(!text.contains("e") && !text.contains("E"))
    }

    @Test func plainStringOfComputedValues() {
        #expect((d("0.1") + d("0.2")).plainString == "0.3")
        #expect((d("0.5") * 2).plainString == "1")
        #expect((d("1.10") * 10).plainString == "11")
        #expect((Decimal(1) / Decimal(3)).plainString == "0.33333333333333333333333333333333333333")
        #expect(Decimal.nan.plainString == "NaN")
    }

    // MARK: Fixed fraction digits

    @Test(arguments: [
        ("1.5", 3, FloatingPointRoundingRule.toNearestOrAwayFromZero, "1.500"),
        ("0", 2, .toNearestOrAwayFromZero, "0.00"),
        ("0", 0, .toNearestOrAwayFromZero, "0"),
        ("-0.001", 2, .toNearestOrAwayFromZero, "0.00"),
        ("-0.001", 2, .down, "-0.01"),
        ("1.005", 2, .toNearestOrAwayFromZero, "1.01"),
        ("1.005", 2, .toNearestOrEven, "1.00"),
        ("1.015", 2, .toNearestOrEven, "1.02"),
        ("1.239", 2, .down, "1.23"),
        ("1.231", 2, .up, "1.24"),
        ("-1.239", 2, .down, "-1.24"),
        ("-1.239", 2, .towardZero, "-1.23"),
        ("-1.231", 2, .awayFromZero, "-1.24"),
        ("-1.231", 2, .up, "-1.23"),
        ("0.5", 0, .toNearestOrAwayFromZero, "1"),
        ("-0.5", 0, .toNearestOrAwayFromZero, "-1"),
        ("2.5", 0, .toNearestOrEven, "2"),
        ("99.999", 2, .toNearestOrAwayFromZero, "100.00"),
        ("1e-8", 8, .toNearestOrAwayFromZero, "0.00000001"),
        ("1e-8", 10, .toNearestOrAwayFromZero, "0.0000000100"),
        ("1e20", 2, .toNearestOrAwayFromZero, "100000000000000000000.00"),
        ("123456789.987654321", 4, .toNearestOrAwayFromZero, "123456789.9877"),
        ("-42", 3, .toNearestOrAwayFromZero, "-42.000"),
        ("7.25", -1, .toNearestOrAwayFromZero, "7"),
    ])
    func formattedWithFractionDigits(value: String, digits: Int, rule: FloatingPointRoundingRule, expected: String) {
        let text = d(value).formatted(fractionDigits: digits, rounding: rule)
        #expect(text == expected)
        #expect(!text.contains("e") && !text.contains("E"))
    }

    // MARK: Step scale

    @Test(arguments: [
        ("0.00100000", 3), ("100", 0), ("0.5", 1), ("0.0025", 4), ("1e-8", 8), ("1e20", 0),
        ("0", 0), ("-1.50", 1), ("10.0", 0), ("0.10", 1), ("0.00000001", 8),
    ])
    func scale(value: String, expected: Int) {
        #expect(d(value).scale == expected)
    }

    @Test func stepFromFractionDigits() {
        #expect(Decimal.step(fractionDigits: 3) == d("0.001"))
        #expect(Decimal.step(fractionDigits: 0) == 1)
        #expect(Decimal.step(fractionDigits: -2) == 100)
        #expect(Decimal.step(fractionDigits: 8).plainString == "0.00000001")
    }

    @Test(arguments: [
        ("30000.05", "0.1", FloatingPointRoundingRule.down, "30000.0"),
        ("30000.05", "0.1", .up, "30000.1"),
        ("0.001", "0.00100000", .toNearestOrAwayFromZero, "0.001"),
        ("5", "0.00100000", .toNearestOrAwayFromZero, "5.000"),
        ("30000", "0.01", .toNearestOrAwayFromZero, "30000.00"),
        ("1.2", "0.5", .up, "1.5"),
        ("1.2", "0.5", .down, "1.0"),
        ("1234", "10", .down, "1230"),
        ("7", "1", .toNearestOrAwayFromZero, "7"),
        ("1e-8", "0.00000001", .toNearestOrAwayFromZero, "0.00000001"),
        ("0", "0.001", .toNearestOrAwayFromZero, "0.000"),
        ("-2.345", "0.01", .down, "-2.35"),
        ("12.3", "0", .down, "12.3"),
        ("100000000000000000000", "0.1", .down, "100000000000000000000.0"),
    ])
    func formattedWithStep(value: String, step: String, rule: FloatingPointRoundingRule, expected: String) {
        #expect(d(value).formatted(step: d(step), rounding: rule) == expected)
    }

    // MARK: Rounding to a step

    @Test(arguments: [
        ("0.123456", "0.001", FloatingPointRoundingRule.down, "0.123"),
        ("0.123456", "0.001", .up, "0.124"),
        ("0.123", "0.001", .up, "0.123"),
        ("0.123", "0.001", .down, "0.123"),
        ("1.2", "0.5", .toNearestOrAwayFromZero, "1"),
        ("1.25", "0.5", .toNearestOrAwayFromZero, "1.5"),
        ("1.25", "0.5", .toNearestOrEven, "1"),
        ("1.75", "0.5", .toNearestOrEven, "2"),
        ("-1.2", "0.5", .down, "-1.5"),
        ("-1.2", "0.5", .up, "-1"),
        ("-1.2", "0.5", .towardZero, "-1"),
        ("-1.2", "0.5", .awayFromZero, "-1.5"),
        ("-1.25", "0.5", .toNearestOrAwayFromZero, "-1.5"),
        ("0.000000015", "0.00000001", .down, "0.00000001"),
        ("0.000000015", "0.00000001", .up, "0.00000002"),
        ("123456789012345678901234567890.129", "0.01", .down, "123456789012345678901234567890.12"),
        ("37", "5", .down, "35"),
        ("37", "5", .up, "40"),
        ("0.0000999", "0.00001", .down, "0.00009"),
        ("5", "0", .down, "5"),
        ("5", "-1", .up, "5"),
    ])
    func roundedToMultiple(value: String, step: String, rule: FloatingPointRoundingRule, expected: String) {
        #expect(d(value).rounded(toMultipleOf: d(step), rule: rule) == d(expected))
    }

    @Test func roundedFractionDigits() {
        #expect(d("1.23456").rounded(fractionDigits: 2, rule: .down) == d("1.23"))
        #expect(d("1.23456").rounded(fractionDigits: 2, rule: .up) == d("1.24"))
        #expect(d("1250").rounded(fractionDigits: -2, rule: .toNearestOrEven) == d("1200"))
        #expect(Decimal.nan.rounded(fractionDigits: 2, rule: .down).isNaN)
    }

    @Test(arguments: [
        ("30000.1", "0.1", true), ("30000.05", "0.1", false), ("0.00015", "0.00001", true),
        ("1.5", "0.5", true), ("1.6", "0.5", false), ("0", "0.1", true), ("-0.3", "0.1", true),
        ("5", "0", true), ("123456789012345678.00000001", "0.00000001", true),
        ("123456789012345678.000000015", "0.00000001", false), ("1e20", "0.001", true),
        ("0.00014999999999999995904", "0.00001", false),
    ])
    func isMultiple(value: String, step: String, expected: Bool) {
        #expect(d(value).isMultiple(of: d(step)) == expected)
    }

    @Test func nanIsNeverAMultiple() {
        #expect(!Decimal.nan.isMultiple(of: d("0.1")))
        #expect(!d("1").isMultiple(of: .nan))
    }

    // MARK: Strict parsing

    @Test(arguments: [
        ("0.00100000", "0.001"), ("-1.5", "-1.5"), ("42", "42"), ("0", "0"), ("-0", "0"),
        ("1e-7", "0.0000001"), ("1E5", "100000"), ("1.5e+3", "1500"), ("2.5E-3", "0.0025"),
        ("0E-8", "0"), ("007.50", "7.5"),
        ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ("-0.12345678901234567890123456789012345678", "-0.12345678901234567890123456789012345678"),
        ("100000000000000000000000000000000000000000000", "1" + String(repeating: "0", count: 44)),
        ("0.00000000000000000000000000000000000000000001", "0." + String(repeating: "0", count: 43) + "1"),
        ("4723846.89208129", "4723846.89208129"),
    ])
    func parsesWireNumbers(wire: String, plain: String) throws {
        let value = try #require(Decimal(exactly: wire))
        #expect(value.plainString == plain)
    }

    @Test(arguments: [
        "", " ", " 1", "1 ", "\t1", "1\n", "+1", ".5", "5.", "1,5", "1.2.3", "NaN", "nan", "Infinity",
        "-", "--1", "-.5", "e5", "1e", "1e+", "1e-", "12abc", "abc", "0x10", "1_000", "1 000", "١٢",
        "1.5e3.2", "1e200", "1e-200", "123456789012345678901234567890123456789",
        "0.123456789012345678901234567890123456789", "1e99999999999999999999999",
    ])
    func refusesGarbage(wire: String) {
        #expect(Decimal(exactly: wire) == nil)
    }

    @Test func parsingIsLocaleIndependentAndExact() throws {
        let value = try #require(Decimal(exactly: "0.1"))
        let other = try #require(Decimal(exactly: "0.2"))
        #expect(value + other == d("0.3"))
        #expect(Decimal(exactly: "1,5") == nil)
    }

    @Test(arguments: ["0.00100000", "30000.10", "-0.5", "1e-8", "98765.4321", "1e20", "0.1"])
    func formattingRoundTrips(wire: String) throws {
        let value = try #require(Decimal(exactly: wire))
        #expect(Decimal(exactly: value.plainString) == value)
        #expect(Decimal(exactly: value.formatted(step: value)) == value)
    }
}
