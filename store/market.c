/*
 * market.c — what the dashboard shows of markets: daily closes, a pillar's
 * move and breadth, its index over recent sessions, and news counts.
 *
 * A pillar has a dozen or so members, so a summary reads each member's first
 * quoted listing (one indexed join) and at most STORE_SPARK_MAX bars of each
 * (a reverse range scan of bar's primary key) and aggregates in C: the
 * sessions are aligned by date, so a member without a bar on a date simply
 * does not count on that date. Counts come from the tag tables' primary keys
 * (pillar|company, published, news_id): a range, not a scan.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/private.h"

int store_closes(store *st, const char *exchange, const char *code, int max, store_daily *out,
                 int *n, char **err)
{
    *n = 0;
    sqlite3_stmt *s = store_prep(st,
                                 "SELECT date, close FROM bar WHERE exchange=?1 AND code=?2 AND"
                                 " close IS NOT NULL ORDER BY date DESC LIMIT ?3",
                                 err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, exchange, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, max);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        store_daily *c = &out[(*n)++];
        snprintf(c->date, sizeof c->date, "%s", (const char *)sqlite3_column_text(s, 0));
        c->close = sqlite3_column_double(s, 1);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_sql_fail(st, err, "reading daily bars");
    /* newest first from the index; the caller wants oldest first */
    for (int i = 0, j = *n - 1; i < j; i++, j--) {
        store_daily t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    return 0;
}

/* One session's sum of member returns, for aligning members by date. */
typedef struct day {
    char date[11];
    double sum;
    int n;
} day;

static int day_cmp(const void *a, const void *b)
{
    return strcmp(((const day *)a)->date, ((const day *)b)->date);
}

/* Adds a member's daily returns over its closes to the days table. */
static void add_returns(day *days, int *nd, int cap, const store_daily *c, int n)
{
    for (int i = 1; i < n; i++) {
        if (!(c[i - 1].close > 0))
            continue;
        double r = c[i].close / c[i - 1].close - 1;
        int k = 0;
        while (k < *nd && strcmp(days[k].date, c[i].date) != 0)
            k++;
        if (k == *nd) {
            if (*nd == cap)
                continue;
            memcpy(days[k].date, c[i].date, sizeof days[k].date);
            days[k].sum = 0;
            days[k].n = 0;
            (*nd)++;
        }
        days[k].sum += r;
        days[k].n++;
    }
}

int store_pillar_summary_get(store *st, const char *pillar, int sessions, store_pillar_summary *out,
                             char **err)
{
    memset(out, 0, sizeof *out);
    out->move_pct = NAN;
    if (sessions > STORE_SPARK_MAX)
        sessions = STORE_SPARK_MAX;
    if (sessions < 2)
        sessions = 2;
    /* Every member with its listings in display order, quoted ones first;
     * the first row of each member is the listing that represents it. */
    sqlite3_stmt *s = store_prep(
        st,
        "SELECT c.id, coalesce(c.name_zh, c.name_en), l.exchange, l.code, q.change_pct, q.ts,"
        " q.fetched FROM company_pillar cp JOIN company c ON c.id=cp.company_id LEFT JOIN"
        " listing l ON l.company_id=c.id LEFT JOIN quote q ON q.exchange=l.exchange AND"
        " q.code=l.code WHERE cp.pillar_id=?1 ORDER BY c.id, q.ts IS NULL,"
        " instr('SH SZ BJ HK US', l.exchange), l.code",
        err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, pillar, -1, SQLITE_STATIC);
    typedef struct member {
        char exchange[8], code[24];
    } member;
    member *m = NULL;
    size_t nm = 0, cap = 0;
    char last_id[64] = "";
    double sum = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 0);
        if (strcmp(id, last_id) == 0)
            continue; /* not the member's first listing */
        snprintf(last_id, sizeof last_id, "%s", id);
        out->members++;
        if (sqlite3_column_type(s, 2) == SQLITE_NULL)
            continue; /* private: no listing */
        if (nm == cap) {
            cap = cap ? cap * 2 : 16;
            m = xrealloc(m, cap * sizeof *m);
        }
        snprintf(m[nm].exchange, sizeof m[nm].exchange, "%s", sqlite3_column_text(s, 2));
        snprintf(m[nm].code, sizeof m[nm].code, "%s", sqlite3_column_text(s, 3));
        nm++;
        if (sqlite3_column_type(s, 4) == SQLITE_NULL)
            continue; /* listed, no quote (or the price was unknown) */
        double pct = sqlite3_column_double(s, 4);
        int64_t ts = sqlite3_column_int64(s, 5), fetched = sqlite3_column_int64(s, 6);
        out->quoted++;
        sum += pct;
        if (pct > 0)
            out->up++;
        else if (pct < 0)
            out->down++;
        else
            out->flat++;
        if (out->top_id[0] == '\0' || fabs(pct) > fabs(out->top_pct)) {
            snprintf(out->top_id, sizeof out->top_id, "%s", id);
            snprintf(out->top_name, sizeof out->top_name, "%s", sqlite3_column_text(s, 1));
            out->top_pct = pct;
        }
        if (ts > out->quote_ts)
            out->quote_ts = ts;
        if (fetched > out->quote_fetched)
            out->quote_fetched = fetched;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(m);
        return store_sql_fail(st, err, "summarising a pillar");
    }
    if (out->quoted)
        out->move_pct = sum / out->quoted;

    /* the index: mean daily return per date over the members, compounded */
    store_daily closes[STORE_SPARK_MAX + 1];
    day days[4 * STORE_SPARK_MAX];
    int nd = 0;
    for (size_t i = 0; i < nm; i++) {
        int n;
        if (store_closes(st, m[i].exchange, m[i].code, sessions + 1, closes, &n, err) != 0) {
            free(m);
            return -1;
        }
        add_returns(days, &nd, (int)(sizeof days / sizeof days[0]), closes, n);
    }
    free(m);
    qsort(days, (size_t)nd, sizeof days[0], day_cmp);
    int first = nd > sessions - 1 ? nd - (sessions - 1) : 0; /* the last sessions-1 returns */
    if (nd - first > 0) {
        double level = 100;
        out->spark[out->n_spark++] = level;
        for (int k = first; k < nd; k++) {
            level *= 1 + days[k].sum / days[k].n;
            out->spark[out->n_spark++] = level;
        }
        memcpy(out->spark_from, days[first].date, sizeof out->spark_from);
        memcpy(out->spark_to, days[nd - 1].date, sizeof out->spark_to);
    }
    return 0;
}

int store_news_count(store *st, const char *pillar, const char *company, int64_t since, int64_t *n,
                     char **err)
{
    *n = 0;
    const char *sql = pillar
                          ? "SELECT count(*) FROM news_pillar WHERE pillar_id=?1 AND published>=?2"
                      : company ? "SELECT count(*) FROM news_company WHERE company_id=?1 AND"
                                  " published>=?2"
                                : "SELECT count(*) FROM news WHERE published>=?2";
    sqlite3_stmt *s = store_prep(st, sql, err);
    if (s == NULL)
        return -1;
    if (pillar || company)
        sqlite3_bind_text(s, 1, pillar ? pillar : company, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, since);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return store_sql_fail(st, err, "counting news");
    return 0;
}
