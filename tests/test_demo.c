/*
 * test_demo.c — the bundled demo set (data/demo/) read through the real
 * pipeline: `xcdash --demo fetch --once` with its own cache, every source
 * fetched from file://, news for every pillar, quotes and model statistics
 * landed, GBK and UTF-16 feeds decoded, a second fetch adding nothing.
 *
 * The tests run in order against one temporary XDG tree: the first fetches,
 * the others read what it stored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "tests/support/support.h"

/* Titles that appear once each in the demo feeds (see data/demo/generate.py). */
#define GBK_TITLE    "【信创早班车】华为昇腾910C集群在多地智算中心上线（演示）"
#define UTF16_TITLE  "【算力夜话】中科曙光新建智算中心投入运营（演示）"
#define DEMO_PREFIX  "https://example.com/demo/"
#define N_PER_PILLAR 5 /* news each pillar must show at least */

typedef struct fx {
    char *dir, *data_env, *config_env, *db_env, *home_env;
    json_t *sources; /* data/demo/sources.json */
} fx;

static fx F;

static int group_setup(void **state)
{
    F.dir = ts_tmpdir();
    F.data_env = xasprintf("XDG_DATA_HOME=%s/data", F.dir);
    F.config_env = xasprintf("XDG_CONFIG_HOME=%s/config", F.dir);
    /* the user's real cache setting, which --demo must ignore */
    F.db_env = xasprintf("XCDASH_DB=%s/real.db", F.dir);
    F.home_env = xasprintf("HOME=%s", F.dir);
    char *path = xasprintf("%s/demo/sources.json", ts_data_dir());
    json_error_t je;
    F.sources = json_load_file(path, 0, &je);
    if (F.sources == NULL) {
        fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
        free(path);
        return -1;
    }
    free(path);
    *state = &F;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    ts_rmrf(F.dir);
    free(F.dir), free(F.data_env), free(F.config_env), free(F.db_env), free(F.home_env);
    json_decref(F.sources);
    return 0;
}

static ts_run run(const char *const *argv)
{
    const char *env[] = { F.data_env, F.config_env, F.db_env, F.home_env, NULL };
    return ts_xcdash(argv, env);
}

static json_t *run_json(const char *const *argv)
{
    ts_run r = run(argv);
    if (r.status != 0)
        fail_msg("xcdash %s %s: exit %d: %s", argv[0], argv[1] ? argv[1] : "", r.status, r.err);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    if (j == NULL)
        fail_msg("bad JSON at %d:%d: %s", je.line, je.column, je.text);
    ts_run_free(&r);
    return j;
}

/* Whether the file F.dir/rel exists. */
static int exists(const char *rel)
{
    char *p = xasprintf("%s/%s", F.dir, rel);
    struct stat sb;
    int ok = stat(p, &sb) == 0;
    free(p);
    return ok;
}

static const char *jget(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int has_prefix(const char *s, const char *prefix)
{
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The line of fetch output for source id (it starts with the id and a space); NULL if none. */
static char *report_line(const char *out, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = out; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > n && strncmp(p, id, n) == 0 && p[n] == ' ')
            return xstrndup(p, len);
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

/* Every listing with an East Money id in data/companies.json, as "secid" strings. */
static json_t *secids(void)
{
    char *path = xasprintf("%s/companies.json", ts_data_dir());
    json_t *doc = json_load_file(path, 0, NULL);
    free(path);
    assert_non_null(doc);
    json_t *out = json_array(), *c, *l;
    size_t i, k;
    json_array_foreach(json_object_get(doc, "companies"), i, c)
    {
        json_array_foreach(json_object_get(c, "listings"), k, l)
        {
            const char *s = jget(l, "eastmoney_secid");
            if (s && *s)
                json_array_append_new(out, json_string(s));
        }
    }
    json_decref(doc);
    return out;
}

/* The shipped files themselves: a well-formed list, and a quote and bar file for every listing. */
static void test_demo_set_shape(void **state)
{
    (void)state;
    json_t *src = json_object_get(F.sources, "sources"), *s;
    assert_true(json_is_string(json_object_get(F.sources, "data_version")));
    assert_true(json_array_size(src) >= 10);
    size_t i;
    int kinds[4] = { 0 }; /* feed, hf-models, eastmoney-quotes, eastmoney-kline */
    json_array_foreach(src, i, s)
    {
        const char *id = jget(s, "id"), *kind = jget(s, "kind"), *url = jget(s, "url");
        assert_true(has_prefix(id, "demo-"));
        assert_true(strlen(id) <= 24); /* fits the id column of fetch's report */
        assert_true(has_prefix(jget(s, "title"), "DEMO "));
        assert_non_null(url);
        assert_null(strstr(url, "://")); /* relative: a file beside the list */
        int quotes = strcmp(kind, "eastmoney-quotes") == 0;
        assert_int_equal(json_integer_value(json_object_get(s, "interval_s")), quotes ? 60 : 300);
        kinds[0] += strcmp(kind, "feed") == 0;
        kinds[1] += strcmp(kind, "hf-models") == 0;
        kinds[2] += quotes;
        kinds[3] += strcmp(kind, "eastmoney-kline") == 0;
        if (quotes)
            assert_string_equal(url, "quotes/quotes-{step}.json");
        if (strcmp(kind, "eastmoney-kline") == 0)
            assert_string_equal(url, "kline/{secid}.json");
    }
    assert_true(kinds[0] >= 6);
    assert_int_equal(kinds[1], 3);
    assert_int_equal(kinds[2], 1);
    assert_int_equal(kinds[3], 1);

    /* every listing: one kline file, and a quote in each of the ten snapshots */
    json_t *ids = secids(), *id;
    assert_true(json_array_size(ids) >= 40);
    for (int step = 0; step < 10; step++) {
        char *path = xasprintf("%s/demo/quotes/quotes-%d.json", ts_data_dir(), step);
        json_t *doc = json_load_file(path, 0, NULL);
        if (doc == NULL)
            fail_msg("%s: missing or not JSON", path);
        json_t *diff = json_object_get(json_object_get(doc, "data"), "diff");
        json_array_foreach(ids, i, id)
        {
            const char *secid = json_string_value(id), *code = strchr(secid, '.') + 1;
            int found = 0;
            json_t *e;
            if (json_is_array(diff)) {
                size_t k;
                json_array_foreach(diff, k, e) found |= strcmp(jget(e, "f12"), code) == 0;
            } else {
                const char *key;
                json_object_foreach(diff, key, e) found |= strcmp(jget(e, "f12"), code) == 0;
            }
            if (!found)
                fail_msg("%s has no quote for %s: regenerate with data/demo/generate.py", path,
                         secid);
        }
        json_decref(doc);
        free(path);
    }
    json_array_foreach(ids, i, id)
    {
        char *path = xasprintf("%s/demo/kline/%s.json", ts_data_dir(), json_string_value(id));
        json_t *doc = json_load_file(path, 0, NULL);
        if (doc == NULL)
            fail_msg("%s: missing or not JSON: regenerate with data/demo/generate.py", path);
        assert_int_equal(json_array_size(json_object_get(json_object_get(doc, "data"), "klines")),
                         120);
        json_decref(doc);
        free(path);
    }
    json_decref(ids);
}

/* One fetch of everything: an "ok" line per source, the demo's own cache and nothing else. */
static void test_fetch_once(void **state)
{
    (void)state;
    ts_run r = run((const char *[]){ "--demo", "fetch", "--once", NULL });
    if (r.status != 0)
        fail_msg("exit %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    assert_null(strstr(r.out, "FAILED"));
    json_t *s;
    size_t i;
    json_array_foreach(json_object_get(F.sources, "sources"), i, s)
    {
        char *line = report_line(r.out, jget(s, "id"));
        if (line == NULL || strstr(line, " ok ") == NULL)
            fail_msg("no ok line for %s in:\n%s", jget(s, "id"), r.out);
        if (strcmp(jget(s, "kind"), "eastmoney-quotes") == 0) {
            json_t *ids = secids();
            char *want = xasprintf(" %zu quotes", json_array_size(ids));
            if (strstr(line, want) == NULL)
                fail_msg("expected%s: %s", want, line);
            free(want);
            json_decref(ids);
        }
        if (strcmp(jget(s, "kind"), "eastmoney-kline") == 0 && strstr(line, " bars") == NULL)
            fail_msg("no bars: %s", line);
        free(line);
    }
    ts_run_free(&r);
    assert_true(exists("data/xcdash/demo.db"));
    assert_false(exists("data/xcdash/xcdash.db"));
    assert_false(exists("real.db"));
}

static void test_news_per_pillar(void **state)
{
    (void)state;
    static const char *const pillars[] = { "gpu", "cpu", "ascend", "leasing", "models" };
    for (size_t p = 0; p < 5; p++) {
        json_t *j =
            run_json((const char *[]){ "--demo", "news", "--pillar", pillars[p], "--json", NULL });
        size_t n = json_array_size(json_object_get(j, "news"));
        if (n < N_PER_PILLAR)
            fail_msg("pillar %s: %zu news, want at least %d", pillars[p], n, N_PER_PILLAR);
        json_decref(j);
    }
}

/* Every feed item is recognisably demo content pointing at example.com. */
static void test_news_is_demo_content(void **state)
{
    (void)state;
    json_t *j = run_json((const char *[]){ "--demo", "news", "--limit", "100000", "--json", NULL });
    json_t *n;
    size_t i, feed_items = 0, tagged = 0;
    json_array_foreach(json_object_get(j, "news"), i, n)
    {
        const char *src = jget(n, "source"), *title = jget(n, "title"), *url = jget(n, "url");
        assert_true(has_prefix(src, "demo-"));
        if (has_prefix(src, "demo-hf-"))
            continue; /* titles and links made by the Hugging Face adapter */
        feed_items++;
        if (!has_suffix(title, "（演示）") && !has_suffix(title, "[demo]"))
            fail_msg("%s: title without a demo marker: %s", src, title);
        if (!has_prefix(url, DEMO_PREFIX))
            fail_msg("%s: link outside %s: %s", src, DEMO_PREFIX, url ? url : "(null)");
        tagged += json_array_size(json_object_get(n, "companies")) > 0;
        /* Atom: xml:base and relative links resolved to .../gh/OWNER/REPO/releases/tag/TAG */
        if (strcmp(src, "demo-models-releases") == 0) {
            if (!has_prefix(url, DEMO_PREFIX "gh/") || strstr(url, "/releases/tag/v") == NULL ||
                strstr(url + 8, "//") != NULL || strstr(url, "/gh/demo/") != NULL)
                fail_msg("release link not resolved against xml:base: %s", url);
        }
    }
    assert_true(feed_items >= 150);
    assert_true(tagged * 10 >= feed_items * 9); /* headlines name curated companies */
    json_decref(j);
}

static const json_t *listing(const json_t *companies, const char *company, const char *code)
{
    json_t *c, *l;
    size_t i, k;
    json_array_foreach(companies, i, c)
    {
        if (strcmp(jget(c, "id"), company) != 0)
            continue;
        json_array_foreach(json_object_get(c, "listings"), k, l)
        {
            if (strcmp(jget(l, "code"), code) == 0)
                return l;
        }
    }
    fail_msg("no listing %s of %s", code, company);
    return NULL;
}

static void test_quotes_and_models(void **state)
{
    (void)state;
    json_t *j = run_json((const char *[]){ "--demo", "companies", "--json", NULL });
    json_t *cs = json_object_get(j, "companies");
    const json_t *q = json_object_get(listing(cs, "cambricon", "688256"), "quote");
    assert_true(json_is_object(q));
    double last = json_number_value(json_object_get(q, "last"));
    assert_true(last > 100 && last < 10000);
    assert_true(has_prefix(jget(q, "time"), "2026-11-27"));
    /* a suspended stock: a quote without a price, never a zero */
    q = json_object_get(listing(cs, "teamsun", "600410"), "quote");
    assert_true(json_is_object(q));
    assert_true(json_is_null(json_object_get(q, "last")));
    /* Hong Kong and US listings too */
    q = json_object_get(listing(cs, "tencent", "00700"), "quote");
    assert_true(json_is_number(json_object_get(q, "last")));
    q = json_object_get(listing(cs, "baidu", "BIDU"), "quote");
    assert_true(json_is_number(json_object_get(q, "last")));
    json_decref(j);

    /* Hugging Face listings feed the curated models' statistics */
    j = run_json((const char *[]){ "--demo", "company", "deepseek", "--json", NULL });
    json_t *m;
    size_t i;
    int seen = 0;
    json_array_foreach(json_object_get(j, "models"), i, m)
    {
        if (strcmp(jget(m, "id"), "deepseek-v3") == 0) {
            seen = 1;
            assert_true(json_integer_value(json_object_get(m, "downloads_30d")) > 0);
            assert_true(json_integer_value(json_object_get(m, "likes")) > 0);
        }
    }
    assert_true(seen);
    json_decref(j);
}

/* All of query's news come from source, and one of them has exactly title. */
static void expect_search(const char *query, const char *source, const char *title)
{
    json_t *j =
        run_json((const char *[]){ "--demo", "search", query, "--limit", "100", "--json", NULL });
    json_t *n;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(j, "news"), i, n)
    {
        if (strcmp(jget(n, "source"), source) != 0)
            fail_msg("search %s: unexpected source %s", query, jget(n, "source"));
        found |= strcmp(jget(n, "title"), title) == 0;
    }
    if (!found)
        fail_msg("search %s: no news titled %s (%zu news)", query, title,
                 json_array_size(json_object_get(j, "news")));
    json_decref(j);
}

static void test_search_and_encodings(void **state)
{
    (void)state;
    json_t *j = run_json((const char *[]){ "--demo", "search", "昇腾", "--json", NULL });
    assert_true(json_array_size(json_object_get(j, "news")) >= 5);
    json_decref(j);

    /* words that only the GBK and the UTF-16 feed use */
    expect_search("早班车", "demo-ascend-gbk", GBK_TITLE);
    expect_search("算力夜话", "demo-leasing-utf16", UTF16_TITLE);

    /* entities, character references and CDATA in titles */
    static const char *const want[] = {
        "寒武纪 & 智谱联合优化GLM推理（演示）",
        "昇腾 + DeepSeek：昇腾910C上的V3.2推理实践（演示）",
        "“国产算力 <> 国产模型”：适配清单更新（演示）",
        "千问App上线新版本 & 新增深度研究功能（演示）",
    };
    j = run_json((const char *[]){ "--demo", "news", "--source", "demo-models-html", "--limit",
                                   "100", "--json", NULL });
    for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
        json_t *n;
        size_t i;
        int found = 0;
        json_array_foreach(json_object_get(j, "news"), i, n) found |=
            strcmp(jget(n, "title"), want[w]) == 0;
        if (!found)
            fail_msg("demo-models-html: no title %s", want[w]);
    }
    json_decref(j);
}

static size_t news_count(void)
{
    json_t *j = run_json((const char *[]){ "--demo", "news", "--limit", "100000", "--json", NULL });
    size_t n = json_array_size(json_object_get(j, "news"));
    json_decref(j);
    return n;
}

/* Fetching the same files again changes nothing: no new items, no duplicates. */
static void test_refetch_adds_nothing(void **state)
{
    (void)state;
    size_t before = news_count();
    assert_true(before > 0);
    ts_run r = run((const char *[]){ "--demo", "fetch", "--once", NULL });
    if (r.status != 0)
        fail_msg("exit %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    assert_null(strstr(r.out, "FAILED"));
    json_t *s;
    size_t i;
    json_array_foreach(json_object_get(F.sources, "sources"), i, s)
    {
        const char *kind = jget(s, "kind");
        if (strcmp(kind, "feed") != 0 && strcmp(kind, "hf-models") != 0)
            continue;
        char *line = report_line(r.out, jget(s, "id"));
        if (line == NULL || strstr(line, " ok ") == NULL ||
            (strstr(line, " 0 new,") == NULL && strstr(line, "not modified") == NULL))
            fail_msg("second fetch of %s added items: %s", jget(s, "id"), line ? line : r.out);
        free(line);
    }
    ts_run_free(&r);
    assert_int_equal(news_count(), before);
    assert_false(exists("data/xcdash/xcdash.db"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_set_shape),       cmocka_unit_test(test_fetch_once),
        cmocka_unit_test(test_news_per_pillar),      cmocka_unit_test(test_news_is_demo_content),
        cmocka_unit_test(test_quotes_and_models),    cmocka_unit_test(test_search_and_encodings),
        cmocka_unit_test(test_refetch_adds_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
