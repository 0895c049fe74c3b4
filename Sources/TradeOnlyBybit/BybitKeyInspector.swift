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
///
/// **What it trusts.** The check runs on a request pipeline without the ``Bybit`` instance's
/// middlewares, so no middleware can rewrite, cache or replay the answer. It is sent through the
/// instance's transport, which is in the trusted computing base: a transport can answer anything, so
/// use `URLSessionTransport` (or a transport you trust as you trust the secret). The key remembers,
/// where only this package can read it, that this module verified it against this environment's
/// origin (scheme, host and port of ``Bybit/Environment/baseURL``), and clients of another origin or
/// environment refuse it.
public struct BybitKeyInspector: KeyInspector, BuiltInKeyInspector {
    /// The Bybit instance, without its middlewares.
    let bybit: Bybit

    /// An inspector for `bybit`'s environment and transport, without its middlewares.
    init(bybit: Bybit) {
        var trusted = bybit
        trusted.middlewares = []
        self.bybit = trusted
    }

    /// The environment's origin and key environment, this module, and the ``Bybit`` instance's clock
    /// (which identifies the instance, and so its transport).
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a base URL
    ///   without an `http` or `https` scheme and a host.
    package func verificationSite() throws -> KeyProvenance {
        guard let origin = KeyOrigin(bybit.environment.baseURL) else {
            throw ExchangeError(
                .invalidRequest,
                message: "no origin can be read from Bybit's base URL \(bybit.environment.baseURL.absoluteString)",
                exchange: Bybit.exchangeName)
        }
        return KeyProvenance(
            module: Bybit.exchangeName, origin: origin, environment: bybit.environment.keyEnvironment,
            instance: bybit.clock)
    }

    /// The ``Bybit`` instance's time source.
    package var timeSource: any TimeSource { bybit.clock.timeSource }

    /// Asks Bybit about the key and translates the answer (see ``BybitKeyReport`` for the table of
    /// permissions).
    ///
    /// - Parameter credentials: The key to inspect.
    /// - Returns: What Bybit says the key can do.
    /// - Throws: ``ExchangeError`` (for example ``ExchangeError/Kind/authentication`` for a key from
    ///   another environment, error `10003`).
    public func inspect(_ credentials: Credentials) async throws -> KeyReport {
        let dialect = bybit.dialect(apiKey: (credentials.apiKey, credentials.maskedAPIKey))
        let pipeline = RequestPipeline(
            dialect: dialect, transport: bybit.transport, middlewares: [],
            signer: dialect.signer(for: credentials, permissions: nil), clock: bybit.clock, logger: bybit.logger,
            retryPolicy: bybit.configuration.retryPolicy, governor: bybit.governor, sleeper: bybit.sleeper)
        return try dialect.keyReport(from: try await pipeline.send(dialect.keyReportRequest))
    }
}
