import TradeOnly

/// Bybit endpoints from `reference/binance-bybit.md` §3.2, typed out once, independently of
/// `Bybit.deniedEndpoints`: the core tests build a Bybit-like policy against them and the Bybit
/// module's tests check the real one against them.
package enum BybitReference {
    /// Every path of §3.2 A–F (all `POST`; wildcards expanded with a representative path).
    package static let denied: [Endpoint] = [
        // A. Withdrawals
        "/v5/asset/withdraw/create", "/v5/asset/withdraw/cancel",
        // B. Transfers
        "/v5/asset/transfer/inter-transfer", "/v5/asset/transfer/universal-transfer",
        "/v5/asset/transfer/save-transfer-sub-member", "/v5/asset/deposit/deposit-to-account",
        "/v5/earn/pwm/fund-transfer", "/v5/broker/award/distribute-award", "/v5/position/move-positions",
        // C. P2P, fiat and card payments
        "/v5/p2p/order/finish", "/v5/p2p/order/pay", "/v5/p2p/item/create", "/v5/p2p/item/update",
        "/v5/p2p/item/cancel", "/v5/p2p/item/online", "/v5/p2p/order/message/send", "/v5/p2p/oss/upload_file",
        "/v5/p2p/order/buyer/examine/sellerCancelOrderApply", "/v5/fiat/quote-apply", "/v5/fiat/trade-execute",
        "/v5/card/transfer",
        // D. Converts and small balances
        "/v5/asset/exchange/quote-apply", "/v5/asset/exchange/convert-execute", "/v5/asset/covert/get-quote",
        "/v5/asset/covert/small-balance-execute",
        // E. Borrowing, loans, earn and bots
        "/v5/account/borrow", "/v5/account/repay", "/v5/account/no-convert-repay", "/v5/account/quick-repayment",
        "/v5/spot-margin-trade/fixedborrow", "/v5/spot-margin-trade/fixedborrow-renew",
        "/v5/spot-margin-trade/switch-mode", "/v5/crypto-loan/borrow", "/v5/crypto-loan-common/adjust-ltv",
        "/v5/crypto-loan-fixed/borrow", "/v5/crypto-loan-flexible/repay", "/v5/ins-loan/ensure-tokens-convert",
        "/v5/lending/purchase", "/v5/lending/redeem", "/v5/lending/redeem-cancel", "/v5/earn/place-order",
        "/v5/earn/redeem", "/v5/spot-lever-token/purchase", "/v5/spot-lever-token/redeem", "/v5/alpha/purchase",
        "/v5/grid/create", "/v5/fgridbot/create", "/v5/fmartingalebot/create", "/v5/fcombobot/create",
        "/v5/dca/create", "/v5/strategy/create", "/v5/rfq/create-rfq",
        // F. API keys, sub-accounts and account settings
        "/v5/user/create-sub-api", "/v5/user/update-api", "/v5/user/update-sub-api", "/v5/user/delete-api",
        "/v5/user/delete-sub-api", "/v5/user/create-sub-member", "/v5/user/frozen-sub-member",
        "/v5/user/del-submember", "/v5/user/create-demo-member", "/v5/user/agreement",
        "/v5/apilimit/set", "/v5/broker/apilimit/set",
        "/v5/account/upgrade-to-uta", "/v5/account/set-margin-mode", "/v5/account/set-collateral-switch",
        "/v5/account/set-collateral-switch-batch", "/v5/account/set-hedging-mode", "/v5/account/set-delta-mode",
        "/v5/account/set-limit-px-action", "/v5/account/mmp-modify", "/v5/account/mmp-reset",
    ].map { Endpoint(.post, $0) }

    /// §3.2 G: adding margin to a position. Position configuration may be opted into; this stays denied.
    package static let addMargin = Endpoint(.post, "/v5/position/add-margin")

    /// A sample path under every prefix the Bybit module denies as a whole (some are §3.2 paths too).
    package static let prefixSamples: [String] = [
        "/v5/asset/coin/query-info", "/v5/asset/deposit/query-address", "/v5/user/get-member-type",
        "/v5/user/query-sub-members", "/v5/p2p/user/personal/info", "/v5/fiat/query-coin-list",
        "/v5/earn/place-order", "/v5/earn/redeem", "/v5/crypto-loan/borrow", "/v5/crypto-loan-common/adjust-ltv",
        "/v5/crypto-loan-fixed/borrow", "/v5/crypto-loan-flexible/repay", "/v5/ins-loan/ensure-tokens-convert",
        "/v5/lending/info", "/v5/spot-lever-token/info", "/v5/broker/earnings-info", "/v5/card/transfer",
        "/v5/alpha/purchase", "/v5/rfq/create-rfq", "/v5/spot-margin-trade/set-leverage",
        "/v5/spot-cross-margin-trade/loan", "/v5/apilimit/query", "/v5/grid/create", "/v5/fgridbot/create",
        "/v5/fmartingalebot/create", "/v5/fcombobot/create", "/v5/dca/create", "/v5/strategy/create",
    ]

    /// What the Bybit module refuses whatever the user allows, each path once: §3.2 A–F, ``addMargin``
    /// and ``prefixSamples``.
    package static let deniedPaths: [String] = {
        var seen = Set<String>()
        return (denied.map(\.path) + [addMargin.path] + prefixSamples).filter { seen.insert($0).inserted }
    }()
}
