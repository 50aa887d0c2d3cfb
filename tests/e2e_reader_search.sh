#!/bin/sh
# e2e_reader_search.sh — the news reader, search and opening links, driven in
# tmux and read off the captured screen.
#
# On the demo set: Enter on a GPU headline opens the reader (title, source),
# which marks it read; J/K step through the list in place; s stars; a tagged
# company opens its profile; o hands the link to the configured browser — a
# recorder script here, which must receive exactly ["--flag", URL]. Search
# (/) finds Chinese (昇腾) and English (deepseek) in companies and news and
# opens what Enter picks. Links: a feed served from loopback carries
# javascript: and file: links; the feed adapter already drops them (the
# reader says the item has no link), and when such a link is in the cache
# anyway (written into it here behind xcdash's back, as another tool or an
# older version could), the reader refuses it and the browser never runs.
# TAP output. Needs tmux and python3 (loopback server, JSON, sqlite3 module).
E2E_NAME=rs
. "${XCDASH_SRC:-$PWD}/tests/support/e2e.sh"
# waits for line $1 of the screen (the breadcrumb is line 2) to match the extended regex $2
wait_line() {
    i=0
    while [ $i -lt 50 ]; do
        screen | sed -n "$1p" | grep -Eq -- "$2" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check_crumb() { # description, regex the breadcrumb line must match
    if wait_line 2 "$2"; then ok "$1"; else not_ok "$1 (breadcrumb does not match '$2')"; fi
}
keys() { $T send-keys -t x "$@"; sleep 0.2; }
# a field of the JSON on stdin, by a Python expression over `d`
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR XCDASH_DB BROWSER
mkdir -p "$HOME" "$XDG_CONFIG_HOME/xcdash"
db="$tmp/demo.db"
"$bin" --demo --db "$db" fetch --once >/dev/null 2>&1

# the browser: a recorder of its argv, one per line (stdout is /dev/null for it)
rec="$tmp/recorder.sh"
argv_file="$tmp/argv"
cat >"$rec" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >'$argv_file.tmp'
mv '$argv_file.tmp' '$argv_file'
EOF
chmod +x "$rec"
printf 'browser = %s --flag\n' "$rec" >"$XDG_CONFIG_HOME/xcdash/config"
# waits up to $1 seconds for the recorder to have run
wait_argv() {
    i=0
    while [ $i -lt $(($1 * 10)) ]; do
        [ -f "$argv_file" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    [ -f "$argv_file" ]
}

# a loopback server for the feed with hostile links
cp "$src/tests/fixtures/e2e/links.xml" "$tmp/"
serve "$tmp"

# what the GPU screen lists first, from the CLI
"$bin" --db "$db" news --pillar gpu --limit 50 --json >"$tmp/gpu.json"
title0=$(jq_ 'd["news"][0]["title"]' <"$tmp/gpu.json")
source0=$(jq_ 'd["news"][0]["source"]' <"$tmp/gpu.json")
url0=$(jq_ 'd["news"][0]["url"]' <"$tmp/gpu.json")
title1=$(jq_ 'd["news"][1]["title"]' <"$tmp/gpu.json")
# the first item tagged with two companies or more: its row and its second company
multi=$(jq_ '[i for i, x in enumerate(d["news"]) if len(x["companies"]) > 1][0]' <"$tmp/gpu.json")
second=$(jq_ "d['news'][$multi]['companies'][1]" <"$tmp/gpu.json")
# the profile is named by its Chinese name, or by the English one (its first word: a tag)
second_name=$("$bin" --db "$db" company "$second" --json |
    jq_ '"|".join(n for n in [d["name_zh"] or "", d["name_en"].split(" ")[0], d["name_en"]] if n)')

echo "1..32"
$T new-session -d -s x -x 100 -y 30 \
    "'$bin' --demo --db '$db' --no-fetch 2>'$tmp/stderr'; echo EXITED \$?; sleep 30"
wait_for "GPU / AI accelerators" >/dev/null

# ---- the reader ----
keys 2
wait_for "688256.SH" >/dev/null
keys l
keys Enter
check "Enter on a headline opens the reader with its title" "$title0"
check "the reader shows the item's source" "$source0"
check_crumb "the breadcrumb says news 1 of the list" "› news 1/"
read0=$("$bin" --db "$db" news --pillar gpu --limit 1 --json | jq_ 'd["news"][0]["read"]')
if [ "$read0" = "True" ]; then ok "opening an item marks it read"; else not_ok "opening an item marks it read ($read0)"; fi
keys J
check "J shows the next item in place" "$title1"
check_crumb "the breadcrumb follows to item 2" "› news 2/"
keys K
check "K goes back to the previous item" "$title0"

keys s
check "s stars the item" "starred"
star0=$("$bin" --db "$db" news --pillar gpu --limit 1 --json | jq_ 'd["news"][0]["starred"]')
if [ "$star0" = "True" ]; then ok "the star is stored"; else not_ok "the star is stored ($star0)"; fi
keys s
check "s again unstars it" "unstarred"

rm -f "$argv_file"
keys o
if wait_argv 5 && [ "$(cat "$argv_file")" = "$(printf '%s\n%s' --flag "$url0")" ]; then
    ok "o runs the configured browser with exactly [--flag, URL]"
else
    not_ok "o runs the configured browser with exactly [--flag, URL] (got: $(tr '\n' ' ' <"$argv_file" 2>/dev/null))"
fi
check "the status line says where it opened" "opened in $rec"

# a tagged company: step to an item with two, pick the second, open it
i=0
while [ "$i" -lt "$multi" ]; do
    $T send-keys -t x J
    i=$((i + 1))
done
wait_line 2 "› news $((multi + 1))/" >/dev/null
keys Right
keys Enter
check_crumb "Right then Enter opens the second tagged company ($second_name)" "news [0-9]+/[0-9]+ › ($second_name) *\$"
keys Escape
check_crumb "Esc goes back to the reader" "› news [0-9]+/[0-9]+ *\$"
keys Escape
check "Esc closes the reader" "688256.SH"

# ---- search ----
keys /
keys -l '昇腾'
check "searching 昇腾 finds a company" "华为 Huawei"
check "searching 昇腾 finds news about it" "昇腾910C"
check_crumb "the breadcrumb shows the query" "search: 昇腾"
keys Escape
keys -l 'deepseek'
check "searching deepseek (English, lower case) finds the company" "深度求索 DeepSeek"
news_title=$("$bin" --db "$db" search deepseek --json | jq_ 'd["news"][0]["title"]')
check "searching deepseek finds its news" "$news_title"
keys Enter
keys Enter
check_crumb "Enter twice opens the first result (the company)" "search: deepseek › (深度求索|DeepSeek) *\$"
keys Escape
keys Right
keys Enter
check "a news result opens in the reader" "$news_title"
check_crumb "on a list, with its position" "search: deepseek › news [0-9]+/"
keys Escape
keys Escape
keys Escape
keys Escape
if wait_for "688256.SH" && ! screen | sed -n 2p | grep -q 'search'; then
    ok "Esc walks back: to the query, clears it, closes the search"
else
    not_ok "Esc walks back: to the query, clears it, closes the search"
fi

# ---- links that must never reach a browser ----
"$bin" --db "$db" sources add "http://127.0.0.1:$port/links.xml" --kind feed --pillar gpu \
    --id e2e-links >/dev/null 2>&1
"$bin" --db "$db" fetch --once --source e2e-links >"$tmp/fetch.log" 2>&1
urls=$("$bin" --db "$db" news --source e2e-links --json | jq_ '[x["url"] for x in d["news"]]')
if [ "$urls" = "[None, None]" ]; then
    ok "the feed adapter drops javascript: and file: links"
else
    not_ok "the feed adapter drops javascript: and file: links (urls: $urls)"
fi
keys /
keys -l 'E2ELINKJS'
wait_for "E2ELINKJS 寒武纪" >/dev/null
keys Enter
keys Enter
check "the javascript: item opens in the reader" "E2ELINKJS summary"
rm -f "$argv_file"
keys o
check "o on an item without a link says so" "this item has no link"

# the same links in the cache anyway: the reader refuses them itself
python3 - "$db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE news SET url='javascript:alert(document.cookie)' WHERE guid='e2e-link-js'")
c.execute("UPDATE news SET url='file:///etc/passwd' WHERE guid='e2e-link-file'")
c.commit()
EOF
check "the reader shows the javascript: link it was given" "javascript:alert(document.cookie)"
keys o
check "o refuses a javascript: link" "refused to open a javascript: link: only http and https"
keys Escape
keys Escape
keys Escape
keys -l 'E2ELINKFILE'
wait_for "E2ELINKFILE 寒武纪" >/dev/null
keys Enter
keys Enter
wait_for "file:///etc/passwd" >/dev/null
keys o
check "o refuses a file: link" "refused to open a file: link: only http and https"
sleep 0.5
if [ -f "$argv_file" ]; then
    not_ok "the browser never ran for those links (argv: $(tr '\n' ' ' <"$argv_file"))"
else
    ok "the browser never ran for those links"
fi

$T send-keys -t x Q
if wait_for "EXITED 0" && ! grep -q 'Sanitizer\|runtime error' "$tmp/stderr"; then
    ok "xcdash exits cleanly (status 0, no sanitizer report)"
else
    not_ok "xcdash exits cleanly (status 0, no sanitizer report)"
    sed 's/^/#   stderr: /' "$tmp/stderr" | head -40
fi
[ "$failed" -eq 0 ]
