// tradeonly-bench: prints one JSON object per line: {"name": …, "unit": …, "value": …}.
//
//     swift run -c release tradeonly-bench          # every benchmark
//     swift run -c release tradeonly-bench sha      # only those whose name contains "sha"
//
// Subcommands (the first argument):
//
//     swift run -c release tradeonly-bench faults --exchange binance --orders 100000 --seed 7
//         the long fault-injection run: one JSON object per exchange (see FaultBenchmarks.swift)
//
// To add a group, define a `BenchmarkGroup` in its own file and list it here.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let groups: [BenchmarkGroup] = [
    cryptoBenchmarks,
    binanceBenchmarks,
    bybitBenchmarks,
    jsonBenchmarks,
]

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "faults" {
    exit(runFaultCommand(Array(arguments.dropFirst())))
}
runBenchmarks(groups, filters: arguments)
