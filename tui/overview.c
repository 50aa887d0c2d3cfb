/*
 * overview.c — the first screen: one card per pillar.
 *
 * A card says the pillar's names, today's equal-weighted move, how many
 * members rose and fell, its index over the last sessions as a sparkline,
 * the top mover, the latest headlines (as many as the card has room for,
 * three at 80x24) and how fresh it all is. Each card is one pillar summary
 * (store_pillar_summary_get) and one short news page: five of each per
 * reload, whatever the size of the cache.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "tui/private.h"

#define SESSIONS 20

int tui_overview_load(tui_app *a, char **err)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    for (size_t i = 0; i < np && i < 5; i++) {
        tui_card *c = &a->cards[i];
        memset(c, 0, sizeof *c);
        if (store_pillar_summary_get(a->st, pl[i].id, SESSIONS, &c->sum, err) != 0)
            return -1;
        store_news_query q = { .pillar = pl[i].id,
                               .after = STORE_CURSOR_START,
                               .limit = (int)(sizeof c->head / sizeof c->head[0]) };
        store_news_page p;
        if (store_news_page_get(a->st, &q, &p, err) != 0)
            return -1;
        for (size_t k = 0; k < p.n; k++) {
            snprintf(c->head[k].title, sizeof c->head[k].title, "%s", p.rows[k].title);
            c->head[k].published = p.rows[k].published;
            if (p.rows[k].fetched > c->news_fetched)
                c->news_fetched = p.rows[k].fetched;
        }
        c->n_head = (int)p.n;
        store_news_page_free(&p);
    }
    return 0;
}

/* "14:05" today, else "11-26": a card has no room for more. */
static void short_when(char *dst, size_t n, int64_t t, int64_t now)
{
    time_t tt = (time_t)t, tn = (time_t)now;
    struct tm x, y;
    localtime_r(&tt, &x);
    localtime_r(&tn, &y);
    strftime(dst, n, x.tm_year == y.tm_year && x.tm_yday == y.tm_yday ? "%H:%M" : "%m-%d", &x);
}

static void draw_card(tui_app *a, WINDOW *w, widget_rect r, const store_pillar *p,
                      const tui_card *c)
{
    int en = a->cfg.lang_en;
    char buf[512], num[64];
    /* 1: names and the move */
    snprintf(buf, sizeof buf, "%s %s", p->name_en, p->name_zh);
    tui_fmt_pct(num, sizeof num, c->sum.move_pct);
    int nw = widget_text_width(num);
    widget_text_draw(w, r.y, r.x, buf, r.w - nw - 1, tui_attr(a, TUI_TITLE), 1);
    widget_text_draw(w, r.y, r.x + r.w - nw, num, nw,
                     isnan(c->sum.move_pct) ? tui_attr(a, TUI_DIM)
                                            : tui_move_attr(a, c->sum.move_pct) | A_BOLD,
                     0);
    /* 2: breadth and the index */
    if (c->sum.quoted > 0)
        snprintf(buf, sizeof buf, "▲%d ▼%d =%d %s %d", c->sum.up, c->sum.down, c->sum.flat,
                 en ? "of" : "/", c->sum.members);
    else
        snprintf(buf, sizeof buf, "%s (%d)", en ? "no quotes yet" : "暂无行情", c->sum.members);
    int x = r.x;
    if (c->sum.quoted > 0) {
        char part[32];
        snprintf(part, sizeof part, "▲%d", c->sum.up);
        x += widget_text_draw(w, r.y + 1, x, part, r.w, tui_attr(a, TUI_RISE), 0) + 1;
        snprintf(part, sizeof part, "▼%d", c->sum.down);
        x += widget_text_draw(w, r.y + 1, x, part, r.w - (x - r.x), tui_attr(a, TUI_FALL), 0) + 1;
        snprintf(part, sizeof part, "=%d %s %d", c->sum.flat, en ? "of" : "/", c->sum.members);
        x += widget_text_draw(w, r.y + 1, x, part, r.w - (x - r.x), tui_attr(a, TUI_DIM), 0);
    } else {
        x += widget_text_draw(w, r.y + 1, x, buf, r.w, tui_attr(a, TUI_DIM), 0);
    }
    int sw = r.w - (x - r.x) - 2;
    if (sw > SESSIONS)
        sw = SESSIONS;
    if (c->sum.n_spark > 1 && sw >= 5) {
        char spark[256];
        widget_sparkline(spark, sizeof spark, c->sum.spark, (size_t)c->sum.n_spark, sw);
        double d = c->sum.spark[c->sum.n_spark - 1] - c->sum.spark[0];
        int sx = r.x + r.w - widget_text_width(spark);
        widget_text_draw(w, r.y + 1, sx, spark, sw, tui_move_attr(a, d), 0);
    }
    /* 3: the top mover */
    if (c->sum.top_id[0]) {
        tui_fmt_pct(num, sizeof num, c->sum.top_pct);
        x = r.x + widget_text_draw(w, r.y + 2, r.x, en ? "top " : "领涨跌 ", r.w,
                                   tui_attr(a, TUI_DIM), 0);
        x += widget_text_draw(w, r.y + 2, x, c->sum.top_name, r.w - (x - r.x) - nw - 1,
                              tui_attr(a, TUI_NORMAL), 0) +
             1;
        widget_text_draw(w, r.y + 2, x, num, r.w - (x - r.x), tui_move_attr(a, c->sum.top_pct), 0);
    }
    /* the headlines: as many as fit above the freshness line */
    int lines = r.h - 4;
    for (int k = 0; k < c->n_head && k < lines; k++) {
        char when[16];
        short_when(when, sizeof when, c->head[k].published, a->now);
        int y = r.y + 3 + k;
        widget_text_draw(w, y, r.x, when, 5, tui_attr(a, TUI_DIM), 0);
        widget_text_draw(w, y, r.x + 6, c->head[k].title, r.w - 6, tui_attr(a, TUI_NORMAL), 0);
    }
    if (c->n_head == 0 && lines > 0)
        widget_text_draw(w, r.y + 3, r.x, en ? "no news yet" : "暂无新闻", r.w,
                         tui_attr(a, TUI_DIM), 0);
    /* freshness */
    char q[32] = "", nn[32] = "";
    int stale = 0;
    if (c->sum.quote_fetched > 0) {
        tui_fmt_age(q, sizeof q, a->now - c->sum.quote_fetched);
        /* the newest quote of the pillar, judged as an A-share quote of a 60 s source */
        stale = fetch_quote_stale("SH", c->sum.quote_fetched, 60, a->now) ||
                fetch_quote_stale("HK", c->sum.quote_fetched, 60, a->now);
    }
    if (c->news_fetched > 0)
        tui_fmt_age(nn, sizeof nn, a->now - c->news_fetched);
    snprintf(buf, sizeof buf, en ? "quotes %s%s · news %s%s" : "行情 %s%s · 新闻 %s%s",
             q[0] ? q : "—", q[0] ? (en ? " ago" : "前") : "", nn[0] ? nn : "—",
             nn[0] ? (en ? " ago" : "前") : "");
    widget_text_draw(w, r.y + r.h - 1, r.x, buf, r.w, tui_attr(a, stale ? TUI_STALE : TUI_DIM), 0);
}

void tui_overview_draw(tui_app *a, WINDOW *w, widget_rect r)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    int ncol = r.w >= 150 ? 3 : 2;
    int nrow = (5 + ncol - 1) / ncol;
    int ch = r.h / nrow, cw = (r.w - (ncol - 1) * 2) / ncol;
    for (int i = 0; i < 5 && (size_t)i < np; i++) {
        widget_rect c = { r.y + (i / ncol) * ch, r.x + (i % ncol) * (cw + 2), ch, cw };
        if (ch > 8)
            c.h = ch - 1; /* a blank line between cards when there is room */
        draw_card(a, w, c, &pl[i], &a->cards[i]);
    }
    /* the sixth slot at 2 columns: a few keys, named from the key map itself */
    if (ncol == 2) {
        widget_rect c = { r.y + 2 * ch, r.x + cw + 2, ch, cw };
        widget_text_draw(w, c.y, c.x, a->cfg.lang_en ? "Keys" : "按键", c.w, tui_attr(a, TUI_TITLE),
                         1);
        static const tui_action shown[] = { TUI_A_PILLAR1, TUI_A_NEXT_SCREEN, TUI_A_SORT_NEXT,
                                            TUI_A_REFRESH, TUI_A_BACK };
        for (size_t k = 0; k < sizeof shown / sizeof shown[0] && (int)k + 1 < c.h; k++) {
            tui_key key;
            char name[32], line[160];
            if (tui_action_keys(shown[k], &key, 1) != 1)
                continue;
            tui_key_name(key, name, sizeof name);
            snprintf(line, sizeof line, "%-6s %s", name, tui_actions[shown[k]].help);
            widget_text_draw(w, c.y + 1 + (int)k, c.x, line, c.w, tui_attr(a, TUI_DIM), 0);
        }
    }
}
