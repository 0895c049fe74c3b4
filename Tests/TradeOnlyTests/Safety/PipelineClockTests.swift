import Testing
import TradeOnly

@Suite("Pipeline clock", .timeLimit(.minutes(1)))
struct PipelineClockTests {
    @Test("the clock is synchronised before the first signed request, which carries the exchange's time")
    func syncBeforeFirstSignedCall() async throws {
        let exchange = FakeExchange(serverOffset: 2.5) { _, _ in FakeExchange.ok() }
        #expect(exchange.clock.offset == nil)
        _ = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(exchange.requests(to: "/api/v3/time").isEmpty, "public requests need no clock")

        _ = try await exchange.pipeline.send(FakeExchange.order)
        let paths = exchange.transport.requests.map(\.url.path)
        #expect(paths == ["/api/v3/ticker", "/api/v3/time", "/api/v3/time", "/api/v3/time", "/api/v3/order"])
        let offset = try #require(exchange.clock.offset)
        #expect(abs(offset - 2.5) < 0.002)
        let timestamp = try #require(exchange.timestamps(to: "/api/v3/order").first)
        let expected = Int64((exchange.time.now().timeIntervalSince1970 + 2.5) * 1000)
        #expect(abs(timestamp - expected) <= 2)

        // A second signed request does not sync again.
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.requests(to: "/api/v3/time").count == 3)
    }

    @Test("the clock is resynchronised once the measurement is older than the resync interval")
    func resyncAfterInterval() async throws {
        let exchange = FakeExchange(resyncInterval: 60) { _, _ in FakeExchange.ok() }
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.requests(to: "/api/v3/time").count == 3)
        exchange.time.advance(by: 59)
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.requests(to: "/api/v3/time").count == 3)
        exchange.time.advance(by: 2)
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.requests(to: "/api/v3/time").count == 6)
        #expect(exchange.clock.lastSyncedAt == exchange.time.now())
    }

    @Test(
        "a clock error resyncs and re-signs the request once, whatever the retry policy",
        arguments: [RetryPolicy.none, .standard])
    func clockErrorResyncsAndRetriesOnce(policy: RetryPolicy) async throws {
        let posts = Counter()
        let exchange = FakeExchange(retryPolicy: policy) { request, time in
            if request.url.path == "/api/v3/order" && posts.next() == 1 {
                time.advance(by: 0.5)
                return HTTPResponse(status: 400, body: Data(#"{"code":-1021,"msg":"Timestamp outside recvWindow"}"#.utf8))
            }
            return FakeExchange.ok()
        }
        let response = try await exchange.pipeline.send(FakeExchange.order)
        #expect(response.status == 200)
        let paths = exchange.transport.requests.map(\.url.path)
        #expect(
            paths == [
                "/api/v3/time", "/api/v3/time", "/api/v3/time", "/api/v3/order",
                "/api/v3/time", "/api/v3/time", "/api/v3/time", "/api/v3/order",
            ])
        let timestamps = exchange.timestamps(to: "/api/v3/order")
        #expect(timestamps.count == 2 && timestamps[0] != timestamps[1], "re-signed with a fresh timestamp")
    }

    @Test("a clock error that persists is retried once only, then reported")
    func persistentClockErrorIsReported() async throws {
        let posts = Counter()
        let exchange = FakeExchange(retryPolicy: RetryPolicy(maximumAttempts: 50)) { request, _ in
            // Persistent, but not forever: a loop that retried clock errors blindly ends and fails here.
            posts.next() <= 10 ? HTTPResponse(status: 400, body: Data(#"{"code":-1021}"#.utf8)) : FakeExchange.ok()
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .timestampOutOfWindow)
        #expect(exchange.requests(to: "/api/v3/order").count == 2)
        #expect(exchange.requests(to: "/api/v3/time").count == 6)
    }

    @Test("a large clock offset is logged as a warning")
    func largeOffsetWarns() async throws {
        let exchange = FakeExchange(serverOffset: -3) { _, _ in FakeExchange.ok() }
        try await exchange.pipeline.synchronizeClock()
        let warnings = exchange.sink.events.filter { $0.level == .warning }
        #expect(warnings.contains { $0.message.contains("ahead of") })
    }
}
