// tradeonly-bench: prints one JSON object per line: {"name": …, "unit": …, "value": …}.
//
//     swift run -c release tradeonly-bench          # every benchmark
//     swift run -c release tradeonly-bench sha      # only those whose name contains "sha"
//
// To add a group, define a `BenchmarkGroup` in its own file and list it here.

let groups: [BenchmarkGroup] = [
    cryptoBenchmarks,
    binanceBenchmarks,
    bybitBenchmarks,
]

runBenchmarks(groups, filters: Array(CommandLine.arguments.dropFirst()))
