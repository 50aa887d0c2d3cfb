/*
 * textview.c — wrapping text to a width, for article summaries and notes.
 *
 * The text is sanitized first (newlines kept), then each '\n'-separated
 * paragraph is cut into tokens and laid out greedily:
 *  - a run of spaces separates tokens; it stays inside a line, is dropped at
 *    the end of a line and at the start of a wrapped line (the first line of
 *    a paragraph keeps its indentation when that fits);
 *  - a run of narrow non-space characters is a word, kept whole on a line
 *    when it fits and broken between characters only when it is wider than
 *    the line itself;
 *  - every wide character (CJK, which is written without spaces) is a token
 *    of its own, so a line may end between any two of them, or between one
 *    and a Latin word ("华为Ascend"). Closing punctuation (，。、！？）」
 *    and ASCII ,.;:!?) joins the token before it, so a line does not start
 *    with a comma.
 * Zero-width characters (combining marks, ZWJ, variation selectors) belong
 * to the character before them and are never separated from it.
 *
 * Every line is at most width columns. With width 1 a wide character cannot
 * be shown at all; it becomes "…" on a line of its own rather than breaking
 * that promise. Lines are copies, so the result outlives s. An empty text
 * gives no lines; "a\n" gives "a" and an empty line.
 */
#include "widgets/widgets.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define ELLIPSIS "\xe2\x80\xa6"

enum { T_SPACE, T_WORD, T_WIDE };

typedef struct wrapper {
    widget_lines *out;
    size_t cap;
} wrapper;

/* The code point at s (sanitized, NUL-terminated); *w its width (unprintable
 * counts 0, as widget_text_width does). Returns its byte length. */
static size_t decode(const char *s, uint32_t *cp, int *w)
{
    size_t k = core_utf8_decode(s, strnlen(s, 4), cp);
    int cw = *cp < 0x80 ? (*cp >= 0x20 && *cp < 0x7f) : wcwidth((wchar_t)*cp);
    *w = cw > 0 ? cw : 0;
    return k;
}

/* Closing punctuation that must not start a line. */
static int no_break_before(uint32_t c)
{
    if (c < 0x80)
        return c != 0 && strchr(",.;:!?)]}%", (int)c) != NULL;
    static const uint32_t list[] = { 0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF01, 0xFF1F, 0xFF1A,
                                     0xFF1B, 0xFF09, 0xFF3D, 0xFF5D, 0x300D, 0x300F, 0x3011,
                                     0x3009, 0x300B, 0x3015, 0x3017, 0x3019, 0x301B, 0x30FC };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (list[i] == c)
            return 1;
    return 0;
}

static void emit(wrapper *wr, const char *s, size_t n)
{
    widget_lines *l = wr->out;
    if (l->n == wr->cap) {
        wr->cap = wr->cap ? wr->cap * 2 : 16;
        l->line = xrealloc(l->line, wr->cap * sizeof *l->line);
    }
    l->line[l->n++] = xstrndup(s, n);
}

/* The token starting at s[i] (i < end): its type, end and width. */
static size_t token(const char *s, size_t i, size_t end, int *type, int *tw)
{
    uint32_t cp;
    int w;
    size_t j = i + decode(s + i, &cp, &w);
    *tw = w;
    *type = cp == ' ' ? T_SPACE : w == 2 ? T_WIDE : T_WORD;
    while (j < end) {
        size_t k = decode(s + j, &cp, &w);
        int join;
        if (w == 0)
            join = 1; /* zero-width: stays with what precedes it */
        else if (*type == T_SPACE || cp == ' ')
            join = *type == T_SPACE && cp == ' ';
        else if (*type == T_WORD && w == 1)
            join = 1;
        else
            join = no_break_before(cp);
        if (!join)
            break;
        *tw += w;
        j += k;
    }
    return j;
}

/* Lays out one paragraph s[p..end). */
static void wrap_para(wrapper *wr, const char *s, size_t p, size_t end, int width)
{
    size_t ls = 0, le = 0, sp = 0; /* line [ls, le); pending spaces from sp */
    int open = 0, lw = 0, spw = 0, first = 1, emitted = 0;
    for (size_t i = p; i < end;) {
        int type, tw;
        size_t te = token(s, i, end, &type, &tw);
        if (type == T_SPACE) {
            sp = i, spw = tw;
            i = te;
            continue;
        }
        if (open && lw + spw + tw <= width) {
            le = te, lw += spw + tw;
            spw = 0;
            i = te;
            continue;
        }
        if (open) {
            emit(wr, s + ls, le - ls);
            emitted = 1, open = 0, first = 0;
        }
        if (first && spw > 0 && spw + tw <= width) {
            ls = sp, le = te, lw = spw + tw, open = 1; /* indented first line */
        } else if (tw <= width) {
            ls = i, le = te, lw = tw, open = 1;
        } else {
            /* wider than a line: break between characters */
            for (size_t j = i; j < te;) {
                uint32_t cp;
                int cw;
                size_t k = decode(s + j, &cp, &cw);
                if (cw > width) { /* a wide character on a 1-column line */
                    if (open)
                        emit(wr, s + ls, j - ls);
                    emit(wr, ELLIPSIS, strlen(ELLIPSIS));
                    open = 0, lw = 0;
                    for (j += k; j < te;) { /* its marks go with it */
                        size_t m = decode(s + j, &cp, &cw);
                        if (cw != 0)
                            break;
                        j += m;
                    }
                    continue;
                }
                if (open && lw + cw > width) {
                    emit(wr, s + ls, j - ls);
                    open = 0;
                }
                if (!open)
                    ls = j, lw = 0, open = 1;
                lw += cw;
                j += k;
                le = j;
            }
            emitted = 1; /* at least one line went out or is open */
        }
        first = 0;
        spw = 0;
        i = te;
    }
    if (open)
        emit(wr, s + ls, le - ls);
    else if (!emitted)
        emit(wr, "", 0); /* an empty or all-space paragraph is an empty line */
}

void widget_wrap(const char *s, int width, widget_lines *out)
{
    out->line = NULL;
    out->n = 0;
    if (width < 1)
        width = 1;
    char *clean = widget_text_sanitize(s, -1, WIDGET_TEXT_NEWLINES);
    size_t n = strlen(clean);
    wrapper wr = { out, 0 };
    if (n > 0) {
        for (size_t p = 0;;) {
            const char *nl = memchr(clean + p, '\n', n - p);
            size_t end = nl ? (size_t)(nl - clean) : n;
            wrap_para(&wr, clean, p, end, width);
            if (nl == NULL)
                break;
            p = end + 1;
        }
    }
    free(clean);
}

void widget_lines_free(widget_lines *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->line[i]);
    free(l->line);
    l->line = NULL;
    l->n = 0;
}

void widget_lines_draw(WINDOW *win, widget_rect r, const widget_lines *l, size_t top, attr_t attr)
{
    for (int i = 0; i < r.h; i++) {
        size_t k = top + (size_t)i;
        const char *s = l != NULL && k >= top && k < l->n ? l->line[k] : "";
        widget_text_draw(win, r.y + i, r.x, s, r.w, attr, 1);
    }
}
