/*
 * eastmoney.c — East Money push2 quotes (ulist.np) and push2his daily bars
 * (stock/kline) into store_quote and store_bar.
 *
 * Both answers are {"rc":0,"data":{...}}; rc other than 0 is an API error,
 * "data":null means East Money knows none of the secids. Both may come
 * wrapped as JSONP when the URL carries cb=..., which is unwrapped.
 *
 * Markets (f13, data.market): 1 SH; 0 SZ, except codes starting 8, 4 or 92,
 * which are Beijing listings East Money files under market 0; 116 HK;
 * 105/106/107 US (NASDAQ, NYSE, other). Anything else (indexes, boards,
 * bonds) is skipped.
 *
 * Quotes: a missing value is "-" (suspended, no trade yet) and becomes NAN,
 * never 0; a quote without a last price is still emitted so the UI can say
 * "no price". Prices come in one of two forms:
 *  - fltt=2: plain decimals, written by East Money as JSON reals (12.0, not
 *    12).
 *  - otherwise: scaled integers, price * 10^f59 (f59 = 2 for A shares,
 *    3 for HK/US), change % * 100.
 * Rule: if any price field (f2 f4 f15 f16 f17 f18) of any entry is a JSON
 * real, or a numeric string with a decimal point, the whole answer is
 * decimal; otherwise it is scaled, each entry by its own f59 (2 when absent
 * or outside 0..6) and f3 by 100. Deciding per answer rather than per entry
 * keeps one odd entry of a decimal answer (all its prices whole numbers
 * written without ".0") from being divided by 100. f5 volume (lots), f6
 * turnover, f20 market cap and f124 time are never scaled.
 *
 * Klines: each line is "date,open,close,high,low,volume,amount,…" (close
 * before high). A line that is not a string, lacks a YYYY-MM-DD date or
 * one of the four prices is skipped; "-" volume or amount becomes NAN. If
 * every line is malformed the answer is an error.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fetch/private.h"

#define QUOTES "eastmoney-quotes"
#define KLINE  "eastmoney-kline"

/* The exchange for an East Money market number and code; NULL if unsupported. */
static const char *exchange_of(int64_t market, const char *code)
{
    switch (market) {
    case 1:
        return "SH";
    case 0:
        if (code[0] == '8' || code[0] == '4' || strncmp(code, "92", 2) == 0)
            return "BJ";
        return "SZ";
    case 116:
        return "HK";
    case 105:
    case 106:
    case 107:
        return "US";
    default:
        return NULL;
    }
}

/* A code as listed: 1..16 ASCII letters, digits, '.' or '-'. Anything else
 * would never match a listing and may not be safe to show. */
static int code_ok(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 16)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* Checks rc and data, the common envelope. Returns data or NULL with *err. */
static json_t *envelope(const fetch_response *resp, json_t *root, const char *kind,
                        const char *unknown, char **err)
{
    if (!json_is_object(root)) {
        fetch_json_fail(resp, err, kind, "expected a JSON object, got %s",
                        json_is_array(root) ? "an array" : "a bare value");
        return NULL;
    }
    json_t *rc = json_object_get(root, "rc");
    if (rc != NULL && fetch_json_int(rc, -1) != 0) {
        const char *msg = fetch_json_str(root, "message");
        if (msg == NULL)
            msg = fetch_json_str(root, "msg");
        if (json_is_integer(rc))
            core_fail(err, "%s: API error rc=%lld%s%s", kind, (long long)json_integer_value(rc),
                      msg ? ": " : "", msg ? msg : "");
        else
            core_fail(err, "%s: API error (rc not a number)%s%s", kind, msg ? ": " : "",
                      msg ? msg : "");
        return NULL;
    }
    json_t *data = json_object_get(root, "data");
    if (data == NULL) {
        fetch_json_fail(resp, err, kind, "no data in response");
        return NULL;
    }
    if (json_is_null(data)) {
        core_fail(err, "%s: %s", kind, unknown);
        return NULL;
    }
    if (!json_is_object(data)) {
        fetch_json_fail(resp, err, kind, "data is not an object");
        return NULL;
    }
    return data;
}

/* ---- quotes ---- */

static const char *const price_fields[] = { "f2", "f4", "f15", "f16", "f17", "f18" };

/* True when this value says "decimal answer": a JSON real, or a numeric
 * string with a decimal point. */
static int is_decimal(const json_t *v)
{
    if (json_is_real(v))
        return 1;
    double d;
    return json_is_string(v) && strchr(json_string_value(v), '.') != NULL &&
           fetch_json_decimal(json_string_value(v), json_string_length(v), &d) == 0;
}

/* One diff entry's numbers, already unscaled. */
static double field(const json_t *e, const char *key, double scale)
{
    double v = fetch_json_num(json_object_get(e, key));
    return isnan(v) ? v : v / scale;
}

/* Appends the quote in diff entry e; 0 when emitted, -1 when skipped. */
static int add_quote(fetch_result *r, const json_t *e, int decimal)
{
    if (!json_is_object(e))
        return -1;
    const char *code = fetch_json_str(e, "f12");
    int64_t market = fetch_json_int(json_object_get(e, "f13"), -1);
    if (!code_ok(code) || market < 0)
        return -1;
    const char *exchange = exchange_of(market, code);
    if (exchange == NULL)
        return -1;

    double price_scale = 1, pct_scale = 1;
    if (!decimal) {
        int64_t digits = fetch_json_int(json_object_get(e, "f59"), 2);
        if (digits < 0 || digits > 6) /* no price has more than 6 decimals */
            digits = 2;
        price_scale = pow(10, (double)digits);
        pct_scale = 100;
    }
    store_quote *q = fetch_add_quote(r);
    q->exchange = exchange; /* a string literal: lives as long as the program */
    q->code = core_arena_strdup(r->arena, code);
    q->last = field(e, "f2", price_scale);
    q->change_pct = field(e, "f3", pct_scale);
    q->change = field(e, "f4", price_scale);
    q->high = field(e, "f15", price_scale);
    q->low = field(e, "f16", price_scale);
    q->open = field(e, "f17", price_scale);
    q->prev_close = field(e, "f18", price_scale);
    q->volume = field(e, "f5", 1);
    q->turnover = field(e, "f6", 1);
    q->market_cap = field(e, "f20", 1);
    int64_t ts = fetch_json_int(json_object_get(e, "f124"), 0);
    q->ts = ts > 0 ? ts : 0;
    return 0;
}

/* diff as an object keyed "0","1",…: its values in key order. jansson keeps
 * insertion order, but a source that writes "10" before "2" should not
 * reorder quotes, so sort by the keys' numeric value. */
typedef struct keyed {
    unsigned long long k;
    const char *key;
    json_t *v;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return strcmp(x->key, y->key);
}

int fetch_parse_eastmoney_quotes(const fetch_response *resp, fetch_result *r, char **err)
{
    json_t *root = fetch_json_load(resp, QUOTES, FETCH_JSON_JSONP, err);
    if (root == NULL)
        return -1;
    int rc = -1;
    keyed *list = NULL;
    json_t *data = envelope(resp, root, QUOTES, "no data (unknown secids?)", err);
    if (data == NULL)
        goto out;
    json_t *diff = json_object_get(data, "diff");
    size_t n = 0;
    if (json_is_array(diff)) {
        n = json_array_size(diff);
        list = xcalloc(n, sizeof *list);
        for (size_t i = 0; i < n; i++)
            list[i].v = json_array_get(diff, i);
    } else if (json_is_object(diff)) {
        list = xcalloc(json_object_size(diff), sizeof *list);
        const char *key;
        json_t *v;
        json_object_foreach(diff, key, v)
        {
            list[n].k = strtoull(key, NULL, 10);
            list[n].key = key;
            list[n++].v = v;
        }
        qsort(list, n, sizeof *list, keyed_cmp);
    } else {
        fetch_json_fail(resp, err, QUOTES, "no data.diff in response");
        goto out;
    }

    int decimal = 0;
    for (size_t i = 0; i < n && !decimal; i++)
        for (size_t f = 0; f < sizeof price_fields / sizeof *price_fields; f++)
            if (is_decimal(json_object_get(list[i].v, price_fields[f])))
                decimal = 1;
    size_t added = 0;
    for (size_t i = 0; i < n; i++)
        if (add_quote(r, list[i].v, decimal) == 0)
            added++;
    if (n > 0 && added == 0) {
        fetch_json_fail(resp, err, QUOTES, "none of the %zu entries in data.diff is a quote", n);
        goto out;
    }
    rc = 0;
out:
    free(list);
    json_decref(root);
    return rc;
}

/* ---- klines ---- */

/* Splits line into at most max comma-separated fields (pointers into a copy
 * the caller frees); returns the count. */
static size_t split_csv(char *s, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        f[n++] = s;
        char *c = strchr(s, ',');
        if (c == NULL)
            break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

/* YYYY-MM-DD with a plausible month and day. */
static int date_ok(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* A field that may be "-" or empty: NAN; garbage: -1. */
static int opt_num(const char *s, double *out)
{
    if (*s == '\0' || strcmp(s, "-") == 0) {
        *out = NAN;
        return 0;
    }
    return fetch_json_decimal(s, strlen(s), out);
}

/* Appends the bar in one kline string; 0 when emitted, -1 when malformed. */
static int add_bar(fetch_result *r, const json_t *line, const char *exchange, const char *code)
{
    if (!json_is_string(line))
        return -1;
    char *copy = xstrdup(json_string_value(line));
    char *f[8];
    size_t nf = split_csv(copy, f, 8);
    double open, close, high, low, volume = NAN, amount = NAN;
    int ok = nf >= 5 && date_ok(f[0]) && fetch_json_decimal(f[1], strlen(f[1]), &open) == 0 &&
             fetch_json_decimal(f[2], strlen(f[2]), &close) == 0 &&
             fetch_json_decimal(f[3], strlen(f[3]), &high) == 0 &&
             fetch_json_decimal(f[4], strlen(f[4]), &low) == 0 &&
             (nf < 6 || opt_num(f[5], &volume) == 0) && (nf < 7 || opt_num(f[6], &amount) == 0);
    if (ok) {
        store_bar *b = fetch_add_bar(r);
        b->exchange = exchange;
        b->code = code;
        b->date = core_arena_strdup(r->arena, f[0]);
        b->open = open;
        b->close = close;
        b->high = high;
        b->low = low;
        b->volume = volume;
        b->amount = amount;
    }
    free(copy);
    return ok ? 0 : -1;
}

int fetch_parse_eastmoney_kline(const fetch_response *resp, fetch_result *r, char **err)
{
    json_t *root = fetch_json_load(resp, KLINE, FETCH_JSON_JSONP, err);
    if (root == NULL)
        return -1;
    int rc = -1;
    json_t *data = envelope(resp, root, KLINE, "no data (unknown secid?)", err);
    if (data == NULL)
        goto out;
    const char *code = fetch_json_str(data, "code");
    int64_t market = fetch_json_int(json_object_get(data, "market"), -1);
    if (!code_ok(code) || market < 0) {
        fetch_json_fail(resp, err, KLINE, "no data.code / data.market in response");
        goto out;
    }
    const char *exchange = exchange_of(market, code);
    if (exchange == NULL) {
        fetch_json_fail(resp, err, KLINE, "unsupported market %lld", (long long)market);
        goto out;
    }
    json_t *klines = json_object_get(data, "klines");
    if (!json_is_array(klines)) {
        fetch_json_fail(resp, err, KLINE, "no data.klines in response");
        goto out;
    }
    const char *acode = core_arena_strdup(r->arena, code);
    size_t n = json_array_size(klines), bad = 0;
    for (size_t i = 0; i < n; i++)
        if (add_bar(r, json_array_get(klines, i), exchange, acode) != 0)
            bad++;
    if (n > 0 && bad == n) {
        fetch_json_fail(resp, err, KLINE, "all %zu lines in data.klines are malformed", n);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
