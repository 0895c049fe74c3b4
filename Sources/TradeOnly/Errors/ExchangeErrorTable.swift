/// An exchange's error codes as data: for each code, the ``ExchangeError/Kind`` it stands for, the
/// retry advice, the trading rule it names (``Instrument/Rule``) and a plain-words explanation.
///
/// An exchange module writes its table once (`<X>ErrorTable.swift`) and its dialect reads the
/// exchange's error envelope (code and message); ``error(code:message:exchangeMessage:for:_:context:)``
/// is the one classifier every module uses. A code may carry several ``Entry`` values, tried in order:
/// the first whose ``Condition`` holds (a word in the message, writes only, a path…) wins.
///
/// Explanations are templates: `{exchange}` (the display name), `{what}` (`POST /api/v3/order`),
/// `{code}`, `{message}` (the exchange's message), `{detail}` (the message, or `code N` when it is
/// empty), `{rule}`, `{filter}` (the filter name a ``RuleSource/filter(after:names:)`` read) and any
/// key of ``Context/values``.
package struct ExchangeErrorTable: Sendable {
    /// What the caller may do next, before the answer's own delay is known.
    package enum Retry: Sendable, Hashable {
        /// ``ExchangeError/RetryAdvice/doNotRetry``.
        case doNotRetry
        /// ``ExchangeError/RetryAdvice/retry``.
        case retry
        /// ``ExchangeError/RetryAdvice/retryAfterClockSync``.
        case retryAfterClockSync
        /// ``ExchangeError/RetryAdvice/reconcileFirst``.
        case reconcileFirst
        /// ``ExchangeError/RetryAdvice/retryAfter(seconds:)`` with the answer's delay
        /// (``Context/retryAfter``), or `seconds` when it names none.
        case retryAfter(defaultSeconds: Double)
        /// The answer's delay when it names one, else ``ExchangeError/RetryAdvice/retry``.
        case retryAfterIfNamed

        /// The advice for an answer that names `delay` (or none).
        func advice(delay: Double?) -> ExchangeError.RetryAdvice {
            switch self {
            case .doNotRetry: return .doNotRetry
            case .retry: return .retry
            case .retryAfterClockSync: return .retryAfterClockSync
            case .reconcileFirst: return .reconcileFirst
            case .retryAfter(let seconds): return .retryAfter(seconds: delay ?? seconds)
            case .retryAfterIfNamed: return delay.map { .retryAfter(seconds: $0) } ?? .retry
            }
        }
    }

    /// Where an entry's ``ExchangeError/rule`` comes from.
    package enum RuleSource: Sendable, Hashable {
        /// No rule.
        case none
        /// Always this rule.
        case fixed(Instrument.Rule)
        /// The filter name after `prefix` in the message (`Filter failure: LOT_SIZE`), translated by
        /// `names` (an unknown filter gives no rule). The entry applies only when the prefix is found.
        case filter(after: String, names: [String: Instrument.Rule])
        /// The first keyword rule the (lower-cased) message satisfies, if any.
        case keywords([KeywordRule])
    }

    /// A rule read from words in the message: it applies when the message contains one of
    /// ``anyOf`` and (unless ``andAnyOf`` is empty) one of ``andAnyOf``.
    package struct KeywordRule: Sendable, Hashable {
        /// Lower-case words; one must occur.
        package var anyOf: [String]
        /// Lower-case words; one must occur too (empty: no second condition).
        package var andAnyOf: [String]
        /// The rule.
        package var rule: Instrument.Rule

        /// Creates a keyword rule.
        package init(_ anyOf: [String], and andAnyOf: [String] = [], _ rule: Instrument.Rule) {
            self.anyOf = anyOf
            self.andAnyOf = andAnyOf
            self.rule = rule
        }

        func matches(_ lowered: String) -> Bool {
            anyOf.contains { lowered.contains($0) } && (andAnyOf.isEmpty || andAnyOf.contains { lowered.contains($0) })
        }
    }

    /// When an entry applies. Every part given must hold.
    package struct Condition: Sendable, Hashable {
        /// Which requests.
        package enum Requests: Sendable, Hashable {
            /// Every request.
            case all
            /// Writes (every method but `GET`).
            case writes
            /// Reads (`GET`).
            case reads
        }

        /// Lower-case words; one must occur in the lower-cased message (empty: no condition).
        package var messageContains: [String] = []
        /// Whether the message must be empty (`true`), not empty (`false`) or either (`nil`).
        package var messageIsEmpty: Bool?
        /// Which requests.
        package var requests: Requests = .all
        /// The request's path must end with this.
        package var pathSuffix: String?
        /// The entry's ``RuleSource`` must find a rule.
        package var requiresRule = false

        /// Creates a condition; every part left out holds for every answer.
        package init(
            messageContains: [String] = [], messageIsEmpty: Bool? = nil, requests: Requests = .all,
            pathSuffix: String? = nil, requiresRule: Bool = false
        ) {
            self.messageContains = messageContains
            self.messageIsEmpty = messageIsEmpty
            self.requests = requests
            self.pathSuffix = pathSuffix
            self.requiresRule = requiresRule
        }

        /// Always.
        package static let always = Condition()
        /// Writes only.
        package static let writes = Condition(requests: .writes)
        /// When the message is empty.
        package static let emptyMessage = Condition(messageIsEmpty: true)

        /// When the lower-cased message contains one of `words`.
        package static func message(_ words: String...) -> Condition { Condition(messageContains: words) }
    }

    /// What a code stands for, under a condition.
    package struct Entry: Sendable, Hashable {
        /// The error's kind.
        package var kind: ExchangeError.Kind
        /// The retry advice.
        package var retry: Retry
        /// Where the rule comes from.
        package var rule: RuleSource
        /// The explanation template (see ``ExchangeErrorTable``).
        package var explanation: String
        /// When this entry applies.
        package var condition: Condition

        /// Creates an entry.
        package init(
            _ kind: ExchangeError.Kind, _ explanation: String, retry: Retry = .doNotRetry, rule: RuleSource = .none,
            when condition: Condition = .always
        ) {
            self.kind = kind
            self.retry = retry
            self.rule = rule
            self.explanation = explanation
            self.condition = condition
        }
    }

    /// An entry that applies to any code but those listed, when its condition holds: tried before the
    /// codes' own entries (Bybit's "api key has expired" on whatever code).
    package struct MessageEntry: Sendable, Hashable {
        /// The entry.
        package var entry: Entry
        /// Codes whose own entries win.
        package var exceptCodes: Set<Int>

        /// Creates a message entry.
        package init(_ entry: Entry, except exceptCodes: Set<Int> = []) {
            self.entry = entry
            self.exceptCodes = exceptCodes
        }
    }

    /// What the classifier needs besides the table and the code.
    package struct Context: Sendable {
        /// The delay the answer names, in seconds (`Retry-After`, a reset timestamp), if any.
        package var retryAfter: Double?
        /// Extra template values (`{environment}`).
        package var values: [String: String]

        /// Creates a context.
        package init(retryAfter: Double? = nil, values: [String: String] = [:]) {
            self.retryAfter = retryAfter
            self.values = values
        }
    }

    /// The exchange's name in errors (`"binance"`).
    package var exchange: String
    /// The exchange's name in explanations (`"Binance"`).
    package var displayName: String
    /// The entries of each code, tried in order.
    package var codes: [Int: [Entry]]
    /// Entries for ranges of codes, tried after ``codes``.
    package var ranges: [(codes: ClosedRange<Int>, entries: [Entry])]
    /// Entries tried before a code's own (see ``MessageEntry``).
    package var messageEntries: [MessageEntry]
    /// What an unknown code gives.
    package var fallback: [Entry]

    /// Creates a table.
    package init(
        exchange: String, displayName: String, codes: [Int: [Entry]],
        ranges: [(codes: ClosedRange<Int>, entries: [Entry])] = [], messageEntries: [MessageEntry] = [],
        fallback: [Entry]
    ) {
        self.exchange = exchange
        self.displayName = displayName
        self.codes = codes
        self.ranges = ranges
        self.messageEntries = messageEntries
        self.fallback = fallback
    }

    /// Whether the table names `code` (exactly or in a range).
    package func knows(_ code: Int) -> Bool {
        codes[code] != nil || ranges.contains { $0.codes.contains(code) }
    }

    /// The one classifier: the error an exchange error code stands for.
    ///
    /// - Parameters:
    ///   - code: The exchange's code.
    ///   - message: The exchange's message (matched case-insensitively), `""` if none.
    ///   - exchangeMessage: What ``ExchangeError/exchangeMessage`` carries.
    ///   - request: The request answered.
    ///   - response: The answer.
    ///   - context: The answer's delay and extra template values.
    /// - Returns: The error; `nil` only when the fallback's conditions exclude the answer.
    package func error(
        code: Int, message: String, exchangeMessage: String?, for request: ExchangeRequest, _ response: HTTPResponse,
        context: Context = Context()
    ) -> ExchangeError? {
        let lowered = message.lowercased()
        for item in messageEntries where !item.exceptCodes.contains(code) {
            if let error = make(item.entry, code, message, lowered, exchangeMessage, request, response, context) {
                return error
            }
        }
        let entries = codes[code] ?? ranges.first { $0.codes.contains(code) }?.entries ?? fallback
        for entry in entries {
            if let error = make(entry, code, message, lowered, exchangeMessage, request, response, context) {
                return error
            }
        }
        return nil
    }

    // swiftlint:disable:next function_parameter_count
    private func make(
        _ entry: Entry, _ code: Int, _ message: String, _ lowered: String, _ exchangeMessage: String?,
        _ request: ExchangeRequest, _ response: HTTPResponse, _ context: Context
    ) -> ExchangeError? {
        let condition = entry.condition
        switch condition.requests {
        case .all: break
        case .writes: guard request.method != .get else { return nil }
        case .reads: guard request.method == .get else { return nil }
        }
        if let empty = condition.messageIsEmpty, empty != message.isEmpty { return nil }
        if !condition.messageContains.isEmpty, !condition.messageContains.contains(where: { lowered.contains($0) }) {
            return nil
        }
        if let suffix = condition.pathSuffix, !request.path.hasSuffix(suffix) { return nil }
        var rule: Instrument.Rule?
        var filter: String?
        switch entry.rule {
        case .none: break
        case .fixed(let fixed): rule = fixed
        case .filter(let prefix, let names):
            guard let range = message.range(of: prefix) else { return nil }
            let name = String(message[range.upperBound...].prefix { !$0.isWhitespace && $0 != "." })
            filter = name
            rule = names[name]
        case .keywords(let rules): rule = rules.first { $0.matches(lowered) }?.rule
        }
        if condition.requiresRule && rule == nil { return nil }
        var values = context.values
        values["exchange"] = displayName
        values["what"] = "\(request.method.rawValue) \(request.path)"
        values["code"] = String(code)
        values["message"] = message
        values["detail"] = message.isEmpty ? "code \(code)" : message
        values["rule"] = rule?.name ?? ""
        values["filter"] = filter ?? ""
        return ExchangeError(
            entry.kind, message: Self.fill(entry.explanation, with: values), exchange: exchange, code: String(code),
            exchangeMessage: exchangeMessage, httpStatus: response.status, retry: entry.retry.advice(delay: context.retryAfter),
            rule: rule)
    }

    /// `template` with every `{name}` replaced by its value (an unknown name stays as written).
    static func fill(_ template: String, with values: [String: String]) -> String {
        guard template.contains("{") else { return template }
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] { result += value } else { result += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}
