#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz for a bounded time and reports what it did.
# Usage: tools/run-fuzzer.sh [--fresh] BUILD_DIR TARGET SECONDS
#   --fresh  start from the committed seeds only, in a throw-away corpus (the CI run);
#            otherwise the corpus grows in BUILD_DIR/corpus/TARGET across runs.
# Crashes are written to BUILD_DIR/artifacts/TARGET/; the script then exits non-zero and
# prints how to reproduce. Add the crashing input to tests/fuzz/corpus/TARGET/ with a name
# saying what broke, and a regression test, once fixed.
set -euo pipefail

fresh=0
if [ "${1:-}" = "--fresh" ]; then fresh=1; shift; fi
[ $# -eq 3 ] || { echo "usage: $0 [--fresh] BUILD_DIR TARGET SECONDS" >&2; exit 64; }
build=$1 target=$2 seconds=$3
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$build/bin/fuzz_$target
seeds=$root/tests/fuzz/corpus/$target
[ -x "$binary" ] || { echo "run-fuzzer.sh: $binary is not built (make build-fuzz)" >&2; exit 66; }

artifacts=$build/artifacts/$target
mkdir -p "$artifacts"
if [ $fresh -eq 1 ]; then
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus"' EXIT
else
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
fi
log=$build/fuzz-$target.log
[ $fresh -eq 1 ] && log=$build/fuzz-$target-ci.log

# -rss_limit_mb: an import must never need gigabytes; -max_len: records of a few KiB, with
# room for the limits' paths (64-byte fields in the ingest target's small-limit mode).
# -timeout: one input taking more than 60 s (wall clock, on a loaded machine) is a hang, reported as a crash.
set +e
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$binary" "$corpus" "$seeds" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -timeout=60 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
if [ $status -ne 0 ]; then
  echo "fuzz_$target: FAILED after $runs executions (exit $status); log: $log" >&2
  grep -E 'ERROR|broken promise|SUMMARY|Test unit written' "$log" | head -20 >&2 || true
  echo "reproduce: $binary $artifacts/<crash-file>" >&2
  exit 1
fi
echo "fuzz_$target: ${seconds}s, $runs executions, coverage $cov, no crash"
