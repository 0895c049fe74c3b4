import Foundation
import TradeOnly

/// Bybit's `retCode`s as data (the core ``ExchangeErrorTable``). ``BybitDialect`` reads the envelope
/// (HTTP 200 with a non-zero `retCode` is an error) and classifies with this table:
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
enum BybitErrorTable {
    typealias Entry = ExchangeErrorTable.Entry

    static let insufficientFunds: Set<Int> = [110004, 110007, 110012, 110044, 110045, 170131, 170033]
    static let orderNotFound: Set<Int> = [110001, 110008, 110010, 170213, 170142, 170143]
    static let duplicateClientOrderID: Set<Int> = [110072, 170141]
    static let unknownOutcome: Set<Int> = [10000, 10016, 170007, 170146, 10014]
    static let clockErrors: Set<Int> = [10002, -1]
    static let expiredKey: Set<Int> = [33004, -2015]
    static let rateLimit: Set<Int> = [10006, 10018]
    /// Filter failures and the ``Instrument/Rule`` each one broke.
    static let rejectionRules: [Int: Instrument.Rule] = [
        110094: .minimumNotional, // order notional value below the lower limit
        110017: .quantityStep, // orderQty will be truncated to zero
        110003: .price, // order price exceeds the allowable range (price band)
        170218: .postOnly, // the LIMIT-MAKER order would immediately match
        170136: .minimumQuantity, // order quantity lower than the minimum
        170137: .quantityStep, // order volume decimal too long
        170134: .tickSize, // order price decimal too long
        170133: .minimumPrice, // order price lower than the minimum
        170132: .maximumPrice, // order price too high
        170140: .minimumNotional, // order value exceeded lower limit
        170148: .quantityStep, // market order amount decimal too long
        170124: .maximumNotional, // order amount too large
    ]

    /// The rule a `10001` answer to an order placement names, read from Bybit's message (`10001` is
    /// Bybit's generic parameter error; derivatives filter failures often land there).
    static let orderParameterRules: [ExchangeErrorTable.KeywordRule] = {
        let quantity = ["qty", "quantity", "contracts"]
        return [
            .init(quantity, and: ["minimum"], .minimumQuantity),
            .init(quantity, and: ["maximum"], .maximumQuantity),
            .init(quantity, and: ["step", "decimal"], .quantityStep),
            .init(quantity, .quantity),
            .init(["price"], and: ["tick", "decimal"], .tickSize),
            .init(["price"], .price),
        ]
    }()

    /// The codes whose own entries win over the "api key has expired" message.
    private static let beforeExpiry: Set<Int> = clockErrors.union([10003, 10004, 10005, 10010])

    /// The table.
    static let table: ExchangeErrorTable = {
        var codes: [Int: [Entry]] = [
            10003: [
                Entry(
                    .authentication,
                    "Bybit does not know this API key on {environment} ({baseURL}): keys from live, testnet and demo trading are not interchangeable; check the key and the environment"
                )
            ],
            10004: [Entry(.invalidSignature, "Bybit rejected the signature of {what}: check the API secret")],
            10005: [Entry(.permissionDenied, "the key lacks the Bybit permission {what} needs")],
            10010: [Entry(.ipNotAllowed, "the request came from an IP address this key is not bound to")],
            10007: [Entry(.authentication, "Bybit could not authenticate the user of this key")],
            10001: [
                Entry(
                    .orderRejected, "Bybit rejected the order: it breaks the {rule} rule", rule: .keywords(orderParameterRules),
                    when: .init(pathSuffix: "/order/create", requiresRule: true)),
                Entry(.invalidRequest, "Bybit rejected a parameter of {what}"),
            ],
        ]
        let permission = [Entry(.permissionDenied, "Bybit refuses {what} for this account (banned, restricted region or trading banned)")]
        for code in [10008, 10009, 10027] { codes[code] = permission }
        let clock = [
            Entry(
                .timestampOutOfWindow, "Bybit refused the timestamp of {what} (outside the receive window); resynchronise the clock",
                retry: .retryAfterClockSync)
        ]
        for code in clockErrors { codes[code] = clock }
        let expired = [expiredEntry]
        for code in expiredKey { codes[code] = expired }
        let rate = [Entry(.rateLimited, "Bybit's rate limit for {what} was hit; back off", retry: .retryAfter(defaultSeconds: 1))]
        for code in rateLimit { codes[code] = rate }
        let funds = [Entry(.insufficientFunds, "the account lacks the balance or margin for this order")]
        for code in insufficientFunds { codes[code] = funds }
        for (code, rule) in rejectionRules {
            codes[code] = [Entry(.orderRejected, "Bybit rejected the order: it breaks a trading rule", rule: .fixed(rule))]
        }
        let notFound = [Entry(.orderNotFound, "Bybit does not know this order, or it is no longer open")]
        for code in orderNotFound { codes[code] = notFound }
        let duplicate = [Entry(.duplicateClientOrderID, "an order with this client order id (orderLinkId) already exists")]
        for code in duplicateClientOrderID { codes[code] = duplicate }
        let unknown = [
            Entry(
                .outcomeUnknown,
                "Bybit could not confirm {what} (timeout or server error): it may have been executed; query its outcome first",
                retry: .reconcileFirst, when: .writes),
            Entry(.exchangeUnavailable, "Bybit could not answer {what} (timeout or server error); reads are safe to retry", retry: .retry),
        ]
        for code in unknownOutcome { codes[code] = unknown }
        return ExchangeErrorTable(
            exchange: Bybit.exchangeName, displayName: "Bybit", codes: codes,
            messageEntries: [
                .init(
                    Entry(expiredEntry.kind, expiredEntry.explanation, when: .message("api key has expired", "apikey has expired")),
                    except: beforeExpiry)
            ],
            fallback: [Entry(.other, "Bybit refused {what}")])
    }()

    private static let expiredEntry = Entry(
        .keyExpired, "the Bybit API key has expired: create a new key, bound to your server's IP addresses so it does not expire")
}
