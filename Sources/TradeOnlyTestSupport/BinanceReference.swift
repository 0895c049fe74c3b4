import TradeOnly

/// Binance endpoints from `reference/binance-bybit.md` §3.1, typed out once in
/// `Resources/binance-reference.json`, independently of the Binance module's policy: the core tests build
/// a Binance-like policy against them and the Binance module's tests check the real one against them.
///
/// Each list is read from the resource once; a resource that cannot be read is a ``TestResourceError``
/// naming it, thrown by every list.
package enum BinanceReference {
    /// The sections A–F of §3.1, in order.
    package static var sections: [ReferenceSection] {
        get throws(TestResourceError) { try file.get().denied }
    }

    /// Every path of §3.1 A–F, with its method (wildcards and alternatives expanded with a
    /// representative path).
    package static var denied: [Endpoint] {
        get throws(TestResourceError) { try sections.flatMap(\.endpoints) }
    }

    /// §3.1 G: account configuration. Neither on the allow-list nor money out, so it fails closed
    /// until the user opts in — except ``positionMargin``, which stays denied.
    package static var configuration: [Endpoint] {
        get throws(TestResourceError) { try file.get().configuration.endpoints }
    }

    /// §3.1 G: moving isolated margin in or out of a position. The Binance module denies it and it cannot
    /// be opted into.
    package static var positionMargin: Endpoint {
        get throws(TestResourceError) { try file.get().positionMargin }
    }

    /// §3.1 G without ``positionMargin``: refused by default, allowed once the user opts in.
    package static var optIn: [Endpoint] {
        get throws(TestResourceError) {
            let positionMargin = try positionMargin
            return try configuration.filter { $0 != positionMargin }
        }
    }

    /// What the Binance module refuses whatever the user allows: §3.1 A–F and ``positionMargin``.
    package static var alwaysDenied: [Endpoint] {
        get throws(TestResourceError) { try denied + [positionMargin] }
    }

    /// The shape of `binance-reference.json`.
    private struct File: Decodable {
        let reference: String
        let note: String
        let denied: [ReferenceSection]
        let configuration: ReferenceSection
        let positionMargin: Endpoint
    }

    private static let file = Result { () throws(TestResourceError) in
        try ReferenceResources.load(File.self, "binance-reference.json")
    }
}
