/*
 * test_widgets.c — the curses widgets: table layout and scrolling, the
 * virtual table's row requests, sparkline and braille plot, tab hits,
 * wrapping of mixed Chinese and English, the UTF-8 input line, and what the
 * widgets actually put on a curses screen kept in memory (newterm on
 * /dev/null, cells read back with mvwinnwstr and mvwin_wch).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "widgets/widgets.h"

/* ---- table layout, scrolling, hits ------------------------------------- */

static int shown_total(const int *widths, int n)
{
    int sum = 0, cols = 0;
    for (int i = 0; i < n; i++)
        if (widths[i] > 0)
            sum += widths[i], cols++;
    return cols ? sum + cols - 1 : 0;
}

static void test_layout(void **state)
{
    (void)state;
    const widget_col cols[] = {
        { "Name", 10, 1, WIDGET_LEFT },
        { "Price", 8, 0, WIDGET_RIGHT },
        { "Chg", 6, 0, WIDGET_RIGHT },
    };
    int w[3];
    widget_table_layout(cols, 3, 40, w);
    assert_int_equal(w[0], 40 - 8 - 6 - 2); /* the flex column takes the spare */
    assert_int_equal(w[1], 8);
    assert_int_equal(w[2], 6);

    widget_table_layout(cols, 3, 26, w); /* exactly the minimums */
    assert_int_equal(w[0], 10);
    assert_int_equal(w[1], 8);
    assert_int_equal(w[2], 6);

    widget_table_layout(cols, 3, 20, w); /* Chg (7 with its space) does not fit */
    assert_int_equal(w[0], 11);
    assert_int_equal(w[1], 8);
    assert_int_equal(w[2], 0);

    widget_table_layout(cols, 3, 9, w); /* not even the first */
    assert_int_equal(w[0], 0);
    assert_int_equal(w[1], 0);
    assert_int_equal(w[2], 0);
    widget_table_layout(cols, 3, -5, w);
    assert_int_equal(shown_total(w, 3), 0);

    /* flex shares 1:3 */
    const widget_col two[] = { { "a", 4, 1, 0 }, { "b", 4, 3, 0 } };
    widget_table_layout(two, 2, 29, w);
    assert_int_equal(w[0], 4 + 5);
    assert_int_equal(w[1], 4 + 15);

    /* three equal shares of 10: the remainder goes to the later ones */
    const widget_col three[] = { { "a", 2, 1, 0 }, { "b", 2, 1, 0 }, { "c", 2, 1, 0 } };
    widget_table_layout(three, 3, 18, w);
    assert_int_equal(w[0], 5);
    assert_int_equal(w[1], 5);
    assert_int_equal(w[2], 6);

    /* no flex: minimums only, the rest stays blank */
    const widget_col fixed[] = { { "a", 3, 0, 0 }, { "b", 5, 0, 0 } };
    widget_table_layout(fixed, 2, 30, w);
    assert_int_equal(w[0], 3);
    assert_int_equal(w[1], 5);

    /* a minimum of 0 still shows the column, so 0 always means dropped */
    const widget_col zero[] = { { "t", 0, 1, 0 }, { "d", 5, 0, 0 } };
    widget_table_layout(zero, 2, 7, w);
    assert_int_equal(w[0], 1);
    assert_int_equal(w[1], 5);
    widget_table_layout(zero, 2, 6, w);
    assert_int_equal(w[0], 6);
    assert_int_equal(w[1], 0);

    /* every width: never wider than w, exactly w once a flex column shows */
    for (int width = 0; width <= 120; width++) {
        widget_table_layout(cols, 3, width, w);
        assert_true(shown_total(w, 3) <= width);
        if (w[0] > 0)
            assert_int_equal(shown_total(w, 3), width);
        for (int i = 0; i < 3; i++)
            assert_true(w[i] == 0 || w[i] >= cols[i].width);
        for (int i = 1; i < 3; i++)
            assert_true(w[i] == 0 || w[i - 1] > 0); /* columns drop from the right */
    }
}

static void test_move_scroll(void **state)
{
    (void)state;
    widget_table t = { 0 };
    t.nrows = 100;
    t.sel = 0;
    assert_int_equal(widget_table_move(&t, 1), 1);
    assert_int_equal(t.sel, 1);
    assert_int_equal(widget_table_move(&t, -5), 1); /* clamped at the first */
    assert_int_equal(t.sel, 0);
    assert_int_equal(widget_table_move(&t, -1), 0);
    assert_int_equal(t.sel, 0);

    /* paging by a 10-row body */
    assert_int_equal(widget_table_move(&t, 10), 1);
    widget_table_scroll(&t, 10);
    assert_int_equal(t.sel, 10);
    assert_int_equal(t.top, 1); /* sel on the last line */
    widget_table_move(&t, 10);
    widget_table_scroll(&t, 10);
    assert_int_equal(t.sel, 20);
    assert_int_equal(t.top, 11);
    widget_table_move(&t, -10);
    widget_table_scroll(&t, 10);
    assert_int_equal(t.sel, 10);
    assert_int_equal(t.top, 10); /* sel on the first line */
    widget_table_move(&t, -3);
    widget_table_scroll(&t, 10);
    assert_int_equal(t.top, 7);

    /* to the ends, without overflow */
    assert_int_equal(widget_table_move(&t, LONG_MAX), 1);
    assert_int_equal(t.sel, 99);
    assert_int_equal(widget_table_move(&t, LONG_MAX), 0);
    widget_table_scroll(&t, 10);
    assert_int_equal(t.top, 90);
    assert_int_equal(widget_table_move(&t, LONG_MIN), 1);
    assert_int_equal(t.sel, 0);
    widget_table_scroll(&t, 10);
    assert_int_equal(t.top, 0);

    /* no selection: moving selects */
    t.sel = -1;
    assert_int_equal(widget_table_move(&t, 1), 1);
    assert_int_equal(t.sel, 0);
    t.sel = -1;
    assert_int_equal(widget_table_move(&t, -1), 1);
    assert_int_equal(t.sel, 0);

    /* an empty table has no selection */
    t.nrows = 0;
    t.sel = 3;
    assert_int_equal(widget_table_move(&t, 1), 1);
    assert_int_equal(t.sel, -1);
    assert_int_equal(widget_table_move(&t, 1), 0);

    /* rows went away: sel and top come back in range, the view stays full */
    t.nrows = 20;
    t.sel = 50;
    t.top = 45;
    widget_table_scroll(&t, 10);
    assert_int_equal(t.sel, 19);
    assert_int_equal(t.top, 10);
    t.nrows = 5;
    t.sel = -1;
    t.top = 3;
    widget_table_scroll(&t, 10);
    assert_int_equal(t.top, 0);
    assert_int_equal(t.sel, -1);
    /* a body of 0 rows counts as 1 */
    t.nrows = 50;
    t.sel = 30;
    widget_table_scroll(&t, 0);
    assert_int_equal(t.top, 30);
}

static void test_table_hit(void **state)
{
    (void)state;
    widget_table t = { 0 };
    t.nrows = 100;
    t.top = 40;
    widget_rect r = { 2, 0, 6, 40 }; /* header on line 2, body lines 3..7 */
    assert_int_equal(widget_table_hit(&t, r, 1), -1);
    assert_int_equal(widget_table_hit(&t, r, 2), -1);
    assert_int_equal(widget_table_hit(&t, r, 3), 40);
    assert_int_equal(widget_table_hit(&t, r, 7), 44);
    assert_int_equal(widget_table_hit(&t, r, 8), -1);
    t.nrows = 42;
    assert_int_equal(widget_table_hit(&t, r, 4), 41);
    assert_int_equal(widget_table_hit(&t, r, 5), -1); /* below the data */
}

/* ---- sparkline and plot ------------------------------------------------ */

static void test_sparkline(void **state)
{
    (void)state;
    char buf[128];
    const double ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    assert_int_equal(widget_sparkline(buf, sizeof buf, ramp, 8, 20), 8);
    assert_string_equal(buf, "▁▂▃▄▅▆▇█");
    const double down[] = { 70, 60, 50, 40, 30, 20, 10, 0 }; /* scale is min..max */
    widget_sparkline(buf, sizeof buf, down, 8, 8);
    assert_string_equal(buf, "█▇▆▅▄▃▂▁");

    const double gap[] = { 1, NAN, 3, INFINITY };
    assert_int_equal(widget_sparkline(buf, sizeof buf, gap, 4, 4), 4);
    assert_string_equal(buf, "▁ █ ");

    const double flat[] = { 41.5, 41.5, 41.5 };
    widget_sparkline(buf, sizeof buf, flat, 3, 10);
    assert_string_equal(buf, "▄▄▄");
    const double nan_only[] = { NAN, NAN };
    assert_int_equal(widget_sparkline(buf, sizeof buf, nan_only, 2, 10), 2);
    assert_string_equal(buf, "  ");

    /* the last `cols` values, scaled among themselves: 7 8 9 */
    const double ten[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    assert_int_equal(widget_sparkline(buf, sizeof buf, ten, 10, 3), 3);
    assert_string_equal(buf, "▁▅█");

    assert_int_equal(widget_sparkline(buf, sizeof buf, ten, 10, 0), 0);
    assert_string_equal(buf, "");
    assert_int_equal(widget_sparkline(buf, sizeof buf, ten, 0, 5), 0);
    /* a small buffer: whole characters only */
    char small[8];
    assert_int_equal(widget_sparkline(small, sizeof small, ramp, 8, 8), 2);
    assert_string_equal(small, "▁▂");
    assert_int_equal(widget_sparkline(small, 1, ramp, 8, 8), 0);
    assert_string_equal(small, "");
}

/* Dot (dx, dy) of a plot grid, dy from the bottom. */
static int dot(const uint32_t *g, int rows, int cols, int dx, int dy)
{
    static const uint32_t bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
    int ty = rows * 4 - 1 - dy;
    return (g[(ty / 4) * cols + dx / 2] & bit[dx % 2][ty % 4]) != 0;
}

static void test_chart_plot(void **state)
{
    (void)state;
    /* 8 values on 4x8 dots: columns show v[0], v[2], v[5], v[7] (heights
     * 0, 2, 5, 7), joined by vertical runs */
    const double ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    uint32_t g[4];
    widget_chart_plot(ramp, 8, 2, 2, g);
    assert_int_equal(g[0], 0x2800);        /* top left: empty */
    assert_int_equal(g[1], 0x2800 + 0x5C); /* top right: up to the corner */
    assert_int_equal(g[2], 0x2800 + 0x70); /* bottom left: starts in the corner */
    assert_int_equal(g[3], 0x2800 + 0x01);
    assert_true(dot(g, 2, 2, 0, 0)); /* bottom-left dot */
    assert_true(dot(g, 2, 2, 3, 7)); /* top-right dot */

    /* a longer rising line is continuous, from corner to corner */
    enum { R = 5, C = 20 };
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = 10 + i * 0.5;
    uint32_t big[R * C];
    widget_chart_plot(v, 100, R, C, big);
    int prev_hi = -1;
    for (int dx = 0; dx < C * 2; dx++) {
        int lo = -1, hi = -1;
        for (int dy = 0; dy < R * 4; dy++)
            if (dot(big, R, C, dx, dy)) {
                if (lo < 0)
                    lo = dy;
                hi = dy;
            }
        assert_true(lo >= 0);
        if (prev_hi >= 0) {
            assert_true(lo >= prev_hi);     /* rising */
            assert_true(lo <= prev_hi + 1); /* touches the previous column */
        }
        prev_hi = hi;
    }
    assert_true(dot(big, R, C, 0, 0));
    assert_true(dot(big, R, C, C * 2 - 1, R * 4 - 1));

    /* a NaN is a gap and the line does not jump across it */
    const double gap[] = { 0, NAN, 1, 1 };
    widget_chart_plot(gap, 4, 1, 2, g);
    for (int dy = 0; dy < 4; dy++)
        assert_false(dot(g, 1, 2, 1, dy));
    assert_true(dot(g, 1, 2, 0, 0));
    assert_true(dot(g, 1, 2, 2, 3));
    assert_false(dot(g, 1, 2, 2, 0));

    /* flat: a line through the middle; nothing finite: empty */
    const double flat[] = { 3, 3, 3 };
    widget_chart_plot(flat, 3, 1, 2, g);
    assert_int_equal(g[0], 0x2800 + 0x24);
    assert_int_equal(g[1], 0x2800 + 0x24);
    const double none[] = { NAN };
    widget_chart_plot(none, 1, 1, 2, g);
    assert_int_equal(g[0], 0x2800);
    assert_int_equal(g[1], 0x2800);
    widget_chart_plot(NULL, 0, 1, 2, g);
    assert_int_equal(g[0], 0x2800);
}

/* ---- tabs -------------------------------------------------------------- */

static void test_tabs_hit(void **state)
{
    (void)state;
    const char *labels[] = { "行情", "News", "公司" }; /* 6 columns each */
    for (int x = 0; x < 6; x++)
        assert_int_equal(widget_tabs_hit(labels, 3, x), 0);
    for (int x = 6; x < 12; x++)
        assert_int_equal(widget_tabs_hit(labels, 3, x), 1);
    for (int x = 12; x < 18; x++)
        assert_int_equal(widget_tabs_hit(labels, 3, x), 2);
    assert_int_equal(widget_tabs_hit(labels, 3, 18), -1);
    assert_int_equal(widget_tabs_hit(labels, 3, -1), -1);
    const char *mixed[] = { "A", "华为昇腾" }; /* 3 and 10 */
    assert_int_equal(widget_tabs_hit(mixed, 2, 2), 0);
    assert_int_equal(widget_tabs_hit(mixed, 2, 3), 1);
    assert_int_equal(widget_tabs_hit(mixed, 2, 12), 1);
    assert_int_equal(widget_tabs_hit(mixed, 2, 13), -1);
    /* measured as drawn: the escape sequence is not drawn, so takes no room */
    const char *esc[] = { "a\x1b[31mb", "c" };
    assert_int_equal(widget_tabs_hit(esc, 2, 3), 0);
    assert_int_equal(widget_tabs_hit(esc, 2, 4), 1);
    assert_int_equal(widget_tabs_hit(labels, 0, 0), -1);
}

/* ---- wrapping ---------------------------------------------------------- */

static void assert_wrap(const char *s, int width, const char *const *expect, size_t n)
{
    widget_lines l;
    widget_wrap(s, width, &l);
    for (size_t i = 0; i < l.n && i < n; i++)
        assert_string_equal(l.line[i], expect[i]);
    assert_int_equal(l.n, n);
    widget_lines_free(&l);
    assert_null(l.line);
    assert_int_equal(l.n, 0);
}

#define WRAP(s, width, ...)                                                                        \
    do {                                                                                           \
        const char *const e_[] = { __VA_ARGS__ };                                                  \
        assert_wrap(s, width, e_, sizeof e_ / sizeof e_[0]);                                       \
    } while (0)

static void test_wrap(void **state)
{
    (void)state;
    WRAP("Huawei Ascend 910B chips", 12, "Huawei", "Ascend 910B", "chips");
    WRAP("华为发布昇腾910B芯片，性能提升 significantly in 2025.", 10, "华为发布昇", "腾910B芯",
         "片，性能提", "升", "significan", "tly in", "2025.");
    /* a line may end between CJK and a Latin word */
    WRAP("华为Ascend", 6, "华为", "Ascend");
    WRAP("华为Ascend芯片", 8, "华为", "Ascend芯", "片");
    /* a comma never starts a line */
    WRAP("芯片，性能", 4, "芯", "片，", "性能");
    WRAP("Chips, then", 5, "Chips", ",", "then"); /* a word wider than the line breaks */
    /* paragraphs, an empty line between them */
    WRAP("第一行\n\nsecond", 20, "第一行", "", "second");
    WRAP("a\n", 5, "a", "");
    /* the first line keeps its indentation, wrapped lines lose theirs */
    WRAP("  indented text here", 10, "  indented", "text here");
    WRAP("aaaa     bbbb", 6, "aaaa", "bbbb");
    WRAP("word   ", 10, "word");
    /* width 1: a wide character cannot show */
    WRAP("a华b", 1, "a", "…", "b");
    WRAP("ab", 0, "a", "b");
    /* marks stay with their base */
    WRAP("e\xcc\x81"
         "e\xcc\x81",
         1, "e\xcc\x81", "e\xcc\x81");
    /* sanitized first: escapes go, tabs become spaces */
    WRAP("\x1b[2Jred\talert", 20, "red alert");
    widget_lines l;
    widget_wrap("", 10, &l);
    assert_int_equal(l.n, 0);
    widget_lines_free(&l);
    widget_wrap(NULL, 10, &l);
    assert_int_equal(l.n, 0);
    widget_lines_free(&l);
}

/* The non-space characters of s, in order. */
static void squeeze(const char *s, char *out)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n')
            *out++ = *s;
    *out = '\0';
}

static void test_wrap_every_width(void **state)
{
    (void)state;
    const char *s = "DeepSeek 发布新模型，在昇腾 910B 上训练；Huawei said "
                    "supercalifragilisticexpialidocious 成本下降 40%。\n"
                    "第二段：e\xcc\x81t\xc3\xa9 ＡＢＣ ok";
    char want[512], got[512];
    squeeze(s, want);
    for (int width = 1; width <= 60; width++) {
        widget_lines l;
        widget_wrap(s, width, &l);
        char all[1024] = "";
        for (size_t i = 0; i < l.n; i++) {
            const char *line = l.line[i];
            assert_true(widget_text_width(line) <= width);
            assert_true(line[0] != ' '); /* no paragraph here is indented */
            if (width >= 5)              /* the widest token with punctuation is "40%。" */
                assert_true(strncmp(line, "，", 3) != 0 && strncmp(line, "。", 3) != 0 &&
                            strncmp(line, "；", 3) != 0 && strncmp(line, "：", 3) != 0);
            size_t n = strlen(line);
            for (size_t j = 0; j < n;) { /* whole characters only */
                uint32_t cp;
                j += core_utf8_decode(line + j, n - j, &cp);
                assert_true(cp != CORE_REPLACEMENT);
            }
            if (width >= 2)
                strcat(all, line);
        }
        if (width >= 2) { /* nothing lost, nothing added */
            squeeze(all, got);
            assert_string_equal(got, want);
        }
        widget_lines_free(&l);
    }
}

/* ---- input line -------------------------------------------------------- */

static int key(widget_input *in, wint_t ch)
{
    return widget_input_key(in, 0, ch);
}

static int fkey(widget_input *in, int k)
{
    return widget_input_key(in, 1, (wint_t)k);
}

static void test_input_edit(void **state)
{
    (void)state;
    widget_input in;
    widget_input_set(&in, "");
    assert_int_equal(key(&in, L'昇'), WIDGET_INPUT_CHANGED);
    assert_int_equal(key(&in, L'腾'), WIDGET_INPUT_CHANGED);
    assert_string_equal(in.buf, "昇腾");
    assert_int_equal(in.len, 6);
    assert_int_equal(in.cur, 6);
    assert_int_equal(fkey(&in, KEY_BACKSPACE), WIDGET_INPUT_CHANGED); /* one whole character */
    assert_string_equal(in.buf, "昇");
    assert_int_equal(in.cur, 3);
    assert_int_equal(key(&in, 127), WIDGET_INPUT_CHANGED);
    assert_string_equal(in.buf, "");
    assert_int_equal(key(&in, 8), WIDGET_INPUT_MOVED); /* ours, nothing to do */
    assert_int_equal(in.len, 0);

    /* left/right across CJK, insert in the middle */
    widget_input_set(&in, "华为 Ascend 910B");
    assert_int_equal(in.cur, in.len);
    for (int i = 0; i < 4; i++)
        assert_int_equal(fkey(&in, KEY_LEFT), WIDGET_INPUT_MOVED);
    assert_string_equal(in.buf + in.cur, "910B");
    assert_int_equal(fkey(&in, KEY_HOME), WIDGET_INPUT_MOVED);
    assert_int_equal(in.cur, 0);
    assert_int_equal(fkey(&in, KEY_LEFT), WIDGET_INPUT_MOVED);
    assert_int_equal(in.cur, 0);
    fkey(&in, KEY_RIGHT);
    assert_int_equal(in.cur, 3);
    fkey(&in, KEY_RIGHT);
    assert_int_equal(in.cur, 6);
    assert_int_equal(key(&in, L'X'), WIDGET_INPUT_CHANGED);
    assert_string_equal(in.buf, "华为X Ascend 910B");
    fkey(&in, KEY_LEFT);
    fkey(&in, KEY_LEFT);
    assert_int_equal(in.cur, 3);
    assert_int_equal(fkey(&in, KEY_DC), WIDGET_INPUT_CHANGED); /* deletes 为 */
    assert_string_equal(in.buf, "华X Ascend 910B");
    assert_int_equal(key(&in, 5), WIDGET_INPUT_MOVED); /* ^E */
    assert_int_equal(in.cur, in.len);
    assert_int_equal(fkey(&in, KEY_RIGHT), WIDGET_INPUT_MOVED);
    assert_int_equal(fkey(&in, KEY_DC), WIDGET_INPUT_MOVED);
    assert_int_equal(key(&in, 1), WIDGET_INPUT_MOVED); /* ^A */
    assert_int_equal(in.cur, 0);
    assert_int_equal(fkey(&in, KEY_END), WIDGET_INPUT_MOVED);
    assert_int_equal(in.cur, in.len);

    /* ^W: the word before the cursor and the spaces after it */
    widget_input_set(&in, "华为 昇腾芯片  ");
    assert_int_equal(key(&in, 23), WIDGET_INPUT_CHANGED);
    assert_string_equal(in.buf, "华为 ");
    assert_int_equal(in.cur, in.len);
    key(&in, 23);
    assert_string_equal(in.buf, "");
    assert_int_equal(key(&in, 23), WIDGET_INPUT_MOVED);
    widget_input_set(&in, "one two three");
    for (int i = 0; i < 5; i++)
        fkey(&in, KEY_LEFT);
    key(&in, 23); /* cursor after "two ": "two " goes */
    assert_string_equal(in.buf, "one three");
    assert_int_equal(in.cur, 4);

    /* ^U and ^K */
    widget_input_set(&in, "abc昇腾def");
    fkey(&in, KEY_HOME);
    for (int i = 0; i < 5; i++)
        fkey(&in, KEY_RIGHT);
    assert_int_equal(key(&in, 21), WIDGET_INPUT_CHANGED);
    assert_string_equal(in.buf, "def");
    assert_int_equal(in.cur, 0);
    fkey(&in, KEY_RIGHT);
    assert_int_equal(key(&in, 11), WIDGET_INPUT_CHANGED);
    assert_string_equal(in.buf, "d");
    assert_int_equal(key(&in, 11), WIDGET_INPUT_MOVED);

    /* a combining mark goes with its base */
    widget_input_set(&in, "caf"
                          "e\xcc\x81");
    fkey(&in, KEY_LEFT);
    assert_int_equal(in.cur, 3);
    fkey(&in, KEY_END);
    fkey(&in, KEY_BACKSPACE);
    assert_string_equal(in.buf, "caf");
}

static void test_input_reject(void **state)
{
    (void)state;
    widget_input in;
    widget_input_set(&in, "ab");
    /* the caller's keys, and text that would not be drawn as typed */
    assert_int_equal(key(&in, '\t'), WIDGET_INPUT_NONE);
    assert_int_equal(key(&in, '\n'), WIDGET_INPUT_NONE);
    assert_int_equal(key(&in, 0x1b), WIDGET_INPUT_NONE);
    assert_int_equal(key(&in, 0x9b), WIDGET_INPUT_NONE);
    assert_int_equal(key(&in, 0x202e), WIDGET_INPUT_NONE); /* RLO */
    assert_int_equal(key(&in, 0xd800), WIDGET_INPUT_NONE);
    assert_int_equal(key(&in, 0x110000), WIDGET_INPUT_NONE);
    assert_int_equal(fkey(&in, KEY_F(1)), WIDGET_INPUT_NONE);
    assert_int_equal(fkey(&in, KEY_ENTER), WIDGET_INPUT_NONE);
    assert_string_equal(in.buf, "ab");

    /* full: the key is still the input's, the text does not change */
    char big[1100];
    memset(big, 'a', 1023);
    big[1023] = '\0';
    widget_input_set(&in, big);
    assert_int_equal(in.len, 1023);
    assert_int_equal(key(&in, 'q'), WIDGET_INPUT_MOVED);
    assert_int_equal(in.len, 1023);
    widget_input_set(&in, big + 2); /* 1021 bytes: a 3-byte character does not fit */
    assert_int_equal(key(&in, L'昇'), WIDGET_INPUT_MOVED);
    assert_int_equal(key(&in, L'é'), WIDGET_INPUT_CHANGED);
    assert_int_equal(in.len, 1023);
    assert_int_equal(in.buf[1023], '\0');

    /* set cuts at a character boundary and sanitizes */
    char *cjk = xmalloc(1 + 400 * 3 + 1);
    cjk[0] = 'a';
    for (int i = 0; i < 400; i++)
        memcpy(cjk + 1 + i * 3, "昇", 3);
    cjk[1 + 400 * 3] = '\0';
    widget_input_set(&in, cjk);
    assert_int_equal(in.len, 1 + 340 * 3);
    assert_int_equal(strlen(in.buf), in.len);
    free(cjk);
    widget_input_set(&in, "a\x1b[31mb\xff");
    assert_string_equal(in.buf, "ab\xef\xbf\xbd");
    widget_input_set(&in, NULL);
    assert_int_equal(in.len, 0);
}

/* ---- drawing on an in-memory screen ----------------------------------- */

static SCREEN *scr;
static FILE *scr_out, *scr_in;

static int screen_setup(void **state)
{
    (void)state;
    static const char *const terms[] = { "xterm-256color", "xterm", "vt100" };
    scr_out = fopen("/dev/null", "w");
    scr_in = fopen("/dev/null", "r");
    if (scr_out == NULL || scr_in == NULL)
        return -1;
    if (getenv("TERM") == NULL)
        setenv("TERM", "xterm-256color", 1);
    for (size_t i = 0; i < sizeof terms / sizeof terms[0] && scr == NULL; i++)
        scr = newterm(terms[i], scr_out, scr_in);
    return scr ? 0 : -1;
}

static int screen_teardown(void **state)
{
    (void)state;
    if (scr) {
        endwin();
        delscreen(scr);
    }
    fclose(scr_out);
    fclose(scr_in);
    return 0;
}

/* What line y shows from column x over cols columns, as UTF-8. */
static const char *shown(WINDOW *w, int y, int x, int cols)
{
    static char out[1024];
    wchar_t ws[512];
    int n = mvwinnwstr(w, y, x, ws, 511);
    size_t o = 0;
    int col = 0;
    for (int i = 0; i < n && o + 4 < sizeof out; i++) {
        int cw = wcwidth(ws[i]);
        if (cw > 0 && col + cw > cols)
            break;
        col += cw > 0 ? cw : 0;
        o += core_utf8_encode((uint32_t)ws[i], out + o);
    }
    out[o] = '\0';
    return out;
}

static attr_t attr_at(WINDOW *w, int y, int x)
{
    cchar_t cc;
    wchar_t wc[CCHARW_MAX + 1];
    attr_t a = 0;
    short pair = 0;
    mvwin_wch(w, y, x, &cc);
    getcchar(&cc, wc, &a, &pair, NULL);
    return a;
}

static wchar_t char_at(WINDOW *w, int y, int x)
{
    cchar_t cc;
    wchar_t wc[CCHARW_MAX + 1];
    attr_t a = 0;
    short pair = 0;
    mvwin_wch(w, y, x, &cc);
    getcchar(&cc, wc, &a, &pair, NULL);
    return wc[0];
}

static WINDOW *fresh(int h, int w)
{
    WINDOW *win = newwin(h, w, 0, 0);
    assert_non_null(win);
    for (int y = 0; y < h; y++) /* litter that drawing must cover */
        for (int x = 0; x < w; x++)
            mvwaddch(win, y, x, 'x');
    return win;
}

typedef struct rows_ctx {
    long calls, min_row, max_row, limit;
} rows_ctx;

static int stock_row(void *ctx, long row, widget_cell *cells)
{
    rows_ctx *c = ctx;
    c->calls++;
    c->min_row = row < c->min_row ? row : c->min_row;
    c->max_row = row > c->max_row ? row : c->max_row;
    if (row >= c->limit)
        return -1;
    static const char *const names[] = { "华为技术有限公司昇腾", "Ascend", "\x1b[2Jevil" };
    static const char *const prices[] = { "1234.50", "88.10", "7.00" };
    static const char *const chg[] = { "涨5%", "-0.3%", "+1.0%" };
    snprintf(cells[0].text, sizeof cells[0].text, "%s", names[row % 3]);
    snprintf(cells[1].text, sizeof cells[1].text, "%s", prices[row % 3]);
    snprintf(cells[2].text, sizeof cells[2].text, "%s", chg[row % 3]);
    if (row % 3 == 1)
        cells[2].attr = A_BOLD;
    return 0;
}

static const widget_col stock_cols[] = {
    { "名称", 10, 1, WIDGET_LEFT },
    { "价格", 8, 0, WIDGET_RIGHT },
    { "涨跌", 7, 0, WIDGET_RIGHT },
};

static widget_table stock_table(rows_ctx *c, long nrows)
{
    widget_table t = { 0 };
    t.cols = stock_cols;
    t.ncols = 3;
    t.nrows = nrows;
    t.sel = -1;
    t.focused = 1;
    t.row = stock_row;
    t.ctx = c;
    t.head_attr = A_UNDERLINE;
    t.row_attr = A_NORMAL;
    t.sel_attr = A_REVERSE;
    t.sel_dim_attr = A_DIM;
    return t;
}

static void test_table_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(10, 40);
    rows_ctx c = { 0, LONG_MAX, -1, LONG_MAX };
    widget_table t = stock_table(&c, 3);
    t.sel = 1;
    /* 30 columns: name 13 (10 + 3 spare), price 8, change 7 */
    widget_table_draw(win, (widget_rect){ 1, 2, 6, 30 }, &t);
    assert_string_equal(shown(win, 1, 2, 30), "名称         "
                                              " "
                                              "    价格"
                                              " "
                                              "   涨跌");
    assert_string_equal(shown(win, 2, 2, 30), "华为技术有限…"
                                              " "
                                              " 1234.50"
                                              " "
                                              "   涨5%");
    assert_string_equal(shown(win, 3, 2, 30), "Ascend       "
                                              " "
                                              "   88.10"
                                              " "
                                              "  -0.3%");
    assert_string_equal(shown(win, 4, 2, 30), "evil         "
                                              " "
                                              "    7.00"
                                              " "
                                              "  +1.0%");
    for (int y = 5; y <= 6; y++) /* rows beyond the data are blank */
        assert_string_equal(shown(win, y, 2, 30), "                              ");
    assert_string_equal(shown(win, 2, 0, 2), "xx"); /* nothing outside r */
    assert_string_equal(shown(win, 2, 32, 8), "xxxxxxxx");
    assert_string_equal(shown(win, 7, 0, 40), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    assert_int_equal(c.calls, 3);

    /* attributes: the header, the selection bar edge to edge, the bold
     * cell reversed on it, plain rows */
    assert_true(attr_at(win, 1, 2) & A_UNDERLINE);
    assert_true(attr_at(win, 1, 31) & A_UNDERLINE);
    for (int x = 2; x < 32; x++)
        assert_true(attr_at(win, 3, x) & A_REVERSE);
    assert_true(attr_at(win, 3, 27) & A_BOLD); /* "-0.3%" starts at 2+23+2 */
    assert_false(attr_at(win, 3, 26) & A_BOLD);
    assert_false(attr_at(win, 2, 2) & A_REVERSE);
    assert_false(attr_at(win, 4, 10) & A_REVERSE);
    assert_false(attr_at(win, 2, 31) & A_BOLD);

    /* unfocused: the dim selection */
    t.focused = 0;
    widget_table_draw(win, (widget_rect){ 1, 2, 6, 30 }, &t);
    assert_true(attr_at(win, 3, 2) & A_DIM);
    assert_false(attr_at(win, 3, 2) & A_REVERSE);
    delwin(win);
}

static void test_table_row_requests(void **state)
{
    (void)state;
    WINDOW *win = fresh(12, 40);
    /* a million rows, ten on screen: ten requests, all of them visible */
    rows_ctx c = { 0, LONG_MAX, -1, LONG_MAX };
    widget_table t = stock_table(&c, 1000000);
    t.top = 500000;
    widget_table_draw(win, (widget_rect){ 0, 0, 11, 40 }, &t);
    assert_true(c.calls <= 10);
    assert_int_equal(c.calls, 10);
    assert_int_equal(c.min_row, 500000);
    assert_int_equal(c.max_row, 500009);

    /* a far selection is scrolled into view first */
    c = (rows_ctx){ 0, LONG_MAX, -1, LONG_MAX };
    t.top = 0;
    t.sel = 999999;
    widget_table_draw(win, (widget_rect){ 0, 0, 11, 40 }, &t);
    assert_int_equal(t.top, 999990);
    assert_int_equal(c.calls, 10);
    assert_int_equal(c.min_row, 999990);
    assert_int_equal(c.max_row, 999999);
    assert_true(attr_at(win, 10, 0) & A_REVERSE);

    /* the source knows best: it ends at row 4 although nrows said 8 */
    c = (rows_ctx){ 0, LONG_MAX, -1, 4 };
    t = stock_table(&c, 8);
    widget_table_draw(win, (widget_rect){ 0, 0, 11, 40 }, &t);
    assert_int_equal(c.calls, 5); /* rows 0..4, then no more asking */
    assert_int_equal(t.nrows, 4);
    assert_string_equal(shown(win, 5, 0, 40), "                                        ");

    /* a header only: nothing asked */
    c = (rows_ctx){ 0, LONG_MAX, -1, LONG_MAX };
    widget_table_draw(win, (widget_rect){ 0, 0, 1, 40 }, &t);
    assert_int_equal(c.calls, 0);
    delwin(win);
}

static void test_status_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(3, 40);
    const char *right = "12:00 q退出"; /* 11 columns */
    widget_status_draw(win, 1, 40, "left message that is rather long 很长很长", right, A_REVERSE);
    char left[128];
    widget_text_fit(left, sizeof left, "left message that is rather long 很长很长", 28, 1);
    char want[256];
    snprintf(want, sizeof want, "%s %s", left, right);
    assert_string_equal(shown(win, 1, 0, 40), want);
    assert_non_null(strstr(want, "…"));
    assert_string_equal(shown(win, 1, 29, 11), right);
    for (int x = 0; x < 40; x++)
        assert_true(attr_at(win, 1, x) & A_REVERSE);
    assert_string_equal(shown(win, 0, 0, 40), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

    widget_status_draw(win, 1, 40, "short", right, A_NORMAL);
    snprintf(want, sizeof want, "%-29s%s", "short", right);
    assert_string_equal(shown(win, 1, 0, 40), want);
    /* too narrow for the right: it is cut itself */
    widget_status_draw(win, 2, 8, "left", right, A_NORMAL);
    assert_string_equal(shown(win, 2, 0, 10), "12:00 q…xx");
    delwin(win);
}

static void test_tabs_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(2, 40);
    const char *labels[] = { "行情", "News", "公司" };
    widget_tabs_draw(win, 0, 2, 30, labels, 3, 1, A_REVERSE, A_NORMAL);
    char want[128];
    snprintf(want, sizeof want, "xx%s%12sxxxxxxxx", " 行情  News  公司 ", "");
    assert_string_equal(shown(win, 0, 0, 40), want);
    /* the active tab is exactly where hit says it is */
    for (int c = 0; c < 30; c++)
        assert_int_equal((attr_at(win, 0, 2 + c) & A_REVERSE) != 0,
                         widget_tabs_hit(labels, 3, c) == 1);
    /* cut */
    widget_tabs_draw(win, 1, 0, 10, labels, 3, 0, A_REVERSE, A_NORMAL);
    assert_string_equal(shown(win, 1, 0, 12), " 行情  Ne…xx");
    delwin(win);
}

static void test_modal_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(12, 40);
    widget_rect in = widget_modal_draw(win, 4, 20, "标题 Title", A_BOLD, A_NORMAL);
    /* a 6x22 box centred: rows 3..8, columns 9..30 */
    assert_int_equal(in.y, 4);
    assert_int_equal(in.x, 10);
    assert_int_equal(in.h, 4);
    assert_int_equal(in.w, 20);
    for (int y = 4; y < 8; y++)
        assert_string_equal(shown(win, y, 10, 20), "                    ");
    assert_string_equal(shown(win, 2, 9, 22), "xxxxxxxxxxxxxxxxxxxxxx");
    assert_string_equal(shown(win, 5, 0, 9), "xxxxxxxxx");
    assert_string_equal(shown(win, 3, 11, 12), " 标题 Title ");
    assert_true(attr_at(win, 3, 12) & A_BOLD);
    /* the border: line drawing characters, not the litter */
    wchar_t corner = char_at(win, 3, 9), side = char_at(win, 5, 30);
    assert_true(corner == L'┌' || corner == L'l');
    assert_true(side == L'│' || side == L'x');
    assert_true(side == L'│' || (attr_at(win, 5, 30) & A_ALTCHARSET));
    assert_true(attr_at(win, 8, 20) & A_BOLD);

    /* bigger than the window: clamped */
    in = widget_modal_draw(win, 100, 100, "a very long title that cannot fit at all", A_BOLD,
                           A_NORMAL);
    assert_int_equal(in.y, 1);
    assert_int_equal(in.x, 1);
    assert_int_equal(in.h, 10);
    assert_int_equal(in.w, 38);
    assert_string_equal(shown(win, 5, 1, 38), "                                      ");
    assert_non_null(strstr(shown(win, 0, 2, 36), "…"));
    delwin(win);
}

static void test_chart_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(8, 30);
    double v[11];
    char names[11][8];
    const char *xl[11];
    for (int i = 0; i < 11; i++) {
        v[i] = i;
        snprintf(names[i], sizeof names[i], "d%d", i);
        xl[i] = names[i];
    }
    /* labels "10", "5", "0": 2 columns + 1; plot 17x5; x labels below */
    widget_chart_draw(win, (widget_rect){ 0, 0, 6, 20 }, v, 11, xl, "%.0f", A_BOLD, A_NORMAL);
    assert_string_equal(shown(win, 0, 0, 3), "10 ");
    assert_string_equal(shown(win, 2, 0, 3), " 5 ");
    assert_string_equal(shown(win, 4, 0, 3), " 0 ");
    assert_string_equal(shown(win, 1, 0, 3), "   ");
    assert_string_equal(shown(win, 5, 0, 21), "   d0     d5     d10x");
    uint32_t grid[5 * 17];
    widget_chart_plot(v, 11, 5, 17, grid);
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 17; x++) {
            wchar_t got = char_at(win, y, 3 + x);
            uint32_t want = grid[y * 17 + x];
            assert_int_equal(got, want == 0x2800 ? L' ' : (wchar_t)want);
        }
    assert_true(char_at(win, 4, 3) & 0x40);  /* starts bottom left */
    assert_true(char_at(win, 0, 19) & 0x08); /* ends top right */
    assert_true(attr_at(win, 0, 19) & A_BOLD);

    /* crowded x labels: only the first, none overlapping */
    static const char *const dates[] = { "2025-01-01", "2025-01-02", "2025-01-03" };
    werase(win);
    widget_chart_draw(win, (widget_rect){ 0, 0, 6, 20 }, v, 3, dates, "%.0f", A_BOLD, A_NORMAL);
    assert_string_equal(shown(win, 5, 0, 20), "  2025-01-01        ");
    widget_chart_draw(win, (widget_rect){ 0, 0, 6, 26 }, v, 3, dates, "%.0f", A_BOLD, A_NORMAL);
    assert_string_equal(shown(win, 5, 0, 26), "  2025-01-01    2025-01-03");

    /* a format that is not one float falls back to %.2f */
    widget_chart_draw(win, (widget_rect){ 0, 0, 6, 20 }, v, 11, NULL, "%s%n", A_BOLD, A_NORMAL);
    assert_string_equal(shown(win, 0, 0, 6), "10.00 ");
    assert_string_equal(shown(win, 2, 0, 6), " 5.00 ");
    assert_string_equal(shown(win, 5, 0, 6), " 0.00 "); /* no x labels: six plot rows */

    /* too small for labels: the plot only */
    werase(win);
    widget_chart_draw(win, (widget_rect){ 0, 0, 2, 5 }, v, 11, xl, "%.0f", A_BOLD, A_NORMAL);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 5; x++) {
            wchar_t ch = char_at(win, y, x);
            assert_true(ch == L' ' || (ch >= 0x2800 && ch <= 0x28ff));
        }
    assert_true(char_at(win, 1, 0) >= 0x2801);
    delwin(win);
}

static void test_lines_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(4, 12);
    widget_lines l;
    widget_wrap("华为发布 Ascend 910B 芯片", 10, &l);
    assert_int_equal(l.n, 3);
    widget_lines_draw(win, (widget_rect){ 0, 1, 3, 10 }, &l, 1, A_NORMAL);
    assert_string_equal(shown(win, 0, 0, 12), "xAscend    x");
    assert_string_equal(shown(win, 1, 0, 12), "x910B 芯片 x");
    assert_string_equal(shown(win, 2, 0, 12), "x          x");
    assert_string_equal(shown(win, 3, 0, 12), "xxxxxxxxxxxx");
    widget_lines_free(&l);
    delwin(win);
}

static void test_input_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(1, 20);
    widget_input in;
    widget_input_set(&in, "华为昇腾Ascend910");
    /* 10 columns: "/ " and 8 for the text, scrolled to show the cursor */
    int cx = widget_input_draw(win, 0, 1, 10, "/ ", &in, A_NORMAL);
    assert_string_equal(shown(win, 0, 0, 20), "x/ …end910 xxxxxxxxx");
    assert_int_equal(cx, 10);
    fkey(&in, KEY_HOME);
    cx = widget_input_draw(win, 0, 1, 10, "/ ", &in, A_NORMAL);
    assert_string_equal(shown(win, 0, 0, 20), "x/ 华为昇… xxxxxxxxx");
    assert_int_equal(cx, 3);
    for (int i = 0; i < 4; i++)
        fkey(&in, KEY_RIGHT); /* after 腾: 'A' under the cursor stays visible */
    cx = widget_input_draw(win, 0, 1, 10, "/ ", &in, A_NORMAL);
    assert_string_equal(shown(win, 0, 0, 20), "x/ …昇腾As…xxxxxxxxx");
    assert_int_equal(cx, 8);
    assert_int_equal(char_at(win, 0, cx), L'A');
    fkey(&in, KEY_LEFT); /* on 腾: both of its cells show */
    cx = widget_input_draw(win, 0, 1, 10, "/ ", &in, A_NORMAL);
    assert_int_equal(char_at(win, 0, cx), L'腾');
    assert_true(cx + 2 <= 1 + 10);
    /* every cursor position of a long mixed text lands inside the field */
    widget_input_set(&in, "DeepSeek 发布新模型，在昇腾 910B 上训练 ok");
    fkey(&in, KEY_HOME);
    for (;;) {
        cx = widget_input_draw(win, 0, 1, 12, "> ", &in, A_NORMAL);
        assert_true(cx >= 3 && cx <= 12);
        if (in.cur == in.len)
            break;
        fkey(&in, KEY_RIGHT);
    }
    /* the prompt alone fills the field */
    cx = widget_input_draw(win, 0, 0, 2, "> ", &in, A_NORMAL);
    assert_int_equal(cx, 1);
    delwin(win);
}

static void test_text_draw(void **state)
{
    (void)state;
    WINDOW *win = fresh(2, 10);
    /* clipped at the window's edge, never wrapped to the next line */
    assert_int_equal(widget_text_draw(win, 0, 6, "华为昇腾", 20, A_BOLD, 0), 3);
    assert_string_equal(shown(win, 0, 0, 10), "xxxxxx华…x");
    assert_string_equal(shown(win, 1, 0, 10), "xxxxxxxxxx");
    assert_int_equal(widget_text_draw(win, 1, 0, "\x1b[2Jab", 4, A_NORMAL, 1), 4);
    assert_string_equal(shown(win, 1, 0, 10), "ab  xxxxxx");
    assert_int_equal(widget_text_draw(win, 5, 0, "ab", 4, A_NORMAL, 1), 0);
    assert_int_equal(widget_text_draw(win, 0, -1, "ab", 4, A_NORMAL, 1), 0);
    /* the window's own attributes are left as they were */
    wattrset(win, A_UNDERLINE);
    widget_text_draw(win, 1, 0, "z", 1, A_BOLD, 0);
    attr_t a = 0;
    short pair = 0;
    wattr_get(win, &a, &pair, NULL);
    assert_int_equal(a, A_UNDERLINE);
    delwin(win);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_layout),     cmocka_unit_test(test_move_scroll),
        cmocka_unit_test(test_table_hit),  cmocka_unit_test(test_sparkline),
        cmocka_unit_test(test_chart_plot), cmocka_unit_test(test_tabs_hit),
        cmocka_unit_test(test_wrap),       cmocka_unit_test(test_wrap_every_width),
        cmocka_unit_test(test_input_edit), cmocka_unit_test(test_input_reject),
    };
    const struct CMUnitTest drawn[] = {
        cmocka_unit_test(test_text_draw),          cmocka_unit_test(test_table_draw),
        cmocka_unit_test(test_table_row_requests), cmocka_unit_test(test_status_draw),
        cmocka_unit_test(test_tabs_draw),          cmocka_unit_test(test_modal_draw),
        cmocka_unit_test(test_chart_draw),         cmocka_unit_test(test_lines_draw),
        cmocka_unit_test(test_input_draw),
    };
    int failed = cmocka_run_group_tests_name("widgets", pure, NULL, NULL);
    failed += cmocka_run_group_tests_name("widgets on a curses screen", drawn, screen_setup,
                                          screen_teardown);
    return failed != 0;
}
