/// Finds secrets where they must never appear: log lines, error messages, descriptions and `dump`
/// output. For tests of every module:
///
/// ```swift
/// let scanner = LeakScanner(secrets: [apiKey, apiSecret, signature])
/// #expect(scanner.leaks(in: sink.events).isEmpty)
/// #expect(scanner.leaks(inDescriptionsOf: error).isEmpty)
/// ```
///
/// Each secret is looked for as it is and percent-encoded, ignoring case. Use distinctive values (a
/// short secret such as `"1"` matches everywhere); empty strings are ignored. A reported ``Leak``
/// never shows the secret itself.
package struct LeakScanner: Sendable {
    /// A secret found somewhere it must not be.
    package struct Leak: Sendable, Hashable, CustomStringConvertible {
        /// Which secret, masked: its first two characters and its length.
        package var secret: String
        /// Where it was found (`"log event 3"`, `"description"`, …).
        package var location: String

        /// For example `secret "vm…(64 chars)" found in log event 2`.
        package var description: String { "secret \"\(secret)\" found in \(location)" }
    }

    /// The values looked for.
    package let secrets: [String]

    /// Creates a scanner for `secrets` (empty strings are ignored).
    package init(secrets: [String]) {
        self.secrets = secrets.filter { !$0.isEmpty }
    }

    /// The secrets found in `text`.
    ///
    /// - Parameters:
    ///   - text: The text to scan.
    ///   - location: Where the text came from, for the report.
    package func leaks(in text: String, location: String = "text") -> [Leak] {
        let haystack = text.lowercased()
        return secrets.compactMap { secret in
            let forms = [secret, Self.percentEncoded(secret)].map { $0.lowercased() }
            guard forms.contains(where: { haystack.contains($0) }) else { return nil }
            return Leak(secret: Self.mask(secret), location: location)
        }
    }

    /// The secrets found in log events: messages and metadata keys and values.
    ///
    /// - Parameter events: The events, for example `InMemoryLogSink.events`.
    package func leaks(in events: [LogEvent]) -> [Leak] {
        events.enumerated().flatMap { index, event in
            let metadata = event.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return leaks(in: event.message + " " + metadata, location: "log event \(index)")
        }
    }

    /// The secrets found in every textual form of `value`: `description`, `debugDescription`, `dump`
    /// output, and (for errors) `localizedDescription`.
    ///
    /// - Parameter value: Anything: an error, a request, a client, a key.
    package func leaks(inDescriptionsOf value: Any) -> [Leak] {
        var dumped = ""
        dump(value, to: &dumped)
        var forms: [(String, String)] = [
            ("description", String(describing: value)),
            ("debugDescription", String(reflecting: value)),
            ("dump", dumped),
        ]
        if let error = value as? any Error {
            forms.append(("localizedDescription", error.localizedDescription))
        }
        return forms.flatMap { location, text in leaks(in: text, location: location) }
    }

    private static func mask(_ secret: String) -> String {
        "\(secret.prefix(2))…(\(secret.count) chars)"
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(UnicodeScalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
