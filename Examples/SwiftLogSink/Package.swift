// swift-tools-version:6.0
//
// An example package: a TradeOnly `LogSink` that forwards TradeOnly's (redacted) log events to
// swift-log. It depends on TradeOnly by relative path, as your bot's package would on a clone;
// TradeOnly itself depends on no package. Build and test it from the repository's root with
//
//     swift build --package-path Examples/SwiftLogSink
//     swift test --package-path Examples/SwiftLogSink

import PackageDescription

// SwiftPM names a dependency given by path after the folder it is in (see
// Documentation/GettingStarted.md): here the repository's folder, whatever the clone is called.
let tradeOnly = Context.packageDirectory.split(separator: "/").dropLast(2).last.map(String.init) ?? "TradeOnly"

let package = Package(
    name: "SwiftLogSink",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "TradeOnlySwiftLog", targets: ["TradeOnlySwiftLog"])
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "TradeOnlySwiftLog",
            dependencies: [
                .product(name: "TradeOnly", package: tradeOnly),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TradeOnlySwiftLogTests",
            dependencies: [
                "TradeOnlySwiftLog",
                .product(name: "TradeOnly", package: tradeOnly),
                .product(name: "TradeOnlySimulator", package: tradeOnly),
                .product(name: "TradeOnlyBinance", package: tradeOnly),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
