/*
 * yahoo.c — Yahoo Finance v8 chart (one symbol per answer) into daily bars
 * and one quote.
 *
 * Symbol → listing: ".SS" SH, ".SZ" SZ, ".BJ" BJ, ".HK" HK (digits
 * re-padded to the five East Money and HKEX use: "0700.HK" → "00700"), no
 * suffix US. Other suffixes are refused: xcdash has no such exchange.
 *
 * Dates: a daily bar's timestamp is the session's opening instant; its date
 * is taken in the exchange's zone. Zone rule, first that applies: a known
 * fixed-offset zone name (Asia/Shanghai, Asia/Hong_Kong: +08:00, no DST);
 * meta.gmtoffset (seconds, the zone's current offset — a DST switch inside
 * the range moves a US bar by an hour, never across midnight, since bars
 * start at 09:30); the exchange's usual offset (+8 for CN/HK, -5 h for US).
 *
 * Arrays hold null: a bar without close is skipped, other nulls become NAN.
 * Yahoo sometimes repeats the live session as a second bar of the same
 * date; the later one wins, so a batch never holds one date twice.
 *
 * Quote: last = meta.regularMarketPrice, ts = meta.regularMarketTime. The
 * previous close is the close of the newest bar dated before the session of
 * regularMarketTime (or, without it, before the newest bar) —
 * chartPreviousClose is the close before the whole range, which is a month
 * ago for range=1mo. With no such bar, meta.previousClose (present for
 * range=1d) is used; otherwise NAN. change and change % follow from these.
 * open/high/low/volume come from the session's bar, overridden by
 * meta.regularMarketDay{High,Low} / regularMarketVolume when present.
 *
 * Errors: {"chart":{"result":null,"error":{"code","description"}}} (and the
 * same under "finance", Yahoo's 401/429 shape) → "yahoo-chart: CODE: DESC".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fetch/private.h"

#define KIND "yahoo-chart"

/* Last valid epoch second we turn into a date: 9999-12-31T23:59:59Z. */
#define MAX_TS INT64_C(253402300799)

/* Writes the civil date of epoch second t shifted by off seconds as
 * YYYY-MM-DD (11 bytes). Returns -1 outside 1970..9999. (Days-to-civil after
 * H. Hinnant's public-domain algorithm; no gmtime, no TZ.) */
static int ymd(int64_t t, int64_t off, char out[11])
{
    if (t < 0 || t > MAX_TS || off < -86400 || off > 86400)
        return -1;
    int64_t local = t + off;
    if (local < 0 || local > MAX_TS)
        return -1;
    int64_t z = local / 86400 + 719468;
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    /* y is 1970..9999, m 1..12, d 1..31 here; write the digits directly. */
    const int64_t parts[3][2] = { { y, 4 }, { m, 2 }, { d, 2 } };
    char *o = out;
    for (int p = 0; p < 3; p++) {
        if (p > 0)
            *o++ = '-';
        for (int64_t k = parts[p][1], v = parts[p][0]; k > 0; k--, v /= 10)
            o[k - 1] = (char)('0' + v % 10);
        o += parts[p][1];
    }
    *o = '\0';
    return 0;
}

/* Splits a Yahoo symbol into exchange and listed code (arena). -1 when the
 * suffix names an exchange xcdash does not have. */
static int listing_of(fetch_result *r, const char *sym, const char **exchange, const char **code)
{
    static const struct {
        const char *suffix, *exchange;
    } map[] = { { ".SS", "SH" }, { ".SZ", "SZ" }, { ".BJ", "BJ" }, { ".HK", "HK" } };
    const char *dot = strrchr(sym, '.');
    if (dot == NULL) {
        *exchange = "US";
        *code = core_arena_strdup(r->arena, sym);
        return 0;
    }
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        if (strcmp(dot, map[i].suffix) != 0)
            continue;
        *exchange = map[i].exchange;
        size_t n = (size_t)(dot - sym);
        if (strcmp(map[i].exchange, "HK") != 0 || n == 0 || strspn(sym, "0123456789") != n) {
            *code = core_arena_strndup(r->arena, sym, n);
            return 0;
        }
        /* Hong Kong: drop Yahoo's padding, pad to five digits. */
        while (n > 1 && *sym == '0') {
            sym++;
            n--;
        }
        char *c = core_arena_alloc(r->arena, (n > 5 ? n : 5) + 1);
        size_t pad = n < 5 ? 5 - n : 0;
        memset(c, '0', pad);
        memcpy(c + pad, sym, n);
        c[pad + n] = '\0';
        *code = c;
        return 0;
    }
    return -1;
}

/* A symbol as Yahoo writes them: 1..24 of [A-Za-z0-9.^=-]. */
static int symbol_ok(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 24)
        return 0;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.^=-") == n;
}

/* The UTC offset (seconds) of the exchange's dates; see the rule above. */
static int64_t zone_offset(const json_t *meta, const char *exchange)
{
    const char *tz = fetch_json_str(meta, "exchangeTimezoneName");
    if (tz != NULL && (strcmp(tz, "Asia/Shanghai") == 0 || strcmp(tz, "Asia/Hong_Kong") == 0 ||
                       strcmp(tz, "Asia/Chongqing") == 0 || strcmp(tz, "PRC") == 0))
        return 8 * 3600;
    int64_t off = fetch_json_int(json_object_get(meta, "gmtoffset"), INT64_MIN);
    if (off >= -14 * 3600 && off <= 14 * 3600)
        return off;
    return strcmp(exchange, "US") == 0 ? -5 * 3600 : 8 * 3600;
}

/* Reports an API error object ({"code","description"}) under name in o;
 * returns 1 (and sets *err) when there is one. */
static int api_error(const json_t *o, const char *name, char **err)
{
    const json_t *e = json_object_get(json_object_get(o, name), "error");
    if (e == NULL || json_is_null(e))
        return 0;
    const char *code = fetch_json_str(e, "code");
    const char *desc = fetch_json_str(e, "description");
    if (code == NULL && desc == NULL && json_is_string(e))
        desc = json_string_value(e);
    core_fail(err, "%s: %s%s%s", KIND, code ? code : "error", desc ? ": " : "", desc ? desc : "");
    return 1;
}

/* Element i of array key of q as a number; NAN when absent or null. */
static double at(const json_t *q, const char *key, size_t i)
{
    return fetch_json_num(json_array_get(json_object_get(q, key), i));
}

int fetch_parse_yahoo_chart(const fetch_response *resp, fetch_result *r, char **err)
{
    json_t *root = fetch_json_load(resp, KIND, 0, err);
    if (root == NULL)
        return -1;
    int rc = -1;
    if (api_error(root, "chart", err) || api_error(root, "finance", err))
        goto out;
    json_t *chart = json_object_get(root, "chart");
    if (!json_is_object(chart)) {
        fetch_json_fail(resp, err, KIND, "no chart in response");
        goto out;
    }
    json_t *res = json_array_get(json_object_get(chart, "result"), 0);
    if (!json_is_object(res)) {
        fetch_json_fail(resp, err, KIND, "no chart.result in response");
        goto out;
    }
    json_t *meta = json_object_get(res, "meta");
    const char *sym = fetch_json_str(meta, "symbol");
    if (!symbol_ok(sym)) {
        fetch_json_fail(resp, err, KIND, "no chart.result[0].meta.symbol in response");
        goto out;
    }
    const char *exchange, *code;
    if (listing_of(r, sym, &exchange, &code) != 0) {
        fetch_json_fail(resp, err, KIND, "symbol %s is on an exchange xcdash does not follow", sym);
        goto out;
    }
    int64_t off = zone_offset(meta, exchange);

    json_t *ts = json_object_get(res, "timestamp");
    json_t *q = json_array_get(json_object_get(json_object_get(res, "indicators"), "quote"), 0);
    if (ts != NULL && !json_is_null(ts) && !json_is_array(ts)) {
        fetch_json_fail(resp, err, KIND, "chart.result[0].timestamp is not an array");
        goto out;
    }
    size_t first = r->n_bars;
    size_t n = json_array_size(ts);
    for (size_t i = 0; i < n; i++) {
        char date[11];
        int64_t t = fetch_json_int(json_array_get(ts, i), -1);
        double close = at(q, "close", i);
        if (isnan(close) || ymd(t, off, date) != 0)
            continue;
        store_bar *b = NULL;
        if (r->n_bars > first && strcmp(r->bars[r->n_bars - 1].date, date) == 0) {
            b = &r->bars[r->n_bars - 1]; /* the live session repeated: newer wins */
        } else {
            b = fetch_add_bar(r);
            b->exchange = exchange;
            b->code = code;
            b->date = core_arena_strdup(r->arena, date);
        }
        b->open = at(q, "open", i);
        b->high = at(q, "high", i);
        b->low = at(q, "low", i);
        b->close = close;
        b->volume = at(q, "volume", i);
    }

    store_quote *qt = fetch_add_quote(r);
    qt->exchange = exchange;
    qt->code = code;
    qt->last = fetch_json_num(json_object_get(meta, "regularMarketPrice"));
    int64_t now = fetch_json_int(json_object_get(meta, "regularMarketTime"), 0);
    qt->ts = now > 0 ? now : 0;

    /* The session the quote belongs to, and the bars around it. */
    char session[11] = "";
    if (qt->ts == 0 || ymd(qt->ts, off, session) != 0) {
        if (r->n_bars > first)
            memcpy(session, r->bars[r->n_bars - 1].date, sizeof session);
    }
    const store_bar *today = NULL, *before = NULL;
    for (size_t i = r->n_bars; i > first && session[0] != '\0'; i--) {
        const store_bar *b = &r->bars[i - 1];
        int c = strcmp(b->date, session);
        if (c == 0 && today == NULL)
            today = b;
        if (c < 0) {
            before = b;
            break;
        }
    }
    qt->prev_close =
        before != NULL ? before->close : fetch_json_num(json_object_get(meta, "previousClose"));
    if (today != NULL) {
        qt->open = today->open;
        qt->high = today->high;
        qt->low = today->low;
        qt->volume = today->volume;
    }
    double v;
    if (!isnan(v = fetch_json_num(json_object_get(meta, "regularMarketDayHigh"))))
        qt->high = v;
    if (!isnan(v = fetch_json_num(json_object_get(meta, "regularMarketDayLow"))))
        qt->low = v;
    if (!isnan(v = fetch_json_num(json_object_get(meta, "regularMarketVolume"))))
        qt->volume = v;
    if (!isnan(qt->last) && !isnan(qt->prev_close)) {
        qt->change = qt->last - qt->prev_close;
        if (qt->prev_close != 0)
            qt->change_pct = qt->change / qt->prev_close * 100;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
