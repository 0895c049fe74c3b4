import Foundation
import TradeOnly

/// The core JSON reader on a 2,000-symbol exchange-info answer (about 4 MB): checking and skipping it
/// in one pass (the scanner), and reading it into a tree. Both in MB/s.
let jsonBenchmarks = BenchmarkGroup(
    name: "json",
    benchmarks: [
        Benchmark(name: "json.skip_exchange_info_2000", unit: "MB/s") {
            let body = BinanceBench.exchangeInfo(symbols: 2000)
            let reads = { () -> Bool in
                (try? JSONReader.read(body, options: .responses) { (reader: inout JSONReader) throws(JSONError) -> Bool in
                    try reader.skipValue()
                    try reader.finish()
                    return true
                }) == true
            }
            guard reads() else { return .nan }
            let timing = measure(budget: .seconds(1)) { blackHole(reads()) }
            return megabytesPerSecond(bytes: body.count, nanosecondsPerOperation: timing.best)
        },
        Benchmark(name: "json.tree_exchange_info_2000", unit: "MB/s") {
            let body = BinanceBench.exchangeInfo(symbols: 2000)
            guard (try? JSONValue.parse(body, options: .responses)) != nil else { return .nan }
            let timing = measure(budget: .seconds(1)) { blackHole(try? JSONValue.parse(body, options: .responses)) }
            return megabytesPerSecond(bytes: body.count, nanosecondsPerOperation: timing.best)
        },
    ])
