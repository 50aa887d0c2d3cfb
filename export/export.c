/*
 * export.c — the module's entry: format names, the default file name, and
 * export_write(), which checks the options, opens the target's temporary
 * file, reads the snapshot, runs the format's renderer and commits the file.
 *
 * The order is chosen so that a doomed export costs nothing: options first,
 * then the file (an existing target without force, or an unwritable
 * directory, fails before the store is read), then the store, then the
 * bytes. Any failure after the temporary file exists removes it.
 *
 * Numbers are written with printf, whose decimal point follows LC_NUMERIC;
 * the program runs under the user's locale (setlocale(LC_ALL, "")), where
 * 612.5 may print as "612,5". The export switches its own thread to a locale
 * that is the current one with LC_NUMERIC from "C" (uselocale is per thread,
 * so a background export disturbs nobody) and back when done.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/private.h"

static const char *const format_names[] = { "json", "csv", "md", "xlsx", "html" };

int export_format_parse(const char *name, export_format *out)
{
    for (size_t i = 0; name && i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (export_format)i;
            return 0;
        }
    }
    return -1;
}

const char *export_format_ext(export_format f)
{
    return (unsigned)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "out";
}

int export_table_check(const char *name)
{
    return name != NULL && export_table_find(name) >= 0 ? 0 : -1;
}

char *export_default_path(const char *home, const char *scope, export_format f, int64_t now)
{
    char safe[65]; /* ids are short; a longer scope is cut, never a path */
    size_t n = 0;
    for (const char *p = scope ? scope : "all"; *p && n < sizeof safe - 1; p++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        safe[n++] = ok ? c : '_';
    }
    safe[n] = '\0';
    time_t t = (time_t)(now ? now : (int64_t)time(NULL));
    struct tm tm;
    char stamp[32];
    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    return xasprintf("%s/xcdash-snapshots/xcdash-%s-%s.%s", home && *home ? home : ".",
                     n ? safe : "all", stamp, export_format_ext(f));
}

static int check_opts(const export_opts *o, char **err)
{
    if ((unsigned)o->format > EXPORT_HTML)
        return core_fail(err, "unknown export format");
    if (o->path == NULL || *o->path == '\0')
        return core_fail(err, "no file to export to");
    if (o->pillar != NULL && o->company != NULL)
        return core_fail(err, "export one pillar or one company, not both");
    if (o->table != NULL && o->format != EXPORT_CSV)
        return core_fail(err, "a table is chosen only for CSV (the other formats hold them all)");
    if (export_table_find(o->table) < 0)
        return core_fail(err, "unknown table '%s' (pillars companies news models sources)",
                         o->table);
    if (o->news_days < 0 || o->news_limit < 0)
        return core_fail(err, "the news window cannot be negative");
    return 0;
}

/* Reads, renders and commits; xf is open. */
static int run(store *st, const export_opts *o, export_file *xf, char **err)
{
    export_snapshot s;
    int rc = export_snapshot_read(st, o, o->format == EXPORT_HTML, &s, err);
    if (rc == 0) {
        switch (o->format) {
        case EXPORT_JSON:
            rc = export_json(&s, xf->f, err);
            break;
        case EXPORT_CSV:
            rc = export_csv(&s, xf->f, err);
            break;
        case EXPORT_MD:
            rc = export_md(&s, xf->f, err);
            break;
        case EXPORT_HTML:
            rc = export_html(&s, xf->f, err);
            break;
        case EXPORT_XLSX:
            /* libxlsxwriter opens the file by name: hand it the temporary one */
            if (fclose(xf->f) != 0)
                rc = core_fail(err, "cannot write %s: %s", xf->tmp, strerror(errno));
            xf->f = NULL;
            if (rc == 0)
                rc = export_xlsx(&s, xf->tmp, err);
            break;
        }
    }
    export_snapshot_free(&s);
    if (rc == 0)
        rc = export_file_commit(xf, err);
    return rc;
}

int export_write(store *st, const export_opts *o, char **err)
{
    if (check_opts(o, err) != 0)
        return -1;
    export_opts local = *o;
    if (local.now == 0)
        local.now = (int64_t)time(NULL);
    export_file xf;
    if (export_file_begin(&xf, o->path, o->force, err) != 0)
        return -1;
    /* this thread only: the user's locale with a '.' decimal point */
    locale_t loc = (locale_t)0, old = (locale_t)0;
    locale_t base = duplocale(uselocale((locale_t)0));
    if (base != (locale_t)0) {
        loc = newlocale(LC_NUMERIC_MASK, "C", base);
        if (loc == (locale_t)0)
            freelocale(base);
        else
            old = uselocale(loc);
    }
    int rc = run(st, &local, &xf, err);
    if (loc != (locale_t)0) {
        uselocale(old);
        freelocale(loc);
    }
    export_file_abort(&xf); /* after a commit there is nothing left to remove */
    return rc;
}
