/*
 * csv.c — one table of the snapshot as RFC 4180 CSV.
 *
 * A CSV file holds one table (pillars, companies, news, models or sources;
 * companies by default), with the column names of snapshot.c's table
 * definitions as its header. Lines end in CRLF; a field is quoted when it
 * holds a quote, a comma, CR or LF, and its quotes are doubled. Numbers are
 * raw (612.5, not "612.50" or "¥612.5"; change_pct in percent units, as in
 * JSON) so that a spreadsheet or a script reads them as numbers; times are
 * ISO 8601 with offset; an unknown value is an empty field.
 *
 * Text passes the one sanitizer first (no escape sequences or bidi
 * overrides in a cell), and a text field that a spreadsheet would run as a
 * formula — one starting with = + - @ — gets a leading apostrophe (the
 * usual defence against CSV injection: a headline "=HYPERLINK(…)" stays a
 * headline). With bom the file starts with a UTF-8 byte order mark, which
 * is how Excel learns that a CSV file is UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/private.h"

static void put_field(FILE *f, const char *s)
{
    if (strpbrk(s, "\",\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_text(FILE *f, const char *s)
{
    char *clean = export_clean(s);
    if (clean[0] != '\0' && strchr("=+-@", clean[0]) != NULL) {
        char *guarded = xasprintf("'%s", clean);
        put_field(f, guarded);
        free(guarded);
    } else {
        put_field(f, clean);
    }
    free(clean);
}

static void put_cell(FILE *f, const export_column *col, const export_cell *c)
{
    if (c->null)
        return;
    char buf[48];
    switch (col->kind) {
    case EXPORT_K_TEXT:
        put_text(f, c->text);
        break;
    case EXPORT_K_PRICE:
    case EXPORT_K_PCT:
    case EXPORT_K_NUM:
    case EXPORT_K_BIG:
        fprintf(f, "%.15g", c->num);
        break;
    case EXPORT_K_INT:
        fprintf(f, "%lld", (long long)c->i);
        break;
    case EXPORT_K_TIME:
        fputs(export_time(c->i, buf, sizeof buf), f);
        break;
    case EXPORT_K_BOOL:
        fputs(c->i ? "true" : "false", f);
        break;
    }
}

int export_csv(const export_snapshot *s, FILE *f, char **err)
{
    int t = export_table_find(s->o->table);
    if (t < 0)
        return core_fail(err, "unknown table '%s'", s->o->table);
    const export_table *tb = export_table_get((export_table_id)t);
    if (s->o->bom)
        fputs("\xEF\xBB\xBF", f);
    for (int c = 0; c < tb->ncols; c++) {
        if (c)
            fputc(',', f);
        fputs(tb->cols[c].key, f);
    }
    fputs("\r\n", f);
    export_cell *cells = xcalloc((size_t)tb->ncols, sizeof *cells);
    size_t n = export_table_rows(s, (export_table_id)t);
    for (size_t r = 0; r < n; r++) {
        export_table_row(s, (export_table_id)t, r, cells);
        for (int c = 0; c < tb->ncols; c++) {
            if (c)
                fputc(',', f);
            put_cell(f, &tb->cols[c], &cells[c]);
        }
        fputs("\r\n", f);
    }
    free(cells);
    return 0;
}
