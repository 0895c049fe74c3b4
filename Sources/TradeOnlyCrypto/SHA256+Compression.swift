// The SHA-256 block function (FIPS 180-4, section 6.2.2).
//
// Written for speed without unsafe compiler flags: the state and the 16-word message
// schedule live in local variables (registers), blocks are read straight from the
// caller's memory, all arithmetic wraps, and the 64 rounds run as four groups of 16
// unrolled rounds whose variable roles rotate instead of shuffling values.

extension SHA256 {
    /// The SHA-256 chaining state.
    internal struct Compressor: BlockCompressor {
        static var blockByteCount: Int { 64 }
        static var lengthFieldByteCount: Int { 8 }
        static var emptyBlock: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) {
            (0, 0, 0, 0, 0, 0, 0, 0)
        }

        private var h0: UInt32 = 0x6a09_e667
        private var h1: UInt32 = 0xbb67_ae85
        private var h2: UInt32 = 0x3c6e_f372
        private var h3: UInt32 = 0xa54f_f53a
        private var h4: UInt32 = 0x510e_527f
        private var h5: UInt32 = 0x9b05_688c
        private var h6: UInt32 = 0x1f83_d9ab
        private var h7: UInt32 = 0x5be0_cd19

        init() {}

        func write(to output: UnsafeMutableRawBufferPointer) {
            guard output.count >= 32 else { return }
            output.storeBytes(of: h0.bigEndian, toByteOffset: 0, as: UInt32.self)
            output.storeBytes(of: h1.bigEndian, toByteOffset: 4, as: UInt32.self)
            output.storeBytes(of: h2.bigEndian, toByteOffset: 8, as: UInt32.self)
            output.storeBytes(of: h3.bigEndian, toByteOffset: 12, as: UInt32.self)
            output.storeBytes(of: h4.bigEndian, toByteOffset: 16, as: UInt32.self)
            output.storeBytes(of: h5.bigEndian, toByteOffset: 20, as: UInt32.self)
            output.storeBytes(of: h6.bigEndian, toByteOffset: 24, as: UInt32.self)
            output.storeBytes(of: h7.bigEndian, toByteOffset: 28, as: UInt32.self)
        }

        mutating func compress(_ blocks: UnsafeRawBufferPointer) {
            SHA256.roundConstants.withUnsafeBufferPointer { k in
                compress(blocks, k)
            }
        }

        // swiftlint:disable:next function_body_length
        private mutating func compress(_ blocks: UnsafeRawBufferPointer, _ k: UnsafeBufferPointer<UInt32>) {
            var a = h0
            var b = h1
            var c = h2
            var d = h3
            var e = h4
            var f = h5
            var g = h6
            var h = h7
            var offset = 0
            while offset + 64 <= blocks.count {
                @inline(__always) func word(_ index: Int) -> UInt32 {
                    blocks.loadUnaligned(fromByteOffset: offset + index * 4, as: UInt32.self).bigEndian
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
                    if round == 64 { break }
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
                offset += 64
            }
        }
    }

    /// The 64 round constants: the first 32 bits of the fractional parts of the cube roots
    /// of the first 64 primes.
    internal static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

/// One SHA-256 round. `d` and `h` are the only words a round changes; the callers rotate
/// which variables play which role, so the usual eight-way shuffle never happens.
@inline(__always)
private func step(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
    _ constantPlusWord: UInt32
) {
    let choose = g ^ (e & (f ^ g))
    let majority = (a & b) | (c & (a | b))
    let temporary1 = h &+ bigSigma1(e) &+ choose &+ constantPlusWord
    let temporary2 = bigSigma0(a) &+ majority
    d = d &+ temporary1
    h = temporary1 &+ temporary2
}

@inline(__always) private func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
}

/// Σ0 of FIPS 180-4 (4.4).
@inline(__always) private func bigSigma0(_ x: UInt32) -> UInt32 {
    rotateRight(x, 2) ^ rotateRight(x, 13) ^ rotateRight(x, 22)
}

/// Σ1 of FIPS 180-4 (4.5).
@inline(__always) private func bigSigma1(_ x: UInt32) -> UInt32 {
    rotateRight(x, 6) ^ rotateRight(x, 11) ^ rotateRight(x, 25)
}

/// σ0 of FIPS 180-4 (4.6).
@inline(__always) private func sigma0(_ x: UInt32) -> UInt32 {
    rotateRight(x, 7) ^ rotateRight(x, 18) ^ (x &>> 3)
}

/// σ1 of FIPS 180-4 (4.7).
@inline(__always) private func sigma1(_ x: UInt32) -> UInt32 {
    rotateRight(x, 17) ^ rotateRight(x, 19) ^ (x &>> 10)
}
