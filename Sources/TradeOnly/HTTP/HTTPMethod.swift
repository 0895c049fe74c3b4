/// An HTTP request method.
///
/// The raw value is the method token exactly as it is written on the wire (`"GET"`, `"POST"`, …).
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    /// `GET`: read a resource.
    case get = "GET"
    /// `POST`: submit data, for example place an order.
    case post = "POST"
    /// `PUT`: replace or amend a resource.
    case put = "PUT"
    /// `DELETE`: remove a resource, for example cancel an order.
    case delete = "DELETE"
    /// `PATCH`: modify part of a resource.
    case patch = "PATCH"
    /// `HEAD`: like `GET`, without a response body.
    case head = "HEAD"
    /// `OPTIONS`: ask which methods a resource supports.
    case options = "OPTIONS"
}
