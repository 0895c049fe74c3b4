#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Sequence where Element == UInt8 {
    /// The bytes as lower-case hexadecimal, two characters per byte (`[0x0f, 0xa0]` is `"0fa0"`).
    public var hexString: String {
        if let fast = withContiguousStorageIfAvailable({ Hex.encode(UnsafeRawBufferPointer($0)) }) {
            return fast
        }
        return Array(self).withUnsafeBytes { Hex.encode($0) }
    }
}

extension Array where Element == UInt8 {
    /// Decodes hexadecimal text, returning `nil` if it is not valid hex.
    ///
    /// Accepts upper- and lower-case digits. The text must have an even number of digits and
    /// nothing else: no `0x` prefix, no spaces or separators. The empty string decodes to no bytes.
    ///
    /// - Parameter hexString: The hexadecimal text, for example `"c8db5682"`.
    public init?(hexString: some StringProtocol) {
        guard let bytes = Hex.decode(hexString.utf8) else { return nil }
        self = bytes
    }
}

extension Data {
    /// Decodes hexadecimal text, returning `nil` if it is not valid hex.
    ///
    /// Accepts upper- and lower-case digits. The text must have an even number of digits and
    /// nothing else: no `0x` prefix, no spaces or separators. The empty string decodes to no bytes.
    ///
    /// - Parameter hexString: The hexadecimal text, for example `"c8db5682"`.
    public init?(hexString: some StringProtocol) {
        guard let bytes = Hex.decode(hexString.utf8) else { return nil }
        self.init(bytes)
    }
}

/// Hexadecimal encoding and decoding.
internal enum Hex {
    /// Lower-case hex digits, in order.
    private static let digits: StaticString = "0123456789abcdef"

    /// Encodes `bytes` as lower-case hex.
    internal static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        guard !bytes.isEmpty else { return "" }
        return digits.withUTF8Buffer { digits in
            String(unsafeUninitializedCapacity: bytes.count * 2) { output in
                var position = 0
                for byte in bytes {
                    output[position] = digits[Int(byte >> 4)]
                    output[position + 1] = digits[Int(byte & 0x0f)]
                    position += 2
                }
                return position
            }
        }
    }

    /// Decodes hex text given as UTF-8 code units; `nil` on odd length or a non-hex character.
    internal static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8?
        for character in text {
            guard let nibble = value(of: character) else { return nil }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    /// The value of one ASCII hex digit, or `nil`.
    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
