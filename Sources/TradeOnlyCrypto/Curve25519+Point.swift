// Points of the twisted Edwards curve -x² + y² = 1 + d·x²·y² (edwards25519), in extended
// coordinates (X:Y:Z:T) with x = X/Z, y = Y/Z, x·y = T/Z (Hisil, Wong, Carter, Dawson 2008),
// as used by RFC 8032.

/// A point in extended coordinates.
internal struct EdwardsPoint: Sendable {
    internal var x: FieldElement
    internal var y: FieldElement
    internal var z: FieldElement
    internal var t: FieldElement

    /// The neutral element (0, 1).
    internal static let identity = EdwardsPoint(x: .zero, y: .one, z: .one, t: .zero)

    /// The base point B of RFC 8032: y = 4/5, x even.
    internal static let base = EdwardsPoint(
        x: FieldElement(0x6_2d60_8f25_d51a, 0x4_12a4_b4f6_592a, 0x7_5b71_71a4_b31d, 0x1_ff60_5271_18fe, 0x2_1693_6d3c_d6e5),
        y: FieldElement(0x6_6666_6666_6658, 0x4_cccc_cccc_cccc, 0x1_9999_9999_9999, 0x3_3333_3333_3333, 0x6_6666_6666_6666),
        z: .one,
        t: FieldElement(0x6_8ab3_a5b7_dda3, 0x0_0eea_2a5e_adbb, 0x2_af8d_f483_c27e, 0x3_32b3_7527_4732, 0x6_7875_f0fd_78b7)
    )

    /// Decodes a 32-byte point encoding (RFC 8032, section 5.1.3).
    ///
    /// Fails on a y coordinate that is not canonical (≥ p), on a y with no matching x, and on
    /// the encoding of x = 0 with the sign bit set. Runs in variable time: public inputs only.
    internal init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        let y = FieldElement(bytes: bytes)
        let sign = UInt64(bytes[31] >> 7)
        // Canonical check: re-encoding y must give back the input without its sign bit.
        let canonical = y.encoded()
        let matches = Swift.withUnsafeBytes(of: canonical) { encodedY in
            (0..<31).allSatisfy { encodedY[$0] == bytes[$0] } && encodedY[31] == bytes[31] & 0x7f
        }
        guard matches else { return nil }

        // x² = (y² - 1) / (d·y² + 1) = u / v; x = u·v³·(u·v⁷)^((p-5)/8).
        let y2 = y.squared()
        let u = y2 - .one
        let v = y2 * .d + .one
        let v3 = v.squared() * v
        let v7 = v3.squared() * v
        var x = u * v3 * (u * v7).raisedToPMinus5Over8()
        let vx2 = v * x.squared()
        if vx2.isEqual(to: u) {
            // x is a square root.
        } else if vx2.isEqual(to: -u) {
            x = x * .sqrtMinusOne
        } else {
            return nil
        }
        let xIsZero = x.isZeroMask != 0
        if xIsZero && sign == 1 { return nil }
        if x.isNegative != sign { x = -x }
        self.init(x: x, y: y, z: .one, t: x * y)
    }

    internal init(x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement) {
        self.x = x
        self.y = y
        self.z = z
        self.t = t
    }

    /// The 32-byte encoding: y, with the sign of x in the top bit.
    internal func encoded() -> (UInt64, UInt64, UInt64, UInt64) {
        let inverse = z.inverted()
        let affineX = x * inverse
        let affineY = y * inverse
        var bytes = affineY.encoded()
        bytes.3 = (UInt64(littleEndian: bytes.3) | affineX.isNegative << 63).littleEndian
        return bytes
    }

    /// -P.
    internal var negated: EdwardsPoint {
        EdwardsPoint(x: -x, y: y, z: z, t: -t)
    }

    /// 2P (RFC 8032, section 5.1.4, "dbl-2008-hwcd").
    internal func doubled() -> EdwardsPoint {
        let a = x.squared()
        let b = y.squared()
        let c = z.squared() + z.squared()
        let h = a + b
        let e = h - (x + y).squared()
        let g = a - b
        let f = c + g
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// P + Q, where Q is in cached form (RFC 8032, section 5.1.4, "add-2008-hwcd-3").
    internal static func + (p: EdwardsPoint, q: CachedPoint) -> EdwardsPoint {
        let a = (p.y - p.x) * q.yMinusX
        let b = (p.y + p.x) * q.yPlusX
        let c = p.t * q.t2d
        let d = p.z * q.z2
        let e = b - a
        let f = d - c
        let g = d + c
        let h = b + a
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// P + Q.
    internal static func + (p: EdwardsPoint, q: EdwardsPoint) -> EdwardsPoint {
        p + CachedPoint(q)
    }

    /// [scalar]P for a public scalar, by a 4-bit fixed window. Variable time: verification only.
    internal func multiplied(byPublic scalar: Scalar) -> EdwardsPoint {
        var multiples = [CachedPoint(.identity), CachedPoint(self)]
        var current = self
        for _ in 2..<16 {
            current = current + multiples[1]
            multiples.append(CachedPoint(current))
        }
        var result = EdwardsPoint.identity
        for index in stride(from: 63, through: 0, by: -1) {
            result = result.doubled().doubled().doubled().doubled()
            let nibble = Int(scalar.nibble(index))
            if nibble != 0 { result = result + multiples[nibble] }
        }
        return result
    }

    /// [scalar]B for the base point B, in constant time (for secret scalars).
    ///
    /// The scalar is recoded into 64 signed radix-16 digits in [-8, 8]; digit i selects
    /// |digit|·16^i·B from a precomputed table by scanning the whole row, then negates it
    /// by mask if the digit is negative. No branch or memory index depends on the scalar.
    internal static func baseMultiple(_ scalar: Scalar) -> EdwardsPoint {
        scalar.withSignedRadix16Digits { digits in
            BaseTable.rows.withUnsafeBufferPointer { rows in
                var result = EdwardsPoint.identity
                for index in 0..<64 {
                    result = result + CachedPoint.select(from: rows, row: index, digit: digits[index])
                }
                return result
            }
        }
    }
}

/// A point prepared for addition: (Y + X, Y - X, 2Z, 2d·T).
internal struct CachedPoint: Sendable {
    internal var yPlusX: FieldElement
    internal var yMinusX: FieldElement
    internal var z2: FieldElement
    internal var t2d: FieldElement

    internal init(_ point: EdwardsPoint) {
        yPlusX = point.y + point.x
        yMinusX = point.y - point.x
        z2 = point.z + point.z
        t2d = point.t * .d2
    }

    /// The cached form of the identity.
    internal static let identity = CachedPoint(.identity)

    /// Returns `b` where `mask` is all-ones and `a` where it is zero, without branching.
    @inline(__always)
    internal static func select(_ a: CachedPoint, _ b: CachedPoint, mask: UInt64) -> CachedPoint {
        var r = a
        r.yPlusX = .select(a.yPlusX, b.yPlusX, mask: mask)
        r.yMinusX = .select(a.yMinusX, b.yMinusX, mask: mask)
        r.z2 = .select(a.z2, b.z2, mask: mask)
        r.t2d = .select(a.t2d, b.t2d, mask: mask)
        return r
    }

    /// digit·16^row·B from the base table, in constant time. `digit` is in [-8, 8].
    internal static func select(from rows: UnsafeBufferPointer<CachedPoint>, row: Int, digit: Int8) -> CachedPoint {
        let negative = UInt64(bitPattern: Int64(digit) >> 63) // all-ones if digit < 0
        let magnitude = (UInt64(bitPattern: Int64(digit)) ^ negative) &- negative // |digit|
        var result = CachedPoint.identity
        for multiple in 1...8 {
            let difference = magnitude ^ UInt64(multiple)
            let equal = ((difference | (0 &- difference)) >> 63) &- 1 // all-ones if equal
            result = select(result, rows[row * 8 + multiple - 1], mask: equal)
        }
        // -(Y + X, Y - X, 2Z, 2dT) = (Y - X, Y + X, 2Z, -2dT).
        var negated = result
        negated.yPlusX = result.yMinusX
        negated.yMinusX = result.yPlusX
        negated.t2d = -result.t2d
        return select(result, negated, mask: negative)
    }
}

/// Precomputed multiples of the base point for `EdwardsPoint.baseMultiple(_:)`.
internal enum BaseTable {
    /// Row i, entry j-1 holds j·16^i·B, for i in 0..<64 and j in 1...8 (512 points, ~80 KiB),
    /// computed on first use.
    internal static let rows: [CachedPoint] = {
        var table: [CachedPoint] = []
        table.reserveCapacity(64 * 8)
        var rowBase = EdwardsPoint.base // 16^i·B
        for _ in 0..<64 {
            let cachedBase = CachedPoint(rowBase)
            var multiple = rowBase
            table.append(cachedBase)
            for _ in 2...8 {
                multiple = multiple + cachedBase
                table.append(CachedPoint(multiple))
            }
            rowBase = rowBase.doubled().doubled().doubled().doubled()
        }
        return table
    }()
}
