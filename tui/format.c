/*
 * format.c — how numbers, times and market rules read on screen.
 *
 * One place decides the tick of a price, the sign of a change, the unit of a
 * large amount (亿 and 万 for a Chinese reader, K/M/B for an English one)
 * and what a value nobody knows looks like (an em dash, never 0). Pure
 * functions, so the screens and the tests agree by construction.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/private.h"

static int price_decimals(double v, const char *exchange)
{
    if (exchange != NULL && strcmp(exchange, "HK") == 0) {
        double a = fabs(v);
        return a < 0.5 ? 3 : a < 100 ? 2 : 1;
    }
    return 2;
}

void tui_fmt_price(char *dst, size_t n, double v, const char *exchange)
{
    if (!isfinite(v)) {
        snprintf(dst, n, "%s", TUI_UNKNOWN);
        return;
    }
    snprintf(dst, n, "%.*f", price_decimals(v, exchange), v);
}

void tui_fmt_change(char *dst, size_t n, double v, const char *exchange)
{
    if (!isfinite(v)) {
        snprintf(dst, n, "%s", TUI_UNKNOWN);
        return;
    }
    int d = price_decimals(v, exchange);
    double r = round(v * pow(10, d)) / pow(10, d);
    snprintf(dst, n, r == 0 ? "%.*f" : "%+.*f", d, r == 0 ? 0.0 : r);
}

void tui_fmt_pct(char *dst, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(dst, n, "%s", TUI_UNKNOWN);
        return;
    }
    double r = round(v * 100) / 100;
    snprintf(dst, n, r == 0 ? "%.2f%%" : "%+.2f%%", r == 0 ? 0.0 : r);
}

void tui_fmt_amount(char *dst, size_t n, double v, int lang_en)
{
    if (!isfinite(v)) {
        snprintf(dst, n, "%s", TUI_UNKNOWN);
        return;
    }
    static const struct unit {
        double scale;
        const char *zh, *en;
    } units[] = { { 1e12, "万亿", "T" }, { 1e9, NULL, "B" },  { 1e8, "亿", NULL },
                  { 1e6, NULL, "M" },    { 1e4, "万", NULL }, { 1e3, NULL, "K" } };
    double a = fabs(v);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        const char *name = lang_en ? units[i].en : units[i].zh;
        if (name == NULL || a < units[i].scale)
            continue;
        double x = v / units[i].scale;
        /* three significant digits: 1.23亿, 12.3亿, 123亿 */
        int d = fabs(x) < 10 ? 2 : fabs(x) < 100 ? 1 : 0;
        snprintf(dst, n, "%.*f%s", d, x, name);
        return;
    }
    snprintf(dst, n, "%.0f", v);
}

void tui_fmt_count(char *dst, size_t n, int64_t v, int lang_en)
{
    if (v < 0) {
        snprintf(dst, n, "%s", TUI_UNKNOWN);
        return;
    }
    if (v >= 10000) {
        tui_fmt_amount(dst, n, (double)v, lang_en);
        return;
    }
    if (v >= 1000)
        snprintf(dst, n, "%d,%03d", (int)(v / 1000), (int)(v % 1000));
    else
        snprintf(dst, n, "%d", (int)v);
}

void tui_fmt_age(char *dst, size_t n, int64_t s)
{
    if (s < 0)
        s = 0;
    if (s < 60)
        snprintf(dst, n, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(dst, n, "%lldm", (long long)(s / 60));
    else if (s < 86400)
        snprintf(dst, n, "%lldh", (long long)(s / 3600));
    else
        snprintf(dst, n, "%lldd", (long long)(s / 86400));
}

void tui_fmt_when(char *dst, size_t n, int64_t t, int64_t now)
{
    time_t tt = (time_t)t, tn = (time_t)now;
    struct tm a, b;
    localtime_r(&tt, &a);
    localtime_r(&tn, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
        strftime(dst, n, "%H:%M", &a);
    else if (a.tm_year == b.tm_year)
        strftime(dst, n, "%m-%d %H:%M", &a);
    else
        strftime(dst, n, "%Y-%m-%d", &a);
}

void tui_fmt_shanghai(char *dst, size_t n, int64_t t)
{
    time_t tt = (time_t)(t + 8 * 3600);
    struct tm a;
    gmtime_r(&tt, &a);
    strftime(dst, n, "%Y-%m-%d %H:%M:%S", &a);
}

double tui_limit_pct(const char *exchange, const char *board, const char *name_zh)
{
    if (exchange == NULL)
        return 0;
    if (strcmp(exchange, "SH") != 0 && strcmp(exchange, "SZ") != 0 && strcmp(exchange, "BJ") != 0)
        return 0;
    if (strcmp(exchange, "BJ") == 0)
        return 30;
    if (board != NULL && (strcmp(board, "STAR") == 0 || strcmp(board, "ChiNext") == 0))
        return 20;
    if (name_zh != NULL && (strncmp(name_zh, "ST", 2) == 0 || strncmp(name_zh, "*ST", 3) == 0))
        return 5;
    return 10;
}

int tui_limit_state(double last, double change, double limit_pct)
{
    if (!(limit_pct > 0) || !isfinite(last) || !isfinite(change))
        return 0;
    double prev = last - change;
    if (!(prev > 0))
        return 0;
    double up = round(prev * (1 + limit_pct / 100) * 100) / 100;
    double down = round(prev * (1 - limit_pct / 100) * 100) / 100;
    if (last >= up - 0.0049)
        return 1;
    if (last <= down + 0.0049)
        return -1;
    return 0;
}
