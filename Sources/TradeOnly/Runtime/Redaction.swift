/// The one list of sensitive header and parameter names, and the functions that hide their values.
///
/// TradeOnly passes everything it logs or describes through these functions, so an API key, a
/// signature, a passphrase or a signed query string cannot reach a log line or an error message:
///
/// ```swift
/// Redaction.redactQuery("symbol=BTCUSDT&timestamp=1&signature=c8db5682")
/// // "symbol=BTCUSDT&timestamp=1&signature=<redacted>"
/// Redaction.isSensitiveHeader("x-mbx-apikey")   // true
/// ```
///
/// Redaction errs on the side of hiding: when in doubt, a value is replaced.
public enum Redaction {
    /// What a hidden value is replaced with.
    public static let placeholder = "<redacted>"

    /// Header names whose values are never shown, lower-cased: the exchanges' API-key, signature and
    /// passphrase headers (Binance, Bybit, OKX, Gate) and the generic authentication headers.
    public static let sensitiveHeaderNames: Set<String> = [
        "x-mbx-apikey",                                            // Binance
        "x-bapi-api-key", "x-bapi-sign",                          // Bybit
        "ok-access-key", "ok-access-sign", "ok-access-passphrase", // OKX
        "key", "sign",                                             // Gate
        "authorization", "proxy-authorization", "cookie", "set-cookie",
    ]

    /// Query and body parameter names whose values are never shown, lower-cased: signatures, API keys,
    /// secrets, passphrases and Binance listen keys.
    public static let sensitiveParameterNames: Set<String> = [
        "signature", "sign", "apikey", "api_key",
        "secret", "apisecret", "api_secret", "secretkey", "secret_key",
        "passphrase", "password", "listenkey",
    ]

    /// Whether the value of the header `name` must never be shown (compared ignoring case and
    /// surrounding whitespace).
    ///
    /// - Parameter name: A header name, for example `"X-MBX-APIKEY"`.
    public static func isSensitiveHeader(_ name: String) -> Bool {
        sensitiveHeaderNames.contains(normalizedName(name))
    }

    /// Whether the value of the query or body parameter `name` must never be shown (compared ignoring
    /// case, surrounding whitespace and percent-encoding).
    ///
    /// - Parameter name: A parameter name, for example `"signature"`.
    public static func isSensitiveParameter(_ name: String) -> Bool {
        let decoded = String(decoding: PercentEncoding.bestEffortDecode(Array(name.utf8)), as: UTF8.self)
        return sensitiveParameterNames.contains(normalizedName(decoded))
    }

    /// The value of header `name` as it may be shown: ``placeholder`` for a sensitive header, otherwise
    /// the value with any sensitive items inside it redacted (see ``redactText(_:)``).
    ///
    /// - Parameters:
    ///   - value: The header's value.
    ///   - name: The header's name.
    public static func redactHeaderValue(_ value: String, forHeader name: String) -> String {
        isSensitiveHeader(name) || isSensitiveParameter(name) ? placeholder : redactText(value)
    }

    /// `query` with the value of every sensitive item replaced by ``placeholder``.
    ///
    /// Accepts a bare query (`a=1&signature=…`), one with a leading `?`, or a whole URL or path with a
    /// query; only the part after the first `?` is treated as items. Item names are compared ignoring
    /// case and percent-encoding. Everything else is kept as it is.
    ///
    /// - Parameter query: A query string, encoded or not.
    /// - Returns: The query with sensitive values hidden.
    public static func redactQuery(_ query: String) -> String {
        var head = Substring()
        var items = query[...]
        if let mark = query.firstIndex(of: "?") {
            head = query[...mark]
            items = query[query.index(after: mark)...]
        }
        let redacted = items.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            guard let equals = item.firstIndex(of: "="), isSensitiveParameter(String(item[..<equals])) else {
                return String(item)
            }
            return item[..<equals] + "=" + placeholder
        }
        return head + redacted.joined(separator: "&")
    }

    /// `text` with the value after every sensitive name replaced by ``placeholder``.
    ///
    /// Finds any sensitive header or parameter name (as a whole word, ignoring case, optionally quoted)
    /// followed by `=` or `:` and hides the value after it: a quoted value up to its closing quote; after
    /// `=`, up to `&`, whitespace or punctuation; after `:`, up to the end of the line, a comma or a
    /// closing bracket. That covers query strings (`signature=…`), header lines (`X-MBX-APIKEY: …`),
    /// JSON (`"apiKey":"…"`) and Swift dictionary descriptions (`["KEY": "…"]`).
    ///
    /// - Parameter text: Any text, for example a log message.
    /// - Returns: The text with sensitive values hidden.
    public static func redactText(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index == 0 || !isNameByte(bytes[index - 1]), isNameByte(bytes[index]),
               let (valueStart, valueEnd) = sensitiveValue(in: bytes, nameStart: index) {
                output.append(contentsOf: bytes[index..<valueStart])
                if valueEnd > valueStart {
                    output.append(contentsOf: Array(placeholder.utf8))
                }
                index = valueEnd
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: - Internals

    private static let allNames: [[UInt8]] = (sensitiveHeaderNames.union(sensitiveParameterNames))
        .sorted { $0.count > $1.count }
        .map { Array($0.utf8) }

    private static func normalizedName(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
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

    private static func isQuote(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// If a sensitive name starts at `nameStart` and a value follows it, the range of that value
    /// (possibly empty).
    private static func sensitiveValue(in bytes: [UInt8], nameStart: Int) -> (Int, Int)? {
        guard let name = allNames.first(where: { name in
            nameStart + name.count <= bytes.count
                && zip(name, bytes[nameStart...]).allSatisfy { $0 == lowercased($1) }
                && (nameStart + name.count == bytes.count || !isNameByte(bytes[nameStart + name.count]))
        }) else { return nil }

        var index = nameStart + name.count
        if index < bytes.count, isQuote(bytes[index]) { index += 1 }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") || bytes[index] == UInt8(ascii: ":") else {
            return nil
        }
        let separator = bytes[index]
        index += 1
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return (index, index) }

        if isQuote(bytes[index]) {
            let quote = bytes[index]
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != quote {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            return (start, min(end, bytes.count))
        }

        let terminators: Set<UInt8> = separator == UInt8(ascii: "=")
            ? Set("&\"', ;)]}>\t\r\n".utf8)
            : Set("\"',)]}\r\n".utf8)
        var end = index
        while end < bytes.count, !terminators.contains(bytes[end]) { end += 1 }
        return (index, end)
    }
}
