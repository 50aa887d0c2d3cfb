/*
 * bench_browse.c — how fast browsing feels on a cache of a million items.
 *
 *   bench_browse --db PATH [--runs R]
 *
 * Runs the dashboard's own view code without a terminal (the views' load
 * and key handlers do all the store work; drawing is a few hundred cells):
 *  - search as you type: opens the search view and types Chinese and
 *    English queries one character at a time through its key handler, each
 *    keystroke timed from the key to the results being ready (what the next
 *    frame draws) — median and 95th percentile against the 30 ms target;
 *  - company profile: opens the profile of the company with the most tagged
 *    headlines (thousands at 1M items) through tui_open_company, which loads
 *    the company, its listings, chart bars, products, relations and its news
 *    timeline's first window — median and 95th percentile against 20 ms.
 * The cache is bench_store's (make bench builds it first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "core/core.h"
#include "tui/private.h"

#define TARGET_KEY_MS     30.0
#define TARGET_PROFILE_MS 20.0

static const char *const queries[] = { "昇腾芯片", "华为昇腾910B", "算力租赁",
                                       "deepseek", "qwen3 model",  "export controls" };

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

typedef struct busiest {
    store *st;
    char id[64];
    int64_t n;
} busiest;

static int count_news(void *ctx, const store_company *c)
{
    busiest *b = ctx;
    store_news_query q = { .company = c->id };
    int64_t n;
    if (store_news_rank(b->st, &q, STORE_CURSOR_END, &n, NULL) == 0 && n > b->n) {
        b->n = n;
        snprintf(b->id, sizeof b->id, "%s", c->id);
    }
    return 0;
}

/* Types one query into a fresh search view; appends each keystroke's milliseconds. */
static void type_query(tui_app *a, const char *q, double *ms, size_t *n)
{
    tui_open_search(a);
    if (a->n_views == 0)
        return;
    tui_view *v = &a->views[a->n_views - 1];
    const char *p = q;
    while (*p) {
        uint32_t cp;
        p += core_utf8_decode(p, strlen(p), &cp);
        double t0 = now_s();
        v->ops->key(a, v, TUI_A_NONE, (tui_key){ 0, (int)cp });
        ms[(*n)++] = (now_s() - t0) * 1000;
    }
    tui_view_pop(a);
}

int main(int argc, char **argv)
{
    const char *db = NULL;
    int runs = 21;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
    }
    if (db == NULL || runs < 1) {
        fprintf(stderr, "usage: bench_browse --db PATH [--runs R]\n");
        return 2;
    }
    tui_opts o = { .db = db, .config_dir = "/nonexistent", .data_dir = "data", .no_fetch = 1 };
    tui_app app, *a = &app;
    memset(a, 0, sizeof *a);
    a->o = &o;
    tui_config_init(&a->cfg);
    a->cfg.lang_en = 1;
    pthread_mutex_init(&a->fs.mu, NULL);
    char *err = NULL;
    if (store_open(&a->st, db, 0, &err) != 0) {
        fprintf(stderr, "bench_browse: %s\n", err);
        return 1;
    }
    a->now = (int64_t)time(NULL);
    a->rows = 40;
    a->cols = 120;

    busiest b = { a->st, "", -1 };
    store_companies_each(a->st, NULL, count_news, &b, NULL);

    size_t cap = (size_t)runs * 64, n = 0;
    double *ms = xmalloc(cap * sizeof *ms);
    for (int r = 0; r < runs; r++)
        for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
            type_query(a, queries[q], ms, &n);
    double key_med = pct(ms, n, 0.5), key_p95 = pct(ms, n, 0.95), key_max = ms[n - 1];
    size_t keys = n;

    n = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now_s();
        tui_open_company(a, b.id);
        ms[n++] = (now_s() - t0) * 1000;
        tui_view_pop(a);
    }
    double prof_med = pct(ms, n, 0.5), prof_p95 = pct(ms, n, 0.95);

    printf("browsing (the views' own code, no terminal):\n");
    printf("  %-46s %8s %8s %8s  %s\n", "", "median", "p95", "max", "target");
    printf("  %-46s %6.2fms %6.2fms %6.2fms  p95 <= %.0f ms %s\n",
           "search as you type, per keystroke", key_med, key_p95, key_max, TARGET_KEY_MS,
           key_p95 <= TARGET_KEY_MS ? "PASS" : "MISS");
    printf("  %-46s %6.2fms %6.2fms %8s  <= %.0f ms %s\n", "open a company profile", prof_med,
           prof_p95, "", TARGET_PROFILE_MS, prof_p95 <= TARGET_PROFILE_MS ? "PASS" : "MISS");
    printf(
        "  (%zu keystrokes over %zu queries x %d runs; profile: %s with %lld tagged headlines)\n",
        keys, sizeof queries / sizeof queries[0], runs, b.id, (long long)b.n);
    free(ms);
    store_close(a->st);
    tui_config_free(&a->cfg);
    return 0;
}
