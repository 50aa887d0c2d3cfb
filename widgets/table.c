/*
 * table.c — a virtual table: a header line and as many body rows as fit.
 *
 * The table never holds its data. A table of a million news items costs the
 * same to draw as one of ten: only the rows on screen are asked for, one
 * t->row() call each, into a cell array reused for every row. The source
 * knows best how many rows there are: when it answers -1 for a row, that row
 * index becomes t->nrows and the lines below are left blank.
 *
 * Layout is by display width (CJK is two columns): every column gets its
 * minimum (at least 1, so a width of 0 always means "not shown"), columns
 * are kept from the left while their minimums and the one space between
 * columns fit, and the rest of the width is shared among the kept flex
 * columns in proportion to their flex (the rounding remainder going to the
 * later ones, so the widths add up to exactly w). A column that does not fit
 * and every column after it get 0: a table narrows by losing its rightmost
 * columns, never by squeezing one to nothing in the middle.
 *
 * Drawing: each line is first filled with its attribute across the whole
 * width (so the selection is a bar from edge to edge), then each cell's text
 * is sanitized, fitted (ellipsis, never half a wide character) and placed
 * by its display width, so right-aligned numbers line up even beside CJK.
 * A cell's attribute replaces the row's for the text itself; on the
 * selected row a cell with its own attribute is drawn with A_REVERSE added,
 * so a coloured cell (a red loss, a green gain) keeps its colour as a
 * reversed chip on the selection bar instead of vanishing into it or making
 * the bar look broken. Padding and the gaps between columns always take the
 * line's attribute.
 *
 * Drawing keeps the selection visible (widget_table_scroll with the body's
 * height), so callers only move the selection and draw.
 */
#include "widgets/widgets.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

widget_rect widget_clip(WINDOW *win, widget_rect r)
{
    int my = getmaxy(win), mx = getmaxx(win);
    if (r.y < 0)
        r.h += r.y, r.y = 0;
    if (r.x < 0)
        r.w += r.x, r.x = 0;
    if (r.h > my - r.y)
        r.h = my - r.y;
    if (r.w > mx - r.x)
        r.w = mx - r.x;
    if (r.h < 0)
        r.h = 0;
    if (r.w < 0)
        r.w = 0;
    return r;
}

void widget_cell_set(widget_cell *c, attr_t attr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->text, sizeof c->text, fmt, ap);
    va_end(ap);
    c->attr = attr;
}

void widget_table_layout(const widget_col *cols, int ncols, int w, int *widths)
{
    int used = 0, kept = 0, flex = 0;
    for (int i = 0; i < ncols; i++)
        widths[i] = 0;
    for (; kept < ncols; kept++) {
        int min = cols[kept].width > 1 ? cols[kept].width : 1; /* shown: 1 at least */
        int need = min + (kept > 0 ? 1 : 0);
        if (w - used < need)
            break;
        widths[kept] = min;
        used += need;
        if (cols[kept].flex > 0)
            flex += cols[kept].flex;
    }
    if (flex == 0 || kept == 0)
        return;
    /* cumulative shares: the parts add up to exactly the spare width */
    long spare = w - used, before = 0, given = 0;
    for (int i = 0; i < kept; i++) {
        if (cols[i].flex <= 0)
            continue;
        before += cols[i].flex;
        long upto = spare * before / flex;
        widths[i] += (int)(upto - given);
        given = upto;
    }
}

void widget_table_scroll(widget_table *t, int rows)
{
    if (rows < 1)
        rows = 1;
    if (t->nrows < 0)
        t->nrows = 0;
    if (t->sel >= t->nrows)
        t->sel = t->nrows - 1;
    if (t->sel < -1)
        t->sel = -1;
    if (t->sel >= 0) {
        if (t->sel < t->top)
            t->top = t->sel;
        else if (t->sel - t->top >= rows)
            t->top = t->sel - rows + 1;
    }
    /* no blank lines below the last row while there are rows above */
    if (t->top > t->nrows - rows)
        t->top = t->nrows - rows;
    if (t->top < 0)
        t->top = 0;
}

int widget_table_move(widget_table *t, long delta)
{
    if (t->nrows <= 0) {
        int moved = t->sel != -1;
        t->sel = -1;
        return moved;
    }
    long from = t->sel < 0 ? -1 : t->sel, to;
    /* saturating: delta may be LONG_MAX ("to the end") or LONG_MIN */
    if (delta > 0 && from > LONG_MAX - delta)
        to = LONG_MAX;
    else if (delta < 0 && from < LONG_MIN - delta)
        to = LONG_MIN;
    else
        to = from + delta;
    if (to > t->nrows - 1)
        to = t->nrows - 1;
    if (to < 0)
        to = 0;
    if (to == t->sel)
        return 0;
    t->sel = to;
    return 1;
}

/* Draws s in the cell at (y, x) of width w, aligned, with attr. */
static void draw_cell(WINDOW *win, int y, int x, int w, const char *s, int align, attr_t attr)
{
    char *clean = widget_text_sanitize(s, -1, 0);
    size_t sz = strlen(clean) + 4; /* room for the ellipsis */
    char *buf = xmalloc(sz);
    int fw = widget_text_fit(buf, sz, clean, w, 0);
    int off = align == WIDGET_RIGHT ? w - fw : align == WIDGET_CENTER ? (w - fw) / 2 : 0;
    widget_text_draw(win, y, x + off, buf, fw, attr, 0);
    free(buf);
    free(clean);
}

void widget_table_draw(WINDOW *win, widget_rect r, widget_table *t)
{
    r = widget_clip(win, r);
    if (r.h <= 0 || r.w <= 0 || t->ncols <= 0)
        return;
    int *widths = xmalloc((size_t)t->ncols * sizeof *widths);
    widget_cell *cells = xmalloc((size_t)t->ncols * sizeof *cells);
    widget_table_layout(t->cols, t->ncols, r.w, widths);

    widget_text_draw(win, r.y, r.x, "", r.w, t->head_attr, 1);
    for (int c = 0, x = r.x; c < t->ncols && widths[c] > 0; x += widths[c] + 1, c++)
        draw_cell(win, r.y, x, widths[c], t->cols[c].title, t->cols[c].align, t->head_attr);

    int body = r.h - 1;
    if (body > 0)
        widget_table_scroll(t, body);
    for (int i = 0; i < body; i++) {
        long row = t->top + i;
        int y = r.y + 1 + i, have = 0;
        if (row < t->nrows && t->row != NULL) {
            memset(cells, 0, (size_t)t->ncols * sizeof *cells);
            if (t->row(t->ctx, row, cells) == 0)
                have = 1;
            else if (row < t->nrows)
                t->nrows = row; /* the source knows best: no such row */
        }
        int sel = have && row == t->sel;
        attr_t line = sel ? (t->focused ? t->sel_attr : t->sel_dim_attr) : t->row_attr;
        widget_text_draw(win, y, r.x, "", r.w, have ? line : t->row_attr, 1);
        if (!have)
            continue;
        for (int c = 0, x = r.x; c < t->ncols && widths[c] > 0; x += widths[c] + 1, c++) {
            cells[c].text[sizeof cells[c].text - 1] = '\0';
            attr_t a = cells[c].attr == 0 ? line : sel ? cells[c].attr | A_REVERSE : cells[c].attr;
            draw_cell(win, y, x, widths[c], cells[c].text, t->cols[c].align, a);
        }
    }
    free(cells);
    free(widths);
}

long widget_table_hit(const widget_table *t, widget_rect r, int y)
{
    int i = y - r.y - 1;
    if (i < 0 || i >= r.h - 1)
        return -1;
    long row = t->top + i;
    return row < t->nrows ? row : -1;
}
