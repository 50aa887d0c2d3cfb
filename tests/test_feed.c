/*
 * test_feed.c — the feed adapter (fetch/feed.c) against the fixtures in
 * tests/fixtures/feed/: the shapes xcdash reads (Google News RSS, GitHub
 * Atom, Chinese RSS in GBK/GB18030/Big5, RSS 0.91, RDF, Atom 0.3), every
 * encoding path, HTML-to-text, links and fallbacks, and hostile documents
 * (XXE, billion laughs, non-feeds, 10,001 items, mutated bytes). Fixtures
 * are found under $XCDASH_SRC (the repository root, set by tests/run.sh),
 * else ".". T0 is 2026-11-28T07:04:05Z (15:04:05 in Beijing).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "fetch/fetch.h"
#include "tests/support/support.h"

#define T0 INT64_C(1795849445)

/* ---- helpers ---- */

static char *slurp(const char *name, size_t *len)
{
    char *path = ts_fixture_path("feed", name);
    char *data = ts_read_file(path, len);
    free(path);
    return data;
}

/* Every string of every item is valid UTF-8 without C0 controls; guid and title are set. */
static void assert_clean_items(const fetch_result *r)
{
    for (size_t i = 0; i < r->n_items; i++) {
        const store_item *it = &r->items[i];
        assert_non_null(it->guid);
        assert_non_null(it->title);
        assert_true(it->guid[0] != '\0');
        assert_true(it->title[0] != '\0');
        const char *f[] = { it->guid, it->url, it->title, it->summary, it->author };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
            if (f[k] == NULL)
                continue;
            size_t n = strlen(f[k]);
            for (size_t j = 0; j < n;) {
                uint32_t cp;
                size_t used = core_utf8_decode(f[k] + j, n - j, &cp);
                if (used == 1 && cp == CORE_REPLACEMENT)
                    fail_msg("invalid UTF-8 in \"%s\"", f[k]);
                if (cp < 0x20)
                    fail_msg("control character in \"%s\"", f[k]);
                j += used;
            }
        }
        if (it->url != NULL)
            assert_true(strncasecmp(it->url, "http://", 7) == 0 ||
                        strncasecmp(it->url, "https://", 8) == 0);
    }
}

/* Parses bytes; returns fetch_parse_feed's result with *err (caller frees). */
static int parse_mem(const char *body, size_t len, const char *content_type, const char *url,
                     fetch_result *r, char **err)
{
    fetch_response resp = { body, len, content_type, url, 200 };
    fetch_result_init(r);
    *err = NULL;
    int rc = fetch_parse_feed(&resp, r, err);
    if (rc == 0) {
        assert_null(*err);
        assert_clean_items(r);
    } else {
        assert_int_equal(rc, -1);
        assert_non_null(*err);
        assert_int_equal(r->n_items, 0);
    }
    return rc;
}

/* Parses a fixture that must parse. */
static void parse_ok(const char *name, const char *content_type, const char *url, fetch_result *r)
{
    size_t len;
    char *body = slurp(name, &len);
    char *err = NULL;
    if (parse_mem(body, len, content_type, url, r, &err) != 0)
        fail_msg("%s: %s", name, err);
    free(body);
}

/* Parses a fixture that must fail; returns the message (caller frees). */
static char *parse_fail(const char *name)
{
    size_t len;
    char *body = slurp(name, &len);
    fetch_result r;
    char *err = NULL;
    if (parse_mem(body, len, NULL, "https://example.com/", &r, &err) == 0)
        fail_msg("%s parsed", name);
    fetch_result_free(&r);
    free(body);
    return err;
}

static const store_item *by_guid(const fetch_result *r, const char *guid)
{
    for (size_t i = 0; i < r->n_items; i++)
        if (strcmp(r->items[i].guid, guid) == 0)
            return &r->items[i];
    fail_msg("no item with guid %s", guid);
    return NULL;
}

static void assert_opt(const char *got, const char *want)
{
    if (want == NULL) {
        if (got != NULL)
            fail_msg("expected NULL, got \"%s\"", got);
    } else {
        if (got == NULL)
            fail_msg("expected \"%s\", got NULL", want);
        assert_string_equal(got, want);
    }
}

/* No string of any item (nor err) contains needle. */
static void assert_nowhere(const fetch_result *r, const char *err, const char *needle)
{
    for (size_t i = 0; r != NULL && i < r->n_items; i++) {
        const store_item *it = &r->items[i];
        const char *f[] = { it->guid, it->url, it->title, it->summary, it->author };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            if (f[k] != NULL && strstr(f[k], needle) != NULL)
                fail_msg("\"%s\" found in \"%s\"", needle, f[k]);
    }
    assert_true(err == NULL || strstr(err, needle) == NULL);
}

/* ---- formats ---- */

/* Google News: <link> is the news.google.com redirect, <source url> the publisher. */
static void test_rss20_google_news(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("google-news.xml", "application/rss+xml; charset=utf-8",
             "https://news.google.com/rss/search?q=%E6%98%87%E8%85%BE", &r);
    assert_int_equal(r.n_items, 2);
    const store_item *a = &r.items[0];
    assert_string_equal(a->guid, "CBMiWkFVX3lxTE1hYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk");
    assert_string_equal(a->url,
                        "https://news.google.com/rss/articles/"
                        "CBMiWkFVX3lxTE1hYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk?oc=5");
    assert_string_equal(a->title, "华为昇腾 910C 量产提速 - 新浪财经");
    /* Link, &nbsp;&nbsp; and the grey source name become plain words. */
    assert_string_equal(a->summary, "华为昇腾 910C 量产提速 新浪财经");
    /* No author element: the <source> names the publisher. */
    assert_string_equal(a->author, "新浪财经");
    assert_int_equal(a->published, T0);
    assert_int_equal(a->updated, 0);
    /* A cluster: <ol><li> items become words apart. */
    const store_item *b = &r.items[1];
    assert_string_equal(b->summary,
                        "Cambricon shares jump on new accelerator Reuters China AI chips rally "
                        "Bloomberg");
    assert_int_equal(b->published, T0 - 8 * 3600);
    assert_string_equal(b->author, "Reuters");
    fetch_result_free(&r);
}

/* RSS 0.91 with the Netscape DTD (never loaded): its HTML entities still read. */
static void test_rss091(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("rss-0.91.xml", NULL, "http://www.scripting.com/rss.xml", &r);
    assert_int_equal(r.n_items, 2);
    /* No guid: the link is the guid. */
    const store_item *a = by_guid(&r, "http://www.scripting.com/2026/11/28.html#a1");
    assert_string_equal(a->title, "Café & Crème");
    assert_string_equal(a->summary, "Dave's café: bold news…");
    assert_int_equal(a->published, 0);
    assert_null(a->author);
    /* ISO-8859-1 from the declaration. */
    const store_item *b = by_guid(&r, "http://www.scripting.com/2026/11/28.html#a2");
    assert_string_equal(b->title, "Latin-1 byte: café");
    assert_null(b->summary);
    fetch_result_free(&r);
}

/* RSS 1.0: items outside <channel>, rdf:about guids, Dublin Core. */
static void test_rdf(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("rss-1.0.rdf", NULL, "https://www.example.cn/rss", &r);
    assert_int_equal(r.n_items, 2);
    const store_item *a = &r.items[0];
    assert_string_equal(a->guid, "https://www.example.cn/a/1");
    assert_string_equal(a->url, "https://www.example.cn/a/1");
    assert_string_equal(a->title, "寒武纪发布思元 590");
    assert_string_equal(a->summary, "寒武纪 新品");
    assert_string_equal(a->author, "张三");
    assert_int_equal(a->published, T0);
    const store_item *b = &r.items[1];
    assert_string_equal(b->guid, "urn:x-example:2");
    assert_null(b->url);
    assert_int_equal(b->published, T0);
    fetch_result_free(&r);
}

/* GitHub releases.atom: xml:base, relative links, html and xhtml text, <source> ignored. */
static void test_atom10_github(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("github-releases.atom", "application/atom+xml; charset=utf-8",
             "https://github.com/deepseek-ai/DeepSeek-V3/releases.atom", &r);
    assert_int_equal(r.n_items, 3);

    const store_item *a = by_guid(&r, "tag:github.com,2008:Repository/914130417/v3.2");
    /* Relative to the feed's xml:base="https://github.com/". */
    assert_string_equal(a->url, "https://github.com/deepseek-ai/DeepSeek-V3/releases/tag/v3.2");
    assert_string_equal(a->title, "v3.2");
    assert_string_equal(a->summary, "What's Changed Ascend & CANN support by @alice");
    assert_string_equal(a->author, "deepseek-bot");
    /* Only <updated>: it is also the published date. */
    assert_int_equal(a->published, T0);
    assert_int_equal(a->updated, T0);

    const store_item *b = by_guid(&r, "tag:github.com,2008:Repository/914130417/v3.1");
    /* Relative to the entry's own xml:base; the enclosure link is not the link. */
    assert_string_equal(b->url, "https://github.com/deepseek-ai/DeepSeek-V3/releases/tag/v3.1");
    assert_string_equal(b->title, "v3.1 hotfix"); /* type="html" */
    /* type="text" is literal; the summary wins over the full content. */
    assert_string_equal(b->summary, "Fixes <tokenizer> edge cases");
    assert_string_equal(b->author, "bob");               /* not <source>'s author */
    assert_int_equal(b->published, INT64_C(1795053600)); /* 2026-11-19T02:00:00Z */
    assert_int_equal(b->updated, INT64_C(1795140000));

    const store_item *c = by_guid(&r, "tag:github.com,2008:Repository/914130417/v3.0");
    assert_string_equal(c->url, "https://github.com/deepseek-ai/DeepSeek-V3/releases/tag/v3.0");
    /* XHTML: elements part words, <script> and <style> vanish, &#160; folds. */
    assert_string_equal(c->title, "v3.0 initial");
    assert_string_equal(c->summary, "Line one Line two");
    assert_null(c->author);
    assert_nowhere(&r, NULL, "Mirror");
    assert_nowhere(&r, NULL, "mirror-author");
    assert_nowhere(&r, NULL, "evil");
    fetch_result_free(&r);
}

/* Atom 0.3: issued/modified/created, mode="escaped", base64 content skipped. */
static void test_atom03(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("atom-0.3.xml", NULL, "http://old.example.com/atom.xml", &r);
    assert_int_equal(r.n_items, 2);
    const store_item *a = by_guid(&r, "tag:old.example.com,2026:gold");
    assert_string_equal(a->title, "Old & gold");
    assert_string_equal(a->url, "http://old.example.com/2026/11/28/gold");
    assert_string_equal(a->summary, "Escaped HTML");
    assert_string_equal(a->author, "Carol");
    assert_int_equal(a->published, T0);      /* issued */
    assert_int_equal(a->updated, T0 + 3600); /* modified */
    const store_item *b = by_guid(&r, "tag:old.example.com,2026:b64");
    assert_string_equal(b->summary, "Plain summary <not a tag>");
    assert_null(b->url);
    assert_int_equal(b->published, T0);
    fetch_result_free(&r);
}

/* CDATA with HTML: tags, script, style, comments, entities, block tags. */
static void test_cdata_html(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("cdata-html.xml", "text/xml", "https://www.ithome.com/rss/", &r);
    assert_int_equal(r.n_items, 2);
    const store_item *a = &r.items[0];
    assert_string_equal(a->title, "摩尔线程 MTT S5000 发布");
    assert_string_equal(a->summary,
                        "IT之家 11 月 28 日消息，摩尔线程今日发布 MTT S5000。 第二段 换行 "
                        "<tag> © 2026 — 昇腾 &unknown; AT&T");
    /* The shorter description, not content:encoded. */
    assert_nowhere(&r, NULL, "should not be used");
    /* "email (Name)" names the author. */
    assert_string_equal(a->author, "编辑 小王");
    assert_int_equal(a->published, T0);
    const store_item *b = &r.items[1];
    assert_string_equal(b->title, "Only content here");
    assert_string_equal(b->summary, "Body with spaces and more");
    assert_string_equal(b->author, "李四");
    fetch_result_free(&r);
}

/* ---- encodings ---- */

/* GBK named only by the HTTP header: without it the bytes are not UTF-8. */
static void test_gbk_http_charset(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("gbk-http-charset.xml", "application/rss+xml; charset=GBK", NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "寒武纪：思元芯片出货量增长");
    /* 镕 is GBK-only; a lone lead byte (0x81) becomes U+FFFD and decoding goes on. */
    assert_string_equal(r.items[0].summary, "国产算力 朱镕基 坏\xef\xbf\xbd 字");
    /* No zone: Beijing time. */
    assert_int_equal(r.items[0].published, T0);
    fetch_result_free(&r);

    /* Quoted, upper-case parameter name, other parameters around it. */
    parse_ok("gbk-http-charset.xml", "application/xml; CHARSET=\"gb2312\"; foo=bar", NULL, &r);
    assert_string_equal(r.items[0].title, "寒武纪：思元芯片出货量增长");
    fetch_result_free(&r);

    /* Without the header: UTF-8, so replacement characters and no crash. */
    parse_ok("gbk-http-charset.xml", "application/rss+xml", NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_non_null(strstr(r.items[0].title, "\xef\xbf\xbd"));
    assert_null(strstr(r.items[0].title, "寒武纪"));
    fetch_result_free(&r);
}

static void test_gbk_declared(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("gbk-declared.xml", "text/xml", NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "寒武纪：思元芯片出货量增长");
    assert_string_equal(r.items[0].summary, "国产算力 朱镕基 坏\xef\xbf\xbd 字");
    fetch_result_free(&r);
}

/* Declared GB2312, holding characters only GBK has: decoded as GB18030. */
static void test_gb2312_gbk_chars(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("gb2312-with-gbk-chars.xml", NULL, NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "朱镕基 陶喆 王堃");
    assert_string_equal(r.items[0].summary, "国标 GB2312 声明，GBK 字符");
    /* "g1" is not a link, even as a permalink guid. */
    assert_null(r.items[0].url);
    fetch_result_free(&r);
}

static void test_big5(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("big5.xml", NULL, NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "臺灣半導體 輝達 晶片");
    assert_string_equal(r.items[0].summary, "繁體中文摘要");
    fetch_result_free(&r);
}

static void test_utf16le_bom(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("utf16le-bom.xml", NULL, NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "燧原科技 UTF-16LE 𠀀"); /* a surrogate pair */
    assert_string_equal(r.items[0].summary, "带 BOM 的小端");
    fetch_result_free(&r);
    /* The BOM beats a wrong HTTP charset. */
    parse_ok("utf16le-bom.xml", "text/xml; charset=gbk", NULL, &r);
    assert_string_equal(r.items[0].title, "燧原科技 UTF-16LE 𠀀");
    fetch_result_free(&r);
}

static void test_utf16be_nobom(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("utf16be-nobom.xml", NULL, NULL, &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "壁仞科技 UTF-16BE");
    assert_string_equal(r.items[0].summary, "无 BOM 的大端");
    fetch_result_free(&r);
}

/* Invalid UTF-8: U+FFFD per maximal ill-formed subpart; NUL, controls, U+FFFE dropped. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("invalid-utf8.xml", NULL, NULL, &r);
    assert_int_equal(r.n_items, 1);
    /* a FF b E6-98 c NUL d 01 e EF-BF-BE f ED-A0-80 g */
    assert_string_equal(r.items[0].title, "a\xef\xbf\xbd"
                                          "b\xef\xbf\xbd"
                                          "cdef\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                          "g");
    /* A truncated sequence at the end of a text node. */
    assert_string_equal(r.items[0].summary, "昇腾\xef\xbf\xbd");
    fetch_result_free(&r);

    /* Invalid UTF-16 (a lone surrogate) and a truncated last unit. */
    static const char u16[] =
        "\xff\xfe<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0<\0i\0t\0e\0m\0>\0"
        "<\0t\0i\0t\0l\0e\0>\0x\0\x00\xd8y\0<\0/\0t\0i\0t\0l\0e\0>\0"
        "<\0/\0i\0t\0e\0m\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0<\0/\0r\0s\0s\0>\0!";
    char *err = NULL;
    assert_int_equal(parse_mem(u16, sizeof u16 - 1, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "x\xef\xbf\xbdy");
    fetch_result_free(&r);
}

/* The HTTP charset beats the XML declaration (which says ISO-8859-1 here). */
static void test_http_overrides_declaration(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("http-overrides-decl.xml", "text/xml; charset=gbk", NULL, &r);
    assert_string_equal(r.items[0].title, "海光信息 深算");
    fetch_result_free(&r);
    /* Without it, the declaration rules: Latin-1 mojibake, as the document asked. */
    parse_ok("http-overrides-decl.xml", "text/xml", NULL, &r);
    assert_string_not_equal(r.items[0].title, "海光信息 深算");
    fetch_result_free(&r);
    /* An unknown HTTP charset falls through to the declaration. */
    parse_ok("gbk-declared.xml", "text/xml; charset=x-no-such-charset", NULL, &r);
    assert_string_equal(r.items[0].title, "寒武纪：思元芯片出货量增长");
    fetch_result_free(&r);
    /* A UTF-16 label on bytes that are not UTF-16 cannot be right: ignored. */
    parse_ok("cdata-html.xml", "text/xml; charset=UTF-16", NULL, &r);
    assert_string_equal(r.items[0].title, "摩尔线程 MTT S5000 发布");
    fetch_result_free(&r);
    /* A UTF-8 BOM beats the HTTP charset. */
    static const char bom[] = "\xef\xbb\xbf<rss><channel><item><title>昇腾</title><guid>b</guid>"
                              "</item></channel></rss>";
    char *err = NULL;
    assert_int_equal(parse_mem(bom, sizeof bom - 1, "text/xml; charset=big5", NULL, &r, &err), 0);
    assert_string_equal(r.items[0].title, "昇腾");
    fetch_result_free(&r);
}

/* ---- hostile documents ---- */

static void test_xxe(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("xxe.xml", NULL, "https://example.com/", &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "before after");
    assert_null(r.items[0].summary);
    assert_null(r.items[0].author);
    assert_nowhere(&r, NULL, "root:");
    fetch_result_free(&r);

    parse_ok("xxe-parameter.xml", NULL, "https://example.com/", &r);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "param");
    assert_string_equal(r.items[0].summary, "safe");
    assert_nowhere(&r, NULL, "root:");
    fetch_result_free(&r);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    double t0 = ts_now();
    fetch_result r;
    parse_ok("billion-laughs.xml", NULL, "https://example.com/", &r);
    assert_true(ts_now() - t0 < 2.0);
    getrusage(RUSAGE_SELF, &after);
    assert_true(after.ru_maxrss - before.ru_maxrss < 64 * 1024); /* KiB: no expansion */
    /* The references are left out, never expanded. */
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].title, "laughs");
    assert_null(r.items[0].summary);
    assert_nowhere(&r, NULL, "lol");
    fetch_result_free(&r);
}

static void test_not_a_feed(void **state)
{
    (void)state;
    char *err = parse_fail("html-page.html");
    assert_string_equal(err, "not a feed (root element <html>)");
    free(err);
    /* An HTML page libxml2 gives up on before its root element. */
    err = parse_fail("html-sloppy.html");
    assert_string_equal(err, "not a feed (root element <html>)");
    free(err);

    static const struct {
        const char *body, *want;
    } cases[] = {
        { "{\"hits\": [{\"title\": \"x\"}]}", "not a feed (a JSON document)" },
        { "  [1, 2]", "not a feed (a JSON document)" },
        { "<?xml version=\"1.0\"?><opml version=\"2.0\"><body/></opml>",
          "not a feed (root element <opml>)" },
        { "<x:feed xmlns:x=\"urn:other\"/>", "not a feed (root element <x:feed>)" },
        { "<!-- c --><!DOCTYPE svg><svg/>", "not a feed (root element <svg>)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fetch_result r;
        assert_int_equal(parse_mem(cases[i].body, strlen(cases[i].body), NULL, NULL, &r, &err), -1);
        assert_string_equal(err, cases[i].want);
        free(err);
        fetch_result_free(&r);
    }
    /* Plain text: the XML error, with its line. */
    fetch_result r;
    assert_int_equal(parse_mem("hello\nworld", 11, NULL, NULL, &r, &err), -1);
    assert_non_null(strstr(err, "not a feed (malformed XML, line 1: "));
    free(err);
    fetch_result_free(&r);
    /* err may be NULL. */
    fetch_response resp = { "{}", 2, NULL, NULL, 200 };
    fetch_result_init(&r);
    assert_int_equal(fetch_parse_feed(&resp, &r, NULL), -1);
    fetch_result_free(&r);
}

static void test_empty(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        size_t len;
    } cases[] = {
        { "", 0 },         { " \n\t\r\n ", 6 }, { "\xef\xbb\xbf", 3 }, { "\xef\xbb\xbf \n", 5 },
        { "\xff\xfe", 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fetch_result r;
        char *err = NULL;
        assert_int_equal(parse_mem(cases[i].body, cases[i].len, NULL, NULL, &r, &err), -1);
        assert_string_equal(err, "empty response");
        free(err);
        fetch_result_free(&r);
    }
    fetch_response resp = { NULL, 0, NULL, NULL, 200 };
    fetch_result r;
    fetch_result_init(&r);
    char *err = NULL;
    assert_int_equal(fetch_parse_feed(&resp, &r, &err), -1);
    assert_string_equal(err, "empty response");
    free(err);
    fetch_result_free(&r);
}

/* 10,001 items: the first 10,000 are kept and the parse stops there. */
static void test_item_cap(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b, (size_t)16 << 20);
    assert_int_equal(core_buf_printf(&b, "<rss version=\"2.0\"><channel><title>many</title>"), 0);
    for (int i = 0; i < 10001; i++)
        assert_int_equal(
            core_buf_printf(&b, "<item><title>t%d</title><guid>g%d</guid></item>", i, i), 0);
    assert_int_equal(core_buf_printf(&b, "</channel></rss>"), 0);
    fetch_result r;
    char *err = NULL;
    assert_int_equal(parse_mem(b.data, b.len, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.n_items, 10000);
    assert_string_equal(r.items[9999].guid, "g9999");
    assert_string_equal(r.items[0].title, "t0");
    fetch_result_free(&r);
    core_buf_free(&b);
}

/* ---- links, fallbacks, text ---- */

static void test_links(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("links.xml", NULL, "https://example.com/feeds/main.xml", &r);
    assert_int_equal(r.n_items, 12);
    static const struct {
        const char *title, *url;
    } want[] = {
        { "javascript", NULL },
        { "data", NULL },
        { "file", NULL },
        { "relative", "https://example.com/relative/path?a=1&b=2" },
        { "scheme-relative", "https://cdn.example.com/x" },
        { "trimmed", "https://example.com/trim" },
        { "upper", "HTTPS://EXAMPLE.COM/Upper" },
        { "space", "https://example.com/a%20b" },
        { "mailto", NULL },
        { "nohost", NULL },
        { "permalink guid", "https://example.com/from-guid" },
        { "not permalink", NULL },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(r.items[i].title, want[i].title);
        assert_opt(r.items[i].url, want[i].url);
    }
    /* A dropped javascript: link is not the guid either: a hash is. */
    assert_int_equal(strlen(r.items[0].guid), 16);
    assert_int_equal(strspn(r.items[0].guid, "0123456789abcdef"), 16);
    assert_string_equal(r.items[1].guid, "data-guid");
    assert_string_equal(r.items[3].guid, "https://example.com/relative/path?a=1&b=2");
    assert_nowhere(&r, NULL, "javascript:");
    assert_nowhere(&r, NULL, "file:");
    fetch_result_free(&r);

    /* Without a feed URL, relative links cannot be resolved: dropped. */
    parse_ok("links.xml", NULL, NULL, &r);
    assert_null(r.items[3].url);
    assert_string_equal(r.items[5].url, "https://example.com/trim");
    fetch_result_free(&r);
}

static void test_guid_and_title_fallbacks(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("fallbacks.xml", NULL, NULL, &r);
    assert_int_equal(r.n_items, 8);
    /* guid: the link. */
    assert_string_equal(r.items[0].guid, "https://example.com/link-only");
    /* No guid, no link: a hash of title and date, different per date. */
    const char *h1 = r.items[1].guid, *h2 = r.items[2].guid;
    assert_int_equal(strlen(h1), 16);
    assert_int_equal(strspn(h1, "0123456789abcdef"), 16);
    assert_string_not_equal(h1, h2);
    assert_int_equal(r.items[1].published, T0);
    /* Stable across parses. */
    fetch_result r2;
    parse_ok("fallbacks.xml", NULL, NULL, &r2);
    assert_string_equal(r2.items[1].guid, h1);
    assert_string_equal(r2.items[2].guid, h2);
    fetch_result_free(&r2);
    /* No title: the summary's first 80 characters. */
    const store_item *nt = by_guid(&r, "no-title");
    assert_int_equal(strlen(nt->title), 80 * 3);
    assert_int_equal(strlen(nt->summary), 100 * 3);
    assert_int_equal(strncmp(nt->title, nt->summary, 240), 0);
    /* Nothing at all. */
    assert_string_equal(by_guid(&r, "empty")->title, "(untitled)");
    assert_null(by_guid(&r, "empty")->summary);
    /* An empty title is no title; a bad pubDate falls back to <updated>. */
    const store_item *two = by_guid(&r, "two-titles");
    assert_string_equal(two->title, "Second title wins");
    assert_int_equal(two->published, T0);
    assert_int_equal(two->updated, T0);
    fetch_result_free(&r);
}

/* Character references in XML and, once more, in the HTML they carry. */
static void test_entities(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("fallbacks.xml", NULL, NULL, &r);
    assert_string_equal(by_guid(&r, "entities")->title, "昇腾 昇腾 & <b>");
    fetch_result_free(&r);

    static const struct {
        const char *in, *want;
    } cases[] = {
        { "&lt;p&gt;x&lt;/p&gt;", "x" },
        { "&amp;lt;p&amp;gt; escaped twice", "<p> escaped twice" },
        { "a&amp;nbsp;&amp;nbsp;b&amp;hellip;&amp;mdash;&amp;ndash;", "a b…—–" },
        { "&amp;lsquo;q&amp;rsquo; &amp;ldquo;Q&amp;rdquo; &amp;middot; "
          "&amp;copy;&amp;reg;&amp;trade;",
          "‘q’ “Q” · ©®™" },
        { "&amp;yen;1 &amp;euro;2 &amp;bull; &amp;laquo;x&amp;raquo; 2&amp;times;3",
          "¥1 €2 • «x» 2×3" },
        { "&amp;#26131;&amp;#x817e; &amp;#X6607;", "易腾 昇" },
        { "&amp;#150;&amp;#0;&amp;#1114112;&amp;#xD800;&amp;#9;x",
          "–\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd x" },
        { "&amp;amp &amp;#; &amp;#x; &amp;; &amp;nosuch; a&amp;b",
          "&amp &#; &#x; &; &nosuch; a&b" },
        { "x &lt; y &lt;3 &lt;/ z", "x < y <3" },
        { "tail &amp;hel", "tail &hel" },
        { "&lt;b&gt;bold&lt;/b&gt;&lt;i&gt;it&lt;/i&gt;", "boldit" },
        { "a&lt;br&gt;b&lt;br/&gt;c&lt;hr /&gt;d&lt;div&gt;e&lt;/div&gt;f", "a b c d e f" },
        { "&lt;a title=\"x &gt; y\" href='z'&gt;link&lt;/a&gt;", "link" },
        { "&lt;script type=\"text/javascript\"&gt;if (a &lt;b) x(\"&lt;/p&gt;\");&lt;/script&gt;ok",
          "ok" },
        { "&lt;SCRIPT&gt;x&lt;/SCRIPT &gt;ok&lt;style&gt;&lt;/styles&gt;hidden&lt;/style&gt;!",
          "ok!" },
        { "&lt;!-- a --&gt;b&lt;!----&gt;c&lt;!-- -- &gt; --&gt;d&lt;!DOCTYPE html&gt;e", "bcde" },
        { "&lt;p&gt;unterminated &lt;a href=", "unterminated" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *doc = xasprintf("<rss><channel><item><guid>e</guid><title>t</title><description>%s"
                              "</description></item></channel></rss>",
                              cases[i].in);
        char *err = NULL;
        assert_int_equal(parse_mem(doc, strlen(doc), NULL, NULL, &r, &err), 0);
        assert_int_equal(r.n_items, 1);
        if (strcmp(r.items[0].summary != NULL ? r.items[0].summary : "", cases[i].want) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, r.items[0].summary, cases[i].want);
        fetch_result_free(&r);
        free(doc);
    }
}

static void test_whitespace_folding(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok("fallbacks.xml", NULL, NULL, &r);
    /* ASCII runs fold; U+3000 (ideographic space) is kept as written. */
    assert_string_equal(by_guid(&r, "fold")->title, "Multi line title \xe3\x80\x80 keeps U+3000");
    fetch_result_free(&r);

    static const char doc[] =
        "<rss><channel><item><guid>w</guid><title>\n\t  a \r\n b\xc2\xa0\xc2\xa0"
        "c  </title><description><![CDATA[  <p> x </p>\n\n<p>y</p>  ]]>"
        "</description></item></channel></rss>";
    char *err = NULL;
    assert_int_equal(parse_mem(doc, sizeof doc - 1, NULL, NULL, &r, &err), 0);
    assert_string_equal(r.items[0].title, "a b c");
    assert_string_equal(r.items[0].summary, "x y");
    fetch_result_free(&r);
}

/* Summaries stop at 4096 bytes, on a character boundary. */
static void test_summary_cap(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b, (size_t)4 << 20);
    assert_int_equal(core_buf_printf(&b, "<rss><channel><item><guid>big</guid><description>"), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(core_buf_add(&b, "算力", 6), 0);
    assert_int_equal(core_buf_printf(&b, "</description></item></channel></rss>"), 0);
    fetch_result r;
    char *err = NULL;
    assert_int_equal(parse_mem(b.data, b.len, NULL, NULL, &r, &err), 0);
    assert_int_equal(strlen(r.items[0].summary), 4095); /* 1365 characters of 3 bytes */
    assert_int_equal(strlen(r.items[0].title), 80 * 3);
    fetch_result_free(&r);
    core_buf_free(&b);
}

/* Broken feeds still give what can be read: a stray "&", a bad tag, a cut-off end. */
static void test_recovery(void **state)
{
    (void)state;
    static const char doc[] = "<rss><channel><item><title>AT&T & Co</title><guid>1</guid></item>"
                              "<item><title>mismatch</b></title><guid>2</guid></item>"
                              "<item><title>third</title><guid>3</guid></item>"
                              "<item><title>cut off";
    fetch_result r;
    char *err = NULL;
    assert_int_equal(parse_mem(doc, sizeof doc - 1, NULL, NULL, &r, &err), 0);
    assert_true(r.n_items >= 2);
    assert_string_equal(by_guid(&r, "1")->title, "AT&T & Co");
    assert_string_equal(by_guid(&r, "3")->title, "third");
    fetch_result_free(&r);
}

/* What libxml2's recovery would drop is repaired first: bare "&", HTML entities. */
static void test_repairs(void **state)
{
    (void)state;
    static const char rss[] =
        "<rss><channel><item><guid>r1</guid><title>Foo&nbsp;Bar&mdash;Baz &hellip; "
        "&eacute;t&eacute; "
        "&copy; &lol; &amp; &#x6607;</title><link>https://example.com/?a=1&b=2&amp;c=3</link>"
        "<description>Q&A: R&D 50% & more</description></item></channel></rss>";
    fetch_result r;
    char *err = NULL;
    assert_int_equal(parse_mem(rss, sizeof rss - 1, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.n_items, 1);
    /* An undeclared entity outside the HTML set is left out, never guessed. */
    assert_string_equal(r.items[0].title, "Foo Bar—Baz … été © & 昇");
    assert_string_equal(r.items[0].url, "https://example.com/?a=1&b=2&c=3");
    assert_string_equal(r.items[0].summary, "Q&A: R&D 50% & more");
    fetch_result_free(&r);

    /* In CDATA "&" is text and stays as written (type="text": shown literally). */
    static const char atom[] =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>a1</id>"
        "<title type=\"text\"><![CDATA[AT&T &amp; &nbsp;]]> &amp; x&y</title>"
        "<link href=\"https://example.com/?a=1&b=2\"/></entry></feed>";
    assert_int_equal(parse_mem(atom, sizeof atom - 1, NULL, NULL, &r, &err), 0);
    assert_string_equal(r.items[0].title, "AT&T &amp; &nbsp; & x&y");
    assert_string_equal(r.items[0].url, "https://example.com/?a=1&b=2");
    fetch_result_free(&r);

    /* Well-formed ampersands in URL attributes (libxml2 hands them over as "&#38;"). */
    static const char amp[] =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>a2</id><title>t</title>"
        "<link href=\"https://example.com/?a=1&amp;b=2&#38;c=3\"/></entry></feed>";
    assert_int_equal(parse_mem(amp, sizeof amp - 1, NULL, NULL, &r, &err), 0);
    assert_string_equal(r.items[0].url, "https://example.com/?a=1&b=2&c=3");
    fetch_result_free(&r);
    static const char rdf[] =
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://purl.org/rss/1.0/\"><item rdf:about=\"https://example.com/?p=1&amp;q=2\">"
        "<title>t</title></item></rdf:RDF>";
    assert_int_equal(parse_mem(rdf, sizeof rdf - 1, NULL, NULL, &r, &err), 0);
    assert_string_equal(r.items[0].guid, "https://example.com/?p=1&q=2");
    fetch_result_free(&r);

    /* An early error does not cost later escaped HTML its "<" and "&". */
    static const char broken[] =
        "<rss><channel><item><guid>b1</guid><title>x</b></title></item>"
        "<item><guid>b2</guid><title>a &lt;b&gt; &amp;amp; &quot;q&quot; &apos;s&apos;</title>"
        "<description>&lt;p&gt;one &amp;amp; two&lt;/p&gt;</description></item></channel></rss>";
    assert_int_equal(parse_mem(broken, sizeof broken - 1, NULL, NULL, &r, &err), 0);
    const store_item *b2 = by_guid(&r, "b2");
    assert_string_equal(b2->title, "a & \"q\" 's'");
    assert_string_equal(b2->summary, "one & two");
    fetch_result_free(&r);
}

/* libxml2's diagnostics never reach stderr (curses owns the screen). */
static void test_no_stderr(void **state)
{
    (void)state;
    static const char *const names[] = {
        "xxe.xml",          "xxe-parameter.xml", "billion-laughs.xml", "html-page.html",
        "html-sloppy.html", "invalid-utf8.xml",  "rss-0.91.xml"
    };
    char path[] = "/tmp/xcdash-feed-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *body = slurp(names[i], &len);
        fetch_response resp = { body, len, NULL, "https://example.com/", 200 };
        fetch_result r;
        fetch_result_init(&r);
        char *err = NULL;
        fetch_parse_feed(&resp, &r, &err);
        free(err);
        fetch_result_free(&r);
        free(body);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    assert_int_equal(size, 0);
}

/* The documents test_threads parses on every thread, and what each must give. */
static const char *const thread_docs[] = { "gbk-declared.xml", "billion-laughs.xml",
                                           "html-sloppy.html", "github-releases.atom" };
#define N_THREAD_DOCS (sizeof thread_docs / sizeof thread_docs[0])

typedef struct thread_body {
    char *data;
    size_t len;
} thread_body;

/* One thread's share: parse good and hostile documents, check them; NULL when all were right. */
static void *parse_loop(void *arg)
{
    const thread_body *bodies = arg;
    for (int round = 0; round < 40; round++) {
        for (size_t i = 0; i < N_THREAD_DOCS; i++) {
            fetch_response resp = { bodies[i].data, bodies[i].len, NULL,
                                    "https://github.com/x.atom", 200 };
            fetch_result r;
            fetch_result_init(&r);
            char *err = NULL;
            int rc = fetch_parse_feed(&resp, &r, &err);
            int ok;
            if (i == 0)
                ok = rc == 0 && r.n_items == 1 &&
                     strcmp(r.items[0].title, "寒武纪：思元芯片出货量增长") == 0;
            else if (i == 1)
                ok = rc == 0 && r.n_items == 1 && strcmp(r.items[0].title, "laughs") == 0;
            else if (i == 2)
                ok = rc == -1 && strcmp(err, "not a feed (root element <html>)") == 0;
            else
                ok = rc == 0 && r.n_items == 3;
            free(err);
            fetch_result_free(&r);
            if (!ok)
                return (void *)thread_docs[i];
        }
    }
    return NULL;
}

/* Parses run on several threads at once: libxml2's error handling is per thread. */
static void test_threads(void **state)
{
    (void)state;
    thread_body bodies[N_THREAD_DOCS];
    for (size_t i = 0; i < N_THREAD_DOCS; i++)
        bodies[i].data = slurp(thread_docs[i], &bodies[i].len);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, parse_loop, bodies), 0);
    for (int i = 0; i < 4; i++) {
        void *failed = NULL;
        assert_int_equal(pthread_join(t[i], &failed), 0);
        if (failed != NULL)
            fail_msg("thread %d: wrong result for %s", i, (const char *)failed);
    }
    for (size_t i = 0; i < N_THREAD_DOCS; i++)
        free(bodies[i].data);
}

/* Deterministic mutations of every fixture: no crash, clean strings (ASan watches). */
static void test_mutations(void **state)
{
    (void)state;
    static const char *const names[] = {
        "google-news.xml", "rss-0.91.xml",   "rss-1.0.rdf",        "github-releases.atom",
        "atom-0.3.xml",    "cdata-html.xml", "gbk-declared.xml",   "big5.xml",
        "utf16le-bom.xml", "links.xml",      "billion-laughs.xml", "fallbacks.xml",
    };
    static const char *const types[] = { NULL, "text/xml; charset=gbk", "text/xml; charset=utf-16",
                                         "application/xml; charset=big5" };
    uint32_t seed = 12345;
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t len;
        char *orig = slurp(names[f], &len);
        char *buf = xmalloc(len + 1);
        for (int round = 0; round < 150; round++) {
            memcpy(buf, orig, len);
            size_t n = len;
            int edits = 1 + round % 8;
            for (int e = 0; e < edits; e++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % n;
                seed = seed * 1103515245u + 12345u;
                switch (seed % 4) {
                case 0:
                    buf[at] = (char)(seed >> 16);
                    break;
                case 1:
                    buf[at] = "<>&;\"'/![]-\0\x80\xff"[(seed >> 16) % 15];
                    break;
                case 2:
                    n = at + 1; /* truncate */
                    break;
                default:
                    memmove(buf + at, buf + at + 1, n - at - 1); /* delete a byte */
                    n = n > 1 ? n - 1 : n;
                    break;
                }
            }
            fetch_result r;
            char *err = NULL;
            parse_mem(buf, n, types[round % 4], "https://example.com/f", &r, &err);
            free(err);
            fetch_result_free(&r);
        }
        free(buf);
        free(orig);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rss20_google_news),
        cmocka_unit_test(test_rss091),
        cmocka_unit_test(test_rdf),
        cmocka_unit_test(test_atom10_github),
        cmocka_unit_test(test_atom03),
        cmocka_unit_test(test_cdata_html),
        cmocka_unit_test(test_gbk_http_charset),
        cmocka_unit_test(test_gbk_declared),
        cmocka_unit_test(test_gb2312_gbk_chars),
        cmocka_unit_test(test_big5),
        cmocka_unit_test(test_utf16le_bom),
        cmocka_unit_test(test_utf16be_nobom),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_http_overrides_declaration),
        cmocka_unit_test(test_xxe),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_not_a_feed),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_item_cap),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_guid_and_title_fallbacks),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_whitespace_folding),
        cmocka_unit_test(test_summary_cap),
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_repairs),
        cmocka_unit_test(test_no_stderr),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests_name("feed", tests, NULL, NULL);
}
