/*
 * reader.c — the news reader, and opening links in the user's browser.
 *
 * The reader shows one item of a news list: the list it was opened from (a
 * pillar's news, a company's timeline, a search hit's pillar) is kept as a
 * tui_newslist, so J and K step to the neighbouring items in place without
 * going back, and a reload (new data) finds the item again by its keyset
 * position (store_news_rank) even when news arriving above it shifted its
 * row. Only the item on screen is copied out of the list's window, into a
 * small arena owned by the reader. Opening an item marks it read; `s` stars
 * it. The companies it is tagged with are a row of chips: Left/Right pick
 * one, Enter opens its profile.
 *
 * Links. Everything in an item came from the network, and a link is the
 * one thing handed to another program, so tui_open_link is strict: only
 * http:// and https:// followed by a host, no spaces or control bytes; any
 * other scheme (javascript:, file:, data: ...) is refused with the reason on
 * the status line. The browser command (the configured one, else $BROWSER)
 * is split at blanks into an argv and started with posix_spawnp — never a
 * shell, so nothing in a URL is ever interpreted — with the URL as exactly
 * one last argument, stdin/stdout/stderr on /dev/null (it cannot draw over
 * the dashboard or read its keys) and in its own process group (a Ctrl-C in
 * the terminal is not its business). No SIGCHLD handler: the children we
 * started are remembered and reaped with waitpid(pid, WNOHANG) at the next
 * open, so a finished browser stays a zombie at most until then (or until
 * xcdash exits), and no one else's child is ever reaped by accident.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core.h"
#include "tui/private.h"

extern char **environ;

/* ---- opening links --------------------------------------------------------------- */

/*
 * Whether url may be handed to a browser. Returns NULL when it may, else the
 * reason (English and Chinese) written into why.
 */
static const char *link_refusal(const char *url, int en, char *why, size_t n)
{
    if (url == NULL || *url == '\0') {
        snprintf(why, n, "%s", en ? "this item has no link" : "此条目没有链接");
        return why;
    }
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        /* C0, space, DEL, and C1 (U+0080-U+009F, UTF-8 C2 80-C2 9F) */
        if (*p <= 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
            snprintf(why, n, "%s",
                     en ? "refused to open a link with spaces or control characters"
                        : "拒绝打开含空格或控制字符的链接");
            return why;
        }
    }
    /* the scheme: a letter, then letters, digits, + - . up to ':' */
    size_t k = 0;
    int has_scheme = (url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z');
    if (has_scheme) {
        for (k = 1; url[k] != ':'; k++) {
            char c = url[k];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '-' || c == '.')) {
                has_scheme = 0;
                break;
            }
        }
    }
    if (!has_scheme) {
        snprintf(why, n, "%s",
                 en ? "refused to open a link without a scheme: only http and https"
                    : "拒绝打开没有协议的链接：只打开 http 和 https");
        return why;
    }
    int web = (k == 4 && strncasecmp(url, "http", 4) == 0) ||
              (k == 5 && strncasecmp(url, "https", 5) == 0);
    if (!web) {
        /* the scheme is letters, digits and + - . only: safe to name; long ones cut */
        int len = k > 20 ? 20 : (int)k;
        snprintf(why, n,
                 en ? "refused to open a %.*s: link: only http and https"
                    : "拒绝打开 %.*s: 链接：只打开 http 和 https",
                 len, url);
        return why;
    }
    const char *h = url + k + 1; /* after "http:" */
    if (h[0] != '/' || h[1] != '/' || h[2] == '\0' || h[2] == '/' || h[2] == '?' || h[2] == '#') {
        snprintf(why, n, "%s",
                 en ? "refused to open a link without a host" : "拒绝打开没有主机名的链接");
        return why;
    }
    return NULL;
}

/* Children started by tui_open_link and not yet reaped. */
#define MAX_CHILDREN 64
static pid_t children[MAX_CHILDREN];
static int n_children;

/* Reaps the browsers that have exited, without waiting for the others. */
static void reap_children(void)
{
    for (int i = 0; i < n_children;) {
        pid_t r = waitpid(children[i], NULL, WNOHANG);
        if (r == children[i] || (r < 0 && errno == ECHILD))
            children[i] = children[--n_children];
        else
            i++;
    }
}

#define MAX_ARGS 32

/* Splits cmd at blanks into argv (pointers into buf); returns the count. */
static int split_command(const char *cmd, char *buf, size_t n, char **argv, int max)
{
    snprintf(buf, n, "%s", cmd);
    int argc = 0;
    for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w && argc < max;
         w = strtok_r(NULL, " \t", &save))
        argv[argc++] = w;
    return argc;
}

void tui_open_link(tui_app *a, const char *url)
{
    int en = a->cfg.lang_en;
    char why[160];
    if (link_refusal(url, en, why, sizeof why) != NULL) {
        tui_say(a, "%s", why);
        return;
    }
    reap_children();
    /* the command: the configuration's, else $BROWSER (of a ':' list, the first) */
    const char *cmd = a->cfg.browser;
    char env_first[1024];
    if (cmd == NULL || cmd[strspn(cmd, " \t")] == '\0') {
        const char *b = getenv("BROWSER");
        cmd = NULL;
        if (b != NULL) {
            snprintf(env_first, sizeof env_first, "%.*s", (int)strcspn(b, ":"), b);
            if (env_first[strspn(env_first, " \t")] != '\0')
                cmd = env_first;
        }
    }
    if (cmd == NULL) {
        tui_say(a, "%s",
                en ? "no browser: set browser = … in the config or $BROWSER"
                   : "没有浏览器：请在配置中设置 browser = … 或设置 $BROWSER");
        return;
    }
    char buf[1024];
    char *argv[MAX_ARGS + 2];
    int argc = split_command(cmd, buf, sizeof buf, argv, MAX_ARGS);
    argv[argc++] = (char *)url; /* exactly one argument, whatever it holds */
    argv[argc] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    /* the cache, the wake-up pipe, sockets of the fetch thread: none of its business */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
    posix_spawnattr_init(&at);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGQUIT);
    sigaddset(&dflt, SIGTERM);
    sigaddset(&dflt, SIGHUP);
    sigaddset(&dflt, SIGCHLD);
    sigaddset(&dflt, SIGTSTP);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dflt);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        tui_say(a, en ? "cannot start %s: %s" : "无法启动 %s：%s", argv[0], strerror(rc));
        return;
    }
    if (n_children < MAX_CHILDREN)
        children[n_children++] = pid;
    tui_say(a, en ? "opened in %s" : "已用 %s 打开", argv[0]);
}

/* ---- the reader ------------------------------------------------------------------- */

#define MAX_TAGS 32

typedef struct reader {
    tui_newslist list;
    char *pillar, *company, *source; /* the list's filters, owned (list.q points here) */
    int64_t row;
    int has_item;
    /* the item shown, copied into `arena` */
    core_arena *arena;
    int64_t id, published;
    const char *title, *url, *source_id, *source_title, *author, *summary;
    int read, starred;
    const char *tags[MAX_TAGS]; /* tagged company ids */
    int n_tags, tag_sel;
    /* what the last draw laid out: for scrolling and the mouse */
    size_t scroll;
    int n_lines, page;
    int tag_y, tag_x0[MAX_TAGS], tag_x1[MAX_TAGS];
} reader;

typedef struct source_find {
    const char *id;
    char title[256];
} source_find;

static int find_source(void *ctx, const store_source *s)
{
    source_find *f = ctx;
    if (strcmp(s->id, f->id) != 0)
        return 0;
    snprintf(f->title, sizeof f->title, "%s", s->title ? s->title : "");
    return 1;
}

static void set_crumb(tui_app *a, tui_view *v)
{
    reader *r = v->st;
    snprintf(v->crumb, sizeof v->crumb, "%s %lld/%lld", a->cfg.lang_en ? "news" : "新闻",
             (long long)(r->row + 1), (long long)r->list.total);
    a->dirty |= TUI_DIRTY_HEAD;
}

/* Copies row r->row of the list in as the item shown; marks it read. */
static int take_row(tui_app *a, reader *r, char **err)
{
    const store_news *n = tui_newslist_row(&r->list, a->st, r->row, 16, err);
    if (n == NULL) {
        r->has_item = 0;
        if (err && *err == NULL)
            *err = xstrdup(a->cfg.lang_en ? "this news item is gone" : "该新闻已不存在");
        return -1;
    }
    int same = r->has_item && r->id == n->id;
    core_arena_free(r->arena);
    r->arena = core_arena_new();
    r->has_item = 1;
    r->id = n->id;
    r->published = n->published;
    r->title = core_arena_strdup(r->arena, n->title ? n->title : "");
    r->url = core_arena_strdup(r->arena, n->url);
    r->source_id = core_arena_strdup(r->arena, n->source_id ? n->source_id : "");
    r->author = core_arena_strdup(r->arena, n->author);
    r->summary = core_arena_strdup(r->arena, n->summary);
    r->read = n->read;
    r->starred = n->starred;
    r->n_tags = 0;
    const char *s = n->companies ? n->companies : "";
    while (*s && r->n_tags < MAX_TAGS) {
        size_t len = strcspn(s, " ");
        if (len > 0)
            r->tags[r->n_tags++] = core_arena_strndup(r->arena, s, len);
        s += len;
        s += strspn(s, " ");
    }
    /* the source's title: a walk over the (few) sources, stopping at this one */
    source_find f = { r->source_id, "" };
    if (store_sources_each(a->st, find_source, &f, NULL) == 0 && f.title[0])
        r->source_title = core_arena_strdup(r->arena, f.title);
    else
        r->source_title = NULL;
    if (!same) {
        r->scroll = 0;
        r->tag_sel = 0;
    }
    if (r->tag_sel >= r->n_tags)
        r->tag_sel = r->n_tags ? r->n_tags - 1 : 0;
    if (!r->read) {
        char *e = NULL;
        if (store_news_flag(a->st, r->id, 1, r->starred, &e) == 0)
            r->read = 1;
        else
            tui_say(a, "%s", e ? e : "cannot mark the item read");
        free(e);
    }
    return 0;
}

static int reader_load(tui_app *a, tui_view *v, char **err)
{
    reader *r = v->st;
    store_news_query q = r->list.q; /* reset overwrites the list's own copy */
    if (tui_newslist_reset(&r->list, a->st, &q, err) != 0)
        return -1;
    if (r->has_item) {
        /* the item may have moved (news arrived above it) */
        int64_t at = tui_newslist_find(&r->list, a->st, r->published, r->id);
        if (at >= 0)
            r->row = at;
    }
    if (r->row >= r->list.total)
        r->row = r->list.total - 1;
    if (r->row < 0)
        r->row = 0;
    int rc = take_row(a, r, err);
    set_crumb(a, v);
    return rc;
}

/* Draws "label  value" on line y; returns the next line. */
static int meta_line(tui_app *a, WINDOW *w, int y, widget_rect rr, const char *label,
                     const char *value, attr_t attr)
{
    if (y >= rr.y + rr.h)
        return y;
    int lw = widget_text_draw(w, y, rr.x, label, 12, tui_attr(a, TUI_DIM), 1);
    widget_text_draw(w, y, rr.x + lw, value, rr.w - lw, attr, 0);
    return y + 1;
}

static void reader_draw(tui_app *a, tui_view *v, WINDOW *w, widget_rect rr)
{
    reader *r = v->st;
    int en = a->cfg.lang_en;
    if (!r->has_item) {
        widget_text_draw(w, rr.y + 1, rr.x + 1,
                         en ? "this news item is gone (Esc to go back)"
                            : "该新闻已不存在（Esc 返回）",
                         rr.w - 2, tui_attr(a, TUI_DIM), 0);
        return;
    }
    widget_rect r0 = { rr.y, rr.x + 1, rr.h, rr.w - 2 };
    int y = r0.y, bottom = r0.y + r0.h - 1; /* the last line holds the key hints */

    /* the title, wrapped, three lines at most */
    char *title = xasprintf("%s%s", r->starred ? "★ " : "", r->title);
    widget_lines tl;
    widget_wrap(title, r0.w, &tl);
    free(title);
    for (size_t i = 0; i < tl.n && i < 3 && y < bottom; i++, y++)
        widget_text_draw(w, y, r0.x, tl.line[i], r0.w,
                         tui_attr(a, r->starred ? TUI_ACCENT : TUI_TITLE) | A_BOLD, 0);
    widget_lines_free(&tl);
    y++;

    char b[512], when[32], iso[40];
    if (r->source_title && strcmp(r->source_title, r->source_id) != 0)
        snprintf(b, sizeof b, "%s · %s", r->source_id, r->source_title);
    else
        snprintf(b, sizeof b, "%s", r->source_id);
    y = meta_line(a, w, y, r0, en ? "Source" : "来源", b, tui_attr(a, TUI_NORMAL));
    tui_fmt_when(when, sizeof when, r->published, a->now);
    core_iso8601(r->published, iso, sizeof iso);
    snprintf(b, sizeof b, "%s · %s", when, iso);
    y = meta_line(a, w, y, r0, en ? "Published" : "发布时间", b, tui_attr(a, TUI_NORMAL));
    if (r->author && *r->author)
        y = meta_line(a, w, y, r0, en ? "Author" : "作者", r->author, tui_attr(a, TUI_NORMAL));
    y = meta_line(a, w, y, r0, en ? "Link" : "链接",
                  r->url && *r->url ? r->url : (en ? "none" : "无"), tui_attr(a, TUI_DIM));

    /* the tagged companies as chips; the selected one stays in view */
    r->tag_y = -1;
    if (y < bottom) {
        int lw =
            widget_text_draw(w, y, r0.x, en ? "Companies" : "公司", 12, tui_attr(a, TUI_DIM), 1);
        int x0 = r0.x + lw, avail = r0.w - lw;
        if (r->n_tags == 0) {
            widget_text_draw(w, y, x0, en ? "none tagged" : "未关联公司", avail,
                             tui_attr(a, TUI_DIM), 0);
        } else {
            int first = 0;
            for (;;) {
                int used = 0;
                for (int i = first; i <= r->tag_sel; i++)
                    used += widget_text_width(tui_company_name(a, r->tags[i])) + 3;
                if (used <= avail || first == r->tag_sel)
                    break;
                first++;
            }
            int x = x0;
            for (int i = 0; i < r->n_tags; i++) {
                r->tag_x0[i] = r->tag_x1[i] = -1;
                if (i < first || x >= x0 + avail)
                    continue;
                snprintf(b, sizeof b, " %s ", tui_company_name(a, r->tags[i]));
                attr_t at = i == r->tag_sel ? tui_attr(a, TUI_SELECTED) : tui_attr(a, TUI_ACCENT);
                int cw = widget_text_draw(w, y, x, b, x0 + avail - x, at, 0);
                r->tag_x0[i] = x;
                r->tag_x1[i] = x + cw;
                x += cw + 1;
            }
            r->tag_y = y;
        }
        y++;
    }
    if (y < bottom) {
        for (int x = 0; x < r0.w; x++)
            widget_text_draw(w, y, r0.x + x, "─", 1, tui_attr(a, TUI_BORDER), 0);
        y++;
    }

    /* the summary, scrolled */
    widget_lines sl;
    const char *sum = r->summary && *r->summary ? r->summary : en ? "(no summary)" : "（无摘要）";
    widget_wrap(sum, r0.w, &sl);
    r->n_lines = (int)sl.n;
    r->page = bottom - y > 1 ? bottom - y : 1;
    if (r->scroll + (size_t)r->page > sl.n)
        r->scroll = sl.n > (size_t)r->page ? sl.n - (size_t)r->page : 0;
    if (bottom > y) {
        widget_rect sr = { y, r0.x, bottom - y, r0.w };
        widget_lines_draw(w, sr, &sl, r->scroll,
                          tui_attr(a, r->summary && *r->summary ? TUI_NORMAL : TUI_DIM));
    }
    widget_lines_free(&sl);

    char pos[64];
    snprintf(pos, sizeof pos, "%lld/%lld%s", (long long)(r->row + 1), (long long)r->list.total,
             sl.n > (size_t)r->page ? (en ? " · ↑↓ scroll" : " · ↑↓ 滚动") : "");
    const char *hint =
        en ? "J/K next/prev · ←/→ company · Enter open company · o open link · s star · "
             "Esc back"
           : "J/K 下一条/上一条 · ←/→ 选公司 · Enter 打开公司 · o 打开链接 · s 收藏 · "
             "Esc 返回";
    int pw = widget_text_width(pos);
    widget_text_draw(w, r0.y + r0.h - 1, r0.x, hint, r0.w - pw - 2, tui_attr(a, TUI_DIM), 0);
    if (pw < r0.w)
        widget_text_draw(w, r0.y + r0.h - 1, r0.x + r0.w - pw, pos, pw, tui_attr(a, TUI_DIM), 0);
}

/* Moves to row `to` of the list; says so at either end. */
static int step(tui_app *a, tui_view *v, int64_t to)
{
    reader *r = v->st;
    int en = a->cfg.lang_en;
    if (to < 0 || to >= r->list.total) {
        tui_say(a, "%s",
                to < 0 ? (en ? "this is the first item" : "已是第一条")
                       : (en ? "this is the last item" : "已是最后一条"));
        return TUI_KEY_HANDLED;
    }
    int64_t was = r->row;
    r->row = to;
    char *err = NULL;
    if (take_row(a, r, &err) != 0) {
        tui_say(a, "%s", err ? err : "cannot read the item");
        free(err);
        r->row = was;
        take_row(a, r, NULL);
    }
    set_crumb(a, v);
    return TUI_KEY_HANDLED;
}

static void scroll_by(reader *r, long d)
{
    long s = (long)r->scroll + d, max = r->n_lines - r->page;
    if (s > max)
        s = max;
    if (s < 0)
        s = 0;
    r->scroll = (size_t)s;
}

static int reader_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    reader *r = v->st;
    int en = a->cfg.lang_en;
    (void)k;
    switch (act) {
    case TUI_A_UP:
        scroll_by(r, -1);
        return TUI_KEY_HANDLED;
    case TUI_A_DOWN:
        scroll_by(r, 1);
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_UP:
        scroll_by(r, -(r->page > 1 ? r->page - 1 : 1));
        return TUI_KEY_HANDLED;
    case TUI_A_PAGE_DOWN:
        scroll_by(r, r->page > 1 ? r->page - 1 : 1);
        return TUI_KEY_HANDLED;
    case TUI_A_TOP:
        r->scroll = 0;
        return TUI_KEY_HANDLED;
    case TUI_A_BOTTOM:
        scroll_by(r, r->n_lines);
        return TUI_KEY_HANDLED;
    case TUI_A_LEFT:
        if (r->tag_sel > 0)
            r->tag_sel--;
        return TUI_KEY_HANDLED;
    case TUI_A_RIGHT:
        if (r->tag_sel + 1 < r->n_tags)
            r->tag_sel++;
        return TUI_KEY_HANDLED;
    case TUI_A_NEXT_ITEM:
        return step(a, v, r->row + 1);
    case TUI_A_PREV_ITEM:
        return step(a, v, r->row - 1);
    case TUI_A_OPEN:
        if (!r->has_item)
            return TUI_KEY_IGNORED;
        if (r->n_tags == 0) {
            tui_say(a, "%s", en ? "no company is tagged in this item" : "此新闻未关联公司");
            return TUI_KEY_HANDLED;
        }
        tui_open_company(a, r->tags[r->tag_sel]);
        return TUI_KEY_HANDLED;
    case TUI_A_STAR: {
        if (!r->has_item)
            return TUI_KEY_IGNORED;
        char *err = NULL;
        if (store_news_flag(a->st, r->id, 1, !r->starred, &err) != 0) {
            tui_say(a, "%s", err ? err : "cannot star the item");
            free(err);
            return TUI_KEY_HANDLED;
        }
        r->read = 1;
        r->starred = !r->starred;
        tui_say(a, "%s",
                r->starred ? (en ? "starred" : "已收藏") : (en ? "unstarred" : "已取消收藏"));
        return TUI_KEY_HANDLED;
    }
    case TUI_A_OPEN_LINK:
        if (!r->has_item)
            return TUI_KEY_IGNORED;
        tui_open_link(a, r->url);
        return TUI_KEY_HANDLED;
    default:
        return TUI_KEY_IGNORED;
    }
}

static int reader_mouse(tui_app *a, tui_view *v, int y, int x, int dir)
{
    reader *r = v->st;
    (void)a;
    if (dir != 0) {
        scroll_by(r, 3 * dir);
        return 1;
    }
    if (y != r->tag_y)
        return 0;
    for (int i = 0; i < r->n_tags; i++) {
        if (x >= r->tag_x0[i] && x < r->tag_x1[i]) {
            r->tag_sel = i;
            return 1;
        }
    }
    return 0;
}

static void reader_free(tui_view *v)
{
    reader *r = v->st;
    if (r == NULL)
        return;
    tui_newslist_free(&r->list);
    core_arena_free(r->arena);
    free(r->pillar);
    free(r->company);
    free(r->source);
    free(r);
    v->st = NULL;
}

static const tui_view_ops reader_ops = {
    .name = "news",
    .load = reader_load,
    .draw = reader_draw,
    .key = reader_key,
    .mouse = reader_mouse,
    .typing = NULL,
    .free = reader_free,
};

void tui_open_news(tui_app *a, const store_news_query *q, int64_t row)
{
    reader *r = xcalloc(1, sizeof *r);
    r->pillar = q->pillar ? xstrdup(q->pillar) : NULL;
    r->company = q->company ? xstrdup(q->company) : NULL;
    r->source = q->source ? xstrdup(q->source) : NULL;
    r->list.q = (store_news_query){ .pillar = r->pillar,
                                    .company = r->company,
                                    .source = r->source,
                                    .starred_only = q->starred_only,
                                    .after = STORE_CURSOR_START };
    r->row = row;
    tui_view_push(a, &reader_ops, r, a->cfg.lang_en ? "news" : "新闻");
}
