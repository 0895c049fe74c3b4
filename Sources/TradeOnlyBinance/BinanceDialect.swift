import TradeOnly

/// Binance's dialect (``ExchangeDialect``): what the core pipeline needs of this module, assembled
/// from the module's files: the hosts (``Binance/Environment``), the query encoding
/// (``BinanceRequestEncoding``), the signer (``BinanceSigner``), the error codes
/// (``BinanceErrorTable``), the server time (`GET /api/v3/time`), the rate-limit headers
/// (``Binance/RateLimitHeaders``), the client-order-id rule, the key report (``BinanceKeyReport``) and the endpoint table
/// (``Binance/endpointPolicy``).
struct BinanceDialect: ExchangeDialect {
    let environment: Binance.Environment
    let configuration: Binance.Configuration
    let endpointPolicy: EndpointPolicy
    let timeSource: any TimeSource
    let state: BinanceSharedState
    let governor: RateLimitGovernor
    /// The governor's name for each host this environment serves.
    let hostKeys: [Binance.Host: String]

    /// `"binance"`.
    var exchange: String { Binance.exchangeName }

    /// The base URL of every host this environment serves (futures is missing on the spot testnet).
    var origins: [String] {
        Binance.Host.allCases.compactMap { try? environment.baseURL(for: $0) }
    }

    var inspectorPolicy: EndpointPolicy { Binance.inspectorPolicy }

    var errorTable: ExchangeErrorTable { BinanceErrorTable.table }

    func encode(_ request: ExchangeRequest) throws -> HTTPRequest {
        try BinanceRequestEncoding.encode(request, environment: environment, configuration: configuration)
    }

    /// A signer for `credentials` and the configuration's receive window, pinned to this environment's
    /// hosts (a spot path only to the spot host, a futures path only to the futures host).
    func signer(for credentials: Credentials, permissions: Set<TradePermission>?) -> BinanceSigner {
        var originByHost: [Binance.Host: String] = [:]
        for host in Binance.Host.allCases { originByHost[host] = try? environment.baseURL(for: host) }
        let origins = originByHost
        let gate = SigningGate(
            policy: permissions == nil ? inspectorPolicy : endpointPolicy, origins: self.origins,
            permissions: permissions, layout: .formEncoded,
            originOfPath: { path in Binance.Host(path: path).flatMap { origins[$0] } })
        return BinanceSigner(credentials: credentials, gate: gate, receiveWindow: configuration.receiveWindow)
    }

    /// Reads Binance's error body (`{"code": <negative>, "msg": …}`, on any status) and classifies its
    /// code with ``BinanceErrorTable``; an HTTP 418, or -1003 naming a ban's end, is a ban whatever the
    /// code; other HTTP failures go through the core's `ResponseClassification.httpFailure`.
    func classify(_ request: ExchangeRequest, _ response: HTTPResponse) -> ExchangeError? {
        let now = timeSource.now()
        let status = response.status
        guard let body = WireErrorBody.parse(response.body), body.code < 0 else {
            if (200..<300).contains(status) { return nil }
            return ResponseClassification.httpFailure(response, for: request, exchange: Binance.exchangeName, now: now)
                ?? ExchangeError(
                    .exchangeUnavailable, message: "Binance answered with HTTP \(status)",
                    exchange: Binance.exchangeName, httpStatus: status)
        }
        let code = body.code
        let message = body.msg ?? ""
        if status == 418 || (code == -1003 && Self.bannedUntil(in: message) != nil) {
            let until = Self.banEnd(of: response, now: now) ?? now.addingTimeInterval(120)
            let seconds = max(0, until.timeIntervalSince(now))
            return ExchangeError(
                .banned, message: "Binance has banned this IP after too many requests; stop all requests until \(until)",
                exchange: Binance.exchangeName, code: String(code), exchangeMessage: body.msg, httpStatus: status,
                retry: .retryAfter(seconds: seconds), bannedUntil: until)
        }
        if !errorTable.knows(code), (500..<600).contains(status),
            var failure = ResponseClassification.httpFailure(response, for: request, exchange: Binance.exchangeName, now: now)
        {
            failure.code = String(code)
            failure.exchangeMessage = body.msg
            return failure
        }
        return errorTable.error(
            code: code, message: message, exchangeMessage: body.msg, for: request, response,
            context: .init(retryAfter: ResponseClassification.retryAfterSeconds(response)))
    }

    var serverTimeRequest: ExchangeRequest { ExchangeRequest(method: .get, path: "/api/v3/time", weight: 1) }

    func decodeServerTime(_ response: HTTPResponse) throws -> Date {
        let wire = try ResponseClassification.decode(
            WireServerTime.self, from: response, exchange: Binance.exchangeName, what: "server time")
        return Timestamps.date(milliseconds: wire.serverTime)
    }

    /// Records the rate-limit headers for ``Binance/rateLimitUsage``, feeds the used weight to the
    /// governor, and tells it the exact end of a ban when Binance's answer names one ("IP banned
    /// until …").
    func observe(_ request: ExchangeRequest, _ response: HTTPResponse) {
        guard let host = Binance.Host(path: request.path) else { return }
        let now = timeSource.now()
        if let usedWeight = state.observe(response, from: host, at: now), let key = hostKeys[host] {
            governor.record(usedWeight: usedWeight, window: 60, host: key)
        }
        if response.status == 418 || response.status == 429,
            let until = Self.banEnd(of: response, now: now), let key = hostKeys[host]
        {
            governor.ban(host: key, until: until)
        }
    }

    var clientOrderIDRule: ClientOrderID.Rule { BinanceClient.clientOrderIDRule }

    var keyReportRequest: ExchangeRequest {
        ExchangeRequest(method: .get, path: BinanceKeyReport.path, security: .signed, weight: 1)
    }

    func keyReport(from response: HTTPResponse) throws -> KeyReport {
        let fields = try ResponseClassification.readJSONObject(
            response, exchange: Binance.exchangeName, what: "API key restrictions")
        var report = try BinanceKeyReport.report(from: fields)
        report.environment = environment.keyEnvironment
        return report
    }

    /// The ban end a response announces: `-1003 … IP banned until <ms>`, or `Retry-After` on 418.
    static func banEnd(of response: HTTPResponse, now: Date) -> Date? {
        if let message = WireErrorBody.parse(response.body)?.msg, let until = bannedUntil(in: message) {
            return until
        }
        if response.status == 418 {
            return now.addingTimeInterval(ResponseClassification.retryAfterSeconds(response) ?? 120)
        }
        return nil
    }

    /// The date in "… banned until 1499827319559 …" (milliseconds or seconds), if any.
    static func bannedUntil(in message: String) -> Date? {
        guard let range = message.range(of: "banned until ", options: .caseInsensitive) else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 10, digits.count <= 16, let value = Int64(digits) else { return nil }
        return digits.count >= 13 ? Timestamps.date(milliseconds: value) : Date(timeIntervalSince1970: Double(value))
    }
}

/// `{"serverTime": 1499827319559}`.
struct WireServerTime: Decodable {
    let serverTime: Int64
}
