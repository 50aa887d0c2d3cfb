/*
 * private.h — what the export module's own files share and nothing else
 * includes (tests may, to reach the pieces directly): the snapshot, the
 * tables CSV and the workbook both write, the shared number, time and text
 * formatting, the safe file writer and the renderers.
 */
#ifndef XCDASH_EXPORT_PRIVATE_H
#define XCDASH_EXPORT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core.h"
#include "export/export.h"
#include "store/store.h"

/* ---- snapshot.c: what is exported, read once ------------------------------ */

/* Daily closes of one listing, oldest first (HTML price charts). */
typedef struct export_closes {
    store_daily *v;
    int n;
} export_closes;

typedef struct export_company {
    store_company c;       /* strings and listings owned by the snapshot */
    export_closes *closes; /* one per listing when charts are wanted, else NULL */
} export_company;

typedef struct export_pillar {
    const store_pillar *p; /* the store's static data */
    store_pillar_summary s;
} export_pillar;

/* A row of the companies table: a company and one of its listings (-1: it has none). */
typedef struct export_row {
    size_t company;
    long listing;
} export_row;

typedef struct export_snapshot {
    const export_opts *o;
    int64_t now;               /* generation time */
    const char *scope_kind;    /* "all", "pillar", "company" */
    const char *scope_id;      /* NULL for all */
    int news_days, news_limit; /* the window applied */
    int64_t news_since;        /* its start, epoch seconds */
    int64_t news_total;        /* items in the window before the limit */
    export_pillar *pillars;    /* all, the one, or the company's pillars */
    size_t n_pillars;
    export_company *companies; /* in id order */
    size_t n_companies;
    store_news *news; /* newest first */
    size_t n_news;
    store_model *models; /* of the companies in scope, in id order */
    size_t n_models;
    store_source *sources; /* without a pillar or of a pillar in scope, in id order */
    size_t n_sources;
    export_row *rows; /* the companies table: one row per listing */
    size_t n_rows;
    core_arena *arena; /* every string above */
} export_snapshot;

/* Reads the snapshot o asks for (charts: also the daily closes of each listing). */
int export_snapshot_read(store *st, const export_opts *o, int charts, export_snapshot *out,
                         char **err);
void export_snapshot_free(export_snapshot *s);

/* ---- the tables (snapshot.c): one definition for CSV and the workbook ---- */

typedef enum export_table_id {
    EXPORT_T_PILLARS,
    EXPORT_T_COMPANIES,
    EXPORT_T_NEWS,
    EXPORT_T_MODELS,
    EXPORT_T_SOURCES,
    EXPORT_T_COUNT
} export_table_id;

/* What a cell holds; how each format writes it is the format's business. */
typedef enum export_kind {
    EXPORT_K_TEXT,  /* untrusted UTF-8 (sanitize before writing) */
    EXPORT_K_PRICE, /* a price or a change in price: 0.00 */
    EXPORT_K_PCT,   /* a percentage in percent units (2.08 is 2.08%) */
    EXPORT_K_NUM,   /* another real number (an index level): 0.00 */
    EXPORT_K_BIG,   /* a large amount (market cap): #,##0 */
    EXPORT_K_INT,   /* a count */
    EXPORT_K_TIME,  /* epoch seconds, written as ISO 8601 with offset */
    EXPORT_K_BOOL
} export_kind;

typedef struct export_column {
    const char *key;     /* CSV header and JSON member name: "change_pct" */
    const char *en, *zh; /* header in the workbook */
    export_kind kind;
    int signed_colour; /* coloured by its sign as a rise or a fall */
} export_column;

typedef struct export_cell {
    int null; /* unknown: an empty CSV field, an empty cell */
    const char *text;
    double num;
    int64_t i; /* INT, TIME (epoch seconds), BOOL (0/1) */
} export_cell;

typedef struct export_table {
    const char *name;    /* "companies" */
    const char *en, *zh; /* sheet name */
    const export_column *cols;
    int ncols;
} export_table;

const export_table *export_table_get(export_table_id t);
/* Index of a table by name, -1 when unknown; NULL is companies. */
int export_table_find(const char *name);
/* Rows of a table in this snapshot. */
size_t export_table_rows(const export_snapshot *s, export_table_id t);
/* Fills cells[0..ncols) for row r (< export_table_rows). */
void export_table_row(const export_snapshot *s, export_table_id t, size_t r, export_cell *cells);

/* ---- shared formatting (snapshot.c) --------------------------------------- */

#define EXPORT_NONE "\xe2\x80\x94" /* "—": no value */

/* ISO 8601 with offset (core_iso8601), "" for t <= 0; buf at least 32 bytes. */
const char *export_time(int64_t t, char *buf, size_t sz);
/* 2 decimals (3 below 1, where Hong Kong's ticks are finer); "—" for NaN. */
const char *export_fmt_price(double v, char *buf, size_t sz);
/* A change in price, signed, to the tick of price: "+12.50", "-0.31", "0.00"; "—" for NaN. */
const char *export_fmt_change(double v, double price, char *buf, size_t sz);
/* Signed percentage: "+2.08%", "-1.20%", "0.00%"; "—" for NaN. */
const char *export_fmt_pct(double v, char *buf, size_t sz);
/* Market cap: 2500.00亿 / 2.50万亿 (zh) or 250.00B / 2.50T (en); "—" for NaN. */
const char *export_fmt_cap(double v, int lang_en, char *buf, size_t sz);
/* A count with thousands separators: "1,234,567"; "—" when negative (unknown). */
const char *export_fmt_count(int64_t v, char *buf, size_t sz);
/* A duration: "45 s", "5 min", "3 h", "2 d" (zh: 45秒 5分钟 3小时 2天). */
const char *export_fmt_span(int64_t secs, int lang_en, char *buf, size_t sz);
/* +1 for a rise, -1 for a fall, 0 flat or unknown. */
int export_sign(double v);
/* Whether a listing's quote is stale: fetched longer ago than twice its
 * source's polling interval. -1 when unknown (no quote, no interval). */
int export_quote_stale(const export_snapshot *s, const store_listing *l);
/* Source health in one word: 1 ok, 0 failing, -1 never attempted. */
int export_source_ok(const store_source *src);
/* Display text: the one sanitizer (controls, escapes, bidi dropped). Caller frees. */
char *export_clean(const char *s);
/* An http(s) URL safe to use as a link (spaces, quotes, brackets, pipes and
 * controls percent-encoded); NULL for any other scheme. Caller frees. */
char *export_safe_url(const char *url);
/* The colours of a rise and a fall (CSS hex) under the snapshot's setting. */
const char *export_rise_colour(const export_snapshot *s, int sign);
/* "5 min ago · every 1 min": when a quote was fetched and how often its
 * source polls ("—" when unknown); the stale mark is the caller's. */
const char *export_fmt_fresh(const export_snapshot *s, const store_listing *l, char *buf,
                             size_t sz);
/* The change of a count: "+1,234", "-56", "0"; "—" when either is unknown. */
const char *export_fmt_delta(int64_t now, int64_t before, char *buf, size_t sz);
/* A source's state in a word: disabled, not fetched yet, ok, failing. */
const char *export_source_status(const export_snapshot *s, const store_source *x);

/* The header lines every human format shows, in the snapshot's language
 * (plain text; scope may hold cache text: escape it for the format). */
const char *export_text_demo(const export_snapshot *s);
const char *export_text_scope(const export_snapshot *s, char *buf, size_t sz);
const char *export_text_rise(const export_snapshot *s);
const char *export_text_news(const export_snapshot *s, char *buf, size_t sz);
const char *export_text_quotes(const export_snapshot *s);
/* A label in the snapshot's language. */
#define EXPORT_L(s, en, zh) ((s)->o->lang_en ? (en) : (zh))
/* A company's name in the snapshot's language (the other name when it has none). */
const char *export_company_name(const export_snapshot *s, const store_company *c);
/* A company of the snapshot by id, NULL when not in scope. */
const store_company *export_company_find(const export_snapshot *s, const char *id);
/* The name of a pillar's top mover in the snapshot's language. */
const char *export_top_name(const export_snapshot *s, const store_pillar_summary *m);
/* The name of a pillar in the snapshot's language. */
const char *export_pillar_name(const export_snapshot *s, const char *id);

/* ---- file.c: writing whole or not at all ---------------------------------- */

typedef struct export_file {
    char *path; /* the target */
    char *tmp;  /* the temporary file beside it */
    FILE *f;    /* open on tmp; a renderer writing by name (xlsx) closes it */
    int force;
} export_file;

/* Creates missing directories, refuses an existing target without force and
 * opens a new temporary file in the target's directory. */
int export_file_begin(export_file *xf, const char *path, int force, char **err);
/* Flushes and syncs the temporary file and renames it into place (without
 * force, never over a file that appeared meanwhile); on failure, removes it. */
int export_file_commit(export_file *xf, char **err);
/* Removes the temporary file; safe after commit and on a zeroed struct. */
void export_file_abort(export_file *xf);

/* ---- the renderers: one file per format ----------------------------------- */

int export_json(const export_snapshot *s, FILE *f, char **err);
int export_csv(const export_snapshot *s, FILE *f, char **err);
int export_md(const export_snapshot *s, FILE *f, char **err);
int export_html(const export_snapshot *s, FILE *f, char **err);
/* The workbook is written by name (libxlsxwriter opens the file itself). */
int export_xlsx(const export_snapshot *s, const char *path, char **err);

#endif
