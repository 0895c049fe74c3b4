import Foundation
import Testing

@testable import TradeOnly

/// The core JSON reader: RFC 8259 exactly, the strict mode's refusals, exact decimals, limits, and typed
/// errors with byte offsets.
@Suite("Core JSON reader")
struct JSONReaderTests {
    private func parse(_ text: String, _ options: JSONReader.Options = .lenient) -> Result<JSONValue, JSONError> {
        Result { () throws(JSONError) -> JSONValue in try JSONValue.parse(Array(text.utf8), options: options) }
    }

    private func reason(_ text: String, _ options: JSONReader.Options = .lenient) -> JSONError.Reason? {
        if case .failure(let error) = parse(text, options) { return error.reason }
        return nil
    }

    private func decimal(_ text: String) -> Decimal? {
        try? JSONReader.read(Array(text.utf8)) { (reader: inout JSONReader) throws(JSONError) in try reader.readDecimal() }
    }

    @Test("RFC 8259 values read as a tree, members in order, numbers as written")
    func tree() throws {
        let value = try JSONValue.parse(Array(#" {"b":[1,-0.50,2E+3,true,false,null],"a":"x\u00e9\/","":{}} "#.utf8))
        #expect(
            value
                == .object([
                    (
                        "b",
                        .array([
                            .number(try #require(JSONNumber("1"))), .number(try #require(JSONNumber("-0.50"))),
                            .number(try #require(JSONNumber("2E+3"))), .bool(true), .bool(false), .null,
                        ])
                    ),
                    ("a", .string("xé/")),
                    ("", .object([])),
                ]))
        #expect(value["a"]?.stringValue == "xé/")
        #expect(value.serialized == #"{"b":[1,-0.50,2E+3,true,false,null],"a":"xé/","":{}}"#)
        // Scalars at the top level are JSON texts too (RFC 8259 §2).
        #expect(try JSONValue.parse(Array("42".utf8)) == .int(42))
        #expect(try JSONValue.parse(Array(#""s""#.utf8)) == .string("s"))
    }

    @Test(
        "malformed texts are refused with the reason and the offending byte",
        arguments: [
            ("", JSONError.Reason.unexpectedEnd, 0), ("   ", .unexpectedEnd, 3), ("{", .unexpectedEnd, 1),
            (#"{"a":1,}"#, .unexpectedByte, 7), (#"[1,]"#, .unexpectedByte, 3), (#"[1 2]"#, .unexpectedByte, 3),
            (#"{"a" 1}"#, .unexpectedByte, 5), (#"{a:1}"#, .unexpectedByte, 1), (#"{'a':1}"#, .unexpectedByte, 1),
            ("01", .invalidNumber, 1), ("1.", .unexpectedEnd, 2), ("1.e5", .invalidNumber, 2), ("-", .unexpectedEnd, 1),
            ("+1", .unexpectedByte, 0), (".5", .unexpectedByte, 0), ("1e", .unexpectedEnd, 2), ("NaN", .unexpectedByte, 0),
            ("Infinity", .unexpectedByte, 0), ("tru", .unexpectedEnd, 3), ("nul!", .unexpectedByte, 3),
            (#""\x41""#, .invalidEscape, 1), (#""\u12G4""#, .invalidEscape, 5), (#""\ud800""#, .loneSurrogate, 1),
            (#""\udc00\ud800""#, .loneSurrogate, 1), (#""\ud800\u0041""#, .loneSurrogate, 1), ("\"a\u{1}b\"", .controlCharacter, 2),
            (#"{"a":1}x"#, .trailingBytes, 7), (#"{} {}"#, .trailingBytes, 3), (#"[1]/*c*/"#, .trailingBytes, 3),
            ("\u{A0}1", .unexpectedByte, 0), (#""unterminated"#, .unexpectedEnd, 13),
        ])
    func malformed(text: String, reason: JSONError.Reason, offset: Int) {
        guard case .failure(let error) = parse(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.reason == reason, "\(text)")
        #expect(error.offset == offset, "\(text)")
        #expect(error.description.contains("byte \(offset)"))
    }

    @Test("strings: escapes resolved, pairs joined, UTF-8 kept")
    func strings() throws {
        #expect(try JSONValue.parse(Array(#""\"\\\/\b\f\n\r\t""#.utf8)) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONValue.parse(Array(#""\ud83d\ude00 \u20AC""#.utf8)) == .string("😀 €"))
        #expect(try JSONValue.parse(Array("\"这是测试币\"".utf8)) == .string("这是测试币"))
        #expect(try JSONValue.parse(Array(#""\u0000""#.utf8)) == .string("\u{0}"))
    }

    @Test(
        "invalid UTF-8 inside a string is refused",
        arguments: [
            [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF], [0xC3],
        ] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        #expect(throws: JSONError(.invalidUTF8, at: 1)) { try JSONValue.parse(bytes) }
        // Outside a string, any non-ASCII byte is simply not JSON.
        #expect(throws: JSONError.self) { try JSONValue.parse(sequence) }
    }

    @Test(
        "strict mode refuses each documented ambiguity; lenient mode reads it",
        arguments: [
            (#"{"a":1,"a":2}"#, JSONError.Reason.duplicateKey, 7), (#"{"a":1,"\u0061":2}"#, .escapedKey, 8),
            (#"[1e-7]"#, .exponent, 2), (#"[-0]"#, .negativeZero, 1), (#"[-0.000]"#, .negativeZero, 1),
            (#"["a\nb"]"#, .controlCharacter, 3), (#"["\u001f"]"#, .controlCharacter, 2), ("[\"\u{7F}\"]", .controlCharacter, 2),
            ("\u{FEFF}[]", .byteOrderMark, 0),
        ])
    func strictRefusals(text: String, reason: JSONError.Reason, offset: Int) throws {
        guard case .failure(let error) = parse(text, .strict) else {
            Issue.record("strict accepted \(text)")
            return
        }
        #expect(error.reason == reason)
        #expect(error.offset == offset)
        #expect(throws: Never.self) { try JSONValue.parse(Array(text.utf8), options: .lenient) }
    }

    @Test("duplicate names are found after escapes are resolved, in objects of any size and at any depth")
    func duplicates() {
        var options = JSONReader.Options.lenient
        options.refusesDuplicateKeys = true
        #expect(reason(#"{"a":1,"\u0061":2}"#, options) == .duplicateKey)
        #expect(reason(#"{"a":{"b":1,"b":2}}"#, options) == .duplicateKey)
        #expect(reason(#"[{"a":1},{"a":1}]"#, options) == nil)
        #expect(reason(#"{"a":{"a":1},"b":{"a":1}}"#, options) == nil)
        let many = (0..<500).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(reason("{\(many)}", options) == nil)
        #expect(reason("{\(many),\"k250\":0}", options) == .duplicateKey)
        #expect(reason("{\(many),\"k\\u0032\\u0035\\u0030\":0}", options) == .duplicateKey)
        // Lenient mode keeps both, in order.
        #expect((try? JSONValue.parse(Array(#"{"a":1,"a":2}"#.utf8))) == .object([("a", .int(1)), ("a", .int(2))]))
    }

    @Test(
        "decimals are exact, from numbers and from numeric strings",
        arguments: [
            ("0.1", "0.1"), ("\"0.1\"", "0.1"), ("1e-7", "0.0000001"), ("\"1E-7\"", "0.0000001"), ("-1.50", "-1.5"),
            ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
            ("\"0.12345678901234567890123456789012345678\"", "0.12345678901234567890123456789012345678"),
            ("\"00012\"", "12"), ("-0", "0"), ("1E+2", "100"), ("\"\\u0031.5\"", "1.5"),
        ])
    func exactDecimals(json: String, plain: String) {
        #expect(decimal(json)?.plainString == plain, "\(json)")
    }

    @Test(
        "what a Decimal cannot hold exactly, or a string that is not a number, is refused",
        arguments: [
            ("123456789012345678901234567890123456789", JSONError.Reason.numberOutOfRange), ("1e999", .numberOutOfRange),
            ("\"12abc\"", .notADecimal), ("\"NaN\"", .notADecimal), ("\"\"", .notADecimal), ("\" 1\"", .notADecimal),
            ("true", .typeMismatch(expected: .number, found: .bool)), ("null", .typeMismatch(expected: .number, found: .null)),
        ])
    func refusedDecimals(json: String, reason: JSONError.Reason) {
        #expect(throws: JSONError(reason, at: 0)) {
            try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONError) in try reader.readDecimal() }
        }
    }

    @Test("integers fit Int64 or are refused")
    func integers() {
        func int(_ text: String) -> Int64? {
            try? JSONReader.read(Array(text.utf8)) { (reader: inout JSONReader) throws(JSONError) in try reader.readInt64() }
        }
        #expect(int("9223372036854775807") == .max)
        #expect(int("-9223372036854775808") == .min)
        #expect(int("9223372036854775808") == nil)
        #expect(int("1.0") == nil)
        #expect(int("1e3") == nil)
        #expect(int("\"1\"") == nil)
    }

    @Test("nesting deeper than the limit is refused, at the limit it is read")
    func depth() {
        let atLimit = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let over = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(reason(atLimit) == nil)
        #expect(reason(over) == .tooDeep)
        // A hostile depth far past the limit fails fast instead of exhausting the stack.
        #expect(reason(String(repeating: "[", count: 1_000_000)) == .tooDeep)
        var shallow = JSONReader.Options.lenient
        shallow.maximumDepth = 1
        #expect(reason(#"{"a":[]}"#, shallow) == .tooDeep)
        #expect(reason(#"{"a":1}"#, shallow) == nil)
    }

    @Test("sizes: the limit, a large body, empty and HTML bodies")
    func sizes() throws {
        var small = JSONReader.Options.lenient
        small.maximumSize = 8
        #expect(reason("[1,2,3,4]", small) == .tooLarge)
        #expect(reason("[1,2,3]", small) == nil)
        let large = "[" + Array(repeating: #"{"price":"30000.10","qty":0.001}"#, count: 100_000).joined(separator: ",") + "]"
        guard case .array(let elements) = try JSONValue.parse(Array(large.utf8)) else {
            Issue.record("not an array")
            return
        }
        #expect(elements.count == 100_000)
        #expect(reason("") == .unexpectedEnd)
        #expect(reason("<html><body>502 Bad Gateway</body></html>") == .unexpectedByte)
    }

    @Test("the scanning API reads what it is asked for and checks what it skips")
    func scanning() throws {
        let body = Data(#"{"list":[{"p":"1.5","n":null,"x":{"deep":[1,2,{"y":"z"}]}},{"p":2}],"code":-7,"msg":"ok"}"#.utf8)
        let (prices, code, message) = try JSONReader.read(body, options: .responses) {
            (reader: inout JSONReader) throws(JSONError) -> ([Decimal?], Int64?, String?) in
            var prices: [Decimal?] = []
            var code: Int64?
            var message: String?
            var object = try reader.beginObject()
            while let key = try reader.nextKey(&object) {
                if key.matches("list") {
                    var list = try reader.beginArray()
                    while try reader.nextElement(&list) {
                        var item = try reader.beginObject()
                        while let field = try reader.nextKey(&item) {
                            if field.matches("p") { prices.append(try reader.readOptionalDecimal()) } else { try reader.skipValue() }
                        }
                    }
                } else if key.matches("code") {
                    code = try reader.readInt64()
                } else if key.matches("msg") {
                    message = try reader.readString()
                } else {
                    try reader.skipValue()
                }
            }
            try reader.finish()
            return (prices, code, message)
        }
        #expect(prices == [Decimal(string: "1.5"), 2])
        #expect(code == -7)
        #expect(message == "ok")
        // A skipped value is checked as completely as a read one.
        #expect(throws: JSONError(.loneSurrogate, at: 13)) {
            try JSONReader.read(Array(#"{"a":1,"b":["\udc00"]}"#.utf8)) { (reader: inout JSONReader) throws(JSONError) in
                try reader.skipValue()
            }
        }
        // A type mismatch names what was expected and what was found.
        #expect(throws: JSONError(.typeMismatch(expected: .string, found: .number), at: 5)) {
            try JSONReader.read(Array(#"{"a":12}"#.utf8)) { (reader: inout JSONReader) throws(JSONError) in
                var object = try reader.beginObject()
                _ = try reader.nextKey(&object)
                _ = try reader.readString()
            }
        }
    }

    @Test("every payload of the test suites reads, re-serialises to the same value, and skips")
    func payloads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var count = 0
        for module in ["TradeOnlyBinanceTests", "TradeOnlyBybitTests"] {
            let folder = root.appendingPathComponent(module).appendingPathComponent("Payloads")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
                let value = try JSONValue.parse(bytes, options: .responses)
                #expect(try JSONValue.parse(value.utf8) == value, "\(name)")
                #expect(throws: Never.self) {
                    try JSONReader.read(bytes, options: .responses) { (reader: inout JSONReader) throws(JSONError) in
                        try reader.skipValue()
                        try reader.finish()
                    }
                }
                count += 1
            }
        }
        #expect(count > 40)
    }

    @Test("random bytes never crash, and what strict mode accepts lenient mode reads the same")
    func randomBytes() {
        var random = SeededGenerator(state: 0x15_0B)
        let alphabet = Array(#"{}[]":,\ u0123456789abcdefABCDEF-+.eEtrulnsfa"#.utf8) + [0x00, 0x0A, 0x7F, 0xC3, 0xA9, 0xED, 0xFF]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<32, using: &random)
            let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            let strict = try? JSONValue.parse(bytes, options: .strict)
            let lenient = try? JSONValue.parse(bytes, options: .lenient)
            if let strict { #expect(lenient == strict) }
            if let lenient { #expect((try? JSONValue.parse(lenient.utf8)) == lenient) }
        }
    }
}
