import Testing
import TradeOnly

/// A (method, path) pair that can be a `@Test` argument (`HTTPMethod` is not `Sendable`).
struct Endpoint: Sendable, CustomTestStringConvertible {
    let methodName: String
    let path: String

    init(_ method: HTTPMethod, _ path: String) {
        self.methodName = method.rawValue
        self.path = path
    }

    var method: HTTPMethod {
        get throws { try #require(HTTPMethod(rawValue: methodName)) }
    }

    var testDescription: String { "\(methodName) \(path)" }
}

/// Every method `HTTPMethod` has.
var allMethods: [HTTPMethod] { [.get, .post, .put, .delete, .patch, .head] }

/// Ways of spelling `path` that a server may read as `path` (or that TradeOnly refuses outright).
/// `path` must start with `/` and have at least two segments.
func pathTricks(_ path: String) -> [String] {
    let body = String(path.dropFirst())                           // "sapi/v1/capital/withdraw/apply"
    var segments = body.split(separator: "/").map(String.init)
    let last = segments.removeLast()
    let head = "/" + segments.joined(separator: "/")              // "/sapi/v1/capital/withdraw"
    let firstLetter = last.unicodeScalars.first.map { String($0.value, radix: 16, uppercase: true) } ?? "41"
    let encodedLast = "%" + firstLetter + String(last.dropFirst())
    let second = segments.count > 1 ? segments[1] : segments[0]
    return [
        path,
        path.uppercased(),
        path.lowercased(),
        path.replacingOccurrences(of: "/", with: "//"),
        "/" + path,
        path + "/",
        path + "//",
        path + "/.",
        path + "%2F",
        path + "%2f",
        head + "%2F" + last,
        head + "%2f" + last,
        head + "%252F" + last,
        head + "%25252f" + last,
        head + "/" + encodedLast,
        head + "/" + encodedLast.lowercased(),
        "/" + segments.joined(separator: "/./") + "/" + last,
        head + "/x/../" + last,
        head + "/x/%2e%2e/" + last,
        head + "/x/..%2F" + last,
        head + "/x/%252e%252e/" + last,
        "/api/v3/../.." + path,
        "/api/v3/order/../../.." + path,
        "/api/v3/%2e%2e/%2E%2E" + path,
        "/sapi/v1/account/apiRestrictions/../../../.." + path,
        "/v5/user/query-api/../../.." + path,
        path.uppercased().replacingOccurrences(of: "/", with: "//") + "/",
        path.replacingOccurrences(of: "/" + second + "/", with: "/" + second + ";x/"),   // refused
        path + ";",                                                                       // refused
        path + "%3Fsymbol=BTCUSDT",                                                      // refused
        path + "%00",                                                                     // refused
        path.replacingOccurrences(of: "/", with: "\\"),                                  // refused
    ]
}

extension EndpointPolicy.Decision {
    /// Whether this decision is a deny (as opposed to allowed or merely not allowed).
    var isDenied: Bool {
        if case .denied = self { return true }
        return false
    }
}
