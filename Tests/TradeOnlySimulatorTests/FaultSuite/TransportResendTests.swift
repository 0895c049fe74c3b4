import Foundation
import Testing
import TradeOnly
import TradeOnlySimulator

/// The duplicate the Binance fault run found over a real socket: libcurl (URLSession on Linux) sends a
/// request again when a reused keep-alive connection closes before any byte of the answer. For a
/// write the exchange executed, that is a second order. URLSessionTransport sends writes on a fresh
/// connection, which libcurl never retries that way.
@Suite("URLSessionTransport never sends a write twice")
struct TransportResendTests {
    @Test(
        "a POST on a warm keep-alive connection whose answer is lost reaches the exchange once",
        arguments: ["POST", "DELETE"])
    func writeNotResent(method: String) async throws {
        let exchange = SimulatedExchange.standard(for: .binance)
        let server = SimulatorServer(exchange: exchange, dialect: .binance)
        try server.start()
        defer { server.stop() }
        let transport = URLSessionTransport(configuration: .init(timeout: .seconds(30)))
        let base = server.baseURL.absoluteString
        // Warm a keep-alive connection.
        for _ in 0..<2 {
            let time = try await transport.send(HTTPRequest(method: .get, url: try #require(URL(string: base + "/api/v3/time"))))
            #expect(time.status == 200)
        }
        let before = await exchange.requestCount
        await exchange.setFaultPlan(FaultPlan().injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: method)))
        let write = HTTPRequest(
            method: HTTPMethod(rawValue: method) ?? .post,
            url: try #require(URL(string: base + "/api/v3/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001")))
        let error = try await #require(throws: HTTPTransportError.self) { try await transport.send(write) }
        #expect(error.requestMayHaveBeenSent)
        #expect(await exchange.requestCount == before + 1, "the exchange received the write exactly once")
        #expect(await exchange.faultsInjected == 1)
        // Reads still go through.
        let after = try await transport.send(HTTPRequest(method: .get, url: try #require(URL(string: base + "/api/v3/time"))))
        #expect(after.status == 200)
    }
}
