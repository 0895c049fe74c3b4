import Dispatch
import TradeOnly

// A small benchmark harness: warm up, time batches for a fixed budget, keep the best batch.
//
// Output is one JSON object per line, `{"name": "...", "unit": "...", "value": ...}`, so
// results can be collected by scripts and compared across runs.

/// One benchmark: a name, a unit, and a function that measures and returns the value.
struct Benchmark: Sendable {
    /// The benchmark's name, for example `sha256_16k`. Filters match on it.
    let name: String
    /// The unit of the reported value, for example `MB/s` or `ns`.
    let unit: String
    /// Runs the benchmark and returns the value to report.
    let run: @Sendable () -> Double
}

/// A named list of benchmarks, such as the crypto benchmarks. `main.swift` lists the groups.
struct BenchmarkGroup: Sendable {
    /// The group's name, for example `crypto`.
    let name: String
    /// The group's benchmarks, in the order they run.
    let benchmarks: [Benchmark]
}

/// The result of timing a closure: nanoseconds per iteration.
struct Timing {
    /// The fastest batch, per iteration: the least disturbed by other work on the machine.
    let best: Double
    /// The median batch, per iteration.
    let median: Double
}

/// Times `body`, which performs `iterationsPerCall` operations per call (default 1).
///
/// Runs `body` for `warmUp`, then picks a batch size so that one batch takes about
/// `budget / 20`, and times batches until `budget` has passed (at least 5 batches).
///
/// - Returns: Nanoseconds per operation, best and median over the batches.
func measure(
    warmUp: Duration = .milliseconds(100),
    budget: Duration = .milliseconds(400),
    iterationsPerCall: Int = 1,
    _ body: () -> Void
) -> Timing {
    let clock = ContinuousClock()
    // Warm up, and count how many calls fit in the warm-up time.
    var warmUpCalls = 0
    let warmUpStart = clock.now
    while clock.now - warmUpStart < warmUp {
        body()
        warmUpCalls += 1
    }
    let perCall = nanoseconds(warmUp) / Double(max(warmUpCalls, 1))
    let batchSize = max(1, Int(nanoseconds(budget) / 20 / perCall))

    var samples: [Double] = []
    let start = clock.now
    while samples.count < 5 || clock.now - start < budget {
        let batchStart = clock.now
        for _ in 0..<batchSize { body() }
        let elapsed = nanoseconds(clock.now - batchStart)
        samples.append(elapsed / Double(batchSize * iterationsPerCall))
    }
    samples.sort()
    return Timing(best: samples[0], median: samples[samples.count / 2])
}

/// Converts a throughput: `bytes` processed per operation at `nanosecondsPerOperation` → MB/s
/// (10^6 bytes per second, as `openssl speed` reports kB as 1000 bytes).
func megabytesPerSecond(bytes: Int, nanosecondsPerOperation: Double) -> Double {
    Double(bytes) / nanosecondsPerOperation * 1e9 / 1e6
}

/// A `Duration` in nanoseconds.
func nanoseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
}

/// Keeps `value` alive so the optimizer cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Prints one result as a JSON line: `{"name": "...", "unit": "...", "value": ...}`.
func report(name: String, unit: String, value: Double) {
    let rounded = (value * 100).rounded() / 100
    print("{\"name\": \"\(escaped(name))\", \"unit\": \"\(escaped(unit))\", \"value\": \(rounded)}")
}

/// Escapes a string for a JSON string literal (quotes, backslashes, control characters).
private func escaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// Runs every benchmark of `groups` whose name contains one of `filters` (all if none).
///
/// Arguments that match nothing are not errors: later versions may add subcommands, and a
/// filter that selects nothing simply runs nothing.
func runBenchmarks(_ groups: [BenchmarkGroup], filters: [String]) {
    for group in groups {
        for benchmark in group.benchmarks
        where filters.isEmpty || filters.contains(where: { benchmark.name.contains($0) }) {
            report(name: benchmark.name, unit: benchmark.unit, value: benchmark.run())
        }
    }
}

/// Runs async work to completion from the synchronous harness: in one task, the caller waiting.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let result = LockedValue<Result<T, any Error>?>(nil)
    Task {
        do {
            let value = try await body()
            result.withLock { $0 = .success(value) }
        } catch {
            result.withLock { $0 = .failure(error) }
        }
        semaphore.signal()
    }
    semaphore.wait()
    guard let outcome = result.current else { throw CancellationError() }
    return try outcome.get()
}

/// `measure` for async operations, run inside one task (see ``blocking(_:)``): warms up, picks a
/// batch size so that one batch takes about `budget / 20` (or uses `batchSize`), and times batches
/// until `budget` has passed and at least `minimumBatches` ran.
///
/// - Returns: Nanoseconds per operation, from the fastest batch (the least disturbed by other work).
func measureAsync(
    warmUp: Duration = .milliseconds(100), budget: Duration = .milliseconds(500), minimumBatches: Int = 10,
    batchSize: Int? = nil, _ body: () async -> Void
) async -> Double {
    let clock = ContinuousClock()
    var calls = 0
    let warmUpStart = clock.now
    while clock.now - warmUpStart < warmUp {
        await body()
        calls += 1
    }
    let perCall = nanoseconds(warmUp) / Double(max(calls, 1))
    let size = batchSize ?? max(1, Int(nanoseconds(budget) / 20 / perCall))
    var best = Double.infinity
    var batches = 0
    let start = clock.now
    while batches < minimumBatches || clock.now - start < budget {
        let batchStart = clock.now
        for _ in 0..<size { await body() }
        best = min(best, nanoseconds(clock.now - batchStart) / Double(size))
        batches += 1
    }
    return best
}
