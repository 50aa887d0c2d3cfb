/*
 * tui.h — the xcdash application: command line, subcommands and screens.
 *
 * main.c parses the global options and dispatches; cli.c implements the
 * headless subcommands (companies, company, news, search, sources);
 * app.c runs the live dashboard with its screens (overview.c, pillar.c).
 */
#ifndef XCDASH_TUI_H
#define XCDASH_TUI_H

#include "fetch/fetch.h"
#include "store/store.h"

/* Global options and the paths they resolve to. */
typedef struct tui_opts {
    const char *db;         /* cache file */
    const char *config_dir; /* user configuration directory */
    const char *data_dir;   /* shipped data (profiles, sources, demo) */
    int demo, no_fetch;
} tui_opts;

/* What the configuration file sets (docs/config.md). */
typedef struct tui_config {
    fetch_config fetch;
    char *user_agent;
    struct {
        char *key; /* a source id or a source kind */
        int seconds;
    } * intervals;
    size_t n_intervals;
    /* the dashboard */
    char *theme;   /* theme name ("dark") */
    int rise_red;  /* 1: a rise is red (the Chinese convention, default); 0: green */
    int lang_en;   /* 1: English labels and K/M/B; 0: Chinese labels and 亿/万 */
    char *browser; /* command for links, split at spaces into an argv; NULL: $BROWSER */
    int mouse;     /* 1: mouse on (default) */
    char *screen;  /* screen at start: "overview" or a pillar id; NULL: the last one */
} tui_config;

/* The defaults (the language from $LC_ALL / $LC_MESSAGES / $LANG: zh* is Chinese). */
void tui_config_init(tui_config *c);
/*
 * Reads a configuration file over c; each bad line is reported through warn
 * ("FILE:LINE: what") and skipped. Returns the number of bad lines; a
 * missing file is 0, an unreadable one -1.
 */
int tui_config_load(tui_config *c, const char *path, store_warn_fn warn, void *ctx);
void tui_config_free(tui_config *c);
/* The defaults, then CONFIG_DIR/config over them; bad lines and an unreadable file are
 * reported on stderr (before the screen is taken) and the rest applies. */
void tui_config_read(tui_config *c, const char *config_dir);
/* fetch_config.interval: the configured interval for a source id or kind, else dflt. */
int tui_config_interval(void *ctx, const char *id, const char *kind, int dflt);

/* Opens the cache and brings the curated profiles up to date; prints warnings to stderr. */
int tui_open_store(const tui_opts *o, store **out, char **err);

/*
 * Adds a source as `xcdash sources add` does (cli.c; the ':source add'
 * command too): url_arg an http(s) or file:// URL or a local file (made an
 * absolute file:// URL), kind one the fetch engine reads, origin "user".
 * With id NULL the id is derived from the URL's host and path ([a-z0-9-],
 * made unique with -2, -3 ...). *id_out and *url_out (each may be NULL) get
 * the id and URL stored; the caller frees them.
 */
int tui_source_add(store *st, const char *url_arg, const char *kind, const char *pillar,
                   const char *id, const char *title, char **id_out, char **url_out, char **err);
/* The i-th source kind the fetch engine reads ("feed", "hf-models" ...); NULL past the last. */
const char *tui_source_kind(size_t i);

/* Runs a headless subcommand (argv[0] is its name); returns the exit status. */
int tui_cli(const tui_opts *o, int argc, char **argv);

/* The live dashboard (app.c); returns the exit status. */
int tui_run(const tui_opts *o);

/* ---- themes (tui/theme.c, themes/NAME.theme, docs/themes.md) --------------- */

#include <curses.h>

/* What a theme colours. RISE and FALL are not set by a theme directly: the
 * theme names its market red and green, and the rise setting picks which
 * one a rise takes (red by default, the Chinese convention). */
typedef enum tui_role {
    TUI_NORMAL,       /* body text */
    TUI_DIM,          /* secondary text: codes, times, sources */
    TUI_STALE,        /* a value older than its source's interval */
    TUI_HEADER,       /* top bar: clock and market state */
    TUI_TITLE,        /* panel titles */
    TUI_BORDER,       /* panel rules and boxes */
    TUI_TAB,          /* inactive tab */
    TUI_TAB_ACTIVE,   /* the active tab */
    TUI_SELECTED,     /* the selected row of the focused panel */
    TUI_SELECTED_DIM, /* the selected row of an unfocused panel */
    TUI_STATUS,       /* status line */
    TUI_ERROR,        /* failing sources, error messages */
    TUI_DEMO,         /* the DEMO badge */
    TUI_ACCENT,       /* highlights: matches, watched marks */
    TUI_RISE,         /* a rise (price up) */
    TUI_FALL,         /* a fall */
    TUI_LIMIT_UP,     /* at the daily limit up (涨停) */
    TUI_LIMIT_DOWN,   /* at the daily limit down (跌停) */
    TUI_ROLE_COUNT
} tui_role;

typedef struct tui_theme tui_theme;

/*
 * Loads theme NAME: user_dir/themes/NAME.theme if present, else
 * shipped_dir/NAME.theme. Each bad line is reported through warn
 * ("FILE:LINE: what") and skipped; roles a file leaves out inherit from
 * "normal". An unknown name or an unreadable file is an error.
 */
int tui_theme_load(const char *name, const char *user_dir, const char *shipped_dir,
                   store_warn_fn warn, void *ctx, tui_theme **out, char **err);
/*
 * Makes the theme's colour pairs for this terminal (call after initscr and
 * start_color): true colour when the terminal has 2^24 colours, else the
 * nearest of 256 or of 8; with no_color (NO_COLOR set) or a terminal without
 * colours, attributes only. rise_red: a rise is red (else green).
 */
void tui_theme_apply(tui_theme *t, int rise_red, int no_color);
/* The curses attribute (pair and attributes) of a role, once applied; with t NULL (no theme
 * could be loaded) the attributes a monochrome terminal gets. */
attr_t tui_theme_attr(const tui_theme *t, tui_role r);
/* The theme's name. */
const char *tui_theme_name(const tui_theme *t);
void tui_theme_free(tui_theme *t);
/* Names of the themes found in user_dir/themes and shipped_dir, sorted, no
 * duplicates; *n set. Free with core's free on each and the array. */
char **tui_theme_list(const char *user_dir, const char *shipped_dir, size_t *n);

/* The --help text, also checked against docs/xcdash.1 by the tests. */
extern const char tui_usage[];

#endif
