/*
 * preview.c — the interim full-screen view, until the live dashboard lands.
 *
 * It says plainly that it is a preview, then shows each pillar with the
 * companies the cache holds for it (names, listing codes, confidence) and
 * the pillar's latest headlines, read one page each from the store. Keys:
 * 1-6 or Tab choose a pillar, q quits. It redraws only on a key or a resize
 * and sleeps in getch() otherwise.
 */
#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/tui.h"
#include "widgets/widgets.h"

/* Draws cache text at (y, x) sanitized and fitted to cols columns. */
static void draw(int y, int x, const char *s, int cols)
{
    if (cols <= 0 || s == NULL)
        return;
    char *clean = widget_text_sanitize(s, -1, 0);
    size_t sz = strlen(clean) + (size_t)cols + 8;
    char *buf = xmalloc(sz);
    widget_text_fit(buf, sz, clean, cols, 0);
    mvaddstr(y, x, buf);
    free(buf);
    free(clean);
}

static void draw_pillar(store *st, int pillar, int rows, int cols)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    char *err = NULL;
    int y = 3;

    store_company_page cp;
    if (store_companies_page(st, pl[pillar].id, NULL, rows / 2, &cp, &err) != 0) {
        draw(y, 2, err, cols - 4);
        free(err);
        return;
    }
    attron(A_BOLD);
    draw(y++, 2, "COMPANIES", cols - 4);
    attroff(A_BOLD);
    for (size_t i = 0; i < cp.n && y < rows / 2 + 3; i++, y++) {
        const store_company *c = &cp.rows[i];
        char code[48];
        snprintf(code, sizeof code, "%s", c->status ? c->status : "-");
        if (c->n_listings)
            snprintf(code, sizeof code, "%s.%s", c->listings[0].code, c->listings[0].exchange);
        draw(y, 2, c->name_zh ? c->name_zh : "", 14);
        draw(y, 17, c->name_en, 30);
        draw(y, 48, code, 12);
        char conf[32];
        snprintf(conf, sizeof conf, "confidence %s", c->confidence ? c->confidence : "?");
        draw(y, 62, conf, cols - 64);
    }
    store_company_page_free(&cp);

    y++;
    attron(A_BOLD);
    draw(y++, 2, "LATEST NEWS", cols - 4);
    attroff(A_BOLD);
    store_news_page np_;
    store_news_query q = { .pillar = pl[pillar].id,
                           .after = STORE_CURSOR_START,
                           .limit = rows - y - 2 > 0 ? rows - y - 2 : 1 };
    if (store_news_page_get(st, &q, &np_, &err) != 0) {
        draw(y, 2, err, cols - 4);
        free(err);
        return;
    }
    if (np_.n == 0)
        draw(y, 2,
             "no news cached yet: run 'xcdash fetch --once', or 'xcdash --demo fetch --once' "
             "for the offline demo",
             cols - 4);
    for (size_t i = 0; i < np_.n && y < rows - 2; i++, y++)
        draw(y, 2, np_.rows[i].title, cols - 4);
    store_news_page_free(&np_);
}

static void redraw(store *st, int pillar, int demo)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    erase();
    if (rows < 24 || cols < 80) {
        draw(0, 0, "terminal too small: xcdash needs at least 80×24", cols);
        refresh();
        return;
    }
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    attron(A_REVERSE);
    mvhline(0, 0, ' ', cols);
    draw(0, 1,
         demo ? "xcdash " XCDASH_VERSION " — DEMO data — PREVIEW: the live dashboard is not "
                "built yet"
              : "xcdash " XCDASH_VERSION " — PREVIEW: the live dashboard is not built yet",
         cols - 2);
    attroff(A_REVERSE);
    int x = 1;
    for (size_t i = 0; i < np; i++) {
        char tab[64];
        snprintf(tab, sizeof tab, " %zu %s ", i + 2, pl[i].name_zh);
        if ((int)i == pillar)
            attron(A_REVERSE);
        draw(1, x, tab, cols - x);
        attroff(A_REVERSE);
        x += widget_text_width(tab) + 1;
    }
    draw_pillar(st, pillar, rows, cols);
    draw(rows - 1, 1, "2-6/Tab pillar   q quit   (read-only preview of the cache)", cols - 2);
    refresh();
}

int tui_preview(const tui_opts *o)
{
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0) {
        fprintf(stderr, "xcdash: %s\n", err);
        free(err);
        return 1;
    }
    if (initscr() == NULL) {
        store_close(st);
        fprintf(stderr, "xcdash: cannot start the terminal interface\n");
        return 1;
    }
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    int pillar = 0;
    size_t np;
    store_pillars(&np);
    redraw(st, pillar, o->demo);
    for (;;) {
        int ch = getch();
        if (ch == 'q' || ch == 'Q')
            break;
        if (ch >= '2' && ch < '2' + (int)np)
            pillar = ch - '2';
        else if (ch == '1')
            pillar = 0;
        else if (ch == '\t')
            pillar = (pillar + 1) % (int)np;
        else if (ch == KEY_BTAB)
            pillar = (pillar + (int)np - 1) % (int)np;
        else if (ch != KEY_RESIZE)
            continue;
        redraw(st, pillar, o->demo);
    }
    endwin();
    store_close(st);
    return 0;
}
