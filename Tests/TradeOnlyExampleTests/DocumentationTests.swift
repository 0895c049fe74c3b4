import Foundation
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlySimulator

@testable import TradeOnlySnippets

/// The guides' Swift samples are compiled (they are in the TradeOnlySnippets target, which
/// `swift build` builds); these tests check that the guides show exactly what is compiled, and run
/// the samples that need no network.
@Suite("Documentation samples")
struct DocumentationTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every Markdown file whose Swift samples must compile: the guides and the README.
    static let guides: [String] = {
        let documentation = root.appendingPathComponent("Documentation")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: documentation.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { "Documentation/\($0)" } + ["README.md"]
    }()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The ```swift blocks of a Markdown text.
    static func swiftBlocks(in markdown: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        for line in markdown.components(separatedBy: "\n") {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current ?? [])
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Lines without their indentation, and without the lines that wrap a sample in a function.
    static func normalized(_ lines: [String]) -> [String] {
        lines.filter { !$0.hasSuffix("// sample") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test("the guides and the README are found")
    func guidesAreFound() {
        #expect(Self.guides.count >= 7, "found \(Self.guides) under \(Self.root.path)")
    }

    @Test("every Swift sample is compiled in Examples/Snippets, or says why not", arguments: guides)
    func samplesAreCompiled(guide: String) throws {
        let name = URL(fileURLWithPath: guide).deletingPathExtension().lastPathComponent
        let snippetPath = "Examples/Snippets/\(name).swift"
        let blocks = Self.swiftBlocks(in: try Self.read(guide))
        let compiled = blocks.filter {
            $0.first?.hasPrefix("// Not compiled") != true && $0.first?.hasPrefix(Self.examplePackagePrefix) != true
        }
        for block in blocks where block.first?.hasPrefix("// Not compiled") == true {
            // "// Not compiled: <reason>"
            #expect(block[0].count > "// Not compiled: ".count, "\(guide): say why the sample is not compiled")
        }
        for block in blocks where block.first?.hasPrefix(Self.examplePackagePrefix) == true {
            try Self.checkExamplePackageSample(block, in: guide)
        }
        guard !compiled.isEmpty else { return }
        let snippetLines = try Self.read(snippetPath).components(separatedBy: "\n")
        let snippet = Self.normalized(snippetLines).joined(separator: "\n")
        for block in compiled {
            for importLine in block where importLine.hasPrefix("import ") {
                #expect(snippetLines.contains(importLine), "\(snippetPath) lacks `\(importLine)`")
            }
            var code = block.filter { !$0.hasPrefix("import ") }
            while code.first == "" { code.removeFirst() }
            let text = Self.normalized(code).joined(separator: "\n")
            #expect(
                snippet.contains(text),
                "this sample of \(guide) is not in \(snippetPath) as it is (declarations at file level, statements in a function marked `// sample`):\n\(block.joined(separator: "\n"))"
            )
        }
    }

    /// The first line of a sample that is code of an example package (one with a manifest of its own
    /// under `Examples/`, built and tested by `.ci/run`): `// From Examples/<Package>/<file>, …`.
    static let examplePackagePrefix = "// From Examples/"

    /// Checks that a sample marked `// From Examples/<Package>/<file>` is in that file, line for line,
    /// and that the file belongs to an example package with a manifest of its own.
    static func checkExamplePackageSample(_ block: [String], in guide: String) throws {
        let first = block[0]
        let path = String(first.dropFirst("// From ".count).prefix { $0 != "," && $0 != " " })
        let components = path.split(separator: "/")
        #expect(components.count >= 3 && path.hasSuffix(".swift"), "\(guide): `\(first)` names no Swift file of an example package")
        guard components.count >= 3 else { return }
        let manifest = "Examples/\(components[1])/Package.swift"
        #expect(
            FileManager.default.fileExists(atPath: root.appendingPathComponent(manifest).path),
            "\(guide): \(manifest) is missing: `\(first)` must name a file of an example package")
        let file = Self.normalized(try read(path).components(separatedBy: "\n")).joined(separator: "\n")
        var code = Array(block.dropFirst())
        while code.first == "" { code.removeFirst() }
        let text = Self.normalized(code).joined(separator: "\n")
        #expect(!text.isEmpty, "\(guide): the sample from \(path) is empty")
        #expect(file.contains(text), "this sample of \(guide) is not in \(path) as it is:\n\(block.joined(separator: "\n"))")
    }

    @Test("the example packages have manifests of their own and are not targets of the root package")
    func examplePackagesStandAlone() throws {
        let rootManifest = try Self.read("Package.swift")
        for name in ["SwiftLogSink", "AsyncHTTPClientTransport"] {
            let manifest = try Self.read("Examples/\(name)/Package.swift")
            #expect(manifest.contains(".package(path: \"../..\")"), "\(name) depends on TradeOnly by relative path")
            #expect(!rootManifest.contains("Examples/\(name)"), "the root manifest must not build Examples/\(name)")
        }
        #expect(!rootManifest.contains(".package("), "the library's manifest declares no package dependencies")
    }

    // MARK: Running the samples that need no network

    @Test("Getting started: the first order against the simulator runs")
    func firstOrder() async throws {
        try await gettingStartedFirstOrderOnTheSimulator()
    }

    @Test("Custom transports: the MockTransport sample runs")
    func mockTransport() async throws {
        try await customTransportsMockTransport()
    }

    @Test("The safety model: the samples run, and the refusals it quotes are the real ones")
    func safetyModel() async throws {
        try safetyModelAFundMovingAllowanceRefusesEveryKey()
        try safetyModelAddAnAllowRule()
        // The guide quotes two refusals; both must be what TradeOnly says today.
        let guide = Self.flattened(try Self.read("Documentation/SafetyModel.md"))
        let simulator = SimulatedExchange.standard(for: .binance)
        let binance = try simulator.connection(for: Binance.self)
        let withdrawKey = SimulatedExchange.standardWithdrawKey
        do {
            _ = try await SafeKey.verify(
                try Credentials(apiKey: withdrawKey.apiKey, secret: Secret(withdrawKey.secret)), using: binance.keyInspector)
            Issue.record("the withdraw-enabled key was accepted")
        } catch let error as ExchangeError {
            #expect(guide.contains(error.description), "SafetyModel.md should quote: \(error.description)")
        }
        let tradeKey = SimulatedExchange.standardTradeKey
        let key = try await SafeKey.verify(
            try Credentials(apiKey: tradeKey.apiKey, secret: Secret(tradeKey.secret)), using: binance.keyInspector)
        do {
            try await tryToWithdraw(with: binance.client(key))
            Issue.record("the withdrawal was sent")
        } catch let error as ExchangeError {
            #expect(error.kind == .policyViolation)
            #expect(guide.contains(error.description), "SafetyModel.md should quote: \(error.description)")
        }
        #expect(await simulator.moneyMovements().isEmpty)
    }

    /// A guide's text with its line breaks and comment markers removed, so that a quoted message
    /// wrapped over several lines (or several `//` lines) reads as one line.
    static func flattened(_ text: String) -> String {
        text.components(separatedBy: "\n")
            .map { line -> String in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("// ") ? String(trimmed.dropFirst(3)) : trimmed
            }
            .joined(separator: " ")
    }
}
