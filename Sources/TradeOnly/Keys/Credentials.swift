/// An exchange API key with its secret and, for exchanges that use one (OKX), its passphrase.
///
/// Credentials are checked when they are made: the API key and the secret must not be empty, and no
/// value may contain white space, a control character or a non-ASCII character (anything outside
/// printable ASCII, `!` to `~`). That refuses the stray space or line break of a copy-paste and any
/// attempt to smuggle a header into a request.
///
/// The secret and passphrase are ``Secret``s: never shown. The API key is an identifier, readable as
/// ``apiKey`` but shown masked (``maskedAPIKey``, `vmPU…Eh8A`) in descriptions and dumps.
///
/// ```swift
/// let credentials = try Credentials.environment(prefix: "BINANCE")  // BINANCE_API_KEY, BINANCE_API_SECRET
/// let fromFile = try Credentials.file(atPath: "/etc/bot/binance.key")  // must be chmod 600
/// ```
public struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The API key: the public identifier of the key. Show ``maskedAPIKey`` rather than this.
    public let apiKey: String
    /// The API secret. For signing code in this package only.
    package let secret: Secret
    /// The passphrase, for exchanges that use one. For signing code in this package only.
    package let passphrase: Secret?

    /// Creates credentials from an API key, a secret and an optional passphrase.
    ///
    /// - Parameters:
    ///   - apiKey: The API key, exactly as the exchange issued it.
    ///   - secret: The API secret.
    ///   - passphrase: The passphrase, for exchanges that use one (OKX); `nil` otherwise.
    /// - Throws: ``CredentialsError`` of kind ``CredentialsError/Kind/emptyValue`` if the API key, the
    ///   secret or a given passphrase is empty, or ``CredentialsError/Kind/invalidCharacters`` if any of
    ///   them contains a character outside printable ASCII. The error never contains the value.
    public init(apiKey: String, secret: Secret, passphrase: Secret? = nil) throws {
        try self.init(apiKey: apiKey, secret: secret, passphrase: passphrase, names: .plain)
    }

    /// The names values go by in error messages: plain words, environment variables or file keys.
    struct FieldNames {
        var apiKey: String
        var secret: String
        var passphrase: String
        var path: String?

        static let plain = FieldNames(apiKey: "the API key", secret: "the API secret", passphrase: "the passphrase")
    }

    init(apiKey: String, secret: Secret, passphrase: Secret?, names: FieldNames) throws {
        var apiKeyBytes = apiKey
        try apiKeyBytes.withUTF8 {
            try Credentials.validate(UnsafeRawBufferPointer($0), field: names.apiKey, path: names.path)
        }
        try secret.withUnsafeBytes { try Credentials.validate($0, field: names.secret, path: names.path) }
        if let passphrase {
            try passphrase.withUnsafeBytes { try Credentials.validate($0, field: names.passphrase, path: names.path) }
        }
        self.apiKey = apiKey
        self.secret = secret
        self.passphrase = passphrase
    }

    /// The API key with all but its first and last four characters hidden (`vmPU…Eh8A`), or only
    /// asterisks for a key shorter than 12 characters.
    public var maskedAPIKey: String { Credentials.mask(apiKey) }

    /// Whether the credentials include a passphrase.
    public var hasPassphrase: Bool { passphrase != nil }

    /// The masked API key; the secret and passphrase are redacted.
    public var description: String {
        "Credentials(apiKey: \(maskedAPIKey), secret: <redacted>"
            + (passphrase == nil ? ")" : ", passphrase: <redacted>)")
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and reflection show nothing but the type.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    // MARK: Environment

    /// Reads credentials from environment variables: `<PREFIX>_API_KEY`, `<PREFIX>_API_SECRET` and,
    /// if set, `<PREFIX>_API_PASSPHRASE`.
    ///
    /// - Parameters:
    ///   - prefix: The variables' prefix, for example `"BINANCE"`. With an empty prefix the variables
    ///     are `API_KEY`, `API_SECRET` and `API_PASSPHRASE`.
    ///   - environment: The variables to read; the process's environment by default.
    /// - Returns: The credentials.
    /// - Throws: ``CredentialsError`` naming the variable that is missing, empty or holds a character
    ///   outside printable ASCII. The error never contains a value.
    public static func environment(
        prefix: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Credentials {
        let head = prefix.isEmpty ? "" : prefix + "_"
        let names = FieldNames(apiKey: head + "API_KEY", secret: head + "API_SECRET", passphrase: head + "API_PASSPHRASE")
        func required(_ name: String) throws -> String {
            guard let value = environment[name] else {
                throw CredentialsError(
                    .missingValue, field: name,
                    message: "the environment variable \(name) is not set: export \(name) with the value the exchange issued")
            }
            return value
        }
        let apiKey = try required(names.apiKey)
        let secret = try required(names.secret)
        try checkNotEmpty(apiKey, variable: names.apiKey)
        try checkNotEmpty(secret, variable: names.secret)
        var passphrase: Secret?
        if let value = environment[names.passphrase] {
            try checkNotEmpty(value, variable: names.passphrase)
            passphrase = Secret(value)
        }
        return try Credentials(apiKey: apiKey, secret: Secret(secret), passphrase: passphrase, names: names)
    }

    private static func checkNotEmpty(_ value: String, variable: String) throws {
        guard value.isEmpty else { return }
        throw CredentialsError(
            .emptyValue, field: variable,
            message: "the environment variable \(variable) is set but empty: set it to the value the exchange issued")
    }

    // MARK: Validation

    /// Refuses an empty value, or a value with any byte outside printable ASCII (0x21–0x7E).
    /// The error names the field and the kind and position of the first bad character, never the value.
    static func validate(_ bytes: UnsafeRawBufferPointer, field: String, path: String? = nil, line: Int? = nil)
        throws
    {
        let place = Credentials.place(path: path, line: line)
        guard !bytes.isEmpty else {
            throw CredentialsError(
                .emptyValue, field: field, path: path, line: line,
                message: "\(field)\(place) is empty: use the value the exchange issued")
        }
        guard let index = bytes.firstIndex(where: { !(0x21...0x7E).contains($0) }) else { return }
        let what = describe(byte: bytes[index])
        let trailing = index == bytes.count - 1 ? " (the last character: a common copy-paste mistake)" : ""
        throw CredentialsError(
            .invalidCharacters, field: field, path: path, line: line,
            message: "\(field)\(place) contains \(what) at position \(index + 1) of \(bytes.count)\(trailing): "
                + "API keys, secrets and passphrases must be printable ASCII without spaces; "
                + "remove the character, or copy the value again from the exchange")
    }

    static func place(path: String?, line: Int?) -> String {
        switch (path, line) {
        case (let path?, let line?): return " on line \(line) of \(path)"
        case (let path?, nil): return " in \(path)"
        case (nil, let line?): return " on line \(line)"
        case (nil, nil): return ""
        }
    }

    private static func describe(byte: UInt8) -> String {
        switch byte {
        case 0x20: return "a space"
        case 0x09: return "a tab"
        case 0x0A: return "a line feed (LF)"
        case 0x0D: return "a carriage return (CR)"
        case 0x00: return "a NUL byte"
        case 0x01...0x1F, 0x7F: return "a control character"
        default: return "a non-ASCII character"
        }
    }

    static func mask(_ apiKey: String) -> String {
        guard apiKey.count >= 12 else { return String(repeating: "*", count: apiKey.count) }
        return apiKey.prefix(4) + "…" + apiKey.suffix(4)
    }
}
