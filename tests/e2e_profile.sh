#!/bin/sh
# e2e_profile.sh — the company profile in the real xcdash in tmux, read off the screen.
#
# On the demo set, from the GPU screen: Enter on Cambricon opens its profile
# (listing 688256.SH with its quote, its MLU chips, a price chart with axis
# labels whose range 'c' switches, its relations and news); a mouse click selects
# a row and focuses its panel, the wheel scrolls the panel under it; Enter on a related
# company opens that company's profile over it, Esc walks back to Cambricon and
# then to the GPU screen; a note written in place (E, text, Enter) is there when
# the profile is reopened and after the program restarts, and an emptied note
# is cleared; a listing at its daily limit shows 涨停; at 80x24 the profile is
# still there (panels behind a tab bar) without the "too small" message.
# TAP output. Needs tmux (and infocmp, to speak the pane's mouse encoding).
E2E_NAME=profile
. "${XCDASH_SRC:-$PWD}/tests/support/e2e.sh"
check_re() { # description, extended regex a line of the screen matches
    if screen | grep -qE -- "$2"; then ok "$1"; else not_ok "$1 (no line matches /$2/)"; fi
}
keys() { # sends keys one at a time, letting each be drawn
    for k in "$@"; do
        $T send-keys -t x "$k"
        sleep 0.05
    done
}

# Opens, from a pillar screen, the company whose code ($1) the companies table
# shows, and waits for its profile ($2: the crumb, "› NAME"). The row is found
# on the screen: its distance below the table's header line is how many times
# to press j from the top. When that misses (the row was not in view), it walks
# the table row by row, opening each until the crumb is the one wanted.
open_company() {
    code=$1
    crumb=$2
    keys g
    sleep 0.2
    idx=$(screen | awk -v code="$code" '
        /^(▌| )?[^ ]/ && head == 0 && $0 ~ /Code/ && $0 ~ /Last/ { head = NR; next }
        head > 0 && index($0, code) > 0 { print NR - head - 1; exit }')
    if [ -n "$idx" ]; then
        i=0
        while [ "$i" -lt "$idx" ]; do
            keys j
            i=$((i + 1))
        done
        keys Enter
        wait_for "$crumb" 3 && return 0
        keys Escape
    fi
    keys g
    tries=0
    while [ $tries -lt 20 ]; do
        keys Enter
        wait_for "$crumb" 1 && return 0
        keys Escape j
        tries=$((tries + 1))
    done
    return 1
}

start() { # starts xcdash in tmux at 100x30
    $T new-session -d -s x -x 100 -y 30 "$run"
}
restart() { # starts it again in the same pane
    $T respawn-pane -k -t x "$run"
}

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR XCDASH_DB
mkdir -p "$HOME"
db="$tmp/demo.db"
run="'$bin' --demo --db '$db' --no-fetch 2>>'$tmp/stderr'; echo EXITED \$?; sleep 30"
"$bin" --demo --db "$db" fetch --once >/dev/null 2>&1
# the demo's quote snapshots take 300846 (ChiNext) to its +20% limit; fetch until they have
limit_up=no
for _ in 1 2 3 4 5 6 7 8 9 10; do
    if "$bin" --demo --db "$db" company capitalonline 2>/dev/null | grep -q '300846.*+20\.00%'; then
        limit_up=yes
        break
    fi
    "$bin" --demo --db "$db" fetch --once --source demo-eastmoney-quotes >/dev/null 2>&1
done

echo "1..44"
start
check "the dashboard starts" "GPU / AI accelerators"

# ---- from the GPU screen to Cambricon's profile
keys 2
check "the GPU screen lists Cambricon" "688256.SH"
if open_company 688256.SH "GPU / AI accelerators › 寒武纪"; then
    ok "Enter on Cambricon opens its profile"
else
    not_ok "Enter on Cambricon opens its profile"
fi
check "the profile names it in both languages" "寒武纪 Cambricon Technologies"
check "its listing is shown with its board" "688256.SH STAR"
check_re "the listing shows a quote with change and percent" \
    '688256\.SH STAR [0-9]+\.[0-9]{2} [-+]?[0-9]+\.[0-9]{2} [-+]?[0-9]+\.[0-9]{2}%'
check "the profile's facts carry as-of, confidence and source" \
    "profile as of 2026-11 · confidence A · shared reference list"
check "its chips are listed (MLU370)" "MLU370"
check "its chips are listed (MLU290)" "MLU290"
check "the chart's title names the listing and the range" "688256.SH · 3M · 66 sessions"
check_re "the chart has price labels on its y axis" '^[0-9]+\.[0-9]{2} '
check "the chart's x axis ends on the last session" "2026-11-27"
keys c
check "c switches the chart to six months" "688256.SH · 6M ·"
keys c
check "c again switches it to a year" "688256.SH · 1Y ·"
check "its related companies are listed" "competitor"
check_re "its news timeline is shown" '(^| )News [0-9]+ '
check "its news items are listed" "寒武纪发布"

# ---- the mouse (SGR reports, as xterm sends them): a click selects a row and focuses its
# panel, the wheel scrolls the panel under it
line=$(screen | grep -n 'MLU290' | head -n 1 | cut -d: -f1)
click 60 "${line:-1}"
check "a click on a chip selects it: its provenance shows" "as of 2021-01 · confidence B"
check "the click focuses the chips panel" "▌Chips 3"
first=$(screen | awk '/^Time +Source +Headline/ { getline; print substr($0, 1, 11); exit }')
line=$(screen | grep -n '^Time  *Source  *Headline' | head -n 1 | cut -d: -f1)
wheel_down 20 $((${line:-1} + 2))
wheel_down 20 $((${line:-1} + 2))
sleep 0.2
now=$(screen | awk '/^Time +Source +Headline/ { getline; print substr($0, 1, 11); exit }')
if [ -n "$first" ] && [ "$first" != "$now" ]; then
    ok "the wheel scrolls the news panel"
else
    not_ok "the wheel scrolls the news panel (first row '$first', now '$now')"
fi
check "the wheel leaves the focus where it was" "▌Chips 3"
keys h
check "Left moves the focus back to the related companies" "▌Related 2"

# ---- to a related company and back
# the relations, grouped by role: customer ByteDance, then competitor Huawei
rel_order=$(screen | awk '/^customer +ByteDance/ { b = NR } /^competitor +Huawei/ { h = NR }
    END { print (b && h && h == b + 1) ? "ok" : "no" }')
if [ "$rel_order" = ok ]; then ok "ByteDance (customer) comes before Huawei (competitor)"; else not_ok "relation order"; fi
keys j Enter
check "Enter on a related company opens its profile" "寒武纪 › 华为"
check "the related company's names are shown" "华为 Huawei Technologies"
keys Escape
check_not "Esc leaves the related company" "寒武纪 › 华为"
check "Esc returns to Cambricon's profile" "GPU / AI accelerators › 寒武纪"
keys Escape
check_not "Esc again leaves the profile" "› 寒武纪"
check "Esc again returns to the GPU screen" "sorted by"

# ---- the note: written in place, kept in the cache
keys Enter
check "Enter reopens Cambricon's profile" "GPU / AI accelerators › 寒武纪"
keys E
$T send-keys -t x "看好 MLU590"
sleep 0.2
keys Enter
check "the note is saved" "note saved"
check "the note is shown" "看好 MLU590"
keys Escape Enter
wait_for "GPU / AI accelerators › 寒武纪" 3
check "the note is there when the profile is reopened" "看好 MLU590"

# after a restart
keys Escape Escape q
check "the program quits" "EXITED 0"
restart
check "the dashboard starts again" "GPU / AI accelerators"
keys 2
wait_for "688256.SH" 5
open_company 688256.SH "GPU / AI accelerators › 寒武纪" >/dev/null
check "the note is still there after a restart" "看好 MLU590"

# at 80x24: the profile stays usable, its panels behind a tab bar
$T resize-window -t x -x 80 -y 24
sleep 0.3
check "80x24 still shows the profile" "688256.SH STAR"
check_not "80x24 is not too small" "terminal too small"
check "80x24 puts the panels behind a tab bar" "Related 2  Chips 3"
keys l
check "Right moves to the chips panel" "MLU370"
$T resize-window -t x -x 100 -y 30
sleep 0.3

# an emptied note is cleared
keys E C-u Enter
check "an emptied note is cleared" "note cleared"
check "the cleared note invites a new one" "no note yet"

# a listing at its daily limit says so
keys Escape 5
wait_for "300846.SZ" 5
if [ "$limit_up" = yes ]; then
    open_company 300846.SZ "Compute leasing › 首都在线" >/dev/null
    check "a listing at its daily limit up shows 涨停" "300846.SZ ChiNext"
    check_re "the limit marker follows the percent" '\+20\.00% 涨停'
else
    ok "# SKIP the demo quotes did not reach the limit"
    ok "# SKIP the demo quotes did not reach the limit"
fi

$T send-keys -t x Escape Escape q
sleep 0.3
[ "$failed" -eq 0 ]
