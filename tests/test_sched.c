/*
 * test_sched.c — backoff, jitter and market hours on an injected clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fetch/fetch.h"

/* Epoch seconds of a Shanghai wall-clock time (UTC+8). 2026-11-30 is a Monday. */
static int64_t sh(int y, int mo, int d, int h, int mi)
{
    /* days from civil (Howard Hinnant's algorithm) */
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 - 8 * 3600;
}

static void test_market_states(void **state)
{
    (void)state;
    struct {
        int h, m;
        fetch_market_state cn, hk;
    } cases[] = {
        { 8, 59, FETCH_CLOSED, FETCH_CLOSED },     { 9, 0, FETCH_CLOSED, FETCH_PRE_OPEN },
        { 9, 15, FETCH_PRE_OPEN, FETCH_PRE_OPEN }, { 9, 30, FETCH_OPEN, FETCH_OPEN },
        { 11, 29, FETCH_OPEN, FETCH_OPEN },        { 11, 30, FETCH_LUNCH, FETCH_OPEN },
        { 12, 0, FETCH_LUNCH, FETCH_LUNCH },       { 13, 0, FETCH_OPEN, FETCH_OPEN },
        { 14, 59, FETCH_OPEN, FETCH_OPEN },        { 15, 0, FETCH_CLOSED, FETCH_OPEN },
        { 16, 0, FETCH_CLOSED, FETCH_CLOSED },     { 23, 0, FETCH_CLOSED, FETCH_CLOSED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t t = sh(2026, 11, 30, cases[i].h, cases[i].m);
        assert_int_equal(fetch_market_state_at(FETCH_MARKET_CN, t), cases[i].cn);
        assert_int_equal(fetch_market_state_at(FETCH_MARKET_HK, t), cases[i].hk);
    }
    /* Saturday 10:00 is closed everywhere */
    assert_int_equal(fetch_market_state_at(FETCH_MARKET_CN, sh(2026, 11, 28, 10, 0)), FETCH_CLOSED);
    assert_int_equal(fetch_market_state_at(FETCH_MARKET_HK, sh(2026, 11, 29, 10, 0)), FETCH_CLOSED);
}

static void test_quote_window(void **state)
{
    (void)state;
    int64_t mon = sh(2026, 11, 30, 0, 0);
    /* in session: now */
    assert_int_equal(fetch_quote_window(mon + 10 * 3600, 0), mon + 10 * 3600);
    /* before the auction: at 09:25 */
    assert_int_equal(fetch_quote_window(mon + 7 * 3600, 0), sh(2026, 11, 30, 9, 25));
    /* 11:45: Hong Kong still trades */
    int64_t t = sh(2026, 11, 30, 11, 45);
    assert_int_equal(fetch_quote_window(t, t - 60), t);
    /* 12:10: both at lunch, wait for 13:00 */
    assert_int_equal(fetch_quote_window(sh(2026, 11, 30, 12, 10), 0), sh(2026, 11, 30, 13, 0));
    /* after 16:00: one fetch after the close, then tomorrow's auction */
    t = sh(2026, 11, 30, 16, 5);
    assert_int_equal(fetch_quote_window(t, sh(2026, 11, 30, 15, 59)), t);
    assert_int_equal(fetch_quote_window(t, t), sh(2026, 12, 1, 9, 25));
    /* Friday evening waits for Monday */
    t = sh(2026, 11, 27, 20, 0);
    assert_int_equal(fetch_quote_window(t, t - 10), sh(2026, 11, 30, 9, 25));
    /* Saturday, even without a fetch after Friday's close, waits for Monday */
    t = sh(2026, 11, 28, 10, 0);
    assert_int_equal(fetch_quote_window(t, 0), sh(2026, 11, 30, 9, 25));
}

static void test_backoff_and_jitter(void **state)
{
    (void)state;
    assert_int_equal(fetch_backoff(1, 300, 21600), 300);
    assert_int_equal(fetch_backoff(2, 300, 21600), 600);
    assert_int_equal(fetch_backoff(3, 300, 21600), 1200);
    assert_int_equal(fetch_backoff(30, 300, 21600), 21600); /* capped, no overflow */
    assert_int_equal(fetch_backoff(1, 10, 21600), 60);      /* never hammer faster than 1/min */
    for (uint32_t r = 0; r < 5000; r += 7) {
        int64_t j = fetch_jitter(1800, r * 2654435761u);
        assert_true(j >= 1620 && j <= 1980);
    }
    assert_true(fetch_jitter(1800, 0) != fetch_jitter(1800, 123457));
    assert_true(fetch_kind_is_quotes("eastmoney-quotes"));
    assert_false(fetch_kind_is_quotes("feed"));
}

/* A quote is stale when its market traded after it should have been replaced. */
static void test_quote_staleness(void **state)
{
    (void)state;
    int64_t mon_1000 = sh(2026, 11, 30, 10, 0);
    /* in session: fresh within twice the interval (+30 s), stale after */
    assert_false(fetch_quote_stale("SH", mon_1000 - 100, 60, mon_1000));
    assert_true(fetch_quote_stale("SH", mon_1000 - 200, 60, mon_1000));
    assert_true(fetch_quote_stale("HK", mon_1000 - 200, 0, mon_1000)); /* 0: 60 s */
    /* fetched after the close: good all evening and over the weekend */
    int64_t fri_1505 = sh(2026, 11, 27, 15, 5), sun = sh(2026, 11, 29, 20, 0);
    assert_false(fetch_quote_stale("SZ", fri_1505, 60, sh(2026, 11, 27, 22, 0)));
    assert_false(fetch_quote_stale("SZ", fri_1505, 60, sun));
    /* fetched at 14:00, before the close: stale that evening */
    assert_true(fetch_quote_stale("SZ", sh(2026, 11, 27, 14, 0), 60, sh(2026, 11, 27, 22, 0)));
    /* lunch: a quote from 11:29 is good until the afternoon session */
    int64_t q = sh(2026, 11, 30, 11, 29);
    assert_false(fetch_quote_stale("SH", q, 60, sh(2026, 11, 30, 12, 30)));
    assert_true(fetch_quote_stale("SH", q, 60, sh(2026, 11, 30, 13, 10)));
    /* Hong Kong trades to 16:00: a 15:05 quote is stale at 15:30 there, not in Shanghai */
    int64_t mon_1505 = sh(2026, 11, 30, 15, 5), mon_1530 = sh(2026, 11, 30, 15, 30);
    assert_true(fetch_quote_stale("HK", mon_1505, 60, mon_1530));
    assert_false(fetch_quote_stale("SH", mon_1505, 60, mon_1530));
    /* markets whose hours are not known are never called stale (nor live) */
    assert_false(fetch_quote_stale("US", mon_1000 - 86400, 60, mon_1000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_market_states),
        cmocka_unit_test(test_quote_window),
        cmocka_unit_test(test_backoff_and_jitter),
        cmocka_unit_test(test_quote_staleness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
