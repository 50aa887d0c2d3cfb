/*
 * test_export.c — snapshots: every format against golden files, CSV read
 * back and compared with the store field by field, the JSON against its
 * schema, hostile text in every format, safe writing (overwrite refused,
 * unwritable paths, a target that appears or breaks at the last moment, a
 * writer killed mid-export), and the command line end to end.
 *
 * The cache is built once: the shipped profiles, six sources, quotes (a
 * rise, a fall, a flat one, a suspended one, a penny stock, a stale one),
 * daily bars for two listings, news inside and outside the window (one
 * headline full of <script>, quotes, a comma, a newline, ESC and bidi
 * overrides; one that is a spreadsheet formula with a javascript: link),
 * model statistics a day apart and source health (ok, failing, never
 * fetched), all at fixed times around NOW, and the time zone fixed at
 * +08:00, so the goldens are byte for byte stable. The store stamps a
 * quote's fetch time with the wall clock; the test pins it with SQL.
 *
 * Goldens live in tests/fixtures/export/; XCDASH_UPDATE_GOLDEN=1 rewrites
 * them (then read the diff: signs, units, escaping, DEMO, null for unknown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "export/export.h"
#include "export/private.h"
#include "fetch/fetch.h"
#include "tests/support/support.h"
#include "widgets/widgets.h"

#define NOW 1795851000LL /* 2026-11-28T15:30:00+08:00 */
#define DAY 86400LL

/* The headline that tries everything. */
#define HOSTILE                                                                                    \
    "DeepSeek <script>alert(1)</script> \"quotes\", a comma\nand a newline "                       \
    "\x1b[31mred\x1b[0m \xe2\x80\xae"                                                              \
    "desrever\xe2\x80\xac & <b>bold</b> 'single'"
#define FORMULA "=HYPERLINK(\"http://evil.example/\",\"click\")"

typedef struct fx {
    char *dir; /* the cache */
    char *out; /* this run's output files */
    store *st;
} fx;

static fx F;

/* ---- the cache ------------------------------------------------------------ */

static void put_source(store *st, const char *id, const char *kind, const char *pillar,
                       int interval)
{
    store_source s = { .id = id,
                       .kind = kind,
                       .url = "https://example.com/source",
                       .pillar = pillar,
                       .title = id,
                       .enabled = 1,
                       .interval_s = interval,
                       .origin = "user" };
    char *err = NULL;
    if (store_source_put(st, &s, &err) != 0)
        fail_msg("store_source_put: %s", err);
}

static void write_batch(store *st, const store_batch *b)
{
    char *err = NULL;
    if (store_write(st, b, NULL, &err) != 0)
        fail_msg("store_write: %s", err);
}

static store_quote quote(const char *ex, const char *code, double last, double change, double pct,
                         double cap, int64_t ts)
{
    return (store_quote){ .exchange = ex,
                          .code = code,
                          .last = last,
                          .change = change,
                          .change_pct = pct,
                          .open = NAN,
                          .high = NAN,
                          .low = NAN,
                          .prev_close = NAN,
                          .volume = NAN,
                          .turnover = NAN,
                          .market_cap = cap,
                          .ts = ts };
}

static void sql(const char *path, const char *q)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        fail_msg("sqlite3_open %s", path);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
    sqlite3_close(db);
}

static void build_cache(store *st, const char *db_path)
{
    put_source(st, "t-quotes", "eastmoney-quotes", NULL, 60);
    put_source(st, "t-kline", "eastmoney-kline", NULL, 21600);
    put_source(st, "t-news", "feed", "models", 1800);
    put_source(st, "t-gpu", "feed", "gpu", 1800);
    put_source(st, "t-hf", "hf-models", "models", 3600);
    put_source(st, "t-never", "feed", NULL, 1800);

    store_quote q[] = {
        quote("HK", "09988", 150.2, 4.5, 3.09, 2.87e12, NOW - 1800),        /* a rise */
        quote("US", "BABA", 120.35, -1.15, -0.95, 2.9e11, NOW - 16 * 3600), /* a fall */
        quote("HK", "09888", 98.0, 0, 0, 2.7e11, NOW - 1800),               /* flat */
        quote("HK", "00700", 480.6, 12.4, 2.65, 4.5e12, NOW - 1800),
        quote("SZ", "002230", 45.67, -1.51, -3.2, 1.06e11, NOW - 7200), /* stale below */
        quote("SZ", "300418", NAN, NAN, NAN, 5.5e10, NOW - 7200),       /* suspended */
        quote("HK", "00020", 0.985, -0.015, -1.5, 3.3e10, NOW - 1800),  /* a penny stock */
        quote("SH", "688256", 612.5, 12.5, 2.08, 2.56e11, NOW - 1800),  /* gpu, not models */
    };
    store_health ok_q = { .ok = 1, .at = NOW - 120, .http_status = 200, .next_due = NOW - 60 };
    write_batch(st, &(store_batch){ .source_id = "t-quotes",
                                    .quotes = q,
                                    .n_quotes = sizeof q / sizeof q[0],
                                    .health = &ok_q });
    /* the store stamps fetch times with the clock: pin them. NOW is a Saturday:
     * two minutes ago is fresh; Friday 14:00, before the close, is stale */
    char *pin = xasprintf("UPDATE quote SET fetched=%lld; UPDATE quote SET fetched=%lld WHERE "
                          "code IN ('002230', '300418');",
                          NOW - 120, NOW - DAY - 5400);
    sql(db_path, pin);
    free(pin);

    /* 60 sessions of Tencent rising, 40 of iFlytek falling */
    store_bar bars[100];
    char dates[100][11];
    for (int i = 0; i < 100; i++) {
        int n = i < 60 ? i : i - 60;
        time_t t = (time_t)(NOW - (int64_t)(i < 60 ? 60 - n : 40 - n) * DAY);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(dates[i], sizeof dates[i], "%Y-%m-%d", &tm);
        double close = i < 60 ? 400 + n * 1.5 + (n % 5) * 2.0 : 60 - n * 0.35 + (n % 3) * 0.4;
        bars[i] = (store_bar){ .exchange = i < 60 ? "HK" : "SZ",
                               .code = i < 60 ? "00700" : "002230",
                               .date = dates[i],
                               .open = close,
                               .high = close,
                               .low = close,
                               .close = close,
                               .volume = 1000,
                               .amount = 1e6 };
    }
    store_health ok_k = { .ok = 1, .at = NOW - 5000, .http_status = 200, .next_due = NOW + 16600 };
    write_batch(
        st, &(store_batch){ .source_id = "t-kline", .bars = bars, .n_bars = 100, .health = &ok_k });

    store_item items[] = {
        { .guid = "n1",
          .url = "https://example.com/news/1?a=1&b=2",
          .title = "DeepSeek 发布新一代推理模型",
          .published = NOW - 3600 },
        { .guid = "n2",
          .url = "https://example.com/news/2\"><x",
          .title = HOSTILE,
          .published = NOW - 7200 },
        { .guid = "n3",
          .url = "https://example.com/news/3",
          .title = "腾讯混元大模型升级，阿里巴巴通义千问跟进",
          .published = NOW - 2 * DAY },
        { .guid = "n4",
          .url = "javascript:alert(1)",
          .title = FORMULA,
          .published = NOW - 3 * DAY },
        { .guid = "n5",
          .url = "https://example.com/news/5",
          .title = "Qwen3 tops an open-weight leaderboard | 智谱 GLM follows",
          .published = NOW - 6 * DAY },
        { .guid = "n6", /* outside the 7-day window */
          .url = "https://example.com/news/6",
          .title = "月之暗面 Kimi old news",
          .published = NOW - 10 * DAY },
    };
    store_health ok_n = { .ok = 1, .at = NOW - 600, .http_status = 200, .next_due = NOW + 1200 };
    write_batch(st, &(store_batch){ .source_id = "t-news",
                                    .items = items,
                                    .n_items = sizeof items / sizeof items[0],
                                    .health = &ok_n });
    store_item gpu[] = { { .guid = "g1",
                           .url = "https://example.com/gpu/1",
                           .title = "寒武纪思元新品发布",
                           .published = NOW - 5000 } };
    store_health ok_g = { .ok = 1, .at = NOW - 4000, .http_status = 200, .next_due = NOW - 2200 };
    write_batch(
        st, &(store_batch){ .source_id = "t-gpu", .items = gpu, .n_items = 1, .health = &ok_g });
    store_health bad_g = { .ok = 0,
                           .at = NOW - 300,
                           .http_status = 503,
                           .error = "HTTP 503 <b>busy</b>\x1b[2J",
                           .next_due = NOW + 900 };
    write_batch(st, &(store_batch){ .source_id = "t-gpu", .health = &bad_g });

    store_model_stat stats[] = {
        { .repo = "deepseek-ai/DeepSeek-V3",
          .ts = NOW - DAY - 3600,
          .downloads = 1000000,
          .downloads_all = -1,
          .likes = 5000 },
        { .repo = "deepseek-ai/DeepSeek-V3",
          .ts = NOW - 3600,
          .downloads = 1234567,
          .downloads_all = -1,
          .likes = 5100 },
        { .repo = "Qwen/Qwen3-235B-A22B",
          .ts = NOW - 3600,
          .downloads = 987654,
          .downloads_all = -1,
          .likes = 1200 },
    };
    store_health ok_h = { .ok = 1, .at = NOW - 3600, .http_status = 200, .next_due = NOW };
    write_batch(
        st, &(store_batch){ .source_id = "t-hf", .stats = stats, .n_stats = 3, .health = &ok_h });
}

static int group_setup(void **state)
{
    setenv("TZ", "CST-8", 1); /* +08:00 without depending on tzdata */
    tzset();
    setlocale(LC_ALL, "C.UTF-8");
    F.dir = ts_tmpdir();
    F.out = ts_tmpdir();
    F.st = ts_store(F.dir);
    char *db = xasprintf("%s/cache.db", F.dir);
    build_cache(F.st, db);
    free(db);
    *state = &F;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    store_close(F.st);
    ts_rmrf(F.dir);
    ts_rmrf(F.out);
    free(F.dir);
    free(F.out);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

static export_opts opts(export_format f, const char *path)
{
    return (export_opts){ .format = f, .path = path, .rise_red = 1, .lang_en = 1, .now = NOW };
}

/* Exports and returns the file's bytes. */
static char *export_read(const export_opts *o, size_t *len)
{
    char *err = NULL;
    if (export_write(F.st, o, &err) != 0)
        fail_msg("export_write %s: %s", o->path, err);
    return ts_read_file(o->path, len);
}

static char *out_path(const char *name)
{
    return xasprintf("%s/%s", F.out, name);
}

/* Compares with tests/fixtures/export/NAME, or rewrites it with XCDASH_UPDATE_GOLDEN=1. */
static void golden(const char *name, const char *got, size_t len)
{
    char *path = ts_fixture_path("export", name);
    const char *upd = getenv("XCDASH_UPDATE_GOLDEN");
    if (upd != NULL && strcmp(upd, "1") == 0) {
        char *dir = ts_fixture_path("export", "");
        mkdir(dir, 0777);
        free(dir);
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(got, 1, len, f) != len || fclose(f) != 0)
            fail_msg("cannot write %s", path);
        free(path);
        return;
    }
    struct stat sb;
    if (stat(path, &sb) != 0)
        fail_msg("%s is missing: run XCDASH_UPDATE_GOLDEN=1 sh tests/run.sh BUILD export", path);
    size_t n;
    char *want = ts_read_file(path, &n);
    if (n != len || memcmp(want, got, n) != 0) {
        size_t i = 0, line = 1;
        while (i < n && i < len && want[i] == got[i])
            line += want[i++] == '\n';
        char *actual = xasprintf("%s/%s.actual", F.out, name);
        FILE *f = fopen(actual, "wb");
        if (f) {
            fwrite(got, 1, len, f);
            fclose(f);
        }
        /* keep the evidence: the output directory is removed at the end */
        char *keep = xasprintf("/tmp/xcdash-golden-%s.actual", name);
        rename(actual, keep);
        fail_msg("%s differs from its golden at line %zu (got %zu bytes, want %zu); got: %s", name,
                 line, len, n, keep);
    }
    free(want);
    free(path);
}

static int have(const char *tool)
{
    char *cmd = xasprintf("command -v %s >/dev/null 2>&1", tool);
    int ok = system(cmd) == 0;
    free(cmd);
    return ok;
}

/* A tool the CI installs: missing is a failure there, a skip elsewhere. */
static int need(const char *tool)
{
    if (have(tool))
        return 1;
    const char *ci = getenv("CI");
    if (ci != NULL && *ci && strcmp(ci, "false") != 0 && strcmp(ci, "0") != 0)
        fail_msg("%s is missing (sh .ci/deps --test installs it)", tool);
    return 0;
}

/* Names in dir that start with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* ---- a small RFC 4180 reader ---------------------------------------------------- */

typedef struct csv {
    char ***rows; /* rows[r][f] */
    size_t *nf;
    size_t n;
} csv;

/* Parses CRLF-terminated records strictly; fails the test on anything else. */
static csv csv_parse(const char *s, size_t len)
{
    csv c = { 0 };
    size_t i = 0, cap = 0;
    while (i < len) {
        if (c.n == cap) {
            cap = cap ? cap * 2 : 16;
            c.rows = xrealloc(c.rows, cap * sizeof *c.rows);
            c.nf = xrealloc(c.nf, cap * sizeof *c.nf);
        }
        char **fields = NULL;
        size_t nf = 0;
        for (;;) {
            core_buf b;
            core_buf_init(&b, 1 << 20);
            if (i < len && s[i] == '"') {
                for (i++;; i++) {
                    if (i >= len)
                        fail_msg("CSV: unterminated quoted field in record %zu", c.n + 1);
                    if (s[i] == '"') {
                        if (i + 1 < len && s[i + 1] == '"') {
                            core_buf_add(&b, "\"", 1);
                            i++;
                            continue;
                        }
                        i++;
                        break;
                    }
                    core_buf_add(&b, &s[i], 1);
                }
            } else {
                while (i < len && s[i] != ',' && s[i] != '\r') {
                    if (s[i] == '"' || s[i] == '\n')
                        fail_msg("CSV: bare %s in record %zu", s[i] == '"' ? "quote" : "LF",
                                 c.n + 1);
                    core_buf_add(&b, &s[i++], 1);
                }
            }
            fields = xrealloc(fields, (nf + 1) * sizeof *fields);
            fields[nf++] = core_buf_take(&b);
            if (i < len && s[i] == ',') {
                i++;
                continue;
            }
            if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                break;
            }
            fail_msg("CSV: record %zu does not end in CRLF", c.n + 1);
        }
        c.rows[c.n] = fields;
        c.nf[c.n++] = nf;
    }
    return c;
}

static void csv_free(csv *c)
{
    for (size_t r = 0; r < c->n; r++) {
        for (size_t f = 0; f < c->nf[r]; f++)
            free(c->rows[r][f]);
        free(c->rows[r]);
    }
    free(c->rows);
    free(c->nf);
}

/* The field named `name` of record r (header in record 0). */
static const char *field(const csv *c, size_t r, const char *name)
{
    for (size_t f = 0; f < c->nf[0]; f++)
        if (strcmp(c->rows[0][f], name) == 0)
            return c->rows[r][f];
    fail_msg("no column %s", name);
    return NULL;
}

/* What a text becomes in CSV: sanitized, with a formula guard. */
static char *csv_text(const char *s)
{
    if (s == NULL)
        return xstrdup("");
    char *clean = widget_text_sanitize(s, -1, 0);
    if (clean[0] && strchr("=+-@", clean[0])) {
        char *g = xasprintf("'%s", clean);
        free(clean);
        return g;
    }
    return clean;
}

static void expect_text(const char *got, const char *raw)
{
    char *want = csv_text(raw);
    assert_string_equal(got, want);
    free(want);
}

static void expect_num(const char *got, double v)
{
    if (isnan(v)) {
        assert_string_equal(got, "");
        return;
    }
    assert_true(*got != '\0');
    assert_true(fabs(strtod(got, NULL) - v) <= fabs(v) * 1e-12);
}

static void expect_time(const char *got, int64_t t)
{
    char buf[40] = "";
    if (t > 0)
        core_iso8601(t, buf, sizeof buf);
    assert_string_equal(got, buf);
}

/* ---- formats against goldens ------------------------------------------------------ */

static void test_goldens(void **state)
{
    (void)state;
    static const struct {
        export_format f;
        const char *name, *table;
        int lang_en, rise_red, demo;
    } cases[] = {
        { EXPORT_JSON, "models.json", NULL, 1, 1, 0 },
        { EXPORT_CSV, "models-pillars.csv", "pillars", 1, 1, 0 },
        { EXPORT_CSV, "models-companies.csv", "companies", 1, 1, 0 },
        { EXPORT_CSV, "models-news.csv", "news", 1, 1, 0 },
        { EXPORT_CSV, "models-models.csv", "models", 1, 1, 0 },
        { EXPORT_CSV, "models-sources.csv", "sources", 1, 1, 0 },
        { EXPORT_MD, "models-zh.md", NULL, 0, 1, 1 },
        { EXPORT_MD, "models-en.md", NULL, 1, 0, 0 },
        { EXPORT_HTML, "models-en-green.html", NULL, 1, 0, 1 },
        { EXPORT_HTML, "models-zh.html", NULL, 0, 1, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = out_path(cases[i].name);
        export_opts o = opts(cases[i].f, path);
        o.pillar = "models";
        o.table = cases[i].table;
        o.lang_en = cases[i].lang_en;
        o.rise_red = cases[i].rise_red;
        o.demo = cases[i].demo;
        size_t len;
        char *got = export_read(&o, &len);
        golden(cases[i].name, got, len);
        free(got);
        free(path);
    }
}

/* The workbook's bytes hold zip timestamps: compare what xlsx2csv reads back per sheet. */
static void test_xlsx_golden(void **state)
{
    (void)state;
    if (!need("xlsx2csv"))
        skip();
    char *path = out_path("models.xlsx");
    export_opts o = opts(EXPORT_XLSX, path);
    o.pillar = "models";
    o.lang_en = 0;
    o.demo = 1;
    char *err = NULL;
    if (export_write(F.st, &o, &err) != 0)
        fail_msg("%s", err);
    static const char *const sheets[] = { "pillars", "companies", "news", "models", "sources" };
    for (int i = 0; i < 5; i++) {
        char *csvp = xasprintf("%s/sheet%d.csv", F.out, i + 1);
        char *cmd = xasprintf("xlsx2csv -s %d '%s' '%s'", i + 1, path, csvp);
        assert_int_equal(system(cmd), 0);
        size_t len;
        char *got = ts_read_file(csvp, &len);
        char *name = xasprintf("models-xlsx-%s.csv", sheets[i]);
        golden(name, got, len);
        if (i == 2) /* the news sheet: the hostile headline sanitized, no ESC, no bidi */
            assert_null(memchr(got, 0x1b, len));
        free(name);
        free(got);
        free(cmd);
        free(csvp);
    }
    /* real numeric cells with number formats, frozen header rows */
    char *cmd = xasprintf("cd '%s' && rm -rf x && mkdir x && cd x && python3 -c \"import "
                          "zipfile; zipfile.ZipFile('../models.xlsx').extractall('.')\"",
                          F.out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char *sheet2 = xasprintf("%s/x/xl/worksheets/sheet2.xml", F.out);
    char *styles = xasprintf("%s/x/xl/styles.xml", F.out);
    size_t n;
    char *x = ts_read_file(sheet2, &n);
    assert_non_null(strstr(x, "state=\"frozen\""));
    assert_non_null(strstr(x, "<v>150.2</v>"));  /* a number, not the string "150.20" */
    assert_non_null(strstr(x, "<v>0.0309</v>")); /* 3.09% as a fraction under 0.00% */
    assert_non_null(strstr(x, "<cols>"));        /* widths set from the contents */
    free(x);
    x = ts_read_file(styles, &n);
    assert_non_null(strstr(x, "formatCode=\"0.00%\""));
    assert_non_null(strstr(x, "formatCode=\"0.00\""));
    assert_non_null(strstr(x, "FFC62828")); /* rise (red by default) */
    assert_non_null(strstr(x, "FF2E7D32")); /* fall */
    free(x);
    /* the formula headline is a string cell, never a formula */
    char *sheet3 = xasprintf("%s/x/xl/worksheets/sheet3.xml", F.out);
    x = ts_read_file(sheet3, &n);
    assert_null(strstr(x, "<f>"));
    free(x);
    free(sheet3);
    free(sheet2);
    free(styles);
    free(path);
}

/* ---- CSV read back against the store -------------------------------------------- */

typedef struct cmp_ctx {
    const csv *c;
    size_t row;
} cmp_ctx;

static int compare_company(void *ctx, const store_company *co)
{
    cmp_ctx *x = ctx;
    size_t nl = co->n_listings ? co->n_listings : 1;
    for (size_t k = 0; k < nl; k++) {
        size_t r = ++x->row;
        assert_true(r < x->c->n);
        const store_listing *l = co->n_listings ? &co->listings[k] : NULL;
        int q = l && l->has_quote;
        expect_text(field(x->c, r, "company_id"), co->id);
        expect_text(field(x->c, r, "name_en"), co->name_en);
        expect_text(field(x->c, r, "name_zh"), co->name_zh);
        expect_text(field(x->c, r, "pillars"), co->pillars);
        expect_text(field(x->c, r, "exchange"), l ? l->exchange : NULL);
        expect_text(field(x->c, r, "code"), l ? l->code : NULL);
        expect_text(field(x->c, r, "currency"), l ? l->currency : NULL);
        expect_num(field(x->c, r, "last"), q ? l->last : NAN);
        expect_num(field(x->c, r, "change"), q ? l->change : NAN);
        expect_num(field(x->c, r, "change_pct"), q ? l->change_pct : NAN);
        expect_num(field(x->c, r, "market_cap"), q ? l->market_cap : NAN);
        expect_time(field(x->c, r, "quote_time"), q ? l->quote_ts : 0);
        expect_time(field(x->c, r, "quote_fetched"), q ? l->quote_fetched : 0);
        expect_text(field(x->c, r, "as_of"), co->as_of);
        expect_text(field(x->c, r, "confidence"), co->confidence);
        expect_text(field(x->c, r, "source_note"), co->source_note);
        expect_text(field(x->c, r, "listing_source_note"), l ? l->source_note : NULL);
        const char *stale = field(x->c, r, "stale");
        if (!q)
            assert_string_equal(stale, "");
        else
            assert_string_equal(
                stale, fetch_quote_stale(l->exchange, l->quote_fetched, l->quote_interval, NOW)
                           ? "true"
                           : "false");
    }
    return 0;
}

static void test_csv_round_trip(void **state)
{
    (void)state;
    char *path = out_path("all-companies.csv");
    export_opts o = opts(EXPORT_CSV, path);
    o.force = 1;
    size_t len;
    char *text = export_read(&o, &len);
    csv c = csv_parse(text, len);
    assert_true(c.n > 60); /* every company, one row per listing */
    for (size_t r = 0; r < c.n; r++)
        assert_int_equal(c.nf[r], c.nf[0]);
    cmp_ctx x = { &c, 0 };
    char *err = NULL;
    assert_int_equal(store_companies_each(F.st, NULL, compare_company, &x, &err), 0);
    assert_int_equal(x.row + 1, c.n);
    csv_free(&c);
    free(text);

    /* news: the window, newest first, each field as stored (sanitized, guarded) */
    o.table = "news";
    text = export_read(&o, &len);
    c = csv_parse(text, len);
    store_news_page p;
    store_news_query q = { .after = STORE_CURSOR_START, .limit = 100 };
    assert_int_equal(store_news_page_get(F.st, &q, &p, &err), 0);
    size_t r = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (p.rows[i].published < NOW - 7 * DAY)
            continue;
        r++;
        assert_true(r < c.n);
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)p.rows[i].id);
        assert_string_equal(field(&c, r, "id"), id);
        expect_time(field(&c, r, "published"), p.rows[i].published);
        expect_text(field(&c, r, "source"), p.rows[i].source_id);
        expect_text(field(&c, r, "title"), p.rows[i].title);
        expect_text(field(&c, r, "url"), p.rows[i].url);
        expect_text(field(&c, r, "companies"), p.rows[i].companies);
    }
    assert_int_equal(r, 6); /* five models items and the gpu one; the old one is out */
    assert_int_equal(r + 1, c.n);
    store_news_page_free(&p);
    csv_free(&c);
    free(text);

    /* the BOM, only when asked */
    o.table = NULL;
    o.bom = 1;
    text = export_read(&o, &len);
    assert_memory_equal(text,
                        "\xEF\xBB\xBF"
                        "company_id,",
                        14);
    free(text);
    o.bom = 0;
    text = export_read(&o, &len);
    assert_memory_equal(text, "company_id,", 11);
    free(text);
    free(path);
}

/* ---- the JSON against its schema -------------------------------------------------- */

static const char *python_with_jsonschema(void)
{
    static const char *const pys[] = { "python3", "/usr/bin/python3" };
    for (size_t i = 0; i < 2; i++) {
        char *cmd = xasprintf("%s -c 'import jsonschema' >/dev/null 2>&1", pys[i]);
        int ok = system(cmd) == 0;
        free(cmd);
        if (ok)
            return pys[i];
    }
    return NULL;
}

static void test_json_schema(void **state)
{
    (void)state;
    const char *py = python_with_jsonschema();
    if (py == NULL) {
        need("python3-jsonschema-is-not-installed"); /* fails under CI, else skips */
        skip();
    }
    char *schema = xasprintf("%s/docs/snapshot-schema.json", ts_src());
    const char *scopes[][2] = {
        { NULL, NULL }, { "models", NULL }, { NULL, "deepseek" }, { NULL, "alibaba" }
    };
    for (size_t i = 0; i < 4; i++) {
        char *path = xasprintf("%s/schema-%zu.json", F.out, i);
        export_opts o = opts(EXPORT_JSON, path);
        o.pillar = scopes[i][0];
        o.company = scopes[i][1];
        o.demo = (int)(i & 1);
        char *err = NULL;
        if (export_write(F.st, &o, &err) != 0)
            fail_msg("%s", err);
        char *cmd = xasprintf(
            "%s -c 'import json,sys,jsonschema; s=json.load(open(sys.argv[1])); "
            "jsonschema.Draft202012Validator.check_schema(s); "
            "jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))' '%s' '%s'",
            py, schema, path);
        if (system(cmd) != 0)
            fail_msg("%s does not validate against %s", path, schema);
        free(cmd);
        /* and the facts behind the shape */
        json_error_t je;
        json_t *j = json_load_file(path, 0, &je);
        assert_non_null(j);
        assert_int_equal(json_is_true(json_object_get(j, "demo")), (int)(i & 1));
        assert_string_equal(json_string_value(json_object_get(j, "generated_at")),
                            "2026-11-28T15:30:00+08:00");
        json_t *scope = json_object_get(j, "scope");
        assert_string_equal(json_string_value(json_object_get(scope, "kind")), i == 0 ? "all"
                                                                               : i == 1
                                                                                   ? "pillar"
                                                                                   : "company");
        json_decref(j);
        free(path);
    }
    free(schema);
}

static void test_json_values(void **state)
{
    (void)state;
    char *path = out_path("values.json");
    export_opts o = opts(EXPORT_JSON, path);
    o.company = "alibaba";
    char *err = NULL;
    assert_int_equal(export_write(F.st, &o, &err), 0);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    assert_non_null(j);
    json_t *c = json_array_get(json_object_get(j, "companies"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "id")), "alibaba");
    json_t *hk = json_array_get(json_object_get(c, "listings"), 0);
    json_t *q = json_object_get(hk, "quote");
    assert_true(fabs(json_real_value(json_object_get(q, "last")) - 150.2) < 1e-9);
    assert_true(fabs(json_real_value(json_object_get(q, "change_pct")) - 3.09) < 1e-9);
    assert_string_equal(json_string_value(json_object_get(q, "time")), "2026-11-28T15:00:00+08:00");
    assert_int_equal(json_integer_value(json_object_get(q, "source_interval_s")), 60);
    assert_true(json_is_false(json_object_get(q, "stale")));
    /* the company's pillars and only the sources that feed it */
    assert_int_equal(json_array_size(json_object_get(j, "pillars")), 1);
    json_t *src;
    size_t i;
    json_array_foreach(json_object_get(j, "sources"), i, src)
    {
        const char *p = json_string_value(json_object_get(src, "pillar"));
        assert_true(p == NULL || strcmp(p, "models") == 0);
        if (strcmp(json_string_value(json_object_get(src, "id")), "t-never") == 0) {
            assert_true(json_is_null(json_object_get(src, "ok")));
            assert_true(json_is_null(json_object_get(src, "last_attempt")));
        }
    }
    /* models of the company, with the day-before statistics when there are some */
    json_t *m;
    int qwen3 = 0;
    json_array_foreach(json_object_get(j, "models"), i, m)
    {
        assert_string_equal(json_string_value(json_object_get(json_object_get(m, "lab"), "id")),
                            "alibaba");
        if (strcmp(json_string_value(json_object_get(m, "id")), "qwen3-235b-a22b") == 0) {
            qwen3 = 1;
            assert_int_equal(json_integer_value(json_object_get(m, "downloads")), 987654);
            assert_true(json_is_null(json_object_get(m, "downloads_prev")));
        }
    }
    assert_true(qwen3);
    json_decref(j);

    /* a listing without a quote has "quote": null, never zeros */
    o.company = "zhipu";
    o.force = 1;
    assert_int_equal(export_write(F.st, &o, &err), 0);
    j = json_load_file(path, 0, &je);
    c = json_array_get(json_object_get(j, "companies"), 0);
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(c, "listings"), 0), "quote")));
    json_decref(j);
    /* a suspended listing: a quote whose price is unknown (null), its market cap known */
    o.company = "kunlun-tech";
    assert_int_equal(export_write(F.st, &o, &err), 0);
    j = json_load_file(path, 0, &je);
    c = json_array_get(json_object_get(j, "companies"), 0);
    q = json_object_get(json_array_get(json_object_get(c, "listings"), 0), "quote");
    assert_true(json_is_null(json_object_get(q, "last")));
    assert_true(json_is_null(json_object_get(q, "change_pct")));
    assert_true(json_is_number(json_object_get(q, "market_cap")));
    assert_true(json_is_true(json_object_get(q, "stale"))); /* fetched before Friday's close */
    json_decref(j);
    free(path);
}

/* ---- hostile text ------------------------------------------------------------------ */

static int has_bytes(const char *s, size_t n, const char *what)
{
    size_t w = strlen(what);
    for (size_t i = 0; i + w <= n; i++)
        if (memcmp(s + i, what, w) == 0)
            return 1;
    return 0;
}

/* No ESC, no bidi override or isolate in a file. */
static void assert_no_controls(const char *name, const char *s, size_t n)
{
    if (memchr(s, 0x1b, n) != NULL)
        fail_msg("%s holds an ESC", name);
    if (has_bytes(s, n, "\xe2\x80\xae") || has_bytes(s, n, "\xe2\x80\xac"))
        fail_msg("%s holds a bidi override", name);
}

static void test_hostile_text(void **state)
{
    (void)state;
    size_t n;
    char *path = out_path("hostile");
    export_opts o = opts(EXPORT_JSON, path); /* everything: the failing gpu source too */
    o.force = 1;

    /* JSON: the value exactly as stored, the bytes escaped */
    char *s = export_read(&o, &n);
    assert_no_controls("JSON", s, n);
    assert_true(has_bytes(s, n, "\\u001B[31m"));
    assert_true(has_bytes(s, n, "\\u202E"));
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    assert_non_null(j);
    json_t *item;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(j, "news"), i, item)
    {
        if (strcmp(json_string_value(json_object_get(item, "title")), HOSTILE) == 0)
            found = 1;
    }
    assert_true(found);
    json_decref(j);
    free(s);

    /* CSV: sanitized, quoted, the formula guarded */
    o.format = EXPORT_CSV;
    o.table = "news";
    s = export_read(&o, &n);
    assert_no_controls("CSV", s, n);
    csv c = csv_parse(s, n);
    int hostile = 0, formula = 0;
    for (size_t r = 1; r < c.n; r++) {
        const char *t = field(&c, r, "title");
        if (strstr(t, "<script>alert(1)</script>") != NULL) {
            hostile = 1;
            assert_non_null(strstr(t, "\"quotes\", a comma and a newline red desrever &"));
        }
        if (strcmp(t, "'" FORMULA) == 0)
            formula = 1;
    }
    assert_true(hostile && formula);
    csv_free(&c);
    free(s);
    o.table = NULL;

    /* Markdown: no raw HTML, no broken table row */
    o.format = EXPORT_MD;
    s = export_read(&o, &n);
    assert_no_controls("Markdown", s, n);
    for (size_t k = 0; k < n; k++) /* every < > escaped: no raw HTML once rendered */
        if ((s[k] == '<' || s[k] == '>') && (k == 0 || s[k - 1] != '\\'))
            fail_msg("an unescaped %c in the Markdown at byte %zu", s[k], k);
    assert_true(has_bytes(s, n, "\\<script\\>alert(1)\\</script\\>"));
    assert_false(has_bytes(s, n, "javascript:"));
    for (char *line = s; line && *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > 0 && line[0] == '|' && has_bytes(line, len, "alert(1)")) {
            int pipes = 0;
            for (size_t k = 0; k < len; k++)
                pipes += line[k] == '|' && (k == 0 || line[k - 1] != '\\');
            assert_int_equal(pipes, 5); /* four columns */
        }
        line = end ? end + 1 : NULL;
    }
    free(s);

    /* HTML: escaped text, no element, no script URL */
    o.format = EXPORT_HTML;
    s = export_read(&o, &n);
    assert_no_controls("HTML", s, n);
    assert_false(has_bytes(s, n, "<script"));
    assert_false(has_bytes(s, n, "<b>bold"));
    assert_false(has_bytes(s, n, "<b>busy"));
    assert_false(has_bytes(s, n, "javascript:"));
    assert_true(
        has_bytes(s, n, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot;, a comma"));
    assert_true(has_bytes(s, n, "&#39;single&#39;"));
    assert_true(has_bytes(s, n, "HTTP 503 &lt;b&gt;busy&lt;/b&gt;"));
    assert_true(has_bytes(s, n, "href=\"https://example.com/news/2%22%3E%3Cx\""));
    assert_true(has_bytes(s, n, "href=\"https://example.com/news/1?a=1&amp;b=2\""));
    free(s);
    free(path);
}

/* ---- formatting ------------------------------------------------------------------- */

static void test_formatting(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(export_fmt_price(612.5, b, sizeof b), "612.50");
    assert_string_equal(export_fmt_price(0.985, b, sizeof b), "0.985");
    assert_string_equal(export_fmt_price(NAN, b, sizeof b), EXPORT_NONE);
    assert_string_equal(export_fmt_change(0.98, 21.63, b, sizeof b), "+0.98");
    assert_string_equal(export_fmt_change(-0.015, 0.985, b, sizeof b), "-0.015");
    assert_string_equal(export_fmt_change(0, 98, b, sizeof b), "0.00");
    assert_string_equal(export_fmt_pct(2.08, b, sizeof b), "+2.08%");
    assert_string_equal(export_fmt_pct(-3.2, b, sizeof b), "-3.20%");
    assert_string_equal(export_fmt_pct(0, b, sizeof b), "0.00%");
    assert_string_equal(export_fmt_pct(-0.001, b, sizeof b), "0.00%"); /* no "-0.00%" */
    assert_string_equal(export_fmt_cap(2.87e12, 0, b, sizeof b), "2.87万亿");
    assert_string_equal(export_fmt_cap(2.7e11, 0, b, sizeof b), "2700.00亿");
    assert_string_equal(export_fmt_cap(5.5e7, 0, b, sizeof b), "5500.00万");
    assert_string_equal(export_fmt_cap(2.87e12, 1, b, sizeof b), "2.87T");
    assert_string_equal(export_fmt_cap(2.7e11, 1, b, sizeof b), "270.00B");
    assert_string_equal(export_fmt_cap(5.5e7, 1, b, sizeof b), "55.00M");
    assert_string_equal(export_fmt_count(1234567, b, sizeof b), "1,234,567");
    assert_string_equal(export_fmt_count(999, b, sizeof b), "999");
    assert_string_equal(export_fmt_count(-1, b, sizeof b), EXPORT_NONE);
    assert_string_equal(export_fmt_delta(1234567, 1000000, b, sizeof b), "+234,567");
    assert_string_equal(export_fmt_delta(5, 7, b, sizeof b), "-2");
    assert_string_equal(export_fmt_delta(5, -1, b, sizeof b), EXPORT_NONE);
    assert_string_equal(export_fmt_span(59, 1, b, sizeof b), "59 s");
    assert_string_equal(export_fmt_span(3599, 1, b, sizeof b), "59 min");
    assert_string_equal(export_fmt_span(7200, 0, b, sizeof b), "2小时");
    assert_string_equal(export_fmt_span(3 * DAY, 1, b, sizeof b), "3 d");
    char *u = export_safe_url("HTTPS://x.example/a b?q=\"<>|()'");
    assert_string_equal(u, "HTTPS://x.example/a%20b?q=%22%3C%3E%7C%28%29%27");
    free(u);
    assert_null(export_safe_url("javascript:alert(1)"));
    assert_null(export_safe_url("file:///etc/passwd"));
    assert_null(export_safe_url(NULL));

    export_format f;
    assert_int_equal(export_format_parse("xlsx", &f), 0);
    assert_int_equal(f, EXPORT_XLSX);
    assert_int_equal(export_format_parse("pdf", &f), -1);
    assert_string_equal(export_format_ext(EXPORT_MD), "md");
    assert_int_equal(export_table_check("news"), 0);
    assert_int_equal(export_table_check("quotes"), -1);
    char *p = export_default_path("/home/u", "gpu", EXPORT_HTML, NOW);
    assert_string_equal(p, "/home/u/xcdash-snapshots/xcdash-gpu-20261128-153000.html");
    free(p);
    p = export_default_path(NULL, NULL, EXPORT_JSON, NOW);
    assert_string_equal(p, "./xcdash-snapshots/xcdash-all-20261128-153000.json");
    free(p);
    p = export_default_path("/h", "../x/\xe4\xb8\xad y", EXPORT_CSV, NOW);
    assert_string_equal(p, "/h/xcdash-snapshots/xcdash-.._x_____y-20261128-153000.csv");
    free(p);
}

/* ---- safe writing -------------------------------------------------------------- */

static void test_overwrite(void **state)
{
    (void)state;
    char *dir = ts_tmpdir();
    char *path = xasprintf("%s/snap.json", dir);
    ts_write_file(path, "original");
    export_opts o = opts(EXPORT_JSON, path);
    char *err = NULL;
    assert_int_equal(export_write(F.st, &o, &err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "already exists"));
    free(err);
    err = NULL;
    size_t n;
    char *s = ts_read_file(path, &n);
    assert_string_equal(s, "original");
    free(s);
    assert_int_equal(entries(dir), 1);
    o.force = 1;
    assert_int_equal(export_write(F.st, &o, &err), 0);
    s = ts_read_file(path, &n);
    assert_non_null(strstr(s, "\"schema\": \"xcdash.snapshot/1\""));
    free(s);
    assert_int_equal(entries(dir), 1);
    /* the file gets the umask's permissions, not mkstemp's 0600 */
    mode_t old = umask(022);
    umask(old);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0666 & ~old);
    /* missing directories are created */
    char *deep = xasprintf("%s/a/b/c/snap.md", dir);
    o.path = deep;
    o.format = EXPORT_MD;
    o.force = 0;
    assert_int_equal(export_write(F.st, &o, &err), 0);
    assert_int_equal(stat(deep, &sb), 0);
    free(deep);
    ts_rmrf(dir);
    free(dir);
    free(path);
}

static void test_unwritable(void **state)
{
    (void)state;
    char *dir = ts_tmpdir();
    char *file = xasprintf("%s/file.txt", dir);
    ts_write_file(file, "x");
    /* under a regular file: fails for root too */
    char *path = xasprintf("%s/file.txt/out.json", dir);
    export_opts o = opts(EXPORT_JSON, path);
    char *err = NULL;
    assert_int_equal(export_write(F.st, &o, &err), -1);
    assert_non_null(strstr(err, file));
    free(err);
    err = NULL;
    free(path);
    path = xasprintf("%s/file.txt/deeper/out.xlsx", dir);
    o.path = path;
    o.format = EXPORT_XLSX;
    assert_int_equal(export_write(F.st, &o, &err), -1);
    assert_non_null(strstr(err, "file.txt"));
    free(err);
    err = NULL;
    assert_int_equal(entries(dir), 1); /* only file.txt: no temporary file, no directory */
    /* a directory named like the target */
    free(path);
    path = xasprintf("%s/sub", dir);
    mkdir(path, 0777);
    o.path = path;
    o.force = 1;
    assert_int_equal(export_write(F.st, &o, &err), -1);
    assert_non_null(strstr(err, "is a directory"));
    free(err);
    err = NULL;
    /* a read-only directory (root ignores the mode: only checked for others) */
    char *ro = xasprintf("%s/ro", dir);
    mkdir(ro, 0555);
    chmod(ro, 0555);
    free(path);
    path = xasprintf("%s/ro/out.csv", dir);
    o.path = path;
    o.format = EXPORT_CSV;
    int rc = export_write(F.st, &o, &err);
    if (geteuid() != 0) {
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, path));
        assert_int_equal(entries(ro), 0);
    }
    free(err);
    chmod(ro, 0755);
    assert_int_equal(count_prefixed(ro, ".xcdash-"), 0);
    free(ro);
    free(path);
    free(file);
    ts_rmrf(dir);
    free(dir);
}

/* The last moment: a file that appears, or a rename that fails, before the commit. */
static void test_commit_races(void **state)
{
    (void)state;
    char *dir = ts_tmpdir();
    char *path = xasprintf("%s/late.json", dir);
    export_file xf;
    char *err = NULL;
    assert_int_equal(export_file_begin(&xf, path, 0, &err), 0);
    fputs("new", xf.f);
    ts_write_file(path, "intruder"); /* appeared meanwhile */
    assert_int_equal(export_file_commit(&xf, &err), -1);
    assert_non_null(strstr(err, "already exists"));
    free(err);
    err = NULL;
    export_file_abort(&xf);
    size_t n;
    char *s = ts_read_file(path, &n);
    assert_string_equal(s, "intruder");
    free(s);
    assert_int_equal(entries(dir), 1);
    /* with force, a target that became a non-empty directory: the rename fails */
    char *path2 = xasprintf("%s/dir.json", dir);
    assert_int_equal(export_file_begin(&xf, path2, 1, &err), 0);
    fputs("new", xf.f);
    char *inner = xasprintf("%s/keep", path2);
    mkdir(path2, 0777);
    ts_write_file(inner, "k");
    assert_int_equal(export_file_commit(&xf, &err), -1);
    assert_non_null(strstr(err, path2));
    free(err);
    export_file_abort(&xf);
    assert_int_equal(count_prefixed(dir, ".xcdash-"), 0);
    assert_int_equal(entries(dir), 2);
    free(inner);
    free(path2);
    free(path);
    ts_rmrf(dir);
    free(dir);
}

/* A writer killed at any moment leaves no file or a whole one at the target. */
static void test_killed_writer(void **state)
{
    (void)state;
    char *cache = ts_tmpdir();
    store *st = ts_store(cache);
    put_source(st, "big", "feed", "models", 1800);
    enum { N = 4000, PER = 500 };
    store_item *items = xcalloc(PER, sizeof *items);
    char(*guid)[32] = xcalloc(PER, 32);
    char(*title)[256] = xcalloc(PER, 256);
    for (int b = 0; b < N / PER; b++) {
        for (int i = 0; i < PER; i++) {
            int k = b * PER + i;
            snprintf(guid[i], 32, "big-%d", k);
            snprintf(title[i], 256,
                     "DeepSeek 与 Qwen 模型第 %d 次更新 — a long headline to make the file big, "
                     "item %d of a bulk load",
                     k, k);
            items[i] = (store_item){ .guid = guid[i], .title = title[i], .published = NOW - k };
        }
        write_batch(st, &(store_batch){ .source_id = "big", .items = items, .n_items = PER });
    }
    free(items);
    free(guid);
    free(title);
    char *db = xasprintf("%s/cache.db", cache);
    store_close(st);
    char *dir = ts_tmpdir();
    char *path = xasprintf("%s/big.json", dir);
    static const int delays_us[] = { 0, 1000, 3000, 6000, 10000, 20000, 40000, 80000, 160000 };
    int complete = 0;
    for (size_t i = 0; i < sizeof delays_us / sizeof delays_us[0]; i++) {
        unlink(path);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            store *cs;
            char *err = NULL;
            if (store_open(&cs, db, STORE_READONLY, &err) != 0)
                _exit(3);
            export_opts o = opts(EXPORT_JSON, path);
            o.news_days = 100000;
            o.news_limit = 1000000;
            _exit(export_write(cs, &o, &err) == 0 ? 0 : 4);
        }
        usleep((useconds_t)delays_us[i]);
        kill(pid, SIGKILL);
        int ws;
        waitpid(pid, &ws, 0);
        struct stat sb;
        if (stat(path, &sb) == 0) { /* whole, or not there at all */
            json_error_t je;
            json_t *j = json_load_file(path, 0, &je);
            if (j == NULL)
                fail_msg("a partial file at the target after a kill at %d us", delays_us[i]);
            assert_int_equal(json_array_size(json_object_get(j, "news")), N);
            json_decref(j);
            complete++;
        }
        assert_true(WIFSIGNALED(ws) || (WIFEXITED(ws) && WEXITSTATUS(ws) == 0));
    }
    /* left alone it finishes */
    store *cs;
    char *err = NULL;
    assert_int_equal(store_open(&cs, db, STORE_READONLY, &err), 0);
    export_opts o = opts(EXPORT_JSON, path);
    o.news_days = 100000;
    o.news_limit = 1000000;
    o.force = 1;
    assert_int_equal(export_write(cs, &o, &err), 0);
    store_close(cs);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "news")), N);
    json_decref(j);
    (void)complete;
    free(path);
    free(db);
    ts_rmrf(dir);
    ts_rmrf(cache);
    free(dir);
    free(cache);
}

/* ---- on a background thread ---------------------------------------------------- */

typedef struct job {
    char *db, *path;
    int rc;
    char *err;
} job;

static void *export_thread(void *arg)
{
    job *j = arg;
    store *st;
    if (store_open(&st, j->db, STORE_READONLY, &j->err) != 0) {
        j->rc = -1;
        return NULL;
    }
    export_opts o = opts(EXPORT_HTML, j->path);
    j->rc = export_write(st, &o, &j->err);
    store_close(st);
    return NULL;
}

/* What the dashboard's export dialog does: a read-only handle of its own on a
 * thread, while the fetcher keeps writing on another handle. */
static void test_background_thread(void **state)
{
    (void)state;
    job j = { .db = xasprintf("%s/cache.db", F.dir), .path = out_path("thread/snap.html") };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, export_thread, &j), 0);
    for (int i = 0; i < 20; i++) {
        char guid[32];
        snprintf(guid, sizeof guid, "thread-%d", i);
        store_item it = { .guid = guid,
                          .title = "后台导出期间的新闻",
                          .published = NOW - 10 * DAY };
        write_batch(F.st, &(store_batch){ .source_id = "t-news", .items = &it, .n_items = 1 });
    }
    pthread_join(t, NULL);
    if (j.rc != 0)
        fail_msg("export on a thread: %s", j.err);
    size_t n;
    char *s = ts_read_file(j.path, &n);
    assert_true(has_bytes(s, n, "</html>"));
    free(s);
    free(j.db);
    free(j.path);
}

/* ---- the command line -------------------------------------------------------------- */

typedef struct cli {
    char *dir, *db_env, *cfg_env, *home_env;
} cli;

static cli cli_new(void)
{
    cli c;
    c.dir = ts_tmpdir();
    char *src = xasprintf("%s/cache.db", F.dir), *dst = xasprintf("%s/cache.db", c.dir);
    /* a copy of the fixture cache (the CLI adds the default sources to it) */
    char *cmd = xasprintf("cp '%s' '%s'", src, dst);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(src);
    c.db_env = xasprintf("XCDASH_DB=%s", dst);
    free(dst);
    c.cfg_env = xasprintf("XDG_CONFIG_HOME=%s/config", c.dir);
    c.home_env = xasprintf("HOME=%s", c.dir);
    return c;
}

static void cli_free(cli *c)
{
    ts_rmrf(c->dir);
    free(c->dir), free(c->db_env), free(c->cfg_env), free(c->home_env);
}

static ts_run cli_run(cli *c, const char *const *argv)
{
    const char *env[] = { c->db_env, c->cfg_env, c->home_env, "TZ=CST-8", NULL };
    return ts_xcdash(argv, env);
}

static void test_cli(void **state)
{
    (void)state;
    /* the fixture cache is open in this process: make sure it is all on disk */
    char *err = NULL;
    store_close(F.st);
    F.st = NULL;
    cli c = cli_new();
    char *out = xasprintf("%s/o/snap.json", c.dir);
    ts_run r = cli_run(&c, (const char *[]){ "export", "--format", "json", "--pillar", "models",
                                             "-o", out, NULL });
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    char *want = xasprintf("%s\n", out);
    assert_string_equal(r.out, want);
    free(want);
    ts_run_free(&r);
    json_error_t je;
    json_t *j = json_load_file(out, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "schema")), "xcdash.snapshot/1");
    assert_true(json_is_false(json_object_get(j, "demo")));
    json_decref(j);

    /* again: refused without --force, the file untouched; replaced with it */
    r = cli_run(&c, (const char *[]){ "export", "--format", "md", "-o", out, NULL });
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "already exists"));
    assert_string_equal(r.out, "");
    ts_run_free(&r);
    r = cli_run(&c, (const char *[]){ "export", "--format", "md", "-o", out, "--force", NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);
    size_t n;
    char *s = ts_read_file(out, &n);
    assert_memory_equal(s, "# xcdash", 8);
    free(s);

    /* the default path in $HOME, per scope */
    r = cli_run(&c, (const char *[]){ "export", "--format", "html", "--company", "alibaba", NULL });
    assert_int_equal(r.status, 0);
    char *prefix = xasprintf("%s/xcdash-snapshots/xcdash-alibaba-", c.dir);
    assert_memory_equal(r.out, prefix, strlen(prefix));
    assert_non_null(strstr(r.out, ".html\n"));
    r.out[strlen(r.out) - 1] = '\0';
    struct stat sb;
    assert_int_equal(stat(r.out, &sb), 0);
    free(prefix);
    ts_run_free(&r);

    /* --table and --bom */
    char *csvp = xasprintf("%s/news.csv", c.dir);
    r = cli_run(&c, (const char *[]){ "export", "--format", "csv", "--table", "news", "--bom", "-o",
                                      csvp, NULL });
    assert_int_equal(r.status, 0);
    ts_run_free(&r);
    s = ts_read_file(csvp, &n);
    assert_memory_equal(s, "\xEF\xBB\xBFid,published,source,title,", 29);
    free(s);

    /* xlsx, and the demo flag */
    char *x = xasprintf("%s/s.xlsx", c.dir);
    char *dbarg = xasprintf("--db=%s/cache.db", c.dir);
    r = cli_run(&c,
                (const char *[]){ "--demo", dbarg, "export", "--format", "xlsx", "-o", x, NULL });
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "DEMO"));
    ts_run_free(&r);
    s = ts_read_file(x, &n);
    assert_memory_equal(s, "PK", 2);
    free(s);

    /* failures: exit 1 with a message naming what */
    r = cli_run(&c, (const char *[]){ "export", "--format", "json", "--company", "nosuch", "-o",
                                      csvp, "--force", NULL });
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no company 'nosuch'"));
    ts_run_free(&r);
    char *bad = xasprintf("%s/news.csv/x.json", c.dir);
    r = cli_run(&c, (const char *[]){ "export", "--format", "json", "-o", bad, NULL });
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, csvp));
    ts_run_free(&r);
    free(bad);

    /* usage errors: exit 2 */
    static const char *const usage[][8] = {
        { "export", NULL },
        { "export", "--format", "pdf", NULL },
        { "export", "--format", NULL },
        { "export", "--format", "json", "--pillar", "gpu", "--company", "cambricon", NULL },
        { "export", "--format", "json", "--table", "news", NULL },
        { "export", "--format", "csv", "--table", "quotes", NULL },
        { "export", "--format", "md", "--bom", NULL },
        { "export", "--format", "json", "--pillar", "quantum", NULL },
        { "export", "--format", "json", "--frobnicate", NULL },
        { "export", "--format", "json", "stray", NULL },
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        r = cli_run(&c, usage[i]);
        if (r.status != 2)
            fail_msg("case %zu: exit %d (%s)", i, r.status, r.err);
        assert_true(strlen(r.err) > 0);
        assert_string_equal(r.out, "");
        ts_run_free(&r);
    }
    assert_int_equal(count_prefixed(c.dir, ".xcdash-"), 0);
    free(dbarg);
    free(x);
    free(csvp);
    free(out);
    cli_free(&c);
    /* reopen for the tests after this one */
    char *path = xasprintf("%s/cache.db", F.dir);
    if (store_open(&F.st, path, 0, &err) != 0)
        fail_msg("%s", err);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formatting),    cmocka_unit_test(test_goldens),
        cmocka_unit_test(test_xlsx_golden),   cmocka_unit_test(test_csv_round_trip),
        cmocka_unit_test(test_json_schema),   cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_hostile_text),  cmocka_unit_test(test_overwrite),
        cmocka_unit_test(test_unwritable),    cmocka_unit_test(test_commit_races),
        cmocka_unit_test(test_killed_writer), cmocka_unit_test(test_background_thread),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
