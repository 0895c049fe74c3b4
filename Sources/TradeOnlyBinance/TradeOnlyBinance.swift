// TradeOnlyBinance: Binance spot and USDⓈ-M futures for trade-only keys.
//
// Start with `Binance`, verify a key with `binance.keyInspector`, then trade with `binance.client(key)`.
// The module follows the exchange-module template (Documentation/AddingAnExchange.md): `BinanceDialect`
// assembles what the core pipeline needs from the module's other files.
import TradeOnly
