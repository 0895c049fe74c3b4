/// How an order is priced.
public enum OrderType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Executes at the given price or better; the rest rests on the book (subject to the time in force).
    case limit
    /// Executes immediately against the book at the best available prices; it carries no price.
    case market

    /// `limit` or `market`.
    public var description: String { rawValue }
}
