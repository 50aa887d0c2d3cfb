#!/bin/sh
# Runs every test binary in BUILD/tests (cmocka, TAP output) and every
# tests/e2e_*.sh script (TAP), prints each failure's log and ends with
# "N passed, N failed". Exits non-zero when anything failed or nothing ran.
#   sh tests/run.sh BUILD_DIR [NAME_FILTER]
build=${1:?usage: tests/run.sh BUILD_DIR [FILTER]}
filter=${2:-}
logdir="$build/test-logs"
mkdir -p "$logdir"
export XCDASH_BIN="$PWD/$build/xcdash"
export XCDASH_DATA_DIR="$PWD/data"
export XCDASH_SRC="$PWD"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
passed=0
failed=0

run_one() {
    name=$1
    shift
    log="$logdir/$name.log"
    "$@" >"$log" 2>&1
    rc=$?
    ok=$(grep -c '^ok ' "$log")
    bad=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        bad=1 # crashed, sanitizer report, or failed outside a test case
    fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -gt 0 ]; then
        printf '%-28s %3d passed, %d FAILED (exit %d)\n' "$name" "$ok" "$bad" "$rc"
        sed 's/^/    | /' "$log" | tail -n 60
    else
        printf '%-28s %3d passed\n' "$name" "$ok"
    fi
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.o | *.d) continue ;; esac
    name=$(basename "$t")
    [ -n "$filter" ] && case "$name" in *"$filter"*) ;; *) continue ;; esac
    run_one "$name" "$t"
done
for t in tests/e2e_*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    [ -n "$filter" ] && case "$name" in *"$filter"*) ;; *) continue ;; esac
    run_one "$name" sh "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
