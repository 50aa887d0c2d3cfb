/*
 * export.h — snapshots of the dashboard written to a file: JSON, CSV,
 * Markdown, Excel (.xlsx) or one self-contained HTML page.
 *
 * Design. export_write() reads the store once, through the same read API
 * the screens use, into an in-memory snapshot limited by its scope (the
 * whole dashboard, one pillar or one company) and by a news window (the
 * last EXPORT_NEWS_DAYS days, at most EXPORT_NEWS_LIMIT items, so a cache
 * of a million items exports in the time of a few pages). One renderer per
 * format turns that snapshot into bytes in a temporary file beside the
 * target; the file is synced and renamed into place, so the target is at
 * every instant absent, its old self, or the complete new file — never half
 * of one — and an existing file is replaced only when asked (force).
 *
 * No global state: a call owns its snapshot, its file and its numeric
 * locale (per thread), so the dashboard can run export_write() on a
 * background thread with its own read-only store handle
 * (store_open(&st, path, STORE_READONLY, &err)). One caveat: libxlsxwriter
 * calls gmtime() and rand(), so run one xlsx export at a time.
 *
 * The shapes are documented in docs/snapshot-schema.md (JSON: schema
 * "xcdash.snapshot/1", docs/snapshot-schema.json; the CSV tables and the
 * workbook's sheets use the same column names).
 */
#ifndef XCDASH_EXPORT_H
#define XCDASH_EXPORT_H

#include <stdint.h>

#include "store/store.h"

typedef enum export_format {
    EXPORT_JSON,
    EXPORT_CSV,
    EXPORT_MD,
    EXPORT_XLSX,
    EXPORT_HTML
} export_format;

/* The default news window: the last 7 days, at most 500 items (newest first). */
#define EXPORT_NEWS_DAYS  7
#define EXPORT_NEWS_LIMIT 500

/* "json" "csv" "md" "xlsx" "html" into *out; 0, or -1 for any other name. */
int export_format_parse(const char *name, export_format *out);
/* The file extension (without the dot) and format name: "json", "csv", "md", "xlsx", "html". */
const char *export_format_ext(export_format f);
/* 0 when name is a CSV table (pillars companies news models sources), else -1. */
int export_table_check(const char *name);

typedef struct export_opts {
    export_format format;
    const char *pillar;  /* scope: one pillar, or */
    const char *company; /* one company (not both); neither: the whole dashboard */
    const char *table;   /* CSV only: pillars|companies|news|models|sources; NULL companies */
    const char *path;    /* the file to write; missing directories are created */
    int force;           /* replace an existing file (otherwise it is an error) */
    int bom;             /* CSV: start with a UTF-8 byte order mark (for Excel) */
    int rise_red;        /* 1: a rise is red and a fall green (Chinese convention); 0: swapped */
    int lang_en;         /* 1: English labels, market caps in M/B/T; 0: Chinese, 万/亿/万亿 */
    int demo;            /* the cache holds the offline demo set: say DEMO */
    int64_t now;         /* generation time, epoch seconds; 0: time(NULL) */
    int news_days;       /* news window in days; 0: EXPORT_NEWS_DAYS */
    int news_limit;      /* most news items; 0: EXPORT_NEWS_LIMIT */
} export_opts;

/*
 * Writes a snapshot of st as o describes to o->path: whole or not at all.
 * Fails (-1, *err set to a message naming the path or what is wrong) on bad
 * options, an unknown pillar or company, an existing file without force, or
 * any read or write error; a failure leaves no temporary file behind.
 */
int export_write(store *st, const export_opts *o, char **err);

/*
 * The default file for a snapshot: HOME/xcdash-snapshots/
 * xcdash-SCOPE-YYYYmmdd-HHMMSS.EXT in local time (HOME NULL or empty: "."),
 * SCOPE being "all" (NULL), a pillar id or a company id with every byte
 * outside [A-Za-z0-9._-] replaced by '_'. now 0: time(NULL). Caller frees.
 */
char *export_default_path(const char *home, const char *scope, export_format f, int64_t now);

#endif
