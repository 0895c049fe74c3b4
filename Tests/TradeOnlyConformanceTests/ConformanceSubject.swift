import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator

/// One exchange module under the conformance suite: how to build its clients, against the simulator
/// or a canned transport, and the few facts about it the suite needs (its simulator dialect, its
/// client-order-id rule, the exchange's own answer to an order it does not know).
///
/// A new module is done when it passes the suite unchanged: add one static member here (`okx`,
/// `gate`…) and list it in ``all``.
struct ConformanceSubject: Sendable, CustomTestStringConvertible {
    /// The exchange's name, as clients report it.
    let name: String
    /// The simulator's dialect for this exchange.
    let dialect: Dialect
    /// The module's client-order-id rule.
    let clientOrderIDRule: ClientOrderID.Rule
    /// Makes the module's exchange value on a base URL, a transport, a fixed clock (which its sleeper
    /// advances, so that no wait takes real time) and a retry policy.
    let connect:
        @Sendable (
            _ baseURL: URL, _ transport: any HTTPTransport, _ time: FixedTimeSource, _ retryPolicy: RetryPolicy
        ) -> Connection
    /// The exchange's answers, word for word, when asked to cancel and to look up an order it does not
    /// know (from the exchanges' references): served by a canned transport.
    let unknownOrderAnswers: [CannedTransport.Route: HTTPResponse]

    /// What the suite does with an exchange value.
    struct Connection: Sendable {
        /// Verifies credentials with the module's key inspector.
        let verify: @Sendable (Credentials) async throws -> SafeKey
        /// Makes a client for a verified key.
        let client: @Sendable (SafeKey) -> any ExchangeClient
    }

    var testDescription: String { name }

    /// Every exchange module.
    static let all: [ConformanceSubject] = [.binance, .bybit]

    static let binance = ConformanceSubject(
        name: "binance", dialect: .binance, clientOrderIDRule: BinanceClient.clientOrderIDRule,
        connect: { url, transport, time, retryPolicy in
            var configuration = Binance.Configuration()
            configuration.retryPolicy = retryPolicy
            let binance = Binance(
                environment: .local(url), transport: transport, timeSource: time, configuration: configuration,
                sleeper: AdvancingSleeper(time))
            return Connection(
                verify: { try await SafeKey.verify($0, using: binance.keyInspector) }, client: { binance.client($0) })
        },
        unknownOrderAnswers: [
            .init(.delete, "/api/v3/order"): .json(400, #"{"code":-2011,"msg":"Unknown order sent."}"#),
            .init(.get, "/api/v3/order"): .json(400, #"{"code":-2013,"msg":"Order does not exist."}"#),
        ])

    static let bybit = ConformanceSubject(
        name: "bybit", dialect: .bybit, clientOrderIDRule: BybitClient.clientOrderIDRule,
        connect: { url, transport, time, retryPolicy in
            var configuration = Bybit.Configuration()
            configuration.retryPolicy = retryPolicy
            let bybit = Bybit(
                environment: .local(url), transport: transport, timeSource: time, sleeper: AdvancingSleeper(time),
                configuration: configuration)
            return Connection(
                verify: { try await SafeKey.verify($0, using: bybit.keyInspector) }, client: { bybit.client($0) })
        },
        unknownOrderAnswers: [
            .init(.post, "/v5/order/cancel"): .json(
                200, #"{"retCode":170213,"retMsg":"Order does not exist.","result":{},"retExtInfo":{},"time":1700000000000}"#),
            .init(.get, "/v5/order/realtime"): .json(
                200, #"{"retCode":0,"retMsg":"OK","result":{"list":[],"nextPageCursor":"","category":"spot"},"retExtInfo":{},"time":1700000000000}"#),
            .init(.get, "/v5/order/history"): .json(
                200, #"{"retCode":0,"retMsg":"OK","result":{"list":[],"nextPageCursor":"","category":"spot"},"retExtInfo":{},"time":1700000000000}"#),
        ])
}

extension HTTPResponse {
    /// A JSON answer.
    static func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
    }
}
