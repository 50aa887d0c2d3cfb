/*
 * search.c — `/`: companies and news from the full-text index, as you type.
 *
 * Every change to the query runs store_search() at once: the index answers
 * a query in milliseconds whatever the cache's size (CJK bigrams, news
 * ranked among the newest matches, see store/read.c), so there is no
 * debounce and no background query to cancel; a result set of at most
 * LIMIT companies and LIMIT news is held in memory and shown in two
 * virtual tables. The input has the keys while it has focus (typing()), so
 * q, n or / type themselves; Enter or Down moves to the results, where the
 * key map applies again: n/N step through the matches across both panels,
 * Enter opens one, Esc (or /) goes back to the query, and Esc on an empty
 * query closes the view.
 *
 * A news hit is opened in the reader on a real list that holds it (its
 * first tagged pillar's news, else all news) at the row store_news_rank()
 * gives for its (published, id), so J and K then walk that list.
 *
 * Matches are marked in the names and headlines: each query word is looked
 * for in the text as drawn (sanitized), ASCII letters case-folded and
 * everything else (CJK) compared exactly, and drawn over the table's cell
 * in the accent colour where it is wholly visible. The store matches Latin
 * words as whole words, so this can mark a little more than the index
 * matched (a substring); it never marks less of what is shown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

#define LIMIT     100 /* of each kind: more than a screen, little enough to hold */
#define MAX_TERMS 8

enum { F_INPUT, F_COMPANIES, F_NEWS };

typedef struct search {
    tui_app *app;
    widget_input in;
    int focus;
    store_search_result res;
    char ran[sizeof((widget_input *)0)->buf]; /* the query res answers */
    char terms[MAX_TERMS][128];
    int n_terms;
    widget_table comp, news;
    widget_rect comp_r, news_r; /* where the tables were drawn */
    int input_y;
    int news_rows;
} search;

/* ---- the query ---------------------------------------------------------------------- */

/* Length of the blank at p (ASCII space or tab, U+3000), 0 if none. */
static size_t blank_at(const char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    return strncmp(p, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

/* Splits the query into words for marking matches. */
static void split_terms(search *s)
{
    s->n_terms = 0;
    const char *p = s->in.buf;
    while (*p && s->n_terms < MAX_TERMS) {
        size_t b;
        while ((b = blank_at(p)) > 0)
            p += b;
        const char *w = p;
        while (*p && blank_at(p) == 0)
            p++;
        size_t n = (size_t)(p - w);
        if (n > 0 && n < sizeof s->terms[0]) {
            memcpy(s->terms[s->n_terms], w, n);
            s->terms[s->n_terms++][n] = '\0';
        }
    }
}

static void set_crumb(tui_app *a, tui_view *v)
{
    search *s = v->st;
    char q[64];
    widget_text_fit(q, sizeof q, s->in.buf, 30, 0);
    if (q[0])
        snprintf(v->crumb, sizeof v->crumb, "%s: %s", a->cfg.lang_en ? "search" : "搜索", q);
    else
        snprintf(v->crumb, sizeof v->crumb, "%s", a->cfg.lang_en ? "search" : "搜索");
    a->dirty |= TUI_DIRTY_HEAD;
}

/* Runs the query again, keeping the selected company and news item selected. */
static int run(tui_app *a, search *s, char **err)
{
    char comp_id[96] = "";
    int64_t news_id = 0;
    if (s->comp.sel >= 0 && (size_t)s->comp.sel < s->res.n_companies)
        snprintf(comp_id, sizeof comp_id, "%s", s->res.companies[s->comp.sel].id);
    if (s->news.sel >= 0 && (size_t)s->news.sel < s->res.n_news)
        news_id = s->res.news[s->news.sel].id;
    int same = strcmp(s->ran, s->in.buf) == 0;
    store_search_result_free(&s->res);
    snprintf(s->ran, sizeof s->ran, "%s", s->in.buf);
    split_terms(s);
    int rc = store_search(a->st, s->in.buf, LIMIT, &s->res, err);
    s->comp.nrows = (long)s->res.n_companies;
    s->news.nrows = (long)s->res.n_news;
    if (!same)
        s->comp.top = s->news.top = 0;
    s->comp.sel = s->res.n_companies ? 0 : -1;
    s->news.sel = s->res.n_news ? 0 : -1;
    for (size_t i = 0; same && i < s->res.n_companies; i++)
        if (strcmp(s->res.companies[i].id, comp_id) == 0)
            s->comp.sel = (long)i;
    for (size_t i = 0; same && i < s->res.n_news; i++)
        if (s->res.news[i].id == news_id)
            s->news.sel = (long)i;
    /* focus stays in the results only while they have something */
    if (s->focus == F_COMPANIES && s->res.n_companies == 0)
        s->focus = s->res.n_news ? F_NEWS : F_INPUT;
    if (s->focus == F_NEWS && s->res.n_news == 0)
        s->focus = s->res.n_companies ? F_COMPANIES : F_INPUT;
    return rc;
}

/* After an edit: search, say what went wrong, retitle. */
static void rerun(tui_app *a, tui_view *v)
{
    char *err = NULL;
    if (run(a, v->st, &err) != 0) {
        tui_say(a, "%s", err ? err : "search failed");
        free(err);
    }
    set_crumb(a, v);
}

static int search_load(tui_app *a, tui_view *v, char **err)
{
    int rc = run(a, v->st, err);
    set_crumb(a, v);
    return rc;
}

/* ---- rows ------------------------------------------------------------------------- */

enum { CC_NAME, CC_CODE, CC_PILLARS, CC_N };
enum { NC_TIME, NC_SOURCE, NC_TITLE, NC_N };

static int company_row(void *ctx, long i, widget_cell *cells)
{
    search *s = ctx;
    tui_app *a = s->app;
    if (i < 0 || (size_t)i >= s->res.n_companies)
        return -1;
    const store_company *c = &s->res.companies[i];
    if (c->name_zh && c->name_en)
        widget_cell_set(&cells[CC_NAME], 0, "%s%s %s", c->watched ? "★ " : "", c->name_zh,
                        c->name_en);
    else
        widget_cell_set(&cells[CC_NAME], 0, "%s%s", c->watched ? "★ " : "",
                        c->name_zh   ? c->name_zh
                        : c->name_en ? c->name_en
                                     : c->id);
    if (c->n_listings > 0)
        widget_cell_set(&cells[CC_CODE], tui_attr(a, TUI_DIM), "%s.%s", c->listings[0].code,
                        c->listings[0].exchange);
    else
        widget_cell_set(&cells[CC_CODE], tui_attr(a, TUI_DIM), "%s",
                        a->cfg.lang_en ? "private" : "未上市");
    /* the pillars by name (Chinese) or id (English: the names are long) */
    size_t np, o = 0;
    const store_pillar *pl = store_pillars(&np);
    char *t = cells[CC_PILLARS].text;
    t[0] = '\0';
    const char *p = c->pillars ? c->pillars : "";
    while (*p) {
        size_t len = strcspn(p, " ");
        const char *name = NULL;
        for (size_t k = 0; k < np && !a->cfg.lang_en; k++)
            if (strlen(pl[k].id) == len && strncmp(pl[k].id, p, len) == 0)
                name = pl[k].name_zh;
        int w =
            name ? snprintf(t + o, sizeof cells[CC_PILLARS].text - o, "%s%s", o ? "、" : "", name)
                 : snprintf(t + o, sizeof cells[CC_PILLARS].text - o, "%s%.*s", o ? " " : "",
                            (int)len, p);
        if (w < 0 || (size_t)w >= sizeof cells[CC_PILLARS].text - o)
            break;
        o += (size_t)w;
        p += len;
        p += strspn(p, " ");
    }
    cells[CC_PILLARS].attr = tui_attr(a, TUI_DIM);
    return 0;
}

static int news_row(void *ctx, long i, widget_cell *cells)
{
    search *s = ctx;
    tui_app *a = s->app;
    if (i < 0 || (size_t)i >= s->res.n_news)
        return -1;
    const store_news *n = &s->res.news[i];
    char b[32];
    tui_fmt_when(b, sizeof b, n->published, a->now);
    widget_cell_set(&cells[NC_TIME], tui_attr(a, TUI_DIM), "%s", b);
    widget_cell_set(&cells[NC_SOURCE], tui_attr(a, TUI_DIM), "%s",
                    n->source_id ? n->source_id : "");
    widget_cell_set(&cells[NC_TITLE], 0, "%s", n->title ? n->title : "");
    return 0;
}

/* ---- drawing ---------------------------------------------------------------------- */

/* Where term occurs in s (ASCII letters case-folded, other bytes exact); NULL if nowhere. */
static const char *find_term(const char *s, const char *term)
{
    size_t n = strlen(term);
    for (; *s; s++) {
        size_t k = 0;
        while (k < n && s[k]) {
            unsigned char x = (unsigned char)s[k], y = (unsigned char)term[k];
            if (x >= 'A' && x <= 'Z')
                x = (unsigned char)(x - 'A' + 'a');
            if (y >= 'A' && y <= 'Z')
                y = (unsigned char)(y - 'A' + 'a');
            if (x != y)
                break;
            k++;
        }
        if (k == n)
            return s;
    }
    return NULL;
}

/*
 * Marks the query's words in column `col` of a table drawn in tr: for each
 * visible row, the cell's text as the table drew it (sanitized, fitted), and
 * each match wholly inside what is visible drawn again with `mark` (on the
 * selected row, the selection's attribute underlined).
 */
static void mark_matches(tui_app *a, search *s, WINDOW *w, widget_rect tr, widget_table *t, int col)
{
    if (s->n_terms == 0 || tr.h < 2)
        return;
    int widths[8];
    widget_table_layout(t->cols, t->ncols, tr.w, widths);
    int x = tr.x;
    for (int c = 0; c < col; c++)
        x += widths[c] + 1;
    int cw = widths[col];
    if (cw <= 0)
        return;
    widget_cell cells[8];
    for (int i = 0; i < tr.h - 1; i++) {
        long row = t->top + i;
        if (row >= t->nrows)
            break;
        memset(cells, 0, sizeof cells);
        if (t->row(t->ctx, row, cells) != 0)
            break;
        cells[col].text[sizeof cells[col].text - 1] = '\0';
        char *clean = widget_text_sanitize(cells[col].text, -1, 0);
        int tw = widget_text_width(clean);
        int limit = tw > cw ? cw - 1 : cw; /* a cut cell ends in "…" */
        attr_t at = row == t->sel ? (t->focused ? t->sel_attr : t->sel_dim_attr) | A_UNDERLINE
                                  : tui_attr(a, TUI_ACCENT) | A_BOLD;
        for (int k = 0; k < s->n_terms; k++) {
            size_t tl = strlen(s->terms[k]);
            for (const char *m = find_term(clean, s->terms[k]); m;
                 m = find_term(m + tl, s->terms[k])) {
                char *pre = xstrndup(clean, (size_t)(m - clean));
                char *hit = xstrndup(m, tl);
                int pw = widget_text_width(pre), mw = widget_text_width(hit);
                if (pw + mw <= limit)
                    widget_text_draw(w, tr.y + 1 + i, x + pw, hit, mw, at, 0);
                free(pre);
                free(hit);
                if (pw + mw > limit)
                    break;
            }
        }
        free(clean);
    }
}

/* A panel: its title line, then its table; returns the table's rectangle. */
static widget_rect panel(tui_app *a, WINDOW *w, widget_rect r, const char *title, widget_table *t,
                         int focused)
{
    char line[256];
    snprintf(line, sizeof line, "%s%s", focused ? "▌" : " ", title);
    widget_text_draw(w, r.y, r.x, line, r.w, tui_attr(a, TUI_TITLE) | (focused ? A_BOLD : A_NORMAL),
                     1);
    widget_rect tr = { r.y + 1, r.x, r.h - 1, r.w };
    if (tr.h >= 1) {
        widget_table_scroll(t, tr.h - 1);
        widget_table_draw(w, tr, t);
    }
    return tr;
}

static void search_draw(tui_app *a, tui_view *v, WINDOW *w, widget_rect r)
{
    search *s = v->st;
    int en = a->cfg.lang_en;
    int y = r.y;

    /* the query, with a drawn cursor while it has focus (the terminal's own
     * cursor belongs to the status line, drawn after the body) */
    s->input_y = y;
    attr_t in_attr = tui_attr(a, s->focus == F_INPUT ? TUI_NORMAL : TUI_DIM);
    int cx = widget_input_draw(w, y, r.x + 1, r.w - 2, "/", &s->in, in_attr | A_BOLD);
    if (s->focus == F_INPUT && cx < r.x + r.w)
        mvwchgat(w, y, cx, 1, A_REVERSE, 0, NULL);
    y++;

    char info[256];
    if (s->in.len == 0)
        snprintf(info, sizeof info, "%s",
                 en ? "type to search companies and news, in Chinese or English"
                    : "输入以搜索公司和新闻（中文或英文）");
    else if (s->res.n_companies + s->res.n_news == 0)
        snprintf(info, sizeof info, "%s", en ? "no matches" : "无匹配结果");
    else
        snprintf(info, sizeof info, en ? "%zu companies · %zu news%s" : "公司 %zu · 新闻 %zu%s",
                 s->res.n_companies, s->res.n_news,
                 s->res.n_news == LIMIT
                     ? (en ? " (the best of the newest matches)" : "（最新匹配中最相关的）")
                     : "");
    widget_text_draw(w, y, r.x + 1, info, r.w - 2, tui_attr(a, TUI_DIM), 0);
    y += 2;

    int bottom = r.y + r.h - 1; /* key hints */
    int avail = bottom - y;
    int comp_h = (int)s->res.n_companies + 2;
    if (comp_h > avail / 3)
        comp_h = avail / 3 > 3 ? avail / 3 : 3;
    if (s->res.n_companies == 0)
        comp_h = 2;
    if (comp_h > avail)
        comp_h = avail;

    static const widget_col ccols_en[CC_N] = {
        { "Company", 20, 2, WIDGET_LEFT },
        { "Code", 10, 0, WIDGET_LEFT },
        { "Pillars", 10, 1, WIDGET_LEFT },
    };
    static const widget_col ccols_zh[CC_N] = {
        { "公司", 20, 2, WIDGET_LEFT },
        { "代码", 10, 0, WIDGET_LEFT },
        { "板块", 10, 1, WIDGET_LEFT },
    };
    static const widget_col ncols_en[NC_N] = {
        { "Time", 11, 0, WIDGET_LEFT },
        { "Source", 12, 0, WIDGET_LEFT },
        { "Headline", 20, 1, WIDGET_LEFT },
    };
    static const widget_col ncols_zh[NC_N] = {
        { "时间", 11, 0, WIDGET_LEFT },
        { "来源", 12, 0, WIDGET_LEFT },
        { "标题", 20, 1, WIDGET_LEFT },
    };
    tui_table_setup(a, &s->comp, en ? ccols_en : ccols_zh, CC_N, company_row, s,
                    s->focus == F_COMPANIES);
    tui_table_setup(a, &s->news, en ? ncols_en : ncols_zh, NC_N, news_row, s, s->focus == F_NEWS);
    char title[128];
    s->comp_r = s->news_r = (widget_rect){ 0, 0, 0, 0 };
    if (comp_h >= 2) {
        snprintf(title, sizeof title, en ? "Companies · %zu" : "公司 · %zu", s->res.n_companies);
        s->comp_r = panel(a, w, (widget_rect){ y, r.x, comp_h, r.w }, title, &s->comp,
                          s->focus == F_COMPANIES);
        mark_matches(a, s, w, s->comp_r, &s->comp, CC_NAME);
        y += comp_h;
    }
    if (bottom - y >= 2) {
        snprintf(title, sizeof title, en ? "News · %zu" : "新闻 · %zu", s->res.n_news);
        s->news_r = panel(a, w, (widget_rect){ y, r.x, bottom - y, r.w }, title, &s->news,
                          s->focus == F_NEWS);
        s->news_rows = s->news_r.h - 1 > 1 ? s->news_r.h - 1 : 1;
        mark_matches(a, s, w, s->news_r, &s->news, NC_TITLE);
    }
    const char *hint =
        s->focus == F_INPUT
            ? (en ? "Enter/↓ to the results · Esc clear, then back"
                  : "Enter/↓ 进入结果 · Esc 清空，再按返回")
            : (en ? "Enter open · ↑↓ move · ←/→ panel · n/N next/prev match · / or Esc edit query"
                  : "Enter 打开 · ↑↓ 移动 · ←/→ 切换面板 · n/N 下一个/上一个 · / 或 Esc 修改搜索");
    widget_text_draw(w, bottom, r.x + 1, hint, r.w - 2, tui_attr(a, TUI_DIM), 0);
}

/* ---- keys ------------------------------------------------------------------------- */

/* Moves focus into the results: the first panel with something, its first row. */
static int enter_results(tui_app *a, search *s)
{
    if (s->res.n_companies + s->res.n_news == 0) {
        if (s->in.len > 0)
            tui_say(a, "%s", a->cfg.lang_en ? "no matches" : "无匹配结果");
        return TUI_KEY_HANDLED;
    }
    s->focus = s->res.n_companies ? F_COMPANIES : F_NEWS;
    widget_table *t = s->focus == F_COMPANIES ? &s->comp : &s->news;
    t->sel = 0;
    return TUI_KEY_HANDLED;
}

/* The results as one sequence (companies, then news): index of the selection. */
static long flat_index(const search *s)
{
    return s->focus == F_COMPANIES ? s->comp.sel : (long)s->res.n_companies + s->news.sel;
}

static void flat_select(search *s, long i)
{
    long nc = (long)s->res.n_companies;
    if (i < nc) {
        s->focus = F_COMPANIES;
        s->comp.sel = i;
    } else {
        s->focus = F_NEWS;
        s->news.sel = i - nc;
    }
}

static void open_result(tui_app *a, search *s)
{
    if (s->focus == F_COMPANIES && s->comp.sel >= 0 && (size_t)s->comp.sel < s->res.n_companies) {
        tui_open_company(a, s->res.companies[s->comp.sel].id);
        return;
    }
    if (s->focus != F_NEWS || s->news.sel < 0 || (size_t)s->news.sel >= s->res.n_news)
        return;
    const store_news *n = &s->res.news[s->news.sel];
    /* a list that holds the item: its first pillar's news, else all news */
    store_news_query q = { .after = STORE_CURSOR_START };
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    const char *p = n->pillars ? n->pillars : "";
    size_t len = strcspn(p, " ");
    for (size_t k = 0; k < np && len > 0; k++)
        if (strlen(pl[k].id) == len && strncmp(pl[k].id, p, len) == 0)
            q.pillar = pl[k].id;
    int64_t row;
    char *err = NULL;
    if (store_news_rank(a->st, &q, (store_cursor){ n->published, n->id }, &row, &err) != 0) {
        tui_say(a, "%s", err ? err : "cannot find the item");
        free(err);
        return;
    }
    tui_open_news(a, &q, row);
}

/* A key while the query has focus: edit it, or leave it. */
static int input_key(tui_app *a, tui_view *v, tui_key k)
{
    search *s = v->st;
    if ((!k.fn && (k.code == '\r' || k.code == '\n')) || (k.fn && k.code == KEY_ENTER))
        return enter_results(a, s);
    if (k.fn && k.code == KEY_DOWN)
        return enter_results(a, s);
    if (k.fn && k.code == KEY_UP)
        return TUI_KEY_HANDLED;
    if (!k.fn && k.code == 27) {
        if (s->in.len == 0)
            return TUI_KEY_IGNORED; /* Esc on an empty query: the app closes the view */
        widget_input_set(&s->in, "");
        rerun(a, v);
        return TUI_KEY_HANDLED;
    }
    switch (widget_input_key(&s->in, k.fn, (wint_t)k.code)) {
    case WIDGET_INPUT_CHANGED:
        rerun(a, v);
        return TUI_KEY_HANDLED;
    case WIDGET_INPUT_MOVED:
        return TUI_KEY_HANDLED;
    default:
        return TUI_KEY_IGNORED;
    }
}

static int search_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    search *s = v->st;
    if (s->focus == F_INPUT) {
        /* the typing pass comes with TUI_A_NONE; what it leaves goes to the app */
        return act == TUI_A_NONE ? input_key(a, v, k) : TUI_KEY_IGNORED;
    }
    widget_table *t = s->focus == F_COMPANIES ? &s->comp : &s->news;
    long page = s->focus == F_NEWS ? s->news_rows : 5;
    long total = (long)(s->res.n_companies + s->res.n_news);
    switch (act) {
    case TUI_A_UP:
        if (t->sel > 0)
            widget_table_move(t, -1);
        else if (s->focus == F_NEWS && s->res.n_companies > 0)
            flat_select(s, (long)s->res.n_companies - 1);
        else
            s->focus = F_INPUT;
        return TUI_KEY_HANDLED;
    case TUI_A_DOWN:
        if (t->sel + 1 < t->nrows)
            widget_table_move(t, 1);
        else if (s->focus == F_COMPANIES && s->res.n_news > 0)
            flat_select(s, (long)s->res.n_companies);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_UP:
        widget_table_move(t, -page);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_DOWN:
        widget_table_move(t, page);
        return TUI_KEY_HANDLED;
    case TUI_A_TOP:
        widget_table_move(t, -t->sel);
        return TUI_KEY_HANDLED;
    case TUI_A_BOTTOM:
        widget_table_move(t, t->nrows - 1 - t->sel);
        return TUI_KEY_HANDLED;
    case TUI_A_LEFT:
    case TUI_A_RIGHT:
        if (s->focus == F_COMPANIES && s->res.n_news > 0)
            s->focus = F_NEWS;
        else if (s->focus == F_NEWS && s->res.n_companies > 0)
            s->focus = F_COMPANIES;
        return TUI_KEY_HANDLED;
    case TUI_A_NEXT_MATCH:
    case TUI_A_PREV_MATCH: {
        if (total == 0)
            return TUI_KEY_HANDLED;
        long i = flat_index(s) + (act == TUI_A_NEXT_MATCH ? 1 : -1);
        if (i >= total || i < 0) {
            i = i < 0 ? total - 1 : 0;
            tui_say(a, "%s",
                    a->cfg.lang_en
                        ? (act == TUI_A_NEXT_MATCH ? "wrapped to the first match"
                                                   : "wrapped to the last match")
                        : (act == TUI_A_NEXT_MATCH ? "已回到第一个匹配" : "已回到最后一个匹配"));
        }
        flat_select(s, i);
        return TUI_KEY_HANDLED;
    }
    case TUI_A_OPEN:
        open_result(a, s);
        return TUI_KEY_HANDLED;
    case TUI_A_SEARCH:
        s->focus = F_INPUT;
        return TUI_KEY_HANDLED;
    case TUI_A_BACK:
        if (k.fn || k.code != 27)
            return TUI_KEY_IGNORED; /* q closes the search; Esc goes back to the query */
        s->focus = F_INPUT;
        return TUI_KEY_HANDLED;
    default:
        return TUI_KEY_IGNORED;
    }
}

static int search_mouse(tui_app *a, tui_view *v, int y, int x, int dir)
{
    search *s = v->st;
    (void)a;
    widget_rect rs[2] = { s->comp_r, s->news_r };
    widget_table *ts[2] = { &s->comp, &s->news };
    if (dir == 0 && y == s->input_y) {
        s->focus = F_INPUT;
        return 1;
    }
    for (int k = 0; k < 2; k++) {
        widget_rect r = rs[k];
        if (r.h <= 0 || y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
            continue;
        if (dir != 0)
            return widget_table_move(ts[k], 3 * dir);
        long row = widget_table_hit(ts[k], r, y);
        if (row < 0)
            return 0;
        ts[k]->sel = row;
        s->focus = k == 0 ? F_COMPANIES : F_NEWS;
        return 1;
    }
    return 0;
}

static int search_typing(const tui_view *v)
{
    const search *s = v->st;
    return s->focus == F_INPUT;
}

static void search_free(tui_view *v)
{
    search *s = v->st;
    if (s == NULL)
        return;
    store_search_result_free(&s->res);
    free(s);
    v->st = NULL;
}

static const tui_view_ops search_ops = {
    .name = "search",
    .load = search_load,
    .draw = search_draw,
    .key = search_key,
    .mouse = search_mouse,
    .typing = search_typing,
    .free = search_free,
};

void tui_open_search(tui_app *a)
{
    search *s = xcalloc(1, sizeof *s);
    s->app = a;
    s->focus = F_INPUT;
    s->comp.sel = s->news.sel = -1;
    tui_view_push(a, &search_ops, s, a->cfg.lang_en ? "search" : "搜索");
}
