#!/bin/sh
# Runs xcdash's benchmarks (make bench) and prints their tables.
#   sh bench/run.sh BUILD_DIR
# Environment:
#   BENCH_ITEMS   news items in the generated cache (default 1000000)
#   BENCH_RUNS    timed repetitions per query (default 21)
#   BENCH_DIR     scratch directory for the caches (default /tmp/xcdash-bench)
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

# Fetching: xcdash against newsboat and sfeed on 200 feeds served from loopback.
bench_fetch() {
    sh "$src/bench/fetch.sh" "$build"
}

main() {
    machine
    bench_store
    bench_fetch
}

main
