/*
 * app.c — the live dashboard: the event loop, the screen layout, the header
 * and status line, and the fetch thread.
 *
 * Threads. The fetch engine runs on its own thread with its own SQLite
 * connection (fetch_engine_run); it never touches curses. After each commit
 * it writes a byte to a pipe, and our report callback updates a small
 * progress record under a mutex and writes a byte too. The interface thread
 * poll()s on the terminal, that pipe and a one-second timer, and on every
 * wake-up decides what is dirty: a key, new data (the pipe, or PRAGMA
 * data_version for writes by other processes), a new minute (clock, market
 * state, ages). When another process already fetches into the cache, this
 * one only reads and follows its writes.
 *
 * Drawing. Three windows — head (clock, markets, tabs), body (the screen),
 * status — each redrawn only when its dirty bit is set: erase, draw,
 * wnoutrefresh, then one doupdate for the whole pass. Data is reloaded
 * only on TUI_DIRTY_DATA, and only for the screen in view (the others
 * reload when shown). An idle dashboard wakes once a second for one
 * PRAGMA and draws nothing.
 *
 * Signals only set flags or are ncurses' own: SIGWINCH becomes KEY_RESIZE,
 * SIGTSTP/SIGCONT are handled by ncurses (it restores the terminal and
 * repaints on fg), SIGINT/SIGTERM ask the loop to quit.
 */
#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "tui/private.h"

static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
    (void)sig;
    quit_signal = 1;
}

attr_t tui_attr(const tui_app *a, tui_role r)
{
    return tui_theme_attr(a->theme, r);
}

void tui_table_setup(tui_app *a, widget_table *t, const widget_col *cols, int n, widget_row_fn row,
                     void *ctx, int focused)
{
    t->cols = cols;
    t->ncols = n;
    t->row = row;
    t->ctx = ctx;
    t->focused = focused;
    t->head_attr = tui_attr(a, TUI_DIM) | A_BOLD;
    t->row_attr = tui_attr(a, TUI_NORMAL);
    t->sel_attr = tui_attr(a, TUI_SELECTED);
    t->sel_dim_attr = tui_attr(a, TUI_SELECTED_DIM);
}

void tui_trend_cell(widget_cell *c, tui_app *a, int64_t now, int64_t prev)
{
    if (now < 0 || prev < 0) {
        widget_cell_set(c, tui_attr(a, TUI_DIM), "%s", TUI_UNKNOWN);
        return;
    }
    char b[32];
    tui_fmt_count(b, sizeof b, now > prev ? now - prev : prev - now, a->cfg.lang_en);
    widget_cell_set(c, tui_move_attr(a, (double)(now - prev)), "%s%s",
                    now > prev   ? "+"
                    : now < prev ? "-"
                                 : "",
                    b);
}

attr_t tui_move_attr(const tui_app *a, double v)
{
    return v > 0 ? tui_attr(a, TUI_RISE) : v < 0 ? tui_attr(a, TUI_FALL) : tui_attr(a, TUI_NORMAL);
}

static int name_cmp(const void *x, const void *y)
{
    return strcmp(((const char(*)[96])x)[0], ((const char(*)[96])y)[0]);
}

const char *tui_company_name(const tui_app *a, const char *id)
{
    char key[2][96];
    if (a->n_names == 0)
        return id;
    snprintf(key[0], sizeof key[0], "%s", id);
    const char(*hit)[96] = bsearch(key, a->names, a->n_names, sizeof a->names[0], name_cmp);
    return hit ? hit[1] : id;
}

void tui_say(tui_app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->dirty |= TUI_DIRTY_STATUS;
}

/* ---- views over the screen ------------------------------------------------------- */

static void view_free(tui_view *v)
{
    if (v->ops && v->ops->free)
        v->ops->free(v);
    memset(v, 0, sizeof *v);
}

void tui_view_push(tui_app *a, const tui_view_ops *ops, void *state, const char *crumb)
{
    tui_view v = { .ops = ops, .st = state };
    snprintf(v.crumb, sizeof v.crumb, "%s", crumb ? crumb : ops->name);
    char *err = NULL;
    if (ops->load && ops->load(a, &v, &err) != 0) {
        tui_say(a, "%s", err ? err : "cannot open");
        free(err);
        view_free(&v);
        return;
    }
    if (a->n_views == TUI_VIEW_MAX) { /* a long walk: forget its start */
        view_free(&a->views[0]);
        memmove(&a->views[0], &a->views[1], (TUI_VIEW_MAX - 1) * sizeof a->views[0]);
        a->n_views--;
    }
    a->views[a->n_views++] = v;
    a->dirty |= TUI_DIRTY_ALL;
}

void tui_view_pop(tui_app *a)
{
    if (a->n_views == 0)
        return;
    view_free(&a->views[--a->n_views]);
    a->dirty |= TUI_DIRTY_ALL | TUI_DIRTY_DATA; /* what is under it may be older */
}

static void pop_all(tui_app *a)
{
    while (a->n_views > 0)
        tui_view_pop(a);
}

static tui_view *top_view(tui_app *a)
{
    return a->n_views ? &a->views[a->n_views - 1] : NULL;
}

/* Company display names for tags, read once (profiles change only on restart). */
static int collect_name(void *ctx, const store_company *c)
{
    tui_app *a = ctx;
    a->names = xrealloc(a->names, (a->n_names + 1) * sizeof a->names[0]);
    snprintf(a->names[a->n_names][0], 96, "%s", c->id);
    /* tags are short: the Chinese name, or the English name's first word */
    if (a->cfg.lang_en || c->name_zh == NULL)
        snprintf(a->names[a->n_names][1], 96, "%.*s", (int)strcspn(c->name_en, " "), c->name_en);
    else
        snprintf(a->names[a->n_names][1], 96, "%s", c->name_zh);
    a->n_names++;
    return 0;
}

/* ---- the fetch thread ---------------------------------------------------- */

static void on_report(void *ctx, const fetch_report *r)
{
    tui_app *a = ctx;
    pthread_mutex_lock(&a->fs.mu);
    a->fs.done = r->round_done;
    a->fs.total = r->round_total;
    if (r->ok)
        a->fs.last_ok = (int64_t)time(NULL);
    pthread_mutex_unlock(&a->fs.mu);
    if (write(a->wake[1], "r", 1) < 0 && errno != EAGAIN) {
        /* the interface catches up on its one-second timer anyway */
    }
}

typedef struct fetch_thread {
    tui_app *a;
    fetch_engine *e;
} fetch_thread;

static void *fetch_main(void *arg)
{
    fetch_thread *t = arg;
    tui_app *a = t->a;
    char *err = NULL;
    if (fetch_engine_run(t->e, &a->stop, a->wake[1], on_report, a, &err) != 0) {
        pthread_mutex_lock(&a->fs.mu);
        snprintf(a->fs.error, sizeof a->fs.error, "fetching stopped: %s", err);
        a->fs.running = 0;
        pthread_mutex_unlock(&a->fs.mu);
        free(err);
        if (write(a->wake[1], "e", 1) < 0 && errno != EAGAIN) {
        }
    }
    fetch_engine_free(t->e);
    free(t);
    return NULL;
}

/* Starts fetching in the background unless --no-fetch or another process fetches. */
static void start_fetch(tui_app *a)
{
    if (a->o->no_fetch)
        return;
    fetch_engine *e;
    int busy = 0;
    char *err = NULL;
    if (fetch_engine_new(&e, a->o->db, &a->cfg.fetch, &busy, &err) != 0) {
        pthread_mutex_lock(&a->fs.mu);
        if (busy)
            a->fs.other = 1;
        else
            snprintf(a->fs.error, sizeof a->fs.error, "cannot fetch: %s", err);
        pthread_mutex_unlock(&a->fs.mu);
        free(err);
        return;
    }
    fetch_thread *t = xmalloc(sizeof *t);
    t->a = a;
    t->e = e;
    a->fs.running = 1;
    if (pthread_create(&a->thread, NULL, fetch_main, t) != 0) {
        a->fs.running = 0;
        snprintf(a->fs.error, sizeof a->fs.error, "cannot start the fetch thread");
        fetch_engine_free(e);
        free(t);
        return;
    }
    a->thread_started = 1;
}

static void stop_fetch(tui_app *a)
{
    if (!a->thread_started)
        return;
    a->stop = 1;
    pthread_join(a->thread, NULL);
    a->thread_started = 0;
}

/* ---- header and status ----------------------------------------------------- */

static const char *market_word(fetch_market_state s, int en)
{
    static const char *const words[2][4] = { { "集合竞价", "交易中", "午休", "休市" },
                                             { "pre-open", "open", "lunch", "closed" } };
    return words[en != 0][s];
}

/* The tab bar's labels: drawn by draw_head, hit by the mouse. */
static void tab_labels(const tui_app *a, char labels[TUI_SCREENS][64], const char *lp[TUI_SCREENS])
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    int en = a->cfg.lang_en;
    snprintf(labels[0], 64, "1 %s", en ? "Overview" : "总览");
    for (size_t i = 0; i < np && i < 5; i++)
        snprintf(labels[i + 1], 64, "%zu %s", i + 2, en ? pl[i].name_en : pl[i].name_zh);
    for (int i = 0; i < TUI_SCREENS; i++)
        lp[i] = labels[i];
}

static void draw_head(tui_app *a)
{
    WINDOW *w = a->head;
    werase(w);
    wbkgdset(w, ' ' | tui_attr(a, TUI_HEADER));
    wmove(w, 0, 0);
    wclrtoeol(w);
    char clock[32], right[160];
    tui_fmt_shanghai(clock, sizeof clock, a->now);
    clock[16] = '\0'; /* minutes: the screen changes once a minute when idle */
    int en = a->cfg.lang_en;
    snprintf(right, sizeof right, "%s %s  %s %s  %s %s", en ? "Shanghai" : "北京时间", clock,
             en ? "SH/SZ" : "沪深", market_word(fetch_market_state_at(FETCH_MARKET_CN, a->now), en),
             en ? "HK" : "港股", market_word(fetch_market_state_at(FETCH_MARKET_HK, a->now), en));
    int x = widget_text_draw(w, 0, 1, "xcdash", 8, tui_attr(a, TUI_HEADER) | A_BOLD, 0) + 2;
    if (a->o->demo)
        x += widget_text_draw(w, 0, x, " DEMO ", 6, tui_attr(a, TUI_DEMO), 0) + 1;
    int rw = widget_text_width(right);
    if (a->cols - rw - 1 > x)
        widget_text_draw(w, 0, a->cols - rw - 1, right, rw, tui_attr(a, TUI_HEADER), 0);
    else
        widget_text_draw(w, 0, x, right, a->cols - x, tui_attr(a, TUI_HEADER), 0);
    wbkgdset(w, ' ');

    char labels[TUI_SCREENS][64];
    const char *lp[TUI_SCREENS];
    tab_labels(a, labels, lp);
    wmove(w, 1, 0);
    wclrtoeol(w);
    if (a->n_views == 0) {
        widget_tabs_draw(w, 1, 0, a->cols, lp, TUI_SCREENS, a->screen, tui_attr(a, TUI_TAB_ACTIVE),
                         tui_attr(a, TUI_TAB));
    } else {
        /* the path taken: screen › view › view; Esc walks back along it */
        char path[1024];
        size_t n = (size_t)snprintf(path, sizeof path, " %s", labels[a->screen]);
        for (int i = 0; i < a->n_views && n < sizeof path; i++)
            n += (size_t)snprintf(path + n, sizeof path - n, " › %s", a->views[i].crumb);
        widget_text_draw(w, 1, 0, path, a->cols, tui_attr(a, TUI_TAB_ACTIVE), 1);
    }
    wnoutrefresh(w);
}

static void draw_status(tui_app *a)
{
    WINDOW *w = a->status;
    werase(w);
    if (a->cmd_active) {
        int x = widget_input_draw(w, 0, 0, a->cols, ":", &a->cmd, tui_attr(a, TUI_NORMAL));
        wmove(w, 0, x);
        curs_set(1);
        wnoutrefresh(w);
        return;
    }
    curs_set(0);
    tui_fetch_state fs;
    pthread_mutex_lock(&a->fs.mu);
    fs = a->fs;
    pthread_mutex_unlock(&a->fs.mu);
    int en = a->cfg.lang_en;
    char left[512] = "", part[256];
    size_t n = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        snprintf(part, sizeof part, __VA_ARGS__);                                                  \
        n += (size_t)snprintf(left + n, n < sizeof left ? sizeof left - n : 0, "%s%s",             \
                              n ? " · " : "", part);                                               \
        if (n >= sizeof left)                                                                      \
            n = sizeof left - 1;                                                                   \
    } while (0)
    if (a->msg[0])
        ADD("%s", a->msg);
    if (fs.error[0])
        ADD("%s", fs.error);
    if (fs.running && fs.total > 0 && fs.done < fs.total)
        ADD(en ? "fetching %zu/%zu" : "抓取中 %zu/%zu", fs.done, fs.total);
    else if (fs.other)
        ADD("%s", en ? "another xcdash fetches; following its updates"
                     : "另一个 xcdash 正在抓取，跟随其更新");
    else if (!fs.running && a->o->no_fetch)
        ADD("%s", en ? "not fetching (--no-fetch)" : "未抓取 (--no-fetch)");
    if (fs.failing > 0)
        ADD(en ? "%d source%s failing" : "%d 个来源失败", fs.failing, fs.failing == 1 ? "" : "s");
    if (fs.last_ok > 0) {
        char when[32];
        tui_fmt_when(when, sizeof when, fs.last_ok, a->now);
        ADD(en ? "updated %s" : "更新于 %s", when);
    }
#undef ADD
    char right[96];
    snprintf(right, sizeof right, "%s%s", a->o->demo ? "DEMO  " : "",
             en ? "? help  q quit" : "? 帮助  q 退出");
    attr_t attr = tui_attr(a, fs.failing > 0 || fs.error[0] ? TUI_ERROR : TUI_STATUS);
    wbkgdset(w, ' ' | tui_attr(a, TUI_STATUS));
    wclrtoeol(w);
    widget_status_draw(w, 0, a->cols, left, right, attr);
    wbkgdset(w, ' ');
    wnoutrefresh(w);
}

/* ---- layout and the loop ---------------------------------------------------- */

static void layout(tui_app *a)
{
    getmaxyx(stdscr, a->rows, a->cols);
    a->small = a->rows < 24 || a->cols < 80;
    if (a->head)
        delwin(a->head), delwin(a->body), delwin(a->status);
    a->head = a->body = a->status = NULL;
    /* Keys are read with wget_wch(stdscr), which refreshes stdscr when it was
     * touched: mark it refreshed now (blank, under the windows) so reading a
     * key never paints over them. */
    werase(stdscr);
    wnoutrefresh(stdscr);
    if (a->small)
        return;
    a->head = newwin(2, a->cols, 0, 0);
    a->body = newwin(a->rows - 3, a->cols, 2, 0);
    a->status = newwin(1, a->cols, a->rows - 1, 0);
    a->dirty |= TUI_DIRTY_ALL;
}

/* Counts the failing sources for the status line. */
static int count_failing(void *ctx, const store_source *s)
{
    int *n = ctx;
    if (s->enabled && s->failures > 0)
        (*n)++;
    return 0;
}

static void reload(tui_app *a)
{
    char *err = NULL;
    int failing = 0;
    if (store_sources_each(a->st, count_failing, &failing, &err) != 0) {
        snprintf(a->msg, sizeof a->msg, "%s", err);
        free(err);
        err = NULL;
    }
    pthread_mutex_lock(&a->fs.mu);
    a->fs.failing = failing;
    pthread_mutex_unlock(&a->fs.mu);
    tui_view *v = top_view(a);
    int rc = v ? (v->ops->load ? v->ops->load(a, v, &err) : 0)
             : a->screen == TUI_SCREEN_OVERVIEW
                 ? tui_overview_load(a, &err)
                 : tui_pillar_load(a, &a->pillars[a->screen - 1], &err);
    if (rc != 0) {
        snprintf(a->msg, sizeof a->msg, "%s", err);
        free(err);
    }
}

static void draw(tui_app *a)
{
    if (a->small) {
        erase();
        const char *m = a->cfg.lang_en ? "terminal too small: xcdash needs at least 80x24"
                                       : "终端太小：xcdash 至少需要 80x24";
        char size[64];
        snprintf(size, sizeof size, "(now %dx%d)", a->cols, a->rows);
        widget_text_draw(stdscr, a->rows / 2, 0, m, a->cols, A_BOLD, 0);
        if (a->rows / 2 + 1 < a->rows)
            widget_text_draw(stdscr, a->rows / 2 + 1, 0, size, a->cols, 0, 0);
        wnoutrefresh(stdscr);
        doupdate();
        a->dirty = 0;
        return;
    }
    if (a->dirty & TUI_DIRTY_DATA)
        reload(a);
    if (a->dirty & TUI_DIRTY_HEAD)
        draw_head(a);
    if (a->dirty & TUI_DIRTY_BODY) {
        werase(a->body);
        widget_rect r = { 0, 0, a->rows - 3, a->cols };
        /* the view in front, and what is beneath a dialog */
        int base = a->n_views - 1;
        while (base >= 0 && a->views[base].ops->overlay)
            base--;
        if (base >= 0)
            a->views[base].ops->draw(a, &a->views[base], a->body, r);
        else if (a->screen == TUI_SCREEN_OVERVIEW)
            tui_overview_draw(a, a->body, r);
        else
            tui_pillar_draw(a, &a->pillars[a->screen - 1], a->body, r);
        for (int i = base + 1; i < a->n_views; i++)
            a->views[i].ops->draw(a, &a->views[i], a->body, r);
        wnoutrefresh(a->body);
    }
    if (a->dirty & TUI_DIRTY_STATUS)
        draw_status(a);
    doupdate();
    a->dirty = 0;
}

static void set_screen(tui_app *a, int s)
{
    pop_all(a);
    if (s == a->screen)
        return;
    a->screen = s;
    a->dirty |= TUI_DIRTY_ALL | TUI_DIRTY_DATA;
}

/* A click on a tab switches screens; in a pillar, a click selects and the wheel scrolls. */
static void on_mouse(tui_app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || a->small)
        return;
    int dir = (ev.bstate & BUTTON4_PRESSED) ? -1 : (ev.bstate & BUTTON5_PRESSED) ? 1 : 0;
    if (dir == 0 && !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return;
    if (ev.y == 1 && dir == 0) {
        char labels[TUI_SCREENS][64];
        const char *lp[TUI_SCREENS];
        tab_labels(a, labels, lp);
        int hit = widget_tabs_hit(lp, TUI_SCREENS, ev.x);
        if (hit >= 0)
            set_screen(a, hit);
        return;
    }
    if (ev.y < 2 || ev.y >= a->rows - 1)
        return;
    tui_view *v = top_view(a);
    if (v ? v->ops->mouse && v->ops->mouse(a, v, ev.y - 2, ev.x, dir)
          : a->screen != TUI_SCREEN_OVERVIEW &&
                tui_pillar_mouse(a, &a->pillars[a->screen - 1], ev.y - 2, ev.x, dir))
        a->dirty |= TUI_DIRTY_BODY;
}

/* A key while the ':' command line is open: edit, Tab completes, Enter runs, Esc cancels. */
static int on_command_key(tui_app *a, tui_key k)
{
    a->dirty |= TUI_DIRTY_STATUS;
    if (!k.fn && k.code == 27) {
        a->cmd_active = 0;
        return 1;
    }
    if (!k.fn && (k.code == '\r' || k.code == '\n')) {
        a->cmd_active = 0;
        char line[sizeof a->cmd.buf];
        snprintf(line, sizeof line, "%s", a->cmd.buf);
        if (tui_command(a, line) > 0)
            return 0; /* :quit */
        a->dirty |= TUI_DIRTY_ALL;
        return 1;
    }
    if (!k.fn && k.code == '\t') {
        tui_command_complete(a, &a->cmd);
        return 1;
    }
    widget_input_key(&a->cmd, k.fn, (wint_t)k.code);
    if (a->cmd.len == 0 && !k.fn && (k.code == 127 || k.code == 8))
        a->cmd_active = 0; /* backspace on an empty line closes it, as in vi */
    return 1;
}

/* Acts on one key; returns 0 to quit. */
static int on_key(tui_app *a, tui_key k)
{
    if (k.fn && k.code == KEY_RESIZE) {
        layout(a);
        a->dirty |= TUI_DIRTY_ALL;
        return 1;
    }
    if (a->msg[0]) {
        a->msg[0] = '\0';
        a->dirty |= TUI_DIRTY_STATUS;
    }
    if (k.fn && k.code == KEY_MOUSE) {
        on_mouse(a);
        return 1;
    }
    if (a->cmd_active)
        return on_command_key(a, k);
    tui_view *v = top_view(a);
    if (v && v->ops->typing && v->ops->typing(v)) {
        if (v->ops->key(a, v, TUI_A_NONE, k) == TUI_KEY_HANDLED) {
            a->dirty |= TUI_DIRTY_BODY;
            return 1;
        }
    }
    tui_action act = tui_key_action(k);
    /* the view's own meaning of a key comes first */
    if (v && v->ops->key(a, v, act, k) == TUI_KEY_HANDLED) {
        a->dirty |= TUI_DIRTY_BODY;
        return 1;
    }
    switch (act) {
    case TUI_A_QUIT:
        return 0;
    case TUI_A_BACK:
        if (a->n_views > 0)
            tui_view_pop(a);
        else if (a->screen == TUI_SCREEN_OVERVIEW)
            return !(k.fn == 0 && k.code == 'q'); /* q quits from the overview; Esc does not */
        else
            set_screen(a, TUI_SCREEN_OVERVIEW);
        return 1;
    case TUI_A_OVERVIEW:
    case TUI_A_PILLAR1:
    case TUI_A_PILLAR2:
    case TUI_A_PILLAR3:
    case TUI_A_PILLAR4:
    case TUI_A_PILLAR5:
        set_screen(a, (int)(act - TUI_A_OVERVIEW));
        return 1;
    case TUI_A_NEXT_SCREEN:
        set_screen(a, (a->screen + 1) % TUI_SCREENS);
        return 1;
    case TUI_A_PREV_SCREEN:
        set_screen(a, (a->screen + TUI_SCREENS - 1) % TUI_SCREENS);
        return 1;
    case TUI_A_REDRAW:
        clearok(curscr, TRUE);
        a->dirty |= TUI_DIRTY_ALL;
        return 1;
    case TUI_A_REFRESH: {
        char *err = NULL;
        if (store_sources_due(a->st, NULL, a->now, &err) != 0) {
            tui_say(a, "%s", err);
            free(err);
        } else {
            tui_say(a, "%s",
                    a->fs.running
                        ? (a->cfg.lang_en ? "refreshing every source now" : "立即刷新全部来源")
                        : (a->cfg.lang_en ? "sources marked due; the fetching process takes them"
                                          : "已标记来源待抓取"));
        }
        return 1;
    }
    case TUI_A_SEARCH:
        tui_open_search(a);
        return 1;
    case TUI_A_WATCHLIST:
        tui_open_watchlist(a);
        return 1;
    case TUI_A_SOURCES:
        tui_open_sources(a);
        return 1;
    case TUI_A_HELP:
        tui_open_help(a);
        return 1;
    case TUI_A_EXPORT:
        tui_open_export(a);
        return 1;
    case TUI_A_COMMAND:
        a->cmd_active = 1;
        widget_input_set(&a->cmd, "");
        a->dirty |= TUI_DIRTY_STATUS;
        return 1;
    default:
        break;
    }
    if (!v && a->screen != TUI_SCREEN_OVERVIEW && !a->small &&
        tui_pillar_key(a, &a->pillars[a->screen - 1], act))
        a->dirty |= TUI_DIRTY_BODY;
    return 1;
}

/* The screen to start on: the configured one, else the one in view at the last exit. */
static void restore_state(tui_app *a)
{
    for (int i = 0; i < 5; i++)
        tui_pillar_restore(a, &a->pillars[i]);
    char *last = NULL;
    const char *want = a->cfg.screen;
    if (want == NULL && store_pref_get(a->st, "ui.screen", &last, NULL) == 0)
        want = last;
    a->screen = TUI_SCREEN_OVERVIEW;
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    for (size_t i = 0; want != NULL && i < np && i < 5; i++)
        if (strcmp(want, pl[i].id) == 0)
            a->screen = (int)i + 1;
    free(last);
}

static void save_state(tui_app *a)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    store_pref_set(a->st, "ui.screen",
                   a->screen == TUI_SCREEN_OVERVIEW ? "overview" : pl[a->screen - 1].id, NULL);
    for (int i = 0; i < 5; i++)
        if (a->pillars[i].n_rows > 0) /* shown at least once */
            tui_pillar_save(a, &a->pillars[i]);
}

static void load_theme(tui_app *a)
{
    char *shipped = xasprintf("%s/../themes", a->o->data_dir);
    char *err = NULL;
    if (tui_theme_load(a->cfg.theme, a->o->config_dir, shipped, NULL, NULL, &a->theme, &err) < 0) {
        snprintf(a->msg, sizeof a->msg, "%s; using dark", err);
        free(err);
        err = NULL;
        if (tui_theme_load("dark", a->o->config_dir, shipped, NULL, NULL, &a->theme, &err) < 0) {
            snprintf(a->msg, sizeof a->msg, "%s", err);
            free(err);
        }
    }
    free(shipped);
}

int tui_run(const tui_opts *o)
{
    tui_app app, *a = &app;
    memset(a, 0, sizeof *a);
    a->o = o;
    pthread_mutex_init(&a->fs.mu, NULL);
    tui_config_read(&a->cfg, o->config_dir);
    char *err = NULL;
    if (tui_open_store(o, &a->st, &err) != 0) {
        fprintf(stderr, "xcdash: %s\n", err);
        free(err);
        tui_config_free(&a->cfg);
        return 1;
    }
    if (store_companies_each(a->st, NULL, collect_name, a, &err) != 0) {
        fprintf(stderr, "xcdash: %s\n", err);
        free(err);
    }
    for (int i = 0; i < 5; i++)
        tui_pillar_init(&a->pillars[i], a, i);
    restore_state(a);
    load_theme(a);
    if (pipe2(a->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "xcdash: cannot make a pipe: %s\n", strerror(errno));
        store_close(a->st);
        tui_config_free(&a->cfg);
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    set_escdelay(25);
    if (initscr() == NULL) {
        fprintf(stderr, "xcdash: cannot start the terminal interface\n");
        return 1;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    const char *nc = getenv("NO_COLOR");
    if (a->theme)
        tui_theme_apply(a->theme, a->cfg.rise_red, nc != NULL && *nc != '\0');
    if (a->cfg.mouse) {
        mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0);
    }
    start_fetch(a);
    a->now = (int64_t)time(NULL);
    a->data_version = store_data_version(a->st);
    layout(a);
    a->dirty = TUI_DIRTY_ALL | TUI_DIRTY_DATA;
    int64_t minute = a->now / 60;
    for (;;) {
        if (a->dirty)
            draw(a);
        if (quit_signal)
            break;
        struct pollfd p[2] = { { 0, POLLIN, 0 }, { a->wake[0], POLLIN, 0 } };
        int rc = poll(p, 2, 1000);
        if (rc < 0 && errno != EINTR)
            break;
        a->now = (int64_t)time(NULL);
        if (rc > 0 && (p[1].revents & POLLIN)) {
            char buf[256];
            while (read(a->wake[0], buf, sizeof buf) > 0) {
            }
            a->dirty |= TUI_DIRTY_STATUS;
            tui_export_poll(a);
        }
        int64_t dv = store_data_version(a->st);
        if (dv != a->data_version) {
            a->data_version = dv;
            a->dirty |= TUI_DIRTY_DATA | TUI_DIRTY_BODY | TUI_DIRTY_STATUS;
        }
        if (a->now / 60 != minute) {
            minute = a->now / 60;
            a->dirty |= TUI_DIRTY_ALL | TUI_DIRTY_DATA; /* clock, market state, ages */
        }
        /* keys (also after EINTR: a resize arrives as KEY_RESIZE) */
        int go = 1;
        wint_t ch;
        int kr;
        while (go && (kr = wget_wch(stdscr, &ch)) != ERR) {
            go = on_key(a, (tui_key){ kr == KEY_CODE_YES, (int)ch });
            /* keys typed ahead act on what the previous key brought up */
            if (go && (a->dirty & TUI_DIRTY_DATA) && !a->small) {
                reload(a);
                a->dirty &= ~(unsigned)TUI_DIRTY_DATA;
            }
        }
        if (!go)
            break;
    }
    stop_fetch(a);
    if (a->export_running) /* an export in flight finishes: its file is whole or absent */
        pthread_join(a->export_thread, NULL);
    endwin();
    pop_all(a);
    save_state(a);
    for (int i = 0; i < 5; i++)
        tui_pillar_free(&a->pillars[i]);
    if (a->head)
        delwin(a->head), delwin(a->body), delwin(a->status);
    close(a->wake[0]);
    close(a->wake[1]);
    free(a->names);
    tui_theme_free(a->theme);
    store_close(a->st);
    tui_config_free(&a->cfg);
    pthread_mutex_destroy(&a->fs.mu);
    if (a->msg[0])
        fprintf(stderr, "xcdash: %s\n", a->msg);
    return 0;
}
