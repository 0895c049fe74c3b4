/// The search behind ``Redaction``'s text functions: finds the byte ranges of a text to hide, in the
/// text as it is and in every layer of percent-decoding of it, and replaces them.
enum RedactionScanner {
    /// At most this many layers of percent-encoding are decoded (four: more than any real text has).
    static let maximumDecodingDepth = 4

    /// One layer of the text: the bytes after `depth` rounds of percent-decoding, each knowing the
    /// range of the original bytes it came from.
    struct Layer {
        let depth: Int
        let bytes: [UInt8]
        /// For each byte, where its origin starts and ends in the original text; `nil` for layer 0,
        /// where every byte is its own origin.
        private let starts: [Int32]?
        private let ends: [Int32]?

        /// The original text.
        init(original bytes: [UInt8]) {
            depth = 0
            self.bytes = bytes
            starts = nil
            ends = nil
        }

        private init(depth: Int, bytes: [UInt8], starts: [Int32], ends: [Int32]) {
            self.depth = depth
            self.bytes = bytes
            self.starts = starts
            self.ends = ends
        }

        /// Where the origin of byte `index` starts in the original text.
        func originalStart(_ index: Int) -> Int {
            starts.map { Int($0[index]) } ?? index
        }

        /// Where the origin of byte `index` ends in the original text (exclusive).
        func originalEnd(_ index: Int) -> Int {
            ends.map { Int($0[index]) } ?? index + 1
        }

        /// The original range of bytes `range` of this layer.
        func originalRange(_ range: Range<Int>) -> Range<Int> {
            guard let first = range.first, let last = range.last else {
                let position =
                    range.lowerBound < bytes.count
                    ? originalStart(range.lowerBound)
                    : (bytes.isEmpty ? 0 : originalEnd(bytes.count - 1))
                return position..<position
            }
            return originalStart(first)..<originalEnd(last)
        }

        /// The next layer, one round of percent-escapes decoded, or `nil` if there is none to decode.
        func decoded() -> Layer? {
            guard bytes.contains(UInt8(ascii: "%")) else { return nil }
            var output: [UInt8] = []
            var newStarts: [Int32] = []
            var newEnds: [Int32] = []
            output.reserveCapacity(bytes.count)
            newStarts.reserveCapacity(bytes.count)
            newEnds.reserveCapacity(bytes.count)
            var changed = false
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                    let high = PercentEncoding.hexValue(bytes[index + 1]),
                    let low = PercentEncoding.hexValue(bytes[index + 2])
                {
                    output.append(high << 4 | low)
                    newStarts.append(Int32(truncatingIfNeeded: originalStart(index)))
                    newEnds.append(Int32(truncatingIfNeeded: originalEnd(index + 2)))
                    index += 3
                    changed = true
                } else {
                    output.append(bytes[index])
                    newStarts.append(Int32(truncatingIfNeeded: originalStart(index)))
                    newEnds.append(Int32(truncatingIfNeeded: originalEnd(index)))
                    index += 1
                }
            }
            return changed ? Layer(depth: depth + 1, bytes: output, starts: newStarts, ends: newEnds) : nil
        }
    }

    /// The original text and each layer of percent-decoding of it, up to ``maximumDecodingDepth``.
    /// Texts over 256 MiB are only searched as they are (the position maps hold 32-bit offsets).
    static func layers(of bytes: [UInt8]) -> [Layer] {
        var layers = [Layer(original: bytes)]
        guard bytes.count < 1 << 28 else { return layers }
        while layers.count <= maximumDecodingDepth, let next = layers[layers.count - 1].decoded() {
            layers.append(next)
        }
        return layers
    }

    // MARK: - Values after sensitive names

    /// The original ranges of the values after sensitive names, in the layers from `fromLayer` on.
    static func sensitiveValueRanges(in bytes: [UInt8], fromLayer: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for layer in layers(of: bytes) where layer.depth >= fromLayer {
            for value in values(in: layer.bytes) {
                var range = layer.originalRange(value.range)
                if layer.depth > 0, !value.isQuoted {
                    // Found only after decoding: the value may have characters encoded more deeply
                    // than its name (`%73ignature=ab%2520cd`), whose decoding ends it too early. Hide
                    // up to where the original text itself ends it.
                    let terminators = value.separator == UInt8(ascii: "=") ? equalsTerminators : colonTerminators
                    var end = range.lowerBound
                    while end < bytes.count, !terminators[Int(bytes[end])] { end += 1 }
                    range = range.lowerBound..<max(range.upperBound, end)
                }
                ranges.append(range)
            }
        }
        return ranges
    }

    /// A value after a sensitive name, in one layer.
    struct Value {
        var range: Range<Int>
        var isQuoted: Bool
        var separator: UInt8
    }

    /// The non-empty values after sensitive names in `bytes`.
    static func values(in bytes: [UInt8]) -> [Value] {
        var values: [Value] = []
        var index = 0
        while index < bytes.count {
            if nameStartBytes[Int(bytes[index])], index == 0 || !isNameByte(bytes[index - 1]),
                let value = sensitiveValue(in: bytes, nameStart: index)
            {
                if !value.range.isEmpty {
                    values.append(value)
                }
                index = max(value.range.upperBound, index + 1)
            } else {
                index += 1
            }
        }
        return values
    }

    /// If a sensitive name starts at `nameStart` and a value follows it, that value (possibly empty).
    private static func sensitiveValue(in bytes: [UInt8], nameStart: Int) -> Value? {
        guard
            let name = Redaction.allNames.first(where: { name in
                nameStart + name.count <= bytes.count
                    && zip(name, bytes[nameStart...]).allSatisfy { $0 == lowercased($1) }
                    && (nameStart + name.count == bytes.count || !isNameByte(bytes[nameStart + name.count]))
            })
        else { return nil }

        var index = nameStart + name.count
        if index < bytes.count, isQuote(bytes[index]) { index += 1 }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") || bytes[index] == UInt8(ascii: ":") else {
            return nil
        }
        let separator = bytes[index]
        index += 1
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return Value(range: index..<index, isQuoted: false, separator: separator) }

        if isQuote(bytes[index]) {
            let quote = bytes[index]
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != quote {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            return Value(range: start..<min(end, bytes.count), isQuoted: true, separator: separator)
        }

        let terminators = separator == UInt8(ascii: "=") ? equalsTerminators : colonTerminators
        var end = index
        while end < bytes.count, !terminators[Int(bytes[end])] { end += 1 }
        return Value(range: index..<end, isQuoted: false, separator: separator)
    }

    /// What ends an unquoted value after `=`: `&`, quotes, white space and closing punctuation.
    private static let equalsTerminators = byteTable("&\"', ;)]}>\t\r\n")
    /// What ends an unquoted value after `:`: the end of the line, quotes, a comma, a closing bracket.
    private static let colonTerminators = byteTable("\"',)]}\r\n")
    /// The first bytes of the sensitive names, in either letter case.
    private static let nameStartBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for name in Redaction.allNames {
            guard let first = name.first else { continue }
            table[Int(first)] = true
            table[Int(uppercased(first))] = true
        }
        return table
    }()

    private static func byteTable(_ characters: String) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for byte in characters.utf8 { table[Int(byte)] = true }
        return table
    }

    /// Letters, digits, `-` and `_`: the characters of a name.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func uppercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
    }

    private static func isQuote(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    // MARK: - Known secrets

    /// The byte strings to look for, lower-cased: each secret as it is, JSON-escaped, and with spaces
    /// written as `+`.
    static func searchForms(of secrets: [String]) -> [[UInt8]] {
        var forms: [[UInt8]] = []
        for secret in secrets where !secret.isEmpty {
            let plain = Array(secret.utf8).map(lowercased)
            var variants = [plain]
            var escaped: [UInt8] = []
            for byte in plain {
                switch byte {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "/"):
                    escaped += [UInt8(ascii: "\\"), byte]
                default:
                    escaped.append(byte)
                }
            }
            variants.append(escaped)
            variants.append(plain.map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "+") : $0 })
            for variant in variants where !forms.contains(variant) {
                forms.append(variant)
            }
        }
        return forms
    }

    /// The original ranges of every occurrence of the forms, in every layer of decoding.
    static func secretRanges(in bytes: [UInt8], forms: [[UInt8]]) -> [Range<Int>] {
        guard !forms.isEmpty else { return [] }
        var ranges: [Range<Int>] = []
        for layer in layers(of: bytes) {
            let haystack = layer.bytes
            for form in forms where form.count <= haystack.count {
                guard let first = form.first else { continue }
                var index = 0
                let lastStart = haystack.count - form.count
                while index <= lastStart {
                    if lowercased(haystack[index]) == first, matches(form, in: haystack, at: index) {
                        ranges.append(layer.originalRange(index..<(index + form.count)))
                        index += form.count
                    } else {
                        index += 1
                    }
                }
            }
        }
        return ranges
    }

    private static func matches(_ form: [UInt8], in haystack: [UInt8], at start: Int) -> Bool {
        for offset in 1..<max(form.count, 1) where lowercased(haystack[start + offset]) != form[offset] {
            return false
        }
        return true
    }

    // MARK: - Output

    /// `text` with the merged `ranges` of its UTF-8 `bytes` each replaced by one placeholder (an empty
    /// range inserts one). `text` itself when there is nothing to hide.
    static func render(_ text: String, bytes: [UInt8], hiding ranges: [Range<Int>]) -> String {
        guard !ranges.isEmpty else { return text }
        let sorted = ranges.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        var merged: [Range<Int>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        let placeholder = Array(Redaction.placeholder.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for range in merged {
            output += bytes[position..<range.lowerBound]
            output += placeholder
            position = range.upperBound
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }
}
