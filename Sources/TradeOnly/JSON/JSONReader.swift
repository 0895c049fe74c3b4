import Foundation

/// The one JSON reader of TradeOnly: a strict RFC 8259 reader over UTF-8 bytes, used by the signing gate,
/// the exchange modules' wire decoders and the simulator.
///
/// It reads in one pass without building anything it is not asked for: a caller walks objects and
/// arrays (``beginObject()``, ``nextKey(_:)``, ``beginArray()``, ``nextElement(_:)``), reads the values it
/// wants (``readString()``, ``readDecimal()``, ``readInt64()``…) and skips the rest (``skipValue()``),
/// which is still checked completely. ``readValue()`` builds a ``JSONValue`` tree instead.
///
/// ```swift
/// let (code, message) = try JSONReader.read(body, options: .lenient) { reader in
///     var object = try reader.beginObject()
///     var code: Int64?, message: String?
///     while let key = try reader.nextKey(&object) {
///         if key.matches("code") { code = try reader.readInt64() }
///         else if key.matches("msg") { message = try reader.readString() }
///         else { try reader.skipValue() }
///     }
///     try reader.finish()
///     return (code, message)
/// }
/// ```
///
/// What it guarantees, in every mode:
/// - The grammar is RFC 8259's exactly: no comments, no trailing commas, no single quotes, no `NaN`, no
///   leading zeros, no `+1`, no `.5`, no bare words, only the four white-space bytes.
/// - Strings are valid UTF-8; escapes are the nine RFC escapes; a `\u` surrogate must be half of a pair.
/// - Numbers are never read through `Double`: ``readDecimal()`` gives the exact `Decimal` of a number or of
///   a numeric string, and refuses what a `Decimal` cannot hold exactly.
/// - Any input, however malformed, ends in a ``JSONError`` with the offending byte's offset: never a trap.
/// - Nesting is bounded (``Options/maximumDepth``), so is the input (``Options/maximumSize``).
///
/// What ``Options`` can refuse besides: duplicate names, escaped names, exponents, negative zero,
/// escaped control characters, a byte order mark (``Options/strict`` refuses them all).
package struct JSONReader {
    /// What a reader accepts beyond RFC 8259's grammar, which it always enforces.
    package struct Options: Sendable, Hashable {
        /// Refuse an object that has the same name twice (compared after escapes are resolved).
        /// RFC 8259 says names SHOULD be unique; two parsers may read a duplicate differently.
        package var refusesDuplicateKeys: Bool
        /// Refuse an object name that contains a backslash escape (`"\u0061"` for `"a"`).
        package var refusesEscapedKeys: Bool
        /// Refuse numbers with an exponent (`1e-7`, `2E+3`).
        package var refusesExponents: Bool
        /// Refuse a negative zero (`-0`, `-0.0`, `-0e3`).
        package var refusesNegativeZero: Bool
        /// Refuse control characters in strings even when escaped (`\n`, `\t`, `\u0001`), and a raw
        /// U+007F (DEL). Raw U+0000–U+001F are refused in every mode, as RFC 8259 requires.
        package var refusesControlCharacters: Bool
        /// Skip one leading UTF-8 byte order mark (RFC 8259 §8.1 allows a reader to); refused otherwise.
        package var allowsByteOrderMark: Bool
        /// The deepest nesting of arrays and objects accepted (the top-level container is depth 1).
        package var maximumDepth: Int
        /// The longest input accepted, in bytes.
        package var maximumSize: Int

        /// Makes options; the defaults are ``lenient``'s.
        package init(
            refusesDuplicateKeys: Bool = false, refusesEscapedKeys: Bool = false, refusesExponents: Bool = false,
            refusesNegativeZero: Bool = false, refusesControlCharacters: Bool = false,
            allowsByteOrderMark: Bool = true, maximumDepth: Int = 64, maximumSize: Int = 64 << 20
        ) {
            self.refusesDuplicateKeys = refusesDuplicateKeys
            self.refusesEscapedKeys = refusesEscapedKeys
            self.refusesExponents = refusesExponents
            self.refusesNegativeZero = refusesNegativeZero
            self.refusesControlCharacters = refusesControlCharacters
            self.allowsByteOrderMark = allowsByteOrderMark
            self.maximumDepth = maximumDepth
            self.maximumSize = maximumSize
        }

        /// RFC 8259 and nothing more: duplicate names are kept (in order), any escape and number
        /// accepted, a leading byte order mark skipped; 64 levels, 64 MiB.
        package static let lenient = Options()

        /// What exchange answers are read with: ``lenient``, but a duplicate name is refused (a field
        /// read twice could be read either way).
        package static let responses = Options(refusesDuplicateKeys: true)

        /// Everything refused that two readers could read differently: duplicate names, escaped names,
        /// exponents, negative zero, control characters (escaped or not) and a byte order mark. The
        /// signing gate reads request bodies this way.
        package static let strict = Options(
            refusesDuplicateKeys: true, refusesEscapedKeys: true, refusesExponents: true, refusesNegativeZero: true,
            refusesControlCharacters: true, allowsByteOrderMark: false)
    }

    /// An object or array being walked: what ``nextKey(_:)`` and ``nextElement(_:)`` need to know.
    package struct Container {
        fileprivate var isFirst = true
        fileprivate let keyRecordStart: Int
        fileprivate let keyScratchStart: Int
        fileprivate var keySet = -1
        /// A 128-bit filter of the names' hashes: a name whose bit is clear cannot be a duplicate.
        fileprivate var keyFilter: (UInt64, UInt64) = (0, 0)
    }

    /// An object name as read: its raw bytes between the quotes (escapes not resolved).
    package struct Key {
        /// The bytes between the quotes, as written.
        package let raw: UnsafeBufferPointer<UInt8>
        /// Whether the name contains a backslash escape.
        package let isEscaped: Bool
        /// The offset of the opening quote.
        package let offset: Int

        /// Whether the name is `name` (after escapes are resolved).
        @inlinable
        package func matches(_ name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            guard !isEscaped else { return JSONReader.unescape(raw).elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: count)) }
            guard raw.count == count else { return false }
            let expected = name.utf8Start
            var index = 0
            while index < count {
                if raw[index] != expected[index] { return false }
                index += 1
            }
            return true
        }

        /// The name as a string, escapes resolved.
        package var string: String {
            isEscaped ? String(decoding: JSONReader.unescape(raw), as: UTF8.self) : String(decoding: raw, as: UTF8.self)
        }
    }

    /// A string value as read: its raw bytes between the quotes (escapes not resolved).
    package struct StringBytes {
        /// The bytes between the quotes, as written.
        package let raw: UnsafeBufferPointer<UInt8>
        /// Whether the string contains a backslash escape.
        package let isEscaped: Bool
        /// The offsets of the content (without the quotes).
        package let range: Range<Int>

        /// The string, escapes resolved.
        package var string: String {
            isEscaped ? String(decoding: JSONReader.unescape(raw), as: UTF8.self) : String(decoding: raw, as: UTF8.self)
        }
    }

    private struct KeyRecord {
        var hash: UInt64
        var start: Int
        var count: Int
        var inScratch: Bool
    }

    /// The input.
    package let bytes: UnsafeBufferPointer<UInt8>
    /// The options read with.
    package let options: Options
    /// The offset of the next byte to read.
    package private(set) var offset: Int
    /// How many arrays and objects are open.
    package private(set) var depth = 0
    private var keyRecords: [KeyRecord] = []
    private var keyScratch: [UInt8] = []
    private var keySets: [Set<UInt64>] = []

    /// A reader positioned at the start of `bytes`, after a byte order mark if the options allow one.
    ///
    /// - Throws: ``JSONError`` for an input over ``Options/maximumSize`` or a refused byte order mark.
    package init(_ bytes: UnsafeBufferPointer<UInt8>, options: Options = .lenient) throws(JSONError) {
        self.bytes = bytes
        self.options = options
        offset = 0
        guard bytes.count <= options.maximumSize else { throw JSONError(.tooLarge, at: options.maximumSize) }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            guard options.allowsByteOrderMark else { throw JSONError(.byteOrderMark, at: 0) }
            offset = 3
        }
    }

    /// Runs `body` with a reader over `data`.
    package static func read<Result>(
        _ data: Data, options: Options = .lenient, _ body: (inout JSONReader) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        let outcome: Swift.Result<Result, JSONError> = data.withUnsafeBytes { raw in
            Swift.Result { () throws(JSONError) -> Result in
                var reader = try JSONReader(raw.bindMemory(to: UInt8.self), options: options)
                return try body(&reader)
            }
        }
        return try outcome.get()
    }

    /// Runs `body` with a reader over `bytes`.
    package static func read<Result>(
        _ bytes: [UInt8], options: Options = .lenient, _ body: (inout JSONReader) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        let outcome: Swift.Result<Result, JSONError> = bytes.withUnsafeBufferPointer { buffer in
            Swift.Result { () throws(JSONError) -> Result in
                var reader = try JSONReader(buffer, options: options)
                return try body(&reader)
            }
        }
        return try outcome.get()
    }

    // MARK: - Structure

    /// Skips white space (space, tab, line feed, carriage return).
    @inline(__always)
    package mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The kind of the next value, not consumed.
    ///
    /// - Throws: ``JSONError`` at the end of the input or at a byte that starts no value.
    package mutating func peekKind() throws(JSONError) -> JSONKind {
        skipWhitespace()
        guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw JSONError(.unexpectedByte, at: offset)
        }
    }

    /// Whether the next value is `null` (not consumed).
    package mutating func peekIsNull() -> Bool {
        skipWhitespace()
        return offset < bytes.count && bytes[offset] == UInt8(ascii: "n")
    }

    /// Checks that only white space is left.
    ///
    /// - Throws: ``JSONError/Reason/trailingBytes``.
    package mutating func finish() throws(JSONError) {
        skipWhitespace()
        guard offset == bytes.count else { throw JSONError(.trailingBytes, at: offset) }
    }

    /// Whether only white space is left.
    package mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return offset == bytes.count
    }

    private mutating func expect(_ kind: JSONKind, _ byte: UInt8) throws(JSONError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { throw mismatch(kind) }
        offset += 1
    }

    /// The error for a value that is not of kind `expected` (or is no value at all).
    private mutating func mismatch(_ expected: JSONKind) -> JSONError {
        let at = offset
        do {
            let found = try peekKind()
            return JSONError(.typeMismatch(expected: expected, found: found), at: at)
        } catch {
            return error
        }
    }

    /// Consumes `{` and opens the object.
    ///
    /// - Throws: ``JSONError`` if the next value is not an object, or it would nest too deep.
    package mutating func beginObject() throws(JSONError) -> Container {
        try expect(.object, UInt8(ascii: "{"))
        guard depth < options.maximumDepth else { throw JSONError(.tooDeep, at: offset - 1) }
        depth += 1
        return Container(keyRecordStart: keyRecords.count, keyScratchStart: keyScratch.count)
    }

    /// Consumes `[` and opens the array.
    ///
    /// - Throws: ``JSONError`` if the next value is not an array, or it would nest too deep.
    package mutating func beginArray() throws(JSONError) -> Container {
        try expect(.array, UInt8(ascii: "["))
        guard depth < options.maximumDepth else { throw JSONError(.tooDeep, at: offset - 1) }
        depth += 1
        return Container(keyRecordStart: keyRecords.count, keyScratchStart: keyScratch.count)
    }

    /// Reads the next member's name and its `:`, or the object's `}` (then `nil`). The caller reads or
    /// skips the member's value before calling again.
    ///
    /// - Throws: ``JSONError`` for a malformed object, a refused name (escaped, or a duplicate).
    package mutating func nextKey(_ object: inout Container) throws(JSONError) -> Key? {
        skipWhitespace()
        guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        if bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            close(object)
            return nil
        }
        if object.isFirst {
            object.isFirst = false
        } else {
            guard bytes[offset] == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte, at: offset) }
            offset += 1
            skipWhitespace()
            guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        }
        guard bytes[offset] == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte, at: offset) }
        let keyOffset = offset
        let scanned = try scanString(isKey: true)
        let key = Key(raw: UnsafeBufferPointer(rebasing: bytes[scanned.range]), isEscaped: scanned.isEscaped, offset: keyOffset)
        if options.refusesDuplicateKeys { try record(key, in: &object) }
        skipWhitespace()
        guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        guard bytes[offset] == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte, at: offset) }
        offset += 1
        return key
    }

    /// Moves past the next `,` or the array's `]`: `true` if an element follows (the caller reads or skips
    /// it before calling again), `false` at the end of the array.
    ///
    /// - Throws: ``JSONError`` for a malformed array.
    package mutating func nextElement(_ array: inout Container) throws(JSONError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        if bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            close(array)
            return false
        }
        if array.isFirst {
            array.isFirst = false
        } else {
            guard bytes[offset] == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte, at: offset) }
            offset += 1
        }
        return true
    }

    private mutating func close(_ container: Container) {
        depth -= 1
        if keyRecords.count > container.keyRecordStart {
            keyRecords.removeSubrange(container.keyRecordStart...)
        }
        if keyScratch.count > container.keyScratchStart {
            keyScratch.removeSubrange(container.keyScratchStart...)
        }
        if container.keySet >= 0 { keySets.removeLast(keySets.count - container.keySet) }
    }

    /// Notes a name of the current object, refusing a duplicate.
    private mutating func record(_ key: Key, in object: inout Container) throws(JSONError) {
        var record: KeyRecord
        if key.isEscaped {
            let start = keyScratch.count
            keyScratch.append(contentsOf: Self.unescape(key.raw))
            record = KeyRecord(hash: 0, start: start, count: keyScratch.count - start, inScratch: true)
            record.hash = keyScratch.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[start...])) }
        } else {
            let start = key.offset + 1
            record = KeyRecord(hash: Self.hash(key.raw), start: start, count: key.raw.count, inScratch: false)
        }
        let members = keyRecords.count - object.keyRecordStart
        var mayRepeat: Bool
        if object.keySet >= 0 {
            mayRepeat = !keySets[object.keySet].insert(record.hash).inserted
        } else {
            let bit = UInt64(1) << (record.hash & 63)
            if record.hash & 64 == 0 {
                mayRepeat = object.keyFilter.0 & bit != 0
                object.keyFilter.0 |= bit
            } else {
                mayRepeat = object.keyFilter.1 & bit != 0
                object.keyFilter.1 |= bit
            }
        }
        if mayRepeat {
            for index in object.keyRecordStart..<keyRecords.count where keyRecords[index].hash == record.hash {
                if sameBytes(keyRecords[index], record) { throw JSONError(.duplicateKey, at: key.offset) }
            }
        }
        if keyRecords.capacity == 0 { keyRecords.reserveCapacity(64) }
        keyRecords.append(record)
        if object.keySet < 0, members + 1 > 96 {
            // Many names fill the filter: a set of hashes keeps the check linear in the object's size.
            object.keySet = keySets.count
            var hashes = Set<UInt64>(minimumCapacity: 2 * (members + 1))
            for index in object.keyRecordStart..<keyRecords.count { hashes.insert(keyRecords[index].hash) }
            keySets.append(hashes)
        }
    }

    private func sameBytes(_ left: KeyRecord, _ right: KeyRecord) -> Bool {
        guard left.count == right.count else { return false }
        return keyScratch.withUnsafeBufferPointer { scratch in
            let leftBytes = UnsafeBufferPointer(rebasing: (left.inScratch ? scratch : bytes)[left.start..<(left.start + left.count)])
            let rightBytes = UnsafeBufferPointer(rebasing: (right.inScratch ? scratch : bytes)[right.start..<(right.start + right.count)])
            return leftBytes.elementsEqual(rightBytes)
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    // MARK: - Values

    /// Skips the next value of any kind, checking it as completely as reading it would.
    ///
    /// - Throws: ``JSONError`` for anything malformed or refused inside it.
    package mutating func skipValue() throws(JSONError) {
        switch try peekKind() {
        case .object:
            var object = try beginObject()
            while try nextKey(&object) != nil { try skipValue() }
        case .array:
            var array = try beginArray()
            while try nextElement(&array) { try skipValue() }
        case .string:
            _ = try scanString(isKey: false)
        case .number:
            _ = try scanNumber()
        case .bool:
            _ = try readBool()
        case .null:
            try readNull()
        }
    }

    /// Reads the next value as a tree.
    ///
    /// - Throws: ``JSONError`` for anything malformed or refused inside it.
    package mutating func readValue() throws(JSONError) -> JSONValue {
        switch try peekKind() {
        case .object:
            var object = try beginObject()
            var members: [(String, JSONValue)] = []
            while let key = try nextKey(&object) {
                let name = key.string
                members.append((name, try readValue()))
            }
            return .object(members)
        case .array:
            var array = try beginArray()
            var elements: [JSONValue] = []
            while try nextElement(&array) { elements.append(try readValue()) }
            return .array(elements)
        case .string:
            return .string(try readString())
        case .number:
            return .number(try readNumber())
        case .bool:
            return .bool(try readBool())
        case .null:
            try readNull()
            return .null
        }
    }

    /// Reads a string, escapes resolved.
    ///
    /// - Throws: ``JSONError`` if the next value is not a well-formed string.
    package mutating func readString() throws(JSONError) -> String {
        try readStringBytes().string
    }

    /// Reads a string without resolving its escapes (they are checked).
    ///
    /// - Throws: ``JSONError`` if the next value is not a well-formed string.
    package mutating func readStringBytes() throws(JSONError) -> StringBytes {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw mismatch(.string) }
        let scanned = try scanString(isKey: false)
        return StringBytes(
            raw: UnsafeBufferPointer(rebasing: bytes[scanned.range]), isEscaped: scanned.isEscaped, range: scanned.range)
    }

    /// Reads a number, keeping its text exactly as written.
    ///
    /// - Throws: ``JSONError`` if the next value is not a well-formed (and accepted) number.
    package mutating func readNumber() throws(JSONError) -> JSONNumber {
        JSONNumber(checkedText: String(decoding: try readNumberBytes(), as: UTF8.self))
    }

    /// Reads a number's bytes as written.
    ///
    /// - Throws: ``JSONError`` if the next value is not a well-formed (and accepted) number.
    package mutating func readNumberBytes() throws(JSONError) -> UnsafeBufferPointer<UInt8> {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "-") || (bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9"))
        else {
            throw mismatch(.number)
        }
        return UnsafeBufferPointer(rebasing: bytes[try scanNumber()])
    }

    /// Reads `true` or `false`.
    ///
    /// - Throws: ``JSONError`` if the next value is not a boolean.
    package mutating func readBool() throws(JSONError) -> Bool {
        skipWhitespace()
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw mismatch(.bool)
    }

    /// Reads `null`.
    ///
    /// - Throws: ``JSONError`` if the next value is not `null`.
    package mutating func readNull() throws(JSONError) {
        skipWhitespace()
        guard try literal("null") else { throw mismatch(.null) }
    }

    /// Reads an exact decimal from a number (`0.1`) or a numeric string (`"0.1"`, with the grammar of
    /// `Decimal(exactly:)`), never through `Double`.
    ///
    /// - Throws: ``JSONError``: ``JSONError/Reason/typeMismatch(expected:found:)`` for another kind of value,
    ///   ``JSONError/Reason/notADecimal`` for a string that is not a number,
    ///   ``JSONError/Reason/numberOutOfRange`` for a number a `Decimal` cannot hold exactly.
    package mutating func readDecimal() throws(JSONError) -> Decimal {
        skipWhitespace()
        let at = offset
        guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        if bytes[offset] == UInt8(ascii: "\"") {
            let text = try readStringBytes()
            let value = text.isEscaped ? Decimal(wireBytes: JSONReader.unescape(text.raw)) : Decimal(wireBytes: text.raw)
            guard let value else { throw JSONError(.notADecimal, at: at) }
            return value
        }
        let number = try readNumberBytes()
        guard let value = Decimal(wireBytes: number) else { throw JSONError(.numberOutOfRange, at: at) }
        return value
    }

    /// Reads a decimal the way exchanges leave one out: `nil` for `null` or `""`, otherwise as
    /// ``readDecimal()``.
    ///
    /// - Throws: ``JSONError`` as ``readDecimal()``.
    package mutating func readOptionalDecimal() throws(JSONError) -> Decimal? {
        if peekIsNull() {
            try readNull()
            return nil
        }
        if offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\""), bytes[offset + 1] == UInt8(ascii: "\"") {
            offset += 2
            return nil
        }
        return try readDecimal()
    }

    /// Reads an integer number (no fraction, no exponent) that fits `Int64`.
    ///
    /// - Throws: ``JSONError``: a type mismatch, or ``JSONError/Reason/numberOutOfRange`` for a fraction,
    ///   an exponent or a value out of range.
    package mutating func readInt64() throws(JSONError) -> Int64 {
        skipWhitespace()
        let at = offset
        let number = try readNumberBytes()
        guard let value = Self.int64(number) else { throw JSONError(.numberOutOfRange, at: at) }
        return value
    }

    /// A plain integer's value, or `nil` (a fraction, an exponent, out of range).
    package static func int64(_ number: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !number.isEmpty else { return nil }
        let isNegative = number[0] == UInt8(ascii: "-")
        var index = isNegative ? 1 : 0
        guard index < number.count else { return nil }
        var magnitude: UInt64 = 0
        while index < number.count {
            let byte = number[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            index += 1
        }
        if isNegative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A value read without deciding yet what it means: for fields whose meaning depends on another
    /// field that may come later (a filter's fields and its `filterType`). Valid while the reader's bytes are.
    package enum Token {
        /// A string, escapes not resolved.
        case string(StringBytes)
        /// A number's bytes as written.
        case number(UnsafeBufferPointer<UInt8>)
        /// `true` or `false`.
        case bool(Bool)
        /// `null`.
        case null
        /// An object or array, checked and skipped.
        case container(JSONKind)

        /// The value as an optional decimal the way exchanges leave one out: `.some(nil)` for `null` or
        /// `""`, `.some(value)` for a number or numeric string a `Decimal` holds exactly, `nil` otherwise.
        package var optionalDecimal: Decimal?? {
            switch self {
            case .null: return .some(nil)
            case .string(let text):
                if text.raw.isEmpty { return .some(nil) }
                let value = text.isEscaped ? Decimal(wireBytes: JSONReader.unescape(text.raw)) : Decimal(wireBytes: text.raw)
                return value.map { .some($0) }
            case .number(let bytes): return Decimal(wireBytes: bytes).map { .some($0) }
            case .bool, .container: return nil
            }
        }

        /// `.some(nil)` for `null`, `.some(flag)` for a boolean, `nil` otherwise.
        package var optionalBool: Bool?? {
            switch self {
            case .null: return .some(nil)
            case .bool(let flag): return .some(flag)
            default: return nil
            }
        }

        /// `.some(nil)` for `null`, `.some(text)` for a string, `nil` otherwise.
        package var optionalString: String?? {
            switch self {
            case .null: return .some(nil)
            case .string(let text): return .some(text.string)
            default: return nil
            }
        }
    }

    /// Reads any value as a ``Token`` (objects and arrays are checked and skipped).
    ///
    /// - Throws: ``JSONError`` for anything malformed.
    package mutating func readToken() throws(JSONError) -> Token {
        switch try peekKind() {
        case .string: return .string(try readStringBytes())
        case .number: return .number(try readNumberBytes())
        case .bool: return .bool(try readBool())
        case .null:
            try readNull()
            return .null
        case let kind:
            try skipValue()
            return .container(kind)
        }
    }

    // MARK: - Optional values

    /// Reads a string, or `null` as `nil`.
    ///
    /// - Throws: ``JSONError`` for any other value.
    package mutating func readOptionalString() throws(JSONError) -> String? {
        if peekIsNull() {
            try readNull()
            return nil
        }
        return try readString()
    }

    /// Reads a boolean, or `null` as `nil`.
    ///
    /// - Throws: ``JSONError`` for any other value.
    package mutating func readOptionalBool() throws(JSONError) -> Bool? {
        if peekIsNull() {
            try readNull()
            return nil
        }
        return try readBool()
    }

    /// Reads an integer, or `null` as `nil`.
    ///
    /// - Throws: ``JSONError`` for any other value, or an integer that does not fit.
    package mutating func readOptionalInt64() throws(JSONError) -> Int64? {
        if peekIsNull() {
            try readNull()
            return nil
        }
        return try readInt64()
    }

    // MARK: - Scanning

    private mutating func literal(_ word: StaticString) throws(JSONError) -> Bool {
        let count = word.utf8CodeUnitCount
        let expected = word.utf8Start
        guard offset < bytes.count, bytes[offset] == expected[0] else { return false }
        var index = 1
        while index < count {
            guard offset + index < bytes.count else { throw JSONError(.unexpectedEnd, at: offset + index) }
            guard bytes[offset + index] == expected[index] else { throw JSONError(.unexpectedByte, at: offset + index) }
            index += 1
        }
        offset += count
        return true
    }

    /// Scans a number at `offset`, returning its range.
    private mutating func scanNumber() throws(JSONError) -> Range<Int> {
        let start = offset
        var isZero = true
        if bytes[offset] == UInt8(ascii: "-") {
            offset += 1
            guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
        }
        guard isDigit(bytes[offset]) else { throw JSONError(.invalidNumber, at: offset) }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, isDigit(bytes[offset]) { throw JSONError(.invalidNumber, at: offset) }
        } else {
            isZero = false
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
            guard isDigit(bytes[offset]) else { throw JSONError(.invalidNumber, at: offset) }
            while offset < bytes.count, isDigit(bytes[offset]) {
                if bytes[offset] != UInt8(ascii: "0") { isZero = false }
                offset += 1
            }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            if options.refusesExponents { throw JSONError(.exponent, at: offset) }
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
            guard isDigit(bytes[offset]) else { throw JSONError(.invalidNumber, at: offset) }
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        if isZero, options.refusesNegativeZero, bytes[start] == UInt8(ascii: "-") {
            throw JSONError(.negativeZero, at: start)
        }
        return start..<offset
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Scans a string whose opening quote is at `offset`, checking escapes and UTF-8; returns the range
    /// of its content.
    private mutating func scanString(isKey: Bool) throws(JSONError) -> (range: Range<Int>, isEscaped: Bool) {
        offset += 1
        let start = offset
        // The usual case: printable ASCII without escapes.
        while offset < bytes.count {
            let byte = bytes[offset]
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
            offset += 1
        }
        var isEscaped = false
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                let range = start..<offset
                offset += 1
                return (range, isEscaped)
            case UInt8(ascii: "\\"):
                if isKey, options.refusesEscapedKeys { throw JSONError(.escapedKey, at: offset) }
                isEscaped = true
                try scanEscape()
            case 0x00..<0x20:
                throw JSONError(.controlCharacter, at: offset)
            case 0x7F:
                if options.refusesControlCharacters { throw JSONError(.controlCharacter, at: offset) }
                offset += 1
            case 0x80...0xFF:
                try scanUTF8Sequence()
            default:
                offset += 1
            }
        }
        throw JSONError(.unexpectedEnd, at: offset)
    }

    /// Checks the escape whose backslash is at `offset` and moves past it.
    private mutating func scanEscape() throws(JSONError) {
        let at = offset
        guard offset + 1 < bytes.count else { throw JSONError(.unexpectedEnd, at: offset + 1) }
        switch bytes[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            offset += 2
        case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            if options.refusesControlCharacters { throw JSONError(.controlCharacter, at: at) }
            offset += 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: offset + 2)
            offset += 6
            if unit >= 0xDC00 && unit <= 0xDFFF { throw JSONError(.loneSurrogate, at: at) }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
                else { throw JSONError(.loneSurrogate, at: at) }
                let low = try hex4(at: offset + 2)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONError(.loneSurrogate, at: at) }
                offset += 6
            } else if options.refusesControlCharacters, unit < 0x20 || unit == 0x7F {
                throw JSONError(.controlCharacter, at: at)
            }
        default:
            throw JSONError(.invalidEscape, at: at)
        }
    }

    private func hex4(at index: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for position in index..<(index + 4) {
            guard position < bytes.count else { throw JSONError(.unexpectedEnd, at: position) }
            guard let digit = Self.hexValue(bytes[position]) else { throw JSONError(.invalidEscape, at: position) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Checks the UTF-8 sequence whose lead byte is at `offset` (no overlong forms, surrogates or values
    /// above U+10FFFF) and moves past it.
    private mutating func scanUTF8Sequence() throws(JSONError) {
        let lead = bytes[offset]
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF:
            length = 2
            minimum = 0x80
            scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            length = 3
            minimum = 0x800
            scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4:
            length = 4
            minimum = 0x10000
            scalar = UInt32(lead & 0x07)
        default: throw JSONError(.invalidUTF8, at: offset)
        }
        guard offset + length <= bytes.count else { throw JSONError(.invalidUTF8, at: offset) }
        for position in (offset + 1)..<(offset + length) {
            let byte = bytes[position]
            guard byte & 0xC0 == 0x80 else { throw JSONError(.invalidUTF8, at: offset) }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            throw JSONError(.invalidUTF8, at: offset)
        }
        offset += length
    }

    /// The content of a string or name the reader has checked, with its escapes resolved to UTF-8.
    @usableFromInline
    package static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for position in at..<min(at + 4, raw.count) { value = value << 4 | UInt32(hexValue(raw[position]) ?? 0) }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF, index + 6 <= raw.count {
                    let low = hex4(index + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                    index += 6
                }
                appendUTF8(scalar, to: &output)
            default: output.append(escaped)
            }
        }
        return output
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18) & 0x07))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
