import Foundation
import TradeOnly

/// Asks Bybit what an API key can do: a signed `GET /v5/user/query-api`, which any key may call.
///
/// The inspector describes; ``SafeKey/verify(_:using:policy:)`` judges. It signs with a policy that
/// allows the key report and the server time only, through the same pipeline and rate-limit governor
/// as the clients of its ``Bybit``. The report names the environment it was made in
/// (``KeyReport/environment``: ``Bybit/Environment/keyEnvironment``), and clients of another
/// environment refuse the key.
///
/// ```swift
/// let key = try await SafeKey.verify(credentials, using: bybit.keyInspector, policy: .tradeOnly)
/// ```
public struct BybitKeyInspector: KeyInspector {
    let bybit: Bybit

    /// Asks Bybit about the key and translates the answer (see ``BybitKeyReportMapping`` in the
    /// source for the table of permissions).
    ///
    /// - Parameter credentials: The key to inspect.
    /// - Returns: What Bybit says the key can do.
    /// - Throws: ``ExchangeError`` (for example ``ExchangeError/Kind/authentication`` for a key from
    ///   another environment, error `10003`).
    public func inspect(_ credentials: Credentials) async throws -> KeyReport {
        let signer = bybit.signer(for: credentials, permissions: nil)
        let pipeline = bybit.pipeline(
            signer: signer, policy: Bybit.inspectorPolicy,
            apiKey: (credentials.apiKey, credentials.maskedAPIKey), rateLimits: nil)
        let response = try await pipeline.send(
            ExchangeRequest(method: .get, path: "/v5/user/query-api", security: .signed))
        let envelope = try BybitWire.decode(WireAPIKeyInfo.self, from: response, what: "API key information")
        return BybitKeyReportMapping.report(
            envelope.result, now: bybit.clock.now(), environment: bybit.environment.keyEnvironment)
    }
}
