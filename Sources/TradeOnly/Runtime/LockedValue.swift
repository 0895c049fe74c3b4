/// A value guarded by a lock: the one small mutable box the package's thread-safe types share.
///
/// `Synchronization.Mutex` needs macOS 15 and the package supports macOS 13, so this wraps `NSLock`.
/// Every access goes through ``withLock(_:)``; the value never escapes the lock by reference.
package final class LockedValue<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    /// Creates a box holding `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    ///
    /// Do not call back into the same box from `body`: `NSLock` is not recursive.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the current value.
    package var current: Value {
        withLock { $0 }
    }
}
