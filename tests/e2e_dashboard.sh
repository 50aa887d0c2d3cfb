#!/bin/sh
# e2e_dashboard.sh — the real xcdash in tmux, read off the captured screen.
#
# On the demo set: the overview shows the five pillars; each pillar screen
# lists its companies with codes and its news; news written by another
# process (a fetch from a loopback server) appears without a key press;
# 80x24 works and 60x20 says the terminal is too small; headlines carrying
# escape sequences, C1 controls and bidi overrides are inert (the pane title
# and tmux's paste buffers stay untouched, the pane holds only text).
# TAP output. Needs tmux and python3 (for the loopback server).
E2E_NAME=dash
. "${XCDASH_SRC:-$PWD}/tests/support/e2e.sh"

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR XCDASH_DB
mkdir -p "$HOME"
db="$tmp/demo.db"
"$bin" --demo --db "$db" fetch --once >/dev/null 2>&1

# a loopback server for the sources another process fetches
cp "$src/tests/fixtures/e2e/live.xml" "$src/tests/fixtures/e2e/hostile.json" "$tmp/"
serve "$tmp"

echo "1..29"
$T new-session -d -s x -x 100 -y 30 \
    "'$bin' --demo --db '$db' --no-fetch 2>>'$tmp/stderr'; echo EXITED \$?; sleep 30"
$T set-option -g set-clipboard on >/dev/null

# the overview: five pillars, the DEMO badge, the market clock
check "overview shows the GPU pillar" "GPU / AI accelerators"
check "overview shows the CPU pillar" "CPU chips"
check "overview shows the Ascend pillar" "昇腾产业链"
check "overview shows the leasing pillar" "算力租赁"
check "overview shows the models pillar" "Domestic large models"
check "the DEMO badge is shown" "DEMO"

# each pillar: its companies with codes, its news
$T send-keys -t x 2
check "GPU screen lists Cambricon with its code" "688256.SH"
check "GPU screen shows news" "寒武纪发布"
$T send-keys -t x 3
check "CPU screen lists Loongson" "688047.SH"
$T send-keys -t x 4
check "Ascend screen lists its chain" "Huawei Ascend chain"
$T send-keys -t x 5
check "leasing screen lists its companies" "Compute leasing"
$T send-keys -t x 6
check "models screen lists the models" "Released"

# the mouse: a click on a tab switches screens
col=$(screen | sed -n 2p | awk '{ print index($0, "4 Huawei Ascend chain") }')
click $((col + 2)) 2
check "a click on a tab opens that screen" "Huawei Ascend chain 昇腾产业链 · 16 companies"

# another process writes news: it shows without a key press
$T send-keys -t x 2
"$bin" --db "$db" sources add "http://127.0.0.1:$port/live.xml" --kind feed --pillar gpu \
    --id e2e-live >/dev/null 2>&1
"$bin" --db "$db" fetch --once --source e2e-live >"$tmp/fetch.log" 2>&1
check "news fetched by another process appears by itself" "E2E实时标记" 4

# hostile headlines stay text
title_before=$($T display-message -p -t x '#{pane_title}')
"$bin" --db "$db" sources add "http://127.0.0.1:$port/hostile.json" --kind hn-search \
    --pillar gpu --id e2e-hostile >/dev/null 2>&1
"$bin" --db "$db" fetch --once --source e2e-hostile >>"$tmp/fetch.log" 2>&1
check "the hostile headline is shown as text" "hostile one" 4
title_after=$($T display-message -p -t x '#{pane_title}')
if [ "$title_before" = "$title_after" ] && ! echo "$title_after" | grep -q PWNED; then
    ok "the pane title is untouched"
else
    not_ok "the pane title changed to '$title_after'"
fi
if [ -z "$($T list-buffers 2>/dev/null)" ]; then
    ok "tmux's clipboard holds nothing"
else
    not_ok "a paste buffer appeared: $($T list-buffers)"
fi
# no escape litter, the C1 string and bidi override gone, the rest intact
if screen | grep -q 'PWNED\|\[2J\|\[31m' || ! screen | grep -qF "bidi evil end"; then
    not_ok "hostile sequences left nothing but text"
else
    ok "hostile sequences left nothing but text"
fi

# the export dialog: a snapshot of this pillar, written on a thread, the path confirmed
$T send-keys -t x e
check "e opens the export dialog with a path" "xcdash-snapshots/xcdash-gpu-"
$T send-keys -t x Enter
check "the status line confirms the written file" "wrote $HOME/xcdash-snapshots/xcdash-gpu-"
snap=$(ls "$HOME"/xcdash-snapshots/xcdash-gpu-*.json 2>/dev/null | head -n 1)
if [ -n "$snap" ] && grep -q '"xcdash.snapshot/1"' "$snap" && grep -q '"demo": *true' "$snap"; then
    ok "the snapshot is a JSON document of the pillar, marked demo"
else
    not_ok "no JSON snapshot written ($snap)"
fi
# the same path again: asked before replacing, and 'n' leaves the file alone
before=$(cksum <"$snap")
$T send-keys -t x e Down Down C-u
$T send-keys -t x -l "$snap"
$T send-keys -t x Enter
check "an existing file is not replaced without asking" "Replace it?"
$T send-keys -t x n Escape
if [ "$(cksum <"$snap")" = "$before" ]; then ok "declining leaves the file as it was"; else not_ok "the file changed"; fi

# resizing: 80x24 works, 60x20 says so
$T resize-window -t x -x 80 -y 24
check "80x24 still shows the dashboard" "688256.SH"
$T resize-window -t x -x 60 -y 20
check "60x20 says the terminal is too small" "terminal too small"

$T send-keys -t x q q
sleep 0.3

# state survives a restart: the last screen and its sort order
start_dash() {
    $T kill-session -t x 2>/dev/null
    $T new-session -d -s x -x 100 -y 30 "'$bin' --demo --db '$db' --no-fetch 2>>'$tmp/stderr'"
}
start_dash
wait_for "GPU / AI accelerators" >/dev/null
$T send-keys -t x 3
wait_for "sorted by cap" >/dev/null
$T send-keys -t x '<'
check "< sorts the companies by the previous column" "CPU chips CPU 芯片 · 7 companies · sorted by change%"
# the rows really are in that order: change % falling, unknown ones last
order=$(screen | awk '/^Name .*Chg%/ { on = 1; next } on && /^ *$|News/ { on = 0 }
    on { v = "none"; for (i = 1; i <= NF; i++) if ($i ~ /^[-+]?[0-9]+\.[0-9]+%$/) { v = $i; sub("%", "", v); break }
         if (v == "none") seen_none = 1; else { if (seen_none || (n && v + 0 > last + 0)) bad = 1; last = v; n++ } }
    END { print (n >= 2 && !bad) ? "ok" : "bad" }')
if [ "$order" = ok ]; then ok "the companies are in falling change %"; else not_ok "the companies are not in falling change %"; fi
$T send-keys -t x Q
sleep 0.5
start_dash
check "after a restart the last screen and its sort order are back" "sorted by change%"
$T send-keys -t x Q
sleep 0.5
# under the sanitizers: no report from any run of the dashboard
if grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error' "$tmp/stderr"; then
    not_ok "the dashboard ran clean under the sanitizers"
    sed 's/^/#   /' "$tmp/stderr" | head -n 40
else
    ok "the dashboard ran clean under the sanitizers"
fi
[ "$failed" -eq 0 ]
