/// The exact digits of a `Decimal`: `±digits × 10^exponent`, normalised (no leading or trailing zeros).
///
/// `Decimal` keeps its mantissa private on Linux, so the digits are read with exact public arithmetic
/// only: shifting by a power of ten (an exponent change), truncating to an integer, multiplying by ten
/// and subtracting integers of at most 38 digits. No `Double`, no `description`.
struct DecimalDigits: Hashable, Sendable {
    /// Whether the value is below zero. Always `false` for zero.
    var isNegative: Bool
    /// The significant digits, most significant first, each 0...9. Empty for zero.
    var digits: [UInt8]
    /// The power of ten the digits are scaled by. Zero for zero.
    var exponent: Int

    /// The largest number of significant digits a `Decimal` holds exactly.
    static let maximumSignificantDigits = 38
    /// The smallest and largest exponents a `Decimal` holds.
    static let exponentRange = -128...127

    init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        self.isNegative = isNegative
        self.digits = digits
        self.exponent = exponent
        normalize()
    }

    /// Reads the digits of a value, or `nil` for NaN.
    init?(_ value: Decimal) {
        guard !value.isNaN else { return nil }
        if let integer = ExactDecimal.significand(of: value) {
            // The common case, without Decimal arithmetic (which is slow on Linux).
            var reversed: [UInt8] = []
            reversed.reserveCapacity(20)
            var rest = integer
            while rest > 0 {
                reversed.append(UInt8(rest % 10))
                rest /= 10
            }
            self.init(isNegative: value.sign == .minus, digits: reversed.reversed(), exponent: value.exponent)
            return
        }
        var magnitude = value.significand.magnitude
        var reversed: [UInt8] = []
        while magnitude > 0 {
            let quotient = Self.truncated(Decimal(sign: .plus, exponent: -1, significand: magnitude))
            let remainder = magnitude - quotient * Self.ten
            reversed.append(Self.digit(of: remainder))
            magnitude = quotient
        }
        self.init(isNegative: value < 0, digits: reversed.reversed(), exponent: value.exponent)
    }

    var isZero: Bool { digits.isEmpty }

    /// The number of digits after the decimal point (0 for integers).
    var scale: Int { Swift.max(0, -exponent) }

    /// Removes leading zeros and moves trailing zeros into the exponent.
    private mutating func normalize() {
        if let first = digits.firstIndex(where: { $0 != 0 }) {
            if first > 0 { digits.removeFirst(first) }
        } else {
            digits = []
        }
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty {
            exponent = 0
            isNegative = false
        }
    }

    /// Builds the `Decimal`, or `nil` if it cannot hold these digits exactly.
    var decimal: Decimal? {
        if digits.isEmpty { return 0 }
        guard digits.count <= Self.maximumSignificantDigits, Self.exponentRange.contains(exponent) else { return nil }
        var significand = Decimal(0)
        var index = 0
        while index < digits.count {
            let end = Swift.min(index + 18, digits.count)
            var chunk: UInt64 = 0
            for position in index..<end { chunk = chunk * 10 + UInt64(digits[position]) }
            significand = Decimal(sign: .plus, exponent: end - index, significand: significand) + Decimal(chunk)
            index = end
        }
        return Decimal(sign: isNegative ? .minus : .plus, exponent: exponent, significand: significand)
    }

    /// Plain positional notation with exactly `fractionDigits` digits after the point (padding with
    /// zeros). The digits must not need more than `fractionDigits` places: round first.
    func plain(fractionDigits: Int) -> String {
        let places = Swift.max(0, fractionDigits)
        var integerPart: [UInt8]
        var fractionPart: [UInt8]
        if exponent >= 0 {
            integerPart = digits + [UInt8](repeating: 0, count: exponent)
            fractionPart = []
        } else {
            let fractionCount = -exponent
            if digits.count > fractionCount {
                integerPart = Array(digits[..<(digits.count - fractionCount)])
                fractionPart = Array(digits[(digits.count - fractionCount)...])
            } else {
                integerPart = []
                fractionPart = [UInt8](repeating: 0, count: fractionCount - digits.count) + digits
            }
        }
        if integerPart.isEmpty { integerPart = [0] }
        if fractionPart.count < places {
            fractionPart += [UInt8](repeating: 0, count: places - fractionPart.count)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(integerPart.count + fractionPart.count + 2)
        if isNegative { bytes.append(UInt8(ascii: "-")) }
        bytes += integerPart.map { $0 + UInt8(ascii: "0") }
        if !fractionPart.isEmpty {
            bytes.append(UInt8(ascii: "."))
            bytes += fractionPart.map { $0 + UInt8(ascii: "0") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Exact helpers

    private static let ten = Decimal(10)
    private static let digitValues: [Decimal] = (0...9).map { Decimal($0) }

    /// Truncates a non-negative value to an integer (exact: it only drops digits).
    private static func truncated(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .down)
        return result
    }

    private static func digit(of value: Decimal) -> UInt8 {
        for candidate in 1...9 where digitValues[candidate] == value { return UInt8(candidate) }
        return 0
    }
}
