#!/bin/sh
# e2e_lists.sh — the watchlist, sources, help and ':' command line of the
# real xcdash in tmux, read off the captured screen.
#
# On the demo set: w on a company of the GPU screen puts it on the
# watchlist (W), and it is still there after a restart (the cache keeps
# it); S lists every source with its health, a source that cannot be
# reached standing out as failing; ? lists every action with its keys,
# including one rebound in the configuration (bind.x = quit, and x then
# quits); ':sort name' re-sorts the pillar, ':th' Tab completes to
# 'theme ', and ':theme light' changes the colours on screen.
# TAP output. Needs tmux.
E2E_NAME=lists
. "${XCDASH_SRC:-$PWD}/tests/support/e2e.sh"
start() { # a fresh dashboard in session x
    $T kill-session -t x 2>/dev/null
    $T new-session -d -s x -x 110 -y 32 \
        "'$bin' --demo --db '$db' --no-fetch 2>'$tmp/stderr'; echo EXITED \$?; sleep 30"
    wait_for "GPU / AI accelerators" 5
}

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR XCDASH_DB
mkdir -p "$XDG_CONFIG_HOME/xcdash"
printf 'bind.x = quit\n' >"$XDG_CONFIG_HOME/xcdash/config"
db="$tmp/demo.db"
"$bin" --demo --db "$db" fetch --once >/dev/null 2>&1
# a source nothing answers: its one fetch fails
"$bin" --db "$db" sources add http://127.0.0.1:1/nothing --kind feed --id e2e-bad >/dev/null 2>&1
"$bin" --db "$db" fetch --once --source e2e-bad >"$tmp/fetch.log" 2>&1

echo "1..23"
# a session that outlives the dashboard's restarts keeps the tmux server up
$T new-session -d -s keep "sleep 600"
start

# ---- the watchlist: w marks, W shows, the cache keeps it ----
$T send-keys -t x 2
check "the GPU screen shows its companies" "688256.SH"
$T send-keys -t x w
if wait_for "watching " 3; then
    # the status line: "watching NAME · not fetching ..."
    name=$(screen | tail -n 1 | sed -n 's/^.*watching \([^·]*[^ ·]\) *·.*$/\1/p')
    ok "w says which company is watched ($name)"
else
    name=
    not_ok "w says which company is watched"
fi
$T send-keys -t x W
check "W opens the watchlist with one company" "Watchlist · 1 companies"
if [ -n "$name" ] && wait_for "$name" 2; then ok "the watchlist lists $name"; else not_ok "the watchlist lists '$name'"; fi
check "the watchlist shows the company's news below" "Latest news of the watched companies"
$T send-keys -t x Q
check "Q quits" "EXITED 0"
start
$T send-keys -t x W
check "after a restart the watchlist still has one company" "Watchlist · 1 companies"
if [ -n "$name" ] && wait_for "$name" 2; then ok "after a restart it still lists $name"; else not_ok "after a restart it lists '$name'"; fi
$T send-keys -t x Escape

# ---- sources and their health ----
$T send-keys -t x S
check "S lists the sources" "demo-gpu-gnews-zh"
if screen | grep -F "demo-cpu-rdf" | grep -qw "ok"; then
    ok "a demo source is healthy"
else
    not_ok "a demo source is healthy"
fi
check "the unreachable source is listed" "e2e-bad"
if screen | grep -F "e2e-bad" | grep -qF "failing ×1"; then
    ok "the unreachable source is shown as failing"
else
    not_ok "the unreachable source is shown as failing"
fi
check "the title counts the failing source" "1 failing"
# the failing row is drawn in the error colour: its escape codes differ from a healthy row's
bad_row=$($T capture-pane -e -p -t x | grep -F "e2e-bad" | head -n 1)
good_row=$($T capture-pane -e -p -t x | grep -F "demo-cpu-rdf" | head -n 1)
bad_sgr=$(printf '%s' "$bad_row" | grep -o "$(printf '\033')\[[0-9;:]*m" | sort -u | tr -d '\n')
good_sgr=$(printf '%s' "$good_row" | grep -o "$(printf '\033')\[[0-9;:]*m" | sort -u | tr -d '\n')
if [ -n "$bad_sgr" ] && [ "$bad_sgr" != "$good_sgr" ]; then
    ok "the failing source stands out in colour"
else
    not_ok "the failing source stands out in colour"
fi
$T send-keys -t x Escape

# ---- help: every key, from the key map ----
$T send-keys -t x '?'
check "? opens the help" "every key and command"
if screen | grep -E '^Q x +quit' >/dev/null; then
    ok "the key rebound in the configuration is listed (x quits)"
else
    not_ok "the key rebound in the configuration is listed (x quits)"
fi
all=1
for want in "S-Tab" "next-screen" "page-down" "PgDn C-f Space" "Enter"; do
    screen | grep -qF -- "$want" || { all=0; echo "# missing: $want"; }
done
$T send-keys -t x G
for want in "watchlist" "sources" "edit-note" ":theme" ":sort" ":export" ":source" ":open"; do
    wait_for "$want" 1 || { all=0; echo "# missing: $want"; }
done
if [ $all -eq 1 ]; then ok "help lists actions, keys and commands"; else not_ok "help lists actions, keys and commands"; fi
$T send-keys -t x Escape

# ---- the command line ----
$T send-keys -t x 2 : s o r t Space n a m e Enter
check ":sort name re-sorts the pillar" "sorted by name"
check "the column shows the sort" "Name▲"
$T send-keys -t x : t h Tab
sleep 0.3
line1=$(screen | tail -n 1)
$T send-keys -t x l i g h t
sleep 0.3
line2=$(screen | tail -n 1)
# tmux trims the trailing space: it shows in what typing after it gives
if [ "$line1" = ":theme" ] && [ "$line2" = ":theme light" ]; then
    ok ":th Tab completes to 'theme '"
else
    not_ok ":th Tab completes to 'theme ' (got '$line1', then '$line2')"
fi
before=$($T capture-pane -e -p -t x | head -n 5)
$T send-keys -t x Enter
check ":theme light says so" "theme light"
after=$($T capture-pane -e -p -t x | head -n 5)
if [ "$before" != "$after" ]; then ok ":theme light changes the colours"; else not_ok ":theme light changes the colours"; fi

# the rebound key quits
$T send-keys -t x x
check "x (bind.x = quit) quits" "EXITED 0"
[ "$failed" -eq 0 ]
