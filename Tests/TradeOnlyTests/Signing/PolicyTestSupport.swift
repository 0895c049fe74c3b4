import Testing
import TradeOnly

/// Every method `HTTPMethod` has.
var allMethods: [HTTPMethod] { [.get, .post, .put, .delete, .patch, .head] }

extension EndpointPolicy.Decision {
    /// Whether this decision is a deny (as opposed to allowed or merely not allowed).
    var isDenied: Bool {
        if case .denied = self { return true }
        return false
    }
}
