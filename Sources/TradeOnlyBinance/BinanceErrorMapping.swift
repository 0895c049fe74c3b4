import TradeOnly

/// Maps Binance responses to ``ExchangeError``s: on the error body's `code` first, then on its `msg`
/// where Binance documents that the message carries the meaning (-1013, -2010, -2011), then on the
/// HTTP status.
///
/// ``ExchangeError/rule`` speaks the core's one vocabulary, ``Instrument/Rule``: Binance's filter names
/// and codes are translated (`PRICE_FILTER` → `tickSize`, `LOT_SIZE` → `quantityStep`, …); a rule the
/// vocabulary has no name for (`PERCENT_PRICE_BY_SIDE`, `MAX_NUM_ORDERS`, …) leaves `rule` empty, and
/// Binance's own wording stays in ``ExchangeError/exchangeMessage``.
enum BinanceErrorMapping {
    /// Binance filter names and the ``Instrument/Rule`` each one enforces. `PRICE_FILTER` also holds
    /// the minimum and maximum price, but Binance does not say which part failed; the tick is the part
    /// that cached rules get wrong when Binance changes them.
    static let filterRules: [String: String] = [
        "PRICE_FILTER": Instrument.Rule.tickSize,
        "LOT_SIZE": Instrument.Rule.quantityStep,
        "MARKET_LOT_SIZE": Instrument.Rule.maximumMarketQuantity,
        "MIN_NOTIONAL": Instrument.Rule.minimumNotional,
        "NOTIONAL": Instrument.Rule.minimumNotional,
    ]

    /// The error a response stands for, or `nil` for success.
    ///
    /// - Parameters:
    ///   - request: The request the response answers.
    ///   - response: The response.
    ///   - now: The current time, for ban deadlines.
    static func classify(_ request: ExchangeRequest, _ response: HTTPResponse, now: Date) -> ExchangeError? {
        let status = response.status
        let errorBody = WireErrorBody.parse(response.body)
        if (200..<300).contains(status) {
            guard let errorBody, errorBody.code < 0 else { return nil }
            return map(errorBody, request: request, response: response, now: now)
        }
        if let errorBody, errorBody.code < 0 {
            return map(errorBody, request: request, response: response, now: now)
        }
        return ResponseClassification.httpFailure(response, for: request, exchange: Binance.exchangeName, now: now)
            ?? ExchangeError(
                .exchangeUnavailable, message: "Binance answered with HTTP \(status)",
                exchange: Binance.exchangeName, httpStatus: status)
    }

    /// The ban end a response announces: `Retry-After` on 418, or `-1003 … IP banned until <ms>`.
    static func banEnd(of response: HTTPResponse, now: Date) -> Date? {
        if let message = WireErrorBody.parse(response.body)?.msg, let until = bannedUntil(in: message) {
            return until
        }
        if response.status == 418 {
            return now.addingTimeInterval(ResponseClassification.retryAfterSeconds(response) ?? 120)
        }
        return nil
    }

    /// The date in "… banned until 1499827319559 …", if any.
    static func bannedUntil(in message: String) -> Date? {
        guard let range = message.range(of: "banned until ", options: .caseInsensitive) else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 10, digits.count <= 16, let value = Int64(digits) else { return nil }
        // Milliseconds (13 digits) or seconds (10 digits).
        let seconds = digits.count >= 13 ? Double(value) / 1000 : Double(value)
        return Date(timeIntervalSince1970: seconds)
    }

    private static func map(
        _ body: WireErrorBody, request: ExchangeRequest, response: HTTPResponse, now: Date
    ) -> ExchangeError {
        let code = body.code
        let message = body.msg ?? ""
        let lower = message.lowercased()
        let isWrite = request.method != .get
        let status = response.status
        let retryAfter = ResponseClassification.retryAfterSeconds(response)
        let what = "\(request.method.rawValue) \(request.path)"

        func error(
            _ kind: ExchangeError.Kind, _ text: String, retry: ExchangeError.RetryAdvice = .doNotRetry,
            rule: String? = nil, bannedUntil: Date? = nil
        ) -> ExchangeError {
            ExchangeError(
                kind, message: text, exchange: Binance.exchangeName, code: String(code),
                exchangeMessage: body.msg, httpStatus: status, retry: retry, rule: rule, bannedUntil: bannedUntil)
        }
        func rejected(_ rule: String?, _ text: String) -> ExchangeError {
            error(.orderRejected, "Binance rejected the order: \(text)", rule: rule)
        }

        // An HTTP 418 is a ban whatever the body says.
        if status == 418 || (code == -1003 && bannedUntil(in: message) != nil) {
            let until = banEnd(of: response, now: now) ?? now.addingTimeInterval(120)
            let seconds = max(0, until.timeIntervalSince(now))
            return error(
                .banned, "Binance has banned this IP after too many requests; stop all requests until \(until)",
                retry: .retryAfter(seconds: seconds), bannedUntil: until)
        }

        switch code {
        case -1000, -1001, -1006, -1007, -1008:
            // Binance: "execution status unknown" (-1006, -1007); overloaded or internal (-1000, -1001, -1008).
            if isWrite {
                return error(
                    .outcomeUnknown,
                    "Binance could not say whether \(what) was executed (\(message.isEmpty ? "code \(code)" : message)); query the outcome before anything else",
                    retry: .reconcileFirst)
            }
            return error(
                .exchangeUnavailable, "Binance is busy or timed out answering \(what); reads are safe to retry",
                retry: retryAfter.map { .retryAfter(seconds: $0) } ?? .retry)
        case -1002:
            return error(.permissionDenied, "Binance says this key is not authorized for \(what)")
        case -1003:
            return error(
                .rateLimited, "Binance request-weight limit hit on \(what); back off before sending more",
                retry: .retryAfter(seconds: retryAfter ?? 60))
        case -1011:
            return error(.ipNotAllowed, "Binance refused \(what): this IP address is not on the key's whitelist")
        case -1013:
            if let range = message.range(of: "Filter failure: ") {
                let filter = String(message[range.upperBound...].prefix { !$0.isWhitespace && $0 != "." })
                return rejected(filterRules[filter], "Binance's \(filter) filter failed (\(message))")
            }
            return isWrite
                ? rejected(nil, message.isEmpty ? "the request was refused before the matching engine" : message)
                : error(.invalidRequest, "Binance refused \(what): \(message)")
        case -1015:
            return error(
                .rateLimited, "Binance order-rate limit hit; wait before placing more orders",
                retry: .retryAfter(seconds: retryAfter ?? 10))
        case -1021, -5028:
            return error(
                .timestampOutOfWindow,
                "Binance refused \(what): its timestamp was outside the receive window (local clock skew or a slow network); it was not executed",
                retry: .retryAfterClockSync)
        case -1022:
            return error(
                .invalidSignature,
                "Binance refused the signature of \(what): check that the secret belongs to this key and environment")
        case -1111:
            // "Parameter 'quantity' has too much precision."
            let rule = lower.contains("'price'") ? Instrument.Rule.tickSize
                : lower.contains("quantity") ? Instrument.Rule.quantityStep : nil
            return rejected(rule, "a price or quantity has more decimals than the symbol allows (\(message))")
        case -1121:
            return error(.invalidRequest, "Binance does not know the symbol in \(what) (\(message))")
        case -1199...(-1122), -1120...(-1112), -1106...(-1100), -2039, -4015:
            return error(.invalidRequest, "Binance refused the parameters of \(what): \(message)")
        case -2010:
            if lower.contains("insufficient balance") {
                return error(.insufficientFunds, "the account has insufficient balance for this order")
            }
            if lower.contains("duplicate order") {
                return error(.duplicateClientOrderID, "an open order already uses this client order id")
            }
            if lower.contains("immediately match and take") {
                return rejected(Instrument.Rule.postOnly, "the post-only order would have taken liquidity")
            }
            if lower.contains("market is closed") {
                return rejected(Instrument.Rule.status, "the market is closed")
            }
            return rejected(nil, message.isEmpty ? "new order rejected" : message)
        case -2011:
            if lower.contains("unknown order") {
                return error(.orderNotFound, "Binance does not know the order to cancel (it may already be filled or cancelled)")
            }
            return error(.orderRejected, "Binance refused to cancel the order: \(message)")
        case -2013, -2026:
            return error(.orderNotFound, "Binance does not know the order (\(message.isEmpty ? "code \(code)" : message))")
        case -2014:
            return error(.authentication, "Binance says the API key's format is invalid: check the key for this environment")
        case -2015 where lower.contains("expired"):
            return error(
                .keyExpired,
                "Binance refused the key for \(what): the key has expired; create a new trade-only key (or renew its trading authority)")
        case -2015:
            return error(
                .authentication,
                "Binance refused the key for \(what): the key is invalid for this environment, the request came from an IP that is not whitelisted, or the key lacks the permission")
        case -2017:
            return error(.authentication, "Binance says the API keys of this account are locked")
        case -2018, -2019:
            return error(.insufficientFunds, "the account has insufficient \(code == -2018 ? "balance" : "margin") for this order")
        case -2021:
            return rejected(nil, "the order would trigger immediately")
        case -2022:
            return rejected(Instrument.Rule.reduceOnly, "the reduce-only order was rejected (\(message))")
        case -4003:
            return rejected(Instrument.Rule.quantity, "the quantity must be above zero")
        case -4004:
            return rejected(Instrument.Rule.minimumQuantity, "the quantity is below the minimum quantity")
        case -4005:
            return rejected(Instrument.Rule.maximumQuantity, "the quantity is above the maximum quantity")
        case -4013:
            return rejected(Instrument.Rule.minimumPrice, "the price is below the minimum price")
        case -4014:
            return rejected(Instrument.Rule.tickSize, "the price is not a multiple of the tick size")
        case -4016:
            // "Limit price can't be higher than …"
            return rejected(Instrument.Rule.maximumPrice, "the price is too far above the mark price (\(message))")
        case -4024:
            // "Limit price can't be lower than …"
            return rejected(Instrument.Rule.minimumPrice, "the price is too far below the mark price (\(message))")
        case -4023:
            return rejected(Instrument.Rule.quantityStep, "the quantity is not a multiple of the step size")
        case -4131:
            return rejected(nil, "the market order would move the price too far (\(message))")
        case -4164:
            return rejected(Instrument.Rule.minimumNotional, "the order's notional is below the minimum (\(message))")
        case -5022:
            // "Due to the order could not be executed as maker, the Post Only order will be rejected."
            return rejected(Instrument.Rule.postOnly, "the post-only order would have taken liquidity")
        case -4116:
            return error(.duplicateClientOrderID, "an order already uses this client order id")
        case -4061:
            return rejected(nil, "the order's position side does not match the account's position mode")
        default:
            if (500..<600).contains(status) {
                var failure = ResponseClassification.httpFailure(
                    response, for: request, exchange: Binance.exchangeName, now: now)
                failure?.code = String(code)
                failure?.exchangeMessage = body.msg
                if let failure { return failure }
            }
            return error(.other, "Binance refused \(what) with code \(code)\(message.isEmpty ? "" : ": \(message)")")
        }
    }
}
