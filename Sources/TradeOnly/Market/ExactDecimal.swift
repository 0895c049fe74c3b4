import Foundation

/// A `Decimal` whose significand fits 64 bits, as exact integers: `±significand × 10^exponent`.
///
/// Every price, quantity, step and limit an exchange publishes has such a form, and integer arithmetic
/// on it is exact and fast, where `Decimal`'s own comparison and multiplication cost 100 to 200 ns
/// each on Linux (they normalise both operands through a general 38-digit path). Order validation and
/// wire formatting go through here; a value that does not fit (more than 19 or 20 significant digits)
/// makes the callers fall back to `Decimal`'s own arithmetic, so results never depend on the path.
struct ExactDecimal: Hashable, Sendable {
    /// Whether the value is below zero. Always `false` for zero.
    var isNegative: Bool
    /// The significand's magnitude.
    var significand: UInt64
    /// The power of ten the significand is scaled by.
    var exponent: Int

    /// Reads a value, or returns `nil` for NaN and for a significand beyond 64 bits.
    init?(_ value: Decimal) {
        guard !value.isNaN, let significand = Self.significand(of: value) else { return nil }
        self.significand = significand
        self.exponent = significand == 0 ? 0 : value.exponent
        self.isNegative = significand != 0 && value.sign == .minus
    }

    init(isNegative: Bool, significand: UInt64, exponent: Int) {
        self.isNegative = isNegative && significand != 0
        self.significand = significand
        self.exponent = exponent
    }

    /// The value as a `Decimal`, or `nil` if the exponent is beyond `Decimal`'s range.
    var decimal: Decimal? {
        guard DecimalDigits.exponentRange.contains(exponent) else { return nil }
        return Decimal(sign: isNegative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    /// The magnitude of `value`'s significand (the digits without the exponent), or `nil` if it does
    /// not fit 64 bits.
    ///
    /// `Decimal` keeps its digits private on Linux. The fast path reads them from the value's bytes
    /// (the layout Foundation uses on Linux: the exponent in byte 0, the number of 16-bit mantissa words in the
    /// high nibble of byte 1, the words from byte 4, least significant first) and accepts the reading
    /// only if the `Decimal` rebuilt from it equals `value` by Foundation's own comparison: a reading that
    /// is wrong for any reason (another layout, another platform) can never be used. Otherwise the
    /// digits come from `NSDecimalNumber`, also checked by converting back.
    static func significand(of value: Decimal) -> UInt64? {
        guard !value.isNaN else { return nil }
        if let read = readSignificand(value),
            Decimal(sign: value.sign, exponent: value.exponent, significand: Decimal(read)) == value
        {
            return read
        }
        let magnitude = value.significand.magnitude
        let converted = NSDecimalNumber(decimal: magnitude).uint64Value
        return Decimal(converted) == magnitude ? converted : nil
    }

    /// The significand as stored in `value`'s bytes, unverified; `nil` if it has more than four words.
    private static func readSignificand(_ value: Decimal) -> UInt64? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: value) { bytes -> UInt64? in
            let words = Int(bytes[1] >> 4)
            guard words <= 4 else { return nil }
            var significand: UInt64 = 0
            var word = words - 1
            while word >= 0 {
                let part = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 + 2 * word, as: UInt16.self))
                significand = significand << 16 | UInt64(part)
                word -= 1
            }
            return significand
        }
    }

    /// Compares two values exactly.
    static func compare(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ComparisonResult {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative ? .orderedAscending : .orderedDescending }
        let magnitudes = compareMagnitudes(lhs, rhs)
        guard lhs.isNegative else { return magnitudes }
        switch magnitudes {
        case .orderedAscending: return .orderedDescending
        case .orderedDescending: return .orderedAscending
        case .orderedSame: return .orderedSame
        }
    }

    /// Compares `|lhs|` and `|rhs|` exactly, by bringing the one with the larger exponent down to the
    /// other's (in 128 bits, so it cannot overflow silently).
    private static func compareMagnitudes(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ComparisonResult {
        if lhs.significand == 0 || rhs.significand == 0 {
            if lhs.significand == rhs.significand { return .orderedSame }
            return lhs.significand == 0 ? .orderedAscending : .orderedDescending
        }
        if lhs.exponent == rhs.exponent { return order(lhs.significand, rhs.significand) }
        let larger = lhs.exponent > rhs.exponent ? lhs : rhs
        let smaller = lhs.exponent > rhs.exponent ? rhs : lhs
        // larger.significand × 10^shift against smaller.significand; 10^20 already exceeds UInt64.max.
        let shift = larger.exponent - smaller.exponent
        let largerIsBigger: Bool
        if shift >= powersOfTen.count {
            largerIsBigger = true
        } else {
            let (high, low) = larger.significand.multipliedFullWidth(by: powersOfTen[shift])
            if high > 0 {
                largerIsBigger = true
            } else if low == smaller.significand {
                return .orderedSame
            } else {
                largerIsBigger = low > smaller.significand
            }
        }
        return largerIsBigger == (lhs.exponent > rhs.exponent) ? .orderedDescending : .orderedAscending
    }

    private static func order(_ lhs: UInt64, _ rhs: UInt64) -> ComparisonResult {
        lhs < rhs ? .orderedAscending : lhs > rhs ? .orderedDescending : .orderedSame
    }

    /// The exact product, or `nil` if its significand does not fit 64 bits.
    func multiplied(by other: ExactDecimal) -> ExactDecimal? {
        let (product, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        guard !overflow else { return nil }
        return ExactDecimal(
            isNegative: isNegative != other.isNegative, significand: product, exponent: exponent + other.exponent)
    }

    /// The value with trailing zeros of the significand moved into the exponent (zero has exponent 0).
    var normalized: ExactDecimal {
        guard significand != 0 else { return ExactDecimal(isNegative: false, significand: 0, exponent: 0) }
        var copy = self
        while copy.significand % 10 == 0 {
            copy.significand /= 10
            copy.exponent += 1
        }
        return copy
    }

    /// The number of digits after the decimal point, ignoring trailing zeros (as `Decimal.scale`).
    var scale: Int { Swift.max(0, -normalized.exponent) }

    /// Plain positional notation with exactly `fractionDigits` digits after the point, or `nil` if the
    /// value has more digits after the point than that (round it first) or is too long to write.
    ///
    /// Written as ``DecimalDigits/plain(fractionDigits:)`` writes it: never exponent form, zero as
    /// `"0"` or `"0.00"` without a sign.
    func plain(fractionDigits: Int) -> String? {
        let value = normalized
        let places = Swift.max(0, fractionDigits)
        guard -value.exponent <= places, value.exponent <= 1024, places <= 1024 else { return nil }
        // The significand's digits, least significant first.
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var rest = value.significand
        repeat {
            digits.append(UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        let fraction = Swift.max(0, -value.exponent)
        // Integer digits: the significand's beyond the fraction, then the exponent's zeros; at least "0".
        let integerDigits = Swift.max(1, digits.count - fraction + Swift.max(0, value.exponent))
        let length = (value.isNegative ? 1 : 0) + integerDigits + (places > 0 ? 1 + places : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            func write(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            if value.isNegative { write(UInt8(ascii: "-")) }
            // Position p counts digits of the written number from the point: integer digits have
            // p = integerDigits - 1 … 0, fraction digits p = -1 … -places. The significand's digit i
            // (least significant first) sits at position i + exponent.
            func digit(at position: Int) -> UInt8 {
                let i = position - value.exponent
                return UInt8(ascii: "0") + (i >= 0 && i < digits.count ? digits[i] : 0)
            }
            for position in stride(from: integerDigits - 1, through: 0, by: -1) { write(digit(at: position)) }
            if places > 0 {
                write(UInt8(ascii: "."))
                for position in stride(from: -1, through: -places, by: -1) { write(digit(at: position)) }
            }
            return index
        }
    }

    /// 10^0 … 10^19, every power of ten a `UInt64` holds.
    static let powersOfTen: [UInt64] = (0...19).map { power in
        (0..<power).reduce(UInt64(1)) { value, _ in value * 10 }
    }
}

extension Decimal {
    /// Compares two values exactly: with integer arithmetic when both significands fit 64 bits, else
    /// with `Decimal`'s own comparison. NaN compares as `Decimal` does (unordered: neither below nor above).
    static func exactlyCompare(_ lhs: Decimal, _ rhs: Decimal) -> ComparisonResult? {
        if lhs.isNaN || rhs.isNaN { return nil }
        if let left = ExactDecimal(lhs), let right = ExactDecimal(rhs) {
            return ExactDecimal.compare(left, right)
        }
        return lhs < rhs ? .orderedAscending : lhs > rhs ? .orderedDescending : .orderedSame
    }

    /// Whether the value is below `other`, exactly (false if either is NaN).
    func isExactlyBelow(_ other: Decimal) -> Bool {
        Decimal.exactlyCompare(self, other) == .orderedAscending
    }

    /// Whether the value is above `other`, exactly (false if either is NaN).
    func isExactlyAbove(_ other: Decimal) -> Bool {
        Decimal.exactlyCompare(self, other) == .orderedDescending
    }

    /// The exact product: with integer arithmetic when it fits 64 bits, else `Decimal`'s own.
    func exactlyMultiplied(by other: Decimal) -> Decimal {
        if let left = ExactDecimal(self), let right = ExactDecimal(other),
            let product = left.multiplied(by: right)?.decimal
        {
            return product
        }
        return self * other
    }
}
