// Integers modulo the order of the Ed25519 base point,
// L = 2^252 + 27742317777372353535851937790883648493.
//
// Scalars here are few per signature, so the reduction favours obviously-correct code over
// speed: a bit-serial long division with a branch-free conditional subtraction, which runs
// in time independent of the (secret) values.

/// A 256-bit little-endian integer, used for scalars modulo L.
internal struct Scalar: Sendable {
    /// Little-endian 64-bit words.
    internal var words: (UInt64, UInt64, UInt64, UInt64)

    /// The group order L.
    internal static let order = Scalar(words: (0x5812_631a_5cf5_d3ed, 0x14de_f9de_a2f7_9cd6, 0, 0x1000_0000_0000_0000))

    internal init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// Reads 32 little-endian bytes, without reducing.
    internal init(bytes: UnsafeRawBufferPointer) {
        words = (
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        )
    }

    /// The 32-byte little-endian encoding.
    internal var encoded: (UInt64, UInt64, UInt64, UInt64) {
        (words.0.littleEndian, words.1.littleEndian, words.2.littleEndian, words.3.littleEndian)
    }

    /// Whether the value is below L, as RFC 8032 requires of a signature's S. Public values only.
    internal var isCanonical: Bool {
        let l = Scalar.order.words
        if words.3 != l.3 { return words.3 < l.3 }
        if words.2 != l.2 { return words.2 < l.2 }
        if words.1 != l.1 { return words.1 < l.1 }
        return words.0 < l.0
    }

    /// Word `index` (0 is the least significant of 4).
    @inline(__always)
    internal subscript(index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }

    /// Nibble `index` (0 is the least significant of 64).
    internal func nibble(_ index: Int) -> UInt8 {
        Swift.withUnsafeBytes(of: encoded) { bytes in
            let byte = bytes[index / 2]
            return index % 2 == 0 ? byte & 0x0f : byte >> 4
        }
    }

    /// Calls `body` with the value as 64 signed radix-16 digits in [-8, 8], least significant
    /// first: value = Σ digit[i]·16^i. Requires value < 2^255. Branch-free; the digits live
    /// on the stack and are zeroed before returning, as they are as secret as the scalar.
    internal func withSignedRadix16Digits<Result>(_ body: (UnsafeBufferPointer<Int8>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 64) { digits in
            Swift.withUnsafeBytes(of: encoded) { bytes in
                for index in 0..<32 {
                    digits[2 * index] = Int8(bytes[index] & 0x0f)
                    digits[2 * index + 1] = Int8(bytes[index] >> 4)
                }
            }
            var carry: Int8 = 0
            for index in 0..<63 {
                digits[index] &+= carry
                carry = (digits[index] &+ 8) >> 4
                digits[index] &-= carry << 4
            }
            digits[63] &+= carry
            let result = body(UnsafeBufferPointer(digits))
            secureZero(UnsafeMutableRawBufferPointer(digits))
            return result
        }
    }

    /// Reduces a 64-byte little-endian integer (such as a SHA-512 digest) modulo L.
    internal static func reducing(wide bytes: UnsafeRawBufferPointer) -> Scalar {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { wide in
            for index in 0..<8 {
                wide[index] = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
            return reducing(UnsafeBufferPointer(wide))
        }
    }

    /// (a·b + c) mod L. Requires a·b + c < 2^512, which holds for a, b, c < 2^255.
    internal static func multiplyAdd(_ a: Scalar, _ b: Scalar, _ c: Scalar) -> Scalar {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { wide in
            wide.initialize(repeating: 0)
            for i in 0..<4 {
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let (high, low) = a[i].multipliedFullWidth(by: b[j])
                    let (sum1, overflow1) = low.addingReportingOverflow(wide[i + j])
                    let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                    wide[i + j] = sum2
                    carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                }
                wide[i + 4] = carry
            }
            var carry: UInt64 = 0
            for index in 0..<8 {
                let (sum1, overflow1) = wide[index].addingReportingOverflow(index < 4 ? c[index] : 0)
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                wide[index] = sum2
                carry = (overflow1 ? 1 : 0) | (overflow2 ? 1 : 0)
            }
            return reducing(UnsafeBufferPointer(wide))
        }
    }

    /// Reduces eight little-endian words modulo L by binary long division, in constant time.
    private static func reducing(_ wide: UnsafeBufferPointer<UInt64>) -> Scalar {
        let l = order.words
        var r0: UInt64 = 0
        var r1: UInt64 = 0
        var r2: UInt64 = 0
        var r3: UInt64 = 0 // remainder < L < 2^253
        for bitIndex in stride(from: 511, through: 0, by: -1) {
            let bit = (wide[bitIndex / 64] >> UInt64(bitIndex % 64)) & 1
            // remainder = 2·remainder + bit, below 2L < 2^254.
            r3 = r3 << 1 | r2 >> 63
            r2 = r2 << 1 | r1 >> 63
            r1 = r1 << 1 | r0 >> 63
            r0 = r0 << 1 | bit
            // Subtract L; keep the difference unless it borrowed.
            let (d0, b0) = r0.subtractingReportingOverflow(l.0)
            let (t1, b1a) = r1.subtractingReportingOverflow(l.1)
            let (d1, b1b) = t1.subtractingReportingOverflow(b0 ? 1 : 0)
            let (t2, b2a) = r2.subtractingReportingOverflow(l.2)
            let (d2, b2b) = t2.subtractingReportingOverflow((b1a ? 1 : 0) | (b1b ? 1 : 0))
            let (t3, b3a) = r3.subtractingReportingOverflow(l.3)
            let (d3, b3b) = t3.subtractingReportingOverflow((b2a ? 1 : 0) | (b2b ? 1 : 0))
            let borrow: UInt64 = (b3a ? 1 : 0) | (b3b ? 1 : 0)
            let keep = borrow &- 1 // all-ones if no borrow, i.e. remainder ≥ L
            r0 ^= keep & (r0 ^ d0)
            r1 ^= keep & (r1 ^ d1)
            r2 ^= keep & (r2 ^ d2)
            r3 ^= keep & (r3 ^ d3)
        }
        return Scalar(words: (r0, r1, r2, r3))
    }
}
