import Testing

@testable import TradeOnly

@Suite("Symbol refusals")
struct SymbolRefusalTests {
    static let supported = "spot markets (BTC/USDT) and USDT-settled linear perpetuals (BTC/USDT:USDT)"

    @Test("a valid unified symbol a client does not trade is called valid, with what the client trades")
    func validButUnsupported() {
        let error = Symbol("BTC/USDT:USDC").refusal(by: "TradeOnly's Bybit client", supported: Self.supported, exchange: "bybit")
        #expect(error.kind == .invalidRequest)
        #expect(error.rule == Instrument.Rule.symbol)
        #expect(error.symbol == "BTC/USDT:USDC")
        #expect(
            error.message
                == "BTC/USDT:USDC is a valid unified symbol (a perpetual on BTC/USDT settled in USDC), but TradeOnly's Bybit client does not trade it; it trades spot markets (BTC/USDT) and USDT-settled linear perpetuals (BTC/USDT:USDT)"
        )
        #expect(!error.message.contains("not a unified symbol"))
        let inverse = Symbol("BTC/USD:BTC").refusal(by: "TradeOnly's Bybit client", supported: Self.supported, exchange: "bybit")
        #expect(inverse.message.hasPrefix("BTC/USD:BTC is a valid unified symbol (an inverse perpetual on BTC/USD settled in its base asset)"))
    }

    @Test("a malformed symbol is called malformed, with the spellings to use", arguments: ["BTCUSDT", "BTC/USDT:", "BTC-USDT", "/USDT"])
    func malformed(text: String) {
        let error = Symbol(text).refusal(by: "TradeOnly's Binance client", supported: Self.supported, exchange: "binance")
        #expect(error.kind == .invalidRequest)
        #expect(error.message.hasPrefix("'\(Symbol(text).rawValue)' is not a unified symbol: write spot markets as BASE/QUOTE (BTC/USDT)"))
        #expect(error.message.hasSuffix("TradeOnly's Binance client trades \(Self.supported)"))
    }

    @Test("an exchange's unknown-symbol answer gets the symbol and the id it was sent as")
    func namingAnUnknownSymbol() async throws {
        let answer = ExchangeError(
            .invalidRequest, message: "Binance does not know the symbol in GET /api/v3/depth (Invalid symbol.)",
            exchange: "binance", code: "-1121")
        do {
            let _: Int = try await Symbol("FOO/USDT").naming(sentAs: "FOOUSDT") { throw answer }
            Issue.record("the error was swallowed")
        } catch let error as ExchangeError {
            #expect(error.message == "FOO/USDT (sent as FOOUSDT): Binance does not know the symbol in GET /api/v3/depth (Invalid symbol.)")
            #expect(error.symbol == "FOO/USDT")
            #expect(error.code == "-1121")
        }
        // TradeOnly's own refusals (no exchange code) and other kinds pass unchanged.
        let local = ExchangeError(.rateLimited, message: "wait", exchange: "binance", code: "-1003")
        do {
            let _: Int = try await Symbol("FOO/USDT").naming(sentAs: "FOOUSDT") { throw local }
        } catch let error as ExchangeError {
            #expect(error.message == "wait")
        }
    }

    @Test("an endpoint not on the allow-list names the configuration property that allows it, with the rule to add")
    func notAllowedNamesTheConfiguration() throws {
        let policy = EndpointPolicy(allowing: [.exact(.get, "/api/v3/time")], exchange: "binance")
        do {
            try policy.check(method: .post, path: "/fapi/v1/leverage")
            Issue.record("the endpoint was allowed")
        } catch let error as ExchangeError {
            #expect(error.kind == .policyViolation)
            #expect(error.message.contains("configuration.additionalAllowedEndpoints = [.exact(.post, \"/fapi/v1/leverage\")]"), "\(error.message)")
            #expect(!error.message.contains("EndpointPolicy.allowing(_:)"))
        }
    }
}
