import Foundation

/// Spellings of `path` that a server may read as `path` itself, or that TradeOnly refuses outright as
/// malformed: letter case, doubled and trailing slashes, dot segments, percent-escapes (one, two and
/// three layers deep), climbs out of allowed paths, and characters a server may cut the path at.
///
/// Every spelling is meant to be refused wherever a denied `path` is: by a policy, a signer and a
/// client's `perform`. Each spelling appears once, `path` first.
///
/// - Parameter path: A path that starts with `/` and has at least two segments, such as
///   `/sapi/v1/capital/withdraw/apply`.
package func pathTricks(_ path: String) -> [String] {
    let body = String(path.dropFirst()) // "sapi/v1/capital/withdraw/apply"
    let all = body.split(separator: "/").map(String.init) // every segment
    var segments = all
    let last = segments.popLast() ?? "" // "apply"
    let head = "/" + segments.joined(separator: "/") // "/sapi/v1/capital/withdraw"
    let first = segments.first ?? "" // "sapi"
    let second = segments.count > 1 ? segments[1] : first // "v1"
    let firstByte = last.unicodeScalars.first.map { String($0.value, radix: 16, uppercase: true) } ?? "41"
    let encodedLast = "%" + firstByte + String(last.dropFirst()) // "%70ply"
    let afterFirst = "/" + first + "/" // "/sapi/"
    let spellings = [
        // Letter case.
        path,
        path.uppercased(),
        path.lowercased(),
        "/" + all.map(\.capitalized).joined(separator: "/"),
        // Doubled, leading and trailing slashes.
        path.replacingOccurrences(of: "/", with: "//"),
        "/" + body.replacingOccurrences(of: "/", with: "//") + "/",
        path.uppercased().replacingOccurrences(of: "/", with: "//") + "/",
        path.replacingOccurrences(of: afterFirst, with: "/" + first + "//"),
        "/" + path,
        path + "/",
        path + "//",
        // Dot segments, plain and escaped.
        path + "/.",
        "/" + segments.joined(separator: "/./") + "/" + last,
        path.replacingOccurrences(of: afterFirst, with: afterFirst + "./"),
        head + "/x/../" + last,
        path.replacingOccurrences(of: afterFirst, with: afterFirst + "market/../"),
        head + "/x/%2e%2e/" + last,
        head + "/x/..%2F" + last,
        head + "/x/%252e%252e/" + last,
        path.replacingOccurrences(of: afterFirst, with: afterFirst + "%252E/"),
        // Escaped slashes and letters, one to three layers deep.
        path + "%2F",
        path + "%2f",
        head + "%2F" + last,
        head + "%2f" + last,
        head + "%252F" + last,
        head + "%25252f" + last,
        head + "/" + encodedLast,
        head + "/" + encodedLast.lowercased(),
        "/" + body.replacingOccurrences(of: "/", with: "%2F"),
        "%2F" + body.replacingOccurrences(of: "/", with: "%2F"), // refused
        // Climbing out of allowed paths.
        "/api/v3/../.." + path,
        "/api/v3/order/../../.." + path,
        "/api/v3/%2e%2e/%2E%2E" + path,
        "/sapi/v1/account/apiRestrictions/../../../.." + path,
        "/v5/user/query-api/../../.." + path,
        // Characters a server may cut the path at: refused.
        path.replacingOccurrences(of: "/" + second + "/", with: "/" + second + ";x/"),
        path + ";",
        path + "%3Fsymbol=BTCUSDT",
        path + "%00",
        path.replacingOccurrences(of: "/", with: "\\"),
    ]
    var seen = Set<String>()
    return spellings.filter { seen.insert($0).inserted }
}
