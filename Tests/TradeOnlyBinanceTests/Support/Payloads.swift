import Foundation
import TradeOnlyTestSupport

/// The recorded payloads of this test target (its `Payloads/` folder), read by the one loader of
/// TradeOnlyTestSupport: `try payloads.response("spot-depth.json")`.
let payloads = PayloadLoader(bundle: .module)
