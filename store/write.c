/*
 * write.c — the single writer: one batch, one transaction.
 *
 * A batch is what one fetch of one source produced: news items, quotes, daily
 * bars, model statistics and the outcome (health) of the fetch. It is
 * written whole or not at all, so a kill at any instant leaves either the
 * old state or the new one (WAL makes the commit atomic).
 *
 * News items are deduplicated twice: by (source, guid), where a changed
 * title, summary, link or date updates the stored item in place and keeps its
 * read/starred state; and across sources by canonical URL (scheme, "www.",
 * default port, fragment and tracking parameters removed). Each new or
 * changed item is tagged at ingest with the companies whose aliases it
 * mentions (one Aho–Corasick pass over title and summary) and with their
 * pillars plus the source's own pillar; the tag tables carry the item's time
 * so that a pillar's or company's news is one index range scan.
 *
 * The FTS5 index (external content) is kept in step here, statement by
 * statement, because SQLite refuses virtual tables in triggers when
 * trusted_schema is off.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "store/private.h"

#define MAX_TAGS 32 /* companies tagged on one item; more is noise */

void store_tags_reset(store *st)
{
    store_tagger_free(st->tagger);
    st->tagger = NULL;
    for (size_t i = 0; i < st->n_tag; i++)
        free(st->tag_company[i]);
    free(st->tag_company);
    free(st->tag_pillars);
    st->tag_company = NULL;
    st->tag_pillars = NULL;
    st->n_tag = 0;
}

/* Builds the automaton from every alias, company name and pillar membership. */
static int tags_ready(store *st, char **err)
{
    if (st->tagger != NULL)
        return 0;
    sqlite3_stmt *s =
        store_prep(st,
                   "SELECT c.id, (SELECT group_concat(pillar_id, ' ') FROM "
                   "company_pillar WHERE company_id=c.id) FROM company c ORDER BY c.id",
                   err);
    if (s == NULL)
        return -1;
    size_t cap = 64;
    st->tag_company = xmalloc(cap * sizeof *st->tag_company);
    st->tag_pillars = xmalloc(cap * sizeof *st->tag_pillars);
    st->tagger = store_tagger_new();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (st->n_tag == cap) {
            cap *= 2;
            st->tag_company = xrealloc(st->tag_company, cap * sizeof *st->tag_company);
            st->tag_pillars = xrealloc(st->tag_pillars, cap * sizeof *st->tag_pillars);
        }
        st->tag_company[st->n_tag] = xstrdup((const char *)sqlite3_column_text(s, 0));
        unsigned bits = 0;
        const char *pl = (const char *)sqlite3_column_text(s, 1);
        while (pl != NULL && *pl) {
            size_t n = strcspn(pl, " ");
            char id[32];
            if (n < sizeof id) {
                memcpy(id, pl, n);
                id[n] = '\0';
                int i = store_pillar_index(id);
                if (i >= 0)
                    bits |= 1u << i;
            }
            pl += n + (pl[n] == ' ');
        }
        st->tag_pillars[st->n_tag++] = bits;
    }
    if (rc != SQLITE_DONE) {
        store_tags_reset(st);
        return store_sql_fail(st, err, "reading companies for tagging");
    }
    s = store_prep(st,
                   "SELECT company_id, alias FROM alias UNION SELECT id, name_en FROM company "
                   "UNION SELECT id, name_zh FROM company WHERE name_zh IS NOT NULL",
                   err);
    if (s == NULL) {
        store_tags_reset(st);
        return -1;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 0);
        /* values are indexes into tag_company, which is sorted by id */
        size_t lo = 0, hi = st->n_tag;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int c = strcmp(st->tag_company[mid], id);
            if (c == 0) {
                lo = mid;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < st->n_tag && strcmp(st->tag_company[lo], id) == 0)
            store_tagger_add(st->tagger, (const char *)sqlite3_column_text(s, 1), (int)lo);
    }
    if (rc != SQLITE_DONE) {
        store_tags_reset(st);
        return store_sql_fail(st, err, "reading aliases");
    }
    store_tagger_build(st->tagger);
    return 0;
}

static int is_tracking_param(const char *p, size_t n)
{
    static const char *const names[] = { "utm_",  "spm=",         "fbclid=", "gclid=",
                                         "from=", "share_token=", "ref=" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t k = strlen(names[i]);
        if (n >= k && strncmp(p, names[i], k) == 0)
            return 1;
    }
    return 0;
}

/*
 * The canonical form of a link, for recognising one story reached through
 * several feeds: host lower-cased without "www." and default port, scheme
 * dropped (http and https are the same story), fragment and tracking
 * parameters removed, trailing slash dropped. NULL for links without a host.
 */
static char *canon_url(const char *url)
{
    if (url == NULL)
        return NULL;
    const char *p = strstr(url, "://");
    if (p == NULL)
        return NULL;
    p += 3;
    core_buf b;
    core_buf_init(&b, 8192);
    size_t hostlen = strcspn(p, "/?#");
    if (hostlen == 0)
        return NULL;
    const char *host = p;
    if (hostlen > 4 && strncasecmp(host, "www.", 4) == 0)
        host += 4, hostlen -= 4;
    size_t portpos = hostlen;
    for (size_t i = 0; i < hostlen; i++)
        if (host[i] == ':')
            portpos = i;
    if (portpos < hostlen && (strncmp(host + portpos, ":80", hostlen - portpos) == 0 ||
                              strncmp(host + portpos, ":443", hostlen - portpos) == 0))
        hostlen = portpos;
    for (size_t i = 0; i < hostlen; i++) {
        char c = host[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        core_buf_add(&b, &c, 1);
    }
    p = host + strcspn(host, "/?#");
    size_t pathlen = strcspn(p, "?#");
    while (pathlen > 0 && p[pathlen - 1] == '/')
        pathlen--;
    core_buf_add(&b, p, pathlen);
    p += strcspn(p, "?#");
    if (*p == '?') {
        p++;
        char sep = '?';
        while (*p && *p != '#') {
            size_t n = strcspn(p, "&#");
            if (n > 0 && !is_tracking_param(p, n)) {
                core_buf_add(&b, &sep, 1);
                core_buf_add(&b, p, n);
                sep = '&';
            }
            p += n;
            if (*p == '&')
                p++;
        }
    }
    if (b.len == 0 || b.len >= b.max - 1) {
        core_buf_free(&b);
        return NULL;
    }
    return core_buf_take(&b);
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v != NULL)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void bind_real_or_null(sqlite3_stmt *s, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, v);
}

static int step_done(store *st, sqlite3_stmt *s, char **err, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_sql_fail(st, err, what);
    return 0;
}

static int fts_put(store *st, int64_t id, const char *title, const char *summary, int del,
                   char **err)
{
    sqlite3_stmt *s =
        del ? store_prep(st,
                         "INSERT INTO news_fts(news_fts, rowid, title, summary) "
                         "VALUES('delete', ?, ?, ?)",
                         err)
            : store_prep(st, "INSERT INTO news_fts(rowid, title, summary) VALUES(?, ?, ?)", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    bind_text_or_null(s, 2, title);
    bind_text_or_null(s, 3, summary);
    return step_done(st, s, err, "indexing news");
}

/* (Re)writes an item's company and pillar tags at time `published`. */
static int tag_item(store *st, int64_t id, int64_t published, const char *title,
                    const char *summary, unsigned source_pillars, int fresh, char **err)
{
    int vals[MAX_TAGS];
    size_t n = store_tagger_match(st->tagger, title, strlen(title), vals, MAX_TAGS);
    if (summary != NULL) {
        /* a company named in both title and summary is one tag */
        int more[MAX_TAGS];
        size_t m = store_tagger_match(st->tagger, summary, strlen(summary), more, MAX_TAGS);
        for (size_t i = 0; i < m && n < MAX_TAGS; i++) {
            size_t j = 0;
            while (j < n && vals[j] != more[i])
                j++;
            if (j == n)
                vals[n++] = more[i];
        }
    }

    sqlite3_stmt *s;
    if (!fresh) { /* a new item has no tags to replace */
        s = store_prep(st, "DELETE FROM news_company WHERE news_id=?", err);
        if (s == NULL)
            return -1;
        sqlite3_bind_int64(s, 1, id);
        if (step_done(st, s, err, "untagging news") != 0)
            return -1;
        s = store_prep(st, "DELETE FROM news_pillar WHERE news_id=?", err);
        if (s == NULL)
            return -1;
        sqlite3_bind_int64(s, 1, id);
        if (step_done(st, s, err, "untagging news") != 0)
            return -1;
    }

    unsigned pillars = source_pillars;
    s = store_prep(st, "INSERT OR IGNORE INTO news_company VALUES(?, ?, ?)", err);
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        pillars |= st->tag_pillars[vals[i]];
        sqlite3_bind_text(s, 1, st->tag_company[vals[i]], -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, published);
        sqlite3_bind_int64(s, 3, id);
        if (step_done(st, s, err, "tagging news") != 0)
            return -1;
    }
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    s = store_prep(st, "INSERT INTO news_pillar VALUES(?, ?, ?)", err);
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < np; i++) {
        if (!(pillars & (1u << i)))
            continue;
        sqlite3_bind_text(s, 1, pl[i].id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, published);
        sqlite3_bind_int64(s, 3, id);
        if (step_done(st, s, err, "tagging news") != 0)
            return -1;
    }
    return 0;
}

static int same(const char *a, const unsigned char *b)
{
    if (a == NULL || b == NULL)
        return a == NULL && b == NULL;
    return strcmp(a, (const char *)b) == 0;
}

/* Binds an item's own fields by name, for both the insert and the update. */
static void bind_item(sqlite3_stmt *s, const store_item *it, const char *canon, int64_t pub)
{
    sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, ":title"), it->title, -1, SQLITE_STATIC);
    bind_text_or_null(s, sqlite3_bind_parameter_index(s, ":summary"), it->summary);
    bind_text_or_null(s, sqlite3_bind_parameter_index(s, ":url"), it->url);
    bind_text_or_null(s, sqlite3_bind_parameter_index(s, ":author"), it->author);
    bind_text_or_null(s, sqlite3_bind_parameter_index(s, ":canon"), canon);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":pub"), pub);
    if (it->updated)
        sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":updated"), it->updated);
    else
        sqlite3_bind_null(s, sqlite3_bind_parameter_index(s, ":updated"));
}

/*
 * One item: inserted when new (the common case costs one statement: the
 * unique indexes on (source, guid) and on the canonical URL refuse the rest),
 * else compared with what is stored and updated in place when it changed,
 * else counted as a duplicate of a story another source brought.
 */
static int write_item(store *st, const char *source_id, unsigned source_pillars,
                      const store_item *it, int64_t now, store_write_result *res, char **err)
{
    if (it->guid == NULL || it->title == NULL)
        return core_fail(err, "item without %s from source %s", it->guid ? "title" : "guid",
                         source_id);
    char *canon = canon_url(it->url);
    sqlite3_stmt *s = store_prep(st,
                                 "INSERT INTO news(source_id, guid, url, canon_url, title, summary,"
                                 " author, published, updated, fetched) VALUES(:source, :guid,"
                                 " :url, :canon, :title, :summary, :author, :pub, :updated, :now)"
                                 " ON CONFLICT DO NOTHING",
                                 err);
    if (s == NULL) {
        free(canon);
        return -1;
    }
    int64_t pub = it->published ? it->published : now;
    sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, ":source"), source_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, ":guid"), it->guid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":now"), now);
    bind_item(s, it, canon, pub);
    if (step_done(st, s, err, "adding news") != 0) {
        free(canon);
        return -1;
    }
    if (sqlite3_changes(st->db) == 1) {
        free(canon);
        int64_t id = sqlite3_last_insert_rowid(st->db);
        if (fts_put(st, id, it->title, it->summary, 0, err) != 0 ||
            tag_item(st, id, pub, it->title, it->summary, source_pillars, 1, err) != 0)
            return -1;
        res->added++;
        return 0;
    }

    s = store_prep(st,
                   "SELECT id, title, summary, url, author, published, updated "
                   "FROM news WHERE source_id=? AND guid=?",
                   err);
    if (s == NULL) {
        free(canon);
        return -1;
    }
    sqlite3_bind_text(s, 1, source_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, it->guid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        int64_t old_pub = sqlite3_column_int64(s, 5);
        pub = it->published ? it->published : old_pub; /* an undated item keeps its time */
        if (same(it->title, sqlite3_column_text(s, 1)) &&
            same(it->summary, sqlite3_column_text(s, 2)) &&
            same(it->url, sqlite3_column_text(s, 3)) &&
            same(it->author, sqlite3_column_text(s, 4)) && pub == old_pub &&
            (it->updated == 0 || it->updated == sqlite3_column_int64(s, 6))) {
            sqlite3_reset(s);
            free(canon);
            res->unchanged++;
            return 0;
        }
        /* The old text must be handed back to FTS5 to remove it from the index. */
        char *old_title = xstrdup((const char *)sqlite3_column_text(s, 1));
        char *old_summary =
            sqlite3_column_text(s, 2) ? xstrdup((const char *)sqlite3_column_text(s, 2)) : NULL;
        sqlite3_reset(s);
        rc = fts_put(st, id, old_title, old_summary, 1, err);
        free(old_title);
        free(old_summary);
        if (rc != 0) {
            free(canon);
            return -1;
        }
        s = store_prep(st,
                       "UPDATE news SET title=:title, summary=:summary, url=:url, author=:author,"
                       " published=:pub, updated=:updated, canon_url=CASE WHEN :canon IS NULL OR"
                       " EXISTS(SELECT 1 FROM news WHERE canon_url=:canon AND id<>:id) THEN"
                       " canon_url ELSE :canon END WHERE id=:id",
                       err);
        if (s == NULL) {
            free(canon);
            return -1;
        }
        sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":id"), id);
        bind_item(s, it, canon, pub);
        rc = step_done(st, s, err, "updating news");
        free(canon);
        if (rc != 0 || fts_put(st, id, it->title, it->summary, 0, err) != 0 ||
            tag_item(st, id, pub, it->title, it->summary, source_pillars, 0, err) != 0)
            return -1;
        res->updated++;
        return 0;
    }
    sqlite3_reset(s);
    free(canon);
    if (rc != SQLITE_DONE)
        return store_sql_fail(st, err, "looking up news");
    res->duplicates++; /* refused by the canonical URL: another source has this story */
    return 0;
}

static int write_quote(store *st, const char *source_id, const store_quote *q, int64_t now,
                       char **err)
{
    sqlite3_stmt *s = store_prep(
        st,
        "INSERT INTO quote VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"
        " ON CONFLICT(exchange, code) DO UPDATE SET last=?3, change=?4, change_pct=?5, open=?6,"
        " high=?7, low=?8, prev_close=?9, volume=?10, turnover=?11, market_cap=?12, ts=?13,"
        " source_id=?14, fetched=?15 WHERE ?13 >= quote.ts",
        err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, q->exchange, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, q->code, -1, SQLITE_STATIC);
    const double v[] = { q->last, q->change,     q->change_pct, q->open,     q->high,
                         q->low,  q->prev_close, q->volume,     q->turnover, q->market_cap };
    for (int i = 0; i < 10; i++)
        bind_real_or_null(s, 3 + i, v[i]);
    sqlite3_bind_int64(s, 13, q->ts ? q->ts : now);
    bind_text_or_null(s, 14, source_id);
    sqlite3_bind_int64(s, 15, now);
    return step_done(st, s, err, "writing a quote");
}

static int write_bar(store *st, const store_bar *b, char **err)
{
    sqlite3_stmt *s = store_prep(st, "INSERT OR REPLACE INTO bar VALUES(?,?,?,?,?,?,?,?,?)", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, b->exchange, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, b->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, b->date, -1, SQLITE_STATIC);
    const double v[] = { b->open, b->high, b->low, b->close, b->volume, b->amount };
    for (int i = 0; i < 6; i++)
        bind_real_or_null(s, 4 + i, v[i]);
    return step_done(st, s, err, "writing a daily bar");
}

static void bind_count(sqlite3_stmt *s, int i, int64_t v)
{
    if (v < 0)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int64(s, i, v);
}

static int write_stat(store *st, const char *source_id, const store_model_stat *m, int64_t now,
                      char **err)
{
    sqlite3_stmt *s =
        store_prep(st,
                   "INSERT INTO hf_model VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(repo) DO UPDATE SET"
                   " pipeline_tag=coalesce(?2, pipeline_tag), created=coalesce(?3, created),"
                   " last_modified=coalesce(?4, last_modified)",
                   err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, m->repo, -1, SQLITE_STATIC);
    bind_text_or_null(s, 2, m->pipeline_tag);
    bind_count(s, 3, m->created ? m->created : -1);
    bind_count(s, 4, m->last_modified ? m->last_modified : -1);
    sqlite3_bind_int64(s, 5, now);
    bind_text_or_null(s, 6, source_id);
    if (step_done(st, s, err, "writing a model") != 0)
        return -1;
    s = store_prep(st, "INSERT OR REPLACE INTO model_stat VALUES(?,?,?,?,?)", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, m->repo, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, m->ts ? m->ts : now);
    bind_count(s, 3, m->downloads);
    bind_count(s, 4, m->downloads_all);
    bind_count(s, 5, m->likes);
    return step_done(st, s, err, "writing model statistics");
}

static int write_health(store *st, const char *source_id, const store_health *h, size_t added,
                        char **err)
{
    sqlite3_stmt *s = store_prep(
        st,
        "UPDATE source SET last_attempt=?2,"
        " last_success=CASE WHEN ?3 THEN ?2 ELSE last_success END,"
        " last_error=CASE WHEN ?3 THEN NULL ELSE ?4 END, http_status=?5,"
        " etag=coalesce(?6, etag), last_modified=coalesce(?7, last_modified), next_due=?8,"
        " failures=CASE WHEN ?3 THEN 0 ELSE failures + 1 END, items=items + ?9 WHERE id=?1",
        err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, source_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, h->at);
    sqlite3_bind_int(s, 3, h->ok);
    bind_text_or_null(s, 4, h->error ? h->error : "failed");
    if (h->http_status)
        sqlite3_bind_int(s, 5, h->http_status);
    else
        sqlite3_bind_null(s, 5);
    bind_text_or_null(s, 6, h->etag);
    bind_text_or_null(s, 7, h->last_modified);
    if (h->next_due)
        sqlite3_bind_int64(s, 8, h->next_due);
    else
        sqlite3_bind_null(s, 8);
    sqlite3_bind_int64(s, 9, (int64_t)added);
    return step_done(st, s, err, "recording source health");
}

/* The pillar bit of a source (its configured pillar), 0 when none; -1 when no such source. */
static int source_pillars(store *st, const char *source_id, unsigned *bits, char **err)
{
    sqlite3_stmt *s = store_prep(st, "SELECT pillar FROM source WHERE id=?", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, source_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            return core_fail(err, "no source '%s' in the cache", source_id);
        return store_sql_fail(st, err, "reading a source");
    }
    const char *p = (const char *)sqlite3_column_text(s, 0);
    int i = p ? store_pillar_index(p) : -1;
    *bits = i >= 0 ? 1u << i : 0;
    sqlite3_reset(s);
    return 0;
}

int store_write(store *st, const store_batch *b, store_write_result *res, char **err)
{
    store_write_result local;
    if (res == NULL)
        res = &local;
    memset(res, 0, sizeof *res);
    if ((b->n_items > 0 || b->health != NULL) && b->source_id == NULL)
        return core_fail(err, "a batch with items or health needs a source id");
    if (b->n_items > 0 && tags_ready(st, err) != 0)
        return -1;

    int64_t now = (int64_t)time(NULL);
    if ((st->in_group ? store_exec(st, "SAVEPOINT batch", err) : store_begin(st, err)) != 0)
        return -1;
    unsigned spill = 0;
    if (b->source_id != NULL && source_pillars(st, b->source_id, &spill, err) != 0)
        goto fail;
    for (size_t i = 0; i < b->n_items; i++)
        if (write_item(st, b->source_id, spill, &b->items[i], now, res, err) != 0)
            goto fail;
    for (size_t i = 0; i < b->n_quotes; i++)
        if (write_quote(st, b->source_id, &b->quotes[i], now, err) != 0)
            goto fail;
    for (size_t i = 0; i < b->n_bars; i++)
        if (write_bar(st, &b->bars[i], err) != 0)
            goto fail;
    for (size_t i = 0; i < b->n_stats; i++)
        if (write_stat(st, b->source_id, &b->stats[i], now, err) != 0)
            goto fail;
    if (b->health != NULL && write_health(st, b->source_id, b->health, res->added, err) != 0)
        goto fail;
    if ((st->in_group ? store_exec(st, "RELEASE batch", err) : store_commit(st, err)) != 0)
        goto fail;
    return 0;
fail:
    if (st->in_group)
        sqlite3_exec(st->db, "ROLLBACK TO batch; RELEASE batch", NULL, NULL, NULL);
    else
        store_rollback(st);
    memset(res, 0, sizeof *res);
    return -1;
}

int store_group_begin(store *st, char **err)
{
    if (st->in_group)
        return core_fail(err, "internal: write groups do not nest");
    if (store_begin(st, err) != 0)
        return -1;
    st->in_group = 1;
    return 0;
}

int store_group_end(store *st, char **err)
{
    if (!st->in_group)
        return 0;
    st->in_group = 0;
    if (store_commit(st, err) != 0) {
        store_rollback(st);
        return -1;
    }
    return 0;
}

int store_in_group(const store *st)
{
    return st->in_group;
}

int store_news_flag(store *st, int64_t id, int read, int starred, char **err)
{
    sqlite3_stmt *s = store_prep(st, "UPDATE news SET read=?2, starred=?3 WHERE id=?1", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, read != 0);
    sqlite3_bind_int(s, 3, starred != 0);
    return step_done(st, s, err, "flagging news");
}

int store_note_set(store *st, const char *company_id, const char *body, char **err)
{
    sqlite3_stmt *s = body != NULL && *body
                          ? store_prep(st, "INSERT OR REPLACE INTO note VALUES(?1, ?2, ?3)", err)
                          : store_prep(st, "DELETE FROM note WHERE company_id=?1", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, company_id, -1, SQLITE_STATIC);
    if (body != NULL && *body) {
        sqlite3_bind_text(s, 2, body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
    }
    return step_done(st, s, err, "saving a note");
}

int store_watch_set(store *st, const char *company_id, int watched, char **err)
{
    sqlite3_stmt *s = watched ? store_prep(st, "INSERT OR IGNORE INTO watch VALUES(?1, ?2)", err)
                              : store_prep(st, "DELETE FROM watch WHERE company_id=?1", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, company_id, -1, SQLITE_STATIC);
    if (watched)
        sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
    return step_done(st, s, err, "updating the watchlist");
}

int store_sources_due(store *st, const char *id, int64_t at, char **err)
{
    sqlite3_stmt *s = store_prep(st,
                                 "UPDATE source SET next_due=?2 WHERE (?1 IS NULL OR id=?1) AND"
                                 " enabled AND (next_due IS NULL OR next_due>?2)",
                                 err);
    if (s == NULL)
        return -1;
    if (id)
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, at);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_sql_fail(st, err, "making sources due");
}

int store_source_put(store *st, const store_source *src, char **err)
{
    sqlite3_stmt *s = store_prep(
        st,
        "INSERT INTO source(id, kind, url, pillar, title, headers, enabled, interval_s, origin)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(id) DO UPDATE SET kind=?2, url=?3,"
        " pillar=?4, title=?5, headers=?6, enabled=?7, interval_s=?8, origin=?9",
        err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, src->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, src->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, src->url, -1, SQLITE_STATIC);
    bind_text_or_null(s, 4, src->pillar);
    bind_text_or_null(s, 5, src->title);
    bind_text_or_null(s, 6, src->headers_json);
    sqlite3_bind_int(s, 7, src->enabled);
    sqlite3_bind_int(s, 8, src->interval_s > 0 ? src->interval_s : 1800);
    sqlite3_bind_text(s, 9, src->origin ? src->origin : "user", -1, SQLITE_STATIC);
    return step_done(st, s, err, "saving a source");
}

int store_source_rm_locked(store *st, const char *id, int *found, char **err)
{
    *found = 0;
    /* tags first (the tag tables carry no foreign keys), then the index, then the rows */
    static const char *const untag[] = {
        "DELETE FROM news_company WHERE news_id IN (SELECT id FROM news WHERE source_id=?)",
        "DELETE FROM news_pillar WHERE news_id IN (SELECT id FROM news WHERE source_id=?)",
    };
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *u = store_prep(st, untag[i], err);
        if (u == NULL)
            return -1;
        sqlite3_bind_text(u, 1, id, -1, SQLITE_STATIC);
        if (step_done(st, u, err, "untagging news") != 0)
            return -1;
    }
    sqlite3_stmt *s = store_prep(st,
                                 "INSERT INTO news_fts(news_fts, rowid, title, summary) "
                                 "SELECT 'delete', id, title, summary FROM news WHERE source_id=?",
                                 err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (step_done(st, s, err, "unindexing news") != 0)
        return -1;
    s = store_prep(st, "DELETE FROM source WHERE id=?", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (step_done(st, s, err, "removing a source") != 0)
        return -1;
    *found = sqlite3_changes(st->db) > 0;
    return 0;
}

int store_source_rm(store *st, const char *id, int *found, char **err)
{
    if (store_begin(st, err) != 0)
        return -1;
    if (store_source_rm_locked(st, id, found, err) != 0 || store_commit(st, err) != 0) {
        store_rollback(st);
        return -1;
    }
    return 0;
}
