/*
 * sched.c — when to fetch: backoff, jitter and market hours.
 *
 * Pure functions of the time they are given, so the tests drive them with
 * an injected clock instead of sleeping. Both markets xcdash watches keep
 * UTC+8 all year (no daylight saving in Shanghai or Hong Kong), so local
 * exchange time is plain arithmetic on epoch seconds.
 */
#include <string.h>

#include "fetch/fetch.h"

#define UTC8     (8 * 3600)
#define DAY      86400
#define HM(h, m) ((h)*3600 + (m)*60)

/* Seconds since local midnight and the weekday (0 = Sunday) at t, UTC+8. */
static void local_time(int64_t t, int64_t *sec, int *wday, int64_t *midnight)
{
    int64_t local = t + UTC8;
    int64_t day = local >= 0 ? local / DAY : (local - DAY + 1) / DAY;
    *sec = local - day * DAY;
    *wday = (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    *midnight = day * DAY - UTC8;
}

static const struct {
    int pre, open, lunch, reopen, close;
} hours[] = {
    [FETCH_MARKET_CN] = { HM(9, 15), HM(9, 30), HM(11, 30), HM(13, 0), HM(15, 0) },
    [FETCH_MARKET_HK] = { HM(9, 0), HM(9, 30), HM(12, 0), HM(13, 0), HM(16, 0) },
};

fetch_market_state fetch_market_state_at(fetch_market m, int64_t t)
{
    int64_t sec, midnight;
    int wday;
    local_time(t, &sec, &wday, &midnight);
    if (wday == 0 || wday == 6)
        return FETCH_CLOSED;
    if (sec >= hours[m].pre && sec < hours[m].open)
        return FETCH_PRE_OPEN;
    if ((sec >= hours[m].open && sec < hours[m].lunch) ||
        (sec >= hours[m].reopen && sec < hours[m].close))
        return FETCH_OPEN;
    if (sec >= hours[m].lunch && sec < hours[m].reopen)
        return FETCH_LUNCH;
    return FETCH_CLOSED;
}

int64_t fetch_backoff(int failures, int interval_s, int cap_s)
{
    int64_t d = interval_s > 60 ? interval_s : 60;
    for (int i = 1; i < failures && d < cap_s; i++)
        d *= 2;
    return d < cap_s ? d : cap_s;
}

int64_t fetch_jitter(int interval_s, uint32_t rnd)
{
    int64_t span = interval_s / 5; /* the whole +-10% range */
    if (span == 0)
        return interval_s;
    return interval_s - span / 2 + (int64_t)(rnd % (uint32_t)(span + 1));
}

/* The auction result is published at 09:25; polling before it sees yesterday's close. */
#define WINDOW_OPEN HM(9, 25)

int64_t fetch_quote_window(int64_t t, int64_t last_success)
{
    int64_t sec, midnight;
    int wday;
    local_time(t, &sec, &wday, &midnight);
    int weekday = wday != 0 && wday != 6;
    if (weekday) {
        for (int m = FETCH_MARKET_CN; m <= FETCH_MARKET_HK; m++) {
            int64_t st = fetch_market_state_at((fetch_market)m, t);
            if (st == FETCH_OPEN)
                return t;
            int64_t close = midnight + hours[m].close;
            if (t >= close && last_success < close)
                return t; /* the one fetch after the close */
        }
        if (sec >= WINDOW_OPEN && sec < HM(9, 30))
            return t;
        if (sec < WINDOW_OPEN)
            return midnight + WINDOW_OPEN;
        if (sec < HM(13, 0))
            return midnight + HM(13, 0); /* both markets at lunch */
    }
    /* the next weekday's auction */
    for (int d = 1; d <= 7; d++) {
        int nw = (wday + d) % 7;
        if (nw != 0 && nw != 6)
            return midnight + (int64_t)d * DAY + WINDOW_OPEN;
    }
    return t; /* not reached */
}

int fetch_kind_is_quotes(const char *kind)
{
    return strcmp(kind, "eastmoney-quotes") == 0 || strcmp(kind, "eastmoney-kline") == 0 ||
           strcmp(kind, "yahoo-chart") == 0;
}

int fetch_quote_stale(const char *exchange, int64_t fetched, int interval_s, int64_t now)
{
    fetch_market m;
    if (exchange == NULL)
        return 0;
    if (strcmp(exchange, "HK") == 0)
        m = FETCH_MARKET_HK;
    else if (strcmp(exchange, "SH") == 0 || strcmp(exchange, "SZ") == 0 ||
             strcmp(exchange, "BJ") == 0)
        m = FETCH_MARKET_CN;
    else
        return 0;
    /* stale when the market traded after the quote should have been replaced: any
     * in-session moment between then and now (sessions last hours, so 5-minute steps
     * find them; past three days the quote is stale whatever the calendar says) */
    int64_t from = fetched + 2 * (int64_t)(interval_s > 0 ? interval_s : 60) + 30;
    if (from > now)
        return 0;
    if (now - from > 3 * 86400)
        return 1;
    for (int64_t t = now; t >= from; t -= 300)
        if (fetch_market_state_at(m, t) == FETCH_OPEN)
            return 1;
    return fetch_market_state_at(m, from) == FETCH_OPEN;
}
