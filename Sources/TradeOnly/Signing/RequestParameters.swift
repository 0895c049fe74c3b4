/// The parameters of a request, in order: the query or form body that gets signed.
///
/// Order is kept as added and a name may repeat, because a signature covers the exact bytes sent:
///
/// ```swift
/// var parameters: RequestParameters = ["symbol": "BTCUSDT", "side": "BUY"]
/// parameters.append("timestamp", "1499827319559")
/// parameters.percentEncodedQuery   // "symbol=BTCUSDT&side=BUY&timestamp=1499827319559"
/// ```
///
/// Build the string once, sign it, and send exactly that string. Binance and Gate send the
/// ``percentEncodedQuery``; Bybit signs the ``unencodedQuery`` of a GET, and Gate signs the unencoded
/// form of the query it sends.
///
/// ``description`` redacts sensitive items (`signature`, `apiKey`, …), so printing parameters is safe.
public struct RequestParameters: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence,
    CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// One `name=value` pair.
    public struct Item: Sendable, Hashable {
        /// The parameter's name, unencoded.
        public var name: String
        /// The parameter's value, unencoded. May be empty.
        public var value: String

        /// Creates a pair.
        ///
        /// - Parameters:
        ///   - name: The parameter's name, unencoded.
        ///   - value: The parameter's value, unencoded.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The pairs, in order.
    public private(set) var items: [Item]

    /// Creates an empty parameter list.
    public init() {
        items = []
    }

    /// Creates a parameter list from pairs, in order.
    ///
    /// - Parameter items: The pairs; names may repeat.
    public init(_ items: [Item]) {
        self.items = items
    }

    /// Creates a parameter list from a literal, in the literal's order (repeated names are kept).
    ///
    /// - Parameter elements: The `name: value` pairs.
    public init(dictionaryLiteral elements: (String, String)...) {
        items = elements.map { Item(name: $0.0, value: $0.1) }
    }

    /// Appends a pair at the end, even if `name` is already present.
    ///
    /// - Parameters:
    ///   - name: The parameter's name, unencoded.
    ///   - value: The parameter's value, unencoded.
    public mutating func append(_ name: String, _ value: String) {
        items.append(Item(name: name, value: value))
    }

    /// Appends the pairs of `other` at the end, in order.
    ///
    /// - Parameter other: The parameters to append.
    public mutating func append(contentsOf other: RequestParameters) {
        items.append(contentsOf: other.items)
    }

    /// Removes every pair named `name`.
    ///
    /// - Parameter name: The name to remove (compared exactly).
    public mutating func removeAll(named name: String) {
        items.removeAll { $0.name == name }
    }

    /// The value of the first pair named `name`, or `nil`.
    ///
    /// - Parameter name: The name to look up (compared exactly).
    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// The values of every pair named `name`, in order.
    ///
    /// - Parameter name: The name to look up (compared exactly).
    /// - Returns: The values, possibly empty.
    public func values(named name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// Whether there are no pairs.
    public var isEmpty: Bool { items.isEmpty }

    /// The number of pairs.
    public var count: Int { items.count }

    /// The pairs, sorted by name (byte order of the UTF-8 form); pairs with equal names keep their order.
    ///
    /// For exchanges and SDKs that sign parameters sorted by name.
    public func sortedByName() -> RequestParameters {
        let sorted = items.enumerated().sorted { lhs, rhs in
            let left = Array(lhs.element.name.utf8)
            let right = Array(rhs.element.name.utf8)
            if left != right { return left.lexicographicallyPrecedes(right) }
            return lhs.offset < rhs.offset
        }
        return RequestParameters(sorted.map(\.element))
    }

    /// The pairs as an RFC 3986 percent-encoded query: `name=value` joined with `&`, no leading `?`.
    ///
    /// Names and values are UTF-8, and every byte outside `A-Z a-z 0-9 - _ . ~` is written as `%XX`
    /// with upper-case hex; a space is `%20`, never `+`. An empty value gives `name=`.
    public var percentEncodedQuery: String {
        items.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
            .joined(separator: "&")
    }

    /// The pairs as an unencoded query: `name=value` joined with `&`, exactly as given.
    ///
    /// For exchanges that sign the unencoded string (Bybit, OKX; Gate signs the unencoded form of what
    /// it sends). Characters such as `&`, `=` and `#` inside values are not escaped, so this string is
    /// ambiguous if they occur: keep such values out of requests signed this way.
    public var unencodedQuery: String {
        items.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// Percent-encodes `string` the way ``percentEncodedQuery`` encodes names and values.
    ///
    /// - Parameter string: Any text.
    /// - Returns: The text with every byte outside `A-Z a-z 0-9 - _ . ~` of its UTF-8 form as `%XX`.
    public static func percentEncode(_ string: String) -> String {
        PercentEncoding.encode(string)
    }

    /// An iterator over the pairs, in order.
    public func makeIterator() -> IndexingIterator<[Item]> {
        items.makeIterator()
    }

    /// The unencoded query with sensitive values (`signature`, `apiKey`, …) redacted.
    public var description: String {
        Redaction.redactQuery(unencodedQuery)
    }

    /// The same as ``description``, labelled.
    public var debugDescription: String {
        "RequestParameters(\(description))"
    }

    /// A mirror that shows only the redacted ``description``, so `dump` cannot reveal a signature.
    public var customMirror: Mirror {
        Mirror(self, children: ["query": description], displayStyle: .struct)
    }
}
