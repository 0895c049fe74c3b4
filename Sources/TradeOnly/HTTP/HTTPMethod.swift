/// An HTTP request method.
///
/// The raw value is the method's name as it goes on the wire (`"GET"`, `"POST"`, …), which is also
/// the upper-case form exchanges put into their signature strings.
public enum HTTPMethod: String { case get = "GET", post = "POST", put = "PUT", delete = "DELETE", patch = "PATCH", head = "HEAD" }
