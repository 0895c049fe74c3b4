import Foundation
import TradeOnly

/// The one place where an ``ExchangeRequest``'s string parameters become the bytes Bybit receives.
///
/// - **GET**: a query string, parameters **sorted by name** (byte order), written **without
///   re-encoding**: Bybit signs the raw query as it arrives, so TradeOnly sends and signs exactly the
///   same characters. Values may only use characters that need no encoding (`A-Z a-z 0-9 - _ . ~`,
///   `,`, `:`, and `%XX` escapes for the already-encoded `cursor` Bybit returns); anything else is
///   refused with ``ExchangeError/Kind/invalidRequest`` rather than signed differently from what is sent.
/// - **POST**: a compact JSON object, keys in the order the parameters were given, serialised once.
///   Bybit takes numbers as strings, so every value is a JSON string, except the fields in
///   ``booleanFields`` (`true`/`false`) and ``integerFields`` (JSON integers).
///
/// What may be signed is not decided here: the endpoint policy (before the request is built) and the
/// signer's gate (on the bytes built here) refuse unusually spelled paths, parameters an endpoint does
/// not accept, and `isLeverage` other than `0`, which turns a spot order into a margin loan.
enum BybitRequestEncoding {
    /// Request fields Bybit takes as JSON booleans.
    static let booleanFields: Set<String> = ["reduceOnly", "closeOnTrigger", "mmp"]

    /// Request fields Bybit takes as JSON integers.
    static let integerFields: Set<String> = [
        "positionIdx", "isLeverage", "triggerDirection", "autoAddMargin", "tradeMode", "mode", "riskId",
        "timeWindow",
    ]

    /// Builds the unsigned HTTP request.
    ///
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for a method Bybit does
    ///   not use, a malformed parameter, or a GET value that would need encoding.
    static func encode(_ request: ExchangeRequest, environment: Bybit.Environment) throws -> HTTPRequest {
        switch request.method {
        case .get:
            let query = try query(for: request.parameters, what: "\(request.method.rawValue) \(request.path)")
            guard let url = environment.url(path: request.path, query: query) else {
                throw invalid("could not build a URL for GET \(request.path)")
            }
            return HTTPRequest(method: .get, url: url)
        case .post:
            let body = try jsonBody(for: request.parameters, what: "POST \(request.path)")
            guard let url = environment.url(path: request.path, query: nil) else {
                throw invalid("could not build a URL for POST \(request.path)")
            }
            return HTTPRequest(
                method: .post, url: url, headers: ["Content-Type": "application/json"], body: body)
        default:
            throw invalid("Bybit v5 takes GET and POST only, not \(request.method.rawValue) (\(request.path))")
        }
    }

    // MARK: GET

    /// The query: sorted by name, unencoded, every byte checked.
    static func query(for parameters: RequestParameters, what: String) throws -> String {
        if parameters.isEmpty { return "" }
        let sorted = parameters.sortedByName().items
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 })
        var previous: String?
        for item in sorted {
            guard isValidName(item.name) else {
                throw invalid("the parameter name \(quoted(item.name)) of \(what) must be letters, digits, '-', '_' or '.'")
            }
            if item.name == previous {
                throw invalid("the parameter \(item.name) appears twice in \(what); Bybit takes each parameter once")
            }
            previous = item.name
            guard isQuerySafe(item.value) else {
                throw invalid(
                    "the value of \(item.name) in \(what) has characters that would need percent-encoding; Bybit signs the raw "
                        + "query, so TradeOnly only sends values made of A-Z a-z 0-9 - _ . ~ , : and %XX escapes")
            }
            if !bytes.isEmpty { bytes.append(UInt8(ascii: "&")) }
            bytes.append(contentsOf: item.name.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: item.value.utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { isUnreserved($0) && $0 != UInt8(ascii: "~") }
    }

    /// Whether a query value needs no encoding: unreserved characters, `,`, `:` and well-formed `%XX`.
    static func isQuerySafe(_ value: String) -> Bool {
        var remainingHex = 0
        for byte in value.utf8 {
            if remainingHex > 0 {
                guard isHexDigit(byte) else { return false }
                remainingHex -= 1
            } else if byte == UInt8(ascii: "%") {
                remainingHex = 2
            } else if !(isUnreserved(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")) {
                return false
            }
        }
        return remainingHex == 0
    }

    /// Whether a whole raw query (`name=value&…`) is made of safe names and values.
    static func isQuerySafe(query: Substring) -> Bool {
        for item in query.split(separator: "&", omittingEmptySubsequences: false) {
            guard let equals = item.firstIndex(of: "="),
                isValidName(String(item[..<equals])),
                isQuerySafe(String(item[item.index(after: equals)...]))
            else { return false }
        }
        return true
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        PercentEncoding.isUnreserved(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        PercentEncoding.isHexDigit(byte)
    }

    // MARK: POST

    /// The compact JSON object, keys in the given order, typed by ``booleanFields`` and ``integerFields``.
    static func jsonBody(for parameters: RequestParameters, what: String) throws -> Data {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(256)
        let items = parameters.items
        for (position, item) in items.enumerated() {
            guard !item.name.isEmpty else { throw invalid("\(what) has a parameter with an empty name") }
            // A body has a dozen fields at most: a linear scan beats hashing every name.
            for earlier in 0..<position where items[earlier].name == item.name {
                throw invalid("the parameter \(item.name) appears twice in \(what); a JSON body takes each field once")
            }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            appendJSONString(item.name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            switch fieldType(item.name) {
            case .boolean:
                guard item.value == "true" || item.value == "false" else {
                    throw invalid("\(item.name) in \(what) must be \"true\" or \"false\", not \(quoted(item.value))")
                }
                bytes.append(contentsOf: item.value.utf8)
            case .integer:
                guard isInteger(item.value) else {
                    throw invalid("\(item.name) in \(what) must be an integer, not \(quoted(item.value))")
                }
                bytes.append(contentsOf: item.value.utf8)
            case .string:
                appendJSONString(item.value, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }

    enum FieldType { case string, boolean, integer }

    /// The JSON type of every non-string field, from ``booleanFields`` and ``integerFields``.
    private static let typedFields: [String: FieldType] = {
        var types: [String: FieldType] = [:]
        for name in booleanFields { types[name] = .boolean }
        for name in integerFields { types[name] = .integer }
        return types
    }()

    /// The JSON type of a body field: ``booleanFields`` and ``integerFields`` are the only non-strings.
    static func fieldType(_ name: String) -> FieldType {
        typedFields[name] ?? .string
    }

    private static func isInteger(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.utf8.count <= 18
            && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped; the rest
    /// (including non-ASCII) as UTF-8.
    static func appendJSONString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most values (symbols, numbers, ids) need no escaping at all.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: Helpers

    static func invalid(_ message: String) -> ExchangeError {
        ExchangeError(.invalidRequest, message: message, exchange: Bybit.exchangeName)
    }

    /// A value in quotes for an error message, shortened.
    static func quoted(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + Redaction.redactText(shown) + "\""
    }
}
