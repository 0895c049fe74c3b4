import TradeOnly

/// Bybit endpoints from `reference/binance-bybit.md` §3.2, typed out once in
/// `Resources/bybit-reference.json`, independently of `Bybit.deniedEndpoints`: the core tests build a
/// Bybit-like policy against them and the Bybit module's tests check the real one against them.
///
/// Each list is read from the resource once; a resource that cannot be read is a ``TestResourceError``
/// naming it, thrown by every list.
package enum BybitReference {
    /// The sections A–F of §3.2, in order.
    package static var sections: [ReferenceSection] {
        get throws(TestResourceError) { try file.get().denied }
    }

    /// Every path of §3.2 A–F (all `POST`; wildcards expanded with a representative path).
    package static var denied: [Endpoint] {
        get throws(TestResourceError) { try sections.flatMap(\.endpoints) }
    }

    /// §3.2 G: adding margin to a position. Position configuration may be opted into; this stays denied.
    package static var addMargin: Endpoint {
        get throws(TestResourceError) { try file.get().addMargin }
    }

    /// A sample path under every prefix the Bybit module denies as a whole (some are §3.2 paths too).
    package static var prefixSamples: [String] {
        get throws(TestResourceError) { try file.get().prefixSamples }
    }

    /// What the Bybit module refuses whatever the user allows, each path once: §3.2 A–F, ``addMargin``
    /// and ``prefixSamples``.
    package static var deniedPaths: [String] {
        get throws(TestResourceError) {
            var seen = Set<String>()
            return try (denied.map(\.path) + [addMargin.path] + prefixSamples).filter { seen.insert($0).inserted }
        }
    }

    /// The shape of `bybit-reference.json`.
    private struct File: Decodable {
        let reference: String
        let note: String
        let denied: [ReferenceSection]
        let addMargin: Endpoint
        let prefixSamples: [String]
    }

    private static let file = Result { () throws(TestResourceError) in
        try ReferenceResources.load(File.self, "bybit-reference.json")
    }
}
