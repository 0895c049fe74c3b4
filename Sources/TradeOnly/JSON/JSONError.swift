/// Why a JSON text was refused, and where: the byte offset (from the start of the input) of the first
/// byte the reader could not accept.
///
/// Every failure of ``JSONReader`` and ``JSONValue/parse(_:options:)`` is one of these: the reader never
/// traps, never returns a partial value, and never repairs its input.
package struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    package enum Reason: Sendable, Hashable {
        /// The input ended inside a value (or held no value at all).
        case unexpectedEnd
        /// A byte that the grammar does not allow here (a missing `,` or `:`, a bare word, `+1`, `.5`…).
        case unexpectedByte
        /// A number that does not follow RFC 8259's grammar (a leading zero, `1.`, `1e`, `-`).
        case invalidNumber
        /// A backslash escape that RFC 8259 does not define, or a malformed `\u` escape.
        case invalidEscape
        /// A `\u` escape of a UTF-16 surrogate that is not half of a pair.
        case loneSurrogate
        /// Bytes inside a string that are not UTF-8 (overlong forms, surrogates, above U+10FFFF, truncated).
        case invalidUTF8
        /// A raw control character (U+0000–U+001F) inside a string; in ``JSONReader/Options/refusesControlCharacters``
        /// mode also U+007F and escaped control characters (`\n`, `\u0001`).
        case controlCharacter
        /// Something other than white space after the value.
        case trailingBytes
        /// Arrays and objects nested deeper than ``JSONReader/Options/maximumDepth``.
        case tooDeep
        /// An input longer than ``JSONReader/Options/maximumSize`` bytes.
        case tooLarge
        /// An object with the same name twice (after escapes are resolved), with
        /// ``JSONReader/Options/refusesDuplicateKeys``.
        case duplicateKey
        /// An object name with a backslash escape, with ``JSONReader/Options/refusesEscapedKeys``.
        case escapedKey
        /// A number with an exponent (`1e-7`), with ``JSONReader/Options/refusesExponents``.
        case exponent
        /// A negative zero (`-0`, `-0.00`), with ``JSONReader/Options/refusesNegativeZero``.
        case negativeZero
        /// A leading byte order mark, unless ``JSONReader/Options/allowsByteOrderMark``.
        case byteOrderMark
        /// A value of another type than the one asked for.
        case typeMismatch(expected: JSONKind, found: JSONKind)
        /// A number, or numeric string, that the requested type cannot hold exactly (an integer out of
        /// range or with a fraction; a decimal with more than 38 significant digits).
        case numberOutOfRange
        /// A string that was asked for as a decimal and is not one (`"12abc"`, `"NaN"`).
        case notADecimal
    }

    /// What was wrong.
    package let reason: Reason
    /// The offset of the offending byte from the start of the input.
    package let offset: Int

    /// Makes an error.
    package init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The reason and the offset in words, for error messages.
    package var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "the JSON text ends early"
        case .unexpectedByte: what = "unexpected character"
        case .invalidNumber: what = "malformed number"
        case .invalidEscape: what = "malformed escape in a string"
        case .loneSurrogate: what = "a lone UTF-16 surrogate escape"
        case .invalidUTF8: what = "a string that is not valid UTF-8"
        case .controlCharacter: what = "a control character in a string"
        case .trailingBytes: what = "bytes after the JSON value"
        case .tooDeep: what = "nesting too deep"
        case .tooLarge: what = "the JSON text is too large"
        case .duplicateKey: what = "an object has the same name twice"
        case .escapedKey: what = "an escaped object name"
        case .exponent: what = "a number with an exponent"
        case .negativeZero: what = "a negative zero"
        case .byteOrderMark: what = "a byte order mark"
        case .typeMismatch(let expected, let found): what = "expected \(expected.name), found \(found.name)"
        case .numberOutOfRange: what = "a number out of range"
        case .notADecimal: what = "a string that is not a decimal number"
        }
        return "\(what) at byte \(offset)"
    }
}

/// The six kinds of JSON value.
package enum JSONKind: Sendable, Hashable {
    /// `{…}`
    case object
    /// `[…]`
    case array
    /// `"…"`
    case string
    /// `-12.5e3`
    case number
    /// `true` or `false`
    case bool
    /// `null`
    case null

    /// The kind's name in messages (`"a string"`).
    package var name: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}
