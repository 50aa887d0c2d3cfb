#!/bin/sh
# The dashboard on a terminal: xcdash against newsboat and sfeed_curses, same run.
#   sh bench/tui.sh BUILD_DIR
# BUILD_DIR holds xcdash and bench/bench_store (make bench); bench/ptyframe is
# compiled here from bench/ptyframe.c into BUILD_DIR/bench when missing or older.
#
# Why on a pty. What the issue asks (first frame, key to frame, peak memory,
# idle CPU) is what a user sees, and newsboat and sfeed_curses can only be
# timed from outside, so every program is driven the same way: ptyframe
# starts it on a 100x30 pseudo-terminal (TERM=xterm-256color, LANG=C.UTF-8)
# and times bursts of output (a frame ends at its last byte before 30 ms of
# quiet). See bench/ptyframe.c.
#
# The caches. bench_store (the store benchmark's generator: 40 sources, 60%
# Chinese headlines, 85% tagged to companies, so each pillar's news list is
# long) builds xcdash caches of BENCH_ITEMS (default 1,000,000) items and of
# 40,000 and 100,000. The big one is $BENCH_DIR/store.db when that holds
# exactly BENCH_ITEMS items and is newer than bench_store (the store benchmark
# has just built it); otherwise it is built here. The same 40,000 and 100,000
# items are copied, row for row, into a newsboat cache.db (newsboat makes its
# own schema on an empty urls file first; one feed per source) and into sfeed
# TSV files (one file per source, newest first), so the three programs show
# the same headlines. Caches are kept in $BENCH_DIR/tui and reused while
# newer than what they were made from.
#
# xcdash reads its profiles from a data directory without sources.json, so the
# cache holds only bench_store's own sources (origin "bench"). Its saved UI state (screen, focused panel) is
# cleared before each start, so every start is the same.
#
# What runs, per size, BENCH_TUI_RUNS times (3) in turn, after one untimed
# start each (the file cache is warm, as for a user who opens it daily):
#   xcdash --no-fetch (the UI alone; the bench sources' URLs are not real):
#           first frame = the overview with its status line ("? help");
#           then 2 (the GPU pillar), Right (focus its news), Down x N;
#   newsboat -C config -u urls -c cache.db (no reload on start):
#           first frame = the feed list ("Your feeds"); Enter (the biggest
#           feed's articles), Down x N;
#   sfeed_curses FILE... (biggest feed first): first frame = the first feed
#           loaded (its status line shows the item's URL); Right, Down x N.
# And once, xcdash at the big size idle for BENCH_TUI_IDLE seconds (60) on
# its overview: CPU of all its threads over that time.
# First frames and key medians are medians over the runs; peak memory is
# the largest of the runs. Ratios are the other program's figure divided
# by xcdash's, at the same size and against xcdash at the big size.
#
# Environment:
#   BENCH_ITEMS      items in the big xcdash cache (default 1000000)
#   BENCH_TUI_RUNS   timed starts per program and size (default 3)
#   BENCH_TUI_KEYS   Down presses per start (default 200)
#   BENCH_TUI_IDLE   idle seconds (default 60)
#   BENCH_QUICK=1    a quick look: 1 run, 40 keys, 10 s idle
#   BENCH_DIR        scratch directory (default /tmp/xcdash-bench; this uses tui/ in it)
# Needs newsboat, sfeed (sfeed_curses), the sqlite3 shell and a C compiler:
# as root it installs the missing packages with apt-get; otherwise it says
# which, and a missing newsboat or sfeed only drops that program.
set -eu

build=${1:?usage: bench/tui.sh BUILD_DIR}
big=${BENCH_ITEMS:-1000000}
runs=${BENCH_TUI_RUNS:-3}
nkeys=${BENCH_TUI_KEYS:-200}
idle=${BENCH_TUI_IDLE:-60}
if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK:-0}" != 0 ]; then
    runs=${BENCH_TUI_RUNS:-1}
    nkeys=${BENCH_TUI_KEYS:-40}
    idle=${BENCH_TUI_IDLE:-10}
fi
sizes="40000 100000" # the issue's newsboat and sfeed_curses figures are at these sizes
top=${BENCH_DIR:-/tmp/xcdash-bench}
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
dir=$top/tui
pty=$build/bench/ptyframe
geometry=100x30

# The issue's targets, for xcdash at the big size.
target_first_ms=50
target_key_ms=16
target_peak_mb=32
target_idle_pct=0.5

export XCDASH_DATA_DIR="${XCDASH_DATA_DIR:-$src/data}"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

say() { printf '%s\n' "$*"; }
warn() { printf 'tui: %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
. "$src/bench/lib.sh"

# ---- dependencies ----------------------------------------------------------

have_newsboat() { command -v newsboat >/dev/null 2>&1; }
have_sfeed() { command -v sfeed_curses >/dev/null 2>&1; }
have_sqlite() { command -v sqlite3 >/dev/null 2>&1; }
have_cc() { command -v "${CC:-cc}" >/dev/null 2>&1; }

missing_pkgs() {
    m=
    have_newsboat || m="$m newsboat"
    have_sfeed || m="$m sfeed"
    have_sqlite || m="$m sqlite3"
    have_cc || m="$m gcc"
    printf '%s' "${m# }"
}

deps() {
    # shellcheck disable=SC2046 # one word per package
    install_pkgs $(missing_pkgs)
}

# The pty driver: plain C and libc, so it is built here rather than linked
# with the program's objects. -lutil: forkpty lived there before glibc 2.34.
build_ptyframe() {
    if [ -x "$pty" ] && ! newer "$src/bench/ptyframe.c" "$pty"; then return 0; fi
    mkdir -p "$build/bench"
    # shellcheck disable=SC2086 # CFLAGS are words
    "${CC:-cc}" -std=c17 -D_GNU_SOURCE ${CFLAGS:--O2 -g} -Wall -Wextra -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Wpointer-arith -Wcast-align -Wundef -Wvla \
        -Wimplicit-fallthrough -Wold-style-definition -Wmissing-declarations \
        -o "$pty" "$src/bench/ptyframe.c" -lutil
}

# ---- the caches --------------------------------------------------------------

# newer A B: whether file A was modified after file B (POSIX: find -newer).
newer() {
    [ -n "$(find "$1" -prune -newer "$2" 2>/dev/null)" ]
}

# A cache is reused while it is complete (its .done stamp) and newer than
# what it was made from.
fresh() { # FILE SOURCE
    [ -f "$1" ] && [ -f "$1.done" ] && newer "$1.done" "$2"
}

# xc_cache N: sets xc_db to an xcdash cache of N items from bench_store.
xc_cache() {
    n=$1
    gen=$build/bench/bench_store
    # the store benchmark's own cache, when it was built at this size by this generator
    # (the smaller sizes always have their own: newsboat's and sfeed's copies follow them)
    case " $sizes " in *" $n "*) other=1 ;; *) other= ;; esac
    if [ -z "$other" ] && newer "$top/store.db" "$gen" &&
        [ "$(sqlite3 "$top/store.db" 'SELECT count(*) FROM news' 2>/dev/null)" = "$n" ]; then
        xc_db=$top/store.db
        return 0
    fi
    xc_db=$dir/xcdash-$n.db
    fresh "$xc_db" "$gen" && return 0
    rm -f "$xc_db.done"
    say "tui: generating an xcdash cache of $n items (bench_store)" >&2
    "$gen" --items "$n" --runs 1 --db "$xc_db" >"$dir/out/bench_store-$n.out" 2>&1 ||
        { tail -n 20 "$dir/out/bench_store-$n.out" >&2; return 1; }
    : >"$xc_db.done"
}

# The sources of xcdash cache $1 with their item counts, biggest first.
feeds_by_size() {
    sqlite3 -batch -noheader -separator ' ' "$1" \
        "SELECT source_id, count(*) FROM news GROUP BY source_id ORDER BY count(*) DESC, source_id"
}

# nb_cache N: newsboat's cache.db, urls and config in $dir/newsboat-N, with
# the items of the xcdash cache of the same size.
nb_cache() {
    n=$1
    nb=$dir/newsboat-$n
    fresh "$nb/cache.db" "$xc_db.done" && return 0
    rm -rf "$nb"
    mkdir -p "$nb"
    # no reload at start or on a timer: the cache as it is
    printf 'refresh-on-startup no\nauto-reload no\nconfirm-exit no\nshow-read-feeds yes\n' >"$nb/config"
    : >"$nb/empty"
    # newsboat writes its schema into a new cache even when it has no URL to load
    env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share" \
        newsboat -x reload -u "$nb/empty" -c "$nb/cache.db" -C "$nb/config" >/dev/null 2>&1 || true
    sqlite3 "$nb/cache.db" 'SELECT count(*) FROM rss_item' >/dev/null 2>&1 ||
        { warn "newsboat did not create its cache schema in $nb/cache.db"; return 1; }
    # one feed per source (its URL as the feed URL), every item unread, in arrival order
    sqlite3 "$nb/cache.db" <<EOF
ATTACH '$xc_db' AS x;
BEGIN;
INSERT INTO rss_feed(rssurl, url, title)
    SELECT url, 'https://' || id || '.example/', coalesce(title, id) FROM x.source
    WHERE id IN (SELECT DISTINCT source_id FROM x.news);
INSERT INTO rss_item(guid, title, author, url, feedurl, pubDate, content, unread, enqueued, deleted, base)
    SELECT n.guid, n.title, coalesce(n.author, ''), coalesce(n.url, ''), s.url, n.published,
           coalesce(n.summary, ''), 1, 0, 0, ''
    FROM x.news n JOIN x.source s ON s.id = n.source_id ORDER BY n.published, n.id;
COMMIT;
EOF
    # the feed list in the order of the xcdash sources by size: the first one is the biggest
    feeds_by_size "$xc_db" | while read -r id _; do
        sqlite3 "$xc_db" "SELECT url FROM source WHERE id = '$id'"
    done >"$nb/urls"
    : >"$nb/cache.db.done"
}

# sf_cache N: sfeed TSV files in $dir/sfeed-N, one per source, and the list
# of them (biggest first) in $dir/sfeed-N.list.
sf_cache() {
    n=$1
    sf=$dir/sfeed-$n
    fresh "$sf.list" "$xc_db.done" && return 0
    rm -rf "$sf"
    mkdir -p "$sf"
    tab=$(printf '\t')
    : >"$sf.list"
    feeds_by_size "$xc_db" | while read -r id _; do
        # timestamp title link content content-type id author enclosure category;
        # content escaped as sfeed does (\\ \t \n), newest first as sfeed_update leaves it
        sqlite3 -batch -noheader -list -separator "$tab" "$xc_db" \
            "SELECT published, replace(replace(title, char(9), ' '), char(10), ' '), coalesce(url, ''),
                    replace(replace(replace(coalesce(summary, ''), '\\', '\\\\'), char(9), '\\t'),
                            char(10), '\\n'),
                    'plain', guid, coalesce(author, ''), '', ''
             FROM news WHERE source_id = '$id' ORDER BY published DESC, id DESC" >"$sf/$id"
        printf '%s\n' "$sf/$id" >>"$sf.list"
    done
    : >"$sf.list.done"
}

# ---- measuring -------------------------------------------------------------

results=
# run TOOL SIZE TAG PTYFRAME-ARGS...: one ptyframe run; its line goes to the
# results as "TOOL SIZE TAG key=value...". TAG "warm" runs are not reported.
run() {
    tool=$1 size=$2 tag=$3
    shift 3
    if ! line=$("$pty" -g $geometry "$@" 2>>"$dir/out/ptyframe.err"); then
        warn "$tool at $size items: ptyframe failed: $line (see $dir/out/ptyframe.err)"
        return 0
    fi
    printf '%s %s %s %s\n' "$tool" "$size" "$tag" "$line" >>"$results"
    # a key without an answer: the list ended, or the focus was not where it should be
    case " $line " in
    *" keys="*" key_answered=$nkeys "*) ;;
    *" keys="*) warn "$tool at $size items: not every key was answered: $line" ;;
    esac
}

xcdash_run() { # SIZE TAG [PTYFRAME-ARGS...] (cache in xc_db)
    s=$1 tag=$2
    shift 2
    # The dashboard keeps the screen in view and each pillar's focused panel
    # across restarts (pref.ui.* in the cache's meta table): every run starts
    # from the defaults, or "2, Right" would land elsewhere after the first.
    sqlite3 "$xc_db" "DELETE FROM meta WHERE key LIKE 'pref.ui.%'" 2>/dev/null || true
    run xcdash "$s" "$tag" -m '? help' -x Q "$@" -- env HOME="$dir/home" XCDASH_DATA_DIR="$dir/data" \
        "$build/xcdash" --db "$xc_db" --config "$dir/cfg" --no-fetch
}

newsboat_run() { # SIZE TAG [PTYFRAME-ARGS...]
    s=$1 tag=$2
    shift 2
    nb=$dir/newsboat-$s
    rm -f "$nb/cache.db.lock"
    run newsboat "$s" "$tag" -t 600 -m 'Your feeds' -x Q "$@" -- \
        env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share" \
        newsboat -C "$nb/config" -u "$nb/urls" -c "$nb/cache.db"
}

sfeed_run() { # SIZE TAG [PTYFRAME-ARGS...]
    s=$1 tag=$2
    shift 2
    # shellcheck disable=SC2046 # one argument per file; the paths have no spaces
    run sfeed_curses "$s" "$tag" -m 'utm_medium=feed' -x q "$@" -- \
        env HOME="$dir/home" sfeed_curses $(cat "$dir/sfeed-$s.list")
}

# How many items the list each program scrolls holds: xcdash's GPU pillar
# (news of its sources and news naming its companies), the others' first feed.
note_lists() { # SIZE
    n=$(sqlite3 "$xc_db" "SELECT count(*) FROM news_pillar WHERE pillar_id = 'gpu'" 2>/dev/null || true)
    printf '%s %s\n' "$1" "${n:-?}" >>"$dir/out/lists.xcdash"
    n=$(feeds_by_size "$xc_db" | awk 'NR == 1 { print $2 }')
    printf '%s %s\n' "$1" "$n" >>"$dir/out/lists.newsboat"
    printf '%s %s\n' "$1" "$n" >>"$dir/out/lists.sfeed_curses"
}

# One size: the untimed start of each program, then the timed runs in turn.
# OTHERS=1: newsboat and sfeed_curses too.
measure_size() { # SIZE OTHERS
    s=$1
    xc_cache "$s"
    nb_ok='' sf_ok=''
    if [ "$2" = 1 ] && have_newsboat; then
        nb_cache "$s" && nb_ok=1
    fi
    if [ "$2" = 1 ] && have_sfeed; then
        sf_cache "$s" && sf_ok=1
    fi
    note_lists "$s"
    printf 'tui: %s items: untimed starts' "$s" >&2
    xcdash_run "$s" warm
    if [ -n "$nb_ok" ]; then newsboat_run "$s" warm; fi
    if [ -n "$sf_ok" ]; then sfeed_run "$s" warm; fi
    r=1
    while [ "$r" -le "$runs" ]; do
        printf '; run %s' "$r" >&2
        # the pillar (2), its news panel (Right), then Down through the list
        xcdash_run "$s" timed -p 2 -p '\e[C' -k '\e[B' -n "$nkeys"
        # the first (biggest) feed's articles (Enter), then Down
        if [ -n "$nb_ok" ]; then newsboat_run "$s" timed -p '\r' -k '\e[B' -n "$nkeys"; fi
        # the items pane of the first feed, loaded at start (Right), then Down
        if [ -n "$sf_ok" ]; then sfeed_run "$s" timed -p '\e[C' -k '\e[B' -n "$nkeys"; fi
        r=$((r + 1))
    done
    printf '\n' >&2
}

# ---- the report --------------------------------------------------------------

# get TOOL SIZE TAG FIELD: FIELD of every TAG run of TOOL at SIZE, one a line.
get() {
    awk -v t="$1" -v s="$2" -v g="$3" -v f="$4" '$1 == t && $2 == s && $3 == g {
        for (i = 4; i <= NF; i++) { k = index($i, "="); if (substr($i, 1, k - 1) == f) print substr($i, k + 1) } }' "$results"
}
med() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
maxof() { sort -n | awk 'END { if (NR) print $1 }'; }
# the median over the timed runs of FIELD, of its I-th comma-separated value
med_of() { get "$1" "$2" timed "$3" | med; }
prep_med() { get "$1" "$2" timed prep_ms | cut -d, -f"$3" | med; }

fmt_ms() {
    if [ -z "$1" ]; then printf -- '-'; return 0; fi
    awk -v v="$1" 'BEGIN { if (v >= 1000) printf "%.2f s", v / 1000; else if (v >= 100) printf "%.0f ms", v; else printf "%.1f ms", v }'
}
fmt_mb() {
    if [ -z "$1" ]; then printf -- '-'; else printf '%s MB' "$1"; fi
}
ratio() { # A B: A / B
    if [ -z "$1" ] || [ -z "$2" ]; then printf -- '-'; return 0; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'
}
verdict() { # VALUE LIMIT: PASS when VALUE is at most LIMIT
    if [ -z "$1" ]; then printf 'not measured'; return 0; fi
    awk -v v="$1" -v l="$2" 'BEGIN { print v <= l ? "PASS" : "MISS" }'
}
thousands() { # 1000000 -> 1,000,000
    awk -v n="$1" 'BEGIN { s = ""; while (n ~ /^[0-9][0-9][0-9][0-9]/) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) } print n s }'
}
list_len() { awk -v s="$2" '$1 == s { v = $2 } END { print v }' "$dir/out/lists.$1" 2>/dev/null; }

report() {
    say ""
    say "dashboard: xcdash --no-fetch, newsboat, sfeed_curses on a ${geometry} pty (warm file cache); first frame and"
    say "  key->frame: medians of $runs run(s) ($nkeys Down presses each; p95 in brackets); peak memory: the largest run"
    row() { printf '  %-13s %10s %11s %21s %9s   %s\n' "$@"; }
    row program items "first frame" "key->frame (p95)" "peak mem" "list scrolled"
    for s in $all_sizes; do
        for t in xcdash newsboat sfeed_curses; do
            ff=$(med_of $t "$s" first_frame_ms)
            [ -n "$ff" ] || continue
            case $t in
            xcdash) what="the GPU pillar's news" ;;
            newsboat) what="the biggest feed's articles" ;;
            *) what="the biggest feed's items" ;;
            esac
            row $t "$(thousands "$s")" "$(fmt_ms "$ff")" \
                "$(fmt_ms "$(med_of $t "$s" key_med_ms)") ($(fmt_ms "$(med_of $t "$s" key_p95_ms)"))" \
                "$(fmt_mb "$(get $t "$s" timed peak_rss_mb | maxof)")" \
                "$what, $(thousands "$(list_len $t "$s")") items"
        done
    done

    say ""
    say "first frame, where the wall time went (medians): CPU used by the program's threads, and time they"
    say "  were runnable but waiting for a CPU (other programs on this machine); the rest is I/O and sleep"
    for s in $all_sizes; do
        for t in xcdash newsboat sfeed_curses; do
            c=$(med_of $t "$s" first_cpu_ms)
            [ -n "$c" ] || continue
            printf '  %-13s %10s  wall %9s   CPU %9s   waiting for a CPU %9s\n' $t "$(thousands "$s")" \
                "$(fmt_ms "$(med_of $t "$s" first_frame_ms)")" "$(fmt_ms "$c")" "$(fmt_ms "$(med_of $t "$s" first_runq_ms)")"
        done
    done

    say ""
    say "set-up steps before the key presses (medians; no target):"
    for s in $all_sizes; do
        o=$(prep_med xcdash "$s" 1)
        if [ -n "$o" ]; then
            say "  xcdash $(thousands "$s"): open the GPU pillar (2) $(fmt_ms "$o"), focus its news (Right) $(fmt_ms "$(prep_med xcdash "$s" 2)")"
        fi
        o=$(prep_med newsboat "$s" 1)
        if [ -n "$o" ]; then say "  newsboat $(thousands "$s"): open the biggest feed (Enter) $(fmt_ms "$o")"; fi
        o=$(prep_med sfeed_curses "$s" 1)
        if [ -n "$o" ]; then say "  sfeed_curses $(thousands "$s"): focus the items (Right) $(fmt_ms "$o")"; fi
    done

    ip=$(get xcdash "$big" idle idle_cpu_pct | med)
    if [ -n "$ip" ]; then
        say ""
        say "idle: xcdash --no-fetch, $(thousands "$big") items, on the overview for $(get xcdash "$big" idle idle_s | med) s:" \
            "${ip}% of one core (utime+stime of all threads), $(get xcdash "$big" idle idle_bytes | med) bytes drawn"
    fi

    xb_ff=$(med_of xcdash "$big" first_frame_ms)
    xb_km=$(med_of xcdash "$big" key_med_ms)
    xb_pk=$(get xcdash "$big" timed peak_rss_mb | maxof)
    say ""
    say "ratios, the other program's figure / xcdash's (above 1: xcdash is faster or smaller):"
    printf '  %-40s %12s %12s %12s\n' "" "first frame" "key->frame" "peak mem"
    for s in $sizes; do
        for t in newsboat sfeed_curses; do
            ff=$(med_of $t "$s" first_frame_ms)
            [ -n "$ff" ] || continue
            km=$(med_of $t "$s" key_med_ms)
            pk=$(get $t "$s" timed peak_rss_mb | maxof)
            printf '  %-40s %12s %12s %12s\n' "$t $(thousands "$s") / xcdash $(thousands "$s")" \
                "$(ratio "$ff" "$(med_of xcdash "$s" first_frame_ms)")" \
                "$(ratio "$km" "$(med_of xcdash "$s" key_med_ms)")" \
                "$(ratio "$pk" "$(get xcdash "$s" timed peak_rss_mb | maxof)")"
            if [ "$s" != "$big" ]; then
                printf '  %-40s %12s %12s %12s\n' "$t $(thousands "$s") / xcdash $(thousands "$big")" \
                    "$(ratio "$ff" "$xb_ff")" "$(ratio "$km" "$xb_km")" "$(ratio "$pk" "$xb_pk")"
            fi
        done
    done
    say "  (the issue's figures for scale: newsboat 3.0 s to its first screen at 40,000 items and 17.9 s at"
    say "  100,000; sfeed_curses 34 ms and 53 ms)"

    say ""
    say "targets (xcdash, $(thousands "$big") items):"
    tgt() { printf '  %-40s %10s  %s\n' "$1" "$2" "$3"; }
    tgt "first frame <= ${target_first_ms} ms" "$(fmt_ms "$xb_ff")" "$(verdict "$xb_ff" $target_first_ms)"
    tgt "key to frame <= ${target_key_ms} ms (median)" "$(fmt_ms "$xb_km")" "$(verdict "$xb_km" $target_key_ms)"
    pk=$({ get xcdash "$big" timed peak_rss_mb; get xcdash "$big" idle peak_rss_mb; } | maxof)
    tgt "peak memory <= ${target_peak_mb} MB" "$(fmt_mb "$pk")" "$(verdict "$pk" $target_peak_mb)"
    tgt "idle CPU <= ${target_idle_pct}% of a core (${idle} s)" "${ip:--}%" "$(verdict "$ip" $target_idle_pct)"
}

# ---- main --------------------------------------------------------------------

main() {
    deps
    for b in xcdash bench/bench_store; do
        [ -x "$build/$b" ] || { warn "$build/$b missing: run make bench"; return 1; }
    done
    have_sqlite || { say "tui: skipped (needs the sqlite3 shell: apt-get install sqlite3)"; return 0; }
    have_cc || { say "tui: skipped (needs a C compiler for bench/ptyframe.c)"; return 0; }
    build_ptyframe
    mkdir -p "$dir/out" "$dir/home" "$dir/cfg" "$dir/data"
    results=$dir/out/results
    : >"$results"
    : >"$dir/out/ptyframe.err"
    rm -f "$dir/out/lists."*
    # The shipped profiles, but not the shipped source list: loading it would
    # replace bench_store's 40 sources with the real ones, and their news
    # with them. Themes are found beside the data directory.
    rm -f "$dir/data/"*
    for f in "$XCDASH_DATA_DIR"/*.json; do
        [ "$(basename "$f")" = sources.json ] || ln -s "$f" "$dir/data/"
    done
    ln -sfn "$src/themes" "$dir/themes"
    # English, so that the first frame's marker is "? help"; start on the overview
    printf 'lang = en\nscreen = overview\n' >"$dir/cfg/config"

    all_sizes=$sizes
    case " $sizes " in *" $big "*) ;; *) all_sizes="$sizes $big" ;; esac
    for s in $sizes; do
        measure_size "$s" 1
    done
    # the big cache: xcdash alone (the issue compares at the smaller sizes), then idle
    case " $sizes " in
    *" $big "*) xc_cache "$big" ;;
    *) measure_size "$big" 0 ;;
    esac
    printf 'tui: %s items: xcdash idle for %s s\n' "$big" "$idle" >&2
    xcdash_run "$big" idle -i "$idle"
    report
}

main
