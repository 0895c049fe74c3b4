import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance

/// The names issue 11 replaced still work for one release, each forwarding to its new name.
@Suite("Deprecated names forward to the new ones")
struct DeprecatedNamesTests {
    @Test("BinancePolicy forwards to Binance's statics")
    @available(*, deprecated, message: "tests the deprecated alias")
    func policyNamespace() {
        #expect(BinancePolicy.builtIn == Binance.builtInPolicy)
        #expect(BinancePolicy.allowed == Binance.allowedEndpoints)
        #expect(BinancePolicy.denied == Binance.deniedEndpoints)
        #expect(BinancePolicy.withdrawalReason == Binance.withdrawalReason)
        #expect(BinancePolicy.policy(allowing: []) == Binance.policy(allowing: []))
    }

    @Test("Configuration.recvWindow and init(recvWindow:) are receiveWindow")
    @available(*, deprecated, message: "tests the deprecated alias")
    func receiveWindow() {
        var configuration = Binance.Configuration(recvWindow: 3000)
        #expect(configuration.receiveWindow == 3000)
        configuration.recvWindow = 4000
        #expect(configuration.receiveWindow == 4000 && configuration.common.receiveWindow == 4000)
        #expect(Binance.Configuration.recvWindowRange == Binance.Configuration.receiveWindowRange)
    }

    @Test("Binance.RateLimitUsage is Binance.RateLimitHeaders")
    @available(*, deprecated, message: "tests the deprecated alias")
    func rateLimitHeaders() {
        let headers: Binance.RateLimitUsage = Binance.RateLimitHeaders()
        #expect(headers.spot.usedWeight.isEmpty)
    }

    @Test("Environment is a struct: name is the display name, keyEnvironment the name keys are verified for")
    func environment() throws {
        let local = Binance.Environment.local(try #require(URL(string: "http://127.0.0.1:8080")))
        #expect(local.name == "local" && local.keyEnvironment == "local")
        #expect(local.description == "local(http://127.0.0.1:8080)")
        #expect(Binance.Environment.live.keyEnvironment == "live" && Binance.Environment.demo.name == "demo")
        #expect(local != .live)
    }
}
