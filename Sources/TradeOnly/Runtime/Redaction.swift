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
        "x-mbx-apikey", // Binance
        "x-bapi-api-key", "x-bapi-sign", // Bybit
        "ok-access-key", "ok-access-sign", "ok-access-passphrase", // OKX
        "key", "sign", // Gate
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
    /// case and percent-encoding. The query is also read as text, as ``redactText(_:)`` reads it, so
    /// sensitive items inside other values or percent-encoded once or more (`signature%3Dabc`,
    /// `x=a%26signature%253Dabc`) are hidden too. Everything else is kept as it is.
    ///
    /// - Parameter query: A query string, encoded or not.
    /// - Returns: The query with sensitive values hidden.
    public static func redactQuery(_ query: String) -> String {
        let bytes = Array(query.utf8)
        var ranges: [Range<Int>] = []
        var itemStart = bytes.firstIndex(of: UInt8(ascii: "?")).map { $0 + 1 } ?? 0
        while itemStart <= bytes.count {
            let itemEnd = bytes[itemStart...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
            if let equals = bytes[itemStart..<itemEnd].firstIndex(of: UInt8(ascii: "=")),
                isSensitiveParameter(String(decoding: bytes[itemStart..<equals], as: UTF8.self))
            {
                ranges.append((equals + 1)..<itemEnd)
            }
            itemStart = itemEnd + 1
        }
        // And as text, as it is and decoded: a sensitive item inside another item's value, or after
        // text that is not an item name, is hidden too.
        ranges += RedactionScanner.sensitiveValueRanges(in: bytes, fromLayer: 0)
        return RedactionScanner.render(query, bytes: bytes, hiding: ranges)
    }

    /// `text` with the value after every sensitive name replaced by ``placeholder``.
    ///
    /// Finds any sensitive header or parameter name (as a whole word, ignoring case, optionally quoted)
    /// followed by `=` or `:` and hides the value after it: a quoted value up to its closing quote; after
    /// `=`, up to `&`, whitespace or punctuation; after `:`, up to the end of the line, a comma or a
    /// closing bracket. That covers query strings (`signature=…`), header lines (`X-MBX-APIKEY: …`),
    /// JSON (`"apiKey":"…"`) and Swift dictionary descriptions (`["KEY": "…"]`).
    ///
    /// Percent-encoded forms are found too, encoded once or several times, in upper- or lower-case
    /// hex, whole or in part: `signature%3Dabc`, `%73ignature=abc`, `apiKey%253Dabc`,
    /// `%22apiKey%22%3A%22abc%22`. Each layer of decoding is searched, and the hidden part is the
    /// value's bytes in the original text; an unquoted value found only after decoding is hidden up
    /// to the next terminator of the original text, so a value whose own characters are encoded more
    /// deeply than its name cannot leave a tail behind. Text without `%` is searched once.
    ///
    /// - Parameter text: Any text, for example a log message.
    /// - Returns: The text with sensitive values hidden.
    public static func redactText(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return text }
        return RedactionScanner.render(text, bytes: bytes, hiding: RedactionScanner.sensitiveValueRanges(in: bytes, fromLayer: 0))
    }

    /// The shortest secret, in UTF-8 bytes, that ``redactText(_:removing:)`` looks for: 8.
    ///
    /// A shorter string (a passphrase such as `"pass"`, a one-digit test value) occurs in ordinary
    /// text by chance: replacing every occurrence would mangle log lines, and the places where the
    /// placeholder appears would give the secret away. Exchange API keys, secrets and signatures are
    /// far longer.
    public static let minimumSecretLength = 8

    /// `text` with sensitive values hidden, as ``redactText(_:)`` does, and with every occurrence of
    /// each of `secrets` replaced by ``placeholder``: for values the caller knows, such as its own API
    /// key, wherever they appear, after a sensitive name or not.
    ///
    /// Each secret is found as it is and in the forms it takes on its way into text: percent-encoded,
    /// once or several times, with upper- or lower-case hex, whole or in part; JSON-escaped (`\/`,
    /// `\"`, `\\`); with spaces as `+` (form encoding). Letter case is ignored (a hex signature may
    /// be printed in upper case). The masked form of an API key (`vmPU…Eh8A`) is not a secret and
    /// is left alone.
    ///
    /// ```swift
    /// Redaction.redactText("request failed: apiKey%3DvmPUZE6m…", removing: [apiKey])
    /// ```
    ///
    /// - Parameters:
    ///   - text: Any text, for example a log message or an error description.
    ///   - secrets: The values to remove. Empty strings and strings shorter than
    ///     ``minimumSecretLength`` bytes are ignored (see there why).
    /// - Returns: The text with sensitive values and the secrets hidden.
    public static func redactText(_ text: String, removing secrets: [String]) -> String {
        let bytes = Array(text.utf8)
        let forms = RedactionScanner.searchForms(of: secrets.filter { $0.utf8.count >= minimumSecretLength })
        guard bytes.count >= 3 || !forms.isEmpty else { return text }
        var ranges = RedactionScanner.sensitiveValueRanges(in: bytes, fromLayer: 0)
        ranges += RedactionScanner.secretRanges(in: bytes, forms: forms)
        return RedactionScanner.render(text, bytes: bytes, hiding: ranges)
    }

    // MARK: - Internals

    static let allNames: [[UInt8]] = (sensitiveHeaderNames.union(sensitiveParameterNames))
        .sorted { $0.count > $1.count }
        .map { Array($0.utf8) }

    private static func normalizedName(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
