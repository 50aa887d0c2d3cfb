/*
 * test_format.c — numbers, times and daily limits as the screens show them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/private.h"

#define FMT(call, want)                                                                            \
    do {                                                                                           \
        char b_[64];                                                                               \
        call;                                                                                      \
        assert_string_equal(b_, want);                                                             \
    } while (0)

static void test_prices_to_the_tick(void **state)
{
    (void)state;
    FMT(tui_fmt_price(b_, sizeof b_, 612.5, "SH"), "612.50");
    FMT(tui_fmt_price(b_, sizeof b_, 0.345, "HK"), "0.345");
    FMT(tui_fmt_price(b_, sizeof b_, 23.45, "HK"), "23.45");
    FMT(tui_fmt_price(b_, sizeof b_, 402.4, "HK"), "402.4");
    FMT(tui_fmt_price(b_, sizeof b_, NAN, "SH"), TUI_UNKNOWN);
    FMT(tui_fmt_change(b_, sizeof b_, 12.5, "SZ"), "+12.50");
    FMT(tui_fmt_change(b_, sizeof b_, -0.031, "SZ"), "-0.03");
    FMT(tui_fmt_change(b_, sizeof b_, -0.001, "SZ"), "0.00"); /* rounds to no change: no sign */
}

static void test_percent_with_sign(void **state)
{
    (void)state;
    FMT(tui_fmt_pct(b_, sizeof b_, 2.084), "+2.08%");
    FMT(tui_fmt_pct(b_, sizeof b_, -10), "-10.00%");
    FMT(tui_fmt_pct(b_, sizeof b_, 0), "0.00%");
    FMT(tui_fmt_pct(b_, sizeof b_, -0.001), "0.00%");
    FMT(tui_fmt_pct(b_, sizeof b_, NAN), TUI_UNKNOWN);
}

static void test_amounts_in_units(void **state)
{
    (void)state;
    FMT(tui_fmt_amount(b_, sizeof b_, 2.5e11, 0), "2500亿"); /* 2,500 亿, not 0.25 万亿 */
    FMT(tui_fmt_amount(b_, sizeof b_, 1.234e8, 0), "1.23亿");
    FMT(tui_fmt_amount(b_, sizeof b_, 3.2e12, 0), "3.20万亿");
    FMT(tui_fmt_amount(b_, sizeof b_, 56700, 0), "5.67万");
    FMT(tui_fmt_amount(b_, sizeof b_, 999, 0), "999");
    FMT(tui_fmt_amount(b_, sizeof b_, 2.5e11, 1), "250B");
    FMT(tui_fmt_amount(b_, sizeof b_, 1.234e8, 1), "123M");
    FMT(tui_fmt_amount(b_, sizeof b_, 3.2e12, 1), "3.20T");
    FMT(tui_fmt_amount(b_, sizeof b_, NAN, 1), TUI_UNKNOWN);
    FMT(tui_fmt_count(b_, sizeof b_, 8512, 1), "8,512");
    FMT(tui_fmt_count(b_, sizeof b_, 1520000, 0), "152万");
    FMT(tui_fmt_count(b_, sizeof b_, 1520000, 1), "1.52M");
    FMT(tui_fmt_count(b_, sizeof b_, -1, 1), TUI_UNKNOWN);
}

static void test_times(void **state)
{
    (void)state;
    FMT(tui_fmt_age(b_, sizeof b_, 45), "45s");
    FMT(tui_fmt_age(b_, sizeof b_, 720), "12m");
    FMT(tui_fmt_age(b_, sizeof b_, 3 * 3600 + 5), "3h");
    FMT(tui_fmt_age(b_, sizeof b_, 2 * 86400), "2d");
    /* 2026-11-28 07:04:05 UTC is 15:04:05 in Shanghai */
    FMT(tui_fmt_shanghai(b_, sizeof b_, 1795849445), "2026-11-28 15:04:05");
    setenv("TZ", "UTC", 1);
    tzset();
    int64_t now = 1795849445;
    FMT(tui_fmt_when(b_, sizeof b_, now - 3600, now), "06:04");
    FMT(tui_fmt_when(b_, sizeof b_, now - 2 * 86400, now), "11-26 07:04");
    FMT(tui_fmt_when(b_, sizeof b_, now - 400 * 86400, now), "2025-10-24");
}

static void test_daily_limits(void **state)
{
    (void)state;
    assert_true(tui_limit_pct("SH", "main", "中科曙光") == 10);
    assert_true(tui_limit_pct("SH", "STAR", "寒武纪") == 20);
    assert_true(tui_limit_pct("SZ", "ChiNext", "景嘉微") == 20);
    assert_true(tui_limit_pct("SZ", "main", "*ST某某") == 5);
    assert_true(tui_limit_pct("SH", "main", "ST某某") == 5);
    assert_true(tui_limit_pct("BJ", "main", "某某") == 30);
    assert_true(tui_limit_pct("HK", "HKEX", "壁仞科技") == 0);
    /* prev 10.00: limit up 11.00, down 9.00 */
    assert_int_equal(tui_limit_state(11.00, 1.00, 10), 1);
    assert_int_equal(tui_limit_state(10.99, 0.99, 10), 0);
    assert_int_equal(tui_limit_state(9.00, -1.00, 10), -1);
    /* prev 12.33 on STAR: 14.796 rounds to 14.80 */
    assert_int_equal(tui_limit_state(14.80, 2.47, 20), 1);
    assert_int_equal(tui_limit_state(14.79, 2.46, 20), 0);
    assert_int_equal(tui_limit_state(NAN, 1, 10), 0);
    assert_int_equal(tui_limit_state(11.0, 1.0, 0), 0); /* no limit in Hong Kong */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prices_to_the_tick), cmocka_unit_test(test_percent_with_sign),
        cmocka_unit_test(test_amounts_in_units),   cmocka_unit_test(test_times),
        cmocka_unit_test(test_daily_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
