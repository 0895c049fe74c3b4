#!/usr/bin/env bash
# Builds the libFuzzer harness of the core JSON reader and runs it.
#
#     Fuzz/run-json-fuzz.sh                 # 10,000,000 executions
#     Fuzz/run-json-fuzz.sh -runs=1000      # any libFuzzer flags (they replace the default -runs)
#     FUZZ_JOBS=2 Fuzz/run-json-fuzz.sh     # parallel jobs (each with its own -runs budget)
#     FUZZ_FORK=3 Fuzz/run-json-fuzz.sh     # three child processes sharing the one -runs budget
#
# The harness is compiled with the reader's own sources (not through SwiftPM, so `swift build` never
# needs libFuzzer). Work files go to .build/fuzz-json/ (the binary, the growing corpus, crash files).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/fuzz-json"
mkdir -p "$work/corpus" "$work/artifacts"

sources=(
    "$root/Fuzz/JSONReader/main.swift"
    "$root/Fuzz/JSONReader/Imports.swift"
    "$root/Sources/TradeOnly/JSON/JSONError.swift"
    "$root/Sources/TradeOnly/JSON/JSONReader.swift"
    "$root/Sources/TradeOnly/JSON/JSONValue.swift"
    "$root/Sources/TradeOnly/Market/Decimal+Wire.swift"
    "$root/Sources/TradeOnly/Market/DecimalDigits.swift"
    "$root/Sources/TradeOnly/Market/ExactDecimal.swift"
)

# Rebuilt when a source is newer than the binary.
stale=0
for source in "${sources[@]}"; do
    if [ ! -x "$work/json-fuzz" ] || [ "$source" -nt "$work/json-fuzz" ]; then stale=1; fi
done
if [ "$stale" -eq 1 ]; then
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name TradeOnly -module-name JSONFuzz \
        "${sources[@]}" -o "$work/json-fuzz"
fi

# The seed corpus: every JSON payload of the tests, plus a few hand-written edge cases.
for payload in "$root"/Tests/*/Payloads/*.json; do
    cp "$payload" "$work/corpus/seed-$(basename "$(dirname "$(dirname "$payload")")")-$(basename "$payload")"
done
cp "$root"/Fuzz/JSONReader/seeds/* "$work/corpus/"

if [ "$#" -eq 0 ]; then set -- -runs=10000000; fi
jobs="${FUZZ_JOBS:-1}"
extra=()
if [ "$jobs" -gt 1 ]; then extra=(-jobs="$jobs" -workers="$jobs"); fi
# FUZZ_FORK=N: N child processes sharing one -runs budget (libFuzzer's fork mode).
if [ -n "${FUZZ_FORK:-}" ]; then extra+=(-fork="$FUZZ_FORK"); fi
cd "$work"
# Allocation stack traces are most of AddressSanitizer's cost here; bounds checking stays.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=0:detect_leaks=0}"
exec ./json-fuzz -dict="$root/Fuzz/JSONReader/json.dict" -max_len="${FUZZ_MAX_LEN:-2048}" -artifact_prefix="$work/artifacts/" \
    -print_final_stats=1 "${extra[@]}" "$@" "$work/corpus"
