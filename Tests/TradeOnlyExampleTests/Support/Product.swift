import Foundation
import Testing

/// One of the package's executables, found next to the test bundle, and how to run it.
///
/// `swift test` builds every executable product before it runs the tests, so they are there; a
/// missing one fails the test with a message rather than skipping it.
struct Product: CustomStringConvertible {
    /// The executable's name: `tradeonly-demo`, `key-check`, `grid-bot`.
    let name: String

    var description: String { name }

    /// The output of one run.
    struct Run: CustomStringConvertible {
        var status: Int32
        var standardOutput: String
        var standardError: String

        /// The output's lines, without trailing white space and blank lines.
        var lines: [String] {
            standardOutput.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        var description: String {
            "exit status \(status)\n--- standard output ---\n\(standardOutput)--- standard error ---\n\(standardError)"
        }
    }

    /// The folders the build puts executables in, next to the test bundle: on Linux the main bundle
    /// is that folder; on macOS the `.xctest` bundle sits in it.
    static var productDirectories: [URL] {
        var directories = [Bundle.main.bundleURL]
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return directories
    }

    /// The executable's location, or nil if it was not built.
    var url: URL? {
        Self.productDirectories.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs the executable with arguments and waits for it, at most `timeout`.
    ///
    /// The child gets this process's environment without any exchange credentials (`BINANCE_*`,
    /// `BYBIT_*`), plus `environment`. Its output goes to temporary files, so a chatty child can
    /// never block on a full pipe.
    func run(_ arguments: String..., environment: [String: String] = [:], timeout: Duration = .seconds(60))
        async throws -> Run
    {
        try await run(arguments: arguments, environment: environment, timeout: timeout)
    }

    /// Runs the executable with an array of arguments; see ``run(_:environment:timeout:)``.
    func run(arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60))
        async throws -> Run
    {
        guard let url else {
            throw ProductMissing(name: name, searched: Self.productDirectories)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tradeonly-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorURL)

        var childEnvironment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("BINANCE_") && !$0.key.hasPrefix("BYBIT_")
        }
        childEnvironment.merge(environment) { $1 }

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = childEnvironment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let finished = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.continuation.finish() }
        try process.run()
        try? output.close()
        try? errors.close()

        // Wait for the exit, or kill the child when the time is up.
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        for await _ in finished.stream {}
        watchdog.cancel()
        process.waitUntilExit()
        let timedOut = process.terminationReason == .uncaughtSignal
        let run = Run(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
        if timedOut {
            Issue.record("\(name) \(arguments.joined(separator: " ")) did not finish within \(timeout), or crashed:\n\(run)")
        }
        return run
    }
}

/// A product that was not built: the test fails with this message.
struct ProductMissing: Error, CustomStringConvertible {
    let name: String
    let searched: [URL]

    var description: String {
        "\(name) is not built next to the test bundle (looked in \(searched.map(\.path).joined(separator: ", "))): "
            + "run `swift build` first"
    }
}

extension Product {
    static let demo = Product(name: "tradeonly-demo")
    static let keyCheck = Product(name: "key-check")
    static let gridBot = Product(name: "grid-bot")
}
