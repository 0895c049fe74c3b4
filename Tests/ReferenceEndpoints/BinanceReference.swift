import TradeOnly

/// Binance endpoints from `reference/binance-bybit.md` §3.1, typed out once, independently of
/// `BinancePolicy`: the core tests build a Binance-like policy against them and the Binance module's
/// tests check the real one against them.
package enum BinanceReference {
    /// Every path of §3.1 A–F, with its method (wildcards and alternatives expanded with a
    /// representative path).
    package static let denied: [Endpoint] = [
        // A. Withdrawals and deposits-out
        Endpoint(.post, "/sapi/v1/capital/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/localentity/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/localentity/broker/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/account/enableFastWithdrawSwitch"),
        Endpoint(.post, "/sapi/v1/account/disableFastWithdrawSwitch"),
        Endpoint(.post, "/sapi/v1/managed-subaccount/withdraw"),
        Endpoint(.post, "/sapi/v1/managed-subaccount/deposit"),
        Endpoint(.post, "/sapi/v2/fiat/withdraw"),
        Endpoint(.post, "/sapi/v1/fiat/deposit"),
        Endpoint(.post, "/wapi/v3/withdraw.html"),
        // B. Transfers
        Endpoint(.post, "/sapi/v1/asset/transfer"),
        Endpoint(.post, "/sapi/v1/futures/transfer"),
        Endpoint(.post, "/sapi/v1/margin/transfer"),
        Endpoint(.post, "/sapi/v1/margin/isolated/transfer"),
        Endpoint(.post, "/sapi/v1/sub-account/universalTransfer"),
        Endpoint(.post, "/sapi/v1/sub-account/transfer/subToMaster"),
        Endpoint(.post, "/sapi/v1/sub-account/transfer/subToSub"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/transfer"),
        Endpoint(.post, "/sapi/v1/sub-account/margin/transfer"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/internalTransfer"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/move-position"),
        Endpoint(.post, "/sapi/v1/asset/convert-transfer"),
        Endpoint(.post, "/sapi/v1/portfolio/bnb-transfer"),
        Endpoint(.post, "/sapi/v1/portfolio/earn-asset-transfer"),
        Endpoint(.post, "/sapi/v1/portfolio/asset-collection"),
        Endpoint(.post, "/sapi/v1/portfolio/auto-collection"),
        Endpoint(.post, "/papi/v1/bnb-transfer"),
        Endpoint(.post, "/papi/v1/asset-collection"),
        Endpoint(.post, "/papi/v1/auto-collection"),
        Endpoint(.post, "/sapi/v1/broker/transfer"),
        Endpoint(.post, "/sapi/v1/broker/transfer/futures"),
        Endpoint(.post, "/sapi/v1/broker/universalTransfer"),
        Endpoint(.post, "/sapi/v1/broker/futures/accountTransfer"),
        Endpoint(.post, "/sapi/v1/mining/hash-transfer/config"),
        Endpoint(.post, "/sapi/v1/mining/hash-transfer/config/cancel"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/transfer/inbound"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/transfer/outbound"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/withdraw/apply"),
        Endpoint(.post, "/sapi/v1/w3w/wallet/prediction/deposit/apply"),
        // C. Gift cards and payments
        Endpoint(.post, "/sapi/v1/giftcard/createCode"),
        Endpoint(.post, "/sapi/v1/giftcard/buyCode"),
        Endpoint(.post, "/sapi/v1/giftcard/redeemCode"),
        Endpoint(.get, "/sapi/v1/pay/transactions"),
        Endpoint(.get, "/sapi/v1/c2c/orderMatch/listUserOrderHistory"),
        // D. Converts, dust and swaps
        Endpoint(.post, "/sapi/v1/convert/getQuote"),
        Endpoint(.post, "/sapi/v1/convert/acceptQuote"),
        Endpoint(.post, "/sapi/v1/convert/limit/placeOrder"),
        Endpoint(.post, "/sapi/v1/convert/limit/cancelOrder"),
        Endpoint(.post, "/fapi/v1/convert/getQuote"),
        Endpoint(.post, "/fapi/v1/convert/acceptQuote"),
        Endpoint(.post, "/sapi/v1/asset/dust"),
        Endpoint(.post, "/sapi/v1/asset/dust-btc"),
        Endpoint(.post, "/sapi/v1/asset/dust-convert/convert"),
        Endpoint(.post, "/sapi/v1/margin/dust"),
        Endpoint(.post, "/sapi/v1/bnbBurn"),
        Endpoint(.post, "/fapi/v1/feeBurn"),
        // E. Borrowing, loans, earn and staking
        Endpoint(.post, "/sapi/v1/margin/borrow-repay"),
        Endpoint(.post, "/sapi/v1/margin/loan"),
        Endpoint(.post, "/sapi/v1/margin/repay"),
        Endpoint(.post, "/sapi/v1/margin/exchange-small-liability"),
        Endpoint(.post, "/sapi/v1/margin/liquidation-loan/repay"),
        Endpoint(.post, "/sapi/v1/margin/manual-liquidation"),
        Endpoint(.post, "/sapi/v1/loan/borrow"),
        Endpoint(.post, "/sapi/v2/loan/flexible/borrow"),
        Endpoint(.post, "/sapi/v2/loan/flexible/repay"),
        Endpoint(.post, "/sapi/v2/loan/flexible/adjust/ltv"),
        Endpoint(.post, "/sapi/v1/loan/vip/borrow"),
        Endpoint(.post, "/sapi/v1/loan/vip/repay"),
        Endpoint(.post, "/sapi/v1/loan/vip/renew"),
        Endpoint(.post, "/sapi/v1/loan/vip/fixed/borrow"),
        Endpoint(.post, "/papi/v1/marginLoan"),
        Endpoint(.post, "/papi/v1/repayLoan"),
        Endpoint(.post, "/papi/v1/margin/repay-debt"),
        Endpoint(.post, "/sapi/v1/portfolio/repay"),
        Endpoint(.post, "/sapi/v1/portfolio/redeem"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/subscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/redeem"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/setAutoSubscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/flexible/setRedeemOption"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/subscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/redeem"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/setAutoSubscribe"),
        Endpoint(.post, "/sapi/v1/simple-earn/locked/setRedeemOption"),
        Endpoint(.post, "/sapi/v1/bfusd/subscribe"),
        Endpoint(.post, "/sapi/v1/rwusd/subscribe"),
        Endpoint(.post, "/sapi/v1/eth-staking/eth/stake"),
        Endpoint(.post, "/sapi/v2/eth-staking/eth/stake"),
        Endpoint(.post, "/sapi/v1/sol-staking/sol/stake"),
        Endpoint(.post, "/sapi/v1/onchain-yields/locked/subscribe"),
        Endpoint(.post, "/sapi/v1/staking/purchase"),
        Endpoint(.post, "/sapi/v1/dci/product/subscribe"),
        Endpoint(.post, "/sapi/v1/accumulator/product/subscribe"),
        Endpoint(.post, "/sapi/v1/blvt/subscribe"),
        Endpoint(.post, "/sapi/v1/lending/daily/purchase"),
        Endpoint(.post, "/sapi/v1/equity/tokenized/mint"),
        Endpoint(.post, "/sapi/v1/equity/tokenized/redeem"),
        // F. API keys, sub-accounts and security settings
        Endpoint(.post, "/sapi/v1/sub-account/subAccountApi"),
        Endpoint(.delete, "/sapi/v1/sub-account/subAccountApi"),
        Endpoint(.get, "/sapi/v1/sub-account/subAccountApi"),
        Endpoint(.post, "/sapi/v1/sub-account/subAccountApiPermission"),
        Endpoint(.post, "/sapi/v2/sub-account/subAccountApi/ipRestriction"),
        Endpoint(.delete, "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList"),
        Endpoint(.post, "/sapi/v1/margin/apiKey"),
        Endpoint(.delete, "/sapi/v1/margin/apiKey"),
        Endpoint(.put, "/sapi/v1/margin/apiKey/ip"),
        Endpoint(.post, "/sapi/v1/margin/exit-special-key-mode"),
        Endpoint(.post, "/sapi/v1/sub-account/virtualSubAccount"),
        Endpoint(.post, "/sapi/v1/sub-account/futures/enable"),
        Endpoint(.post, "/sapi/v1/sub-account/eoptions/enable"),
        Endpoint(.post, "/sapi/v1/broker/subAccount"),
        Endpoint(.post, "/sapi/v1/broker/subAccountApi"),
        Endpoint(.post, "/sapi/v1/broker/subAccountApi/ipRestriction"),
        Endpoint(.post, "/sapi/v1/broker/subAccountApi/permission/universalTransfer"),
        Endpoint(.post, "/sapi/v1/margin/isolated/account"),
        Endpoint(.delete, "/sapi/v1/margin/isolated/account"),
        Endpoint(.post, "/sapi/v1/capital/deposit/credit-apply"),
        Endpoint(.put, "/sapi/v1/localentity/deposit/provide-info"),
    ]

    /// §3.1 G: account configuration. Neither on the allow-list nor money out, so it fails closed
    /// until the user opts in — except ``positionMargin``, which stays denied.
    package static let configuration: [Endpoint] = [
        Endpoint(.post, "/fapi/v1/leverage"), Endpoint(.post, "/fapi/v1/marginType"),
        Endpoint(.post, "/fapi/v1/positionSide/dual"), Endpoint(.post, "/fapi/v1/multiAssetsMargin"),
        positionMargin, Endpoint(.post, "/fapi/v1/countdownCancelAll"),
    ]

    /// §3.1 G: moving isolated margin in or out of a position. The Binance module denies it and it cannot
    /// be opted into.
    package static let positionMargin = Endpoint(.post, "/fapi/v1/positionMargin")

    /// §3.1 G without ``positionMargin``: refused by default, allowed once the user opts in.
    package static let optIn: [Endpoint] = configuration.filter { $0 != positionMargin }

    /// What the Binance module refuses whatever the user allows: §3.1 A–F and ``positionMargin``.
    package static let alwaysDenied: [Endpoint] = denied + [positionMargin]
}
