import Foundation
import TradeOnly

/// Loads a recorded payload from `Payloads/` in the test bundle: the one helper every test uses.
enum Payload {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "Payloads/\(name) is not in the test bundle" }
    }

    /// The bytes of `Payloads/<name>` (`name` includes the extension).
    static func data(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: name)
        guard let resource = Bundle.module.url(
            forResource: url.deletingPathExtension().lastPathComponent, withExtension: url.pathExtension,
            subdirectory: "Payloads")
        else { throw Missing(name: name) }
        return try Data(contentsOf: resource)
    }

    /// A response carrying `Payloads/<name>`.
    static func response(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        var headers = headers
        if headers["Content-Type"] == nil {
            headers["Content-Type"] = name.hasSuffix(".json") ? "application/json" : "text/html"
        }
        return HTTPResponse(status: status, headers: headers, body: try data(name))
    }

    /// A Bybit error envelope.
    static func error(_ code: Int, _ message: String = "error", status: Int = 200) -> HTTPResponse {
        let body = #"{"retCode":\#(code),"retMsg":"\#(message)","result":{},"retExtInfo":{},"time":1672211918471}"#
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
    }
}
