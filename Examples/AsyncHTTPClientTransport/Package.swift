// swift-tools-version:6.0
//
// An example package: a TradeOnly `HTTPTransport` over AsyncHTTPClient (SwiftNIO), for a bot that
// already runs on NIO or needs what AsyncHTTPClient offers. It depends on TradeOnly by relative
// path, as your bot's package would on a clone; TradeOnly itself depends on no package. Build and
// test it from the repository's root with
//
//     swift build --package-path Examples/AsyncHTTPClientTransport
//     swift test --package-path Examples/AsyncHTTPClientTransport
//
// The first build compiles SwiftNIO and AsyncHTTPClient: a few minutes.

import PackageDescription

// SwiftPM names a dependency given by path after the folder it is in (see
// Documentation/GettingStarted.md): here the repository's folder, whatever the clone is called.
let tradeOnly = Context.packageDirectory.split(separator: "/").dropLast(2).last.map(String.init) ?? "TradeOnly"

let package = Package(
    name: "AsyncHTTPClientTransport",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "TradeOnlyAsyncHTTPClient", targets: ["TradeOnlyAsyncHTTPClient"])
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        .target(
            name: "TradeOnlyAsyncHTTPClient",
            dependencies: [
                .product(name: "TradeOnly", package: tradeOnly),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "TradeOnlyAsyncHTTPClientTests",
            dependencies: [
                "TradeOnlyAsyncHTTPClient",
                .product(name: "TradeOnly", package: tradeOnly),
                .product(name: "TradeOnlyBinance", package: tradeOnly),
                .product(name: "TradeOnlySimulator", package: tradeOnly),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
