/// The header fields of an HTTP request or response: ordered, case-insensitive, redacted when printed.
///
/// Names are looked up case-insensitively, but each field keeps the spelling it was given, and the
/// fields keep their order (``URLSessionTransport`` keeps the spelling on the wire; the order there is
/// URLSession's choice):
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "application/json"]
/// headers["X-MBX-APIKEY"] = apiKey
/// headers["content-type"]          // "application/json"
/// headers["Content-Type"] = nil    // removes the field
/// ```
///
/// ## Header injection
///
/// A value containing CR, LF, NUL or another control character (or a name that is not an HTTP token)
/// could smuggle an extra header onto the wire. Such fields can be stored, but ``validate()`` refuses
/// them, and every transport of this package calls it before any network I/O, so an invalid field
/// makes the request fail with ``HTTPTransportError/Kind-swift.struct/invalidRequest`` and nothing is
/// sent. Write your own transports the same way.
///
/// ## Redaction
///
/// `description`, `debugDescription` and the mirror used by `dump` show the values of sensitive
/// headers (see ``Redaction``) as `<redacted>`. ``redacted()`` returns a copy with those values
/// replaced, for code that needs to hand headers to a logger.
///
/// Two header collections are equal when they hold the same fields in the same order, comparing names
/// case-insensitively and values exactly.
public struct HTTPHeaders: Sendable {
    /// One header field as stored.
    struct Field: Sendable {
        var name: String
        var value: String
    }

    private(set) var fields: [Field]

    /// Creates an empty collection.
    public init() {
        fields = []
    }

    /// Creates a collection from name–value pairs, in order; repeated names give repeated fields.
    ///
    /// - Parameter pairs: The fields, in wire order.
    public init<Pairs: Sequence>(_ pairs: Pairs) where Pairs.Element == (String, String) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The number of fields, counting repeated names separately.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// Gets or sets the value of the fields with a name, compared case-insensitively.
    ///
    /// Getting returns `nil` if there is no such field, the value if there is one, and the values
    /// joined with `", "` if the name is repeated (as RFC 9110 §5.3 combines them); use
    /// ``values(for:)`` to get them apart.
    ///
    /// Setting a value replaces all fields with that name by one field, at the position of the first
    /// of them and with the spelling given now; a new name is appended. Setting `nil` removes every
    /// field with that name.
    ///
    /// - Parameter name: The header name, in any letter case.
    public subscript(_ name: String) -> String? {
        get {
            let values = values(for: name)
            return values.isEmpty ? nil : values.joined(separator: ", ")
        }
        set {
            if let newValue {
                replace(name: name, value: newValue)
            } else {
                remove(name: name)
            }
        }
    }

    /// Returns the values of all fields with a name, in order.
    ///
    /// - Parameter name: The header name, in any letter case.
    /// - Returns: The values; empty if there is no such field.
    public func values(for name: String) -> [String] {
        fields.compactMap { Self.namesMatch($0.name, name) ? $0.value : nil }
    }

    /// Tells whether a field with a name is present.
    ///
    /// - Parameter name: The header name, in any letter case.
    /// - Returns: `true` if at least one field has this name.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// Appends a field, keeping any fields that already have this name.
    ///
    /// - Parameters:
    ///   - name: The header name, spelled as it should go on the wire.
    ///   - value: The value.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Sets a field: replaces all fields with this name by one, at the position of the first of them,
    /// or appends it if there is none.
    ///
    /// - Parameters:
    ///   - name: The header name, spelled as it should go on the wire.
    ///   - value: The value.
    public mutating func replace(name: String, value: String) {
        guard let first = fields.firstIndex(where: { Self.namesMatch($0.name, name) }) else {
            fields.append(Field(name: name, value: value))
            return
        }
        fields[first] = Field(name: name, value: value)
        var index = fields.index(after: first)
        while index < fields.endIndex {
            if Self.namesMatch(fields[index].name, name) {
                fields.remove(at: index)
            } else {
                index = fields.index(after: index)
            }
        }
    }

    /// Removes every field with a name.
    ///
    /// - Parameter name: The header name, in any letter case.
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// Checks that every field can go on the wire as it is.
    ///
    /// A name must be a non-empty HTTP token (RFC 9110 §5.1); a value must not contain control
    /// characters other than horizontal tab (so no CR, LF or NUL, which could inject a header). Transports
    /// call this before sending anything.
    ///
    /// - Throws: ``HTTPTransportError`` of kind ``HTTPTransportError/Kind-swift.struct/invalidRequest``,
    ///   with ``HTTPTransportError/requestMayHaveBeenSent`` `false`. The error names the offending
    ///   header if its name is valid; it never contains a value.
    public func validate() throws {
        for field in fields {
            guard Self.isValidName(field.name) else {
                throw HTTPTransportError(
                    kind: .invalidRequest, requestMayHaveBeenSent: false,
                    reason: "a header name is not a valid HTTP token")
            }
            guard Self.isValidValue(field.value) else {
                throw HTTPTransportError(
                    kind: .invalidRequest, requestMayHaveBeenSent: false,
                    reason: "the value of header \(field.name) contains a control character (CR, LF, NUL or similar)")
            }
        }
    }

    /// Tells whether a string is a valid header name: a non-empty HTTP token (RFC 9110 §5.6.2).
    ///
    /// - Parameter name: The candidate name.
    /// - Returns: `true` if it is made only of letters, digits and ``!#$%&'*+-.^_`|~``.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isTokenByte)
    }

    /// Tells whether a string is a valid header value: no control characters except horizontal tab.
    ///
    /// - Parameter value: The candidate value.
    /// - Returns: `false` if the value contains CR, LF, NUL, another C0 control character or DEL.
    public static func isValidValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { byte in byte == 0x09 || (byte >= 0x20 && byte != 0x7F) }
    }

    /// Returns a copy in which the value of every sensitive header (see ``Redaction``) is
    /// replaced by `<redacted>`.
    ///
    /// - Returns: Headers that are safe to log.
    public func redacted() -> HTTPHeaders {
        var copy = self
        for index in copy.fields.indices where Redaction.isSensitiveHeader(copy.fields[index].name) {
            copy.fields[index].value = Redaction.placeholder
        }
        return copy
    }

    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension HTTPHeaders: Hashable {
    /// Tells whether two collections hold the same fields in the same order (names compared
    /// case-insensitively, values exactly).
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { namesMatch($0.name, $1.name) && $0.value == $1.value }
    }

    /// Hashes the fields, with names in lower case.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields.count)
        for field in fields {
            hasher.combine(field.name.lowercased())
            hasher.combine(field.value)
        }
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// Creates a collection from a literal, keeping its order; repeated names give repeated fields.
    ///
    /// - Parameter elements: The fields, in wire order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension HTTPHeaders: Sequence {
    /// A field as the sequence yields it: the name as spelled when it was set, and the value.
    public typealias Element = (name: String, value: String)

    /// Iterates over the fields in wire order.
    public struct Iterator: IteratorProtocol {
        private var base: IndexingIterator<[Field]>

        init(_ fields: [Field]) {
            base = fields.makeIterator()
        }

        /// Returns the next field, or `nil` at the end.
        public mutating func next() -> (name: String, value: String)? {
            base.next().map { (name: $0.name, value: $0.value) }
        }
    }

    /// Returns an iterator over the fields in wire order.
    public func makeIterator() -> Iterator {
        Iterator(fields)
    }

    /// The number of fields.
    public var underestimatedCount: Int { fields.count }
}

extension HTTPHeaders: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The fields as `["Name": "value", …]`, with sensitive values shown as `<redacted>`.
    public var description: String {
        let rendered = redacted().fields.map { "\"\($0.name)\": \"\($0.value)\"" }
        return "[" + rendered.joined(separator: ", ") + "]"
    }

    /// The same as ``description``: sensitive values are redacted.
    public var debugDescription: String { description }

    /// A mirror whose children are the fields with sensitive values redacted, so `dump` shows no secret.
    public var customMirror: Mirror {
        Mirror(
            self,
            unlabeledChildren: redacted().fields.map { "\($0.name): \($0.value)" },
            displayStyle: .collection)
    }
}
