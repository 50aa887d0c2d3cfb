/*
 * private.h — what the tui files share with each other and with their tests
 * but not with the rest of the program.
 *
 * tui.h is the application's interface; a pure helper that a test needs to
 * reach without a terminal is declared here instead, so tui.h keeps only
 * what other modules call.
 */
#ifndef XCDASH_TUI_PRIVATE_H
#define XCDASH_TUI_PRIVATE_H

/* A theme colour: -1 is the terminal's default, 0–255 an xterm palette
 * index, TUI_COLOUR_RGB | 0xRRGGBB a 24-bit colour. */
#define TUI_COLOUR_DEFAULT (-1)
#define TUI_COLOUR_RGB     0x1000000

/*
 * The colour number to give curses for a theme colour on a terminal with
 * `colours` colours (COLORS): the 24-bit value itself when colours >=
 * 2^24 (the basic 0–7 stay, other indexes become their xterm rgb), the
 * nearest xterm index when colours >= 256, else the nearest of the 16 or
 * of the 8 basic colours. -1 (default) stays -1; colours < 8 gives -1.
 */
int tui_theme_colour_to(int colour, int colours);

/* ---- config.c: the "key = value" files (config, themes) ---------------------------------- */

#include <stdio.h>

#include "store/store.h"

/* Applies one "key = value"; NULL on success, else what is wrong (the caller frees it). */
typedef char *(*tui_kv_fn)(void *ctx, const char *key, char *value); /* value may be cut up */
/*
 * Reads "key = value" lines from f ('#' comments, blank lines): each goes to apply; each
 * bad one (no '=', too long, or refused by apply) is reported through warn as
 * "PATH:LINE: what; line ignored" and the rest still applies. expect says what a line
 * should look like. Returns the number of bad lines.
 */
int tui_kv_read(FILE *f, const char *path, const char *expect, tui_kv_fn apply, void *actx,
                store_warn_fn warn, void *ctx);

/* ---- format.c: numbers, times and market rules as the screens show them ---- */

#include <stddef.h>
#include <stdint.h>

/* "—" for a value that is not known (NAN): never a zero that looks like data. */
#define TUI_UNKNOWN "\xe2\x80\x94"

/* A price to the exchange's tick: 2 decimals on SH/SZ/BJ/US, 3 below HK$0.50,
 * 1 from HK$100 (ticks of 0.1 and up). */
void tui_fmt_price(char *dst, size_t n, double v, const char *exchange);
/* A change with sign at the price's precision: "+12.50", "-0.03". */
void tui_fmt_change(char *dst, size_t n, double v, const char *exchange);
/* A percentage with sign and two decimals: "+2.08%", "-10.00%", "0.00%". */
void tui_fmt_pct(char *dst, size_t n, double v);
/* A large amount: 亿 / 万亿 / 万 in Chinese, K / M / B / T in English; to 2 significant decimals.
 */
void tui_fmt_amount(char *dst, size_t n, double v, int lang_en);
/* A count (downloads): "8,512" below 10,000, then like tui_fmt_amount. -1 is unknown. */
void tui_fmt_count(char *dst, size_t n, int64_t v, int lang_en);
/* An age in the largest unit: "45s", "12m", "3h", "2d". */
void tui_fmt_age(char *dst, size_t n, int64_t seconds);
/* A news time in the user's zone: "14:05" today, "11-26 14:05" this year, else "2025-11-26". */
void tui_fmt_when(char *dst, size_t n, int64_t t, int64_t now);
/* The time in Asia/Shanghai (UTC+8, no daylight saving): "2026-11-28 15:04:05". */
void tui_fmt_shanghai(char *dst, size_t n, int64_t t);

/*
 * The daily price limit in percent for a listing: 10 on the main boards, 20
 * on STAR and ChiNext, 30 on Beijing, 5 for ST names (*ST, ST), 0 where
 * there is none (Hong Kong, US).
 */
double tui_limit_pct(const char *exchange, const char *board, const char *name_zh);
/* +1 at the limit up (涨停), -1 at the limit down (跌停), 0 otherwise: the last
 * price against the previous close (last - change) moved by the limit and
 * rounded to the fen, as the exchanges compute it. */
int tui_limit_state(double last, double change, double limit_pct);

/* ---- keys.c: the key map ----------------------------------------------------- */

/* What a key does. The help screen and the command line are generated from
 * tui_actions[], so they can never drift from what the keys do. */
typedef enum tui_action {
    TUI_A_NONE,
    TUI_A_QUIT,
    TUI_A_BACK,
    TUI_A_OVERVIEW,
    TUI_A_PILLAR1,
    TUI_A_PILLAR2,
    TUI_A_PILLAR3,
    TUI_A_PILLAR4,
    TUI_A_PILLAR5,
    TUI_A_NEXT_SCREEN,
    TUI_A_PREV_SCREEN,
    TUI_A_UP,
    TUI_A_DOWN,
    TUI_A_LEFT,
    TUI_A_RIGHT,
    TUI_A_TOP,
    TUI_A_BOTTOM,
    TUI_A_PAGE_UP,
    TUI_A_PAGE_DOWN,
    TUI_A_SORT_NEXT,
    TUI_A_SORT_PREV,
    TUI_A_SORT_INVERT,
    TUI_A_REFRESH,
    TUI_A_REDRAW,
    TUI_A_OPEN,
    TUI_A_SEARCH,
    TUI_A_NEXT_MATCH,
    TUI_A_PREV_MATCH,
    TUI_A_STAR,
    TUI_A_OPEN_LINK,
    TUI_A_EXPORT,
    TUI_A_WATCH,
    TUI_A_WATCHLIST,
    TUI_A_SOURCES,
    TUI_A_HELP,
    TUI_A_COMMAND,
    TUI_A_NEXT_ITEM,
    TUI_A_PREV_ITEM,
    TUI_A_RANGE,
    TUI_A_EDIT,
    TUI_A_COUNT
} tui_action;

typedef struct tui_action_info {
    const char *name; /* as written in the configuration: "page-down" */
    const char *help; /* one line for the help screen */
} tui_action_info;

/* Name and help of every action, indexed by tui_action. */
extern const tui_action_info tui_actions[TUI_A_COUNT];

/* A key as wget_wch gives it: a function key (KEY_*) or a character. */
typedef struct tui_key {
    int fn; /* 1: code is a KEY_* constant */
    int code;
} tui_key;

/* The action bound to a key (TUI_A_NONE when none). */
tui_action tui_key_action(tui_key k);
/* The action named `name` ("page-down"); TUI_A_NONE when unknown. */
tui_action tui_action_parse(const char *name);
/*
 * Binds a key to an action from the configuration ("bind.KEY = ACTION"),
 * replacing the default binding of that key; "none" unbinds it. Returns NULL,
 * or what is wrong (caller frees): an unknown key or action, or a key the
 * configuration already bound to another action.
 */
char *tui_keys_bind(const char *key, const char *action);
/* Back to the default bindings. */
void tui_keys_reset(void);
/* A key's name as the configuration and the help screen write it: "q", "Tab",
 * "S-Tab", "Enter", "Esc", "Up", "PgDn", "C-l", "Space"... */
void tui_key_name(tui_key k, char *dst, size_t n);
/* Parses a key name; 0 on success. */
int tui_key_parse(const char *name, tui_key *out);
/* The keys bound to an action, in binding order: up to max into out; returns the count. */
int tui_action_keys(tui_action a, tui_key *out, int max);

/* ---- the dashboard (app.c, newslist.c, overview.c, pillar.c) ------------------ */

#include <pthread.h>

#include "export/export.h"
#include "tui/tui.h"
#include "widgets/widgets.h"

/*
 * A news list shown through a virtual table: only one window of rows is in
 * memory, fetched by keyset around the rows asked for; a jump far away
 * skips rows through the index (store_news_seek), never reading them.
 */
typedef struct tui_newslist {
    store_news_query q;       /* which list (pillar, company ...); after and limit unused */
    int64_t total;            /* its length */
    int64_t base;             /* row index of page.rows[0] */
    store_cursor base_cursor; /* the cursor just before row `base` */
    store_news_page page;     /* the rows in memory */
    int loaded;
} tui_newslist;

/* Points l at a list and counts it; keeps nothing loaded. */
int tui_newslist_reset(tui_newslist *l, store *st, const store_news_query *q, char **err);
/* Row i of the list, loading a window of about `want` rows around it; NULL past the end. */
const store_news *tui_newslist_row(tui_newslist *l, store *st, int64_t i, int want, char **err);
/* The row index of an item after the list changed, or -1 when it is gone. */
int64_t tui_newslist_find(tui_newslist *l, store *st, int64_t published, int64_t id);
void tui_newslist_free(tui_newslist *l);

/* One company row of a pillar screen, computed when the data changes. */
typedef struct tui_company_row {
    char id[64], name[160], code[24], exchange[8];
    double last, change, pct, cap;
    int has_quote, limit; /* limit: +1 涨停, -1 跌停 */
    int stale;            /* the quote is older than its source's interval */
    int64_t quote_ts, quote_fetched, news24;
    double spark[20];
    int n_spark;
    int watched;
} tui_company_row;

/* The model rows of the models pillar. */
typedef struct tui_model_row {
    char id[64], name[128], lab[128], released[16], company_id[64];
    int64_t downloads, downloads_prev, likes, likes_prev, stats_ts;
} tui_model_row;

enum { TUI_PANEL_COMPANIES, TUI_PANEL_MODELS, TUI_PANEL_NEWS };

/* A pillar screen's state: kept while the program runs (sort, selection, focus). */
typedef struct tui_pillar {
    struct tui_app *app;
    int index; /* into store_pillars() */
    tui_company_row *rows;
    size_t n_rows;
    tui_model_row *models;
    size_t n_models;
    int sort_col, sort_desc;
    widget_table companies, model_table, news_table;
    widget_col shown_cols[12]; /* the companies columns that fit, and which they are */
    int shown[12], n_shown;
    tui_newslist news;
    int news_rows;       /* visible news rows: the window the list keeps around them */
    char want_sel[64];   /* a company to select at the next load (restored state) */
    widget_rect rect[3]; /* where each panel's table was drawn (TUI_PANEL_*), for the mouse */
    int focus;           /* TUI_PANEL_* */
} tui_pillar;

/* The overview's card for one pillar. */
typedef struct tui_card {
    store_pillar_summary sum;
    struct {
        char title[256];
        int64_t published;
    } head[12];
    int n_head;
    int64_t news_fetched; /* newest news fetch time; 0 none */
} tui_card;

enum { TUI_SCREEN_OVERVIEW = 0, TUI_SCREENS = 6 }; /* 1..5: the pillars in order */

/* What the fetch thread tells the interface, under `mu`. */
typedef struct tui_fetch_state {
    pthread_mutex_t mu;
    int running;        /* this process fetches */
    int other;          /* another process holds the cache's fetch lock */
    size_t done, total; /* the current round */
    int failing;        /* sources whose last attempt failed */
    int64_t last_ok;    /* when data last landed */
    char error[256];    /* the engine's own failure, "" none */
} tui_fetch_state;

/* ---- views: screens opened over the overview and pillars -------------------------- */

struct tui_app;
typedef struct tui_view tui_view;

enum { TUI_KEY_IGNORED, TUI_KEY_HANDLED };

typedef struct tui_view_ops {
    const char *name; /* for the breadcrumb: "profile", "news", "search" ... */
    /* (Re)reads what the view shows: when opened and whenever the data changes. */
    int (*load)(struct tui_app *a, tui_view *v, char **err);
    void (*draw)(struct tui_app *a, tui_view *v, WINDOW *w, widget_rect r);
    /* A key: the key map's action (TUI_A_NONE when unbound) and the key itself. Returns
     * TUI_KEY_HANDLED (the body is redrawn) or TUI_KEY_IGNORED (the app's global keys
     * apply). While typing() is true, every key comes here first with act TUI_A_NONE. */
    int (*key)(struct tui_app *a, tui_view *v, tui_action act, tui_key k);
    /* A click (dir 0) or wheel step (dir -1, +1) at body line y; 1 when it changed something.
     * May be NULL. */
    int (*mouse)(struct tui_app *a, tui_view *v, int y, int x, int dir);
    /* Whether the view takes raw text now (a search box, a note being edited). May be NULL. */
    int (*typing)(const tui_view *v);
    void (*free)(tui_view *v);
    int overlay; /* drawn over what is beneath it (a dialog) */
} tui_view_ops;

struct tui_view {
    const tui_view_ops *ops;
    void *st;         /* the view's own state, freed by ops->free */
    char crumb[96];   /* what the breadcrumb says of it: a company's name, "search" ... */
    char company[64]; /* the company the view is about ("" none): the export dialog's scope */
};

#define TUI_VIEW_MAX 32
typedef struct tui_app {
    const tui_opts *o;
    tui_config cfg;
    tui_theme *theme;
    store *st;
    int64_t now;
    int screen;
    int rows, cols, small;
    unsigned dirty; /* TUI_DIRTY_* */
    WINDOW *head, *body, *status;
    int64_t data_version;
    tui_card cards[5];
    tui_pillar pillars[5];
    char (*names)[2][96]; /* company id, display name; sorted by id */
    size_t n_names;
    char msg[256];                /* a message for the status line, until the next key */
    tui_view views[TUI_VIEW_MAX]; /* opened over the screen; the last one shows */
    int n_views;
    widget_input cmd; /* the ':' command line, when cmd_active */
    /* an export running on its own thread (exportdlg.c); its outcome under fs.mu */
    pthread_t export_thread;
    int export_running, export_done;
    char export_msg[512];
    int cmd_active;
    /* the fetch thread */
    pthread_t thread;
    int thread_started;
    volatile int stop;
    int wake[2];
    tui_fetch_state fs;
} tui_app;

#define TUI_DIRTY_HEAD   0x1 /* clock, market state, tabs */
#define TUI_DIRTY_BODY   0x2 /* the screen's panels */
#define TUI_DIRTY_STATUS 0x4
#define TUI_DIRTY_DATA   0x8 /* reload from the store first */
#define TUI_DIRTY_ALL    0x7

/* The attribute of a role in the current theme. */
attr_t tui_attr(const tui_app *a, tui_role r);
/* A table of the screens' usual look: its columns, row source and whether it has the focus. */
void tui_table_setup(tui_app *a, widget_table *t, const widget_col *cols, int n, widget_row_fn row,
                     void *ctx, int focused);
/* A day's change in a count (downloads, likes), signed and coloured; unknown when either
 * side is. */
void tui_trend_cell(widget_cell *c, tui_app *a, int64_t now, int64_t prev);
/* Rise, fall or normal by the sign of v. */
attr_t tui_move_attr(const tui_app *a, double v);
/* A company's display name (Chinese, else English) by id; the id when unknown. */
const char *tui_company_name(const tui_app *a, const char *id);

/* Opens a view over the current screen (loading it first; on failure says why in the status
 * line and frees state). Past TUI_VIEW_MAX the oldest view is dropped. */
void tui_view_push(tui_app *a, const tui_view_ops *ops, void *state, const char *crumb);
/* Closes the top view (Esc walks back along the path taken). */
void tui_view_pop(tui_app *a);
/* Says something on the status line until the next key. */
void tui_say(tui_app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Openers, one per view (profile.c, reader.c, search.c, lists.c). */
void tui_open_company(tui_app *a, const char *id);
/* The reader on row `row` of the news list q (its next and previous items are that list's). */
void tui_open_news(tui_app *a, const store_news_query *q, int64_t row);
void tui_open_search(tui_app *a);
void tui_open_watchlist(tui_app *a);
void tui_open_sources(tui_app *a);
void tui_open_help(tui_app *a);
/* Watches or unwatches a company and says so. */
void tui_toggle_watch(tui_app *a, const char *company_id);
/* Opens an http(s) link with the configured browser command or $BROWSER, as an argv (never
 * a shell); refuses other schemes. Says what happened. */
void tui_open_link(tui_app *a, const char *url);

/* The export dialog (exportdlg.c): scope, format and path, then the export on a thread. */
void tui_open_export(tui_app *a);
/* Starts exporting on a thread with its own read-only connection; says so. 0 or -1 (said). */
int tui_export_start(tui_app *a, const export_opts *o);
/* Called by the loop on a wake-up: reports a finished export and joins its thread. */
void tui_export_poll(tui_app *a);

/* The ':' command line (cmdline.c): runs one command ("sort change", "theme light"...);
 * returns 0, 1 to quit, or -1 with a message said. */
int tui_command(tui_app *a, const char *line);
/* Completes the command line's text in place (Tab). */
void tui_command_complete(tui_app *a, widget_input *in);
/* Applies a theme by name now; 0 or -1 (said). */
int tui_set_theme(tui_app *a, const char *name);
/* Sorts a pillar's companies by a column name ("change%", "cap" ...); 0 or -1. */
int tui_pillar_sort_by(tui_pillar *p, const char *column);
/* Saves / restores a pillar's sort order, selection and focus with the cache (prefs). */
void tui_pillar_save(tui_app *a, tui_pillar *p);
void tui_pillar_restore(tui_app *a, tui_pillar *p);
/* The column names tui_pillar_sort_by takes. */
const char *const *tui_pillar_sort_names(int *n);

/* The overview: reload its cards; draw. */
int tui_overview_load(tui_app *a, char **err);
void tui_overview_draw(tui_app *a, WINDOW *w, widget_rect r);

/* The columns of a company row, as the pillar screens and the watchlist show them. */
enum {
    TUI_CC_NAME,
    TUI_CC_CODE,
    TUI_CC_LAST,
    TUI_CC_CHG,
    TUI_CC_PCT,
    TUI_CC_CAP,
    TUI_CC_SPARK,
    TUI_CC_NEWS,
    TUI_CC_TIME,
    TUI_CC_LIMIT,
    TUI_CC_N
};
/* Fills cells[0..TUI_CC_N) for a company row: coloured by its move, dimmed when stale. */
void tui_company_cells(tui_app *a, const tui_company_row *r, widget_cell *cells);
/* The columns of a news row, as the pillar screens show them (profiles show the first three). */
enum { TUI_NC_TIME, TUI_NC_SOURCE, TUI_NC_TITLE, TUI_NC_TAGS, TUI_NC_N };
/* Fills cells[0..TUI_NC_N) for a news item: time, source, headline (starred, read), tags. */
void tui_news_cells(tui_app *a, const store_news *n, widget_cell *cells);
/* Fills a company row from a company read from the store: names, the listing shown (*shown,
 * NULL when private), quote, daily-limit state, staleness. Not the sparkline or news count. */
void tui_company_row_fill(tui_app *a, const store_company *c, tui_company_row *r,
                          const store_listing **shown);

/* A pillar screen: set up, reload, draw, act on a key; free. */
void tui_pillar_init(tui_pillar *p, struct tui_app *a, int index);
int tui_pillar_load(tui_app *a, tui_pillar *p, char **err);
void tui_pillar_draw(tui_app *a, tui_pillar *p, WINDOW *w, widget_rect r);
/* Returns 1 when the key changed what is shown. */
int tui_pillar_key(tui_app *a, tui_pillar *p, tui_action act);
/* A click (dir 0) or a wheel step (dir -1 up, +1 down) at body line y; returns 1 when it
 * changed what is shown. */
int tui_pillar_mouse(tui_app *a, tui_pillar *p, int y, int x, int dir);
void tui_pillar_free(tui_pillar *p);

#endif
