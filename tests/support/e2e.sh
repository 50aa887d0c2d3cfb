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

# ---- the mouse, as a terminal reports it to the program in session x
# The report's encoding is what the pane's terminal type declares (kmous): SGR
# ("\e[<b;x;yM") or the classic X10 one ("\e[M" and three bytes, 32 + each value).
sgr=
mouse() { # button code, column, line (1-based screen cells), release too (1/0)
    if [ -z "$sgr" ]; then # asked of the running server, the first time
        pane_term=$($T show-options -gv default-terminal 2>/dev/null)
        if infocmp "${pane_term:-screen}" 2>/dev/null | grep -q 'kmous=\\E\[<'; then
            sgr=1
        else
            sgr=0
        fi
    fi
    if [ "$sgr" = 1 ]; then
        seq=$(printf '\033[<%d;%d;%dM' "$1" "$2" "$3")
        [ "$4" = 1 ] && seq="$seq$(printf '\033[<%d;%d;%dm' "$1" "$2" "$3")"
    else
        seq=$(printf '\033[M%b' "$(printf '\\0%03o' $((32 + $1)) $((32 + $2)) $((32 + $3)))")
        [ "$4" = 1 ] && seq="$seq$(printf '\033[M%b' "$(printf '\\0%03o' 35 $((32 + $2)) $((32 + $3)))")"
    fi
    $T send-keys -t x -l "$seq"
    sleep 0.2
}
click() { mouse 0 "$1" "$2" 1; }
wheel_down() { mouse 65 "$1" "$2" 0; }
