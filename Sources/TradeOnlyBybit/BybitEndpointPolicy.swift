import Foundation
import TradeOnly

extension Bybit {
    /// The parameters of `POST /v5/order/create` (spot and linear), as Bybit documents them.
    static let orderParameters: Set<String> = [
        "category", "symbol", "isLeverage", "side", "orderType", "qty", "marketUnit", "slippageToleranceType",
        "slippageTolerance", "price", "triggerDirection", "orderFilter", "triggerPrice", "triggerBy",
        "orderIv", "timeInForce", "positionIdx", "orderLinkId", "takeProfit", "stopLoss", "tpTriggerBy",
        "slTriggerBy", "reduceOnly", "closeOnTrigger", "smpType", "mmp", "tpslMode", "tpLimitPrice",
        "slLimitPrice", "tpOrderType", "slOrderType",
    ]

    /// The permission an order of each `category` needs: `spot` spot trading, `linear` and `inverse`
    /// futures trading. Options are not traded by TradeOnly, so `option` is refused.
    static let tradeCategories: [String: TradePermission] = [
        "spot": .spotTrade, "linear": .futuresTrade, "inverse": .futuresTrade,
    ]

    /// The endpoints ``BybitClient`` calls, plus the key report and every public market-data `GET`,
    /// each with the parameters a signed request to it may carry and the key permission it needs.
    ///
    /// Nothing else is allowed unless added with ``Configuration/additionalAllowedEndpoints``.
    public static let allowedEndpoints: [EndpointPolicy.Rule] = [
        // Public market data: time, instruments, tickers, order books, klines, … (all read-only).
        .prefix(.get, "/v5/market/").accepting(
            "category", "symbol", "baseCoin", "settleCoin", "status", "limit", "cursor", "interval", "start", "end",
            "expDate", "period", "intervalTime", "startTime", "endTime", "optionPeriod", "coin"),
        // The key's own permissions (SafeKey verification).
        .exact(.get, "/v5/user/query-api"),
        // Account data.
        .exact(.get, "/v5/account/wallet-balance").accepting("accountType", "coin"),
        .exact(.get, "/v5/position/list").accepting("category", "symbol", "baseCoin", "settleCoin", "limit", "cursor"),
        // Orders.
        .exact(.post, "/v5/order/create").accepting(orderParameters).requiring(tradeCategories, byValueOf: "category"),
        .exact(.post, "/v5/order/cancel").accepting("category", "symbol", "orderId", "orderLinkId", "orderFilter")
            .requiring(tradeCategories, byValueOf: "category"),
        .exact(.get, "/v5/order/realtime").accepting(
            "category", "symbol", "baseCoin", "settleCoin", "orderId", "orderLinkId", "openOnly", "orderFilter",
            "limit", "cursor"),
        .exact(.get, "/v5/order/history").accepting(
            "category", "symbol", "baseCoin", "settleCoin", "orderId", "orderLinkId", "orderFilter", "orderStatus",
            "startTime", "endTime", "limit", "cursor"),
        .exact(.get, "/v5/execution/list").accepting(
            "category", "symbol", "orderId", "orderLinkId", "baseCoin", "startTime", "endTime", "execType", "limit",
            "cursor"),
    ]

    /// Reference §3.2 G: position configuration, with its parameters. Not allowed by default; a user
    /// may add any of these with ``Configuration/additionalAllowedEndpoints`` (a plain rule for one
    /// of them, such as `.exact(.post, "/v5/position/set-leverage")`, takes the parameters listed
    /// here). `add-margin` and `move-positions` move funds and stay denied.
    public static let optInConfiguration: [EndpointPolicy.Rule] =
        ([
            .exact(.post, "/v5/position/set-leverage").accepting("category", "symbol", "buyLeverage", "sellLeverage"),
            .exact(.post, "/v5/position/switch-mode").accepting("category", "symbol", "coin", "mode"),
            .exact(.post, "/v5/position/switch-isolated")
                .accepting("category", "symbol", "tradeMode", "buyLeverage", "sellLeverage"),
            .exact(.post, "/v5/position/set-risk-limit").accepting("category", "symbol", "riskId", "positionIdx"),
            .exact(.post, "/v5/position/set-tpsl-mode").accepting("category", "symbol", "tpSlMode"),
            .exact(.post, "/v5/position/set-auto-add-margin")
                .accepting("category", "symbol", "autoAddMargin", "positionIdx"),
            .exact(.post, "/v5/position/trading-stop").accepting(
                "category", "symbol", "takeProfit", "stopLoss", "trailingStop", "tpTriggerBy", "slTriggerBy",
                "activePrice", "tpSize", "slSize", "positionIdx", "tpslMode", "tpLimitPrice", "slLimitPrice",
                "tpOrderType", "slOrderType"),
            .exact(.post, "/v5/position/confirm-pending-mmr").accepting("category", "symbol"),
        ] as [EndpointPolicy.Rule]).map { rule in
            rule.requiring(["linear": TradePermission.futuresTrade, "inverse": .futuresTrade], byValueOf: "category")
        }

    /// Why `isLeverage` other than 0 is refused.
    public static let leverageReason =
        "isLeverage=1 turns a spot order into a margin loan (borrowing); TradeOnly signs isLeverage only as 0"

    /// The parameters refused on every Bybit endpoint, on top of
    /// ``EndpointPolicy/ParameterRule/fundMovement``: borrowing through `isLeverage`, and `amount`,
    /// which only transfers and withdrawals carry on Bybit.
    public static let refusedParameters: [EndpointPolicy.ParameterRule] = [
        .refusing("isLeverage", unlessValueIsOneOf: ["0"]).because(leverageReason),
        .refusing("amount").because(DenyReason.transfer),
    ]

    /// Why each group of endpoints is denied, as the refusal says it.
    enum DenyReason {
        static let withdrawal = "withdrawals send funds off the account; TradeOnly never signs them"
        static let transfer = "transfers move funds between accounts, sub-accounts or users; TradeOnly never signs them"
        static let asset = "the /v5/asset/ family holds withdrawals, deposits, transfers and converts; TradeOnly signs none of it"
        static let p2pFiat = "P2P, fiat, card and payment endpoints can release or spend funds; TradeOnly never signs them"
        static let convert = "converts swap assets outside the order book; TradeOnly never signs them"
        static let borrowing = "borrowing, repaying, loans and earn products move or lock funds; TradeOnly never signs them"
        static let bots = "Bybit's bots and strategies move funds into separate bot accounts; TradeOnly never signs them"
        static let keyManagement = "API-key, sub-account and rate-limit management can create keys that move funds; TradeOnly never signs it"
        static let accountMode =
            "account mode changes (margin mode, collateral, hedging, UTA upgrade, MMP) change how funds are at risk; TradeOnly never signs them"
        static let positionFunds =
            "this endpoint moves funds into a position's margin or moves positions between accounts; TradeOnly never signs it, even if allowed"
    }

    /// Every endpoint of reference §3.2 A–G that moves funds or manages keys, denied explicitly (with
    /// any method), plus whole families by prefix. Deny rules win over every allow rule, including the
    /// ones a user adds.
    ///
    /// | Group | Rules |
    /// |---|---|
    /// | A withdrawals | `/v5/asset/withdraw/create`, `/v5/asset/withdraw/cancel` |
    /// | B transfers | inter-transfer, universal-transfer, save-transfer-sub-member, deposit-to-account, `/v5/earn/pwm/fund-transfer`, `/v5/broker/award/distribute-award`, `/v5/position/move-positions` |
    /// | C P2P, fiat, card, payments | `/v5/p2p/`, `/v5/fiat/`, `/v5/card/` |
    /// | D converts | `/v5/asset/exchange/…`, `/v5/asset/covert/…` |
    /// | E borrowing, loans, earn, bots | `/v5/account/borrow`, `repay`, `no-convert-repay`, `quick-repayment`; `/v5/spot-margin-trade/`, `/v5/spot-cross-margin-trade/`, `/v5/crypto-loan*`, `/v5/ins-loan/`, `/v5/lending/`, `/v5/earn/`, `/v5/spot-lever-token/`, `/v5/alpha/`, `/v5/rfq/`, `/v5/grid/`, `/v5/fgridbot/`, `/v5/fmartingalebot/`, `/v5/fcombobot/`, `/v5/dca/`, `/v5/strategy/` |
    /// | F keys, sub-accounts, modes | `/v5/user/` except `GET /v5/user/query-api`; `/v5/apilimit/`, `/v5/broker/`; account mode changes |
    /// | G position configuration | `/v5/position/add-margin` (moves wallet funds into one position) and `move-positions` stay denied; set-leverage, switch-mode, switch-isolated, set-risk-limit, set-tpsl-mode, set-auto-add-margin, trading-stop and confirm-pending-mmr are not allowed by default but may be added |
    ///
    /// Everything under `/v5/asset/` is denied, reads included (coin balances, deposit addresses):
    /// a trade bot reads its balances from `/v5/account/wallet-balance`.
    public static let deniedEndpoints: [EndpointPolicy.Rule] = [
        // A. Withdrawals.
        .exact("/v5/asset/withdraw/create").because(DenyReason.withdrawal),
        .exact("/v5/asset/withdraw/cancel").because(DenyReason.withdrawal),
        // B. Transfers.
        .exact("/v5/asset/transfer/inter-transfer").because(DenyReason.transfer),
        .exact("/v5/asset/transfer/universal-transfer").because(DenyReason.transfer),
        .exact("/v5/asset/transfer/save-transfer-sub-member").because(DenyReason.transfer),
        .exact("/v5/asset/deposit/deposit-to-account").because(DenyReason.transfer),
        .exact("/v5/earn/pwm/fund-transfer").because(DenyReason.transfer),
        .exact("/v5/broker/award/distribute-award").because(DenyReason.transfer),
        .exact("/v5/position/move-positions").because(DenyReason.positionFunds),
        // C. P2P, fiat, card, payments.
        .exact("/v5/p2p/order/finish").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/order/pay").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/item/create").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/item/update").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/item/cancel").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/item/online").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/order/message/send").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/oss/upload_file").because(DenyReason.p2pFiat),
        .exact("/v5/p2p/order/buyer/examine/sellerCancelOrderApply").because(DenyReason.p2pFiat),
        .exact("/v5/fiat/quote-apply").because(DenyReason.p2pFiat),
        .exact("/v5/fiat/trade-execute").because(DenyReason.p2pFiat),
        // D. Converts and swaps (the path really is spelled "covert").
        .exact("/v5/asset/exchange/quote-apply").because(DenyReason.convert),
        .exact("/v5/asset/exchange/convert-execute").because(DenyReason.convert),
        .exact("/v5/asset/covert/get-quote").because(DenyReason.convert),
        .exact("/v5/asset/covert/small-balance-execute").because(DenyReason.convert),
        // E. Borrowing and repaying on the account.
        .exact("/v5/account/borrow").because(DenyReason.borrowing),
        .exact("/v5/account/repay").because(DenyReason.borrowing),
        .exact("/v5/account/no-convert-repay").because(DenyReason.borrowing),
        .exact("/v5/account/quick-repayment").because(DenyReason.borrowing),
        .exact("/v5/spot-margin-trade/fixedborrow").because(DenyReason.borrowing),
        .exact("/v5/spot-margin-trade/fixedborrow-renew").because(DenyReason.borrowing),
        .exact("/v5/spot-margin-trade/switch-mode").because(DenyReason.borrowing),
        .exact("/v5/lending/purchase").because(DenyReason.borrowing),
        .exact("/v5/lending/redeem").because(DenyReason.borrowing),
        .exact("/v5/lending/redeem-cancel").because(DenyReason.borrowing),
        .exact("/v5/spot-lever-token/purchase").because(DenyReason.borrowing),
        .exact("/v5/spot-lever-token/redeem").because(DenyReason.borrowing),
        // F. API keys, sub-accounts, rate limits.
        .exact("/v5/user/create-sub-api").because(DenyReason.keyManagement),
        .exact("/v5/user/update-api").because(DenyReason.keyManagement),
        .exact("/v5/user/update-sub-api").because(DenyReason.keyManagement),
        .exact("/v5/user/delete-api").because(DenyReason.keyManagement),
        .exact("/v5/user/delete-sub-api").because(DenyReason.keyManagement),
        .exact("/v5/user/create-sub-member").because(DenyReason.keyManagement),
        .exact("/v5/user/frozen-sub-member").because(DenyReason.keyManagement),
        .exact("/v5/user/del-submember").because(DenyReason.keyManagement),
        .exact("/v5/user/create-demo-member").because(DenyReason.keyManagement),
        .exact("/v5/user/agreement").because(DenyReason.keyManagement),
        .exact("/v5/apilimit/set").because(DenyReason.keyManagement),
        .exact("/v5/broker/apilimit/set").because(DenyReason.keyManagement),
        // F. Account modes.
        .exact("/v5/account/upgrade-to-uta").because(DenyReason.accountMode),
        .exact("/v5/account/set-margin-mode").because(DenyReason.accountMode),
        .exact("/v5/account/set-collateral-switch").because(DenyReason.accountMode),
        .exact("/v5/account/set-collateral-switch-batch").because(DenyReason.accountMode),
        .exact("/v5/account/set-hedging-mode").because(DenyReason.accountMode),
        .exact("/v5/account/set-delta-mode").because(DenyReason.accountMode),
        .exact("/v5/account/set-limit-px-action").because(DenyReason.accountMode),
        .exact("/v5/account/mmp-modify").because(DenyReason.accountMode),
        .exact("/v5/account/mmp-reset").because(DenyReason.accountMode),
        // G. Position configuration that moves funds.
        .exact("/v5/position/add-margin").because(DenyReason.positionFunds),

        // Whole families, by prefix.
        .prefix("/v5/asset/").because(DenyReason.asset),
        .prefix("/v5/user/").except(.exact(.get, "/v5/user/query-api")).because(DenyReason.keyManagement),
        .prefix("/v5/p2p/").because(DenyReason.p2pFiat),
        .prefix("/v5/fiat/").because(DenyReason.p2pFiat),
        .prefix("/v5/card/").because(DenyReason.p2pFiat),
        .prefix("/v5/earn/").because(DenyReason.borrowing),
        .prefix("/v5/crypto-loan*").because(DenyReason.borrowing),
        .prefix("/v5/ins-loan/").because(DenyReason.borrowing),
        .prefix("/v5/lending/").because(DenyReason.borrowing),
        .prefix("/v5/spot-lever-token/").because(DenyReason.borrowing),
        .prefix("/v5/spot-margin-trade/").because(DenyReason.borrowing),
        .prefix("/v5/spot-cross-margin-trade/").because(DenyReason.borrowing),
        .prefix("/v5/alpha/").because(DenyReason.borrowing),
        .prefix("/v5/rfq/").because(DenyReason.borrowing),
        .prefix("/v5/broker/").because(DenyReason.keyManagement),
        .prefix("/v5/apilimit/").because(DenyReason.keyManagement),
        .prefix("/v5/grid/").because(DenyReason.bots),
        .prefix("/v5/fgridbot/").because(DenyReason.bots),
        .prefix("/v5/fmartingalebot/").because(DenyReason.bots),
        .prefix("/v5/fcombobot/").because(DenyReason.bots),
        .prefix("/v5/dca/").because(DenyReason.bots),
        .prefix("/v5/strategy/").because(DenyReason.bots),
    ]

    /// The built-in policy: ``allowedEndpoints`` allowed, ``deniedEndpoints`` denied,
    /// ``refusedParameters`` refused.
    public static let builtInPolicy = EndpointPolicy(
        allowing: allowedEndpoints, denying: deniedEndpoints, refusingParameters: refusedParameters,
        exchange: Bybit.exchangeName)

    /// The built-in policy with the user's extra allow rules. Deny rules and parameter rules still win.
    /// A plain rule for an endpoint of ``optInConfiguration`` takes that endpoint's parameters.
    ///
    /// - Parameter additional: Extra endpoints to allow.
    /// - Returns: The policy every Bybit request is checked against.
    public static func policy(allowing additional: [EndpointPolicy.Rule]) -> EndpointPolicy {
        additional.isEmpty ? builtInPolicy : builtInPolicy.allowing(additional, describedBy: optInConfiguration)
    }

    /// The narrow policy the key inspector signs with: the key report and the server time only.
    static let inspectorPolicy = EndpointPolicy(
        allowing: [.exact(.get, "/v5/user/query-api"), .exact(.get, "/v5/market/time")],
        denying: deniedEndpoints, refusingParameters: refusedParameters, exchange: Bybit.exchangeName)
}
