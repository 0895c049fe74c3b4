import Foundation
import Testing

@testable import TradeOnly

/// A built-in inspector (it conforms to the package-only protocol) whose answers the test scripts:
/// each inspection takes the next answer, the last one repeats. It can be held at a gate.
struct ScriptedInspector: BuiltInKeyInspector {
    final class Script: Sendable {
        private let answers: LockedValue<[Result<KeyReport, ExchangeError>]>
        private let count = LockedValue(0)
        let gate = LockedValue<InspectionGate?>(nil)

        init(_ answers: [Result<KeyReport, ExchangeError>]) { self.answers = LockedValue(answers) }

        /// Replaces the answers to come.
        func answer(_ answers: Result<KeyReport, ExchangeError>...) { self.answers.withLock { $0 = answers } }

        /// How many inspections were made.
        var calls: Int { count.current }

        func next() async throws -> KeyReport {
            count.withLock { $0 += 1 }
            if let gate = gate.current { await gate.wait() }
            let answer = answers.withLock { queue -> Result<KeyReport, ExchangeError>? in
                guard let first = queue.first else { return nil }
                if queue.count > 1 { queue.removeFirst() }
                return first
            }
            guard let answer else { throw ExchangeError(.other, message: "no answer scripted") }
            return try answer.get()
        }
    }

    let script: Script
    let timeSource: any TimeSource
    let clock: ServerClock

    func inspect(_ credentials: Credentials) async throws -> KeyReport { try await script.next() }

    func verificationSite() throws -> KeyProvenance {
        KeyProvenance(module: "binance", origin: KeysFixtures.origin, environment: "test", instance: clock)
    }
}

/// Holds tasks until opened.
final class InspectionGate: Sendable {
    private let state = LockedValue<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

@Suite("KeyGuard: keys verified again")
struct KeyGuardTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let clean = KeysFixtures.cleanReport()
    static let withdrawing = KeyReport(
        exchange: "binance", permissions: [.read, .spotTrade, .futuresTrade, .withdraw], isIPRestricted: true,
        ipWhitelist: ["203.0.113.7"])

    /// A fixed clock, a scripted inspector on it, a key it verified at ``start``, and a guard.
    struct Setup {
        let time = FixedTimeSource(KeyGuardTests.start)
        let script = ScriptedInspector.Script([.success(KeyGuardTests.clean)])
        let inspector: ScriptedInspector
        let key: SafeKey

        init(policy: KeyPolicy = .tradeOnly) async throws {
            inspector = ScriptedInspector(script: script, timeSource: time, clock: ServerClock(timeSource: time))
            key = try await SafeKey.verify(KeysFixtures.credentials(), using: inspector, policy: policy)
        }

        func keyGuard(interval: TimeInterval? = 3600) -> KeyGuard {
            KeyGuard(key: key, inspector: inspector, interval: interval)
        }
    }

    @Test("a freshly verified key is let through without asking the exchange")
    func fresh() async throws {
        let setup = try await Setup()
        let keyGuard = setup.keyGuard()
        for _ in 0..<5 {
            try await keyGuard.admit()
            setup.time.advance(by: 10)
        }
        #expect(setup.script.calls == 1, "the verification only")
        #expect(keyGuard.verifiedAt == Self.start)
    }

    @Test("once the interval has passed, the next signed request verifies the key again, once")
    func schedule() async throws {
        let setup = try await Setup()
        let keyGuard = setup.keyGuard(interval: 3600)
        #expect(!keyGuard.mayProceed(), "the first signed request goes through admit()")
        try await keyGuard.admit()
        setup.time.advance(by: 3599)
        #expect(keyGuard.mayProceed(), "the fast path: fresh")
        try await keyGuard.admit()
        #expect(setup.script.calls == 1)
        setup.time.advance(by: 1)
        #expect(!keyGuard.mayProceed(), "due")
        try await keyGuard.admit()
        #expect(keyGuard.mayProceed())
        #expect(setup.script.calls == 2)
        #expect(keyGuard.verifiedAt == Self.start.addingTimeInterval(3600))
        try await keyGuard.admit()
        setup.time.advance(by: 3599)
        try await keyGuard.admit()
        #expect(setup.script.calls == 2, "the schedule restarts from the re-verification")
    }

    @Test("a key that gained withdrawals stops every signed request for good, with the new report")
    func gainedWithdrawals() async throws {
        let setup = try await Setup()
        let keyGuard = setup.keyGuard(interval: 3600)
        try await keyGuard.admit()
        setup.script.answer(.success(Self.withdrawing))
        setup.time.advance(by: 3600)
        let error = await #expect(throws: ExchangeError.self) { try await keyGuard.admit() }
        #expect(error?.kind == .unsafeKey)
        #expect(error?.keyReport == Self.withdrawing)
        let message = error?.message ?? ""
        #expect(message.contains("TradeOnly stopped signing with the binance key vmPU…Eh8A"))
        #expect(message.contains("older than the re-verification interval of 3600 s"))
        #expect(message.contains("gained 'Withdraw (moves funds)'"))
        #expect(message.contains("the 'Withdraw' permission is enabled, and it can move funds"))
        #expect(message.contains("verify it again with binance.keyInspector and make a new client"))
        #expect(!message.contains(KeysFixtures.secret))
        // Refused for good: no more questions to the exchange, even if the key is fixed there.
        setup.script.answer(.success(Self.clean))
        setup.time.advance(by: 7200)
        let again = await #expect(throws: ExchangeError.self) { try await keyGuard.admit() }
        #expect(again == error)
        #expect(keyGuard.refusal == error)
        #expect(setup.script.calls == 2)
    }

    @Test("at the first signed request, a key verified more than 60 s earlier is verified again")
    func startFreshness() async throws {
        let stale = try await Setup()
        stale.time.advance(by: 61)
        let staleGuard = stale.keyGuard()
        try await staleGuard.admit()
        #expect(stale.script.calls == 2)
        #expect(staleGuard.verifiedAt == Self.start.addingTimeInterval(61))

        let fresh = try await Setup()
        fresh.time.advance(by: 60)
        try await fresh.keyGuard().admit()
        #expect(fresh.script.calls == 1)

        // A verification date ahead of the clock is not trusted either.
        let ahead = try await Setup()
        ahead.time.advance(by: -1)
        try await ahead.keyGuard().admit()
        #expect(ahead.script.calls == 2)
    }

    @Test("without an interval there is no schedule (the start check remains); a short one counts as 60 s")
    func intervals() async throws {
        let never = try await Setup()
        let neverGuard = never.keyGuard(interval: nil)
        try await neverGuard.admit()
        never.time.advance(by: 400 * 86_400)
        try await neverGuard.admit()
        #expect(never.script.calls == 1)
        #expect(neverGuard.interval == nil)
        #expect(KeyGuard(key: never.key, inspector: never.inspector, interval: .infinity).interval == nil)

        let short = try await Setup()
        let shortGuard = short.keyGuard(interval: 1)
        #expect(shortGuard.interval == 60)
        try await shortGuard.admit()
        short.time.advance(by: 30)
        try await shortGuard.admit()
        #expect(short.script.calls == 1)
        short.time.advance(by: 30)
        try await shortGuard.admit()
        #expect(short.script.calls == 2)
        #expect(KeyGuard(key: short.key, inspector: short.inspector, interval: .nan).interval == 60)
        #expect(KeyGuard(key: short.key, inspector: short.inspector, interval: nil).interval == nil)
        #expect(KeyGuard.defaultInterval == 86_400)
    }

    @Test("concurrent signed requests wait for one re-verification")
    func oneAtATime() async throws {
        let setup = try await Setup()
        let keyGuard = setup.keyGuard(interval: 3600)
        try await keyGuard.admit()
        setup.time.advance(by: 3600)
        let gate = InspectionGate()
        setup.script.gate.withLock { $0 = gate }
        let passedWhileClosed = LockedValue(0)
        let opened = LockedValue(false)
        let entered = LockedValue(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    entered.withLock { $0 += 1 }
                    try await keyGuard.admit()
                    if !opened.current { passedWhileClosed.withLock { $0 += 1 } }
                }
            }
            var spins = 0
            while (setup.script.calls < 2 || entered.current < 16) && spins < 100_000 {
                await Task.yield()
                spins += 1
            }
            for _ in 0..<100 { await Task.yield() }
            opened.withLock { $0 = true }
            gate.open()
            try await group.waitForAll()
        }
        #expect(entered.current == 16)
        #expect(setup.script.calls == 2, "one re-verification for sixteen requests")
        #expect(passedWhileClosed.current == 0, "no request went ahead while the key was being verified")
    }

    @Test("an authentication, permission or IP error from the exchange makes the guard check the key")
    func permissionErrors() async throws {
        let setup = try await Setup()
        let keyGuard = setup.keyGuard(interval: nil)
        try await keyGuard.admit()
        let rejected = ExchangeError(
            .authentication, message: "Invalid API-key, IP, or permissions for action.", exchange: "binance",
            code: "-2015", httpStatus: 401)
        // Within 60 s of the verification: not asked again.
        #expect(await keyGuard.review(rejected) == rejected)
        #expect(setup.script.calls == 1)
        setup.time.advance(by: 120)
        // Other errors, and errors the exchange did not send, change nothing.
        let filter = ExchangeError(.orderRejected, message: "Filter failure", exchange: "binance", code: "-1013", httpStatus: 400)
        #expect(await keyGuard.review(filter) == filter)
        let local = ExchangeError(.permissionDenied, message: "no spot permission, nothing sent", exchange: "binance")
        #expect(await keyGuard.review(local) == local)
        #expect(setup.script.calls == 1)
        // The key still passes: the exchange's error is what the request fails with.
        #expect(await keyGuard.review(rejected) == rejected)
        #expect(setup.script.calls == 2)
        // Not again within 60 s.
        setup.time.advance(by: 30)
        let denied = ExchangeError(.permissionDenied, message: "denied", exchange: "binance", code: "-1002", httpStatus: 401)
        #expect(await keyGuard.review(denied) == denied)
        #expect(setup.script.calls == 2)
        // A minute later the key can withdraw: the refusal replaces the exchange's error.
        setup.time.advance(by: 60)
        setup.script.answer(.success(Self.withdrawing))
        let ip = ExchangeError(.ipNotAllowed, message: "not whitelisted", exchange: "binance", code: "-1011", httpStatus: 401)
        let refusal = await keyGuard.review(ip)
        #expect(refusal.kind == .unsafeKey)
        #expect(refusal.message.contains("binance answered a signed request with ipNotAllowed, code -1011"))
        #expect(refusal.keyReport == Self.withdrawing)
        await #expect(throws: ExchangeError.self) { try await keyGuard.admit() }
        #expect(setup.script.calls == 3)
    }

    @Test("a re-verification that cannot be completed fails the request unsent and is tried again next time")
    func failedCheck() async throws {
        let setup = try await Setup()
        let keyGuard = setup.keyGuard(interval: 3600)
        try await keyGuard.admit()
        setup.time.advance(by: 3600)
        let down = ExchangeError(.network, message: "could not reach binance", exchange: "binance", retry: .retry)
        setup.script.answer(.failure(down), .success(Self.clean))
        let error = await #expect(throws: ExchangeError.self) { try await keyGuard.admit() }
        #expect(error?.kind == .network)
        #expect(error?.retry == .retry)
        #expect(error?.message.hasPrefix("TradeOnly could not verify this binance key again before signing") == true)
        #expect(error?.message.contains("so nothing was sent: could not reach binance") == true)
        #expect(keyGuard.refusal == nil)
        try await keyGuard.admit()
        #expect(setup.script.calls == 3)
        try await keyGuard.admit()
        #expect(setup.script.calls == 3)

        // After a permission error whose check failed, the next request checks first.
        setup.time.advance(by: 120)
        setup.script.answer(.failure(down), .success(Self.clean))
        let rejected = ExchangeError(.authentication, message: "rejected", exchange: "binance", code: "-2015", httpStatus: 401)
        #expect(await keyGuard.review(rejected) == rejected)
        #expect(setup.script.calls == 4)
        try await keyGuard.admit()
        #expect(setup.script.calls == 5)
    }

    @Test("a key for another site is refused at once, without asking; through another exchange value it is verified first")
    func otherSites() async throws {
        let setup = try await Setup()
        let otherClock = ServerClock(timeSource: setup.time)
        struct Elsewhere: BuiltInKeyInspector {
            let script: ScriptedInspector.Script
            let timeSource: any TimeSource
            let clock: ServerClock
            let environment: String
            func inspect(_ credentials: Credentials) async throws -> KeyReport { try await script.next() }
            func verificationSite() throws -> KeyProvenance {
                KeyProvenance(module: "binance", origin: KeysFixtures.origin, environment: environment, instance: clock)
            }
        }
        let live = KeyGuard(
            key: setup.key,
            inspector: Elsewhere(script: setup.script, timeSource: setup.time, clock: otherClock, environment: "live"),
            interval: 3600)
        let refused = await #expect(throws: ExchangeError.self) { try await live.admit() }
        #expect(refused?.kind == .invalidRequest)
        #expect(setup.script.calls == 1)

        let sameSite = KeyGuard(
            key: setup.key,
            inspector: Elsewhere(script: setup.script, timeSource: setup.time, clock: otherClock, environment: "test"),
            interval: 3600)
        try await sameSite.admit()
        #expect(setup.script.calls == 2, "verified through this exchange value before the first signed request")
        try await sameSite.admit()
        #expect(setup.script.calls == 2)
    }
}
