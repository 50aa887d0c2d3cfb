/*
 * store.h — the xcdash cache: one SQLite file (WAL) holding curated profiles
 * (pillars, companies, listings, chips, models, relations), sources and their
 * health, news with tags, quotes, daily bars, model statistics, the watchlist
 * and the user's notes.
 *
 * Contract:
 *  - Every function that can fail returns 0 on success and -1 on failure with
 *    *err set to a malloc'd message the caller frees (err may be NULL).
 *  - Writes go through store_write(): one batch, one transaction.
 *  - Reads return one page at a time (keyset pagination on indexed columns);
 *    no function loads a whole table. A page owns its strings; free it with
 *    the matching *_free().
 *  - A handle is used by one thread at a time. Open one per thread.
 *  - Strings stored are valid UTF-8 as given by callers; they are untrusted
 *    data and must be sanitized before they reach a terminal.
 */
#ifndef XCDASH_STORE_H
#define XCDASH_STORE_H

#include <stddef.h>
#include <stdint.h>

/* Schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 2

typedef struct store store;

/* open flags */
#define STORE_READONLY 0x1 /* never migrate or write; refuse an older schema */

/* Opens (creating directories and the file if needed) and migrates the cache. */
int store_open(store **out, const char *path, int flags, char **err);
/* Closes the handle; NULL is allowed. */
void store_close(store *st);
/* Path the handle was opened with. */
const char *store_path(const store *st);
/* Counter that changes when another connection commits (PRAGMA data_version). */
int64_t store_data_version(store *st);

/* The interface's own state kept with the cache (last screen, sort orders, selections):
 * *value is NULL when the key was never set (caller frees). */
int store_pref_get(store *st, const char *key, char **value, char **err);
int store_pref_set(store *st, const char *key, const char *value, char **err);

/* ---- curated profiles ------------------------------------------------- */

/* Receives one human-readable warning (file, line, column, what). */
typedef void (*store_warn_fn)(void *ctx, const char *msg);

/*
 * Loads the shipped profile files from shipped_dir and the user's additions
 * and corrections from user_dir (NULL or missing: none) when either changed
 * since the last load. A bad user file is reported through warn and skipped;
 * the rest still loads. A bad shipped file is an error. Notes, the watchlist
 * and news are never touched.
 */
int store_load_profiles(store *st, const char *shipped_dir, const char *user_dir,
                        store_warn_fn warn, void *ctx, char **err);

/*
 * Loads a shipped list of sources (data/sources.json, or the demo's) as
 * sources of the given origin when the file changed since the last load:
 * added or updated (their health kept), and those of that origin the list
 * no longer names removed. A relative url names a file beside the list.
 * A missing file loads nothing; sources the user added are never touched.
 */
int store_load_sources(store *st, const char *path, const char *origin, store_warn_fn warn,
                       void *ctx, char **err);

/* ---- writes ----------------------------------------------------------- */

typedef struct store_item {
    const char *guid;    /* unique within the source; required */
    const char *url;     /* link; may be NULL */
    const char *title;   /* required */
    const char *summary; /* plain text; may be NULL */
    const char *author;  /* may be NULL */
    int64_t published;   /* epoch seconds; 0 = unknown (fetch time used) */
    int64_t updated;     /* epoch seconds; 0 = unknown */
} store_item;

typedef struct store_quote {
    const char *exchange; /* SH SZ BJ HK US */
    const char *code;     /* 688256, 00700, BIDU */
    double last, change, change_pct, open, high, low, prev_close;
    double volume, turnover, market_cap; /* NAN when unknown */
    int64_t ts;                          /* quote time, epoch seconds */
} store_quote;

typedef struct store_bar {
    const char *exchange, *code;
    const char *date; /* YYYY-MM-DD, market's calendar */
    double open, high, low, close, volume, amount;
} store_bar;

typedef struct store_model_stat {
    const char *repo;                        /* Hugging Face id, e.g. deepseek-ai/DeepSeek-V3 */
    int64_t ts;                              /* observation time, epoch seconds */
    int64_t downloads, downloads_all, likes; /* -1 when unknown */
    const char *pipeline_tag;                /* may be NULL */
    int64_t created, last_modified;          /* epoch seconds; 0 unknown */
} store_model_stat;

/* Outcome of one fetch of a source, recorded with its batch. */
typedef struct store_health {
    int ok;            /* 1 success (incl. 304), 0 failure */
    int64_t at;        /* when the attempt ended */
    int http_status;   /* 0 when no HTTP answer */
    const char *error; /* failure text; NULL on success */
    const char *etag;  /* newest validators; NULL keeps the old */
    const char *last_modified;
    int64_t next_due; /* epoch seconds */
} store_health;

typedef struct store_batch {
    const char *source_id; /* required for items and health */
    const store_item *items;
    size_t n_items;
    const store_quote *quotes;
    size_t n_quotes;
    const store_bar *bars;
    size_t n_bars;
    const store_model_stat *stats;
    size_t n_stats;
    const store_health *health; /* may be NULL */
} store_batch;

typedef struct store_write_result {
    size_t added;      /* new items */
    size_t updated;    /* same guid, changed title/summary/url/dates */
    size_t unchanged;  /* same guid, nothing changed */
    size_t duplicates; /* same canonical URL already stored from another source */
} store_write_result;

/*
 * Writes a whole batch atomically: all of it or nothing. Alone it is one
 * transaction; inside a group it is a savepoint, so a failed batch is undone
 * alone while the group goes on.
 */
int store_write(store *st, const store_batch *b, store_write_result *res, char **err);

/*
 * Groups the writes that follow into one transaction until store_group_end()
 * commits them: many small batches then cost one commit (one index flush, one
 * WAL sync) instead of one each. Readers see a group's writes when it ends.
 * Groups do not nest.
 */
int store_group_begin(store *st, char **err);
/* Commits the group begun by store_group_begin(). */
int store_group_end(store *st, char **err);
/* Whether a group is open. */
int store_in_group(const store *st);

/* ---- sources ---------------------------------------------------------- */

typedef struct store_source {
    const char *id, *kind, *url, *pillar, *title, *headers_json;
    int enabled;
    int interval_s;
    const char *origin; /* "default", "user", "demo" */
    /* health (read only; written through store_write) */
    int64_t last_success, last_attempt, next_due;
    const char *last_error;
    int http_status, failures;
    const char *etag, *last_modified;
    int64_t items;
} store_source;

/* Adds or replaces a source's configuration (health is kept). */
int store_source_put(store *st, const store_source *src, char **err);
/* Makes a source (NULL: every enabled source) due at `at`: a refresh now. */
int store_sources_due(store *st, const char *id, int64_t at, char **err);
/* Removes a source and the news only it brought. *found tells whether it existed. */
int store_source_rm(store *st, const char *id, int *found, char **err);

typedef struct store_source_page {
    store_source *rows;
    size_t n;
    int more;         /* another page follows */
    const char *next; /* pass as `after` for the next page */
    void *arena;
} store_source_page;

/* Sources ordered by id, those after `after` (NULL: from the start). */
int store_sources_page(store *st, const char *after, int limit, store_source_page *out, char **err);
void store_source_page_free(store_source_page *p);

/* Called for each source; return non-zero to stop early. */
typedef int (*store_source_fn)(void *ctx, const store_source *s);
/* Calls fn for every source in id order, reading one page at a time. */
int store_sources_each(store *st, store_source_fn fn, void *ctx, char **err);
/* Whether a source with this id exists. */
int store_source_exists(store *st, const char *id, int *exists, char **err);

/* ---- companies -------------------------------------------------------- */

typedef struct store_pillar {
    const char *id, *name_en, *name_zh;
} store_pillar;

typedef struct store_listing {
    const char *exchange, *code, *currency, *board;
    const char *eastmoney_secid, *yahoo_symbol;
    const char *as_of, *confidence, *source_note;
    /* latest quote; has_quote 0 when none */
    int has_quote;
    double last, change, change_pct, market_cap;
    int64_t quote_ts;      /* the market's time of the quote */
    int64_t quote_fetched; /* when it was fetched */
    int quote_interval;    /* its source's polling interval, seconds (0 unknown) */
} store_listing;

typedef struct store_company {
    const char *id, *name_en, *name_zh, *status, *hq, *desc_en, *desc_zh;
    int founded; /* 0 unknown */
    const char *as_of, *confidence, *source_note;
    const char *pillars; /* space-separated pillar ids */
    const char *aliases; /* tab-separated */
    store_listing *listings;
    size_t n_listings;
    int watched;
} store_company;

typedef struct store_company_page {
    store_company *rows;
    size_t n;
    int more;
    const char *next; /* pass as `after` for the next page */
    void *arena;
} store_company_page;

/* Companies (optionally of one pillar) ordered by id after `after`, with listings and quotes. */
int store_companies_page(store *st, const char *pillar, const char *after, int limit,
                         store_company_page *out, char **err);
void store_company_page_free(store_company_page *p);

/* Called for each company; return non-zero to stop early. */
typedef int (*store_company_fn)(void *ctx, const store_company *c);
/* Calls fn for every company (of one pillar, or all) in id order, one page at a time. */
int store_companies_each(store *st, const char *pillar, store_company_fn fn, void *ctx, char **err);

/* Pillars in their fixed order; *n set. Returned array is static data owned by the store. */
const store_pillar *store_pillars(size_t *n);

typedef struct store_chip {
    const char *id, *name, *kind, *arch, *process, *specs;
    const char *name_zh; /* NULL when none */
    int launch_year;     /* 0 unknown */
    const char *as_of, *confidence, *source_note;
} store_chip;

typedef struct store_model {
    const char *id, *name, *released, *licence, *hf_repo;
    double params_total_b, params_active_b; /* NAN unknown */
    int open_weights;                       /* -1 unknown */
    const char *as_of, *confidence, *source_note;
    /* latest statistics; -1 when unknown */
    int64_t downloads, likes, stats_ts;
    /* the statistics of about a day before the latest (the newest at least
     * 20 hours older); -1 when none */
    int64_t downloads_prev, likes_prev, prev_ts;
    const char *company_id, *lab_en, *lab_zh; /* set by store_models_page */
} store_model;

typedef struct store_relation {
    const char *role;  /* this company's counterpart is the `role` of it: supplier, ... */
    const char *other; /* company id */
    const char *other_name_en, *other_name_zh;
    const char *note, *as_of, *confidence, *source_note;
} store_relation;

typedef struct store_company_detail {
    store_company company;
    store_chip *chips;
    size_t n_chips;
    store_model *models;
    size_t n_models;
    store_relation *relations;
    size_t n_relations;
    const char *note; /* the user's note, NULL when none */
    void *arena;
} store_company_detail;

/* One company with everything about it except news; *found 0 when no such id. */
int store_company_get(store *st, const char *id, store_company_detail *out, int *found, char **err);
void store_company_detail_free(store_company_detail *d);

/* Sets (or, with an empty body, clears) the user's note on a company. */
int store_note_set(store *st, const char *company_id, const char *body, char **err);
/* Adds or removes a company from the watchlist. */
int store_watch_set(store *st, const char *company_id, int watched, char **err);

/* ---- market data and model statistics (market.c) ----------------------- */

typedef struct store_daily {
    char date[11]; /* YYYY-MM-DD, market's calendar */
    double close;
} store_daily;

/* The last `max` daily closes of a listing, oldest first, into out[0..*n). */
int store_closes(store *st, const char *exchange, const char *code, int max, store_daily *out,
                 int *n, char **err);

#define STORE_SPARK_MAX 60

/*
 * A pillar at a glance. Each member counts once, by its first listing with a
 * quote (SH SZ BJ HK US order); moves are equal-weighted.
 */
typedef struct store_pillar_summary {
    int members;           /* companies in the pillar */
    int quoted;            /* members with a quote */
    int up, down, flat;    /* of the quoted, by today's change */
    double move_pct;       /* mean change % of the quoted; NAN when none */
    char top_id[64];       /* the member with the largest absolute move; "" none */
    char top_name[128];    /* its Chinese name, else English */
    double top_pct;        /* its change % */
    int64_t quote_ts;      /* newest quote time; 0 none */
    int64_t quote_fetched; /* when the newest quote was fetched; 0 none */
    /* equal-weighted index over the last sessions (first = 100): the mean
     * daily return of the members with bars on each date, compounded */
    double spark[STORE_SPARK_MAX];
    int n_spark;
    char spark_from[11], spark_to[11]; /* dates of its first and last point */
} store_pillar_summary;

/* Summarises a pillar over its last `sessions` (at most STORE_SPARK_MAX) sessions. */
int store_pillar_summary_get(store *st, const char *pillar, int sessions, store_pillar_summary *out,
                             char **err);

/* News tagged with a pillar or a company (or, both NULL, all news) published at or after since. */
int store_news_count(store *st, const char *pillar, const char *company, int64_t since, int64_t *n,
                     char **err);

typedef struct store_model_page {
    store_model *rows;
    size_t n;
    int more;
    const char *next; /* pass as `after` for the next page */
    void *arena;
} store_model_page;

/* Curated models ordered by id after `after` (NULL: from the start), with
 * their lab and latest and previous statistics. */
int store_models_page(store *st, const char *after, int limit, store_model_page *out, char **err);
void store_model_page_free(store_model_page *p);

/* ---- news ------------------------------------------------------------- */

/* Keyset position in newest-first order. STORE_CURSOR_START is the top. */
typedef struct store_cursor {
    int64_t t;
    int64_t id;
} store_cursor;
#define STORE_CURSOR_START ((store_cursor){ INT64_MAX, INT64_MAX })
/* Past the oldest row: store_news_rank(.., STORE_CURSOR_END, ..) counts the whole list. */
#define STORE_CURSOR_END ((store_cursor){ INT64_MIN, INT64_MIN })

typedef struct store_news {
    int64_t id;
    const char *source_id, *guid, *url, *title, *summary, *author;
    int64_t published, updated, fetched;
    int read, starred;
    const char *companies; /* space-separated company ids tagged */
    const char *pillars;   /* space-separated pillar ids tagged */
} store_news;

typedef struct store_news_page {
    store_news *rows;
    size_t n;
    int more;
    store_cursor next;
    void *arena;
} store_news_page;

typedef struct store_news_query {
    const char *pillar;  /* NULL: any */
    const char *company; /* NULL: any */
    const char *source;  /* NULL: any */
    int starred_only;
    store_cursor after; /* STORE_CURSOR_START for the first page */
    int limit;
} store_news_query;

/* One page of news, newest first (published, then id). */
int store_news_page_get(store *st, const store_news_query *q, store_news_page *out, char **err);
void store_news_page_free(store_news_page *p);

/*
 * Skips `skip` rows of the list q after q->after without reading them: *out
 * is the cursor after the last row skipped, *skipped how many there were
 * (fewer when the list ends). Reads only an index for a list with one filter.
 */
int store_news_seek(store *st, const store_news_query *q, int64_t skip, store_cursor *out,
                    int64_t *skipped, char **err);
/* How many rows of the list q (q->after ignored) come before cursor c: the
 * row index of the item at c. With STORE_CURSOR_END, the list's length. */
int store_news_rank(store *st, const store_news_query *q, store_cursor c, int64_t *n, char **err);

/* Marks an item read / starred. */
int store_news_flag(store *st, int64_t id, int read, int starred, char **err);

/* ---- search ----------------------------------------------------------- */

typedef struct store_search_result {
    store_company *companies;
    size_t n_companies;
    store_news *news;
    size_t n_news;
    void *arena;
} store_search_result;

/*
 * Full-text search over companies (names, aliases) and news (title, summary).
 * The query is words; CJK text is matched as a substring, Latin words by
 * whole words, all words must match. Companies are ranked by bm25; news by
 * xrank (hit counts, titles weigh three times summaries) among the newest
 * 1,000 matches, ties newest first. At most `limit` of each kind.
 */
int store_search(store *st, const char *query, int limit, store_search_result *out, char **err);
void store_search_result_free(store_search_result *r);

#endif
