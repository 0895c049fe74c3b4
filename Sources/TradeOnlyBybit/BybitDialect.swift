import Foundation
import TradeOnly

/// Bybit's dialect (``ExchangeDialect``): what the core pipeline needs of this module, assembled from
/// the module's files: the host (``Bybit/Environment``), the query and JSON-body encoding
/// (``BybitRequestEncoding``), the signer (``BybitSigner``), the `retCode`s (``BybitErrorTable``),
/// the server time (`GET /v5/market/time`), the rate-limit headers (`X-Bapi-Limit-*`, in
/// `Bybit+RateLimitUsage.swift`), the key report (``BybitKeyReport``) and the endpoint table
/// (``Bybit/endpointPolicy``).
///
/// HTTP 200 with a non-zero `retCode` is an error, and so is every HTTP failure, an HTML page or an
/// unreadable body; nothing crashes, whatever arrives. HTTP 403 "access too frequent" is Bybit's IP
/// ban: ``ExchangeError/Kind/banned`` until `Retry-After` (10 minutes without one); the pipeline
/// hands it to the shared ``RateLimitGovernor``, which refuses every request to the host until it ends.
struct BybitDialect: ExchangeDialect {
    let environment: Bybit.Environment
    let endpointPolicy: EndpointPolicy
    let receiveWindow: Int
    /// The exchange's clock: its time for `X-Bapi-Limit-Reset-Timestamp`, its local time for bans.
    let clock: ServerClock
    let governor: RateLimitGovernor
    /// The API key in use and its masked form, if any: masked wherever Bybit echoes it.
    let apiKey: (key: String, masked: String)?
    /// Where a client keeps the last per-endpoint counters, if it does.
    let rateLimits: BybitRateLimitTracker?

    /// Creates a dialect.
    ///
    /// - Parameters:
    ///   - governor: The shared governor; a new one without budgets if not given.
    init(
        environment: Bybit.Environment, endpointPolicy: EndpointPolicy = Bybit.builtInPolicy, receiveWindow: Int = 5000,
        clock: ServerClock, governor: RateLimitGovernor? = nil, apiKey: (key: String, masked: String)? = nil,
        rateLimits: BybitRateLimitTracker? = nil
    ) {
        self.environment = environment
        self.endpointPolicy = endpointPolicy
        self.receiveWindow = receiveWindow
        self.clock = clock
        self.governor = governor ?? RateLimitGovernor(timeSource: clock.timeSource)
        self.apiKey = apiKey
        self.rateLimits = rateLimits
    }

    /// `"bybit"`.
    var exchange: String { Bybit.exchangeName }

    var origins: [String] { [environment.baseURL.absoluteString] }

    var inspectorPolicy: EndpointPolicy { Bybit.inspectorPolicy }

    var errorTable: ExchangeErrorTable { BybitErrorTable.table }

    func encode(_ request: ExchangeRequest) throws -> HTTPRequest {
        try BybitRequestEncoding.encode(request, environment: environment)
    }

    /// A signer for `credentials`, pinned to this environment's base URL.
    func signer(for credentials: Credentials, permissions: Set<TradePermission>?) -> BybitSigner {
        let gate = SigningGate(
            policy: permissions == nil ? inspectorPolicy : endpointPolicy, origins: origins,
            permissions: permissions, layout: .queryAndJSONBody)
        return BybitSigner(credentials: credentials, gate: gate, receiveWindow: receiveWindow)
    }

    /// The error for a response, or `nil` if it is a success (HTTP 2xx with `retCode` 0).
    func classify(_ request: ExchangeRequest, _ response: HTTPResponse) -> ExchangeError? {
        let head = BybitEnvelopeScanner.scan(response.body)
        if let code = head?.retCode, code != 0 {
            return error(code: code, message: head?.retMessage ?? "", request: request, response: response)
        }
        if !(200..<300).contains(response.status) {
            if response.status == 403, Self.mentionsTooFrequent(response.body) {
                // Bybit documents "wait at least 10 minutes"; a Retry-After, when sent, says exactly.
                let seconds =
                    ResponseClassification.retryAfterSeconds(response).flatMap { $0 > 0 ? $0 : nil }
                    ?? Bybit.ipBanDuration
                return ExchangeError(
                    .banned,
                    message: "Bybit has banned this IP address for breaking its IP rate limit (600 requests per 5 s): "
                        + "TradeOnly sends nothing to \(environment.baseURL.host ?? "Bybit") for \(Int(seconds.rounded(.up))) s; "
                        + "stop every other session using this IP too",
                    exchange: Bybit.exchangeName, exchangeMessage: ResponseClassification.bodyExcerpt(response),
                    httpStatus: 403, retry: .retryAfter(seconds: seconds),
                    bannedUntil: clock.timeSource.now().addingTimeInterval(seconds))
            }
            return ResponseClassification.httpFailure(response, for: request, exchange: Bybit.exchangeName, now: clock.now())
        }
        guard head?.retCode == 0 else {
            return unreadable(request, response)
        }
        return nil
    }

    /// The error for a non-zero `retCode`, from ``BybitErrorTable``.
    func error(code: Int, message rawMessage: String, request: ExchangeRequest, response: HTTPResponse) -> ExchangeError {
        let message = sanitize(rawMessage)
        let context = ExchangeErrorTable.Context(
            retryAfter: retryAfter(response),
            values: ["environment": environment.name, "baseURL": environment.baseURL.absoluteString])
        return errorTable.error(
            code: code, message: message, exchangeMessage: message.isEmpty ? nil : message, for: request, response,
            context: context)
            ?? ExchangeError(.other, message: "Bybit refused \(request.method.rawValue) \(request.path)", exchange: Bybit.exchangeName)
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

    /// Seconds until `X-Bapi-Limit-Reset-Timestamp` (milliseconds, Bybit's clock), at least 0.1; 1 if absent.
    func retryAfter(_ response: HTTPResponse) -> Double {
        guard let text = response.headers["X-Bapi-Limit-Reset-Timestamp"]?.trimmingCharacters(in: .whitespaces),
            let reset = Int64(text)
        else { return 1 }
        let seconds = (Double(reset) - clock.now().timeIntervalSince1970 * 1000) / 1000
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

    var serverTimeRequest: ExchangeRequest { ExchangeRequest(method: .get, path: "/v5/market/time") }

    func decodeServerTime(_ response: HTTPResponse) throws -> Date {
        try WireServerTime.decode(response)
    }

    /// The one rate-limit hook: the per-endpoint counters (`X-Bapi-Limit`, `X-Bapi-Limit-Status`,
    /// `X-Bapi-Limit-Reset-Timestamp`) go to the client's records and to the shared governor.
    func observe(_ request: ExchangeRequest, _ response: HTTPResponse) {
        let now = clock.timeSource.now()
        rateLimits?.record(request, response, at: now)
        if let observation = BybitRateLimitHeaders.observation(response, host: environment.hostKey, path: request.path, clock: clock) {
            governor.record(
                remaining: observation.remaining, limit: observation.limit, resetAt: observation.resetAt, key: observation.key)
        }
    }

    var clientOrderIDRule: ClientOrderID.Rule { BybitClient.clientOrderIDRule }

    var keyReportRequest: ExchangeRequest { ExchangeRequest(method: .get, path: BybitKeyReport.path, security: .signed) }

    func keyReport(from response: HTTPResponse) throws -> KeyReport {
        let envelope = try BybitWire.decode(WireAPIKeyInfo.self, from: response, what: "API key information")
        return BybitKeyReport.report(envelope.result, now: clock.now(), environment: environment.keyEnvironment)
    }
}
