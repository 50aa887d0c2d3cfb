/*
 * test_opml.c — OPML import/export (fetch/opml.c) against the fixtures in
 * tests/fixtures/opml/: what real readers export, xcdash's own attributes,
 * round trips, and hostile documents (XXE, billion laughs, bad schemes,
 * oversized files). Fixtures are found under $XCDASH_SRC (the repository
 * root, set by tests/run.sh), else ".".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "fetch/fetch.h"
#include "tests/support/support.h"

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
    return ts_read_file(path, len);
}

/* Reads a fixture that must parse; returns the entries. */
static fetch_opml_entry *read_ok(const char *name, size_t *n, size_t *skipped)
{
    char *path = ts_fixture_path("opml", name);
    fetch_opml_entry *e = NULL;
    char *err = NULL;
    int rc = fetch_opml_read(path, &e, n, skipped, &err);
    if (rc != 0)
        fail_msg("%s: %s", name, err);
    free(path);
    return e;
}

/* Reads a fixture that must fail; returns the message (caller frees). */
static char *read_fail(const char *name)
{
    char *path = ts_fixture_path("opml", name);
    fetch_opml_entry *e = (fetch_opml_entry *)1;
    size_t n = 99, skipped = 99;
    char *err = NULL;
    assert_int_equal(fetch_opml_read(path, &e, &n, &skipped, &err), -1);
    assert_null(e);
    assert_int_equal(n, 0);
    assert_int_equal(skipped, 0);
    assert_non_null(err);
    /* Every message starts with the file's name. */
    assert_true(strncmp(err, path, strlen(path)) == 0);
    free(path);
    return err;
}

static const fetch_opml_entry *find(const fetch_opml_entry *e, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].url, url) == 0)
            return &e[i];
    fail_msg("no entry for %s", url);
    return NULL;
}

/* NULL-aware string equality for optional fields. */
static void assert_opt_string(const char *got, const char *want)
{
    if (want == NULL)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

static void assert_entry(const fetch_opml_entry *e, const char *title, const char *kind,
                         const char *pillar, const char *id)
{
    assert_opt_string(e->title, title);
    assert_opt_string(e->kind, kind);
    assert_opt_string(e->pillar, pillar);
    assert_opt_string(e->id, id);
}

/* No field of any entry, nor err, contains needle. */
static void assert_nowhere(const fetch_opml_entry *e, size_t n, const char *err, const char *needle)
{
    for (size_t i = 0; i < n; i++) {
        const char *f[] = { e[i].url, e[i].title, e[i].kind, e[i].pillar, e[i].id };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            assert_true(f[k] == NULL || strstr(f[k], needle) == NULL);
    }
    assert_true(err == NULL || strstr(err, needle) == NULL);
}

/* Writes entries to memory and returns the document. */
static char *write_mem(const fetch_opml_entry *e, size_t n, const char *title, size_t *len)
{
    char *doc = NULL;
    FILE *f = open_memstream(&doc, len);
    assert_non_null(f);
    char *err = NULL;
    int rc = fetch_opml_write(f, e, n, title, &err);
    if (rc != 0)
        fail_msg("write: %s", err);
    fclose(f);
    return doc;
}

/* ---- reading what others write ---- */

/* A typical reader's OPML 2.0: nested folders, type="rss", htmlUrl, a link outline. */
static void test_reader_opml20(void **state)
{
    (void)state;
    size_t n, skipped;
    fetch_opml_entry *e = read_ok("reader-2.0.opml", &n, &skipped);
    assert_int_equal(n, 6);
    assert_int_equal(skipped, 0); /* the type="link" outline has no xmlUrl: ignored, not skipped */

    /* Document order. */
    assert_string_equal(e[0].url, "https://example.com/mthreads/rss.xml");
    assert_string_equal(e[5].url, "https://news.ycombinator.com/rss");

    /* The folder named "gpu" is a pillar id: its feeds are in that pillar. */
    assert_entry(&e[0], "Moore Threads 摩尔线程", "feed", "gpu", NULL);
    assert_entry(find(e, n, "https://example.com/cambricon.xml?lang=zh&limit=50"), "Cambricon",
                 "feed", "gpu", NULL);
    /* Folders that name no pillar lend nothing. */
    assert_entry(find(e, n, "https://semianalysis.example/feed"), "SemiAnalysis", "feed", NULL,
                 NULL);
    /* "Models" names the pillar models (case-insensitively), nested two deep. */
    assert_entry(find(e, n, "http://example.org/deepseek.atom"), "DeepSeek news", "feed", "models",
                 NULL);
    /* URL trimmed; whitespace runs in the title become one space. */
    assert_entry(find(e, n, "https://example.org/kimi.rss"), "Kimi blog (Moonshot)", "feed",
                 "models", NULL);
    assert_entry(&e[5], "Hacker News", "feed", NULL, NULL);
    fetch_opml_free(e, n);
}

/* OPML 1.0 (Radio UserLand style): ISO-8859-1, title-only outline, xmlurl spelling. */
static void test_opml10(void **state)
{
    (void)state;
    size_t n, skipped;
    fetch_opml_entry *e = read_ok("opml-1.0.opml", &n, &skipped);
    assert_int_equal(n, 3);
    assert_int_equal(skipped, 0);
    assert_entry(&e[0], "CNET News.com", "feed", NULL, NULL);
    assert_string_equal(e[0].url, "http://news.com.com/2547-1_3-0-5.xml");
    /* No text attribute: the title attribute; Latin-1 é arrives as UTF-8. */
    assert_entry(&e[1], "Café Scripting News", "feed", NULL, NULL);
    /* Upper-case scheme accepted and kept as written. */
    assert_string_equal(e[2].url, "HTTP://www.wired.com/news_drop/netcenter/netcenterRss.xml");
    fetch_opml_free(e, n);
}

/* A document that declares GB18030 reads back as UTF-8. */
static void test_gb18030(void **state)
{
    (void)state;
    size_t n;
    fetch_opml_entry *e = read_ok("gb18030.opml", &n, NULL);
    assert_int_equal(n, 1);
    assert_entry(&e[0], "寒武纪 新闻", "feed", NULL, NULL);
    fetch_opml_free(e, n);
}

/* ---- xcdash's own attributes ---- */

static void test_xcdash_attributes(void **state)
{
    (void)state;
    size_t n, skipped;
    fetch_opml_entry *e = read_ok("xcdash.opml", &n, &skipped);
    assert_int_equal(n, 5);
    assert_int_equal(skipped, 0);
    assert_entry(&e[0], "昇腾社区", "feed", "ascend", "ascend-news");
    /* The attribute beats the enclosing folder. */
    assert_entry(&e[1], "Huawei on HF", "hf-models", "models", "hf-huawei");
    /* Pillar ids are canonicalised to lower case. */
    assert_entry(&e[2], "A-share quotes", "eastmoney-quotes", "gpu", "em-quotes");
    /* Any prefix bound to the namespace works. */
    assert_entry(&e[3], "Sugon chart", "yahoo-chart", "leasing", "yahoo-sugon");
    /* Values are trimmed; empty ones count as absent. */
    assert_entry(&e[4], "HN: Ascend", "hn-search", NULL, NULL);
    assert_string_equal(e[4].url, "https://hn.algolia.com/api/v1/search?query=ascend");
    fetch_opml_free(e, n);
}

/* xcdash:kind written without declaring the namespace still counts (and is not an error). */
static void test_undeclared_prefix(void **state)
{
    (void)state;
    size_t n;
    fetch_opml_entry *e = read_ok("undeclared-prefix.opml", &n, NULL);
    assert_int_equal(n, 1);
    assert_entry(&e[0], "HF Qwen", "hf-models", "models", NULL);
    fetch_opml_free(e, n);
}

/* ---- schemes and missing URLs ---- */

static void test_schemes_skipped(void **state)
{
    (void)state;
    size_t n, skipped;
    fetch_opml_entry *e = read_ok("schemes.opml", &n, &skipped);
    /* file, javascript, ftp, data, relative, no host, space, empty. */
    assert_int_equal(skipped, 8);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].url, "HTTPS://Example.COM/Feed.xml");
    assert_string_equal(e[1].url, "http://example.com/feed.xml");
    assert_nowhere(e, n, NULL, "file:");
    fetch_opml_free(e, n);

    /* skipped may be NULL. */
    e = read_ok("schemes.opml", &n, NULL);
    assert_int_equal(n, 2);
    fetch_opml_free(e, n);
}

static void test_missing_xmlurl_ignored(void **state)
{
    (void)state;
    static const char doc[] = "<opml version=\"2.0\"><body>"
                              "<outline text=\"folder\"><outline text=\"no url\"/></outline>"
                              "<outline text=\"link\" type=\"link\" url=\"https://example.com/\"/>"
                              "<outline text=\"feed\" xmlUrl=\"https://example.com/f\"/>"
                              "</body></opml>";
    fetch_opml_entry *e;
    size_t n, skipped;
    char *err = NULL;
    assert_int_equal(fetch_opml_parse(doc, strlen(doc), "mem", &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(skipped, 0);
    assert_entry(&e[0], "feed", "feed", NULL, NULL);
    fetch_opml_free(e, n);

    /* An OPML document without subscriptions is fine: zero entries. */
    e = read_ok("empty-body.opml", &n, &skipped);
    assert_int_equal(n, 0);
    assert_int_equal(skipped, 0);
    fetch_opml_free(e, n);
}

/* ---- hostile documents ---- */

/* External general entities: never loaded, in attributes nor in content. */
static void test_xxe(void **state)
{
    (void)state;
    /* In attributes an external entity is a well-formedness error. */
    char *err = read_fail("xxe.opml");
    assert_non_null(strstr(err, "xxe.opml:9:"));
    assert_non_null(strstr(err, "external entity"));
    assert_nowhere(NULL, 0, err, "root:");
    free(err);

    /* In element content the reference stays unexpanded; entries are clean. */
    size_t n;
    fetch_opml_entry *e = read_ok("xxe-content.opml", &n, NULL);
    assert_int_equal(n, 1);
    assert_entry(&e[0], "safe", "feed", NULL, NULL);
    assert_nowhere(e, n, NULL, "root:");
    fetch_opml_free(e, n);

    /* External DTD and parameter entities: not loaded either. */
    e = read_ok("xxe-parameter.opml", &n, NULL);
    assert_int_equal(n, 1);
    assert_entry(&e[0], "param", "feed", NULL, NULL);
    assert_nowhere(e, n, NULL, "root:");
    fetch_opml_free(e, n);
}

/* Exponential entity expansion fails quickly, in content and in attributes. */
static void test_billion_laughs(void **state)
{
    (void)state;
    static const char *const names[] = { "billion-laughs.opml", "billion-laughs-attr.opml" };
    for (size_t i = 0; i < 2; i++) {
        double t0 = ts_now();
        char *err = read_fail(names[i]);
        assert_true(ts_now() - t0 < 2.0);
        assert_non_null(strstr(err, "entity"));
        /* The line is the document's, not the entity's "line 1". */
        assert_non_null(strstr(err, i == 0 ? "billion-laughs.opml:15: " : "-attr.opml:17: "));
        free(err);
    }
}

/* User-defined internal entities in attributes stay literal text. */
static void test_internal_entity_unexpanded(void **state)
{
    (void)state;
    size_t n;
    fetch_opml_entry *e = read_ok("internal-entity.opml", &n, NULL);
    assert_int_equal(n, 1);
    /* Predefined entities and character references are resolved as usual. */
    assert_entry(&e[0], "&lol1; & 昇腾", "feed", NULL, NULL);
    assert_string_equal(e[0].url, "https://example.com/e.xml?a=1&b=&lol;");
    fetch_opml_free(e, n);
}

/* ---- errors ---- */

static void test_malformed_names_line(void **state)
{
    (void)state;
    char *err = read_fail("malformed.opml");
    assert_non_null(strstr(err, "malformed.opml:7: "));
    assert_null(strchr(err, '\n'));
    free(err);
}

static void test_not_opml(void **state)
{
    (void)state;
    char *err = read_fail("not-opml.xml");
    assert_non_null(strstr(err, "not-opml.xml:2: not an OPML document"));
    free(err);
    err = read_fail("no-body.opml");
    assert_non_null(strstr(err, "no-body.opml:2: "));
    assert_non_null(strstr(err, "<body>"));
    free(err);
}

static void test_empty_file(void **state)
{
    (void)state;
    char *err = read_fail("empty.opml");
    assert_non_null(strstr(err, "empty"));
    free(err);

    /* Whitespace only is malformed XML with a line. */
    fetch_opml_entry *e;
    size_t n;
    err = NULL;
    assert_int_equal(fetch_opml_parse("\n\n  ", 4, "blank.opml", &e, &n, NULL, &err), -1);
    assert_non_null(strstr(err, "blank.opml:"));
    free(err);
    /* err may be NULL. */
    assert_int_equal(fetch_opml_parse("", 0, "x", &e, &n, NULL, NULL), -1);
}

static void test_missing_file(void **state)
{
    (void)state;
    fetch_opml_entry *e;
    size_t n;
    char *err = NULL;
    assert_int_equal(fetch_opml_read("/nonexistent/dir/subs.opml", &e, &n, NULL, &err), -1);
    assert_string_equal(err, "/nonexistent/dir/subs.opml: No such file or directory");
    free(err);
}

/* Files over 16 MiB are refused (before reading when the size is known). */
static void test_huge_file_refused(void **state)
{
    (void)state;
    char path[] = "/tmp/xcdash-opml-huge-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)FETCH_OPML_MAX + 1), 0); /* sparse */
    close(fd);
    fetch_opml_entry *e;
    size_t n;
    char *err = NULL;
    assert_int_equal(fetch_opml_read(path, &e, &n, NULL, &err), -1);
    assert_non_null(strstr(err, "too large"));
    free(err);
    unlink(path);

    /* A stream of unknown size stops at the cap too. */
    err = NULL;
    assert_int_equal(fetch_opml_read("/dev/zero", &e, &n, NULL, &err), -1);
    assert_non_null(strstr(err, "/dev/zero: too large"));
    free(err);

    /* And so does a buffer. */
    char *big = xcalloc(FETCH_OPML_MAX + 1, 1);
    err = NULL;
    assert_int_equal(fetch_opml_parse(big, FETCH_OPML_MAX + 1, "big", &e, &n, NULL, &err), -1);
    assert_non_null(strstr(err, "big: too large"));
    free(err);
    free(big);
}

/* libxml2's diagnostics never reach stderr (curses owns the screen). */
static void test_no_stderr(void **state)
{
    (void)state;
    static const char *const names[] = { "malformed.opml", "bad-gbk.opml", "xxe.opml",
                                         "billion-laughs.opml", "undeclared-prefix.opml" };
    char path[] = "/tmp/xcdash-opml-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = ts_fixture_path("opml", names[i]);
        fetch_opml_entry *e = NULL;
        size_t n = 0;
        char *err = NULL;
        fetch_opml_read(p, &e, &n, NULL, &err);
        fetch_opml_free(e, n);
        free(err);
        free(p);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    assert_int_equal(size, 0);

    /* The encoding failure is still reported, with its line. */
    char *err = read_fail("bad-gbk.opml");
    assert_non_null(strstr(err, "bad-gbk.opml:"));
    free(err);
}

/* ---- writing ---- */

static fetch_opml_entry E(const char *url, const char *title, const char *kind, const char *pillar,
                          const char *id)
{
    fetch_opml_entry e = { (char *)url, (char *)title, (char *)kind, (char *)pillar, (char *)id };
    return e;
}

static void assert_same_entries(const fetch_opml_entry *a, size_t na, const fetch_opml_entry *b,
                                size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        const fetch_opml_entry *x = &a[i], *y = find(b, nb, a[i].url);
        assert_entry(y, x->title, x->kind, x->pillar, x->id);
    }
}

/* Every field survives write + read: Chinese, all five pillars, other kinds, ids. */
static void test_roundtrip(void **state)
{
    (void)state;
    const fetch_opml_entry in[] = {
        E("https://example.com/models.xml", "大模型 动态", "feed", "models", "models-news"),
        E("https://huggingface.co/api/models?author=deepseek-ai", "DeepSeek on HF", "hf-models",
          "models", "hf-deepseek"),
        E("https://example.com/gpu.xml", "GPU 芯片 新闻", "feed", "gpu", NULL),
        E("https://push2.eastmoney.com/api/qt/ulist.np/get?secids=1.688256&fields=f2,f3",
          "寒武纪 行情", "eastmoney-quotes", "gpu", "em-cambricon"),
        E("https://push2his.eastmoney.com/api/qt/stock/kline/get?secid=1.688041", "海光信息 K线",
          "eastmoney-kline", "cpu", "kline-hygon"),
        E("https://example.cn/ascend.rss", "昇腾产业链", "feed", "ascend", "ascend"),
        E("https://query1.finance.yahoo.com/v8/finance/chart/603019.SS", "中科曙光", "yahoo-chart",
          "leasing", "yahoo-sugon"),
        E("https://hn.algolia.com/api/v1/search?query=ascend&tags=story", "HN: Ascend", "hn-search",
          NULL, "hn-ascend"),
        E("https://example.com/untitled.xml", NULL, "feed", NULL, NULL),
        E("https://example.com/other.xml", "Other pillar", "feed", "robotics", "other"),
    };
    size_t nin = sizeof in / sizeof in[0], len;
    char *doc = write_mem(in, nin, "我的 sources", &len);

    fetch_opml_entry *out;
    size_t n, skipped;
    char *err = NULL;
    if (fetch_opml_parse(doc, len, "roundtrip", &out, &n, &skipped, &err) != 0)
        fail_msg("%s\n%s", err, doc);
    assert_int_equal(skipped, 0);
    assert_same_entries(in, nin, out, n);

    /* And again: the second export is byte-identical to the first. */
    size_t len2;
    char *doc2 = write_mem(out, n, "我的 sources", &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(doc, doc2, len);
    free(doc2);
    fetch_opml_free(out, n);
    free(doc);
}

/* The exact shape: one folder per pillar in canonical order, the rest last. */
static void test_write_golden(void **state)
{
    (void)state;
    const fetch_opml_entry in[] = {
        E("https://example.com/hn", "Hacker News", NULL, NULL, NULL),
        E("https://example.com/qwen", "Qwen", "hf-models", "models", "hf-qwen"),
        E("https://example.com/loongson", "龙芯中科", "feed", "cpu", "loongson"),
        E("https://example.com/mt", "摩尔线程", "feed", "gpu", NULL),
    };
    size_t len, glen;
    char *doc = write_mem(in, 4, NULL, &len);
    char *path = ts_fixture_path("opml", "expected-export.opml");
    char *golden = slurp(path, &glen);
    if (len != glen || memcmp(doc, golden, len) != 0)
        fail_msg("export differs from %s:\n%s", path, doc);
    free(golden);
    free(path);
    free(doc);
}

/* Attribute values are escaped; the result parses back to the same text. */
static void test_write_escaping(void **state)
{
    (void)state;
    const char *nasty = "\"<&>' 昇腾 \"910B\" <b>&amp;";
    const fetch_opml_entry in[] = {
        E("https://example.com/q?a=1&b=\"2\"&c=<3>", nasty, "feed", "ascend", "x&y"),
    };
    size_t len;
    char *doc = write_mem(in, 1, "Title with <tags> & \"quotes\"", &len);
    assert_non_null(strstr(doc, "text=\"&quot;&lt;&amp;&gt;' 昇腾 &quot;910B&quot; "
                                "&lt;b&gt;&amp;amp;\""));
    assert_non_null(strstr(doc, "xmlUrl=\"https://example.com/q?a=1&amp;b=&quot;2&quot;&amp;c="
                                "&lt;3&gt;\""));
    assert_non_null(strstr(doc, "<title>Title with &lt;tags&gt; &amp; &quot;quotes&quot;</title>"));

    fetch_opml_entry *out;
    size_t n;
    char *err = NULL;
    if (fetch_opml_parse(doc, len, "escaping", &out, &n, NULL, &err) != 0)
        fail_msg("%s\n%s", err, doc);
    assert_same_entries(in, 1, out, n);
    fetch_opml_free(out, n);
    free(doc);
}

/* Control characters and invalid UTF-8 never make the document unreadable. */
static void test_write_controls(void **state)
{
    (void)state;
    const fetch_opml_entry in[] = {
        E("https://example.com/c", "a\x1b[31mred\x01 \xff\xfe tab\there", "feed", NULL, NULL),
    };
    size_t len;
    char *doc = write_mem(in, 1, "t", &len);
    assert_null(strchr(doc, '\x1b'));
    assert_null(strchr(doc, '\x01'));
    assert_non_null(strstr(doc, "&#9;"));
    fetch_opml_entry *out;
    size_t n;
    char *err = NULL;
    if (fetch_opml_parse(doc, len, "controls", &out, &n, NULL, &err) != 0)
        fail_msg("%s\n%s", err, doc);
    assert_int_equal(n, 1);
    /* ESC and SOH dropped, bad bytes U+FFFD, tab folded into a space on import. */
    assert_string_equal(out[0].title, "a[31mred \xef\xbf\xbd\xef\xbf\xbd tab here");
    fetch_opml_free(out, n);
    free(doc);
}

static void test_write_errors(void **state)
{
    (void)state;
    const fetch_opml_entry ok[] = { E("https://example.com/a", "a", "feed", NULL, NULL) };
    char *err = NULL;

    /* A full disk is reported, not ignored. */
    FILE *f = fopen("/dev/full", "w");
    assert_non_null(f);
    assert_int_equal(fetch_opml_write(f, ok, 1, NULL, &err), -1);
    assert_non_null(strstr(err, "No space left"));
    free(err);
    fclose(f);

    /* An entry without a URL is refused before anything is written. */
    const fetch_opml_entry bad[] = { E("https://example.com/a", "a", NULL, NULL, NULL),
                                     E(NULL, "b", NULL, NULL, NULL) };
    char *doc = NULL;
    size_t len = 0;
    f = open_memstream(&doc, &len);
    assert_non_null(f);
    err = NULL;
    assert_int_equal(fetch_opml_write(f, bad, 2, NULL, &err), -1);
    assert_non_null(strstr(err, "source 2 has no URL"));
    free(err);
    fclose(f);
    assert_int_equal(len, 0);
    free(doc);

    /* Zero entries make a valid, empty document. */
    doc = write_mem(NULL, 0, NULL, &len);
    fetch_opml_entry *out;
    size_t n;
    assert_int_equal(fetch_opml_parse(doc, len, "empty", &out, &n, NULL, NULL), 0);
    assert_int_equal(n, 0);
    fetch_opml_free(out, n);
    free(doc);
    fetch_opml_free(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_opml20),
        cmocka_unit_test(test_opml10),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_xcdash_attributes),
        cmocka_unit_test(test_undeclared_prefix),
        cmocka_unit_test(test_schemes_skipped),
        cmocka_unit_test(test_missing_xmlurl_ignored),
        cmocka_unit_test(test_xxe),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_internal_entity_unexpanded),
        cmocka_unit_test(test_malformed_names_line),
        cmocka_unit_test(test_not_opml),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_huge_file_refused),
        cmocka_unit_test(test_no_stderr),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_write_golden),
        cmocka_unit_test(test_write_escaping),
        cmocka_unit_test(test_write_controls),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests_name("opml", tests, NULL, NULL);
}
