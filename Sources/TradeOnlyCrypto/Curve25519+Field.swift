// Arithmetic in GF(2^255 - 19), the field of Curve25519 and Ed25519.
//
// An element is five unsigned 51-bit limbs, value = Σ limb[i]·2^(51·i). Every operation
// returns limbs below 2^52 ("loosely reduced"), which keeps each 51×51-bit product sum
// inside 128 bits; only `encoded()` reduces fully. Nothing branches or indexes memory on
// an element's value, so the arithmetic runs in time independent of secrets.

/// An element of GF(2^255 - 19).
internal struct FieldElement: Sendable {
    internal var l0: UInt64
    internal var l1: UInt64
    internal var l2: UInt64
    internal var l3: UInt64
    internal var l4: UInt64

    /// The low 51 bits.
    internal static let mask: UInt64 = (1 << 51) - 1

    @inline(__always)
    internal init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
        self.l4 = l4
    }

    internal static let zero = FieldElement(0, 0, 0, 0, 0)
    internal static let one = FieldElement(1, 0, 0, 0, 0)

    /// The curve constant d = -121665/121666.
    internal static let d = FieldElement(
        0x3_4dca_1359_78a3, 0x1_a828_3b15_6ebd, 0x5_e7a2_6001_c029, 0x7_39c6_63a0_3cbb, 0x5_2036_cee2_b6ff
    )
    /// 2·d, used by point addition.
    internal static let d2 = FieldElement(
        0x6_9b94_26b2_f159, 0x3_5050_762a_dd7a, 0x3_cf44_c003_8052, 0x6_738c_c740_7977, 0x2_406d_9dc5_6dff
    )
    /// A square root of -1 (2^((p-1)/4)).
    internal static let sqrtMinusOne = FieldElement(
        0x6_1b27_4a0e_a0b0, 0x0_d5a5_fc8f_189d, 0x7_ef5e_9cbd_0c60, 0x7_8595_a680_4c9e, 0x2_b832_4804_fc1d
    )

    /// Decodes 32 little-endian bytes, ignoring the top bit (bit 255). The value may be ≥ p.
    internal init(bytes: UnsafeRawBufferPointer) {
        let w0 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let w1 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let w2 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let w3 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        self.init(
            w0 & Self.mask,
            (w0 >> 51 | w1 << 13) & Self.mask,
            (w1 >> 38 | w2 << 26) & Self.mask,
            (w2 >> 25 | w3 << 39) & Self.mask,
            (w3 >> 12) & Self.mask
        )
    }

    /// The canonical 32-byte little-endian encoding (fully reduced below p).
    internal func encoded() -> (UInt64, UInt64, UInt64, UInt64) {
        var h = self.carried()
        // h < 2^255 + 2^13 now. q = 1 exactly when h ≥ p, found by propagating h + 19.
        var q = (h.l0 &+ 19) >> 51
        q = (h.l1 &+ q) >> 51
        q = (h.l2 &+ q) >> 51
        q = (h.l3 &+ q) >> 51
        q = (h.l4 &+ q) >> 51
        h.l0 &+= 19 &* q
        h.l1 &+= h.l0 >> 51
        h.l0 &= Self.mask
        h.l2 &+= h.l1 >> 51
        h.l1 &= Self.mask
        h.l3 &+= h.l2 >> 51
        h.l2 &= Self.mask
        h.l4 &+= h.l3 >> 51
        h.l3 &= Self.mask
        h.l4 &= Self.mask // drops 2^255, i.e. subtracts p together with the +19 above
        return (
            (h.l0 | h.l1 << 51).littleEndian,
            (h.l1 >> 13 | h.l2 << 38).littleEndian,
            (h.l2 >> 26 | h.l3 << 25).littleEndian,
            (h.l3 >> 39 | h.l4 << 12).littleEndian
        )
    }

    /// The low bit of the canonical value: the "sign" of x in a point encoding.
    internal var isNegative: UInt64 {
        encoded().0.littleEndian & 1
    }

    /// All-ones if the canonical value is zero, else zero.
    internal var isZeroMask: UInt64 {
        let e = encoded()
        let bits = e.0 | e.1 | e.2 | e.3
        // (bits | -bits) has its top bit set exactly when bits != 0.
        return ((bits | (0 &- bits)) >> 63) &- 1
    }

    /// Propagates carries so every limb is below 2^51 + 2^13.
    @inline(__always)
    internal func carried() -> FieldElement {
        var r = self
        r.l1 &+= r.l0 >> 51
        r.l0 &= Self.mask
        r.l2 &+= r.l1 >> 51
        r.l1 &= Self.mask
        r.l3 &+= r.l2 >> 51
        r.l2 &= Self.mask
        r.l4 &+= r.l3 >> 51
        r.l3 &= Self.mask
        r.l0 &+= 19 &* (r.l4 >> 51)
        r.l4 &= Self.mask
        return r
    }

    @inline(__always)
    internal static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4).carried()
    }

    /// a - b, computed as a + 2p - b so no limb underflows (b's limbs are below 2^52 - 38).
    @inline(__always)
    internal static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(
            (a.l0 &+ 0xf_ffff_ffff_ffda) &- b.l0,
            (a.l1 &+ 0xf_ffff_ffff_fffe) &- b.l1,
            (a.l2 &+ 0xf_ffff_ffff_fffe) &- b.l2,
            (a.l3 &+ 0xf_ffff_ffff_fffe) &- b.l3,
            (a.l4 &+ 0xf_ffff_ffff_fffe) &- b.l4
        ).carried()
    }

    @inline(__always)
    internal static prefix func - (a: FieldElement) -> FieldElement {
        zero - a
    }

    internal static func * (f: FieldElement, g: FieldElement) -> FieldElement {
        let g1x19 = g.l1 &* 19
        let g2x19 = g.l2 &* 19
        let g3x19 = g.l3 &* 19
        let g4x19 = g.l4 &* 19
        var r0 = Wide(f.l0, g.l0)
        r0.add(f.l1, g4x19)
        r0.add(f.l2, g3x19)
        r0.add(f.l3, g2x19)
        r0.add(f.l4, g1x19)
        var r1 = Wide(f.l0, g.l1)
        r1.add(f.l1, g.l0)
        r1.add(f.l2, g4x19)
        r1.add(f.l3, g3x19)
        r1.add(f.l4, g2x19)
        var r2 = Wide(f.l0, g.l2)
        r2.add(f.l1, g.l1)
        r2.add(f.l2, g.l0)
        r2.add(f.l3, g4x19)
        r2.add(f.l4, g3x19)
        var r3 = Wide(f.l0, g.l3)
        r3.add(f.l1, g.l2)
        r3.add(f.l2, g.l1)
        r3.add(f.l3, g.l0)
        r3.add(f.l4, g4x19)
        var r4 = Wide(f.l0, g.l4)
        r4.add(f.l1, g.l3)
        r4.add(f.l2, g.l2)
        r4.add(f.l3, g.l1)
        r4.add(f.l4, g.l0)
        return reduce(r0, r1, r2, r3, r4)
    }

    /// self², with the symmetric products computed once.
    internal func squared() -> FieldElement {
        let f0x2 = l0 &* 2
        let f1x2 = l1 &* 2
        let f1x38 = l1 &* 38
        let f2x38 = l2 &* 38
        let f3x38 = l3 &* 38
        let f3x19 = l3 &* 19
        let f4x19 = l4 &* 19
        var r0 = Wide(l0, l0)
        r0.add(f1x38, l4)
        r0.add(f2x38, l3)
        var r1 = Wide(f0x2, l1)
        r1.add(f2x38, l4)
        r1.add(f3x19, l3)
        var r2 = Wide(f0x2, l2)
        r2.add(l1, l1)
        r2.add(f3x38, l4)
        var r3 = Wide(f0x2, l3)
        r3.add(f1x2, l2)
        r3.add(f4x19, l4)
        var r4 = Wide(f0x2, l4)
        r4.add(f1x2, l3)
        r4.add(l2, l2)
        return FieldElement.reduce(r0, r1, r2, r3, r4)
    }

    /// self^(2^count).
    internal func squared(times count: Int) -> FieldElement {
        var r = self
        for _ in 0..<count { r = r.squared() }
        return r
    }

    /// Carries five 128-bit column sums back into loosely reduced limbs.
    @inline(__always)
    private static func reduce(_ r0: Wide, _ r1: Wide, _ r2: Wide, _ r3: Wide, _ r4: Wide) -> FieldElement {
        var r1 = r1
        var r2 = r2
        var r3 = r3
        var r4 = r4
        r1.add(r0.shiftedRight51)
        r2.add(r1.shiftedRight51)
        r3.add(r2.shiftedRight51)
        r4.add(r3.shiftedRight51)
        // r4 has no ×19 terms, so its carry is below 2^58 and ×19 still fits in 64 bits.
        var h0 = (r0.low & mask) &+ 19 &* r4.shiftedRight51
        var h1 = r1.low & mask
        h1 &+= h0 >> 51
        h0 &= mask
        return FieldElement(h0, h1, r2.low & mask, r3.low & mask, r4.low & mask)
    }

    /// self^(p-2) = self^-1 (and 0 for 0), by the usual addition chain of 254 squarings and 11 multiplications.
    internal func inverted() -> FieldElement {
        let (z11, z2to250minus1) = powerChain()
        return z2to250minus1.squared(times: 5) * z11 // z^(2^255 - 32 + 11) = z^(p - 2)
    }

    /// self^((p-5)/8) = self^(2^252 - 3), for square roots.
    internal func raisedToPMinus5Over8() -> FieldElement {
        let (_, z2to250minus1) = powerChain()
        return z2to250minus1.squared(times: 2) * self // z^(2^252 - 4 + 1)
    }

    /// Returns (z^11, z^(2^250 - 1)), the shared prefix of the inversion and square-root chains.
    private func powerChain() -> (FieldElement, FieldElement) {
        let z2 = squared()
        let z9 = z2.squared(times: 2) * self
        let z11 = z9 * z2
        let z2to5minus1 = z11.squared() * z9 // z^31
        let z2to10minus1 = z2to5minus1.squared(times: 5) * z2to5minus1
        let z2to20minus1 = z2to10minus1.squared(times: 10) * z2to10minus1
        let z2to40minus1 = z2to20minus1.squared(times: 20) * z2to20minus1
        let z2to50minus1 = z2to40minus1.squared(times: 10) * z2to10minus1
        let z2to100minus1 = z2to50minus1.squared(times: 50) * z2to50minus1
        let z2to200minus1 = z2to100minus1.squared(times: 100) * z2to100minus1
        let z2to250minus1 = z2to200minus1.squared(times: 50) * z2to50minus1
        return (z11, z2to250minus1)
    }

    /// Returns `b` where `mask` is all-ones and `a` where it is zero, without branching.
    @inline(__always)
    internal static func select(_ a: FieldElement, _ b: FieldElement, mask: UInt64) -> FieldElement {
        FieldElement(
            a.l0 ^ (mask & (a.l0 ^ b.l0)),
            a.l1 ^ (mask & (a.l1 ^ b.l1)),
            a.l2 ^ (mask & (a.l2 ^ b.l2)),
            a.l3 ^ (mask & (a.l3 ^ b.l3)),
            a.l4 ^ (mask & (a.l4 ^ b.l4))
        )
    }

    /// Canonical equality (not constant-time; used only on public values).
    internal func isEqual(to other: FieldElement) -> Bool {
        let a = encoded()
        let b = other.encoded()
        return a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3
    }
}

/// A 128-bit accumulator for sums of 64×64-bit products.
internal struct Wide {
    internal var high: UInt64
    internal var low: UInt64

    @inline(__always)
    internal init(_ a: UInt64, _ b: UInt64) {
        (high, low) = a.multipliedFullWidth(by: b)
    }

    /// Adds a·b.
    @inline(__always)
    internal mutating func add(_ a: UInt64, _ b: UInt64) {
        let (productHigh, productLow) = a.multipliedFullWidth(by: b)
        let (sum, carry) = low.addingReportingOverflow(productLow)
        low = sum
        high &+= productHigh &+ (carry ? 1 : 0)
    }

    /// Adds a 64-bit value.
    @inline(__always)
    internal mutating func add(_ value: UInt64) {
        let (sum, carry) = low.addingReportingOverflow(value)
        low = sum
        high &+= carry ? 1 : 0
    }

    /// The accumulator shifted right by 51 bits; callers keep sums below 2^115 so it fits in 64.
    @inline(__always)
    internal var shiftedRight51: UInt64 {
        high << 13 | low >> 51
    }
}
