#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Compares two byte strings in time that depends only on their lengths, not their contents.
///
/// Use it whenever one side is secret or is a value an attacker is trying to guess, such as
/// a signature or an authentication code received from the network: an early-exit `==`
/// tells an attacker how many leading bytes matched.
///
/// Lengths are not treated as secret: byte strings of different lengths compare unequal
/// immediately.
///
/// - Parameters:
///   - lhs: The first byte string.
///   - rhs: The second byte string.
/// - Returns: `true` if both have the same length and the same bytes.
public func constantTimeEquals(_ lhs: some ContiguousBytes, _ rhs: some ContiguousBytes) -> Bool {
    lhs.withUnsafeBytes { left in
        rhs.withUnsafeBytes { right in
            constantTimeEquals(left, right)
        }
    }
}

/// The byte-wise comparison behind `constantTimeEquals(_:_:)` and the `==` of digests,
/// authentication codes and keys.
internal func constantTimeEquals(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<left.count {
        difference |= left[index] ^ right[index]
    }
    return difference == 0
}
