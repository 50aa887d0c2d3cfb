/*
 * pillar.c — a pillar's screen: its companies, (for the models pillar) its
 * models, and its news.
 *
 * The companies table is small (a pillar has a dozen or two members), so
 * it is computed whole on each data change — quote, daily-limit marker,
 * 20-session sparkline, news in the last 24 hours — and sorted in memory
 * by the chosen column. The news panel is a virtual table over the whole
 * history (newslist.c): only the rows on screen, and a window around them,
 * are ever read. Each panel is a widget_table fed by a row callback here;
 * the widgets know nothing of companies or news.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

enum { S_NAME, S_CODE, S_LAST, S_CHG, S_PCT, S_CAP, S_NEWS, S_COUNT };
static const char *const sort_names[S_COUNT] = { "name",    "code", "last", "change",
                                                 "change%", "cap",  "news" };
/* how the panel title says them in Chinese (the command line takes the names above) */
static const char *const sort_names_zh[S_COUNT] = { "名称",   "代码", "现价",  "涨跌",
                                                    "涨跌幅", "市值", "新闻数" };

void tui_pillar_init(tui_pillar *p, struct tui_app *a, int index)
{
    memset(p, 0, sizeof *p);
    p->app = a;
    p->index = index;
    p->sort_col = S_CAP;
    p->sort_desc = 1;
    p->focus = TUI_PANEL_COMPANIES;
    p->companies.sel = p->model_table.sel = p->news_table.sel = 0;
}

void tui_pillar_free(tui_pillar *p)
{
    free(p->rows);
    free(p->models);
    tui_newslist_free(&p->news);
    p->rows = NULL;
    p->models = NULL;
    p->n_rows = p->n_models = 0;
}

/* ---- loading ------------------------------------------------------------------ */

typedef struct loader {
    tui_app *a;
    tui_pillar *p;
    size_t cap;
    char **err;
    int failed;
} loader;

void tui_company_row_fill(tui_app *a, const store_company *c, tui_company_row *r,
                          const store_listing **shown)
{
    memset(r, 0, sizeof *r);
    r->last = r->change = r->pct = r->cap = NAN;
    snprintf(r->id, sizeof r->id, "%s", c->id);
    if (c->name_zh)
        snprintf(r->name, sizeof r->name, "%s %s", c->name_zh, c->name_en);
    else
        snprintf(r->name, sizeof r->name, "%s", c->name_en);
    r->watched = c->watched;
    /* the listing shown: the first with a quote, else the first */
    const store_listing *li = NULL;
    for (size_t i = 0; i < c->n_listings && li == NULL; i++)
        if (c->listings[i].has_quote)
            li = &c->listings[i];
    if (li == NULL && c->n_listings)
        li = &c->listings[0];
    *shown = li;
    if (li == NULL) {
        snprintf(r->code, sizeof r->code, "%s", a->cfg.lang_en ? "private" : "未上市");
        return;
    }
    snprintf(r->code, sizeof r->code, "%s.%s", li->code, li->exchange);
    snprintf(r->exchange, sizeof r->exchange, "%s", li->exchange);
    if (!li->has_quote)
        return;
    r->has_quote = 1;
    r->last = li->last;
    r->change = li->change;
    r->pct = li->change_pct;
    r->cap = li->market_cap;
    r->quote_ts = li->quote_ts;
    r->quote_fetched = li->quote_fetched;
    r->limit =
        tui_limit_state(li->last, li->change, tui_limit_pct(li->exchange, li->board, c->name_zh));
    r->stale = fetch_quote_stale(li->exchange, li->quote_fetched, li->quote_interval, a->now);
}

static int add_company(void *ctx, const store_company *c)
{
    loader *l = ctx;
    tui_pillar *p = l->p;
    tui_app *a = l->a;
    if (p->n_rows == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        p->rows = xrealloc(p->rows, l->cap * sizeof *p->rows);
    }
    tui_company_row *r = &p->rows[p->n_rows++];
    const store_listing *li;
    tui_company_row_fill(a, c, r, &li);
    if (li != NULL) {
        store_daily d[20];
        int n = 0;
        if (store_closes(a->st, li->exchange, li->code, 20, d, &n, l->err) != 0) {
            l->failed = 1;
            return 1;
        }
        for (int i = 0; i < n; i++)
            r->spark[i] = d[i].close;
        r->n_spark = n;
    }
    if (store_news_count(a->st, NULL, c->id, a->now - 86400, &r->news24, l->err) != 0) {
        l->failed = 1;
        return 1;
    }
    return 0;
}

/* Orders two numbers, ascending; unknown (NaN) after any number. */
static int cmp_num(double x, double y)
{
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

/* Orders rows by the pillar's sort column and direction (qsort_r context); unknown values
 * sort last whatever the direction: a missing quote is not a zero. */
static int cmp_rows(const void *xa, const void *ya, void *ctx)
{
    const tui_pillar *p = ctx;
    const tui_company_row *x = xa, *y = ya;
    double vx = NAN, vy = NAN;
    int c = 0;
    switch (p->sort_col) {
    case S_NAME:
        c = strcmp(x->name, y->name);
        break;
    case S_CODE:
        c = strcmp(x->code, y->code);
        break;
    case S_LAST:
        vx = x->last, vy = y->last;
        break;
    case S_CHG:
        vx = x->change, vy = y->change;
        break;
    case S_PCT:
        vx = x->pct, vy = y->pct;
        break;
    case S_CAP:
        vx = x->cap, vy = y->cap;
        break;
    case S_NEWS:
        vx = (double)x->news24, vy = (double)y->news24;
        break;
    }
    if (p->sort_col >= S_LAST) {
        if (isnan(vx) || isnan(vy))
            return isnan(vx) != isnan(vy) ? cmp_num(vx, vy) : strcmp(x->id, y->id);
        c = cmp_num(vx, vy);
    }
    if (p->sort_desc)
        c = -c;
    return c ? c : strcmp(x->id, y->id);
}

static void sort_rows(tui_pillar *p)
{
    char sel[64] = "";
    if (p->companies.sel >= 0 && (size_t)p->companies.sel < p->n_rows)
        snprintf(sel, sizeof sel, "%s", p->rows[p->companies.sel].id);
    qsort_r(p->rows, p->n_rows, sizeof *p->rows, cmp_rows, p);
    /* the selection follows its company */
    for (size_t i = 0; i < p->n_rows; i++)
        if (strcmp(p->rows[i].id, sel) == 0)
            p->companies.sel = (long)i;
}

static int load_models(tui_app *a, tui_pillar *p, char **err)
{
    free(p->models);
    p->models = NULL;
    p->n_models = 0;
    size_t cap = 0;
    char *after = NULL;
    for (;;) {
        store_model_page mp;
        if (store_models_page(a->st, after, 100, &mp, err) != 0) {
            free(after);
            return -1;
        }
        for (size_t i = 0; i < mp.n; i++) {
            const store_model *m = &mp.rows[i];
            if (p->n_models == cap) {
                cap = cap ? cap * 2 : 32;
                p->models = xrealloc(p->models, cap * sizeof *p->models);
            }
            tui_model_row *r = &p->models[p->n_models++];
            snprintf(r->id, sizeof r->id, "%s", m->id);
            snprintf(r->company_id, sizeof r->company_id, "%s", m->company_id);
            snprintf(r->name, sizeof r->name, "%s", m->name);
            snprintf(r->lab, sizeof r->lab, "%s",
                     a->cfg.lang_en || m->lab_zh == NULL ? m->lab_en : m->lab_zh);
            snprintf(r->released, sizeof r->released, "%s", m->released ? m->released : "");
            r->downloads = m->downloads;
            r->downloads_prev = m->downloads_prev;
            r->likes = m->likes;
            r->likes_prev = m->likes_prev;
            r->stats_ts = m->stats_ts;
        }
        free(after);
        after = mp.more && mp.next ? xstrdup(mp.next) : NULL;
        store_model_page_free(&mp);
        if (after == NULL)
            break;
    }
    /* newest releases first: what an investor looks for */
    for (size_t i = 1; i < p->n_models; i++)
        for (size_t j = i; j > 0 && strcmp(p->models[j - 1].released, p->models[j].released) < 0;
             j--) {
            tui_model_row t = p->models[j];
            p->models[j] = p->models[j - 1];
            p->models[j - 1] = t;
        }
    return 0;
}

int tui_pillar_load(tui_app *a, tui_pillar *p, char **err)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    const char *pid = pl[p->index].id;
    char sel[64] = "";
    if (p->want_sel[0]) {
        snprintf(sel, sizeof sel, "%s", p->want_sel);
        p->want_sel[0] = '\0';
    } else if (p->companies.sel >= 0 && (size_t)p->companies.sel < p->n_rows) {
        snprintf(sel, sizeof sel, "%s", p->rows[p->companies.sel].id);
    }
    free(p->rows);
    p->rows = NULL;
    p->n_rows = 0;
    loader l = { a, p, 0, err, 0 };
    if (store_companies_each(a->st, pid, add_company, &l, err) != 0 || l.failed)
        return -1;
    sort_rows(p);
    p->companies.sel = 0;
    for (size_t i = 0; i < p->n_rows; i++)
        if (strcmp(p->rows[i].id, sel) == 0)
            p->companies.sel = (long)i;
    p->companies.nrows = (long)p->n_rows;

    if (p->index == 4) {
        if (load_models(a, p, err) != 0)
            return -1;
        p->model_table.nrows = (long)p->n_models;
        if (p->model_table.sel >= p->model_table.nrows)
            p->model_table.sel = p->model_table.nrows ? p->model_table.nrows - 1 : 0;
    }

    /* the news list: a selection below the top stays on its item as news arrives */
    int64_t keep_t = 0, keep_id = 0;
    if (p->news_table.sel > 0) {
        const store_news *n =
            tui_newslist_row(&p->news, a->st, p->news_table.sel, p->news_rows, NULL);
        if (n != NULL)
            keep_t = n->published, keep_id = n->id;
    }
    store_news_query q = { .pillar = pid };
    if (tui_newslist_reset(&p->news, a->st, &q, err) != 0)
        return -1;
    p->news_table.nrows = (long)p->news.total;
    if (keep_id) {
        int64_t at = tui_newslist_find(&p->news, a->st, keep_t, keep_id);
        if (at >= 0) {
            p->news_table.top += (long)at - p->news_table.sel;
            p->news_table.sel = (long)at;
        }
    }
    if (p->news_table.sel >= p->news_table.nrows)
        p->news_table.sel = p->news_table.nrows ? p->news_table.nrows - 1 : 0;
    if (p->news_table.top < 0)
        p->news_table.top = 0;
    return 0;
}

/* ---- rows for the tables ------------------------------------------------------- */

/* Column sets: the companies table at two widths. */

static int company_cells(tui_pillar *p, long i, widget_cell *cells);

/* The companies table shows a subset of the columns (by width): fill all, pass on those shown. */
static int company_row(void *ctx, long i, widget_cell *cells)
{
    tui_pillar *p = ctx;
    widget_cell all[TUI_CC_N];
    if (company_cells(p, i, all) != 0)
        return -1;
    for (int k = 0; k < p->n_shown; k++)
        cells[k] = all[p->shown[k]];
    return 0;
}

static int company_cells(tui_pillar *p, long i, widget_cell *cells)
{
    if (i < 0 || (size_t)i >= p->n_rows)
        return -1;
    tui_company_cells(p->app, &p->rows[i], cells);
    return 0;
}

void tui_company_cells(tui_app *a, const tui_company_row *r, widget_cell *cells)
{
    char b[64];
    attr_t move = r->stale ? tui_attr(a, TUI_STALE) : tui_move_attr(a, r->pct);
    widget_cell_set(&cells[TUI_CC_NAME], 0, "%s%s", r->watched ? "★ " : "", r->name);
    widget_cell_set(&cells[TUI_CC_CODE], tui_attr(a, TUI_DIM), "%s", r->code);
    tui_fmt_price(b, sizeof b, r->last, r->exchange);
    widget_cell_set(&cells[TUI_CC_LAST], r->has_quote ? move : tui_attr(a, TUI_DIM), "%s", b);
    tui_fmt_change(b, sizeof b, r->change, r->exchange);
    widget_cell_set(&cells[TUI_CC_CHG], move, "%s", b);
    tui_fmt_pct(b, sizeof b, r->pct);
    widget_cell_set(&cells[TUI_CC_PCT], move, "%s", b);
    tui_fmt_amount(b, sizeof b, r->cap, a->cfg.lang_en);
    widget_cell_set(&cells[TUI_CC_CAP], 0, "%s", b);
    if (r->n_spark > 1) {
        widget_sparkline(cells[TUI_CC_SPARK].text, sizeof cells[TUI_CC_SPARK].text, r->spark,
                         (size_t)r->n_spark, 20);
        cells[TUI_CC_SPARK].attr = tui_move_attr(a, r->spark[r->n_spark - 1] - r->spark[0]);
    } else {
        widget_cell_set(&cells[TUI_CC_SPARK], tui_attr(a, TUI_DIM), "%s", "");
    }
    widget_cell_set(&cells[TUI_CC_NEWS], r->news24 ? 0 : tui_attr(a, TUI_DIM), "%lld",
                    (long long)r->news24);
    if (!r->has_quote)
        widget_cell_set(&cells[TUI_CC_TIME], 0, "%s", "");
    else if (r->stale) {
        tui_fmt_age(b, sizeof b, a->now - r->quote_fetched);
        widget_cell_set(&cells[TUI_CC_TIME], tui_attr(a, TUI_STALE), "%s", b);
    } else {
        /* today the time, else the date ("11-26"): the first five columns either way */
        tui_fmt_when(b, sizeof b, r->quote_ts, a->now);
        widget_cell_set(&cells[TUI_CC_TIME], tui_attr(a, TUI_DIM), "%.5s", b);
    }
    if (r->limit > 0)
        widget_cell_set(&cells[TUI_CC_LIMIT], tui_attr(a, TUI_LIMIT_UP), "%s", "涨停");
    else if (r->limit < 0)
        widget_cell_set(&cells[TUI_CC_LIMIT], tui_attr(a, TUI_LIMIT_DOWN), "%s", "跌停");
    else
        widget_cell_set(&cells[TUI_CC_LIMIT], 0, "%s", "");
}

enum { M_NAME, M_LAB, M_RELEASED, M_DL, M_DLD, M_LIKES, M_LIKED, M_N };

static int model_row(void *ctx, long i, widget_cell *cells)
{
    tui_pillar *p = ctx;
    tui_app *a = p->app;
    if (i < 0 || (size_t)i >= p->n_models)
        return -1;
    const tui_model_row *m = &p->models[i];
    char b[32];
    widget_cell_set(&cells[M_NAME], 0, "%s", m->name);
    widget_cell_set(&cells[M_LAB], tui_attr(a, TUI_DIM), "%s", m->lab);
    widget_cell_set(&cells[M_RELEASED], tui_attr(a, TUI_DIM), "%s", m->released);
    tui_fmt_count(b, sizeof b, m->downloads, a->cfg.lang_en);
    widget_cell_set(&cells[M_DL], 0, "%s", b);
    tui_trend_cell(&cells[M_DLD], a, m->downloads, m->downloads_prev);
    tui_fmt_count(b, sizeof b, m->likes, a->cfg.lang_en);
    widget_cell_set(&cells[M_LIKES], 0, "%s", b);
    tui_trend_cell(&cells[M_LIKED], a, m->likes, m->likes_prev);
    return 0;
}

static int news_row(void *ctx, long i, widget_cell *cells)
{
    tui_pillar *p = ctx;
    const store_news *n = tui_newslist_row(&p->news, p->app->st, i, p->news_rows, NULL);
    if (n == NULL)
        return -1;
    tui_news_cells(p->app, n, cells);
    return 0;
}

void tui_news_cells(tui_app *a, const store_news *n, widget_cell *cells)
{
    char b[32];
    tui_fmt_when(b, sizeof b, n->published, a->now);
    widget_cell_set(&cells[TUI_NC_TIME], tui_attr(a, TUI_DIM), "%s", b);
    widget_cell_set(&cells[TUI_NC_SOURCE], tui_attr(a, TUI_DIM), "%s",
                    n->source_id ? n->source_id : TUI_UNKNOWN);
    widget_cell_set(&cells[TUI_NC_TITLE],
                    n->starred ? tui_attr(a, TUI_ACCENT)
                    : n->read  ? tui_attr(a, TUI_DIM)
                               : 0,
                    "%s%s", n->starred ? "★ " : "", n->title ? n->title : TUI_UNKNOWN);
    /* tagged companies by name, as many as the cell holds */
    widget_cell *tags = &cells[TUI_NC_TAGS];
    size_t o = 0;
    tags->text[0] = '\0';
    tags->attr = tui_attr(a, TUI_ACCENT);
    const char *s = n->companies ? n->companies : "";
    while (*s) {
        size_t len = strcspn(s, " ");
        char id[96];
        snprintf(id, sizeof id, "%.*s", (int)(len < sizeof id ? len : sizeof id - 1), s);
        int w = snprintf(tags->text + o, sizeof tags->text - o, "%s%s", o ? "," : "",
                         tui_company_name(a, id));
        if (w < 0 || (size_t)w >= sizeof tags->text - o)
            break;
        o += (size_t)w;
        s += len;
        while (*s == ' ')
            s++;
    }
}

/* ---- drawing ---------------------------------------------------------------------- */

/* A panel: its title line, then its table below. */
static void panel(tui_app *a, tui_pillar *p, int which, WINDOW *w, widget_rect r, const char *title,
                  widget_table *t)
{
    int focused = p->focus == which;
    char line[256];
    snprintf(line, sizeof line, "%s%s", focused ? "▌" : " ", title);
    widget_text_draw(w, r.y, r.x, line, r.w, tui_attr(a, TUI_TITLE) | (focused ? A_BOLD : A_NORMAL),
                     1);
    widget_rect tr = { r.y + 1, r.x, r.h - 1, r.w };
    p->rect[which] = tr;
    widget_table_scroll(t, tr.h - 1);
    widget_table_draw(w, tr, t);
}

void tui_pillar_draw(tui_app *a, tui_pillar *p, WINDOW *w, widget_rect r)
{
    int en = a->cfg.lang_en;
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    int wide = r.w >= 120;
    static const char *const titles_en[TUI_CC_N] = { "Name",    "Code", "Last", "Chg",  "Chg%",
                                                     "Mkt cap", "20d",  "24h",  "Time", "" };
    static const char *const titles_zh[TUI_CC_N] = { "名称", "代码", "现价", "涨跌", "涨跌幅",
                                                     "市值", "20日", "24h",  "时间", "" };
    static const int sort_of_col[TUI_CC_N] = { S_NAME, S_CODE, S_LAST, S_CHG, S_PCT,
                                               S_CAP,  -1,     S_NEWS, -1,    -1 };
    widget_col ccols[TUI_CC_N];
    static char sort_title_buf[64];
    const char *const *tt = en ? titles_en : titles_zh;
    static const widget_col base[TUI_CC_N] = {
        { NULL, 14, 1, WIDGET_LEFT }, { NULL, 9, 0, WIDGET_LEFT },  { NULL, 8, 0, WIDGET_RIGHT },
        { NULL, 7, 0, WIDGET_RIGHT }, { NULL, 8, 0, WIDGET_RIGHT }, { NULL, 8, 0, WIDGET_RIGHT },
        { NULL, 10, 0, WIDGET_LEFT }, { NULL, 3, 0, WIDGET_RIGHT }, { NULL, 5, 0, WIDGET_RIGHT },
        { NULL, 4, 0, WIDGET_LEFT },
    };
    for (int i = 0; i < TUI_CC_N; i++) {
        ccols[i] = base[i];
        if (sort_of_col[i] == p->sort_col) {
            snprintf(sort_title_buf, sizeof sort_title_buf, "%s%s", tt[i],
                     p->sort_desc ? "▼" : "▲");
            ccols[i].title = sort_title_buf;
        } else {
            ccols[i].title = tt[i];
        }
    }
    if (wide)
        ccols[TUI_CC_SPARK].width = 20;
    /* at 80 columns the change in price goes: the change in percent says enough */
    p->n_shown = 0;
    for (int i = 0; i < TUI_CC_N; i++)
        if (wide || i != TUI_CC_CHG) {
            p->shown[p->n_shown] = i;
            p->shown_cols[p->n_shown++] = ccols[i];
        }
    tui_table_setup(a, &p->companies, p->shown_cols, p->n_shown, company_row, p,
                    p->focus == TUI_PANEL_COMPANIES);

    int ismodels = p->index == 4;
    widget_rect rc = r, rm = r, rn = r;
    int comp_h = (int)p->n_rows + 2;
    if (ismodels) {
        rc.h = r.h / 3;
        rm.y = r.y + rc.h;
        rm.h = r.h / 3;
        rn.y = rm.y + rm.h;
        rn.h = r.h - rc.h - rm.h;
    } else if (r.w >= 170) {
        rc.w = r.w * 11 / 20;
        rn.x = r.x + rc.w + 1;
        rn.w = r.w - rc.w - 1;
    } else {
        rc.h = comp_h < r.h / 2 ? comp_h : r.h / 2;
        rn.y = r.y + rc.h;
        rn.h = r.h - rc.h;
    }
    char title[256];
    snprintf(title, sizeof title,
             en ? "%s %s · %zu companies · sorted by %s" : "%s %s · %zu 家公司 · 按%s排序",
             pl[p->index].name_en, pl[p->index].name_zh, p->n_rows,
             (en ? sort_names : sort_names_zh)[p->sort_col]);
    panel(a, p, TUI_PANEL_COMPANIES, w, rc, title, &p->companies);

    if (ismodels) {
        static const widget_col mcols_en[M_N] = {
            { "Model", 16, 1, WIDGET_LEFT },    { "Lab", 10, 1, WIDGET_LEFT },
            { "Released", 10, 0, WIDGET_LEFT }, { "DL 30d", 7, 0, WIDGET_RIGHT },
            { "±day", 7, 0, WIDGET_RIGHT },     { "Likes", 6, 0, WIDGET_RIGHT },
            { "±day", 5, 0, WIDGET_RIGHT },
        };
        static const widget_col mcols_zh[M_N] = {
            { "模型", 16, 1, WIDGET_LEFT },   { "机构", 10, 1, WIDGET_LEFT },
            { "发布", 10, 0, WIDGET_LEFT },   { "30日下载", 8, 0, WIDGET_RIGHT },
            { "日变化", 7, 0, WIDGET_RIGHT }, { "点赞", 6, 0, WIDGET_RIGHT },
            { "日变化", 6, 0, WIDGET_RIGHT },
        };
        tui_table_setup(a, &p->model_table, en ? mcols_en : mcols_zh, M_N, model_row, p,
                        p->focus == TUI_PANEL_MODELS);
        snprintf(title, sizeof title, en ? "Models · %zu" : "模型 · %zu", p->n_models);
        panel(a, p, TUI_PANEL_MODELS, w, rm, title, &p->model_table);
    }

    static const widget_col ncols_en[TUI_NC_N] = {
        { "Time", 11, 0, WIDGET_LEFT },
        { "Source", 10, 0, WIDGET_LEFT },
        { "Headline", 20, 3, WIDGET_LEFT },
        { "Companies", 12, 1, WIDGET_LEFT },
    };
    static const widget_col ncols_zh[TUI_NC_N] = {
        { "时间", 11, 0, WIDGET_LEFT },
        { "来源", 10, 0, WIDGET_LEFT },
        { "标题", 20, 3, WIDGET_LEFT },
        { "公司", 12, 1, WIDGET_LEFT },
    };
    p->news_rows = rn.h - 2 > 1 ? rn.h - 2 : 1;
    tui_table_setup(a, &p->news_table, en ? ncols_en : ncols_zh, TUI_NC_N, news_row, p,
                    p->focus == TUI_PANEL_NEWS);
    snprintf(title, sizeof title, en ? "News · %lld" : "新闻 · %lld", (long long)p->news.total);
    panel(a, p, TUI_PANEL_NEWS, w, rn, title, &p->news_table);
    if (p->news.total == 0 && rn.h > 3)
        widget_text_draw(w, rn.y + 2, rn.x + 1,
                         en ? "no news cached yet for this pillar" : "此板块暂无缓存新闻", rn.w - 2,
                         tui_attr(a, TUI_DIM), 0);
}

static widget_table *focused_table(tui_pillar *p)
{
    return p->focus == TUI_PANEL_COMPANIES ? &p->companies
           : p->focus == TUI_PANEL_MODELS  ? &p->model_table
                                           : &p->news_table;
}

int tui_pillar_key(tui_app *a, tui_pillar *p, tui_action act)
{
    widget_table *t = focused_table(p);
    long page = p->focus == TUI_PANEL_NEWS ? p->news_rows : 10;
    int npanels = p->index == 4 ? 3 : 2;
    switch (act) {
    case TUI_A_UP:
        return widget_table_move(t, -1);
    case TUI_A_DOWN:
        return widget_table_move(t, 1);
    case TUI_A_PAGE_UP:
        return widget_table_move(t, -page);
    case TUI_A_PAGE_DOWN:
        return widget_table_move(t, page);
    case TUI_A_TOP:
        return widget_table_move(t, -t->sel);
    case TUI_A_BOTTOM:
        return widget_table_move(t, t->nrows - 1 - t->sel);
    case TUI_A_LEFT:
    case TUI_A_RIGHT: {
        /* panels in order: companies, (models), news */
        int order[3] = { TUI_PANEL_COMPANIES, TUI_PANEL_MODELS, TUI_PANEL_NEWS };
        if (npanels == 2)
            order[1] = TUI_PANEL_NEWS;
        int k = 0;
        while (k < npanels && order[k] != p->focus)
            k++;
        k = (k + (act == TUI_A_RIGHT ? 1 : npanels - 1)) % npanels;
        p->focus = order[k];
        return 1;
    }
    case TUI_A_SORT_NEXT:
    case TUI_A_SORT_PREV:
        p->sort_col = (p->sort_col + (act == TUI_A_SORT_NEXT ? 1 : S_COUNT - 1)) % S_COUNT;
        p->sort_desc = p->sort_col >= S_LAST; /* numbers: largest first; names: A to Z */
        sort_rows(p);
        return 1;
    case TUI_A_SORT_INVERT:
        p->sort_desc = !p->sort_desc;
        sort_rows(p);
        return 1;
    case TUI_A_OPEN:
        if (p->focus == TUI_PANEL_COMPANIES && t->sel >= 0 && (size_t)t->sel < p->n_rows)
            tui_open_company(a, p->rows[t->sel].id);
        else if (p->focus == TUI_PANEL_MODELS && t->sel >= 0 && (size_t)t->sel < p->n_models)
            tui_open_company(a, p->models[t->sel].company_id);
        else if (p->focus == TUI_PANEL_NEWS && t->sel >= 0 && t->sel < t->nrows)
            tui_open_news(a, &p->news.q, t->sel);
        return 1;
    case TUI_A_WATCH:
        if (p->focus == TUI_PANEL_COMPANIES && t->sel >= 0 && (size_t)t->sel < p->n_rows) {
            tui_toggle_watch(a, p->rows[t->sel].id);
            p->rows[t->sel].watched = !p->rows[t->sel].watched;
        }
        return 1;
    default:
        return 0;
    }
}

int tui_pillar_sort_by(tui_pillar *p, const char *column)
{
    for (int i = 0; i < S_COUNT; i++) {
        if (strcmp(sort_names[i], column) == 0) {
            p->sort_col = i;
            p->sort_desc = i >= S_LAST;
            sort_rows(p);
            return 0;
        }
    }
    return -1;
}

const char *const *tui_pillar_sort_names(int *n)
{
    *n = S_COUNT;
    return sort_names;
}

int tui_pillar_mouse(tui_app *a, tui_pillar *p, int y, int x, int dir)
{
    widget_table *tables[3] = { &p->companies, &p->model_table, &p->news_table };
    for (int k = 0; k < 3; k++) {
        widget_rect r = p->rect[k];
        if (r.h <= 0 || y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
            continue;
        if (dir != 0)
            return widget_table_move(tables[k], 3 * dir);
        long row = widget_table_hit(tables[k], r, y);
        /* a click selects; a click on the selected row of the focused panel opens it */
        if (row >= 0 && p->focus == k && tables[k]->sel == row)
            return tui_pillar_key(a, p, TUI_A_OPEN);
        p->focus = k;
        if (row >= 0)
            tables[k]->sel = row;
        return 1;
    }
    return 0;
}

/* ---- state kept across restarts ------------------------------------------------- */

void tui_pillar_save(tui_app *a, tui_pillar *p)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    char key[64], val[128];
    snprintf(key, sizeof key, "ui.%s", pl[p->index].id);
    snprintf(val, sizeof val, "%s %s %d %s", sort_names[p->sort_col], p->sort_desc ? "desc" : "asc",
             p->focus,
             p->companies.sel >= 0 && (size_t)p->companies.sel < p->n_rows
                 ? p->rows[p->companies.sel].id
                 : "-");
    store_pref_set(a->st, key, val, NULL);
}

void tui_pillar_restore(tui_app *a, tui_pillar *p)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    char key[64], *val = NULL;
    snprintf(key, sizeof key, "ui.%s", pl[p->index].id);
    if (store_pref_get(a->st, key, &val, NULL) != 0 || val == NULL)
        return;
    char col[32], dir[8], sel[64];
    int focus;
    if (sscanf(val, "%31s %7s %d %63s", col, dir, &focus, sel) == 4) {
        for (int i = 0; i < S_COUNT; i++)
            if (strcmp(col, sort_names[i]) == 0)
                p->sort_col = i;
        p->sort_desc = strcmp(dir, "desc") == 0;
        if (focus == TUI_PANEL_COMPANIES || focus == TUI_PANEL_NEWS ||
            (focus == TUI_PANEL_MODELS && p->index == 4))
            p->focus = focus;
        if (strcmp(sel, "-") != 0)
            snprintf(p->want_sel, sizeof p->want_sel, "%s", sel);
    }
    free(val);
}
