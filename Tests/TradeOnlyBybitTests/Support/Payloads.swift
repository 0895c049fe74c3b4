import Foundation
import TradeOnly
import TradeOnlyTestSupport

/// The recorded payloads of this test target (its `Payloads/` folder), read by the one loader of
/// TradeOnlyTestSupport: `try payloads.response("wallet-balance.json")`.
let payloads = PayloadLoader(bundle: .module)

extension HTTPResponse {
    /// A Bybit error envelope with `code` and `message`, written inline.
    static func bybitError(_ code: Int, _ message: String = "error", status: Int = 200) -> HTTPResponse {
        .json(
            #"{"retCode":\#(code),"retMsg":"\#(message)","result":{},"retExtInfo":{},"time":1672211918471}"#,
            status: status)
    }
}
