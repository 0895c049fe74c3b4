import Foundation
import TradeOnly

// The simulator reads and writes JSON with the core `JSONValue` and `JSONReader` (object members in
// order, numbers as their exact text): these are only its builders.

extension JSONValue {
    /// A decimal written as a JSON string with all its digits, never in exponent form.
    static func decimal(_ value: Decimal) -> JSONValue { .string(value.plainString) }

    /// A decimal written as a JSON string with exactly `digits` fraction digits.
    static func decimal(_ value: Decimal, digits: Int) -> JSONValue {
        .string(value.formatted(fractionDigits: digits))
    }

    /// Reads a request's JSON (RFC 8259, as an exchange's own parser would; a byte order mark refused),
    /// or `nil` if it is not one JSON text.
    static func parseRequest(_ data: Data) -> JSONValue? {
        try? JSONValue.parse(data, options: JSONReader.Options(allowsByteOrderMark: false))
    }
}
