/*
 * test_crash.c — kill -9 the writer at random instants and check, every time,
 * that the cache is intact and that each batch is all there or not there.
 *
 * The parent forks a child that opens the cache and writes batches forever;
 * after a random 0–30 ms (see kill_one) the parent sends SIGKILL, reaps the
 * child, opens the cache the way the dashboard does (which recovers the WAL
 * the child left; one time in four a read-only reader looks first) and checks:
 *  - PRAGMA integrity_check says exactly "ok", PRAGMA foreign_key_check says
 *    nothing, and the FTS5 index agrees with the news table (FTS5's
 *    'integrity-check' with rank 1: without the 1 it checks only the index's
 *    own structure, and a missing or stale entry passes — seen on 3.40);
 *  - every batch present is whole: its K new items, its quote, daily bar and
 *    model statistic, the titles it rewrote, the tags of all of them, and the
 *    source health it recorded; and nothing belongs to a batch that is absent;
 *  - the public API (store_news_page_get, by source and by pillar) and a
 *    full-text search see the same items;
 *  - every batch the child saw committed (store_write returned 0) survived,
 *    and so did every batch an earlier check saw.
 * Every 50 kills the cache starts afresh, so checks stay cheap and the first
 * kills of each cache land in its creation and migration.
 *
 * Batches describe themselves, so the check trusts nothing the child says
 * (except, for the last point, a shared page where it notes what committed).
 * Batch U writes K new items with guids b<U>-k<K>-p<P>-n<N>-<i> and titles
 * "new b<U> item <i>"; an updating batch also re-sends items 0..N-1 of batch
 * P, the batch committed just before it, with titles "upd b<U> item <i>" and
 * a new publication time (P = 0, N = 0 when it updates nothing). Every batch
 * writes the quote T:<U>, the bar T:<U>, the model crash/<U>, moves the quote
 * T:LAST to U, and records health with at = U. Batch numbers grow across the
 * whole run (iteration × 1e6 + a counter), so the newest batch is the largest.
 *
 * A second test kills a child that adds sources, fills them and removes them
 * (store_source_rm), and a third makes sure the checks do see damage.
 *
 * XCDASH_CRASH_KILLS (default 200) and XCDASH_CRASH_SEED (default: time)
 * tune a run. The seed fixes what is written and when kills are aimed, not
 * where they land; it and the temporary directory are printed on failure,
 * and the directory is kept then.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/private.h"

#define T0            INT64_C(1700000000) /* publication time of batch U is T0 + U */
#define BATCH_SPAN    INT64_C(1000000)    /* batch numbers of one child: iteration * this + n */
#define MAX_NEW       200                 /* new items in one batch: 1..200 */
#define KILL_MAX_US   30000               /* most kills: 0–30 ms after their start point */
#define EPOCH_KILLS   50 /* a fresh cache every 50 kills: checks stay cheap, migration is hit */
#define FRESH_KILLS   3  /* kills per epoch that start from no cache at all */
#define DEFAULT_KILLS 200

/* ---- small helpers ----------------------------------------------------- */

/* xorshift64*: fast, and reproducible from the printed seed. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static uint64_t mix_seed(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x ? x : 1;
}

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    return *end == '\0' && n > 0 ? n : dflt;
}

/* One integer from the first row of sql; *isnull set when it is NULL (or no row). */
static int sql_int(sqlite3 *db, const char *sql, int64_t *out, int *isnull, char **err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return core_fail(err, "%s: %s", sql, sqlite3_errmsg(db));
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        core_fail(err, "%s: %s", sql, sqlite3_errmsg(db));
        sqlite3_finalize(s);
        return -1;
    }
    int null = rc == SQLITE_DONE || sqlite3_column_type(s, 0) == SQLITE_NULL;
    *out = null ? 0 : sqlite3_column_int64(s, 0);
    if (isnull != NULL)
        *isnull = null;
    sqlite3_finalize(s);
    return 0;
}

static int sql_exec(sqlite3 *db, const char *sql, char **err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        core_fail(err, "%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* ---- what the child shares with the parent ------------------------------ */

enum phase { PH_FORKED, PH_OPENING, PH_SETUP, PH_BETWEEN, PH_WRITING, N_PHASES };
static const char *const phase_names[N_PHASES] = { "before open", "in store_open", "in setup",
                                                   "between writes", "in a write" };

/* One page of MAP_SHARED memory, written by the child; the parent polls the phase while it
 * runs and reads the rest once it is reaped. */
typedef struct shared {
    volatile int phase;
    volatile int64_t acked;   /* last batch (or source number) whose write returned 0 */
    volatile int64_t writing; /* batch (or source number) being written */
} shared;

static _Noreturn void child_fail(const char *what, char *err)
{
    fprintf(stderr, "crash child: %s: %s\n", what, err ? err : "?");
    _exit(3);
}

/* ---- the batch writer ---------------------------------------------------- */

/* The last committed batch: the next one may update its items. */
typedef struct prev_batch {
    int64_t id; /* 0: none known */
    int k;
    char src[8];
    char prefix[96]; /* its guids up to the item index, "b<U>-k<K>-p<P>-n<N>-" */
} prev_batch;

static const char *const sources[] = { "s1", "s2" }; /* s1 has pillar gpu, s2 none */

/* Companies to tag with and both sources, in one transaction, so that news never exist
 * without the alias that tags them. Repeated by every child; all of it is idempotent. */
static int setup_cache(store *st, char **err)
{
    if (store_begin(st, err) != 0)
        return -1;
    const store_source s1 = { .id = "s1",
                              .kind = "rss",
                              .url = "https://example.com/s1.xml",
                              .pillar = "gpu",
                              .title = "crash s1",
                              .enabled = 1,
                              .interval_s = 1800,
                              .origin = "user" };
    const store_source s2 = { .id = "s2",
                              .kind = "rss",
                              .url = "https://example.com/s2.xml",
                              .title = "crash s2",
                              .enabled = 1,
                              .interval_s = 900,
                              .origin = "user" };
    if (store_exec(st,
                   "INSERT OR IGNORE INTO company(id, name_en) VALUES('huawei', 'Huawei');"
                   "INSERT OR IGNORE INTO company_pillar VALUES('huawei', 'ascend');",
                   err) != 0 ||
        store_source_put(st, &s1, err) != 0 || store_source_put(st, &s2, err) != 0 ||
        store_commit(st, err) != 0) {
        store_rollback(st);
        return -1;
    }
    return 0;
}

/* The newest batch in the cache (the one holding the largest news id). */
static int last_batch(store *st, prev_batch *p, char **err)
{
    memset(p, 0, sizeof *p);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT source_id, guid FROM news ORDER BY id DESC LIMIT 1", -1,
                           &s, NULL) != SQLITE_OK)
        return store_sql_fail(st, err, "finding the last batch");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(s, 0);
        const char *guid = (const char *)sqlite3_column_text(s, 1);
        const char *dash = strrchr(guid, '-');
        if (sscanf(guid, "b%" SCNd64 "-k%d-", &p->id, &p->k) != 2 || dash == NULL ||
            (size_t)(dash - guid + 1) >= sizeof p->prefix || strlen(src) >= sizeof p->src) {
            sqlite3_finalize(s);
            return core_fail(err, "unexpected guid '%s'", guid);
        }
        memcpy(p->prefix, guid, (size_t)(dash - guid + 1));
        p->prefix[dash - guid + 1] = '\0';
        snprintf(p->src, sizeof p->src, "%s", src);
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(s);
        return store_sql_fail(st, err, "finding the last batch");
    }
    sqlite3_finalize(s);
    return 0;
}

/* A batch and the strings it points to. */
typedef struct gen_batch {
    store_batch b;
    store_item items[MAX_NEW * 2];
    store_quote quotes[2];
    store_bar bar;
    store_model_stat stat;
    store_health health;
    char *strs[MAX_NEW * 2 * 4 + 8];
    size_t n_strs;
    int k, n; /* new items, updated items */
    char prefix[96];
} gen_batch;

static char *keep(gen_batch *g, char *s)
{
    g->strs[g->n_strs++] = s;
    return s;
}

static void gen_free(gen_batch *g)
{
    for (size_t i = 0; i < g->n_strs; i++)
        free(g->strs[i]);
    g->n_strs = 0;
}

/* A quote on the test exchange "T" with only its last price known. */
static store_quote test_quote(const char *code, double last, int64_t ts)
{
    store_quote q = { .exchange = "T", .code = code, .last = last, .ts = ts };
    q.change = q.change_pct = q.open = q.high = q.low = q.prev_close = NAN;
    q.volume = q.turnover = q.market_cap = NAN;
    return q;
}

/* Builds batch u after batch prev (which it may update). */
static void gen_build(gen_batch *g, int64_t u, const prev_batch *prev, uint64_t *rng)
{
    memset(&g->b, 0, sizeof g->b);
    g->n_strs = 0;
    /* Mostly small batches, as most fetches bring a few new items; one in six up to 200. Under
     * ASan an item costs about 0.3 ms, so 200 take longer than a kill's whole window. */
    uint64_t r = rnd(rng) % 6;
    g->k = 1 + (int)(rnd(rng) % (r < 3 ? 8 : r < 5 ? 40 : MAX_NEW));
    g->n = prev->id != 0 && rnd(rng) % 3 == 0 ? 1 + (int)(rnd(rng) % (uint64_t)prev->k) : 0;
    const char *src = g->n ? prev->src : sources[rnd(rng) % 2];
    snprintf(g->prefix, sizeof g->prefix, "b%" PRId64 "-k%d-p%" PRId64 "-n%d-", u, g->k,
             g->n ? prev->id : 0, g->n);

    size_t n = 0;
    for (int i = 0; i < g->k; i++, n++) {
        store_item *it = &g->items[n];
        it->guid = keep(g, xasprintf("%s%d", g->prefix, i));
        it->url =
            keep(g, xasprintf("https://www.example.com/news/%" PRId64 "/%d?utm_source=rss", u, i));
        it->title = keep(
            g, xasprintf("new b%" PRId64 " item %d%s", u, i, (u + i) % 3 == 0 ? " Huawei" : ""));
        it->summary = keep(g, xasprintf("摘要 算力芯片 b%" PRId64 " 第%d条", u, i));
        it->author = "crash";
        it->published = T0 + u;
        it->updated = 0;
    }
    /* Re-sent items of the previous batch with a new title, summary and time. */
    for (int i = 0; i < g->n; i++, n++) {
        store_item *it = &g->items[n];
        it->guid = keep(g, xasprintf("%s%d", prev->prefix, i));
        it->url = keep(g, xasprintf("https://www.example.com/news/%" PRId64 "/%d?utm_source=rss",
                                    prev->id, i));
        it->title = keep(
            g, xasprintf("upd b%" PRId64 " item %d%s", u, i, (u + i) % 2 == 0 ? " Huawei" : ""));
        it->summary = keep(g, xasprintf("更新 b%" PRId64 " 昇腾", u));
        it->author = "crash";
        it->published = T0 + u;
        it->updated = T0 + u;
    }
    char *code = keep(g, xasprintf("%" PRId64, u));
    g->quotes[0] = test_quote(code, (double)u, T0 + u);
    g->quotes[1] = test_quote("LAST", (double)u, u); /* ts = u: only a newer batch moves it */
    g->bar = (store_bar){ .exchange = "T",
                          .code = code,
                          .date = "2026-01-02",
                          .open = 1,
                          .high = 2,
                          .low = 0.5,
                          .close = (double)u,
                          .volume = 10,
                          .amount = 20 };
    g->stat = (store_model_stat){ .repo = keep(g, xasprintf("crash/%" PRId64, u)),
                                  .ts = T0 + u,
                                  .downloads = u,
                                  .downloads_all = -1,
                                  .likes = -1,
                                  .pipeline_tag = "text-generation" };
    g->health = (store_health){ .ok = 1,
                                .at = u,
                                .http_status = 200,
                                .etag = keep(g, xasprintf("e%" PRId64, u)),
                                .next_due = u + 1 };
    g->b = (store_batch){ .source_id = src,
                          .items = g->items,
                          .n_items = n,
                          .quotes = g->quotes,
                          .n_quotes = 2,
                          .bars = &g->bar,
                          .n_bars = 1,
                          .stats = &g->stat,
                          .n_stats = 1,
                          .health = &g->health };
}

/* Writes one batch after prev; on success prev becomes it. */
static int gen_write(store *st, int64_t u, prev_batch *prev, uint64_t *rng, shared *sh, char **err)
{
    static gen_batch g; /* large; one per process */
    gen_build(&g, u, prev, rng);
    store_write_result res;
    if (sh != NULL) {
        sh->writing = u;
        sh->phase = PH_WRITING;
    }
    int rc = store_write(st, &g.b, &res, err);
    if (sh != NULL) {
        if (rc == 0)
            sh->acked = u;
        sh->phase = PH_BETWEEN;
    }
    if (rc == 0 && (res.added != (size_t)g.k || res.updated != (size_t)g.n || res.unchanged != 0 ||
                    res.duplicates != 0))
        rc = core_fail(err,
                       "batch %" PRId64 ": added %zu updated %zu unchanged %zu dup %zu, "
                       "expected %d new and %d updated",
                       u, res.added, res.updated, res.unchanged, res.duplicates, g.k, g.n);
    if (rc == 0) {
        prev->id = u;
        prev->k = g.k;
        if (g.b.source_id != prev->src) /* an update batch writes to prev's own source */
            snprintf(prev->src, sizeof prev->src, "%s", g.b.source_id);
        snprintf(prev->prefix, sizeof prev->prefix, "%s", g.prefix);
    }
    gen_free(&g);
    return rc;
}

/* The child: writes batches base+1, base+2, ... until it is killed. Never returns. */
static _Noreturn void batch_child(const char *path, int64_t base, uint64_t seed, shared *sh)
{
    uint64_t rng = seed;
    char *err = NULL;
    store *st = NULL;
    sh->phase = PH_OPENING;
    if (store_open(&st, path, 0, &err) != 0)
        child_fail("store_open", err);
    sh->phase = PH_SETUP;
    if (setup_cache(st, &err) != 0)
        child_fail("setup", err);
    prev_batch prev;
    if (last_batch(st, &prev, &err) != 0)
        child_fail("last batch", err);
    sh->phase = PH_BETWEEN;
    for (int64_t n = 1; n < BATCH_SPAN; n++)
        if (gen_write(st, base + n, &prev, &rng, sh, &err) != 0)
            child_fail("store_write", err);
    child_fail("too many batches", NULL);
}

/* ---- checks ---------------------------------------------------------------- */

/* Schema version, PRAGMA integrity_check, foreign keys and (when writable) the FTS indexes. */
static int check_sqlite(store *st, int writable, char **err)
{
    int64_t v;
    if (sql_int(st->db, "PRAGMA user_version", &v, NULL, err) != 0)
        return -1;
    if (v != STORE_SCHEMA_VERSION)
        return core_fail(err, "schema version %" PRId64 ", expected %d", v, STORE_SCHEMA_VERSION);

    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return core_fail(err, "integrity_check: %s", sqlite3_errmsg(st->db));
    core_buf out;
    core_buf_init(&out, 4096);
    int rc, rows = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        core_buf_printf(&out, "%s%s", rows++ ? " | " : "", (const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE || rows != 1 || strcmp(out.data, "ok") != 0) {
        core_fail(err, "integrity_check (rc %d): %s", rc, out.data);
        core_buf_free(&out);
        return -1;
    }
    core_buf_free(&out);

    if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
        return core_fail(err, "foreign_key_check: %s", sqlite3_errmsg(st->db));
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        core_fail(err, "foreign_key_check: %s row %" PRId64 " -> %s",
                  (const char *)sqlite3_column_text(s, 0), (int64_t)sqlite3_column_int64(s, 1),
                  (const char *)sqlite3_column_text(s, 2));
        sqlite3_finalize(s);
        return -1;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return core_fail(err, "foreign_key_check: %s", sqlite3_errmsg(st->db));

    /* rank 1: also compare the index with the external content table (news) */
    if (writable &&
        (sql_exec(st->db, "INSERT INTO news_fts(news_fts, rank) VALUES('integrity-check', 1)",
                  err) != 0 ||
         sql_exec(st->db, "INSERT INTO company_fts(company_fts) VALUES('integrity-check')", err) !=
             0))
        return -1;
    return 0;
}

/* Tags of every item: its source's pillar when the source has one, company huawei and
 * pillar ascend iff "Huawei" is in the title, nothing else, all at the item's publication
 * time. */
static const char sql_bad_tags[] =
    "SELECT count(*), min(n.id) FROM news n JOIN source s ON s.id=n.source_id WHERE"
    " (s.pillar IS NOT NULL) != EXISTS(SELECT 1 FROM news_pillar WHERE news_id=n.id AND"
    "   pillar_id=s.pillar AND published=n.published)"
    " OR (instr(n.title, 'Huawei') > 0) != EXISTS(SELECT 1 FROM news_company WHERE"
    "   news_id=n.id AND company_id='huawei' AND published=n.published)"
    " OR (instr(n.title, 'Huawei') > 0) != EXISTS(SELECT 1 FROM news_pillar WHERE"
    "   news_id=n.id AND pillar_id='ascend' AND published=n.published)"
    " OR (SELECT count(*) FROM news_company WHERE news_id=n.id) != (instr(n.title, 'Huawei') > 0)"
    " OR (SELECT count(*) FROM news_pillar WHERE news_id=n.id) !="
    "   (s.pillar IS NOT NULL) + (instr(n.title, 'Huawei') > 0 AND"
    "   coalesce(s.pillar, '') != 'ascend')";

static int check_tags(store *st, char **err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql_bad_tags, -1, &s, NULL) != SQLITE_OK)
        return core_fail(err, "tags: %s", sqlite3_errmsg(st->db));
    int rc = sqlite3_step(s);
    int64_t bad = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    int64_t first = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return core_fail(err, "tags: %s", sqlite3_errmsg(st->db));
    if (bad != 0)
        return core_fail(err, "%" PRId64 " items with wrong tags (first: news id %" PRId64 ")", bad,
                         first);
    return 0;
}

/* Items found through the public paged API, filtered by source or by pillar. */
static int count_pages(store *st, const char *source, const char *pillar, size_t *n, char **err)
{
    store_news_query q = {
        .source = source, .pillar = pillar, .after = STORE_CURSOR_START, .limit = 400
    };
    *n = 0;
    for (;;) {
        store_news_page p;
        if (store_news_page_get(st, &q, &p, err) != 0)
            return -1;
        *n += p.n;
        int more = p.more;
        q.after = p.next;
        store_news_page_free(&p);
        if (!more)
            return 0;
    }
}

typedef struct news_row {
    int64_t batch, p, writer, published;
    int k, n, i, src, windex;
    char kind; /* 'n' new, 'u' updated */
} news_row;

/* The tables besides news that every batch writes one row of (keyed by the batch number). */
enum side { SIDE_QUOTE, SIDE_BAR, SIDE_STAT, SIDE_MODEL, N_SIDES };

typedef struct batch_rec {
    int64_t id, p;
    int k, n, src;
    int count;         /* its new items present */
    int updated_seen;  /* items of batch p whose title says this batch rewrote them */
    int side[N_SIDES]; /* its rows in each side table */
} batch_rec;

static int cmp_row(const void *a, const void *b)
{
    const news_row *x = a, *y = b;
    if (x->batch != y->batch)
        return x->batch < y->batch ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static batch_rec *find_batch(batch_rec *recs, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (recs[mid].id == id)
            return &recs[mid];
        if (recs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int src_index(const char *id)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(id, sources[i]) == 0)
            return i;
    return -1;
}

/* The batches in a cache: read, then checked for wholeness. */
typedef struct batch_set {
    news_row *rows;
    size_t n_rows;
    batch_rec *recs;
    size_t n_recs;
} batch_set;

static void batch_set_free(batch_set *bs)
{
    free(bs->rows);
    free(bs->recs);
    memset(bs, 0, sizeof *bs);
}

static int read_rows(store *st, batch_set *bs, char **err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT source_id, guid, title, published FROM news", -1, &s,
                           NULL) != SQLITE_OK)
        return core_fail(err, "reading news: %s", sqlite3_errmsg(st->db));
    size_t cap = 1024;
    bs->rows = xmalloc(cap * sizeof *bs->rows);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (bs->n_rows == cap) {
            cap *= 2;
            bs->rows = xrealloc(bs->rows, cap * sizeof *bs->rows);
        }
        news_row *r = &bs->rows[bs->n_rows];
        const char *src = (const char *)sqlite3_column_text(s, 0);
        const char *guid = (const char *)sqlite3_column_text(s, 1);
        const char *title = (const char *)sqlite3_column_text(s, 2);
        char kind[4];
        int used = 0, tused = 0;
        r->published = sqlite3_column_int64(s, 3);
        r->src = src_index(src);
        if (r->src < 0 ||
            sscanf(guid, "b%" SCNd64 "-k%d-p%" SCNd64 "-n%d-%d%n", &r->batch, &r->k, &r->p, &r->n,
                   &r->i, &used) != 5 ||
            guid[used] != '\0' ||
            sscanf(title, "%3s b%" SCNd64 " item %d%n", kind, &r->writer, &r->windex, &tused) !=
                3 ||
            (strcmp(kind, "new") != 0 && strcmp(kind, "upd") != 0)) {
            core_fail(err, "unexpected item %s/%s: '%s'", src, guid, title);
            sqlite3_finalize(s);
            return -1;
        }
        r->kind = kind[0];
        bs->n_rows++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return core_fail(err, "reading news: %s", sqlite3_errmsg(st->db));
    return 0;
}

/* Groups items into batches and checks each is whole and every rewrite is explained. */
static int check_items(batch_set *bs, char **err)
{
    qsort(bs->rows, bs->n_rows, sizeof *bs->rows, cmp_row);
    bs->recs = xcalloc(bs->n_rows + 1, sizeof *bs->recs);
    for (size_t j = 0; j < bs->n_rows; j++) {
        const news_row *r = &bs->rows[j];
        batch_rec *b = bs->n_recs ? &bs->recs[bs->n_recs - 1] : NULL;
        if (b == NULL || b->id != r->batch) {
            b = &bs->recs[bs->n_recs++];
            *b = (batch_rec){ .id = r->batch, .p = r->p, .k = r->k, .n = r->n, .src = r->src };
        }
        if (r->k != b->k || r->p != b->p || r->n != b->n || r->src != b->src)
            return core_fail(err, "batch %" PRId64 ": items disagree on what the batch is",
                             r->batch);
        if (r->i != b->count)
            return core_fail(err, "batch %" PRId64 ": item %d missing (next is %d of %d)", r->batch,
                             b->count, r->i, r->k);
        b->count++;
    }
    for (size_t j = 0; j < bs->n_recs; j++)
        if (bs->recs[j].count != bs->recs[j].k)
            return core_fail(err, "batch %" PRId64 " is partial: %d of its %d items",
                             bs->recs[j].id, bs->recs[j].count, bs->recs[j].k);

    for (size_t j = 0; j < bs->n_rows; j++) {
        const news_row *r = &bs->rows[j];
        if (r->kind == 'n') {
            if (r->writer != r->batch || r->windex != r->i || r->published != T0 + r->batch)
                return core_fail(err, "batch %" PRId64 " item %d: title or time of another item",
                                 r->batch, r->i);
            continue;
        }
        batch_rec *w = find_batch(bs->recs, bs->n_recs, r->writer);
        if (w == NULL)
            return core_fail(err,
                             "batch %" PRId64 " item %d was rewritten by batch %" PRId64
                             ", which is not there",
                             r->batch, r->i, r->writer);
        if (w->p != r->batch || r->i >= w->n || r->windex != r->i || r->published != T0 + r->writer)
            return core_fail(err,
                             "batch %" PRId64 " item %d: rewrite by batch %" PRId64
                             " does not match what that batch re-sent",
                             r->batch, r->i, r->writer);
        w->updated_seen++;
    }
    for (size_t j = 0; j < bs->n_recs; j++) {
        const batch_rec *b = &bs->recs[j];
        if (b->n == 0)
            continue;
        const batch_rec *p = find_batch(bs->recs, bs->n_recs, b->p);
        if (p == NULL || p->src != b->src || p->k < b->n)
            return core_fail(err, "batch %" PRId64 " updated batch %" PRId64 ", which is not there",
                             b->id, b->p);
        if (b->updated_seen != b->n)
            return core_fail(err,
                             "batch %" PRId64 " rewrote %d items of batch %" PRId64
                             ", but %d carry its title",
                             b->id, b->n, b->p, b->updated_seen);
    }
    return 0;
}

/* Rows of a side table keyed by batch number: each must belong to a present batch. */
static int check_side(store *st, batch_set *bs, const char *sql, const char *what, enum side side,
                      char **err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return core_fail(err, "%s: %s", what, sqlite3_errmsg(st->db));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        batch_rec *b = find_batch(bs->recs, bs->n_recs, id);
        if (b == NULL) {
            sqlite3_finalize(s);
            return core_fail(err, "%s of batch %" PRId64 " is there without the batch", what, id);
        }
        b->side[side]++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return core_fail(err, "%s: %s", what, sqlite3_errmsg(st->db));
    for (size_t j = 0; j < bs->n_recs; j++) {
        int got = bs->recs[j].side[side];
        if (got != 1)
            return core_fail(err, "batch %" PRId64 " has %d %s rows, expected 1", bs->recs[j].id,
                             got, what);
    }
    return 0;
}

/* Quotes, bars, model statistics, source health: all in step with the items. */
static int check_side_tables(store *st, batch_set *bs, char **err)
{
    if (check_side(st, bs,
                   "SELECT CAST(code AS INTEGER) FROM quote WHERE exchange='T' AND"
                   " code<>'LAST'",
                   "quote", SIDE_QUOTE, err) != 0 ||
        check_side(st, bs, "SELECT CAST(code AS INTEGER) FROM bar WHERE exchange='T'", "bar",
                   SIDE_BAR, err) != 0 ||
        check_side(st, bs,
                   "SELECT CAST(substr(repo, 7) AS INTEGER) FROM model_stat WHERE"
                   " repo LIKE 'crash/%' AND downloads=CAST(substr(repo, 7) AS INTEGER)",
                   "model statistic", SIDE_STAT, err) != 0 ||
        check_side(st, bs,
                   "SELECT CAST(substr(repo, 7) AS INTEGER) FROM hf_model WHERE"
                   " repo LIKE 'crash/%'",
                   "model", SIDE_MODEL, err) != 0)
        return -1;
    int64_t other;
    if (sql_int(st->db,
                "SELECT count(*) FROM model_stat WHERE repo NOT LIKE 'crash/%' OR"
                " downloads<>CAST(substr(repo, 7) AS INTEGER)",
                &other, NULL, err) != 0)
        return -1;
    if (other != 0)
        return core_fail(err, "%" PRId64 " model statistics that no batch wrote", other);

    int64_t newest = bs->n_recs ? bs->recs[bs->n_recs - 1].id : 0;
    int64_t last;
    int null;
    if (sql_int(st->db, "SELECT last FROM quote WHERE exchange='T' AND code='LAST'", &last, &null,
                err) != 0)
        return -1;
    if (null ? newest != 0 : last != newest)
        return core_fail(err, "quote T:LAST is %s%" PRId64 ", the newest batch %" PRId64,
                         null ? "absent " : "", last, newest);

    for (int si = 0; si < 2; si++) {
        int64_t items = 0, max = 0;
        for (size_t j = 0; j < bs->n_recs; j++) {
            if (bs->recs[j].src != si)
                continue;
            items += bs->recs[j].k;
            max = bs->recs[j].id;
        }
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db,
                               "SELECT items, last_attempt, etag, last_success FROM source"
                               " WHERE id=?",
                               -1, &s, NULL) != SQLITE_OK)
            return core_fail(err, "source: %s", sqlite3_errmsg(st->db));
        sqlite3_bind_text(s, 1, sources[si], -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        int ok;
        char etag[32];
        snprintf(etag, sizeof etag, "e%" PRId64, max);
        if (rc == SQLITE_DONE) {
            ok = items == 0; /* killed before the setup committed */
        } else if (rc == SQLITE_ROW) {
            const char *e = (const char *)sqlite3_column_text(s, 2);
            ok = sqlite3_column_int64(s, 0) == items &&
                 (max == 0
                      ? sqlite3_column_type(s, 1) == SQLITE_NULL && e == NULL
                      : sqlite3_column_int64(s, 1) == max && sqlite3_column_int64(s, 3) == max &&
                            e != NULL && strcmp(e, etag) == 0);
        } else {
            sqlite3_finalize(s);
            return core_fail(err, "source: %s", sqlite3_errmsg(st->db));
        }
        if (!ok) {
            core_fail(err,
                      "source %s health: items %" PRId64 " last_attempt %" PRId64
                      " etag %s; its batches say %" PRId64 " items, newest %" PRId64,
                      sources[si], rc == SQLITE_ROW ? (int64_t)sqlite3_column_int64(s, 0) : -1,
                      rc == SQLITE_ROW ? (int64_t)sqlite3_column_int64(s, 1) : -1,
                      rc == SQLITE_ROW && sqlite3_column_text(s, 2)
                          ? (const char *)sqlite3_column_text(s, 2)
                          : "NULL",
                      items, max);
            sqlite3_finalize(s);
            return -1;
        }
        sqlite3_finalize(s);
    }
    return 0;
}

/* The index answers for the newest batch: its new items and the ones it rewrote. */
static int check_search(store *st, batch_set *bs, char **err)
{
    if (bs->n_recs == 0)
        return 0;
    const batch_rec *b = &bs->recs[bs->n_recs - 1];
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM news_fts WHERE news_fts MATCH '\"b%" PRId64 "\"'", b->id);
    int64_t hits;
    if (sql_int(st->db, sql, &hits, NULL, err) != 0)
        return -1;
    if (hits != b->k + b->n)
        return core_fail(err, "search for batch %" PRId64 " finds %" PRId64 " items, not %d", b->id,
                         hits, b->k + b->n);
    return 0;
}

/* The public API sees the same items: by source, and by the pillar tagging gives. */
static int check_pages(store *st, batch_set *bs, char **err)
{
    size_t want[2] = { 0, 0 }, got, ascend = 0;
    for (size_t j = 0; j < bs->n_recs; j++)
        want[bs->recs[j].src] += (size_t)bs->recs[j].k;
    for (int si = 0; si < 2; si++) {
        if (count_pages(st, sources[si], NULL, &got, err) != 0)
            return -1;
        if (got != want[si])
            return core_fail(err, "news pages of %s hold %zu items, the table %zu", sources[si],
                             got, want[si]);
    }
    int64_t huawei;
    if (sql_int(st->db, "SELECT count(*) FROM news WHERE instr(title, 'Huawei') > 0", &huawei, NULL,
                err) != 0 ||
        count_pages(st, NULL, "ascend", &ascend, err) != 0)
        return -1;
    if ((int64_t)ascend != huawei)
        return core_fail(err, "pillar ascend pages hold %zu items, %" PRId64 " mention Huawei",
                         ascend, huawei);
    return 0;
}

/* Everything about the batch test's cache; bs is filled for the caller. */
static int check_batches(store *st, int writable, batch_set *bs, char **err)
{
    memset(bs, 0, sizeof *bs);
    if (check_sqlite(st, writable, err) != 0 || read_rows(st, bs, err) != 0 ||
        check_items(bs, err) != 0 || check_side_tables(st, bs, err) != 0 ||
        check_tags(st, err) != 0 || check_search(st, bs, err) != 0 || check_pages(st, bs, err) != 0)
        return -1;
    return 0;
}

/* ---- the kill loop ---------------------------------------------------------- */

typedef struct crash_run {
    char dir[PATH_MAX - 32];
    char path[PATH_MAX];
    uint64_t seed;
    shared *sh;
    long iter;
    int migrated; /* a check has opened this cache for writing */
    /* batches seen by the previous check (same cache): they must all stay */
    int64_t *known;
    size_t n_known;
    /* tallies */
    long by_phase[N_PHASES];
    long unacked_present, unacked_absent, batches, items, committed;
} crash_run;

static void run_init(crash_run *r, const char *name)
{
    memset(r, 0, sizeof *r);
    const char *tmp = getenv("TMPDIR");
    snprintf(r->dir, sizeof r->dir, "%s/xcdash-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    assert_non_null(mkdtemp(r->dir));
    snprintf(r->path, sizeof r->path, "%s/cache.db", r->dir);
    const char *s = getenv("XCDASH_CRASH_SEED");
    r->seed = s && *s ? strtoull(s, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    r->sh = mmap(NULL, sizeof(shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(r->sh != MAP_FAILED);
}

static void remove_cache(const crash_run *r)
{
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[PATH_MAX + 16];
        snprintf(p, sizeof p, "%s%s", r->path, suffix[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            fail_msg("unlink %s: %s", p, strerror(errno));
    }
}

static void run_done(crash_run *r)
{
    remove_cache(r);
    rmdir(r->dir);
    munmap(r->sh, sizeof(shared));
    free(r->known);
}

/* Fails the test with the context needed to reproduce; the cache is kept. */
#define run_fail(r, err)                                                                           \
    fail_msg("kill %ld (seed %" PRIu64 ", child died %s): %s\n  cache kept in %s", (r)->iter,      \
             (r)->seed, phase_names[(r)->sh->phase], (err) ? (err) : "?", (r)->dir)

/* Sleeps us microseconds, through signals. */
static void sleep_us(long us)
{
    struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/*
 * Forks child(path, base, seed, sh), lets it run a random while, kills it and
 * reaps it. The while is 0–30 ms, counted from the fork for one kill in four
 * (under 2 ms for one in eight, and always at the start of an epoch), which
 * lands in store_open, migration and setup; otherwise from the moment the
 * child is ready to write, because under ASan forking and opening alone take
 * 10–30 ms and the kills would crowd there. One kill in eight comes after
 * 30–150 ms instead, so that the cache grows to many batches and the checks
 * see long chains of updates.
 */
static void kill_one(crash_run *r, uint64_t *rng, int early,
                     void (*child)(const char *, int64_t, uint64_t, shared *))
{
    memset((void *)r->sh, 0, sizeof *r->sh);
    uint64_t how = early ? 0 : rnd(rng) % 8;
    long us = how == 0   ? (long)(rnd(rng) % 2000)
              : how == 7 ? KILL_MAX_US + (long)(rnd(rng) % (4 * KILL_MAX_US))
                         : (long)(rnd(rng) % KILL_MAX_US);
    int from_ready = how >= 2;
    int64_t base = (int64_t)(r->iter + 1) * BATCH_SPAN;
    uint64_t seed = mix_seed(r->seed + (uint64_t)r->iter);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        child(r->path, base, seed, r->sh);
        _exit(4);
    }
    int status, reaped = 0;
    /* ready: it has opened the cache; give up waiting after 5 s (it is killed anyway) */
    for (long waited = 0; from_ready && r->sh->phase < PH_BETWEEN && waited < 5000000;
         waited += 200) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        assert_true(w >= 0);
        if (w == pid) {
            reaped = 1;
            break;
        }
        sleep_us(200);
    }
    if (!reaped) {
        sleep_us(us);
        assert_int_equal(kill(pid, SIGKILL), 0);
        while (waitpid(pid, &status, 0) < 0)
            assert_int_equal(errno, EINTR);
    }
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
        char *msg = xasprintf("the child ended by itself (status %d), see its stderr", status);
        run_fail(r, msg);
    }
    r->by_phase[r->sh->phase]++;
    if (r->sh->acked > base)
        r->committed += (long)(r->sh->acked - base);
}

/* What the child saw committed is there; no batch newer than the one it was writing. */
static void check_acked(crash_run *r, const batch_set *bs, int tally)
{
    int64_t base = (int64_t)(r->iter + 1) * BATCH_SPAN;
    int64_t acked = r->sh->acked, writing = r->sh->writing;
    for (int64_t u = base + 1; acked > base && u <= acked; u++)
        if (find_batch(bs->recs, bs->n_recs, u) == NULL) {
            char *msg = xasprintf("batch %" PRId64 " was committed (store_write returned 0) "
                                  "but is gone",
                                  u);
            run_fail(r, msg);
        }
    for (size_t j = 0; j < bs->n_recs; j++)
        if (bs->recs[j].id > base && bs->recs[j].id > writing) {
            char *msg =
                xasprintf("batch %" PRId64 " is there, the child never wrote it", bs->recs[j].id);
            run_fail(r, msg);
        }
    if (tally && writing > acked && r->sh->phase == PH_WRITING) {
        if (find_batch(bs->recs, bs->n_recs, writing) != NULL)
            r->unacked_present++;
        else
            r->unacked_absent++;
    }
    for (size_t j = 0; j < r->n_known; j++)
        if (find_batch(bs->recs, bs->n_recs, r->known[j]) == NULL) {
            char *msg =
                xasprintf("batch %" PRId64 " passed an earlier check and is now gone", r->known[j]);
            run_fail(r, msg);
        }
    free(r->known);
    r->n_known = bs->n_recs;
    r->known = xmalloc((bs->n_recs + 1) * sizeof *r->known);
    for (size_t j = 0; j < bs->n_recs; j++)
        r->known[j] = bs->recs[j].id;
}

static void after_kill_batches(crash_run *r, uint64_t *rng)
{
    char *err = NULL;
    store *st = NULL;
    batch_set bs;
    /* Sometimes a read-only reader (an export, a second dashboard) comes first. Not before
     * the cache was first migrated: a reader can refuse it then, as it cannot roll back the
     * journal of a half-done switch to WAL. */
    if (r->migrated && rnd(rng) % 4 == 0) {
        if (store_open(&st, r->path, STORE_READONLY, &err) != 0 ||
            check_batches(st, 0, &bs, &err) != 0)
            run_fail(r, err);
        check_acked(r, &bs, 0);
        batch_set_free(&bs);
        store_close(st);
    }
    if (store_open(&st, r->path, 0, &err) != 0)
        run_fail(r, err);
    if (check_batches(st, 1, &bs, &err) != 0)
        run_fail(r, err);
    check_acked(r, &bs, 1);
    r->migrated = 1;
    r->batches = (long)bs.n_recs;
    r->items = (long)bs.n_rows;
    batch_set_free(&bs);
    store_close(st);
}

static void test_sigkill_keeps_batches_whole(void **state)
{
    (void)state;
    crash_run r;
    run_init(&r, "crash");
    long kills = env_long("XCDASH_CRASH_KILLS", DEFAULT_KILLS);
    uint64_t rng = mix_seed(r.seed);
    long total_batches = 0, total_items = 0;
    time_t t0 = time(NULL);
    for (r.iter = 0; r.iter < kills; r.iter++) {
        /* The first kills of an epoch start from no cache: the child creates and migrates it. */
        int fresh = r.iter % EPOCH_KILLS < FRESH_KILLS;
        if (fresh) {
            total_batches += r.batches;
            total_items += r.items;
            r.batches = r.items = 0;
            remove_cache(&r);
            free(r.known);
            r.known = NULL;
            r.n_known = 0;
            r.migrated = 0;
        }
        kill_one(&r, &rng, fresh, batch_child);
        after_kill_batches(&r, &rng);
    }
    total_batches += r.batches;
    total_items += r.items;
    fprintf(stderr,
            "# %ld kills (seed %" PRIu64 ", %lds): %ld before open, %ld in store_open, %ld in "
            "setup, %ld between writes, %ld in a write (%ld of those had committed, %ld had "
            "not); %ld batches committed, %ld batches with %ld items checked at the end of "
            "each cache\n",
            kills, r.seed, (long)(time(NULL) - t0), r.by_phase[PH_FORKED], r.by_phase[PH_OPENING],
            r.by_phase[PH_SETUP], r.by_phase[PH_BETWEEN], r.by_phase[PH_WRITING], r.unacked_present,
            r.unacked_absent, r.committed, total_batches, total_items);
    run_done(&r);
}

/* ---- sources added, filled and removed --------------------------------------- */

/* Source r<n> holds one batch of K items (K in its title) or none while it exists. */
static _Noreturn void rm_child(const char *path, int64_t base, uint64_t seed, shared *sh)
{
    uint64_t rng = seed;
    char *err = NULL;
    store *st = NULL;
    sh->phase = PH_OPENING;
    if (store_open(&st, path, 0, &err) != 0)
        child_fail("store_open", err);
    sh->phase = PH_SETUP;
    if (setup_cache(st, &err) != 0)
        child_fail("setup", err);
    sh->phase = PH_BETWEEN;
    static store_item items[64];
    static char bufs[64][3][96];
    for (int64_t n = 1; n < BATCH_SPAN; n++) {
        int64_t u = base + n;
        int k = 1 + (int)(rnd(&rng) % 64);
        char id[32], title[32], url[64];
        snprintf(id, sizeof id, "r%" PRId64, u);
        snprintf(title, sizeof title, "k%d", k);
        snprintf(url, sizeof url, "https://example.com/%s.xml", id);
        store_source src = { .id = id,
                             .kind = "rss",
                             .url = url,
                             .pillar = rnd(&rng) % 2 ? "models" : NULL,
                             .title = title,
                             .enabled = 1,
                             .interval_s = 600,
                             .origin = "user" };
        for (int i = 0; i < k; i++) {
            snprintf(bufs[i][0], sizeof bufs[i][0], "g%d", i);
            snprintf(bufs[i][1], sizeof bufs[i][1], "https://example.com/%s/%d", id, i);
            snprintf(bufs[i][2], sizeof bufs[i][2], "rm item %d of %s%s", i, id,
                     i % 4 == 0 ? " Huawei" : "");
            items[i] = (store_item){ .guid = bufs[i][0],
                                     .url = bufs[i][1],
                                     .title = bufs[i][2],
                                     .summary = "移除 测试",
                                     .published = T0 + u };
        }
        store_health h = { .ok = 1, .at = u, .http_status = 200 };
        store_batch b = { .source_id = id, .items = items, .n_items = (size_t)k, .health = &h };
        sh->writing = u;
        sh->phase = PH_WRITING;
        if (store_source_put(st, &src, &err) != 0 || store_write(st, &b, NULL, &err) != 0)
            child_fail("filling a source", err);
        /* most go again at once; a few stay, so removals also hit a cache with others */
        int found = 0;
        if (rnd(&rng) % 6 != 0 && (store_source_rm(st, id, &found, &err) != 0 || !found))
            child_fail("store_source_rm", err ? err : xstrdup("not found"));
        sh->acked = u;
        sh->phase = PH_BETWEEN;
    }
    child_fail("too many sources", NULL);
}

static int check_sources(store *st, int64_t *n_sources, char **err)
{
    if (check_sqlite(st, 1, err) != 0 || check_tags(st, err) != 0)
        return -1;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT s.id, s.title, s.items, (SELECT count(*) FROM news WHERE"
                           " source_id=s.id) FROM source s WHERE s.id LIKE 'r%'",
                           -1, &s, NULL) != SQLITE_OK)
        return core_fail(err, "sources: %s", sqlite3_errmsg(st->db));
    int rc;
    *n_sources = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 0);
        int k = atoi((const char *)sqlite3_column_text(s, 1) + 1);
        int64_t items = sqlite3_column_int64(s, 2), have = sqlite3_column_int64(s, 3);
        if ((have != 0 && have != k) || items != have) {
            core_fail(err,
                      "source %s: %" PRId64 " items (health says %" PRId64 "), expected 0 or %d",
                      id, have, items, k);
            sqlite3_finalize(s);
            return -1;
        }
        (*n_sources)++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return core_fail(err, "sources: %s", sqlite3_errmsg(st->db));
    int64_t hits, rows;
    if (sql_int(st->db, "SELECT count(*) FROM news_fts WHERE news_fts MATCH 'rm'", &hits, NULL,
                err) != 0 ||
        sql_int(st->db, "SELECT count(*) FROM news WHERE source_id LIKE 'r%'", &rows, NULL, err) !=
            0)
        return -1;
    if (hits != rows)
        return core_fail(err, "search finds %" PRId64 " items of added sources, there are %" PRId64,
                         hits, rows);
    return 0;
}

static void test_sigkill_during_source_rm(void **state)
{
    (void)state;
    crash_run r;
    run_init(&r, "crash-rm");
    long kills = env_long("XCDASH_CRASH_KILLS", DEFAULT_KILLS) / 4;
    uint64_t rng = mix_seed(r.seed ^ 0x5eed);
    int64_t n_sources = 0;
    for (r.iter = 0; r.iter < kills; r.iter++) {
        kill_one(&r, &rng, r.iter == 0, rm_child);
        char *err = NULL;
        store *st = NULL;
        if (store_open(&st, r.path, 0, &err) != 0 || check_sources(st, &n_sources, &err) != 0)
            run_fail(&r, err);
        store_close(st);
    }
    fprintf(stderr,
            "# %ld kills while adding and removing sources: %ld in a write; %" PRId64
            " sources left\n",
            kills, r.by_phase[PH_WRITING], n_sources);
    run_done(&r);
}

/* ---- the checks see damage -------------------------------------------------- */

/* Runs damage in a transaction, expects check_batches to fail mentioning `expect`, rolls back. */
static void expect_damage(store *st, const char *damage, const char *expect)
{
    char *err = NULL;
    batch_set bs;
    assert_int_equal(sql_exec(st->db, "BEGIN", &err), 0);
    assert_int_equal(sql_exec(st->db, damage, &err), 0);
    int rc = check_batches(st, 1, &bs, &err);
    batch_set_free(&bs);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc == 0)
        fail_msg("damage not seen: %s", damage);
    if (strstr(err, expect) == NULL)
        fail_msg("damage '%s' reported as '%s', expected '%s'", damage, err, expect);
    free(err);
}

static void test_checks_see_damage(void **state)
{
    (void)state;
    crash_run r;
    run_init(&r, "crash-damage");
    char *err = NULL;
    store *st = NULL;
    assert_int_equal(store_open(&st, r.path, 0, &err), 0);
    assert_int_equal(setup_cache(st, &err), 0);
    prev_batch prev = { 0 };
    uint64_t rng = 42;
    /* enough batches that some update their predecessor */
    for (int64_t u = 1; u <= 12; u++)
        if (gen_write(st, u, &prev, &rng, NULL, &err) != 0)
            fail_msg("%s", err);
    batch_set bs;
    if (check_batches(st, 1, &bs, &err) != 0)
        fail_msg("%s", err);
    int64_t upd = 0;
    for (size_t j = 0; j < bs.n_recs; j++)
        if (bs.recs[j].n > 0)
            upd = bs.recs[j].id;
    assert_int_equal(bs.n_recs, 12);
    assert_true(upd > 0);
    batch_set_free(&bs);

    /* an item gone (index kept in step): a partial batch */
    expect_damage(st,
                  "INSERT INTO news_fts(news_fts, rowid, title, summary) SELECT 'delete', id,"
                  " title, summary FROM news WHERE guid LIKE 'b3-%-0';"
                  "DELETE FROM news WHERE guid LIKE 'b3-%-0'",
                  "item 0 missing");
    /* an item gone behind the index's back */
    expect_damage(st, "DELETE FROM news WHERE guid LIKE 'b4-%-0'", "malformed");
    /* a batch's quote, bar or model without the batch's items */
    expect_damage(st, "DELETE FROM quote WHERE code='5'", "quote rows");
    expect_damage(st, "INSERT INTO bar(exchange, code, date) VALUES('T', '99', '2026-01-02')",
                  "bar of batch 99");
    /* a rewrite undone (the item kept its old title) */
    char *undo = xasprintf("CREATE TEMP TABLE undo AS SELECT id FROM news WHERE title LIKE"
                           " 'upd b%" PRId64 " %%';"
                           "INSERT INTO news_fts(news_fts, rowid, title, summary) SELECT 'delete',"
                           " id, title, summary FROM news WHERE id IN undo;"
                           "UPDATE news SET title=replace(title, 'upd b%" PRId64 "', 'new b%" PRId64
                           "'), published=published-1 WHERE id IN undo;"
                           "INSERT INTO news_fts(rowid, title, summary) SELECT id, title, summary"
                           " FROM news WHERE id IN undo",
                           upd, upd, upd - 1);
    expect_damage(st, undo, "rewrote");
    free(undo);
    /* a tag lost, and health that disagrees */
    expect_damage(st,
                  "DELETE FROM news_pillar WHERE news_id=(SELECT min(news_id) FROM news_pillar)",
                  "wrong tags");
    expect_damage(st, "UPDATE source SET items=items+1 WHERE id='s1'", "health");
    expect_damage(st, "UPDATE quote SET last=last-1 WHERE code='LAST'", "T:LAST");

    store_close(st);
    run_done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_see_damage),
        cmocka_unit_test(test_sigkill_keeps_batches_whole),
        cmocka_unit_test(test_sigkill_during_source_rm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
