import Foundation
import TradeOnly
import TradeOnlyCrypto

// An independent, minimal implementation of the two exchanges' documented signing rules, written for
// the tests from the reference (binance-bybit.md §1), so the simulator's verifier is checked against
// something other than itself.

/// RFC 3986 percent-encoding of a query component (unreserved characters kept, upper-case hex).
func percentEncode(_ text: String) -> String {
    let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)
    var output = ""
    for byte in text.utf8 {
        if unreserved.contains(byte) {
            output.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return output
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// `name=value&…`, each part percent-encoded.
func queryString(_ parameters: [(String, String)]) -> String {
    parameters.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
}

/// Lower-case hex HMAC-SHA256 of `message` under `secret`.
func hmacHex(_ message: String, secret: String) -> String {
    HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8))).hexString
}

/// The parsed answer of the simulator.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object or array (through JSONSerialization: the tests read the wire
    /// independently of the simulator's own JSON code).
    var json: Any? { try? JSONSerialization.jsonObject(with: body) }

    /// A member of a top-level object.
    subscript(key: String) -> Any? { (json as? [String: Any])?[key] }

    /// Binance `code`, or Bybit `retCode`.
    var code: Int? { (self["code"] as? Int) ?? (self["retCode"] as? Int) }

    /// Bybit `result`.
    var result: [String: Any] { self["result"] as? [String: Any] ?? [:] }

    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
}

/// A Binance test client: builds requests exactly as the documentation describes.
struct BinanceSigner: Sendable {
    var transport: any HTTPTransport
    var apiKey: String
    var secret: String
    var baseURL = "https://api.binance.com"
    /// The timestamp to sign with, in milliseconds.
    var timestamp: @Sendable () async -> Int64

    /// A signed request: parameters plus `timestamp` (and `recvWindow`), signed over query + body.
    func signed(
        _ method: HTTPMethod, _ path: String, _ parameters: [(String, String)] = [], inBody: Bool = false,
        recvWindow: Int? = nil, secretOverride: String? = nil, apiKeyOverride: String? = nil
    ) async throws -> Reply {
        var all = parameters
        if let recvWindow { all.append(("recvWindow", String(recvWindow))) }
        all.append(("timestamp", String(await timestamp())))
        let payload = queryString(all)
        let signature = hmacHex(payload, secret: secretOverride ?? secret)
        let headers: HTTPHeaders = ["X-MBX-APIKEY": apiKeyOverride ?? apiKey]
        if inBody {
            var request = HTTPRequest(
                method: method, url: try url(path), headers: headers,
                body: Data((payload + "&signature=" + signature).utf8))
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            return try await send(request)
        }
        return try await send(HTTPRequest(method: method, url: try url(path + "?" + payload + "&signature=" + signature), headers: headers))
    }

    /// An unsigned request.
    func get(_ path: String, _ parameters: [(String, String)] = []) async throws -> Reply {
        let query = parameters.isEmpty ? "" : "?" + queryString(parameters)
        return try await send(HTTPRequest(method: .get, url: try url(path + query)))
    }

    func url(_ target: String) throws -> URL {
        guard let url = URL(string: baseURL + target) else { throw URLError(.badURL) }
        return url
    }

    func send(_ request: HTTPRequest) async throws -> Reply {
        let response = try await transport.send(request)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }
}

/// A Bybit v5 test client: headers and `timestamp + apiKey + recvWindow + payload` as documented.
struct BybitSigner: Sendable {
    var transport: any HTTPTransport
    var apiKey: String
    var secret: String
    var baseURL = "https://api.bybit.com"
    var timestamp: @Sendable () async -> Int64

    func get(
        _ path: String, _ parameters: [(String, String)] = [], signed: Bool = true, recvWindow: String = "5000",
        secretOverride: String? = nil
    ) async throws -> Reply {
        let query = queryString(parameters)
        return try await getRaw(path, query: query, signed: signed, recvWindow: recvWindow, secretOverride: secretOverride)
    }

    /// A GET with a query string used verbatim (for cursors).
    func getRaw(
        _ path: String, query: String, signed: Bool = true, recvWindow: String = "5000",
        secretOverride: String? = nil
    ) async throws -> Reply {
        guard let url = URL(string: baseURL + path + (query.isEmpty ? "" : "?" + query)) else { throw URLError(.badURL) }
        var request = HTTPRequest(method: .get, url: url)
        if signed {
            request.headers = try await headers(payload: query, recvWindow: recvWindow, secretOverride: secretOverride)
        }
        return try await send(request)
    }

    /// A signed POST with a JSON body built from members (values already JSON text).
    func post(_ path: String, json body: String, recvWindow: String = "5000", secretOverride: String? = nil) async throws -> Reply {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        var request = HTTPRequest(method: .post, url: url, body: Data(body.utf8))
        request.headers = try await headers(payload: body, recvWindow: recvWindow, secretOverride: secretOverride)
        request.headers.add(name: "Content-Type", value: "application/json")
        return try await send(request)
    }

    /// A signed POST from string-valued members: `["category": "spot", …]` in order.
    func post(_ path: String, _ members: [(String, String)]) async throws -> Reply {
        let body = "{" + members.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}"
        return try await post(path, json: body)
    }

    private func headers(payload: String, recvWindow: String, secretOverride: String?) async throws -> HTTPHeaders {
        let timestamp = String(await timestamp())
        let signature = hmacHex(timestamp + apiKey + recvWindow + payload, secret: secretOverride ?? secret)
        return [
            "X-BAPI-API-KEY": apiKey, "X-BAPI-TIMESTAMP": timestamp, "X-BAPI-RECV-WINDOW": recvWindow,
            "X-BAPI-SIGN": signature, "X-BAPI-SIGN-TYPE": "2",
        ]
    }

    func send(_ request: HTTPRequest) async throws -> Reply {
        let response = try await transport.send(request)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }
}
