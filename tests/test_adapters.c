/*
 * test_adapters.c — the JSON adapters (fetch/hf.c, eastmoney.c, yahoo.c,
 * hn.c over fetch/json.c) against recorded-shape fixtures in
 * tests/fixtures/json/ and against hostile input generated here: bodies
 * that are not JSON, JSON of the wrong shape, API error objects, 100,000
 * levels of nesting, and bodies over the 8 MiB cap. Fixtures are found
 * under $XCDASH_SRC (the repository root, set by tests/run.sh), else ".".
 * Numbers are compared exactly where the source gives them exactly and
 * within 1e-6 where they are computed.
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

#include <jansson.h>

#include "core/core.h"
#include "fetch/fetch.h"
#include "fetch/private.h"
#include "tests/support/support.h"

/* ---- helpers ---- */

static char *slurp_fixture(const char *name, size_t *len)
{
    char *path = ts_fixture_path("json", name);
    char *data = ts_read_file(path, len);
    free(path);
    return data;
}

/* Runs fn over len bytes of body with an HTTP status; returns its result. */
static int run(fetch_parse_fn fn, const char *body, size_t len, int status, fetch_result *r,
               char **err)
{
    fetch_response resp = { .body = body,
                            .len = len,
                            .content_type = "application/json",
                            .url = "http://127.0.0.1/test",
                            .status = status };
    fetch_result_init(r);
    *err = NULL;
    int rc = fn(&resp, r, err);
    if (rc == 0)
        assert_null(*err);
    else
        assert_non_null(*err);
    return rc;
}

/* Parses a fixture that must succeed. */
static void parse_ok(fetch_parse_fn fn, const char *name, fetch_result *r)
{
    size_t len;
    char *body = slurp_fixture(name, &len);
    char *err;
    if (run(fn, body, len, 200, r, &err) != 0)
        fail_msg("%s: %s", name, err);
    free(body);
}

/* Parses body that must fail; returns the message (caller frees). */
static char *parse_fail_str(fetch_parse_fn fn, const char *body, size_t len, int status)
{
    fetch_result r;
    char *err;
    assert_int_equal(run(fn, body, len, status, &r, &err), -1);
    fetch_result_free(&r);
    return err;
}

static char *parse_fail(fetch_parse_fn fn, const char *name, int status)
{
    size_t len;
    char *body = slurp_fixture(name, &len);
    char *err = parse_fail_str(fn, body, len, status);
    free(body);
    return err;
}

static void assert_msg(char *err, const char *want)
{
    if (strcmp(err, want) != 0)
        fail_msg("message \"%s\", want \"%s\"", err, want);
    free(err);
}

static void assert_msg_prefix(char *err, const char *want)
{
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("message \"%s\", want prefix \"%s\"", err, want);
    free(err);
}

#define assert_near(a, b)                                                                          \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= 1e-6 * (1 + fabs(b_))))                                             \
            fail_msg("%s = %.10g, want %.10g", #a, a_, b_);                                        \
    } while (0)
#define assert_nan(a)                                                                              \
    do {                                                                                           \
        if (!isnan(a))                                                                             \
            fail_msg("%s = %.10g, want NAN", #a, (double)(a));                                     \
    } while (0)

static const store_quote *find_quote(const fetch_result *r, const char *code)
{
    for (size_t i = 0; i < r->n_quotes; i++)
        if (strcmp(r->quotes[i].code, code) == 0)
            return &r->quotes[i];
    fail_msg("no quote for %s", code);
    return NULL;
}

static void assert_bar(const store_bar *b, const char *ex, const char *code, const char *date,
                       double open, double high, double low, double close)
{
    assert_string_equal(b->exchange, ex);
    assert_string_equal(b->code, code);
    assert_string_equal(b->date, date);
    assert_near(b->open, open);
    assert_near(b->high, high);
    assert_near(b->low, low);
    assert_near(b->close, close);
}

static const fetch_parse_fn all_adapters[] = {
    fetch_parse_hf_models,   fetch_parse_eastmoney_quotes, fetch_parse_eastmoney_kline,
    fetch_parse_yahoo_chart, fetch_parse_hn_search,
};
static const char *const all_kinds[] = { "hf-models", "eastmoney-quotes", "eastmoney-kline",
                                         "yahoo-chart", "hn-search" };
#define N_ADAPTERS (sizeof all_adapters / sizeof *all_adapters)

/* ---- Hugging Face ---- */

static void test_hf_models(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_hf_models, "hf_models.json", &r);
    assert_int_equal(r.n_stats, 3);
    assert_int_equal(r.n_items, 3);

    const store_model_stat *s = &r.stats[0];
    assert_string_equal(s->repo, "deepseek-ai/DeepSeek-V3.2");
    assert_int_equal(s->ts, 0);
    assert_int_equal(s->downloads, 254318);
    assert_int_equal(s->downloads_all, 1904411);
    assert_int_equal(s->likes, 1873);
    assert_string_equal(s->pipeline_tag, "text-generation");
    assert_int_equal(s->created, 1795162443);       /* 2026-11-20T08:14:03Z */
    assert_int_equal(s->last_modified, 1795660917); /* 2026-11-26T02:41:57Z */

    const store_item *it = &r.items[0];
    assert_string_equal(it->guid, "hf:deepseek-ai/DeepSeek-V3.2");
    assert_string_equal(it->title,
                        "New on Hugging Face: deepseek-ai/DeepSeek-V3.2 (text-generation)");
    assert_string_equal(it->url, "https://huggingface.co/deepseek-ai/DeepSeek-V3.2");
    assert_string_equal(it->author, "deepseek-ai");
    assert_int_equal(it->published, 1795162443);
    assert_int_equal(it->updated, 1795660917);
    /* the item says what the model is; the counts live in the statistics only */
    assert_string_equal(it->summary, "text-generation");
    assert_int_equal(r.stats[1].downloads, 1);
    assert_int_equal(r.stats[1].downloads_all, -1);

    /* No pipeline_tag: plain title; no author field: the id's organisation. */
    s = &r.stats[2];
    assert_null(s->pipeline_tag);
    assert_int_equal(s->downloads, 0);
    it = &r.items[2];
    assert_string_equal(it->title, "New on Hugging Face: deepseek-ai/deepseek-moe-16b-base");
    assert_string_equal(it->author, "deepseek-ai");
    assert_null(it->summary);
    assert_int_equal(s->likes, 128);
    fetch_result_free(&r);
}

static void test_hf_missing_fields(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_hf_models, "hf_missing.json", &r);
    /* Of 7 entries: no id, empty id, a string and a numeric id are skipped. */
    assert_int_equal(r.n_stats, 3);
    assert_int_equal(r.n_items, 3);

    const store_model_stat *s = &r.stats[0];
    assert_string_equal(s->repo, "Qwen/Qwen3-Next-80B-A3B-Instruct");
    assert_int_equal(s->downloads, -1);
    assert_int_equal(s->downloads_all, -1);
    assert_int_equal(s->likes, -1);
    assert_null(s->pipeline_tag);
    assert_int_equal(s->created, 0);
    assert_int_equal(s->last_modified, 0);
    assert_null(r.items[0].summary);
    assert_int_equal(r.items[0].published, 0);
    assert_string_equal(r.items[0].author, "Qwen");

    s = &r.stats[1];
    assert_string_equal(s->repo, "zai-org/GLM-4.6");
    assert_int_equal(s->downloads, -1); /* "-" */
    assert_int_equal(s->likes, -1);     /* null */
    assert_int_equal(s->created, 0);    /* "not a date" */
    assert_string_equal(r.items[1].title, "New on Hugging Face: zai-org/GLM-4.6");

    s = &r.stats[2];
    assert_string_equal(s->repo, "moonshotai/Kimi-K2-Thinking");
    assert_int_equal(s->downloads, 98765);
    assert_int_equal(s->downloads_all, 123456);
    assert_int_equal(s->created, 1793950812); /* 2026-11-06T07:40:12Z */
    assert_null(r.items[2].summary);
    fetch_result_free(&r);
}

static void test_hf_errors(void **state)
{
    (void)state;
    assert_msg(parse_fail(fetch_parse_hf_models, "hf_error.json", 401),
               "hf-models: Invalid username or password.");
    static const char obj[] = "{\"models\":[]}";
    assert_msg(parse_fail_str(fetch_parse_hf_models, obj, sizeof obj - 1, 200),
               "hf-models: expected an array of models, got an object");
    static const char bare[] = "\"deepseek-ai\"";
    assert_msg(parse_fail_str(fetch_parse_hf_models, bare, sizeof bare - 1, 200),
               "hf-models: expected an array of models");
    static const char noids[] = "[{\"likes\":1},{\"id\":null}]";
    assert_msg(parse_fail_str(fetch_parse_hf_models, noids, sizeof noids - 1, 200),
               "hf-models: none of the 2 entries has an id");

    /* An empty listing is a valid answer (an organisation with no models). */
    fetch_result r;
    char *err;
    assert_int_equal(run(fetch_parse_hf_models, "[]", 2, 200, &r, &err), 0);
    assert_int_equal(r.n_stats, 0);
    fetch_result_free(&r);
}

/* ---- East Money quotes ---- */

static void test_em_quotes_fltt2(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_eastmoney_quotes, "em_quotes.json", &r);
    /* 8 entries; market 100 (an index) is not a listing xcdash follows. */
    assert_int_equal(r.n_quotes, 7);

    const store_quote *q = find_quote(&r, "688256");
    assert_string_equal(q->exchange, "SH");
    assert_near(q->last, 1398.99);
    assert_near(q->change_pct, 2.35);
    assert_near(q->change, 32.1);
    assert_near(q->high, 1412.0);
    assert_near(q->low, 1360.5);
    assert_near(q->open, 1366.89);
    assert_near(q->prev_close, 1366.89);
    assert_near(q->volume, 142368);
    assert_near(q->turnover, 19812345678.0);
    assert_near(q->market_cap, 584123456789.0);
    assert_int_equal(q->ts, 1795762800);

    q = find_quote(&r, "000977");
    assert_string_equal(q->exchange, "SZ");
    assert_near(q->last, 45.67);
    assert_near(q->change, -0.57);
    assert_near(q->change_pct, -1.23);

    q = find_quote(&r, "00700");
    assert_string_equal(q->exchange, "HK");
    assert_near(q->last, 612.5);
    assert_near(q->prev_close, 600.0);

    q = find_quote(&r, "BIDU");
    assert_string_equal(q->exchange, "US");
    assert_near(q->last, 118.37);

    q = find_quote(&r, "09988");
    assert_string_equal(q->exchange, "HK");
    assert_near(q->open, 150.1);

    /* Suspended: emitted, with NAN where East Money wrote "-", never 0. */
    q = find_quote(&r, "688041");
    assert_string_equal(q->exchange, "SH");
    assert_nan(q->last);
    assert_nan(q->change);
    assert_nan(q->change_pct);
    assert_nan(q->open);
    assert_nan(q->high);
    assert_nan(q->low);
    assert_nan(q->volume);
    assert_nan(q->turnover);
    assert_near(q->prev_close, 231.45);
    assert_near(q->market_cap, 537987654321.0);
    assert_int_equal(q->ts, 0);

    /* Beijing: market 0, code 92xxxx. */
    q = find_quote(&r, "920118");
    assert_string_equal(q->exchange, "BJ");
    assert_near(q->last, 23.8);
    assert_nan(q->market_cap);
    fetch_result_free(&r);
}

static void test_em_quotes_diff_object(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_eastmoney_quotes, "em_quotes_object.json", &r);
    assert_int_equal(r.n_quotes, 3);
    /* In key order "0","1","2", whatever the order in the document. */
    assert_string_equal(r.quotes[0].code, "688256");
    assert_string_equal(r.quotes[1].code, "000977");
    assert_string_equal(r.quotes[2].code, "00700");
    assert_near(r.quotes[0].last, 1398.99);
    assert_near(r.quotes[1].prev_close, 46.24);
    assert_near(r.quotes[2].change, 12.5);
    assert_nan(r.quotes[2].volume); /* not requested */
    assert_int_equal(r.quotes[2].ts, 0);
    fetch_result_free(&r);
}

static void test_em_quotes_scaled(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_eastmoney_quotes, "em_quotes_scaled.json", &r);
    assert_int_equal(r.n_quotes, 4);

    const store_quote *q = find_quote(&r, "688256"); /* f59 = 2 */
    assert_near(q->last, 1398.99);
    assert_near(q->change, 32.10);
    assert_near(q->change_pct, 2.35);
    assert_near(q->high, 1412.00);
    assert_near(q->low, 1360.50);
    assert_near(q->open, 1366.89);
    assert_near(q->prev_close, 1366.89);
    assert_near(q->volume, 142368); /* never scaled */
    assert_near(q->market_cap, 584123456789.0);

    q = find_quote(&r, "00700"); /* f59 = 3 */
    assert_near(q->last, 612.5);
    assert_near(q->change, 12.5);
    assert_near(q->change_pct, 2.08);
    assert_near(q->prev_close, 600.0);

    q = find_quote(&r, "000977"); /* no f59: 2 */
    assert_near(q->last, 45.67);
    assert_near(q->change, -0.57);
    assert_near(q->change_pct, -1.23);

    q = find_quote(&r, "688041"); /* suspended */
    assert_nan(q->last);
    assert_near(q->prev_close, 231.45);
    fetch_result_free(&r);

    /* One real-typed price anywhere makes the whole answer decimal: an entry
     * whose prices are all whole numbers is not divided by 100. */
    static const char mixed[] = "{\"rc\":0,\"data\":{\"diff\":["
                                "{\"f2\":15,\"f12\":\"002261\",\"f13\":0,\"f18\":15},"
                                "{\"f2\":12.5,\"f12\":\"300474\",\"f13\":0}]}}";
    char *err;
    assert_int_equal(run(fetch_parse_eastmoney_quotes, mixed, sizeof mixed - 1, 200, &r, &err), 0);
    assert_near(find_quote(&r, "002261")->last, 15.0);
    assert_near(find_quote(&r, "300474")->last, 12.5);
    fetch_result_free(&r);

    /* Numeric strings are numbers too; a decimal point marks a decimal answer. */
    static const char strs[] = "{\"rc\":0,\"data\":{\"diff\":["
                               "{\"f2\":\"88.10\",\"f3\":\"-0.5\",\"f12\":\"603019\",\"f13\":1}]}}";
    assert_int_equal(run(fetch_parse_eastmoney_quotes, strs, sizeof strs - 1, 200, &r, &err), 0);
    assert_near(r.quotes[0].last, 88.10);
    assert_near(r.quotes[0].change_pct, -0.5);
    fetch_result_free(&r);
}

static void test_em_quotes_errors(void **state)
{
    (void)state;
    assert_msg(parse_fail(fetch_parse_eastmoney_quotes, "em_quotes_rc.json", 200),
               "eastmoney-quotes: API error rc=102");
    assert_msg(parse_fail(fetch_parse_eastmoney_quotes, "em_quotes_nodata.json", 200),
               "eastmoney-quotes: no data (unknown secids?)");
    static const char nodiff[] = "{\"rc\":0,\"data\":{\"total\":0}}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_quotes, nodiff, sizeof nodiff - 1, 200),
               "eastmoney-quotes: no data.diff in response");
    static const char arr[] = "[1,2]";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_quotes, arr, sizeof arr - 1, 200),
               "eastmoney-quotes: expected a JSON object, got an array");
    static const char nothing[] = "{\"rc\":0,\"data\":{\"diff\":[{\"f12\":\"000001\",\"f13\":100},"
                                  "{\"f2\":1.0},null]}}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_quotes, nothing, sizeof nothing - 1, 200),
               "eastmoney-quotes: none of the 3 entries in data.diff is a quote");
    /* Shape errors on an HTTP error status carry the status. */
    static const char empty[] = "{}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_quotes, empty, sizeof empty - 1, 502),
               "eastmoney-quotes: HTTP 502: no data in response");

    /* An empty diff is an answer, not an error. */
    static const char none[] = "{\"rc\":0,\"data\":{\"total\":0,\"diff\":[]}}";
    fetch_result r;
    char *err;
    assert_int_equal(run(fetch_parse_eastmoney_quotes, none, sizeof none - 1, 200, &r, &err), 0);
    assert_int_equal(r.n_quotes, 0);
    fetch_result_free(&r);
}

static void test_em_quotes_jsonp(void **state)
{
    (void)state;
    static const char body[] =
        "jQuery35102903516224067517_1729925852277({\"rc\":0,\"data\":{\"diff\":[{\"f2\":1398.99,"
        "\"f12\":\"688256\",\"f13\":1}]}});\n";
    static const char spaced[] = "\r\n cb ( {\"rc\":0,\"data\":{\"diff\":[]}} ) ;\r\n";
    fetch_result r;
    char *err;
    assert_int_equal(run(fetch_parse_eastmoney_quotes, body, sizeof body - 1, 200, &r, &err), 0);
    assert_int_equal(r.n_quotes, 1);
    assert_near(r.quotes[0].last, 1398.99);
    fetch_result_free(&r);
    assert_int_equal(run(fetch_parse_eastmoney_quotes, spaced, sizeof spaced - 1, 200, &r, &err),
                     0);
    assert_int_equal(r.n_quotes, 0);
    fetch_result_free(&r);
    static const char unclosed[] = "cb({\"rc\":0}";
    assert_msg_prefix(
        parse_fail_str(fetch_parse_eastmoney_quotes, unclosed, sizeof unclosed - 1, 200),
        "eastmoney-quotes: not JSON: line 1 column ");
    /* Other adapters do not accept JSONP. */
    assert_msg_prefix(parse_fail_str(fetch_parse_yahoo_chart, body, sizeof body - 1, 200),
                      "yahoo-chart: not JSON: line 1 column 6: invalid token near 'jQuery'");
}

/* ---- East Money klines ---- */

static void test_em_kline(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_eastmoney_kline, "em_kline.json", &r);
    assert_int_equal(r.n_bars, 5);
    assert_int_equal(r.n_quotes, 0);
    /* date,open,close,high,low,…: close comes before high. */
    assert_bar(&r.bars[0], "SH", "688256", "2026-11-23", 1290.00, 1322.00, 1281.11, 1310.50);
    assert_near(r.bars[0].volume, 98765);
    assert_near(r.bars[0].amount, 12890123456.00);
    assert_bar(&r.bars[4], "SH", "688256", "2026-11-27", 1366.89, 1412.00, 1360.50, 1398.99);
    assert_near(r.bars[4].volume, 142368);
    fetch_result_free(&r);
}

static void test_em_kline_malformed(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_eastmoney_kline, "em_kline_malformed.json", &r);
    /* 7 lines: bad close, too few fields, null, a number and a date without
     * dashes are skipped; "-" and empty volume/amount are NAN. */
    assert_int_equal(r.n_bars, 2);
    assert_bar(&r.bars[0], "SZ", "000977", "2026-11-24", 45.00, 46.10, 44.80, 45.80);
    assert_near(r.bars[0].volume, 700123);
    assert_bar(&r.bars[1], "SZ", "000977", "2026-11-27", 46.20, 46.50, 45.10, 45.67);
    assert_nan(r.bars[1].volume);
    assert_nan(r.bars[1].amount);
    fetch_result_free(&r);

    static const char allbad[] = "{\"rc\":0,\"data\":{\"code\":\"688041\",\"market\":1,"
                                 "\"klines\":[\"x\",\"2026-11-27,1,2\",\"2026-13-01,1,2,3,4,5\"]}}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_kline, allbad, sizeof allbad - 1, 200),
               "eastmoney-kline: all 3 lines in data.klines are malformed");

    /* A new listing without history yet: no bars, no error. */
    static const char empty[] =
        "{\"rc\":0,\"data\":{\"code\":\"830799\",\"market\":0,\"klines\":[]}}";
    char *err;
    assert_int_equal(run(fetch_parse_eastmoney_kline, empty, sizeof empty - 1, 200, &r, &err), 0);
    assert_int_equal(r.n_bars, 0);
    fetch_result_free(&r);

    /* Beijing code under market 0; HK under 116. */
    static const char bj[] = "{\"rc\":0,\"data\":{\"code\":\"830799\",\"market\":0,"
                             "\"klines\":[\"2026-11-27,10.0,10.5,10.8,9.9,100,1050.0\"]}}";
    assert_int_equal(run(fetch_parse_eastmoney_kline, bj, sizeof bj - 1, 200, &r, &err), 0);
    assert_bar(&r.bars[0], "BJ", "830799", "2026-11-27", 10.0, 10.8, 9.9, 10.5);
    fetch_result_free(&r);
    static const char hk[] = "{\"rc\":0,\"data\":{\"code\":\"09988\",\"market\":116,"
                             "\"klines\":[\"2026-11-27,150.1,152.3,153.0,149.9,30123456\"]}}";
    assert_int_equal(run(fetch_parse_eastmoney_kline, hk, sizeof hk - 1, 200, &r, &err), 0);
    assert_bar(&r.bars[0], "HK", "09988", "2026-11-27", 150.1, 153.0, 149.9, 152.3);
    assert_nan(r.bars[0].amount);
    fetch_result_free(&r);
}

static void test_em_kline_errors(void **state)
{
    (void)state;
    assert_msg(parse_fail(fetch_parse_eastmoney_kline, "em_kline_null.json", 200),
               "eastmoney-kline: no data (unknown secid?)");
    static const char rc[] = "{\"rc\":100,\"data\":null}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_kline, rc, sizeof rc - 1, 200),
               "eastmoney-kline: API error rc=100");
    static const char noklines[] = "{\"rc\":0,\"data\":{\"code\":\"688256\",\"market\":1}}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_kline, noklines, sizeof noklines - 1, 200),
               "eastmoney-kline: no data.klines in response");
    static const char nocode[] = "{\"rc\":0,\"data\":{\"klines\":[]}}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_kline, nocode, sizeof nocode - 1, 200),
               "eastmoney-kline: no data.code / data.market in response");
    static const char market[] = "{\"rc\":0,\"data\":{\"code\":\"000001\",\"market\":100,"
                                 "\"klines\":[]}}";
    assert_msg(parse_fail_str(fetch_parse_eastmoney_kline, market, sizeof market - 1, 200),
               "eastmoney-kline: unsupported market 100");
}

/* ---- Yahoo ---- */

static void test_yahoo_sh_nulls(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_yahoo_chart, "yahoo_688256.json", &r);
    /* 5 timestamps; 2026-11-24 is all null (no close) and is skipped. */
    assert_int_equal(r.n_bars, 4);
    assert_bar(&r.bars[0], "SH", "688256", "2026-11-23", 1290.0, 1322.0, 1281.1099853515625,
               1310.5);
    assert_near(r.bars[0].volume, 9876500);
    assert_nan(r.bars[0].amount);
    assert_string_equal(r.bars[1].date, "2026-11-25");
    assert_near(r.bars[1].volume, 8765400);
    assert_string_equal(r.bars[2].date, "2026-11-26");
    assert_nan(r.bars[2].volume); /* null volume, close present: kept */
    assert_bar(&r.bars[3], "SH", "688256", "2026-11-27", 1366.8900146484375, 1412.0, 1360.5,
               1398.989990234375);

    assert_int_equal(r.n_quotes, 1);
    const store_quote *q = &r.quotes[0];
    assert_string_equal(q->exchange, "SH");
    assert_string_equal(q->code, "688256");
    assert_near(q->last, 1398.99);
    assert_int_equal(q->ts, 1795762800);
    /* Yesterday's close, not chartPreviousClose (1288, before the range). */
    assert_near(q->prev_close, 1366.8900146484375);
    assert_near(q->change, 1398.99 - 1366.8900146484375);
    assert_near(q->change_pct, (1398.99 - 1366.8900146484375) / 1366.8900146484375 * 100);
    assert_near(q->open, 1366.8900146484375);
    assert_near(q->high, 1412.0);
    assert_near(q->low, 1360.5);
    assert_near(q->volume, 14236800);
    assert_nan(q->turnover);
    assert_nan(q->market_cap);
    fetch_result_free(&r);
}

static void test_yahoo_sz_zone(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_yahoo_chart, "yahoo_000977.json", &r);
    /* Timestamps at 16:00 UTC are midnight in Shanghai: the next day's
     * session. gmtoffset alone (no zone name) gives +08:00. */
    assert_int_equal(r.n_bars, 5);
    assert_bar(&r.bars[0], "SZ", "000977", "2026-11-23", 45.0, 46.1, 44.8, 45.8);
    assert_bar(&r.bars[4], "SZ", "000977", "2026-11-27", 46.2, 46.5, 45.1, 45.67);
    const store_quote *q = &r.quotes[0];
    assert_near(q->prev_close, 46.24);
    assert_near(q->change, 45.67 - 46.24);
    assert_near(q->change_pct, (45.67 - 46.24) / 46.24 * 100);
    assert_near(q->volume, 81234500); /* the session's bar */
    fetch_result_free(&r);
}

static void test_yahoo_hk(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_yahoo_chart, "yahoo_0700hk.json", &r);
    /* "0700.HK" is listed as 00700. The live session appears twice
     * (01:30 and 07:50 UTC on 2026-11-27); the later one wins. */
    assert_int_equal(r.n_bars, 3);
    assert_bar(&r.bars[0], "HK", "00700", "2026-11-25", 595.0, 602.0, 590.5, 597.0);
    assert_bar(&r.bars[2], "HK", "00700", "2026-11-27", 601.0, 615.0, 598.0, 612.5);
    assert_near(r.bars[2].volume, 18234567);
    const store_quote *q = &r.quotes[0];
    assert_string_equal(q->code, "00700");
    assert_near(q->last, 612.5);
    assert_near(q->prev_close, 600.0); /* not chartPreviousClose 590 */
    assert_near(q->change, 12.5);
    assert_near(q->change_pct, 12.5 / 600.0 * 100);
    fetch_result_free(&r);

    /* Padding both ways: "9988.HK" → 09988, "00981.HK" stays, a one-bar
     * range falls back to meta.previousClose. */
    static const char ali[] =
        "{\"chart\":{\"result\":[{\"meta\":{\"symbol\":\"9988.HK\",\"exchangeTimezoneName\":"
        "\"Asia/Hong_Kong\",\"regularMarketPrice\":152.3,\"regularMarketTime\":1795766880,"
        "\"previousClose\":150.5,\"chartPreviousClose\":150.5},\"timestamp\":[1795743000],"
        "\"indicators\":{\"quote\":[{\"open\":[150.1],\"high\":[153.0],\"low\":[149.9],"
        "\"close\":[152.3],\"volume\":[30123456]}]}}],\"error\":null}}";
    char *err;
    assert_int_equal(run(fetch_parse_yahoo_chart, ali, sizeof ali - 1, 200, &r, &err), 0);
    assert_string_equal(r.quotes[0].code, "09988");
    assert_string_equal(r.bars[0].code, "09988");
    assert_near(r.quotes[0].prev_close, 150.5);
    assert_near(r.quotes[0].change, 1.8);
    fetch_result_free(&r);
    static const char smic[] =
        "{\"chart\":{\"result\":[{\"meta\":{\"symbol\":\"00981.HK\"}}],\"error\":null}}";
    assert_int_equal(run(fetch_parse_yahoo_chart, smic, sizeof smic - 1, 200, &r, &err), 0);
    assert_string_equal(r.quotes[0].exchange, "HK");
    assert_string_equal(r.quotes[0].code, "00981");
    assert_int_equal(r.n_bars, 0);
    assert_nan(r.quotes[0].last);
    assert_nan(r.quotes[0].prev_close);
    assert_nan(r.quotes[0].change);
    assert_int_equal(r.quotes[0].ts, 0);
    fetch_result_free(&r);
}

static void test_yahoo_us(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_yahoo_chart, "yahoo_bidu.json", &r);
    assert_int_equal(r.n_bars, 4);
    assert_bar(&r.bars[0], "US", "BIDU", "2026-11-23", 121.0, 122.5, 119.6, 120.3);
    assert_string_equal(r.bars[2].date, "2026-11-25");
    assert_string_equal(r.bars[3].date, "2026-11-27"); /* Thanksgiving skipped */
    assert_nan(r.bars[3].volume);
    const store_quote *q = &r.quotes[0];
    assert_string_equal(q->exchange, "US");
    assert_string_equal(q->code, "BIDU");
    assert_near(q->prev_close, 119.37);
    assert_near(q->change, -1.0);
    assert_near(q->change_pct, -1.0 / 119.37 * 100);
    assert_nan(q->volume);
    fetch_result_free(&r);

    /* regularMarketTime 2026-11-28T01:00Z is 20:00 on the 27th in New York:
     * the session is the 27th, so the previous close is the 25th's. Taken
     * in UTC it would wrongly be the 27th's own close. */
    static const char late[] =
        "{\"chart\":{\"result\":[{\"meta\":{\"symbol\":\"BIDU\",\"gmtoffset\":-18000,"
        "\"exchangeTimezoneName\":\"America/New_York\",\"regularMarketPrice\":118.37,"
        "\"regularMarketTime\":1795827600},\"timestamp\":[1795617000,1795789800],"
        "\"indicators\":{\"quote\":[{\"close\":[119.37,118.37]}]}}],\"error\":null}}";
    char *err;
    assert_int_equal(run(fetch_parse_yahoo_chart, late, sizeof late - 1, 200, &r, &err), 0);
    assert_near(r.quotes[0].prev_close, 119.37);
    assert_nan(r.bars[0].open); /* no open[] array at all */
    fetch_result_free(&r);
}

static void test_yahoo_errors(void **state)
{
    (void)state;
    assert_msg(parse_fail(fetch_parse_yahoo_chart, "yahoo_404.json", 404),
               "yahoo-chart: Not Found: No data found, symbol may be delisted");
    static const char crumb[] = "{\"finance\":{\"result\":null,\"error\":{\"code\":"
                                "\"Unauthorized\",\"description\":\"Invalid Crumb\"}}}";
    assert_msg(parse_fail_str(fetch_parse_yahoo_chart, crumb, sizeof crumb - 1, 401),
               "yahoo-chart: Unauthorized: Invalid Crumb");
    static const char noresult[] = "{\"chart\":{\"result\":[],\"error\":null}}";
    assert_msg(parse_fail_str(fetch_parse_yahoo_chart, noresult, sizeof noresult - 1, 200),
               "yahoo-chart: no chart.result in response");
    static const char nochart[] = "{\"quoteResponse\":{}}";
    assert_msg(parse_fail_str(fetch_parse_yahoo_chart, nochart, sizeof nochart - 1, 200),
               "yahoo-chart: no chart in response");
    static const char nosym[] = "{\"chart\":{\"result\":[{\"meta\":{}}],\"error\":null}}";
    assert_msg(parse_fail_str(fetch_parse_yahoo_chart, nosym, sizeof nosym - 1, 200),
               "yahoo-chart: no chart.result[0].meta.symbol in response");
    static const char tokyo[] =
        "{\"chart\":{\"result\":[{\"meta\":{\"symbol\":\"6758.T\"}}],\"error\":null}}";
    assert_msg(parse_fail_str(fetch_parse_yahoo_chart, tokyo, sizeof tokyo - 1, 200),
               "yahoo-chart: symbol 6758.T is on an exchange xcdash does not follow");
    /* Yahoo's 429 is plain text. */
    static const char limited[] = "Too Many Requests\r\n";
    assert_msg(parse_fail_str(fetch_parse_yahoo_chart, limited, sizeof limited - 1, 429),
               "yahoo-chart: HTTP 429: not JSON: line 1 column 3: invalid token near 'Too'");
}

/* ---- Hacker News ---- */

static void test_hn_search(void **state)
{
    (void)state;
    fetch_result r;
    parse_ok(fetch_parse_hn_search, "hn_search.json", &r);
    /* 5 hits: a comment without title and a hit without objectID are skipped. */
    assert_int_equal(r.n_items, 3);

    const store_item *it = &r.items[0];
    assert_string_equal(it->guid, "hn:45961234");
    assert_string_equal(it->title, "DeepSeek-V3.2 released");
    assert_string_equal(it->url, "https://api-docs.deepseek.com/news/news251127");
    assert_string_equal(it->author, "pg");
    assert_int_equal(it->published, 1795770765);
    assert_int_equal(it->updated, 0);
    assert_string_equal(it->summary, "512 points, 143 comments on Hacker News");

    /* Text post: url null → the discussion page. */
    it = &r.items[1];
    assert_string_equal(it->guid, "hn:45960001");
    assert_string_equal(it->url, "https://news.ycombinator.com/item?id=45960001");
    assert_string_equal(it->summary, "1 point, 1 comment on Hacker News");
    assert_int_equal(it->published, 1795748400);

    /* A javascript: url is not a link; created_at parsed when created_at_i
     * is missing; unknown comment count left out. */
    it = &r.items[2];
    assert_string_equal(it->url, "https://news.ycombinator.com/item?id=45959999");
    assert_int_equal(it->published, 1795737599);
    assert_string_equal(it->summary, "7 points on Hacker News");
    fetch_result_free(&r);
}

static void test_hn_errors(void **state)
{
    (void)state;
    static const char algolia[] = "{\"message\":\"indexName is not valid\",\"status\":400}";
    assert_msg(parse_fail_str(fetch_parse_hn_search, algolia, sizeof algolia - 1, 400),
               "hn-search: indexName is not valid");
    static const char nohits[] = "{\"nbHits\":0}";
    assert_msg(parse_fail_str(fetch_parse_hn_search, nohits, sizeof nohits - 1, 200),
               "hn-search: no hits[] in response");
    static const char junk[] = "{\"hits\":[{\"title\":\"x\"},{\"objectID\":\"1\"},7]}";
    assert_msg(parse_fail_str(fetch_parse_hn_search, junk, sizeof junk - 1, 200),
               "hn-search: none of the 3 hits has an objectID and a title");
    fetch_result r;
    char *err;
    static const char empty[] = "{\"hits\":[],\"nbHits\":0}";
    assert_int_equal(run(fetch_parse_hn_search, empty, sizeof empty - 1, 200, &r, &err), 0);
    assert_int_equal(r.n_items, 0);
    fetch_result_free(&r);
}

/* ---- hostile input, every adapter ---- */

static void test_not_json(void **state)
{
    (void)state;
    static const char html[] = "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>";
    static const char trunc[] = "{\"rc\":0,\n \"data\":{\"diff\":[";
    static const char gbk[] = "{\"f14\":\"\xba\xae\xce\xe4\xbc\xcd\"}"; /* 寒武纪 in GBK */
    for (size_t i = 0; i < N_ADAPTERS; i++) {
        char *want = xasprintf("%s: not JSON: line 1 column 1: ", all_kinds[i]);
        assert_msg_prefix(parse_fail_str(all_adapters[i], html, sizeof html - 1, 200), want);
        free(want);
        want = xasprintf("%s: HTTP 502: not JSON: line 1 column 1: ", all_kinds[i]);
        assert_msg_prefix(parse_fail_str(all_adapters[i], html, sizeof html - 1, 502), want);
        free(want);
        want = xasprintf("%s: not JSON: line 2 column ", all_kinds[i]);
        assert_msg_prefix(parse_fail_str(all_adapters[i], trunc, sizeof trunc - 1, 200), want);
        free(want);
        want = xasprintf("%s: not JSON: line 1 column ", all_kinds[i]);
        assert_msg_prefix(parse_fail_str(all_adapters[i], gbk, sizeof gbk - 1, 200), want);
        free(want);
        want = xasprintf("%s: not JSON: empty body", all_kinds[i]);
        assert_msg(parse_fail_str(all_adapters[i], NULL, 0, 200), want);
        assert_msg(parse_fail_str(all_adapters[i], "", 0, 200), want);
        free(want);
    }
    /* Leading blank lines count. */
    static const char late[] = "\n\n  <html>";
    assert_msg_prefix(parse_fail_str(fetch_parse_eastmoney_quotes, late, sizeof late - 1, 200),
                      "eastmoney-quotes: not JSON: line 3 column 3: ");
    assert_msg_prefix(parse_fail_str(fetch_parse_hf_models, late, sizeof late - 1, 200),
                      "hf-models: not JSON: line 3 column 3: ");

    /* The message quotes the bad token, but never raw control bytes. */
    static const char ctl[] = "\x01\x1b[31m";
    char *err = parse_fail_str(fetch_parse_hn_search, ctl, sizeof ctl - 1, 200);
    for (const char *p = err; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    free(err);

    /* err may be NULL. */
    fetch_response resp = { .body = html, .len = sizeof html - 1 };
    for (size_t i = 0; i < N_ADAPTERS; i++) {
        fetch_result r;
        fetch_result_init(&r);
        assert_int_equal(all_adapters[i](&resp, &r, NULL), -1);
        fetch_result_free(&r);
    }
}

static void test_bom_and_nul(void **state)
{
    (void)state;
    static const char bom[] =
        "\xEF\xBB\xBF  {\"hits\":[{\"objectID\":\"1\",\"title\":\"a\\u0000b\"}]}";
    fetch_result r;
    char *err;
    assert_int_equal(run(fetch_parse_hn_search, bom, sizeof bom - 1, 200, &r, &err), 0);
    assert_string_equal(r.items[0].title, "a"); /* a C string ends at U+0000 */
    fetch_result_free(&r);
}

/* "[[[…]]]" or {"a":{"a":…}} nested depth levels (caller frees). */
static char *nested(size_t depth, int objects, size_t *len)
{
    const char *open = objects ? "{\"a\":" : "[";
    const char *close = objects ? "}" : "]";
    size_t lo = strlen(open), lc = strlen(close);
    char *s = xmalloc(depth * (lo + lc) + 3);
    char *p = s;
    for (size_t i = 0; i < depth; i++, p += lo)
        memcpy(p, open, lo);
    if (objects) {
        memcpy(p, "1", 1);
        p++;
    }
    for (size_t i = 0; i < depth; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    *len = (size_t)(p - s);
    return s;
}

static void test_deep_nesting(void **state)
{
    (void)state;
    for (int objects = 0; objects <= 1; objects++) {
        size_t len;
        char *deep = nested(100000, objects, &len);
        for (size_t i = 0; i < N_ADAPTERS; i++) {
            char *want = xasprintf("%s: not JSON: line 1 column %d: nested deeper than 64 levels",
                                   all_kinds[i], objects ? 5 * 64 + 1 : 65);
            assert_msg(parse_fail_str(all_adapters[i], deep, len, 200), want);
            free(want);
        }
        /* Unbalanced: 100,000 openings and nothing else. */
        deep[len / 2] = '\0';
        for (size_t i = 0; i < N_ADAPTERS; i++)
            assert_msg_prefix(parse_fail_str(all_adapters[i], deep, len / 2, 200), all_kinds[i]);
        free(deep);
    }
    /* Brackets inside strings do not count. */
    core_buf b;
    core_buf_init(&b, (size_t)1 << 20);
    assert_int_equal(core_buf_printf(&b, "{\"hits\":[{\"objectID\":\"1\",\"title\":\""), 0);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(core_buf_add(&b, "[{\\\"", 4), 0);
    assert_int_equal(core_buf_printf(&b, "\"}]}"), 0);
    fetch_result r;
    char *err;
    assert_int_equal(run(fetch_parse_hn_search, b.data, b.len, 200, &r, &err), 0);
    assert_int_equal(r.n_items, 1);
    assert_int_equal(strlen(r.items[0].title), 30000);
    fetch_result_free(&r);
    core_buf_free(&b);
}

static void test_depth_boundary(void **state)
{
    (void)state;
    /* A model with an extra field nested so that the document is exactly
     * 64 deep: accepted; one more level: refused. */
    for (int extra = 0; extra <= 1; extra++) {
        size_t inner_len;
        char *inner = nested((size_t)(62 + extra), 0, &inner_len);
        char *doc = xasprintf("[{\"id\":\"Qwen/Qwen3-8B\",\"x\":%s}]", inner);
        fetch_result r;
        char *err;
        int rc = run(fetch_parse_hf_models, doc, strlen(doc), 200, &r, &err);
        if (extra == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(r.n_stats, 1);
        } else {
            assert_int_equal(rc, -1);
            assert_msg_prefix(err, "hf-models: not JSON: line 1 column ");
        }
        fetch_result_free(&r);
        free(doc);
        free(inner);
    }
}

/* What the pre-scan backs up: jansson 2.14 refuses deep nesting by itself
 * (JSON_PARSER_MAX_DEPTH) without exhausting the stack. */
static void test_jansson_depth_limit(void **state)
{
    (void)state;
#ifdef JSON_PARSER_MAX_DEPTH
    assert_true(JSON_PARSER_MAX_DEPTH <= 4096);
#endif
    for (int objects = 0; objects <= 1; objects++) {
        size_t len;
        char *deep = nested(100000, objects, &len);
        json_error_t je;
        json_t *j = json_loadb(deep, len, JSON_DECODE_ANY, &je);
        assert_null(j);
        assert_non_null(strstr(je.text, "maximum parsing depth"));
        free(deep);
    }
}

static void test_size_cap(void **state)
{
    (void)state;
    /* Exactly 8 MiB: "[" + spaces + "]" is a valid empty listing. */
    size_t cap = FETCH_JSON_MAX;
    char *big = xmalloc(cap + 2);
    memset(big, ' ', cap + 2);
    big[0] = '[';
    big[cap - 1] = ']';
    fetch_result r;
    char *err;
    assert_int_equal(run(fetch_parse_hf_models, big, cap, 200, &r, &err), 0);
    assert_int_equal(r.n_stats, 0);
    fetch_result_free(&r);
    /* One byte more is refused before parsing, by every adapter. */
    big[cap - 1] = ' ';
    big[cap] = ']';
    for (size_t i = 0; i < N_ADAPTERS; i++) {
        char *want = xasprintf("%s: response too large (8388609 bytes, limit 8 MiB)", all_kinds[i]);
        assert_msg(parse_fail_str(all_adapters[i], big, cap + 1, 200), want);
        free(want);
    }
    free(big);
}

/* ---- the shared number helpers ---- */

static void test_json_numbers(void **state)
{
    (void)state;
    double d;
    assert_int_equal(fetch_json_decimal("1398.99", 7, &d), 0);
    assert_true(d == 1398.99);
    assert_int_equal(fetch_json_decimal(" -0.57 ", 7, &d), 0);
    assert_true(d == -0.57);
    assert_int_equal(fetch_json_decimal("2e3", 3, &d), 0);
    assert_true(d == 2000);
    assert_int_equal(fetch_json_decimal(".5", 2, &d), 0);
    assert_true(d == 0.5);
    static const char *const bad[] = { "-",   "",   "--",    "1,5",   "0x10",  "inf",
                                       "nan", "1e", "1.2.3", "1e999", "12abc", " " };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (fetch_json_decimal(bad[i], strlen(bad[i]), &d) == 0)
            fail_msg("\"%s\" parsed as %g", bad[i], d);
    /* Only the first n bytes count. */
    assert_int_equal(fetch_json_decimal("12,34", 2, &d), 0);
    assert_true(d == 12);

    json_t *v = json_loads("[1, 2.5, \"3.25\", \"-\", \"\", null, true, [], \"7\", 1e3]", 0, NULL);
    assert_non_null(v);
    assert_true(fetch_json_num(json_array_get(v, 0)) == 1);
    assert_true(fetch_json_num(json_array_get(v, 1)) == 2.5);
    assert_true(fetch_json_num(json_array_get(v, 2)) == 3.25);
    for (size_t i = 3; i <= 7; i++)
        assert_nan(fetch_json_num(json_array_get(v, i)));
    assert_nan(fetch_json_num(NULL));
    assert_int_equal(fetch_json_int(json_array_get(v, 0), -1), 1);
    assert_int_equal(fetch_json_int(json_array_get(v, 1), -1), -1); /* not integral */
    assert_int_equal(fetch_json_int(json_array_get(v, 3), -1), -1);
    assert_int_equal(fetch_json_int(json_array_get(v, 8), -1), 7);
    assert_int_equal(fetch_json_int(json_array_get(v, 9), -1), 1000);
    assert_int_equal(fetch_json_int(NULL, 42), 42);
    assert_null(fetch_json_str(v, "x")); /* not an object */
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hf_models),
        cmocka_unit_test(test_hf_missing_fields),
        cmocka_unit_test(test_hf_errors),
        cmocka_unit_test(test_em_quotes_fltt2),
        cmocka_unit_test(test_em_quotes_diff_object),
        cmocka_unit_test(test_em_quotes_scaled),
        cmocka_unit_test(test_em_quotes_errors),
        cmocka_unit_test(test_em_quotes_jsonp),
        cmocka_unit_test(test_em_kline),
        cmocka_unit_test(test_em_kline_malformed),
        cmocka_unit_test(test_em_kline_errors),
        cmocka_unit_test(test_yahoo_sh_nulls),
        cmocka_unit_test(test_yahoo_sz_zone),
        cmocka_unit_test(test_yahoo_hk),
        cmocka_unit_test(test_yahoo_us),
        cmocka_unit_test(test_yahoo_errors),
        cmocka_unit_test(test_hn_search),
        cmocka_unit_test(test_hn_errors),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_bom_and_nul),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_depth_boundary),
        cmocka_unit_test(test_jansson_depth_limit),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_json_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
