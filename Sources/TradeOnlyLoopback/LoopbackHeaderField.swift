/// One header field of a loopback request or response: the name as spelled on the wire, and the value.
public struct LoopbackHeaderField: Sendable, Hashable {
    /// The field name, with its original spelling.
    public var name: String
    /// The field value, without surrounding spaces or tabs.
    public var value: String

    /// Creates a header field.
    ///
    /// - Parameters:
    ///   - name: The field name, spelled as it should be sent.
    ///   - value: The value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension [LoopbackHeaderField] {
    /// Returns the value of the first field with a name, compared case-insensitively.
    ///
    /// - Parameter name: The header name, in any letter case.
    /// - Returns: The value, or `nil` if there is no such field.
    public func value(for name: String) -> String? {
        first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Returns the values of all fields with a name, compared case-insensitively, in order.
    ///
    /// - Parameter name: The header name, in any letter case.
    /// - Returns: The values; empty if there is no such field.
    public func values(for name: String) -> [String] {
        filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}
