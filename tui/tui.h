/*
 * tui.h — the xcdash application: command line, subcommands and screens.
 *
 * main.c parses the global options and dispatches; cli.c implements the
 * headless subcommands (companies, company, news, search, sources);
 * preview.c is the interim full-screen view until the live dashboard lands.
 */
#ifndef XCDASH_TUI_H
#define XCDASH_TUI_H

#include "store/store.h"

/* Global options and the paths they resolve to. */
typedef struct tui_opts {
    const char *db;         /* cache file */
    const char *config_dir; /* user configuration directory */
    const char *data_dir;   /* shipped data (profiles, sources, demo) */
    int demo, no_fetch;
} tui_opts;

/* Opens the cache and brings the curated profiles up to date; prints warnings to stderr. */
int tui_open_store(const tui_opts *o, store **out, char **err);

/* Runs a headless subcommand (argv[0] is its name); returns the exit status. */
int tui_cli(const tui_opts *o, int argc, char **argv);

/* The interim full-screen view: pillars and their companies; returns the exit status. */
int tui_preview(const tui_opts *o);

/* The --help text, also checked against docs/xcdash.1 by the tests. */
extern const char tui_usage[];

#endif
