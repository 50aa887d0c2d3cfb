/*
 * test_cmdline.c — the ':' command line (words, quotes and CJK, unique
 * prefixes, every command, Tab completion and its cycling), the key map's
 * rebinding and key names, and the screens generated from them: the help
 * lists every action with its live keys and every command; the watchlist
 * and the sources screen show what the cache holds.
 *
 * A minimal dashboard is built here without the event loop: a cache with
 * the shipped profiles, the configuration's defaults, a theme applied in an
 * invisible curses screen (newterm on /dev/null), and views drawn into a
 * window that is then read back cell by cell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/support/support.h"
#include "tui/private.h"
#include "tui/tui.h"

typedef struct fx {
    char *dir, *config_dir, *db;
    tui_opts o;
    tui_app a;
    SCREEN *sp;
    FILE *out;
} fx;

/* The short names the dashboard keeps for tags (as app.c reads them at start). */
static int add_name(void *ctx, const store_company *c)
{
    tui_app *a = ctx;
    a->names = xrealloc(a->names, (a->n_names + 1) * sizeof a->names[0]);
    snprintf(a->names[a->n_names][0], 96, "%s", c->id);
    snprintf(a->names[a->n_names][1], 96, "%s", c->name_zh ? c->name_zh : c->name_en);
    a->n_names++;
    return 0;
}

static int setup(void **state)
{
    fx *f = xcalloc(1, sizeof *f);
    f->dir = ts_tmpdir();
    f->config_dir = xasprintf("%s/config", f->dir);
    f->db = xasprintf("%s/cache.db", f->dir);
    mkdir(f->config_dir, 0700);
    f->o = (tui_opts){
        .db = f->db, .config_dir = f->config_dir, .data_dir = ts_data_dir(), .no_fetch = 1
    };
    setenv("HOME", f->dir, 1);
    unsetenv("NO_COLOR");
    setenv("TERM", "xterm-256color", 1);
    f->out = fopen("/dev/null", "w");
    assert_non_null(f->out);
    f->sp = newterm("xterm-256color", f->out, stdin);
    if (f->sp == NULL)
        fail_msg("no terminfo entry for xterm-256color");
    start_color();
    use_default_colors();

    tui_app *a = &f->a;
    a->o = &f->o;
    tui_config_init(&a->cfg);
    a->cfg.lang_en = 1;
    a->st = ts_store(f->dir);
    a->now = (int64_t)time(NULL);
    pthread_mutex_init(&a->fs.mu, NULL);
    if (pipe2(a->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        fail_msg("pipe2 failed");
    for (int i = 0; i < 5; i++)
        tui_pillar_init(&a->pillars[i], a, i);
    char *err = NULL;
    if (store_companies_each(a->st, NULL, add_name, a, &err) != 0)
        fail_msg("%s", err);
    char *shipped = xasprintf("%s/themes", ts_src());
    if (tui_theme_load("dark", f->config_dir, shipped, NULL, NULL, &a->theme, &err) < 0)
        fail_msg("dark theme: %s", err);
    free(shipped);
    tui_theme_apply(a->theme, 1, 0);
    tui_keys_reset();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    while (a->n_views > 0)
        tui_view_pop(a);
    if (a->export_running) {
        pthread_join(a->export_thread, NULL);
        a->export_running = 0;
    }
    for (int i = 0; i < 5; i++)
        tui_pillar_free(&a->pillars[i]);
    tui_theme_free(a->theme);
    free(a->names);
    store_close(a->st);
    tui_config_free(&a->cfg);
    close(a->wake[0]);
    close(a->wake[1]);
    pthread_mutex_destroy(&a->fs.mu);
    endwin();
    delscreen(f->sp);
    fclose(f->out);
    tui_keys_reset();
    ts_rmrf(f->dir);
    free(f->dir), free(f->config_dir), free(f->db);
    free(f);
    return 0;
}

/* Runs a command line: its return value; the message it said is in a->msg. */
static int cmd(tui_app *a, const char *line)
{
    a->msg[0] = '\0';
    return tui_command(a, line);
}

#define assert_said(a, text)                                                                       \
    do {                                                                                           \
        if (strstr((a)->msg, (text)) == NULL)                                                      \
            fail_msg("said '%s', expected '%s' in it", (a)->msg, (text));                          \
    } while (0)

/* Tab on a line: what the line becomes. */
static const char *tab(tui_app *a, widget_input *in, const char *line)
{
    if (line != NULL)
        widget_input_set(in, line);
    tui_command_complete(a, in);
    return in->buf;
}

/* Draws the view in front into a rows x cols window and reads the screen back as UTF-8. */
static char *draw_text(tui_app *a, int rows, int cols)
{
    assert_true(a->n_views > 0);
    WINDOW *w = newwin(rows, cols, 0, 0);
    assert_non_null(w);
    tui_view *v = &a->views[a->n_views - 1];
    v->ops->draw(a, v, w, (widget_rect){ 0, 0, rows, cols });
    core_buf b;
    core_buf_init(&b, 1 << 20);
    for (int y = 0; y < rows; y++) {
        wchar_t line[512];
        int n = mvwinnwstr(w, y, 0, line, cols < 511 ? cols : 511);
        if (n < 0)
            n = 0;
        line[n] = L'\0';
        char mb[2048];
        size_t m = wcstombs(mb, line, sizeof mb - 1);
        if (m == (size_t)-1)
            m = 0;
        mb[m] = '\0';
        core_buf_printf(&b, "%s\n", mb);
    }
    delwin(w);
    return core_buf_take(&b);
}

#define assert_shows(text, want)                                                                   \
    do {                                                                                           \
        if (strstr((text), (want)) == NULL)                                                        \
            fail_msg("'%s' is not on the screen:\n%s", (want), (text));                            \
    } while (0)

/* ---- words ------------------------------------------------------------------------- */

static void test_words_quotes_cjk(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    /* a quoted argument is one word, spaces and all */
    assert_int_equal(cmd(a, "open \"zz yy\""), -1);
    assert_said(a, "no company matches 'zz yy'");
    /* \" and \\ inside quotes */
    assert_int_equal(cmd(a, "open \"zz \\\"yy\\\" \\\\\""), -1);
    assert_said(a, "no company matches 'zz \"yy\" \\'");
    /* CJK words, separated by an ASCII or an ideographic space (U+3000) */
    assert_int_equal(cmd(a, "open 不存在的公司"), -1);
    assert_said(a, "no company matches '不存在的公司'");
    assert_int_equal(cmd(a, "open\xe3\x80\x80不存在"), -1);
    assert_said(a, "no company matches '不存在'");
    /* two words where one is taken: usage */
    assert_int_equal(cmd(a, "open zz yy"), -1);
    assert_said(a, "usage: :open COMPANY");
    assert_int_equal(cmd(a, "open \"zz"), -1);
    assert_said(a, "unterminated quote");
    /* blanks only: nothing to do, nothing said */
    assert_int_equal(cmd(a, "  \t "), 0);
    assert_string_equal(a->msg, "");
    char *long_line = xmalloc(2000);
    memset(long_line, 'x', 1999);
    long_line[1999] = '\0';
    assert_int_equal(cmd(a, long_line), -1);
    assert_said(a, "too long");
    free(long_line);
    assert_int_equal(cmd(a, "a b c d e f g h i"), -1); /* more words than any command takes */
    assert_said(a, "too many words");
}

static void test_prefixes(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    /* unique prefixes, any ASCII case */
    assert_int_equal(cmd(a, "th light"), 0);
    assert_string_equal(tui_theme_name(a->theme), "light");
    assert_int_equal(cmd(a, "THEME dark"), 0);
    assert_string_equal(tui_theme_name(a->theme), "dark");
    /* ambiguous: names both */
    assert_int_equal(cmd(a, "s name"), -1);
    assert_said(a, "ambiguous command 's': sort, source");
    assert_int_equal(cmd(a, "frobnicate"), -1);
    assert_said(a, "unknown command 'frobnicate'");
    assert_int_equal(cmd(a, "寒武纪"), -1);
    assert_said(a, "unknown command '寒武纪'");
    /* quit asks the loop to end, by name or prefix */
    assert_int_equal(cmd(a, "quit"), 1);
    assert_int_equal(cmd(a, " qu "), 1);
    assert_int_equal(cmd(a, "quit now"), -1);
    assert_said(a, "usage: :quit");
    /* missing argument */
    assert_int_equal(cmd(a, "theme"), -1);
    assert_said(a, "usage: :theme NAME");
}

/* ---- completion ---------------------------------------------------------------------- */

static void test_complete_names(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    widget_input in;
    memset(&in, 0, sizeof in);
    assert_string_equal(tab(a, &in, "th"), "theme ");
    assert_string_equal(tab(a, &in, "  TH"), "  theme ");
    assert_string_equal(tab(a, &in, "e"), "export ");
    /* several: the common prefix first, then Tab after Tab cycles through them */
    assert_string_equal(tab(a, &in, "s"), "so");
    assert_string_equal(tab(a, &in, NULL), "sort");
    assert_string_equal(tab(a, &in, NULL), "source");
    assert_string_equal(tab(a, &in, NULL), "sort");
    /* typing something else ends the cycle */
    assert_string_equal(tab(a, &in, "q"), "quit ");
    assert_string_equal(tab(a, &in, "zz"), "zz"); /* nothing to complete: unchanged */
    assert_string_equal(tab(a, &in, "zz a"), "zz a");
    assert_string_equal(tab(a, &in, "quit "), "quit "); /* quit takes nothing */
}

static void test_complete_theme_sort(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    widget_input in;
    memset(&in, 0, sizeof in);
    assert_string_equal(tab(a, &in, "theme l"), "theme light ");
    assert_string_equal(tab(a, &in, "th m"), "th mono ");
    /* every shipped theme, in order, on an empty argument */
    assert_string_equal(tab(a, &in, "theme "), "theme dark");
    assert_string_equal(tab(a, &in, NULL), "theme high-contrast");
    assert_string_equal(tab(a, &in, NULL), "theme light");
    assert_string_equal(tab(a, &in, NULL), "theme mono");
    assert_string_equal(tab(a, &in, NULL), "theme dark");
    /* a user's theme is a candidate too */
    char *dir = xasprintf("%s/themes", f->config_dir);
    mkdir(dir, 0700);
    char *path = xasprintf("%s/zebra.theme", dir);
    ts_write_file(path, "normal = default default\n");
    assert_string_equal(tab(a, &in, "theme z"), "theme zebra ");
    assert_int_equal(cmd(a, "theme zebra"), 0);
    assert_string_equal(tui_theme_name(a->theme), "zebra");
    free(path), free(dir);
    /* sort columns: "change" and "change%" share a prefix */
    assert_string_equal(tab(a, &in, "sort ch"), "sort change");
    assert_string_equal(tab(a, &in, NULL), "sort change%");
    assert_string_equal(tab(a, &in, NULL), "sort change");
    assert_string_equal(tab(a, &in, "sort ca"), "sort cap ");
    assert_string_equal(tab(a, &in, "sort cap x"), "sort cap x"); /* one argument only */
}

static void test_complete_open(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    widget_input in;
    memset(&in, 0, sizeof in);
    assert_string_equal(tab(a, &in, "open 寒"), "open 寒武纪 ");
    assert_string_equal(tab(a, &in, "open 昇"), "open 昇"); /* aliases are not offered */
    assert_string_equal(tab(a, &in, "o loong"), "o loongson");
    assert_string_equal(tab(a, &in, NULL), "o \"Loongson Technology\"");
    /* the id and the English name share "cambricon" in any case: the id first, then the name,
     * quoted because it has a space */
    assert_string_equal(tab(a, &in, "open camb"), "open cambricon");
    assert_string_equal(tab(a, &in, NULL), "open \"Cambricon Technologies\"");
    assert_string_equal(tab(a, &in, NULL), "open cambricon");
    /* inside an open quote */
    assert_string_equal(tab(a, &in, "open \"Moore T"), "open \"Moore Threads\" ");
    /* and the completed line runs */
    assert_int_equal(cmd(a, "open \"Cambricon Technologies\""), 0);
    assert_int_equal(a->n_views, 1);
}

static void test_complete_export_source(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    widget_input in;
    memset(&in, 0, sizeof in);
    assert_string_equal(tab(a, &in, "export x"), "export xlsx ");
    assert_string_equal(tab(a, &in, "export json a"), "export json all");
    assert_string_equal(tab(a, &in, NULL), "export json ascend");
    assert_string_equal(tab(a, &in, "export json al"), "export json all ");
    assert_string_equal(tab(a, &in, "export json asc"), "export json ascend ");
    assert_string_equal(tab(a, &in, "source a"), "source add ");
    assert_string_equal(tab(a, &in, "source add http://x/y f"), "source add http://x/y feed ");
    assert_string_equal(tab(a, &in, "source add http://x/y hn"),
                        "source add http://x/y hn-search ");
    assert_string_equal(tab(a, &in, "source add http://x/y feed le"),
                        "source add http://x/y feed leasing ");
}

/* ---- commands ---------------------------------------------------------------------- */

static void test_theme_command(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    attr_t before = tui_attr(a, TUI_NORMAL);
    a->dirty = 0;
    assert_int_equal(tui_set_theme(a, "light"), 0);
    assert_said(a, "theme light");
    assert_string_equal(a->cfg.theme, "light");
    assert_true((a->dirty & TUI_DIRTY_ALL) == TUI_DIRTY_ALL);
    assert_true(tui_attr(a, TUI_NORMAL) != before); /* other colours, now */
    assert_int_equal(cmd(a, "theme nosuch"), -1);
    assert_said(a, "no theme 'nosuch'");
    assert_string_equal(tui_theme_name(a->theme), "light"); /* the old one stays */
    assert_int_equal(cmd(a, "theme ../../etc/passwd"), -1);
    assert_string_equal(tui_theme_name(a->theme), "light");
    /* a theme with bad lines still applies, and says so */
    char *dir = xasprintf("%s/themes", f->config_dir);
    mkdir(dir, 0700);
    char *path = xasprintf("%s/odd.theme", dir);
    ts_write_file(path, "normal = default default\nbogus = red\n");
    assert_int_equal(cmd(a, "theme odd"), 0);
    assert_said(a, "1 bad line skipped");
    free(path), free(dir);
    /* NO_COLOR: attributes only */
    setenv("NO_COLOR", "1", 1);
    assert_int_equal(cmd(a, "theme dark"), 0);
    assert_int_equal(PAIR_NUMBER(tui_attr(a, TUI_ERROR)), 0);
    unsetenv("NO_COLOR");
}

static void test_sort_command(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    int n;
    const char *const *names = tui_pillar_sort_names(&n);
    a->screen = TUI_SCREEN_OVERVIEW;
    assert_int_equal(cmd(a, "sort name"), -1);
    assert_said(a, "sort works on a pillar screen");
    a->screen = 1;
    char *err = NULL;
    if (tui_pillar_load(a, &a->pillars[0], &err) != 0)
        fail_msg("%s", err);
    assert_int_equal(cmd(a, "sort name"), 0);
    assert_said(a, "sorted by name");
    assert_string_equal(names[a->pillars[0].sort_col], "name");
    /* by name the rows are in order */
    for (size_t i = 1; i < a->pillars[0].n_rows; i++)
        assert_true(strcmp(a->pillars[0].rows[i - 1].name, a->pillars[0].rows[i].name) <= 0);
    assert_int_equal(cmd(a, "sort ca"), 0); /* a unique prefix */
    assert_string_equal(names[a->pillars[0].sort_col], "cap");
    assert_int_equal(cmd(a, "sort change%"), 0);
    assert_string_equal(names[a->pillars[0].sort_col], "change%");
    assert_int_equal(cmd(a, "sort change"), 0); /* exact beats prefix */
    assert_string_equal(names[a->pillars[0].sort_col], "change");
    assert_int_equal(cmd(a, "sort c"), -1);
    assert_said(a, "ambiguous column 'c'");
    assert_int_equal(cmd(a, "sort volume"), -1);
    assert_said(a, "unknown column 'volume': name, code, last");
    assert_string_equal(names[a->pillars[0].sort_col], "change");
}

static void test_source_add(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    int exists = 0;
    assert_int_equal(cmd(a, "source add https://www.Example.com/feed.xml?x=1"), 0);
    assert_said(a, "added source example-com-feed-xml (feed)");
    assert_int_equal(store_source_exists(a->st, "example-com-feed-xml", &exists, NULL), 0);
    assert_true(exists);
    assert_true(a->dirty & TUI_DIRTY_DATA);
    /* the same URL again: a new id, as the command-line tool does */
    assert_int_equal(cmd(a, "source add https://www.Example.com/feed.xml"), 0);
    assert_said(a, "added source example-com-feed-xml-2");
    assert_int_equal(cmd(a, "so add http://x.org/a"), -1);
    assert_said(a, "ambiguous command 'so'");
    assert_int_equal(cmd(a, "sou add https://hn.algolia.com/api/v1/search?query=Ascend hn gpu"),
                     -1);
    assert_said(a, "unknown source kind 'hn'");
    assert_int_equal(cmd(a, "sou add https://hn.algolia.com/api/v1/search?query=Ascend hn-search "
                            "gpu"),
                     0);
    assert_said(a, "(hn-search, gpu)");
    assert_int_equal(cmd(a, "source add http://x.org/a feed mars"), -1);
    assert_said(a, "unknown pillar 'mars'");
    assert_int_equal(cmd(a, "source add javascript:alert(1)"), -1);
    assert_said(a, "neither an http(s) URL nor an existing local file");
    assert_int_equal(cmd(a, "source rm x"), -1);
    assert_said(a, "usage: :source add URL");
    assert_int_equal(cmd(a, "source add"), -1);
    assert_said(a, "usage: :source add URL [KIND [PILLAR]]");
}

static void test_open_command(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    /* by alias (exact), by id in any case, by a unique prefix of a name */
    assert_int_equal(cmd(a, "open 昇腾"), 0);
    assert_int_equal(a->n_views, 1);
    assert_int_equal(cmd(a, "open LOONGSON"), 0);
    assert_int_equal(a->n_views, 2);
    assert_int_equal(cmd(a, "open 寒武"), 0);
    assert_int_equal(a->n_views, 3);
    /* several start so: they are named, nothing opens */
    assert_int_equal(cmd(a, "open kunlun"), -1);
    assert_said(a, "'kunlun' matches 2 companies");
    assert_said(a, "Kunlunxin");
    assert_int_equal(cmd(a, "open 华"), -1);
    assert_said(a, "matches");
    assert_int_equal(a->n_views, 3);
    assert_int_equal(cmd(a, "open nothing-like-this"), -1);
    assert_said(a, "no company matches 'nothing-like-this'");
}

static void test_export_command(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    assert_int_equal(cmd(a, "export pdf"), -1);
    assert_said(a, "unknown format 'pdf'");
    a->screen = TUI_SCREEN_OVERVIEW;
    assert_int_equal(cmd(a, "export json pillar"), -1);
    assert_said(a, "no pillar on screen");
    assert_int_equal(cmd(a, "export json company"), -1);
    assert_said(a, "no company on screen");
    assert_int_equal(cmd(a, "export json sideways x.json"), -1);
    assert_said(a, "unknown scope 'sideways'");
    /* "~/" is the home directory; the export runs on its own thread and says where it wrote */
    assert_int_equal(cmd(a, "ex js gpu ~/snap/gpu.json"), 0);
    assert_said(a, "exporting");
    char *path = xasprintf("%s/snap/gpu.json", f->dir);
    for (int i = 0; i < 500 && a->export_running; i++) {
        struct pollfd p = { a->wake[0], POLLIN, 0 };
        poll(&p, 1, 20);
        tui_export_poll(a);
    }
    assert_false(a->export_running);
    assert_said(a, "wrote");
    size_t len;
    char *json = ts_read_file(path, &len);
    assert_non_null(strstr(json, "\"gpu\""));
    free(json);
    free(path);
}

/* ---- the key map -------------------------------------------------------------------- */

static void test_keys_bind(void **state)
{
    (void)state;
    tui_keys_reset();
    tui_key x = { 0, 'x' }, q = { 0, 'q' }, j = { 0, 'j' };
    assert_int_equal(tui_key_action(x), TUI_A_NONE);
    assert_null(tui_keys_bind("x", "quit"));
    assert_int_equal(tui_key_action(x), TUI_A_QUIT);
    tui_key keys[8];
    int n = tui_action_keys(TUI_A_QUIT, keys, 8);
    assert_int_equal(n, 2); /* Q and x */
    /* "none" unbinds a default key */
    assert_int_equal(tui_key_action(q), TUI_A_BACK);
    assert_null(tui_keys_bind("q", "none"));
    assert_int_equal(tui_key_action(q), TUI_A_NONE);
    /* a default key may take another action */
    assert_null(tui_keys_bind("j", "up"));
    assert_int_equal(tui_key_action(j), TUI_A_UP);
    assert_int_equal(tui_action_keys(TUI_A_DOWN, keys, 8), 1); /* Down alone */
    char *e = tui_keys_bind("y", "fly");
    assert_non_null(e);
    assert_non_null(strstr(e, "unknown action 'fly'"));
    free(e);
    e = tui_keys_bind("Ctrl-Shift-x", "quit");
    assert_non_null(e);
    assert_non_null(strstr(e, "unknown key 'Ctrl-Shift-x'"));
    free(e);
    /* the configuration binding one key twice, to two actions, is a conflict */
    e = tui_keys_bind("x", "help");
    assert_non_null(e);
    assert_non_null(strstr(e, "already bound to 'quit'"));
    free(e);
    assert_int_equal(tui_key_action(x), TUI_A_QUIT);
    assert_null(tui_keys_bind("x", "quit")); /* the same again is no conflict */
    assert_null(tui_keys_bind("F5", "refresh"));
    assert_int_equal(tui_key_action((tui_key){ 1, KEY_F(5) }), TUI_A_REFRESH);
    assert_null(tui_keys_bind("C-r", "refresh"));
    assert_int_equal(tui_key_action((tui_key){ 0, 'r' & 0x1f }), TUI_A_REFRESH);
    tui_keys_reset();
    assert_int_equal(tui_key_action(x), TUI_A_NONE);
    assert_int_equal(tui_key_action(q), TUI_A_BACK);
    assert_int_equal(tui_key_action(j), TUI_A_DOWN);
}

static void test_key_names_round_trip(void **state)
{
    (void)state;
    tui_keys_reset();
    int count = 0;
    for (int act = 1; act < TUI_A_COUNT; act++) {
        tui_key keys[8];
        int n = tui_action_keys((tui_action)act, keys, 8);
        for (int i = 0; i < n; i++) {
            char name[32];
            tui_key back;
            tui_key_name(keys[i], name, sizeof name);
            if (tui_key_parse(name, &back) != 0)
                fail_msg("the key of %s named '%s' does not parse back", tui_actions[act].name,
                         name);
            if (back.fn != keys[i].fn || back.code != keys[i].code)
                fail_msg("'%s' (%s) parses to another key", name, tui_actions[act].name);
            assert_int_equal(tui_key_action(back), act);
            count++;
        }
    }
    assert_true(count >= TUI_A_COUNT - 1);
    /* names the help shows */
    char name[32];
    tui_key_name((tui_key){ 1, KEY_BTAB }, name, sizeof name);
    assert_string_equal(name, "S-Tab");
    tui_key_name((tui_key){ 0, 'l' & 0x1f }, name, sizeof name);
    assert_string_equal(name, "C-l");
    tui_key_name((tui_key){ 1, KEY_F(12) }, name, sizeof name);
    assert_string_equal(name, "F12");
    tui_key k;
    assert_int_equal(tui_key_parse("F12", &k), 0);
    assert_int_equal(k.code, KEY_F(12));
    assert_int_not_equal(tui_key_parse("F13", &k), 0);
    assert_int_not_equal(tui_key_parse("", &k), 0);
    assert_int_not_equal(tui_key_parse("ab", &k), 0);
}

/* ---- the screens -------------------------------------------------------------------- */

static void test_help_screen(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    assert_null(tui_keys_bind("x", "quit"));
    assert_null(tui_keys_bind("E", "none"));
    assert_int_equal(cmd(a, "help"), 0);
    assert_int_equal(a->n_views, 1);
    /* tall enough for everything */
    char *s = draw_text(a, 80, 120);
    for (int i = 1; i < TUI_A_COUNT; i++)
        assert_shows(s, tui_actions[i].name);
    assert_shows(s, "Q x");   /* the rebound key beside the default one */
    assert_shows(s, "S-Tab"); /* named as the configuration writes it */
    assert_shows(s, "PgDn C-f Space");
    assert_shows(s, "(unbound)"); /* edit-note, after bind.E = none */
    assert_shows(s, ":theme");
    assert_shows(s, ":sort");
    assert_shows(s, ":export");
    assert_shows(s, ":source");
    assert_shows(s, "add URL [KIND [PILLAR]]");
    assert_shows(s, ":open");
    assert_shows(s, ":quit");
    free(s);
    /* scrolling: at 10 rows the end comes into view with G */
    tui_view *v = &a->views[0];
    s = draw_text(a, 10, 120);
    assert_null(strstr(s, ":help"));
    free(s);
    assert_int_equal(v->ops->key(a, v, TUI_A_BOTTOM, (tui_key){ 0, 'G' }), TUI_KEY_HANDLED);
    s = draw_text(a, 10, 120);
    assert_shows(s, ":help");
    free(s);
    /* Esc is the app's: the view lets it through */
    assert_int_equal(v->ops->key(a, v, TUI_A_BACK, (tui_key){ 0, 27 }), TUI_KEY_IGNORED);
    assert_int_equal(v->ops->key(a, v, TUI_A_HELP, (tui_key){ 0, '?' }), TUI_KEY_HANDLED);
    /* in Chinese */
    a->cfg.lang_en = 0;
    tui_view_pop(a);
    tui_open_help(a);
    s = draw_text(a, 80, 120);
    assert_shows(s, "按键");
    assert_shows(s, "（未绑定）");
    free(s);
}

static void test_watch_toggle_and_list(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    tui_open_watchlist(a);
    char *s = draw_text(a, 24, 100);
    assert_shows(s, "no companies watched yet: press w on a company");
    free(s);
    tui_view_pop(a);

    a->dirty = 0;
    tui_toggle_watch(a, "cambricon");
    assert_said(a, "watching Cambricon Technologies");
    assert_true(a->dirty & TUI_DIRTY_DATA);
    tui_toggle_watch(a, "smic");
    store_company_detail d;
    int found;
    assert_int_equal(store_company_get(a->st, "cambricon", &d, &found, NULL), 0);
    assert_true(found && d.company.watched);
    store_company_detail_free(&d);
    a->cfg.lang_en = 0;
    tui_toggle_watch(a, "smic");
    assert_said(a, "已取消关注 中芯国际");
    tui_toggle_watch(a, "nosuch");
    assert_said(a, "没有公司 'nosuch'");
    a->cfg.lang_en = 1;

    /* news for the watched company: it shows below the quotes */
    store_source src = { .id = "t",
                         .kind = "feed",
                         .url = "http://127.0.0.1/t",
                         .enabled = 1,
                         .interval_s = 1800,
                         .origin = "user" };
    assert_int_equal(store_source_put(a->st, &src, NULL), 0);
    store_item it = { .guid = "g1", .title = "寒武纪发布思元新品", .published = a->now - 60 };
    store_batch b = { .source_id = "t", .items = &it, .n_items = 1 };
    assert_int_equal(store_write(a->st, &b, NULL, NULL), 0);

    tui_open_watchlist(a);
    assert_int_equal(a->n_views, 1);
    s = draw_text(a, 24, 100);
    assert_shows(s, "Watchlist · 1 companies");
    assert_shows(s, "寒武纪 Cambricon Technologies");
    assert_shows(s, "688256.SH");
    assert_shows(s, "寒武纪发布思元新品");
    assert_null(strstr(s, "中芯国际"));
    free(s);
    /* w on the company unwatches it; the reload shows the hint again */
    tui_view *v = &a->views[0];
    assert_int_equal(v->ops->key(a, v, TUI_A_WATCH, (tui_key){ 0, 'w' }), TUI_KEY_HANDLED);
    assert_said(a, "no longer watching Cambricon Technologies");
    assert_int_equal(v->ops->load(a, v, NULL), 0);
    s = draw_text(a, 24, 100);
    assert_shows(s, "no companies watched yet");
    free(s);
    assert_int_equal(v->ops->key(a, v, TUI_A_BACK, (tui_key){ 0, 'q' }), TUI_KEY_IGNORED);
}

static void test_sources_screen(void **state)
{
    fx *f = *state;
    tui_app *a = &f->a;
    store_source ok = { .id = "good",
                        .kind = "feed",
                        .url = "http://127.0.0.1/ok",
                        .pillar = "gpu",
                        .enabled = 1,
                        .interval_s = 1800,
                        .origin = "user" };
    store_source bad = { .id = "e2e-bad",
                         .kind = "feed",
                         .url = "http://127.0.0.1:1/nothing",
                         .enabled = 1,
                         .interval_s = 1800,
                         .origin = "user" };
    assert_int_equal(store_source_put(a->st, &ok, NULL), 0);
    assert_int_equal(store_source_put(a->st, &bad, NULL), 0);
    store_health h_ok = {
        .ok = 1, .at = a->now - 120, .http_status = 200, .next_due = a->now + 600
    };
    store_batch b = { .source_id = "good", .health = &h_ok };
    assert_int_equal(store_write(a->st, &b, NULL, NULL), 0);
    store_health h_bad = { .ok = 0,
                           .at = a->now - 30,
                           .error = "connection refused \x1b]0;PWNED\x07 by peer",
                           .next_due = a->now - 600 };
    b = (store_batch){ .source_id = "e2e-bad", .health = &h_bad };
    assert_int_equal(store_write(a->st, &b, NULL, NULL), 0);

    tui_open_sources(a);
    char *s = draw_text(a, 24, 120);
    assert_shows(s, "Sources · 2 · 1 failing");
    assert_shows(s, "failing ×1");
    assert_shows(s, "connection refused");
    assert_null(strstr(s, "PWNED\x07"));
    assert_shows(s, "late 10m");
    assert_shows(s, "ok");
    assert_shows(s, "2m ago");
    assert_shows(s, "in 10m");
    free(s);
    /* r makes the selected source due now, and only it */
    tui_view *v = &a->views[0];
    assert_int_equal(v->ops->key(a, v, TUI_A_TOP, (tui_key){ 0, 'g' }), TUI_KEY_HANDLED);
    assert_int_equal(v->ops->key(a, v, TUI_A_DOWN, (tui_key){ 0, 'j' }), TUI_KEY_HANDLED);
    a->msg[0] = '\0';
    assert_int_equal(v->ops->key(a, v, TUI_A_REFRESH, (tui_key){ 0, 'r' }), TUI_KEY_HANDLED);
    assert_said(a, "good marked due");
    assert_int_equal(v->ops->load(a, v, NULL), 0);
    s = draw_text(a, 24, 120);
    assert_shows(s, "now");
    free(s);
    /* Enter: the details, the full error; any key closes them */
    assert_int_equal(v->ops->key(a, v, TUI_A_UP, (tui_key){ 0, 'k' }), TUI_KEY_HANDLED);
    assert_int_equal(v->ops->key(a, v, TUI_A_OPEN, (tui_key){ 0, '\n' }), TUI_KEY_HANDLED);
    s = draw_text(a, 24, 120);
    assert_shows(s, "url: http://127.0.0.1:1/nothing");
    assert_shows(s, "last error:");
    free(s);
    assert_int_equal(v->ops->key(a, v, TUI_A_BACK, (tui_key){ 0, 27 }), TUI_KEY_HANDLED);
    s = draw_text(a, 24, 120);
    assert_null(strstr(s, "last error:"));
    free(s);
    /* at 80 columns every column still shows */
    s = draw_text(a, 24, 80);
    assert_shows(s, "Last error");
    free(s);
    assert_int_equal(v->ops->key(a, v, TUI_A_BACK, (tui_key){ 0, 27 }), TUI_KEY_IGNORED);
}

int main(void)
{
    if (setlocale(LC_ALL, "C.UTF-8") == NULL)
        setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_words_quotes_cjk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefixes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_theme_sort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_export_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_theme_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_command, setup, teardown),
        cmocka_unit_test(test_keys_bind),
        cmocka_unit_test(test_key_names_round_trip),
        cmocka_unit_test_setup_teardown(test_help_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_toggle_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources_screen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
