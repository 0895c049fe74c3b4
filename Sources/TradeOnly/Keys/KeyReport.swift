// Placeholder: the Keys work replaces this with the full report.
/// What an exchange says an API key can do.
public struct KeyReport: Sendable, Hashable {}
