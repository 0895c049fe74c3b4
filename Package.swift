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
        .executable(name: "tradeonly-demo", targets: ["TradeOnlyDemo"]),
        .executable(name: "tradeonly-bench", targets: ["TradeOnlyBench"]),
    ],
    targets: [
        // SHA-256, SHA-512, HMAC, constant-time comparison, hex. Pure Swift.
        .target(name: "TradeOnlyCrypto"),
        // The core: keys and secrets, HTTP transport, signing policy, market and trading vocabulary.
        .target(name: "TradeOnly", dependencies: ["TradeOnlyCrypto"]),
        // A small HTTP/1.1 server over POSIX sockets on loopback: used by the tests of the
        // transport and by the simulator. Not a product of its own.
        .target(name: "TradeOnlyLoopback"),

        .executableTarget(
            name: "TradeOnlyDemo",
            dependencies: ["TradeOnly"],
            path: "Examples/Demo"
        ),
        .executableTarget(
            name: "TradeOnlyBench",
            dependencies: ["TradeOnlyCrypto", "TradeOnly"],
            path: "Benchmarks"
        ),

        .testTarget(
            name: "TradeOnlyCryptoTests",
            dependencies: ["TradeOnlyCrypto"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "TradeOnlyTests",
            dependencies: ["TradeOnly", "TradeOnlyLoopback"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
