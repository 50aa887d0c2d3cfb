/*
 * fetch.h — the fetch module: everything that reads bytes from outside
 * xcdash and turns them into plain structs (it never touches curses or the
 * store's SQL).
 *
 * OPML import/export lives here because it parses untrusted XML with the
 * same locked-down libxml2 setup as the feed adapters: no network, no DTD
 * loading, no entity substitution, no huge-document mode, and libxml2's
 * errors collected per parse instead of printed to stderr.
 *
 * Contract: functions that can fail return 0 on success and -1 on failure
 * with *err set to a malloc'd message the caller frees (err may be NULL).
 * libxml2 keeps global state: call xmlInitParser() once from the main
 * thread before starting threads that use these functions.
 */
#ifndef XCDASH_FETCH_H
#define XCDASH_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core.h"
#include "store/store.h"

/* ---- adapters: one response in, plain structs out ---- */

/* What an adapter sees of one HTTP (or file://) response. */
typedef struct fetch_response {
    const char *body; /* not NUL-terminated; may hold any bytes */
    size_t len;
    const char *content_type; /* the Content-Type header value, or NULL */
    const char *url;          /* the effective URL, for resolving relative links */
    int status;               /* HTTP status; 0 for file:// */
} fetch_response;

/*
 * What an adapter produced. Every string is valid UTF-8 and lives in the
 * result's arena; the arrays grow with the fetch_add_* functions below.
 * Numbers the source did not give are NAN (prices) or -1 (counts).
 */
typedef struct fetch_result {
    store_item *items;
    size_t n_items, cap_items;
    store_quote *quotes;
    size_t n_quotes, cap_quotes;
    store_bar *bars;
    size_t n_bars, cap_bars;
    store_model_stat *stats;
    size_t n_stats, cap_stats;
    core_arena *arena;
} fetch_result;

/* An empty result with its arena. */
void fetch_result_init(fetch_result *r);
/* Appends a zeroed element and returns it (numbers preset to NAN / -1). */
store_item *fetch_add_item(fetch_result *r);
store_quote *fetch_add_quote(fetch_result *r);
store_bar *fetch_add_bar(fetch_result *r);
store_model_stat *fetch_add_stat(fetch_result *r);
/* Frees the arrays and the arena. */
void fetch_result_free(fetch_result *r);

/* Parses one response into r (initialised by the caller); -1 with *err on failure. */
typedef int (*fetch_parse_fn)(const fetch_response *resp, fetch_result *r, char **err);

/* The adapters, one file each. */
int fetch_parse_feed(const fetch_response *resp, fetch_result *r, char **err);
int fetch_parse_hf_models(const fetch_response *resp, fetch_result *r, char **err);
int fetch_parse_eastmoney_quotes(const fetch_response *resp, fetch_result *r, char **err);
int fetch_parse_eastmoney_kline(const fetch_response *resp, fetch_result *r, char **err);
int fetch_parse_yahoo_chart(const fetch_response *resp, fetch_result *r, char **err);
int fetch_parse_hn_search(const fetch_response *resp, fetch_result *r, char **err);

/* The parser for a source kind ("feed", "hf-models", ...); NULL when unknown. */
fetch_parse_fn fetch_adapter(const char *kind);

/* ---- OPML (sources import-opml / export-opml) ---- */

/* Namespace of the xcdash:* outline attributes; other readers ignore them. */
#define FETCH_OPML_NS "https://xcdash.dev/ns/opml/1"

/* Largest OPML file or buffer accepted (16 MiB): far above any real
 * subscription list, small enough that parsing it cannot hurt. */
#define FETCH_OPML_MAX ((size_t)16 << 20)

/* One subscription. Every string is UTF-8 and owned by the entry. */
typedef struct fetch_opml_entry {
    char *url;    /* xmlUrl; required, http or https only */
    char *title;  /* text or title attribute; may be NULL */
    char *kind;   /* xcdash:kind attribute, default "feed" */
    char *pillar; /* xcdash:pillar attribute or the enclosing folder outline's text when it names a
                     pillar id (gpu cpu ascend leasing models); may be NULL */
    char *id;     /* xcdash:id attribute; may be NULL */
} fetch_opml_entry;

/*
 * Reads the OPML file at path (OPML 1.0/2.0, nested folders, any encoding
 * the document declares) into *out / *n, in document order. Outlines without
 * xmlUrl are folders or links and are ignored; outlines whose xmlUrl is not
 * an http(s) URL are skipped and counted in *skipped (may be NULL). Files
 * over FETCH_OPML_MAX are refused. On failure returns -1 with *err as
 * "FILE:LINE: what" (or "FILE: what" when no line applies); *out is NULL
 * and *n 0.
 */
int fetch_opml_read(const char *path, fetch_opml_entry **out, size_t *n, size_t *skipped,
                    char **err);
/* Parses OPML from memory (same rules); name is the FILE in error messages. */
int fetch_opml_parse(const char *buf, size_t len, const char *name, fetch_opml_entry **out,
                     size_t *n, size_t *skipped, char **err);
/* Writes entries as an OPML 2.0 document (UTF-8, grouped in one folder outline per pillar) to f;
 * title NULL means "xcdash sources". What it writes reads back to the same entries. */
int fetch_opml_write(FILE *f, const fetch_opml_entry *e, size_t n, const char *title, char **err);
/* Frees n entries and the array; NULL is allowed. */
void fetch_opml_free(fetch_opml_entry *e, size_t n);

/* ---- scheduling (sched.c): pure functions of the time they are given ---- */

typedef enum fetch_market { FETCH_MARKET_CN, FETCH_MARKET_HK } fetch_market;
typedef enum fetch_market_state {
    FETCH_PRE_OPEN, /* CN 09:15-09:30 call auction; HK 09:00-09:30 pre-opening session */
    FETCH_OPEN,
    FETCH_LUNCH, /* CN 11:30-13:00; HK 12:00-13:00 */
    FETCH_CLOSED
} fetch_market_state;

/*
 * The state of a market at epoch second t. Shanghai/Shenzhen trade
 * 09:30-11:30 and 13:00-15:00 Asia/Shanghai, Hong Kong 09:30-12:00 and
 * 13:00-16:00 Asia/Hong_Kong (both UTC+8, no daylight saving), Monday to
 * Friday. Exchange holidays are not known: a holiday looks like a closed
 * market whose quotes simply do not change.
 */
fetch_market_state fetch_market_state_at(fetch_market m, int64_t t);

/* The delay after the n-th consecutive failure (n >= 1): interval doubled per failure, capped. */
int64_t fetch_backoff(int failures, int interval_s, int cap_s);

/* An interval with +-10% jitter; rnd is any random 32-bit value. */
int64_t fetch_jitter(int interval_s, uint32_t rnd);

/*
 * The earliest time >= t at which a quote source may poll: while either
 * market is in session (from the 09:25 auction result; lunch breaks, when
 * both markets pause, are skipped), or once after a close that
 * last_success has not yet seen; otherwise the next pre-open.
 */
int64_t fetch_quote_window(int64_t t, int64_t last_success);

/*
 * Whether a quote looks stale at `now`: its market (by exchange code: SH SZ
 * BJ, HK) was in session at some moment after it should have been replaced
 * (twice its source's interval, 0 meaning 60 s, plus 30 s after it was
 * fetched). A quote fetched after the close stays good all night and over
 * the weekend; one from before the close is stale. Markets whose hours
 * xcdash does not know (US) are never claimed live, nor called stale.
 */
int fetch_quote_stale(const char *exchange, int64_t fetched, int interval_s, int64_t now);

/* Whether a source kind reads market quotes (and so follows fetch_quote_window). */
int fetch_kind_is_quotes(const char *kind);

/* ---- the engine (engine.c) ---------------------------------------------- */

/* Every knob of the fetch engine; fetch_config_defaults() gives the documented defaults. */
typedef struct fetch_config {
    int global_limit;       /* transfers at once, all hosts (8) */
    int host_limit;         /* transfers at once to one host (2) */
    int connect_timeout_s;  /* (10) */
    int timeout_s;          /* whole transfer (60) */
    int low_speed_bytes;    /* abort below this many bytes/s ... (16) */
    int low_speed_s;        /* ... sustained this long (20) */
    size_t body_cap;        /* bytes after decompression (8 MiB) */
    int max_redirects;      /* (5) */
    int backoff_cap_s;      /* longest wait after failures (6 h) */
    const char *user_agent; /* NULL: "Mozilla/5.0 (compatible; xcdash/VERSION; ...)" */
    /* A source's polling interval in seconds, given its id, kind and stored
     * default (the configuration file's overrides); NULL keeps the default. */
    int (*interval)(void *ctx, const char *id, const char *kind, int dflt);
    void *interval_ctx;
} fetch_config;

void fetch_config_defaults(fetch_config *c);

/* What happened to one source in one round. */
typedef struct fetch_report {
    const char *source_id, *kind;
    int ok;            /* 1 fetched (a 304 counts), 0 failed */
    int not_modified;  /* every request answered 304 */
    int http_status;   /* last HTTP status seen, 0 when none */
    const char *error; /* NULL when ok */
    size_t requests;
    store_write_result written;
    size_t quotes, bars, stats;
    double seconds;
    size_t round_done, round_total; /* sources reported so far in this round, and in all */
} fetch_report;

typedef void (*fetch_report_fn)(void *ctx, const fetch_report *r);

typedef struct fetch_engine fetch_engine;

/*
 * Opens the engine on the cache at db_path with its own connection, and
 * takes the cache's fetch lock: only one process fetches into a cache. When
 * another holds it, fails with *busy set to 1 (busy may be NULL).
 */
int fetch_engine_new(fetch_engine **out, const char *db_path, const fetch_config *cfg, int *busy,
                     char **err);
void fetch_engine_free(fetch_engine *e);

/*
 * Fetches the named sources (every enabled one when n is 0) once, now,
 * whatever their schedule; reports each as it finishes. Returns how many
 * failed, or -1 with *err when nothing could be attempted (unknown id...).
 */
int fetch_engine_once(fetch_engine *e, const char *const *ids, size_t n, fetch_report_fn cb,
                      void *ctx, char **err);

/*
 * Fetches due sources until *stop becomes non-zero, sleeping in between.
 * After each source's batch is written, one byte goes to wake_fd (when >= 0)
 * so a user interface can redraw. Returns 0 when stopped, -1 with *err.
 */
int fetch_engine_run(fetch_engine *e, volatile int *stop, int wake_fd, fetch_report_fn cb,
                     void *ctx, char **err);

#endif
