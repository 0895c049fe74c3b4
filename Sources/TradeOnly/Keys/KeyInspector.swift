/// Asks an exchange what an API key can do.
///
/// Each exchange module provides one (for example `binance.keyInspector`); it calls the exchange's
/// key-report endpoint with the credentials and translates the answer into a ``KeyReport``.
/// ``SafeKey/verify(_:using:policy:)`` calls it and judges the report.
///
/// An inspector describes; it does not judge. It reports every granted flag, mapping the ones it
/// knows to a ``Permission`` and listing the rest in ``KeyReport/unknownCapabilities``, and sets
/// ``KeyReport/isVerifiable`` to `false` when the exchange cannot tell.
public protocol KeyInspector: Sendable {
    /// Asks the exchange what the key can do.
    ///
    /// - Parameter credentials: The key to inspect.
    /// - Returns: What the exchange says the key can do.
    /// - Throws: An error if the exchange could not be asked or refused to answer (for example
    ///   ``ExchangeError`` of kind ``ExchangeError/Kind/authentication``).
    func inspect(_ credentials: Credentials) async throws -> KeyReport
}
