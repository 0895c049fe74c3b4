/// A request path in the canonical form endpoint policies match against.
///
/// Servers and proxies accept many spellings of one path. `EndpointPath` reduces a path to one
/// canonical form, so a deny rule cannot be sidestepped with letter case, doubled slashes, a trailing
/// slash, percent-escapes or dot segments:
///
/// ```swift
/// try EndpointPath.normalize("/SAPI/v1//capital/%77ithdraw/apply/")   // "/sapi/v1/capital/withdraw/apply"
/// try EndpointPath.normalize("/api/v3/../../sapi/v1/capital")          // throws: climbs above the root
/// ```
///
/// The steps, in order:
/// 1. The path must start with a single `/` (a leading `//` is refused, before and after decoding:
///    URL resolution reads `//host/…` as another host) and be at most ``maximumLength`` bytes.
/// 2. Percent-escapes are decoded, layer after layer, until none is left (so `%252F` cannot hide a
///    slash). A malformed escape (`%`, `%4`, `%zz`) is refused, and so is more than
///    ``maximumEncodingLayers`` layers.
/// 3. The decoded path is refused if it holds a NUL, a control character, a space, a non-ASCII
///    character, a backslash, a `;` path parameter, or a `?` or `#` (a query or fragment mixed into the
///    path: pass query items as parameters instead).
/// 4. ASCII letters are lower-cased, duplicate slashes inside the path collapsed, `.` segments dropped and `..`
///    segments resolved (a path that climbs above the root is refused), and a trailing slash dropped.
///
/// Refusing is always the safe outcome: a refused path is never signed. The canonical form is for
/// matching only. Exchange paths are case-sensitive (`/api/v3/exchangeInfo`), so send the path you
/// built, not its canonical form; ``isCanonicalExceptCase`` tells whether the two differ in anything
/// but letter case.
public struct EndpointPath: Sendable, Hashable, CustomStringConvertible {
    /// The longest path accepted, in bytes.
    public static let maximumLength = 2048
    /// The most layers of percent-encoding decoded before a path is refused.
    public static let maximumEncodingLayers = 4

    /// The canonical path: decoded, lower-cased, `/`-separated, with no empty, `.` or `..` segments
    /// and no trailing slash. The root is `"/"`.
    public var canonical: String { "/" + segments.joined(separator: "/") }

    /// The canonical path's segments, in order (empty for the root).
    public let segments: [String]

    /// Whether the path as given equals ``canonical`` apart from letter case: it had no
    /// percent-escapes, doubled slashes, dot segments or trailing slash.
    ///
    /// Signers may require this to refuse unusual spellings outright instead of relying on the server
    /// to read them as TradeOnly did.
    public let isCanonicalExceptCase: Bool

    /// Normalises `path`.
    ///
    /// - Parameter path: A request path as it would be sent: no scheme, host or query.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation`` naming why the path
    ///   was refused.
    public init(_ path: String) throws {
        switch Self.parse(path) {
        case .success(let parsed):
            self = parsed
        case .failure(let refusal):
            throw ExchangeError(
                .policyViolation,
                message: "TradeOnly refused the path \(Self.safeDisplay(of: path)): \(refusal.reason)"
            )
        }
    }

    private init(segments: [String], isCanonicalExceptCase: Bool) {
        self.segments = segments
        self.isCanonicalExceptCase = isCanonicalExceptCase
    }

    /// Returns the canonical form of `path`, or throws if it is refused.
    ///
    /// - Parameter path: A request path as it would be sent.
    /// - Returns: The canonical path, for example `"/sapi/v1/capital/withdraw/apply"`.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/policyViolation``.
    public static func normalize(_ path: String) throws -> String {
        try EndpointPath(path).canonical
    }

    /// The canonical path.
    public var description: String { canonical }

    /// Two paths are equal when their canonical forms are.
    public static func == (lhs: EndpointPath, rhs: EndpointPath) -> Bool {
        lhs.segments == rhs.segments
    }

    /// Hashes the canonical form.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(segments)
    }

    // MARK: - Parsing

    /// Why a path was refused.
    struct Refusal: Error, Equatable {
        let reason: String
    }

    /// Parses `path`, returning the canonical path or the reason for refusing it.
    static func parse(_ path: String) -> Result<EndpointPath, Refusal> {
        let raw = Array(path.utf8)
        guard !raw.isEmpty else { return .failure(Refusal(reason: "the path is empty")) }
        guard raw.count <= maximumLength else {
            return .failure(Refusal(reason: "the path is longer than \(maximumLength) bytes"))
        }
        guard raw[0] == UInt8(ascii: "/") else {
            return .failure(Refusal(reason: "the path does not start with \"/\""))
        }
        let networkPathReason = "the path starts with \"//\", which URL resolution reads as another host"
        guard raw.count < 2 || raw[1] != UInt8(ascii: "/") else {
            return .failure(Refusal(reason: networkPathReason))
        }

        var bytes = raw
        var layers = 0
        while bytes.contains(UInt8(ascii: "%")) {
            layers += 1
            guard layers <= maximumEncodingLayers else {
                return .failure(
                    Refusal(
                        reason: "the path is percent-encoded more than \(maximumEncodingLayers) times over"))
            }
            guard let decoded = PercentEncoding.decodeOnce(bytes) else {
                return .failure(
                    Refusal(
                        reason: "the path has a malformed percent-escape (\"%\" must be followed by two hex digits)"))
            }
            bytes = decoded
        }

        guard bytes.count < 2 || bytes[1] != UInt8(ascii: "/") else {
            return .failure(Refusal(reason: networkPathReason))
        }

        for byte in bytes {
            if let reason = refusalReason(for: byte) {
                return .failure(Refusal(reason: "the path contains \(reason)"))
            }
        }

        // One pass over the decoded bytes: lower-case ASCII letters and cut `/`-separated segments
        // (empty and `.` segments dropped, `..` resolved).
        // The path differs from its canonical form in more than letter case if it was percent-decoded
        // (the canonical form has no "%"), or has an empty segment (a doubled or trailing slash, except
        // the root "/" itself) or a "." or ".." segment.
        var isCanonicalExceptCase = layers == 0
        var lowered = bytes
        var segments: [String] = []
        var segmentStart = 1
        var index = 1
        while index <= lowered.count {
            if index == lowered.count || lowered[index] == UInt8(ascii: "/") {
                let piece = lowered[segmentStart..<index]
                if piece.isEmpty {
                    if lowered.count > 1 { isCanonicalExceptCase = false }
                } else if piece.elementsEqual(CollectionOfOne(UInt8(ascii: "."))) {
                    // "." names the segment it is in: dropped.
                    isCanonicalExceptCase = false
                } else if piece.elementsEqual("..".utf8) {
                    guard !segments.isEmpty else {
                        return .failure(Refusal(reason: "the path climbs above the root with \"..\""))
                    }
                    segments.removeLast()
                    isCanonicalExceptCase = false
                } else {
                    segments.append(String(decoding: piece, as: UTF8.self))
                }
                segmentStart = index + 1
            } else {
                let byte = lowered[index]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { lowered[index] = byte + 32 }
            }
            index += 1
        }
        return .success(EndpointPath(segments: segments, isCanonicalExceptCase: isCanonicalExceptCase))
    }

    /// Why `byte` may not appear in a decoded path, or `nil` if it may.
    private static func refusalReason(for byte: UInt8) -> String? {
        switch byte {
        case 0x00: return "a NUL character"
        case 0x01...0x1F, 0x7F: return "a control character"
        case 0x20: return "a space"
        case 0x80...0xFF: return "a non-ASCII character"
        case UInt8(ascii: "\\"): return "a backslash"
        case UInt8(ascii: ";"): return "a \";\" path parameter"
        case UInt8(ascii: "?"): return "a \"?\": a query must be passed as parameters, not inside the path"
        case UInt8(ascii: "#"): return "a \"#\" fragment"
        default: return nil
        }
    }

    /// A form of a refused path that is safe to put in an error message: escapes decoded where they
    /// can be, everything from the first `?` or `#` on (a query could hold a signature) cut off,
    /// characters outside printable ASCII escaped, and the length capped.
    static func safeDisplay(of path: String) -> String {
        let decoded = PercentEncoding.bestEffortDecode(Array(path.utf8))
        var cut = decoded
        if let end = decoded.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            cut = Array(decoded[..<end])
            cut.append(contentsOf: Array("?…".utf8))
        }
        var text = ""
        for scalar in String(decoding: cut, as: UTF8.self).unicodeScalars {
            if scalar.value >= 0x21 && scalar.value < 0x7F || scalar == "…" {
                text.unicodeScalars.append(scalar)
            } else {
                text += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
            if text.count > 160 {
                text += "…"
                break
            }
        }
        return "\"" + text + "\""
    }
}
