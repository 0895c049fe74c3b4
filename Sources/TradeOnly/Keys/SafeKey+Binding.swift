extension SafeKey {
    /// Whether a client may sign with a key, judged from the key's provenance and the client's site.
    package enum Admission: Sendable {
        /// The client's own module verified the key for the client's origin and environment, at this
        /// date (on the module's clock).
        case admitted(verifiedAt: Date)
        /// The key came from a custom inspector (accepted by its policy), or was verified for this
        /// site through another exchange value (another transport): the client's module must verify
        /// it, through the client's own exchange value, before anything is signed with it. The
        /// associated text says which.
        case needsVerification(String)
        /// The key must never be used by this client.
        case refused(ExchangeError)
    }

    /// Whether a client at `site` may sign with this key.
    ///
    /// A key is admitted only if its report names the client's exchange and its provenance is
    /// exactly the client's: the same module, environment and origin, through the same exchange
    /// value. A key from a custom inspector (no provenance) of the same exchange, or one verified for
    /// the same site through another exchange value, needs verifying first. Anything else is refused
    /// with ``ExchangeError/Kind/invalidRequest``, with a message that says what to do.
    ///
    /// - Parameter site: The client's module, origin and environment (its inspector's
    ///   ``BuiltInKeyInspector/verificationSite()``).
    /// - Returns: The admission.
    package func admission(at site: KeyProvenance) -> Admission {
        let title = site.module.prefix(1).uppercased() + site.module.dropFirst()
        let inspector = "\(site.module).keyInspector"
        func refused(_ text: String) -> Admission {
            .refused(
                ExchangeError(
                    .invalidRequest,
                    message: text + "; this client signs nothing with it (public market data still works)",
                    exchange: site.module))
        }
        guard exchange == site.module else {
            return refused(
                "this SafeKey was verified with \(exchange), not \(title): verify the key with \(inspector) "
                    + "before making a \(title) client")
        }
        guard let provenance else {
            return .needsVerification(
                "it was accepted from a custom inspector, so \(title) verifies it before this client signs anything with it")
        }
        guard provenance.module == site.module else {
            return refused(
                "this SafeKey was verified by the \(provenance.module) module, not by \(title)'s: verify the key "
                    + "with \(inspector) before making a \(title) client")
        }
        guard provenance.environment == site.environment else {
            return refused(
                "this SafeKey was verified on \(title) \(provenance.environment), not on \(title) "
                    + "\(site.environment) (\(site.origin)): a key checked against one environment says nothing "
                    + "about the key in another; verify it with this environment's \(inspector)")
        }
        guard provenance.origin == site.origin else {
            return refused(
                "this SafeKey was verified against \(provenance.origin), not against \(site.origin), where this "
                    + "\(title) client signs: a key checked on one server says nothing about the key on another; "
                    + "verify it with the \(inspector) of a \(title) value for \(site.origin)")
        }
        guard provenance.instance === site.instance else {
            return .needsVerification(
                "it was verified through another \(title) value (another transport), so this client verifies it "
                    + "through its own before signing anything with it")
        }
        return .admitted(verifiedAt: verification.date)
    }
}
