/*
 * input.c — a one-line text field (search box, command line) over UTF-8.
 *
 * The buffer always holds valid, sanitized UTF-8: a key is inserted only
 * when widget_text_sanitize() would keep its encoding as it is (so no
 * control, bidi override or invisible character gets in, and tab and Enter
 * stay the caller's keys), and widget_input_set() sanitizes. The cursor is
 * a byte offset that moves by whole characters; a zero-width character (a
 * combining mark) goes with the character before it, for moving and for
 * deleting, so Backspace after "é" written as e + U+0301 removes both.
 *
 * Editing follows readline: ^A/^E or Home/End, ^U deletes before the cursor,
 * ^K from it to the end, ^W the word before it together with the spaces
 * between that word and the cursor. A key that belongs to the input but has
 * nothing to do (Backspace at the start, Right at the end, a character when
 * the buffer is full) still returns WIDGET_INPUT_MOVED, never
 * WIDGET_INPUT_NONE: the caller must not treat it as a command key ('q'
 * typed into a full search box must not quit).
 *
 * Drawing scrolls horizontally by display width so the cursor's cell, and
 * the whole character under it (two cells for CJK), stay inside the field
 * and clear of the "…" that ends a field cut at the right; when the start
 * is scrolled away the field begins with "…".
 */
#include "widgets/widgets.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define CTL(c) ((c)&0x1f)

/* Width of the code point at s (n bytes available); *k its length. */
static int cp_width(const char *s, size_t n, size_t *k)
{
    uint32_t cp;
    *k = core_utf8_decode(s, n, &cp);
    return wcwidth((wchar_t)cp);
}

/* The start of the character before pos, with its zero-width marks. */
static size_t prev_pos(const widget_input *in, size_t pos)
{
    while (pos > 0) {
        pos--;
        while (pos > 0 && ((unsigned char)in->buf[pos] & 0xC0) == 0x80)
            pos--;
        size_t k;
        if (cp_width(in->buf + pos, in->len - pos, &k) != 0)
            break;
    }
    return pos;
}

/* The end of the character at pos, with its zero-width marks. */
static size_t next_pos(const widget_input *in, size_t pos)
{
    size_t k;
    if (pos >= in->len)
        return in->len;
    cp_width(in->buf + pos, in->len - pos, &k);
    for (pos += k; pos < in->len; pos += k)
        if (cp_width(in->buf + pos, in->len - pos, &k) != 0)
            break;
    return pos;
}

/* Removes bytes [a, b) and leaves the cursor at a. */
static int cut(widget_input *in, size_t a, size_t b)
{
    if (a >= b) {
        return WIDGET_INPUT_MOVED; /* ours, but nothing to delete */
    }
    memmove(in->buf + a, in->buf + b, in->len - b);
    in->len -= b - a;
    in->buf[in->len] = '\0';
    in->cur = a;
    return WIDGET_INPUT_CHANGED;
}

static int move_to(widget_input *in, size_t pos)
{
    in->cur = pos;
    return WIDGET_INPUT_MOVED;
}

/* Inserts code point ch at the cursor when it is printable text. */
static int insert(widget_input *in, wint_t ch)
{
    if (ch < 0x20 || ch > 0x10FFFF || (ch >= 0xD800 && ch <= 0xDFFF) || wcwidth((wchar_t)ch) < 0)
        return WIDGET_INPUT_NONE;
    char enc[4];
    size_t k = core_utf8_encode((uint32_t)ch, enc);
    char *clean = widget_text_sanitize(enc, (long)k, 0);
    int ok = strlen(clean) == k && memcmp(clean, enc, k) == 0;
    free(clean);
    if (!ok)
        return WIDGET_INPUT_NONE;
    if (in->len + k > sizeof in->buf - 1)
        return WIDGET_INPUT_MOVED; /* full: ignored, but still ours */
    memmove(in->buf + in->cur + k, in->buf + in->cur, in->len - in->cur);
    memcpy(in->buf + in->cur, enc, k);
    in->len += k;
    in->cur += k;
    in->buf[in->len] = '\0';
    return WIDGET_INPUT_CHANGED;
}

int widget_input_key(widget_input *in, int is_key, wint_t ch)
{
    if (in->len > sizeof in->buf - 1)
        in->len = sizeof in->buf - 1;
    if (in->cur > in->len)
        in->cur = in->len;
    if (is_key) {
        switch (ch) {
        case KEY_BACKSPACE:
            return cut(in, prev_pos(in, in->cur), in->cur);
        case KEY_DC:
            return cut(in, in->cur, next_pos(in, in->cur));
        case KEY_LEFT:
            return move_to(in, prev_pos(in, in->cur));
        case KEY_RIGHT:
            return move_to(in, next_pos(in, in->cur));
        case KEY_HOME:
            return move_to(in, 0);
        case KEY_END:
            return move_to(in, in->len);
        default:
            return WIDGET_INPUT_NONE;
        }
    }
    switch (ch) {
    case 127:
    case CTL('H'):
        return cut(in, prev_pos(in, in->cur), in->cur);
    case CTL('A'):
        return move_to(in, 0);
    case CTL('E'):
        return move_to(in, in->len);
    case CTL('U'):
        return cut(in, 0, in->cur);
    case CTL('K'):
        return cut(in, in->cur, in->len);
    case CTL('W'): {
        /* spaces are ASCII, never a byte inside a multibyte character */
        size_t p = in->cur;
        while (p > 0 && in->buf[p - 1] == ' ')
            p--;
        while (p > 0 && in->buf[p - 1] != ' ')
            p--;
        return cut(in, p, in->cur);
    }
    default:
        return insert(in, ch);
    }
}

void widget_input_set(widget_input *in, const char *s)
{
    char *clean = widget_text_sanitize(s, -1, 0);
    size_t n = strlen(clean);
    if (n > sizeof in->buf - 1) {
        n = sizeof in->buf - 1;
        while (n > 0 && ((unsigned char)clean[n] & 0xC0) == 0x80)
            n--; /* do not keep half a character */
    }
    memcpy(in->buf, clean, n);
    in->buf[n] = '\0';
    in->len = in->cur = n;
    free(clean);
}

int widget_input_draw(WINDOW *win, int y, int x, int w, const char *prompt, const widget_input *in,
                      attr_t attr)
{
    if (w <= 0)
        return x;
    int pw = widget_text_draw(win, y, x, prompt != NULL ? prompt : "", w, attr, 0);
    int tw = w - pw;
    if (tw <= 0)
        return x + w - 1;
    size_t len = in->len < sizeof in->buf ? in->len : sizeof in->buf - 1;
    size_t cur = in->cur < len ? in->cur : len;
    char *before = widget_text_sanitize(in->buf, (long)cur, 0);
    char *after = widget_text_sanitize(in->buf + cur, (long)(len - cur), 0);
    int bw = widget_text_width(before), lead = 0;
    /* the cursor's cell shows the character under it, whole, and the "…"
     * that follows when more text is cut at the right */
    size_t an = strlen(after), k = 0;
    int need = 1;
    if (an > 0) {
        int cw = cp_width(after, an, &k);
        need = (cw > 1 ? cw : 1) + (k < an ? 1 : 0);
    }
    const char *tail = before;
    if (bw + need > tw) {
        /* scrolled: drop characters from the start until the "…", the
         * text before the cursor and what the cursor needs fit */
        lead = tw >= 3;
        int budget = tw - lead - need;
        size_t n = strlen(tail);
        while (*tail && bw > budget) {
            int cw = cp_width(tail, n, &k);
            bw -= cw > 0 ? cw : 0;
            tail += k, n -= k;
        }
        while (*tail && cp_width(tail, n, &k) == 0)
            tail += k, n -= k; /* marks of a dropped character */
    }
    char *s = xasprintf("%s%s%s", lead ? "\xe2\x80\xa6" : "", tail, after);
    widget_text_draw(win, y, x + pw, s, tw, attr, 1);
    free(s);
    free(after);
    free(before);
    return x + pw + lead + bw;
}
