/*
 * read.c — pages of companies, news, sources, search results.
 *
 * Every list is read one page at a time with keyset pagination: the caller
 * passes the last key it saw and the query seeks there through an index, so
 * page 1,000 costs what page 1 costs and no function ever holds a table in
 * memory. A pillar's or company's news comes from the tag tables, whose
 * primary keys are (pillar|company, published, news_id): one index range
 * scan in newest-first order.
 *
 * A page owns its strings in one arena freed with the page.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/private.h"

/* Column text copied into the page's arena. */
static const char *arena_str(core_arena *a, const unsigned char *s)
{
    return core_arena_strdup(a, (const char *)s);
}

#define COL_STR(s, i) arena_str(a, sqlite3_column_text((s), (i)))
#define COL_REAL(s, i)                                                                             \
    (sqlite3_column_type((s), (i)) == SQLITE_NULL ? NAN : sqlite3_column_double((s), (i)))
#define COL_COUNT(s, i)                                                                            \
    (sqlite3_column_type((s), (i)) == SQLITE_NULL ? -1 : sqlite3_column_int64((s), (i)))

/* ---- companies ----------------------------------------------------------- */

#define COMPANY_COLS                                                                               \
    "c.id, c.name_en, c.name_zh, c.status, c.hq, c.desc_en, c.desc_zh, c.founded, c.as_of,"        \
    " c.confidence, c.source_note, (SELECT group_concat(cp.pillar_id, ' ') FROM"                   \
    " (SELECT cp.pillar_id FROM company_pillar cp JOIN pillar p ON p.id=cp.pillar_id"              \
    " WHERE cp.company_id=c.id ORDER BY p.ord) cp), (SELECT group_concat(alias, char(9))"          \
    " FROM alias WHERE company_id=c.id), EXISTS(SELECT 1 FROM watch WHERE company_id=c.id)"

static const char sql_listings[] =
    "SELECT l.exchange, l.code, l.currency, l.board, l.eastmoney_secid, l.yahoo_symbol,"
    " l.as_of, l.confidence, l.source_note, q.last, q.change, q.change_pct, q.market_cap, q.ts,"
    " q.fetched, src.interval_s FROM listing l LEFT JOIN quote q ON q.exchange=l.exchange AND"
    " q.code=l.code LEFT JOIN source src ON src.id=q.source_id"
    " WHERE l.company_id=? ORDER BY instr('SH SZ BJ HK US', l.exchange), l.exchange, l.code";

/* Fills c from a row of COMPANY_COLS, then reads its listings with their latest quotes. */
static int company_row(store *st, sqlite3_stmt *s, core_arena *a, store_company *c, char **err)
{
    memset(c, 0, sizeof *c);
    c->id = COL_STR(s, 0);
    c->name_en = COL_STR(s, 1);
    c->name_zh = COL_STR(s, 2);
    c->status = COL_STR(s, 3);
    c->hq = COL_STR(s, 4);
    c->desc_en = COL_STR(s, 5);
    c->desc_zh = COL_STR(s, 6);
    c->founded = sqlite3_column_int(s, 7);
    c->as_of = COL_STR(s, 8);
    c->confidence = COL_STR(s, 9);
    c->source_note = COL_STR(s, 10);
    c->pillars = COL_STR(s, 11);
    c->aliases = COL_STR(s, 12);
    c->watched = sqlite3_column_int(s, 13);

    sqlite3_stmt *l = store_prep(st, sql_listings, err);
    if (l == NULL)
        return -1;
    sqlite3_bind_text(l, 1, c->id, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(l)) == SQLITE_ROW) {
        if (c->n_listings == cap) {
            cap = cap ? cap * 2 : 4;
            store_listing *n = core_arena_alloc(a, cap * sizeof *n);
            if (c->n_listings)
                memcpy(n, c->listings, c->n_listings * sizeof *n);
            c->listings = n;
        }
        store_listing *x = &c->listings[c->n_listings++];
        x->exchange = COL_STR(l, 0);
        x->code = COL_STR(l, 1);
        x->currency = COL_STR(l, 2);
        x->board = COL_STR(l, 3);
        x->eastmoney_secid = COL_STR(l, 4);
        x->yahoo_symbol = COL_STR(l, 5);
        x->as_of = COL_STR(l, 6);
        x->confidence = COL_STR(l, 7);
        x->source_note = COL_STR(l, 8);
        x->has_quote = sqlite3_column_type(l, 13) != SQLITE_NULL;
        x->last = COL_REAL(l, 9);
        x->change = COL_REAL(l, 10);
        x->change_pct = COL_REAL(l, 11);
        x->market_cap = COL_REAL(l, 12);
        x->quote_ts = sqlite3_column_int64(l, 13);
        x->quote_fetched = sqlite3_column_int64(l, 14);
        x->quote_interval = sqlite3_column_int(l, 15);
    }
    sqlite3_reset(l);
    if (rc != SQLITE_DONE)
        return store_sql_fail(st, err, "reading listings");
    return 0;
}

/* Steps s (COMPANY_COLS rows) into a fresh array of at most max companies. */
static int company_rows(store *st, sqlite3_stmt *s, core_arena *a, size_t max, store_company **rows,
                        size_t *n, char **err)
{
    *rows = xcalloc(max ? max : 1, sizeof **rows);
    *n = 0;
    int rc;
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (company_row(st, s, a, &(*rows)[*n], err) != 0) {
            sqlite3_reset(s);
            return -1;
        }
        (*n)++;
    }
    if (*n < max && rc != SQLITE_DONE) {
        sqlite3_reset(s);
        return store_sql_fail(st, err, "reading companies");
    }
    sqlite3_reset(s);
    return 0;
}

int store_companies_page(store *st, const char *pillar, const char *after, int limit,
                         store_company_page *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (limit <= 0)
        limit = 50;
    sqlite3_stmt *s =
        pillar ? store_prep(st,
                            "SELECT " COMPANY_COLS " FROM company_pillar x JOIN company c ON"
                            " c.id=x.company_id WHERE x.pillar_id=?1 AND x.company_id>?2"
                            " ORDER BY x.company_id LIMIT ?3",
                            err)
               : store_prep(st,
                            "SELECT " COMPANY_COLS " FROM company c WHERE c.id>?2"
                            " ORDER BY c.id LIMIT ?3",
                            err);
    if (s == NULL)
        return -1;
    if (pillar)
        sqlite3_bind_text(s, 1, pillar, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, limit + 1);
    core_arena *a = core_arena_new();
    out->arena = a;
    if (company_rows(st, s, a, (size_t)limit + 1, &out->rows, &out->n, err) != 0) {
        store_company_page_free(out);
        return -1;
    }
    if (out->n > (size_t)limit) {
        out->more = 1;
        out->n = (size_t)limit;
    }
    out->next = out->n ? out->rows[out->n - 1].id : NULL;
    return 0;
}

void store_company_page_free(store_company_page *p)
{
    free(p->rows);
    core_arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

#define EACH_PAGE 200

int store_companies_each(store *st, const char *pillar, store_company_fn fn, void *ctx, char **err)
{
    char *last = NULL;
    int more, stop = 0;
    do {
        store_company_page p;
        if (store_companies_page(st, pillar, last, EACH_PAGE, &p, err) != 0) {
            free(last);
            return -1;
        }
        for (size_t i = 0; i < p.n && !stop; i++)
            stop = fn(ctx, &p.rows[i]);
        free(last);
        last = p.next ? xstrdup(p.next) : NULL;
        more = p.more && !stop;
        store_company_page_free(&p);
    } while (more);
    free(last);
    return 0;
}

/* Runs a statement whose rows become arena-allocated structs via fill(). */
typedef void (*fill_fn)(sqlite3_stmt *s, core_arena *a, void *row);

static int collect(store *st, sqlite3_stmt *s, core_arena *a, size_t size, fill_fn fill,
                   void **rows, size_t *n, char **err)
{
    size_t cap = 0;
    char *buf = NULL;
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            char *nb = core_arena_alloc(a, cap * size);
            if (*n)
                memcpy(nb, buf, *n * size);
            buf = nb;
        }
        memset(buf + *n * size, 0, size);
        fill(s, a, buf + *n * size);
        (*n)++;
    }
    sqlite3_reset(s);
    *rows = buf;
    if (rc != SQLITE_DONE)
        return store_sql_fail(st, err, "reading a company");
    return 0;
}

static void fill_chip(sqlite3_stmt *s, core_arena *a, void *row)
{
    store_chip *c = row;
    c->id = COL_STR(s, 0);
    c->name = COL_STR(s, 1);
    c->kind = COL_STR(s, 2);
    c->arch = COL_STR(s, 3);
    c->process = COL_STR(s, 4);
    c->specs = COL_STR(s, 5);
    c->launch_year = sqlite3_column_int(s, 6);
    c->as_of = COL_STR(s, 7);
    c->confidence = COL_STR(s, 8);
    c->source_note = COL_STR(s, 9);
    c->name_zh = COL_STR(s, 10);
}

/* A model, its lab, its latest statistics and those of about a day before
 * (the newest at least 20 hours older than the latest), each by one seek on
 * model_stat's primary key (repo, ts). */
#define MODEL_COLS                                                                                 \
    "m.id, m.name, m.released, m.licence, m.hf_repo, m.params_total_b, m.params_active_b,"         \
    " m.open_weights, m.as_of, m.confidence, m.source_note, st.downloads, st.likes, st.ts,"        \
    " pv.downloads, pv.likes, pv.ts, m.company_id, c.name_en, c.name_zh FROM model m"              \
    " JOIN company c ON c.id=m.company_id LEFT JOIN model_stat st ON st.repo=m.hf_repo AND"        \
    " st.ts=(SELECT max(ts) FROM model_stat WHERE repo=m.hf_repo) LEFT JOIN model_stat pv ON"      \
    " pv.repo=m.hf_repo AND pv.ts=(SELECT max(ts) FROM model_stat WHERE repo=m.hf_repo AND"        \
    " ts<=st.ts-72000)"

static void fill_model(sqlite3_stmt *s, core_arena *a, void *row)
{
    store_model *m = row;
    m->id = COL_STR(s, 0);
    m->name = COL_STR(s, 1);
    m->released = COL_STR(s, 2);
    m->licence = COL_STR(s, 3);
    m->hf_repo = COL_STR(s, 4);
    m->params_total_b = COL_REAL(s, 5);
    m->params_active_b = COL_REAL(s, 6);
    m->open_weights = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 7);
    m->as_of = COL_STR(s, 8);
    m->confidence = COL_STR(s, 9);
    m->source_note = COL_STR(s, 10);
    m->downloads = COL_COUNT(s, 11);
    m->likes = COL_COUNT(s, 12);
    m->stats_ts = COL_COUNT(s, 13);
    m->downloads_prev = COL_COUNT(s, 14);
    m->likes_prev = COL_COUNT(s, 15);
    m->prev_ts = COL_COUNT(s, 16);
    m->company_id = COL_STR(s, 17);
    m->lab_en = COL_STR(s, 18);
    m->lab_zh = COL_STR(s, 19);
}

static void fill_relation(sqlite3_stmt *s, core_arena *a, void *row)
{
    store_relation *r = row;
    r->role = COL_STR(s, 0);
    r->other = COL_STR(s, 1);
    r->other_name_en = COL_STR(s, 2);
    r->other_name_zh = COL_STR(s, 3);
    r->note = COL_STR(s, 4);
    r->as_of = COL_STR(s, 5);
    r->confidence = COL_STR(s, 6);
    r->source_note = COL_STR(s, 7);
}

int store_company_get(store *st, const char *id, store_company_detail *out, int *found, char **err)
{
    memset(out, 0, sizeof *out);
    *found = 0;
    sqlite3_stmt *s = store_prep(st, "SELECT " COMPANY_COLS " FROM company c WHERE c.id=?1", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    core_arena *a = core_arena_new();
    out->arena = a;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        store_company_detail_free(out);
        return store_sql_fail(st, err, "reading a company");
    }
    rc = company_row(st, s, a, &out->company, err);
    sqlite3_reset(s);
    if (rc != 0)
        goto fail;
    *found = 1;

    s = store_prep(
        st,
        "SELECT id, name, kind, arch, process, specs, launch_year, as_of, confidence,"
        " source_note, name_zh FROM chip WHERE company_id=? ORDER BY launch_year DESC, name",
        err);
    if (s == NULL)
        goto fail;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (collect(st, s, a, sizeof(store_chip), fill_chip, (void **)&out->chips, &out->n_chips,
                err) != 0)
        goto fail;

    s = store_prep(
        st, "SELECT " MODEL_COLS " WHERE m.company_id=? ORDER BY m.released DESC, m.name", err);
    if (s == NULL)
        goto fail;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (collect(st, s, a, sizeof(store_model), fill_model, (void **)&out->models, &out->n_models,
                err) != 0)
        goto fail;

    s = store_prep(st,
                   "SELECT r.role, r.other_id, o.name_en, o.name_zh, r.note, r.as_of,"
                   " r.confidence, r.source_note FROM relation r JOIN company o ON"
                   " o.id=r.other_id WHERE r.company_id=? ORDER BY CASE r.role WHEN 'parent'"
                   " THEN 0 WHEN 'subsidiary' THEN 1 WHEN 'supplier' THEN 2 WHEN 'customer'"
                   " THEN 3 WHEN 'partner' THEN 4 ELSE 5 END, o.name_en",
                   err);
    if (s == NULL)
        goto fail;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (collect(st, s, a, sizeof(store_relation), fill_relation, (void **)&out->relations,
                &out->n_relations, err) != 0)
        goto fail;

    s = store_prep(st, "SELECT body FROM note WHERE company_id=?", err);
    if (s == NULL)
        goto fail;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        out->note = COL_STR(s, 0);
    sqlite3_reset(s);
    return 0;
fail:
    *found = 0;
    store_company_detail_free(out);
    return -1;
}

void store_company_detail_free(store_company_detail *d)
{
    core_arena_free(d->arena);
    memset(d, 0, sizeof *d);
}

/* ---- models -------------------------------------------------------------- */

int store_models_page(store *st, const char *after, int limit, store_model_page *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (limit <= 0)
        limit = 50;
    sqlite3_stmt *s =
        store_prep(st, "SELECT " MODEL_COLS " WHERE m.id>?1 ORDER BY m.id LIMIT ?2", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit + 1);
    core_arena *a = core_arena_new();
    out->arena = a;
    if (collect(st, s, a, sizeof(store_model), fill_model, (void **)&out->rows, &out->n, err) !=
        0) {
        store_model_page_free(out);
        return -1;
    }
    if (out->n > (size_t)limit) {
        out->more = 1;
        out->n = (size_t)limit;
    }
    out->next = out->n ? out->rows[out->n - 1].id : NULL;
    return 0;
}

void store_model_page_free(store_model_page *p)
{
    core_arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

/* ---- news ---------------------------------------------------------------- */

#define NEWS_COLS                                                                                  \
    "n.id, n.source_id, n.guid, n.url, n.title, n.summary, n.author, n.published, n.updated,"      \
    " n.fetched, n.read, n.starred, (SELECT group_concat(company_id, ' ') FROM news_company"       \
    " WHERE news_id=n.id), (SELECT group_concat(pillar_id, ' ') FROM news_pillar"                  \
    " WHERE news_id=n.id)"

/* ?1 ?2 cursor, ?3 limit, ?4 the key (pillar/company/source), ?5 pillar filter, ?6 starred. */
static const char sql_news_all[] =
    "SELECT " NEWS_COLS " FROM news n WHERE (n.published, n.id) < (?1, ?2)"
    " ORDER BY n.published DESC, n.id DESC LIMIT ?3";
static const char sql_news_starred[] =
    "SELECT " NEWS_COLS " FROM news n WHERE n.starred AND (n.published, n.id) < (?1, ?2)"
    " ORDER BY n.published DESC, n.id DESC LIMIT ?3";
static const char sql_news_pillar[] =
    "SELECT " NEWS_COLS " FROM news_pillar t JOIN news n ON n.id=t.news_id WHERE t.pillar_id=?4"
    " AND (t.published, t.news_id) < (?1, ?2) AND (?6=0 OR n.starred)"
    " ORDER BY t.published DESC, t.news_id DESC LIMIT ?3";
static const char sql_news_company[] =
    "SELECT " NEWS_COLS " FROM news_company t JOIN news n ON n.id=t.news_id WHERE"
    " t.company_id=?4 AND (t.published, t.news_id) < (?1, ?2) AND (?6=0 OR n.starred) AND"
    " (?5 IS NULL OR EXISTS(SELECT 1 FROM news_pillar WHERE news_id=n.id AND pillar_id=?5))"
    " ORDER BY t.published DESC, t.news_id DESC LIMIT ?3";
static const char sql_news_source[] =
    "SELECT " NEWS_COLS " FROM news n WHERE n.source_id=?4 AND (n.published, n.id) < (?1, ?2)"
    " AND (?6=0 OR n.starred) AND (?5 IS NULL OR EXISTS(SELECT 1 FROM news_pillar WHERE"
    " news_id=n.id AND pillar_id=?5)) ORDER BY n.published DESC, n.id DESC LIMIT ?3";

static void fill_news(sqlite3_stmt *s, core_arena *a, void *row)
{
    store_news *n = row;
    n->id = sqlite3_column_int64(s, 0);
    n->source_id = COL_STR(s, 1);
    n->guid = COL_STR(s, 2);
    n->url = COL_STR(s, 3);
    n->title = COL_STR(s, 4);
    n->summary = COL_STR(s, 5);
    n->author = COL_STR(s, 6);
    n->published = sqlite3_column_int64(s, 7);
    n->updated = sqlite3_column_int64(s, 8);
    n->fetched = sqlite3_column_int64(s, 9);
    n->read = sqlite3_column_int(s, 10);
    n->starred = sqlite3_column_int(s, 11);
    n->companies = COL_STR(s, 12);
    n->pillars = COL_STR(s, 13);
}

int store_news_page_get(store *st, const store_news_query *q, store_news_page *out, char **err)
{
    memset(out, 0, sizeof *out);
    int limit = q->limit > 0 ? q->limit : 50;
    const char *sql, *key = NULL, *pillar_filter = NULL;
    if (q->company) {
        sql = sql_news_company, key = q->company, pillar_filter = q->pillar;
        if (q->source)
            return core_fail(err, "news: filter by company or by source, not both");
    } else if (q->source) {
        sql = sql_news_source, key = q->source, pillar_filter = q->pillar;
    } else if (q->pillar) {
        sql = sql_news_pillar, key = q->pillar;
    } else {
        sql = q->starred_only ? sql_news_starred : sql_news_all;
    }
    sqlite3_stmt *s = store_prep(st, sql, err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, q->after.t);
    sqlite3_bind_int64(s, 2, q->after.id);
    sqlite3_bind_int(s, 3, limit + 1);
    if (key)
        sqlite3_bind_text(s, 4, key, -1, SQLITE_STATIC);
    if (pillar_filter)
        sqlite3_bind_text(s, 5, pillar_filter, -1, SQLITE_STATIC);
    if (key)
        sqlite3_bind_int(s, 6, q->starred_only != 0);
    core_arena *a = core_arena_new();
    out->arena = a;
    void *rows;
    if (collect(st, s, a, sizeof(store_news), fill_news, &rows, &out->n, err) != 0) {
        store_news_page_free(out);
        return -1;
    }
    out->rows = rows;
    if (out->n > (size_t)limit) {
        out->more = 1;
        out->n = (size_t)limit;
    }
    out->next = out->n ? (store_cursor){ out->rows[out->n - 1].published, out->rows[out->n - 1].id }
                       : q->after;
    return 0;
}

void store_news_page_free(store_news_page *p)
{
    core_arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

/* The table whose primary key or index holds a list's keys alone, so that
 * skipping or counting rows reads the index and never the news rows. NULL
 * when the list combines filters (company and pillar, ...): those walk pages. */
typedef struct key_index {
    const char *table, *id_col, *where;
} key_index;

static int news_key_index(const store_news_query *q, key_index *k, const char **key)
{
    int filters =
        (q->pillar != NULL) + (q->company != NULL) + (q->source != NULL) + (q->starred_only != 0);
    *key = NULL;
    if (filters > 1)
        return 0;
    if (q->pillar)
        *k = (key_index){ "news_pillar", "news_id", "pillar_id=?4 AND" }, *key = q->pillar;
    else if (q->company)
        *k = (key_index){ "news_company", "news_id", "company_id=?4 AND" }, *key = q->company;
    else if (q->source)
        *k = (key_index){ "news", "id", "source_id=?4 AND" }, *key = q->source;
    else if (q->starred_only)
        *k = (key_index){ "news", "id", "starred AND" };
    else
        *k = (key_index){ "news", "id", "" };
    return 1;
}

/* Prepares a key-only statement over k (not cached: jumps are rare, frames are not). */
static sqlite3_stmt *key_stmt(store *st, const key_index *k, const char *key, int seek,
                              store_cursor c, char **err)
{
    char *sql = seek ? xasprintf("SELECT published, %s FROM %s WHERE %s (published, %s) < (?1, ?2)"
                                 " ORDER BY published DESC, %s DESC LIMIT 1 OFFSET ?3",
                                 k->id_col, k->table, k->where, k->id_col, k->id_col)
                     : xasprintf("SELECT count(*) FROM %s WHERE %s (published, %s) > (?1, ?2)",
                                 k->table, k->where, k->id_col);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    free(sql);
    if (rc != SQLITE_OK) {
        store_sql_fail(st, err, "preparing a news seek");
        return NULL;
    }
    sqlite3_bind_int64(s, 1, c.t);
    sqlite3_bind_int64(s, 2, c.id);
    if (key)
        sqlite3_bind_text(s, 4, key, -1, SQLITE_STATIC);
    return s;
}

int store_news_seek(store *st, const store_news_query *q, int64_t skip, store_cursor *out,
                    int64_t *skipped, char **err)
{
    *out = q->after;
    *skipped = 0;
    if (skip <= 0)
        return 0;
    key_index k;
    const char *key;
    if (news_key_index(q, &k, &key)) {
        /* the last of the rows skipped is the new cursor: OFFSET skip-1; when the
         * list ends first, count what is there and land on the last row */
        sqlite3_stmt *s = key_stmt(st, &k, key, 1, q->after, err);
        if (s == NULL)
            return -1;
        sqlite3_bind_int64(s, 3, skip - 1);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = (store_cursor){ sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1) };
            *skipped = skip;
        }
        sqlite3_finalize(s);
        if (rc == SQLITE_ROW)
            return 0;
        if (rc != SQLITE_DONE)
            return store_sql_fail(st, err, "seeking in news");
        int64_t left;
        if (store_news_rank(st, q, STORE_CURSOR_END, &left, err) != 0)
            return -1;
        int64_t before;
        if (store_news_rank(st, q, q->after, &before, err) != 0)
            return -1;
        left -= before;
        if (left <= 0)
            return 0;
        return store_news_seek(st, q, left, out, skipped, err);
    }
    /* combined filters: walk pages */
    store_news_query w = *q;
    while (*skipped < skip) {
        w.limit = (int)(skip - *skipped < 500 ? skip - *skipped : 500);
        store_news_page p;
        if (store_news_page_get(st, &w, &p, err) != 0)
            return -1;
        *skipped += (int64_t)p.n;
        w.after = p.next;
        int more = p.more;
        store_news_page_free(&p);
        if (!more)
            break;
    }
    *out = w.after;
    return 0;
}

int store_news_rank(store *st, const store_news_query *q, store_cursor c, int64_t *n, char **err)
{
    *n = 0;
    key_index k;
    const char *key;
    if (news_key_index(q, &k, &key)) {
        sqlite3_stmt *s = key_stmt(st, &k, key, 0, c, err);
        if (s == NULL)
            return -1;
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return rc == SQLITE_ROW ? 0 : store_sql_fail(st, err, "counting news");
    }
    /* combined filters: walk pages up to c */
    store_news_query w = *q;
    w.after = STORE_CURSOR_START;
    w.limit = 500;
    for (;;) {
        store_news_page p;
        if (store_news_page_get(st, &w, &p, err) != 0)
            return -1;
        size_t i = 0;
        while (i < p.n &&
               (p.rows[i].published > c.t || (p.rows[i].published == c.t && p.rows[i].id > c.id)))
            i++;
        *n += (int64_t)i;
        int done = i < p.n || !p.more;
        w.after = p.next;
        store_news_page_free(&p);
        if (done)
            return 0;
    }
}

/* ---- search ---------------------------------------------------------------- */

/*
 * News hits are ranked among the newest SEARCH_WINDOW matches: ranking every
 * match of a common two-character word in a million items would mean a scan
 * of its whole posting list, and a dashboard's reader wants recent news
 * first; FTS5 walks its index in rowid (= arrival) order and stops there.
 * The ranking (xrank) needs no corpus statistics, for the same reason.
 */
#define SEARCH_WINDOW 1000

int store_search(store *st, const char *query, int limit, store_search_result *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (limit <= 0)
        limit = 20;
    char *expr = store_fts_query(query);
    if (expr == NULL)
        return 0; /* nothing searchable typed: no results, not an error */
    core_arena *a = core_arena_new();
    out->arena = a;
    sqlite3_stmt *s = store_prep(st,
                                 "SELECT " COMPANY_COLS " FROM company_fts f JOIN company c ON"
                                 " c.id=f.company_id WHERE company_fts MATCH ?1 ORDER BY f.rank"
                                 " LIMIT ?2",
                                 err);
    if (s == NULL)
        goto fail;
    sqlite3_bind_text(s, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit);
    if (company_rows(st, s, a, (size_t)limit, &out->companies, &out->n_companies, err) != 0)
        goto fail;

    s = store_prep(st,
                   "SELECT " NEWS_COLS " FROM (SELECT rowid AS id, xrank(news_fts) AS r FROM"
                   " news_fts WHERE news_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3) m JOIN news n"
                   " ON n.id=m.id ORDER BY m.r, n.published DESC, n.id DESC LIMIT ?2",
                   err);
    if (s == NULL)
        goto fail;
    sqlite3_bind_text(s, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit);
    sqlite3_bind_int(s, 3, SEARCH_WINDOW);
    void *rows;
    if (collect(st, s, a, sizeof(store_news), fill_news, &rows, &out->n_news, err) != 0)
        goto fail;
    out->news = rows;
    free(expr);
    return 0;
fail:
    free(expr);
    store_search_result_free(out);
    return -1;
}

void store_search_result_free(store_search_result *r)
{
    free(r->companies);
    core_arena_free(r->arena);
    memset(r, 0, sizeof *r);
}

/* ---- sources --------------------------------------------------------------- */

static void fill_source(sqlite3_stmt *s, core_arena *a, void *row)
{
    store_source *x = row;
    x->id = COL_STR(s, 0);
    x->kind = COL_STR(s, 1);
    x->url = COL_STR(s, 2);
    x->pillar = COL_STR(s, 3);
    x->title = COL_STR(s, 4);
    x->headers_json = COL_STR(s, 5);
    x->enabled = sqlite3_column_int(s, 6);
    x->interval_s = sqlite3_column_int(s, 7);
    x->origin = COL_STR(s, 8);
    x->last_success = sqlite3_column_int64(s, 9);
    x->last_attempt = sqlite3_column_int64(s, 10);
    x->last_error = COL_STR(s, 11);
    x->http_status = sqlite3_column_int(s, 12);
    x->etag = COL_STR(s, 13);
    x->last_modified = COL_STR(s, 14);
    x->next_due = sqlite3_column_int64(s, 15);
    x->failures = sqlite3_column_int(s, 16);
    x->items = sqlite3_column_int64(s, 17);
}

int store_sources_page(store *st, const char *after, int limit, store_source_page *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (limit <= 0)
        limit = 100;
    sqlite3_stmt *s = store_prep(st,
                                 "SELECT id, kind, url, pillar, title, headers, enabled,"
                                 " interval_s, origin, last_success, last_attempt, last_error,"
                                 " http_status, etag, last_modified, next_due, failures, items"
                                 " FROM source WHERE id>?1 ORDER BY id LIMIT ?2",
                                 err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit + 1);
    core_arena *a = core_arena_new();
    out->arena = a;
    void *rows;
    if (collect(st, s, a, sizeof(store_source), fill_source, &rows, &out->n, err) != 0) {
        store_source_page_free(out);
        return -1;
    }
    out->rows = rows;
    if (out->n > (size_t)limit) {
        out->more = 1;
        out->n = (size_t)limit;
    }
    out->next = out->n ? out->rows[out->n - 1].id : NULL;
    return 0;
}

void store_source_page_free(store_source_page *p)
{
    core_arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

int store_sources_each(store *st, store_source_fn fn, void *ctx, char **err)
{
    char *last = NULL;
    int more, stop = 0;
    do {
        store_source_page p;
        if (store_sources_page(st, last, EACH_PAGE, &p, err) != 0) {
            free(last);
            return -1;
        }
        for (size_t i = 0; i < p.n && !stop; i++)
            stop = fn(ctx, &p.rows[i]);
        free(last);
        last = p.next ? xstrdup(p.next) : NULL;
        more = p.more && !stop;
        store_source_page_free(&p);
    } while (more);
    free(last);
    return 0;
}

int store_source_exists(store *st, const char *id, int *exists, char **err)
{
    sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM source WHERE id=?", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sql_fail(st, err, "reading a source");
    *exists = rc == SQLITE_ROW;
    return 0;
}
