/*
 * text.c — making untrusted text safe to draw, and measuring it in columns.
 *
 * News titles, summaries and source names come from the network. Before any
 * of it reaches the terminal, widget_text_sanitize() removes what a terminal
 * would act on or what could make text look like something else:
 *  - invalid UTF-8 becomes U+FFFD (a raw 0x9B byte is never a CSI);
 *  - C0 controls, DEL and C1 controls are dropped; tab becomes a space and
 *    newline a space (kept with WIDGET_TEXT_NEWLINES); an escape sequence is
 *    dropped whole (CSI "\e[2J" with its parameters, OSC/DCS/APC/PM/SOS
 *    strings up to BEL or ST, two-byte "\e7"), not just its ESC, so no
 *    "[2J" litter is left; an unterminated OSC/DCS string loses only its
 *    introducer, so a stray ESC cannot swallow the rest of a title. C1 CSI
 *    (U+009B) and C1 string introducers are treated the same way;
 *  - bidi embeddings, overrides, isolates and marks (U+202A–202E,
 *    U+2066–2069, U+200E/200F, U+061C) are dropped, and so are the other
 *    invisible characters that can disguise text: U+200B zero width space,
 *    U+2060–2064 word joiner and invisible operators, U+206A–206F, U+FEFF,
 *    U+00AD soft hyphen, U+180E, U+FFF9–FFFB, tag characters U+E0000–E007F.
 *    U+200C/U+200D (ZWNJ, ZWJ) stay: Persian, Indic scripts and emoji
 *    sequences need them. Variation selectors stay too (emoji presentation);
 *  - U+2028/U+2029 become a space (a newline with WIDGET_TEXT_NEWLINES);
 *  - noncharacters (U+FDD0–FDEF, U+xFFFE/xFFFF) become U+FFFD.
 *
 * Width is wcwidth() per code point, so it follows the locale (the program
 * calls setlocale(LC_ALL, "") with a UTF-8 locale). A code point wcwidth()
 * calls unprintable (-1) — unassigned in the C library's tables, or a
 * control in unsanitized text — counts 0 columns and widget_text_fit() leaves
 * it out, so what fit writes is exactly what it measured. An invalid byte in
 * unsanitized text counts as the U+FFFD it would become, and fit writes that.
 *
 * widget_text_draw() is how every widget puts text on the screen: sanitize,
 * fit, then one waddstr with the attribute set for that call only (the
 * window's own attributes are restored). It also clips to the window's right
 * edge, because curses would otherwise wrap the rest of the string, or a wide
 * character that straddles the edge, onto the next line.
 */
#include "widgets/widgets.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/core.h"

#define ELLIPSIS     "\xe2\x80\xa6" /* U+2026, one column */
#define ELLIPSIS_LEN 3

/* Invisible format characters dropped by sanitize (see the top). */
static int is_hidden(uint32_t c)
{
    return c == 0xAD || c == 0x61C || c == 0x180E || c == 0x200B || (c >= 0x200E && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
           (c >= 0x2066 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
           (c >= 0xE0000 && c <= 0xE007F);
}

static int is_nonchar(uint32_t c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Where an escape sequence's body starts at s[i] (after ESC [ or C1 CSI):
 * returns the index just past it. A CSI is parameter bytes 0x30–0x3F,
 * intermediates 0x20–0x2F and one final byte 0x40–0x7E; anything else ends
 * it early (that byte is not consumed). */
static size_t skip_csi(const unsigned char *s, size_t i, size_t n)
{
    while (i < n && s[i] >= 0x20 && s[i] <= 0x3F)
        i++;
    if (i < n && s[i] >= 0x40 && s[i] <= 0x7E)
        i++;
    return i;
}

/* A control string (OSC, DCS, SOS, PM, APC) starting at s[i]: returns the
 * index past its terminator (BEL, ESC \ or C1 ST), or 0 when unterminated. */
static size_t skip_string(const unsigned char *s, size_t i, size_t n)
{
    for (; i < n; i++) {
        if (s[i] == 0x07)
            return i + 1;
        if (s[i] == 0x1B && i + 1 < n && s[i + 1] == '\\')
            return i + 2;
        if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0x9C)
            return i + 2;
    }
    return 0;
}

/* Handles ESC at s[i]; returns the index after what is dropped. */
static size_t skip_escape(const unsigned char *s, size_t i, size_t n)
{
    size_t j = i + 1;
    if (j >= n)
        return j;
    unsigned char c = s[j];
    if (c == '[')
        return skip_csi(s, j + 1, n);
    if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
        size_t end = skip_string(s, j + 1, n);
        return end ? end : j + 1;
    }
    while (j < n && s[j] >= 0x20 && s[j] <= 0x2F) /* intermediates: ESC ( B */
        j++;
    if (j < n && s[j] >= 0x30 && s[j] <= 0x7E) /* final: ESC 7, ESC c */
        return j + 1;
    return j; /* ESC followed by a control or non-ASCII: only ESC goes */
}

/* Handles C1 control cp (encoded as 2 bytes at s[i]); returns the index after. */
static size_t skip_c1(const unsigned char *s, size_t i, size_t n, uint32_t cp)
{
    size_t j = i + 2;
    if (cp == 0x9B)
        return skip_csi(s, j, n);
    if (cp == 0x90 || cp == 0x98 || cp == 0x9D || cp == 0x9E || cp == 0x9F) {
        size_t end = skip_string(s, j, n);
        return end ? end : j;
    }
    return j;
}

char *widget_text_sanitize(const char *s, long len, int flags)
{
    if (s == NULL)
        return xstrdup("");
    size_t n = len < 0 ? strlen(s) : (size_t)len;
    const unsigned char *u = (const unsigned char *)s;
    /* Worst case: every byte invalid, each becoming 3-byte U+FFFD. */
    char *out = xmalloc(n * 3 + 1);
    size_t o = 0, i = 0;
    char nl = (flags & WIDGET_TEXT_NEWLINES) ? '\n' : ' ';

    while (i < n) {
        unsigned char b = u[i];
        if (b >= 0x20 && b < 0x7F) {
            out[o++] = (char)b;
            i++;
            continue;
        }
        if (b < 0x80) {
            if (b == '\t')
                out[o++] = ' ';
            else if (b == '\n')
                out[o++] = nl;
            if (b == 0x1B)
                i = skip_escape(u, i, n);
            else
                i++;
            continue;
        }
        uint32_t cp;
        size_t k = core_utf8_decode(s + i, n - i, &cp);
        if (cp >= 0x80 && cp <= 0x9F) {
            i = skip_c1(u, i, n, cp);
            continue;
        }
        i += k;
        if (is_hidden(cp))
            continue;
        if (cp == 0x2028 || cp == 0x2029) {
            out[o++] = nl;
            continue;
        }
        if (is_nonchar(cp))
            cp = CORE_REPLACEMENT;
        o += core_utf8_encode(cp, out + o);
    }
    out[o] = '\0';
    return xrealloc(out, o + 1);
}

/* Decodes one code point of s (NUL-terminated, s[0] != 0) for display:
 * sets *cp, *w (columns; unprintable → -1) and returns its byte length. */
static size_t next_char(const char *s, uint32_t *cp, int *w)
{
    unsigned char b = (unsigned char)s[0];
    if (b >= 0x20 && b < 0x7F) {
        *cp = b;
        *w = 1;
        return 1;
    }
    /* at most 4 bytes are read, and decoding stops at the NUL (never a
     * continuation byte), so strnlen keeps it inside the string */
    size_t k = core_utf8_decode(s, strnlen(s, 4), cp);
    *w = wcwidth((wchar_t)*cp);
    return k;
}

int widget_text_width(const char *s)
{
    int total = 0;
    if (s == NULL)
        return 0;
    while (*s) {
        uint32_t cp;
        int w;
        s += next_char(s, &cp, &w);
        if (w > 0)
            total += w;
    }
    return total;
}

int widget_text_fit(char *dst, size_t dstsz, const char *s, int cols, int pad)
{
    if (dstsz == 0)
        return 0;
    if (s == NULL)
        s = "";
    if (cols < 0)
        cols = 0;
    size_t cap = dstsz - 1; /* bytes for text, the NUL excluded */

    /* One pass: copy while everything fits, and remember the last point
     * where there is still room for the ellipsis (width <= cols - 1, bytes
     * <= cap - 3). If something does not fit, go back to that point. */
    size_t o = 0, cut_o = 0;
    int w = 0, cut_w = 0, cut = 0;
    while (*s) {
        uint32_t cp;
        int cw;
        size_t k = next_char(s, &cp, &cw);
        const char *bytes = s;
        s += k;
        if (cw < 0)
            continue; /* unprintable: skipped (see the top) */
        if (cp == CORE_REPLACEMENT && k == 1) {
            bytes = "\xef\xbf\xbd"; /* an invalid byte is drawn as U+FFFD */
            k = 3;
        }
        if (w + cw > cols || o + k > cap) {
            cut = 1;
            break;
        }
        memcpy(dst + o, bytes, k);
        o += k;
        w += cw;
        if (w + 1 <= cols && o + ELLIPSIS_LEN <= cap)
            cut_o = o, cut_w = w;
    }
    if (cut) {
        o = cut_o, w = cut_w;
        if (cols >= 1 && o + ELLIPSIS_LEN <= cap) {
            memcpy(dst + o, ELLIPSIS, ELLIPSIS_LEN);
            o += ELLIPSIS_LEN;
            w += 1;
        }
    }
    if (pad)
        while (w < cols && o < cap)
            dst[o++] = ' ', w++;
    dst[o] = '\0';
    return w;
}

int widget_text_draw(WINDOW *win, int y, int x, const char *s, int cols, attr_t attr, int pad)
{
    if (win == NULL || y < 0 || x < 0 || y >= getmaxy(win) || x >= getmaxx(win))
        return 0;
    if (cols > getmaxx(win) - x)
        cols = getmaxx(win) - x; /* never wrap onto the next line */
    if (cols <= 0)
        return 0;
    char *clean = widget_text_sanitize(s, -1, 0);
    /* fit writes at most the text, an ellipsis and cols spaces of padding */
    size_t sz = strlen(clean) + ELLIPSIS_LEN + (size_t)cols + 1;
    char *buf = xmalloc(sz);
    int w = widget_text_fit(buf, sz, clean, cols, pad);
    free(clean);
    if (buf[0] != '\0') {
        attr_t old = 0;
        short pair = 0;
        wattr_get(win, &old, &pair, NULL);
        wattrset(win, attr);
        mvwaddstr(win, y, x, buf);
        wattr_set(win, old, pair, NULL);
    }
    free(buf);
    return w;
}
