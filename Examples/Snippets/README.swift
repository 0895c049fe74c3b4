// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift sample of README.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function marked `// sample`, so that it compiles without running. Imports are at the top. Keep the
// two in step: TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import TradeOnly
import TradeOnlyBinance

func readmeFirstLook() async throws {  // sample
    let binance = Binance(environment: .testnet, transport: URLSessionTransport())
    // The spot testnet cannot report a key's permissions, so accepting its keys must be said out loud.
    // On .live and on Bybit, `policy: .tradeOnly` verifies the key and refuses one that can withdraw.
    let policy = KeyPolicy.tradeOnly
        .requiring([.spotTrade])
        .acceptingUnverifiable(reason: "spot testnet key, checked by hand on testnet.binance.vision")
    do {
        let credentials = try Credentials.environment(prefix: "BINANCE")   // BINANCE_API_KEY, BINANCE_API_SECRET
        let key = try await SafeKey.verify(credentials, using: binance.keyInspector, policy: policy)
        let client = binance.client(key)
        let btc = try await client.instrument("BTC/USDT")
        // Money is Decimal: from a string or an integer, never from a floating-point literal.
        let order = try await client.place(btc.rounded(.limit(.buy, btc.symbol, quantity: Decimal(exactly: "0.001")!, price: 30_000)))
        print(order)   // BUY 0.001 BTC/USDT @ 30000 (limit, GTC) new 0/0.001 #… [to…]
    } catch {
        print(error)   // what went wrong and what to change; never a secret
        exit(1)
    }
}  // sample
