/*
 * lists.c — two screens opened over the dashboard: the watchlist (W) and
 * the sources with their health (S); and the watch toggle (w) every screen
 * shares.
 *
 * The watchlist lives in the cache (the store's watch table), so it is the
 * same after a restart and in every process that opens the cache. Its
 * screen reads the watched companies with their quotes (the companies are a
 * curated few dozen, read page by page through store_companies_each) and,
 * below them, the newest few items of each watched company's news list
 * (one short keyset page each) merged newest first: what moved and why, on
 * one screen. Enter opens the company, or the news item inside that
 * company's own list so the reader's next and previous follow it.
 *
 * The sources screen is the health report the design asks for: kind,
 * health, last success, last error, HTTP status, items, next due, with
 * failing sources drawn in the error colour so they stand out, and `r`
 * making the selected one due now (the fetch engine looks for due sources
 * every second). Every string shown came from the network or the cache and
 * reaches the terminal only through the widgets, which sanitize it.
 *
 * Both views keep their selection on the same company, item or source
 * across reloads (data lands while they are open), not on the same row.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

#define L(en, zh) (a->cfg.lang_en ? (en) : (zh))

/* The movement keys on a table; 1 when the key was one of them. */
static int table_move_key(widget_table *t, tui_action act, long page)
{
    switch (act) {
    case TUI_A_UP:
        widget_table_move(t, -1);
        return 1;
    case TUI_A_DOWN:
        widget_table_move(t, 1);
        return 1;
    case TUI_A_PAGE_UP:
        widget_table_move(t, -page);
        return 1;
    case TUI_A_PAGE_DOWN:
        widget_table_move(t, page);
        return 1;
    case TUI_A_TOP:
        widget_table_move(t, -t->nrows);
        return 1;
    case TUI_A_BOTTOM:
        widget_table_move(t, t->nrows);
        return 1;
    default:
        return 0;
    }
}

/* ---- watch toggle ------------------------------------------------------------------- */

void tui_toggle_watch(tui_app *a, const char *company_id)
{
    store_company_detail d;
    int found;
    char *err = NULL;
    if (store_company_get(a->st, company_id, &d, &found, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return;
    }
    if (!found) {
        tui_say(a, L("no company '%s'", "没有公司 '%s'"), company_id);
        store_company_detail_free(&d);
        return;
    }
    int watch = !d.company.watched;
    const char *name = !a->cfg.lang_en && d.company.name_zh ? d.company.name_zh : d.company.name_en;
    if (store_watch_set(a->st, company_id, watch, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
    } else {
        tui_say(a,
                watch ? L("watching %s", "已关注 %s") : L("no longer watching %s", "已取消关注 %s"),
                name);
        /* our own write does not change data_version for us: reload what is shown */
        a->dirty |= TUI_DIRTY_DATA | TUI_DIRTY_BODY;
    }
    store_company_detail_free(&d);
}

/* ---- the watchlist -------------------------------------------------------------------- */

#define NEWS_PER_COMPANY 8 /* the newest few of each: a screen's worth between them */
#define NEWS_MAX         120

typedef struct watch_news {
    int64_t id, published;
    int starred;
    char company[64]; /* the watched company whose list it was read from */
    char source[64];
    char title[256];
} watch_news;

enum { W_COMPANIES, W_NEWS };

typedef struct watch_state {
    tui_app *a;
    tui_company_row *rows;
    size_t n_rows, cap_rows;
    watch_news *news;
    size_t n_news, cap_news;
    widget_table companies, news_t;
    widget_rect rect[2]; /* where each table was drawn, for the mouse */
    int focus;
    int news_rows; /* visible news rows at the last draw: a page */
    char *err_load;
} watch_state;

static int add_watched(void *ctx, const store_company *c)
{
    watch_state *w = ctx;
    tui_app *a = w->a;
    if (!c->watched)
        return 0;
    if (w->n_rows == w->cap_rows) {
        w->cap_rows = w->cap_rows ? w->cap_rows * 2 : 16;
        w->rows = xrealloc(w->rows, w->cap_rows * sizeof *w->rows);
    }
    const store_listing *li;
    tui_company_row_fill(a, c, &w->rows[w->n_rows++], &li);
    return 0;
}

static int news_newer(const void *x, const void *y)
{
    const watch_news *p = x, *q = y;
    if (p->published != q->published)
        return p->published > q->published ? -1 : 1;
    return (p->id < q->id) - (p->id > q->id);
}

static int watch_news_of(watch_state *w, const char *company, char **err)
{
    store_news_query q = { .company = company,
                           .after = STORE_CURSOR_START,
                           .limit = NEWS_PER_COMPANY };
    store_news_page p;
    if (store_news_page_get(w->a->st, &q, &p, err) != 0)
        return -1;
    for (size_t i = 0; i < p.n; i++) {
        const store_news *n = &p.rows[i];
        int dup = 0; /* an item tagged with two watched companies shows once */
        for (size_t k = 0; k < w->n_news && !dup; k++)
            dup = w->news[k].id == n->id;
        if (dup)
            continue;
        if (w->n_news == w->cap_news) {
            w->cap_news = w->cap_news ? w->cap_news * 2 : 32;
            w->news = xrealloc(w->news, w->cap_news * sizeof *w->news);
        }
        watch_news *o = &w->news[w->n_news++];
        o->id = n->id;
        o->published = n->published;
        o->starred = n->starred;
        snprintf(o->company, sizeof o->company, "%s", company);
        snprintf(o->source, sizeof o->source, "%s", n->source_id ? n->source_id : "");
        snprintf(o->title, sizeof o->title, "%s", n->title ? n->title : "");
    }
    store_news_page_free(&p);
    return 0;
}

static int watch_load(tui_app *a, tui_view *v, char **err)
{
    watch_state *w = v->st;
    w->a = a;
    char sel_company[64] = "";
    int64_t sel_news = 0;
    if (w->companies.sel >= 0 && (size_t)w->companies.sel < w->n_rows)
        snprintf(sel_company, sizeof sel_company, "%s", w->rows[w->companies.sel].id);
    if (w->news_t.sel >= 0 && (size_t)w->news_t.sel < w->n_news)
        sel_news = w->news[w->news_t.sel].id;
    w->n_rows = w->n_news = 0;
    if (store_companies_each(a->st, NULL, add_watched, w, err) != 0)
        return -1;
    for (size_t i = 0; i < w->n_rows; i++)
        if (watch_news_of(w, w->rows[i].id, err) != 0)
            return -1;
    if (w->n_news > 1)
        qsort(w->news, w->n_news, sizeof *w->news, news_newer);
    if (w->n_news > NEWS_MAX)
        w->n_news = NEWS_MAX;
    w->companies.nrows = (long)w->n_rows;
    w->news_t.nrows = (long)w->n_news;
    for (size_t i = 0; i < w->n_rows; i++)
        if (strcmp(w->rows[i].id, sel_company) == 0)
            w->companies.sel = (long)i;
    for (size_t i = 0; i < w->n_news; i++)
        if (w->news[i].id == sel_news)
            w->news_t.sel = (long)i;
    /* a company unwatched from under the selection: stay on the row, or the last one */
    if (w->companies.sel >= w->companies.nrows)
        w->companies.sel = w->companies.nrows - 1;
    if (w->companies.sel < 0 && w->companies.nrows > 0)
        w->companies.sel = 0;
    if (w->news_t.sel >= w->news_t.nrows)
        w->news_t.sel = w->news_t.nrows - 1;
    if (w->news_t.sel < 0 && w->news_t.nrows > 0)
        w->news_t.sel = 0;
    if (w->n_rows == 0)
        w->focus = W_COMPANIES;
    return 0;
}

enum { WC_NAME, WC_CODE, WC_LAST, WC_PCT, WC_CAP, WC_TIME, WC_LIMIT, WC_N };

static int watch_company_row(void *ctx, long i, widget_cell *cells)
{
    watch_state *w = ctx;
    if (i < 0 || (size_t)i >= w->n_rows)
        return -1;
    /* the pillar screens' cells, fewer columns */
    static const int shown[WC_N] = { TUI_CC_NAME, TUI_CC_CODE, TUI_CC_LAST, TUI_CC_PCT,
                                     TUI_CC_CAP,  TUI_CC_TIME, TUI_CC_LIMIT };
    widget_cell all[TUI_CC_N];
    tui_company_cells(w->a, &w->rows[i], all);
    for (int k = 0; k < WC_N; k++)
        cells[k] = all[shown[k]];
    return 0;
}

enum { WN_TIME, WN_COMPANY, WN_SOURCE, WN_TITLE, WN_N };

static int watch_news_row(void *ctx, long i, widget_cell *cells)
{
    watch_state *w = ctx;
    tui_app *a = w->a;
    if (i < 0 || (size_t)i >= w->n_news)
        return -1;
    const watch_news *n = &w->news[i];
    char b[32];
    tui_fmt_when(b, sizeof b, n->published, a->now);
    widget_cell_set(&cells[WN_TIME], tui_attr(a, TUI_DIM), "%s", b);
    widget_cell_set(&cells[WN_COMPANY], tui_attr(a, TUI_ACCENT), "%s",
                    tui_company_name(a, n->company));
    widget_cell_set(&cells[WN_SOURCE], tui_attr(a, TUI_DIM), "%s", n->source);
    widget_cell_set(&cells[WN_TITLE], n->starred ? tui_attr(a, TUI_ACCENT) : 0, "%s%s",
                    n->starred ? "★ " : "", n->title);
    return 0;
}

/* A panel: its title line, then its table. */
static void panel(tui_app *a, WINDOW *win, widget_rect r, const char *title, int focused,
                  widget_table *t, widget_rect *drawn)
{
    char line[256];
    snprintf(line, sizeof line, "%s%s", focused ? "▌" : " ", title);
    widget_text_draw(win, r.y, r.x, line, r.w,
                     tui_attr(a, TUI_TITLE) | (focused ? A_BOLD : A_NORMAL), 1);
    widget_rect tr = { r.y + 1, r.x, r.h - 1, r.w };
    *drawn = tr;
    widget_table_draw(win, tr, t);
}

static void watch_draw(tui_app *a, tui_view *v, WINDOW *win, widget_rect r)
{
    watch_state *w = v->st;
    static const widget_col ccols_en[WC_N] = {
        { "Name", 16, 1, WIDGET_LEFT },    { "Code", 10, 0, WIDGET_LEFT },
        { "Last", 8, 0, WIDGET_RIGHT },    { "Chg%", 8, 0, WIDGET_RIGHT },
        { "Mkt cap", 9, 0, WIDGET_RIGHT }, { "Time", 5, 0, WIDGET_RIGHT },
        { "", 4, 0, WIDGET_LEFT },
    };
    static const widget_col ccols_zh[WC_N] = {
        { "名称", 16, 1, WIDGET_LEFT }, { "代码", 10, 0, WIDGET_LEFT },
        { "现价", 8, 0, WIDGET_RIGHT }, { "涨跌幅", 8, 0, WIDGET_RIGHT },
        { "市值", 9, 0, WIDGET_RIGHT }, { "时间", 5, 0, WIDGET_RIGHT },
        { "", 4, 0, WIDGET_LEFT },
    };
    static const widget_col ncols_en[WN_N] = {
        { "Time", 11, 0, WIDGET_LEFT },
        { "Company", 10, 0, WIDGET_LEFT },
        { "Source", 10, 0, WIDGET_LEFT },
        { "Headline", 20, 1, WIDGET_LEFT },
    };
    static const widget_col ncols_zh[WN_N] = {
        { "时间", 11, 0, WIDGET_LEFT },
        { "公司", 10, 0, WIDGET_LEFT },
        { "来源", 10, 0, WIDGET_LEFT },
        { "标题", 20, 1, WIDGET_LEFT },
    };
    int en = a->cfg.lang_en;
    char title[256];
    tui_table_setup(a, &w->companies, en ? ccols_en : ccols_zh, WC_N, watch_company_row, w,
                    w->focus == W_COMPANIES);
    tui_table_setup(a, &w->news_t, en ? ncols_en : ncols_zh, WN_N, watch_news_row, w,
                    w->focus == W_NEWS);
    snprintf(title, sizeof title,
             L("Watchlist · %zu companies · w unwatches", "自选 · %zu 家公司 · w 取消关注"),
             w->n_rows);
    if (w->n_rows == 0) {
        widget_text_draw(win, r.y, r.x, title, r.w, tui_attr(a, TUI_TITLE) | A_BOLD, 1);
        if (r.h > 2)
            widget_text_draw(win, r.y + 2, r.x + 1,
                             L("no companies watched yet: press w on a company",
                               "还没有自选公司：在公司上按 w 加入"),
                             r.w - 2, tui_attr(a, TUI_DIM), 0);
        w->rect[0] = w->rect[1] = (widget_rect){ 0, 0, 0, 0 };
        return;
    }
    widget_rect rc = r, rn = r;
    int want = (int)w->n_rows + 2;
    rc.h = want < r.h / 2 ? want : r.h / 2;
    if (rc.h < 3)
        rc.h = 3;
    rn.y = r.y + rc.h;
    rn.h = r.h - rc.h;
    panel(a, win, rc, title, w->focus == W_COMPANIES, &w->companies, &w->rect[W_COMPANIES]);
    snprintf(title, sizeof title,
             L("Latest news of the watched companies · %zu", "自选公司最新新闻 · %zu"), w->n_news);
    w->news_rows = rn.h - 2 > 1 ? rn.h - 2 : 1;
    if (rn.h >= 2)
        panel(a, win, rn, title, w->focus == W_NEWS, &w->news_t, &w->rect[W_NEWS]);
    if (w->n_news == 0 && rn.h > 3)
        widget_text_draw(win, rn.y + 2, rn.x + 1,
                         L("no news cached yet for these companies", "这些公司暂无缓存新闻"),
                         rn.w - 2, tui_attr(a, TUI_DIM), 0);
}

/* Opens the selected news item inside its company's own list. */
static void watch_open_news(tui_app *a, const watch_news *n)
{
    store_news_query q = { .company = n->company, .after = STORE_CURSOR_START };
    int64_t row;
    char *err = NULL;
    if (store_news_rank(a->st, &q, (store_cursor){ n->published, n->id }, &row, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return;
    }
    tui_open_news(a, &q, row);
}

static int watch_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    (void)k;
    watch_state *w = v->st;
    widget_table *t = w->focus == W_COMPANIES ? &w->companies : &w->news_t;
    long page = w->focus == W_NEWS ? w->news_rows : 10;
    if (table_move_key(t, act, page))
        return TUI_KEY_HANDLED;
    switch (act) {
    case TUI_A_LEFT:
    case TUI_A_RIGHT:
        if (w->n_rows > 0)
            w->focus = w->focus == W_COMPANIES ? W_NEWS : W_COMPANIES;
        return TUI_KEY_HANDLED;
    case TUI_A_OPEN:
        if (w->focus == W_COMPANIES && t->sel >= 0 && (size_t)t->sel < w->n_rows)
            tui_open_company(a, w->rows[t->sel].id);
        else if (w->focus == W_NEWS && t->sel >= 0 && (size_t)t->sel < w->n_news)
            watch_open_news(a, &w->news[t->sel]);
        return TUI_KEY_HANDLED;
    case TUI_A_WATCH:
        if (w->focus == W_COMPANIES && t->sel >= 0 && (size_t)t->sel < w->n_rows)
            tui_toggle_watch(a, w->rows[t->sel].id);
        return TUI_KEY_HANDLED;
    case TUI_A_WATCHLIST:
        return TUI_KEY_HANDLED; /* already here */
    default:
        return TUI_KEY_IGNORED;
    }
}

static int watch_mouse(tui_app *a, tui_view *v, int y, int x, int dir)
{
    (void)a;
    watch_state *w = v->st;
    widget_table *tables[2] = { &w->companies, &w->news_t };
    for (int k = 0; k < 2; k++) {
        widget_rect r = w->rect[k];
        if (r.h <= 0 || y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
            continue;
        if (dir != 0)
            return widget_table_move(tables[k], 3L * dir);
        w->focus = k;
        long row = widget_table_hit(tables[k], r, y);
        if (row >= 0)
            tables[k]->sel = row;
        return 1;
    }
    return 0;
}

static void watch_free(tui_view *v)
{
    watch_state *w = v->st;
    if (w == NULL)
        return;
    free(w->rows);
    free(w->news);
    free(w);
    v->st = NULL;
}

static const tui_view_ops watch_ops = {
    .name = "watchlist",
    .load = watch_load,
    .draw = watch_draw,
    .key = watch_key,
    .mouse = watch_mouse,
    .free = watch_free,
};

void tui_open_watchlist(tui_app *a)
{
    watch_state *w = xcalloc(1, sizeof *w);
    w->a = a;
    tui_view_push(a, &watch_ops, w, L("watchlist", "自选"));
}

/* ---- sources ------------------------------------------------------------------------ */

enum { SC_ID, SC_KIND, SC_PILLAR, SC_HEALTH, SC_OK, SC_HTTP, SC_ITEMS, SC_NEXT, SC_ERROR, SC_N };

typedef struct src_row {
    char *id, *kind, *pillar, *origin, *url, *title, *last_error;
    int enabled, http_status, failures, interval_s;
    int64_t last_success, last_attempt, next_due, items;
} src_row;

typedef struct sources_state {
    tui_app *a;
    src_row *rows;
    size_t n, cap;
    int failing, disabled;
    widget_table t;
    widget_col cols[SC_N];
    widget_rect rect;
    int body;        /* visible rows at the last draw */
    char detail[96]; /* the source whose details are shown in a box; "" none */
} sources_state;

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

static void src_rows_free(sources_state *s)
{
    for (size_t i = 0; i < s->n; i++) {
        src_row *r = &s->rows[i];
        free(r->id), free(r->kind), free(r->pillar), free(r->origin);
        free(r->url), free(r->title), free(r->last_error);
    }
    s->n = 0;
}

static int add_source_row(void *ctx, const store_source *src)
{
    sources_state *s = ctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
    }
    src_row *r = &s->rows[s->n++];
    r->id = dup_or_empty(src->id);
    r->kind = dup_or_empty(src->kind);
    r->pillar = dup_or_empty(src->pillar);
    r->origin = dup_or_empty(src->origin);
    r->url = dup_or_empty(src->url);
    r->title = dup_or_empty(src->title);
    r->last_error = dup_or_empty(src->last_error);
    r->enabled = src->enabled;
    r->http_status = src->http_status;
    r->failures = src->failures;
    r->interval_s = src->interval_s;
    r->last_success = src->last_success;
    r->last_attempt = src->last_attempt;
    r->next_due = src->next_due;
    r->items = src->items;
    if (!r->enabled)
        s->disabled++;
    else if (r->failures > 0)
        s->failing++;
    return 0;
}

static int sources_load(tui_app *a, tui_view *v, char **err)
{
    sources_state *s = v->st;
    s->a = a;
    char *sel = NULL;
    if (s->t.sel >= 0 && (size_t)s->t.sel < s->n)
        sel = xstrdup(s->rows[s->t.sel].id);
    src_rows_free(s);
    s->failing = s->disabled = 0;
    /* a user's subscriptions: tens, or a few hundred from an OPML import */
    int rc = store_sources_each(a->st, add_source_row, s, err);
    s->t.nrows = (long)s->n;
    for (size_t i = 0; sel && i < s->n; i++)
        if (strcmp(s->rows[i].id, sel) == 0)
            s->t.sel = (long)i;
    if (s->t.sel >= s->t.nrows)
        s->t.sel = s->t.nrows - 1;
    if (s->t.sel < 0 && s->t.nrows > 0)
        s->t.sel = 0;
    free(sel);
    return rc;
}

/* "ok", "failing ×3", "disabled", "new": and the role to draw the row with. */
static tui_role health(const tui_app *a, const src_row *r, char *dst, size_t n)
{
    if (!r->enabled) {
        snprintf(dst, n, "%s", L("disabled", "已停用"));
        return TUI_DIM;
    }
    if (r->failures > 0) {
        snprintf(dst, n, L("failing ×%d", "失败 ×%d"), r->failures);
        return TUI_ERROR;
    }
    if (r->last_attempt == 0) {
        snprintf(dst, n, "%s", L("not yet", "未抓取"));
        return TUI_DIM;
    }
    snprintf(dst, n, "%s", L("ok", "正常"));
    return TUI_NORMAL;
}

/* When a source is due next: "in 4m", "now", "late 2m" (overdue); "—" when disabled. */
static void next_due(const tui_app *a, const src_row *r, char *dst, size_t n)
{
    char age[32];
    if (!r->enabled) {
        snprintf(dst, n, "%s", TUI_UNKNOWN);
    } else if (r->next_due > a->now) {
        tui_fmt_age(age, sizeof age, r->next_due - a->now);
        snprintf(dst, n, L("in %s", "%s后"), age);
    } else if (r->next_due == 0 || a->now - r->next_due < 60) {
        snprintf(dst, n, "%s", L("now", "现在"));
    } else {
        tui_fmt_age(age, sizeof age, a->now - r->next_due);
        snprintf(dst, n, L("late %s", "逾期 %s"), age);
    }
}

static void last_ok(const tui_app *a, int64_t t, char *dst, size_t n)
{
    char age[32];
    if (t <= 0) {
        snprintf(dst, n, "%s", L("never", "从未"));
        return;
    }
    tui_fmt_age(age, sizeof age, a->now - t);
    snprintf(dst, n, L("%s ago", "%s前"), age);
}

static int source_row(void *ctx, long i, widget_cell *cells)
{
    sources_state *s = ctx;
    tui_app *a = s->a;
    if (i < 0 || (size_t)i >= s->n)
        return -1;
    const src_row *r = &s->rows[i];
    char h[64], b[64];
    tui_role role = health(a, r, h, sizeof h);
    /* a failing source in the error colour across the row; a disabled one dim */
    attr_t row = role == TUI_NORMAL ? 0 : tui_attr(a, role);
    attr_t dim = row ? row : tui_attr(a, TUI_DIM);
    widget_cell_set(&cells[SC_ID], row, "%s", r->id);
    widget_cell_set(&cells[SC_KIND], dim, "%s", r->kind);
    widget_cell_set(&cells[SC_PILLAR], dim, "%s", *r->pillar ? r->pillar : "-");
    widget_cell_set(&cells[SC_HEALTH], role == TUI_NORMAL ? tui_attr(a, TUI_NORMAL) : row, "%s", h);
    last_ok(a, r->last_success, b, sizeof b);
    widget_cell_set(&cells[SC_OK], dim, "%s", b);
    if (r->http_status)
        widget_cell_set(&cells[SC_HTTP], row, "%d", r->http_status);
    else
        widget_cell_set(&cells[SC_HTTP], dim, "%s", TUI_UNKNOWN);
    widget_cell_set(&cells[SC_ITEMS], row, "%lld", (long long)r->items);
    next_due(a, r, b, sizeof b);
    widget_cell_set(&cells[SC_NEXT], dim, "%s", b);
    widget_cell_set(&cells[SC_ERROR], row ? row : tui_attr(a, TUI_ERROR), "%s", r->last_error);
    return 0;
}

static const src_row *find_source(const sources_state *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->rows[i].id, id) == 0)
            return &s->rows[i];
    return NULL;
}

/* The details box of one source: everything known about it, the error in full. */
static void draw_detail(tui_app *a, WINDOW *win, widget_rect r, const src_row *x)
{
    char h[64], ok[64], due[64], attempt[64], http[16], text[4096];
    health(a, x, h, sizeof h);
    if (x->http_status)
        snprintf(http, sizeof http, "%d", x->http_status);
    else
        snprintf(http, sizeof http, "%s", TUI_UNKNOWN);
    last_ok(a, x->last_success, ok, sizeof ok);
    last_ok(a, x->last_attempt, attempt, sizeof attempt);
    next_due(a, x, due, sizeof due);
    snprintf(text, sizeof text,
             L("%s\nurl: %s\nkind: %s · pillar: %s · origin: %s · every %ds\nhealth: %s · "
               "HTTP %s · %lld items\nlast attempt: %s · last success: %s · next: %s\n\n%s%s",
               "%s\n地址：%s\n类型：%s · 板块：%s · 来源：%s · 每 %d 秒\n状态：%s · HTTP %s · "
               "%lld 条\n上次尝试：%s · 上次成功：%s · 下次：%s\n\n%s%s"),
             *x->title ? x->title : x->id, x->url, x->kind, *x->pillar ? x->pillar : "-", x->origin,
             x->interval_s, h, http, (long long)x->items, attempt, ok, due,
             *x->last_error ? L("last error:\n", "最近错误：\n") : L("no error", "无错误"),
             x->last_error);
    int w = r.w - 6 < 96 ? r.w - 6 : 96;
    if (w < 20)
        w = r.w - 2;
    widget_lines lines;
    widget_wrap(text, w, &lines);
    int h_in = (int)lines.n + 2;
    if (h_in > r.h - 2)
        h_in = r.h - 2;
    widget_rect in =
        widget_modal_draw(win, h_in, w, x->id, tui_attr(a, TUI_BORDER), tui_attr(a, TUI_NORMAL));
    if (in.h > 1) {
        widget_rect body = { in.y, in.x, in.h - 1, in.w };
        widget_lines_draw(win, body, &lines, 0, tui_attr(a, TUI_NORMAL));
        widget_text_draw(win, in.y + in.h - 1, in.x,
                         L("r refreshes it now · any other key closes", "r 立即刷新 · 其他键关闭"),
                         in.w, tui_attr(a, TUI_DIM), 0);
    }
    widget_lines_free(&lines);
}

static void sources_draw(tui_app *a, tui_view *v, WINDOW *win, widget_rect r)
{
    sources_state *s = v->st;
    /* at 80 columns every column fits at its minimum; wider, the kind shows whole */
    static const widget_col cols_en[SC_N] = {
        { "Source", 12, 1, WIDGET_LEFT },     { "Kind", 8, 0, WIDGET_LEFT },
        { "Pillar", 7, 0, WIDGET_LEFT },      { "Health", 10, 0, WIDGET_LEFT },
        { "Last ok", 7, 0, WIDGET_RIGHT },    { "HTTP", 4, 0, WIDGET_RIGHT },
        { "Items", 5, 0, WIDGET_RIGHT },      { "Next", 9, 0, WIDGET_RIGHT },
        { "Last error", 10, 2, WIDGET_LEFT },
    };
    static const widget_col cols_zh[SC_N] = {
        { "来源", 12, 1, WIDGET_LEFT },     { "类型", 8, 0, WIDGET_LEFT },
        { "板块", 7, 0, WIDGET_LEFT },      { "状态", 10, 0, WIDGET_LEFT },
        { "上次成功", 8, 0, WIDGET_RIGHT }, { "HTTP", 4, 0, WIDGET_RIGHT },
        { "条目", 5, 0, WIDGET_RIGHT },     { "下次", 8, 0, WIDGET_RIGHT },
        { "最近错误", 10, 2, WIDGET_LEFT },
    };
    memcpy(s->cols, a->cfg.lang_en ? cols_en : cols_zh, sizeof s->cols);
    if (r.w >= 110)
        s->cols[SC_KIND].width = 16;
    char title[256];
    int n = snprintf(title, sizeof title, L("Sources · %zu", "来源 · %zu"), s->n);
    if (s->failing > 0 && n > 0 && (size_t)n < sizeof title)
        n += snprintf(title + n, sizeof title - (size_t)n, L(" · %d failing", " · %d 个失败"),
                      s->failing);
    if (s->disabled > 0 && n > 0 && (size_t)n < sizeof title)
        n += snprintf(title + n, sizeof title - (size_t)n, L(" · %d disabled", " · %d 个停用"),
                      s->disabled);
    if (n > 0 && (size_t)n < sizeof title)
        snprintf(title + n, sizeof title - (size_t)n, "%s",
                 L(" · r refreshes one · Enter details", " · r 刷新所选 · Enter 详情"));
    widget_text_draw(win, r.y, r.x, title, r.w,
                     tui_attr(a, s->failing > 0 ? TUI_ERROR : TUI_TITLE) | A_BOLD, 1);
    tui_table_setup(a, &s->t, s->cols, SC_N, source_row, s, 1);
    s->rect = (widget_rect){ r.y + 1, r.x, r.h - 1, r.w };
    s->body = s->rect.h - 1 > 1 ? s->rect.h - 1 : 1;
    widget_table_draw(win, s->rect, &s->t);
    if (s->n == 0 && r.h > 3)
        widget_text_draw(win, r.y + 3, r.x + 1,
                         L("no sources yet: add one with :source add URL",
                           "还没有来源：用 :source add URL 添加"),
                         r.w - 2, tui_attr(a, TUI_DIM), 0);
    const src_row *x = s->detail[0] ? find_source(s, s->detail) : NULL;
    if (x != NULL)
        draw_detail(a, win, r, x);
}

static void refresh_source(tui_app *a, const src_row *r)
{
    char *err = NULL;
    if (!r->enabled) {
        tui_say(a, L("%s is disabled", "%s 已停用"), r->id);
        return;
    }
    if (store_sources_due(a->st, r->id, a->now, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return;
    }
    pthread_mutex_lock(&a->fs.mu);
    int running = a->fs.running;
    pthread_mutex_unlock(&a->fs.mu);
    if (running)
        tui_say(a, L("refreshing %s", "正在刷新 %s"), r->id);
    else
        tui_say(a, L("%s marked due; the fetching process takes it", "%s 已标记待抓取"), r->id);
    a->dirty |= TUI_DIRTY_DATA; /* its next due time is now */
}

static int sources_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    (void)k;
    sources_state *s = v->st;
    const src_row *sel = s->t.sel >= 0 && (size_t)s->t.sel < s->n ? &s->rows[s->t.sel] : NULL;
    if (s->detail[0]) {
        /* the details box: r refreshes the source shown, any other key closes the box */
        const src_row *x = find_source(s, s->detail);
        if (act == TUI_A_REFRESH && x != NULL)
            refresh_source(a, x);
        else
            s->detail[0] = '\0';
        return TUI_KEY_HANDLED;
    }
    if (table_move_key(&s->t, act, s->body))
        return TUI_KEY_HANDLED;
    switch (act) {
    case TUI_A_REFRESH:
        if (sel != NULL)
            refresh_source(a, sel);
        return TUI_KEY_HANDLED; /* not the app's refresh of every source */
    case TUI_A_OPEN:
        if (sel != NULL)
            snprintf(s->detail, sizeof s->detail, "%s", sel->id);
        return TUI_KEY_HANDLED;
    case TUI_A_SOURCES:
        return TUI_KEY_HANDLED; /* already here */
    default:
        return TUI_KEY_IGNORED;
    }
}

static int sources_mouse(tui_app *a, tui_view *v, int y, int x, int dir)
{
    (void)a, (void)x;
    sources_state *s = v->st;
    if (s->detail[0]) {
        s->detail[0] = '\0';
        return 1;
    }
    if (dir != 0)
        return widget_table_move(&s->t, 3L * dir);
    long row = widget_table_hit(&s->t, s->rect, y);
    if (row < 0)
        return 0;
    s->t.sel = row;
    return 1;
}

static void sources_free(tui_view *v)
{
    sources_state *s = v->st;
    if (s == NULL)
        return;
    src_rows_free(s);
    free(s->rows);
    free(s);
    v->st = NULL;
}

static const tui_view_ops sources_ops = {
    .name = "sources",
    .load = sources_load,
    .draw = sources_draw,
    .key = sources_key,
    .mouse = sources_mouse,
    .free = sources_free,
};

void tui_open_sources(tui_app *a)
{
    sources_state *s = xcalloc(1, sizeof *s);
    s->a = a;
    tui_view_push(a, &sources_ops, s, L("sources", "来源"));
}
