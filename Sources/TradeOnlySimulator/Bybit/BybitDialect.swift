import Foundation
import TradeOnly
import TradeOnlyCrypto

/// Bybit v5, server side: spot and linear perpetuals of a unified trading account.
///
/// Authentication follows Bybit's documented rule, independently of any client code: headers
/// `X-BAPI-API-KEY`, `X-BAPI-TIMESTAMP`, `X-BAPI-SIGN`, `X-BAPI-RECV-WINDOW` (default 5000); the
/// signature is HMAC-SHA256 in hex over `timestamp + apiKey + recvWindow + payload`, where the payload
/// is the raw query string for GET and the raw body for POST, exactly as received; the timestamp must
/// satisfy `serverTime − recvWindow ≤ timestamp < serverTime + 1000`.
struct BybitDialect: WireProtocol {
    let name = "bybit"

    /// What an endpoint requires of the key.
    enum Requirement: Sendable {
        case none
        case anyKey
        case read
        /// Spot trade or futures trade, by the request's `category`.
        case trade
        case futuresTrade
        case moneyMovement([Permission])
    }

    struct Route: Sendable {
        var requirement: Requirement
        /// Requests per second per account (`X-Bapi-Limit`).
        var limit: Int
        var handler: @Sendable (inout Venue, BybitCall) throws -> JSONValue
    }

    func respond(to request: SimulatorRequest, venue: inout Venue, context: RequestContext) -> SimulatorResponse {
        guard let route = BybitRoutes.table[request.method + " " + request.path] else {
            return SimulatorResponse(status: 404, headerFields: [("Content-Type", "text/plain")], body: Data("404 page not found".utf8))
        }
        var headers: [(name: String, value: String)] = []
        do {
            let query =
                try request.rawQuery.map { raw -> FormParameters in
                    guard let parsed = FormParameters(raw: raw) else { throw BybitError.parameter("params error: invalid query") }
                    return parsed
                } ?? FormParameters()
            var body: [(String, JSONValue)] = []
            if request.method == "POST", !request.body.isEmpty {
                guard case .object(let members)? = JSONValue.parseRequest(request.body) else {
                    throw BybitError(10001, "Request parameter error: the body is not a JSON object.")
                }
                body = members
            }
            var call = BybitCall(request: request, query: query, body: body, context: context, key: nil)
            if case .none = route.requirement {
            } else {
                let key = try authenticate(call, venue: venue)
                call.key = key
                try authorize(key, requirement: route.requirement, call: call)
                let now = context.serverMilliseconds
                let used = venue.count(
                    "bybit \(request.path) \(key.account)", amount: 1, windowMilliseconds: 1000, now: now)
                // The per-endpoint limits are declared (and enforced) only when asked: a client waits
                // on these headers, and a simulated run is not paced by Bybit's budgets unless asked.
                if venue.configuration.enforcesRateLimits {
                    headers.append(("X-Bapi-Limit", String(route.limit)))
                    headers.append(("X-Bapi-Limit-Status", String(max(route.limit - used.count, 0))))
                    headers.append(("X-Bapi-Limit-Reset-Timestamp", String(used.count > route.limit ? used.windowEnd : now)))
                    if used.count > route.limit {
                        throw BybitError(10006, "Too many visits. Exceeded the API Rate Limit.")
                    }
                }
            }
            let result = try route.handler(&venue, call)
            return envelope(code: 0, message: "OK", result: result, context: context, headers: headers)
        } catch let failure as BybitError {
            return envelope(
                code: failure.code, message: failure.message, result: .object([]), context: context,
                headers: headers, status: failure.status)
        } catch {
            return envelope(code: 10016, message: "Server error.", result: .object([]), context: context, headers: headers)
        }
    }

    private func envelope(
        code: Int, message: String, result: JSONValue, context: RequestContext,
        headers: [(name: String, value: String)], status: Int = 200
    ) -> SimulatorResponse {
        .json(
            .object([
                ("retCode", .int(code)), ("retMsg", .string(message)), ("result", result),
                ("retExtInfo", .object([])), ("time", .int(context.serverMilliseconds)),
            ]),
            status: status, headers: headers)
    }

    // MARK: Authentication

    private func authenticate(_ call: BybitCall, venue: Venue) throws -> SimulatedKey {
        let request = call.request
        let invalidKey = BybitError(
            10003, "API key is invalid. Check whether the key and domain are matched, there are 4 env: mainnet, testnet, mainnet-demo, testnet-demo")
        guard let apiKey = request.header("X-BAPI-API-KEY"), !apiKey.isEmpty, let key = venue.keys[apiKey] else {
            throw invalidKey
        }
        guard key.allows(ip: request.clientIP) else {
            throw BybitError(10010, "Unmatched IP, please check your API key's bound IP addresses.")
        }
        if call.context.expiredKeys.contains(apiKey) || key.expiresAt.map({ $0 <= call.now }) == true {
            throw BybitError(33004, "Your api key has expired.")
        }
        let windowError = BybitError(10002, "invalid request, please check your server timestamp or recv_window param")
        guard let timestampText = request.header("X-BAPI-TIMESTAMP"), let timestamp = Int64(timestampText) else {
            throw windowError
        }
        let recvWindowText = request.header("X-BAPI-RECV-WINDOW") ?? "5000"
        guard let recvWindow = Int64(recvWindowText), recvWindow >= 0 else { throw windowError }
        guard let signature = request.header("X-BAPI-SIGN"), !signature.isEmpty else {
            throw BybitError(10004, "Error sign, please check your signature generation algorithm.")
        }
        let payload = request.method == "GET" ? (request.rawQuery ?? "") : String(decoding: request.body, as: UTF8.self)
        let signed = timestampText + apiKey + recvWindowText + payload
        let code = HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: SymmetricKey(data: Array(key.secret.utf8)))
        guard constantTimeEquals(Array(code.hexString.utf8), Array(signature.lowercased().utf8)) else {
            throw BybitError(10004, "Error sign, please check your signature generation algorithm.")
        }
        let serverTime = call.context.serverMilliseconds
        guard serverTime - recvWindow <= timestamp, timestamp < serverTime + 1000 else {
            throw BybitError(
                10002,
                "invalid request, please check your server timestamp or recv_window param. req_timestamp[\(timestamp)],server_timestamp[\(serverTime)],recv_window[\(recvWindow)]"
            )
        }
        return key
    }

    private func authorize(_ key: SimulatedKey, requirement: Requirement, call: BybitCall) throws {
        let allowed: Bool
        switch requirement {
        case .none, .anyKey: allowed = true
        case .read: allowed = key.can(.read)
        case .futuresTrade: allowed = key.can(.futuresTrade)
        case .trade:
            switch call.string("category") {
            case "spot": allowed = key.can(.spotTrade)
            case "linear": allowed = key.can(.futuresTrade)
            default: allowed = key.can(.spotTrade) || key.can(.futuresTrade)
            }
        case .moneyMovement(let permissions): allowed = permissions.contains { key.can($0) }
        }
        guard allowed else { throw BybitError.permissionDenied }
    }

    // MARK: Faults

    func faultResponse(_ fault: Fault, context: RequestContext) -> SimulatorResponse {
        switch fault {
        case .rateLimited(let seconds):
            var response = envelope(
                code: 10006, message: "Too many visits. Exceeded the API Rate Limit.", result: .object([]),
                context: context, headers: [("Retry-After", String(seconds))], status: 429)
            response.addHeader("X-Bapi-Limit-Reset-Timestamp", String(context.serverMilliseconds + Int64(seconds) * 1000))
            return response
        case .banned(let seconds):
            return banResponse(until: context.serverDate.addingTimeInterval(Double(seconds)), context: context)
        case .serverError(let status, _):
            return envelope(code: 10016, message: "Server error.", result: .object([]), context: context, headers: [], status: status)
        default:
            return envelope(code: 10016, message: "Server error.", result: .object([]), context: context, headers: [], status: 500)
        }
    }

    /// Bybit's IP ban: HTTP 403 "access too frequent".
    func banResponse(until end: Date, context: RequestContext) -> SimulatorResponse {
        let seconds = max(Int(end.timeIntervalSince(context.serverDate).rounded(.up)), 1)
        return SimulatorResponse(
            status: 403, headerFields: [("Content-Type", "text/plain"), ("Retry-After", String(seconds))],
            body: Data("access too frequent".utf8))
    }
}
