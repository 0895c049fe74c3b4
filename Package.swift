// swift-tools-version:6.0
//
// TradeOnly: a pure-Swift SDK for trade-only exchange keys.
// By design this manifest declares no package dependencies.

import PackageDescription

let package = Package(
    name: "TradeOnly",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "TradeOnlyCrypto", targets: ["TradeOnlyCrypto"]),
        .library(name: "TradeOnly", targets: ["TradeOnly"]),
        .library(name: "TradeOnlyBinance", targets: ["TradeOnlyBinance"]),
        .library(name: "TradeOnlyBybit", targets: ["TradeOnlyBybit"]),
        .library(name: "TradeOnlySimulator", targets: ["TradeOnlySimulator"]),
        .executable(name: "tradeonly-demo", targets: ["TradeOnlyDemo"]),
        .executable(name: "tradeonly-bench", targets: ["TradeOnlyBench"]),
        .executable(name: "tradeonly-sim", targets: ["TradeOnlySim"]),
        .executable(name: "key-check", targets: ["TradeOnlyKeyCheck"]),
        .executable(name: "grid-bot", targets: ["TradeOnlyGridBot"]),
    ],
    targets: [
        // SHA-256, SHA-512, HMAC, constant-time comparison, hex. Pure Swift.
        .target(name: "TradeOnlyCrypto"),
        // The core: keys and secrets, HTTP transport, signing policy, market and trading vocabulary.
        .target(name: "TradeOnly", dependencies: ["TradeOnlyCrypto"]),
        // A small HTTP/1.1 server over POSIX sockets on loopback: used by the tests of the
        // transport and by the simulator. Not a product of its own.
        .target(name: "TradeOnlyLoopback"),
        // One module per exchange: environments, signer, endpoint policy, key inspector, client, wire models.
        .target(name: "TradeOnlyBinance", dependencies: ["TradeOnly", "TradeOnlyCrypto"]),
        .target(name: "TradeOnlyBybit", dependencies: ["TradeOnly", "TradeOnlyCrypto"]),
        // An in-process exchange speaking each exchange's wire format, with its own (independent)
        // signature verification, and a loopback HTTP server in front of it.
        .target(name: "TradeOnlySimulator", dependencies: ["TradeOnly", "TradeOnlyCrypto", "TradeOnlyLoopback"]),
        // What the tests of every module and `tradeonly-bench faults` share: the reference endpoint lists
        // (JSON resources), the path tricks, hostile middlewares, the fault-run subjects and the one payload
        // loader. Not a product, and no library product depends on it.
        .target(
            name: "TradeOnlyTestSupport",
            dependencies: ["TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"],
            resources: [.copy("Resources")]
        ),

        // The examples: what users copy. Each one is a single folder that depends only on products.
        .executableTarget(
            name: "TradeOnlyDemo",
            dependencies: ["TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"],
            path: "Examples/Demo"
        ),
        .executableTarget(
            name: "TradeOnlyKeyCheck",
            dependencies: ["TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"],
            path: "Examples/KeyCheck"
        ),
        .executableTarget(
            name: "TradeOnlyGridBot",
            dependencies: ["TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"],
            path: "Examples/GridBot"
        ),
        // Every Swift sample of Documentation/*.md and README.md, one file per guide, so `swift build`
        // proves they compile. Not a product: nothing here is meant to be called.
        .target(
            name: "TradeOnlySnippets",
            dependencies: ["TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"],
            path: "Examples/Snippets"
        ),
        .executableTarget(
            name: "TradeOnlyBench",
            dependencies: [
                "TradeOnlyCrypto", "TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator",
                "TradeOnlyTestSupport",
            ],
            path: "Benchmarks"
        ),
        .executableTarget(
            name: "TradeOnlySim",
            dependencies: ["TradeOnly", "TradeOnlySimulator"],
            path: "Examples/Sim"
        ),

        .testTarget(
            name: "TradeOnlyCryptoTests",
            dependencies: ["TradeOnlyCrypto"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "TradeOnlyTests",
            dependencies: ["TradeOnly", "TradeOnlyLoopback", "TradeOnlyTestSupport"]
        ),
        .testTarget(
            name: "TradeOnlyBinanceTests",
            dependencies: ["TradeOnlyBinance", "TradeOnly", "TradeOnlyTestSupport"],
            resources: [.copy("Payloads")]
        ),
        .testTarget(
            name: "TradeOnlyBybitTests",
            dependencies: ["TradeOnlyBybit", "TradeOnly", "TradeOnlyTestSupport"],
            resources: [.copy("Payloads")]
        ),
        .testTarget(
            name: "TradeOnlySimulatorTests",
            dependencies: [
                "TradeOnlySimulator", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnly", "TradeOnlyLoopback",
                "TradeOnlyTestSupport",
            ]
        ),
        // The behaviour contract of the core protocols, run identically for every exchange module
        // (against the simulator and canned transports): a new module is done when it passes it.
        .testTarget(
            name: "TradeOnlyConformanceTests",
            dependencies: ["TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"]
        ),
        // Runs the built example executables and checks their output; checks that every Swift block of
        // the guides is compiled in TradeOnlySnippets, and runs the samples that need no network.
        .testTarget(
            name: "TradeOnlyExampleTests",
            dependencies: ["TradeOnlySnippets", "TradeOnly", "TradeOnlyBinance", "TradeOnlyBybit", "TradeOnlySimulator"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
