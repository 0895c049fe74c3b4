import TradeOnly

/// Binance's error codes as data (the core ``ExchangeErrorTable``): code → kind, retry advice, rule
/// and explanation. ``BinanceDialect`` reads the error body (`{"code": -2010, "msg": "…"}`) and
/// classifies with this table; a few codes carry their meaning in the message (-1013, -2010, -2011,
/// -2015), which the entries' conditions read.
///
/// ``ExchangeError/rule`` speaks the core's one vocabulary, ``Instrument/Rule``: Binance's filter names
/// and codes are translated (`PRICE_FILTER` → `tickSize`, `LOT_SIZE` → `quantityStep`, …); a rule the
/// vocabulary has no name for (`PERCENT_PRICE_BY_SIDE`, `MAX_NUM_ORDERS`, …) leaves `rule` empty, and
/// Binance's own wording stays in ``ExchangeError/exchangeMessage``.
enum BinanceErrorTable {
    typealias Entry = ExchangeErrorTable.Entry

    /// Binance filter names and the ``Instrument/Rule`` each one enforces. `PRICE_FILTER` also holds
    /// the minimum and maximum price, but Binance does not say which part failed; the tick is the part
    /// that cached rules get wrong when Binance changes them.
    static let filterRules: [String: Instrument.Rule] = [
        "PRICE_FILTER": .tickSize,
        "LOT_SIZE": .quantityStep,
        "MARKET_LOT_SIZE": .maximumMarketQuantity,
        "MIN_NOTIONAL": .minimumNotional,
        "NOTIONAL": .minimumNotional,
    ]

    /// An order rejection: "Binance rejected the order: <text>".
    private static func rejected(_ rule: Instrument.Rule?, _ text: String, when condition: ExchangeErrorTable.Condition = .always) -> Entry {
        Entry(.orderRejected, "Binance rejected the order: " + text, rule: rule.map { .fixed($0) } ?? .none, when: condition)
    }

    /// "Execution status unknown" (-1006, -1007) and overloaded or internal (-1000, -1001, -1008).
    private static let unknownOutcome: [Entry] = [
        Entry(
            .outcomeUnknown,
            "Binance could not say whether {what} was executed ({detail}); query the outcome before anything else",
            retry: .reconcileFirst, when: .writes),
        Entry(
            .exchangeUnavailable, "Binance is busy or timed out answering {what}; reads are safe to retry",
            retry: .retryAfterIfNamed),
    ]

    private static let badParameters = [Entry(.invalidRequest, "Binance refused the parameters of {what}: {message}")]

    /// The table.
    static let table = ExchangeErrorTable(
        exchange: Binance.exchangeName, displayName: "Binance",
        codes: [
            -1000: unknownOutcome, -1001: unknownOutcome, -1006: unknownOutcome, -1007: unknownOutcome,
            -1008: unknownOutcome,
            -1002: [Entry(.permissionDenied, "Binance says this key is not authorized for {what}")],
            -1003: [
                Entry(
                    .rateLimited, "Binance request-weight limit hit on {what}; back off before sending more",
                    retry: .retryAfter(defaultSeconds: 60))
            ],
            -1011: [Entry(.ipNotAllowed, "Binance refused {what}: this IP address is not on the key's whitelist")],
            -1013: [
                Entry(
                    .orderRejected, "Binance rejected the order: Binance's {filter} filter failed ({message})",
                    rule: .filter(after: "Filter failure: ", names: filterRules)),
                rejected(nil, "the request was refused before the matching engine", when: Condition(messageIsEmpty: true, requests: .writes)),
                rejected(nil, "{message}", when: .writes),
                Entry(.invalidRequest, "Binance refused {what}: {message}"),
            ],
            -1015: [
                Entry(
                    .rateLimited, "Binance order-rate limit hit; wait before placing more orders",
                    retry: .retryAfter(defaultSeconds: 10))
            ],
            -1021: clockError, -5028: clockError,
            -1022: [
                Entry(
                    .invalidSignature,
                    "Binance refused the signature of {what}: check that the secret belongs to this key and environment")
            ],
            // "Parameter 'quantity' has too much precision."
            -1111: [
                Entry(
                    .orderRejected,
                    "Binance rejected the order: a price or quantity has more decimals than the symbol allows ({message})",
                    rule: .keywords([.init(["'price'"], .tickSize), .init(["quantity"], .quantityStep)]))
            ],
            -1121: [Entry(.invalidRequest, "Binance does not know the symbol in {what} ({message})")],
            -2039: badParameters, -4015: badParameters,
            -2010: [
                Entry(.insufficientFunds, "the account has insufficient balance for this order", when: .message("insufficient balance")),
                Entry(.duplicateClientOrderID, "an open order already uses this client order id", when: .message("duplicate order")),
                rejected(.postOnly, "the post-only order would have taken liquidity", when: .message("immediately match and take")),
                rejected(.status, "the market is closed", when: .message("market is closed")),
                rejected(nil, "new order rejected", when: .emptyMessage),
                rejected(nil, "{message}"),
            ],
            -2011: [
                Entry(
                    .orderNotFound, "Binance does not know the order to cancel (it may already be filled or cancelled)",
                    when: .message("unknown order")),
                Entry(.orderRejected, "Binance refused to cancel the order: {message}"),
            ],
            -2013: orderNotFound, -2026: orderNotFound,
            -2014: [Entry(.authentication, "Binance says the API key's format is invalid: check the key for this environment")],
            -2015: [
                Entry(
                    .keyExpired,
                    "Binance refused the key for {what}: the key has expired; create a new trade-only key (or renew its trading authority)",
                    when: .message("expired")),
                Entry(
                    .authentication,
                    "Binance refused the key for {what}: the key is invalid for this environment, the request came from an IP that is not whitelisted, or the key lacks the permission"
                ),
            ],
            -2017: [Entry(.authentication, "Binance says the API keys of this account are locked")],
            -2018: [Entry(.insufficientFunds, "the account has insufficient balance for this order")],
            -2019: [Entry(.insufficientFunds, "the account has insufficient margin for this order")],
            -2021: [rejected(nil, "the order would trigger immediately")],
            -2022: [rejected(.reduceOnly, "the reduce-only order was rejected ({message})")],
            -4003: [rejected(.quantity, "the quantity must be above zero")],
            -4004: [rejected(.minimumQuantity, "the quantity is below the minimum quantity")],
            -4005: [rejected(.maximumQuantity, "the quantity is above the maximum quantity")],
            -4013: [rejected(.minimumPrice, "the price is below the minimum price")],
            -4014: [rejected(.tickSize, "the price is not a multiple of the tick size")],
            // "Limit price can't be higher than …"
            -4016: [rejected(.maximumPrice, "the price is too far above the mark price ({message})")],
            // "Limit price can't be lower than …"
            -4024: [rejected(.minimumPrice, "the price is too far below the mark price ({message})")],
            -4023: [rejected(.quantityStep, "the quantity is not a multiple of the step size")],
            -4131: [rejected(nil, "the market order would move the price too far ({message})")],
            -4164: [rejected(.minimumNotional, "the order's notional is below the minimum ({message})")],
            // "Due to the order could not be executed as maker, the Post Only order will be rejected."
            -5022: [rejected(.postOnly, "the post-only order would have taken liquidity")],
            -4116: [Entry(.duplicateClientOrderID, "an order already uses this client order id")],
            -4061: [rejected(nil, "the order's position side does not match the account's position mode")],
        ],
        ranges: [
            (-1199...(-1122), badParameters), (-1120...(-1112), badParameters), (-1106...(-1100), badParameters),
        ],
        fallback: [
            Entry(.other, "Binance refused {what} with code {code}", when: .emptyMessage),
            Entry(.other, "Binance refused {what} with code {code}: {message}"),
        ])

    private typealias Condition = ExchangeErrorTable.Condition

    private static let clockError = [
        Entry(
            .timestampOutOfWindow,
            "Binance refused {what}: its timestamp was outside the receive window (local clock skew or a slow network); it was not executed",
            retry: .retryAfterClockSync)
    ]

    private static let orderNotFound = [Entry(.orderNotFound, "Binance does not know the order ({detail})")]
}
