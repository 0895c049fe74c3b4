/// Exact parsing, rounding and formatting of `Decimal` money for exchange wire formats.
///
/// Exchanges reject orders whose price or quantity has more digits than the instrument allows, and some
/// reject exponent notation (`8.329e-05`) outright. These helpers never go through `Double` and never use
/// `Decimal.description` (which drops trailing zeros and is not a wire format): the output is always plain
/// positional notation (`0.00000001`, `100000000000000000000`, `-1.50`) with exactly the digits asked for.
///
/// Rounding takes the standard library's `FloatingPointRoundingRule`:
/// `.down` (toward −∞), `.up` (toward +∞), `.towardZero`, `.awayFromZero`,
/// `.toNearestOrAwayFromZero` (half away from zero) and `.toNearestOrEven` (half to even).
///
/// All arithmetic is exact while values fit `Decimal`'s 38 significant digits, which covers every price,
/// quantity and step an exchange publishes.
///
/// - Important: A Swift floating-point literal passes through `Double` before it becomes a `Decimal`:
///   `let quantity: Decimal = 0.00015` holds `0.00014999999999999995904`. Write money that is not an
///   integer as a string, `Decimal(exactly: "0.00015")`, or compute it from integers. Instrument validation
///   points at such values when it sees them.
extension Decimal {
    /// Parses a number as exchanges write it, exactly, or returns `nil`.
    ///
    /// The accepted grammar is the JSON number grammar, with leading zeros allowed:
    /// an optional `-`, one or more digits, optionally `.` and one or more digits, optionally `e` or `E`,
    /// an optional sign and one or more digits (`"0.00100000"`, `"-1.5"`, `"42"`, `"1e-7"`, `"0E-8"`).
    /// Parsing does not depend on the current locale.
    ///
    /// Refused (returns `nil`): the empty string, any white space, `+1`, `.5`, `5.`, `1,5`, `NaN`,
    /// `Infinity`, hexadecimal, trailing garbage (`"12abc"`, which `Decimal(string:)` would read as 12),
    /// and any number a `Decimal` cannot hold exactly (more than 38 significant digits, or an exponent
    /// out of range) rather than silently rounding it.
    ///
    /// - Parameter wire: The number as text, for example `"0.00100000"`.
    public init?(exactly wire: String) {
        if let value = DecimalWireParser.parsePlain(wire) {
            self = value
            return
        }
        guard let digits = DecimalWireParser.parse(wire), let value = digits.decimal else { return nil }
        self = value
    }

    /// The step `10^-fractionDigits`: `0.001` for 3, `1` for 0, `100` for −2 (within `Decimal`'s
    /// exponent range, −128 … 127).
    ///
    /// Use it for exchanges that publish a number of decimal places instead of a step (Gate's
    /// `precision` and `amount_precision`).
    public static func step(fractionDigits: Int) -> Decimal {
        Decimal(sign: .plus, exponent: -fractionDigits, significand: 1)
    }

    /// The number of digits after the decimal point, ignoring trailing zeros: 3 for `0.00100000`,
    /// 1 for `0.5`, 0 for `100`. Never negative; 0 for NaN.
    ///
    /// This is the number of places exchanges expect for a value on a grid of this step.
    public var scale: Int { ExactDecimal(self)?.scale ?? DecimalDigits(self)?.scale ?? 0 }

    /// All the digits of the value in plain positional notation, without trailing zeros and never in
    /// exponent form: `"0.00000001"`, `"100000000000000000000"`, `"-1.5"`, `"0"`. `"NaN"` for NaN.
    public var plainString: String {
        if let exact = ExactDecimal(self), let text = exact.plain(fractionDigits: exact.scale) { return text }
        guard let digits = DecimalDigits(self) else { return "NaN" }
        return digits.plain(fractionDigits: digits.scale)
    }

    /// The value in plain positional notation with exactly `fractionDigits` digits after the point,
    /// rounded by `rule` when it has more (never truncated silently).
    ///
    /// `Decimal(exactly: "1.5")!.formatted(fractionDigits: 3)` is `"1.500"`; zero is `"0"` or `"0.00"`;
    /// a negative value that rounds to zero is written without a sign. `"NaN"` for NaN.
    ///
    /// - Parameters:
    ///   - fractionDigits: Digits after the point; negative values count as 0.
    ///   - rule: How to round extra digits. Defaults to half away from zero.
    public func formatted(
        fractionDigits: Int,
        rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero
    ) -> String {
        let places = Swift.max(0, fractionDigits)
        let value = rounded(fractionDigits: places, rule: rule)
        if let exact = ExactDecimal(value), let text = exact.plain(fractionDigits: places) { return text }
        guard let digits = DecimalDigits(value) else { return "NaN" }
        return digits.plain(fractionDigits: places)
    }

    /// The value rounded to a multiple of `step` by `rule`, then written with the step's own number of
    /// decimal places (``scale``): a step of `0.00100000` writes 3 places, `0.5` one, `10` none.
    ///
    /// With `tick = Decimal(exactly: "0.1")!`, `price.formatted(step: tick, rounding: .down)` writes
    /// 30000.05 as `"30000.0"`.
    /// A step of zero or less means no grid: the value is written with all its digits.
    ///
    /// - Parameters:
    ///   - step: The grid the exchange accepts (tick size or quantity step).
    ///   - rule: How to round a value that is not on the grid. Defaults to half away from zero; pick a
    ///     direction (`.down`, `.up`) where it matters, or align the value first with
    ///     ``rounded(toMultipleOf:rule:)`` or `Instrument.rounded(_:)`.
    public func formatted(
        step: Decimal,
        rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero
    ) -> String {
        guard !step.isNaN, step > 0 else { return plainString }
        let value = rounded(toMultipleOf: step, rule: rule)
        if let exact = ExactDecimal(value), let exactStep = ExactDecimal(step),
            let text = exact.plain(fractionDigits: Swift.max(exactStep.scale, exact.scale))
        {
            return text
        }
        guard let digits = DecimalDigits(value) else { return "NaN" }
        return digits.plain(fractionDigits: Swift.max(step.scale, digits.scale))
    }

    /// The value rounded to `fractionDigits` digits after the point by `rule`.
    ///
    /// - Parameters:
    ///   - fractionDigits: Digits to keep after the point; negative values round to tens, hundreds, ….
    ///   - rule: How to round.
    /// - Returns: The rounded value; NaN stays NaN.
    public func rounded(fractionDigits: Int, rule: FloatingPointRoundingRule) -> Decimal {
        rounded(toMultipleOf: .step(fractionDigits: fractionDigits), rule: rule)
    }

    /// The value rounded to a multiple of `step` by `rule`, exactly.
    ///
    /// With a step of 0.001, `.down` turns 0.123456 into 0.123 and `.up` into 0.124; with a step of
    /// 0.5, `.up` turns 1.2 into 1.5. A value already on the grid is returned
    /// unchanged whatever the rule.
    ///
    /// - Parameters:
    ///   - step: The grid; a step of zero or less (or NaN) means no grid and returns the value unchanged,
    ///     as exchanges treat a zero tick size as "no constraint".
    ///   - rule: How to round a value between two multiples.
    /// - Returns: The rounded value; NaN stays NaN.
    public func rounded(toMultipleOf step: Decimal, rule: FloatingPointRoundingRule) -> Decimal {
        guard !isNaN, !step.isNaN, step > 0 else { return self }
        let (multiples, remainder) = DecimalGrid.divide(self, by: step)
        if remainder == 0 { return self }
        let lower = multiples * step
        let upper = lower + step
        switch rule {
        case .down: return lower
        case .up: return upper
        case .towardZero: return self > 0 ? lower : upper
        case .awayFromZero: return self > 0 ? upper : lower
        case .toNearestOrAwayFromZero:
            return DecimalGrid.nearest(remainder: remainder, step: step, lower: lower, upper: upper) {
                self > 0 ? upper : lower
            }
        case .toNearestOrEven:
            return DecimalGrid.nearest(remainder: remainder, step: step, lower: lower, upper: upper) {
                DecimalGrid.isEven(multiples) ? lower : upper
            }
        @unknown default:
            // A rounding rule added to the standard library after this code: round half away from zero.
            return DecimalGrid.nearest(remainder: remainder, step: step, lower: lower, upper: upper) {
                self > 0 ? upper : lower
            }
        }
    }

    /// Whether the value is an exact multiple of `step` (the exchanges' `value % step == 0` check).
    ///
    /// A step of zero or less means no grid and gives `true`; NaN gives `false`.
    public func isMultiple(of step: Decimal) -> Bool {
        guard !isNaN, !step.isNaN else { return false }
        guard step > 0 else { return true }
        return DecimalGrid.divide(self, by: step).remainder == 0
    }
}

/// Exact division of a value by a positive step into whole multiples and a remainder.
enum DecimalGrid {
    /// `value = multiples × step + remainder`, with `multiples` an integer and `0 ≤ remainder < step`.
    static func divide(_ value: Decimal, by step: Decimal) -> (multiples: Decimal, remainder: Decimal) {
        // Decimal division is slow (microseconds on Linux); prices, quantities and steps almost always
        // have significands that fit 64 bits, where the division is exact integer arithmetic.
        if let exact = integerDivide(value, by: step) { return exact }
        var quotient = value / step
        var multiples = Decimal()
        NSDecimalRound(&multiples, &quotient, 0, .down)
        var remainder = value - multiples * step
        // The quotient is rounded to 38 digits, so its floor can be a step off: correct it exactly.
        // (Bounded, so that values beyond 38 significant digits, where arithmetic is no longer exact,
        // cannot loop forever.)
        var corrections = 0
        while remainder < 0, corrections < 8 {
            multiples -= 1
            remainder += step
            corrections += 1
        }
        while remainder >= step, corrections < 8 {
            multiples += 1
            remainder -= step
            corrections += 1
        }
        return (multiples, remainder)
    }

    /// ``divide(_:by:)`` with 64-bit integers: both values are `significand × 10^exponent`, brought to
    /// the smaller exponent. `nil` (use the general path) if a significand does not fit 64 bits, the
    /// exponents are too far apart, or the quotient does not fit `Int64`.
    static func integerDivide(_ value: Decimal, by step: Decimal) -> (multiples: Decimal, remainder: Decimal)? {
        guard step.sign == .plus, let valueDigits = ExactDecimal.significand(of: value),
            let stepDigits = ExactDecimal.significand(of: step), stepDigits > 0
        else { return nil }
        let exponent = min(value.exponent, step.exponent)
        guard let scaledValue = scale(valueDigits, by: value.exponent - exponent),
            let scaledStep = scale(stepDigits, by: step.exponent - exponent)
        else { return nil }
        var multiples = scaledValue / scaledStep
        var remainder = scaledValue % scaledStep
        let isNegative = value.sign == .minus && scaledValue != 0
        if isNegative && remainder != 0 {
            // Floor: -(q·s + r) = -(q + 1)·s + (s - r).
            multiples += 1
            remainder = scaledStep - remainder
        }
        guard multiples <= UInt64(Int64.max) else { return nil }
        let wholeMultiples = Decimal(sign: isNegative ? .minus : .plus, exponent: 0, significand: Decimal(multiples))
        let exactRemainder =
            remainder == 0
            ? Decimal.zero : Decimal(sign: .plus, exponent: exponent, significand: Decimal(remainder))
        return (wholeMultiples, exactRemainder)
    }

    /// `value × 10^power`, or `nil` on overflow.
    private static func scale(_ value: UInt64, by power: Int) -> UInt64? {
        if value == 0 { return 0 }
        guard power >= 0, power < ExactDecimal.powersOfTen.count else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: ExactDecimal.powersOfTen[power])
        return overflow ? nil : product
    }

    static func nearest(
        remainder: Decimal, step: Decimal, lower: Decimal, upper: Decimal, tie: () -> Decimal
    ) -> Decimal {
        let twice = remainder * 2
        if twice < step { return lower }
        if twice > step { return upper }
        return tie()
    }

    static func isEven(_ integer: Decimal) -> Bool {
        divide(integer, by: 2).remainder == 0
    }
}

/// The strict wire-number grammar behind `Decimal(exactly:)`.
enum DecimalWireParser {
    /// The common case of ``parse(_:)``, without building digit arrays or doing `Decimal` arithmetic: a
    /// plain `-?[0-9]+(\.[0-9]+)?` whose significant digits fit 64 bits and whose exponent fits
    /// `Decimal`. `nil` for anything else (including invalid text), which ``parse(_:)`` then decides.
    /// The value is normalised as ``DecimalDigits`` normalises it (trailing zeros moved into the exponent).
    static func parsePlain(_ text: String) -> Decimal? { parsePlain(utf8: text.utf8) }

    /// ``parsePlain(_:)`` over UTF-8 bytes (the JSON reader's numbers and numeric strings).
    static func parsePlain(utf8 text: some Collection<UInt8>) -> Decimal? {
        var significand: UInt64 = 0
        var exponent = 0
        var isNegative = false
        var digitsSeen = 0
        var fractionDigits: Int?
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, overflow1) = significand.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                significand = sum
                digitsSeen += 1
                if let count = fractionDigits { fractionDigits = count + 1 }
            case UInt8(ascii: "-") where index == 0:
                isNegative = true
            case UInt8(ascii: ".") where fractionDigits == nil && digitsSeen > 0:
                fractionDigits = 0
            default:
                return nil
            }
        }
        guard digitsSeen > 0, fractionDigits != 0 else { return nil }
        exponent = -(fractionDigits ?? 0)
        if significand == 0 { return 0 }
        while significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        guard DecimalDigits.exponentRange.contains(exponent) else { return nil }
        return Decimal(sign: isNegative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    /// Parses `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` into digits, or `nil`.
    static func parse(_ text: String) -> DecimalDigits? { parse(utf8: text.utf8) }

    /// ``parse(_:)`` over UTF-8 bytes.
    static func parse(utf8 text: some Collection<UInt8>) -> DecimalDigits? {
        let bytes = Array(text)
        var index = 0
        var isNegative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            isNegative = true
            index += 1
        }
        var digits: [UInt8] = []
        let integerStart = index
        while index < bytes.count, let digit = digitValue(bytes[index]) {
            digits.append(digit)
            index += 1
        }
        guard index > integerStart else { return nil }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                digits.append(digit)
                index += 1
            }
            guard index > fractionStart else { return nil }
            exponent = -(index - fractionStart)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentIsNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentIsNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            var written = 0
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                // Stop growing well before overflow; such exponents are out of range anyway.
                if written < 100_000 { written = written * 10 + Int(digit) }
                index += 1
            }
            guard index > exponentStart else { return nil }
            exponent += exponentIsNegative ? -written : written
        }
        guard index == bytes.count else { return nil }
        // A value with more significant digits than the fraction can hold is refused by `decimal`.
        return DecimalDigits(isNegative: isNegative, digits: digits, exponent: exponent)
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }
}
