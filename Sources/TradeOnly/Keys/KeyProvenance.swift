/// Where a request for a key's permissions went: scheme, host and port, normalised.
///
/// Package-only. Two origins are equal only when all three parts are: the scheme and the host are
/// compared in lower case (an IPv6 host without its brackets), and a missing port is the scheme's
/// default (80 for `http`, 443 for `https`). Nothing else is folded together (a trailing dot,
/// `localhost` and `127.0.0.1` stay distinct): two spellings of one server may compare unequal, which
/// refuses a key that could have been used, never the other way round.
package struct KeyOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, in lower case.
    package let scheme: String
    /// The host, in lower case, without IPv6 brackets.
    package let host: String
    /// The port, the scheme's default when the URL names none.
    package let port: Int

    /// The origin of a URL, or `nil` if it has no `http` or `https` scheme or no host.
    ///
    /// - Parameter url: A base URL or a request URL (its path and query are ignored).
    package init?(_ url: URL) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: true),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    /// The origin of a base URL given as text, or `nil` (see ``init(_:)-(URL)``).
    ///
    /// - Parameter text: For example `https://api.binance.com`.
    package init?(_ text: String) {
        guard let url = URL(string: text) else { return nil }
        self.init(url)
    }

    /// `https://api.binance.com`, `http://127.0.0.1:1234`: the port only when it is not the default.
    package var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let isDefault = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        return scheme + "://" + shownHost + (isDefault ? "" : ":\(port)")
    }
}

/// Which exchange module verified a key, against which origin, in which environment, through which
/// exchange value.
///
/// Package-only, so that code outside this package cannot make one: a ``SafeKey`` carries one only
/// when a ``BuiltInKeyInspector`` inspected it, and clients compare it with their own before they sign
/// anything with the key.
package struct KeyProvenance: Sendable, Hashable, CustomStringConvertible {
    /// The exchange module that verified the key, by its exchange name (`"binance"`, `"bybit"`).
    package let module: String
    /// Where the module asked what the key can do.
    package let origin: KeyOrigin
    /// The module's name for the environment (`"live"`, `"testnet"`, `"demo"`, `"local"`).
    package let environment: String
    /// The exchange value (a `Binance`, a `Bybit`) whose transport carried the question, identified
    /// by its clock (copies of one value share it). Held strongly, so that no other clock can take
    /// its identity while the key exists.
    package let instance: ServerClock

    /// Creates a provenance.
    ///
    /// - Parameters:
    ///   - module: The verifying module's exchange name.
    ///   - origin: Where the module asks.
    ///   - environment: The module's name for the environment.
    ///   - instance: The clock of the exchange value that asks.
    package init(module: String, origin: KeyOrigin, environment: String, instance: ServerClock) {
        self.module = module
        self.origin = origin
        self.environment = environment
        self.instance = instance
    }

    /// Whether the same module asked the same origin in the same environment (through any exchange
    /// value).
    package func isSameSite(as other: KeyProvenance) -> Bool {
        module == other.module && origin == other.origin && environment == other.environment
    }

    /// The same site, through the same exchange value.
    package static func == (lhs: KeyProvenance, rhs: KeyProvenance) -> Bool {
        lhs.isSameSite(as: rhs) && lhs.instance === rhs.instance
    }

    /// Hashes the site and the exchange value's identity.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(module)
        hasher.combine(origin)
        hasher.combine(environment)
        hasher.combine(ObjectIdentifier(instance))
    }

    /// `binance at https://api.binance.com (live)`.
    package var description: String { "\(module) at \(origin) (\(environment))" }
}

/// A key inspector of an exchange module in this package: it says where it asks and on which clock.
///
/// Package-only: code outside this package cannot see this protocol, so it cannot conform to it, and
/// ``SafeKey/verify(_:using:policy:)`` treats every other ``KeyInspector`` as a custom one (refused
/// unless the policy says ``KeyPolicy/acceptingCustomInspector(reason:)``). A conforming inspector
/// must ask the exchange at ``verificationSite``'s origin through a request pipeline with no user
/// middleware (the transport is still the user's, and is trusted with the answer).
package protocol BuiltInKeyInspector: KeyInspector {
    /// The module, the origin asked, the environment, and the exchange value's clock.
    ///
    /// - Throws: ``ExchangeError`` if the environment has no usable origin (the inspection would
    ///   fail the same way).
    func verificationSite() throws -> KeyProvenance

    /// The module's clock: verification dates and expiry checks use it, so that a key's age is
    /// computed on the same clock as the client's schedule.
    var timeSource: any TimeSource { get }
}
