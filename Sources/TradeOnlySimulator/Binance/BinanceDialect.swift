import Foundation
import TradeOnly
import TradeOnlyCrypto

/// Binance, server side: spot `/api/v3`, USDⓈ-M futures `/fapi`, wallet `/sapi`.
///
/// Authentication follows Binance's documented rule, independently of any client code: the key from
/// `X-MBX-APIKEY`; the signature is HMAC-SHA256, in hex (compared case-insensitively), over the raw
/// query string as received (without its `signature=` pair) followed directly by the raw body (without
/// its `signature=` pair); `timestamp < serverTime + 1000` and `serverTime − timestamp ≤ recvWindow`
/// (default 5000, at most 60000).
struct BinanceDialect: WireProtocol {
    let name = "binance"

    /// What a signed endpoint requires of the key.
    enum Requirement: Sendable {
        case anyKey
        case read
        case spotTrade
        case futuresRead
        case futuresTrade
        /// A money-moving endpoint: the permission, and the kind recorded.
        case moneyMovement(Permission, String)
    }

    enum Security: Sendable {
        case none
        case signed(Requirement)
    }

    struct Route: Sendable {
        var security: Security
        /// Request weight (or a function of the call).
        var weight: @Sendable (BinanceCall) -> Int
        var handler: @Sendable (inout Venue, BinanceCall) throws -> JSONValue
        var isOrderPlacement = false
    }

    func route(method: String, path: String) -> Route? {
        BinanceRoutes.table[method + " " + path]
    }

    func respond(to request: SimulatorRequest, venue: inout Venue, context: RequestContext) -> SimulatorResponse {
        let path = request.path
        let product: BinanceCall.Product = path.hasPrefix("/fapi/") ? .futures : path.hasPrefix("/sapi/") ? .wallet : .spot
        guard let route = route(method: request.method, path: path) else {
            return notFound()
        }
        var headers: [(name: String, value: String)] = []
        let query = request.rawQuery.map { FormParameters(raw: $0) } ?? FormParameters()
        let isForm = request.header("Content-Type")?.lowercased().contains("application/json") != true
        let body = isForm ? FormParameters(raw: request.bodyText) : FormParameters()
        guard let query, let body else {
            return error(BinanceError(code: -1100, "Illegal characters found in a parameter."), headers: headers)
        }
        var call = BinanceCall(
            request: request, parameters: body.overridden(by: query), context: context, product: product, key: nil)

        // Request weight, per IP and product.
        let weight = route.weight(call)
        let counterName = product == .wallet ? "X-SAPI-USED-IP-WEIGHT-1M" : "X-MBX-USED-WEIGHT-1M"
        let used = venue.count(
            "binance weight \(product) \(request.clientIP)", amount: weight, windowMilliseconds: 60_000,
            now: context.serverMilliseconds)
        headers.append((counterName, String(used.count)))
        let limit = product == .futures ? min(venue.configuration.binanceWeightLimit, 2400) : venue.configuration.binanceWeightLimit
        if venue.configuration.enforcesRateLimits, used.count > limit {
            let seconds = max(Int((used.windowEnd - context.serverMilliseconds + 999) / 1000), 1)
            var failure = BinanceError(
                status: 429, code: -1003,
                "Too much request weight used; current limit is \(limit) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."
            )
            failure.headers = [("Retry-After", String(seconds))]
            return error(failure, headers: headers)
        }

        do {
            if case .signed(let requirement) = route.security {
                call.key = try authenticate(call, venue: venue, requirement: requirement)
            }
            let value = try route.handler(&venue, call)
            if route.isOrderPlacement, let key = call.key {
                let account = key.account
                let tenSeconds = venue.count(
                    "binance orders 10s \(product) \(account)", amount: 1, windowMilliseconds: 10_000,
                    now: context.serverMilliseconds)
                headers.append(("X-MBX-ORDER-COUNT-10S", String(tenSeconds.count)))
                if product == .futures {
                    let minute = venue.count(
                        "binance orders 1m \(account)", amount: 1, windowMilliseconds: 60_000, now: context.serverMilliseconds)
                    headers.append(("X-MBX-ORDER-COUNT-1M", String(minute.count)))
                } else {
                    let day = venue.count(
                        "binance orders 1d \(account)", amount: 1, windowMilliseconds: 86_400_000, now: context.serverMilliseconds)
                    headers.append(("X-MBX-ORDER-COUNT-1D", String(day.count)))
                }
            }
            return .json(value, headers: headers)
        } catch let failure as BinanceError {
            return error(failure, headers: headers)
        } catch {
            return self.error(BinanceError(status: 500, code: -1000, "An unknown error occurred while processing the request."), headers: headers)
        }
    }

    private func error(_ failure: BinanceError, headers: [(name: String, value: String)]) -> SimulatorResponse {
        .json(failure.body, status: failure.status, headers: headers + failure.headers)
    }

    /// Binance answers an unknown path with an HTML page.
    private func notFound() -> SimulatorResponse {
        let html = """
            <!DOCTYPE html>
            <html>
            <head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Binance</title></head>
            <body><div class="info"><h3>404 Not Found</h3><p>Sorry! The page you're looking for cannot be found.</p></div></body>
            </html>

            """
        return SimulatorResponse(status: 404, headerFields: [("Content-Type", "text/html")], body: Data(html.utf8))
    }

    // MARK: Authentication

    /// Checks key, IP, expiry, signature, timestamp and permission, in that order.
    private func authenticate(_ call: BinanceCall, venue: Venue, requirement: Requirement) throws -> SimulatedKey {
        let request = call.request
        guard let apiKey = request.header("X-MBX-APIKEY"), !apiKey.isEmpty else {
            throw BinanceError.badKeyFormat
        }
        guard let key = venue.keys[apiKey] else {
            throw BinanceError.rejectedKey
        }
        guard key.allows(ip: request.clientIP) else {
            throw BinanceError.rejectedKey
        }
        if call.context.expiredKeys.contains(apiKey) || key.expiresAt.map({ $0 <= call.now }) == true {
            throw BinanceError(status: 401, code: -2015, "Invalid API-key, IP, or permissions for action. The API key has expired.")
        }
        guard let timestampText = call.string("timestamp") else { throw BinanceError.mandatory("timestamp") }
        guard let signature = call.string("signature") else { throw BinanceError.mandatory("signature") }
        var recvWindow: Decimal = 5000
        if let text = call.string("recvWindow") {
            guard let value = Decimal(exactly: text), value >= 0, value.scale <= 3 else {
                throw BinanceError(code: -1100, "Illegal characters found in parameter 'recvWindow'.")
            }
            guard value <= 60_000 else {
                throw BinanceError(code: -1131, "recvWindow must be less than 60000")
            }
            recvWindow = value
        }
        guard var timestamp = Int64(timestampText) else {
            throw BinanceError(code: -1100, "Illegal characters found in parameter 'timestamp'; legal range is '^[0-9]{1,20}$'.")
        }
        if call.product == .spot, timestamp >= 100_000_000_000_000 {
            timestamp /= 1000 // microseconds
        }

        // Signature: HMAC-SHA256 over the raw query (without signature) followed by the raw body.
        let payload = Self.signedPayload(query: request.rawQuery, body: request.body)
        let code = HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: SymmetricKey(data: Array(key.secret.utf8)))
        let expected = Array(code.hexString.utf8)
        let received = Array(signature.lowercased().utf8)
        guard constantTimeEquals(expected, received) else {
            throw BinanceError.badSignature
        }

        let serverTime = call.context.serverMilliseconds
        if timestamp >= serverTime + 1000 {
            throw BinanceError(code: -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
        }
        if Decimal(serverTime - timestamp) > recvWindow {
            throw BinanceError(code: -1021, "Timestamp for this request is outside of the recvWindow.")
        }

        let allowed: Bool
        switch requirement {
        case .anyKey: allowed = true
        case .read: allowed = key.can(.read)
        case .spotTrade: allowed = key.can(.spotTrade)
        case .futuresRead: allowed = key.can(.read) && key.permissions.contains(.futuresTrade)
        case .futuresTrade: allowed = key.can(.futuresTrade)
        case .moneyMovement(let permission, _): allowed = key.can(permission)
        }
        guard allowed else { throw BinanceError.rejectedKey }
        return key
    }

    /// The bytes Binance signs: the raw query string without its `signature` pair, immediately
    /// followed by the raw body without its `signature` pair.
    static func signedPayload(query: String?, body: Data) -> String {
        func withoutSignature(_ raw: String) -> String {
            raw.split(separator: "&", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("signature=") && $0 != "signature" }
                .joined(separator: "&")
        }
        let bodyText = String(decoding: body, as: UTF8.self)
        return withoutSignature(query ?? "") + withoutSignature(bodyText)
    }

    // MARK: Faults

    func faultResponse(_ fault: Fault, context: RequestContext) -> SimulatorResponse {
        switch fault {
        case .rateLimited(let seconds):
            return .json(
                BinanceError(
                    code: -1003,
                    "Too many requests; current limit of IP is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API."
                ).body,
                status: 429, headers: [("Retry-After", String(seconds))])
        case .banned(let seconds):
            return banResponse(until: context.serverDate.addingTimeInterval(Double(seconds)), context: context)
        case .serverError(let status, _):
            let message = status == 503 ? "Service Unavailable." : "Internal error; unable to process your request. Please try again."
            return .json(BinanceError(code: -1001, message).body, status: status)
        default:
            return .json(BinanceError(status: 500, code: -1000, "An unknown error occurred while processing the request.").body, status: 500)
        }
    }

    func banResponse(until end: Date, context: RequestContext) -> SimulatorResponse {
        let seconds = max(Int((end.timeIntervalSince(context.serverDate)).rounded(.up)), 1)
        return .json(
            BinanceError(
                code: -1003,
                "Way too much request weight used; IP banned until \(end.milliseconds). Please use WebSocket Streams for live updates to avoid bans."
            ).body,
            status: 418, headers: [("Retry-After", String(seconds))])
    }
}
