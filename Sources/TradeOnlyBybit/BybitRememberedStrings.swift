import Foundation
import TradeOnly

/// A small, bounded set of strings shared by copies of its owner: the signer's allowed endpoints and
/// the encoder's plainly spelled paths. Only positive answers are kept, and at most 64 of them; past
/// that, nothing more is remembered and every other string is decided afresh.
final class BybitRememberedStrings: Sendable {
    private static let capacity = 64
    private let strings = LockedValue<Set<String>>([])

    func contains(_ string: String) -> Bool {
        strings.withLock { $0.contains(string) }
    }

    func insert(_ string: String) {
        strings.withLock { set in
            if set.count < Self.capacity { set.insert(string) }
        }
    }
}
