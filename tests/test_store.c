/*
 * test_store.c — the cache: migrations, refusal of newer or damaged files,
 * deduplication and updates, keyset pagination, CJK and English search,
 * tagging at ingest, profile loading with bad user files, source removal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "store/private.h"
#include "tests/support/support.h"

typedef struct fx {
    char *dir;
    store *st;
} fx;

static int setup(void **state)
{
    fx *f = xcalloc(1, sizeof *f);
    f->dir = ts_tmpdir();
    f->st = ts_store(f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->st);
    ts_rmrf(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void add_source(store *st, const char *id, const char *pillar)
{
    store_source s = {
        .id = id, .kind = "feed", .url = "https://example.com/feed", .pillar = pillar, .enabled = 1
    };
    char *err = NULL;
    assert_int_equal(store_source_put(st, &s, &err), 0);
}

static store_write_result write_items(store *st, const char *source, const store_item *items,
                                      size_t n)
{
    store_batch b = { .source_id = source, .items = items, .n_items = n };
    store_write_result r;
    char *err = NULL;
    if (store_write(st, &b, &r, &err) != 0)
        fail_msg("store_write: %s", err);
    return r;
}

static int64_t count(store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char *slurp(const char *path, size_t *n)
{
    return ts_read_file(path, n);
}

/* ---- migrations and refusal ---------------------------------------------- */

static void test_fresh_schema(void **state)
{
    fx *f = *state;
    assert_int_equal(count(f->st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(count(f->st, "SELECT count(*) FROM pillar"), 5);
    assert_int_equal(count(f->st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(count(f->st, "PRAGMA trusted_schema"), 0);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(f->st->db, "PRAGMA journal_mode", -1, &s, NULL);
    sqlite3_step(s);
    assert_string_equal(sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    /* reopening an up-to-date cache migrates nothing and keeps the data */
    char *path = xstrdup(store_path(f->st));
    int64_t companies = count(f->st, "SELECT count(*) FROM company");
    store_close(f->st);
    char *err = NULL;
    assert_int_equal(store_open(&f->st, path, 0, &err), 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM company"), companies);
    free(path);
}

/* A cache written by the first schema is migrated forward with its data whole. */
static void test_migrates_schema_1(void **state)
{
    fx *f = *state;
    char *path = xasprintf("%s/v1.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(store_fts_register(db, NULL), 0);
    assert_int_equal(sqlite3_exec(db, store_migration_sql(0), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO pillar VALUES('ascend', 2, 'Huawei Ascend chain', '昇腾产业链');"
                     "INSERT INTO source(id, kind, url) VALUES('s', 'feed', 'https://e.com/');"
                     "INSERT INTO company(id, name_en) VALUES('huawei', 'Huawei');"
                     "INSERT INTO news(id, source_id, guid, title, published, fetched)"
                     " VALUES(7, 's', 'g', '华为昇腾出货', 5, 5);"
                     "INSERT INTO news_fts(rowid, title) VALUES(7, '华为昇腾出货');"
                     "INSERT INTO news_company VALUES('huawei', 5, 7);"
                     "INSERT INTO news_pillar VALUES('ascend', 5, 7);"
                     "PRAGMA user_version=1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    store *st = NULL;
    char *err = NULL;
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(count(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(count(st, "SELECT count(*) FROM news_company WHERE news_id=7"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM news_pillar WHERE news_id=7"), 1);
    store_search_result r;
    assert_int_equal(store_search(st, "昇腾", 5, &r, &err), 0);
    assert_int_equal(r.n_news, 1); /* the index was rebuilt from the rows */
    store_search_result_free(&r);
    assert_int_equal(
        store_exec(st, "INSERT INTO news_fts(news_fts, rank) VALUES('integrity-check', 1)", &err),
        0);
    store_close(st);
    free(path);
}

static void test_refuses_newer_schema(void **state)
{
    fx *f = *state;
    char *path = xstrdup(store_path(f->st));
    assert_int_equal(store_exec(f->st, "PRAGMA user_version=99", NULL), 0);
    store_close(f->st);
    f->st = NULL;
    size_t n1, n2;
    char *before = slurp(path, &n1);
    store *st = NULL;
    char *err = NULL;
    assert_int_equal(store_open(&st, path, 0, &err), -1);
    assert_null(st);
    assert_non_null(strstr(err, "newer xcdash"));
    assert_non_null(strstr(err, "untouched"));
    free(err);
    char *after = slurp(path, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before), free(after), free(path);
}

static void test_refuses_damaged_file(void **state)
{
    fx *f = *state;
    char *path = xasprintf("%s/garbage.db", f->dir);
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)('a' + i % 26);
    FILE *fp = fopen(path, "wb");
    fwrite(junk, 1, sizeof junk, fp);
    fclose(fp);
    store *st = NULL;
    char *err = NULL;
    assert_int_equal(store_open(&st, path, 0, &err), -1);
    assert_non_null(strstr(err, "damaged"));
    assert_non_null(strstr(err, "left untouched"));
    free(err);
    size_t n;
    char *after = slurp(path, &n);
    assert_int_equal(n, sizeof junk);
    assert_memory_equal(after, junk, sizeof junk);
    free(after);
    free(path);
}

static void test_creates_missing_directories(void **state)
{
    fx *f = *state;
    char *path = xasprintf("%s/a/b/c/x.db", f->dir);
    store *st = NULL;
    char *err = NULL;
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    store_close(st);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    free(path);
}

/* ---- writes ---------------------------------------------------------------- */

static void test_guid_dedup_and_update_keep_state(void **state)
{
    fx *f = *state;
    add_source(f->st, "s1", NULL);
    store_item it = { .guid = "g1",
                      .url = "https://a.example/1",
                      .title = "寒武纪 first title",
                      .summary = "old summary",
                      .published = 1000 };
    store_write_result r = write_items(f->st, "s1", &it, 1);
    assert_int_equal(r.added, 1);
    r = write_items(f->st, "s1", &it, 1);
    assert_int_equal(r.unchanged, 1);
    assert_int_equal(r.added, 0);

    int64_t id = count(f->st, "SELECT id FROM news WHERE guid='g1'");
    char *err = NULL;
    assert_int_equal(store_news_flag(f->st, id, 1, 1, &err), 0);

    it.title = "寒武纪 revised headline";
    r = write_items(f->st, "s1", &it, 1);
    assert_int_equal(r.updated, 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news"), 1);
    assert_int_equal(count(f->st, "SELECT starred + read FROM news"), 2);

    /* the index follows the update: the new words are found, the old are gone */
    store_search_result sr;
    assert_int_equal(store_search(f->st, "revised", 10, &sr, &err), 0);
    assert_int_equal(sr.n_news, 1);
    store_search_result_free(&sr);
    assert_int_equal(store_search(f->st, "first", 10, &sr, &err), 0);
    assert_int_equal(sr.n_news, 0);
    store_search_result_free(&sr);
    assert_int_equal(store_exec(f->st,
                                "INSERT INTO news_fts(news_fts, rank) VALUES('integrity-check', 1)",
                                &err),
                     0);
}

static void test_canonical_url_dedup_across_sources(void **state)
{
    fx *f = *state;
    add_source(f->st, "s1", NULL);
    add_source(f->st, "s2", NULL);
    store_item a = { .guid = "a",
                     .url = "https://www.Example.com:443/story/?utm_source=rss#top",
                     .title = "Story",
                     .published = 10 };
    store_item b = {
        .guid = "b", .url = "http://example.com/story", .title = "Story again", .published = 11
    };
    store_item c = {
        .guid = "c", .url = "http://example.com/story?id=2", .title = "Other", .published = 12
    };
    assert_int_equal(write_items(f->st, "s1", &a, 1).added, 1);
    store_write_result r = write_items(f->st, "s2", (store_item[]){ b, c }, 2);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(r.added, 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news"), 2);
}

static void test_batch_is_all_or_nothing(void **state)
{
    fx *f = *state;
    add_source(f->st, "s1", NULL);
    store_item items[3] = {
        { .guid = "ok1", .title = "fine", .published = 1 },
        { .guid = "ok2", .title = "fine too", .published = 2 },
        { .guid = NULL, .title = "no guid", .published = 3 },
    };
    store_quote q = { .exchange = "SH",
                      .code = "688256",
                      .last = 500,
                      .change = 1,
                      .change_pct = 0.2,
                      .open = NAN,
                      .high = NAN,
                      .low = NAN,
                      .prev_close = NAN,
                      .volume = NAN,
                      .turnover = NAN,
                      .market_cap = NAN,
                      .ts = 5 };
    store_batch b = {
        .source_id = "s1", .items = items, .n_items = 3, .quotes = &q, .n_quotes = 1
    };
    char *err = NULL;
    assert_int_equal(store_write(f->st, &b, NULL, &err), -1);
    assert_non_null(err);
    free(err);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news"), 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM quote"), 0);
    /* a batch for a source that does not exist is refused the same way */
    b.n_items = 2;
    b.source_id = "nope";
    assert_int_equal(store_write(f->st, &b, NULL, &err), -1);
    free(err);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news"), 0);
}

/* In a group, each batch is still all or nothing; readers see the group when it ends. */
static void test_group_keeps_batches_atomic(void **state)
{
    fx *f = *state;
    add_source(f->st, "s1", NULL);
    char *err = NULL;
    store *reader;
    assert_int_equal(store_open(&reader, store_path(f->st), 0, &err), 0);
    assert_int_equal(store_group_begin(f->st, &err), 0);
    assert_int_equal(store_group_begin(f->st, &err), -1); /* no nesting */
    free(err);
    err = NULL;
    store_item good = { .guid = "a", .title = "first", .published = 1 };
    store_item bad[2] = { { .guid = "b", .title = "half", .published = 2 },
                          { .guid = NULL, .title = "no guid", .published = 3 } };
    store_item late = { .guid = "c", .title = "third", .published = 4 };
    write_items(f->st, "s1", &good, 1);
    store_batch b = { .source_id = "s1", .items = bad, .n_items = 2 };
    assert_int_equal(store_write(f->st, &b, NULL, &err), -1);
    free(err);
    write_items(f->st, "s1", &late, 1);
    assert_int_equal(count(reader, "SELECT count(*) FROM news"), 0); /* not yet committed */
    assert_int_equal(store_group_end(f->st, &err), 0);
    assert_int_equal(count(reader, "SELECT count(*) FROM news"), 2);
    assert_int_equal(count(reader, "SELECT count(*) FROM news WHERE guid='b'"), 0);
    assert_int_equal(store_exec(f->st,
                                "INSERT INTO news_fts(news_fts, rank) VALUES('integrity-check', 1)",
                                &err),
                     0);
    store_close(reader);
}

static void test_health_and_quotes(void **state)
{
    fx *f = *state;
    add_source(f->st, "q", NULL);
    store_quote q = { .exchange = "SH",
                      .code = "688256",
                      .last = 612.5,
                      .change = 12.5,
                      .change_pct = 2.08,
                      .open = NAN,
                      .high = NAN,
                      .low = NAN,
                      .prev_close = 600,
                      .volume = NAN,
                      .turnover = NAN,
                      .market_cap = 2.5e11,
                      .ts = 2000 };
    store_health h = {
        .ok = 1, .at = 2001, .http_status = 200, .etag = "\"v1\"", .next_due = 2100
    };
    store_batch b = { .source_id = "q", .quotes = &q, .n_quotes = 1, .health = &h };
    char *err = NULL;
    assert_int_equal(store_write(f->st, &b, NULL, &err), 0);
    /* an older quote never replaces a newer one */
    q.last = 1;
    q.ts = 1500;
    store_health h2 = { .ok = 0, .at = 2200, .http_status = 503, .error = "HTTP 503" };
    b.health = &h2;
    assert_int_equal(store_write(f->st, &b, NULL, &err), 0);

    store_company_detail d;
    int found;
    assert_int_equal(store_company_get(f->st, "cambricon", &d, &found, &err), 0);
    assert_true(found);
    assert_true(d.company.n_listings >= 1);
    assert_true(d.company.listings[0].has_quote);
    assert_true(fabs(d.company.listings[0].last - 612.5) < 1e-9);
    store_company_detail_free(&d);

    store_source_page p;
    assert_int_equal(store_sources_page(f->st, NULL, 10, &p, &err), 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.rows[0].last_success, 2001);
    assert_int_equal(p.rows[0].http_status, 503);
    assert_int_equal(p.rows[0].failures, 1);
    assert_string_equal(p.rows[0].last_error, "HTTP 503");
    assert_string_equal(p.rows[0].etag, "\"v1\""); /* validators kept across a failure */
    store_source_page_free(&p);
}

/* ---- market summaries ------------------------------------------------------ */

static store_quote quote_of(const char *ex, const char *code, double pct, int64_t ts)
{
    store_quote q = { .exchange = ex,
                      .code = code,
                      .last = 100 * (1 + pct / 100),
                      .change = pct,
                      .change_pct = pct,
                      .open = NAN,
                      .high = NAN,
                      .low = NAN,
                      .prev_close = 100,
                      .volume = NAN,
                      .turnover = NAN,
                      .market_cap = NAN,
                      .ts = ts };
    return q;
}

static void test_pillar_summary_and_counts(void **state)
{
    fx *f = *state;
    add_source(f->st, "q", "gpu");
    char *err = NULL;
    /* three GPU members quoted; SMIC twice (A and H): it counts once, by SH */
    store_quote q[] = { quote_of("SH", "688256", 4.0, 5000), quote_of("SH", "688041", -2.0, 5100),
                        quote_of("SZ", "300474", 0.0, 4900), quote_of("SH", "688981", 1.0, 5000),
                        quote_of("HK", "00981", -9.0, 5000) };
    /* bars: cambricon 100 -> 110 -> 121 (+10%, +10%), hygon 50 -> 45 -> 45 (-10%, 0%);
     * jingjia has only the last date */
    store_bar b[] = {
        { "SH", "688256", "2026-11-24", NAN, NAN, NAN, 100, NAN, NAN },
        { "SH", "688256", "2026-11-25", NAN, NAN, NAN, 110, NAN, NAN },
        { "SH", "688256", "2026-11-26", NAN, NAN, NAN, 121, NAN, NAN },
        { "SH", "688041", "2026-11-24", NAN, NAN, NAN, 50, NAN, NAN },
        { "SH", "688041", "2026-11-25", NAN, NAN, NAN, 45, NAN, NAN },
        { "SH", "688041", "2026-11-26", NAN, NAN, NAN, 45, NAN, NAN },
        { "SZ", "300474", "2026-11-26", NAN, NAN, NAN, 70, NAN, NAN },
    };
    store_batch batch = { .source_id = "q", .quotes = q, .n_quotes = 5, .bars = b, .n_bars = 7 };
    assert_int_equal(store_write(f->st, &batch, NULL, &err), 0);

    store_daily d[8];
    int n;
    assert_int_equal(store_closes(f->st, "SH", "688256", 2, d, &n, &err), 0);
    assert_int_equal(n, 2); /* the last two, oldest first */
    assert_string_equal(d[0].date, "2026-11-25");
    assert_string_equal(d[1].date, "2026-11-26");
    assert_true(fabs(d[1].close - 121) < 1e-9);

    store_pillar_summary s;
    assert_int_equal(store_pillar_summary_get(f->st, "gpu", 20, &s, &err), 0);
    assert_int_equal(s.members, 12);
    assert_int_equal(s.quoted, 4);
    assert_int_equal(s.up, 2);
    assert_int_equal(s.down, 1);
    assert_int_equal(s.flat, 1);
    assert_true(fabs(s.move_pct - (4.0 - 2.0 + 0.0 + 1.0) / 4) < 1e-9);
    assert_string_equal(s.top_id, "cambricon");
    assert_int_equal(s.quote_ts, 5100);
    /* index: 100, then mean(+10%, -10%) = 0 -> 100, then mean(+10%, 0%) = +5% -> 105 */
    assert_int_equal(s.n_spark, 3);
    assert_true(fabs(s.spark[0] - 100) < 1e-9);
    assert_true(fabs(s.spark[1] - 100) < 1e-9);
    assert_true(fabs(s.spark[2] - 105) < 1e-9);
    assert_string_equal(s.spark_from, "2026-11-25");
    assert_string_equal(s.spark_to, "2026-11-26");

    /* a pillar with no quotes says so: no move, not a zero move */
    assert_int_equal(store_pillar_summary_get(f->st, "leasing", 20, &s, &err), 0);
    assert_int_equal(s.quoted, 0);
    assert_true(isnan(s.move_pct));

    store_item items[] = {
        { .guid = "1", .title = "寒武纪 news", .published = 1000 },
        { .guid = "2", .title = "Cambricon again", .published = 3000 },
        { .guid = "3", .title = "海光 news", .published = 3000 },
    };
    write_items(f->st, "q", items, 3);
    int64_t c;
    assert_int_equal(store_news_count(f->st, NULL, "cambricon", 2000, &c, &err), 0);
    assert_int_equal(c, 1);
    assert_int_equal(store_news_count(f->st, "gpu", NULL, 0, &c, &err), 0);
    assert_int_equal(c, 3);
    assert_int_equal(store_news_count(f->st, NULL, NULL, 3000, &c, &err), 0);
    assert_int_equal(c, 2);
}

static void test_models_page_with_previous_stats(void **state)
{
    fx *f = *state;
    add_source(f->st, "hf", "models");
    char *err = NULL;
    store_model_page p;
    assert_int_equal(store_models_page(f->st, NULL, 100, &p, &err), 0);
    assert_true(p.n >= 20);
    const char *repo = NULL;
    for (size_t i = 0; i < p.n && repo == NULL; i++)
        if (p.rows[i].hf_repo)
            repo = xstrdup(p.rows[i].hf_repo);
    assert_non_null(repo);
    assert_non_null(p.rows[0].lab_en);
    store_model_page_free(&p);

    store_model_stat st[] = {
        { .repo = repo, .ts = 100000, .downloads = 1000, .downloads_all = -1, .likes = 10 },
        { .repo = repo, .ts = 150000, .downloads = 1500, .downloads_all = -1, .likes = 12 },
        { .repo = repo, .ts = 190000, .downloads = 2000, .downloads_all = -1, .likes = 20 },
    };
    store_batch b = { .source_id = "hf", .stats = st, .n_stats = 3 };
    assert_int_equal(store_write(f->st, &b, NULL, &err), 0);
    int seen = 0;
    const char *after = NULL;
    char *last = NULL;
    do {
        assert_int_equal(store_models_page(f->st, after, 7, &p, &err), 0);
        for (size_t i = 0; i < p.n; i++) {
            if (p.rows[i].hf_repo == NULL || strcmp(p.rows[i].hf_repo, repo) != 0)
                continue;
            seen++;
            assert_int_equal(p.rows[i].downloads, 2000);
            /* the newest at least 20 h before the latest: 100000, not 150000 */
            assert_int_equal(p.rows[i].downloads_prev, 1000);
            assert_int_equal(p.rows[i].likes_prev, 10);
        }
        free(last);
        last = p.next ? xstrdup(p.next) : NULL;
        after = last;
        int more = p.more;
        store_model_page_free(&p);
        if (!more)
            break;
    } while (1);
    free(last);
    assert_true(seen >= 1);
    free((char *)repo);
}

/* seek and rank agree with walking the pages, for index-only lists and for
 * lists that combine filters */
static void test_news_seek_and_rank(void **state)
{
    fx *f = *state;
    add_source(f->st, "s", NULL);
    enum { N = 700 };
    store_item *items = xcalloc(N, sizeof *items);
    char(*guid)[16] = xcalloc(N, sizeof *guid);
    for (int i = 0; i < N; i++) {
        snprintf(guid[i], sizeof guid[i], "g%d", i);
        items[i].guid = guid[i];
        items[i].title = i % 3 ? "寒武纪 思元 update" : "海光 DCU";
        items[i].published = 1000000 + (i / 4) * 60; /* ties on time: order by id */
    }
    write_items(f->st, "s", items, N);
    free(items);
    free(guid);
    char *err = NULL;
    const store_news_query lists[] = {
        { .pillar = "gpu" },
        { .company = "cambricon" },
        { .company = "cambricon", .pillar = "gpu" }, /* combined: walks pages */
        { 0 },
    };
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        store_news_query q = lists[l];
        q.after = STORE_CURSOR_START;
        q.limit = 1000;
        store_news_page all;
        assert_int_equal(store_news_page_get(f->st, &q, &all, &err), 0);
        int64_t total;
        assert_int_equal(store_news_rank(f->st, &q, STORE_CURSOR_END, &total, &err), 0);
        assert_int_equal(total, (int64_t)all.n);
        assert_true(total > 100);
        for (int64_t k = 1; k < total; k += 37) {
            store_cursor c;
            int64_t skipped;
            assert_int_equal(store_news_seek(f->st, &q, k, &c, &skipped, &err), 0);
            assert_int_equal(skipped, k);
            assert_int_equal(c.id, all.rows[k - 1].id);
            /* from a cursor in the middle */
            store_news_query mid = q;
            mid.after = c;
            store_cursor c2;
            assert_int_equal(store_news_seek(f->st, &mid, 5, &c2, &skipped, &err), 0);
            if (k + 5 <= total)
                assert_int_equal(c2.id, all.rows[k + 4].id);
            int64_t r;
            store_cursor at = { all.rows[k].published, all.rows[k].id };
            assert_int_equal(store_news_rank(f->st, &q, at, &r, &err), 0);
            assert_int_equal(r, k);
        }
        /* past the end: lands on the last row and says how far it got */
        store_cursor c;
        int64_t skipped;
        assert_int_equal(store_news_seek(f->st, &q, total + 50, &c, &skipped, &err), 0);
        assert_int_equal(skipped, total);
        assert_int_equal(c.id, all.rows[total - 1].id);
        store_news_page_free(&all);
    }
}

/* ---- pagination -------------------------------------------------------------- */

static void test_keyset_pagination_walks_everything_once(void **state)
{
    fx *f = *state;
    add_source(f->st, "s1", "gpu");
    enum { N = 1000 };
    store_item *items = xcalloc(N, sizeof *items);
    char(*guid)[16] = xcalloc(N, sizeof *guid);
    for (int i = 0; i < N; i++) {
        snprintf(guid[i], sizeof guid[i], "g%d", i);
        items[i].guid = guid[i];
        items[i].title = i % 3 ? "芯片 news" : "寒武纪 news";
        items[i].published = 100000 + i / 10; /* many share a timestamp */
    }
    assert_int_equal(write_items(f->st, "s1", items, N).added, N);
    free(items);
    free(guid);

    const char *pillars[] = { NULL, "gpu" };
    for (size_t k = 0; k < 2; k++) {
        store_news_query q = { .pillar = pillars[k], .after = STORE_CURSOR_START, .limit = 37 };
        char *seen = xcalloc(N + 2, 1);
        int total = 0, more;
        int64_t lt = INT64_MAX, lid = INT64_MAX;
        do {
            store_news_page p;
            char *err = NULL;
            assert_int_equal(store_news_page_get(f->st, &q, &p, &err), 0);
            for (size_t i = 0; i < p.n; i++) {
                const store_news *n = &p.rows[i];
                assert_true(n->published < lt || (n->published == lt && n->id < lid));
                lt = n->published, lid = n->id;
                assert_true(n->id >= 1 && n->id <= N);
                assert_false(seen[n->id]);
                seen[n->id] = 1;
                total++;
            }
            q.after = p.next;
            more = p.more;
            store_news_page_free(&p);
        } while (more);
        assert_int_equal(total, N);
        free(seen);
    }
    /* company pages: only the items naming Cambricon */
    store_news_query q = { .company = "cambricon", .after = STORE_CURSOR_START, .limit = 50 };
    int total = 0, more;
    do {
        store_news_page p;
        char *err = NULL;
        assert_int_equal(store_news_page_get(f->st, &q, &p, &err), 0);
        total += (int)p.n;
        q.after = p.next;
        more = p.more;
        store_news_page_free(&p);
    } while (more);
    assert_int_equal(total, (N + 2) / 3);
}

static void test_page_queries_use_indexes(void **state)
{
    fx *f = *state;
    static const char *const sql[] = {
        "EXPLAIN QUERY PLAN SELECT n.id FROM news_pillar t JOIN news n ON n.id=t.news_id WHERE"
        " t.pillar_id='gpu' AND (t.published, t.news_id) < (1, 2) ORDER BY t.published DESC,"
        " t.news_id DESC LIMIT 50",
        "EXPLAIN QUERY PLAN SELECT n.id FROM news n WHERE (n.published, n.id) < (1, 2)"
        " ORDER BY n.published DESC, n.id DESC LIMIT 50",
    };
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *s;
        assert_int_equal(sqlite3_prepare_v2(f->st->db, sql[i], -1, &s, NULL), SQLITE_OK);
        int searched = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(s, 3);
            assert_null(strstr(d, "SCAN"));
            assert_null(strstr(d, "TEMP B-TREE"));
            searched |= strstr(d, "SEARCH") != NULL;
        }
        sqlite3_finalize(s);
        assert_true(searched);
    }
}

/* ---- search and tagging -------------------------------------------------------- */

static void seed_news(store *st)
{
    add_source(st, "cn", NULL);
    add_source(st, "en", "models");
    store_item cn[] = {
        { .guid = "1",
          .title = "华为发布昇腾910C，算力再升级",
          .summary = "昇腾芯片出货量增长",
          .published = 100 },
        { .guid = "2", .title = "寒武纪思元590获大单", .summary = "国产AI芯片", .published = 200 },
        { .guid = "3",
          .title = "中科曙光算力中心投运",
          .summary = "曙光数创液冷",
          .published = 300 },
        { .guid = "4", .title = "腾讯混元发布新模型", .published = 400 },
    };
    store_item en[] = {
        { .guid = "a",
          .title = "DeepSeek-V3.2 released with sparse attention",
          .summary = "The Hangzhou lab ships again",
          .published = 500 },
        { .guid = "b",
          .title = "Ascendant markets rally",
          .summary = "no chip news here",
          .published = 600 },
        { .guid = "c", .title = "Huawei Ascend 910B supply expands", .published = 700 },
    };
    write_items(st, "cn", cn, 4);
    write_items(st, "en", en, 3);
}

static int has_tag(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && (p = strstr(p, id)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

static const store_news *find_guid(const store_news_page *p, const char *guid)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->rows[i].guid, guid) == 0)
            return &p->rows[i];
    fail_msg("no item %s", guid);
    return NULL;
}

static void test_tagging_at_ingest(void **state)
{
    fx *f = *state;
    seed_news(f->st);
    store_news_page p;
    store_news_query q = { .after = STORE_CURSOR_START, .limit = 50 };
    char *err = NULL;
    assert_int_equal(store_news_page_get(f->st, &q, &p, &err), 0);
    const store_news *n = find_guid(&p, "1");
    assert_true(has_tag(n->companies, "huawei"));
    assert_true(has_tag(n->pillars, "ascend"));
    n = find_guid(&p, "2");
    assert_true(has_tag(n->companies, "cambricon"));
    assert_true(has_tag(n->pillars, "gpu"));
    n = find_guid(&p, "3");
    assert_true(has_tag(n->companies, "sugon"));
    assert_true(has_tag(n->pillars, "leasing"));
    n = find_guid(&p, "4");
    assert_true(has_tag(n->companies, "tencent"));
    n = find_guid(&p, "a");
    assert_true(has_tag(n->companies, "deepseek"));
    n = find_guid(&p, "b"); /* "Ascendant" is not Ascend; the source's pillar still applies */
    assert_null(n->companies);
    assert_string_equal(n->pillars, "models");
    n = find_guid(&p, "c");
    assert_true(has_tag(n->companies, "huawei"));
    store_news_page_free(&p);

    /* the pillar page finds them through the tag table */
    q.pillar = "ascend";
    assert_int_equal(store_news_page_get(f->st, &q, &p, &err), 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.rows[0].guid, "c");
    assert_string_equal(p.rows[1].guid, "1");
    store_news_page_free(&p);
}

static void test_search_cjk_and_english(void **state)
{
    fx *f = *state;
    seed_news(f->st);
    store_search_result r;
    char *err = NULL;

    assert_int_equal(store_search(f->st, "昇腾", 10, &r, &err), 0);
    assert_true(r.n_companies >= 1);
    int huawei = 0;
    for (size_t i = 0; i < r.n_companies; i++)
        huawei |= strcmp(r.companies[i].id, "huawei") == 0;
    assert_true(huawei);
    assert_int_equal(r.n_news, 1);
    assert_string_equal(r.news[0].guid, "1");
    store_search_result_free(&r);

    assert_int_equal(store_search(f->st, "曙光", 10, &r, &err), 0);
    assert_int_equal(r.n_news, 1);
    assert_string_equal(r.news[0].guid, "3");
    store_search_result_free(&r);

    assert_int_equal(store_search(f->st, "腾昇", 10, &r, &err), 0); /* order matters */
    assert_int_equal(r.n_news, 0);
    store_search_result_free(&r);

    assert_int_equal(store_search(f->st, "算力中心", 10, &r, &err), 0); /* 4 characters */
    assert_int_equal(r.n_news, 1);
    store_search_result_free(&r);

    assert_int_equal(store_search(f->st, "deepseek", 10, &r, &err), 0);
    assert_int_equal(r.n_news, 1);
    assert_string_equal(r.news[0].guid, "a");
    assert_true(r.n_companies >= 1);
    assert_string_equal(r.companies[0].id, "deepseek");
    store_search_result_free(&r);

    assert_int_equal(store_search(f->st, "ASCEND 910b", 10, &r, &err), 0);
    assert_int_equal(r.n_news, 1);
    assert_string_equal(r.news[0].guid, "c");
    store_search_result_free(&r);

    /* ranking: a title hit outranks a summary-only hit, whatever the age */
    assert_int_equal(store_search(f->st, "芯片", 10, &r, &err), 0);
    assert_int_equal(r.n_news, 2);
    store_search_result_free(&r);

    /* operators typed by a user are text, not syntax */
    assert_int_equal(store_search(f->st, "\"NEAR( OR *", 10, &r, &err), 0);
    store_search_result_free(&r);
    assert_int_equal(store_search(f->st, "   ", 10, &r, &err), 0);
    assert_int_equal(r.n_news + r.n_companies, 0);
    store_search_result_free(&r);

    /* the search is answered from the index */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(f->st->db,
                                        "EXPLAIN QUERY PLAN SELECT rowid FROM news_fts WHERE"
                                        " news_fts MATCH '\"昇腾\"' ORDER BY rowid DESC LIMIT 10",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int virt = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
        virt |= strstr((const char *)sqlite3_column_text(s, 3), "VIRTUAL TABLE INDEX") != NULL;
    sqlite3_finalize(s);
    assert_true(virt);
}

static void test_source_rm_takes_its_news(void **state)
{
    fx *f = *state;
    seed_news(f->st);
    int found;
    char *err = NULL;
    assert_int_equal(store_source_rm(f->st, "cn", &found, &err), 0);
    assert_true(found);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news"), 3);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news_pillar WHERE news_id NOT IN"
                                  " (SELECT id FROM news)"),
                     0);
    store_search_result r;
    assert_int_equal(store_search(f->st, "昇腾", 10, &r, &err), 0);
    assert_int_equal(r.n_news, 0);
    store_search_result_free(&r);
    assert_int_equal(store_exec(f->st,
                                "INSERT INTO news_fts(news_fts, rank) VALUES('integrity-check', 1)",
                                &err),
                     0);
    assert_int_equal(store_source_rm(f->st, "cn", &found, &err), 0);
    assert_false(found);
}

/* ---- profiles -------------------------------------------------------------------- */

static void collect_warning(void *ctx, const char *msg)
{
    core_buf *b = ctx;
    core_buf_printf(b, "%s\n", msg);
}

static void test_profiles_shipped_are_complete(void **state)
{
    fx *f = *state;
    assert_true(count(f->st, "SELECT count(*) FROM company") >= 50);
    assert_true(count(f->st, "SELECT count(*) FROM chip") >= 20);
    assert_true(count(f->st, "SELECT count(*) FROM model") >= 15);
    assert_true(count(f->st, "SELECT min(n) FROM (SELECT count(*) n FROM company_pillar"
                             " GROUP BY pillar_id)") >= 6);
    assert_int_equal(count(f->st, "SELECT count(DISTINCT pillar_id) FROM company_pillar"), 5);
    assert_int_equal(count(f->st, "SELECT count(*) FROM company WHERE as_of IS NULL OR"
                                  " confidence IS NULL OR source_note IS NULL"),
                     0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM relation WHERE company_id='kunlunxin'"
                                  " AND role='parent' AND other_id='baidu'"),
                     1);
    /* relations are stored both ways */
    assert_int_equal(count(f->st, "SELECT count(*) FROM relation WHERE company_id='baidu'"
                                  " AND role='subsidiary' AND other_id='kunlunxin'"),
                     1);
    store_company_detail d;
    int found;
    char *err = NULL;
    assert_int_equal(store_company_get(f->st, "cambricon", &d, &found, &err), 0);
    assert_true(found);
    assert_true(d.n_chips >= 1);
    assert_string_equal(d.company.listings[0].code, "688256");
    store_company_detail_free(&d);
}

static void test_profiles_user_files(void **state)
{
    fx *f = *state;
    char *udir = xasprintf("%s/config", f->dir);
    mkdir(udir, 0700);
    char *cpath = xasprintf("%s/companies.json", udir);
    char *mpath = xasprintf("%s/models.json", udir);

    /* the user's own state, which no reload may touch */
    char *err = NULL;
    seed_news(f->st);
    assert_int_equal(store_note_set(f->st, "cambricon", "watch MLU590 ramp", &err), 0);
    assert_int_equal(store_watch_set(f->st, "huawei", 1, &err), 0);
    int64_t tags = count(f->st, "SELECT count(*) FROM news_company");

    /* a broken file: message with file, line, column; the rest loads */
    ts_write_file(cpath, "{\n  \"companies\": [\n    {\"id\": \"x\",, }\n  ]\n}\n");
    ts_write_file(mpath, "{\"models\": [{\"id\": \"my-model\", \"company\": \"deepseek\","
                         " \"name\": \"My fine-tune\"}]}");
    core_buf w;
    core_buf_init(&w, 1 << 20);
    assert_int_equal(store_load_profiles(f->st, ts_data_dir(), udir, collect_warning, &w, &err), 0);
    assert_non_null(w.data);
    assert_non_null(strstr(w.data, "companies.json:3:"));
    assert_int_equal(count(f->st, "SELECT count(*) FROM model WHERE id='my-model'"), 1);
    assert_true(count(f->st, "SELECT count(*) FROM company") >= 50);
    core_buf_free(&w);

    /* a good file: corrections win, additions appear, bad records are named and skipped */
    ts_write_file(cpath, "{\"companies\": ["
                         "{\"id\": \"cambricon\", \"name_en\": \"Cambricon (corrected)\","
                         " \"name_zh\": \"寒武纪\", \"pillars\": [\"gpu\"],"
                         " \"aliases\": [\"MLU590\"]},"
                         "{\"id\": \"my-co\", \"name_en\": \"My Co\", \"pillars\": [\"leasing\"]},"
                         "{\"id\": \"bad\", \"name_en\": \"Bad\", \"pillars\": [\"nope\"]}]}");
    core_buf_init(&w, 1 << 20);
    assert_int_equal(store_load_profiles(f->st, ts_data_dir(), udir, collect_warning, &w, &err), 0);
    assert_non_null(strstr(w.data, "unknown pillar nope"));
    core_buf_free(&w);
    assert_int_equal(count(f->st, "SELECT count(*) FROM company WHERE id='cambricon' AND"
                                  " name_en='Cambricon (corrected)' AND origin='user'"),
                     1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM company WHERE id='my-co'"), 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM company WHERE id='bad'"), 0);

    /* nothing of the user's was lost */
    assert_int_equal(count(f->st, "SELECT count(*) FROM note WHERE company_id='cambricon'"), 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM watch WHERE company_id='huawei'"), 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news_company"), tags);

    /* unchanged files: no reload at all */
    assert_int_equal(store_exec(f->st, "UPDATE company SET hq='marker' WHERE id='huawei'", &err),
                     0);
    assert_int_equal(store_load_profiles(f->st, ts_data_dir(), udir, NULL, NULL, &err), 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM company WHERE hq='marker'"), 1);

    /* the new alias tags new items */
    add_source(f->st, "u", NULL);
    store_item it = { .guid = "u1", .title = "MLU590 volume shipments", .published = 9 };
    write_items(f->st, "u", &it, 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM news_company t JOIN news n ON"
                                  " n.id=t.news_id WHERE n.guid='u1' AND t.company_id='cambricon'"),
                     1);
    free(udir), free(cpath), free(mpath);
}

static void test_profiles_bad_shipped_is_an_error(void **state)
{
    fx *f = *state;
    char *sdir = xasprintf("%s/shipped", f->dir);
    mkdir(sdir, 0700);
    char *p = xasprintf("%s/companies.json", sdir);
    ts_write_file(p, "{\"data_version\": \"x\", \"companies\": [ oops ]}");
    char *err = NULL;
    assert_int_equal(store_load_profiles(f->st, sdir, NULL, NULL, NULL, &err), -1);
    assert_non_null(strstr(err, "companies.json:1:"));
    free(err);
    /* what was loaded before is still there */
    assert_true(count(f->st, "SELECT count(*) FROM company") >= 50);
    free(p), free(sdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrates_schema_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_damaged_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_creates_missing_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guid_dedup_and_update_keep_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_canonical_url_dedup_across_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_keeps_batches_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health_and_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pillar_summary_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_models_page_with_previous_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_news_seek_and_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyset_pagination_walks_everything_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_queries_use_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tagging_at_ingest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_cjk_and_english, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_rm_takes_its_news, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profiles_shipped_are_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profiles_user_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profiles_bad_shipped_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
