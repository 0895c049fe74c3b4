import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one test of this test executable in a child process with a given environment: for checks
/// that need process-wide state (environment variables) without touching this process's, which
/// tests running in parallel share.
///
/// Linux only: there `swift test` runs this executable directly, so `/proc/self/exe` re-runs it
/// with `--testing-library swift-testing --filter …`.
enum ChildTestProcess {
    /// What the child did.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var output: String

        var description: String { "exit status \(status)\n--- output ---\n\(output)" }
    }

    /// The path of this process's executable.
    static var executablePath: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// Runs the tests matching `filter` in a child whose environment is this one without any
    /// variable named in `removing` (compared ignoring case), plus `environment`. Waits without
    /// blocking a cooperative thread; kills the child if it has not finished after `limit` (a
    /// safety net for a hung child, not a timing the result depends on).
    static func run(
        filter: String, environment: [String: String], removing: Set<String>, limit: Duration = .seconds(120)
    ) async throws -> Outcome {
        guard let executable = executablePath else {
            throw RawSocketError(description: "cannot find this test executable through /proc/self/exe")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tradeonly-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("output")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)

        let lowerCasedRemovals = Set(removing.map { $0.lowercased() })
        var childEnvironment = ProcessInfo.processInfo.environment.filter { !lowerCasedRemovals.contains($0.key.lowercased()) }
        childEnvironment.merge(environment) { $1 }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--testing-library", "swift-testing", "--filter", filter]
        process.environment = childEnvironment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        let finished = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.continuation.finish() }
        try process.run()
        try? output.close()
        let watchdog = Task {
            try await Task.sleep(for: limit)
            process.terminate()
        }
        for await _ in finished.stream {}
        watchdog.cancel()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            output: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }
}

extension HeldPort {
    /// Whether a connection is waiting to be accepted: a client connected at some point (the kernel
    /// completes connections to a listening socket whether or not they are accepted). Does not wait.
    var hasPendingConnection: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }
}
