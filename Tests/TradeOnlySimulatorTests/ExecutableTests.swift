import Foundation
import Testing
import TradeOnlySimulator

/// `tradeonly-sim` as a process: found next to the test bundle (it is built with the package).
@Suite("tradeonly-sim executable")
struct ExecutableTests {
    static var executable: URL? {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("tradeonly-sim"))
        candidates.append(bundle.appendingPathComponent("tradeonly-sim"))
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("tradeonly-sim"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/tradeonly-sim"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static var python: URL? {
        ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"].map(URL.init(fileURLWithPath:))
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A running `tradeonly-sim` and its first line.
    final class Running: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        private(set) var firstLine = ""

        init(executable: URL, arguments: [String]) throws {
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Read the first line, byte by byte, bounded.
            var bytes: [UInt8] = []
            let handle = output.fileHandleForReading
            while bytes.count < 200 {
                let chunk = handle.readData(ofLength: 1)
                guard let byte = chunk.first else { break }
                if byte == UInt8(ascii: "\n") { break }
                bytes.append(byte)
            }
            firstLine = String(decoding: bytes, as: UTF8.self)
        }

        var port: String? {
            guard firstLine.hasPrefix("listening on http://127.0.0.1:") else { return nil }
            return String(firstLine.dropFirst("listening on http://127.0.0.1:".count))
        }

        /// Sends SIGINT and waits for the exit status.
        func interrupt() -> Int32 {
            process.interrupt()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func runPython(port: String, key: String, secret: String, exchange: String) throws -> [String: [Int]] {
        guard let python = Self.python else { return [:] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tradeonly-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("signed_request.py")
        try Data(pythonCrossCheckScript.utf8).write(to: script)
        let process = Process()
        let output = Pipe()
        process.executableURL = python
        process.arguments = [script.path, port, key, secret, exchange]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parsed = try JSONSerialization.jsonObject(with: data) as? [String: [Int]]
        return parsed ?? [:]
    }

    @Test("prints `listening on http://127.0.0.1:PORT` first; Python-signed requests: accepted, wrong signature -1022; SIGINT exits 0")
    func binanceWithPython() async throws {
        guard let executable = Self.executable else {
            print("skipped: tradeonly-sim is not built (swift build --product tradeonly-sim)")
            return
        }
        let running = try await offThread {
            try Running(
                executable: executable, arguments: ["--exchange", "binance", "--port", "0", "--api-key", "pyKey", "--api-secret", "pySecret"])
        }
        let port = try #require(running.port, "first line was: \(running.firstLine)")
        #expect(Int(port).map { $0 > 0 } == true)
        if Self.python == nil {
            print("skipped the Python cross-check: python3 is not installed")
        } else {
            let result = try await offThread { try Self.runPython(port: port, key: "pyKey", secret: "pySecret", exchange: "binance") }
            #expect(result["good"] == [200, 0])
            #expect(result["bad"] == [400, -1022])
        }
        #expect(try await offThread { running.interrupt() } == 0)
        let rest = try await offThread { String(decoding: running.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        #expect(rest.contains("pyKey"))
        #expect(rest.contains("pySecret"))
        #expect(rest.contains("SIMULATOR CREDENTIALS"))
    }

    @Test("Bybit: Python-signed request accepted, wrong signature 10004")
    func bybitWithPython() async throws {
        guard let executable = Self.executable else {
            print("skipped: tradeonly-sim is not built")
            return
        }
        let key = SimulatedExchange.standardTradeKey
        let running = try await offThread { try Running(executable: executable, arguments: ["--exchange", "bybit"]) }
        let port = try #require(running.port, "first line was: \(running.firstLine)")
        if Self.python != nil {
            let result = try await offThread { try Self.runPython(port: port, key: key.apiKey, secret: key.secret, exchange: "bybit") }
            #expect(result["good"] == [200, 0])
            #expect(result["bad"] == [200, 10004])
        }
        #expect(try await offThread { running.interrupt() } == 0)
    }

    @Test(
        "bad arguments print the usage on stderr and exit 2",
        arguments: [["--exchange", "kraken"], ["--port", "x", "--exchange", "binance"], ["--api-key", "k", "--exchange", "bybit"], []])
    func badArguments(arguments: [String]) async throws {
        guard let executable = Self.executable else { return }
        let process = Process()
        let errors = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let (text, status) = try await offThread {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (text, process.terminationStatus)
        }
        #expect(status == 2)
        #expect(text.contains("usage: tradeonly-sim"))
    }
}
