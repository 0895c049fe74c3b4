#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Overwrites `buffer` with zeros in a way the optimizer may not remove.
///
/// Used on key material just before its memory is released: a plain `memset` on memory
/// that is freed right after is a dead store that compilers are allowed to drop. It calls the C
/// library's dedicated function, whose contract is that the stores happen: `memset_s` on Apple
/// platforms (C11 Annex K), `explicit_bzero` on glibc and musl. The one implementation in the
/// package: `Secret` in the core uses it too.
package func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    #if canImport(Darwin)
        _ = memset_s(base, buffer.count, 0, buffer.count)
    #elseif canImport(Glibc) || canImport(Musl)
        explicit_bzero(base, buffer.count)
    #else
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        zeroingBarrier(base)
    #endif
}

#if !canImport(Darwin) && !canImport(Glibc) && !canImport(Musl)
    /// An opaque use of the zeroed memory, so the stores before it are not dead.
    @inline(never)
    private func zeroingBarrier(_ pointer: UnsafeMutableRawPointer) {
        _ = pointer.load(as: UInt8.self)
    }
#endif

/// Heap storage for secret bytes that is zeroed before it is freed.
///
/// `@unchecked Sendable`: the bytes are written once, in `init`, and only read afterwards
/// until `deinit` zeroes them. No mutation is ever visible to more than one thread, so
/// sharing the (immutable) box across tasks is safe even though it holds a raw pointer.
internal final class SecureBytes: @unchecked Sendable {
    /// The owned bytes. Never resized; zeroed and deallocated in `deinit`.
    internal let bytes: UnsafeMutableRawBufferPointer

    /// Allocates `count` bytes and lets `initialize` write every one of them.
    internal init(count: Int, initializingWith initialize: (UnsafeMutableRawBufferPointer) -> Void) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        initialize(bytes)
    }

    /// Copies `source` into new storage.
    internal convenience init(copying source: UnsafeRawBufferPointer) {
        self.init(count: source.count) { destination in
            destination.copyMemory(from: source)
        }
    }

    deinit {
        secureZero(bytes)
        bytes.deallocate()
    }
}
