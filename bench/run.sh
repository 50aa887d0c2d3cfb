#!/bin/sh
# Runs xcdash's benchmarks (make bench) and prints their tables.
#   sh bench/run.sh BUILD_DIR
# Environment:
#   BENCH_ITEMS   news items in the generated cache (default 1000000)
#   BENCH_RUNS    timed repetitions per query (default 21)
#   BENCH_DIR     scratch directory for the caches (default /tmp/xcdash-bench)
#   BENCH_QUICK   1: a short dashboard run (bench/tui.sh: 1 run, 40 keys, 10 s idle)
# One function per benchmark section, called from main at the bottom.
# Uses POSIX sh and coreutils; bench/fetch.sh installs nginx, newsboat and
# sfeed from Debian when run as root.
set -eu

build=${1:?usage: bench/run.sh BUILD_DIR}
items=${BENCH_ITEMS:-1000000}
runs=${BENCH_RUNS:-21}
dir=${BENCH_DIR:-/tmp/xcdash-bench}
src=$(cd "$(dirname "$0")/.." && pwd)

export XCDASH_DATA_DIR="$src/data"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# Prints the machine the figures come from.
machine() {
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
}

# The store: ingest, first pages, keyset depth, search, bytes per item.
bench_store() {
    mkdir -p "$dir"
    "$build/bench/bench_store" --items "$items" --runs "$runs" --db "$dir/store.db"
}

# Browsing: search as you type and opening a profile, through the views' own code.
bench_browse() {
    "$build/bench/bench_browse" --db "$dir/store.db" --runs "$runs"
}

# Fetching: xcdash against newsboat and sfeed on 200 feeds served from loopback.
bench_fetch() {
    sh "$src/bench/fetch.sh" "$build"
}

# Snapshot export: every format of the whole dashboard from the store's cache.
bench_export() {
    sh "$src/bench/export.sh" "$build"
}

# The dashboard on a pty: first frame, key to frame, memory, idle CPU, against
# newsboat and sfeed_curses (BENCH_QUICK=1 for a short run).
bench_tui() {
    sh "$src/bench/tui.sh" "$build"
}

main() {
    machine
    bench_store
    bench_browse
    bench_fetch
    bench_export
    bench_tui
}

main
