/*
 * test_theme.c — themes: the shipped files, user themes over shipped ones,
 * bad lines and names, colour mapping, and the pairs made in a real (if
 * invisible) curses screen on 256-colour and 8-colour terminfo entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/support/support.h"
#include "tui/private.h"
#include "tui/tui.h"

#define RGB(v) (TUI_COLOUR_RGB | (v))

/* Warnings collected from a load. */
typedef struct warnings {
    char *msg[16];
    int n;
} warnings;

static void collect(void *ctx, const char *msg)
{
    warnings *w = ctx;
    if (w->n < 16)
        w->msg[w->n] = xstrdup(msg);
    w->n++;
}

static void warnings_free(warnings *w)
{
    for (int i = 0; i < w->n && i < 16; i++)
        free(w->msg[i]);
    w->n = 0;
}

static char *shipped_dir(void)
{
    return xasprintf("%s/themes", ts_src());
}

/* A config directory with themes/NAME.theme holding text. */
static void write_theme(const char *config_dir, const char *name, const char *text)
{
    char *dir = xasprintf("%s/themes", config_dir);
    char *path = xasprintf("%s/%s.theme", dir, name);
    if (access(dir, F_OK) != 0 && mkdir(dir, 0700) != 0)
        fail_msg("mkdir %s failed", dir);
    ts_write_file(path, text);
    free(path);
    free(dir);
}

static tui_theme *load_ok(const char *name, const char *user_dir, warnings *w)
{
    char *shipped = shipped_dir();
    tui_theme *t = NULL;
    char *err = NULL;
    int rc = tui_theme_load(name, user_dir, shipped, collect, w, &t, &err);
    if (rc < 0)
        fail_msg("loading %s: %s", name, err);
    assert_non_null(t);
    assert_int_equal(rc, w->n);
    free(shipped);
    return t;
}

static int has(char **names, size_t n, const char *name)
{
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += strcmp(names[i], name) == 0;
    return count;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- files -------------------------------------------------------------- */

static const char *const roles[] = { "normal",   "dim",          "stale",  "header",
                                     "title",    "border",       "tab",    "tab-active",
                                     "selected", "selected-dim", "status", "error",
                                     "demo",     "accent",       "red",    "green" };

static void test_shipped_themes(void **state)
{
    (void)state;
    char *shipped = shipped_dir();
    size_t n;
    char **names = tui_theme_list(NULL, shipped, &n);
    assert_true(n >= 4);
    const char *const want[] = { "dark", "light", "high-contrast", "mono" };
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(has(names, n, want[i]), 1);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(names[i - 1], names[i]) < 0);

    for (size_t i = 0; i < n; i++) {
        warnings w = { 0 };
        tui_theme *t = load_ok(names[i], NULL, &w);
        if (w.n)
            fail_msg("%s: %s", names[i], w.msg[0]);
        assert_string_equal(tui_theme_name(t), names[i]);
        tui_theme_free(t);

        /* every role given, each on a line of its own */
        char *path = xasprintf("%s/%s.theme", shipped, names[i]);
        size_t len_;
        char *text = ts_read_file(path, &len_);
        for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
            size_t len = strlen(roles[r]);
            int found = 0;
            for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
                if (strncmp(l, roles[r], len) == 0 && (l[len] == ' ' || l[len] == '='))
                    found = 1;
            if (!found)
                fail_msg("%s leaves out %s", path, roles[r]);
        }
        free(text);
        free(path);
    }
    free_list(names, n);
    free(shipped);
}

static void test_user_overrides(void **state)
{
    (void)state;
    char *dir = ts_tmpdir();
    write_theme(dir, "dark", "normal = default default italic\n");
    write_theme(dir, "mine", "normal = red\n");
    write_theme(dir, "bad.name", "normal = red\n"); /* not a name: not listed */

    warnings w = { 0 };
    tui_theme *t = load_ok("dark", dir, &w);
    assert_int_equal(w.n, 0);
    assert_true(tui_theme_attr(t, TUI_NORMAL) & A_ITALIC);
    /* left out of the user's file, so normal's plus the minimum: not shipped dark's */
    assert_int_equal(tui_theme_attr(t, TUI_SELECTED), A_ITALIC | A_REVERSE);
    tui_theme_free(t);

    t = load_ok("light", dir, &w); /* not the user's: shipped */
    assert_false(tui_theme_attr(t, TUI_NORMAL) & A_ITALIC);
    tui_theme_free(t);

    char *shipped = shipped_dir();
    size_t n;
    char **names = tui_theme_list(dir, shipped, &n);
    assert_int_equal(has(names, n, "dark"), 1);
    assert_int_equal(has(names, n, "mine"), 1);
    assert_int_equal(has(names, n, "bad.name"), 0);
    assert_int_equal(has(names, n, "mono"), 1);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(names[i - 1], names[i]) < 0);
    free_list(names, n);

    /* no directories at all: an empty list */
    names = tui_theme_list(NULL, NULL, &n);
    assert_int_equal(n, 0);
    free(names);

    free(shipped);
    ts_rmrf(dir);
    free(dir);
}

/* The example in docs/themes.md is a working theme. */
static void test_docs_example(void **state)
{
    (void)state;
    char *doc = xasprintf("%s/docs/themes.md", ts_src());
    size_t len;
    char *text = ts_read_file(doc, &len);
    char *start = strstr(text, "## Example");
    assert_non_null(start);
    start = strstr(start, "```\n");
    assert_non_null(start);
    start += 4;
    char *end = strstr(start, "```");
    assert_non_null(end);
    *end = '\0';
    char *dir = ts_tmpdir();
    write_theme(dir, "amber", start);
    warnings w = { 0 };
    tui_theme *t = load_ok("amber", dir, &w);
    if (w.n)
        fail_msg("%s", w.msg[0]);
    assert_int_equal(tui_theme_attr(t, TUI_ACCENT), A_UNDERLINE | A_BOLD);
    tui_theme_free(t);
    ts_rmrf(dir);
    free(dir);
    free(text);
    free(doc);
}

static void test_bad_lines(void **state)
{
    (void)state;
    char *dir = ts_tmpdir();
    char *long_line = xmalloc(6000);
    memset(long_line, 'x', 5998);
    memcpy(long_line, "normal = ", 9);
    long_line[5998] = '\n';
    long_line[5999] = '\0';
    char *text = xasprintf("# a comment\n"
                           "\n"
                           "shiny = red\n"                  /* 3: unknown role */
                           "dim = #12345g\n"                /* 4: bad colour */
                           "stale = red default blinking\n" /* 5: unknown attribute */
                           "title = default default italic\n"
                           "header bold\n" /* 7: no '=' */
                           "border =\n"    /* 8: no colour */
                           "tab = 256\n"   /* 9: out of range */
                           "accent = red blue bold underline\n"
                           "error = red sparkly\n" /* 11: neither colour nor attribute */
                           "%s"                    /* 12: too long */
                           "DEMO = Bright-Yellow Black BOLD\n",
                           long_line);
    write_theme(dir, "broken", text);

    warnings w = { 0 };
    tui_theme *t = load_ok("broken", dir, &w);
    assert_int_equal(w.n, 8);
    const int lines[] = { 3, 4, 5, 7, 8, 9, 11, 12 };
    const char *const what[] = { "unknown role 'shiny'",
                                 "bad colour '#12345g'",
                                 "unknown attribute 'blinking'",
                                 "expected",
                                 "needs a colour",
                                 "bad colour '256'",
                                 "'sparkly'",
                                 "longer than" };
    char *path = xasprintf("%s/themes/broken.theme", dir);
    for (int i = 0; i < 8; i++) {
        char *prefix = xasprintf("%s:%d: ", path, lines[i]);
        if (strncmp(w.msg[i], prefix, strlen(prefix)) != 0)
            fail_msg("warning %d is '%s', expected it to start '%s'", i, w.msg[i], prefix);
        assert_non_null(strstr(w.msg[i], what[i]));
        assert_non_null(strstr(w.msg[i], "; line ignored"));
        free(prefix);
    }
    /* the good lines still apply, the bad ones do not */
    assert_true(tui_theme_attr(t, TUI_TITLE) & A_ITALIC);
    assert_int_equal(tui_theme_attr(t, TUI_ACCENT), A_BOLD | A_UNDERLINE);
    assert_int_equal(tui_theme_attr(t, TUI_STALE), A_DIM); /* left out: the minimum */
    assert_int_equal(tui_theme_attr(t, TUI_DEMO), A_BOLD | A_REVERSE);
    tui_theme_free(t);

    warnings_free(&w);
    free(path);
    free(text);
    free(long_line);
    ts_rmrf(dir);
    free(dir);
}

static void test_bad_names(void **state)
{
    (void)state;
    char *dir = ts_tmpdir();
    write_theme(dir, "ok", "normal = red\n");
    char *shipped = shipped_dir();
    char name65[66];
    memset(name65, 'a', 65);
    name65[65] = '\0';
    const char *const bad[] = { "../dark", "themes/ok",  "/etc/passwd", "..",     ".",
                                "",        "dark.theme", "dark ",       "da\nrk", name65 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tui_theme *t = (tui_theme *)1;
        char *err = NULL;
        assert_int_equal(tui_theme_load(bad[i], dir, shipped, NULL, NULL, &t, &err), -1);
        assert_null(t);
        assert_non_null(err);
        assert_non_null(strstr(err, "theme name"));
        free(err);
    }
    /* a good name that is nowhere */
    tui_theme *t = NULL;
    char *err = NULL;
    name65[64] = '\0';
    assert_int_equal(tui_theme_load(name65, dir, shipped, NULL, NULL, &t, &err), -1);
    assert_null(t);
    assert_non_null(strstr(err, "no theme"));
    free(err);
    /* found in the user's directory only */
    assert_true(tui_theme_load("ok", dir, shipped, NULL, NULL, &t, &err) == 0);
    tui_theme_free(t);
    /* no directories */
    err = NULL;
    assert_int_equal(tui_theme_load("dark", NULL, NULL, NULL, NULL, &t, &err), -1);
    free(err);
    free(shipped);
    ts_rmrf(dir);
    free(dir);
}

/* ---- colour mapping ----------------------------------------------------- */

static void test_colour_mapping(void **state)
{
    (void)state;
    /* 256 colours */
    assert_int_equal(tui_theme_colour_to(RGB(0xff0000), 256), 196);
    assert_int_equal(tui_theme_colour_to(RGB(0x808080), 256), 244);
    int grey = tui_theme_colour_to(RGB(0x6b7280), 256);
    assert_true(grey >= 16 && grey <= 255);
    assert_int_equal(tui_theme_colour_to(RGB(0x000000), 256), 16);
    assert_int_equal(tui_theme_colour_to(RGB(0xffffff), 256), 231);
    assert_int_equal(tui_theme_colour_to(RGB(0xef4444), 256), 203);
    assert_int_equal(tui_theme_colour_to(RGB(0x22c55e), 256), 41);
    assert_int_equal(tui_theme_colour_to(1, 256), 1);
    assert_int_equal(tui_theme_colour_to(9, 256), 9);
    assert_int_equal(tui_theme_colour_to(244, 256), 244);
    assert_int_equal(tui_theme_colour_to(TUI_COLOUR_DEFAULT, 256), -1);

    /* 8 colours */
    assert_int_equal(tui_theme_colour_to(RGB(0xff0000), 8), COLOR_RED);
    assert_int_equal(tui_theme_colour_to(RGB(0xef4444), 8), COLOR_RED);
    assert_int_equal(tui_theme_colour_to(RGB(0x22c55e), 8), COLOR_GREEN);
    assert_int_equal(tui_theme_colour_to(RGB(0xc62828), 8), COLOR_RED);
    assert_int_equal(tui_theme_colour_to(RGB(0x2e7d32), 8), COLOR_GREEN);
    assert_int_equal(tui_theme_colour_to(RGB(0x6b7280), 8), COLOR_WHITE);
    assert_int_equal(tui_theme_colour_to(RGB(0x374151), 8), COLOR_BLACK);
    assert_int_equal(tui_theme_colour_to(RGB(0x808080), 8), COLOR_WHITE); /* greys stay grey */
    assert_int_equal(tui_theme_colour_to(RGB(0x808080), 16), 8);
    assert_int_equal(tui_theme_colour_to(RGB(0x00cdcd), 8), COLOR_CYAN);
    assert_int_equal(tui_theme_colour_to(RGB(0x1e40af), 8), COLOR_BLUE);
    assert_int_equal(tui_theme_colour_to(9, 8), COLOR_RED); /* bright-red */
    assert_int_equal(tui_theme_colour_to(15, 8), COLOR_WHITE);
    assert_int_equal(tui_theme_colour_to(196, 8), COLOR_RED);
    assert_int_equal(tui_theme_colour_to(226, 8), COLOR_YELLOW);
    assert_int_equal(tui_theme_colour_to(244, 8), COLOR_WHITE);
    assert_int_equal(tui_theme_colour_to(TUI_COLOUR_DEFAULT, 8), -1);

    /* 16 colours keep the bright ones */
    assert_int_equal(tui_theme_colour_to(9, 16), 9);
    assert_int_equal(tui_theme_colour_to(RGB(0xff0000), 16), 9);
    assert_int_equal(tui_theme_colour_to(RGB(0xcd0000), 16), 1);

    /* direct colour */
    assert_int_equal(tui_theme_colour_to(RGB(0xff0000), 0x1000000), 0xff0000);
    assert_int_equal(tui_theme_colour_to(RGB(0x22c55e), 0x1000000), 0x22c55e);
    assert_int_equal(tui_theme_colour_to(RGB(0x000003), 0x1000000), 8); /* not index 3 */
    assert_int_equal(tui_theme_colour_to(COLOR_RED, 0x1000000), COLOR_RED);
    assert_int_equal(tui_theme_colour_to(9, 0x1000000), 0xff0000);
    assert_int_equal(tui_theme_colour_to(196, 0x1000000), 0xff0000);
    assert_int_equal(tui_theme_colour_to(244, 0x1000000), 0x808080);
    assert_int_equal(tui_theme_colour_to(TUI_COLOUR_DEFAULT, 0x1000000), -1);

    /* no colours */
    assert_int_equal(tui_theme_colour_to(RGB(0xff0000), 0), -1);
    assert_int_equal(tui_theme_colour_to(1, -1), -1);
}

/* ---- curses ------------------------------------------------------------- */

typedef struct screen {
    SCREEN *sp;
    FILE *out;
} screen;

static screen open_screen(const char *term)
{
    screen s;
    setenv("TERM", term, 1);
    s.out = fopen("/dev/null", "w");
    assert_non_null(s.out);
    s.sp = newterm(term, s.out, stdin);
    if (s.sp == NULL)
        fail_msg("no terminfo entry for %s", term);
    start_color();
    use_default_colors();
    return s;
}

static void close_screen(screen *s)
{
    endwin();
    delscreen(s->sp);
    fclose(s->out);
}

/* The colours of a role's pair; -2 each when it has none. */
static void role_colours(const tui_theme *t, tui_role r, int *fg, int *bg)
{
    int pair = (int)PAIR_NUMBER(tui_theme_attr(t, r));
    *fg = *bg = -2;
    if (pair > 0)
        assert_int_equal(extended_pair_content(pair, fg, bg), OK);
}

static void check_market(const tui_theme *t, int rise_fg, int fall_fg)
{
    int fg, bg;
    role_colours(t, TUI_RISE, &fg, &bg);
    assert_int_equal(fg, rise_fg);
    role_colours(t, TUI_FALL, &fg, &bg);
    assert_int_equal(fg, fall_fg);
    role_colours(t, TUI_LIMIT_UP, &fg, &bg);
    assert_int_equal(fg, rise_fg);
    role_colours(t, TUI_LIMIT_DOWN, &fg, &bg);
    assert_int_equal(fg, fall_fg);
    assert_int_equal(tui_theme_attr(t, TUI_LIMIT_UP) & (A_REVERSE | A_BOLD), A_REVERSE | A_BOLD);
    assert_int_equal(tui_theme_attr(t, TUI_LIMIT_DOWN) & (A_REVERSE | A_BOLD), A_REVERSE | A_BOLD);
}

static void check_no_colour(const tui_theme *t)
{
    for (int r = 0; r < TUI_ROLE_COUNT; r++)
        assert_int_equal(PAIR_NUMBER(tui_theme_attr(t, (tui_role)r)), 0);
    assert_true(tui_theme_attr(t, TUI_SELECTED) & A_REVERSE);
    assert_true(tui_theme_attr(t, TUI_TAB_ACTIVE) & A_REVERSE);
    assert_true(tui_theme_attr(t, TUI_DIM) & A_DIM);
    assert_int_equal(tui_theme_attr(t, TUI_RISE), A_BOLD);
    assert_int_equal(tui_theme_attr(t, TUI_FALL), A_UNDERLINE);
}

static void test_apply_256(void **state)
{
    (void)state;
    warnings w = { 0 };
    tui_theme *t = load_ok("dark", NULL, &w);
    screen s = open_screen("xterm-256color");
    assert_int_equal(COLORS, 256);

    int red = tui_theme_colour_to(RGB(0xef4444), 256);
    int green = tui_theme_colour_to(RGB(0x22c55e), 256);
    tui_theme_apply(t, 1, 0);
    check_market(t, red, green);
    int fg, bg;
    role_colours(t, TUI_RISE, &fg, &bg);
    assert_int_equal(bg, -1); /* the terminal's background */
    role_colours(t, TUI_SELECTED, &fg, &bg);
    assert_int_equal(bg, tui_theme_colour_to(RGB(0x1e40af), 256));
    assert_int_equal(PAIR_NUMBER(tui_theme_attr(t, TUI_NORMAL)), 0); /* default on default */

    tui_theme_apply(t, 0, 0); /* rise = green */
    check_market(t, green, red);

    tui_theme_apply(t, 1, 1); /* NO_COLOR */
    check_no_colour(t);
    tui_theme_free(t);

    /* a user theme: rgb, names and numbers as they are; red and green left out */
    char *dir = ts_tmpdir();
    write_theme(dir, "pure", "normal = default black\nred = #ff0000\naccent = bright-green 17\n");
    t = load_ok("pure", dir, &w);
    tui_theme_apply(t, 0, 0);
    check_market(t, COLOR_GREEN, 196); /* green left out: basic green */
    role_colours(t, TUI_RISE, &fg, &bg);
    assert_int_equal(bg, COLOR_BLACK); /* left out: normal's background */
    role_colours(t, TUI_FALL, &fg, &bg);
    assert_int_equal(bg, -1); /* given without one: default */
    role_colours(t, TUI_ACCENT, &fg, &bg);
    assert_int_equal(fg, 10);
    assert_int_equal(bg, 17);
    tui_theme_free(t);

    /* mono on a colour terminal: no pairs, and still legible */
    t = load_ok("mono", NULL, &w);
    tui_theme_apply(t, 1, 0);
    check_no_colour(t);
    tui_theme_free(t);

    close_screen(&s);
    ts_rmrf(dir);
    free(dir);
}

static void test_apply_8(void **state)
{
    (void)state;
    warnings w = { 0 };
    char *dir = ts_tmpdir();
    write_theme(dir, "pure", "red = #ff0000\ngreen = bright-green\nselected = 15 196\n");
    screen s = open_screen("xterm");
    assert_int_equal(COLORS, 8);

    tui_theme *t = load_ok("dark", NULL, &w);
    tui_theme_apply(t, 1, 0);
    check_market(t, COLOR_RED, COLOR_GREEN);
    int fg, bg;
    role_colours(t, TUI_SELECTED, &fg, &bg);
    assert_int_equal(fg, COLOR_WHITE);
    assert_int_equal(bg, COLOR_BLUE);
    tui_theme_apply(t, 0, 0);
    check_market(t, COLOR_GREEN, COLOR_RED);
    tui_theme_apply(t, 1, 1);
    check_no_colour(t);
    tui_theme_free(t);

    t = load_ok("pure", dir, &w);
    tui_theme_apply(t, 1, 0);
    check_market(t, COLOR_RED, COLOR_GREEN); /* bright dropped */
    role_colours(t, TUI_SELECTED, &fg, &bg);
    assert_int_equal(fg, COLOR_WHITE);
    assert_int_equal(bg, COLOR_RED);
    tui_theme_free(t);

    /* every shipped theme applies without a pair going missing */
    char *shipped = shipped_dir();
    size_t n;
    char **names = tui_theme_list(NULL, shipped, &n);
    for (size_t i = 0; i < n; i++) {
        t = load_ok(names[i], NULL, &w);
        tui_theme_apply(t, 1, 0);
        for (int r = 0; r < TUI_ROLE_COUNT; r++) {
            role_colours(t, (tui_role)r, &fg, &bg);
            assert_true(fg < 8 && bg < 8);
        }
        tui_theme_free(t);
    }
    free_list(names, n);
    free(shipped);

    close_screen(&s);
    ts_rmrf(dir);
    free(dir);
}

static void test_no_screen(void **state)
{
    (void)state;
    /* before any curses screen (has_colors() is false): attributes only */
    warnings w = { 0 };
    tui_theme *t = load_ok("high-contrast", NULL, &w);
    tui_theme_apply(t, 1, 0);
    check_no_colour(t);
    assert_int_equal(tui_theme_attr(t, TUI_ROLE_COUNT), A_NORMAL);
    tui_theme_free(t);
}

/* With no theme at all (none could be loaded) every role still draws legibly, no colour. */
static void test_no_theme(void **state)
{
    (void)state;
    assert_true(tui_theme_attr(NULL, TUI_SELECTED) & A_REVERSE);
    assert_true(tui_theme_attr(NULL, TUI_TITLE) & A_BOLD);
    assert_true(tui_theme_attr(NULL, TUI_RISE) & A_BOLD);
    assert_true(tui_theme_attr(NULL, TUI_FALL) & A_UNDERLINE);
    assert_true(tui_theme_attr(NULL, TUI_LIMIT_UP) & A_REVERSE);
    for (int r = 0; r < TUI_ROLE_COUNT; r++)
        assert_int_equal(PAIR_NUMBER(tui_theme_attr(NULL, (tui_role)r)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_themes), cmocka_unit_test(test_user_overrides),
        cmocka_unit_test(test_no_theme),       cmocka_unit_test(test_docs_example),
        cmocka_unit_test(test_bad_lines),      cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_colour_mapping), cmocka_unit_test(test_no_screen),
        cmocka_unit_test(test_apply_256),      cmocka_unit_test(test_apply_8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
