import TradeOnly

/// The endpoints TradeOnly lets a Binance client call, built in one place: ``Binance/endpointPolicy``
/// (an instance's, with its extra allow rules) and ``Binance/builtInPolicy``.
///
/// **Allowed:** exactly the endpoints ``BinanceClient`` and ``BinanceKeyInspector`` use, plus a few
/// harmless reads (ping, time, exchange info, the unfilled-order count) and the order *test*
/// endpoints, which validate an order without placing it. See ``allowedEndpoints``.
///
/// **Denied, whatever any allow rule says** (deny rules win; see ``deniedEndpoints``):
/// - everything under `/sapi/` except `GET /sapi/v1/account/apiRestrictions` (the key check);
/// - every product family a trade bot does not use: `/papi/`, `/eapi/`, `/dapi/`, and the retired `/wapi/`;
/// - futures converts (`/fapi/v1/convert/…`) and fee settings (`/fapi/v1/feeBurn`);
/// - `POST /fapi/v1/positionMargin`, which moves margin between the futures wallet and an isolated
///   position: it moves funds without trading, so it cannot be opted into;
/// - every path of the reference's deny-list (§3.1 A–F), listed one by one with its category so a
///   refusal says *why* (withdrawals, transfers, gift cards and payments, converts, loans and earn,
///   key and sub-account management). They are all under `/sapi/`, `/papi/` or `/fapi/v1/convert/`
///   too, so the prefix rules refuse them even if this list missed one.
///
/// **Neither** (refused until you opt in with ``Binance/Configuration/additionalAllowedEndpoints``):
/// futures account configuration — leverage, margin type, position mode, multi-assets mode and the
/// countdown cancel-all. They change risk, not ownership of funds; a bot that needs them says so.
///
/// Binance's "Enable Spot & Margin Trading" permission also unlocks several sub-account transfers on
/// a master account (`/sapi/v1/sub-account/transfer/subToMaster`, …): that is why this list, not the
/// key's permissions, decides what is signed.
extension Binance {
    /// Why a withdrawal endpoint is refused.
    public static let withdrawalReason = "withdrawals move funds off the account; TradeOnly never signs them"
    /// Why a transfer endpoint is refused.
    public static let transferReason =
        "transfers move funds between wallets, sub-accounts or users; TradeOnly never signs them"
    /// Why a gift-card or payment endpoint is refused.
    public static let paymentReason = "gift cards and payments hand funds to others; TradeOnly never signs them"
    /// Why a convert, dust or fee-setting endpoint is refused.
    public static let convertReason =
        "converts, dust swaps and fee settings change holdings outside the order book; TradeOnly never signs them"
    /// Why a loan, margin-borrow, earn or staking endpoint is refused.
    public static let loanReason =
        "borrowing, repaying, earn and staking lock or borrow funds; TradeOnly never signs them"
    /// Why a key, sub-account or security-setting endpoint is refused.
    public static let keyManagementReason =
        "API keys, sub-accounts and security settings are managed by hand, never by a trade bot"
    /// Why the rest of `/sapi/` is refused.
    public static let sapiReason =
        "wallet, transfer, sub-account, earn, loan and key-management endpoints under /sapi/ are never signed by TradeOnly"
    /// Why the other product families are refused.
    public static let otherProductReason =
        "portfolio margin, options, COIN-M futures and the retired wallet API are not part of a TradeOnly Binance client"
    /// Why moving isolated margin is refused.
    public static let positionMarginReason =
        "moving margin into or out of an isolated position moves funds without trading; TradeOnly never signs it"

    /// The parameters of a spot order (`POST /api/v3/order` and its test endpoint).
    static let spotOrderParameters: Set<String> = [
        "symbol", "side", "type", "timeInForce", "quantity", "quoteOrderQty", "price", "newClientOrderId",
        "strategyId", "strategyType", "stopPrice", "trailingDelta", "icebergQty", "newOrderRespType",
        "selfTradePreventionMode", "pegPriceType", "pegOffsetValue", "pegOffsetType",
    ]

    /// The parameters of a USDⓈ-M futures order (`POST /fapi/v1/order` and its test endpoint).
    static let futuresOrderParameters: Set<String> = [
        "symbol", "side", "positionSide", "type", "timeInForce", "quantity", "reduceOnly", "price",
        "newClientOrderId", "stopPrice", "closePosition", "activationPrice", "callbackRate", "workingType",
        "priceProtect", "newOrderRespType", "priceMatch", "selfTradePreventionMode", "goodTillDate",
    ]

    /// The endpoints allowed by default, with their methods, the parameters a signed request to each
    /// may carry (Binance's documented parameters, less the signer's own), and the key permission each
    /// needs.
    public static let allowedEndpoints: [EndpointPolicy.Rule] = [
        // Spot: market data.
        .exact(.get, "/api/v3/ping"),
        .exact(.get, "/api/v3/time"),
        .exact(.get, "/api/v3/exchangeInfo").accepting("symbol", "symbols", "permissions", "showPermissionSets", "symbolStatus"),
        .exact(.get, "/api/v3/ticker/24hr").accepting("symbol", "symbols", "type"),
        .exact(.get, "/api/v3/depth").accepting("symbol", "limit"),
        // Spot: account and trading.
        .exact(.get, "/api/v3/account").accepting("omitZeroBalances"),
        .exact(.post, "/api/v3/order").accepting(spotOrderParameters).requiring(.spotTrade),
        .exact(.post, "/api/v3/order/test").accepting(spotOrderParameters.union(["computeCommissionRates"]))
            .requiring(.spotTrade),
        .exact(.delete, "/api/v3/order")
            .accepting("symbol", "orderId", "origClientOrderId", "newClientOrderId", "cancelRestrictions")
            .requiring(.spotTrade),
        .exact(.get, "/api/v3/order").accepting("symbol", "orderId", "origClientOrderId"),
        .exact(.get, "/api/v3/openOrders").accepting("symbol"),
        .exact(.get, "/api/v3/myTrades").accepting("symbol", "orderId", "startTime", "endTime", "fromId", "limit"),
        .exact(.get, "/api/v3/rateLimit/order"),
        // The key check, the one /sapi/ endpoint.
        .exact(.get, "/sapi/v1/account/apiRestrictions"),
        // USDⓈ-M futures: market data.
        .exact(.get, "/fapi/v1/ping"),
        .exact(.get, "/fapi/v1/time"),
        .exact(.get, "/fapi/v1/exchangeInfo"),
        .exact(.get, "/fapi/v1/depth").accepting("symbol", "limit"),
        .exact(.get, "/fapi/v1/ticker/bookTicker").accepting("symbol"),
        .exact(.get, "/fapi/v1/ticker/price").accepting("symbol"),
        // USDⓈ-M futures: account and trading.
        .exact(.get, "/fapi/v3/balance"),
        .exact(.get, "/fapi/v3/positionRisk").accepting("symbol"),
        .exact(.post, "/fapi/v1/order").accepting(futuresOrderParameters).requiring(.futuresTrade),
        .exact(.post, "/fapi/v1/order/test").accepting(futuresOrderParameters).requiring(.futuresTrade),
        .exact(.delete, "/fapi/v1/order").accepting("symbol", "orderId", "origClientOrderId").requiring(.futuresTrade),
        .exact(.get, "/fapi/v1/order").accepting("symbol", "orderId", "origClientOrderId"),
        .exact(.get, "/fapi/v1/openOrders").accepting("symbol"),
        .exact(.get, "/fapi/v1/userTrades").accepting("symbol", "orderId", "startTime", "endTime", "fromId", "limit"),
    ]

    /// §3.1 G of the reference: futures account configuration, with its parameters. Not allowed by
    /// default; a user may add any of these with ``Binance/Configuration/additionalAllowedEndpoints``
    /// (a plain rule for one of these endpoints, such as `.exact(.post, "/fapi/v1/leverage")`, takes
    /// the parameters and permission listed here).
    public static let optInConfiguration: [EndpointPolicy.Rule] = [
        .exact(.post, "/fapi/v1/leverage").accepting("symbol", "leverage").requiring(.futuresTrade),
        .exact(.post, "/fapi/v1/marginType").accepting("symbol", "marginType").requiring(.futuresTrade),
        .exact(.post, "/fapi/v1/positionSide/dual").accepting("dualSidePosition").requiring(.futuresTrade),
        .exact(.post, "/fapi/v1/multiAssetsMargin").accepting("multiAssetsMargin").requiring(.futuresTrade),
        .exact(.post, "/fapi/v1/countdownCancelAll").accepting("symbol", "countdownTime").requiring(.futuresTrade),
    ]

    /// Why the signer's own parameters are refused in a request.
    public static let signerParameterReason =
        "the signer adds recvWindow, timestamp and signature itself; Binance would let a query-string copy override the signed one"

    /// The parameters refused on every Binance endpoint, on top of
    /// ``EndpointPolicy/ParameterRule/fundMovement``: the signer's own parameters, the names only
    /// transfers and withdrawals carry on Binance (`asset`, `coin`, `amount`), and margin borrowing
    /// through an order's `sideEffectType`.
    public static let refusedParameters: [EndpointPolicy.ParameterRule] = [
        .refusing("signature").because(signerParameterReason),
        .refusing("timestamp").because(signerParameterReason),
        .refusing("recvWindow").because(signerParameterReason),
        .refusing("asset").because(transferReason),
        .refusing("coin").because(withdrawalReason),
        .refusing("amount").because(transferReason),
        .refusing("sideEffectType", unlessValueIsOneOf: ["NO_SIDE_EFFECT"])
            .because("MARGIN_BUY, AUTO_REPAY and AUTO_BORROW_REPAY borrow or repay margin loans; " + loanReason),
        .refusing("isIsolated").because(loanReason),
    ]

    /// The deny rules, most specific first (the first match names the reason).
    public static let deniedEndpoints: [EndpointPolicy.Rule] = {
        var rules: [EndpointPolicy.Rule] = []
        func add(_ reason: String, _ paths: [String]) {
            rules += paths.map { EndpointPolicy.Rule.prefix($0).because(reason) }
        }
        // A. Withdrawals and deposits-out.
        add(
            withdrawalReason,
            [
                "/sapi/v1/capital/withdraw",
                "/sapi/v1/localentity/withdraw",
                "/sapi/v1/localentity/broker/withdraw",
                "/sapi/v1/account/enableFastWithdrawSwitch",
                "/sapi/v1/account/disableFastWithdrawSwitch",
                "/sapi/v1/managed-subaccount/withdraw",
                "/sapi/v1/managed-subaccount/deposit",
                "/sapi/v2/fiat/withdraw",
                "/sapi/v1/fiat/deposit",
                "/sapi/v1/w3w/wallet/prediction/withdraw",
                "/sapi/v1/w3w/wallet/prediction/deposit",
                "/wapi/v3/withdraw.html",
            ])
        // B. Transfers between own wallets, sub-accounts and users.
        add(
            transferReason,
            [
                "/sapi/v1/asset/transfer",
                "/sapi/v1/futures/transfer",
                "/sapi/v1/margin/transfer",
                "/sapi/v1/margin/isolated/transfer",
                "/sapi/v1/sub-account/universalTransfer",
                "/sapi/v1/sub-account/transfer",
                "/sapi/v1/sub-account/futures/transfer",
                "/sapi/v1/sub-account/margin/transfer",
                "/sapi/v1/sub-account/futures/internalTransfer",
                "/sapi/v1/sub-account/futures/move-position",
                "/sapi/v1/asset/convert-transfer",
                "/sapi/v1/portfolio/bnb-transfer",
                "/sapi/v1/portfolio/earn-asset-transfer",
                "/sapi/v1/portfolio/asset-collection",
                "/sapi/v1/portfolio/auto-collection",
                "/papi/v1/bnb-transfer",
                "/papi/v1/asset-collection",
                "/papi/v1/auto-collection",
                "/sapi/v1/broker/transfer",
                "/sapi/v1/broker/universalTransfer",
                "/sapi/v1/broker/futures/accountTransfer",
                "/sapi/v1/mining/hash-transfer",
                "/sapi/v1/w3w/wallet/prediction/transfer",
            ])
        // C. Gift cards and payments (and the read-only Pay and P2P histories, which a bot does not need).
        add(
            paymentReason,
            [
                "/sapi/v1/giftcard",
                "/sapi/v1/pay",
                "/sapi/v1/c2c",
            ])
        // D. Converts, dust and asset swaps, fee settings.
        add(
            convertReason,
            [
                "/sapi/v1/convert",
                "/fapi/v1/convert",
                "/sapi/v1/asset/dust",
                "/sapi/v1/asset/dust-btc",
                "/sapi/v1/asset/dust-convert",
                "/sapi/v1/margin/dust",
                "/sapi/v1/bnbBurn",
                "/fapi/v1/feeBurn",
            ])
        // E. Borrowing, loans, earn and staking.
        add(
            loanReason,
            [
                "/sapi/v1/margin/borrow-repay",
                "/sapi/v1/margin/loan",
                "/sapi/v1/margin/repay",
                "/sapi/v1/margin/exchange-small-liability",
                "/sapi/v1/margin/liquidation-loan",
                "/sapi/v1/margin/manual-liquidation",
                "/sapi/v1/loan",
                "/sapi/v2/loan",
                "/papi/v1/marginLoan",
                "/papi/v1/repayLoan",
                "/papi/v1/margin/repay-debt",
                "/sapi/v1/portfolio/repay",
                "/sapi/v1/portfolio/redeem",
                "/sapi/v1/simple-earn",
                "/sapi/v1/bfusd",
                "/sapi/v1/rwusd",
                "/sapi/v1/eth-staking",
                "/sapi/v2/eth-staking",
                "/sapi/v1/sol-staking",
                "/sapi/v1/onchain-yields",
                "/sapi/v1/staking",
                "/sapi/v1/dci",
                "/sapi/v1/accumulator",
                "/sapi/v1/blvt",
                "/sapi/v1/lending",
                "/sapi/v1/equity/tokenized",
            ])
        // F. API keys, sub-accounts and security settings.
        add(
            keyManagementReason,
            [
                "/sapi/v1/sub-account/subAccountApi",
                "/sapi/v1/sub-account/subAccountApiPermission",
                "/sapi/v2/sub-account/subAccountApi",
                "/sapi/v1/margin/apiKey",
                "/sapi/v1/margin/exit-special-key-mode",
                "/sapi/v1/sub-account/virtualSubAccount",
                "/sapi/v1/sub-account/futures/enable",
                "/sapi/v1/sub-account/eoptions/enable",
                "/sapi/v1/broker/subAccount",
                "/sapi/v1/broker/subAccountApi",
                "/sapi/v1/margin/isolated/account",
                "/sapi/v1/capital/deposit/credit-apply",
                "/sapi/v1/localentity/deposit/provide-info",
            ])
        rules.append(.prefix("/fapi/v1/positionMargin").because(positionMarginReason))
        // Everything else under /sapi/ but the key check, and the product families a bot does not use.
        rules.append(
            .prefix("/sapi/").except(.exact(.get, "/sapi/v1/account/apiRestrictions")).because(sapiReason))
        for family in ["/papi/", "/eapi/", "/dapi/", "/wapi/"] {
            rules.append(.prefix(family).because(otherProductReason))
        }
        return rules
    }()

    /// The built-in policy: ``allowedEndpoints``, ``deniedEndpoints`` and ``refusedParameters`` (an instance's
    /// ``Binance/endpointPolicy`` adds ``Binance/Configuration/additionalAllowedEndpoints``).
    public static let builtInPolicy = EndpointPolicy(
        allowing: allowedEndpoints, denying: deniedEndpoints, refusingParameters: refusedParameters, exchange: Binance.exchangeName)

    /// The policy the key inspector signs with: the key check and the server time only.
    static let inspectorPolicy = EndpointPolicy(
        allowing: [.exact(.get, "/sapi/v1/account/apiRestrictions"), .exact(.get, "/api/v3/time")],
        denying: deniedEndpoints, refusingParameters: refusedParameters, exchange: Binance.exchangeName)

    /// The built-in policy with the user's extra allow rules. Deny rules and parameter rules still win.
    /// A plain rule for an endpoint of ``optInConfiguration`` takes that endpoint's parameters.
    ///
    /// - Parameter additional: Extra endpoints to allow.
    /// - Returns: The policy every Binance request is checked against.
    public static func policy(allowing additional: [EndpointPolicy.Rule]) -> EndpointPolicy {
        additional.isEmpty ? builtInPolicy : builtInPolicy.allowing(additional, describedBy: optInConfiguration)
    }
}

/// The Binance endpoint policy's old namespace: its members are now statics of ``Binance``.
@available(*, deprecated, message: "use the statics of Binance: Binance.builtInPolicy, Binance.allowedEndpoints, Binance.policy(allowing:), …")
public enum BinancePolicy {
    /// Renamed ``Binance/withdrawalReason``.
    @available(*, deprecated, renamed: "Binance.withdrawalReason")
    public static var withdrawalReason: String { Binance.withdrawalReason }
    /// Renamed ``Binance/transferReason``.
    @available(*, deprecated, renamed: "Binance.transferReason")
    public static var transferReason: String { Binance.transferReason }
    /// Renamed ``Binance/paymentReason``.
    @available(*, deprecated, renamed: "Binance.paymentReason")
    public static var paymentReason: String { Binance.paymentReason }
    /// Renamed ``Binance/convertReason``.
    @available(*, deprecated, renamed: "Binance.convertReason")
    public static var convertReason: String { Binance.convertReason }
    /// Renamed ``Binance/loanReason``.
    @available(*, deprecated, renamed: "Binance.loanReason")
    public static var loanReason: String { Binance.loanReason }
    /// Renamed ``Binance/keyManagementReason``.
    @available(*, deprecated, renamed: "Binance.keyManagementReason")
    public static var keyManagementReason: String { Binance.keyManagementReason }
    /// Renamed ``Binance/sapiReason``.
    @available(*, deprecated, renamed: "Binance.sapiReason")
    public static var sapiReason: String { Binance.sapiReason }
    /// Renamed ``Binance/otherProductReason``.
    @available(*, deprecated, renamed: "Binance.otherProductReason")
    public static var otherProductReason: String { Binance.otherProductReason }
    /// Renamed ``Binance/positionMarginReason``.
    @available(*, deprecated, renamed: "Binance.positionMarginReason")
    public static var positionMarginReason: String { Binance.positionMarginReason }
    /// Renamed ``Binance/allowedEndpoints``.
    @available(*, deprecated, renamed: "Binance.allowedEndpoints")
    public static var allowed: [EndpointPolicy.Rule] { Binance.allowedEndpoints }
    /// Renamed ``Binance/optInConfiguration``.
    @available(*, deprecated, renamed: "Binance.optInConfiguration")
    public static var optInConfiguration: [EndpointPolicy.Rule] { Binance.optInConfiguration }
    /// Renamed ``Binance/signerParameterReason``.
    @available(*, deprecated, renamed: "Binance.signerParameterReason")
    public static var signerParameterReason: String { Binance.signerParameterReason }
    /// Renamed ``Binance/refusedParameters``.
    @available(*, deprecated, renamed: "Binance.refusedParameters")
    public static var refusedParameters: [EndpointPolicy.ParameterRule] { Binance.refusedParameters }
    /// Renamed ``Binance/deniedEndpoints``.
    @available(*, deprecated, renamed: "Binance.deniedEndpoints")
    public static var denied: [EndpointPolicy.Rule] { Binance.deniedEndpoints }
    /// Renamed ``Binance/builtInPolicy``.
    @available(*, deprecated, renamed: "Binance.builtInPolicy")
    public static var builtIn: EndpointPolicy { Binance.builtInPolicy }
    /// Renamed ``Binance/policy(allowing:)``.
    @available(*, deprecated, renamed: "Binance.policy(allowing:)")
    public static func policy(allowing additional: [EndpointPolicy.Rule]) -> EndpointPolicy { Binance.policy(allowing: additional) }
}
