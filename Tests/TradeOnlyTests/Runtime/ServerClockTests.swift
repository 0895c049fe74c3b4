import Testing
import TradeOnly

/// A fake exchange whose clock runs `trueOffset` seconds ahead of a `FixedTimeSource`, and whose
/// request and response legs take scripted times.
final class FakeExchangeServer: Sendable {
    struct Leg: Sendable {
        var request: TimeInterval
        var response: TimeInterval
    }

    struct Failure: Error {}

    let local: FixedTimeSource
    let trueOffset: TimeInterval
    private let script: LockedValue<[Leg]>
    private let calls = LockedValue(0)
    private let failing = LockedValue(false)

    init(local: FixedTimeSource, trueOffset: TimeInterval, legs: [Leg]) {
        self.local = local
        self.trueOffset = trueOffset
        self.script = LockedValue(legs)
    }

    var callCount: Int { calls.current }

    func fail(_ shouldFail: Bool) { failing.withLock { $0 = shouldFail } }

    /// Answers like `GET /api/v3/time`: the request leg elapses, the server reads its clock, the
    /// response leg elapses.
    @Sendable func serverTime() async throws -> Date {
        calls.withLock { $0 += 1 }
        if failing.current { throw Failure() }
        let leg = script.withLock { legs in legs.isEmpty ? Leg(request: 0.05, response: 0.05) : legs.removeFirst() }
        local.advance(by: leg.request)
        let answer = local.now().addingTimeInterval(trueOffset)
        local.advance(by: leg.response)
        return answer
    }
}

@Suite("ServerClock")
struct ServerClockTests {
    let start = Date(timeIntervalSince1970: 1_499_827_319.559)

    @Test("measures the offset with round-trip compensation")
    func roundTripCompensation() async throws {
        let local = FixedTimeSource(start)
        let server = FakeExchangeServer(local: local, trueOffset: 2.0, legs: [.init(request: 0.2, response: 0.2)])
        let clock = ServerClock(timeSource: local)
        try await clock.sync(using: server.serverTime, samples: 1)
        let offset = try #require(clock.offset)
        #expect(abs(offset - 2.0) < 1e-6)
        #expect(abs((clock.roundTripTime ?? 0) - 0.4) < 1e-6)
        #expect(clock.lastSyncedAt == start.addingTimeInterval(0.4))
    }

    @Test("keeps the sample with the smallest round trip")
    func smallestRoundTripWins() async throws {
        let local = FixedTimeSource(start)
        // Asymmetric legs bias the midpoint estimate by (request − response) / 2; the tight sample has none.
        let server = FakeExchangeServer(
            local: local, trueOffset: -1.5,
            legs: [
                .init(request: 0.9, response: 0.1), // offset estimate −1.1, RTT 1.0
                .init(request: 0.02, response: 0.02), // offset estimate −1.5, RTT 0.04
                .init(request: 0.05, response: 0.45), // offset estimate −1.7, RTT 0.5
            ])
        let clock = ServerClock(timeSource: local)
        try await clock.sync(using: server.serverTime, samples: 3)
        #expect(server.callCount == 3)
        #expect(abs((clock.offset ?? 0) + 1.5) < 1e-6)
        #expect(abs((clock.roundTripTime ?? 0) - 0.04) < 1e-6)
    }

    @Test("now() and the timestamps apply the offset")
    func nowAppliesOffset() async throws {
        let local = FixedTimeSource(start)
        let clock = ServerClock(timeSource: local)
        #expect(clock.offset == nil)
        #expect(clock.now() == start)
        #expect(clock.timestampMilliseconds() == 1_499_827_319_559)

        let server = FakeExchangeServer(local: local, trueOffset: 2.5, legs: [.init(request: 0, response: 0)])
        try await clock.sync(using: server.serverTime, samples: 1)
        local.set(start)
        #expect(abs(clock.now().timeIntervalSince(start) - 2.5) < 1e-6)
        #expect(clock.timestampMilliseconds() == 1_499_827_322_059)
        #expect(clock.timestampSeconds() == 1_499_827_322)
    }

    @Test("needs a sync before the first, after the interval, and after invalidate")
    func needsSync() async throws {
        let local = FixedTimeSource(start)
        let server = FakeExchangeServer(local: local, trueOffset: 1, legs: [])
        let clock = ServerClock(timeSource: local, resyncInterval: 300)
        #expect(clock.needsSync)
        try await clock.sync(using: server.serverTime)
        #expect(!clock.needsSync)
        local.advance(by: 299)
        #expect(!clock.needsSync)
        local.advance(by: 1)
        #expect(clock.needsSync)

        try await clock.sync(using: server.serverTime)
        #expect(!clock.needsSync)
        clock.invalidate()
        #expect(clock.needsSync)
        #expect(clock.offset != nil, "the offset stays in use until the next sync")
        try await clock.sync(using: server.serverTime)
        #expect(!clock.needsSync)

        local.advance(by: -10)
        #expect(clock.needsSync, "a local clock that moved back makes the measurement suspect")
    }

    @Test("a failing fetch throws and leaves the previous measurement in place")
    func errorsPropagate() async throws {
        let local = FixedTimeSource(start)
        let server = FakeExchangeServer(local: local, trueOffset: 3, legs: [.init(request: 0.1, response: 0.1)])
        let clock = ServerClock(timeSource: local)
        try await clock.sync(using: server.serverTime, samples: 1)
        let offset = clock.offset
        let syncedAt = clock.lastSyncedAt
        let roundTrip = clock.roundTripTime

        server.fail(true)
        local.advance(by: 400)
        await #expect(throws: FakeExchangeServer.Failure.self) {
            try await clock.sync(using: server.serverTime)
        }
        #expect(clock.offset == offset)
        #expect(clock.lastSyncedAt == syncedAt)
        #expect(clock.roundTripTime == roundTrip)
        #expect(clock.needsSync)

        server.fail(false)
        try await clock.sync(using: server.serverTime)
        #expect(!clock.needsSync)
    }

    @Test("a failure before any sync leaves the clock unsynchronised")
    func errorBeforeFirstSync() async {
        let local = FixedTimeSource(start)
        let server = FakeExchangeServer(local: local, trueOffset: 3, legs: [])
        server.fail(true)
        let clock = ServerClock(timeSource: local)
        await #expect(throws: FakeExchangeServer.Failure.self) { try await clock.sync(using: server.serverTime) }
        #expect(clock.offset == nil)
        #expect(clock.needsSync)
        #expect(clock.now() == local.now())
    }

    @Test("zero or negative sample counts take one sample")
    func sampleCountClamped() async throws {
        let local = FixedTimeSource(start)
        let server = FakeExchangeServer(local: local, trueOffset: 1, legs: [])
        let clock = ServerClock(timeSource: local)
        try await clock.sync(using: server.serverTime, samples: 0)
        #expect(server.callCount == 1)
    }

    @Test("concurrent callers share one in-flight sync")
    func sharedSync() async throws {
        let gate = Gate()
        let fetches = LockedValue(0)
        let clock = ServerClock(timeSource: .system)
        let entered = LockedValue(0)
        let fetch: @Sendable () async throws -> Date = {
            fetches.withLock { $0 += 1 }
            await gate.wait()
            return Date().addingTimeInterval(10)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    entered.withLock { $0 += 1 }
                    try await clock.sync(using: fetch, samples: 3)
                }
            }
            while entered.current < 5 { await Task.yield() }
            try await Task.sleep(for: .milliseconds(200))
            await gate.open()
            try await group.waitForAll()
        }
        #expect(fetches.current == 3)
        #expect(abs((clock.offset ?? 0) - 10) < 1)
    }

    @Test("the system time source reads the system clock")
    func systemTimeSource() {
        let before = Date()
        let now = SystemTimeSource().now()
        #expect(now >= before)
        #expect(now.timeIntervalSince(before) < 5)
    }

    @Test("the fixed time source moves only when told")
    func fixedTimeSource() {
        let time = FixedTimeSource(start)
        #expect(time.now() == start)
        time.advance(by: 1.5)
        #expect(time.now() == start.addingTimeInterval(1.5))
        time.set(start)
        #expect(time.now() == start)
    }
}

/// Holds waiters until opened; later waiters pass straight through.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}
