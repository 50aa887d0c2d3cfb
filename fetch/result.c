/*
 * result.c — the plain structs adapters fill.
 *
 * An adapter never writes to the cache: it appends items, quotes, bars and
 * model statistics to a fetch_result, whose strings live in one arena, and
 * the engine hands the whole result to store_write() as one batch.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

void fetch_result_init(fetch_result *r)
{
    memset(r, 0, sizeof *r);
    r->arena = core_arena_new();
}

/* Grows an array by one zeroed element. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *arr = xrealloc(*arr, *cap * size);
    }
    char *p = (char *)*arr + (*n)++ * size;
    memset(p, 0, size);
    return p;
}

store_item *fetch_add_item(fetch_result *r)
{
    return grow((void **)&r->items, &r->n_items, &r->cap_items, sizeof *r->items);
}

store_quote *fetch_add_quote(fetch_result *r)
{
    store_quote *q = grow((void **)&r->quotes, &r->n_quotes, &r->cap_quotes, sizeof *r->quotes);
    q->last = q->change = q->change_pct = q->open = q->high = q->low = q->prev_close = NAN;
    q->volume = q->turnover = q->market_cap = NAN;
    return q;
}

store_bar *fetch_add_bar(fetch_result *r)
{
    store_bar *b = grow((void **)&r->bars, &r->n_bars, &r->cap_bars, sizeof *r->bars);
    b->open = b->high = b->low = b->close = b->volume = b->amount = NAN;
    return b;
}

store_model_stat *fetch_add_stat(fetch_result *r)
{
    store_model_stat *m = grow((void **)&r->stats, &r->n_stats, &r->cap_stats, sizeof *r->stats);
    m->downloads = m->downloads_all = m->likes = -1;
    return m;
}

void fetch_result_free(fetch_result *r)
{
    free(r->items);
    free(r->quotes);
    free(r->bars);
    free(r->stats);
    core_arena_free(r->arena);
    memset(r, 0, sizeof *r);
}
