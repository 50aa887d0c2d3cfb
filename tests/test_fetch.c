/*
 * test_fetch.c — the fetch engine against a loopback HTTP server with fault
 * modes: each bad source records its own clear error, the good ones in the
 * same round succeed, and nothing already cached is lost or changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "fetch/fetch.h"
#include "store/private.h"
#include "tests/support/httpd.h"
#include "tests/support/support.h"

typedef struct seen {
    char *id, *error;
    int ok, not_modified, status;
    size_t added, updated;
} seen;

typedef struct fx {
    char *dir, *db;
    httpd *srv, *other;
    seen reports[64];
    size_t n;
} fx;

static int setup(void **state)
{
    fx *f = xcalloc(1, sizeof *f);
    f->dir = ts_tmpdir();
    store *st = ts_store(f->dir); /* creates the cache with the curated profiles */
    f->db = xstrdup(store_path(st));
    store_close(st);
    f->srv = httpd_start();
    f->other = httpd_start();
    assert_non_null(f->srv);
    assert_non_null(f->other);
    *state = f;
    return 0;
}

static void forget(fx *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->reports[i].id);
        free(f->reports[i].error);
    }
    f->n = 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    httpd_stop(f->srv);
    httpd_stop(f->other);
    forget(f);
    ts_rmrf(f->dir);
    free(f->dir), free(f->db), free(f);
    return 0;
}

static void on_report(void *ctx, const fetch_report *r)
{
    fx *f = ctx;
    assert_true(f->n < 64);
    seen *s = &f->reports[f->n++];
    s->id = xstrdup(r->source_id);
    s->error = r->error ? xstrdup(r->error) : NULL;
    s->ok = r->ok;
    s->not_modified = r->not_modified;
    s->status = r->http_status;
    s->added = r->written.added;
    s->updated = r->written.updated;
    /* TAP comments: what a user would read in `xcdash fetch --once` */
    printf("# %-12s %s %s\n", r->source_id, r->ok ? "ok" : "FAILED", r->error ? r->error : "");
}

static const seen *report(fx *f, const char *id)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->reports[i].id, id) == 0)
            return &f->reports[i];
    fail_msg("no report for %s", id);
    return NULL;
}

/* Adds a source served by srv at path. */
static void add_source(fx *f, httpd *srv, const char *id, const char *kind, const char *path)
{
    store *st;
    char *err = NULL;
    assert_int_equal(store_open(&st, f->db, 0, &err), 0);
    char *url = httpd_url(srv, path);
    store_source s = { .id = id, .kind = kind, .url = url, .enabled = 1, .interval_s = 600 };
    assert_int_equal(store_source_put(st, &s, &err), 0);
    free(url);
    store_close(st);
}

static void route(httpd *srv, const char *path, httpd_mode mode, int status, const char *ctype,
                  const char *body, size_t len, const char *headers)
{
    httpd_route r = { .path = path,
                      .mode = mode,
                      .status = status,
                      .content_type = ctype,
                      .body = body,
                      .body_len = len,
                      .headers = headers };
    httpd_route_add(srv, &r);
}

/* Runs one round over the named sources (all when ids is NULL); returns how many failed. */
static int fetch_once(fx *f, const char *const *ids, size_t n)
{
    fetch_config cfg;
    fetch_config_defaults(&cfg);
    cfg.timeout_s = 3;
    cfg.connect_timeout_s = 2;
    cfg.low_speed_s = 2;
    fetch_engine *e;
    char *err = NULL;
    if (fetch_engine_new(&e, f->db, &cfg, NULL, &err) != 0)
        fail_msg("engine: %s", err);
    forget(f);
    int failed = fetch_engine_once(e, ids, n, on_report, f, &err);
    fetch_engine_free(e);
    assert_true(failed >= 0);
    return failed;
}

static int64_t q1(fx *f, const char *sql)
{
    store *st;
    assert_int_equal(store_open(&st, f->db, 0, NULL), 0);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    store_close(st);
    return v;
}

static char *rss(const char *decl, int n, const char *title_prefix)
{
    core_buf b;
    core_buf_init(&b, 1 << 22);
    core_buf_printf(&b, "<?xml version=\"1.0\"%s?>\n<rss version=\"2.0\"><channel><title>t</title>",
                    decl);
    for (int i = 0; i < n; i++)
        core_buf_printf(&b,
                        "<item><title>%s %d</title><link>https://example.com/%s/%d</link>"
                        "<guid>%s-%d</guid><pubDate>Sat, 28 Nov 2026 10:%02d:00 +0800</pubDate>"
                        "</item>",
                        title_prefix, i, title_prefix, i, title_prefix, i, i % 60);
    core_buf_printf(&b, "</channel></rss>\n");
    return core_buf_take(&b);
}

/* UTF-8 text in another encoding (for GBK and UTF-16 fixtures). */
static char *encode(const char *to, const char *utf8, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inl = strlen(utf8), outl = inl * 4 + 16;
    char *out = xmalloc(outl), *o = out, *in = (char *)utf8;
    assert_true(iconv(cd, &in, &inl, &o, &outl) != (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(o - out);
    return out;
}

/* ---- tests ------------------------------------------------------------------- */

static void test_conditional_get(void **state)
{
    fx *f = *state;
    char *body = rss("", 5, "昇腾");
    route(f->srv, "/feed", HTTPD_CONDITIONAL, 0, "application/rss+xml", body, strlen(body), NULL);
    add_source(f, f->srv, "cond", "feed", "/feed");

    assert_int_equal(fetch_once(f, NULL, 0), 0);
    assert_int_equal(report(f, "cond")->added, 5);
    assert_int_equal(report(f, "cond")->status, 200);
    assert_true(q1(f, "SELECT etag IS NOT NULL AND last_modified IS NOT NULL FROM source") == 1);
    /* tagged on the way in: 昇腾 is Huawei's */
    assert_int_equal(q1(f, "SELECT count(*) FROM news_company WHERE company_id='huawei'"), 5);

    assert_int_equal(fetch_once(f, NULL, 0), 0);
    const seen *s = report(f, "cond");
    assert_true(s->ok && s->not_modified);
    assert_int_equal(s->status, 304);
    char *inm = httpd_last_header(f->srv, "/feed", "If-None-Match");
    assert_non_null(inm);
    free(inm);
    char *ua = httpd_last_header(f->srv, "/feed", "User-Agent");
    assert_non_null(strstr(ua, "xcdash/"));
    free(ua);
    /* the validators survive the 304 */
    assert_true(q1(f, "SELECT etag IS NOT NULL FROM source") == 1);
    assert_int_equal(q1(f, "SELECT count(*) FROM news"), 5);
    free(body);
}

static void test_update_keeps_read_and_starred(void **state)
{
    fx *f = *state;
    char *v1 = rss("", 3, "news");
    route(f->srv, "/u", HTTPD_OK, 0, "application/rss+xml", v1, strlen(v1), NULL);
    add_source(f, f->srv, "u", "feed", "/u");
    fetch_once(f, NULL, 0);
    store *st;
    assert_int_equal(store_open(&st, f->db, 0, NULL), 0);
    assert_int_equal(store_exec(st, "UPDATE news SET starred=1, read=1 WHERE guid='news-1'", NULL),
                     0);
    store_close(st);
    char *v2 = rss("", 3, "news");
    char *p = strstr(v2, "<title>news 1</title>");
    memcpy(p, "<title>NEWS 1</title>", 21); /* same guid, changed title */
    route(f->srv, "/u", HTTPD_OK, 0, "application/rss+xml", v2, strlen(v2), NULL);
    fetch_once(f, NULL, 0);
    assert_int_equal(report(f, "u")->updated, 1);
    assert_int_equal(report(f, "u")->added, 0);
    assert_int_equal(q1(f, "SELECT count(*) FROM news"), 3);
    assert_int_equal(q1(f, "SELECT starred + read FROM news WHERE guid='news-1' AND"
                           " title='NEWS 1'"),
                     2);
    free(v1), free(v2);
}

static void test_faults_stay_with_their_source(void **state)
{
    fx *f = *state;
    char *good = rss("", 4, "good");
    char *kept = rss("", 2, "kept");
    /* sources that fail this time had items before: those must survive untouched */
    route(f->srv, "/trunc", HTTPD_OK, 0, "application/rss+xml", kept, strlen(kept), NULL);
    add_source(f, f->srv, "truncated", "feed", "/trunc");
    fetch_once(f, NULL, 0);
    assert_int_equal(q1(f, "SELECT count(*) FROM news"), 2);

    char *half = rss("", 30, "half");
    route(f->srv, "/good", HTTPD_OK, 0, "application/rss+xml", good, strlen(good), NULL);
    route(f->srv, "/trunc", HTTPD_TRUNCATE, 0, "application/rss+xml", half, strlen(half), NULL);
    route(f->srv, "/chunk", HTTPD_CHUNKED_CUT, 0, "application/rss+xml", half, strlen(half), NULL);
    route(f->srv, "/e500", HTTPD_OK, 500, "text/html", "oops", 4, NULL);
    route(f->srv, "/e503", HTTPD_OK, 503, "text/html", "busy", 4, "Retry-After: 7200\r\n");
    route(f->srv, "/e429", HTTPD_OK, 429, "text/plain", "slow down", 9, "Retry-After: 60\r\n");
    route(f->srv, "/stall", HTTPD_STALL, 0, "application/rss+xml", half, strlen(half), NULL);
    httpd_route drip = { .path = "/drip",
                         .mode = HTTPD_DRIP,
                         .content_type = "text/xml",
                         .body = good,
                         .body_len = strlen(good),
                         .drip_bytes = 200,
                         .drip_ms = 20 };
    httpd_route_add(f->srv, &drip);
    httpd_route loop = { .path = "/loop", .mode = HTTPD_REDIRECT, .location = "/loop" };
    httpd_route_add(f->srv, &loop);
    httpd_route tofile = { .path = "/tofile",
                           .mode = HTTPD_REDIRECT,
                           .location = "file:///etc/passwd" };
    httpd_route_add(f->srv, &tofile);
    char *elsewhere = httpd_url(f->other, "/moved");
    httpd_route toport = { .path = "/toport", .mode = HTTPD_REDIRECT, .location = elsewhere };
    httpd_route_add(f->srv, &toport);
    route(f->other, "/moved", HTTPD_OK, 0, "application/rss+xml", good, strlen(good), NULL);
    route(f->srv, "/ctype", HTTPD_OK, 0, "image/png", good, strlen(good), NULL);
    route(f->srv, "/endless", HTTPD_ENDLESS, 0, "application/rss+xml", NULL, 0, NULL);
    httpd_route bomb = { .path = "/bomb",
                         .mode = HTTPD_GZIP_BOMB,
                         .content_type = "application/rss+xml",
                         .bomb_bytes = (size_t)64 << 20 };
    httpd_route_add(f->srv, &bomb);
    route(f->srv, "/html", HTTPD_OK, 0, "text/html", "<html><body>hi</body></html>", 28, NULL);
    static const char xxe[] =
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<rss version=\"2.0\"><channel><item><title>leak &x; here</title><guid>x1</guid>"
        "</item></channel></rss>";
    route(f->srv, "/xxe", HTTPD_OK, 0, "application/rss+xml", xxe, strlen(xxe), NULL);
    static const char lol[] =
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"lolololololololololol\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
        "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e "
        "\"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g "
        "\"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i "
        "\"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>"
        "<rss version=\"2.0\"><channel><item><title>lol &i;</title><guid>l1</guid></item>"
        "</channel></rss>";
    route(f->srv, "/lol", HTTPD_OK, 0, "application/rss+xml", lol, strlen(lol), NULL);
    core_buf deep;
    core_buf_init(&deep, 1 << 20);
    for (int i = 0; i < 100000; i++)
        core_buf_add(&deep, "[", 1);
    route(f->srv, "/deep", HTTPD_OK, 0, "application/json", deep.data, deep.len, NULL);
    core_buf_free(&deep);

    static const struct {
        const char *id, *kind, *path;
        int ok;
        const char *error; /* a word the error must contain */
    } cases[] = {
        { "good", "feed", "/good", 1, NULL },
        { "truncated", "feed", "/trunc", 0, "ransfer" },
        { "chunked", "feed", "/chunk", 0, "" },
        { "e500", "feed", "/e500", 0, "HTTP 500" },
        { "e503", "feed", "/e503", 0, "HTTP 503" },
        { "e429", "feed", "/e429", 0, "HTTP 429" },
        { "stall", "feed", "/stall", 0, "" },
        { "drip", "feed", "/drip", 1, NULL },
        { "loop", "feed", "/loop", 0, "edirect" },
        { "tofile", "feed", "/tofile", 0, "" },
        { "toport", "feed", "/toport", 1, NULL },
        { "ctype", "feed", "/ctype", 1, NULL },
        { "endless", "feed", "/endless", 0, "cap" },
        { "bomb", "feed", "/bomb", 0, "cap" },
        { "html", "feed", "/html", 0, "feed" },
        { "deep", "hn-search", "/deep", 0, "" },
        { "xxe", "feed", "/xxe", 1, NULL }, /* stored, with the entity left unexpanded */
        { "lol", "feed", "/lol", 1, NULL }, /* likewise: no billion laughs */
        { "missing", "feed", "/nope", 0, "HTTP 404" },
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i].id, "truncated") != 0)
            add_source(f, f->srv, cases[i].id, cases[i].kind, cases[i].path);

    int failed = fetch_once(f, NULL, 0);
    int want_failed = 0;
    for (size_t i = 0; i < n; i++) {
        const seen *s = report(f, cases[i].id);
        want_failed += !cases[i].ok;
        if (s->ok != cases[i].ok)
            fail_msg("%s: ok=%d, wanted %d (%s)", cases[i].id, s->ok, cases[i].ok,
                     s->error ? s->error : "");
        if (cases[i].error != NULL) {
            assert_non_null(s->error);
            if (strstr(s->error, cases[i].error) == NULL)
                fail_msg("%s: error '%s' lacks '%s'", cases[i].id, s->error, cases[i].error);
        }
    }
    assert_int_equal(failed, want_failed);
    /* neither the file behind the redirect nor the external entity was ever read, and no
     * entity was expanded */
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE title LIKE '%root:%'"), 0);
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE source_id IN ('xxe', 'lol')"), 2);
    assert_true(q1(f, "SELECT max(length(title)) FROM news WHERE source_id='lol'") < 100);
    /* what the failing source had is still there, unchanged */
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE source_id='truncated'"), 2);
    /* health: errors recorded per source, Retry-After honoured */
    assert_int_equal(q1(f, "SELECT failures FROM source WHERE id='e503'"), 1);
    assert_true(q1(f, "SELECT next_due - last_attempt FROM source WHERE id='e503'") >= 7200);
    assert_int_equal(q1(f, "SELECT http_status FROM source WHERE id='e429'"), 429);
    assert_int_equal(q1(f, "SELECT count(*) FROM source WHERE id='good' AND last_error IS NULL"
                           " AND last_success > 0"),
                     1);
    /* a good feed reached through another port, a drip and a wrong type all landed */
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE source_id IN ('good','drip',"
                           "'toport','ctype')"),
                     4); /* the same four stories: deduplicated by URL across sources */
    free(good), free(kept), free(half), free(elsewhere);
}

static void test_encodings_over_http(void **state)
{
    fx *f = *state;
    size_t gl, ul, xl;
    char *utf8 = rss("", 2, "昇腾芯片");
    char *gbk_body = encode("GBK", utf8, &gl);
    char *xml_decl = rss(" encoding=\"GBK\"", 2, "寒武纪");
    char *gbk_decl = encode("GBK", xml_decl, &xl);
    char *u16src = rss("", 2, "曙光");
    char *bom = xasprintf("\xef\xbb\xbf%s", u16src);
    char *u16 = encode("UTF-16LE", bom, &ul);
    route(f->srv, "/gbk-header", HTTPD_OK, 0, "application/xml; charset=GBK", gbk_body, gl, NULL);
    route(f->srv, "/gbk-xml", HTTPD_OK, 0, "application/xml", gbk_decl, xl, NULL);
    route(f->srv, "/utf16", HTTPD_OK, 0, "application/xml", u16, ul, NULL);
    char bad[] = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>bad \xff\xfe"
                 " bytes</title><guid>b1</guid></item></channel></rss>";
    route(f->srv, "/badutf8", HTTPD_OK, 0, "application/xml", bad, strlen(bad), NULL);
    add_source(f, f->srv, "gbk-header", "feed", "/gbk-header");
    add_source(f, f->srv, "gbk-xml", "feed", "/gbk-xml");
    add_source(f, f->srv, "utf16", "feed", "/utf16");
    add_source(f, f->srv, "badutf8", "feed", "/badutf8");
    assert_int_equal(fetch_once(f, NULL, 0), 0);
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE title LIKE '昇腾芯片%'"), 2);
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE title LIKE '寒武纪%'"), 2);
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE title LIKE '曙光%'"), 2);
    assert_int_equal(q1(f, "SELECT count(*) FROM news WHERE title LIKE 'bad %' AND"
                           " instr(title, char(65533)) > 0"),
                     1);
    free(utf8), free(gbk_body), free(xml_decl), free(gbk_decl), free(u16src), free(bom);
    free(u16);
}

static void test_host_limit_and_lock(void **state)
{
    fx *f = *state;
    char *body = rss("", 1, "slow");
    httpd_route drip = { .path = "/slow",
                         .mode = HTTPD_DRIP,
                         .content_type = "text/xml",
                         .body = body,
                         .body_len = strlen(body),
                         .drip_bytes = 64,
                         .drip_ms = 10 };
    httpd_route_add(f->srv, &drip);
    for (int i = 0; i < 6; i++) {
        char id[16], path[32];
        snprintf(id, sizeof id, "slow%d", i);
        snprintf(path, sizeof path, "/slow?n=%d", i);
        add_source(f, f->srv, id, "feed", path);
    }
    /* only one process fetches into a cache */
    fetch_engine *holder, *second;
    int busy = 0;
    char *err = NULL;
    assert_int_equal(fetch_engine_new(&holder, f->db, NULL, NULL, &err), 0);
    assert_int_equal(fetch_engine_new(&second, f->db, NULL, &busy, &err), -1);
    assert_true(busy);
    assert_non_null(strstr(err, "already fetching"));
    free(err);
    fetch_engine_free(holder);

    assert_int_equal(fetch_once(f, NULL, 0), 0);
    assert_true(httpd_max_concurrent(f->srv) <= 2);
    assert_true(httpd_max_concurrent(f->srv) >= 1);
    /* a named source alone, and an unknown name refused */
    assert_int_equal(fetch_once(f, (const char *[]){ "slow3" }, 1), 0);
    assert_int_equal(f->n, 1);
    fetch_engine *e;
    assert_int_equal(fetch_engine_new(&e, f->db, NULL, NULL, &err), 0);
    assert_int_equal(fetch_engine_once(e, (const char *[]){ "nope" }, 1, NULL, NULL, &err), -1);
    assert_non_null(strstr(err, "nope"));
    free(err);
    fetch_engine_free(e);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_conditional_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_keeps_read_and_starred, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults_stay_with_their_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encodings_over_http, setup, teardown),
        cmocka_unit_test_setup_teardown(test_host_limit_and_lock, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
