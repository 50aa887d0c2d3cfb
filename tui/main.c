/*
 * main.c — xcdash's entry: global options, paths, dispatch.
 *
 * Global options come before the subcommand and apply to all of them. The
 * cache is --db, else $XCDASH_DB, else $XDG_DATA_HOME/xcdash/xcdash.db;
 * --demo has its own cache (demo.db) so demo data never mixes with real data.
 * Shipped data is found at $XCDASH_DATA_DIR, next to the binary (a build
 * tree), or in the installed share directory.
 */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "tui/tui.h"

const char tui_usage[] =
    "usage: xcdash [--db PATH] [--config DIR] [--demo] [--no-fetch]     the dashboard\n"
    "       xcdash fetch [--once] [--source ID]...                       fetch headless\n"
    "       xcdash sources [--json]                                      sources and their health\n"
    "       xcdash sources add URL --kind KIND [--pillar P] [--id ID]\n"
    "       xcdash sources rm ID | import-opml FILE | export-opml [-o FILE]\n"
    "       xcdash news [--pillar P] [--company ID] [--limit N] [--json]\n"
    "       xcdash search QUERY [--limit N] [--json]\n"
    "       xcdash companies [--pillar P] [--json]\n"
    "       xcdash company ID [--json]\n"
    "       xcdash export --format json|csv|md|xlsx|html [--pillar P | --company ID]\n"
    "                     [--table T] [--bom] [-o FILE] [--force]     a snapshot to a file\n"
    "       xcdash --help | --version\n"
    "\n"
    "global options:\n"
    "  --db PATH      cache file (default $XCDASH_DB, else $XDG_DATA_HOME/xcdash/xcdash.db)\n"
    "  --config DIR   configuration directory (default $XDG_CONFIG_HOME/xcdash)\n"
    "  --demo         bundled offline demo sources and their own cache (demo.db)\n"
    "  --no-fetch     show the cache without fetching\n"
    "\n"
    "pillars: gpu cpu ascend leasing models\n"
    "source kinds: feed hf-models eastmoney-quotes eastmoney-kline yahoo-chart hn-search\n";

static char *xdg_dir(const char *var, const char *fallback)
{
    const char *v = getenv(var);
    if (v != NULL && v[0] == '/')
        return xasprintf("%s/xcdash", v);
    const char *home = getenv("HOME");
    return xasprintf("%s/%s/xcdash", home && *home ? home : ".", fallback);
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* $XCDASH_DATA_DIR, else data/ beside the executable or in its ../share, else the
 * directory compiled in. */
static char *find_data_dir(void)
{
    const char *env = getenv("XCDASH_DATA_DIR");
    if (env != NULL && *env)
        return xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            /* a build tree (data/ beside the binary), or an install (../share/xcdash/data) */
            char *d = xasprintf("%s/data", exe);
            if (is_dir(d))
                return d;
            free(d);
            d = xasprintf("%s/../share/xcdash/data", exe);
            if (is_dir(d))
                return d;
            free(d);
        }
    }
    return xstrdup(XCDASH_DATADIR "/data");
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "xcdash: %s '%s'\nTry 'xcdash --help'.\n", what, arg);
    return 2;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* process-wide library state, before any thread starts */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    xmlInitParser();
    tui_opts o = { 0 };
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(tui_usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("xcdash %s\n", XCDASH_VERSION);
            return 0;
        } else if (strcmp(a, "--demo") == 0) {
            o.demo = 1;
        } else if (strcmp(a, "--no-fetch") == 0) {
            o.no_fetch = 1;
        } else if (strcmp(a, "--db") == 0 || strcmp(a, "--config") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0')
                return usage_error("a value is needed after", a);
            if (a[2] == 'd')
                o.db = argv[++i];
            else
                o.config_dir = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0 && a[5]) {
            o.db = a + 5;
        } else if (strncmp(a, "--config=", 9) == 0 && a[9]) {
            o.config_dir = a + 9;
        } else {
            return usage_error("unknown option", a);
        }
    }

    char *data_home = xdg_dir("XDG_DATA_HOME", ".local/share");
    char *config = o.config_dir ? NULL : xdg_dir("XDG_CONFIG_HOME", ".config");
    char *db = NULL;
    char *data_dir = find_data_dir();
    if (o.db == NULL) {
        const char *env = getenv("XCDASH_DB");
        if (o.demo)
            db = xasprintf("%s/demo.db", data_home);
        else if (env != NULL && *env)
            db = xstrdup(env);
        else
            db = xasprintf("%s/xcdash.db", data_home);
        o.db = db;
    }
    if (config != NULL)
        o.config_dir = config;
    o.data_dir = data_dir;

    int rc = i < argc ? tui_cli(&o, argc - i, argv + i) : tui_run(&o);
    free(data_home);
    free(config);
    free(db);
    free(data_dir);
    xmlCleanupParser();
    curl_global_cleanup();
    return rc;
}
