// The SHA-512 block function (FIPS 180-4, section 6.4.2).
//
// The same shape as SHA-256's: state and the 16-word schedule in local variables, blocks
// read in place, wrapping arithmetic, and 80 rounds as five groups of 16 unrolled rounds
// whose variable roles rotate.

extension SHA512 {
    /// The SHA-512 chaining state.
    internal struct Compressor: BlockCompressor {
        static var blockByteCount: Int { 128 }
        static var lengthFieldByteCount: Int { 16 }
        static var emptyBlock:
            (
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
            )
        {
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        }

        private var h0: UInt64 = 0x6a09_e667_f3bc_c908
        private var h1: UInt64 = 0xbb67_ae85_84ca_a73b
        private var h2: UInt64 = 0x3c6e_f372_fe94_f82b
        private var h3: UInt64 = 0xa54f_f53a_5f1d_36f1
        private var h4: UInt64 = 0x510e_527f_ade6_82d1
        private var h5: UInt64 = 0x9b05_688c_2b3e_6c1f
        private var h6: UInt64 = 0x1f83_d9ab_fb41_bd6b
        private var h7: UInt64 = 0x5be0_cd19_137e_2179

        init() {}

        func write(to output: UnsafeMutableRawBufferPointer) {
            guard output.count >= 64 else { return }
            output.storeBytes(of: h0.bigEndian, toByteOffset: 0, as: UInt64.self)
            output.storeBytes(of: h1.bigEndian, toByteOffset: 8, as: UInt64.self)
            output.storeBytes(of: h2.bigEndian, toByteOffset: 16, as: UInt64.self)
            output.storeBytes(of: h3.bigEndian, toByteOffset: 24, as: UInt64.self)
            output.storeBytes(of: h4.bigEndian, toByteOffset: 32, as: UInt64.self)
            output.storeBytes(of: h5.bigEndian, toByteOffset: 40, as: UInt64.self)
            output.storeBytes(of: h6.bigEndian, toByteOffset: 48, as: UInt64.self)
            output.storeBytes(of: h7.bigEndian, toByteOffset: 56, as: UInt64.self)
        }

        mutating func compress(_ blocks: UnsafeRawBufferPointer) {
            SHA512.roundConstants.withUnsafeBufferPointer { k in
                compress(blocks, k)
            }
        }

        // swiftlint:disable:next function_body_length
        private mutating func compress(_ blocks: UnsafeRawBufferPointer, _ k: UnsafeBufferPointer<UInt64>) {
            var a = h0
            var b = h1
            var c = h2
            var d = h3
            var e = h4
            var f = h5
            var g = h6
            var h = h7
            var offset = 0
            while offset + 128 <= blocks.count {
                @inline(__always) func word(_ index: Int) -> UInt64 {
                    blocks.loadUnaligned(fromByteOffset: offset + index * 8, as: UInt64.self).bigEndian
                }
                var w0 = word(0)
                var w1 = word(1)
                var w2 = word(2)
                var w3 = word(3)
                var w4 = word(4)
                var w5 = word(5)
                var w6 = word(6)
                var w7 = word(7)
                var w8 = word(8)
                var w9 = word(9)
                var w10 = word(10)
                var w11 = word(11)
                var w12 = word(12)
                var w13 = word(13)
                var w14 = word(14)
                var w15 = word(15)

                var round = 0
                while true {
                    // 16 rounds; each call rotates the roles of a...h by one position.
                    step(a, b, c, &d, e, f, g, &h, k[round + 0] &+ w0)
                    step(h, a, b, &c, d, e, f, &g, k[round + 1] &+ w1)
                    step(g, h, a, &b, c, d, e, &f, k[round + 2] &+ w2)
                    step(f, g, h, &a, b, c, d, &e, k[round + 3] &+ w3)
                    step(e, f, g, &h, a, b, c, &d, k[round + 4] &+ w4)
                    step(d, e, f, &g, h, a, b, &c, k[round + 5] &+ w5)
                    step(c, d, e, &f, g, h, a, &b, k[round + 6] &+ w6)
                    step(b, c, d, &e, f, g, h, &a, k[round + 7] &+ w7)
                    step(a, b, c, &d, e, f, g, &h, k[round + 8] &+ w8)
                    step(h, a, b, &c, d, e, f, &g, k[round + 9] &+ w9)
                    step(g, h, a, &b, c, d, e, &f, k[round + 10] &+ w10)
                    step(f, g, h, &a, b, c, d, &e, k[round + 11] &+ w11)
                    step(e, f, g, &h, a, b, c, &d, k[round + 12] &+ w12)
                    step(d, e, f, &g, h, a, b, &c, k[round + 13] &+ w13)
                    step(c, d, e, &f, g, h, a, &b, k[round + 14] &+ w14)
                    step(b, c, d, &e, f, g, h, &a, k[round + 15] &+ w15)
                    round += 16
                    if round == 80 { break }
                    // The next 16 schedule words: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
                    w0 = w0 &+ sigma1(w14) &+ w9 &+ sigma0(w1)
                    w1 = w1 &+ sigma1(w15) &+ w10 &+ sigma0(w2)
                    w2 = w2 &+ sigma1(w0) &+ w11 &+ sigma0(w3)
                    w3 = w3 &+ sigma1(w1) &+ w12 &+ sigma0(w4)
                    w4 = w4 &+ sigma1(w2) &+ w13 &+ sigma0(w5)
                    w5 = w5 &+ sigma1(w3) &+ w14 &+ sigma0(w6)
                    w6 = w6 &+ sigma1(w4) &+ w15 &+ sigma0(w7)
                    w7 = w7 &+ sigma1(w5) &+ w0 &+ sigma0(w8)
                    w8 = w8 &+ sigma1(w6) &+ w1 &+ sigma0(w9)
                    w9 = w9 &+ sigma1(w7) &+ w2 &+ sigma0(w10)
                    w10 = w10 &+ sigma1(w8) &+ w3 &+ sigma0(w11)
                    w11 = w11 &+ sigma1(w9) &+ w4 &+ sigma0(w12)
                    w12 = w12 &+ sigma1(w10) &+ w5 &+ sigma0(w13)
                    w13 = w13 &+ sigma1(w11) &+ w6 &+ sigma0(w14)
                    w14 = w14 &+ sigma1(w12) &+ w7 &+ sigma0(w15)
                    w15 = w15 &+ sigma1(w13) &+ w8 &+ sigma0(w0)
                }
                h0 = h0 &+ a
                a = h0
                h1 = h1 &+ b
                b = h1
                h2 = h2 &+ c
                c = h2
                h3 = h3 &+ d
                d = h3
                h4 = h4 &+ e
                e = h4
                h5 = h5 &+ f
                f = h5
                h6 = h6 &+ g
                g = h6
                h7 = h7 &+ h
                h = h7
                offset += 128
            }
        }
    }

    /// The 80 round constants: the first 64 bits of the fractional parts of the cube roots
    /// of the first 80 primes.
    internal static let roundConstants: [UInt64] = [
        0x428a_2f98_d728_ae22, 0x7137_4491_23ef_65cd, 0xb5c0_fbcf_ec4d_3b2f, 0xe9b5_dba5_8189_dbbc,
        0x3956_c25b_f348_b538, 0x59f1_11f1_b605_d019, 0x923f_82a4_af19_4f9b, 0xab1c_5ed5_da6d_8118,
        0xd807_aa98_a303_0242, 0x1283_5b01_4570_6fbe, 0x2431_85be_4ee4_b28c, 0x550c_7dc3_d5ff_b4e2,
        0x72be_5d74_f27b_896f, 0x80de_b1fe_3b16_96b1, 0x9bdc_06a7_25c7_1235, 0xc19b_f174_cf69_2694,
        0xe49b_69c1_9ef1_4ad2, 0xefbe_4786_384f_25e3, 0x0fc1_9dc6_8b8c_d5b5, 0x240c_a1cc_77ac_9c65,
        0x2de9_2c6f_592b_0275, 0x4a74_84aa_6ea6_e483, 0x5cb0_a9dc_bd41_fbd4, 0x76f9_88da_8311_53b5,
        0x983e_5152_ee66_dfab, 0xa831_c66d_2db4_3210, 0xb003_27c8_98fb_213f, 0xbf59_7fc7_beef_0ee4,
        0xc6e0_0bf3_3da8_8fc2, 0xd5a7_9147_930a_a725, 0x06ca_6351_e003_826f, 0x1429_2967_0a0e_6e70,
        0x27b7_0a85_46d2_2ffc, 0x2e1b_2138_5c26_c926, 0x4d2c_6dfc_5ac4_2aed, 0x5338_0d13_9d95_b3df,
        0x650a_7354_8baf_63de, 0x766a_0abb_3c77_b2a8, 0x81c2_c92e_47ed_aee6, 0x9272_2c85_1482_353b,
        0xa2bf_e8a1_4cf1_0364, 0xa81a_664b_bc42_3001, 0xc24b_8b70_d0f8_9791, 0xc76c_51a3_0654_be30,
        0xd192_e819_d6ef_5218, 0xd699_0624_5565_a910, 0xf40e_3585_5771_202a, 0x106a_a070_32bb_d1b8,
        0x19a4_c116_b8d2_d0c8, 0x1e37_6c08_5141_ab53, 0x2748_774c_df8e_eb99, 0x34b0_bcb5_e19b_48a8,
        0x391c_0cb3_c5c9_5a63, 0x4ed8_aa4a_e341_8acb, 0x5b9c_ca4f_7763_e373, 0x682e_6ff3_d6b2_b8a3,
        0x748f_82ee_5def_b2fc, 0x78a5_636f_4317_2f60, 0x84c8_7814_a1f0_ab72, 0x8cc7_0208_1a64_39ec,
        0x90be_fffa_2363_1e28, 0xa450_6ceb_de82_bde9, 0xbef9_a3f7_b2c6_7915, 0xc671_78f2_e372_532b,
        0xca27_3ece_ea26_619c, 0xd186_b8c7_21c0_c207, 0xeada_7dd6_cde0_eb1e, 0xf57d_4f7f_ee6e_d178,
        0x06f0_67aa_7217_6fba, 0x0a63_7dc5_a2c8_98a6, 0x113f_9804_bef9_0dae, 0x1b71_0b35_131c_471b,
        0x28db_77f5_2304_7d84, 0x32ca_ab7b_40c7_2493, 0x3c9e_be0a_15c9_bebc, 0x431d_67c4_9c10_0d4c,
        0x4cc5_d4be_cb3e_42b6, 0x597f_299c_fc65_7e2a, 0x5fcb_6fab_3ad6_faec, 0x6c44_198c_4a47_5817,
    ]
}

/// One SHA-512 round. `d` and `h` are the only words a round changes; the callers rotate
/// which variables play which role.
@inline(__always)
private func step(
    _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: inout UInt64,
    _ e: UInt64, _ f: UInt64, _ g: UInt64, _ h: inout UInt64,
    _ constantPlusWord: UInt64
) {
    let choose = g ^ (e & (f ^ g))
    let majority = (a & b) | (c & (a | b))
    let temporary1 = h &+ bigSigma1(e) &+ choose &+ constantPlusWord
    let temporary2 = bigSigma0(a) &+ majority
    d = d &+ temporary1
    h = temporary1 &+ temporary2
}

@inline(__always) private func rotateRight(_ x: UInt64, _ n: UInt64) -> UInt64 {
    (x &>> n) | (x &<< (64 &- n))
}

/// Σ0 of FIPS 180-4 (4.10).
@inline(__always) private func bigSigma0(_ x: UInt64) -> UInt64 {
    rotateRight(x, 28) ^ rotateRight(x, 34) ^ rotateRight(x, 39)
}

/// Σ1 of FIPS 180-4 (4.11).
@inline(__always) private func bigSigma1(_ x: UInt64) -> UInt64 {
    rotateRight(x, 14) ^ rotateRight(x, 18) ^ rotateRight(x, 41)
}

/// σ0 of FIPS 180-4 (4.12).
@inline(__always) private func sigma0(_ x: UInt64) -> UInt64 {
    rotateRight(x, 1) ^ rotateRight(x, 8) ^ (x &>> 7)
}

/// σ1 of FIPS 180-4 (4.13).
@inline(__always) private func sigma1(_ x: UInt64) -> UInt64 {
    rotateRight(x, 19) ^ rotateRight(x, 61) ^ (x &>> 6)
}
