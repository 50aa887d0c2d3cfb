/*
 * chart.c — price history as a sparkline or a braille line chart.
 *
 * Both scale between the smallest and largest value shown, not from zero:
 * a share moving between 41.20 and 41.90 should fill the height. Values that
 * are not finite (NaN for "no quote that day", and infinities that would
 * wreck the scale) are gaps.
 *
 * The sparkline is one block character per value, the eight heights
 * U+2581..U+2588 in equal bins between min and max; a series with nothing
 * to scale (all equal) is a flat row of U+2584, the middle height.
 *
 * The chart packs 2x4 dots into each cell with the braille block (U+2800 +
 * one bit per dot), so a 40x10 cell area is an 80x40 dot plot. The whole
 * series is resampled onto the dot columns, dot column i showing the value
 * at index round(i*(n-1)/(dots-1)), so the first and last values are always
 * drawn. Between two neighbouring dot columns the line is joined with a
 * vertical run in the later column, so a steep move is a continuous line
 * rather than scattered dots; a gap (NaN) breaks the line. The plotting is
 * pure (widget_chart_plot) so tests check dots, not terminal output.
 *
 * The y labels come from a caller's printf format. It is checked to hold
 * exactly one floating-point conversion (flags, a width and a precision of
 * at most two digits each, literal text and "%%" around it); anything else
 * falls back to "%.2f", so a bad format from a configuration file cannot
 * read a missing argument.
 */
#include "widgets/widgets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define BLANK     0x2800u /* braille pattern with no dots */
#define MIN_PLOTW 4       /* y labels only when the plot keeps this many columns */

/* The smallest and largest finite values of v[0..n); 0 when there are none. */
static int range(const double *v, size_t n, double *lo, double *hi)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (!any || v[i] < *lo)
            *lo = v[i];
        if (!any || v[i] > *hi)
            *hi = v[i];
        any = 1;
    }
    return any;
}

int widget_sparkline(char *dst, size_t dstsz, const double *v, size_t n, int cols)
{
    if (dstsz == 0)
        return 0;
    dst[0] = '\0';
    if (cols <= 0 || v == NULL || n == 0)
        return 0;
    if (n > (size_t)cols) {
        v += n - (size_t)cols;
        n = (size_t)cols;
    }
    double lo = 0, hi = 0;
    int any = range(v, n, &lo, &hi);
    size_t o = 0;
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        if (!any || !isfinite(v[i])) {
            if (o + 2 > dstsz)
                break;
            dst[o++] = ' ';
        } else {
            int level = 3; /* flat: ▄ */
            if (hi > lo) {
                level = (int)floor((v[i] - lo) / (hi - lo) * 8);
                level = level > 7 ? 7 : level < 0 ? 0 : level;
            }
            if (o + 4 > dstsz)
                break;
            dst[o++] = '\xe2';
            dst[o++] = '\x96';
            dst[o++] = (char)(0x81 + level);
        }
        w++;
    }
    dst[o] = '\0';
    return w;
}

/* Sets dot (dx, dy) of the grid, dy counted from the bottom. */
static void set_dot(uint32_t *out, int rows, int cols, int dx, int dy)
{
    static const uint32_t bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
    int ty = rows * 4 - 1 - dy;
    if (dx < 0 || dx >= cols * 2 || ty < 0 || ty >= rows * 4)
        return;
    out[(size_t)(ty / 4) * (size_t)cols + (size_t)(dx / 2)] |= bit[dx % 2][ty % 4];
}

void widget_chart_plot(const double *v, size_t n, int rows, int cols, uint32_t *out)
{
    if (rows <= 0 || cols <= 0)
        return;
    for (size_t i = 0; i < (size_t)rows * (size_t)cols; i++)
        out[i] = BLANK;
    double lo = 0, hi = 0;
    if (v == NULL || n == 0 || !range(v, n, &lo, &hi))
        return;
    int dots_x = cols * 2, dots_y = rows * 4, prev = -1;
    for (int i = 0; i < dots_x; i++) {
        /* round(i * (n-1) / (dots_x-1)) in integers; dots_x >= 2 */
        unsigned long long num = (unsigned long long)i * (n - 1) * 2 + (unsigned)(dots_x - 1);
        size_t k = (size_t)(num / (2ull * (unsigned)(dots_x - 1)));
        if (!isfinite(v[k])) {
            prev = -1;
            continue;
        }
        int y = (dots_y - 1) / 2;
        if (hi > lo)
            y = (int)lround((v[k] - lo) / (hi - lo) * (dots_y - 1));
        int from = y;
        if (prev >= 0 && prev != y)
            from = prev < y ? prev + 1 : prev - 1;
        for (int d = from < y ? from : y; d <= (from < y ? y : from); d++)
            set_dot(out, rows, cols, i, d);
        prev = y;
    }
}

/* Whether fmt holds exactly one floating-point conversion (see the top). */
static int fmt_ok(const char *fmt)
{
    int convs = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        if (*++p == '%')
            continue;
        p += strspn(p, "-+ #0");
        size_t d = strspn(p, "0123456789");
        if (d > 2)
            return 0;
        p += d;
        if (*p == '.') {
            d = strspn(++p, "0123456789");
            if (d > 2)
                return 0;
            p += d;
        }
        if (*p == '\0' || strchr("fFeEgG", *p) == NULL)
            return 0;
        convs++;
    }
    return convs == 1;
}

static void format_label(char *buf, size_t sz, const char *fmt, double x)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(buf, sz, fmt, x); /* checked by fmt_ok */
#pragma GCC diagnostic pop
}

/* s sanitized and fitted to cols, in a new string; *w its width. */
static char *fit_new(const char *s, int cols, int *w)
{
    char *clean = widget_text_sanitize(s, -1, 0);
    size_t sz = strlen(clean) + 4;
    char *buf = xmalloc(sz);
    *w = widget_text_fit(buf, sz, clean, cols, 0);
    free(clean);
    return buf;
}

/* The first, middle and last x labels under the plot [px, px+pw) on line y;
 * the middle and last only where they leave a space between labels. */
static void draw_xlabels(WINDOW *win, int y, int px, int pw, const char *const *xl, size_t n,
                         attr_t attr)
{
    int fw = 0, lw = 0, mw = 0;
    char *first = fit_new(xl[0], pw, &fw);
    widget_text_draw(win, y, px, first, fw, attr, 0);
    int end = px + fw, right = px + pw; /* first free column, end of the free span */
    if (n > 1 && xl[n - 1] != NULL) {
        char *last = fit_new(xl[n - 1], pw, &lw);
        if (px + pw - lw > end) {
            right = px + pw - lw - 1;
            widget_text_draw(win, y, px + pw - lw, last, lw, attr, 0);
        }
        free(last);
    }
    if (n > 2 && xl[(n - 1) / 2] != NULL) {
        char *mid = fit_new(xl[(n - 1) / 2], pw, &mw);
        int mx = px + (pw - mw) / 2;
        if (mx > end && mx + mw <= right)
            widget_text_draw(win, y, mx, mid, mw, attr, 0);
        free(mid);
    }
    free(first);
}

void widget_chart_draw(WINDOW *win, widget_rect r, const double *v, size_t n,
                       const char *const *xlabels, const char *fmt, attr_t line_attr,
                       attr_t axis_attr)
{
    r = widget_clip(win, r);
    if (r.h <= 0 || r.w <= 0)
        return;
    if (fmt == NULL || !fmt_ok(fmt))
        fmt = "%.2f";
    if (v == NULL)
        n = 0;
    double lo = 0, hi = 0;
    int have = range(v, n, &lo, &hi);
    int ph = r.h, px = r.x, pw = r.w, lw = 0;
    int with_x = xlabels != NULL && n > 0 && r.h >= 3;
    if (with_x)
        ph--;
    char lab[3][64] = { "", "", "" }; /* max, mid, min */
    if (have) {
        format_label(lab[0], sizeof lab[0], fmt, hi);
        format_label(lab[1], sizeof lab[1], fmt, lo + (hi - lo) / 2);
        format_label(lab[2], sizeof lab[2], fmt, lo);
        for (int i = 0; i < 3; i++) {
            int w = widget_text_width(lab[i]);
            lw = w > lw ? w : lw;
        }
        if (r.w - lw - 1 >= MIN_PLOTW) {
            px += lw + 1;
            pw -= lw + 1;
        } else {
            lw = 0;
        }
    }

    uint32_t *grid = xmalloc((size_t)ph * (size_t)pw * sizeof *grid);
    char *buf = xmalloc((size_t)pw * 3 + 1);
    widget_chart_plot(v, n, ph, pw, grid);
    for (int row = 0; row < ph; row++) {
        if (lw > 0) {
            const char *s = row == 0 ? lab[0] : row == ph - 1 ? lab[2] : "";
            if (ph >= 3 && row == (ph - 1) / 2)
                s = lab[1];
            int sw = widget_text_width(s);
            widget_text_draw(win, r.y + row, r.x, "", lw + 1, axis_attr, 1);
            widget_text_draw(win, r.y + row, r.x + lw - sw, s, sw, axis_attr, 0);
        }
        size_t o = 0;
        for (int c = 0; c < pw; c++) {
            uint32_t cp = grid[(size_t)row * (size_t)pw + (size_t)c];
            if (cp == BLANK)
                buf[o++] = ' '; /* some fonts draw the empty pattern as dots */
            else
                o += core_utf8_encode(cp, buf + o);
        }
        buf[o] = '\0';
        widget_text_draw(win, r.y + row, px, buf, pw, line_attr, 1);
    }
    free(buf);
    free(grid);

    if (with_x) {
        int y = r.y + r.h - 1;
        widget_text_draw(win, y, r.x, "", r.w, axis_attr, 1);
        draw_xlabels(win, y, px, pw, xlabels, n, axis_attr);
    }
}
