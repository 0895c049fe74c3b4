/// A decimal number read from an exchange's JSON, whether the exchange wrote it as a string (`"0.1"`)
/// or as a number (`0.1`), without going through `Double`.
///
/// Exchange modules use it in their internal wire models for every price, quantity, balance and fee:
///
/// ```swift
/// struct WireOrder: Decodable {
///     let price: WireDecimal            // "price":"30000.10" or "price":30000.1
///     let avgPrice: OptionalWireDecimal // "avgPrice":"" or null or absent → nil
/// }
/// let price: Decimal = wire.price.value
/// ```
///
/// - Strings are parsed with `Decimal(exactly:)`: exact, locale-independent, and strict
///   (`""`, `" 1"`, `"12abc"`, `"NaN"`, `"1,5"` are refused).
/// - JSON numbers are decoded as `Decimal` by the decoder, which on Linux (and with the Foundation of
///   macOS 14, iOS 17 and later) reads the number's text exactly: `0.1`, `12345678.123456789` and `1e-8`
///   come out exact. Older Apple Foundations convert JSON numbers through `Double`; exchanges that
///   matter send money as strings.
/// - Anything else (`true`, an object, a garbage string) throws a `DecodingError` whose context carries
///   the field's coding path, and whose description names it (`price`, `list[0].qty`).
///
/// Encoding writes a JSON string in plain notation (`Decimal.plainString`), which every
/// supported exchange accepts.
public struct WireDecimal: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The exact value.
    public var value: Decimal

    /// Wraps a value.
    public init(_ value: Decimal) { self.value = value }

    /// Decodes a decimal from a JSON string or number.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for an empty or malformed string, `DecodingError.typeMismatch`
    ///   for a value that is neither a string nor a number, `DecodingError.valueNotFound` for `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            throw DecodingError.valueNotFound(
                Decimal.self,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a decimal number at \(WireDecimal.path(decoder.codingPath)), found null"
                )
            )
        }
        value = try WireDecimal.decodeValue(from: container, codingPath: decoder.codingPath)
    }

    /// Encodes the value as a JSON string in plain notation.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.plainString)
    }

    /// The value in plain notation.
    public var description: String { value.plainString }

    static func decodeValue(from container: any SingleValueDecodingContainer, codingPath: [any CodingKey]) throws -> Decimal {
        if let text = try? container.decode(String.self) {
            guard let value = Decimal(exactly: text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: codingPath,
                        debugDescription: "expected a decimal number at \(path(codingPath)), found the string \(quoted(text))"
                    )
                )
            }
            return value
        }
        if let value = try? container.decode(Decimal.self), !value.isNaN {
            return value
        }
        throw DecodingError.typeMismatch(
            Decimal.self,
            DecodingError.Context(
                codingPath: codingPath,
                debugDescription: "expected a decimal number (a string or a number) at \(path(codingPath))"
            )
        )
    }

    /// The coding path as `list[0].price`, or `the top level` for an empty path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "the top level" }
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return "'" + text + "'"
    }

    /// The string in quotes, shortened so that a huge value does not flood an error message.
    private static func quoted(_ text: String) -> String {
        let limit = 40
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return "\"" + shown + "\""
    }
}

/// A decimal number that an exchange may leave out: a JSON `null`, an empty string `""` (Bybit writes
/// `"liqPrice":""` for "none") or a missing key all give `nil`.
///
/// Everything else is read as ``WireDecimal`` reads it, and garbage still throws a `DecodingError` naming
/// the field. Declare the property as `OptionalWireDecimal?` so that a missing key decodes too.
public struct OptionalWireDecimal: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The exact value, or `nil` when the exchange sent nothing.
    public var value: Decimal?

    /// Wraps a value.
    public init(_ value: Decimal?) { self.value = value }

    /// Decodes a decimal, `null` or `""`.
    ///
    /// - Throws: `DecodingError` for a malformed string or a value of another type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = nil
        } else if let text = try? container.decode(String.self), text.isEmpty {
            value = nil
        } else {
            value = try WireDecimal.decodeValue(from: container, codingPath: decoder.codingPath)
        }
    }

    /// Encodes the value as a plain-notation string, or `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value {
            try container.encode(value.plainString)
        } else {
            try container.encodeNil()
        }
    }

    /// The value in plain notation, or `nil`.
    public var description: String { value?.plainString ?? "nil" }
}

extension KeyedDecodingContainer {
    /// Decodes a decimal written as a JSON string or number, as ``WireDecimal`` does.
    ///
    /// - Throws: `DecodingError` naming the key if it is missing, `null`, empty or malformed.
    public func decodeDecimal(forKey key: Key) throws -> Decimal {
        try decode(WireDecimal.self, forKey: key).value
    }

    /// Decodes a decimal written as a JSON string or number, giving `nil` for a missing key, `null` or `""`,
    /// as ``OptionalWireDecimal`` does.
    ///
    /// - Throws: `DecodingError` naming the key if the value is malformed.
    public func decodeDecimalIfPresent(forKey key: Key) throws -> Decimal? {
        try decodeIfPresent(OptionalWireDecimal.self, forKey: key)?.value
    }
}
