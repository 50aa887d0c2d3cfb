/*
 * tui.h — the xcdash application: command line, subcommands and screens.
 *
 * main.c parses the global options and dispatches; cli.c implements the
 * headless subcommands (companies, company, news, search, sources);
 * preview.c is the interim full-screen view until the live dashboard lands.
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
} tui_config;

/* The defaults. */
void tui_config_init(tui_config *c);
/*
 * Reads a configuration file over c; each bad line is reported through warn
 * ("FILE:LINE: what") and skipped. Returns the number of bad lines; a
 * missing file is 0, an unreadable one -1.
 */
int tui_config_load(tui_config *c, const char *path, store_warn_fn warn, void *ctx);
void tui_config_free(tui_config *c);
/* fetch_config.interval: the configured interval for a source id or kind, else dflt. */
int tui_config_interval(void *ctx, const char *id, const char *kind, int dflt);

/* Opens the cache and brings the curated profiles up to date; prints warnings to stderr. */
int tui_open_store(const tui_opts *o, store **out, char **err);

/* Runs a headless subcommand (argv[0] is its name); returns the exit status. */
int tui_cli(const tui_opts *o, int argc, char **argv);

/* The interim full-screen view: pillars and their companies; returns the exit status. */
int tui_preview(const tui_opts *o);

/* The --help text, also checked against docs/xcdash.1 by the tests. */
extern const char tui_usage[];

#endif
