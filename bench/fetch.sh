#!/bin/sh
# Fetching: xcdash against newsboat and sfeed on the same feeds, same run.
#   sh bench/fetch.sh BUILD_DIR
# BUILD_DIR holds xcdash and bench/gen_feeds and bench/bench_parse (make bench).
#
# Serves BENCH_FEEDS RSS feeds of BENCH_FEED_ITEMS items (gen_feeds: 200 x 200,
# about 46 MB of Chinese and English news) from an nginx on the loopback
# interface, started here with its own configuration and stopped on exit.
# Then, BENCH_FETCH_RUNS times, and in the same order each time:
#   xcdash    `fetch --once` into a fresh cache (sources imported from OPML
#             beforehand, untimed), 8 transfers at once;
#   newsboat  `-x reload` with reload-threads 8, fresh cache;
#   sfeed     `sfeed_update` with maxjobs=8, fresh sfeedpath;
# each cold, then again at once with every feed unchanged. nginx sends an
# ETag and Last-Modified, so a client that asks conditionally gets 304s
# (newsboat 2.21 keeps them only from its second pass on: see newsboat_run).
# A sync before each timed command keeps one tool's writeback out of the next.
# Wall time comes from date +%s%N around the command, peak memory from GNU
# time's %M (KB; the largest single process: for sfeed_update that is the
# biggest of its shell, curl, sfeed and sort processes, not their sum).
# Medians are printed with the issue's targets. Then parse throughput:
# bench_parse (fetch_parse_feed over the files in memory) against sfeed(1)
# reading the same bytes concatenated into one file, taking turns.
#
# Environment:
#   BENCH_FEEDS       feeds served (default 200)
#   BENCH_FEED_ITEMS  items per feed (default 200)
#   BENCH_FETCH_RUNS  cold+unchanged pairs per tool (default 3)
#   BENCH_PARSE_RUNS  parse rounds, each parser once per round (default 5)
#   BENCH_DIR         scratch directory (default /tmp/xcdash-bench; this uses fetch/ in it)
#   BENCH_PORT        loopback port for nginx (default 18080)
# Needs nginx, newsboat, sfeed, curl and GNU time: as root it installs the
# missing ones with apt-get; otherwise it prints the command, and a missing
# newsboat or sfeed only drops that column.
set -eu

build=${1:?usage: bench/fetch.sh BUILD_DIR}
feeds=${BENCH_FEEDS:-200}
items=${BENCH_FEED_ITEMS:-200}
runs=${BENCH_FETCH_RUNS:-3}
pruns=${BENCH_PARSE_RUNS:-5}
port=${BENCH_PORT:-18080}
top=${BENCH_DIR:-/tmp/xcdash-bench}
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
dir=$top/fetch
base=http://127.0.0.1:$port
parallel=8 # transfers at once for every tool: newsboat's reload-threads, sfeed's maxjobs

# The issue's targets.
target_vs_newsboat=5   # cold: xcdash at least this many times faster than newsboat
target_vs_sfeed=1.5    # cold: ... and than sfeed_update
target_warm_s=0.5      # the unchanged pass, at most (seconds)
target_peak_mb=40      # peak memory, at most (MB of 1024 KB)
target_parse_ratio=1.5 # parse: sfeed's throughput at most this many times xcdash's

export XCDASH_DATA_DIR="${XCDASH_DATA_DIR:-$src/data}"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

say() { printf '%s\n' "$*"; }
warn() { printf 'fetch: %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
. "$src/bench/lib.sh"

# ---- dependencies ----------------------------------------------------------

have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }
have_newsboat() { command -v newsboat >/dev/null 2>&1; }
have_sfeed() { command -v sfeed >/dev/null 2>&1 && command -v sfeed_update >/dev/null 2>&1; }
have_curl() { command -v curl >/dev/null 2>&1; }
have_time() { [ -x /usr/bin/time ] && /usr/bin/time -f '%M' true >/dev/null 2>&1; }

# Debian packages for what is missing.
missing_pkgs() {
    m=
    have_nginx || m="$m nginx-light"
    have_newsboat || m="$m newsboat"
    have_sfeed || m="$m sfeed"
    have_curl || m="$m curl"
    have_time || m="$m time"
    printf '%s' "${m# }"
}

deps() {
    # shellcheck disable=SC2046 # one word per package
    install_pkgs $(missing_pkgs)
}

# ---- the web server --------------------------------------------------------

nginx_pid=
stop_nginx() {
    if [ -n "$nginx_pid" ]; then
        kill "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
        nginx_pid=
    fi
}

# The HTTP status of one GET of feed-000.xml, 000 when nothing answers.
probe() {
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$base/feed-000.xml" 2>/dev/null || true
}

start_nginx() {
    ngx=$dir/nginx
    rm -rf "$ngx"
    mkdir -p "$ngx/tmp"
    if [ "$(probe)" != 000 ]; then
        warn "something already answers on 127.0.0.1:$port; set BENCH_PORT"
        return 1
    fi
    # Static files only: ETag and Last-Modified are on by default, so a GET with
    # If-None-Match or If-Modified-Since from the last response gets 304.
    # No gzip (every client gets the same bytes); the temp paths keep nginx out
    # of /var when it runs as an ordinary user.
    cat >"$ngx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    types { application/rss+xml xml; text/x-opml opml; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        root $dir/feeds;
    }
}
EOF
    nginx_bin=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
    "$nginx_bin" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" >"$ngx/stdout" 2>&1 &
    nginx_pid=$!
    i=0
    while [ "$(probe)" = 000 ] && [ $i -lt 50 ] && kill -0 "$nginx_pid" 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    code=$(probe)
    if [ "$code" != 200 ]; then
        warn "nginx on 127.0.0.1:$port answers '$code' for feed-000.xml (workers run as nobody when root: is $dir readable?)"
        cat "$ngx/error.log" "$ngx/stdout" >&2 2>/dev/null || true
        return 1
    fi
}

# ---- measuring -------------------------------------------------------------

# measure NAME CMD...: runs CMD (stdout and stderr to $out/NAME.out); sets
# wall_us and peak_kb. Fails with the output shown when CMD fails.
measure() {
    name=$1
    shift
    sync # the previous tool's writes go to disk now, not during this one's fsyncs
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%M' -o "$out/$name.mem" "$@" >"$out/$name.out" 2>&1; then
        warn "$name failed: $*"
        tail -n 20 "$out/$name.out" >&2
        return 1
    fi
    t1=$(date +%s%N)
    wall_us=$(((t1 - t0) / 1000))
    peak_kb=$(tail -n 1 "$out/$name.mem")
}

results=
record() { # TOOL PHASE: appends the last measurement
    printf '%s %s %s %s\n' "$1" "$2" "$wall_us" "$peak_kb" >>"$results"
}

# median TOOL PHASE FIELD (3 wall_us, 4 peak_kb); empty when never measured.
median() {
    awk -v t="$1" -v p="$2" -v f="$3" '$1 == t && $2 == p { print $f }' "$results" |
        sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# ---- the three clients -----------------------------------------------------

source_args=
xcdash_run() { # RUN
    c=$dir/run/xcdash
    rm -rf "$c"
    mkdir -p "$c/cfg" "$c/home"
    # Equal parallelism: the per-host default of 2 is politeness toward real servers.
    printf 'fetch.global_limit = %s\nfetch.host_limit = %s\n' $parallel $parallel >"$c/cfg/config"
    x() { HOME="$c/home" "$build/xcdash" --db "$c/cache.db" --config "$c/cfg" "$@"; }
    x sources import-opml "$dir/feeds/feeds.opml" >"$out/xcdash-import.out" 2>&1 ||
        { cat "$out/xcdash-import.out" >&2; return 1; }
    # shellcheck disable=SC2086 # --source ID pairs
    measure xcdash-cold env HOME="$c/home" "$build/xcdash" --db "$c/cache.db" --config "$c/cfg" \
        fetch --once $source_args
    record xcdash cold
    ok=$(grep -c ' ok  ' "$out/xcdash-cold.out" || true)
    [ "$ok" = "$feeds" ] || warn "xcdash cold: $ok of $feeds feeds ok (see $out/xcdash-cold.out)"
    # shellcheck disable=SC2086
    measure xcdash-warm env HOME="$c/home" "$build/xcdash" --db "$c/cache.db" --config "$c/cfg" \
        fetch --once $source_args
    record xcdash warm
    nm=$(grep -c 'not modified' "$out/xcdash-warm.out" || true)
    [ "$nm" = "$feeds" ] || warn "xcdash unchanged: $nm of $feeds feeds answered 304"
    if [ "$1" = 1 ]; then
        stored=$(x news --limit 1000000 --json 2>/dev/null | grep -c '"guid"' || true)
        xcdash_check="xcdash: $ok ok lines cold, $nm not modified unchanged, $stored items stored"
        [ "$stored" = $((feeds * items)) ] || warn "xcdash stored $stored items, expected $((feeds * items))"
    fi
}

# newsboat 2.21 stores a feed's ETag and Last-Modified only when the feed is
# already in its cache, so its first re-run still downloads and parses every
# feed. Run 1 times that second pass once and keeps the cache it leaves
# (validators stored) as $primed; every run's unchanged pass starts from a
# copy of it, and so gets 304 for every feed, as the issue's figure did.
newsboat_run() { # RUN
    c=$dir/run/newsboat
    primed=$dir/run/newsboat-primed.db
    rm -rf "$c"
    mkdir -p "$c/home"
    printf 'reload-threads %s\n' $parallel >"$c/config"
    nb_env="HOME=$c/home XDG_CONFIG_HOME=$c/home/.config XDG_DATA_HOME=$c/home/.local/share"
    # shellcheck disable=SC2086 # nb_env is three words
    measure newsboat-cold env $nb_env newsboat -x reload -u "$dir/feeds/urls" -c "$c/cache.db" -C "$c/config"
    record newsboat cold
    if [ "$1" = 1 ]; then
        # shellcheck disable=SC2086
        measure newsboat-second env $nb_env newsboat -x reload -u "$dir/feeds/urls" -c "$c/cache.db" -C "$c/config"
        record newsboat second
        cp "$c/cache.db" "$primed"
        if command -v sqlite3 >/dev/null 2>&1; then
            v=$(sqlite3 "$primed" "SELECT count(*) FROM rss_feed WHERE etag != '' OR lastmodified != 0")
            n=$(sqlite3 "$primed" "SELECT count(*) FROM rss_item")
            newsboat_check="newsboat: $n items stored, validators for $v of $feeds feeds after its second pass"
        fi
    fi
    rm -f "$c/cache.db" "$c/cache.db.lock"
    cp "$primed" "$c/cache.db"
    # shellcheck disable=SC2086
    measure newsboat-warm env $nb_env newsboat -x reload -u "$dir/feeds/urls" -c "$c/cache.db" -C "$c/config"
    record newsboat warm
}

sfeed_run() { # RUN
    c=$dir/run/sfeed
    rm -rf "$c"
    mkdir -p "$c/home"
    # sfeed_update sets its default sfeedpath before it reads the config: set ours there.
    printf 'sfeedpath="%s/feeds"\n. "%s"\n' "$c" "$dir/feeds/sfeedrc" >"$c/sfeedrc"
    measure sfeed-cold env HOME="$c/home" TMPDIR="$c" sfeed_update "$c/sfeedrc"
    record sfeed cold
    measure sfeed-warm env HOME="$c/home" TMPDIR="$c" sfeed_update "$c/sfeedrc"
    record sfeed warm
    if [ "$1" = 1 ]; then
        okl=$(grep -c ' OK$' "$out/sfeed-cold.out" || true)
        lines=$(cat "$c/feeds"/* | wc -l)
        sfeed_check="sfeed_update: $okl OK lines cold, $lines items stored"
        [ "$lines" = $((feeds * items)) ] || warn "sfeed_update stored $lines items, expected $((feeds * items))"
    fi
}

# ---- parse throughput ------------------------------------------------------

# The two parsers take turns, BENCH_PARSE_RUNS rounds, so that a busy
# moment on a shared machine hits both: each round is one bench_parse
# (the median of its 3 passes over every file) and one sfeed over the same
# bytes. Medians over the rounds.
parse_bench() {
    cat "$dir/feeds"/feed-*.xml >"$dir/all.xml"
    bytes=$(wc -c <"$dir/all.xml")
    # sfeed is a streaming tag parser: the files one after another are read as
    # one stream (every item comes out), and one process avoids timing 200 starts.
    sf_parse_items=
    have_sfeed && sf_parse_items=$(sfeed <"$dir/all.xml" | wc -l)
    : >"$out/parse.xc"
    : >"$out/parse.sf"
    k=0
    while [ $k -lt "$pruns" ]; do
        "$build/bench/bench_parse" --runs 3 "$dir/feeds" >"$out/parse.out" 2>"$out/parse.err" ||
            { cat "$out/parse.err" >&2; return 1; }
        sed -n 's/.* seconds=\([0-9.]*\) .*/\1/p' "$out/parse.out" >>"$out/parse.xc"
        if have_sfeed; then
            t0=$(date +%s%N)
            sfeed <"$dir/all.xml" >/dev/null
            t1=$(date +%s%N)
            echo $(((t1 - t0) / 1000)) | awk '{ print $1 / 1e6 }' >>"$out/parse.sf"
        fi
        k=$((k + 1))
    done
    xc_parse_items=$(sed -n 's/.* items=\([0-9]*\) .*/\1/p' "$out/parse.out")
    med() { sort -n "$1" | awk -v b="$bytes" '{ v[NR] = $1 } END { if (NR) printf "%.1f", b / 1e6 / v[int((NR + 1) / 2)] }'; }
    xc_mbps=$(med "$out/parse.xc")
    sf_mbps=$(med "$out/parse.sf")
}

# ---- the table -------------------------------------------------------------

# fmt_s US, fmt_mb KB, ratio A B (A/B), pass OK: formatting helpers.
fmt_s() { [ -n "$1" ] && awk -v u="$1" 'BEGIN { printf "%.2f s", u / 1e6 }' || printf -- '-'; }
fmt_mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }' || printf -- '-'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { # VALUE OP LIMIT
    awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = op == ">=" ? v >= l : v <= l; print ok ? "PASS" : "MISS" }'
}

report() {
    xc_cw=$(median xcdash cold 3) xc_cm=$(median xcdash cold 4)
    xc_ww=$(median xcdash warm 3) xc_wm=$(median xcdash warm 4)
    nb_cw=$(median newsboat cold 3) nb_cm=$(median newsboat cold 4)
    nb_ww=$(median newsboat warm 3) nb_wm=$(median newsboat warm 4)
    sf_cw=$(median sfeed cold 3) sf_cm=$(median sfeed cold 4)
    sf_ww=$(median sfeed warm 3) sf_wm=$(median sfeed warm 4)

    say ""
    say "fetch: $feeds feeds x $items items ($mb MB) from nginx on 127.0.0.1:$port, $parallel transfers at once, median of $runs"
    printf '  %-14s %10s %10s   %14s %14s\n' tool "cold wall" "cold peak" "unchanged wall" "unchanged peak"
    row() { printf '  %-14s %10s %10s   %14s %14s\n' "$1" "$(fmt_s "$2")" "$(fmt_mb "$3")" "$(fmt_s "$4")" "$(fmt_mb "$5")"; }
    row xcdash "$xc_cw" "$xc_cm" "$xc_ww" "$xc_wm"
    row newsboat "$nb_cw" "$nb_cm" "$nb_ww" "$nb_wm"
    row sfeed_update "$sf_cw" "$sf_cm" "$sf_ww" "$sf_wm"
    [ -n "${xcdash_check:-}" ] && say "  check: $xcdash_check"
    [ -n "${newsboat_check:-}" ] && say "  check: $newsboat_check"
    [ -n "${sfeed_check:-}" ] && say "  check: $sfeed_check"
    nb_2=$(median newsboat second 3)
    [ -n "$nb_2" ] && say "  newsboat's second pass (run 1; validators not yet stored, every feed downloaded again): $(fmt_s "$nb_2"); its unchanged column is the pass after, all 304"
    say "  sfeed_update's fetch is plain curl (no If-None-Match / If-Modified-Since): its unchanged pass downloads and parses everything again"
    say "  process start on this machine: $spawn_ms ms per fork+exec (sfeed_update forks about 38 times and runs about 17 programs per feed)"

    say ""
    say "parse (one thread, files in memory, turn about, median of $pruns rounds):"
    printf '  %-34s %8s MB/s  (%s items)\n' "xcdash fetch_parse_feed" "$xc_mbps" "$xc_parse_items"
    [ -n "$sf_mbps" ] && printf '  %-34s %8s MB/s  (%s items)\n' "sfeed < all feeds concatenated" "$sf_mbps" "$sf_parse_items"

    say ""
    say "targets:"
    tgt() { printf '  %-44s %12s  %s\n' "$1" "$2" "$3"; }
    if [ -n "$nb_cw" ]; then
        r=$(ratio "$nb_cw" "$xc_cw")
        tgt "cold: >= ${target_vs_newsboat}x faster than newsboat" "${r}x" "$(verdict "$r" '>=' $target_vs_newsboat)"
        r=$(ratio "$nb_ww" "$xc_ww")
        tgt "(unchanged vs newsboat, no target)" "${r}x" ""
    else
        tgt "cold: >= ${target_vs_newsboat}x faster than newsboat" "-" "not measured (newsboat missing)"
    fi
    if [ -n "$sf_cw" ]; then
        r=$(ratio "$sf_cw" "$xc_cw")
        tgt "cold: >= ${target_vs_sfeed}x faster than sfeed_update" "${r}x" "$(verdict "$r" '>=' $target_vs_sfeed)"
        r=$(ratio "$sf_ww" "$xc_ww")
        tgt "(unchanged vs sfeed_update, no target)" "${r}x" ""
    else
        tgt "cold: >= ${target_vs_sfeed}x faster than sfeed_update" "-" "not measured (sfeed missing)"
    fi
    w=$(awk -v u="$xc_ww" 'BEGIN { printf "%.3f", u / 1e6 }')
    tgt "unchanged pass <= ${target_warm_s} s" "$w s" "$(verdict "$w" '<=' $target_warm_s)"
    pk=$xc_cm
    [ "$xc_wm" -gt "$pk" ] && pk=$xc_wm
    m=$(awk -v k="$pk" 'BEGIN { printf "%.1f", k / 1024 }')
    tgt "peak memory <= ${target_peak_mb} MB" "$m MB" "$(verdict "$m" '<=' $target_peak_mb)"
    if [ -n "$sf_mbps" ]; then
        r=$(ratio "$sf_mbps" "$xc_mbps")
        tgt "parse: sfeed at most ${target_parse_ratio}x xcdash's MB/s" "${r}x" "$(verdict "$r" '<=' $target_parse_ratio)"
    fi
}

# ---- main ------------------------------------------------------------------

main() {
    deps
    if ! have_nginx || ! have_time || ! have_curl; then
        say "fetch: skipped (needs nginx, curl and GNU time: $(missing_pkgs))"
        return 0
    fi
    for b in xcdash bench/gen_feeds bench/bench_parse; do
        [ -x "$build/$b" ] || { warn "$build/$b missing: run make bench"; return 1; }
    done
    rm -rf "$dir"
    mkdir -p "$dir/run" "$dir/out"
    out=$dir/out
    results=$out/results
    : >"$results"

    "$build/bench/gen_feeds" --base "$base" "$dir/feeds" "$feeds" "$items" >"$out/gen.out"
    mb=$(sed -n 's/.*(\([0-9.]*\) MB).*/\1/p' "$out/gen.out")
    i=0
    while [ $i -lt "$feeds" ]; do
        source_args="$source_args --source $(printf 'bench-%03d' $i)"
        i=$((i + 1))
    done

    # what starting a process costs here: sfeed_update's figure depends on it
    t0=$(date +%s%N)
    i=0
    while [ $i -lt 200 ]; do
        /bin/true
        i=$((i + 1))
    done
    t1=$(date +%s%N)
    spawn_ms=$(awk -v n="$((t1 - t0))" 'BEGIN { printf "%.2f", n / 200 / 1e6 }')

    trap 'stop_nginx' EXIT
    trap 'stop_nginx; exit 130' INT TERM
    start_nginx

    r=1
    while [ $r -le "$runs" ]; do
        printf 'fetch: run %s of %s: xcdash' "$r" "$runs" >&2
        xcdash_run $r
        if have_newsboat; then
            printf ', newsboat' >&2
            newsboat_run $r
        fi
        if have_sfeed; then
            printf ', sfeed_update' >&2
            sfeed_run $r
        fi
        printf '\n' >&2
        r=$((r + 1))
    done
    stop_nginx
    parse_bench
    report
}

main
