/*
 * profile.c — a company's profile: what it is, where it trades, how its
 * price moved, what it makes, who it deals with, what the news says of it,
 * and the user's own note on it.
 *
 * One view per company opened (tui_open_company pushes it), so a walk from
 * company to related company to related company is a stack of views and
 * Esc walks back along the path taken; each view keeps its own focus,
 * selections and chart range.
 *
 * Loading is all the store work the view does, and it is bounded whatever
 * the size of the cache: one store_company_get (the company, its listings
 * with their latest quotes, chips, models with their latest and previous
 * statistics, relations and the note — all small curated sets), one
 * store_closes of at most a year of sessions for the listing charted (so a
 * range switch reads nothing), and a count of the company's news: the news
 * panel is a virtual table over that list (newslist.c), reading only a
 * window of rows around those on screen (when drawing scrolls out of the
 * window, it reads the next one). A benchmark can time a load alone with
 * tui_open_company then tui_view_pop.
 *
 * Layout adapts to the body: a header (names in both languages, status,
 * headquarters, founding year, pillars, description, and the profile's as-of
 * date, confidence and source note), one line per listing (quote, change,
 * daily-limit marker, quote time and freshness), the price chart, then the
 * panels (Related, Products — chips and/or models —, News, Note), which
 * Left/Right move between. Panels sit in a grid when there is room (two
 * columns from ~96 columns) and behind a tab bar when there is not (80x24),
 * so everything stays reachable at the smallest size; from ~140 columns the
 * header and chart take a left column and the panels a right one. A
 * selected row's provenance (as of, confidence, source note) shows on the
 * panel's last line.
 *
 * The note is edited in place with an input line; while editing, every key
 * comes here (typing() is true): Enter saves it in the cache, Esc cancels,
 * an empty note clears it.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

/* A year of sessions: the longest range the chart shows, and all it ever reads. */
#define CLOSES_MAX 250

static const struct range {
    int sessions;
    const char *en, *zh;
} ranges[] = {
    { 22, "1M", "1个月" }, { 66, "3M", "3个月" }, { 130, "6M", "6个月" }, { 250, "1Y", "1年" }
};
#define N_RANGES   ((int)(sizeof ranges / sizeof ranges[0]))
#define RANGE_DFLT 1 /* three months: the trend, with room to see a single day */

/* The panels, in the order Left/Right walk them. P_CHIPS doubles as the
 * "Products" panel of a company without chips or models (it says so). */
enum { P_RELATED, P_CHIPS, P_MODELS, P_NEWS, P_NOTE, P_COUNT };

#define PANEL_MIN 5 /* a panel in the grid: title, header, two rows, provenance */

typedef struct profile {
    tui_app *app;
    char id[64];
    store_company_detail d;
    int have; /* d holds a company */
    /* the chart: which listing ("EX:CODE"; "" the default) and its closes, oldest first */
    char chart_key[40];
    int chart_li; /* index into d.company.listings; -1 none */
    store_daily closes[CLOSES_MAX];
    const char *xlabels[CLOSES_MAX];
    double values[CLOSES_MAX];
    int n_closes;
    int range;
    /* the panels present, in focus order */
    int kinds[P_COUNT], n_kinds;
    int focus; /* a P_* */
    widget_table t[P_COUNT];
    tui_newslist news;
    int news_rows;
    size_t note_top, note_lines;
    int editing;
    widget_input input;
    /* where things were drawn, for the mouse */
    widget_rect prect[P_COUNT]; /* a table's rect (or the note's body) */
    int pdrawn[P_COUNT];
    widget_rect tabs; /* the tab bar, when the panels are tabs; h 0 otherwise */
    int listing_y[16], listing_x, listing_w, n_listing_y;
} profile;

static const char *or_dash(const char *s)
{
    return s != NULL && *s ? s : TUI_UNKNOWN;
}

/* ---- loading ------------------------------------------------------------------------- */

/* Reads the closes of the listing charted: the chosen one when it still exists, else the
 * first quoted listing, else the first. */
static int load_closes(tui_app *a, profile *p, char **err)
{
    const store_company *c = &p->d.company;
    p->chart_li = -1;
    p->n_closes = 0;
    for (size_t i = 0; i < c->n_listings && p->chart_li < 0 && p->chart_key[0]; i++) {
        char key[40];
        snprintf(key, sizeof key, "%s:%s", c->listings[i].exchange, c->listings[i].code);
        if (strcmp(key, p->chart_key) == 0)
            p->chart_li = (int)i;
    }
    for (size_t i = 0; i < c->n_listings && p->chart_li < 0; i++)
        if (c->listings[i].has_quote)
            p->chart_li = (int)i;
    if (p->chart_li < 0 && c->n_listings > 0)
        p->chart_li = 0;
    if (p->chart_li < 0)
        return 0;
    const store_listing *li = &c->listings[p->chart_li];
    if (store_closes(a->st, li->exchange, li->code, CLOSES_MAX, p->closes, &p->n_closes, err) != 0)
        return -1;
    for (int i = 0; i < p->n_closes; i++) {
        p->values[i] = p->closes[i].close;
        p->xlabels[i] = p->closes[i].date;
    }
    return 0;
}

/* The panels this company has, keeping the focus on its panel when it is still there. */
static void set_kinds(profile *p)
{
    p->n_kinds = 0;
    p->kinds[p->n_kinds++] = P_RELATED;
    if (p->d.n_chips > 0 || p->d.n_models == 0)
        p->kinds[p->n_kinds++] = P_CHIPS;
    if (p->d.n_models > 0)
        p->kinds[p->n_kinds++] = P_MODELS;
    p->kinds[p->n_kinds++] = P_NEWS;
    p->kinds[p->n_kinds++] = P_NOTE;
    int present = 0;
    for (int i = 0; i < p->n_kinds; i++)
        present |= p->kinds[i] == p->focus;
    if (!present)
        p->focus = p->kinds[0];
}

static void clamp_sel(widget_table *t, long n)
{
    t->nrows = n;
    if (t->sel >= n)
        t->sel = n ? n - 1 : 0;
    if (t->sel < 0)
        t->sel = 0;
}

static int profile_load(tui_app *a, tui_view *v, char **err)
{
    profile *p = v->st;
    store_company_detail d;
    int found = 0;
    if (store_company_get(a->st, p->id, &d, &found, err) != 0)
        return -1;
    if (!found) {
        store_company_detail_free(&d);
        return core_fail(err, "no company '%s'", p->id);
    }
    if (p->have)
        store_company_detail_free(&p->d);
    p->d = d;
    p->have = 1;
    const store_company *c = &p->d.company;
    snprintf(v->crumb, sizeof v->crumb, "%s", c->name_zh && *c->name_zh ? c->name_zh : c->name_en);
    snprintf(v->company, sizeof v->company, "%s", c->id); /* what "this company" exports */
    if (load_closes(a, p, err) != 0)
        return -1;
    set_kinds(p);
    clamp_sel(&p->t[P_RELATED], (long)p->d.n_relations);
    clamp_sel(&p->t[P_CHIPS], (long)p->d.n_chips);
    clamp_sel(&p->t[P_MODELS], (long)p->d.n_models);

    /* the news: a selection below the top stays on its item as news arrives */
    widget_table *nt = &p->t[P_NEWS];
    int64_t keep_t = 0, keep_id = 0;
    if (nt->sel > 0) {
        const store_news *n = tui_newslist_row(&p->news, a->st, nt->sel, p->news_rows, NULL);
        if (n != NULL)
            keep_t = n->published, keep_id = n->id;
    }
    store_news_query q = { .company = p->id };
    if (tui_newslist_reset(&p->news, a->st, &q, err) != 0)
        return -1;
    nt->nrows = (long)p->news.total;
    if (keep_id) {
        int64_t at = tui_newslist_find(&p->news, a->st, keep_t, keep_id);
        if (at >= 0) {
            nt->top += (long)at - nt->sel;
            nt->sel = (long)at;
        }
    }
    clamp_sel(nt, nt->nrows);
    if (nt->top < 0)
        nt->top = 0;
    return 0;
}

static void profile_free(tui_view *v)
{
    profile *p = v->st;
    if (p == NULL)
        return;
    if (p->have)
        store_company_detail_free(&p->d);
    tui_newslist_free(&p->news);
    free(p);
    v->st = NULL;
}

/* ---- labels --------------------------------------------------------------------------- */

static const char *role_label(const char *role, int en)
{
    static const char *const roles[][3] = {
        { "supplier", "supplier", "供应商" },     { "customer", "customer", "客户" },
        { "partner", "partner", "合作伙伴" },     { "parent", "parent", "母公司" },
        { "subsidiary", "subsidiary", "子公司" }, { "competitor", "competitor", "竞争对手" },
    };
    for (size_t i = 0; role && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i][0], role) == 0)
            return roles[i][en ? 1 : 2];
    return or_dash(role);
}

static const char *board_label(const char *board, int en)
{
    static const char *const boards[][2] = {
        { "STAR", "科创板" },
        { "ChiNext", "创业板" },
        { "main", "主板" },
        { "HKEX", "港交所" },
    };
    if (board == NULL)
        return "";
    for (size_t i = 0; !en && i < sizeof boards / sizeof boards[0]; i++)
        if (strcmp(boards[i][0], board) == 0)
            return boards[i][1];
    return strcmp(board, "main") == 0 && en ? "Main" : board;
}

static const char *status_label(const char *status, int en)
{
    static const char *const st[][2] = {
        { "listed", "上市" },
        { "unlisted", "未上市" },
        { "private", "非上市" },
        { "subsidiary", "子公司" },
    };
    for (size_t i = 0; !en && status && i < sizeof st / sizeof st[0]; i++)
        if (strcmp(st[i][0], status) == 0)
            return st[i][1];
    return or_dash(status);
}

/* The panel's name as its title and tab say it. */
static void panel_name(const profile *p, int kind, int en, char *dst, size_t n)
{
    switch (kind) {
    case P_RELATED:
        snprintf(dst, n, "%s %zu", en ? "Related" : "关联公司", p->d.n_relations);
        break;
    case P_CHIPS:
        if (p->d.n_chips == 0)
            snprintf(dst, n, "%s", en ? "Products" : "产品");
        else
            snprintf(dst, n, "%s %zu", en ? "Chips" : "芯片", p->d.n_chips);
        break;
    case P_MODELS:
        snprintf(dst, n, "%s %zu", en ? "Models" : "模型", p->d.n_models);
        break;
    case P_NEWS:
        snprintf(dst, n, "%s %lld", en ? "News" : "新闻", (long long)p->news.total);
        break;
    default:
        snprintf(dst, n, "%s%s", en ? "Note" : "笔记", p->d.note ? " ✎" : "");
        break;
    }
}

/* The first key bound to an action, by name, for the hints. */
static void key_of(tui_action act, char *dst, size_t n)
{
    tui_key k;
    if (tui_action_keys(act, &k, 1) == 1)
        tui_key_name(k, dst, n);
    else
        snprintf(dst, n, ":%s", tui_actions[act].name);
}

/* ---- rows ----------------------------------------------------------------------------- */

enum { R_ROLE, R_NAME, R_NOTE, R_N }; /* as of and confidence: on the provenance line */

static int related_row(void *ctx, long i, widget_cell *cells)
{
    profile *p = ctx;
    tui_app *a = p->app;
    if (i < 0 || (size_t)i >= p->d.n_relations)
        return -1;
    const store_relation *r = &p->d.relations[i];
    int en = a->cfg.lang_en;
    /* grouped: the role said once, on its group's first row */
    int first = i == 0 || strcmp(or_dash(p->d.relations[i - 1].role), or_dash(r->role)) != 0;
    widget_cell_set(&cells[R_ROLE], tui_attr(a, TUI_ACCENT), "%s",
                    first ? role_label(r->role, en) : "");
    if (r->other_name_zh && *r->other_name_zh && !en)
        widget_cell_set(&cells[R_NAME], 0, "%s %s", r->other_name_zh, or_dash(r->other_name_en));
    else if (r->other_name_zh && *r->other_name_zh)
        widget_cell_set(&cells[R_NAME], 0, "%s %s", or_dash(r->other_name_en), r->other_name_zh);
    else
        widget_cell_set(&cells[R_NAME], 0, "%s", or_dash(r->other_name_en));
    widget_cell_set(&cells[R_NOTE], tui_attr(a, TUI_DIM), "%s", r->note ? r->note : "");
    return 0;
}

enum { C_NAME, C_YEAR, C_KIND, C_PROCESS, C_SPECS, C_ARCH, C_N };

static int chip_row(void *ctx, long i, widget_cell *cells)
{
    profile *p = ctx;
    tui_app *a = p->app;
    if (i < 0 || (size_t)i >= p->d.n_chips)
        return -1;
    const store_chip *c = &p->d.chips[i];
    if (c->name_zh && *c->name_zh && strcmp(c->name_zh, c->name) != 0)
        widget_cell_set(&cells[C_NAME], tui_attr(a, TUI_NORMAL) | A_BOLD, "%s %s", c->name,
                        c->name_zh);
    else
        widget_cell_set(&cells[C_NAME], tui_attr(a, TUI_NORMAL) | A_BOLD, "%s", or_dash(c->name));
    if (c->launch_year > 0)
        widget_cell_set(&cells[C_YEAR], tui_attr(a, TUI_DIM), "%d", c->launch_year);
    else
        widget_cell_set(&cells[C_YEAR], tui_attr(a, TUI_DIM), "%s", TUI_UNKNOWN);
    widget_cell_set(&cells[C_KIND], 0, "%s", or_dash(c->kind));
    widget_cell_set(&cells[C_PROCESS], 0, "%s", or_dash(c->process));
    widget_cell_set(&cells[C_SPECS], c->specs ? 0 : tui_attr(a, TUI_DIM), "%s", or_dash(c->specs));
    widget_cell_set(&cells[C_ARCH], tui_attr(a, TUI_DIM), "%s", or_dash(c->arch));
    return 0;
}

enum { M_NAME, M_RELEASED, M_PARAMS, M_DL, M_DLD, M_LIKES, M_LIKED, M_LICENCE, M_N };

/* "236B" or "671B/37B" (total / active), "—" when unknown. */
static void fmt_params(char *dst, size_t n, double total, double active)
{
    if (!isfinite(total))
        snprintf(dst, n, "%s", TUI_UNKNOWN);
    else if (isfinite(active) && active != total)
        snprintf(dst, n, "%gB/%gB", total, active);
    else
        snprintf(dst, n, "%gB", total);
}

static int model_row(void *ctx, long i, widget_cell *cells)
{
    profile *p = ctx;
    tui_app *a = p->app;
    if (i < 0 || (size_t)i >= p->d.n_models)
        return -1;
    const store_model *m = &p->d.models[i];
    char b[48];
    widget_cell_set(&cells[M_NAME], tui_attr(a, TUI_NORMAL) | A_BOLD, "%s", or_dash(m->name));
    widget_cell_set(&cells[M_RELEASED], tui_attr(a, TUI_DIM), "%s", or_dash(m->released));
    fmt_params(b, sizeof b, m->params_total_b, m->params_active_b);
    widget_cell_set(&cells[M_PARAMS], 0, "%s", b);
    tui_fmt_count(b, sizeof b, m->downloads, a->cfg.lang_en);
    widget_cell_set(&cells[M_DL], 0, "%s", b);
    tui_trend_cell(&cells[M_DLD], a, m->downloads, m->downloads_prev);
    tui_fmt_count(b, sizeof b, m->likes, a->cfg.lang_en);
    widget_cell_set(&cells[M_LIKES], 0, "%s", b);
    tui_trend_cell(&cells[M_LIKED], a, m->likes, m->likes_prev);
    const char *open = m->open_weights == 1   ? (a->cfg.lang_en ? "open" : "开放权重")
                       : m->open_weights == 0 ? (a->cfg.lang_en ? "closed" : "闭源")
                                              : "";
    if (m->licence && *m->licence)
        widget_cell_set(&cells[M_LICENCE], tui_attr(a, TUI_DIM), "%s%s%s", open, *open ? " · " : "",
                        m->licence);
    else
        widget_cell_set(&cells[M_LICENCE], tui_attr(a, TUI_DIM), "%s", *open ? open : TUI_UNKNOWN);
    return 0;
}

enum { N_TIME, N_SOURCE, N_TITLE, N_N }; /* the first three of the pillars' news columns */

static int news_row(void *ctx, long i, widget_cell *cells)
{
    profile *p = ctx;
    const store_news *n = tui_newslist_row(&p->news, p->app->st, i, p->news_rows, NULL);
    if (n == NULL)
        return -1;
    widget_cell all[TUI_NC_N];
    tui_news_cells(p->app, n, all);
    for (int k = 0; k < N_N; k++)
        cells[k] = all[k];
    return 0;
}

/* Sets up the table of a panel kind: columns in the current language, callbacks, theme. */
static void setup_table(tui_app *a, profile *p, int kind)
{
    int en = a->cfg.lang_en;
    widget_table *t = &p->t[kind];
    static const widget_col related[2][R_N] = {
        { { "关系", 8, 0, WIDGET_LEFT },
          { "公司", 14, 2, WIDGET_LEFT },
          { "说明", 12, 3, WIDGET_LEFT } },
        { { "Role", 10, 0, WIDGET_LEFT },
          { "Company", 14, 2, WIDGET_LEFT },
          { "Note", 12, 3, WIDGET_LEFT } },
    };
    static const widget_col chips[2][C_N] = {
        { { "芯片", 8, 1, WIDGET_LEFT },
          { "年份", 4, 0, WIDGET_RIGHT },
          { "类型", 4, 0, WIDGET_LEFT },
          { "工艺", 8, 1, WIDGET_LEFT },
          { "主要规格", 12, 4, WIDGET_LEFT },
          { "架构", 10, 1, WIDGET_LEFT } },
        { { "Chip", 8, 1, WIDGET_LEFT },
          { "Year", 4, 0, WIDGET_RIGHT },
          { "Kind", 4, 0, WIDGET_LEFT },
          { "Process", 8, 1, WIDGET_LEFT },
          { "Headline specs", 12, 4, WIDGET_LEFT },
          { "Arch", 10, 1, WIDGET_LEFT } },
    };
    static const widget_col models[2][M_N] = {
        { { "模型", 14, 2, WIDGET_LEFT },
          { "发布", 10, 0, WIDGET_LEFT },
          { "参数", 9, 0, WIDGET_RIGHT },
          { "30日下载", 8, 0, WIDGET_RIGHT },
          { "日变化", 7, 0, WIDGET_RIGHT },
          { "点赞", 6, 0, WIDGET_RIGHT },
          { "日变化", 6, 0, WIDGET_RIGHT },
          { "许可", 10, 1, WIDGET_LEFT } },
        { { "Model", 14, 2, WIDGET_LEFT },
          { "Released", 10, 0, WIDGET_LEFT },
          { "Params", 9, 0, WIDGET_RIGHT },
          { "DL 30d", 7, 0, WIDGET_RIGHT },
          { "±day", 7, 0, WIDGET_RIGHT },
          { "Likes", 6, 0, WIDGET_RIGHT },
          { "±day", 5, 0, WIDGET_RIGHT },
          { "Licence", 10, 1, WIDGET_LEFT } },
    };
    static const widget_col news[2][N_N] = {
        { { "时间", 11, 0, WIDGET_LEFT },
          { "来源", 10, 0, WIDGET_LEFT },
          { "标题", 20, 1, WIDGET_LEFT } },
        { { "Time", 11, 0, WIDGET_LEFT },
          { "Source", 10, 0, WIDGET_LEFT },
          { "Headline", 20, 1, WIDGET_LEFT } },
    };
    switch (kind) {
    case P_RELATED:
        t->cols = related[en], t->ncols = R_N, t->row = related_row;
        break;
    case P_CHIPS:
        t->cols = chips[en], t->ncols = C_N, t->row = chip_row;
        break;
    case P_MODELS:
        t->cols = models[en], t->ncols = M_N, t->row = model_row;
        break;
    default:
        t->cols = news[en], t->ncols = N_N, t->row = news_row;
        break;
    }
    t->ctx = p;
    t->focused = p->focus == kind;
    t->head_attr = tui_attr(a, TUI_DIM) | A_BOLD;
    t->row_attr = tui_attr(a, TUI_NORMAL);
    t->sel_attr = tui_attr(a, TUI_SELECTED);
    t->sel_dim_attr = tui_attr(a, TUI_SELECTED_DIM);
}

/* ---- drawing: header, listings, chart --------------------------------------------------- */

/* Draws s at (y, *x) within [.., xmax) with attr and moves *x past it and a space. */
static void put(WINDOW *w, int y, int *x, int xmax, const char *s, attr_t attr)
{
    if (*x >= xmax || s == NULL || *s == '\0')
        return;
    *x += widget_text_draw(w, y, *x, s, xmax - *x, attr, 0) + 1;
}

/* Line 0: names, watched mark; status, HQ, founded, pillars flush right when they fit. */
static void draw_names(tui_app *a, profile *p, WINDOW *w, int y, int x0, int width)
{
    const store_company *c = &p->d.company;
    int en = a->cfg.lang_en;
    char right[384];
    size_t o = (size_t)snprintf(right, sizeof right, "%s", status_label(c->status, en));
    if (c->hq && *c->hq)
        o += (size_t)snprintf(right + o, sizeof right - o, " · %s", c->hq);
    if (c->founded > 0 && o < sizeof right)
        o += (size_t)snprintf(right + o, sizeof right - o, en ? " · founded %d" : " · 成立于 %d",
                              c->founded);
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    for (size_t i = 0; i < np && o < sizeof right; i++) {
        const char *s = c->pillars ? strstr(c->pillars, pl[i].id) : NULL;
        size_t len = strlen(pl[i].id);
        if (s && (s == c->pillars || s[-1] == ' ') && (s[len] == ' ' || s[len] == '\0'))
            o += (size_t)snprintf(right + o, sizeof right - o, " · %s",
                                  en ? pl[i].name_en : pl[i].name_zh);
    }
    int x = x0, xmax = x0 + width;
    if (c->watched)
        put(w, y, &x, xmax, "★", tui_attr(a, TUI_ACCENT) | A_BOLD);
    if (c->name_zh && *c->name_zh)
        put(w, y, &x, xmax, c->name_zh, tui_attr(a, TUI_TITLE) | A_BOLD);
    put(w, y, &x, xmax, c->name_en, tui_attr(a, TUI_TITLE));
    int rw = widget_text_width(right);
    if (xmax - rw > x + 1)
        widget_text_draw(w, y, xmax - rw, right, rw, tui_attr(a, TUI_DIM), 0);
    else if (x < xmax)
        widget_text_draw(w, y, x + 1, right, xmax - x - 1, tui_attr(a, TUI_DIM), 0);
}

/* The profile's provenance: as of, confidence, source note. */
static void draw_facts(tui_app *a, profile *p, WINDOW *w, int y, int x, int width)
{
    const store_company *c = &p->d.company;
    char buf[640];
    snprintf(buf, sizeof buf,
             a->cfg.lang_en ? "profile as of %s · confidence %s · %s"
                            : "资料截至 %s · 可信度 %s · %s",
             or_dash(c->as_of), or_dash(c->confidence), or_dash(c->source_note));
    widget_text_draw(w, y, x, buf, width, tui_attr(a, TUI_DIM), 0);
}

/* One listing: code, board, last, change, %, daily-limit marker, cap, quote time, freshness. */
static void draw_listing(tui_app *a, profile *p, size_t i, WINDOW *w, int y, int x0, int width)
{
    const store_listing *li = &p->d.company.listings[i];
    int en = a->cfg.lang_en;
    int x = x0, xmax = x0 + width;
    char b[96];
    put(w, y, &x, xmax, (int)i == p->chart_li && p->d.company.n_listings > 1 ? "▸" : " ",
        tui_attr(a, TUI_ACCENT));
    snprintf(b, sizeof b, "%s.%s", li->code, li->exchange);
    put(w, y, &x, xmax, b, tui_attr(a, TUI_NORMAL) | A_BOLD);
    put(w, y, &x, xmax, board_label(li->board, en), tui_attr(a, TUI_DIM));
    if (!li->has_quote) {
        put(w, y, &x, xmax, en ? "no quote yet" : "暂无行情", tui_attr(a, TUI_DIM));
        return;
    }
    int stale = fetch_quote_stale(li->exchange, li->quote_fetched, li->quote_interval, a->now);
    attr_t tone = stale ? tui_attr(a, TUI_STALE) : tui_move_attr(a, li->change_pct);
    tui_fmt_price(b, sizeof b, li->last, li->exchange);
    put(w, y, &x, xmax, b, tone | A_BOLD);
    tui_fmt_change(b, sizeof b, li->change, li->exchange);
    put(w, y, &x, xmax, b, tone);
    tui_fmt_pct(b, sizeof b, li->change_pct);
    put(w, y, &x, xmax, b, tone);
    int limit = tui_limit_state(li->last, li->change,
                                tui_limit_pct(li->exchange, li->board, p->d.company.name_zh));
    if (limit > 0)
        put(w, y, &x, xmax, "涨停", tui_attr(a, TUI_LIMIT_UP));
    else if (limit < 0)
        put(w, y, &x, xmax, "跌停", tui_attr(a, TUI_LIMIT_DOWN));
    if (isfinite(li->market_cap)) {
        char cap[32];
        tui_fmt_amount(cap, sizeof cap, li->market_cap, en);
        snprintf(b, sizeof b, en ? "cap %s" : "市值 %s", cap);
        put(w, y, &x, xmax, b, tui_attr(a, TUI_NORMAL));
    }
    char when[32], age[16];
    tui_fmt_when(when, sizeof when, li->quote_ts, a->now);
    tui_fmt_age(age, sizeof age, a->now - li->quote_fetched);
    if (stale)
        snprintf(b, sizeof b, en ? "@%s · stale, fetched %s ago" : "@%s · 已过时，%s前抓取", when,
                 age);
    else
        snprintf(b, sizeof b, en ? "@%s · %s ago" : "@%s · %s前", when, age);
    put(w, y, &x, xmax, b, tui_attr(a, stale ? TUI_STALE : TUI_DIM));
}

/* The chart's title line and the chart below it in r (title included). */
static void draw_chart(tui_app *a, profile *p, WINDOW *w, widget_rect r)
{
    if (r.h <= 0 || p->chart_li < 0)
        return;
    int en = a->cfg.lang_en;
    const store_listing *li = &p->d.company.listings[p->chart_li];
    const struct range *rg = &ranges[p->range];
    int shown = p->n_closes < rg->sessions ? p->n_closes : rg->sessions;
    char key[32], title[256];
    key_of(TUI_A_RANGE, key, sizeof key);
    if (p->n_closes == 0) {
        snprintf(title, sizeof title,
                 en ? "%s.%s · no daily bars cached yet" : "%s.%s · 暂无缓存的日线", li->code,
                 li->exchange);
        widget_text_draw(w, r.y, r.x, title, r.w, tui_attr(a, TUI_DIM), 1);
        return;
    }
    const double *v = p->values + (p->n_closes - shown);
    double chg = v[shown - 1] - v[0];
    char pct[32];
    tui_fmt_pct(pct, sizeof pct, v[0] > 0 ? chg / v[0] * 100 : NAN);
    snprintf(title, sizeof title,
             en ? "%s.%s · %s · %d sessions · %s · %s: range"
                : "%s.%s · %s · %d 个交易日 · %s · %s 切换区间",
             li->code, li->exchange, en ? rg->en : rg->zh, shown, pct, key);
    widget_text_draw(w, r.y, r.x, title, r.w, tui_attr(a, TUI_TITLE), 1);
    /* y labels at the price's precision: the places tui_fmt_price gives the top value */
    double hi = v[0];
    for (int i = 1; i < shown; i++)
        hi = v[i] > hi ? v[i] : hi;
    char sample[64], fmt[16];
    tui_fmt_price(sample, sizeof sample, hi, li->exchange);
    const char *dot = strchr(sample, '.');
    snprintf(fmt, sizeof fmt, "%%.%df", dot ? (int)strlen(dot + 1) : 0);
    widget_rect cr = { r.y + 1, r.x, r.h - 1, r.w };
    widget_chart_draw(w, cr, v, (size_t)shown, p->xlabels + (p->n_closes - shown), fmt,
                      tui_move_attr(a, chg), tui_attr(a, TUI_DIM));
}

/* ---- drawing: panels ------------------------------------------------------------------- */

/* The provenance of the selected row of a curated table, on the panel's last line. */
static void draw_provenance(tui_app *a, profile *p, int kind, WINDOW *w, int y, int x, int width)
{
    long s = p->t[kind].sel;
    const char *as_of = NULL, *conf = NULL, *note = NULL;
    if (kind == P_RELATED && s >= 0 && (size_t)s < p->d.n_relations) {
        const store_relation *r = &p->d.relations[s];
        as_of = r->as_of, conf = r->confidence, note = r->source_note;
    } else if (kind == P_CHIPS && s >= 0 && (size_t)s < p->d.n_chips) {
        const store_chip *c = &p->d.chips[s];
        as_of = c->as_of, conf = c->confidence, note = c->source_note;
    } else if (kind == P_MODELS && s >= 0 && (size_t)s < p->d.n_models) {
        const store_model *m = &p->d.models[s];
        as_of = m->as_of, conf = m->confidence, note = m->source_note;
    } else {
        return;
    }
    char buf[640];
    snprintf(buf, sizeof buf,
             a->cfg.lang_en ? "as of %s · confidence %s · %s" : "截至 %s · 可信度 %s · %s",
             or_dash(as_of), or_dash(conf), or_dash(note));
    widget_text_draw(w, y, x, buf, width, tui_attr(a, TUI_DIM), 1);
}

/* Natural height of a panel (title line included): what it needs to show everything. */
static int panel_natural(const profile *p, int kind)
{
    switch (kind) {
    case P_RELATED:
        return (int)p->d.n_relations + 3;
    case P_CHIPS:
        return (int)p->d.n_chips + 3;
    case P_MODELS:
        return (int)p->d.n_models + 3;
    case P_NOTE:
        return 1 + (p->note_lines > 2 ? (int)p->note_lines : 2);
    default:
        return INT_MAX / 4; /* the news can use whatever is left */
    }
}

/* The note: wrapped text, or the input line while editing, or how to write one. */
static void draw_note(tui_app *a, profile *p, WINDOW *w, widget_rect r)
{
    int en = a->cfg.lang_en;
    char key[32], hint[256];
    p->prect[P_NOTE] = r;
    p->pdrawn[P_NOTE] = 1;
    if (r.h <= 0 || r.w <= 0)
        return;
    if (p->editing) {
        attr_t at = tui_attr(a, TUI_NORMAL);
        int cx = widget_input_draw(w, r.y, r.x, r.w, "✎ ", &p->input, at);
        if (cx >= r.x && cx < r.x + r.w)
            mvwchgat(w, r.y, cx, 1, at | A_REVERSE, PAIR_NUMBER(at), NULL); /* the cursor */
        if (r.h > 1)
            widget_text_draw(w, r.y + 1, r.x,
                             en ? "Enter saves · Esc cancels · an empty note clears it"
                                : "Enter 保存 · Esc 取消 · 留空则删除笔记",
                             r.w, tui_attr(a, TUI_DIM), 0);
        return;
    }
    key_of(TUI_A_EDIT, key, sizeof key);
    if (p->d.note == NULL || *p->d.note == '\0') {
        snprintf(hint, sizeof hint,
                 en ? "no note yet: %s (or Enter here) writes one, kept in the cache"
                    : "暂无笔记：按 %s（或在此按 Enter）写笔记，保存在缓存中",
                 key);
        widget_text_draw(w, r.y, r.x, hint, r.w, tui_attr(a, TUI_DIM), 0);
        p->note_lines = 0;
        return;
    }
    widget_lines l;
    widget_wrap(p->d.note, r.w, &l);
    p->note_lines = l.n;
    int body = r.h > 1 ? r.h - 1 : r.h; /* the last line says how to edit */
    if (l.n <= (size_t)body)
        p->note_top = 0;
    else if (p->note_top > l.n - (size_t)body)
        p->note_top = l.n - (size_t)body;
    widget_rect tr = { r.y, r.x, body, r.w };
    widget_lines_draw(w, tr, &l, p->note_top, tui_attr(a, TUI_NORMAL));
    widget_lines_free(&l);
    if (r.h > 1) {
        snprintf(hint, sizeof hint, en ? "%s edits the note" : "按 %s 编辑笔记", key);
        widget_text_draw(w, r.y + r.h - 1, r.x, hint, r.w, tui_attr(a, TUI_DIM), 0);
    }
}

/* A panel's body (below its title or the tab bar). */
static void draw_panel_body(tui_app *a, profile *p, int kind, WINDOW *w, widget_rect r)
{
    int en = a->cfg.lang_en;
    if (r.h <= 0 || r.w <= 0)
        return;
    if (kind == P_NOTE) {
        draw_note(a, p, w, r);
        return;
    }
    setup_table(a, p, kind);
    widget_table *t = &p->t[kind];
    long n = kind == P_RELATED  ? (long)p->d.n_relations
             : kind == P_CHIPS  ? (long)p->d.n_chips
             : kind == P_MODELS ? (long)p->d.n_models
                                : (long)p->news.total;
    widget_rect tr = r;
    if (kind != P_NEWS && r.h >= 4 && n > 0)
        tr.h--; /* the last line: the selected row's provenance */
    if (kind == P_NEWS)
        p->news_rows = tr.h - 1 > 1 ? tr.h - 1 : 1;
    p->prect[kind] = tr;
    p->pdrawn[kind] = 1;
    if (n == 0) {
        const char *none =
            kind == P_RELATED ? (en ? "no related companies curated" : "暂无关联公司资料")
            : kind == P_NEWS ? (en ? "no news cached yet for this company" : "暂无该公司的缓存新闻")
            : kind == P_MODELS ? (en ? "no models curated" : "暂无模型资料")
                               : (en ? "no chips or models curated" : "暂无芯片或模型资料");
        widget_text_draw(w, r.y, r.x + 1, none, r.w - 1, tui_attr(a, TUI_DIM), 0);
        return;
    }
    widget_table_scroll(t, tr.h - 1);
    widget_table_draw(w, tr, t);
    if (tr.h < r.h)
        draw_provenance(a, p, kind, w, r.y + r.h - 1, r.x, r.w);
}

/* A panel with its title line, in the grid. */
static void draw_panel(tui_app *a, profile *p, int kind, WINDOW *w, widget_rect r)
{
    char name[96], line[128];
    int focused = p->focus == kind;
    panel_name(p, kind, a->cfg.lang_en, name, sizeof name);
    snprintf(line, sizeof line, "%s%s", focused ? "▌" : " ", name);
    widget_text_draw(w, r.y, r.x, line, r.w, tui_attr(a, TUI_TITLE) | (focused ? A_BOLD : A_NORMAL),
                     1);
    widget_rect b = { r.y + 1, r.x, r.h - 1, r.w };
    draw_panel_body(a, p, kind, w, b);
}

/*
 * The panels in r: a grid of rows (two panels a row when r is wide enough),
 * each row as tall as its panels need with the spare going to the row with
 * the news; when even PANEL_MIN a row does not fit, a tab bar and the focused
 * panel alone.
 */
static void draw_panels(tui_app *a, profile *p, WINDOW *w, widget_rect r)
{
    p->tabs.h = 0;
    if (r.h <= 0 || r.w <= 0)
        return;
    int ncol = r.w >= 96 ? 2 : 1;
    int nrow = (p->n_kinds + ncol - 1) / ncol;
    if (r.h < nrow * PANEL_MIN) {
        char names[P_COUNT][96];
        const char *labels[P_COUNT];
        int active = 0;
        for (int i = 0; i < p->n_kinds; i++) {
            panel_name(p, p->kinds[i], a->cfg.lang_en, names[i], sizeof names[i]);
            labels[i] = names[i];
            if (p->kinds[i] == p->focus)
                active = i;
        }
        widget_text_draw(w, r.y, r.x, "", r.w, tui_attr(a, TUI_TAB), 1);
        widget_tabs_draw(w, r.y, r.x, r.w, labels, p->n_kinds, active, tui_attr(a, TUI_TAB_ACTIVE),
                         tui_attr(a, TUI_TAB));
        p->tabs = (widget_rect){ r.y, r.x, 1, r.w };
        widget_rect b = { r.y + 1, r.x, r.h - 1, r.w };
        draw_panel_body(a, p, p->focus, w, b);
        return;
    }
    /* row heights: each row what its panels need, at most an equal share; the rest to news */
    int need[P_COUNT], h[P_COUNT], used = 0, share = r.h / nrow;
    for (int i = 0; i < nrow; i++) {
        need[i] = PANEL_MIN;
        for (int k = i * ncol; k < (i + 1) * ncol && k < p->n_kinds; k++) {
            int nat = panel_natural(p, p->kinds[k]);
            need[i] = nat > need[i] ? nat : need[i];
        }
        h[i] = need[i] < share ? need[i] : share;
        used += h[i];
    }
    for (int pass = 0; pass < 2 && used < r.h; pass++)
        for (int i = 0; i < nrow && used < r.h; i++) {
            int has_news = 0;
            for (int k = i * ncol; k < (i + 1) * ncol && k < p->n_kinds; k++)
                has_news |= p->kinds[k] == P_NEWS;
            if (pass == 0 && !has_news)
                continue;
            int more = need[i] - h[i];
            if (pass == 1)
                more = r.h - used; /* nothing wants it: the last rows take it */
            if (more > r.h - used)
                more = r.h - used;
            if (more > 0)
                h[i] += more, used += more;
        }
    int y = r.y;
    int cw[2] = { ncol == 2 ? (r.w - 1) / 2 : r.w, ncol == 2 ? r.w - (r.w - 1) / 2 - 1 : 0 };
    for (int i = 0; i < nrow; i++) {
        for (int c = 0; c < ncol; c++) {
            int k = i * ncol + c;
            if (k >= p->n_kinds)
                break;
            widget_rect pr = { y, r.x + (c ? cw[0] + 1 : 0), h[i], cw[c] };
            /* a panel alone on the last row spans both columns */
            if (ncol == 2 && c == 0 && k + 1 == p->n_kinds)
                pr.w = r.w;
            draw_panel(a, p, p->kinds[k], w, pr);
        }
        y += h[i];
    }
}

static void profile_draw(tui_app *a, tui_view *v, WINDOW *w, widget_rect r)
{
    profile *p = v->st;
    memset(p->pdrawn, 0, sizeof p->pdrawn);
    p->n_listing_y = 0;
    if (!p->have || r.h <= 0)
        return;
    const store_company *c = &p->d.company;
    int en = a->cfg.lang_en;
    int wide = r.w >= 140;
    /* the left column (everything at <140 columns): header, listings, chart */
    widget_rect L = r, R = r;
    if (wide) {
        L.w = r.w * 11 / 20;
        R.x = r.x + L.w + 1;
        R.w = r.w - L.w - 1;
    }
    int y = L.y;
    draw_names(a, p, w, y++, L.x, L.w);
    const char *desc = en || c->desc_zh == NULL ? c->desc_en : c->desc_zh;
    if (desc && *desc) {
        int lines = wide ? 3 : r.h >= 30 ? 2 : 1;
        widget_lines dl;
        widget_wrap(desc, L.w, &dl);
        for (size_t i = 0; i < dl.n && (int)i < lines; i++) {
            /* the last line shown carries an ellipsis when the text goes on */
            if ((int)i == lines - 1 && i + 1 < dl.n) {
                char cut[1024];
                snprintf(cut, sizeof cut, "%s…", dl.line[i]);
                widget_text_draw(w, y++, L.x, cut, L.w, tui_attr(a, TUI_NORMAL), 0);
            } else {
                widget_text_draw(w, y++, L.x, dl.line[i], L.w, tui_attr(a, TUI_NORMAL), 0);
            }
        }
        widget_lines_free(&dl);
    }
    draw_facts(a, p, w, y++, L.x, L.w);
    p->listing_x = L.x;
    p->listing_w = L.w;
    for (size_t i = 0; i < c->n_listings && y < L.y + L.h; i++) {
        if (p->n_listing_y < (int)(sizeof p->listing_y / sizeof p->listing_y[0]))
            p->listing_y[p->n_listing_y++] = y;
        draw_listing(a, p, i, w, y++, L.x, L.w);
    }
    if (c->n_listings == 0)
        widget_text_draw(w, y++, L.x,
                         en ? " not listed: no quote or chart" : " 未上市：无行情与走势图", L.w,
                         tui_attr(a, TUI_DIM), 0);
    int rest = L.y + L.h - y;
    int chart_h = 0;
    if (p->chart_li >= 0 && p->n_closes == 0)
        chart_h = 1; /* says there are no bars yet */
    else if (p->chart_li >= 0 && wide)
        chart_h = rest;
    else if (p->chart_li >= 0) {
        /* small heights: about five rows; tall screens: up to sixteen */
        chart_h = rest * 2 / 5;
        chart_h = chart_h < 5 ? 5 : chart_h > 16 ? 16 : chart_h;
        if (rest - chart_h < 8)
            chart_h = rest - 8 > 5 ? rest - 8 : 5;
    }
    if (chart_h > rest)
        chart_h = rest;
    widget_rect cr = { y, L.x, chart_h, L.w };
    draw_chart(a, p, w, cr);
    y += chart_h;
    if (wide)
        draw_panels(a, p, w, R);
    else
        draw_panels(a, p, w, (widget_rect){ y, r.x, r.y + r.h - y, r.w });
}

/* ---- keys and the mouse ------------------------------------------------------------------ */

/* Saves the note being edited (an empty one clears it) and reloads. */
static void save_note(tui_app *a, tui_view *v, profile *p)
{
    char body[sizeof p->input.buf];
    const char *s = p->input.buf;
    while (*s == ' ')
        s++;
    snprintf(body, sizeof body, "%s", s);
    size_t n = strlen(body);
    while (n > 0 && body[n - 1] == ' ')
        body[--n] = '\0';
    char *err = NULL;
    p->editing = 0;
    if (store_note_set(a->st, p->id, body, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return;
    }
    int en = a->cfg.lang_en;
    tui_say(a, "%s", n ? (en ? "note saved" : "笔记已保存") : (en ? "note cleared" : "笔记已删除"));
    if (profile_load(a, v, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
    }
}

static void start_edit(profile *p)
{
    p->focus = P_NOTE;
    p->editing = 1;
    widget_input_set(&p->input, p->d.note ? p->d.note : "");
}

static int edit_key(tui_app *a, tui_view *v, profile *p, tui_key k)
{
    if (!k.fn && k.code == 27) {
        p->editing = 0;
        return TUI_KEY_HANDLED;
    }
    if ((!k.fn && (k.code == '\r' || k.code == '\n')) || (k.fn && k.code == KEY_ENTER)) {
        save_note(a, v, p);
        return TUI_KEY_HANDLED;
    }
    widget_input_key(&p->input, k.fn, (wint_t)k.code);
    return TUI_KEY_HANDLED; /* while typing, no key means anything else */
}

/* Moves a panel's selection (or the note's scroll) by delta rows. */
static int panel_move(profile *p, int kind, long delta)
{
    if (kind == P_NOTE) {
        long top = (long)p->note_top, max = (long)p->note_lines;
        top = delta < -top ? 0 : delta > max - top ? max : top + delta;
        int moved = (size_t)top != p->note_top;
        p->note_top = (size_t)top; /* clamped to the text when drawn */
        return moved;
    }
    return widget_table_move(&p->t[kind], delta);
}

static void flip_star(tui_app *a, profile *p)
{
    const store_news *n = tui_newslist_row(&p->news, a->st, p->t[P_NEWS].sel, p->news_rows, NULL);
    char *err = NULL;
    if (n == NULL)
        return;
    int starred = !n->starred;
    if (store_news_flag(a->st, n->id, n->read, starred, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return;
    }
    tui_say(a, "%s",
            starred ? (a->cfg.lang_en ? "starred" : "已加星标")
                    : (a->cfg.lang_en ? "unstarred" : "已取消星标"));
}

static int profile_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    profile *p = v->st;
    if (p->editing)
        return edit_key(a, v, p, k);
    long page = p->focus == P_NEWS ? p->news_rows : 10;
    char *err = NULL;
    switch (act) {
    case TUI_A_UP:
        panel_move(p, p->focus, -1);
        return TUI_KEY_HANDLED;
    case TUI_A_DOWN:
        panel_move(p, p->focus, 1);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_UP:
        panel_move(p, p->focus, -page);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_DOWN:
        panel_move(p, p->focus, page);
        return TUI_KEY_HANDLED;
    case TUI_A_TOP:
        panel_move(p, p->focus, LONG_MIN);
        return TUI_KEY_HANDLED;
    case TUI_A_BOTTOM:
        panel_move(p, p->focus, LONG_MAX);
        return TUI_KEY_HANDLED;
    case TUI_A_LEFT:
    case TUI_A_RIGHT: {
        int i = 0;
        while (i < p->n_kinds && p->kinds[i] != p->focus)
            i++;
        i = (i + (act == TUI_A_RIGHT ? 1 : p->n_kinds - 1)) % p->n_kinds;
        p->focus = p->kinds[i];
        return TUI_KEY_HANDLED;
    }
    case TUI_A_RANGE:
        p->range = (p->range + 1) % N_RANGES;
        return TUI_KEY_HANDLED;
    case TUI_A_EDIT:
        start_edit(p);
        return TUI_KEY_HANDLED;
    case TUI_A_WATCH:
        tui_toggle_watch(a, p->id);
        if (profile_load(a, v, &err) != 0) { /* the ★ as the cache now has it */
            tui_say(a, "%s", err);
            free(err);
        }
        return TUI_KEY_HANDLED;
    case TUI_A_OPEN: {
        long s = p->t[p->focus].sel;
        if (p->focus == P_NOTE) {
            start_edit(p);
        } else if (p->focus == P_RELATED && s >= 0 && (size_t)s < p->d.n_relations) {
            char other[128]; /* the push may reload this view: keep the id */
            snprintf(other, sizeof other, "%s", p->d.relations[s].other);
            tui_open_company(a, other);
        } else if (p->focus == P_NEWS && s >= 0 && s < p->t[P_NEWS].nrows) {
            store_news_query q = p->news.q;
            tui_open_news(a, &q, s);
        }
        return TUI_KEY_HANDLED;
    }
    case TUI_A_STAR:
        if (p->focus != P_NEWS)
            return TUI_KEY_IGNORED;
        flip_star(a, p);
        if (profile_load(a, v, &err) != 0) {
            tui_say(a, "%s", err);
            free(err);
        }
        return TUI_KEY_HANDLED;
    case TUI_A_OPEN_LINK: {
        if (p->focus != P_NEWS)
            return TUI_KEY_IGNORED;
        const store_news *n =
            tui_newslist_row(&p->news, a->st, p->t[P_NEWS].sel, p->news_rows, NULL);
        if (n != NULL && n->url != NULL)
            tui_open_link(a, n->url);
        return TUI_KEY_HANDLED;
    }
    default:
        return TUI_KEY_IGNORED;
    }
}

static int inside(widget_rect r, int y, int x)
{
    return r.h > 0 && y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static int profile_mouse(tui_app *a, tui_view *v, int y, int x, int dir)
{
    profile *p = v->st;
    char *err = NULL;
    if (p->editing)
        return 0;
    if (dir == 0 && inside(p->tabs, y, x)) {
        char names[P_COUNT][96];
        const char *labels[P_COUNT];
        for (int i = 0; i < p->n_kinds; i++) {
            panel_name(p, p->kinds[i], a->cfg.lang_en, names[i], sizeof names[i]);
            labels[i] = names[i];
        }
        int hit = widget_tabs_hit(labels, p->n_kinds, x - p->tabs.x);
        if (hit < 0)
            return 0;
        p->focus = p->kinds[hit];
        return 1;
    }
    /* a click on a listing charts it */
    for (int i = 0; dir == 0 && i < p->n_listing_y; i++) {
        if (y != p->listing_y[i] || x < p->listing_x || x >= p->listing_x + p->listing_w)
            continue;
        const store_listing *li = &p->d.company.listings[i];
        snprintf(p->chart_key, sizeof p->chart_key, "%s:%s", li->exchange, li->code);
        if (load_closes(a, p, &err) != 0) {
            tui_say(a, "%s", err);
            free(err);
        }
        return 1;
    }
    for (int k = 0; k < P_COUNT; k++) {
        /* a panel's rect, with its title (grid) line above it */
        widget_rect r = p->prect[k];
        if (!p->pdrawn[k])
            continue;
        widget_rect hit = { r.y - (p->tabs.h ? 0 : 1), r.x, r.h + (p->tabs.h ? 0 : 1), r.w };
        if (!inside(hit, y, x))
            continue;
        if (dir != 0) /* the wheel scrolls the panel under it; the focus stays */
            return panel_move(p, k, 3L * dir);
        p->focus = k;
        if (k != P_NOTE) {
            long row = widget_table_hit(&p->t[k], r, y);
            if (row >= 0)
                p->t[k].sel = row;
        }
        return 1;
    }
    return 0;
}

static int profile_typing(const tui_view *v)
{
    const profile *p = v->st;
    return p->editing;
}

static const tui_view_ops profile_ops = {
    .name = "profile",
    .load = profile_load,
    .draw = profile_draw,
    .key = profile_key,
    .mouse = profile_mouse,
    .typing = profile_typing,
    .free = profile_free,
};

void tui_open_company(tui_app *a, const char *id)
{
    if (id == NULL || *id == '\0')
        return;
    profile *p = xcalloc(1, sizeof *p);
    p->app = a;
    snprintf(p->id, sizeof p->id, "%s", id);
    p->range = RANGE_DFLT;
    p->focus = P_RELATED;
    p->chart_li = -1;
    /* the crumb until the load names it: the short name the app knows */
    tui_view_push(a, &profile_ops, p, tui_company_name(a, id));
}
