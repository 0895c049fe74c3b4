import Testing
import TradeOnly

@Suite("Rate-limit governor", .timeLimit(.minutes(1)))
struct RateLimitGovernorTests {
    @Test("a 418 bans the host: later requests to it fail locally with .banned until the ban ends; other hosts go on")
    func banStopsEveryRequestToTheHost() async throws {
        let banned = LockedValue(true)
        let exchange = FakeExchange { request, _ in
            if request.url.host == "api.example.com" && banned.current { return FakeExchange.status(418, retryAfter: 120) }
            return FakeExchange.ok()
        }
        let first = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.ticker) }
        #expect(first?.kind == .banned)
        #expect(exchange.requests(to: "/api/v3/ticker").count == 1, "a ban is not retried")
        let bannedUntil = FakeExchange.start.addingTimeInterval(120)
        #expect(exchange.governor.usage(forHost: "api.example.com").bannedUntil == bannedUntil)

        exchange.transport.removeAllRequests()
        banned.withLock { $0 = false } // even if the exchange would answer, nothing may be sent
        for request in [FakeExchange.ticker, FakeExchange.order, FakeExchange.ticker] {
            let error = await exchangeError { _ = try await exchange.pipeline.send(request) }
            #expect(error?.kind == .banned)
            #expect(error?.bannedUntil == bannedUntil)
            #expect(error?.exchange == FakeExchange.name)
        }
        #expect(exchange.transport.requests.isEmpty, "zero requests while the host is banned")

        // Another host is not affected.
        let futures = try await exchange.pipeline.send(FakeExchange.futuresTicker)
        #expect(futures.status == 200)
        #expect(exchange.transport.requests.count == 1)

        // After the ban, requests flow again.
        exchange.time.advance(by: 121)
        let after = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(after.status == 200)
        #expect(exchange.governor.usage(forHost: "api.example.com").bannedUntil == nil)
    }

    @Test("a ban the classifier reports in the body (not a 418) bans the host too")
    func bodyLevelBan() async throws {
        let governor = RateLimitGovernor(timeSource: FixedTimeSource(FakeExchange.start))
        governor.ban(host: "API.example.com", until: FakeExchange.start.addingTimeInterval(600))
        let error = await exchangeError { try await governor.acquire(host: "api.example.com") }
        #expect(error?.kind == .banned)
        // An earlier end never shortens a ban.
        governor.ban(host: "api.example.com", until: FakeExchange.start.addingTimeInterval(10))
        #expect(governor.usage(forHost: "api.example.com").bannedUntil == FakeExchange.start.addingTimeInterval(600))
    }

    @Test("the weight budget delays a request rather than exceed it")
    func weightBudgetDelays() async throws {
        let sent = LockedValue<[(Date, Int)]>([])
        let exchange = FakeExchange(limits: ["api.example.com": .init(weight: 10, per: 60)]) { request, time in
            let weight =
                Int(
                    URLComponents(url: request.url, resolvingAgainstBaseURL: false)?
                        .queryItems?.first { $0.name == "w" }?.value ?? "1") ?? 1
            sent.withLock { $0.append((time.now(), weight)) }
            return FakeExchange.ok()
        }
        for index in 0..<7 {
            let request = ExchangeRequest(
                method: .get, path: "/api/v3/depth", parameters: ["w": "4", "i": "\(index)"], weight: 4)
            _ = try await exchange.pipeline.send(request)
            exchange.time.advance(by: 5)
        }
        let log = sent.current
        #expect(log.count == 7)
        // At no moment did the weight sent in any 60-second window exceed 10.
        for (time, _) in log {
            let inWindow = log.filter { $0.0 <= time && $0.0 > time.addingTimeInterval(-60) }.reduce(0) { $0 + $1.1 }
            #expect(inWindow <= 10, "weight \(inWindow) in the window ending \(time)")
        }
        #expect(!exchange.sleeper.sleeps.isEmpty, "the governor waited instead")
        #expect(exchange.governor.usage(forHost: "api.example.com").usedWeight <= 10)
        // The third request had to wait for the first to leave the window.
        #expect(log[2].0 >= log[0].0.addingTimeInterval(60))
    }

    @Test("a wait over a second is logged at info, with the host, the wait and the budget; a shorter one at debug")
    func waitsAreLogged() async throws {
        let time = FixedTimeSource(FakeExchange.start)
        let sink = InMemoryLogSink()
        let governor = RateLimitGovernor(
            limits: ["api.example.com": .init(weight: 10, per: 60)], timeSource: time, sleeper: AdvancingSleeper(time),
            logger: TradeOnlyLogger(sink: sink, minimumLevel: .debug))
        try await governor.acquire(host: "api.example.com", weight: 10)
        #expect(sink.events.isEmpty, "no wait, nothing logged")
        try await governor.acquire(host: "api.example.com", weight: 1) // waits the whole window
        let long = try #require(sink.events.first)
        #expect(long.level == .info)
        #expect(
            long.message == "waiting 60.000 s for the rate limit of api.example.com (budget 10 weight per 60.000 s, and what the exchange reports)")
        #expect(long.metadata["tradeonly.wait"] == "60.000")
        #expect(long.metadata["tradeonly.budget"] == "10 per 60.0 s")

        sink.removeAll()
        governor.pause(host: "api.example.com", for: 0.5)
        try await governor.acquire(host: "api.example.com", weight: 1)
        let short = try #require(sink.events.first)
        #expect(short.level == .debug)
        #expect(short.message == "waiting 0.500 s for the rate limit of api.example.com (the exchange asked for a pause (HTTP 429))")
    }

    @Test("a wait longer than the governor accepts is refused locally, with the wait as advice")
    func tooLongWaitIsRefused() async throws {
        let exchange = FakeExchange(limits: ["api.example.com": .init(weight: 5, per: 60)], maximumWait: 10) { _, _ in
            FakeExchange.ok()
        }
        _ = try await exchange.pipeline.send(ExchangeRequest(method: .get, path: "/api/v3/depth", weight: 5))
        exchange.transport.removeAllRequests()
        let error = await exchangeError {
            _ = try await exchange.pipeline.send(ExchangeRequest(method: .get, path: "/api/v3/depth", weight: 1))
        }
        #expect(error?.kind == .rateLimited)
        #expect(exchange.transport.requests.isEmpty)
        if case .retryAfter(let seconds) = error?.retry {
            #expect(abs(seconds - 60) < 0.001)
        } else {
            Issue.record("expected retry-after advice, got \(String(describing: error?.retry))")
        }
    }

    @Test("usage headers update the usage, and the exchange's higher count governs")
    func usageHeadersUpdateUsage() async throws {
        let reader: RateLimitGovernor.UsageReader = { response, host, _ in
            guard let used = response.headers["X-Test-Used-Weight-1M"].flatMap({ Int($0) }) else { return [] }
            return [.usedWeight(used, limit: nil, window: 60)]
        }
        let exchange = FakeExchange(limits: ["api.example.com": .init(weight: 100, per: 60)], readUsage: reader) { _, _ in
            FakeExchange.ok(headers: ["X-Test-Used-Weight-1M": "97"])
        }
        _ = try await exchange.pipeline.send(FakeExchange.ticker)
        var usage = exchange.governor.usage(forHost: "api.example.com")
        #expect(usage.reportedUsedWeight == 97)
        #expect(usage.usedWeight == 97)
        #expect(usage.limit == 100)
        #expect(usage.window == 60)

        // 97 used of 100: a request of weight 5 must wait for the exchange's window to pass.
        let start = exchange.time.now()
        _ = try await exchange.pipeline.send(ExchangeRequest(method: .get, path: "/api/v3/depth", weight: 5))
        #expect(exchange.time.now().timeIntervalSince(start) >= 60)
        usage = exchange.governor.usage(forHost: "api.example.com")
        #expect(usage.reportedUsedWeight == 97) // the latest response's header, fresh again
    }

    @Test("a per-endpoint remaining count of zero waits until its reset")
    func endpointRemainingWaitsForReset() async throws {
        let reader: RateLimitGovernor.UsageReader = { response, host, path in
            guard let remaining = response.headers["X-Test-Limit-Status"].flatMap({ Int($0) }),
                let reset = response.headers["X-Test-Limit-Reset"].flatMap({ Double($0) })
            else { return [] }
            return [
                .remaining(
                    remaining, limit: 10, resetAt: Date(timeIntervalSince1970: reset / 1000),
                    key: RateLimitGovernor.key(host: host, path: path))
            ]
        }
        let resetAt = FakeExchange.start.addingTimeInterval(1.5)
        let exchange = FakeExchange(readUsage: reader) { _, _ in
            FakeExchange.ok(headers: [
                "X-Test-Limit-Status": "0",
                "X-Test-Limit-Reset": "\(Int64(resetAt.timeIntervalSince1970 * 1000))",
            ])
        }
        _ = try await exchange.pipeline.send(FakeExchange.order)
        let key = RateLimitGovernor.key(host: "api.example.com", path: "/api/v3/order")
        #expect(exchange.governor.remaining(forKey: key) == 0)
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.time.now() >= resetAt, "the second order waited for the endpoint's reset")
        // Other endpoints on the host did not wait.
        let before = exchange.time.now()
        _ = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(exchange.time.now() == before)
    }

    @Test("a 429 pauses every request to the host for Retry-After")
    func tooManyRequestsPausesTheHost() async throws {
        let calls = Counter()
        let exchange = FakeExchange(retryPolicy: .none) { request, _ in
            calls.next() == 1 ? FakeExchange.status(429, retryAfter: 7) : FakeExchange.ok()
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.ticker) }
        #expect(error?.kind == .rateLimited)
        #expect(exchange.governor.usage(forHost: "api.example.com").pausedUntil == FakeExchange.start.addingTimeInterval(7))
        let start = exchange.time.now()
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.time.now().timeIntervalSince(start) >= 7)
    }

    @Test("a body-level rate limit holds back that endpoint only")
    func bodyLevelRateLimit() async throws {
        let calls = Counter()
        let exchange = FakeExchange(retryPolicy: .none) { request, _ in
            request.url.path == "/api/v3/order" && calls.next() == 1 ? FakeExchange.ok(#"{"code":-1003}"#) : FakeExchange.ok()
        }
        let error = await exchangeError { _ = try await exchange.pipeline.send(FakeExchange.order) }
        #expect(error?.kind == .rateLimited)
        let before = exchange.time.now()
        _ = try await exchange.pipeline.send(FakeExchange.ticker)
        #expect(exchange.time.now() == before)
        _ = try await exchange.pipeline.send(FakeExchange.order)
        #expect(exchange.time.now().timeIntervalSince(before) >= 2)
    }

    @Test("a governor is shared: a ban seen by one pipeline stops another built with the same governor")
    func sharedGovernor() async throws {
        let time = FixedTimeSource(FakeExchange.start)
        let governor = RateLimitGovernor(timeSource: time, sleeper: AdvancingSleeper(time))
        governor.observe(FakeExchange.status(418, retryAfter: 300), host: "api.example.com")
        #expect(governor.usage(forHost: "api.example.com").isBanned)
        #expect(governor.usage(forHost: "api.example.com").nextAllowedAt == FakeExchange.start.addingTimeInterval(300))
        #expect(!governor.usage(forHost: "fapi.example.com").isBanned)
    }

    @Test("concurrent requests share the budget without exceeding it")
    func concurrentAcquire() async throws {
        let time = FixedTimeSource(FakeExchange.start)
        let governor = RateLimitGovernor(
            limits: ["h": .init(weight: 10, per: 1)], maximumWait: 1000, timeSource: time, sleeper: AdvancingSleeper(time))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 { group.addTask { try await governor.acquire(host: "h", weight: 1) } }
            try await group.waitForAll()
        }
        #expect(governor.usage(forHost: "h").usedWeight <= 10)
    }
}
