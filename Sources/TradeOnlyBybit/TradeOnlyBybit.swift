// TradeOnlyBybit: Bybit v5 (spot and USDT linear perpetuals on a unified trading account) for
// trade-only keys.
//
// Start with `Bybit`, verify a key with `bybit.keyInspector`, then trade with `bybit.client(key)`.
// The module follows the exchange-module template (Documentation/AddingAnExchange.md): `BybitDialect`
// assembles what the core pipeline needs from the module's other files.
import Foundation
import TradeOnly
