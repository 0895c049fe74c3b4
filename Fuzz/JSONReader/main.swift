// libFuzzer harness for the core JSON reader (Sources/TradeOnly/JSON). Not part of the SwiftPM package:
// Fuzz/run-json-fuzz.sh compiles it together with the reader's sources. See Fuzz/README.md.
//
// Every input is read in both modes, and the harness checks properties, not only the absence of a crash:
//
//  1. Errors carry an offset inside the input (0…count).
//  2. Tree and scanner agree: `readValue` accepts exactly what `skipValue` accepts, with the same error.
//  3. What strict mode accepts, lenient mode accepts with the same value.
//  4. What lenient mode accepts and strict mode refuses is refused for a documented reason, and that
//     reason is really there: a duplicate name in the tree, an exponent or a negative zero among its
//     numbers, a control character in one of its strings, a backslash in a name, a byte order mark.
//  5. What lenient mode accepts, re-serialised, reads back to the same value, and serialises to the
//     same bytes again; the serialised form is also accepted by strict mode unless one of the
//     documented reasons holds.
//  6. Every number is exact: its `Decimal` (when it has one) is the one its text denotes, checked
//     against an independent digit-by-digit reading for plain numbers, and it round-trips through
//     `plainString`; `int64` agrees with `Int64(text)`.
//  7. `readDecimal` on a string holding a number's text gives the same `Decimal` as on the number.

import Foundation

@inline(never)
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, _ input: [UInt8]) {
    if !condition() {
        let shown = String(decoding: input.prefix(400), as: UTF8.self)
        fatalError("property violated: \(message())\ninput: \(shown)")
    }
}

func parse(_ bytes: [UInt8], _ options: JSONReader.Options) -> Result<JSONValue, JSONError> {
    Result { () throws(JSONError) -> JSONValue in try JSONValue.parse(bytes, options: options) }
}

func skip(_ bytes: [UInt8], _ options: JSONReader.Options) -> JSONError? {
    do throws(JSONError) {
        try JSONReader.read(bytes, options: options) { (reader: inout JSONReader) throws(JSONError) in
            try reader.skipValue()
            try reader.finish()
        }
        return nil
    } catch {
        return error
    }
}

/// Facts about a tree that justify a strict refusal.
struct Facts {
    var duplicateKey = false
    var exponent = false
    var negativeZero = false
    var controlCharacter = false
    /// A name that serialising must escape (it holds `"` or `\`), which strict mode would then refuse.
    var escapedKeyNeeded = false

    init(_ value: JSONValue) { visit(value) }

    private mutating func text(_ string: String) {
        if string.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { controlCharacter = true }
    }

    private mutating func visit(_ value: JSONValue) {
        switch value {
        case .object(let members):
            var seen = Set<[UInt8]>()
            for (key, member) in members {
                // Names are compared as their bytes (String == would equate canonically equivalent ones).
                if !seen.insert(Array(key.utf8)).inserted { duplicateKey = true }
                if key.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                    escapedKeyNeeded = true
                }
                text(key)
                visit(member)
            }
        case .array(let elements):
            for element in elements { visit(element) }
        case .string(let string):
            text(string)
        case .number(let number):
            let bytes = Array(number.text.utf8)
            if bytes.contains(UInt8(ascii: "e")) || bytes.contains(UInt8(ascii: "E")) { exponent = true }
            let mantissa = bytes.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            if mantissa.first == UInt8(ascii: "-"),
                mantissa.dropFirst().allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") })
            {
                negativeZero = true
            }
        case .bool, .null:
            break
        }
    }
}

/// The value of a plain number's text (`-?digits(.digits)?`, no exponent), in plain notation with
/// trailing fraction zeros and leading zeros removed: what `Decimal.plainString` must print.
func canonicalPlain(_ text: String) -> String? {
    guard !text.contains("e"), !text.contains("E") else { return nil }
    var negative = false
    var body = Substring(text)
    if body.first == "-" {
        negative = true
        body = body.dropFirst()
    }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    var integer = String(parts[0].drop { $0 == "0" })
    var fraction = parts.count > 1 ? String(parts[1]) : ""
    while fraction.last == "0" { fraction.removeLast() }
    if integer.isEmpty { integer = "0" }
    let significant = (integer == "0" ? "" : integer) + fraction
    guard significant.drop(while: { $0 == "0" }).count <= 38 else { return nil }
    if integer == "0" && fraction.isEmpty { return "0" }
    return (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
}

func checkNumbers(_ value: JSONValue, _ input: [UInt8]) {
    switch value {
    case .object(let members): for (_, member) in members { checkNumbers(member, input) }
    case .array(let elements): for element in elements { checkNumbers(element, input) }
    case .number(let number):
        check(JSONNumber(number.text) == number, "a number's text re-reads as itself: \(number.text)", input)
        check(number.int64 == Int64(number.text), "int64 agrees with Int64(text): \(number.text)", input)
        if let decimal = number.decimal {
            check(!decimal.isNaN, "no NaN from \(number.text)", input)
            check(Decimal(exactly: decimal.plainString) == decimal, "plainString round-trips: \(number.text)", input)
            if let expected = canonicalPlain(number.text) {
                check(decimal.plainString == expected, "exact: \(number.text) gave \(decimal.plainString)", input)
            }
            // The same text as a numeric string gives the same decimal.
            let quoted = Array("\"\(number.text)\"".utf8)
            let fromString = try? JSONReader.read(quoted) { (reader: inout JSONReader) throws(JSONError) in
                try reader.readDecimal()
            }
            check(fromString == decimal, "readDecimal agrees on \"\(number.text)\"", input)
        } else if number.text.utf8.count <= 40, let expected = canonicalPlain(number.text) {
            check(false, "a plain number of at most 38 digits has a decimal: \(number.text) (\(expected))", input)
        }
    case .string, .bool, .null:
        break
    }
}

/// libFuzzer's entry point: checks the reader's properties on one input; returns 0 (inputs are never rejected).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let lenient = parse(input, .lenient)
    let strict = parse(input, .strict)

    // 1 and 2.
    for (result, options) in [(lenient, JSONReader.Options.lenient), (strict, .strict)] {
        let skipped = skip(input, options)
        switch result {
        case .success:
            check(skipped == nil, "skipValue refused what readValue accepts: \(String(describing: skipped))", input)
        case .failure(let error):
            check(error.offset >= 0 && error.offset <= input.count, "offset \(error.offset) inside the input", input)
            check(skipped == error, "skipValue gave \(String(describing: skipped)), readValue \(error)", input)
        }
    }

    switch (lenient, strict) {
    case (.failure, .success):
        check(false, "strict accepted what lenient refused", input)
    case (.success(let loose), .success(let tight)):
        check(loose == tight, "strict and lenient read the same value", input)
    case (.success(let loose), .failure(let error)):
        let facts = Facts(loose)
        switch error.reason {
        case .duplicateKey: check(facts.duplicateKey, "a duplicate name is in the tree", input)
        case .exponent: check(facts.exponent, "an exponent is in the tree", input)
        case .negativeZero: check(facts.negativeZero, "a negative zero is in the tree", input)
        case .controlCharacter: check(facts.controlCharacter, "a control character is in the tree", input)
        case .escapedKey: check(input[error.offset] == UInt8(ascii: "\\"), "the refused name has a backslash", input)
        case .byteOrderMark: check(error.offset == 0 && input.starts(with: [0xEF, 0xBB, 0xBF]), "a byte order mark", input)
        default: check(false, "strict refused for an undocumented reason: \(error)", input)
        }
    case (.failure, .failure):
        break
    }

    // 5, 6, 7.
    if case .success(let value) = lenient {
        let written = value.utf8
        guard case .success(let reread) = parse(written, .lenient) else {
            check(false, "the serialised form is accepted", input)
            return 0
        }
        check(reread == value, "the serialised form reads back to the same value", input)
        check(reread.utf8 == written, "serialising is stable", input)
        let facts = Facts(value)
        if !facts.duplicateKey && !facts.exponent && !facts.negativeZero && !facts.controlCharacter
            && !facts.escapedKeyNeeded
        {
            check((try? JSONValue.parse(written, options: .strict)) == value, "strict accepts the serialised form", input)
        }
        checkNumbers(value, input)
    }
    return 0
}
