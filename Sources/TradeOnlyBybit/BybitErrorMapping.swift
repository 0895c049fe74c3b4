import Foundation
import TradeOnly

/// Maps Bybit's answers to ``ExchangeError``s: HTTP 200 with a non-zero `retCode` is an error, and so
/// is every HTTP failure, an HTML page or an unreadable body. Never crashes, whatever arrives.
///
/// | `retCode` | Kind | Retry advice |
/// |---|---|---|
/// | 10002, -1 | timestampOutOfWindow | resync the clock (the pipeline retries once) |
/// | 10003 | authentication (key and environment do not match) | do not retry |
/// | 10004 | invalidSignature | do not retry |
/// | 10005 | permissionDenied | do not retry |
/// | 10010 | ipNotAllowed | do not retry |
/// | 33004, -2015, "api key has expired" | keyExpired | do not retry |
/// | 10007 | authentication | do not retry |
/// | 10008, 10009, 10027 | permissionDenied | do not retry |
/// | 10006, 10018 | rateLimited | after `X-Bapi-Limit-Reset-Timestamp` |
/// | 110004, 110007, 110012, 110044, 110045, 170131, 170033 | insufficientFunds | do not retry |
/// | 110094, 110017, 110003, 170136, 170137, 170134, 170133, 170132, 170140, 170148, 170124, 170218 | orderRejected, with a rule | do not retry |
/// | 10001 on an order whose message names the quantity or the price | orderRejected, with the rule the message names | do not retry |
/// | 10001 otherwise | invalidRequest | do not retry |
/// | 110001, 110008, 110010, 170213, 170142, 170143 | orderNotFound | do not retry |
/// | 110072, 170141 | duplicateClientOrderID | do not retry |
/// | 10000, 10016, 170007, 170146, 10014 | outcomeUnknown for a POST (reconcile); exchangeUnavailable for a GET | reconcile / retry |
/// | anything else | other, with the raw code | do not retry |
///
/// Every rule is one of the core's ``Instrument/Rule`` names (the vocabulary local validation uses);
/// Bybit's own wording stays in ``ExchangeError/exchangeMessage``.
///
/// HTTP 403 "access too frequent" is Bybit's IP ban: ``ExchangeError/Kind/banned`` until `Retry-After`
/// (10 minutes without one); the request pipeline hands the ban to the shared ``RateLimitGovernor``,
/// which refuses every request to the host until it ends. Other HTTP failures go through the core's
/// `ResponseClassification.httpFailure`.
struct BybitErrorMapping: Sendable {
    /// The environment, named in key/environment mismatch errors.
    let environment: Bybit.Environment
    /// The API key in use and its masked form, if any: masked wherever Bybit echoes it.
    let apiKey: (key: String, masked: String)?
    /// The exchange's current time (the server clock), for `X-Bapi-Limit-Reset-Timestamp`.
    let now: @Sendable () -> Date
    /// The local time, for the end of an IP ban (the rate-limit governor counts in local time).
    let localNow: @Sendable () -> Date

    /// Creates a mapping.
    ///
    /// - Parameters:
    ///   - localNow: The local time; `now` if not given.
    init(
        environment: Bybit.Environment, apiKey: (key: String, masked: String)?, now: @escaping @Sendable () -> Date,
        localNow: (@Sendable () -> Date)? = nil
    ) {
        self.environment = environment
        self.apiKey = apiKey
        self.now = now
        self.localNow = localNow ?? now
    }

    static let insufficientFunds: Set<Int> = [110004, 110007, 110012, 110044, 110045, 170131, 170033]
    static let orderNotFound: Set<Int> = [110001, 110008, 110010, 170213, 170142, 170143]
    static let duplicateClientOrderID: Set<Int> = [110072, 170141]
    static let unknownOutcome: Set<Int> = [10000, 10016, 170007, 170146, 10014]
    static let clockErrors: Set<Int> = [10002, -1]
    static let expiredKey: Set<Int> = [33004, -2015]
    static let rateLimit: Set<Int> = [10006, 10018]
    /// Filter failures and the ``Instrument/Rule`` each one broke (Bybit's own wording stays in
    /// ``ExchangeError/exchangeMessage``).
    static let rejectionRules: [Int: String] = [
        110094: Instrument.Rule.minimumNotional,        // order notional value below the lower limit
        110017: Instrument.Rule.quantityStep,           // orderQty will be truncated to zero
        110003: Instrument.Rule.price,                  // order price exceeds the allowable range (price band)
        170218: Instrument.Rule.postOnly,               // the LIMIT-MAKER order would immediately match
        170136: Instrument.Rule.minimumQuantity,        // order quantity lower than the minimum
        170137: Instrument.Rule.quantityStep,           // order volume decimal too long
        170134: Instrument.Rule.tickSize,               // order price decimal too long
        170133: Instrument.Rule.minimumPrice,           // order price lower than the minimum
        170132: Instrument.Rule.maximumPrice,           // order price too high
        170140: Instrument.Rule.minimumNotional,        // order value exceeded lower limit
        170148: Instrument.Rule.quantityStep,           // market order amount decimal too long
        170124: Instrument.Rule.maximumNotional,        // order amount too large
    ]

    /// The error for a response, or `nil` if it is a success (HTTP 2xx with `retCode` 0).
    func classify(_ request: ExchangeRequest, _ response: HTTPResponse) -> ExchangeError? {
        let head = BybitEnvelopeScanner.scan(response.body)
        if let code = head?.retCode, code != 0 {
            return error(code: code, message: head?.retMessage ?? "", request: request, response: response)
        }
        if !(200..<300).contains(response.status) {
            if response.status == 403, Self.mentionsTooFrequent(response.body) {
                // Bybit documents "wait at least 10 minutes"; a Retry-After, when sent, says exactly.
                let seconds = ResponseClassification.retryAfterSeconds(response).flatMap { $0 > 0 ? $0 : nil }
                    ?? Bybit.ipBanDuration
                return ExchangeError(
                    .banned,
                    message: "Bybit has banned this IP address for breaking its IP rate limit (600 requests per 5 s): "
                        + "TradeOnly sends nothing to \(environment.baseURL.host ?? "Bybit") for \(Int(seconds.rounded(.up))) s; "
                        + "stop every other session using this IP too",
                    exchange: Bybit.exchangeName, exchangeMessage: ResponseClassification.bodyExcerpt(response),
                    httpStatus: 403, retry: .retryAfter(seconds: seconds), bannedUntil: localNow().addingTimeInterval(seconds))
            }
            return ResponseClassification.httpFailure(response, for: request, exchange: Bybit.exchangeName, now: now())
        }
        guard head?.retCode == 0 else {
            return unreadable(request, response)
        }
        return nil
    }

    /// A 2xx answer that is not a Bybit envelope: empty, HTML, or JSON without `retCode`.
    private func unreadable(_ request: ExchangeRequest, _ response: HTTPResponse) -> ExchangeError {
        let what = "\(request.method.rawValue) \(request.path)"
        let kind: String
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            kind = "an empty body"
        } else if ResponseClassification.looksLikeHTML(response.body) {
            kind = "an HTML page (a proxy, firewall or maintenance page)"
        } else {
            kind = "a body that is not a Bybit answer (no retCode)"
        }
        if request.method != .get {
            return ExchangeError(
                .outcomeUnknown,
                message: "Bybit answered \(what) with \(kind): the request may have been executed; query its outcome first",
                exchange: Bybit.exchangeName, exchangeMessage: ResponseClassification.bodyExcerpt(response),
                httpStatus: response.status, retry: .reconcileFirst)
        }
        return ExchangeError(
            .exchangeUnavailable, message: "Bybit answered \(what) with \(kind)", exchange: Bybit.exchangeName,
            exchangeMessage: ResponseClassification.bodyExcerpt(response), httpStatus: response.status, retry: .retry)
    }

    /// The error for a non-zero `retCode`.
    func error(code: Int, message rawMessage: String, request: ExchangeRequest, response: HTTPResponse) -> ExchangeError {
        let message = sanitize(rawMessage)
        let what = "\(request.method.rawValue) \(request.path)"
        let isWrite = request.method != .get
        func make(_ kind: ExchangeError.Kind, _ text: String, retry: ExchangeError.RetryAdvice = .doNotRetry,
                  rule: String? = nil) -> ExchangeError {
            ExchangeError(
                kind, message: text, exchange: Bybit.exchangeName, code: String(code),
                exchangeMessage: message.isEmpty ? nil : message, httpStatus: response.status, retry: retry, rule: rule)
        }
        let lowered = message.lowercased()
        switch code {
        case _ where Self.clockErrors.contains(code):
            return make(.timestampOutOfWindow,
                        "Bybit refused the timestamp of \(what) (outside the receive window); resynchronise the clock",
                        retry: .retryAfterClockSync)
        case 10003:
            return make(.authentication,
                        "Bybit does not know this API key on \(environment.name) (\(environment.baseURL.absoluteString)): "
                            + "keys from live, testnet and demo trading are not interchangeable; check the key and the environment")
        case 10004:
            return make(.invalidSignature, "Bybit rejected the signature of \(what): check the API secret")
        case 10005:
            return make(.permissionDenied, "the key lacks the Bybit permission \(what) needs")
        case 10010:
            return make(.ipNotAllowed, "the request came from an IP address this key is not bound to")
        case _ where Self.expiredKey.contains(code) || lowered.contains("api key has expired") || lowered.contains("apikey has expired"):
            return make(.keyExpired, "the Bybit API key has expired: create a new key, bound to your server's IP addresses so it does not expire")
        case 10007:
            return make(.authentication, "Bybit could not authenticate the user of this key")
        case 10008, 10009, 10027:
            return make(.permissionDenied, "Bybit refuses \(what) for this account (banned, restricted region or trading banned)")
        case _ where Self.rateLimit.contains(code):
            return make(.rateLimited, "Bybit's rate limit for \(what) was hit; back off", retry: .retryAfter(seconds: retryAfter(response)))
        case _ where Self.insufficientFunds.contains(code):
            return make(.insufficientFunds, "the account lacks the balance or margin for this order")
        case _ where Self.rejectionRules[code] != nil:
            return make(.orderRejected, "Bybit rejected the order: it breaks a trading rule", rule: Self.rejectionRules[code])
        case 10001:
            if request.path.hasSuffix("/order/create"), let rule = Self.orderParameterRule(lowered) {
                return make(.orderRejected, "Bybit rejected the order: it breaks the \(rule) rule", rule: rule)
            }
            return make(.invalidRequest, "Bybit rejected a parameter of \(what)")
        case _ where Self.orderNotFound.contains(code):
            return make(.orderNotFound, "Bybit does not know this order, or it is no longer open")
        case _ where Self.duplicateClientOrderID.contains(code):
            return make(.duplicateClientOrderID, "an order with this client order id (orderLinkId) already exists")
        case _ where Self.unknownOutcome.contains(code):
            if isWrite {
                return make(.outcomeUnknown,
                            "Bybit could not confirm \(what) (timeout or server error): it may have been executed; query its outcome first",
                            retry: .reconcileFirst)
            }
            return make(.exchangeUnavailable, "Bybit could not answer \(what) (timeout or server error); reads are safe to retry",
                        retry: .retry)
        default:
            return make(.other, "Bybit refused \(what)")
        }
    }

    /// The ``Instrument/Rule`` a `10001` answer to an order placement names, read from Bybit's message
    /// (`10001` is Bybit's generic parameter error; derivatives filter failures often land there), or
    /// `nil` if the message is about something else.
    ///
    /// - Parameter message: Bybit's message, in lower case.
    static func orderParameterRule(_ message: String) -> String? {
        let aboutQuantity = message.contains("qty") || message.contains("quantity") || message.contains("contracts")
        if aboutQuantity {
            if message.contains("minimum") { return Instrument.Rule.minimumQuantity }
            if message.contains("maximum") { return Instrument.Rule.maximumQuantity }
            if message.contains("step") || message.contains("decimal") { return Instrument.Rule.quantityStep }
            return Instrument.Rule.quantity
        }
        if message.contains("price") {
            if message.contains("tick") || message.contains("decimal") { return Instrument.Rule.tickSize }
            return Instrument.Rule.price
        }
        return nil
    }

    /// Seconds until `X-Bapi-Limit-Reset-Timestamp` (milliseconds), at least 0.1; 1 if absent.
    func retryAfter(_ response: HTTPResponse) -> Double {
        guard let text = response.headers["X-Bapi-Limit-Reset-Timestamp"]?.trimmingCharacters(in: .whitespaces),
            let reset = Int64(text)
        else { return 1 }
        let seconds = (Double(reset) - now().timeIntervalSince1970 * 1000) / 1000
        return max(0.1, (seconds * 1000).rounded() / 1000)
    }

    /// Bybit's message, safe to keep: the `origin_string[…]` some signature errors echo (the signed
    /// payload, with the API key) is cut out, the API key is masked, and the length is capped.
    func sanitize(_ message: String) -> String {
        var text = message
        if let start = text.range(of: "origin_string[") {
            let rest = text[start.upperBound...]
            let end = rest.firstIndex(of: "]").map { text.index(after: $0) } ?? text.endIndex
            text.replaceSubrange(start.lowerBound..<end, with: "origin_string[\(Redaction.placeholder)]")
        }
        if let apiKey, apiKey.key.count >= 4 {
            text = text.replacingOccurrences(of: apiKey.key, with: apiKey.masked)
        }
        text = Redaction.redactText(text)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    static func mentionsTooFrequent(_ body: Data) -> Bool {
        String(decoding: body.prefix(4096), as: UTF8.self).lowercased().contains("too frequent")
    }
}
