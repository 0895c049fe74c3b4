/// Keeps a client's key verified: the one mechanism behind every exchange module's re-verification.
///
/// A client makes one for its key and hands it to its ``RequestPipeline``, which calls ``admit()``
/// before every signed request and ``review(_:)`` after a signed request failed. The guard:
///
/// - refuses, for good, a key its client must not use: verified by another module, for another
///   environment or another origin (``SafeKey/admission(at:)``);
/// - verifies the key again with the client's own module's inspector (a ``BuiltInKeyInspector``, on a
///   pipeline without user middlewares) and the key's own ``SafeKey/policy``:
///   - before the first signed request, when the key's verification is more than
///     ``startFreshness`` (60 s) old on the module's clock, when it came from a custom inspector, or
///     when it was verified through another exchange value (another transport);
///   - before the first signed request once ``interval`` has passed since the last verification;
///   - after the exchange answered a signed request with an authentication, permission or IP error
///     (``triggeringKinds``), unless the key was verified less than ``startFreshness`` ago;
/// - when a re-verification finds the key no longer satisfies its policy (it can now withdraw, say),
///   stops every signed request of the client with ``ExchangeError/Kind/unsafeKey`` carrying the new
///   report, for good: the client signs nothing more, and a new client needs a freshly verified key;
/// - when a re-verification cannot be completed (the exchange is unreachable, the key is no longer
///   valid), fails that signed request with the inspection's error, unsent, and tries again before
///   the next one.
///
/// One re-verification runs at a time: concurrent requests wait for the one in flight. While the key
/// is fresh, ``admit()`` costs one read of the time source and one comparison under a lock.
package final class KeyGuard: Sendable {
    /// How old a key's verification may be, on the module's clock, at its client's first signed
    /// request without being verified again; also the shortest time between two re-verifications
    /// that permission errors cause. 60 seconds.
    package static let startFreshness: TimeInterval = 60
    /// The shortest re-verification interval honoured: shorter ones (and NaN) count as 60 seconds.
    package static let minimumInterval: TimeInterval = 60
    /// The default re-verification interval: one day.
    package static let defaultInterval: TimeInterval = 86_400
    /// The kinds of exchange answers to a signed request that make the guard verify the key again.
    package static let triggeringKinds: Set<ExchangeError.Kind> = [.authentication, .permissionDenied, .ipNotAllowed]

    /// How one re-verification ended.
    package enum Outcome: Sendable {
        /// The key still satisfies its policy.
        case verified
        /// The key no longer satisfies its policy, or must not be used here: the client is stopped.
        case refused(ExchangeError)
        /// The exchange could not be asked; the next signed request tries again.
        case failed(ExchangeError)
    }

    private struct State: Sendable {
        /// The key as last verified.
        var key: SafeKey
        /// When the key was last verified by this module for this site; `nil` when it must be first.
        var verifiedAt: Date?
        /// Why the key must be verified before the first signed request, when it came from a custom
        /// inspector or through another exchange value.
        var unverifiedHere: String?
        /// Whether the first signed request has been admitted (so the start check is done).
        var started = false
        /// When the next scheduled re-verification is due.
        var dueAt = Date.distantFuture
        /// Why the next signed request must verify the key first, when something forced it.
        var forced: String?
        /// Set once the key must not be used: every signed request throws it.
        var refusal: ExchangeError?
        /// The re-verification in flight.
        var inFlight: Task<Outcome, Never>?
    }

    private enum Step {
        case proceed
        case refuse(ExchangeError)
        case wait(Task<Outcome, Never>)
    }

    /// The re-verification interval in force (after ``minimumInterval``), or `nil` for never.
    package let interval: TimeInterval?
    private let inspector: any BuiltInKeyInspector
    private let site: KeyProvenance?
    private let timeSource: any TimeSource
    private let logger: TradeOnlyLogger
    private let state: LockedValue<State>

    /// Creates the guard of a client's key.
    ///
    /// - Parameters:
    ///   - key: The key the client was made with.
    ///   - inspector: The client's own module's inspector, for the client's environment: it gives the
    ///     client's site (module, origin, environment) and its clock, and re-verifies the key.
    ///   - interval: How often to verify the key again, in seconds; `nil` for never (unsafe).
    ///     Shorter than ``minimumInterval`` counts as ``minimumInterval``.
    ///   - logger: Where re-verifications and refusals are logged.
    package init(
        key: SafeKey, inspector: some BuiltInKeyInspector, interval: TimeInterval?, logger: TradeOnlyLogger = .disabled
    ) {
        self.inspector = inspector
        self.timeSource = inspector.timeSource
        self.interval = Self.normalized(interval)
        self.logger = logger
        var initial = State(key: key)
        do {
            let site = try inspector.verificationSite()
            self.site = site
            switch key.admission(at: site) {
            case .admitted(let date): initial.verifiedAt = date
            case .needsVerification(let reason): initial.unverifiedHere = reason
            case .refused(let error): initial.refusal = error
            }
        } catch {
            self.site = nil
            initial.refusal = Self.failure(
                error, trigger: "the client's environment has no usable origin", module: key.exchange)
        }
        self.state = LockedValue(initial)
    }

    /// Why the client must not sign with its key, if it must not: set at creation for a key from
    /// another module, environment or origin, and after a re-verification refused the key.
    package var refusal: ExchangeError? { state.withLock { $0.refusal } }

    /// The key as last verified (the one the client was made with until a re-verification).
    package var key: SafeKey { state.withLock { $0.key } }

    /// When the key was last verified for this client's site, on the module's clock; `nil` if never.
    package var verifiedAt: Date? { state.withLock { $0.verifiedAt } }

    /// Whether a signed request may go ahead at once: the key is not refused, its first signed
    /// request was admitted, nothing forced a check and the next one is not due. The pipeline's fast
    /// path (one read of the time source and one comparison under the lock, no suspension); when it
    /// says `false`, ``admit()`` decides.
    ///
    /// - Returns: `true` if no check is needed before this signed request.
    package func mayProceed() -> Bool {
        let now = timeSource.now()
        return state.withLock { state in
            state.refusal == nil && state.started && state.forced == nil && now < state.dueAt
        }
    }

    /// Lets a signed request through, verifying the key first when that is due.
    ///
    /// - Throws: The refusal (``ExchangeError/Kind/invalidRequest`` for a key that belongs elsewhere,
    ///   ``ExchangeError/Kind/unsafeKey`` for a key that no longer satisfies its policy), or the error
    ///   of a re-verification that could not be completed. Nothing has been sent when it throws.
    package func admit() async throws {
        let now = timeSource.now()
        let step: Step = state.withLock { state in
            if let refusal = state.refusal { return .refuse(refusal) }
            if state.started && state.forced == nil && now < state.dueAt { return .proceed }
            guard let trigger = trigger(&state, now: now) else { return .proceed }
            return .wait(startOrJoin(&state, trigger: trigger))
        }
        switch step {
        case .proceed:
            return
        case .refuse(let error):
            throw error
        case .wait(let task):
            switch await task.value {
            case .verified: return
            case .refused(let error), .failed(let error): throw error
            }
        }
    }

    /// Looks at the error a signed request failed with: an authentication, permission or IP error
    /// from the exchange makes the guard verify the key again (unless it was verified in the last
    /// ``startFreshness`` seconds).
    ///
    /// - Parameter error: The error the pipeline is about to throw.
    /// - Returns: The refusal if the re-verification refused the key; `error` otherwise (a
    ///   re-verification that could not be completed is retried before the next signed request).
    package func review(_ error: ExchangeError) async -> ExchangeError {
        guard Self.triggeringKinds.contains(error.kind), error.code != nil || error.httpStatus != nil else {
            return error
        }
        let now = timeSource.now()
        let module = site?.module ?? error.exchange ?? "the exchange"
        let answer = error.code.map { "\(error.kind), code \($0)" } ?? "\(error.kind)"
        let trigger = "\(module) answered a signed request with \(answer)"
        let task: Task<Outcome, Never>? = state.withLock { state in
            if state.refusal != nil { return nil }
            if state.started, let verifiedAt = state.verifiedAt {
                let age = now.timeIntervalSince(verifiedAt)
                if age >= 0 && age < Self.startFreshness { return nil }
            }
            return startOrJoin(&state, trigger: trigger)
        }
        guard let task else { return error }
        switch await task.value {
        case .verified, .failed: return error
        case .refused(let refusal): return refusal
        }
    }

    // MARK: Deciding

    /// Why the key must be verified before this request, or `nil` if it need not (the start check
    /// passed: the schedule is set from the key's verification date).
    private func trigger(_ state: inout State, now: Date) -> String? {
        if let forced = state.forced { return forced }
        if !state.started {
            if let reason = state.unverifiedHere { return reason }
            guard let verifiedAt = state.verifiedAt else { return "it has not been verified for this client" }
            let age = now.timeIntervalSince(verifiedAt)
            guard age >= 0 && age <= Self.startFreshness else {
                return "it was verified at \(KeyReport.format(verifiedAt)), not within the \(Int(Self.startFreshness)) s "
                    + "before this client's first signed request"
            }
            state.started = true
            state.dueAt = due(after: verifiedAt)
            if now < state.dueAt { return nil }
        }
        let last = state.verifiedAt.map { KeyReport.format($0) } ?? "(never)"
        return "its last verification, at \(last), is older than the re-verification interval of "
            + "\(Int(interval ?? 0)) s"
    }

    /// The re-verification in flight, or a new one. Called with the lock held.
    private func startOrJoin(_ state: inout State, trigger: String) -> Task<Outcome, Never> {
        if let running = state.inFlight { return running }
        let task = Task { await self.verify(trigger: trigger) }
        state.inFlight = task
        return task
    }

    private func due(after date: Date) -> Date {
        interval.map { date.addingTimeInterval($0) } ?? .distantFuture
    }

    private static func normalized(_ interval: TimeInterval?) -> TimeInterval? {
        guard let interval else { return nil }
        if interval.isNaN { return minimumInterval }
        if interval == .infinity { return nil }
        return max(interval, minimumInterval)
    }

    // MARK: Verifying

    /// Verifies the key again with the module's inspector and the key's policy, and records the outcome.
    private func verify(trigger: String) async -> Outcome {
        let (key, earlierRefusal) = state.withLock { ($0.key, $0.refusal) }
        if let earlierRefusal { return finish(.refused(earlierRefusal)) }
        guard let site else {
            return finish(
                .refused(
                    ExchangeError(
                        .invalidRequest, message: "this client's environment has no usable origin; nothing was sent",
                        exchange: key.exchange)))
        }
        logger.info("verifying the key \(key.maskedAPIKey) again: \(trigger)")
        let inspection: SafeKey.BuiltInInspection
        do {
            inspection = try await SafeKey.inspect(key.credentials, using: inspector)
        } catch {
            let failure = Self.failure(error, trigger: trigger, module: site.module)
            logger.warning("could not verify the key \(key.maskedAPIKey) again: \(failure.message)")
            return finish(.failed(failure), forcing: trigger)
        }
        guard inspection.site == site else {
            return finish(
                .refused(
                    ExchangeError(
                        .invalidRequest,
                        message: "the key was verified again at \(inspection.site), not at this client's \(site); "
                            + "this client signs nothing with it",
                        exchange: site.module)))
        }
        do {
            let fresh = try SafeKey.accept(
                key.credentials, report: inspection.report, policy: key.policy, now: inspection.date,
                inspection: .builtIn(inspection.site))
            logger.info("the key \(key.maskedAPIKey) still satisfies its policy (\(trigger))")
            return finish(.verified, fresh: fresh, at: inspection.date)
        } catch {
            let refusal = Self.refusal(
                error, previous: key, report: inspection.report, at: inspection.date, trigger: trigger, site: site)
            logger.warning(refusal.message)
            return finish(.refused(refusal))
        }
    }

    /// Records an outcome and clears the re-verification in flight, in one step.
    private func finish(
        _ outcome: Outcome, fresh: SafeKey? = nil, at date: Date? = nil, forcing trigger: String? = nil
    ) -> Outcome {
        state.withLock { state in
            state.inFlight = nil
            switch outcome {
            case .verified:
                if let fresh, let date {
                    state.key = fresh
                    state.verifiedAt = date
                    state.dueAt = due(after: date)
                }
                state.started = true
                state.forced = nil
                state.unverifiedHere = nil
            case .refused(let error):
                state.refusal = state.refusal ?? error
            case .failed:
                state.forced = trigger
            }
        }
        return outcome
    }

    /// The error a signed request fails with when the key could not be verified again.
    private static func failure(_ error: any Error, trigger: String, module: String) -> ExchangeError {
        let prefix = "TradeOnly could not verify this \(module) key again before signing (\(trigger)), so nothing was sent"
        if var error = error as? ExchangeError {
            error.message = prefix + ": " + error.message
            error.exchange = error.exchange ?? module
            return error
        }
        return ExchangeError(
            .network, message: prefix + ": " + Redaction.redactText(String(describing: error)), exchange: module,
            retry: .retry)
    }

    /// The error every signed request fails with once a re-verification refused the key.
    private static func refusal(
        _ error: any Error, previous: SafeKey, report: KeyReport, at date: Date, trigger: String, site: KeyProvenance
    ) -> ExchangeError {
        let title = site.module.prefix(1).uppercased() + site.module.dropFirst()
        let verdict = (error as? ExchangeError)?.message ?? Redaction.redactText(String(describing: error))
        let changes = report.changes(since: previous.report)
        let changed =
            changes.isEmpty
            ? ""
            : " Since it was accepted at \(KeyReport.format(previous.verification.date)), the key "
                + changes.joined(separator: "; ") + "."
        return ExchangeError(
            .unsafeKey,
            message: "TradeOnly stopped signing with the \(site.module) key \(previous.maskedAPIKey): verified again at "
                + "\(KeyReport.format(date)) because \(trigger), it no longer satisfies its policy.\(changed) "
                + "\(verdict). The request was not sent, and this client signs nothing more with the key: fix the "
                + "key on \(title) (or create a trade-only one), verify it again with \(site.module).keyInspector and "
                + "make a new client",
            exchange: site.module, keyReport: report)
    }
}
