/*
 * newslist.c — a news list of any length behind a virtual table.
 *
 * The table asks for rows by index; the list keeps one window of rows in
 * memory (a keyset page) and, for a row outside it, moves the window: a
 * short step forward continues from the window's end cursor, anything else
 * skips rows through the index from the nearest cursor it knows
 * (store_news_seek reads only (published, id) keys), so the last row of a
 * million costs one index walk, not a million rows read. Row indexes
 * shift when news arrives; tui_newslist_find() gives an item's new index
 * (store_news_rank) so a selection stays on the item, not on the row.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

int tui_newslist_reset(tui_newslist *l, store *st, const store_news_query *q, char **err)
{
    tui_newslist_free(l);
    l->q = *q;
    l->q.after = STORE_CURSOR_START;
    return store_news_rank(st, &l->q, STORE_CURSOR_END, &l->total, err);
}

void tui_newslist_free(tui_newslist *l)
{
    if (l->loaded)
        store_news_page_free(&l->page);
    l->loaded = 0;
    l->base = 0;
}

/* Loads the window of `n` rows starting at row `start`. */
static int load_window(tui_newslist *l, store *st, int64_t start, int n, char **err)
{
    store_cursor from = STORE_CURSOR_START;
    int64_t skip = start;
    if (l->loaded && start >= l->base) {
        /* forward from what is known: the window's start or its end */
        int64_t end = l->base + (int64_t)l->page.n;
        if (start >= end && l->page.n > 0) {
            from = l->page.next;
            skip = start - end;
        } else {
            from = l->base_cursor;
            skip = start - l->base;
        }
    }
    store_news_query q = l->q;
    q.after = from;
    store_cursor at = from;
    int64_t skipped = 0;
    if (skip > 0 && store_news_seek(st, &q, skip, &at, &skipped, err) != 0)
        return -1;
    q.after = at;
    q.limit = n;
    store_news_page p;
    if (store_news_page_get(st, &q, &p, err) != 0)
        return -1;
    tui_newslist_free(l);
    l->page = p;
    l->loaded = 1;
    l->base = start - (skip - skipped);
    l->base_cursor = at;
    return 0;
}

const store_news *tui_newslist_row(tui_newslist *l, store *st, int64_t i, int want, char **err)
{
    if (i < 0 || i >= l->total)
        return NULL;
    if (want < 16)
        want = 16;
    if (!l->loaded || i < l->base || i >= l->base + (int64_t)l->page.n) {
        /* a window of three screens around the row: scrolling either way stays inside */
        int64_t start = i - want;
        if (start < 0)
            start = 0;
        if (load_window(l, st, start, 3 * want, err) != 0)
            return NULL;
        if (i < l->base || i >= l->base + (int64_t)l->page.n)
            return NULL; /* the list shrank meanwhile */
    }
    return &l->page.rows[i - l->base];
}

int64_t tui_newslist_find(tui_newslist *l, store *st, int64_t published, int64_t id)
{
    int64_t n;
    if (store_news_rank(st, &l->q, (store_cursor){ published, id }, &n, NULL) != 0)
        return -1;
    const store_news *r = tui_newslist_row(l, st, n, 16, NULL);
    return r != NULL && r->id == id ? n : -1;
}
