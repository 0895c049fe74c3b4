/// Why credentials could not be created or loaded.
///
/// The description names the field, environment variable, file and line concerned and says what to
/// do. It never contains a value: not the secret, not the passphrase, not the API key, not the text
/// of a line in a credentials file.
public struct CredentialsError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of problem this is. Extensible: new kinds are static members, not enum cases.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The kind's stable name, for example `"insecureFilePermissions"`.
        public let name: String

        /// Creates a kind with a stable name. Prefer the static members.
        public init(_ name: String) { self.name = name }

        /// The kind's name.
        public var description: String { name }

        /// A required value (API key or secret, environment variable, file entry) is missing.
        public static let missingValue = Kind("missingValue")
        /// A value is present but empty.
        public static let emptyValue = Kind("emptyValue")
        /// A value contains white space, a control character or a non-ASCII character.
        public static let invalidCharacters = Kind("invalidCharacters")
        /// The credentials file can be read or written by the group or by others.
        public static let insecureFilePermissions = Kind("insecureFilePermissions")
        /// The credentials file belongs to a user other than the one this process runs as (and
        /// other than root), so that user can rewrite it.
        public static let insecureFileOwner = Kind("insecureFileOwner")
        /// The credentials file does not exist or cannot be opened or read.
        public static let unreadableFile = Kind("unreadableFile")
        /// The path does not name a regular file (a directory, a device, a pipe, …).
        public static let notRegularFile = Kind("notRegularFile")
        /// The credentials file is larger than a credentials file can be.
        public static let fileTooLarge = Kind("fileTooLarge")
        /// A line of the credentials file is not a comment, a blank line or a known `KEY=VALUE` entry.
        public static let malformedFile = Kind("malformedFile")
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// The field or variable concerned (`"API secret"`, `"BINANCE_API_SECRET"`, `"API_KEY"`), if any.
    public let field: String?
    /// The credentials file concerned, if any.
    public let path: String?
    /// The 1-based line of the credentials file concerned, if any.
    public let line: Int?
    /// What went wrong and what to do, in plain words. Never contains a value.
    public let message: String

    init(_ kind: Kind, field: String? = nil, path: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.field = field
        self.path = path
        self.line = line
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }

    /// The kind and the ``message``.
    public var debugDescription: String { "CredentialsError(\(kind): \(message))" }
}

extension CredentialsError: LocalizedError {
    /// The same as ``description``.
    public var errorDescription: String? { description }
}
