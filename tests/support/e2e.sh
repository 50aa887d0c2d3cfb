# e2e.sh — what the end-to-end scripts share: a private tmux server, TAP
# counters, reading the screen, waiting for text, and a loopback HTTP
# server for fixtures. Sourced (". tests/support/e2e.sh") after setting
# E2E_NAME; the dashboard under test runs in tmux session "x".
set -u
bin=${XCDASH_BIN:?XCDASH_BIN is the xcdash binary}
src=${XCDASH_SRC:-$PWD}
tmp=$(mktemp -d)
sock="xcdash-e2e-${E2E_NAME:-test}-$$"
T="tmux -L $sock -f /dev/null"
n=0
failed=0
server_pid=

cleanup() {
    $T kill-server 2>/dev/null
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    echo "# screen:"
    $T capture-pane -p -t x 2>/dev/null | sed 's/^/#   |/'
}
screen() { $T capture-pane -p -t x 2>/dev/null; }
# waits up to $2 seconds (default 5) for the screen to contain $1
wait_for() {
    i=0
    limit=$((${2:-5} * 10))
    while [ $i -lt $limit ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# waits up to $2 seconds (default 3) for the screen not to contain $1
wait_gone() {
    i=0
    limit=$((${2:-3} * 10))
    while [ $i -lt $limit ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() { # description, text expected on screen [, seconds]
    if wait_for "$2" "${3:-5}"; then ok "$1"; else not_ok "$1 (no '$2')"; fi
}
check_not() { # description, text that must not be on screen
    if screen | grep -qF -- "$2"; then not_ok "$1 ('$2' is on screen)"; else ok "$1"; fi
}
# serves directory $1 over HTTP on 127.0.0.1 (a free port, in $port), in the background
serve() {
    python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$1" >"$tmp/server.log" 2>&1 &
    server_pid=$!
    port=
    for _ in $(seq 50); do
        port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$tmp/server.log" | head -n 1)
        [ -n "$port" ] && break
        sleep 0.1
    done
}
