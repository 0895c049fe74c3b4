/// A failure to start a ``LoopbackServer``.
public struct LoopbackServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the server was doing, for example `"bind"`.
    public var operation: String
    /// The `errno` value, or 0 if the failure was not a system call.
    public var code: Int32
    /// A human explanation.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - operation: What the server was doing.
    ///   - code: The `errno` value, or 0.
    ///   - message: A human explanation.
    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// For example `LoopbackServer bind failed: Address already in use (errno 98)`.
    public var description: String {
        code == 0
            ? "LoopbackServer \(operation) failed: \(message)"
            : "LoopbackServer \(operation) failed: \(message) (errno \(code))"
    }
}
