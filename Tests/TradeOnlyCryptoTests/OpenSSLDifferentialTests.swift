import Foundation
import Testing
import TradeOnlyCrypto

/// The `openssl` command line tool, if it is installed.
enum OpenSSL {
    /// The executable, found on `PATH` (or in the usual places); `nil` when missing.
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin:/usr/local/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        return
            directories
            .map { URL(fileURLWithPath: $0).appendingPathComponent("openssl") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Whether the differential tests can run.
    static var isAvailable: Bool { executable != nil }

    /// Runs `openssl dgst -<algorithm> -r [HMAC options] <file>` and returns the hex output.
    ///
    /// - Parameters:
    ///   - algorithm: `sha256` or `sha512`.
    ///   - message: The bytes to hash, passed through a temporary file.
    ///   - key: The HMAC key, or `nil` for a plain digest.
    static func digest(_ algorithm: String, of message: [UInt8], key: [UInt8]? = nil) async throws -> String {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("tradeonly-openssl-\(UUID().uuidString).bin")
        try Data(message).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        var arguments = ["dgst", "-\(algorithm)", "-r"]
        switch key {
        case nil:
            break
        case let key? where key.isEmpty:
            // `-macopt hexkey:` refuses an empty key; the legacy `-hmac ""` accepts it.
            arguments += ["-hmac", ""]
        case let key?:
            arguments += ["-mac", "HMAC", "-macopt", "hexkey:\(key.hexString)"]
        }
        arguments.append(file.path)

        let data = try await run(arguments)
        let text = String(decoding: data, as: UTF8.self)
        return String(text.prefix { $0.isHexDigit }).lowercased()
    }

    /// Runs `openssl` with `arguments` and returns its standard output; throws if it fails.
    ///
    /// The process is waited for on a thread of its own, not on Swift's cooperative thread pool (a
    /// blocking wait there would hold a thread the other tests need) and not on
    /// `DispatchQueue.global()`, on whose threads Swift's global executor runs tasks on Linux.
    static func run(_ arguments: [String]) async throws -> Data {
        let result: Result<(Data, Int32), any Error> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Result { try runBlocking(arguments) })
            }.start()
        }
        let (data, status) = try result.get()
        try #require(status == 0, "openssl \(arguments.joined(separator: " ")) failed")
        return data
    }

    /// Runs `openssl` and waits for it on the calling thread.
    private static func runBlocking(_ arguments: [String]) throws -> (Data, Int32) {
        guard let executable = OpenSSL.executable else {
            throw CocoaError(.executableNotLoadable)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (data, process.terminationStatus)
    }
}

// Skipped, with the reason shown in the test report, when `openssl` is not installed.
@Suite(
    "Differential tests against the openssl command",
    .enabled(if: OpenSSL.isAvailable, "openssl is not installed: differential tests skipped")
)
struct OpenSSLDifferentialTests {
    /// The seed of every random choice below; change it to explore, keep it to reproduce.
    static let seed: UInt64 = 0x7ade_0417

    @Test("hashes random messages of 0 to 10,000 bytes like openssl", arguments: Algorithm.allCases)
    func randomDigests(_ algorithm: Algorithm) async throws {
        var random = SeededGenerator(seed: Self.seed &+ UInt64(algorithm.digestBitCount))
        // Padding boundaries first, then random lengths.
        let boundaries = [0, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129]
        let lengths = boundaries + (0..<10).map { _ in Int.random(in: 0...10_000, using: &random) }
        for length in lengths {
            let message = random.bytes(length)
            let expected = try await OpenSSL.digest(algorithm.opensslName, of: message)
            #expect(algorithm.hexDigest(message) == expected, "\(algorithm) of \(length) bytes, seed \(Self.seed)")
        }
    }

    @Test("computes HMAC of random messages and keys of 0 to 200 bytes like openssl", arguments: Algorithm.allCases)
    func randomHMACs(_ algorithm: Algorithm) async throws {
        var random = SeededGenerator(seed: Self.seed &* 31 &+ UInt64(algorithm.digestBitCount))
        let keyLengths = [0, 1, 64, 65, 128, 129, 200] + (0..<9).map { _ in Int.random(in: 0...200, using: &random) }
        for keyLength in keyLengths {
            let key = random.bytes(keyLength)
            let message = random.bytes(Int.random(in: 0...10_000, using: &random))
            let expected = try await OpenSSL.digest(algorithm.opensslName, of: message, key: key)
            #expect(
                algorithm.hexHMAC(message, key: key) == expected,
                "HMAC-\(algorithm) key \(keyLength) bytes, message \(message.count) bytes, seed \(Self.seed)"
            )
        }
    }
}
