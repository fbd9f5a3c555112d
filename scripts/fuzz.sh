#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 10; ENSEMBLE_LONG=1: 600) from the corpus in
# tests/fuzz/corpus. New inputs go to a temporary folder; a crash, leak or timeout is saved under
# build-fuzz/artifacts and fails the run. Build first: cmake --preset fuzz && cmake --build --preset fuzz --target fuzzers
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-$([ "${ENSEMBLE_LONG:-0}" = 1 ] && echo 600 || echo 10)}
bin=${ENSEMBLE_FUZZ_DIR:-build-fuzz}/bin
artifacts=${ENSEMBLE_FUZZ_DIR:-build-fuzz}/artifacts
mkdir -p "$artifacts"
failed=()
for target in fuzz_http fuzz_json fuzz_writers fuzz_mail fuzz_webhook; do
  if [ ! -x "$bin/$target" ]; then echo "fuzz: $bin/$target is missing" >&2; failed+=("$target"); continue; fi
  work=$(mktemp -d)
  out=$("$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
        -artifact_prefix="$artifacts/$target-" "$work" "tests/fuzz/corpus/$target" 2>&1)
  rc=$?
  rm -rf "$work"
  runs=$(printf '%s\n' "$out" | grep -Eo '^Done [0-9]+ runs' | grep -Eo '[0-9]+' || echo 0)
  if [ $rc -ne 0 ]; then
    printf '%s\n' "$out" | grep -E 'ERROR|SUMMARY|Test unit written|Running:|#0 |#1 |#2 |#3 ' | head -20
    echo "fuzz: $target FAILED (exit $rc); the input is under $artifacts"
    failed+=("$target")
  else
    echo "fuzz: $target ok, $runs runs in ${seconds}s"
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failed: ${failed[*]}"; exit 1; }
