/*
 * test_cli.c — the real xcdash binary, run as a user would: exit codes,
 * --help against the man page, companies/company/search/news JSON shapes,
 * sources add/rm/export/import, refusing a damaged cache.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "tests/support/support.h"

typedef struct fx {
    char *dir, *db_env, *cfg_env;
} fx;

static int setup(void **state)
{
    fx *f = xcalloc(1, sizeof *f);
    f->dir = ts_tmpdir();
    f->db_env = xasprintf("XCDASH_DB=%s/cache.db", f->dir);
    f->cfg_env = xasprintf("XDG_CONFIG_HOME=%s/config", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ts_rmrf(f->dir);
    free(f->dir), free(f->db_env), free(f->cfg_env);
    free(f);
    return 0;
}

static ts_run run(fx *f, const char *const *argv)
{
    const char *env[] = { f->db_env, f->cfg_env, NULL };
    return ts_xcdash(argv, env);
}

static json_t *run_json(fx *f, const char *const *argv)
{
    ts_run r = run(f, argv);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    if (j == NULL)
        fail_msg("bad JSON at %d:%d: %s", je.line, je.column, je.text);
    ts_run_free(&r);
    return j;
}

static void test_usage_errors_exit_2(void **state)
{
    fx *f = *state;
    static const char *const bad[][4] = {
        { "--bogus", NULL },
        { "frobnicate", NULL },
        { "companies", "--pillar", "quantum", NULL },
        { "news", "--limit", "0", NULL },
        { "news", "--limit", NULL },
        { "company", NULL },
        { "sources", "add", "https://example.com/x", NULL }, /* no --kind */
        { "search", NULL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ts_run r = run(f, bad[i]);
        assert_int_equal(r.status, 2);
        assert_true(strlen(r.err) > 0);
        assert_true(strlen(r.err) < 600); /* a short message, not a manual */
        ts_run_free(&r);
    }
    ts_run r = run(f, (const char *[]){ "--version", NULL });
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "xcdash " XCDASH_VERSION));
    ts_run_free(&r);
}

/* Every option and subcommand in --help is documented in the man page. */
static void test_help_matches_man_page(void **state)
{
    fx *f = *state;
    ts_run r = run(f, (const char *[]){ "--help", NULL });
    assert_int_equal(r.status, 0);
    char *path = xasprintf("%s/docs/xcdash.1", ts_src());
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    core_buf man;
    core_buf_init(&man, 1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        core_buf_add(&man, chunk, n);
    fclose(fp);
    /* groff writes a hyphen as \- ; compare with those removed */
    core_buf plain;
    core_buf_init(&plain, 1 << 20);
    for (size_t i = 0; i < man.len; i++)
        if (!(man.data[i] == '\\' && i + 1 < man.len && man.data[i + 1] == '-'))
            core_buf_add(&plain, &man.data[i], 1);
    regex_t re;
    assert_int_equal(regcomp(&re, "--?[a-z][a-z-]*|xcdash [a-z-]+( [a-z-]+)?", REG_EXTENDED), 0);
    regmatch_t m;
    int checked = 0;
    for (const char *p = r.out; regexec(&re, p, 1, &m, 0) == 0; p += m.rm_eo) {
        char *tok = xstrndup(p + m.rm_so, (size_t)(m.rm_eo - m.rm_so));
        if (strstr(plain.data, tok) == NULL)
            fail_msg("'%s' is in --help but not in docs/xcdash.1", tok);
        free(tok);
        checked++;
    }
    assert_true(checked > 20);
    regfree(&re);
    core_buf_free(&man);
    core_buf_free(&plain);
    free(path);
    ts_run_free(&r);
}

static void test_companies_json(void **state)
{
    fx *f = *state;
    json_t *j = run_json(f, (const char *[]){ "companies", "--json", NULL });
    assert_string_equal(json_string_value(json_object_get(j, "schema")), "xcdash.companies/1");
    json_t *cs = json_object_get(j, "companies"), *c;
    assert_true(json_array_size(cs) >= 50);
    size_t i;
    int per_pillar[5] = { 0 };
    const char *pillars[] = { "gpu", "cpu", "ascend", "leasing", "models" };
    int cambricon = 0;
    json_array_foreach(cs, i, c)
    {
        assert_non_null(json_string_value(json_object_get(c, "id")));
        assert_non_null(json_string_value(json_object_get(c, "name_en")));
        assert_non_null(json_string_value(json_object_get(c, "as_of")));
        const char *conf = json_string_value(json_object_get(c, "confidence"));
        assert_non_null(conf);
        assert_non_null(strchr("ABC", conf[0]));
        json_t *p, *l;
        size_t k;
        json_array_foreach(json_object_get(c, "pillars"), k, p)
        {
            for (int x = 0; x < 5; x++)
                per_pillar[x] += strcmp(json_string_value(p), pillars[x]) == 0;
        }
        json_array_foreach(json_object_get(c, "listings"), k, l)
        {
            assert_non_null(json_string_value(json_object_get(l, "exchange")));
            assert_non_null(json_string_value(json_object_get(l, "code")));
            assert_non_null(json_string_value(json_object_get(l, "as_of")));
            assert_non_null(json_string_value(json_object_get(l, "confidence")));
            assert_true(json_is_null(json_object_get(l, "quote"))); /* never fetched: no zeros */
            if (strcmp(json_string_value(json_object_get(c, "id")), "cambricon") == 0 &&
                strcmp(json_string_value(json_object_get(l, "code")), "688256") == 0)
                cambricon = 1;
        }
    }
    for (int x = 0; x < 5; x++)
        assert_true(per_pillar[x] >= 6);
    assert_true(cambricon);
    json_decref(j);

    j = run_json(f, (const char *[]){ "companies", "--pillar", "ascend", "--json", NULL });
    json_array_foreach(json_object_get(j, "companies"), i, c)
    {
        json_t *p;
        size_t k;
        int in = 0;
        json_array_foreach(json_object_get(c, "pillars"), k, p) in |=
            strcmp(json_string_value(p), "ascend") == 0;
        assert_true(in);
    }
    json_decref(j);
}

static void test_company_and_search(void **state)
{
    fx *f = *state;
    json_t *j = run_json(f, (const char *[]){ "company", "kunlunxin", "--json", NULL });
    json_t *rels = json_object_get(j, "relations"), *r;
    size_t i;
    int parent = 0;
    json_array_foreach(rels, i, r) parent |=
        strcmp(json_string_value(json_object_get(r, "role")), "parent") == 0 &&
        strcmp(json_string_value(json_object_get(r, "company")), "baidu") == 0;
    assert_true(parent);
    json_decref(j);

    j = run_json(f, (const char *[]){ "search", "昇腾", "--json", NULL });
    int huawei = 0;
    json_array_foreach(json_object_get(j, "companies"), i, r) huawei |=
        strcmp(json_string_value(json_object_get(r, "id")), "huawei") == 0;
    assert_true(huawei);
    json_decref(j);

    ts_run t = run(f, (const char *[]){ "company", "no-such-co", NULL });
    assert_int_equal(t.status, 1);
    assert_non_null(strstr(t.err, "no company"));
    ts_run_free(&t);

    /* the text form lines Chinese names up by display width */
    t = run(f, (const char *[]){ "companies", "--pillar", "gpu", NULL });
    assert_int_equal(t.status, 0);
    assert_non_null(strstr(t.out, "寒武纪"));
    ts_run_free(&t);
}

static void test_sources_round_trip(void **state)
{
    fx *f = *state;
    ts_run r = run(
        f, (const char *[]){ "sources", "add", "https://36kr.com/feed", "--kind", "feed", NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);
    r = run(f, (const char *[]){ "sources", "add", "https://example.com/rss?q=昇腾", "--kind",
                                 "feed", "--pillar", "ascend", "--id", "gn-ascend", NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);
    r = run(f, (const char *[]){ "sources", "add", "javascript:alert(1)", "--kind", "feed", NULL });
    assert_int_equal(r.status, 1);
    ts_run_free(&r);
    r = run(f, (const char *[]){ "sources", "add", "ftp://example.com/x", "--kind", "feed", NULL });
    assert_int_equal(r.status, 1);
    ts_run_free(&r);

    char *opml = xasprintf("%s/out/sources.opml", f->dir);
    char *outdir = xasprintf("%s/out", f->dir);
    mkdir(outdir, 0700);
    r = run(f, (const char *[]){ "sources", "export-opml", "-o", opml, NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);

    r = run(f, (const char *[]){ "sources", "rm", "gn-ascend", NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);
    r = run(f, (const char *[]){ "sources", "rm", "gn-ascend", NULL });
    assert_int_equal(r.status, 1);
    ts_run_free(&r);

    r = run(f, (const char *[]){ "sources", "import-opml", opml, NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);

    json_t *j = run_json(f, (const char *[]){ "sources", "--json", NULL });
    json_t *s;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(j, "sources"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "id")), "gn-ascend") == 0) {
            found = 1;
            assert_string_equal(json_string_value(json_object_get(s, "pillar")), "ascend");
            assert_string_equal(json_string_value(json_object_get(s, "url")),
                                "https://example.com/rss?q=昇腾");
        }
        assert_true(json_is_object(json_object_get(s, "health")));
    }
    assert_true(found);
    json_decref(j);
    free(opml), free(outdir);
}

static void test_news_empty_and_damaged_cache(void **state)
{
    fx *f = *state;
    ts_run r = run(f, (const char *[]){ "news", "--pillar", "gpu", "--json", NULL });
    assert_int_equal(r.status, 0);
    json_t *j = json_loads(r.out, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "news")), 0);
    json_decref(j);
    ts_run_free(&r);

    char *bad = xasprintf("%s/bad.db", f->dir);
    ts_write_file(bad, "this is not a database, it is a shopping list\n");
    char *env = xasprintf("XCDASH_DB=%s", bad);
    const char *envp[] = { env, f->cfg_env, NULL };
    r = ts_xcdash((const char *[]){ "companies", NULL }, envp);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "damaged"));
    ts_run_free(&r);
    FILE *fp = fopen(bad, "r");
    char line[128];
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line, "this is not a database, it is a shopping list\n");
    free(env), free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_usage_errors_exit_2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help_matches_man_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_companies_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_company_and_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_news_empty_and_damaged_cache, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
