/*
 * config.c — the configuration file, $XDG_CONFIG_HOME/xcdash/config.
 *
 * One "key = value" per line; '#' starts a comment line; blank lines are
 * ignored. Each setting is one row of the table below (name, range, where
 * it goes), so the parser, the checks and docs/config.md stay in step. A
 * bad line is reported with the file and line number and skipped; every
 * other line still applies. "interval.KIND" or "interval.SOURCE-ID" sets a
 * polling interval (the source id wins over its kind).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

typedef struct setting {
    const char *name;
    long min, max;
    size_t off; /* int field in tui_config */
    long scale; /* value multiplied by this (MiB -> bytes) */
} setting;

#define F(field) offsetof(tui_config, fetch.field)
static const setting settings[] = {
    { "fetch.global_limit", 1, 64, F(global_limit), 1 },
    { "fetch.host_limit", 1, 16, F(host_limit), 1 },
    { "fetch.connect_timeout", 1, 300, F(connect_timeout_s), 1 },
    { "fetch.timeout", 1, 3600, F(timeout_s), 1 },
    { "fetch.low_speed_bytes", 0, 1 << 20, F(low_speed_bytes), 1 },
    { "fetch.low_speed_time", 1, 3600, F(low_speed_s), 1 },
    { "fetch.max_redirects", 0, 20, F(max_redirects), 1 },
    { "fetch.backoff_cap", 60, 7 * 86400, F(backoff_cap_s), 1 },
};
#undef F

void tui_config_init(tui_config *c)
{
    memset(c, 0, sizeof *c);
    fetch_config_defaults(&c->fetch);
    c->fetch.interval = tui_config_interval;
    c->fetch.interval_ctx = c;
    c->theme = xstrdup("dark");
    c->rise_red = 1;
    c->mouse = 1;
    const char *lang = getenv("LC_ALL");
    if (lang == NULL || *lang == '\0')
        lang = getenv("LC_MESSAGES");
    if (lang == NULL || *lang == '\0')
        lang = getenv("LANG");
    c->lang_en = !(lang != NULL && strncmp(lang, "zh", 2) == 0);
}

void tui_config_free(tui_config *c)
{
    for (size_t i = 0; i < c->n_intervals; i++)
        free(c->intervals[i].key);
    free(c->intervals);
    free(c->user_agent);
    free(c->theme);
    free(c->browser);
    free(c->screen);
    memset(c, 0, sizeof *c);
}

int tui_config_interval(void *ctx, const char *id, const char *kind, int dflt)
{
    const tui_config *c = ctx;
    int by_kind = 0;
    for (size_t i = 0; i < c->n_intervals; i++) {
        if (strcmp(c->intervals[i].key, id) == 0)
            return c->intervals[i].seconds;
        if (strcmp(c->intervals[i].key, kind) == 0)
            by_kind = c->intervals[i].seconds;
    }
    return by_kind ? by_kind : dflt;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int parse_long(const char *v, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end != '\0' || x < min || x > max)
        return -1;
    *out = x;
    return 0;
}

/* Applies one "key = value"; NULL on success, else what is wrong (static text or formatted). */
static char *apply(tui_config *c, const char *key, const char *value)
{
    long v;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        const setting *s = &settings[i];
        if (strcmp(key, s->name) != 0)
            continue;
        if (parse_long(value, s->min, s->max, &v) != 0)
            return xasprintf("%s takes a whole number from %ld to %ld, not '%s'", key, s->min,
                             s->max, value);
        *(int *)((char *)c + s->off) = (int)(v * s->scale);
        return NULL;
    }
    if (strcmp(key, "fetch.body_cap_mib") == 0) {
        if (parse_long(value, 1, 1024, &v) != 0)
            return xasprintf("%s takes a whole number of MiB from 1 to 1024, not '%s'", key, value);
        c->fetch.body_cap = (size_t)v << 20;
        return NULL;
    }
    if (strcmp(key, "fetch.user_agent") == 0) {
        if (*value == '\0' || strpbrk(value, "\r\n"))
            return xasprintf("%s needs a one-line value", key);
        free(c->user_agent);
        c->user_agent = xstrdup(value);
        c->fetch.user_agent = c->user_agent;
        return NULL;
    }
    /* the dashboard's settings: one word from a fixed list each */
    static const struct choice {
        const char *key, *a, *b; /* value a sets 1, value b sets 0 */
        size_t off;
    } choices[] = {
        { "rise", "red", "green", offsetof(tui_config, rise_red) },
        { "lang", "en", "zh", offsetof(tui_config, lang_en) },
        { "mouse", "on", "off", offsetof(tui_config, mouse) },
    };
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
        const struct choice *ch = &choices[i];
        if (strcmp(key, ch->key) != 0)
            continue;
        if (strcmp(value, ch->a) != 0 && strcmp(value, ch->b) != 0)
            return xasprintf("%s is '%s' or '%s', not '%s'", key, ch->a, ch->b, value);
        *(int *)((char *)c + ch->off) = strcmp(value, ch->a) == 0;
        return NULL;
    }
    if (strcmp(key, "theme") == 0) {
        if (strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                strlen(value) ||
            *value == '\0' || strlen(value) > 64)
            return xasprintf("theme takes a theme name (letters, digits, - and _), not '%s'",
                             value);
        free(c->theme);
        c->theme = xstrdup(value);
        return NULL;
    }
    if (strcmp(key, "screen") == 0) {
        static const char *const screens[] = { "overview", "gpu",     "cpu",
                                               "ascend",   "leasing", "models" };
        for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
            if (strcmp(value, screens[i]) == 0) {
                free(c->screen);
                c->screen = xstrdup(value);
                return NULL;
            }
        }
        return xasprintf("screen is overview, gpu, cpu, ascend, leasing or models, not '%s'",
                         value);
    }
    if (strcmp(key, "browser") == 0) {
        if (*value == '\0' || strpbrk(value, "\r\n"))
            return xasprintf("%s needs a one-line command", key);
        free(c->browser);
        c->browser = xstrdup(value);
        return NULL;
    }
    if (strncmp(key, "bind.", 5) == 0 && key[5])
        return tui_keys_bind(key + 5, value);
    if (strncmp(key, "interval.", 9) == 0 && key[9]) {
        if (parse_long(value, 10, 7 * 86400, &v) != 0)
            return xasprintf("%s takes seconds from 10 to 604800, not '%s'", key, value);
        c->intervals = xrealloc(c->intervals, (c->n_intervals + 1) * sizeof *c->intervals);
        c->intervals[c->n_intervals].key = xstrdup(key + 9);
        c->intervals[c->n_intervals++].seconds = (int)v;
        return NULL;
    }
    return xasprintf("unknown setting '%s'", key);
}

int tui_kv_read(FILE *f, const char *path, const char *expect, tui_kv_fn fn, void *actx,
                store_warn_fn warn, void *ctx)
{
    char line[4096];
    int lineno = 0, bad = 0, continued = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strlen(line);
        int whole = (len > 0 && line[len - 1] == '\n') || feof(f);
        if (continued) { /* the rest of a line already reported as too long */
            continued = !whole;
            continue;
        }
        lineno++;
        char *why = NULL;
        char *s = trim(line);
        if (!whole) {
            why = xasprintf("line longer than %zu bytes", sizeof line - 2);
            continued = 1;
        } else if (*s == '\0' || *s == '#') {
            continue;
        } else {
            char *eq = strchr(s, '=');
            if (eq == NULL) {
                why = xasprintf("expected '%s', got '%.60s'", expect, s);
            } else {
                *eq = '\0';
                why = fn(actx, trim(s), trim(eq + 1));
            }
        }
        if (why != NULL) {
            char *msg = xasprintf("%s:%d: %s; line ignored", path, lineno, why);
            if (warn)
                warn(ctx, msg);
            free(msg);
            free(why);
            bad++;
        }
    }
    return bad;
}

static char *apply_setting(void *c, const char *key, char *value)
{
    return apply(c, key, value);
}

int tui_config_load(tui_config *c, const char *path, store_warn_fn warn, void *ctx)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return errno == ENOENT ? 0 : -1;
    int bad = tui_kv_read(f, path, "key = value", apply_setting, c, warn, ctx);
    fclose(f);
    return bad;
}

static void warn_stderr(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "xcdash: %s\n", msg);
}

void tui_config_read(tui_config *c, const char *config_dir)
{
    tui_config_init(c);
    char *path = xasprintf("%s/config", config_dir);
    if (tui_config_load(c, path, warn_stderr, NULL) < 0)
        fprintf(stderr, "xcdash: warning: cannot read %s: %s\n", path, strerror(errno));
    free(path);
}
