// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift samples of Documentation/SafetyModel.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function marked `// sample`, so that it compiles without running. Imports are at the top. Keep the
// two in step: TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import TradeOnly
import TradeOnlyBinance

func safetyModelAFundMovingAllowanceRefusesEveryKey() throws {  // sample
    let policy = KeyPolicy.tradeOnly.allowing(.withdraw)
    print(policy.violations(for: KeyReport(exchange: "binance", permissions: [.read, .spotTrade])))
    // [the policy tries to allow the 'Withdraw' permission, which moves funds: TradeOnly never accepts
    //  a key that can move funds; remove .allowing(.withdraw)]
}  // sample

func safetyModelAddAnAllowRule() throws {  // sample
    var configuration = Binance.Configuration()
    // Changing leverage is not on the built-in allow-list: it changes risk, not who owns the funds.
    configuration.additionalAllowedEndpoints = [.exact(.post, "/fapi/v1/leverage")]
    let binance = Binance(environment: .demo, transport: URLSessionTransport(), configuration: configuration)
    print(binance.endpointPolicy.decision(method: .post, path: "/fapi/v1/leverage"))
}  // sample

func safetyModelAddAnEndpointWithItsParameters() throws {  // sample
    var configuration = Binance.Configuration()
    configuration.additionalAllowedEndpoints = [
        .exact(.get, "/api/v3/allOrders").accepting("symbol", "startTime", "endTime", "limit"),
    ]
    print(configuration.additionalAllowedEndpoints)   // [GET /api/v3/allOrders]
}  // sample

func tryToWithdraw(with client: some ExchangeClient) async throws {
    let request = ExchangeRequest(
        method: .post, path: "/sapi/v1/capital/withdraw/apply",
        parameters: ["coin": "BTC", "address": "bc1q…", "amount": "1"], security: .signed)
    _ = try await client.perform(request)
}
// policyViolation (binance): TradeOnly refused POST /sapi/v1/capital/withdraw/apply: denied:
// withdrawals move funds off the account; TradeOnly never signs them (deny rule: any method
// /sapi/v1/capital/withdraw/**). No allow rule can override a deny rule.; do not retry
