#!/usr/bin/env bash
# Runs every test suite: Boost.Test (SQLite and a throw-away PostgreSQL), HTTP tests against the real
# server, browser tests in headless Chromium. Starts and stops what the tests need.
# ENSEMBLE_BUILD_DIR (default build), ENSEMBLE_SUITES (default "unit http browser", plus "fuzz" when
# build-fuzz has the fuzz targets), ENSEMBLE_LONG=1 for the long variants (crash loop rounds, fuzz time).
set -uo pipefail
cd "$(dirname "$0")/.."
export ENSEMBLE_BUILD_DIR=${ENSEMBLE_BUILD_DIR:-build}
export ENSEMBLE_BIN=$PWD/$ENSEMBLE_BUILD_DIR/bin/ensemble
default_suites="unit http browser"
[ -x "${ENSEMBLE_FUZZ_DIR:-build-fuzz}/bin/fuzz_http" ] && default_suites="$default_suites fuzz"
suites=${ENSEMBLE_SUITES:-$default_suites}
# Sanitizer builds: every finding fails the run; leaks are reported by the suites' own processes.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
py=/usr/bin/python3
failed=()

eval "$(scripts/pg-temp.sh start)" || { echo "test: cannot start PostgreSQL" >&2; exit 1; }
trap 'scripts/pg-temp.sh stop "$ENSEMBLE_PG_TEMP_DIR"' EXIT

started=$(date +%s)
for suite in $suites; do
  echo "=== $suite ==="
  case "$suite" in
    unit)
      ctest --test-dir "$ENSEMBLE_BUILD_DIR" --output-on-failure -j2 || failed+=(unit) ;;
    http)
      $py -m unittest discover -s tests/http -p 'test_*.py' -t . || failed+=(http) ;;
    browser)
      if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
        node tests/browser/run.mjs || failed+=(browser)
      fi ;;
    fuzz)
      scripts/fuzz.sh || failed+=(fuzz) ;;
    *) echo "unknown suite $suite" >&2; failed+=("$suite") ;;
  esac
done
echo "=== done in $(( $(date +%s) - started )) s ==="
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED: ${failed[*]}"; exit 1; fi
echo "all suites passed"
