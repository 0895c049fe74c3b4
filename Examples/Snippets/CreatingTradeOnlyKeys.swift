// swift-format-ignore-file
// (Not formatted: this file holds the guides' Swift samples line for line (DocumentationTests
// compares them), laid out by hand at the guides' reading width.)
// The Swift samples of Documentation/CreatingTradeOnlyKeys.md, compiled by `swift build`.
//
// Each sample is here as it is in the guide: declarations at file level, statements as the body of a
// function, so that it compiles without running. Imports are at the top. Keep the two in step:
// TradeOnlyExampleTests checks that every Swift block of the guide is here, line for line.
import TradeOnly

let livePolicy = KeyPolicy.tradeOnly
    .requiring([.spotTrade])
    .requiringIPWhitelist()
    .requiringMinimumDaysToExpiry(14)
