import Foundation

/// One run of a handler, for one request, whose task runs on the connection thread that waits for
/// the response.
///
/// The handler's task is created with the run as its task executor preference: its jobs (and those
/// of the actors without a custom executor that it calls, which follow the preference) are enqueued
/// here, and ``wait()`` runs them on the connection thread until the response is in. A handler
/// therefore never needs a thread of Swift's cooperative pool, and the server keeps answering while
/// CPU-bound tasks occupy every thread of that pool (it has as many threads as the machine has cores;
/// on Linux it shares them with `DispatchQueue.global()`).
///
/// A job that arrives once the connection thread has stopped waiting (none of the handler's own, but
/// an actor the handler used may still be scheduled through its preference) runs on a thread of its
/// own, so that nothing is ever left behind.
final class HandlerRun: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var response: LoopbackResponse?
    private var waiting = true

    /// Starts `operation` as the handler's task: on this run where the platform has task executors,
    /// as an ordinary task (on the cooperative pool) otherwise.
    func start(_ operation: sending @escaping () async -> Void) -> Task<Void, Never> {
        if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *) {
            return Task(executorPreference: self, operation: operation)
        }
        return Task(operation: operation)
    }

    /// Hands the handler's response to the waiting connection thread.
    func finish(_ response: LoopbackResponse) {
        condition.withLock {
            self.response = response
            condition.broadcast()
        }
    }

    /// Runs the jobs enqueued here, on the calling thread, until the response is in; returns it.
    func wait() -> LoopbackResponse {
        condition.lock()
        while true {
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                condition.unlock()
                run(job)
                condition.lock()
            } else if let response {
                // Nothing is queued and the handler is done: later jobs get a thread of their own.
                waiting = false
                condition.unlock()
                return response
            } else {
                condition.wait()
            }
        }
    }

    /// Queues a job for the waiting connection thread, or runs it on a new thread once nobody waits.
    fileprivate func accept(_ job: UnownedJob) {
        let queued = condition.withLock {
            guard waiting else { return false }
            jobs.append(job)
            condition.signal()
            return true
        }
        guard !queued else { return }
        let thread = Thread { [self] in run(job) }
        thread.name = "LoopbackServer handler"
        thread.start()
    }

    private func run(_ job: UnownedJob) {
        if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
extension HandlerRun: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        accept(UnownedJob(job))
    }
}
