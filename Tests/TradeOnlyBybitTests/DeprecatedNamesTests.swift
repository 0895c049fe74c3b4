import Foundation
import Testing
import TradeOnly
import TradeOnlyBybit

/// The names issue 11 replaced still work for one release, each forwarding to its new name.
@Suite("Deprecated names forward to the new ones")
struct DeprecatedNamesTests {
    @Test("bybit.policy is bybit.endpointPolicy")
    @available(*, deprecated, message: "tests the deprecated alias")
    func policy() {
        let bybit = Bybit(environment: .testnet, transport: MockTransport(always: HTTPResponse(status: 404)))
        #expect(bybit.policy == bybit.endpointPolicy)
        #expect(bybit.endpointPolicy == Bybit.builtInPolicy)
    }

    @Test("Configuration.recvWindow, init(recvWindow:) and maximumRecvWindow are the receive-window names")
    @available(*, deprecated, message: "tests the deprecated alias")
    func receiveWindow() {
        var configuration = Bybit.Configuration(recvWindow: 3000)
        #expect(configuration.receiveWindow == 3000)
        configuration.recvWindow = 90_000
        #expect(configuration.receiveWindow == 60_000, "still clamped")
        #expect(Bybit.Configuration.maximumRecvWindow == Bybit.Configuration.maximumReceiveWindow)
    }

    @Test("the shared configuration core keeps Bybit's clamp")
    func common() {
        var configuration = Bybit.Configuration(ExchangeConfiguration(receiveWindow: 0))
        #expect(configuration.receiveWindow == 1)
        configuration.common.receiveWindow = 70_000
        #expect(configuration.receiveWindow == 60_000)
    }
}
