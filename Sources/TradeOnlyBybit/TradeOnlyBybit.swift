// TradeOnlyBybit: Bybit v5 (spot and USDT linear perpetuals on a unified trading account) for
// trade-only keys.
//
// Start with `Bybit`, verify a key with `bybit.keyInspector`, then trade with `bybit.client(key)`.
import Foundation
import TradeOnly
