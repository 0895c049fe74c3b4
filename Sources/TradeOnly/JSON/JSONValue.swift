import Foundation

/// Any JSON value, as ``JSONReader`` reads it: object members in their order (duplicates kept unless the
/// reader refuses them), numbers as their exact text.
///
/// Serialising (``serialized``, ``data``) writes compact JSON that reads back to an equal value.
package enum JSONValue: Sendable, Hashable {
    /// An object's members, in order.
    case object([(String, JSONValue)])
    /// An array.
    case array([JSONValue])
    /// A string.
    case string(String)
    /// A number, as written.
    case number(JSONNumber)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// Reads one JSON text (white space around it allowed, nothing else).
    ///
    /// - Throws: ``JSONError``.
    package static func parse(_ data: Data, options: JSONReader.Options = .lenient) throws(JSONError) -> JSONValue {
        try JSONReader.read(data, options: options) { (reader: inout JSONReader) throws(JSONError) -> JSONValue in
            let value = try reader.readValue()
            try reader.finish()
            return value
        }
    }

    /// Reads one JSON text from bytes.
    ///
    /// - Throws: ``JSONError``.
    package static func parse(_ bytes: [UInt8], options: JSONReader.Options = .lenient) throws(JSONError) -> JSONValue {
        try JSONReader.read(bytes, options: options) { (reader: inout JSONReader) throws(JSONError) -> JSONValue in
            let value = try reader.readValue()
            try reader.finish()
            return value
        }
    }

    /// Compares kinds and contents; object members in order.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let left), .array(let right)): return left == right
        case (.string(let left), .string(let right)): return left == right
        case (.number(let left), .number(let right)): return left == right
        case (.bool(let left), .bool(let right)): return left == right
        case (.null, .null): return true
        default: return false
        }
    }

    /// Hashes kind and contents.
    package func hash(into hasher: inout Hasher) {
        switch self {
        case .object(let members):
            hasher.combine(0)
            hasher.combine(members.count)
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        case .array(let values):
            hasher.combine(1)
            hasher.combine(values)
        case .string(let text):
            hasher.combine(2)
            hasher.combine(text)
        case .number(let number):
            hasher.combine(3)
            hasher.combine(number)
        case .bool(let flag):
            hasher.combine(4)
            hasher.combine(flag)
        case .null: hasher.combine(5)
        }
    }

    /// An integer number.
    package static func int(_ value: some BinaryInteger) -> JSONValue { .number(JSONNumber(value)) }

    // MARK: - Access

    /// The kind of value.
    package var kind: JSONKind {
        switch self {
        case .object: return .object
        case .array: return .array
        case .string: return .string
        case .number: return .number
        case .bool: return .bool
        case .null: return .null
        }
    }

    /// The first member named `key` of an object, or `nil`.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The members if the value is an object.
    package var objectMembers: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The value if it is a boolean.
    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value if it is a string.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value if it is an integer number, or a string of one (`"1499827319559"`), that fits `Int64`.
    package var integerValue: Int64? {
        switch self {
        case .number(let number): return number.int64
        case .string(let text): return Int64(text)
        default: return nil
        }
    }

    /// The exact value of a number or a numeric string, or `nil`.
    package var decimalValue: Decimal? {
        switch self {
        case .number(let number): return number.decimal
        case .string(let text): return Decimal(exactly: text)
        default: return nil
        }
    }

    /// A short name of the value's type, for notes (`"number"`).
    package var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    // MARK: - Writing

    /// The compact serialised text, members in order.
    package var serialized: String {
        String(decoding: utf8, as: UTF8.self)
    }

    /// The compact serialised text as bytes.
    package var data: Data { Data(utf8) }

    /// The compact serialised text as UTF-8 bytes.
    package var utf8: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    /// Appends the compact serialised text to `output`.
    package func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.0, to: &output)
                output.append(UInt8(ascii: ":"))
                member.1.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            Self.writeString(text, to: &output)
        case .number(let number):
            output.append(contentsOf: number.text.utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        }
    }

    /// Writes `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`, `\b`,
    /// `\f` or `\u00XX`, everything else as UTF-8.
    package static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x0A:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "n"))
            case 0x0D:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "r"))
            case 0x09:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "t"))
            case 0x08:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "b"))
            case 0x0C:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "f"))
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                output.append(contentsOf: "\\u00".utf8)
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A JSON number, kept as the exact text it was written with (`12`, `-0.50`, `1e-7`): never a `Double`.
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, which follows RFC 8259's number grammar.
    package let text: String

    /// Wraps text the reader has checked.
    init(checkedText: String) {
        text = checkedText
    }

    /// The number `text`, or `nil` if it does not follow RFC 8259's number grammar.
    package init?(_ text: String) {
        var bytes = Array(text.utf8)
        let valid = bytes.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard var reader = try? JSONReader(UnsafeBufferPointer(buffer), options: JSONReader.Options(allowsByteOrderMark: false)),
                (try? reader.readNumberBytes()) != nil
            else { return false }
            return reader.offset == buffer.count
        }
        guard valid else { return nil }
        self.text = text
    }

    /// An integer.
    package init(_ value: some BinaryInteger) {
        text = String(value)
    }

    /// A decimal in plain notation (`0.00000001`), or `nil` for NaN.
    package init?(_ value: Decimal) {
        self.init(value.plainString)
    }

    /// The exact value, or `nil` if a `Decimal` cannot hold it exactly (more than 38 significant digits,
    /// an exponent out of range).
    package var decimal: Decimal? {
        var text = text
        return text.withUTF8 { Decimal(wireBytes: $0) }
    }

    /// The value if it is an integer (no fraction, no exponent) that fits `Int64`.
    package var int64: Int64? {
        var text = text
        return text.withUTF8 { JSONReader.int64($0) }
    }

    /// The number's text.
    package var description: String { text }
}

extension Decimal {
    /// Parses UTF-8 bytes exactly as `Decimal(exactly:)` parses a string (leading zeros allowed, exponents
    /// allowed, nothing a `Decimal` cannot hold exactly).
    init?(wireBytes bytes: UnsafeBufferPointer<UInt8>) {
        if let value = DecimalWireParser.parsePlain(utf8: bytes) {
            self = value
            return
        }
        guard let digits = DecimalWireParser.parse(utf8: bytes), let value = digits.decimal else { return nil }
        self = value
    }

    /// ``init(wireBytes:)`` over an array.
    init?(wireBytes bytes: [UInt8]) {
        guard let value = bytes.withUnsafeBufferPointer({ Decimal(wireBytes: $0) }) else { return nil }
        self = value
    }
}
