import TradeOnly

/// Asks Binance what an API key can do, with `GET /sapi/v1/account/apiRestrictions`, signed with the
/// key being inspected through the same signer and request pipeline as ``BinanceClient``.
///
/// ```swift
/// let key = try await SafeKey.verify(credentials, using: binance.keyInspector)
/// ```
///
/// Every field Binance reports is translated (see ``BinanceKeyReport``); any other boolean field that
/// is `true` becomes an unknown capability, which refuses the key. The report names the environment
/// (``KeyReport/environment``: `live`, `testnet`, `demo` or `local`), and ``Binance/client(_:journal:)``
/// refuses a key verified in another one.
///
/// **Testnet.** Binance's spot testnet has no `/sapi`, so on ``Binance/Environment/testnet`` the
/// inspector sends nothing and reports the key as not verifiable. To use a testnet key anyway, say
/// why and which permissions you take on trust:
///
/// ```swift
/// let policy = KeyPolicy.tradeOnly.requiring([.spotTrade])
///     .acceptingUnverifiable(reason: "spot testnet key: testnet.binance.vision has no /sapi")
/// ```
///
/// **Demo.** If `demo-api.binance.com` answers the check with HTTP 404 (it documents only `/api`),
/// the key is reported as not verifiable in the same way.
///
/// **What it trusts.** The check runs on a request pipeline without the ``Binance`` value's
/// middlewares, so no middleware can rewrite, cache or replay the answer. It is sent through the
/// value's transport, which is in the trusted computing base: a transport can answer anything, so use
/// `URLSessionTransport` (or a transport you trust as you trust the secret). The key remembers, where
/// only this package can read it, that this module verified it against the spot origin of this
/// environment, and clients of another origin or environment refuse it.
public struct BinanceKeyInspector: KeyInspector, BuiltInKeyInspector {
    /// The Binance value, without its middlewares.
    let binance: Binance

    /// An inspector for `binance`'s environment and transport, without its middlewares.
    init(binance: Binance) {
        var trusted = binance
        trusted.middlewares = []
        self.binance = trusted
    }

    /// Binance's spot origin for the environment, the environment's name, this module, and the
    /// ``Binance`` value's clock (which identifies the value, and so its transport).
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a local URL that
    ///   is not a plain base URL.
    package func verificationSite() throws -> KeyProvenance {
        let base = try binance.environment.baseURL(for: .spot)
        guard let origin = KeyOrigin(base) else {
            throw ExchangeError(
                .invalidRequest, message: "no origin can be read from Binance's spot base URL \(base)",
                exchange: Binance.exchangeName)
        }
        return KeyProvenance(
            module: Binance.exchangeName, origin: origin, environment: binance.environment.name, instance: binance.clock)
    }

    /// The ``Binance`` value's time source.
    package var timeSource: any TimeSource { binance.timeSource }

    /// Asks Binance what `credentials` can do.
    ///
    /// - Parameter credentials: The key to inspect.
    /// - Returns: The key report.
    /// - Throws: ``ExchangeError`` — for example ``ExchangeError/Kind/authentication`` for Binance's
    ///   -2015 (invalid key, IP not whitelisted) — or ``ExchangeError/Kind/decoding`` if the answer
    ///   lacks a flag that decides whether the key moves funds.
    public func inspect(_ credentials: Credentials) async throws -> KeyReport {
        var report = try await report(for: credentials)
        report.environment = binance.environment.name
        return report
    }

    private func report(for credentials: Credentials) async throws -> KeyReport {
        guard binance.environment.servesSAPI else {
            return BinanceKeyReport.unverifiable(
                reason: "Binance's spot testnet (testnet.binance.vision) has no /sapi endpoints, so the key's "
                    + "permissions cannot be read; testnet keys only reach virtual balances")
        }
        let pipeline = binance.pipeline(signer: binance.signer(for: credentials, permissions: nil))
        let request = ExchangeRequest(method: .get, path: BinanceKeyReport.path, security: .signed, weight: 1)
        let response: HTTPResponse
        do {
            response = try await pipeline.send(request)
        } catch let error as ExchangeError where binance.environment == .demo && error.httpStatus == 404 {
            return BinanceKeyReport.unverifiable(
                reason: "Binance demo mode (demo-api.binance.com) does not serve /sapi/v1/account/apiRestrictions, "
                    + "so the key's permissions cannot be read; demo keys only reach demo balances")
        }
        let fields = try ResponseClassification.readJSONObject(
            response, exchange: Binance.exchangeName, what: "API key restrictions")
        return try BinanceKeyReport.report(from: fields)
    }
}
