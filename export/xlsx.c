/*
 * xlsx.c — the snapshot as an Excel workbook (libxlsxwriter).
 *
 * One worksheet per section: Summary (what, when, how fresh, then the
 * pillars table), Companies (one row per listing), News, Models and
 * Sources — the same tables and columns as CSV (snapshot.c), so a column
 * means the same thing in both. Numbers are numeric cells with a number
 * format (prices and index levels 0.00, market caps #,##0, percentages
 * 0.00% — which is why a percentage is written as a fraction here, 2.08% as
 * 0.0208), so they sort and sum; times are ISO 8601 text with offset,
 * because a spreadsheet date has no time zone; an unknown value is an empty
 * cell. Changes are coloured directly by their sign: a rise in the rise
 * colour of the setting (red by default), a fall in the other.
 *
 * Each table has a bold header row frozen in place and an autofilter.
 * Column widths come from the display width of what each column holds
 * (widget_text_width: a CJK character is two columns wide), capped so
 * that a long source note does not make a column a screen wide.
 *
 * libxlsxwriter writes the file by name and keeps its parts in tmpfile()s
 * until workbook_close() zips them; it calls gmtime() and rand(), which are
 * not reentrant, so two workbooks should not be written on two threads at
 * the same moment (the dashboard runs one export at a time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "export/private.h"
#include "widgets/widgets.h"

#define MAX_CELL   32767 /* Excel's limit on a cell's text */
#define MAX_WIDTH  60    /* widest column, in characters */
#define TIME_WIDTH 25    /* "2026-11-28T15:04:05+08:00" */

typedef struct book {
    const export_snapshot *s;
    lxw_workbook *wb;
    lxw_format *head, *title, *demo, *bold;
    lxw_format *num[EXPORT_K_BOOL + 1][3]; /* by kind and sign (-1, 0, +1) */
    lxw_format *id_fmt;
    lxw_error error; /* the first failure */
} book;

static lxw_format *make_format(book *b, const char *num_format, int sign)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (num_format != NULL)
        format_set_num_format(f, num_format);
    if (sign != 0)
        format_set_font_color(
            f, (lxw_color_t)strtol(export_rise_colour(b->s, sign) + 1, NULL, 16)); /* "#rrggbb" */
    return f;
}

static void make_formats(book *b)
{
    static const char *const nf[EXPORT_K_BOOL + 1] = {
        [EXPORT_K_PRICE] = "0.00", [EXPORT_K_PCT] = "0.00%", [EXPORT_K_NUM] = "0.00",
        [EXPORT_K_BIG] = "#,##0",  [EXPORT_K_INT] = "#,##0",
    };
    for (int k = 0; k <= EXPORT_K_BOOL; k++)
        for (int sign = -1; sign <= 1 && nf[k] != NULL; sign++)
            b->num[k][sign + 1] = make_format(b, nf[k], sign);
    b->id_fmt = make_format(b, "0", 0);
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_bottom(b->head, LXW_BORDER_THIN);
    format_set_bg_color(b->head, 0xEEEEEE);
    b->title = workbook_add_format(b->wb);
    format_set_bold(b->title);
    format_set_font_size(b->title, 14);
    b->demo = workbook_add_format(b->wb);
    format_set_bold(b->demo);
    format_set_font_color(b->demo, 0xFFFFFF);
    format_set_bg_color(b->demo, 0xC62828);
    b->bold = workbook_add_format(b->wb);
    format_set_bold(b->bold);
}

static void check(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->error == LXW_NO_ERROR)
        b->error = e;
}

/* Writes sanitized text; returns its display width. */
static int put_text(book *b, lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
    char *clean = export_clean(s);
    size_t n = strlen(clean);
    if (n > MAX_CELL) { /* cut on a character boundary */
        n = MAX_CELL;
        while (n > 0 && ((unsigned char)clean[n] & 0xC0) == 0x80)
            n--;
        clean[n] = '\0';
    }
    int w = widget_text_width(clean);
    if (clean[0] != '\0')
        check(b, worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, clean, f));
    free(clean);
    return w;
}

/* Writes one cell of a table; returns its display width. */
static int put_cell(book *b, lxw_worksheet *ws, int row, int col, const export_column *c,
                    const export_cell *v)
{
    char buf[64];
    if (v->null)
        return 0;
    lxw_row_t r = (lxw_row_t)row;
    lxw_col_t k = (lxw_col_t)col;
    lxw_format *f = b->num[c->kind][(c->signed_colour ? export_sign(v->num) : 0) + 1];
    switch (c->kind) {
    case EXPORT_K_TEXT:
        return put_text(b, ws, row, col, v->text, NULL);
    case EXPORT_K_PCT:
        check(b, worksheet_write_number(ws, r, k, v->num / 100, f));
        return snprintf(buf, sizeof buf, "%.2f%%", v->num);
    case EXPORT_K_PRICE:
    case EXPORT_K_NUM:
        check(b, worksheet_write_number(ws, r, k, v->num, f));
        return snprintf(buf, sizeof buf, "%.2f", v->num);
    case EXPORT_K_BIG:
        check(b, worksheet_write_number(ws, r, k, v->num, f));
        return (int)strlen(export_fmt_count((int64_t)v->num, buf, sizeof buf));
    case EXPORT_K_INT:
        if (strcmp(c->key, "id") == 0) { /* an identifier: no thousands separators */
            check(b, worksheet_write_number(ws, r, k, (double)v->i, b->id_fmt));
            return snprintf(buf, sizeof buf, "%lld", (long long)v->i);
        }
        check(b, worksheet_write_number(ws, r, k, (double)v->i, f));
        return (int)strlen(export_fmt_count(v->i, buf, sizeof buf));
    case EXPORT_K_TIME:
        check(b, worksheet_write_string(ws, r, k, export_time(v->i, buf, sizeof buf), NULL));
        return TIME_WIDTH;
    case EXPORT_K_BOOL:
        check(b, worksheet_write_boolean(ws, r, k, (int)v->i, NULL));
        return 5;
    }
    return 0;
}

/* Writes table t with its header at row `top`: frozen header, autofilter, widths. */
static void put_table(book *b, lxw_worksheet *ws, export_table_id t, int top)
{
    const export_table *tb = export_table_get(t);
    const int lang_en = b->s->o->lang_en;
    int *width = xcalloc((size_t)tb->ncols, sizeof *width);
    export_cell *cells = xcalloc((size_t)tb->ncols, sizeof *cells);
    for (int c = 0; c < tb->ncols; c++)
        width[c] = put_text(b, ws, top, c, lang_en ? tb->cols[c].en : tb->cols[c].zh, b->head);
    size_t n = export_table_rows(b->s, t);
    for (size_t r = 0; r < n; r++) {
        export_table_row(b->s, t, r, cells);
        for (int c = 0; c < tb->ncols; c++) {
            int w = put_cell(b, ws, top + 1 + (int)r, c, &tb->cols[c], &cells[c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (int c = 0; c < tb->ncols; c++) {
        int w = width[c] + 2 < MAX_WIDTH ? width[c] + 2 : MAX_WIDTH;
        check(b, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL));
    }
    worksheet_freeze_panes(ws, (lxw_row_t)(top + 1), 0);
    check(b, worksheet_autofilter(ws, (lxw_row_t)top, 0, (lxw_row_t)(top + (int)n),
                                  (lxw_col_t)(tb->ncols - 1)));
    free(cells);
    free(width);
}

/* The Summary sheet's head: what, when, and how to read it; returns the next free row. */
static int put_about(book *b, lxw_worksheet *ws)
{
    const export_snapshot *s = b->s;
    char buf[512];
    int row = 0;
    put_text(b, ws, row++, 0, EXPORT_L(s, "xcdash snapshot", "xcdash 快照"), b->title);
    if (s->o->demo)
        put_text(b, ws, row++, 0, export_text_demo(s), b->demo);
    const char *label[] = { EXPORT_L(s, "Generated", "生成时间"), EXPORT_L(s, "Scope", "范围"),
                            EXPORT_L(s, "Colours", "颜色"), EXPORT_L(s, "News", "新闻"),
                            EXPORT_L(s, "Quotes", "行情") };
    for (int i = 0; i < 5; i++) {
        const char *v = i == 0   ? export_time(s->now, buf, sizeof buf)
                        : i == 1 ? export_text_scope(s, buf, sizeof buf)
                        : i == 2 ? export_text_rise(s)
                        : i == 3 ? export_text_news(s, buf, sizeof buf)
                                 : export_text_quotes(s);
        put_text(b, ws, row, 0, label[i], b->bold);
        put_text(b, ws, row++, 1, v, NULL);
    }
    return row + 1;
}

int export_xlsx(const export_snapshot *s, const char *path, char **err)
{
    book b = { .s = s };
    lxw_workbook_options wo = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
    b.wb = workbook_new_opt(path, &wo);
    if (b.wb == NULL)
        return core_fail(err, "cannot start a workbook");
    char generated[40];
    lxw_doc_properties props = { .title = (char *)"xcdash snapshot",
                                 .comments =
                                     (char *)export_time(s->now, generated, sizeof generated),
                                 .created = (time_t)s->now };
    check(&b, workbook_set_properties(b.wb, &props));
    make_formats(&b);
    for (int t = 0; t < EXPORT_T_COUNT; t++) {
        const export_table *tb = export_table_get((export_table_id)t);
        lxw_worksheet *ws = workbook_add_worksheet(b.wb, s->o->lang_en ? tb->en : tb->zh);
        if (ws == NULL) {
            check(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
            break;
        }
        put_table(&b, ws, (export_table_id)t, t == EXPORT_T_PILLARS ? put_about(&b, ws) : 0);
    }
    lxw_error e = workbook_close(b.wb);
    if (b.error != LXW_NO_ERROR)
        e = b.error;
    if (e != LXW_NO_ERROR)
        return core_fail(err, "writing the workbook: %s", lxw_strerror(e));
    return 0;
}
