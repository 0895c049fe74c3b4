/// What a client may do with its key: the one piece every exchange module's client builds in its
/// `init`, so that a refused key and a missing permission behave the same on every exchange.
///
/// - A key the client must not use at all (verified by another module, for another environment or
///   another origin) is refused here, once: the client gets no signer, ``requireSigning()`` throws the
///   refusal before anything is sent, and public market data keeps working.
/// - A key refused later, when it is verified again, is refused by the ``KeyGuard`` the pipeline asks
///   before every signed request (``requireSigning()`` throws that refusal too, once it is known).
/// - A trading call the key has no permission for throws ``ExchangeError/Kind/permissionDenied``
///   before anything is sent (``requireTrading(_:)``).
package struct ClientKeyAccess: Sendable {
    /// The exchange's name, for errors.
    package let exchange: String
    /// The key's guard, to hand to the pipeline.
    package let keyGuard: KeyGuard
    /// What the key may do, as verified; empty for a refused key.
    package let permissions: Set<TradePermission>
    /// The masked API key (`vmPU…Eh8A`).
    package let maskedAPIKey: String
    /// The key to sign with, or `nil` when the key is refused here (the client then gets no signer).
    package let signingKey: SafeKey?
    /// Why the key cannot be used by this client at all, if it cannot.
    package let refusal: ExchangeError?

    /// Checks a key for a client and makes its guard.
    ///
    /// - Parameters:
    ///   - key: The key the client is made with.
    ///   - exchange: The exchange's name, for errors.
    ///   - inspector: The client's own module's inspector, for the client's environment.
    ///   - interval: How often to verify the key again (the configuration's
    ///     `keyReverificationInterval`).
    ///   - logger: Where re-verifications and refusals go.
    package init(
        key: SafeKey, exchange: String, inspector: some BuiltInKeyInspector, interval: TimeInterval?, logger: TradeOnlyLogger
    ) {
        self.exchange = exchange
        let keyGuard = KeyGuard(key: key, inspector: inspector, interval: interval, logger: logger)
        self.keyGuard = keyGuard
        maskedAPIKey = key.maskedAPIKey
        if let refusal = keyGuard.refusal {
            self.refusal = refusal
            permissions = []
            signingKey = nil
        } else {
            refusal = nil
            permissions = key.permissions
            signingKey = key
        }
    }

    /// Throws, before anything is sent, if the key must not sign: the first step of every signed call.
    ///
    /// - Throws: The refusal (an ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a
    ///   key verified elsewhere, ``ExchangeError/Kind/unsafeKey`` for a key that failed its policy when
    ///   verified again).
    package func requireSigning() throws {
        if let refusal { throw refusal }
        if let later = keyGuard.refusal { throw later }
    }

    /// Throws, before anything is sent, unless the key may sign and trade `kind`.
    ///
    /// - Parameter kind: The market the call trades on.
    /// - Throws: The refusal of ``requireSigning()``, or ``ExchangeError/Kind/permissionDenied`` naming
    ///   the permission that is missing.
    package func requireTrading(_ kind: MarketKind) throws {
        try requireSigning()
        let needed: TradePermission = kind == .spot ? .spotTrade : .futuresTrade
        guard permissions.contains(needed) else {
            throw ExchangeError(
                .permissionDenied,
                message: "this key was verified without the \(needed) permission, which \(kind == .spot ? "spot" : "perpetual") "
                    + "orders need: enable it for the key on \(exchange) and verify the key again; nothing was sent",
                exchange: exchange)
        }
    }
}
