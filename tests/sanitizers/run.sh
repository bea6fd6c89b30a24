#!/bin/sh
# Usage: tests/sanitizers/run.sh address|thread BUILD_DIR
#
# Runs the C++ tests and the Python smoke suite (smoke_tests.txt) against a
# build configured with -DEMBER_SANITIZE=address|thread (`make test-asan`,
# `make test-tsan` build it first). Fails if a test fails or if any process
# wrote a sanitizer report: the driver, its Python workers, `ember
# executor` processes and the C++ tests all write their reports into
# BUILD_DIR/sanitizer-reports (log_path), so a report from an executor the
# scheduler merely replaced still fails the run.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 address|thread BUILD_DIR" >&2; exit 2; }
mode=$1
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
masters=${EMBER_SANITIZER_MASTERS:-"local[2];local-cluster[2,1,1024]"}

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
preload=$(cache EMBER_SANITIZER_PRELOAD)
[ -n "$preload" ] || { echo "$build/CMakeCache.txt: not configured with -DEMBER_SANITIZE" >&2; exit 2; }
# The package's Python files from the source tree, this build's _core
# (python/ember/__init__.py looks in EMBER_CORE_DIR first).
export EMBER_CORE_DIR="$(cache EMBER_CORE_OUTPUT_DIR)"

reports="$build/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
case $mode in
address)
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan"
  export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
  ;;
thread)
  # Not halting: a race report does not corrupt memory, and one run then
  # shows every race it met; the report files still fail the run.
  export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:suppressions=$here/tsan.supp:log_path=$reports/tsan"
  ;;
*) echo "$0: unknown sanitizer '$mode' (address or thread)" >&2; exit 2 ;;
esac

# Debian's python3 is not instrumented: the runtime must be loaded before
# the instrumented _core. Every child inherits it: the C++ tests' workers,
# the driver's workers and executors, the drivers fault tests start (ctest
# passes it on to the C++ tests).
export LD_PRELOAD="$preload"
failed=0
(cd "$build" && ctest --output-on-failure -j 2) || failed=1

tests=$(grep -v -e '^#' -e '^$' "$here/smoke_tests.txt")
# shellcheck disable=SC2086  # one test path per word
(cd "$root" && PYTHONPATH="$root/python" EMBER_EXECUTABLE="$build/ember" EMBER_TEST_MASTERS="$masters" \
  "$python" -m pytest -n 2 --timeout=900 -q -p no:cacheprovider $tests) || failed=1

if [ -n "$(ls "$reports")" ]; then
  for report in "$reports"/*; do
    echo "=== $report"
    cat "$report"
  done
  echo "sanitizer reports above (in $reports)" >&2
  failed=1
fi
exit $failed
