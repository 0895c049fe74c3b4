import Testing

@testable import TradeOnly

/// Ways a piece of text gets percent-encoded on its way into a log line.
private enum Encoding: CaseIterable {
    case plain
    /// Every byte outside RFC 3986's unreserved set.
    case reserved
    /// Every byte, letters included.
    case everything
    /// Each byte with probability one half.
    case someBytes

    /// `text` encoded this way, with upper- or lower-case hex chosen per escape.
    func apply(_ text: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var output: [UInt8] = []
        for byte in text {
            let encode: Bool
            switch self {
            case .plain: encode = false
            case .reserved: encode = !PercentEncoding.isUnreserved(byte)
            case .everything: encode = true
            case .someBytes: encode = Bool.random(using: &generator)
            }
            guard encode else {
                output.append(byte)
                continue
            }
            let digits = Array((Bool.random(using: &generator) ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
            output += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
        return output
    }
}

/// A piece of text encoded `depth` times (0 to 3), each time with a random encoding other than plain.
private func encode(_ text: String, depth: Int, using generator: inout SeededGenerator) -> String {
    var bytes = Array(text.utf8)
    for _ in 0..<depth {
        let encoding = [Encoding.reserved, .everything, .someBytes].randomElement(using: &generator) ?? .reserved
        var encoded = encoding.apply(bytes, using: &generator)
        if encoded == bytes {
            // `someBytes` may have encoded nothing: a layer must change something.
            encoded = Encoding.reserved.apply(bytes, using: &generator)
        }
        bytes = encoded
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func randomSecret(using generator: inout SeededGenerator) -> String {
    let alphabets = [
        "0123456789abcdef",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!*",
    ]
    let alphabet = Array(alphabets.randomElement(using: &generator) ?? alphabets[0])
    let length = Int.random(in: 16...64, using: &generator)
    return String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
}

/// Fully percent-decoded, lower-cased: the form in which a secret must not survive.
private func decodedForSearch(_ text: String) -> String {
    String(decoding: PercentEncoding.bestEffortDecode(Array(text.utf8), maximumLayers: 8), as: UTF8.self).lowercased()
}

/// Ordinary words, none of them a sensitive name on its own.
private let vocabulary = [
    "symbol=BTCUSDT", "side=BUY", "price=30000.5", "quantity=0.001", "timestamp=1700000000000", "recvWindow=5000",
    "order", "placed", "monkey:", "banana,", "keyboard=1", "signed", "designature=3", "signatures=2", "mysign=4",
    "apiKeys", "passphrases", "50%", "100%%", "%zz", "a%2", "(ok)", "[x]", "{\"code\":-1021}", "\"msg\":\"Timestamp\"",
    "GET", "/api/v3/order?", "&", "HTTP/1.1", "\r\n", "Accept: */*", "Content-Type: application/json", "这个", "✓",
]

private func ordinaryText(using generator: inout SeededGenerator) -> String {
    (0..<Int.random(in: 1...12, using: &generator)).map { _ in
        let word = vocabulary.randomElement(using: &generator) ?? "x"
        return encode(word, depth: Int.random(in: 0...2, using: &generator), using: &generator)
    }.joined(separator: [" ", "&", ", "].randomElement(using: &generator) ?? " ")
}

@Suite("Redaction of percent-encoded and known secrets")
struct RedactionEncodingTests {
    /// The sensitive items of the brief: name part, separator, value part, end.
    static let shapes: [(name: String, separator: String, end: String)] = [
        ("signature", "=", "&recvWindow=5000"),
        ("apiKey", "=", " HTTP/1.1"),
        ("X-MBX-APIKEY", ": ", "\r\nAccept: */*"),
        ("\"apiKey\"", ":", ",\"symbol\":\"BTCUSDT\"}"),
    ]

    @Test("randomised: a value after a sensitive name never survives, in plain, percent-encoded or doubly encoded form")
    func encodedValuesNeverSurvive() async {
        var generator = SeededGenerator(state: 0x00C0_FFEE)
        for round in 0..<600 {
            if round % 50 == 0 { await Task.yield() } // CPU-bound: leave the shared pool to others now and then
            let shape = Self.shapes[round % Self.shapes.count]
            let secret = randomSecret(using: &generator)
            let value = shape.name.hasPrefix("\"") ? "\"\(secret)\"" : secret
            // Name, separator and value encoded together or each to its own depth.
            let together = Bool.random(using: &generator)
            let depth = Int.random(in: 0...3, using: &generator)
            func part(_ text: String) -> String {
                encode(text, depth: together ? depth : Int.random(in: 0...3, using: &generator), using: &generator)
            }
            let item =
                together
                ? encode(shape.name + shape.separator + value + shape.end, depth: depth, using: &generator)
                : part(shape.name) + part(shape.separator) + part(value) + part(shape.end)
            let prefix = Bool.random(using: &generator) ? ordinaryText(using: &generator) + " " : ""
            let suffix = Bool.random(using: &generator) ? " " + ordinaryText(using: &generator) : ""
            let text = prefix + item + suffix

            for (function, redacted) in [("redactText", Redaction.redactText(text)), ("redactQuery", Redaction.redactQuery(text))]
            where function == "redactText" || shape.separator == "=" {
                #expect(!redacted.lowercased().contains(secret.lowercased()), "round \(round), \(function): \(text) → \(redacted)")
                #expect(!decodedForSearch(redacted).contains(secret.lowercased()), "round \(round), \(function): \(text) → \(redacted)")
                #expect(redacted.contains(Redaction.placeholder), "round \(round), \(function): \(text)")
            }
        }
    }

    @Test(
        "the brief's examples",
        arguments: [
            ("signature%3Dabc123", "signature%3D<redacted>"),
            ("%73ignature=abc123&x=1", "%73ignature=<redacted>&x=1"),
            ("apiKey%3Dabc123%26x%3D1", "apiKey%3D<redacted>"),
            ("signature%253Dabc123%2526x", "signature%253D<redacted>"),
            ("X-MBX-APIKEY%3A%20vmPUZE6mv9SD%0D%0A", "X-MBX-APIKEY%3A%20<redacted>"),
            (
                "%7B%22apiKey%22%3A%22k1k1k1k1%22%2C%22symbol%22%3A%22BTCUSDT%22%7D",
                "%7B%22apiKey%22%3A%22<redacted>%22%2C%22symbol%22%3A%22BTCUSDT%22%7D"
            ),
            ("%2573ignature%253Dab%2520cd rest", "%2573ignature%253D<redacted> rest"),
            ("%73ignature=ab%2520cd rest", "%73ignature=<redacted> rest"),
            ("sig%6Eature%3dABC", "sig%6Eature%3d<redacted>"),
        ])
    func examples(input: String, expected: String) {
        #expect(Redaction.redactText(input) == expected)
    }

    @Test(
        "redactQuery finds items encoded as a whole, and keeps the others byte for byte",
        arguments: [
            ("symbol=BTCUSDT&signature%3Dabc", "symbol=BTCUSDT&signature%3D<redacted>"),
            ("x=a%26signature%3Dabc&y=2", "x=a%26signature%3D<redacted>&y=2"),
            ("x=a%2526signature%253Dabc&y=2", "x=a%2526signature%253D<redacted>&y=2"),
            ("%73ignature=abc&x=%E8%BF%99", "%73ignature=<redacted>&x=%E8%BF%99"),
            ("signature=", "signature=<redacted>"),
            ("note=KEY:abc", "note=KEY:<redacted>"),
            ("a=1&b=2 signature=abc", "a=1&b=2 signature=<redacted>"),
        ])
    func queries(input: String, expected: String) {
        #expect(Redaction.redactQuery(input) == expected)
    }

    @Test("randomised: ordinary text, encoded or not, is left exactly as it is")
    func ordinaryTextUnchanged() async {
        var generator = SeededGenerator(state: 0x0DD_BA11)
        let secret = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
        for round in 0..<500 {
            if round % 50 == 0 { await Task.yield() }
            let text = ordinaryText(using: &generator)
            #expect(Redaction.redactText(text) == text, "round \(round): \(text)")
            #expect(Redaction.redactQuery(text) == text, "round \(round): \(text)")
            #expect(Redaction.redactText(text, removing: [secret, "", "short"]) == text, "round \(round): \(text)")
        }
    }

    @Test("randomised: a known secret never survives, wherever it is and however it is encoded")
    func knownSecretsNeverSurvive() async {
        var generator = SeededGenerator(state: 0x5EC2_E75)
        for round in 0..<400 {
            if round % 50 == 0 { await Task.yield() }
            let secrets = (0..<Int.random(in: 1...3, using: &generator)).map { _ in randomSecret(using: &generator) }
            let chosen = secrets.randomElement(using: &generator) ?? secrets[0]
            var form = chosen
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: form = chosen.uppercased()
            case 1: form = chosen.replacingOccurrences(of: "/", with: "\\/")
            default: break
            }
            let encoded = encode(form, depth: Int.random(in: 0...3, using: &generator), using: &generator)
            let text =
                ordinaryText(using: &generator) + [" ", "=", ":", "", "\""].randomElement(using: &generator)!
                + encoded + [" ", "&", "", "\"", ")"].randomElement(using: &generator)! + ordinaryText(using: &generator)
            let redacted = Redaction.redactText(text, removing: secrets)
            #expect(!redacted.lowercased().contains(chosen.lowercased()), "round \(round): \(text) → \(redacted)")
            #expect(!decodedForSearch(redacted).contains(chosen.lowercased()), "round \(round): \(text) → \(redacted)")
            let unescaped = decodedForSearch(redacted).replacingOccurrences(of: "\\/", with: "/")
            #expect(!unescaped.contains(chosen.lowercased()), "round \(round): \(text) → \(redacted)")
        }
    }

    @Test("known secrets: every form is replaced, the masked key and short secrets are left alone")
    func knownSecretExamples() {
        let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
        let secret = "Nhq+Ptmd/SJYd=KjVH"
        let text =
            "key \(key), masked vmPU…Eh8A, encoded \(PercentEncoding.encode(secret)), lower %6e%68%71%2b, "
            + "json \"Nhq+Ptmd\\/SJYd=KjVH\", upper \(key.uppercased()), double Nhq%252BPtmd%252FSJYd%253DKjVH, short pass"
        let redacted = Redaction.redactText(text, removing: [key, secret, "pass", ""])
        #expect(
            redacted == "key <redacted>, masked vmPU…Eh8A, encoded <redacted>, lower %6e%68%71%2b, "
                + "json \"<redacted>\", upper <redacted>, double <redacted>, short pass")
        #expect(Redaction.redactText("pass word", removing: ["pass"]) == "pass word")
        #expect(Redaction.redactText("my secret passphrase=x", removing: ["my secret"]) == "<redacted> passphrase=<redacted>")
        #expect(Redaction.redactText("my+secret!", removing: ["my secret"]) == "<redacted>!")
        #expect(Redaction.minimumSecretLength == 8)
    }

    @Test("redaction of ordinary log lines stays fast (linear, one pass without %)")
    func ordinaryLinesAreCheap() {
        let line = String(repeating: "GET /api/v3/ticker/price?symbol=BTCUSDT 200 12ms ", count: 500)
        #expect(Redaction.redactText(line) == line)
        let encoded = String(repeating: "x=%E8%BF%99%20y ", count: 1000)
        #expect(Redaction.redactText(encoded) == encoded)
        #expect(RedactionScanner.layers(of: Array(line.utf8)).count == 1)
    }
}
