/// A small seeded generator (a 64-bit LCG, high bits) for the modules' randomised table tests.
package struct TableRandom {
    private var state: UInt64

    /// A generator starting from `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next value.
    package mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 17
    }

    /// A parameter name an endpoint must refuse: on even rounds one of `vocabulary`, on odd rounds a
    /// made-up name of 1 to 10 letters, or `nil` when the made-up name happens to be in `accepted`.
    package mutating func extraName(round: Int, vocabulary: [String], avoiding accepted: Set<String>) -> String? {
        if round % 2 == 0 { return vocabulary[Int(next() % UInt64(vocabulary.count))] }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let count = 1 + Int(next() % 10)
        var bytes: [UInt8] = []
        for _ in 0..<count { bytes.append(letters[Int(next() % UInt64(letters.count))]) }
        let name = String(decoding: bytes, as: UTF8.self)
        return accepted.contains(name) ? nil : name
    }
}
