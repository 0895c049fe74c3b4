/// A bounded memo shared across tasks: values already computed, by key. At most ``capacity`` are kept;
/// when it is full, everything is forgotten at once (a bot uses a few dozen endpoints; keys carrying
/// ids could be many). The one keyed memo of the core and the modules (the endpoint policy's
/// decisions); the signing gate's few request shapes stay a short array it compares byte for byte,
/// which is cheaper on every signature than hashing a key.
package final class MemoCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The most values kept.
    package let capacity: Int

    private let values = LockedValue<[Key: Value]>([:])

    /// Creates an empty memo.
    ///
    /// - Parameter capacity: The most values kept.
    package init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value remembered for `key`, if any.
    package func value(for key: Key) -> Value? {
        values.withLock { $0[key] }
    }

    /// Remembers `value` for `key`, forgetting everything first when the memo is full.
    package func remember(_ value: Value, for key: Key) {
        values.withLock { values in
            if values.count >= capacity, values[key] == nil { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
    }

    /// The value for `key`: remembered, or computed now by `make` and remembered (a value `make`
    /// throws for is not remembered).
    package func value(for key: Key, orMake make: () throws -> Value) rethrows -> Value {
        if let known = value(for: key) { return known }
        let made = try make()
        remember(made, for: key)
        return made
    }
}
