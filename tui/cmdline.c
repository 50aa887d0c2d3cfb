/*
 * cmdline.c — the ':' command line, its Tab completion, and the help screen.
 *
 * One static table below is the only place a command exists: its name, its
 * arguments as the help shows them, one line of help, its handler and its
 * completer. tui_command() parses with that table, Tab completes from it,
 * and the help screen lists it beside the key map read from keys.c
 * (tui_actions[] and the live bindings), so neither the help nor the
 * completion can drift from what the commands and keys do. That is also why
 * the help screen lives here and not with the other lists: it reads the
 * table directly.
 *
 * Parsing is a small pure tokenizer: blanks (space, tab, and the
 * ideographic space U+3000 that Chinese input methods type) separate words;
 * "..." keeps spaces in one word, with \" and \\ inside; a command is named
 * by its name or any unique prefix of it ("th" is theme), and so are fixed
 * argument words (sort columns, export formats).
 *
 * Completion replaces the word under the end of the line: the command name
 * first, then each argument from the command's completer. One candidate is
 * taken whole (with a space after it); several give their common prefix
 * first, and when there is no more common prefix, repeated Tabs cycle
 * through them. The cycle is remembered in one static record and continues
 * only while the line is exactly what the last Tab left.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "export/export.h"
#include "tui/private.h"

#define MAX_WORDS 8    /* "source add URL KIND PILLAR" is the longest: 5 */
#define LINE_MAX_ 1024 /* the command line's buffer (widget_input.buf) */

/* ---- words -------------------------------------------------------------------- */

typedef struct words {
    int n;
    char *w[MAX_WORDS];      /* unquoted, into buf */
    size_t start[MAX_WORDS]; /* byte offset of each word in the line (its quote, if any) */
    int open;                /* the last word's quote is not closed */
    int end_blank;           /* the line ends in a blank: a new word would start there */
    char buf[LINE_MAX_ + MAX_WORDS];
} words;

/* Length of the blank at p: ASCII space or tab, or U+3000 IDEOGRAPHIC SPACE; 0 when none. */
static size_t blank_len(const char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
        return 3;
    return 0;
}

/* Splits a line into words; -1 when it is too long, -2 when it has more than MAX_WORDS words. */
static int split(const char *line, words *out)
{
    memset(out, 0, sizeof *out);
    if (strlen(line) >= LINE_MAX_)
        return -1;
    const char *p = line;
    char *o = out->buf;
    for (;;) {
        size_t b;
        while ((b = blank_len(p)) > 0)
            p += b, out->end_blank = 1;
        if (*p == '\0')
            return 0;
        if (out->n == MAX_WORDS)
            return -2;
        out->end_blank = 0;
        out->start[out->n] = (size_t)(p - line);
        out->w[out->n++] = o;
        int quoted = 0;
        while (*p) {
            if (!quoted && blank_len(p) > 0)
                break;
            if (*p == '"') {
                quoted = !quoted;
                p++;
            } else if (quoted && *p == '\\' && (p[1] == '"' || p[1] == '\\')) {
                *o++ = p[1];
                p += 2;
            } else {
                *o++ = *p++;
            }
        }
        *o++ = '\0';
        if (quoted) {
            out->open = 1;
            return 0;
        }
    }
}

/* Whether a word needs quotes to stay one word. */
static int needs_quotes(const char *s)
{
    if (*s == '\0')
        return 1;
    for (const char *p = s; *p; p++)
        if (blank_len(p) > 0 || *p == '"')
            return 1;
    return 0;
}

/* Appends s to dst (size n) as one word: quoted when needed; `close` 0 leaves the quote open. */
static void append_word(char *dst, size_t n, const char *s, int close)
{
    size_t len = strlen(dst);
    if (!needs_quotes(s)) {
        snprintf(dst + len, n - len, "%s", s);
        return;
    }
    if (len + 1 < n)
        dst[len++] = '"';
    for (const char *p = s; *p && len + 2 < n; p++) {
        if (*p == '"' || *p == '\\')
            dst[len++] = '\\';
        dst[len++] = *p;
    }
    if (close && len + 1 < n)
        dst[len++] = '"';
    dst[len] = '\0';
}

/* ---- candidates ------------------------------------------------------------------ */

typedef struct cands {
    char **s;
    size_t n, cap;
} cands;

static void cands_add(cands *c, const char *s)
{
    if (s == NULL || *s == '\0')
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->s[i], s) == 0)
            return;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->s = xrealloc(c->s, c->cap * sizeof *c->s);
    }
    c->s[c->n++] = xstrdup(s);
}

static void cands_free(cands *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->s[i]);
    free(c->s);
    memset(c, 0, sizeof *c);
}

/* Whether s starts with prefix: ASCII letters in any case, other bytes exactly. */
static int has_prefix(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

enum { MATCH_NONE = -1, MATCH_AMBIGUOUS = -2 };

/* The name that word names: itself (in any ASCII case), else the only name it is a prefix of. */
static int match_name(const char *const *names, int n, const char *word)
{
    int found = MATCH_NONE;
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], word) == 0)
            return i;
    for (int i = 0; i < n && *word; i++) {
        if (has_prefix(names[i], word))
            found = found == MATCH_NONE ? i : MATCH_AMBIGUOUS;
    }
    return found;
}

/* names joined with ", " into dst. */
static void join(char *dst, size_t n, const char *const *names, int count)
{
    size_t len = 0;
    dst[0] = '\0';
    for (int i = 0; i < count && len < n; i++)
        len += (size_t)snprintf(dst + len, n - len, "%s%s", i ? ", " : "", names[i]);
}

#define L(en, zh) (a->cfg.lang_en ? (en) : (zh))

/* ---- commands --------------------------------------------------------------------- */

/* A handler: argv[0..argc) are the arguments (the command name is not among them).
 * Returns 0, 1 to quit, or -1 with a message said. */
typedef int (*command_fn)(tui_app *a, int argc, char **argv);
/* Adds the candidates for argument argi, argv[0..argi) being the arguments before it. */
typedef void (*complete_fn)(tui_app *a, int argi, char **argv, cands *c);

typedef struct command {
    const char *name;
    const char *args; /* as the help writes them */
    const char *help;
    int min, max; /* arguments */
    command_fn run;
    complete_fn complete;
} command;

static int cmd_theme(tui_app *a, int argc, char **argv);
static int cmd_sort(tui_app *a, int argc, char **argv);
static int cmd_export(tui_app *a, int argc, char **argv);
static int cmd_source(tui_app *a, int argc, char **argv);
static int cmd_open(tui_app *a, int argc, char **argv);
static int cmd_quit(tui_app *a, int argc, char **argv);
static int cmd_help(tui_app *a, int argc, char **argv);
static void complete_theme(tui_app *a, int argi, char **argv, cands *c);
static void complete_sort(tui_app *a, int argi, char **argv, cands *c);
static void complete_export(tui_app *a, int argi, char **argv, cands *c);
static void complete_source(tui_app *a, int argi, char **argv, cands *c);
static void complete_open(tui_app *a, int argi, char **argv, cands *c);

static const command commands[] = {
    { "theme", "NAME", "switch the colour theme now (dark, light, mono, high-contrast ...)", 1, 1,
      cmd_theme, complete_theme },
    { "sort", "COLUMN", "sort this pillar's companies by a column (name, change%, cap ...)", 1, 1,
      cmd_sort, complete_sort },
    { "export", "FORMAT [SCOPE] [PATH]",
      "export a snapshot as json, csv, md, xlsx or html; SCOPE is all, pillar, company or a "
      "pillar id (default: what is on screen)",
      1, 3, cmd_export, complete_export },
    { "source", "add URL [KIND [PILLAR]]",
      "add a source (kind feed unless given); it is due at once", 2, 4, cmd_source,
      complete_source },
    { "open", "COMPANY", "open a company's profile by id or name", 1, 1, cmd_open, complete_open },
    { "quit", "", "quit xcdash", 0, 0, cmd_quit, NULL },
    { "help", "", "this help", 0, 0, cmd_help, NULL },
};
#define N_COMMANDS ((int)(sizeof commands / sizeof commands[0]))

/* The command a word names; says why not (unknown, ambiguous) when say is set. */
static const command *find_command(tui_app *a, const char *word, int say)
{
    const char *names[N_COMMANDS];
    for (int i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    int i = match_name(names, N_COMMANDS, word);
    if (i >= 0)
        return &commands[i];
    if (!say)
        return NULL;
    if (i == MATCH_AMBIGUOUS) {
        const char *hits[N_COMMANDS];
        int n = 0;
        for (int k = 0; k < N_COMMANDS; k++)
            if (has_prefix(commands[k].name, word))
                hits[n++] = commands[k].name;
        char list[256];
        join(list, sizeof list, hits, n);
        tui_say(a, L("ambiguous command '%s': %s", "命令 '%s' 不明确：%s"), word, list);
    } else {
        tui_say(a, L("unknown command '%s' (:help lists them)", "未知命令 '%s'（:help 列出全部）"),
                word);
    }
    return NULL;
}

int tui_command(tui_app *a, const char *line)
{
    words w;
    int rc = split(line, &w);
    if (rc != 0) {
        tui_say(a, "%s",
                rc == -1 ? L("command too long", "命令过长") : L("too many words", "参数过多"));
        return -1;
    }
    if (w.open) {
        tui_say(a, "%s", L("unterminated quote", "引号未闭合"));
        return -1;
    }
    if (w.n == 0)
        return 0;
    const command *c = find_command(a, w.w[0], 1);
    if (c == NULL)
        return -1;
    int argc = w.n - 1;
    if (argc < c->min || argc > c->max) {
        tui_say(a, L("usage: :%s %s", "用法：:%s %s"), c->name, c->args);
        return -1;
    }
    return c->run(a, argc, w.w + 1);
}

/* ---- theme -------------------------------------------------------------------------- */

typedef struct theme_warn {
    int n;
    char first[160];
} theme_warn;

static void on_theme_warning(void *ctx, const char *msg)
{
    theme_warn *t = ctx;
    if (t->n++ == 0)
        snprintf(t->first, sizeof t->first, "%s", msg);
}

static char *shipped_themes(const tui_app *a)
{
    return xasprintf("%s/../themes", a->o->data_dir);
}

int tui_set_theme(tui_app *a, const char *name)
{
    char *shipped = shipped_themes(a);
    tui_theme *t = NULL;
    char *err = NULL;
    theme_warn tw = { 0, "" };
    int rc = tui_theme_load(name, a->o->config_dir, shipped, on_theme_warning, &tw, &t, &err);
    free(shipped);
    if (rc < 0) {
        tui_say(a, "%s", err);
        free(err);
        return -1;
    }
    const char *nc = getenv("NO_COLOR");
    tui_theme_apply(t, a->cfg.rise_red, nc != NULL && *nc != '\0');
    tui_theme_free(a->theme);
    a->theme = t;
    free(a->cfg.theme);
    a->cfg.theme = xstrdup(tui_theme_name(t));
    a->dirty |= TUI_DIRTY_ALL;
    if (tw.n > 0)
        tui_say(a, L("theme %s (%d bad line%s skipped: %s)", "主题 %s（跳过 %d 行错误%s：%s）"),
                tui_theme_name(t), tw.n, tw.n == 1 ? "" : L("s", ""), tw.first);
    else
        tui_say(a, L("theme %s", "主题 %s"), tui_theme_name(t));
    return 0;
}

static int cmd_theme(tui_app *a, int argc, char **argv)
{
    (void)argc;
    return tui_set_theme(a, argv[0]);
}

static void complete_theme(tui_app *a, int argi, char **argv, cands *c)
{
    (void)argv;
    if (argi != 0)
        return;
    char *shipped = shipped_themes(a);
    size_t n;
    char **names = tui_theme_list(a->o->config_dir, shipped, &n);
    for (size_t i = 0; i < n; i++) {
        cands_add(c, names[i]);
        free(names[i]);
    }
    free(names);
    free(shipped);
}

/* ---- sort ----------------------------------------------------------------------------- */

static int cmd_sort(tui_app *a, int argc, char **argv)
{
    (void)argc;
    if (a->screen < 1 || a->screen > 5) {
        tui_say(a, "%s", L("sort works on a pillar screen (2-6)", "排序只用于板块页面（2-6）"));
        return -1;
    }
    int n;
    const char *const *names = tui_pillar_sort_names(&n);
    int i = match_name(names, n, argv[0]);
    if (i < 0) {
        char list[256];
        join(list, sizeof list, names, n);
        tui_say(a, L("%s column '%s': %s", "%s列 '%s'：%s"),
                i == MATCH_AMBIGUOUS ? L("ambiguous", "不明确的") : L("unknown", "未知的"), argv[0],
                list);
        return -1;
    }
    tui_pillar *p = &a->pillars[a->screen - 1];
    if (tui_pillar_sort_by(p, names[i]) != 0)
        return -1; /* cannot happen: the name came from the same list */
    a->dirty |= TUI_DIRTY_BODY;
    tui_say(a, L("sorted by %s", "按%s排序"), names[i]);
    return 0;
}

static void complete_sort(tui_app *a, int argi, char **argv, cands *c)
{
    (void)a, (void)argv;
    if (argi != 0)
        return;
    int n;
    const char *const *names = tui_pillar_sort_names(&n);
    for (int i = 0; i < n; i++)
        cands_add(c, names[i]);
}

/* ---- export ---------------------------------------------------------------------------- */

static const char *const formats[] = { "json", "csv", "md", "xlsx", "html" };
static const char *const scopes[] = { "all", "pillar", "company" };

/* The pillar id a word names (exactly), or NULL. */
static const char *pillar_id(const char *word)
{
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    for (size_t i = 0; i < np; i++)
        if (strcasecmp(pl[i].id, word) == 0)
            return pl[i].id;
    return NULL;
}

/* The company the views in front are about, nearest first ("" none); as the export dialog. */
static const char *view_company(const tui_app *a)
{
    for (int i = a->n_views - 1; i >= 0; i--)
        if (a->views[i].company[0])
            return a->views[i].company;
    return "";
}

/* "This company" for an explicit company scope: a view's, else the pillar's selected row. */
static const char *this_company(const tui_app *a)
{
    const char *c = view_company(a);
    if (*c || a->n_views > 0 || a->screen < 1 || a->screen > 5)
        return c;
    const tui_pillar *p = &a->pillars[a->screen - 1];
    if (p->focus == TUI_PANEL_COMPANIES && p->companies.sel >= 0 &&
        (size_t)p->companies.sel < p->n_rows)
        return p->rows[p->companies.sel].id;
    return "";
}

static int cmd_export(tui_app *a, int argc, char **argv)
{
    int f = match_name(formats, (int)(sizeof formats / sizeof formats[0]), argv[0]);
    export_format fmt;
    if (f < 0 || export_format_parse(formats[f], &fmt) != 0) {
        tui_say(a,
                L("unknown format '%s': json, csv, md, xlsx or html",
                  "未知格式 '%s'：json、csv、md、xlsx 或 html"),
                argv[0]);
        return -1;
    }
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    const char *pillar = NULL, *company = NULL, *path_arg = NULL;
    int scope = -1; /* index into scopes, 3 a pillar id; -1 what is on screen */
    if (argc >= 2) {
        int s = match_name(scopes, 3, argv[1]);
        if (s >= 0)
            scope = s;
        else if ((pillar = pillar_id(argv[1])) != NULL)
            scope = 3;
        else if (argc == 2)
            path_arg = argv[1]; /* ":export json ~/x.json" */
        else {
            tui_say(a,
                    L("unknown scope '%s': all, pillar, company or a pillar id",
                      "未知范围 '%s'：all、pillar、company 或板块 id"),
                    argv[1]);
            return -1;
        }
    }
    if (argc == 3)
        path_arg = argv[2];
    int on_pillar = a->screen >= 1 && a->screen <= 5 && (size_t)a->screen <= np;
    if (scope == -1) /* what the user looks at: a company, else a pillar, else everything */
        scope = *view_company(a) ? 2 : on_pillar ? 1 : 0;
    if (scope == 1) {
        if (!on_pillar) {
            tui_say(a, "%s", L("no pillar on screen: use all or a pillar id", "当前不是板块页面"));
            return -1;
        }
        pillar = pl[a->screen - 1].id;
    } else if (scope == 2) {
        company = this_company(a);
        if (*company == '\0') {
            tui_say(a, "%s", L("no company on screen: open one first", "当前没有公司：请先打开"));
            return -1;
        }
    }
    char *path;
    if (path_arg == NULL) {
        path = export_default_path(getenv("HOME"), company ? company : pillar, fmt, a->now);
    } else if (strncmp(path_arg, "~/", 2) == 0 && getenv("HOME") && *getenv("HOME")) {
        path = xasprintf("%s/%s", getenv("HOME"), path_arg + 2);
    } else {
        path = xstrdup(path_arg);
    }
    export_opts o = { .format = fmt,
                      .pillar = pillar,
                      .company = company,
                      .path = path,
                      .rise_red = a->cfg.rise_red,
                      .lang_en = a->cfg.lang_en,
                      .demo = a->o->demo,
                      .now = a->now };
    int rc = tui_export_start(a, &o);
    free(path);
    return rc;
}

static void complete_export(tui_app *a, int argi, char **argv, cands *c)
{
    (void)a, (void)argv;
    if (argi == 0) {
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
            cands_add(c, formats[i]);
    } else if (argi == 1) {
        for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++)
            cands_add(c, scopes[i]);
        size_t np;
        const store_pillar *pl = store_pillars(&np);
        for (size_t i = 0; i < np; i++)
            cands_add(c, pl[i].id);
    }
}

/* ---- source add ------------------------------------------------------------------------ */

static int cmd_source(tui_app *a, int argc, char **argv)
{
    if (strcmp(argv[0], "add") != 0) {
        tui_say(a, "%s",
                L("usage: :source add URL [KIND [PILLAR]]", "用法：:source add URL [类型 [板块]]"));
        return -1;
    }
    const char *kind = argc >= 3 ? argv[2] : "feed";
    const char *pillar = NULL;
    if (argc >= 4 && (pillar = pillar_id(argv[3])) == NULL) {
        tui_say(a,
                L("unknown pillar '%s': gpu, cpu, ascend, leasing or models",
                  "未知板块 '%s'：gpu、cpu、ascend、leasing 或 models"),
                argv[3]);
        return -1;
    }
    char *id = NULL, *url = NULL, *err = NULL;
    if (tui_source_add(a->st, argv[1], kind, pillar, NULL, NULL, &id, &url, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return -1;
    }
    tui_say(a, L("added source %s (%s%s%s): %s", "已添加来源 %s（%s%s%s）：%s"), id, kind,
            pillar ? ", " : "", pillar ? pillar : "", url);
    free(id);
    free(url);
    a->dirty |= TUI_DIRTY_DATA | TUI_DIRTY_BODY;
    return 0;
}

static void complete_source(tui_app *a, int argi, char **argv, cands *c)
{
    (void)a, (void)argv;
    if (argi == 0) {
        cands_add(c, "add");
    } else if (argi == 2) {
        const char *k;
        for (size_t i = 0; (k = tui_source_kind(i)) != NULL; i++)
            cands_add(c, k);
    } else if (argi == 3) {
        size_t np;
        const store_pillar *pl = store_pillars(&np);
        for (size_t i = 0; i < np; i++)
            cands_add(c, pl[i].id);
    }
}

/* ---- open ---------------------------------------------------------------------------- */

typedef struct finder {
    const char *q;
    int lang_en;
    char exact[64]; /* a company named exactly q (id, name or alias, any ASCII case) */
    char prefix[64];
    int n_prefix; /* companies whose id or name starts with q */
    char names[4][96];
} finder;

static int alias_is(const char *aliases, const char *q)
{
    size_t qn = strlen(q);
    for (const char *p = aliases; p && *p;) {
        size_t n = strcspn(p, "\t");
        if (n == qn && strncasecmp(p, q, n) == 0)
            return 1;
        p += n;
        if (*p == '\t')
            p++;
    }
    return 0;
}

static int find_company(void *ctx, const store_company *c)
{
    finder *f = ctx;
    if (strcasecmp(c->id, f->q) == 0 || strcasecmp(c->name_en, f->q) == 0 ||
        (c->name_zh && strcmp(c->name_zh, f->q) == 0) || alias_is(c->aliases, f->q)) {
        snprintf(f->exact, sizeof f->exact, "%s", c->id);
        return 1;
    }
    if (has_prefix(c->id, f->q) || has_prefix(c->name_en, f->q) ||
        (c->name_zh && has_prefix(c->name_zh, f->q))) {
        if (f->n_prefix == 0)
            snprintf(f->prefix, sizeof f->prefix, "%s", c->id);
        if (f->n_prefix < 4)
            snprintf(f->names[f->n_prefix], sizeof f->names[0], "%s",
                     c->name_zh && !f->lang_en ? c->name_zh : c->name_en);
        f->n_prefix++;
    }
    return 0;
}

static int cmd_open(tui_app *a, int argc, char **argv)
{
    (void)argc;
    finder f;
    memset(&f, 0, sizeof f);
    f.q = argv[0];
    f.lang_en = a->cfg.lang_en;
    char *err = NULL;
    if (store_companies_each(a->st, NULL, find_company, &f, &err) != 0) {
        tui_say(a, "%s", err);
        free(err);
        return -1;
    }
    if (f.exact[0] || f.n_prefix == 1) {
        tui_open_company(a, f.exact[0] ? f.exact : f.prefix);
        return 0;
    }
    if (f.n_prefix == 0) {
        /* names inside the text: the full-text index over names and aliases */
        store_search_result r;
        if (store_search(a->st, f.q, 5, &r, &err) != 0) {
            tui_say(a, "%s", err);
            free(err);
            return -1;
        }
        if (r.n_companies == 1)
            snprintf(f.exact, sizeof f.exact, "%s", r.companies[0].id);
        for (size_t i = 0; i < r.n_companies && i < 4; i++)
            snprintf(f.names[i], sizeof f.names[0], "%s",
                     r.companies[i].name_zh && !f.lang_en ? r.companies[i].name_zh
                                                          : r.companies[i].name_en);
        f.n_prefix = (int)r.n_companies;
        store_search_result_free(&r);
        if (f.exact[0]) {
            tui_open_company(a, f.exact);
            return 0;
        }
    }
    if (f.n_prefix == 0) {
        tui_say(a, L("no company matches '%s'", "没有匹配 '%s' 的公司"), f.q);
        return -1;
    }
    const char *list[4];
    for (int i = 0; i < 4 && i < f.n_prefix; i++)
        list[i] = f.names[i];
    char joined[400];
    join(joined, sizeof joined, list, f.n_prefix < 4 ? f.n_prefix : 4);
    tui_say(a, L("'%s' matches %d companies: %s%s", "'%s' 匹配 %d 家公司：%s%s"), f.q, f.n_prefix,
            joined, f.n_prefix > 4 ? " …" : "");
    return -1;
}

static int add_company_names(void *ctx, const store_company *c)
{
    cands *cs = ctx;
    cands_add(cs, c->id);
    cands_add(cs, c->name_en);
    cands_add(cs, c->name_zh);
    return 0;
}

static void complete_open(tui_app *a, int argi, char **argv, cands *c)
{
    (void)argv;
    if (argi == 0)
        store_companies_each(a->st, NULL, add_company_names, c, NULL);
}

/* ---- quit, help ------------------------------------------------------------------------ */

static int cmd_quit(tui_app *a, int argc, char **argv)
{
    (void)a, (void)argc, (void)argv;
    return 1; /* the loop quits (an exact "quit" or "q" it catches itself) */
}

static int cmd_help(tui_app *a, int argc, char **argv)
{
    (void)argc, (void)argv;
    tui_open_help(a);
    return 0;
}

/* ---- completion ---------------------------------------------------------------------- */

/* The cycle through several candidates, while the line is what the last Tab left. */
static struct {
    int active;
    char shown[LINE_MAX_]; /* the line as the last Tab left it */
    char base[LINE_MAX_];  /* the line before the word being completed */
    cands c;
    size_t next;
} cycle;

static void set_line(widget_input *in, const char *base, const char *word, int close, int space)
{
    char line[LINE_MAX_];
    snprintf(line, sizeof line, "%s", base);
    append_word(line, sizeof line, word, close);
    if (space && strlen(line) + 1 < sizeof line)
        strcat(line, " ");
    widget_input_set(in, line);
}

/* Whether two bytes are the same, ASCII letters in any case. */
static int same_letter(char x, char y)
{
    unsigned char p = (unsigned char)x, q = (unsigned char)y;
    return p == q || (p < 0x80 && q < 0x80 && tolower(p) == tolower(q));
}

/* Length of the prefix all candidates share (ASCII letters in any case), on a character
 * boundary; the first candidate's spelling is the one shown. */
static size_t common_prefix(const cands *c)
{
    size_t n = strlen(c->s[0]);
    for (size_t i = 1; i < c->n; i++) {
        size_t k = 0;
        while (k < n && c->s[i][k] && same_letter(c->s[i][k], c->s[0][k]))
            k++;
        n = k;
    }
    while (n > 0 && ((unsigned char)c->s[0][n] & 0xC0) == 0x80)
        n--;
    return n;
}

void tui_command_complete(tui_app *a, widget_input *in)
{
    if (cycle.active && strcmp(in->buf, cycle.shown) == 0 && cycle.c.n > 1) {
        set_line(in, cycle.base, cycle.c.s[cycle.next], 1, 0);
        cycle.next = (cycle.next + 1) % cycle.c.n;
        snprintf(cycle.shown, sizeof cycle.shown, "%s", in->buf);
        return;
    }
    cycle.active = 0;
    cands_free(&cycle.c);

    words w;
    if (split(in->buf, &w) != 0)
        return;
    int wi = w.n == 0 || w.end_blank ? w.n : w.n - 1; /* the word being completed */
    const char *word = wi < w.n ? w.w[wi] : "";
    size_t start = wi < w.n ? w.start[wi] : in->len;
    cands all = { 0 };
    if (wi == 0) {
        for (int i = 0; i < N_COMMANDS; i++)
            cands_add(&all, commands[i].name);
    } else {
        const command *c = find_command(a, w.w[0], 0);
        if (c == NULL || c->complete == NULL || wi - 1 >= c->max)
            return;
        c->complete(a, wi - 1, w.w + 1, &all);
    }
    cands hits = { 0 };
    for (size_t i = 0; i < all.n; i++)
        if (has_prefix(all.s[i], word))
            cands_add(&hits, all.s[i]);
    cands_free(&all);
    if (hits.n == 0)
        return;
    char base[LINE_MAX_];
    snprintf(base, sizeof base, "%.*s", (int)start, in->buf);
    if (hits.n == 1) {
        set_line(in, base, hits.s[0], 1, 1);
        cands_free(&hits);
        return;
    }
    size_t cp = common_prefix(&hits);
    if (cp > strlen(word)) {
        char prefix[LINE_MAX_];
        snprintf(prefix, sizeof prefix, "%.*s", (int)cp, hits.s[0]);
        set_line(in, base, prefix, 0, 0);
        cands_free(&hits);
        return;
    }
    /* nothing more in common: Tab after Tab goes through them, from the one after the word
     * when it is one of them already */
    size_t first = 0;
    for (size_t i = 0; i < hits.n; i++)
        if (strcmp(hits.s[i], word) == 0)
            first = (i + 1) % hits.n;
    set_line(in, base, hits.s[first], 1, 0);
    cycle.active = 1;
    cycle.c = hits;
    cycle.next = (first + 1) % hits.n;
    snprintf(cycle.base, sizeof cycle.base, "%s", base);
    snprintf(cycle.shown, sizeof cycle.shown, "%s", in->buf);
}

/* ---- the help screen ---------------------------------------------------------------- */

/* One line of the help: a section title (across the width), or keys / name / what it does. */
typedef struct help_row {
    int title; /* 1: a section title in `what` */
    int unbound;
    char keys[96], name[64], what[256];
} help_row;

typedef struct help_state {
    help_row *rows;
    size_t n, cap;
    long top; /* first row shown */
    int body; /* rows shown at the last draw */
} help_state;

static help_row *help_add(help_state *h)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->rows = xrealloc(h->rows, h->cap * sizeof *h->rows);
    }
    help_row *r = &h->rows[h->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static void help_title(help_state *h, const char *text)
{
    help_row *r = help_add(h);
    r->title = 1;
    snprintf(r->what, sizeof r->what, "%s", text);
}

static int help_load(tui_app *a, tui_view *v, char **err)
{
    (void)err;
    help_state *h = v->st;
    h->n = 0;
    help_title(h, L("Keys · rebind with bind.KEY = ACTION in the configuration file",
                    "按键 · 在配置文件中用 bind.KEY = ACTION 重新绑定"));
    for (int i = 1; i < TUI_A_COUNT; i++) {
        help_row *r = help_add(h);
        tui_key keys[8];
        int nk = tui_action_keys((tui_action)i, keys, 8);
        size_t len = 0;
        for (int k = 0; k < nk && len < sizeof r->keys; k++) {
            char name[32];
            tui_key_name(keys[k], name, sizeof name);
            len +=
                (size_t)snprintf(r->keys + len, sizeof r->keys - len, "%s%s", k ? " " : "", name);
        }
        if (nk == 0) {
            r->unbound = 1;
            snprintf(r->keys, sizeof r->keys, "%s", L("(unbound)", "（未绑定）"));
        }
        snprintf(r->name, sizeof r->name, "%s", tui_actions[i].name);
        snprintf(r->what, sizeof r->what, "%s", tui_actions[i].help);
    }
    help_add(h);
    help_title(h, L("Commands · press : and type one (any unique prefix); Tab completes",
                    "命令 · 按 : 后输入（可用唯一前缀）；Tab 补全"));
    for (int i = 0; i < N_COMMANDS; i++) {
        help_row *r = help_add(h);
        snprintf(r->keys, sizeof r->keys, ":%s", commands[i].name);
        snprintf(r->name, sizeof r->name, "%s", commands[i].args);
        snprintf(r->what, sizeof r->what, "%s", commands[i].help);
    }
    return 0;
}

static void help_draw(tui_app *a, tui_view *v, WINDOW *w, widget_rect r)
{
    help_state *h = v->st;
    static const widget_col cols_en[] = { { "Keys", 14, 0, WIDGET_LEFT },
                                          { "Action / arguments", 24, 0, WIDGET_LEFT },
                                          { "What it does", 20, 1, WIDGET_LEFT } };
    static const widget_col cols_zh[] = { { "按键", 14, 0, WIDGET_LEFT },
                                          { "动作 / 参数", 24, 0, WIDGET_LEFT },
                                          { "说明", 20, 1, WIDGET_LEFT } };
    const widget_col *cols = a->cfg.lang_en ? cols_en : cols_zh;
    int width[3];
    widget_table_layout(cols, 3, r.w, width);
    widget_text_draw(w, r.y, r.x,
                     L("Help · every key and command, read from the key map itself · Esc back",
                       "帮助 · 全部按键与命令，取自按键表本身 · Esc 返回"),
                     r.w, tui_attr(a, TUI_TITLE) | A_BOLD, 1);
    if (r.h < 2)
        return;
    for (int c = 0, x = r.x; c < 3 && width[c] > 0; x += width[c] + 1, c++)
        widget_text_draw(w, r.y + 1, x, cols[c].title, width[c], tui_attr(a, TUI_DIM) | A_BOLD, 0);
    h->body = r.h - 2 > 1 ? r.h - 2 : 1;
    if (h->top > (long)h->n - h->body)
        h->top = (long)h->n - h->body;
    if (h->top < 0)
        h->top = 0;
    for (int i = 0; i < r.h - 2 && h->top + i < (long)h->n; i++) {
        const help_row *row = &h->rows[h->top + i];
        int y = r.y + 2 + i;
        if (row->title) {
            widget_text_draw(w, y, r.x, row->what, r.w, tui_attr(a, TUI_TITLE) | A_BOLD, 0);
            continue;
        }
        const char *text[3] = { row->keys, row->name, row->what };
        attr_t attr[3] = { tui_attr(a, row->unbound ? TUI_DIM : TUI_ACCENT),
                           tui_attr(a, TUI_NORMAL), tui_attr(a, TUI_DIM) };
        for (int c = 0, x = r.x; c < 3 && width[c] > 0; x += width[c] + 1, c++)
            widget_text_draw(w, y, x, text[c], width[c], attr[c], 0);
    }
}

static int help_scroll(help_state *h, long delta)
{
    long top = h->top, max = (long)h->n - h->body;
    long to = delta > 0 && top > LONG_MAX - delta ? LONG_MAX : top + delta;
    if (to > max)
        to = max;
    if (to < 0)
        to = 0;
    h->top = to;
    return to != top;
}

static int help_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    (void)a, (void)k;
    help_state *h = v->st;
    switch (act) {
    case TUI_A_UP:
        help_scroll(h, -1);
        return TUI_KEY_HANDLED;
    case TUI_A_DOWN:
        help_scroll(h, 1);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_UP:
        help_scroll(h, -h->body);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_DOWN:
        help_scroll(h, h->body);
        return TUI_KEY_HANDLED;
    case TUI_A_TOP:
        help_scroll(h, -(long)h->n);
        return TUI_KEY_HANDLED;
    case TUI_A_BOTTOM:
        help_scroll(h, (long)h->n);
        return TUI_KEY_HANDLED;
    case TUI_A_HELP:
        return TUI_KEY_HANDLED; /* already here: not a second help over this one */
    default:
        return TUI_KEY_IGNORED;
    }
}

static int help_mouse(tui_app *a, tui_view *v, int y, int x, int dir)
{
    (void)a, (void)y, (void)x;
    return dir != 0 && help_scroll(v->st, 3L * dir);
}

static void help_free(tui_view *v)
{
    help_state *h = v->st;
    if (h == NULL)
        return;
    free(h->rows);
    free(h);
    v->st = NULL;
}

static const tui_view_ops help_ops = {
    .name = "help",
    .load = help_load,
    .draw = help_draw,
    .key = help_key,
    .mouse = help_mouse,
    .free = help_free,
};

void tui_open_help(tui_app *a)
{
    tui_view_push(a, &help_ops, xcalloc(1, sizeof(help_state)), L("help", "帮助"));
}
