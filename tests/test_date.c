/*
 * test_date.c — fetch_parse_date (fetch/date.c): a table of the dates feeds
 * write (RFC 822, RFC 3339, their malformed cousins, Chinese dates) and of
 * garbage that must be refused. Expected values are epoch seconds computed
 * independently (Python's calendar.timegm); T0 is 2026-11-28T07:04:05Z, that
 * is 15:04:05 in Beijing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch/private.h"

#define T0   INT64_C(1795849445) /* 2026-11-28T07:04:05Z */
#define T0M  (T0 - 5)            /* the same minute without seconds */
#define HOUR INT64_C(3600)

typedef struct date_case {
    const char *in;
    int64_t want; /* -1: must be refused */
} date_case;

static const date_case valid[] = {
    /* RFC 822 / 1123 */
    { "Sat, 28 Nov 2026 15:04:05 +0800", T0 },
    { "Sat, 28 Nov 2026 07:04:05 GMT", T0 },
    { "Sat, 28 Nov 2026 07:04:05 UT", T0 },
    { "Sat, 28 Nov 2026 07:04:05 UTC", T0 },
    { "Sat, 28 Nov 2026 07:04:05 Z", T0 },
    { "Sat, 28 Nov 2026 07:04:05 -0000", T0 },
    { "28 Nov 2026 15:04 +0800", T0M },
    { "28 Nov 2026 07:04 GMT", T0M },
    { "Sat, 28 Nov 26 07:04:05 GMT", T0 },
    { "Sat, 01 Jan 00 00:00:00 GMT", INT64_C(946684800) },
    { "Thu, 01 Jan 70 00:00:00 GMT", 0 },
    { "Sat, 28 Nov 126 07:04:05 GMT", T0 }, /* 3 digits: 1900 + 126 */
    /* US zone names, and CST as China Standard Time */
    { "Sat, 28 Nov 2026 02:04:05 EST", T0 },
    { "Sat, 28 Nov 2026 03:04:05 EDT", T0 },
    { "Sat, 28 Nov 2026 15:04:05 CST", T0 },
    { "Sat, 28 Nov 2026 02:04:05 CDT", T0 },
    { "Sat, 28 Nov 2026 00:04:05 MST", T0 },
    { "Sat, 28 Nov 2026 01:04:05 MDT", T0 },
    { "Fri, 27 Nov 2026 23:04:05 PST", T0 },
    { "Sat, 28 Nov 2026 00:04:05 PDT", T0 },
    { "Sat, 28 Nov 2026 16:04:05 JST", T0 },
    /* Military letters count as UTC (RFC 2822 4.3) */
    { "Sat, 28 Nov 2026 07:04:05 A", T0 },
    { "Sat, 28 Nov 2026 07:04:05 m", T0 },
    { "Sat, 28 Nov 2026 07:04:05 Y", T0 },
    /* RFC 3339 / ISO 8601 */
    { "2026-11-28T07:04:05Z", T0 },
    { "2026-11-28T15:04:05+08:00", T0 },
    { "2026-11-28T15:04:05+0800", T0 },
    { "2026-11-28T15:04:05+08", T0 },
    { "2026-11-28T02:04:05-05:00", T0 },
    { "2026-11-28T07:04:05.123456789Z", T0 },
    { "2026-11-28T07:04:05,5Z", T0 },
    { "2026-11-28t07:04:05z", T0 },
    { "2026-11-28 07:04:05Z", T0 },
    { "2026-11-28T05:34:05-01:30", T0 },
    { "2026-11-28T15:04+08:00", T0M },
    { "2026-11-28", INT64_C(1795795200) }, /* midnight in Beijing */
    { "2024-02-29T00:00:00Z", INT64_C(1709164800) },
    { "1999-12-31T23:59:59Z", INT64_C(946684799) },
    { "2016-12-31T23:59:60Z", INT64_C(1483228800) }, /* leap second */
    /* Common malformed variants */
    { "  Sat,   28 Nov   2026  15:04:05   +0800  ", T0 },
    { "Sat,28 Nov 2026 15:04:05 +0800", T0 },
    { "Satruday, 28 Nov 2026 15:04:05 +0800", T0 },
    { "Thurs., 28 Nov 2026 15:04:05 +0800", T0 },
    { "28 Nov 2026 15:04:05 +0800", T0 },
    { "Sat, 28 Nov 2026 15:04 +0800", T0M },
    { "Sat, 28 Nov 2026 15:04:05 +08:00", T0 },
    { "Sat, 28 Nov 2026 15:04:05 +0800 (CST)", T0 },
    { "Sat, 28 Nov 2026 15:04:05 +0800 CST", T0 },
    { "Sat, 28 Nov 2026 15:04:05 GMT+8", T0 },
    { "Sat, 28 Nov 2026 15:04:05 UTC+08:00", T0 },
    { "Sat, 28 November 2026 15:04:05 +0800", T0 },
    { "sat, 28 nov 2026 07:04:05 gmt", T0 },
    { "Sat, 28 Nov 2026 15:04:05.000 +0800", T0 },
    { "Saturday, 28-Nov-26 07:04:05 GMT", T0 },
    { "Sat Nov 28 07:04:05 UTC 2026", T0 },
    { "Sat Nov 28 15:04:05 2026", T0 },
    { "Nov 28, 2026 3:04:05 PM", T0 },
    { "Nov 28 2026 03:04:05 PM +0800", T0 },
    { "Sat, 28 Nov 2026 12:04:05 AM GMT", T0 - 7 * HOUR },
    /* Without a zone: Beijing time */
    { "2026/11/28 15:04", T0M },
    { "2026/11/28 15:04:05", T0 },
    { "2026.11.28 15:04:05", T0 },
    { "2026-11-28 15:04:05", T0 },
    { "2026-11-28T15:04:05", T0 },
    { "2026-11-28  15:04:05", T0 },
    { "Sat, 28 Nov 2026 15:04:05", T0 },
    { "2026年11月28日 15:04", T0M },
    { "2026年11月28日15:04:05", T0 },
    { "2026年11月28日", INT64_C(1795795200) },
    { "2026/11/28 07:04:05 GMT", T0 },
};

static const char *const garbage[] = {
    "",
    "   ",
    "garbage",
    "Sat",
    "Sat,",
    "Nov 2026",
    "28 Nov",
    "15:04:05",
    "12345",
    "1795849445",
    "Sat, 32 Nov 2026 15:04:05 +0800",
    "Sat, 00 Nov 2026 15:04:05 +0800",
    "Sat, 28 Foo 2026 15:04:05 +0800",
    "Sat, 28 Nov 2026 15:04:05 +0800 trailing words",
    "Sat, 28 Nov 2026 15:04:05 XYZ",
    "Sat, 28 Nov 2026 15:04:05 J",
    "Sat, 28 Nov 2026 15:04:05 +2500",
    "Sat, 28 Nov 2026 15:04:05 +0860",
    "Sat, 28 Nov 2026 15:04:05 (unclosed",
    "Sat, 28 Nov 2026 15:4:05 +0800",
    "Sat, 28 Nov 20266 15:04:05 +0800",
    "2026-13-01",
    "2026-00-10",
    "2026-02-29",
    "2100-02-29",
    "2026-04-31T00:00:00Z",
    "2026-11-28T24:00:00Z",
    "2026-11-28T15:60:00Z",
    "2026-11-28T15:04:61Z",
    "2026-11-28T",
    "2026-11-28Tgarbage",
    "2026-11-28 garbage",
    "2026-11-28T15:04:05Zjunk",
    "2026-11-28T15:04:05+",
    "2026-11/28",
    "0999-01-01",
    "Nov 28, 2026 13:04 PM",
    "Nov 28, 2026 0:04 AM",
    "2026年13月28日",
    "2026年11月",
    "\xe5\xb9\xb4",
    "Sat, 28 Nov 2026 99999999999:04:05 GMT",
};

static void test_valid_dates(void **state)
{
    (void)state;
    size_t n = sizeof valid / sizeof valid[0];
    for (size_t i = 0; i < n; i++) {
        int64_t t = -12345;
        if (fetch_parse_date(valid[i].in, &t) != 0)
            fail_msg("refused \"%s\"", valid[i].in);
        if (t != valid[i].want)
            fail_msg("\"%s\": got %lld, want %lld", valid[i].in, (long long)t,
                     (long long)valid[i].want);
    }
}

static void test_garbage_refused(void **state)
{
    (void)state;
    size_t n = sizeof garbage / sizeof garbage[0];
    for (size_t i = 0; i < n; i++) {
        int64_t t = 777;
        if (fetch_parse_date(garbage[i], &t) != -1)
            fail_msg("accepted \"%s\" as %lld", garbage[i], (long long)t);
        assert_int_equal(t, 777); /* *t untouched on failure */
    }
    int64_t t = 777;
    assert_int_equal(fetch_parse_date(NULL, &t), -1);
}

/* At least 40 cases, as the issue asks (valid + garbage). */
static void test_table_size(void **state)
{
    (void)state;
    assert_true(sizeof valid / sizeof valid[0] + sizeof garbage / sizeof garbage[0] >= 40);
    assert_true(sizeof garbage / sizeof garbage[0] >= 20);
}

/* The result does not depend on TZ or the locale (no mktime, no strptime). */
static void test_independent_of_tz(void **state)
{
    (void)state;
    const char *old = getenv("TZ");
    char *saved = old != NULL ? strdup(old) : NULL;
    static const char *const zones[] = { "UTC", "Asia/Shanghai", "America/New_York",
                                         "Pacific/Kiritimati" };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        setenv("TZ", zones[i], 1);
        tzset();
        int64_t a = 0, b = 0;
        assert_int_equal(fetch_parse_date("2026-11-28 15:04:05", &a), 0);
        assert_int_equal(fetch_parse_date("Sat, 28 Nov 2026 15:04:05 CST", &b), 0);
        assert_int_equal(a, T0);
        assert_int_equal(b, T0);
    }
    if (saved != NULL)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_dates),
        cmocka_unit_test(test_garbage_refused),
        cmocka_unit_test(test_table_size),
        cmocka_unit_test(test_independent_of_tz),
    };
    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
