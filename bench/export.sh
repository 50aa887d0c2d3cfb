#!/bin/sh
# Snapshot export at scale: `xcdash export` of the whole dashboard in every
# format from the cache bench_store builds (BENCH_ITEMS news items, one
# million by default), with wall time and peak memory per format against the
# targets (under 1 s and 64 MB each).
#   sh bench/export.sh BUILD_DIR
# Environment (as bench/run.sh):
#   BENCH_ITEMS        items in the cache (default 1000000)
#   BENCH_DIR          scratch directory (default /tmp/xcdash-bench)
#   BENCH_EXPORT_RUNS  timed runs per format, the median is shown (default 3)
# The cache is BENCH_DIR/store.db as bench_store leaves it (run.sh runs that
# first); when it is missing, bench_store builds it (about a minute per
# million items). Peak memory is GNU time's %M; as root the script installs
# `time` when it is missing.
set -eu

build=${1:?usage: bench/export.sh BUILD_DIR}
items=${BENCH_ITEMS:-1000000}
dir=${BENCH_DIR:-/tmp/xcdash-bench}
runs=${BENCH_EXPORT_RUNS:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/xcdash"
db="$dir/store.db"
out="$dir/export"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config"
# The profiles without data/sources.json: the bench cache holds bench_store's
# own sources (origin "bench"), and the default list would only add 37 real
# ones it never fetches.
export XCDASH_DATA_DIR="$dir/export-data"
mkdir -p "$XCDASH_DATA_DIR"
for f in companies.json chips.json models.json relations.json; do
    cp "$src/data/$f" "$XCDASH_DATA_DIR/$f"
done

TARGET_MS=1000
TARGET_KB=$((64 * 1024))

if ! [ -x /usr/bin/time ]; then
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 || true
    fi
fi

if ! [ -f "$db" ]; then
    echo "bench export: building the $items-item cache with bench_store" >&2
    mkdir -p "$dir"
    "$build/bench/bench_store" --items "$items" --runs 1 --db "$db" >/dev/null
fi
mkdir -p "$out" "$HOME"

# One untimed export first: it records the profiles' fingerprint in the cache
# (a write, once) and warms the file cache, as for a user's second export.
"$bin" --db "$db" export --format json -o "$out/warm.json" --force >/dev/null

now_ns() { date +%s%N; }

# Runs one export: prints "ms kb".
one() {
    fmt=$1
    shift
    t0=$(now_ns)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$out/time.txt" "$bin" --db "$db" export --format "$fmt" "$@" \
            --force >/dev/null
        kb=$(tail -n 1 "$out/time.txt")
    else
        "$bin" --db "$db" export --format "$fmt" "$@" --force >/dev/null
        kb=0
    fi
    t1=$(now_ns)
    echo "$(((t1 - t0) / 1000000)) $kb"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

news=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["news"]), d["news_window"]["total"], len(d["companies"]), len(d["sources"]))' "$out/warm.json" 2>/dev/null || echo "? ? ? ?")
set -- $news
total=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute("SELECT count(*) FROM news").fetchone()[0])' "$db" 2>/dev/null || echo "?")
echo
echo "xcdash export benchmark: the whole dashboard from a cache of $total news items"
echo "  window: $1 news items written of $2 in the last 7 days; $3 companies, $4 sources; median of $runs runs"
echo
printf '  %-16s %10s %12s %12s  %s\n' "format" "wall" "peak RSS" "file" "result"
for spec in "json" "csv companies" "csv news" "md" "xlsx" "html"; do
    set -- $spec
    fmt=$1
    table=${2:-}
    ext=$fmt
    file="$out/snap${table:+-$table}.$ext"
    : >"$out/runs.txt"
    i=0
    while [ $i -lt "$runs" ]; do
        if [ -n "$table" ]; then
            one "$fmt" --table "$table" -o "$file" >>"$out/runs.txt"
        else
            one "$fmt" -o "$file" >>"$out/runs.txt"
        fi
        i=$((i + 1))
    done
    ms=$(cut -d' ' -f1 "$out/runs.txt" | median)
    kb=$(cut -d' ' -f2 "$out/runs.txt" | sort -n | tail -n 1)
    size=$(wc -c <"$file")
    result=PASS
    if [ "$ms" -ge "$TARGET_MS" ] || [ "$kb" -ge "$TARGET_KB" ]; then result=MISS; fi
    [ "$kb" -eq 0 ] && result="$result (no GNU time: memory not measured)"
    printf '  %-16s %7d ms %9.1f MB %9.1f KB  %s\n' "$fmt${table:+ $table}" "$ms" \
        "$(echo "$kb" | awk '{ print $1 / 1024 }')" "$(echo "$size" | awk '{ print $1 / 1024 }')" \
        "$result"
done
echo "  targets: under ${TARGET_MS} ms and 64 MB each (wall includes starting the process and opening the cache)"
