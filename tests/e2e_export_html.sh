#!/bin/sh
# e2e_export_html.sh — the HTML snapshot in a real browser.
#
# The demo set plus a local source whose headline carries <script>, quotes,
# ESC sequences and a bidi override is exported with `xcdash export --format
# html`, then headless Chromium renders it: the screenshot must show a page
# (a PNG of some size, many colours, the DEMO banner's red), the DOM Chromium
# builds must hold the hostile headline as text and no <script> element, and
# the console must stay silent (no error, no blocked request: the page needs
# nothing from anywhere). TAP output.
#
# Chromium is installed by `sh .ci/deps --test`: missing, this fails under
# CI=true and is skipped elsewhere.
set -u
bin=${XCDASH_BIN:?XCDASH_BIN is the xcdash binary}
tmp=$(mktemp -d)
n=0
failed=0
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

browser=
for b in chromium chromium-browser google-chrome; do
    command -v "$b" >/dev/null 2>&1 && browser=$b && break
done
if [ -z "$browser" ]; then
    echo "1..1"
    case "${CI:-}" in
    "" | false | 0) echo "ok 1 # SKIP chromium is not installed (sh .ci/deps --test)" ;;
    *) echo "not ok 1 - chromium is installed (sh .ci/deps --test installs it)" && exit 1 ;;
    esac
    exit 0
fi
echo "1..9"

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$HOME"
db="$tmp/demo.db"
esc=$(printf '\033')
rlo=$(printf '\342\200\256')
# a Hacker News search answer read from a file: JSON can carry ESC and bidi controls
cat >"$tmp/hostile.json" <<EOF
{"hits": [{"objectID": "7001", "title": "DeepSeek <script>alert(1)</script> \"quotes\", \\u001b[31mred\\u001b[0m \\u202edesrever\\u202c", "url": "https://example.com/h1", "author": "x", "created_at_i": $(($(date +%s) - 3600)), "points": 1, "num_comments": 0, "_tags": ["story"]}], "nbHits": 1, "page": 0, "nbPages": 1, "hitsPerPage": 20}
EOF
"$bin" --demo --db "$db" fetch --once >/dev/null 2>&1
"$bin" --demo --db "$db" sources add "$tmp/hostile.json" --kind hn-search --pillar models --id hostile \
    >/dev/null 2>&1
"$bin" --demo --db "$db" fetch --once --source hostile >/dev/null 2>&1
out="$tmp/snap.html"
check "the HTML export is written" \
    "'$bin' --demo --db '$db' export --format html -o '$out' >/dev/null 2>'$tmp/export.err'"
check "the export holds the headline escaped" "grep -q '&lt;script&gt;alert(1)' '$out'"

# one browser run for the screenshot and the console, one for the DOM
flags="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
--no-first-run --no-default-browser-check --user-data-dir=$tmp/profile"
# shellcheck disable=SC2086 # the flags are words
timeout 120 "$browser" $flags --enable-logging=stderr --v=0 --screenshot="$tmp/shot.png" \
    --window-size=1280,2000 "file://$out" >"$tmp/shot.out" 2>"$tmp/shot.err"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --dump-dom "file://$out" >"$tmp/dom.html" 2>"$tmp/dom.err"

check "the screenshot is a PNG of some size" \
    "[ -f '$tmp/shot.png' ] && [ \$(wc -c <'$tmp/shot.png') -gt 30000 ]"
# Colours of the top 400 rows, unfiltered by hand (zlib + the five PNG filters; no PIL).
cat >"$tmp/colours.py" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
        bpp = 4 if ctype == 6 else 3
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours, red = set(), 0
for y in range(min(h, 400)):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        colours.add(px)
        if abs(px[0] - 0xC6) < 12 and abs(px[1] - 0x28) < 12 and abs(px[2] - 0x28) < 12:
            red += 1
    prev = line
print(len(colours), red)
EOF
set -- $(python3 "$tmp/colours.py" "$tmp/shot.png" 2>/dev/null || echo 0 0)
check "the screenshot is not blank (${1:-0} colours in the top 400 rows)" "[ ${1:-0} -gt 20 ]"
check "the DEMO banner shows in red (${2:-0} pixels)" "[ ${2:-0} -gt 2000 ]"
check "the DOM holds the hostile headline as text" \
    "grep -qF 'DeepSeek &lt;script&gt;alert(1)&lt;/script&gt; \"quotes\", red desrever' '$tmp/dom.html'"
check "the DOM has no script element" "! grep -qi '<script' '$tmp/dom.html'"
check "the DOM holds no ESC and no bidi override" \
    "! grep -q '$esc' '$tmp/dom.html' && ! grep -q '$rlo' '$tmp/dom.html'"
check "the console is silent (no error, nothing refused or fetched)" \
    "! grep -E 'CONSOLE|Refused to|ERR_|Uncaught' '$tmp/shot.err' '$tmp/dom.err'"
if [ "$failed" -gt 0 ]; then
    echo "# export: $(cat "$tmp/export.err")"
    echo "# browser: $(grep -v dbus "$tmp/shot.err" | head -n 20)"
fi
[ "$failed" -eq 0 ]
